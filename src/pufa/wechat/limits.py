"""Check an article against the 公众号 limits before anyone pastes or pushes it.

Where sources disagree the stricter number is used (title 32, digest 120). Some limits are
uncertain in what they count: the title (32 characters in the API document, while tools report error
45003 above 64 bytes) and the content (20,000: characters or bytes, with or without the markup?). For
those both counts are measured and a warning names the one that is over; only what is certain (visible
text of 20,000 characters, 1 MB) stops a push.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html

from pufa.wechat.article import WECHAT_HOST, ArticleHtml

TITLE_MAX = 32
TITLE_BYTES = 64  # UTF-8; reported by tools as the 45003 threshold, unverified
AUTHOR_MAX = 16
DIGEST_MAX = 120
CONTENT_CHARS = 20_000  # content must stay below this
CONTENT_BYTES = 1_000_000  # and below 1 MB
SOURCE_URL_BYTES = 1024
LIST_DEPTH_MAX = 2
TABLE_COLUMNS_MAX = 4
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
BLACK = re.compile(r"color\s*:\s*(#000000|#000|black|rgb\(\s*0\s*,\s*0\s*,\s*0\s*\))\s*(;|$)", re.I)


@dataclass(frozen=True)
class Finding:
    message: str
    blocking: bool  # the API rejects it, so `push_draft` refuses to send
    field: str = ""  # the meta field at fault (title, author, digest, content_source_url); "" for the body


def check_limits(meta: Mapping[str, object], article_html: ArticleHtml | str) -> list[str]:
    """Chinese warnings, one per broken limit, naming the limit and the current value."""
    return [f.message for f in findings(meta, article_html)]


def blocking_problems(meta: Mapping[str, object], article_html: ArticleHtml | str) -> list[str]:
    """Only the limits the API enforces; anything here makes the draft request fail."""
    return [f.message for f in findings(meta, article_html) if f.blocking]


def findings(meta: Mapping[str, object], article_html: ArticleHtml | str) -> list[Finding]:
    html = article_html.html if isinstance(article_html, ArticleHtml) else article_html
    out: list[Finding] = []
    title = str(meta.get("title") or "")
    author = str(meta.get("author") or "")
    digest = str(meta.get("digest") or "")
    source = str(meta.get("content_source_url") or "")

    if not title.strip():
        out.append(Finding("缺少标题：公众号文章必须有标题。", True, "title"))
    if len(title) > TITLE_MAX:
        out.append(Finding(f"标题 {len(title)} 字，超过公众号上限 {TITLE_MAX} 字，请缩短。", True, "title"))
    elif len(title.encode("utf-8")) > TITLE_BYTES:
        out.append(Finding(
            f"标题 {len(title)} 字，按字节计为 {len(title.encode('utf-8'))} 字节（UTF-8，一个汉字 3 字节），超过 "
            f"{TITLE_BYTES} 字节：接口文档按字计（上限 {TITLE_MAX} 字），但有工具报告超过 {TITLE_BYTES} 字节时返回错误 "
            f"45003，微信实际按哪种计算尚未核实。存入草稿箱若报 45003，请把标题缩短到 {TITLE_BYTES // 3} 个汉字以内。",
            False, "title"))
    if len(author) > AUTHOR_MAX:
        out.append(Finding(f"作者 {len(author)} 字，超过公众号上限 {AUTHOR_MAX} 字。", True, "author"))
    if len(digest) > DIGEST_MAX:
        out.append(Finding(f"摘要 {len(digest)} 字，超过公众号上限 {DIGEST_MAX} 字，请缩短。", True, "digest"))
    if len(source.encode("utf-8")) > SOURCE_URL_BYTES:
        out.append(Finding("“阅读原文”链接超过 1 KB。", True, "content_source_url"))

    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    text = " ".join(root.text_content().split())
    if not text:
        out.append(Finding("正文为空：公众号不接受空白正文。", True))
    if len(text) >= CONTENT_CHARS:
        out.append(Finding(f"正文文字 {len(text)} 字，达到公众号上限（少于 {CONTENT_CHARS} 字），请拆分成多篇。", True))
    size = len(html.encode("utf-8"))
    over = [name for name, value in (("字符数", len(html)), ("字节数", size)) if value >= CONTENT_CHARS]
    if over:
        out.append(Finding(
            f"正文 HTML（含排版样式）共 {len(html)} 个字符、{size} 字节（UTF-8），其中{'和'.join(over)}达到 "
            f"{CONTENT_CHARS}：公众号正文上限是 {CONTENT_CHARS}，但官方没有说明按字符还是按字节计算、是否计入标签，"
            "所以两种都在这里提示。存入草稿箱后请核对正文末尾是否完整。", False))
    if size >= CONTENT_BYTES:
        out.append(Finding(f"正文 {size} 字节，达到公众号上限（小于 1 MB），请拆分或删减。", True))

    depth = article_html.list_depth if isinstance(article_html, ArticleHtml) else _list_depth(root)
    if depth > LIST_DEPTH_MAX:
        out.append(Finding(
            f"列表嵌套 {depth} 层，公众号最多显示 {LIST_DEPTH_MAX} 层，更深的层级会与第 2 层对齐。", False))
    columns = _max_columns(root)
    if columns > TABLE_COLUMNS_MAX:
        out.append(Finding(f"表格有 {columns} 列，超过 {TABLE_COLUMNS_MAX} 列，手机上需要横向滑动才能看全。", False))

    images = list(root.iter("img"))
    missing_alt = sum(1 for img in images if not (img.get("alt") or "").strip())
    if missing_alt:
        out.append(Finding(f"有 {missing_alt} 张图片没有替代文字（alt），图片说明会缺失。", False))
    odd = [img.get("src", "") for img in images
           if not urlsplit(img.get("src", "")).path.lower().endswith(IMAGE_SUFFIXES)]
    if odd:
        out.append(Finding(f"有 {len(odd)} 张图片不是 JPG/PNG（如 {odd[0]}），公众号正文不接受。", False))
    external = [a.get("href", "") for a in root.iter("a") if urlsplit(a.get("href", "")).hostname != WECHAT_HOST]
    if external:
        out.append(Finding(f"正文含 {len(external)} 个非微信链接（如 {external[0]}），公众号会拒绝或删除。", False))
    banned = sorted({el.tag for el in root.iter("script", "style", "iframe")})
    if banned:
        out.append(Finding(f"正文含 {'、'.join(banned)} 标签，公众号会删除。", False))
    styles = [el.get("style", "") for el in root.iter() if isinstance(el.tag, str)]
    if any(re.search(r"(^|;)\s*position\s*:", s, re.I) for s in styles):
        out.append(Finding("正文样式含 position 定位，公众号会删除，版式可能错乱。", False))
    if any(BLACK.search(s) for s in styles):
        out.append(Finding("正文含纯黑色（#000）文字颜色，公众号编辑器会吞掉该颜色。", False))
    if any(el.get("class") or el.get("id") for el in root.iter() if isinstance(el.tag, str)):
        out.append(Finding("正文含 class 或 id 属性，公众号会删除，依赖它们的样式会丢失。", False))
    return out


def _list_depth(root) -> int:
    return max((1 + sum(1 for _ in lst.iterancestors("ul", "ol")) for lst in root.iter("ul", "ol")), default=0)


def _max_columns(root) -> int:
    widest = 0
    for row in root.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        span = sum(int(c.get("colspan")) if (c.get("colspan") or "").isdigit() else 1 for c in cells)
        widest = max(widest, span)
    return widest
