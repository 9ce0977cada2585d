"""Put a bundle into the 公众号 草稿箱 (draft box) through the official API — drafts only.

Flow: `stable_token` → `media/uploadimg` for every body image (the content's image URLs are swapped
for the returned mmbiz URLs) → `material/add_material?type=image` for the cover → `draft/add`, or
`draft/update` of the article's earlier draft while that draft still exists (`draft/get` says so).
Publishing and sending to followers stay a human decision in the 公众平台 backend; this module has
no code for either.

Pushing again is cheap and safe: a state file (`PushState`, kept outside the built site) remembers,
per AppID and article, each uploaded image by content hash, the cover's permanent material by hash,
and the draft's media_id. A second push of an unchanged article uploads nothing and updates the same
draft, so the 素材库 (capped) and the 草稿箱 do not fill up with copies.

Credentials always come from the caller. The `pufa` command line reads them from the environment:

    PUFA_WECHAT_APPID    the account's AppID (公众平台 → 设置与开发 → 基本配置)
    PUFA_WECHAT_SECRET   its AppSecret (enabled or reset by the account admin; never commit it)

The machine that runs this needs a fixed outgoing IP on the account's IP白名单, and the account
needs the draft API permission (a 认证 account); see `WeChatError` messages for what to do otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import requests

from pufa.wechat.bundle import read_article
from pufa.wechat.golive import site_url_problem
from pufa.wechat.limits import blocking_problems

API_BASE = "https://api.weixin.qq.com"
TIMEOUT = 30
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid or expired access_token: refresh once, then retry
TRANSIENT_ERRORS = {-1, 45011}  # system busy; calls per minute over the limit
RETRY_DELAYS = (2.0, 5.0, 15.0)  # seconds before each retry of a transient failure
BODY_IMAGE_MAX = 1_000_000
COVER_MAX = 10 * 1024 * 1024  # image material limit (older docs say 2 MB; covers here are ~50 KB)
IP_IN_MESSAGE = re.compile(r"invalid ip ([0-9A-Fa-f.:]+)")
STATE_VERSION = 1


class WeChatError(Exception):
    """A failure talking to WeChat, or a local check that stopped the request.

    `code` is WeChat's errcode (None for local checks and network failures); `message` is Chinese
    and says what to do; `errmsg` keeps WeChat's own text for the record.
    """

    def __init__(self, message: str, code: int | None = None, errmsg: str = "", transient: bool = False,
                 timed_out: bool = False):
        super().__init__(message)
        self.message = message
        self.code = code
        self.errmsg = errmsg
        self.transient = transient  # worth retrying after a pause
        self.timed_out = timed_out  # no answer: the request may or may not have been carried out


@dataclass(frozen=True)
class Draft:
    media_id: str  # the draft's id in the 草稿箱
    thumb_media_id: str  # the cover's permanent material id
    image_urls: dict[str, str]  # bundle image file → uploaded mmbiz URL
    updated: bool = False  # True: the earlier draft was updated; False: a new draft was created
    uploads: int = 0  # files uploaded by this push (body images and cover)


@dataclass
class Plan:
    """What a push will send, worked out from the bundle and the state file alone (no request)."""

    slug: str
    article: dict  # the draft/add article; content still points at the site's own images
    images: list[tuple[dict, bytes, str]]  # (meta image, bytes, sha256) for every body image
    cached_images: dict[str, str]  # sha256 → uploaded URL already known
    cover: bytes
    cover_sha256: str
    cached_cover: str  # thumb media_id already known, or ""
    draft_media_id: str  # earlier draft to update if it still exists, or ""
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The plan in Chinese, for `pufa wechat push --dry-run`."""
        a = self.article
        new = [image["file"] for image, _, sha in self.images if sha not in self.cached_images]
        lines = [
            f"演练：不会向微信发送任何请求。将推送“{self.slug}”：",
            f"- 标题：{a['title']}（{len(a['title'])} 字，{len(a['title'].encode('utf-8'))} 字节）",
            f"- 作者：{a['author']}",
            f"- 摘要：{a['digest']}",
            f"- 原文链接（阅读原文）：{a['content_source_url']}",
            f"- 正文：{len(a['content'])} 个字符，{len(a['content'].encode('utf-8'))} 字节",
            f"- 正文图片 {len(self.images)} 张：上传 {len(new)} 张"
            + (f"（{'、'.join(new)}）" if new else "") + f"，沿用已上传的 {len(self.images) - len(new)} 张",
            "- 封面：" + (f"沿用已上传的永久素材 {self.cached_cover}" if self.cached_cover
                         else "上传 cover.jpg 为永久素材（占用素材库一个名额）"),
            f"- 封面裁剪：2.35:1 为 {a['pic_crop_235_1']}，1:1 为 {a['pic_crop_1_1']}",
            "- 草稿：" + (f"更新草稿 {self.draft_media_id}（如果它已被发表或删除，就新建一篇）"
                         if self.draft_media_id else "新建一篇草稿"),
        ]
        lines += [f"- 注意：{w}" for w in self.warnings]
        return "\n".join(lines)


class PushState:
    """The state file: per AppID and article slug, what is already in the account.

    {"version": 1, "accounts": {"<appid>": {"<slug>": {"images": {"<sha256>": "<url>"},
      "cover": {"sha256": "…", "media_id": "…"}, "draft": {"media_id": "…"}}}}}

    It holds no secret (media ids and image URLs only) and is rewritten atomically after every
    upload, so a push that fails half-way still remembers what it uploaded.
    """

    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path else None
        self.data: dict = {"version": STATE_VERSION, "accounts": {}}
        if self.path and self.path.is_file():
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise WeChatError(f"推送记录文件 {self.path} 已损坏，无法读取；删除它后重新推送即可"
                                  "（会重新上传图片、新建一篇草稿）。") from exc
            if loaded.get("version") == STATE_VERSION:
                self.data = loaded

    def article(self, appid: str, slug: str) -> dict:
        account = self.data["accounts"].setdefault(appid, {})
        entry = account.setdefault(slug, {})
        entry.setdefault("images", {})
        return entry

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".wechat-state-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self.data, out, ensure_ascii=False, indent=2, sort_keys=True)
            out.write("\n")
        os.replace(tmp, self.path)


def plan_push(bundle_dir: str | Path, *, appid: str = "", state: PushState | None = None) -> Plan:
    """Read a bundle written by `build_bundle`, check it locally and work out what to send."""
    folder = Path(bundle_dir)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    content = read_article(folder).strip()
    images = []
    for image in meta.get("images", []):
        data = (folder / image["file"]).read_bytes()
        images.append((image, data, hashlib.sha256(data).hexdigest()))
    cover = (folder / meta["cover"]).read_bytes()
    _check_locally(meta, content, [(image, data) for image, data, _ in images], cover)
    crops = meta.get("crops") or {}
    article = {
        "title": meta["title"],
        "author": meta.get("author", ""),
        "digest": meta.get("digest", ""),
        "content": content,
        "content_source_url": meta.get("content_source_url", ""),
        "thumb_media_id": "",
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
        "pic_crop_235_1": crops.get("pic_crop_235_1", "0_0_1_1"),
        "pic_crop_1_1": crops.get("pic_crop_1_1", "0_0_1_1"),
    }
    remembered = (state or PushState(None)).article(appid, meta["slug"]) if appid else {"images": {}}
    cover_sha = hashlib.sha256(cover).hexdigest()
    known_cover = remembered.get("cover") or {}
    warnings = list(meta.get("warnings") or [])
    problem = site_url_problem(article["content_source_url"])
    if problem:
        warnings.insert(0, problem)
    return Plan(
        slug=meta["slug"], article=article, images=images,
        cached_images={sha: url for sha, url in remembered["images"].items()},
        cover=cover, cover_sha256=cover_sha,
        cached_cover=known_cover.get("media_id", "") if known_cover.get("sha256") == cover_sha else "",
        draft_media_id=(remembered.get("draft") or {}).get("media_id", ""),
        warnings=warnings,
    )


def push_draft(
    bundle_dir: str | Path,
    *,
    appid: str,
    secret: str,
    api_base: str = API_BASE,
    session: requests.Session | None = None,
    state_file: str | Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Draft:
    """Upload what is new in a bundle and create or update its draft. Never publishes or sends.

    `state_file` (e.g. `.pufa/wechat-state.json` in the project) makes pushes repeatable; without it
    every push uploads everything and creates a new draft. `sleep` waits between retries.
    """
    if not appid or not secret:
        # Checked before reading anything: no state is keyed without an AppID.
        plan_push(bundle_dir)
        raise WeChatError("缺少公众号 AppID 或 AppSecret：请设置环境变量 PUFA_WECHAT_APPID 和 PUFA_WECHAT_SECRET。")
    state = PushState(state_file)
    plan = plan_push(bundle_dir, appid=appid, state=state)
    remembered = state.article(appid, plan.slug)
    client = _Client(api_base.rstrip("/"), appid, secret, session or requests.Session(), plan.article, sleep)
    content = plan.article["content"]
    uploaded: dict[str, str] = {}
    uploads = 0

    for image, data, sha in plan.images:
        url = remembered["images"].get(sha, "")
        if not url:
            answer = client.call("/cgi-bin/media/uploadimg", files=_media(image["file"], data), file=image["file"])
            url = _https(answer.get("url", ""))
            if not url:
                raise WeChatError(f"上传图片“{image['file']}”后，微信没有返回图片地址，请稍后重试。")
            uploads += 1
            remembered["images"][sha] = url
            state.save()
        uploaded[image["file"]] = url
        content = _swap_src(content, image["url"], url)

    def upload_cover() -> str:
        nonlocal uploads
        answer = client.call("/cgi-bin/material/add_material", params={"type": "image"},
                             files=_media("cover.jpg", plan.cover), file="cover.jpg")
        media_id = answer.get("media_id", "")
        if not media_id:
            raise WeChatError("上传封面后，微信没有返回素材编号（media_id），请稍后重试。")
        uploads += 1
        remembered["cover"] = {"sha256": plan.cover_sha256, "media_id": media_id}
        state.save()
        return media_id

    article = dict(plan.article, content=content, thumb_media_id=plan.cached_cover or upload_cover())
    try:
        media_id, updated = _save_draft(client, article, plan.draft_media_id)
    except WeChatError as exc:
        if exc.code != 40007 or not plan.cached_cover:
            raise
        # The remembered cover was deleted from the 素材库 by hand: upload it again, once.
        article["thumb_media_id"] = upload_cover()
        media_id, updated = _save_draft(client, article, plan.draft_media_id)
    remembered["draft"] = {"media_id": media_id}
    state.save()
    return Draft(media_id=media_id, thumb_media_id=article["thumb_media_id"], image_urls=uploaded,
                 updated=updated, uploads=uploads)


def _save_draft(client: _Client, article: dict, earlier: str) -> tuple[str, bool]:
    """Update the earlier draft if the 草稿箱 still has it (not yet published or deleted), else add one."""
    if earlier and client.draft_exists(earlier):
        client.call("/cgi-bin/draft/update", json_body={"media_id": earlier, "index": 0, "articles": article})
        return earlier, True
    answer = client.call("/cgi-bin/draft/add", json_body={"articles": [article]})
    if not answer.get("media_id"):
        raise WeChatError("微信没有返回草稿编号（media_id），请到草稿箱确认草稿是否已创建。")
    return answer["media_id"], False


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
    def __init__(self, base: str, appid: str, secret: str, session: requests.Session, article: dict,
                 sleep: Callable[[float], None]):
        self.base, self.appid, self.secret, self.session = base, appid, secret, session
        self.article, self.sleep = article, sleep
        self.token: str | None = None
        self.refreshed = False

    def call(self, path: str, *, params=None, json_body=None, files=None, file: str = "") -> dict:
        if self.token is None:
            self._fetch_token(force=False)
        try:
            return self._retrying(path, params=params, json_body=json_body, files=files, file=file)
        except WeChatError as exc:
            if exc.code not in TOKEN_ERRORS or self.refreshed:
                raise
        self.refreshed = True
        self._fetch_token(force=True)
        return self._retrying(path, params=params, json_body=json_body, files=files, file=file)

    def draft_exists(self, media_id: str) -> bool:
        """Ask the API whether a draft is still in the 草稿箱 (a published or deleted one is not)."""
        try:
            answer = self.call("/cgi-bin/draft/get", json_body={"media_id": media_id})
        except WeChatError as exc:
            if exc.code is None or exc.transient or exc.code in TOKEN_ERRORS:
                raise
            return False  # typically 40007 invalid media_id: the draft is gone
        return bool(answer.get("news_item"))

    def _fetch_token(self, *, force: bool) -> None:
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        if force:
            body["force_refresh"] = True  # normal mode would hand back the same rejected token
        answer = self._retrying("/cgi-bin/stable_token", json_body=body, with_token=False)
        self.token = answer.get("access_token")
        if not self.token:
            raise WeChatError("微信没有返回 access_token，请稍后重试。")

    def _retrying(self, path, **kwargs) -> dict:
        # Busy servers, per-minute quotas and dropped connections pass: wait longer each time.
        for delay in (*RETRY_DELAYS, None):
            try:
                return self._send(path, **kwargs)
            except WeChatError as exc:
                if exc.timed_out and path == "/cgi-bin/draft/add":
                    # Sending it again could leave two drafts: let a person look first.
                    raise WeChatError("新建草稿时微信接口没有及时回应，草稿可能已经建好。请先到公众平台的草稿箱查看，"
                                      "没有这篇草稿再重新推送。", timed_out=True) from exc
                if not exc.transient or delay is None:
                    raise
            self.sleep(delay)
        raise AssertionError("unreachable")

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
            raise WeChatError(f"连接微信接口（{host}）超时，重试后仍未成功，请检查网络后再试。",
                              transient=True, timed_out=True) from exc
        except requests.RequestException as exc:
            raise WeChatError(
                f"无法连接微信接口（{host}）：{type(exc).__name__}。请检查网络、代理或防火墙设置。", transient=True,
            ) from exc
        if response.status_code != 200:
            raise WeChatError(f"微信接口（{path}）返回 HTTP {response.status_code}，请稍后重试。",
                              transient=response.status_code >= 500)
        try:
            answer = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise WeChatError(f"微信接口（{path}）返回了无法识别的内容，请稍后重试。") from exc
        code = answer.get("errcode") or 0
        if code:
            errmsg = str(answer.get("errmsg", ""))
            raise WeChatError(_explain(code, errmsg, self.article, file), code=code, errmsg=errmsg,
                              transient=code in TRANSIENT_ERRORS)
        return answer


def _explain(code: int, errmsg: str, article: dict, file: str) -> str:
    """WeChat's errcode as a Chinese sentence that says what to do (codes: WeChat's 全局返回码)."""
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
    title, content = article.get("title", ""), article.get("content", "")
    messages = {
        -1: "微信系统繁忙（-1），等待后重试了几次仍未成功，请过几分钟再推送。",
        40004: f"媒体文件类型无效（40004）：封面和正文图片只能是 JPG 或 PNG。{which}",
        40005: f"图片文件类型无效（40005）：正文图片只能是 JPG 或 PNG。{which}",
        40006: f"文件大小不符合要求（40006）：正文图片必须小于 1 MB，封面不超过 10 MB。{which}",
        40007: "封面素材无效（40007）：thumb_media_id 必须是永久素材的编号。请重新运行推送以重新上传封面。",
        40009: f"图片太大（40009）：正文图片必须小于 1 MB。{which}",
        40013: "AppID 无效（40013）：请检查 PUFA_WECHAT_APPID 是否为该公众号的 AppID（设置与开发 → 基本配置）。",
        40033: "请求里有微信不接受的字符（40033）：中文必须以 UTF-8 原样发送，不能写成 \\uXXXX。请把这个问题报告给网站维护人员。",
        40125: "AppSecret 无效（40125）：请检查 PUFA_WECHAT_SECRET；管理员重置 AppSecret 后，旧值立即失效。",
        41001: "请求缺少 access_token（41001）：这是程序的问题，请把这条信息报告给网站维护人员。",
        44001: f"上传的文件是空的（44001）：请重新构建网站后再推送。{which}",
        44003: "图文内容为空（44003）：标题和正文都不能为空。",
        45001: f"文件超过微信的大小限制（45001）。{which}",
        45002: (f"正文超过公众号的长度限制（45002）：当前正文 {len(content)} 个字符、{len(content.encode('utf-8'))} "
                "字节。请删减内容或拆分成几篇，也可以少用表格和列表（排版样式也计入长度）。"),
        45003: (f"标题过长（45003）：公众号要求标题不超过 32 字，当前 {len(title)} 字"
                f"（{len(title.encode('utf-8'))} 字节）。有工具报告微信按 64 字节计算，即约 21 个汉字，请缩短标题。"),
        45004: f"摘要过长（45004）：公众号要求摘要不超过 120 字，当前 {len(article.get('digest', ''))} 字。",
        45009: "今天的接口调用次数已达上限（45009），请明天再试，或由管理员在公众平台查看接口调用额度。",
        45011: "微信接口调用太频繁（45011）：每分钟的调用次数有上限，等待后重试了几次仍未成功，请过一两分钟再推送。",
        45166: "正文里有微信不接受的内容（45166），常见原因是含有非微信域名的链接；请重新构建素材包后再推送。",
        47001: "微信无法解析请求的数据（47001）：这是程序的问题，请把这条信息报告给网站维护人员。",
        48004: "接口已被封禁（48004）：请管理员登录公众平台查看通知，处理后再推送。",
        50002: "账号受限（50002）：公众号可能因违规被限制了接口，请管理员登录公众平台查看。",
    }
    return messages.get(code, f"微信接口返回错误 {code}：{errmsg}")
