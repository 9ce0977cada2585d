"""Put a bundle into the 公众号 草稿箱 (draft box) through the official API — drafts only.

Flow: `stable_token` → `media/uploadimg` for every body image (the content's image URLs are swapped
for the returned mmbiz URLs) → `material/add_material?type=image` for the cover → `draft/add`.
Publishing and sending to followers stay a human decision in the 公众平台 backend; this module has
no code for either.

Credentials always come from the caller. The `pufa` command line reads them from the environment:

    PUFA_WECHAT_APPID    the account's AppID (公众平台 → 设置与开发 → 基本配置)
    PUFA_WECHAT_SECRET   its AppSecret (enabled or reset by the account admin; never commit it)

The machine that runs this needs a fixed outgoing IP on the account's IP白名单, and the account
needs the draft API permission (a 认证 account); see `WeChatError` messages for what to do otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import requests

from pufa.wechat.limits import blocking_problems

API_BASE = "https://api.weixin.qq.com"
TIMEOUT = 30
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid or expired access_token: refresh once, then retry
BODY_IMAGE_MAX = 1_000_000
COVER_MAX = 10 * 1024 * 1024  # image material limit (older docs say 2 MB; covers here are ~50 KB)
IP_IN_MESSAGE = re.compile(r"invalid ip ([0-9A-Fa-f.:]+)")


class WeChatError(Exception):
    """A failure talking to WeChat, or a local check that stopped the request.

    `code` is WeChat's errcode (None for local checks and network failures); `message` is Chinese
    and says what to do; `errmsg` keeps WeChat's own text for the record.
    """

    def __init__(self, message: str, code: int | None = None, errmsg: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.errmsg = errmsg


@dataclass(frozen=True)
class Draft:
    media_id: str  # the draft's id in the 草稿箱
    thumb_media_id: str  # the cover's permanent material id
    image_urls: dict[str, str]  # bundle image file → uploaded mmbiz URL


def push_draft(
    bundle_dir: str | Path,
    *,
    appid: str,
    secret: str,
    api_base: str = API_BASE,
    session: requests.Session | None = None,
) -> Draft:
    """Upload a bundle written by `build_bundle` and create one draft. Never publishes or sends."""
    folder = Path(bundle_dir)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    content = (folder / meta.get("content", "article.html")).read_text(encoding="utf-8").strip()
    images = [(image, (folder / image["file"]).read_bytes()) for image in meta.get("images", [])]
    cover = (folder / meta["cover"]).read_bytes()
    _check_locally(meta, content, images, cover)
    if not appid or not secret:
        raise WeChatError("缺少公众号 AppID 或 AppSecret：请设置环境变量 PUFA_WECHAT_APPID 和 PUFA_WECHAT_SECRET。")

    client = _Client(api_base.rstrip("/"), appid, secret, session or requests.Session(), meta)
    uploaded: dict[str, str] = {}
    for image, data in images:
        answer = client.call("/cgi-bin/media/uploadimg", files=_media(image["file"], data), file=image["file"])
        url = _https(answer.get("url", ""))
        if not url:
            raise WeChatError(f"上传图片“{image['file']}”后，微信没有返回图片地址，请稍后重试。")
        uploaded[image["file"]] = url
        content = _swap_src(content, image["url"], url)

    answer = client.call(
        "/cgi-bin/material/add_material", params={"type": "image"},
        files=_media(meta["cover"], cover), file=meta["cover"],
    )
    thumb_media_id = answer.get("media_id", "")
    if not thumb_media_id:
        raise WeChatError("上传封面后，微信没有返回素材编号（media_id），请稍后重试。")

    article = {
        "title": meta["title"],
        "author": meta.get("author", ""),
        "digest": meta.get("digest", ""),
        "content": content,
        "content_source_url": meta.get("content_source_url", ""),
        "thumb_media_id": thumb_media_id,
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
    }
    answer = client.call("/cgi-bin/draft/add", json_body={"articles": [article]})
    if not answer.get("media_id"):
        raise WeChatError("微信没有返回草稿编号（media_id），请到草稿箱确认草稿是否已创建。")
    return Draft(media_id=answer["media_id"], thumb_media_id=thumb_media_id, image_urls=uploaded)


# --- local checks ---------------------------------------------------------------------------


def _check_locally(meta: dict, content: str, images: list[tuple[dict, bytes]], cover: bytes) -> None:
    problems = blocking_problems(meta, content)
    known = {image["url"] for image, _ in images}
    root = lxml.html.fragment_fromstring(content or "<p></p>", create_parent="div")
    strays = [img.get("src", "") for img in root.iter("img") if img.get("src", "") not in known]
    if strays:
        problems.append(f"正文有 {len(strays)} 张图片不在素材包里（如 {strays[0]}），微信会把它们删掉。")
    for image, data in images:
        if not _is_jpeg_or_png(data):
            problems.append(f"图片“{image['file']}”不是 JPG/PNG，正文图片只接受这两种格式。")
        elif len(data) >= BODY_IMAGE_MAX:
            problems.append(f"图片“{image['file']}”有 {len(data)} 字节，正文图片必须小于 1 MB。")
    if not cover.startswith(b"\xff\xd8") or len(cover) > COVER_MAX:
        problems.append("封面必须是不超过 10 MB 的 JPG 图片。")
    if problems:
        raise WeChatError("本地检查未通过，没有向微信发送任何请求：\n" + "\n".join(f"- {p}" for p in problems))


def _is_jpeg_or_png(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")


def _media(name: str, data: bytes) -> dict:
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return {"media": (name, data, mime)}


def _https(url: str) -> str:
    # uploadimg answers with http:// URLs; the article is served over https.
    return "https://" + url[len("http://"):] if url.startswith("http://") else url


def _swap_src(content: str, old: str, new: str) -> str:
    escaped = old.replace("&", "&amp;")
    for form in {old, escaped}:
        content = content.replace(f'src="{form}"', f'src="{new}"')
    return content


# --- API calls ------------------------------------------------------------------------------


class _Client:
    def __init__(self, base: str, appid: str, secret: str, session: requests.Session, meta: dict):
        self.base, self.appid, self.secret, self.session, self.meta = base, appid, secret, session, meta
        self.token: str | None = None
        self.refreshed = False

    def call(self, path: str, *, params=None, json_body=None, files=None, file: str = "") -> dict:
        if self.token is None:
            self._fetch_token(force=False)
        try:
            return self._send(path, params=params, json_body=json_body, files=files, file=file)
        except WeChatError as exc:
            if exc.code not in TOKEN_ERRORS or self.refreshed:
                raise
        self.refreshed = True
        self._fetch_token(force=True)
        return self._send(path, params=params, json_body=json_body, files=files, file=file)

    def _fetch_token(self, *, force: bool) -> None:
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        if force:
            body["force_refresh"] = True  # normal mode would hand back the same rejected token
        answer = self._send("/cgi-bin/stable_token", json_body=body, with_token=False)
        self.token = answer.get("access_token")
        if not self.token:
            raise WeChatError("微信没有返回 access_token，请稍后重试。")

    def _send(self, path, *, params=None, json_body=None, files=None, file="", with_token=True) -> dict:
        query = dict(params or {})
        if with_token:
            query["access_token"] = self.token
        host = urlsplit(self.base).netloc
        try:
            if json_body is not None:
                response = self.session.post(
                    self.base + path, params=query, timeout=TIMEOUT,
                    data=json.dumps(json_body, ensure_ascii=False).encode("utf-8"),
                    headers={"Content-Type": "application/json; charset=utf-8"},
                )
            else:
                response = self.session.post(self.base + path, params=query, files=files, timeout=TIMEOUT)
        except requests.Timeout as exc:
            # The exception text carries the URL with the access_token: never show it.
            raise WeChatError(f"连接微信接口（{host}）超时，请检查网络后重试。") from exc
        except requests.RequestException as exc:
            raise WeChatError(
                f"无法连接微信接口（{host}）：{type(exc).__name__}。请检查网络、代理或防火墙设置。"
            ) from exc
        if response.status_code != 200:
            raise WeChatError(f"微信接口（{path}）返回 HTTP {response.status_code}，请稍后重试。")
        try:
            answer = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise WeChatError(f"微信接口（{path}）返回了无法识别的内容，请稍后重试。") from exc
        code = answer.get("errcode") or 0
        if code:
            errmsg = str(answer.get("errmsg", ""))
            raise WeChatError(_explain(code, errmsg, self.meta, file), code=code, errmsg=errmsg)
        return answer


def _explain(code: int, errmsg: str, meta: dict, file: str) -> str:
    """WeChat's errcode as a Chinese sentence that says what to do."""
    which = f"文件：{file}。" if file else ""
    if code == 40164:
        found = IP_IN_MESSAGE.search(errmsg)
        ip = found.group(1) if found else "（微信未给出）"
        return (
            f"本机出口 IP {ip} 不在公众号的 IP 白名单中（40164）。请管理员在 公众平台 → 设置与开发 → "
            f"基本配置 → IP白名单 中添加 {ip} 后重试；家庭宽带和云端 CI 的 IP 会变，请在固定 IP 的机器上运行。"
        )
    if code == 48001:
        return (
            "接口未授权（48001）：这个公众号没有调用该接口的权限，通常与账号类型或微信认证状态有关"
            "（个人主体或未认证的账号没有相应权限）。请在 公众平台 → 设置与开发 → 接口权限 中查看，"
            "或改用素材包预览页的“复制到公众号”手动粘贴。"
        )
    if code in TOKEN_ERRORS:
        return (
            f"access_token 无效或已过期（{code}），重新获取一次后仍然失败。请确认 AppID 与 AppSecret "
            "属于同一个公众号，并检查是否有其他系统在频繁强制刷新令牌。"
        )
    messages = {
        -1: "微信系统繁忙（-1），请稍后重试。",
        40005: f"图片文件类型无效（40005）：正文图片只能是 JPG 或 PNG。{which}",
        40007: "封面素材无效（40007）：thumb_media_id 必须是永久素材的编号。请重新运行推送以重新上传封面。",
        40009: f"图片太大（40009）：正文图片必须小于 1 MB。{which}",
        40013: "AppID 无效（40013）：请检查 PUFA_WECHAT_APPID 是否为该公众号的 AppID（设置与开发 → 基本配置）。",
        40125: "AppSecret 无效（40125）：请检查 PUFA_WECHAT_SECRET；管理员重置 AppSecret 后，旧值立即失效。",
        44003: "图文内容为空（44003）：标题和正文都不能为空。",
        45003: f"标题过长（45003）：公众号要求标题不超过 32 字，当前 {len(meta.get('title', ''))} 字。",
        45004: f"摘要过长（45004）：公众号要求摘要不超过 120 字，当前 {len(meta.get('digest', ''))} 字。",
        45009: "今天的接口调用次数已达上限（45009），请明天再试。",
    }
    return messages.get(code, f"微信接口返回错误 {code}：{errmsg}")
