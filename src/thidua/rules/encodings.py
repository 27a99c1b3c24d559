"""One CP-SAT encoding per rule, the twin of its check in `thidua.rules.checks`.

Each `encode_<rule>(enc)` adds to `enc.model` the constraints that hold exactly when the
check reports nothing, over the literals of `thidua.solver.variables.Encoding`. They use the
encoding's helpers only, so importing the rules never imports OR-Tools, and every constraint
carries its rule id and subjects for explanations. The subjects are the family an assumption
switches on or off: per kind for `unit-in-one-group`, per group, person or pin elsewhere.

Some of a check's conditions hold by construction of the literals: a unit is listed at most
once per group, a person sits only in the slot of their own role, a unit and group of
different kinds get a literal only where a pin asks for it (see `Scope`).

A soft rule adds no constraint but a penalty term equal to its check's count, and only where
the plan configures it with a positive weight (a switched-off term costs the model nothing).
Its auxiliary variables are defined exactly, so a plan fixed in the model has the term value
the check counts. Soft rules add nothing in explanation mode: they cannot make a plan
impossible.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from thidua import cohesion
from thidua.model import PinKind, Role
from thidua.rules.checks import designated_successor, rotation_barred

if TYPE_CHECKING:
    from thidua.solver.variables import Encoding, Literal

__all__ = [
    "encode_chair_is_member",
    "encode_chair_rotation",
    "encode_chair_succession",
    "encode_deputy_is_member",
    "encode_group_kind",
    "encode_group_size",
    "encode_leader_workload",
    "encode_neighbour_cohesion",
    "encode_officer_workload",
    "encode_one_leader",
    "encode_one_officer",
    "encode_pins_kept",
    "encode_staff_available",
    "encode_tag_cohesion",
    "encode_unit_in_one_group",
]


def encode_unit_in_one_group(enc: Encoding) -> None:
    for unit in enc.plan.units:
        literals = [literal for _, literal in enc.groups_of(unit.id)]
        enc.exactly_one(literals, "unit-in-one-group", (unit.kind,))


def encode_group_kind(enc: Encoding) -> None:
    plan = enc.plan
    for (unit_id, group_id), literal in enc.member.items():
        unit = plan.unit_by_id[unit_id]
        if unit.kind != plan.group_by_id[group_id].kind:
            enc.forbid(literal, "group-kind", (unit_id, group_id))


def encode_group_size(enc: Encoding) -> None:
    low, high = enc.plan.rules.group_size
    for group in enc.plan.groups:
        literals = [literal for _, literal in enc.members_of(group.id)]
        enc.count_between(literals, low, high, "group-size", (group.id,))


def encode_chair_is_member(enc: Encoding) -> None:
    for group in enc.plan.groups:
        chairs = []
        for unit, member in enc.members_of(group.id):
            chair = enc.chair[unit, group.id]
            enc.implies(chair, member, "chair-is-member", (group.id,))
            chairs.append(chair)
        enc.exactly_one(chairs, "chair-is-member", (group.id,))


def encode_chair_rotation(enc: Encoding) -> None:
    for group in enc.plan.groups:
        for unit in sorted(rotation_barred(enc.context, group.id)):
            chair = enc.chair.get((unit, group.id))
            if chair is not None:
                enc.forbid(chair, "chair-rotation", (group.id,))


def encode_chair_succession(enc: Encoding) -> None:
    for group in enc.plan.groups:
        unit = designated_successor(enc.context, group.id)
        if unit is None or (unit, group.id) not in enc.member:
            continue
        member, chair = enc.member[unit, group.id], enc.chair[unit, group.id]
        enc.implies(member, chair, "chair-succession", (group.id,))


def encode_deputy_is_member(enc: Encoding) -> None:
    if not enc.plan.rules.deputy:
        return
    for group in enc.plan.groups:
        deputies = []
        subjects = (group.id,)
        for unit, member in enc.members_of(group.id):
            deputy = enc.deputy[unit, group.id]
            enc.implies(deputy, member, "deputy-is-member", subjects)
            enc.at_most_one([deputy, enc.chair[unit, group.id]], "deputy-is-member", subjects)
            deputies.append(deputy)
        enc.exactly_one(deputies, "deputy-is-member", subjects)


def _one_in_charge(enc: Encoding, role: Role, rule: str) -> None:
    for group in enc.plan.groups:
        literals = [literal for _, literal in enc.staff_of(group.id, role)]
        enc.exactly_one(literals, rule, (group.id,))


def encode_one_leader(enc: Encoding) -> None:
    _one_in_charge(enc, Role.LEADER, "one-leader")


def encode_one_officer(enc: Encoding) -> None:
    _one_in_charge(enc, Role.OFFICER, "one-officer")


def _workload(enc: Encoding, role: Role, rule: str) -> None:
    plan = enc.plan
    for person in plan.staff:
        if person.role is not role:
            continue
        literals = [literal for _, literal in enc.groups_of_person(person.id)]
        limit = plan.max_groups(person)
        if len(literals) > limit:
            enc.count_between(literals, 0, limit, rule, (person.id,))


def encode_leader_workload(enc: Encoding) -> None:
    _workload(enc, Role.LEADER, "leader-workload")


def encode_officer_workload(enc: Encoding) -> None:
    _workload(enc, Role.OFFICER, "officer-workload")


def encode_staff_available(enc: Encoding) -> None:
    for person in enc.plan.staff:
        if not person.available:
            for _, literal in enc.groups_of_person(person.id):
                enc.forbid(literal, "staff-available", (person.id,))


def encode_pins_kept(enc: Encoding) -> None:
    for pin in enc.plan.pins:
        if pin.kind is PinKind.UNIT:
            literal = enc.member.get((pin.subject, pin.group))
        elif pin.kind is PinKind.CHAIR:
            literal = enc.chair.get((pin.subject, pin.group))
        else:
            literal = enc.charge.get((pin.subject, pin.group))
        enc.require(literal, "pins-kept", (pin.kind.value, pin.subject, pin.group))


def _soft_weight(enc: Encoding, term: str) -> int:
    return int(getattr(enc.plan.rules.objective, term, 1))


def encode_tag_cohesion(enc: Encoding) -> None:
    """Per group: members holding a listed tag, minus the most that hold one same tag."""
    plan = enc.plan
    if enc.explain or not plan.rules.cohesion_tags:
        return
    if _soft_weight(enc, cohesion.TAG_COHESION) <= 0:
        return
    tags = {unit.id: cohesion.listed_tags(plan, unit) for unit in plan.units}
    parts = []
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
    enc.add_soft_term(cohesion.TAG_COHESION, enc.total(parts), upper)


def encode_neighbour_cohesion(enc: Encoding) -> None:
    """Pairs minus the pairs some group holds together.

    A pair is together in a group when both are members; a unit is in one group only (a hard
    rule), so summing over groups counts each pair kept once. The cut: a connected set of
    neighbours larger than a group spreads over at least ceil(size / high) groups, which cuts
    at least that many minus one of its pairs.
    """
    plan = enc.plan
    if enc.explain or not plan.neighbours:
        return
    if _soft_weight(enc, cohesion.NEIGHBOUR_COHESION) <= 0:
        return
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
    enc.add_soft_term(cohesion.NEIGHBOUR_COHESION, len(pairs) - enc.total(together), len(pairs))
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
