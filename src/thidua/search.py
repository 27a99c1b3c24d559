"""Finding units, groups and people by name or id, ignoring case and diacritics.

A planner types "tan binh" and finds "Quận Tân Bình": names and the query are both folded by
`thidua.text.fold`, and every word of the query must start a word of the name or id, or occur
inside it.
"""

from __future__ import annotations

import enum

import attrs

from thidua.model import Plan
from thidua.text import fold

__all__ = ["Found", "Kind", "SearchIndex", "search"]


class Kind(enum.StrEnum):
    UNIT = "unit"
    GROUP = "group"
    STAFF = "staff"


@attrs.frozen
class Found:
    """One match: what it is, its id and name, and how well it matched (higher is better)."""

    kind: Kind
    id: str
    name: str
    score: int


@attrs.frozen
class _Entry:
    kind: Kind
    id: str
    name: str
    key: str  # the folded name and id, space separated
    words: tuple[str, ...]


def _score(entry: _Entry, query: str, words: tuple[str, ...]) -> int:
    """0 when some query word is missing; otherwise more for whole-name, prefix, phrase and
    word-start matches, so "quan 1" ranks "Quận 1" above "Quận 10"."""
    if not all(word in entry.key for word in words):
        return 0
    folded_name = entry.words
    score = 1
    name = " ".join(folded_name)
    if name == query:
        score += 100
    elif name.startswith(query):
        score += 50
    elif f" {query}" in f" {name}":
        score += 20  # the words in the order typed: "tan binh" is Tân Bình before Bình Tân
    score += 10 * sum(any(w.startswith(word) for w in folded_name) for word in words)
    score += 5 * sum(word in folded_name for word in words)
    return score


class SearchIndex:
    """The folded names of one plan's units, groups and people, built once and searched often."""

    def __init__(self, plan: Plan) -> None:
        entries = [
            *(_entry(Kind.GROUP, g.id, g.name) for g in plan.groups),
            *(_entry(Kind.UNIT, u.id, u.name) for u in plan.units),
            *(_entry(Kind.STAFF, s.id, s.name) for s in plan.staff),
        ]
        self._entries = tuple(entries)

    def search(self, query: str, limit: int | None = 50) -> list[Found]:
        """The best matches for `query`, best first (groups, then units, then people on ties);
        an empty query finds nothing."""
        folded = fold(query)
        words = tuple(folded.split())
        if not words:
            return []
        scored = [
            (score, index, entry)
            for index, entry in enumerate(self._entries)
            if (score := _score(entry, folded, words))
        ]
        scored.sort(key=lambda item: (-item[0], item[1]))
        found = [Found(entry.kind, entry.id, entry.name, score) for score, _, entry in scored]
        return found if limit is None else found[:limit]


def _entry(kind: Kind, identifier: str, name: str) -> _Entry:
    words = tuple(fold(name).split())
    return _Entry(kind, identifier, name, " ".join(words) + " " + identifier, words)


def search(plan: Plan, query: str, limit: int | None = 50) -> list[Found]:
    """Units, groups and people of `plan` matching `query`, best first. To search one plan
    many times (as a search box does on every key), build a `SearchIndex` once instead."""
    return SearchIndex(plan).search(query, limit)
