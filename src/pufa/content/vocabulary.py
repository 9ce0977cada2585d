"""The controlled lists in vocabulary.yaml, each value with its ASCII id and its place in the order.

Every list an editor chooses from is defined once there; schemas fill their `enum`s from it
(`x-vocabulary`) and code reads names, ids and order from here, never from its own copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Term:
    name: str  # as an editor writes it
    id: str  # ASCII, for URLs, file names and data
    label: str = ""  # an explanation, where the name alone is not one
    group: str = ""  # a grouping some lists have (place kinds: park, area, site)
    words: tuple[str, ...] = ()  # other words people use for it (audiences)


@cache
def _lists() -> dict[str, tuple[Term, ...]]:
    data = yaml.safe_load(resources.files("pufa.content").joinpath("vocabulary.yaml").read_text("utf-8"))
    return {key: tuple(Term(str(t["name"]), str(t["id"]), t.get("label", ""), t.get("group", ""), tuple(t.get("words", ())))
                       for t in terms) for key, terms in data.items()}


def terms(list_name: str) -> tuple[Term, ...]:
    return _lists()[list_name]


def names(list_name: str) -> list[str]:
    return [t.name for t in terms(list_name)]


def ids(list_name: str) -> dict[str, str]:
    """name → id, in list order."""
    return {t.name: t.id for t in terms(list_name)}


def term(list_name: str, name: str) -> Term | None:
    return next((t for t in terms(list_name) if t.name == name), None)


def in_group(list_name: str, group: str) -> tuple[str, ...]:
    return tuple(t.name for t in terms(list_name) if t.group == group)


def position(list_name: str, name: str) -> int:
    """A value's place in its list; values outside the list sort last."""
    found = names(list_name)
    return found.index(name) if name in found else len(found)
