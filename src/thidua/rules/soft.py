"""The objective terms of the soft rules: counted on a plan (`thidua.cohesion`) and encoded.

A soft rule adds no constraint but a penalty term equal to its check's count, and only where
the plan configures it with a positive weight (a switched-off term costs the model nothing).
Its auxiliary variables are defined exactly, so a plan fixed in the model has the term value
the check counts. Soft terms add nothing in explanation mode: they cannot make a plan
impossible.
"""

from __future__ import annotations

import math

from thidua import cohesion
from thidua.i18n import N_
from thidua.model import Plan
from thidua.rules.base import Term
from thidua.rules.encoder import Encoder, Expression, Literal, Penalty

__all__ = ["NEIGHBOUR_COHESION", "TAG_COHESION"]


def _switched_off(enc: Encoder, term: Term) -> bool:
    plan = enc.plan
    return enc.explain or not term.configured(plan) or term.weight(plan.rules.objective) <= 0


def _encode_tag_cohesion(enc: Encoder, baseline: Plan) -> Penalty | None:
    """Per group: members holding a listed tag, minus the most that hold one same tag."""
    plan = enc.plan
    if _switched_off(enc, TAG_COHESION):
        return None
    tags = {unit.id: cohesion.listed_tags(plan, unit) for unit in plan.units}
    parts: list[Expression] = []
    upper = 0
    for group in plan.groups:
        holders = [(unit, literal) for unit, literal in enc.members_of(group.id) if tags[unit]]
        present = dict.fromkeys(tag for unit, _ in holders for tag in tags[unit])
        if len(present) < 2:
            continue  # every member holding a listed tag holds the same one
        counts = [[literal for unit, literal in holders if tag in tags[unit]] for tag in present]
        majority = enc.maximum(counts, len(holders))
        parts.append(enc.total(literal for _, literal in holders) - majority)
        upper += len(holders)
    return Penalty(enc.total(parts), upper)


def _encode_neighbour_cohesion(enc: Encoder, baseline: Plan) -> Penalty | None:
    """Pairs minus the pairs some group holds together.

    A pair is together in a group when both are members; a unit is in one group only (a hard
    rule), so summing over groups counts each pair kept once. The cut: a connected set of
    neighbours larger than a group spreads over at least ceil(size / high) groups, which cuts
    at least that many minus one of its pairs.
    """
    plan = enc.plan
    if _switched_off(enc, NEIGHBOUR_COHESION):
        return None
    pairs = cohesion.neighbour_pairs(plan)
    kept: dict[tuple[str, str], list[Literal]] = {}
    for first, second in pairs:
        groups = dict(enc.groups_of(first))
        kept[first, second] = [
            enc.conjunction(groups[group], literal)
            for group, literal in enc.groups_of(second)
            if group in groups
        ]
        # Together in one group at most, said as a linear constraint for CP-SAT's LP.
        enc.cut(1 - enc.total(kept[first, second]), 0)
    together = [literal for literals in kept.values() for literal in literals]
    high = plan.rules.group_size[1]
    kinds = {unit.id: unit.kind for unit in plan.units}
    inside = [pair for pair in pairs if kinds[pair[0]] == kinds[pair[1]]]
    for component in cohesion.pair_components([unit.id for unit in plan.units], inside):
        if high <= 0 or len(component) <= high:
            continue
        members = set(component)
        edges = [pair for pair in inside if pair[0] in members]
        split = len(edges) - enc.total(lit for pair in edges for lit in kept[pair])
        enc.cut(split, math.ceil(len(component) / high) - 1)
    return Penalty(len(pairs) - enc.total(together), len(pairs))


def _count_tag_cohesion(plan: Plan, last: Plan | None) -> int:
    return cohesion.tag_cohesion(plan)


def _count_neighbour_cohesion(plan: Plan, last: Plan | None) -> int:
    return cohesion.neighbour_cohesion(plan)


def _pairs_across_kinds(plan: Plan, baseline: Plan) -> int:
    """Neighbour pairs of units of different kinds: split in every plan, since a group holds
    one kind."""
    units = plan.unit_by_id
    return sum(units[a].kind != units[b].kind for a, b in cohesion.neighbour_pairs(plan))


def _has_cohesion_tags(plan: Plan) -> bool:
    return bool(plan.rules.cohesion_tags)


def _has_neighbours(plan: Plan) -> bool:
    return bool(plan.neighbours)


TAG_COHESION = Term(
    cohesion.TAG_COHESION,
    "Members holding a tag of rules.cohesion_tags other than their group's majority tag.",
    _count_tag_cohesion,
    _encode_tag_cohesion,
    configured=_has_cohesion_tags,
    label=N_("Units outside their group's majority tag"),
)
NEIGHBOUR_COHESION = Term(
    cohesion.NEIGHBOUR_COHESION,
    "Neighbour pairs (plan.neighbours) that no group holds together.",
    _count_neighbour_cohesion,
    _encode_neighbour_cohesion,
    configured=_has_neighbours,
    lower=_pairs_across_kinds,
    label=N_("Neighbour pairs split"),
)
