"""The one place that reads content files: Markdown in, typed records, sources and format problems out.

`pufa check`, `pufa new` and the MkDocs build all call `load()`, so an editor sees the same messages
everywhere. Which schema a file follows is decided by where it lives (docs-relative):

    index.md, laws/index.md, events/index.md, parks/index.md   section homes   (schemas/section.yaml)
    laws/<name>.md                                          law topic       (schemas/law.yaml)
    laws/<topic>/<audience-id>.md                           讲稿 lecture     (schemas/lecture.yaml)
    laws/<topic>/questions.md                               question bank   (schemas/questions.yaml)
    events/<name>.md                                        event           (schemas/event.yaml)
    parks/<name>.md                                         place           (schemas/place.yaml)
    any other .md                                           free page       (schemas/page.yaml)

Content comes from the site's `docs/` and from pufa's national pack (observance days the same in every
county); a site file at the same path replaces the pack's. This module knows file formats only: what
a Markdown body renders to, which images are safe and which links resolve is `pufa.checks`' concern.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem, problem
from . import frontmatter, text as chars, vocabulary
from .frontmatter import FrontMatter
from .records import (AnnouncedRange, Content, Event, LawFacts, LawTopic, Lecture, Location, Photo, Place, Question,
                      QuestionBank, Record, Revision, Rule)
from .schema import parse_date, parse_date_or_datetime, validate

SECTIONS = {"laws": "law", "events": "event", "parks": "place"}
# The layout of each section home, chosen by its path (an editor may not change it).
SECTION_TEMPLATES = {"index.md": "home.html", "laws/index.md": "laws-index.html",
                     "events/index.md": "events-index.html", "parks/index.md": "parks-index.html"}
SECTIONS_MARKER = "<!-- pufa:sections -->"  # in index.md: where the home page's generated sections go
PLACEHOLDER = "待填写"
MARKDOWN_MAX_BYTES = 512 * 1024  # a long statute explainer is ~30 KB; 512 KB is a pasted document
COUNTRY_PREFIX = "中华人民共和国"
QUESTION_BANK = "questions.md"  # in a topic's folder, beside its 讲稿


def kind_of(rel: str) -> str:
    """The content type of a docs-relative Markdown path."""
    if rel in SECTION_TEMPLATES:
        return "section"
    parts = rel.split("/")
    if parts[-1] == "index.md" or parts[0] not in SECTIONS:
        return "page"
    if len(parts) == 2:
        return SECTIONS[parts[0]]
    if len(parts) == 3 and parts[0] == "laws":
        return "questions" if parts[2] == QUESTION_BANK else "lecture"
    return "page"


@dataclass(frozen=True)
class Root:
    """A folder content is read from: the site's docs/ or pufa's pack, and how its paths are shown."""

    dir: Path
    origin: str  # site | pack
    shown: str  # prefix shown to editors: "docs", or "pufa/pack" for the pack


@dataclass
class Source:
    """One Markdown file as read, kept for the checks that need its text and lines."""

    rel: str  # docs-relative, '/'-separated
    shown: str  # as shown to editors: docs/laws/x.md
    file: Path
    kind: str
    origin: str
    text: str | None = None  # decoded, line ends normalised; None when unreadable
    fm: FrontMatter | None = None
    record: Record | None = None
    slug: str = ""  # the slug written in the file, even when no record could be built

    @property
    def draft(self) -> bool:
        return bool(self.fm and self.fm.data.get("draft") is True)


@dataclass
class Loaded:
    content: Content
    sources: dict[str, Source] = field(default_factory=dict)  # docs-relative path → source
    problems: list[Problem] = field(default_factory=list)


def load(docs_dir: Path, *, prefix: str = "docs", pack_dir: Path | None = None, pack_exclude: frozenset[str] = frozenset(),
         county: tuple = (), publisher: str = "") -> Loaded:
    """Read every Markdown file of the site (and of the pack, where the site has no file of that path).

    `prefix` is how site paths are shown to editors (relative to the site's root). `county` holds the
    site's own controlled lists for the schemas (towns, model-village levels); `publisher` is the
    author of content that names none.
    """
    roots = [Root(Path(docs_dir), "site", prefix)]
    if pack_dir is not None:
        roots.append(Root(Path(pack_dir), "pack", "pufa/pack"))
    loaded = Loaded(Content())
    for root in roots:
        for file in markdown_files(root.dir):
            rel = file.relative_to(root.dir).as_posix()
            if root.origin == "pack" and kind_of(rel) != "event":
                continue  # the pack holds observance days only (its README is for people)
            if rel in loaded.sources:
                continue  # the site's own file replaces the pack's
            source = Source(rel, f"{root.shown}/{rel}" if root.shown else rel, file, kind_of(rel), root.origin)
            if root.origin == "pack" and Path(rel).stem in pack_exclude:
                continue
            loaded.problems += _read(source, county)
            loaded.sources[rel] = source
    for source in loaded.sources.values():
        record = source.record
        if record is not None:
            if not record.author and publisher:
                source.record = record = _with(record, author=publisher)
            bucket = {LawTopic: "laws", Lecture: "lectures", Event: "events", Place: "places",
                      QuestionBank: "banks"}[type(record)]
            getattr(loaded.content, bucket).append(record)
    loaded.problems = sorted(set(loaded.problems))
    return loaded


def markdown_files(folder: Path) -> list[Path]:
    """Every .md file under `folder`, in a stable order, never following a symbolic link."""
    found = []
    for parent, dirs, names in os.walk(folder):  # os.walk does not descend into linked folders
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not Path(parent, d).is_symlink())
        found += [Path(parent, n) for n in sorted(names)
                  if n.endswith(".md") and not n.startswith(".") and not Path(parent, n).is_symlink()]
    return found


def _with(record, **changes):
    from dataclasses import replace
    return replace(record, **changes)


def _read(source: Source, county: tuple) -> list[Problem]:
    shown = source.shown
    try:
        size = source.file.stat().st_size
        data = source.file.read_bytes() if size <= MARKDOWN_MAX_BYTES else b""
    except OSError as exc:
        return [problem("unreadable", shown, 1, f"读不到这个文件（{exc.strerror}）。请检查文件权限，或重新从仓库取出它。")]
    if size > MARKDOWN_MAX_BYTES:
        return [problem("file-too-large", shown, 1, f"文件太大：{size // 1024} KB，上限是 {MARKDOWN_MAX_BYTES // 1024} KB。"
                        "请把内容拆成几篇，或把法律原文改为链接到国家法律法规数据库，不要整篇粘贴。")]
    text, problems = frontmatter.decode(data, shown)
    if text is None:
        return problems
    source.text = text
    fm, found = frontmatter.split(text, shown)
    source.fm = fm
    problems += found
    slug = fm.data.get("slug") if isinstance(fm.data.get("slug"), str) else None
    source.slug = slug or Path(source.rel).stem
    kind = source.kind
    if any(p.is_error for p in found):
        return problems
    if not fm.present and kind not in ("page", "section"):
        return problems + [problem("no-front-matter", shown, 1, "缺少文件头。文件第一行要写 ---，接着写标题、网址名等字段，"
                                   "再写一行 --- 后开始正文。可以用 pufa new 生成模板。")]
    problems += _plain_text(fm, shown)
    fm.data = _without_controls(fm.data)  # reported above; never carried into pages, feeds or XML
    problems += _placeholders(text, fm, shown)
    schema_problems = _pasted_location(validate(kind, fm, shown, county), fm, shown)
    problems += schema_problems
    if kind == "questions":
        problems += question_problems(fm, shown)
    if kind == "section":
        return problems + _section(source, fm)
    if kind == "page" or schema_problems:
        return problems
    source.record, more = _BUILDERS[kind](fm, source.rel, shown)
    source.record = _with(source.record, origin=source.origin)
    # A record with semantic errors still takes part in checks across files; the errors stop the build.
    return problems + more


_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,，]\s*(-?\d+(?:\.\d+)?)\s*$")


def _pasted_location(problems: list[Problem], fm: FrontMatter, shown: str) -> list[Problem]:
    """A 高德/百度 "经度,纬度" string pasted as the location: say exactly which lines to write instead."""
    value = fm.data.get("location")
    match = _PAIR.match(value) if isinstance(value, str) else None
    if not match:
        return problems
    first, second = match.group(1), match.group(2)
    # In China a latitude is below 55° and a longitude above 73°, so the order is never ambiguous.
    lat, lon = (second, first) if float(first) > float(second) else (first, second)
    line = fm.line(("location",))
    fixed = problem("pasted-location", shown, line, f"location 要分三行写纬度、经度和坐标系。地图上复制的“{value.strip()}”"
                    f"应当写成：location: 换行后缩进两个空格写 lat: {lat}、lon: {lon}、crs: gcj02（高德、腾讯拾取写 gcj02，"
                    "百度拾取写 bd09，天地图或 GPS 写 wgs84）。")
    return [p for p in problems if not (p.line == line and p.code == "wrong-type")] + [fixed]


def _plain_text(fm: FrontMatter, shown: str) -> list[Problem]:
    """Front-matter text is printed into attributes, feeds and WeChat: it must be plain and visible."""
    problems = []

    def walk(value, at):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, at + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, at + (i,))
        elif isinstance(value, str):
            problems.extend(problem(code, shown, fm.line(at), message) for code, message in chars.plain_text_problems(value))
    walk(fm.data, ())
    return problems


def _without_controls(value):
    if isinstance(value, dict):
        return {key: _without_controls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_controls(item) for item in value]
    if isinstance(value, str):
        return chars.BIDI.sub("", chars.CONTROL.sub("", value))
    return value


def _placeholders(text: str, fm: FrontMatter, shown: str) -> list[Problem]:
    """`pufa new` marks what an editor must replace; a draft may keep them, a published page may not.

    Comments in the front matter are instructions, never blanks: only what YAML reads as a value
    counts there; in the body every line does.
    """
    code = "placeholder-draft" if fm.data.get("draft") is True else "placeholder"
    after = "" if code == "placeholder-draft" else "正式发布前"
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if fm.present and fm.start < number < fm.body_line - 1:
            line = _without_comment(line)
        if PLACEHOLDER in line:
            found.append(problem(code, shown, number, f"这一行还有模板里的“{PLACEHOLDER}”。{after}请换成真实内容。"))
    return found


def _without_comment(line: str) -> str:
    """A YAML line without its comment: a full-line `#`, or ` #` outside quotes."""
    if line.lstrip().startswith("#"):
        return ""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _section(source: Source, fm: FrontMatter) -> list[Problem]:
    """A section home keeps the layout its path gives it; the home page keeps its sections marker."""
    problems = []
    expected = SECTION_TEMPLATES[source.rel]
    written = fm.data.get("template")
    if written is not None and written != expected:
        problems.append(problem("section-template", source.shown, fm.line(("template",)),
                                f"这是栏目首页，模板必须是 {expected}（网站按文件位置自动选择）。请把这一行改回 "
                                f"template: {expected}，或者整行删掉。"))
    if source.rel == "index.md":
        count = fm.body.count(SECTIONS_MARKER)
        if count != 1:
            problems.append(problem("sections-marker", source.shown, fm.body_line,
                                    f"首页正文里要有一行（而且只有一行）{SECTIONS_MARKER}：它标出近期活动、法律专题和阵地列表放在哪里。"
                                    f"现在有 {count} 行。请在第一段导语之后单独一行写上它。"))
    return problems


# --- records ------------------------------------------------------------------------------------

def _common(fm: FrontMatter, rel: str) -> dict:
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
    name = law["name"]
    is_statute = name.endswith("法") or name.endswith("法典")
    known = vocabulary.names("laws_without_country_prefix")
    if is_statute and not name.startswith(COUNTRY_PREFIX) and name not in known:
        problems.append(problem("law-name-prefix", shown, fm.line(("law", "name")),
                                f"全国人大及其常委会制定的法律，正式名称通常以“{COUNTRY_PREFIX}”开头（如 {COUNTRY_PREFIX}{name}）。"
                                "请照国家法律法规数据库核对；地方性法规、条例等不受此限。"))
    if law.get("parts") and law.get("chapters") and law["parts"] > law["chapters"]:
        problems.append(problem("law-structure", shown, fm.line(("law", "parts")),
                                f"编数（{law['parts']}）比章数（{law['chapters']}）还多：每编至少有一章，请核对。"))
    facts = LawFacts(
        name=name, short_name=law["short_name"], adopted=parse_date(law["adopted"]),
        effective=parse_date(law["effective"]), source_url=law["source_url"],
        revisions=tuple(Revision(parse_date(r["date"]), r["kind"], r.get("note", "")) for r in law.get("revisions", [])),
        parts=law.get("parts"), chapters=law.get("chapters"), articles=law.get("articles"),
        adopted_by=law.get("adopted_by", ""), order_no=law.get("order_no", ""), flk_id=law.get("flk_id", ""),
        checked_on=parse_date(law["checked_on"]) if law.get("checked_on") else None,
        to_verify=tuple(law.get("to_verify", ())))
    record = LawTopic(**_common(fm, rel), law=facts, audiences=tuple(d["audiences"]), topics=tuple(d["topics"]),
                      cover=docs_path(rel, d.get("cover")))
    return record, problems


def _build_lecture(fm, rel, shown):
    d = fm.data
    folder, name = rel.split("/")[1], rel.split("/")[2][:-3]
    problems = _order(fm, shown, ("published",), ("updated",), "更新日期")
    by_id = {t.id: t.name for t in vocabulary.terms("audiences")}
    if name not in by_id:
        names = "、".join(f"{t.id}.md（{t.name}）" for t in vocabulary.terms("audiences"))
        problems.append(problem("lecture-name", shown, 1, f"讲稿文件名 {name}.md 不对：要用宣讲对象的英文名，可用 {names}。"))
    elif by_id[name] != d["audience"]:
        problems.append(problem("lecture-audience", shown, fm.line(("audience",)), f"文件名 {name}.md 对应“{by_id[name]}”，"
                                f"但 audience 写的是“{d['audience']}”。请让两者一致。"))
    if folder != d["topic"]:
        problems.append(problem("lecture-topic", shown, fm.line(("topic",)), f"讲稿放在 laws/{folder}/ 文件夹里，但 topic 写的是 "
                                f"{d['topic']}。文件夹名要和所属专题的网址名一致。"))
    record = Lecture(**{**_common(fm, rel), "slug": f"{d['topic']}-{name}"}, topic=d["topic"], audience=d["audience"],
                     minutes=d["minutes"], outline=tuple(d["outline"]), questions=tuple(d["questions"]))
    return record, problems


def _build_questions(fm, rel, shown):
    d = fm.data
    topic = rel.split("/")[1]
    problems = _order(fm, shown, ("published",), ("updated",), "更新日期")
    questions = tuple(Question(q["id"], q["type"], q["question"], q["answer"].strip(), q["explanation"],
                               tuple(q.get("options", ())), q.get("basis", ""), fm.line(("questions", i, "id")))
                      for i, q in enumerate(d["questions"]))
    record = QuestionBank(**{**_common(fm, rel), "slug": f"{topic}-questions"}, topic=topic, questions=questions)
    return record, problems


_SENTENCE_END = re.compile(r"[。！？!?]")


def question_problems(fm: FrontMatter, shown: str) -> list[Problem]:
    """Each question answerable from its own options, and no question or id twice. Run even when other
    fields break the schema, so an editor sees every question's problem at once; a question whose own
    fields are malformed is left to the schema's messages."""
    problems, ids, texts = [], {}, {}
    items = fm.data.get("questions")
    for i, q in enumerate(items if isinstance(items, list) else []):
        if not (isinstance(q, dict) and isinstance(q.get("answer"), str) and isinstance(q.get("question"), str)
                and q.get("type") in ("单选", "判断") and isinstance(q.get("options", []), list)):
            continue
        at = ("questions", i)
        options, answer = [str(o) for o in q.get("options", [])], q["answer"].strip()
        if q["type"] == "单选":
            letters = "".join(chr(ord("A") + n) for n in range(len(options)))
            if not options:
                problems.append(problem("question-options", shown, fm.line(at + ("question",)),
                                        "单选题要写 options（3～6 个选项，每行一个，以“- ”开头）。"))
            elif answer not in letters:
                problems.append(problem("question-answer", shown, fm.line(at + ("answer",)),
                                        f"答案“{answer}”不在选项里：这道题有 {len(options)} 个选项，答案只能写 {'、'.join(letters)} "
                                        "中的一个（大写字母，不写选项的内容）。"))
            if len(set(options)) < len(options):
                problems.append(problem("question-options", shown, fm.line(at + ("options",)), "有两个选项完全一样。请改成不同的选项。"))
        else:
            if options:
                problems.append(problem("question-options", shown, fm.line(at + ("options",)),
                                        "判断题不用写 options，答案写 对 或 错。如果这是选择题，请把 type 改成 单选。"))
            if answer not in ("对", "错"):
                problems.append(problem("question-answer", shown, fm.line(at + ("answer",)),
                                        f"判断题的答案只能写 对 或 错，现在写的是“{answer}”。"))
        if isinstance(q.get("id"), int) and not isinstance(q["id"], bool):
            line = fm.line(at + ("id",))
            if q["id"] in ids:
                problems.append(problem("question-duplicate", shown, line, f"题号 {q['id']} 在第 {ids[q['id']]} 行已经用过了。"
                                        "每道题的题号都不同；新题请用一个没用过的数字。"))
            ids.setdefault(q["id"], line)
        explanation = q.get("explanation")
        if isinstance(explanation, str) and _SENTENCE_END.search(explanation.strip()[:-1]):
            problems.append(problem("question-explanation", shown, fm.line(at + ("explanation",)),
                                    "解析写一句话就好：说清为什么是这个答案。更多的内容可以写进讲稿或专题页。"))
        key, line = chars.comparable(q["question"]), fm.line(at + ("question",))
        if key in texts:
            problems.append(problem("question-duplicate", shown, line,
                                    f"这道题和第 {texts[key]} 行的题目重复了。请删掉一道，或者改成问别的内容。"))
        texts.setdefault(key, line)
    return problems


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
                problems.append(problem("end-before-start", shown, fm.line(("announced", i, "end")),
                                        f"结束日期（{r['end']}）早于开始日期（{r['start']}）。请检查是否写反了。"))
            if start.year != r["year"]:
                problems.append(problem("announced-year", shown, fm.line(("announced", i, "year")),
                                        f"year 写的是 {r['year']}，但开始日期在 {start.year} 年。"))
            ranges.append(AnnouncedRange(r["year"], start, end, r.get("theme", ""), r["source_url"]))
        for key in ("start", "end", "venue", "organiser"):
            if key in d:
                problems.append(problem("wrong-kind", shown, fm.line((key,)),
                                        f"{key} 只用于本地活动（kind: local）。宣传日的日期由 rule 决定。"))
    else:
        problems += _order(fm, shown, ("start",), ("end",), "结束时间")
        if d.get("end") and (":" in d["start"]) != (":" in d["end"]):
            problems.append(problem("mixed-dates", shown, fm.line(("end",)),
                                    "开始和结束要么都只写日期（全天活动），要么都写到“时:分”。"))
        for key in ("rule", "announced", "first_year"):
            if key in d:
                problems.append(problem("wrong-kind", shown, fm.line((key,)),
                                        f"{key} 只用于宣传日（kind: observance）。本地活动请写 start 和 end。"))
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


def _rule(fm, shown) -> tuple[Rule, list[Problem]]:
    r = fm.data["rule"]
    kind, problems = r["type"], []
    words = {t.name: t.label for t in vocabulary.terms("rule_types")}[kind]
    for key in _RULE_NEEDS[kind]:
        if key not in r:
            problems.append(problem("missing-key", shown, fm.line(("rule",)), f"rule 是 {kind}（{words}），还要写 {key}。"))
    allowed = set(_RULE_NEEDS[kind]) | {"type"} | ({"days"} if kind == "fixed" else set())
    for key in sorted(set(r) - allowed):
        problems.append(problem("unknown-key", shown, fm.line(("rule", key)), f"rule 是 {kind}（{words}）时不用写 {key}。"))
    month, day = r.get("month"), r.get("day")
    if kind == "fixed" and month and day:
        last = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
        if day > last:
            problems.append(problem("bad-date", shown, fm.line(("rule", "day")), f"{month} 月没有 {day} 日（最多 {last} 日）。"))
    if kind == "lunar" and day and day > 30:
        problems.append(problem("bad-date", shown, fm.line(("rule", "day")), f"农历每月最多 30 天，写的是 {day}。"))
    weekday = vocabulary.names("weekdays").index(r["weekday"]) if "weekday" in r else None
    return Rule(kind, month, day, weekday, r.get("ordinal"), r.get("days", 1)), problems


def _build_place(fm, rel, shown):
    d = fm.data
    problems = _order(fm, shown, ("published",), ("updated",), "更新日期")
    loc = d.get("location")
    location = None
    if isinstance(loc, dict):
        location = Location(float(loc["lat"]), float(loc["lon"]), loc["crs"], fm.line(("location",)))
    if d.get("level") and d["kind"] not in vocabulary.in_group("place_kinds", "area"):
        problems.append(problem("wrong-kind", shown, fm.line(("level",)), f"level（级别）只用于"
                                f"{'、'.join(vocabulary.in_group('place_kinds', 'area'))}。"))
    record = Place(**_common(fm, rel), kind=d["kind"], level=d.get("level", ""), town=d.get("town", ""),
                   address=d["address"], location=location,
                   photos=tuple(Photo(src, p["alt"], p.get("caption", "")) for p in d.get("photos", [])
                                if (src := docs_path(rel, p["src"])) is not None),  # one leaving docs/ is refused
                   hours=d.get("hours", ""), features=tuple(d.get("features", ())), built=d.get("built", ""),
                   source=d["source"], source_url=d.get("source_url", ""), laws=tuple(d.get("laws", ())))
    return record, problems


def _order(fm, shown, first: tuple, second: tuple, what: str) -> list[Problem]:
    a, b = _get(fm.data, first), _get(fm.data, second)
    if a is None or b is None or not _before(a, b):
        return []
    return [problem("end-before-start", shown, fm.line(second),
                    f"{what}（{b}）早于{'开始时间' if second == ('end',) else '前面的日期'}（{a}）。请检查是否写反了。")]


def _get(data, path):
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data if isinstance(data, str) else None


def docs_path(rel: str, target: str | None) -> str | None:
    """The docs-relative path of a relative reference from `rel`, or None when it leaves docs/."""
    if not target:
        return None
    from urllib.parse import unquote
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(target)))
    return None if joined.startswith("../") or joined == ".." or joined.startswith("/") else joined


_BUILDERS = {"law": _build_law, "lecture": _build_lecture, "event": _build_event, "place": _build_place,
             "questions": _build_questions}
