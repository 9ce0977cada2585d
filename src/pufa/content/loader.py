"""The one place that reads docs/: files in, typed records and every problem out.

`pufa check`, `pufa new` and the MkDocs build all call `load()`, so an editor sees the same messages
everywhere. Which schema a file follows is decided by where it lives:

    docs/laws/<name>.md                 law topic      (schemas/law.yaml)
    docs/laws/<topic>/<audience-id>.md  讲稿 lecture   (schemas/lecture.yaml)
    docs/events/<name>.md               event          (schemas/event.yaml)
    docs/parks/<name>.md                place          (schemas/place.yaml)
    any other .md                       free page: front matter syntax only
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path

from .. import images, safety
from . import frontmatter
from ..problems import Problem
from .records import (AUDIENCES, AnnouncedRange, Content, Event, LawFacts, LawTopic, Lecture, Location, Photo,
                      Place, Revision, Rule)
from .schema import parse_date, parse_date_or_datetime, validate

SECTIONS = {"laws": "law", "events": "event", "parks": "place"}
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_AUDIENCE_BY_ID = {v: k for k, v in AUDIENCES.items()}
_MD_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_HTML_ALT = re.compile(r"\salt\s*=\s*([\"'])(.*?)\1", re.I | re.S)


def kind_of(rel: str) -> str | None:
    """The content type of a docs-relative path, or None for a free page."""
    parts = rel.split("/")
    if parts[-1] == "index.md" or not rel.endswith(".md") or parts[0] not in SECTIONS:
        return None
    if len(parts) == 2:
        return SECTIONS[parts[0]]
    if len(parts) == 3 and parts[0] == "laws":
        return "lecture"
    return None


def load(docs_dir: Path, *, prefix: str = "docs", generated: frozenset[str] = frozenset()) -> tuple[Content, list[Problem]]:
    """Read every Markdown file under `docs_dir`.

    `prefix` is how paths are shown to editors (relative to the repository). `generated` lists
    docs-relative paths that the build creates (the calendar home…), so links to them are valid.
    """
    docs_dir = Path(docs_dir)
    content, problems = Content(), []
    existing = {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()} | set(generated)
    lines = {}  # docs-relative path -> FrontMatter, so checks across files can name the right line
    problems += safety.find_symlinks_out(docs_dir, prefix or None)
    for file in sorted(p for p in docs_dir.rglob("*") if p.suffix.lower() in safety.IMAGE_SUFFIXES and not p.is_symlink()):
        rel = file.relative_to(docs_dir).as_posix()
        problems += images.inspect_image(file, f"{prefix}/{rel}" if prefix else rel)[1]
    for file in sorted(p for p in docs_dir.rglob("*.md") if not p.is_symlink()):
        rel = file.relative_to(docs_dir).as_posix()
        shown = f"{prefix}/{rel}" if prefix else rel
        record, fm, found = _load_file(file, rel, shown, existing, docs_dir)
        problems += found
        if record is not None:
            lines[rel] = fm
            getattr(content, {LawTopic: "laws", Lecture: "lectures", Event: "events", Place: "places"}[type(record)]).append(record)
    problems += _cross_check(content, lines, prefix)
    return content, sorted(set(problems))


def _load_file(file: Path, rel: str, shown: str, existing: set[str], docs_dir: Path):
    too_big = safety.check_file_size(shown, file.stat().st_size)
    if too_big:
        return None, None, [too_big]
    raw = file.read_bytes()
    text, problems = frontmatter.decode(raw, shown)
    if text is None:
        return None, None, problems
    fm, found = frontmatter.split(text, shown)
    problems += found
    kind = kind_of(rel)
    # Untrusted input: raw HTML, dangerous URLs and paths that leave docs/ (see pufa.safety); the same
    # pass finds the link and image targets whose files must exist.
    unsafe, references = safety.scan_markdown(fm.body, shown, source_path=rel, docs_dir=docs_dir,
                                              first_line=fm.body_line)
    problems += unsafe + _check_body_references(references, fm.body, fm.body_line, rel, shown, existing)
    if kind is None:
        return None, fm, problems
    if not fm.present and not found:
        return None, fm, problems + [Problem(shown, 1, "缺少文件头。文件第一行要写 ---，接着写标题、网址名等字段，再写一行 --- 后开始正文。"
                                         "可以用 pufa new 生成模板。", code="no-front-matter")]
    if not fm.present or any(p.is_error for p in found):
        return None, fm, problems
    problems += _check_placeholders(text, fm, shown)
    schema_problems = validate(kind, fm, shown)
    problems += schema_problems
    problems += _check_front_references(kind, fm, rel, shown, existing)
    if schema_problems:
        return None, fm, problems
    record, more = _BUILDERS[kind](fm, rel, shown)
    # A record with semantic errors still takes part in checks across files; the errors stop the build.
    return record, fm, problems + more


PLACEHOLDER = "待填写"


def _check_placeholders(text: str, fm, shown: str) -> list[Problem]:
    """`pufa new` marks what an editor must replace; a draft may keep them, a published page may not."""
    draft = fm.data.get("draft") is True
    severity = "warning" if draft else "error"
    after = "" if draft else "正式发布前"
    return [Problem(shown, number, f"这一行还有模板里的“{PLACEHOLDER}”。{after}请换成真实内容。", severity, code="placeholder")
            for number, line in enumerate(text.split("\n"), start=1)
            if PLACEHOLDER in (line.split(" #", 1)[0] if number < fm.body_line else line)]


# --- references ---------------------------------------------------------------------------------

def _resolve(rel: str, target: str) -> str | None:
    """The docs-relative path a relative link points to, or None when it leaves docs/."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
    return None if joined.startswith("../") or joined == ".." or joined.startswith("/") else joined


def _missing_target(rel: str, target: str, existing: set[str]) -> str | None:
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
        return None  # in-page anchor, or a URL with a scheme (checked elsewhere)
    from urllib.parse import unquote
    target = unquote(target)
    resolved = _resolve(rel, target)
    if resolved is None:
        return None  # leaving docs/ is refused by pufa.safety, with its own message
    if resolved in existing or resolved.rstrip("/") + "/index.md" in existing or resolved + ".md" in existing:
        return None
    return f"找不到链接或图片指向的文件 {target}。请检查文件名和大小写，路径相对于本文件所在的文件夹。"


def _check_body_references(references: list[tuple[int, str]], body: str, first_line: int, rel: str, shown: str,
                           existing: set[str]) -> list[Problem]:
    problems = [Problem(shown, line, message, code="missing-file") for line, target in references
                if (message := _missing_target(rel, target, existing))]
    for number, line in enumerate(safety.mask_code(body).split("\n"), start=first_line):
        missing_alt = [alt for alt in _MD_IMAGE.findall(line) if not alt.strip()]
        missing_alt += [tag for tag in _HTML_IMG.findall(line) if not (m := _HTML_ALT.search(tag)) or not m.group(2).strip()]
        problems += [Problem(shown, number, "图片缺少说明文字（替代文字）。请在 ![ ] 的方括号里用一句话写图片内容，"
                             "例如 ![宪法文化公园入口的宪法宣传栏](images/park.jpg)，给看不见图片的读者。", code="missing-alt")
                     for _ in missing_alt]
    return problems


def _check_front_references(kind: str, fm, rel: str, shown: str, existing: set[str]) -> list[Problem]:
    refs = []
    if isinstance(fm.data.get("cover"), str):
        refs.append((("cover",), fm.data["cover"]))
    for i, photo in enumerate(fm.data.get("photos") or []):
        if isinstance(photo, dict) and isinstance(photo.get("src"), str):
            refs.append((("photos", i, "src"), photo["src"]))
    problems = []
    for at, target in refs:
        message = _missing_target(rel, target, existing)
        if message:
            problems.append(Problem(shown, fm.line(at), message.replace("链接或图片", "图片"), code="missing-file"))
    return problems


# --- records ------------------------------------------------------------------------------------

def _common(fm, rel: str) -> dict:
    d = fm.data
    return dict(path=rel, title=d["title"], slug=d.get("slug", ""), summary=d.get("summary", ""), body=fm.body,
                body_line=fm.body_line, published=parse_date(d["published"]),
                updated=parse_date(d["updated"]) if d.get("updated") else None, draft=bool(d.get("draft", False)),
                author=d.get("author", ""), keywords=tuple(d.get("keywords", ())))


def _before(a: str, b: str) -> bool:
    """True when b lies before a; a date compares as the start of its day."""
    da, db = parse_date_or_datetime(str(a)), parse_date_or_datetime(str(b))
    if isinstance(da, dt.datetime) != isinstance(db, dt.datetime):
        da = da if isinstance(da, dt.datetime) else dt.datetime.combine(da, dt.time())
        db = db if isinstance(db, dt.datetime) else dt.datetime.combine(db, dt.time(23, 59))
    return db < da


def _build_law(fm, rel, shown):
    d, law = fm.data, fm.data["law"]
    problems = _order(fm, shown, ("published",), ("updated",), "更新日期")
    problems += _order(fm, shown, ("law", "adopted"), ("law", "effective"), "施行日期")
    facts = LawFacts(
        name=law["name"], short_name=law["short_name"], adopted=parse_date(law["adopted"]),
        effective=parse_date(law["effective"]), source_url=law["source_url"],
        revisions=tuple(Revision(parse_date(r["date"]), r["kind"], r.get("note", "")) for r in law.get("revisions", [])),
        chapters=law.get("chapters"), articles=law.get("articles"), adopted_by=law.get("adopted_by", ""),
        order_no=law.get("order_no", ""), flk_id=law.get("flk_id", ""),
        checked_on=parse_date(law["checked_on"]) if law.get("checked_on") else None,
        to_verify=tuple(law.get("to_verify", ())))
    record = LawTopic(**_common(fm, rel), law=facts, audiences=tuple(d["audiences"]), topics=tuple(d["topics"]),
                      cover=_docs_path(rel, d.get("cover")))
    return record, problems


def _build_lecture(fm, rel, shown):
    d = fm.data
    folder, name = rel.split("/")[1], rel.split("/")[2][:-3]
    problems = _order(fm, shown, ("published",), ("updated",), "更新日期")
    if name not in _AUDIENCE_BY_ID:
        ids = "、".join(f"{v}.md（{k}）" for k, v in AUDIENCES.items())
        problems.append(Problem(shown, 1, f"讲稿文件名 {name}.md 不对：要用宣讲对象的英文名，可用 {ids}。", code="lecture-name"))
    elif _AUDIENCE_BY_ID[name] != d["audience"]:
        problems.append(Problem(shown, fm.line(("audience",)), f"文件名 {name}.md 对应“{_AUDIENCE_BY_ID[name]}”，"
                                f"但 audience 写的是“{d['audience']}”。请让两者一致。", code="lecture-audience"))
    if folder != d["topic"]:
        problems.append(Problem(shown, fm.line(("topic",)), f"讲稿放在 laws/{folder}/ 文件夹里，但 topic 写的是 {d['topic']}。"
                                f"文件夹名要和所属专题的网址名一致。", code="lecture-topic"))
    record = Lecture(**{**_common(fm, rel), "slug": f"{d['topic']}-{name}"}, topic=d["topic"], audience=d["audience"],
                     minutes=d["minutes"], outline=tuple(d["outline"]), questions=tuple(d["questions"]))
    return record, problems


def _build_event(fm, rel, shown):
    d = fm.data
    problems = _order(fm, shown, ("published",), ("updated",), "更新日期")
    rule, ranges = None, []
    if d["kind"] == "observance":
        rule, found = _rule(fm, shown)
        problems += found
        for i, r in enumerate(d.get("announced", [])):
            start, end = parse_date(r["start"]), parse_date(r["end"])
            if end < start:
                problems.append(Problem(shown, fm.line(("announced", i, "end")), f"结束日期（{r['end']}）早于开始日期（{r['start']}）。"
                                        "请检查是否写反了。", code="end-before-start"))
            if start.year != r["year"]:
                problems.append(Problem(shown, fm.line(("announced", i, "year")), f"year 写的是 {r['year']}，但开始日期在 {start.year} 年。",
                                        code="announced-year"))
            ranges.append(AnnouncedRange(r["year"], start, end, r.get("theme", ""), r["source_url"]))
        for key in ("start", "end", "venue", "organiser"):
            if key in d:
                problems.append(Problem(shown, fm.line((key,)), f"{key} 只用于本地活动（kind: local）。宣传日的日期由 rule 决定。",
                                        code="wrong-kind"))
    else:
        problems += _order(fm, shown, ("start",), ("end",), "结束时间")
        if d.get("end") and (":" in d["start"]) != (":" in d["end"]):
            problems.append(Problem(shown, fm.line(("end",)), "开始和结束要么都只写日期（全天活动），要么都写到“时:分”。",
                                    code="mixed-dates"))
        for key in ("rule", "announced", "first_year"):
            if key in d:
                problems.append(Problem(shown, fm.line((key,)), f"{key} 只用于宣传日（kind: observance）。本地活动请写 start 和 end。",
                                        code="wrong-kind"))
    record = Event(**_common(fm, rel), kind=d["kind"], laws=tuple(d.get("laws", ())), places=tuple(d.get("places", ())),
                   audiences=tuple(d.get("audiences", ())), rule=rule, announced=tuple(sorted(ranges, key=lambda r: r.start)),
                   first_year=d.get("first_year"), basis=d.get("basis", ""), basis_status=d.get("basis_status", ""),
                   source_url=d.get("source_url", ""),
                   checked_on=parse_date(d["checked_on"]) if d.get("checked_on") else None,
                   start=parse_date_or_datetime(d["start"]) if d.get("start") else None,
                   end=parse_date_or_datetime(d["end"]) if d.get("end") else None,
                   venue=d.get("venue", ""), organiser=d.get("organiser", ""), place=d.get("place", ""))
    return record, problems


_RULE_NEEDS = {"fixed": ("month", "day"), "weekday": ("month", "weekday", "ordinal"), "lunar": ("month", "day"), "announced": ()}
_RULE_WORDS = {"fixed": "每年公历同一天", "weekday": "某月第几个星期几", "lunar": "农历日期", "announced": "每年另行公布"}


def _rule(fm, shown) -> tuple[Rule, list[Problem]]:
    r = fm.data["rule"]
    kind, problems = r["type"], []
    for key in _RULE_NEEDS[kind]:
        if key not in r:
            problems.append(Problem(shown, fm.line(("rule",)), f"rule 是 {kind}（{_RULE_WORDS[kind]}），还要写 {key}。", code="missing-key"))
    allowed = set(_RULE_NEEDS[kind]) | {"type"} | ({"days"} if kind == "fixed" else set())
    for key in sorted(set(r) - allowed):
        problems.append(Problem(shown, fm.line(("rule", key)), f"rule 是 {kind}（{_RULE_WORDS[kind]}）时不用写 {key}。", code="unknown-key"))
    month, day = r.get("month"), r.get("day")
    if kind == "fixed" and month and day:
        last = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
        if day > last:
            problems.append(Problem(shown, fm.line(("rule", "day")), f"{month} 月没有 {day} 日（最多 {last} 日）。", code="bad-date"))
    if kind == "lunar" and day and day > 30:
        problems.append(Problem(shown, fm.line(("rule", "day")), f"农历每月最多 30 天，写的是 {day}。", code="bad-date"))
    weekday = WEEKDAYS.index(r["weekday"]) if "weekday" in r else None
    return Rule(kind, month, day, weekday, r.get("ordinal"), r.get("days", 1)), problems


def _build_place(fm, rel, shown):
    d = fm.data
    problems = _order(fm, shown, ("published",), ("updated",), "更新日期")
    loc = d.get("location")
    location = Location(float(loc["lat"]), float(loc["lon"]), loc["crs"], fm.line(("location",))) if loc else None
    if d.get("level") and d["kind"] not in ("民主法治示范村", "民主法治示范社区"):
        problems.append(Problem(shown, fm.line(("level",)), "level（级别）只用于民主法治示范村（社区）。", code="wrong-kind"))
    record = Place(**_common(fm, rel), kind=d["kind"], level=d.get("level", ""), town=d.get("town", ""),
                   address=d["address"], location=location,
                   photos=tuple(Photo(_docs_path(rel, p["src"]), p["alt"], p.get("caption", "")) for p in d.get("photos", [])),
                   hours=d.get("hours", ""), features=tuple(d.get("features", ())), built=d.get("built", ""),
                   source=d["source"], source_url=d.get("source_url", ""), laws=tuple(d.get("laws", ())))
    return record, problems


def _order(fm, shown, first: tuple, second: tuple, what: str) -> list[Problem]:
    a, b = _get(fm.data, first), _get(fm.data, second)
    if a is None or b is None or not _before(a, b):
        return []
    return [Problem(shown, fm.line(second), f"{what}（{b}）早于{'开始时间' if second == ('end',) else '前面的日期'}（{a}）。"
                    "请检查是否写反了。", code="end-before-start")]


def _get(data, path):
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data if isinstance(data, str) else None


def _docs_path(rel: str, target: str | None) -> str | None:
    return _resolve(rel, target) if target else None


_BUILDERS = {"law": _build_law, "lecture": _build_lecture, "event": _build_event, "place": _build_place}


# --- across files -------------------------------------------------------------------------------

def _cross_check(content: Content, front: dict, prefix: str) -> list[Problem]:
    def problem(record, at: tuple, message: str, code: str) -> Problem:
        return Problem(f"{prefix}/{record.path}" if prefix else record.path, front[record.path].line(at), message, code=code)

    problems, owners = [], {}
    for record in content.laws + content.events + content.places:
        if record.slug in owners:
            other = f"{prefix}/{owners[record.slug]}" if prefix else owners[record.slug]
            problems.append(problem(record, ("slug",), f"网址名 slug: {record.slug} 已被 {other} 使用。每篇内容的网址名必须不同。",
                                    "duplicate-slug"))
        else:
            owners[record.slug] = record.path
    laws = {r.slug for r in content.laws}
    places = {r.slug for r in content.places}
    known_laws = "、".join(sorted(laws)) or "（暂无）"
    for lecture in content.lectures:
        if lecture.topic not in laws:
            problems.append(problem(lecture, ("topic",), f"所属专题 {lecture.topic} 不存在。可用的有：{known_laws}。", "missing-page"))
    for record in content.events + content.places:
        for i, slug in enumerate(record.laws):
            if slug not in laws:
                problems.append(problem(record, ("laws", i), f"相关法律专题 {slug} 不存在。可用的有：{known_laws}。", "missing-page"))
    for event in content.events:
        refs = [(("places", i), slug) for i, slug in enumerate(event.places)] + ([(("place",), event.place)] if event.place else [])
        for at, slug in refs:
            if slug not in places:
                problems.append(problem(event, at, f"阵地 {slug} 不存在。请写 docs/parks/ 里某个阵地的网址名。", "missing-page"))
    return problems
