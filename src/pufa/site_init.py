"""`pufa init DIR`: a new county's site that builds at once.

Writes mkdocs.yml, county.yml (values the user gave; 待填写 for the rest, which `pufa check` reports as
warnings, never an invented value), docs/ with a home page, an about page and the three sections (each
telling the editor how to add its first item), README.md and CONTRIBUTING.md for that site, a Makefile
with `make serve` / `make test`, and CI for GitHub Actions, GitLab CI (with a Code Quality report) and
Gitea/Forgejo Actions. Flags make it scriptable; without --yes and on a terminal it asks in Chinese.
The national observance days come with pufa itself (the pack), so the new site's calendar is full.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from string import Template

from . import __version__
from .county import UNKNOWN

QUESTIONS = (  # (argument, question)
    ("county", "县级行政区全称（如 宜城市）"),
    ("short_name", "简称（如 宜城）"),
    ("code", "6 位行政区划代码"),
    ("prefecture", "所属地级市（州、盟）"),
    ("province", "所属省（自治区、直辖市）"),
    ("publisher", "主办单位（如 宜城市司法局）"),
    ("site_url", "网站的正式网址（还没有可以先空着）"),
    ("towns", "街道和乡镇，用逗号分隔（可以先空着）"),
    ("bbox", "地区范围：南,西,北,东（WGS-84 度，可以先空着）"),
)
# Template file → where it goes in the new site; rendered ones get the site's values.
RENDERED = {"mkdocs.yml": "mkdocs.yml", "county.yml": "county.yml", "requirements.txt": "requirements.txt",
            "README.md": "README.md", "CONTRIBUTING.md": "CONTRIBUTING.md", "docs/index.md": "docs/index.md",
            "docs/about.md": "docs/about.md", "docs/laws/index.md": "docs/laws/index.md",
            "docs/events/index.md": "docs/events/index.md", "docs/parks/index.md": "docs/parks/index.md"}
COPIED = {"Makefile": "Makefile", "gitignore": ".gitignore", "ci/github.yml": ".github/workflows/pufa.yml",
          "ci/gitlab.yml": ".gitlab-ci.yml", "ci/gitea.yml": ".gitea/workflows/pufa.yml"}


def init_site(args) -> int:
    target = Path(args.directory)
    answers = {key: getattr(args, key, None) for key, _ in QUESTIONS}
    if not args.yes and sys.stdin.isatty():
        print("为新网站填写本地信息（直接回车表示暂时不知道，稍后在 county.yml 里补上）：")
        for key, question in QUESTIONS:
            if not answers.get(key):
                answers[key] = input(f"{question}：").strip()
    values, problems = site_values(answers)
    if problems:
        for message in problems:
            print(message, file=sys.stderr)
        return 2
    written, kept = write_site(target, values)
    print(f"已在 {target.as_posix()} 生成新的普法网站（新写 {len(written)} 个文件，已有的 {len(kept)} 个没有改动）。")
    print("下一步：进入这个文件夹，运行 make serve 预览，运行 make test 检查；county.yml 里写着“待填写”的地方请按官方资料补上。")
    return 0


def short_name(county: str) -> str:
    """宜城市 → 宜城, 襄州区 → 襄州; names whose short form is not the name less its last character
    (自治县 and 自治旗 such as 长阳土家族自治县 → 长阳, or one-character names) are left for the user to give."""
    if county == UNKNOWN or "自治" in county or len(county) < 3 or county[-1] not in "市县区旗":
        return UNKNOWN
    return county[:-1]


def site_values(answers: dict) -> tuple[dict[str, str], list[str]]:
    """The template values from the answers; 待填写 where none was given. Problems for malformed input."""
    problems = []
    get = lambda key: (answers.get(key) or "").strip()  # noqa: E731
    county = get("county") or UNKNOWN
    short = get("short_name") or short_name(county)
    code = get("code") or UNKNOWN
    if code != UNKNOWN and not (code.isdigit() and len(code) == 6):
        problems.append(f"行政区划代码“{code}”不对：要写 6 位数字。")
    towns = [t.strip() for t in get("towns").replace("，", ",").split(",") if t.strip()] or [UNKNOWN]
    bbox = UNKNOWN
    if get("bbox"):
        try:
            south, west, north, east = (float(v) for v in get("bbox").replace("，", ",").split(","))
            if not (south < north and west < east):
                raise ValueError
            bbox = f"{{south: {south}, west: {west}, north: {north}, east: {east}}}"
        except ValueError:
            problems.append("地区范围要写成 南,西,北,东 四个数字（纬度在前、南小北大、西小东大），如 31.5,112.0,31.9,112.6。")
    site_url = get("site_url") or "https://pufa.example/"
    if not site_url.startswith(("http://", "https://")):
        problems.append(f"网址“{site_url}”要以 https:// 开头。")
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    publisher = get("publisher") or (f"{county}司法局" if county != UNKNOWN else UNKNOWN)
    own = __version__
    return {
        "county_name": county, "short_name": short, "code": code, "prefecture": get("prefecture") or UNKNOWN,
        "province": get("province") or UNKNOWN, "publisher": publisher,
        "site_name": f"{short}普法" if short != UNKNOWN else "普法网站", "site_url": site_url,
        "towns": "[" + ", ".join(towns) + "]", "bbox": bbox, "levels": f"[全国, 省级, {UNKNOWN}]",
        "version": own, "pufa_requirement": f"pufa=={own}",
    }, problems


def render(source: str, values: dict[str, str]) -> str:
    """One file of the site template, with the site's values filled in where it has them."""
    text = resources.files("pufa").joinpath("templates", "site", source).read_text("utf-8")
    return Template(text).safe_substitute(values) if source in RENDERED else text


def write_site(target: Path, values: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write every file that is not there yet; (written, kept) as site-relative paths."""
    written, kept = [], []
    for source, dest in [*RENDERED.items(), *COPIED.items()]:
        path = target / dest
        if path.exists():
            kept.append(dest)
            continue
        text = render(source, values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(dest)
    (target / "overrides").mkdir(exist_ok=True)
    (target / "docs" / "parks" / "images").mkdir(parents=True, exist_ok=True)
    return written, kept
