"""One CP-SAT encoding per rule, the twin of its check in `thidua.rules.checks`.

Each `encode_<rule>(enc)` adds to `enc.model` the constraints that hold exactly when the
check reports nothing, over the literals of an `Encoder` (`thidua.rules.encoder`). They use
its helpers only, so importing the rules never imports OR-Tools, and every constraint
carries its rule id and subjects for explanations. The subjects are the family an assumption
switches on or off: per kind for `unit-in-one-group`, per group, person or pin elsewhere.

Some of a check's conditions hold by construction of the literals: a unit is listed at most
once per group, a person sits only in the slot of their own role, a unit and group of
different kinds get a literal only where a pin asks for it (see `Scope`).

Soft rules add no constraint: their objective terms are encoded by `thidua.rules.soft`.
"""

from __future__ import annotations

from thidua.model import PinKind, Role
from thidua.rules.checks import designated_successor, rotation_barred
from thidua.rules.encoder import Encoder

__all__ = [
    "encode_chair_is_member",
    "encode_chair_rotation",
    "encode_chair_succession",
    "encode_deputy_is_member",
    "encode_group_kind",
    "encode_group_size",
    "encode_leader_workload",
    "encode_officer_workload",
    "encode_one_leader",
    "encode_one_officer",
    "encode_pins_kept",
    "encode_staff_available",
    "encode_unit_in_one_group",
]


def encode_unit_in_one_group(enc: Encoder) -> None:
    for unit in enc.plan.units:
        literals = [literal for _, literal in enc.groups_of(unit.id)]
        enc.exactly_one(literals, "unit-in-one-group", (unit.kind,))


def encode_group_kind(enc: Encoder) -> None:
    plan = enc.plan
    for (unit_id, group_id), literal in enc.member.items():
        unit = plan.unit_by_id[unit_id]
        if unit.kind != plan.group_by_id[group_id].kind:
            enc.forbid(literal, "group-kind", (unit_id, group_id))


def encode_group_size(enc: Encoder) -> None:
    low, high = enc.plan.rules.group_size
    for group in enc.plan.groups:
        literals = [literal for _, literal in enc.members_of(group.id)]
        enc.count_between(literals, low, high, "group-size", (group.id,))


def encode_chair_is_member(enc: Encoder) -> None:
    for group in enc.plan.groups:
        chairs = []
        for unit, member in enc.members_of(group.id):
            chair = enc.chair[unit, group.id]
            enc.implies(chair, member, "chair-is-member", (group.id,))
            chairs.append(chair)
        enc.exactly_one(chairs, "chair-is-member", (group.id,))


def encode_chair_rotation(enc: Encoder) -> None:
    for group in enc.plan.groups:
        for unit in sorted(rotation_barred(enc.context, group.id)):
            chair = enc.chair.get((unit, group.id))
            if chair is not None:
                enc.forbid(chair, "chair-rotation", (group.id,))


def encode_chair_succession(enc: Encoder) -> None:
    for group in enc.plan.groups:
        unit = designated_successor(enc.context, group.id)
        if unit is None or (unit, group.id) not in enc.member:
            continue
        member, chair = enc.member[unit, group.id], enc.chair[unit, group.id]
        enc.implies(member, chair, "chair-succession", (group.id,))


def encode_deputy_is_member(enc: Encoder) -> None:
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


def _one_in_charge(enc: Encoder, role: Role, rule: str) -> None:
    for group in enc.plan.groups:
        literals = [literal for _, literal in enc.staff_of(group.id, role)]
        enc.exactly_one(literals, rule, (group.id,))


def encode_one_leader(enc: Encoder) -> None:
    _one_in_charge(enc, Role.LEADER, "one-leader")


def encode_one_officer(enc: Encoder) -> None:
    _one_in_charge(enc, Role.OFFICER, "one-officer")


def _workload(enc: Encoder, role: Role, rule: str) -> None:
    plan = enc.plan
    for person in plan.staff:
        if person.role is not role:
            continue
        literals = [literal for _, literal in enc.groups_of_person(person.id)]
        limit = plan.max_groups(person)
        if len(literals) > limit:
            enc.count_between(literals, 0, limit, rule, (person.id,))


def encode_leader_workload(enc: Encoder) -> None:
    _workload(enc, Role.LEADER, "leader-workload")


def encode_officer_workload(enc: Encoder) -> None:
    _workload(enc, Role.OFFICER, "officer-workload")


def encode_staff_available(enc: Encoder) -> None:
    for person in enc.plan.staff:
        if not person.available:
            for _, literal in enc.groups_of_person(person.id):
                enc.forbid(literal, "staff-available", (person.id,))


def encode_pins_kept(enc: Encoder) -> None:
    for pin in enc.plan.pins:
        if pin.kind is PinKind.UNIT:
            literal = enc.member.get((pin.subject, pin.group))
        elif pin.kind is PinKind.CHAIR:
            literal = enc.chair.get((pin.subject, pin.group))
        else:
            literal = enc.charge.get((pin.subject, pin.group))
        enc.require(literal, "pins-kept", (pin.kind.value, pin.subject, pin.group))
