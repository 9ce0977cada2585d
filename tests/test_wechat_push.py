"""push_draft against a local fake of the WeChat API that checks every request like the docs say.

The fake listens on 127.0.0.1, port 0 (the system picks a free one, read back before use). Waits
between retries go to a recorder instead of the clock, so no test sleeps.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from PIL import Image

import pufa.wechat
from pufa.cli import main
from pufa.wechat import push as push_module
from pufa.wechat.bundle import build_bundle, read_article
from pufa.wechat.push import WeChatError, plan_push, push_draft

APPID = "wx0123456789abcdef"
SECRET = "s3cret-for-tests"
SITE = "https://pufa.example.cn/"
PAGE = SITE + "laws/fanzha/"
TITLE = "反电信网络诈骗法：十问十答"
JPEG_OR_PNG = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class FakeWeChat:
    """api.weixin.qq.com on 127.0.0.1: records requests, reports protocol problems, scripts errors."""

    def __init__(self):
        self.calls: list[str] = []
        self.problems: list[str] = []
        self.token_requests: list[dict] = []
        self.drafts: list[dict] = []  # every article sent to draft/add, in order
        self.updates: list[dict] = []  # every draft/update body
        self.box: dict[str, dict] = {}  # the 草稿箱: media_id → article
        self.covers = 0
        self.errors: dict[str, list[tuple[int, str]]] = {}
        self.delays: dict[str, list[float]] = {}  # seconds to stall before answering, per path
        self.token = None
        self.uploads = 0
        self.appids = {APPID}  # accounts whose AppSecret is SECRET
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.problems.append(f"GET {self.path}: every call here must be a POST")
                self.answer({"errcode": 43002, "errmsg": "require POST method"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                self.answer(fake.handle(self.path, self.headers, body))

            def answer(self, data: dict):
                raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json; encoding=utf-8")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # a client that timed out has gone away: the late answer is lost, as on the real network

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # --- request checks ---------------------------------------------------------------------

    def handle(self, raw_path: str, headers, body: bytes) -> dict:
        parts = urlsplit(raw_path)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.calls.append(path)
        stall = self.delays.get(path)
        if stall:
            time.sleep(stall.pop(0))
        if "freepublish" in path or "mass" in path:
            self.problems.append(f"{path}: publishing or mass-sending must never be called")
        if path != "/cgi-bin/stable_token" and query.get("access_token") != self.token:
            self.problems.append(f"{path}: access_token {query.get('access_token')!r}, current is {self.token!r}")
        scripted = self.errors.get(path)
        if scripted:
            code, message = scripted.pop(0)
            if path == "/cgi-bin/stable_token":
                self.check_token_request(headers, body)
            return {"errcode": code, "errmsg": message}
        handler = {
            "/cgi-bin/stable_token": self.stable_token,
            "/cgi-bin/media/uploadimg": self.uploadimg,
            "/cgi-bin/material/add_material": self.add_material,
            "/cgi-bin/draft/add": self.draft_add,
            "/cgi-bin/draft/get": self.draft_get,
            "/cgi-bin/draft/update": self.draft_update,
        }.get(path)
        if handler is None:
            self.problems.append(f"unexpected path {path}")
            return {"errcode": 404, "errmsg": "not found"}
        return handler(query, headers, body)

    def json_body(self, path: str, headers, body: bytes) -> dict:
        if not headers.get("Content-Type", "").startswith("application/json"):
            self.problems.append(f"{path}: Content-Type {headers.get('Content-Type')!r} is not JSON")
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self.problems.append(f"{path}: body is not UTF-8 JSON")
            return {}

    def media_part(self, path: str, headers, body: bytes) -> bytes:
        ctype = headers.get("Content-Type", "")
        if not ctype.startswith("multipart/form-data") or "boundary=" not in ctype:
            self.problems.append(f"{path}: Content-Type {ctype!r} is not multipart/form-data")
            return b""
        boundary = ctype.split("boundary=", 1)[1].strip('"').encode()
        fields = {}
        for chunk in body.split(b"--" + boundary)[1:-1]:
            head, _, data = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
            disposition = next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-disposition"))
            name = disposition.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
            if b'filename="' not in disposition:
                self.problems.append(f"{path}: part {name} has no filename")
            fields[name] = data
        if list(fields) != ["media"]:
            self.problems.append(f"{path}: multipart fields {list(fields)}, expected ['media']")
        return fields.get("media", b"")

    def check_token_request(self, headers, body: bytes) -> dict:
        data = self.json_body("/cgi-bin/stable_token", headers, body)
        self.token_requests.append(data)
        expected = {"grant_type": "client_credential", "appid": data.get("appid"), "secret": SECRET}
        if {k: data.get(k) for k in expected} != expected or data.get("appid") not in self.appids:
            self.problems.append(f"stable_token: wrong body {data}")
        if set(data) - {"grant_type", "appid", "secret", "force_refresh"}:
            self.problems.append(f"stable_token: unknown fields {set(data)}")
        return data

    def stable_token(self, query, headers, body) -> dict:
        if "access_token" in query:
            self.problems.append("stable_token: must not send an access_token")
        self.check_token_request(headers, body)
        self.token = f"TOKEN-{len(self.token_requests)}"
        return {"access_token": self.token, "expires_in": 7200}

    def uploadimg(self, query, headers, body) -> dict:
        data = self.media_part("uploadimg", headers, body)
        if not data.startswith(JPEG_OR_PNG):
            self.problems.append("uploadimg: media is not JPEG/PNG")
        if len(data) >= 1_000_000:
            self.problems.append(f"uploadimg: {len(data)} bytes, must be < 1 MB")
        self.uploads += 1
        return {"url": f"http://mmbiz.qpic.cn/mmbiz_jpg/fake{self.uploads}/0?wx_fmt=jpeg"}

    def add_material(self, query, headers, body) -> dict:
        if query.get("type") != "image":
            self.problems.append(f"add_material: type={query.get('type')!r}, expected image")
        data = self.media_part("add_material", headers, body)
        if not data.startswith(b"\xff\xd8\xff") or len(data) > 10 * 1024 * 1024:
            self.problems.append("add_material: cover is not a JPEG ≤ 10 MB")
        self.covers += 1
        return {"media_id": "MEDIA-COVER", "url": "http://mmbiz.qpic.cn/mmbiz_jpg/cover/0?wx_fmt=jpeg"}

    def draft_add(self, query, headers, body) -> dict:
        data = self.json_body("draft/add", headers, body)
        articles = data.get("articles") or []
        if set(data) != {"articles"} or len(articles) != 1:
            self.problems.append(f"draft/add: expected one article, got {data!r:.200}")
            return {"errcode": 44003, "errmsg": "empty news data"}
        self.check_article("draft/add", articles[0], body)
        self.drafts.append(articles[0])
        media_id = f"DRAFT-{len(self.drafts)}"
        self.box[media_id] = articles[0]
        return {"media_id": media_id}

    def draft_get(self, query, headers, body) -> dict:
        data = self.json_body("draft/get", headers, body)
        if set(data) != {"media_id"}:
            self.problems.append(f"draft/get: body {data}")
        if data.get("media_id") not in self.box:
            return {"errcode": 40007, "errmsg": "invalid media_id"}
        return {"news_item": [self.box[data["media_id"]]]}

    def draft_update(self, query, headers, body) -> dict:
        data = self.json_body("draft/update", headers, body)
        if set(data) != {"media_id", "index", "articles"} or data.get("index") != 0 \
                or not isinstance(data.get("articles"), dict):
            self.problems.append(f"draft/update: body {data!r:.200}")  # articles is one object here
            return {"errcode": 40035, "errmsg": "invalid parameter"}
        if data["media_id"] not in self.box:
            return {"errcode": 40007, "errmsg": "invalid media_id"}
        self.check_article("draft/update", data["articles"], body)
        self.updates.append(data)
        self.box[data["media_id"]] = data["articles"]
        return {"errcode": 0, "errmsg": "ok"}

    def check_article(self, where: str, article: dict, body: bytes) -> None:
        if b"\\u" in body:
            self.problems.append(f"{where}: Chinese sent as \\u escapes, not UTF-8")
        expected = {"title", "author", "digest", "content", "content_source_url", "thumb_media_id",
                    "need_open_comment", "only_fans_can_comment", "pic_crop_235_1", "pic_crop_1_1"}
        if set(article) != expected:
            self.problems.append(f"{where}: fields {sorted(article)}")
        for crop in ("pic_crop_235_1", "pic_crop_1_1"):
            corners = [float(v) for v in str(article.get(crop, "")).split("_") if v]
            if len(corners) != 4 or not (0 <= corners[0] < corners[2] <= 1 and 0 <= corners[1] < corners[3] <= 1):
                self.problems.append(f"{where}: {crop}={article.get(crop)!r} is not X1_Y1_X2_Y2 within (0,0)…(1,1)")
        if not 0 < len(article.get("title", "")) <= 32:
            self.problems.append("draft/add: title must be 1–32 characters")
        if len(article.get("author", "")) > 16 or len(article.get("digest", "")) > 120:
            self.problems.append("draft/add: author or digest too long")
        content = article.get("content", "")
        if not content or len(content.encode("utf-8")) >= 1_000_000:
            self.problems.append("draft/add: content empty or ≥ 1 MB")
        if "pufa.example.cn/wechat/" in content:
            self.problems.append("draft/add: content still points at the site's own images")
        if article.get("thumb_media_id") != "MEDIA-COVER":
            self.problems.append("draft/add: thumb_media_id is not the uploaded cover")
        if (article.get("need_open_comment"), article.get("only_fans_can_comment")) != (0, 0):
            self.problems.append("draft/add: comment flags must be 0")
        if not str(article.get("content_source_url", "")).startswith("https://"):
            self.problems.append("draft/add: content_source_url must be the https page URL")


@pytest.fixture
def wechat():
    fake = FakeWeChat()
    yield fake
    fake.close()


@pytest.fixture
def session():
    with requests.Session() as s:
        s.trust_env = False  # no proxy from the environment for 127.0.0.1
        yield s


def png(color, size=(600, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wechat")
    html = (
        f"<h1>{TITLE}</h1><p>正文第一段，<a href='https://flk.npc.gov.cn/'>国家法律法规数据库</a>。</p>"
        "<p><img src='a.png' alt='图一'></p><p><img src='b.png' alt='图二'></p>"
    )
    build_bundle(
        out, slug="fanzha", title=TITLE, author="枣阳市司法局", digest="十个问题讲清反诈法。",
        page_url=PAGE, site_url=SITE, html=html,
        images={"a.png": png((200, 30, 30)), "b.png": png((30, 30, 200))}, cover_title=TITLE,
    )
    return out / "fanzha"


@pytest.fixture
def bundle(built, tmp_path) -> Path:
    copy = tmp_path / "fanzha"
    shutil.copytree(built, copy)
    return copy


class Waits(list):
    """Stands in for time.sleep: records each pause instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def push(bundle: Path, wechat: FakeWeChat, session, **kwargs):
    options = dict(appid=APPID, secret=SECRET, api_base=wechat.base, session=session, sleep=Waits())
    options.update(kwargs)
    return push_draft(bundle, **options)


def edit_meta(bundle: Path, **changes) -> None:
    path = bundle / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(changes)
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


# --- success ----------------------------------------------------------------------------------


def test_push_creates_one_draft(bundle, wechat, session):
    draft = push(bundle, wechat, session)
    assert wechat.problems == []
    assert draft.media_id == "DRAFT-1" and draft.thumb_media_id == "MEDIA-COVER"
    assert wechat.calls == ["/cgi-bin/stable_token", "/cgi-bin/media/uploadimg", "/cgi-bin/media/uploadimg",
                            "/cgi-bin/material/add_material", "/cgi-bin/draft/add"]
    assert len(wechat.token_requests) == 1 and "force_refresh" not in wechat.token_requests[0]
    article = wechat.drafts[0]
    assert article["title"] == TITLE and article["author"] == "枣阳市司法局"
    assert article["content_source_url"] == PAGE
    assert article["content"] == _expected_content(bundle, draft.image_urls)
    assert sorted(draft.image_urls.values()) == [
        "https://mmbiz.qpic.cn/mmbiz_jpg/fake1/0?wx_fmt=jpeg",
        "https://mmbiz.qpic.cn/mmbiz_jpg/fake2/0?wx_fmt=jpeg",
    ]
    assert "http://mmbiz" not in article["content"]
    assert "[1] 国家法律法规数据库：https://flk.npc.gov.cn/" in article["content"]


def _expected_content(bundle: Path, uploaded: dict) -> str:
    meta = json.loads((bundle / "meta.json").read_text(encoding="utf-8"))
    content = read_article(bundle).strip()
    for image in meta["images"]:
        content = content.replace(f'src="{image["url"]}"', f'src="{uploaded[image["file"]]}"')
    return content


def test_expired_token_is_refreshed_exactly_once(bundle, wechat, session):
    wechat.errors["/cgi-bin/draft/add"] = [(42001, "access_token expired rid: 1")]
    draft = push(bundle, wechat, session)
    assert wechat.problems == []
    assert draft.media_id == "DRAFT-1"
    assert len(wechat.token_requests) == 2 and wechat.token_requests[1].get("force_refresh") is True
    assert wechat.calls.count("/cgi-bin/draft/add") == 2


def test_invalid_token_during_upload_is_refreshed(bundle, wechat, session):
    wechat.errors["/cgi-bin/media/uploadimg"] = [(40001, "invalid credential, access_token is invalid")]
    push(bundle, wechat, session)
    assert wechat.problems == []
    assert len(wechat.token_requests) == 2


def test_token_failing_twice_stops_after_one_refresh(bundle, wechat, session):
    wechat.errors["/cgi-bin/draft/add"] = [(42001, "access_token expired"), (42001, "access_token expired")]
    with pytest.raises(WeChatError) as caught:
        push(bundle, wechat, session)
    assert caught.value.code == 42001
    assert "重新获取一次后仍然失败" in caught.value.message
    assert len(wechat.token_requests) == 2
    assert wechat.calls.count("/cgi-bin/draft/add") == 2


def test_one_refresh_per_push_even_across_calls(bundle, wechat, session):
    wechat.errors["/cgi-bin/media/uploadimg"] = [(40001, "invalid credential")]
    wechat.errors["/cgi-bin/draft/add"] = [(42001, "access_token expired")]
    with pytest.raises(WeChatError) as caught:
        push(bundle, wechat, session)
    assert caught.value.code == 42001
    assert len(wechat.token_requests) == 2


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "code", "errmsg", "expected"),
    [
        ("/cgi-bin/stable_token", 40164,
         "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 6543",
         ["203.0.113.7", "IP 白名单", "设置与开发 → 基本配置 → IP白名单"]),
        ("/cgi-bin/draft/add", 48001, "api unauthorized rid: 1", ["接口未授权", "认证", "复制到公众号"]),
        ("/cgi-bin/draft/add", 40007, "invalid media_id", ["封面素材无效", "永久素材"]),
        ("/cgi-bin/draft/add", 45003, "title size out of limit", ["标题过长", "32 字", f"当前 {len(TITLE)} 字"]),
        ("/cgi-bin/draft/add", 45004, "description size out of limit", ["摘要过长", "120 字"]),
        ("/cgi-bin/draft/add", 44003, "empty news data", ["图文内容为空"]),
        ("/cgi-bin/media/uploadimg", 40005, "invalid file type", ["文件类型无效", "JPG 或 PNG", ".png"]),
        ("/cgi-bin/media/uploadimg", 40009, "invalid image size", ["图片太大", "1 MB"]),
        ("/cgi-bin/material/add_material", -1, "system error", ["系统繁忙", "重试了几次"]),
        ("/cgi-bin/media/uploadimg", 45011, "api minute-quota reach limit", ["调用太频繁", "过一两分钟"]),
        ("/cgi-bin/draft/add", 45002, "content size out of limit", ["正文超过公众号的长度限制", "字节", "拆分"]),
        ("/cgi-bin/draft/add", 48004, "api forbidden for irregularities", ["接口已被封禁", "公众平台"]),
        ("/cgi-bin/stable_token", 40125, "invalid appsecret", ["AppSecret 无效", "PUFA_WECHAT_SECRET"]),
        ("/cgi-bin/draft/add", 99999, "something new", ["99999", "something new"]),
    ],
)
def test_errors_have_clear_chinese_messages(bundle, wechat, session, path, code, errmsg, expected):
    wechat.errors[path] = [(code, errmsg)] * (len(push_module.RETRY_DELAYS) + 1)  # outlasts the retries
    with pytest.raises(WeChatError) as caught:
        push(bundle, wechat, session)
    error = caught.value
    assert error.code == code and error.errmsg == errmsg and str(error) == error.message
    for words in expected:
        assert words in error.message, words
    assert wechat.problems == []
    assert len(wechat.drafts) == 0
    assert len(wechat.token_requests) == 1  # no refresh for errors that are not about the token


def test_network_error_is_explained_without_leaking_the_token(bundle, session):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits = Waits()
    with pytest.raises(WeChatError) as caught:
        push_draft(bundle, appid=APPID, secret=SECRET, api_base=f"http://127.0.0.1:{port}", session=session,
                   sleep=waits)
    assert caught.value.code is None
    assert "无法连接微信接口" in caught.value.message and SECRET not in caught.value.message
    assert waits == list(push_module.RETRY_DELAYS)  # a dropped connection is retried, with growing pauses


# --- local checks: nothing is sent --------------------------------------------------------------


def test_limits_are_checked_before_any_request(bundle, wechat, session):
    edit_meta(bundle, title="标" * 33, digest="摘" * 121)
    with pytest.raises(WeChatError) as caught:
        push(bundle, wechat, session)
    assert caught.value.code is None
    assert "没有向微信发送任何请求" in caught.value.message
    assert "标题 33 字" in caught.value.message and "摘要 121 字" in caught.value.message
    assert wechat.calls == []


def test_images_outside_the_bundle_are_refused_locally(bundle, wechat, session):
    article = bundle / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "</section>", '<img src="https://elsewhere.example/x.jpg" alt="x"></section>', 1), encoding="utf-8")
    assert "elsewhere.example" in read_article(bundle)
    with pytest.raises(WeChatError, match="不在素材包里"):
        push(bundle, wechat, session)
    assert wechat.calls == []


def test_oversized_body_image_is_refused_locally(bundle, wechat, session):
    meta = json.loads((bundle / "meta.json").read_text(encoding="utf-8"))
    (bundle / meta["images"][0]["file"]).write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 1_000_000)
    with pytest.raises(WeChatError, match="必须小于 1 MB"):
        push(bundle, wechat, session)
    assert wechat.calls == []


def test_missing_credentials(bundle, wechat, session):
    with pytest.raises(WeChatError, match="PUFA_WECHAT_APPID"):
        push(bundle, wechat, session, appid="", secret="")
    assert wechat.calls == []


def test_no_publishing_or_mass_sending_code():
    package = Path(pufa.wechat.__file__).parent
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for word in ("freepublish", "sendall", "mass/send", "mass/preview"):
            assert word not in text, f"{source.name} mentions {word}"


# --- repeated pushes ------------------------------------------------------------------------------


def test_second_push_uploads_nothing_and_updates_the_first_draft(bundle, wechat, session, tmp_path):
    state = tmp_path / ".pufa" / "wechat-state.json"
    first = push(bundle, wechat, session, state_file=state)
    assert (first.media_id, first.updated, first.uploads) == ("DRAFT-1", False, 3)
    calls_before = len(wechat.calls)
    second = push(bundle, wechat, session, state_file=state)
    assert wechat.problems == []
    assert (second.media_id, second.updated, second.uploads) == ("DRAFT-1", True, 0)
    assert wechat.calls[calls_before:] == ["/cgi-bin/stable_token", "/cgi-bin/draft/get", "/cgi-bin/draft/update"]
    assert (wechat.uploads, wechat.covers, len(wechat.drafts)) == (2, 1, 1)  # nothing new in the 素材库 or 草稿箱
    assert wechat.updates[0]["articles"] == wechat.drafts[0]  # same article, same uploaded images
    assert second.image_urls == first.image_urls
    saved = json.loads(state.read_text(encoding="utf-8"))
    entry = saved["accounts"][APPID]["fanzha"]
    assert entry["draft"] == {"media_id": "DRAFT-1"} and entry["cover"]["media_id"] == "MEDIA-COVER"
    assert sorted(entry["images"].values()) == sorted(first.image_urls.values())
    assert SECRET not in state.read_text(encoding="utf-8") and "TOKEN" not in state.read_text(encoding="utf-8")


def test_the_state_is_kept_per_account(bundle, wechat, session, tmp_path):
    state = tmp_path / "state.json"
    wechat.appids.add("wx9999999999999999")
    push(bundle, wechat, session, state_file=state)
    other = push(bundle, wechat, session, state_file=state, appid="wx9999999999999999")
    assert wechat.problems == []
    assert other.uploads == 3 and not other.updated  # another 公众号 has none of these files


def test_only_a_changed_image_is_uploaded_again(bundle, wechat, session, tmp_path):
    state = tmp_path / "state.json"
    push(bundle, wechat, session, state_file=state)
    meta = json.loads((bundle / "meta.json").read_text(encoding="utf-8"))
    (bundle / meta["images"][0]["file"]).write_bytes(png((10, 150, 10)))
    again = push(bundle, wechat, session, state_file=state)
    assert wechat.problems == []
    assert (again.uploads, wechat.uploads, wechat.covers, again.updated) == (1, 3, 1, True)


def test_a_published_or_deleted_draft_is_replaced_by_a_new_one(bundle, wechat, session, tmp_path):
    state = tmp_path / "state.json"
    push(bundle, wechat, session, state_file=state)
    wechat.box.clear()  # an editor published it (or deleted it): it left the 草稿箱
    again = push(bundle, wechat, session, state_file=state)
    assert wechat.problems == []
    assert (again.media_id, again.updated, again.uploads) == ("DRAFT-2", False, 0)
    assert wechat.updates == []
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["accounts"][APPID]["fanzha"]["draft"] == {"media_id": "DRAFT-2"}


def test_a_cover_deleted_from_the_library_is_uploaded_again(bundle, wechat, session, tmp_path):
    state = tmp_path / "state.json"
    push(bundle, wechat, session, state_file=state)
    wechat.errors["/cgi-bin/draft/update"] = [(40007, "invalid media_id")]
    again = push(bundle, wechat, session, state_file=state)
    assert wechat.problems == []
    assert (again.updated, again.uploads, wechat.covers) == (True, 1, 2)


def test_without_a_state_file_every_push_starts_afresh(bundle, wechat, session):
    push(bundle, wechat, session)
    push(bundle, wechat, session)
    assert (wechat.uploads, wechat.covers, len(wechat.drafts)) == (4, 2, 2)


def test_the_computed_crops_are_sent(bundle, wechat, session):
    push(bundle, wechat, session)
    article = wechat.drafts[0]
    assert (article["pic_crop_235_1"], article["pic_crop_1_1"]) == ("0_0_1_1", "0.287222_0_0.712778_1")


# --- retries ----------------------------------------------------------------------------------------


def test_busy_and_quota_errors_are_retried_with_growing_pauses(bundle, wechat, session):
    wechat.errors["/cgi-bin/media/uploadimg"] = [(-1, "system error"), (45011, "api minute-quota reach limit")]
    waits = Waits()
    draft = push(bundle, wechat, session, sleep=waits)
    assert wechat.problems == [] and draft.media_id == "DRAFT-1"
    assert waits == list(push_module.RETRY_DELAYS[:2]) and waits[0] < waits[1]
    assert wechat.calls.count("/cgi-bin/media/uploadimg") == 4  # two failures, then both images
    assert len(wechat.token_requests) == 1


def test_a_timeout_is_retried(bundle, wechat, session, monkeypatch):
    monkeypatch.setattr(push_module, "TIMEOUT", 0.5)
    wechat.delays["/cgi-bin/material/add_material"] = [1.5]  # the first answer comes too late
    waits = Waits()
    draft = push(bundle, wechat, session, sleep=waits)
    assert draft.media_id == "DRAFT-1" and waits == [push_module.RETRY_DELAYS[0]]
    assert wechat.calls.count("/cgi-bin/material/add_material") == 2


def test_a_timeout_creating_the_draft_is_not_sent_twice(bundle, wechat, session, monkeypatch):
    """No answer to draft/add may still mean a new draft: a second one would be a duplicate."""
    monkeypatch.setattr(push_module, "TIMEOUT", 0.5)
    wechat.delays["/cgi-bin/draft/add"] = [1.5]
    with pytest.raises(WeChatError, match="草稿可能已经建好"):
        push(bundle, wechat, session)
    assert wechat.calls.count("/cgi-bin/draft/add") == 1


def test_a_timeout_that_persists_is_explained(bundle, wechat, session, monkeypatch):
    monkeypatch.setattr(push_module, "TIMEOUT", 0.2)
    wechat.delays["/cgi-bin/stable_token"] = [0.6] * 4
    with pytest.raises(WeChatError) as caught:
        push(bundle, wechat, session)
    assert "超时" in caught.value.message and "TOKEN" not in caught.value.message


# --- dry run and the command line ---------------------------------------------------------------


def test_dry_run_says_what_would_be_sent_and_sends_nothing(built, tmp_path, monkeypatch, capsys, wechat):
    site = tmp_path / "site"
    shutil.copytree(built, site / "wechat" / "fanzha")
    monkeypatch.setenv("PUFA_WECHAT_API_BASE", wechat.base)
    monkeypatch.delenv("PUFA_WECHAT_APPID", raising=False)
    monkeypatch.delenv("PUFA_WECHAT_SECRET", raising=False)
    state = tmp_path / "state.json"
    assert main(["wechat", "push", "fanzha", "-d", str(site), "--state-file", str(state), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert wechat.calls == [] and not state.exists()
    for words in ("不会向微信发送任何请求", TITLE, "原文链接（阅读原文）：" + PAGE, "上传 2 张",
                  "上传 cover.jpg", "0.287222_0_0.712778_1", "新建一篇草稿"):
        assert words in out, words


def test_command_line_push_twice(built, tmp_path, monkeypatch, capsys, wechat):
    site = tmp_path / "site"
    shutil.copytree(built, site / "wechat" / "fanzha")
    for name, value in (("PUFA_WECHAT_APPID", APPID), ("PUFA_WECHAT_SECRET", SECRET),
                        ("PUFA_WECHAT_API_BASE", wechat.base)):
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # the state file goes to .pufa/ under --root (here: the current folder)
    assert main(["wechat", "push", "fanzha", "-d", str(site)]) == 0
    assert "已放入公众号草稿箱（media_id：DRAFT-1，本次上传 3 个文件）" in capsys.readouterr().out
    assert (tmp_path / ".pufa" / "wechat-state.json").is_file()
    assert main(["wechat", "push", "fanzha", "-d", str(site), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "上传 0 张" in out and "沿用已上传的永久素材 MEDIA-COVER" in out and "更新草稿 DRAFT-1" in out
    assert main(["wechat", "push", "fanzha", "-d", str(site)]) == 0
    assert "已更新草稿箱里的原草稿（media_id：DRAFT-1，本次上传 0 个文件）" in capsys.readouterr().out
    assert wechat.problems == [] and len(wechat.drafts) == 1


def test_a_placeholder_address_is_warned_before_pushing(bundle, tmp_path):
    edit_meta(bundle, content_source_url="https://pufa.zaoyang.example/laws/fanzha/")
    plan = plan_push(bundle)
    assert "pufa.zaoyang.example" in plan.warnings[0] and "阅读原文" in plan.warnings[0]
    assert "注意：site_url 的域名 pufa.zaoyang.example" in plan.describe()
