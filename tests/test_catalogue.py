"""Lists and rules as data, each defined once: the problem catalogue (rules.yaml) and the controlled lists
(vocabulary.yaml), and the code that must take them from there."""

from __future__ import annotations

import re

from conftest import ROOT
from pufa.content import vocabulary
from pufa.content.schema import _CODES
from pufa.problems import ERROR, WARNING, catalogue, problem

SOURCE = ROOT / "src" / "pufa"


def python_sources() -> dict[str, str]:
    return {p.relative_to(SOURCE).as_posix(): p.read_text("utf-8") for p in SOURCE.rglob("*.py")}


def test_every_rule_has_a_severity_and_a_chinese_summary():
    for rule in catalogue().values():
        assert rule.severity in (ERROR, WARNING), rule
        assert re.search(r"[\u4e00-\u9fff]", rule.summary), rule


def test_every_problem_code_the_code_can_raise_is_in_the_catalogue():
    found = set()
    for text in python_sources().values():
        found |= set(re.findall(r'\bproblem\(\s*"([a-z0-9-]+)"', text))
        found |= set(re.findall(r'self\.add\(\s*"([a-z0-9-]+)"', text))
    found |= set(_CODES.values()) | {"schema"}
    assert found, "no problem codes found: the pattern above no longer matches the code"
    assert sorted(found - set(catalogue())) == []


def test_every_catalogued_rule_is_used_somewhere():
    text = "\n".join(python_sources().values())
    assert [code for code in catalogue() if f'"{code}"' not in text] == []


def test_a_rules_severity_comes_from_the_catalogue_only():
    assert problem("placeholder-draft", "docs/x.md", 3, "x").severity == WARNING
    assert problem("placeholder", "docs/x.md", 3, "x").severity == ERROR
    for name, text in python_sources().items():
        assert not re.search(r"Problem\([^)]*,\s*(ERROR|WARNING)\s*,", text), name


def test_controlled_lists_are_not_written_out_again_in_code():
    """A list from vocabulary.yaml written as a literal in code would drift from the data."""
    for list_name in ("audiences", "place_kinds", "weekdays", "topics", "hotlines"):
        names = vocabulary.names(list_name)
        for path, text in python_sources().items():
            literal = [n for n in names if f'"{n}"' in text]
            assert len(literal) < 2, (list_name, path, literal)
