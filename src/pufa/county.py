"""The county a site serves, read from the site's county.yml: the only source of anything local.

pufa itself names no county. The name, the administrative code, the prefecture and province (which map
apps use to narrow a search), the towns places are grouped by, the bounding box coordinates must fall in,
the publisher (主办单位 and default author), the model-village levels and the coverage figures a county
reports all come from here, validated like content (Chinese messages at the file's lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import frontmatter
from .content.schema import validate
from .places.geo import BoundingBox
from .places.maplinks import Area
from .problems import Problem, problem

FILE = "county.yml"
UNKNOWN = "待填写"
CHINA = BoundingBox(south=3.8, west=73.4, north=53.6, east=135.1)  # where any county's coordinates must fall


@dataclass(frozen=True)
class Town:
    name: str
    code: str = ""


@dataclass(frozen=True)
class Figure:
    """One number a county reports, such as 5 法治文化公园 or 147 市级民主法治示范村."""

    label: str
    kind: str  # a place kind
    count: int
    level: str = ""  # for model villages, one of the county's levels
    text: str = ""  # as the report words it, e.g. 100余

    @property
    def shown(self) -> str:
        return self.text or str(self.count)


@dataclass(frozen=True)
class Coverage:
    source: str
    figures: tuple[Figure, ...]
    source_url: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class County:
    name: str  # 宜城市
    short_name: str  # 宜城
    prefecture: str
    province: str
    publisher: str  # 宜城市司法局
    bbox: BoundingBox | None  # None while county.yml says 待填写
    towns: tuple[Town, ...]
    code: str = ""
    model_village_levels: tuple[str, ...] = ()
    coverage: Coverage | None = None
    bbox_source: str = ""

    @property
    def box(self) -> BoundingBox:
        """The county's bounding box, or all of China while it is not yet known."""
        return self.bbox or CHINA

    @property
    def area(self) -> Area:
        """Where map apps should search for an address."""
        return Area(self.name, self.prefecture, self.province, self.short_name)

    @property
    def town_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.towns)

    def lists(self) -> tuple:
        """The county's controlled lists, in the form the schemas take (`x-county`)."""
        return (("model_village_levels", self.model_village_levels), ("towns", self.town_names))

    def unknown(self) -> list[str]:
        """Fields still 待填写."""
        found = [key for key in ("name", "short_name", "prefecture", "province", "publisher", "code")
                 if getattr(self, key) == UNKNOWN]
        found += ["towns"] if UNKNOWN in self.town_names else []
        return found + (["model_village_levels"] if UNKNOWN in self.model_village_levels else [])


def load_county(path: Path, shown: str = FILE) -> tuple[County | None, list[Problem]]:
    """Read and check county.yml; None (with the problems) when it is missing or unusable."""
    if not path.is_file():
        return None, [problem("county", shown, 1, f"找不到 {FILE}：它写明本站所在的县（市、区）、主办单位和地区范围。"
                              "请从 pufa init 生成的站点复制一份，按本地情况填写。")]
    text, problems = frontmatter.decode(path.read_bytes(), shown)
    if text is None:
        return None, problems
    fm, found = frontmatter.parse_document(text, shown)
    problems += found
    if any(p.is_error for p in problems):
        return None, problems
    unknown_box = fm.data.get("bbox") == UNKNOWN
    if unknown_box:
        fm.data.pop("bbox")
    schema_problems = validate("county", fm, shown)
    problems += schema_problems
    if schema_problems:
        return None, problems
    d = fm.data
    box = d.get("bbox")
    if box and (box["south"] >= box["north"] or box["west"] >= box["east"]):
        return None, problems + [problem("county", shown, fm.line(("bbox",)), "地区范围不对：south 要小于 north，west 要小于 east。")]
    if box is None:
        problems.append(problem("county-unknown", shown, fm.line(("bbox",)), "bbox（地区范围）还没有填写：在此之前，阵地坐标只能按"
                                "全国范围检查，写反或写错的坐标可能发现不了。请写 {south: 南, west: 西, north: 北, east: 东}（WGS-84 度）。"))
    towns = tuple(Town(t) if isinstance(t, str) else Town(t["name"], t.get("code", "")) for t in d["towns"])
    coverage = None
    if d.get("coverage"):
        c = d["coverage"]
        coverage = Coverage(c["source"], tuple(Figure(f["label"], f["kind"], f["count"], f.get("level", ""), f.get("text", ""))
                                               for f in c["figures"]), c.get("source_url", ""), c.get("as_of", ""))
        levels = set(d.get("model_village_levels", ()))
        for i, figure in enumerate(coverage.figures):
            if figure.level and figure.level not in levels:
                problems.append(problem("county", shown, fm.line(("coverage", "figures", i, "level")),
                                        f"级别“{figure.level}”不在 model_village_levels 里。"))
    county = County(name=d["name"], short_name=d["short_name"], prefecture=d["prefecture"], province=d["province"],
                    publisher=d["publisher"], bbox=BoundingBox(box["south"], box["west"], box["north"], box["east"]) if box else None,
                    towns=towns, code=str(d.get("code", "")), model_village_levels=tuple(d.get("model_village_levels", ())),
                    coverage=coverage, bbox_source=d.get("bbox_source", ""))
    for key in county.unknown():
        problems.append(problem("county-unknown", shown, fm.line((key,)), f"{key} 还是“{UNKNOWN}”：请按官方资料填写，"
                                "不知道的先保持“待填写”，不要编造。"))
    return county, problems
