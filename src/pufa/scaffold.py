"""`pufa new`: a commented draft page for an editor to fill in (`pufa init` for a whole site is site_init.py).

Templates live in `templates/`. Their instructions are comments,
never values, so `pufa check` never mistakes an instruction for a blank; what must be filled in is written
as 待填写 in a value, which a draft may keep and a published page may not.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from .clock import build_today
from .content import vocabulary
from .content.frontmatter import decode, split
from .county import FILE as COUNTY_FILE, UNKNOWN, load_county

SLUG_HELP = "只能用小写英文字母、数字和连字符“-”，例如 anti-telecom-fraud"


def _template(name: str) -> str:
    return resources.files("pufa").joinpath("templates", name).read_text("utf-8")


def new_page(root: Path, docs: str, kind: str, slug: str, audience: str = "") -> int:
    """Write a draft from the template for `kind`; 0 when written, 1 or 2 (with a message) otherwise."""
    import re
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        print(f"网址名 {slug} 不对：{SLUG_HELP}。", file=sys.stderr)
        return 2
    county, _ = load_county(root / COUNTY_FILE)
    today = build_today().isoformat()
    fields = {"slug": slug, "today": today, "publisher": county.publisher if county else UNKNOWN}
    if kind == "lecture":
        ids = vocabulary.ids("audiences")
        if audience not in ids:
            print(f"讲稿要写宣讲对象：pufa new lecture {slug} 学校（可选 {'、'.join(ids)}）。", file=sys.stderr)
            return 2
        topic_file = root / docs / "laws" / f"{slug}.md"
        if not topic_file.is_file():
            print(f"找不到法律专题 {docs}/laws/{slug}.md：讲稿要放在已有的专题下。先运行 pufa new law {slug}。", file=sys.stderr)
            return 1
        target = root / docs / "laws" / slug / f"{ids[audience]}.md"
        fields.update(topic=slug, audience=audience, topic_title=_title_of(topic_file) or slug)
    elif kind == "questions":
        topic_file = root / docs / "laws" / f"{slug}.md"
        if not topic_file.is_file():
            print(f"找不到法律专题 {docs}/laws/{slug}.md：题库要放在已有的专题下。先运行 pufa new law {slug}。", file=sys.stderr)
            return 1
        target = root / docs / "laws" / slug / "questions.md"
        fields.update(topic_title=_title_of(topic_file) or slug)
    else:
        target = root / docs / {"law": "laws", "event": "events", "place": "parks"}[kind] / f"{slug}.md"
    if kind == "place":
        levels = county.model_village_levels if county else ()
        lat, lon = county.box.centre if county else (30.0, 110.0)
        fields.update(level=levels[-1] if levels else "本县级", levels="、".join(levels) or "见 county.yml",
                      town=county.town_names[0] if county else "某某街道", lat=f"{lat:.6f}", lon=f"{lon:.6f}")
    if target.exists():
        print(f"{target.relative_to(root).as_posix()} 已经存在，没有覆盖。", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_template(f"{kind}.md").format(**fields), "utf-8")
    print(f"已创建 {target.relative_to(root).as_posix()}（草稿）。把值里的“待填写”换成真实内容，把 draft 改成 false，"
          "再运行 pufa check。")
    return 0


def _title_of(path: Path) -> str:
    text, _ = decode(path.read_bytes(), path.name)
    if text is None:
        return ""
    fm, _ = split(text, path.name)
    title = fm.data.get("title")
    return title if isinstance(title, str) else ""

