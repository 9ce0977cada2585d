"""build_bundle / write_index: the per-page WeChat folder, its preview page and index.json."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from pufa.wechat.bundle import build_bundle, read_article, site_images, write_index

FIXTURE = Path(__file__).parent / "fixtures" / "wechat" / "article.html"
SITE = "https://pufa.example.cn/"
PAGE = SITE + "laws/fanzha/"
TITLE = "反电信网络诈骗法：十问十答"


def encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("docs")
    big = Image.frombytes("RGB", (1500, 1000), random.Random(11).randbytes(1500 * 1000 * 3))
    poster = folder / "poster.png"
    poster.write_bytes(encode(big, "PNG"))  # a path, > 1 MB
    flyer = encode(Image.linear_gradient("L").resize((700, 500)).convert("RGB"), "WEBP")  # bytes
    assert poster.stat().st_size > 1_000_000
    return {"images/poster.png": poster, PAGE + "images/flyer.webp": flyer}


def build(out: Path, sources: dict, **overrides) -> dict:
    options = dict(
        slug="fanzha", title=TITLE, author="枣阳市司法局", digest="十个问题讲清反电信网络诈骗法。",
        page_url=PAGE, site_url=SITE, html=FIXTURE.read_text(encoding="utf-8"), images=sources,
        cover_title=TITLE, cover_subtitle="枣阳市司法局",
    )
    options.update(overrides)
    return build_bundle(out, **options)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, sources):
    out = tmp_path_factory.mktemp("wechat")
    meta = build(out, sources)
    return out / "fanzha", meta


def test_bundle_files(bundle):
    folder, meta = bundle
    names = sorted(p.name for p in folder.iterdir())
    assert {"article.html", "meta.json", "cover.jpg", "thumb.jpg", "index.html"} <= set(names)
    assert len(names) == 7  # plus the two body images
    assert json.loads((folder / "meta.json").read_text(encoding="utf-8")) == meta


def test_meta_fields(bundle):
    _, meta = bundle
    assert meta["site_url_problem"] == ""  # pufa.example.cn is a real-looking https address
    assert meta["title"] == TITLE and meta["author"] == "枣阳市司法局"
    assert meta["content_source_url"] == PAGE
    assert (meta["cover"], meta["thumb"], meta["content"]) == ("cover.jpg", "thumb.jpg", "article.html")
    assert meta["bundle_url"] == SITE + "wechat/fanzha/"
    assert [r["number"] for r in meta["references"]] == [1, 2]
    # only the three-level list breaks a limit in the fixture
    assert len(meta["warnings"]) == 1 and "列表嵌套 3 层" in meta["warnings"][0]


def test_meta_json_is_readable_chinese_sorted(bundle):
    folder, _ = bundle
    raw = (folder / "meta.json").read_text(encoding="utf-8")
    assert "反电信网络诈骗法" in raw and "\\u" not in raw
    keys = [k for k in json.loads(raw)]
    assert keys == sorted(keys)


def test_body_images_are_jpeg_or_png_under_1_mb(bundle):
    folder, meta = bundle
    assert [i["src"] for i in meta["images"]] == ["images/flyer.webp", "images/poster.png"]
    article = (folder / "article.html").read_text(encoding="utf-8")
    for image in meta["images"]:
        data = (folder / image["file"]).read_bytes()
        assert len(data) < 1_000_000 and len(data) == image["bytes"]
        opened = Image.open(io.BytesIO(data))
        assert opened.format in ("JPEG", "PNG") and opened.width <= 1080
        assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{10}\.(jpg|png)", image["file"])
        assert image["url"] == meta["bundle_url"] + image["file"]
        assert f'src="{image["url"]}"' in article


def test_cover_and_thumb(bundle):
    folder, _ = bundle
    cover = Image.open(folder / "cover.jpg")
    assert cover.format == "JPEG" and cover.size == (900, 383)
    thumb = Image.open(folder / "thumb.jpg")
    assert thumb.format == "JPEG" and thumb.width == thumb.height
    assert (folder / "thumb.jpg").stat().st_size <= 64_000


def test_preview_page_has_copy_button_and_no_external_requests(bundle):
    folder, _ = bundle
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "复制到公众号" in page
    assert "ClipboardItem" in page and '"text/html"' in page and '"text/plain"' in page
    assert 'execCommand("copy")' in page
    root = lxml.html.document_fromstring(page)
    template = root.get_element_by_id("wechat-html")
    template.getparent().remove(template)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("src", "href", "srcset", "poster", "data"):
            value = el.get(attr) or ""
            assert not re.match(r"(https?:)?//", value), f"<{el.tag} {attr}={value}>"
    assert not re.search(r"url\(|@import|<link|<iframe", lxml.html.tostring(root, encoding="unicode"))
    assert root.find(".//script[@src]") is None
    local = [img.get("src") for img in root.iter("img")]
    assert "cover.jpg" in local and "thumb.jpg" in local
    assert all((folder / src).is_file() for src in local)


def test_preview_template_holds_the_exact_article(bundle):
    folder, _ = bundle
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert f'<template id="wechat-html">{read_article(folder)}</template>' in page


def test_article_html_is_a_small_page_whose_body_is_the_fragment(bundle):
    folder, meta = bundle
    document = (folder / "article.html").read_text(encoding="utf-8")
    fragment = read_article(folder)
    assert document.startswith("<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">")
    assert f"<title>{meta['title']}</title>" in document
    assert document.endswith(f"<body>\n{fragment}\n</body>\n</html>\n")
    parsed = lxml.html.document_fromstring(document)
    body = parsed.find("body")
    assert "".join(lxml.html.tostring(child, encoding="unicode") for child in body).strip() == fragment
    assert fragment.startswith("<p style=") and "<body" not in fragment and "<title" not in fragment


def test_read_article_refuses_a_foreign_file(tmp_path):
    (tmp_path / "article.html").write_text("<p>不是 pufa 写的</p>", encoding="utf-8")
    with pytest.raises(ValueError, match="重新构建"):
        read_article(tmp_path)


def test_crops_are_the_centred_areas_of_the_cover(bundle):
    _, meta = bundle
    # (900 − 383) / 2 / 900 = 0.287222…: the centred square of the 900×383 cover
    assert meta["crops"] == {"pic_crop_235_1": "0_0_1_1", "pic_crop_1_1": "0.287222_0_0.712778_1"}


def test_a_placeholder_site_url_is_warned_on_the_preview(tmp_path, sources):
    meta = build(tmp_path, sources, site_url="https://pufa.zaoyang.example/", page_url="laws/fanzha/")
    assert "pufa.zaoyang.example" in meta["site_url_problem"] and "阅读原文" in meta["site_url_problem"]
    page = lxml.html.document_fromstring((tmp_path / "fanzha" / "index.html").read_text(encoding="utf-8"))
    notice = page.find_class("golive")
    assert len(notice) == 1 and "网站地址还不能用于公众号" in notice[0].text_content()
    assert notice[0].getnext().tag == "main"  # above the article, not hidden below it


def test_preview_column_is_phone_width(bundle):
    folder, _ = bundle
    page = (folder / "index.html").read_text(encoding="utf-8")
    width = int(re.search(r"\.column\{[^}]*max-width:(\d+)px", page).group(1))
    assert 375 <= width <= 680


def test_two_builds_give_identical_bytes(tmp_path, sources):
    first, second = tmp_path / "a", tmp_path / "b"
    build(first, sources)
    build(second, sources)
    files = sorted(p.name for p in (first / "fanzha").iterdir())
    assert files == sorted(p.name for p in (second / "fanzha").iterdir())
    for name in files:
        assert (first / "fanzha" / name).read_bytes() == (second / "fanzha" / name).read_bytes(), name


def test_rebuild_removes_stale_files(tmp_path, sources):
    build(tmp_path, sources)
    (tmp_path / "fanzha" / "old-0000000000.jpg").write_bytes(b"x")
    build(tmp_path, sources, images={})
    names = {p.name for p in (tmp_path / "fanzha").iterdir()}
    assert names == {"article.html", "meta.json", "cover.jpg", "thumb.jpg", "index.html"}


def test_missing_images_are_warned_and_not_fetched_by_the_preview(tmp_path):
    meta = build(tmp_path, {})
    assert sum("没有找到文件" in w for w in meta["warnings"]) == 2
    page = (tmp_path / "fanzha" / "index.html").read_text(encoding="utf-8")
    assert "［图片：宣传月现场］" in page


def test_photo_cover_and_missing_glyph_warning(tmp_path, sources):
    photo = encode(Image.new("RGB", (1200, 800), (30, 120, 60)), "JPEG")
    build(tmp_path, sources, cover_image=photo)
    assert Image.open(tmp_path / "fanzha" / "cover.jpg").size == (900, 383)
    meta = build(tmp_path / "x", sources, cover_title="测试𠀀")
    assert any("𠀀" in w and "封面" in w for w in meta["warnings"])


def test_bad_slug_is_refused(tmp_path, sources):
    with pytest.raises(ValueError, match="素材包名称"):
        build(tmp_path, sources, slug="../escape")


def test_write_index(tmp_path, sources):
    first = build(tmp_path, sources)
    second = build(tmp_path, sources, slug="aaa-xianfa", title="宪法宣传周", cover_title="宪法宣传周")
    path = write_index(tmp_path, [first, second])
    assert path == tmp_path / "index.json"
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert [b["slug"] for b in data["bundles"]] == ["aaa-xianfa", "fanzha"]
    entry = data["bundles"][1]
    assert entry["meta"] == "fanzha/meta.json" and entry["preview"] == "fanzha/index.html"
    assert entry["content_source_url"] == PAGE and entry["title"] == TITLE
    assert "宪法宣传周" in raw and "\\u" not in raw
    assert write_index(tmp_path, [second, first]).read_text(encoding="utf-8") == raw


def test_site_images_finds_files_in_the_built_site(tmp_path):
    site = tmp_path / "site"
    (site / "laws" / "fanzha" / "images").mkdir(parents=True)
    (site / "laws" / "fanzha" / "images" / "poster.png").write_bytes(b"png")
    (site / "assets").mkdir()
    (site / "assets" / "宣传 图.jpg").write_bytes(b"jpg")
    html = ('<img src="images/poster.png"><img src="../../assets/%E5%AE%A3%E4%BC%A0%20%E5%9B%BE.jpg">'
            '<img src="images/missing.png"><img src="https://elsewhere.example/x.png">')
    found = site_images(html, page_url="laws/fanzha/", site_url=SITE, site_dir=site)
    assert found == {
        "images/poster.png": site / "laws" / "fanzha" / "images" / "poster.png",
        "../../assets/%E5%AE%A3%E4%BC%A0%20%E5%9B%BE.jpg": site / "assets" / "宣传 图.jpg",
    }


def test_site_images_under_a_sub_path(tmp_path):
    (tmp_path / "laws" / "a.png").parent.mkdir(parents=True)
    (tmp_path / "laws" / "a.png").write_bytes(b"x")
    found = site_images('<img src="../a.png">', page_url="laws/x/", site_url="https://host.cn/pufa/", site_dir=tmp_path)
    assert found == {"../a.png": tmp_path / "laws" / "a.png"}
