"""Validate front matter against the schemas in `schemas/`, with a Chinese message per field.

The schemas are JSON Schema (draft 2020-12) written as YAML data. Three extension keys carry the
words an editor reads: `x-label` (the field's name), `x-hint` (how to fix it) and `x-messages`
(one message per failing keyword). `x-vocabulary: audiences` fills an enum from the package's
vocabulary.yaml, `x-county: towns` from the site's own county.yml.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from functools import cache
from importlib import resources

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from . import vocabulary
from .frontmatter import FrontMatter
from ..problems import Problem, problem

_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1900, 2100  # outside this a date is a typo; far-off dates also overflow date arithmetic
_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
               "array": "列表", "object": "一组字段", "null": "空值"}


def parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def parse_date_or_datetime(value: str) -> dt.date | dt.datetime:
    match = _DATETIME.match(value)
    if match:
        return dt.datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}")
    return dt.date.fromisoformat(value)


def date_problem(value: str) -> str | None:
    """Why `value` is not a real YYYY-MM-DD date, in words, or None if it is one."""
    match = _DATE.match(value)
    if not match:
        return f"“{value}”不是日期格式。请写成 2026-03-08 这样（四位年-两位月-两位日）。"
    year, month, day = (int(g) for g in match.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"“{value}”的年份 {year} 不对：只能写 {FIRST_YEAR}～{LAST_YEAR} 年之间的日期。"
    if not 1 <= month <= 12:
        return f"“{value}”里的月份 {month} 不存在（只有 1～12 月）。"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"“{value}”这一天不存在：{year} 年 {month} 月只有 {last} 天。"
    return None


_formats = FormatChecker(formats=())


@_formats.checks("date")
def _is_date(value) -> bool:
    return not isinstance(value, str) or date_problem(value) is None


@_formats.checks("date-or-local-datetime")
def _is_date_or_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    match = _DATETIME.match(value)
    if match:
        hour, minute = int(match[2]), int(match[3])
        return date_problem(match[1]) is None and hour < 24 and minute < 60
    return date_problem(value) is None


@_formats.checks("web-url")
def _is_web_url(value) -> bool:
    return not isinstance(value, str) or bool(re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+(/[^\s]*)?$", value))


@_formats.checks("https-url")
def _is_https_url(value) -> bool:
    return not isinstance(value, str) or bool(re.match(r"^https://[^\s/?#]+\.[^\s/?#]+(/[^\s]*)?$", value))


def _fill(node, county: dict[str, tuple[str, ...]]):
    """Fill `enum`s from the controlled lists: `x-vocabulary` (package-wide) and `x-county` (the site's)."""
    if isinstance(node, dict):
        if "x-vocabulary" in node:
            node["enum"] = vocabulary.names(node["x-vocabulary"])
        if "x-county" in node:
            node["enum"] = list(county.get(node["x-county"], ()))
        for value in node.values():
            _fill(value, county)
    elif isinstance(node, list):
        for value in node:
            _fill(value, county)
    return node


def _raw_schemas() -> dict[str, dict]:
    folder = resources.files("pufa.content").joinpath("schemas")
    return {f.name: yaml.safe_load(f.read_text("utf-8")) for f in folder.iterdir() if f.name.endswith(".yaml")}


@cache
def _schemas(county: tuple = ()) -> tuple[dict[str, dict], Registry]:
    lists = dict(county)
    loaded = {name: _fill(s, lists) for name, s in _raw_schemas().items()}
    registry = Registry().with_resources((name, Resource.from_contents(s, default_specification=_draft()))
                                         for name, s in loaded.items())
    return loaded, registry


def _draft():
    from referencing.jsonschema import DRAFT202012
    return DRAFT202012


def schema(kind: str, county: tuple = ()) -> dict:
    return _schemas(county)[0][f"{kind}.yaml"]


@cache
def _validator(kind: str, county: tuple = ()) -> Draft202012Validator:
    loaded, registry = _schemas(county)
    return Draft202012Validator(loaded[f"{kind}.yaml"], registry=registry, format_checker=_formats)


def validate(kind: str, fm: FrontMatter, path: str, county: tuple = ()) -> list[Problem]:
    """Every schema problem in the front matter, each at the line of the field concerned.

    `county` holds the site's own lists as ((name, values), …), e.g. (("towns", ("南城街道", …)), …).
    """
    validator = _validator(kind, county)
    problems = []
    for error in validator.iter_errors(fm.data):
        problems += _explain(error, fm, path, validator, county)
    return sorted(set(problems))


def _deref(node, county: tuple = ()):
    """Follow `$ref`s (all refs point into common.yaml), keeping sibling keys such as x-label."""
    resolver = _schemas(county)[1].resolver()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        target = resolver.lookup(("common.yaml" + ref) if ref.startswith("#") else ref).contents
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node if isinstance(node, dict) else {}


def _field_schema(root: dict, path: tuple, county: tuple = ()) -> dict:
    """Walk the root schema along a data path to find the field's own schema (for labels and hints)."""
    node = root
    for part in path:
        node = _deref(node, county)
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
    return _deref(node, county)


def _name(path: tuple, label: str | None) -> str:
    dotted = ".".join(str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in path).replace(".[", "[")
    return f"{dotted}（{label}）" if label else dotted


# jsonschema's keyword → the rule code an editor's message carries.
_CODES = {"required": "missing-key", "additionalProperties": "unknown-key", "type": "wrong-type", "maxLength": "too-long",
          "minLength": "too-short", "enum": "not-in-list", "const": "not-in-list", "minimum": "out-of-range",
          "maximum": "out-of-range", "minItems": "item-count", "maxItems": "item-count", "uniqueItems": "duplicate-item",
          "pattern": "pattern", "format": "bad-format"}


def _explain(error, fm: FrontMatter, path: str, validator, county: tuple = ()) -> list[Problem]:
    at = tuple(error.absolute_path)
    line = fm.line(at)
    root = validator.schema
    here = _field_schema(root, at, county)
    label = here.get("x-label")
    hint = here.get("x-hint", "")
    custom = (here.get("x-messages") or {}).get(error.validator)
    name = _name(at, label)
    kind = error.validator

    if kind == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)[1]
        child = _field_schema(root, at + (missing,), county)
        where = f"{_name(at, label)} 里" if at else ""
        text = f"{where}缺少必填字段 {_name((missing,), child.get('x-label'))}。{child.get('x-hint', '')}"
        return [problem("missing-key", path, line, text.strip())]
    if kind == "additionalProperties":
        allowed = sorted(here.get("properties", {}))
        problems = []
        for extra in sorted(set(error.instance) - set(allowed)):
            close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            guess = f"是不是想写 {close[0]}？" if close else ""
            where = f"{name} 里" if at else ""
            problems.append(problem("unknown-key", path, fm.line(at + (extra,)),
                                    f"{where}没有 {extra} 这个字段。{guess}可用的字段：{'、'.join(allowed)}。"))
        return problems
    if custom:
        return [problem(_CODES.get(kind, "schema"), path, line, f"{name}：{custom}")]
    if kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        got = _describe(error.instance)
        text = f"{name} 应当是{_TYPE_NAMES.get(expected, expected)}，现在写的是{got}。{hint}"
        return [problem("wrong-type", path, line, text.strip())]
    if kind == "format":
        if error.validator_value == "date":
            why = date_problem(error.instance)
        elif error.validator_value == "date-or-local-datetime":
            why = f"“{error.instance}”不是有效的日期或时间。"
        elif error.validator_value == "web-url":
            why = f"“{error.instance}”不是有效的网址。"
        else:
            why = f"“{error.instance}”不是有效的 https 网址。"
        return [problem("bad-date" if "date" in error.validator_value else "bad-url", path, line, f"{name}：{why}{hint}")]
    if kind == "maxLength":
        return [problem("too-long", path, line, f"{name} 最多 {error.validator_value} 个字，现在是 {len(error.instance)} 个字。请删短。{hint}".strip())]
    if kind == "minLength":
        return [problem("too-short", path, line, f"{name} 至少要 {error.validator_value} 个字，现在是 {len(error.instance)} 个字。{hint}".strip())]
    if kind == "enum":
        allowed = "、".join(str(v) for v in error.validator_value)
        return [problem("not-in-list", path, line, f"{name} 不能写“{error.instance}”，只能从这些值里选：{allowed}。")]
    if kind == "const":
        return [problem("not-in-list", path, line, f"{name} 应当是 {error.validator_value}。")]
    if kind in ("minimum", "maximum"):
        bound = "不能小于" if kind == "minimum" else "不能大于"
        return [problem("out-of-range", path, line, f"{name} {bound} {error.validator_value}，现在是 {error.instance}。{hint}".strip())]
    if kind in ("minItems", "maxItems"):
        bound = "至少" if kind == "minItems" else "最多"
        return [problem("item-count", path, line, f"{name} {bound}要有 {error.validator_value} 项，现在有 {len(error.instance)} 项。{hint}".strip())]
    if kind == "uniqueItems":
        return [problem("duplicate-item", path, line, f"{name} 里有重复的项。请删掉重复的。")]
    if kind == "pattern":
        return [problem("pattern", path, line, f"{name} 的写法不对：“{error.instance}”。{hint}".strip())]
    return [problem("schema", path, line, f"{name}：写法不符合要求（{error.message}）。{hint}".strip())]


def _describe(value) -> str:
    if isinstance(value, bool):
        return f" {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字“{value}”"
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, dict):
        return "一组字段"
    return "空值（冒号后面什么也没写）"
