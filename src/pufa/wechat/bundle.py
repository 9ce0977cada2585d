"""A WeChat-ready bundle per page: everything an editor or `push_draft` needs to make a 草稿.

WeChat imports no feed, so each law topic and event page gets a folder:

    <out_dir>/<slug>/article.html   a small valid HTML page whose <body> is the 正文 exactly as
                                    pasted or sent to draft/add (`read_article` returns it)
                     meta.json      title, author, digest, 阅读原文, cover files, images, warnings
                     cover.jpg      900×383 cover; thumb.jpg its 1:1 square (≤ 64 KB)
                     <name>-<hash>.jpg|png   body-image copies (JPEG/PNG < 1 MB)
                     index.html     preview in a phone-width column with a “复制到公众号” button

The body images are referenced by absolute URL (`bundle_url` + file name): the 公众号 editor fetches
pasted images from the public site, and `push_draft` swaps them for uploaded mmbiz URLs.
"""

from __future__ import annotations

import hashlib
import html as htmlmod
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from string import Template
from urllib.parse import urljoin, urlsplit

import lxml.html

from pufa import urls
from pufa.cache import ContentCache
from pufa.wechat.article import ArticleHtml, to_wechat_html
from pufa.wechat.cover import cover_crops, cover_from_photo, draw_cover, missing_glyphs, thumb_from_cover
from pufa.wechat.golive import site_url_problem
from pufa.wechat.images import BodyImage, ImageError, prepare_body_image
from pufa.wechat.limits import check_limits

ARTICLE_FILE = "article.html"
META_FILE = "meta.json"
COVER_FILE = "cover.jpg"
THUMB_FILE = "thumb.jpg"
PREVIEW_FILE = "index.html"
INDEX_FILE = "index.json"
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def build_bundle(
    out_dir: str | Path,
    *,
    slug: str,
    title: str,
    author: str,
    digest: str,
    page_url: str,
    site_url: str,
    html: str,
    images: Mapping[str, bytes | str | Path],
    cover_title: str,
    cover_subtitle: str = "",
    cover_image: bytes | str | Path | None = None,
    bundle_url: str | None = None,
    css: str | None = None,
    cache_dir: str | Path | None = None,
    source_url: str = "",
) -> dict:
    """Write `<out_dir>/<slug>/` and return its meta (the content of meta.json).

    `page_url` is the canonical page (absolute, or relative to `site_url`); it becomes 阅读原文.
    `images` maps an image `src` as written in `html` (or its absolute URL) to the file's bytes or
    path. `bundle_url` is where the folder is published; by default `<site_url>wechat/<slug>/`.
    `cover_image`, when given, is cropped to 900×383 instead of drawing a title cover.
    `cache_dir` keeps drawn covers and converted images by content, so a rebuild redraws nothing
    that did not change. `source_url` (an event's 信息来源) is kept among the article's references.
    """
    cached = _cache(cache_dir)
    if not SLUG.match(slug) or ".." in slug:
        raise ValueError(f"素材包名称“{slug}”无效：只能用字母、数字、点、下划线和连字符。")
    folder = Path(out_dir) / slug
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        if stale.is_file():
            stale.unlink()
    page_url = urljoin(site_url, page_url)
    base = bundle_url or urljoin(site_url, urls.wechat(slug))
    warnings: list[str] = []

    copies: dict[str, tuple[str, BodyImage]] = {}
    for src in _image_sources(html):
        source = _lookup(images, src, page_url)
        if source is None:
            warnings.append(f"图片“{src}”没有找到文件，公众号里将无法显示。")
            continue
        try:
            data = _read(source)
            body = _body_image(cached(("image", src, hashlib.sha256(data).hexdigest()),
                                      lambda: prepare_body_image(data, name=src).data))
        except ImageError as exc:
            warnings.append(str(exc))
            continue
        copies[src] = (_image_file_name(src, body), body)

    article = to_wechat_html(
        html, page_url=page_url, site_url=site_url, css=css,
        image_urls={src: base + name for src, (name, _) in copies.items()}, source_url=source_url,
    )

    if cover_image is not None:
        photo = _read(cover_image)
        cover = cached(("photo", hashlib.sha256(photo).hexdigest()), lambda: cover_from_photo(photo))
    else:
        cover = cached(("cover", cover_title or title, cover_subtitle),
                       lambda: draw_cover(cover_title or title, subtitle=cover_subtitle))
    thumb = cached(("thumb", hashlib.sha256(cover).hexdigest()), lambda: thumb_from_cover(cover))
    if cover_image is None:
        lost = missing_glyphs(f"{cover_title or title}{cover_subtitle}")
        if lost:
            warnings.append(f"封面文字中的“{''.join(lost)}”不在内置字体里，会显示为方框，请换一种写法。")

    meta = {
        "slug": slug,
        "title": title,
        "author": author,
        "digest": digest,
        "content_source_url": page_url,
        "content": ARTICLE_FILE,
        "cover": COVER_FILE,
        "crops": cover_crops(cover),
        "thumb": THUMB_FILE,
        "preview": PREVIEW_FILE,
        "bundle_url": base,
        "images": [
            {
                "file": name,
                "url": base + name,
                "src": src,
                "alt": next((i.alt for i in article.images if i.src == src), ""),
                "width": body.width,
                "height": body.height,
                "bytes": len(body.data),
                "sha256": hashlib.sha256(body.data).hexdigest(),
            }
            for src, (name, body) in sorted(copies.items(), key=lambda item: item[1][0])
        ],
        "references": [{"number": r.number, "title": r.title, "url": r.url} for r in article.references],
    }
    meta["warnings"] = warnings + check_limits(meta, article)
    meta["site_url_problem"] = site_url_problem(site_url) or ""

    for name, body in copies.values():
        (folder / name).write_bytes(body.data)
    (folder / COVER_FILE).write_bytes(cover)
    (folder / THUMB_FILE).write_bytes(thumb)
    (folder / ARTICLE_FILE).write_text(article_document(title, article.html), encoding="utf-8")
    (folder / META_FILE).write_text(_json(meta), encoding="utf-8")
    (folder / PREVIEW_FILE).write_text(render_preview(meta, article), encoding="utf-8")
    return meta


def write_index(out_dir: str | Path, bundles: Iterable[Mapping]) -> Path:
    """`<out_dir>/index.json`: every bundle, sorted by slug, for scripts and automation tools."""
    entries = [
        {
            "slug": b["slug"],
            "title": b["title"],
            "author": b.get("author", ""),
            "digest": b.get("digest", ""),
            "content_source_url": b.get("content_source_url", ""),
            "path": f"{b['slug']}/",
            "meta": f"{b['slug']}/{META_FILE}",
            "content": f"{b['slug']}/{ARTICLE_FILE}",
            "cover": f"{b['slug']}/{COVER_FILE}",
            "thumb": f"{b['slug']}/{THUMB_FILE}",
            "preview": f"{b['slug']}/{PREVIEW_FILE}",
            "warnings": list(b.get("warnings", [])),
        }
        for b in sorted(bundles, key=lambda b: b["slug"])
    ]
    path = Path(out_dir) / INDEX_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_json({"bundles": entries}), encoding="utf-8")
    return path


def article_document(title: str, fragment: str) -> str:
    """article.html: a complete, valid page around the fragment, so it opens and validates on its
    own; the fragment sits between `<body>` and `</body>` byte for byte."""
    return ARTICLE_PAGE.format(title=htmlmod.escape(title)) + fragment + ARTICLE_END


def read_article(bundle_dir: str | Path) -> str:
    """The 正文 fragment of a bundle: exactly what the preview copies and `push_draft` sends."""
    document = (Path(bundle_dir) / ARTICLE_FILE).read_text(encoding="utf-8")
    start, end = document.find(BODY_START), document.rfind(ARTICLE_END)
    if start < 0 or end < start:
        raise ValueError(f"{ARTICLE_FILE} 不是 pufa 生成的文件：找不到正文的开始和结束标记，请重新构建网站。")
    return document[start + len(BODY_START):end]


BODY_START = "<body>\n"
ARTICLE_END = "\n</body>\n</html>\n"
ARTICLE_PAGE = (
    '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="robots" content="noindex">\n<title>{title}</title>\n</head>\n' + BODY_START
)


def site_images(html: str, *, page_url: str, site_url: str, site_dir: str | Path) -> dict[str, Path]:
    """Map each image `src` in `html` to its file in the built site, for `build_bundle(images=…)`.

    Images on other hosts, or missing from `site_dir`, are left out (the bundle then warns).
    """
    page_url = urljoin(site_url, page_url)
    site_path = urlsplit(site_url).path or "/"
    found: dict[str, Path] = {}
    for src in _image_sources(html):
        target = urlsplit(urljoin(page_url, src))
        if f"{target.scheme}://{target.netloc}" != f"{urlsplit(site_url).scheme}://{urlsplit(site_url).netloc}":
            continue
        if not target.path.startswith(site_path):
            continue
        # Resolved as a browser and a file server would (decoded, dot segments, backslashes), and never
        # outside the built site: a crafted src cannot pull in any other file of the build machine.
        route = urls.resolve("", target.path[len(site_path):])
        path = Path(site_dir, route) if route else None
        if path is not None and path.is_file() and Path(site_dir).resolve() in path.resolve().parents:
            found[src] = path
    return found


# --- helpers --------------------------------------------------------------------------------


CACHE_VERSION = "2"  # bump when drawing or conversion changes, so cached covers are redrawn


def _cache(cache_dir):
    """A function (key, make) → bytes that keeps what `make` returned, by the key's hash (pufa.cache)."""
    store = ContentCache(cache_dir, CACHE_VERSION)
    return lambda key, make: store.get_or_make(tuple(repr(part) for part in key), make)


def _body_image(data: bytes) -> BodyImage:
    """A BodyImage from the bytes prepare_body_image wrote (JPEG or PNG), reading only the header."""
    import io
    from PIL import Image
    with Image.open(io.BytesIO(data)) as im:
        return BodyImage(data, "jpeg" if im.format == "JPEG" else "png", im.width, im.height)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _image_sources(html: str) -> list[str]:
    root = lxml.html.fragment_fromstring(html or "", create_parent="div")
    found: list[str] = []
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        if src and not src.startswith("data:") and src not in found:
            found.append(src)
    return found


def _lookup(images: Mapping[str, bytes | str | Path], src: str, page_url: str):
    for key in (src, urljoin(page_url, src), src.removeprefix("./")):
        if key in images:
            return images[key]
    return None


def _read(source: bytes | str | Path) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _image_file_name(src: str, body: BodyImage) -> str:
    stem = Path(urlsplit(src).path).stem.lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:40] or "image"
    return f"{stem}-{hashlib.sha256(body.data).hexdigest()[:10]}.{body.extension}"


# --- preview page ---------------------------------------------------------------------------


def render_preview(meta: Mapping, article: ArticleHtml) -> str:
    """A standalone page (no external requests, works from a file) to check and copy the article."""
    esc = htmlmod.escape
    warnings = meta.get("warnings") or []
    warning_items = "".join(f"<li>{esc(w)}</li>" for w in warnings) or "<li>未发现问题。</li>"
    problem = meta.get("site_url_problem") or ""
    golive = f'<p class="golive"><strong>网站地址还不能用于公众号：</strong>{esc(problem)}</p>\n' if problem else ""
    return PREVIEW.substitute(
        golive=golive,
        title=esc(meta["title"]),
        author=esc(meta.get("author") or ""),
        digest=esc(meta.get("digest") or ""),
        source=esc(meta.get("content_source_url") or ""),
        cover=COVER_FILE,
        thumb=THUMB_FILE,
        warning_class="warn" if warnings else "ok",
        warnings=warning_items,
        preview=_local_preview(article.html, meta.get("bundle_url", "")),
        article=article.html,
    )


def _local_preview(html: str, base: str) -> str:
    # The preview shows the bundle's own image files and fetches nothing from elsewhere.
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for img in list(root.iter("img")):
        src = img.get("src", "")
        if base and src.startswith(base):
            img.set("src", src[len(base):])
        else:
            note = lxml.html.Element("span")
            note.text = f"［图片：{img.get('alt') or '无法预览'}］"
            note.tail = img.tail
            img.getparent().replace(img, note)
    for a in root.iter("a"):
        a.attrib.pop("href", None)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


PREVIEW = Template("""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>公众号预览：$title</title>
<style>
body{margin:0;background:#ededed;color:#333;font:15px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif}
.bar{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:center;padding:10px;background:#fff;border-bottom:1px solid #ddd}
.bar button{padding:7px 14px;border:1px solid #067a3e;border-radius:4px;background:#fff;color:#067a3e;font-size:15px;cursor:pointer}
.bar button.main{background:#067a3e;color:#fff}
.bar .status{flex-basis:100%;text-align:center;font-size:14px;color:#576b95;min-height:1.2em}
.column{box-sizing:border-box;max-width:677px;margin:16px auto;padding:20px 16px 32px;background:#fff}
.column h1{margin:0 0 10px;font-size:22px;line-height:1.4;font-weight:bold;color:#333}
.byline{margin:0 0 22px;font-size:15px;color:#576b95}
.facts{box-sizing:border-box;max-width:677px;margin:16px auto 40px;padding:16px;background:#fff;font-size:14px}
.facts h2{margin:18px 0 8px;font-size:16px}
.facts h2:first-child{margin-top:0}
.facts dt{font-weight:bold}
.facts dd{margin:0 0 8px;word-break:break-all}
.facts img{max-width:100%;height:auto;border:1px solid #ddd}
.facts .square{width:120px}
.golive{box-sizing:border-box;max-width:677px;margin:16px auto 0;padding:12px 16px;border-left:4px solid #b54708;background:#fff4e5;color:#7a2e0e}
.warn li{color:#b54708}
.ok li{color:#067647}
</style>
</head>
<body>
<div class="bar">
<button type="button" class="main" id="copy-article">复制到公众号</button>
<button type="button" data-copy="title">复制标题</button>
<button type="button" data-copy="digest">复制摘要</button>
<button type="button" data-copy="source">复制原文链接</button>
<div class="status" id="status" role="status" aria-live="polite"></div>
</div>
$golive<main class="column">
<h1 id="title">$title</h1>
<p class="byline">$author</p>
<div id="article">$preview</div>
</main>
<section class="facts">
<h2>检查结果</h2>
<ul class="$warning_class">$warnings</ul>
<h2>草稿信息</h2>
<dl>
<dt>标题</dt><dd>$title</dd>
<dt>作者</dt><dd>$author</dd>
<dt>摘要</dt><dd id="digest">$digest</dd>
<dt>原文链接</dt><dd id="source">$source</dd>
<dt>封面（900×383）</dt><dd><img src="$cover" alt="封面"></dd>
<dt>方形封面</dt><dd><img class="square" src="$thumb" alt="方形封面"></dd>
</dl>
<h2>怎样存入草稿箱</h2>
<ol>
<li>点击“复制到公众号”。</li>
<li>登录微信公众平台，在草稿箱中新建图文，把光标放在正文处粘贴。</li>
<li>用上面的按钮复制标题、摘要和原文链接，填入对应栏目；封面上传本目录的 cover.jpg。</li>
<li>保存为草稿，经审核后再由负责人发表或群发。</li>
</ol>
</section>
<template id="wechat-html">$article</template>
<script>
(function () {
  var status = document.getElementById("status");
  function say(text) { status.textContent = text; }

  function legacyCopy(html, text, node) {
    // Older browsers: select the preview and replace what the copy event puts on the clipboard.
    var selection = window.getSelection();
    var range = document.createRange();
    range.selectNodeContents(node);
    selection.removeAllRanges();
    selection.addRange(range);
    function onCopy(event) {
      event.clipboardData.setData("text/plain", text);
      if (html) { event.clipboardData.setData("text/html", html); }
      event.preventDefault();
    }
    document.addEventListener("copy", onCopy);
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    document.removeEventListener("copy", onCopy);
    return done ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function copy(html, text, node) {
    if (navigator.clipboard && window.ClipboardItem && window.isSecureContext) {
      var parts = { "text/plain": new Blob([text], { type: "text/plain" }) };
      if (html) { parts["text/html"] = new Blob([html], { type: "text/html" }); }
      return navigator.clipboard.write([new ClipboardItem(parts)]).catch(function () {
        return legacyCopy(html, text, node);
      });
    }
    return legacyCopy(html, text, node);
  }

  document.getElementById("copy-article").addEventListener("click", function () {
    var node = document.getElementById("article");
    var html = document.getElementById("wechat-html").innerHTML;
    copy(html, node.innerText, node).then(function () {
      say("已复制正文，请到公众号编辑器的正文处粘贴。");
    }, function () {
      say("自动复制失败：正文已选中，请按 Ctrl+C（苹果电脑按 ⌘+C）复制。");
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    button.addEventListener("click", function () {
      var node = document.getElementById(button.getAttribute("data-copy"));
      copy("", node.textContent, node).then(function () {
        say("已复制" + button.textContent.replace("复制", "") + "。");
      }, function () {
        say("自动复制失败：内容已选中，请按 Ctrl+C 复制。");
      });
    });
  });
})();
</script>
</body>
</html>
""")
