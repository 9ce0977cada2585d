"""Generate a synthetic N-page site twice: as a pufa project and as a bare Material project.

    python scripts/synthetic_site.py [N] [OUT]        (defaults: 1000, .cache/synthetic-N)

OUT/pufa/      the repository's mkdocs.yml, county.yml and overrides/ with generated docs/: about 12 % law topics,
               each with its six lectures (机关 … 单位), and the rest events (observance days and local
               events), every file with valid front matter (src/pufa/content/schemas/).
OUT/material/  the same Markdown without front matter, in a project with only `theme: material` (zh) and
               Material's search plugin, and the same top-level nav: the baseline for the benchmarks.

Body text (~7 KB of UTF-8 per page) is recombined, with a fixed seed, from the sentences of the
repository's own pages, so the characters and words are real but more repetitive than a real site.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOPIC_SHARE = 0.12  # law topics; each brings six lectures, so topics + lectures are ~84 % of pages
PAGE_BYTES = 7000
AUDIENCES = {"organ": "机关", "school": "学校", "enterprise": "企业", "community": "社区", "village": "乡村", "unit": "单位"}
LAWS = ["中华人民共和国反电信网络诈骗法", "中华人民共和国未成年人保护法", "中华人民共和国国家安全法",
        "中华人民共和国妇女权益保障法", "中华人民共和国宪法", "中华人民共和国法治宣传教育法",
        "中华人民共和国个人信息保护法", "中华人民共和国消费者权益保护法", "中华人民共和国道路交通安全法",
        "中华人民共和国消防法", "中华人民共和国禁毒法", "中华人民共和国国防教育法"]
TOPICS = ["反诈", "网络安全", "个人信息保护", "未成年人保护", "国家安全", "妇女权益", "宪法", "普法",
          "消费者权益", "交通安全", "消防安全", "禁毒", "国防教育"]
HEADINGS = ["这部法律管什么", "要点", "情景示例", "常见问答", "求助渠道", "身边的案例", "怎么做", "记住这几句话",
            "法律怎么规定", "给家长的提醒", "给单位的提醒", "讨论与练习"]
# Copied from the repository (section pages list their records through pufa's templates); the home
# and about pages are generated, since the real ones link to pages the synthetic site does not have.
SECTION_PAGES = ("laws/index.md", "events/index.md", "parks/index.md")
HOME_PAGES = {"index.md": "枣阳普法", "about.md": "关于本站"}


def sentences(docs: Path) -> list[str]:
    """Every Chinese sentence in the repository's pages, without front matter and Markdown markup."""
    found = []
    for path in sorted(docs.rglob("*.md")):
        text = strip_front_matter(path.read_text("utf-8"))
        for line in text.splitlines():
            line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links and images → their text
            line = re.sub(r"^\s*(#+|[-*>]|\d+\.)\s*", "", line).replace("**", "").replace("`", "")
            found += [s for s in re.findall(r"[^。！？]+[。！？]", line) if len(s) >= 8 and "|" not in s]
    if len(found) < 50:
        raise SystemExit(f"{docs} has too little text to recombine ({len(found)} sentences)")
    return found


def strip_front_matter(text: str) -> str:
    return re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)


def front_and_body(text: str) -> tuple[dict, str]:
    """A page's front matter (parsed) and its Markdown body."""
    import yaml

    match = re.match(r"\A---\n(.*?)\n---\n", text, flags=re.S)
    return (yaml.safe_load(match[1]) or {}, text[match.end():]) if match else ({}, text)


def body(rng: random.Random, pool: list[str]) -> str:
    parts, size = [], 0
    for heading in rng.sample(HEADINGS, k=len(HEADINGS)):
        parts.append(f"## {heading}\n")
        for _ in range(rng.randint(2, 4)):
            paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
            parts.append(paragraph + "\n")
            size += len(paragraph.encode())
        if size >= PAGE_BYTES:
            break
    return "\n".join(parts)


def front(fields: dict) -> str:
    lines = []
    for key, value in fields.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {v}" for k, v in value.items()]
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {v}" for v in value]
        else:
            lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def pages(n: int, pool: list[str], seed: int = 20261126) -> dict[str, tuple[dict | None, str]]:
    """Relative path → (front matter or None, Markdown body)."""
    rng = random.Random(seed)
    out: dict[str, tuple[dict | None, str]] = {}
    fixed = len(SECTION_PAGES) + len(HOME_PAGES)
    topics = max(1, round((n - fixed) * TOPIC_SHARE))
    events = max(0, n - fixed - topics * 7)
    for rel, title in HOME_PAGES.items():
        if rel == "index.md":  # the home page's layout and the line where its generated sections go
            out[rel] = ({"title": title, "template": "home.html"}, f"# {title}\n\n<!-- pufa:sections -->\n\n" + body(rng, pool))
        else:
            out[rel] = ({"title": title}, f"# {title}\n\n" + body(rng, pool))
    for i in range(topics):
        law = LAWS[i % len(LAWS)]
        short = law.removeprefix("中华人民共和国")
        slug = f"topic-{i:04d}"
        out[f"laws/{slug}.md"] = ({
            "title": f"{short}专题（{i + 1}）", "slug": slug,
            "summary": f"用大白话讲清《{short}》的要点、常见问题和求助渠道（第 {i + 1} 篇）。",
            "law": {"name": law, "short_name": short, "adopted": "2022-09-02", "effective": "2022-12-01",
                    "source_url": "https://flk.npc.gov.cn/"},
            "audiences": "[" + ", ".join(AUDIENCES.values()) + "]",
            "topics": f"[{TOPICS[i % len(TOPICS)]}]", "published": "2026-11-26"}, body(rng, pool))
        for audience_id, audience in AUDIENCES.items():
            out[f"laws/{slug}/{audience_id}.md"] = ({
                "title": f"{audience}讲稿：{short}（{i + 1}）", "topic": slug, "audience": audience,
                "summary": f"面向{audience}的{short}宣讲稿，约二十分钟，附讨论题。", "minutes": 20,
                "outline": rng.sample(HEADINGS, k=4), "questions": [f"关于“{q}”，你有什么想法？" for q in rng.sample(HEADINGS, k=3)],
                "published": "2026-11-26"}, body(rng, pool))
    for i in range(events):
        slug = f"event-{i:04d}"
        fields = {"title": f"法治宣传活动（{i + 1}）", "slug": slug,
                  "summary": f"第 {i + 1} 场法治宣传活动：时间、地点、对象和宣传内容。"}
        if i % 3:
            fields |= {"kind": "local", "start": f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d} 09:30",
                       "venue": "枣阳市民广场", "organiser": "枣阳市司法局", "audiences": "[社区]"}
        else:
            fields |= {"kind": "observance", "rule": f"{{type: fixed, month: {i % 12 + 1}, day: {i % 28 + 1}}}",
                       "source_url": "https://flk.npc.gov.cn/"}
        out[f"events/{slug}.md"] = (fields | {"published": "2026-11-26"}, body(rng, pool))
    return out


def write(n: int, out: Path) -> None:
    pool = sentences(ROOT / "docs")
    generated = pages(n, pool)
    shutil.rmtree(out, ignore_errors=True)
    pufa, material = out / "pufa", out / "material"
    pufa.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", pufa / "mkdocs.yml")
    shutil.copy2(ROOT / "county.yml", pufa / "county.yml")
    shutil.copytree(ROOT / "overrides", pufa / "overrides")
    for rel in SECTION_PAGES:
        target = pufa / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "docs" / rel, target)
        generated.setdefault(rel, (None, strip_front_matter((ROOT / "docs" / rel).read_text("utf-8"))))
    for rel, (fields, text) in generated.items():
        for project, head in ((pufa, front(fields) if fields else None), (material, "")):
            target = project / "docs" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if project is pufa and head is None:
                continue  # an index page copied above, with its own front matter
            target.write_text((head or "") + text, "utf-8")
    nav = re.search(r"(?ms)^nav:\n.*", (ROOT / "mkdocs.yml").read_text("utf-8"))
    (material / "mkdocs.yml").write_text(
        "site_name: 枣阳普法\nuse_directory_urls: true\ntheme:\n  name: material\n  language: zh\n"
        "plugins:\n  - search\n" + (nav[0] if nav else ""), "utf-8")
    print(f"{len(generated)} pages → {pufa} and {material}")


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    write(count, Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / ".cache" / f"synthetic-{count}")
