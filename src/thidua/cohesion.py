"""Cohesion: which units a group should keep together, counted on a plan as it stands.

Two soft rules read these counts (`tag-cohesion` and `neighbour-cohesion` in
`thidua.rules`), their objective terms (`thidua.rules.soft`) report them and the solver
minimises them. Both are configured per plan and count nothing unless the plan asks:

- Tag cohesion (`rules.cohesion_tags`, e.g. the former provinces "hcmc", "binh-duong"): a
  group should hold units of one listed tag only. A group's penalty is the number of its
  members holding a listed tag but not the group's majority tag: the fewest members that
  would have to leave for the group to be cohesive. Members holding none of the listed tags
  count nothing. This grows with how mixed a group is (one stray ward counts one, six count
  six), which "distinct tags in the group minus one" would not tell a planner.
- Neighbour cohesion (`plan.neighbours`): units sharing a border should share a group. The
  penalty is the number of neighbour pairs that no group holds together.

This module reads the plan only, so the rules, the terms and the solver count alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from thidua import geography
from thidua.model import Plan, Unit

__all__ = [
    "NEIGHBOUR_COHESION",
    "SOFT_TERMS",
    "TAG_COHESION",
    "TagMix",
    "kinds_in_play",
    "listed_tags",
    "neighbour_cohesion",
    "neighbour_pairs",
    "pair_components",
    "split_pairs",
    "tag_cohesion",
    "tag_mix",
    "tag_mixes",
]

TAG_COHESION = "tag_cohesion"
NEIGHBOUR_COHESION = "neighbour_cohesion"
# The soft rules' objective terms in their order of priority (entries of `thidua.terms.TERMS`,
# by name, whose bounds the solver knows). What a cluster is comes first: one former province,
# then whole former districts, connected, with short borders between clusters
# (`thidua.geography`); neighbour pairs last, since borders measure the same thing more finely.
SOFT_TERMS = (TAG_COHESION, *geography.GEOGRAPHY_TERMS, NEIGHBOUR_COHESION)


def listed_tags(plan: Plan, unit: Unit) -> tuple[str, ...]:
    """The tags of `rules.cohesion_tags` that `unit` holds, in the order the rules list them."""
    held = set(unit.tags)
    return tuple(tag for tag in plan.rules.cohesion_tags if tag in held)


@attrs.frozen
class TagMix:
    """How one group mixes the listed tags.

    `counts` gives, per listed tag present, how many members hold it (in the rules' order);
    `majority` is the tag most members hold (the one listed first on a tie); `outside` are the
    members holding a listed tag but not the majority one, in member order.
    """

    group: str
    counts: tuple[tuple[str, int], ...]
    majority: str
    outside: tuple[str, ...]

    @property
    def penalty(self) -> int:
        return len(self.outside)


def tag_mix(plan: Plan, members: Sequence[str], group: str = "") -> TagMix | None:
    """The tag mix of a group with these members, or None when no member holds a listed tag."""
    holders: list[tuple[str, tuple[str, ...]]] = []
    for member in dict.fromkeys(members):
        unit = plan.unit_by_id.get(member)
        tags = listed_tags(plan, unit) if unit is not None else ()
        if tags:
            holders.append((member, tags))
    if not holders:
        return None
    counts = {tag: 0 for tag in plan.rules.cohesion_tags}
    for _, tags in holders:
        for tag in tags:
            counts[tag] += 1
    majority = max(counts, key=counts.__getitem__)  # max keeps the first of equal counts
    outside = tuple(member for member, tags in holders if majority not in tags)
    present = tuple((tag, count) for tag, count in counts.items() if count)
    return TagMix(group, present, majority, outside)


def tag_mixes(plan: Plan) -> tuple[TagMix, ...]:
    """The groups that mix listed tags (a positive penalty), in group order."""
    if not plan.rules.cohesion_tags:
        return ()
    found = []
    for group in plan.groups:
        mix = tag_mix(plan, group.members, group.id)
        if mix is not None and mix.outside:
            found.append(mix)
    return tuple(found)


def tag_cohesion(plan: Plan) -> int:
    """The tag cohesion term: members outside their group's majority tag, summed."""
    return sum(mix.penalty for mix in tag_mixes(plan))


def neighbour_pairs(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The plan's neighbour pairs as the rules count them, in file order.

    A pair listed twice (either way round) counts once; a unit paired with itself, or a pair
    naming a unit the plan does not have, counts nothing.
    """
    seen: set[frozenset[str]] = set()
    pairs = []
    for first, second in plan.neighbours:
        key = frozenset((first, second))
        if first == second or key in seen:
            continue
        if first not in plan.unit_by_id or second not in plan.unit_by_id:
            continue
        seen.add(key)
        pairs.append((first, second))
    return tuple(pairs)


def _together(plan: Plan, first: str, second: str) -> bool:
    return bool(set(plan.groups_of_unit.get(first, ())) & set(plan.groups_of_unit.get(second, ())))


def split_pairs(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The neighbour pairs that no group holds together (a unit in no group splits its pairs)."""
    return tuple(pair for pair in neighbour_pairs(plan) if not _together(plan, *pair))


def neighbour_cohesion(plan: Plan) -> int:
    """The neighbour cohesion term: neighbour pairs split between groups."""
    return len(split_pairs(plan))


def kinds_in_play(plan: Plan, term: str) -> tuple[str, ...]:
    """The kinds of unit on which a soft term can vary from one plan to another.

    Tag cohesion: kinds whose units hold two or more different listed tags (with at most one,
    no group of the kind can mix). Neighbour cohesion: kinds with a neighbour pair inside the
    kind (a pair across kinds is split in every plan, since groups hold one kind). Elsewhere
    the term is a constant the solver need not minimise.
    """
    if term in geography.GEOGRAPHY_TERMS:
        return geography.kinds_in_play(plan, term)
    kinds: dict[str, None] = {}
    if term == TAG_COHESION:
        held: dict[str, set[str]] = {}
        for unit in plan.units:
            held.setdefault(unit.kind, set()).update(listed_tags(plan, unit))
        kinds.update((kind, None) for kind, tags in held.items() if len(tags) > 1)
    elif term == NEIGHBOUR_COHESION:
        units = plan.unit_by_id
        for first, second in neighbour_pairs(plan):
            if units[first].kind == units[second].kind:
                kinds[units[first].kind] = None
    return tuple(kinds)


def pair_components(
    units: Sequence[str], pairs: Sequence[tuple[str, str]]
) -> Iterator[tuple[str, ...]]:
    """The connected components of the pairs among `units` (only components of two or more).

    A connected set of units larger than a group must be split, and splitting a connected set
    into p parts cuts at least p - 1 of its pairs: the solver uses that as a lower bound.
    """
    parent = {unit: unit for unit in units}

    def root(unit: str) -> str:
        while parent[unit] != unit:
            parent[unit] = parent[parent[unit]]
            unit = parent[unit]
        return unit

    for first, second in pairs:
        if first in parent and second in parent:
            parent[root(first)] = root(second)
    members: dict[str, list[str]] = {}
    for unit in units:
        members.setdefault(root(unit), []).append(unit)
    for component in members.values():
        if len(component) > 1:
            yield tuple(component)
