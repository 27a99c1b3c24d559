"""Conflicts that pins make with the rules, found by counting per group and per person.

Before any model is built, each group's pins are read against the chair rules and each
unit's and person's pins against one another. What is found is a core: a set of (rule,
subjects) families, the keys of `thidua.solver.variables.Encoding.guard`, that cannot hold
together while dropping any one of them lets the rest hold. Checked, in order:

- a unit pinned to two groups (as a member or as chair): both pins, every unit in one group,
  and for a pinned chair, the chair being a member;
- a unit pinned to a group of another kind: the pin and `group-kind`;
- two chairs pinned to one group: both pins and `chair-is-member` (one chair per group);
- a pinned chair the rotation bars: the pin and `chair-rotation`;
- the succession's successor pinned to stay in a group whose chair is pinned to another unit:
  both pins, `chair-succession` and `chair-is-member` (the four-way conflict);
- more units pinned to a group than it may hold: one more pin than the limit, `group-size`;
- a group whose members are all pinned, all barred by the rotation, and whose chair is not
  pinned: those pins, `group-size`, `chair-rotation`, `chair-is-member`;
- two people of one role pinned to a group, an unavailable person pinned, a person pinned to
  more groups than their limit: the pins and `one-leader`/`one-officer`, `staff-available`,
  or the workload rule.

Each is the whole reason by itself: the rest of the plan plays no part, so no search is needed.
"""

from __future__ import annotations

from collections import defaultdict

from thidua.model import Pin, PinKind, Plan, Role
from thidua.rules.base import RuleContext
from thidua.rules.checks import designated_successor, rotation_barred

__all__ = ["PinKey", "pin_core", "pin_key"]

# (rule id, subjects): the family of constraints one explanation assumption switches on.
PinKey = tuple[str, tuple[str, ...]]


def pin_key(pin: Pin) -> PinKey:
    """The family of `pins-kept` that keeps `pin`."""
    return ("pins-kept", (pin.kind.value, pin.subject, pin.group))


def pin_core(context: RuleContext) -> list[PinKey]:
    """The first conflict of pins with the rules that counting shows; empty when none."""
    plan = context.plan
    return (
        _unit_pins(plan)
        or _group_pins(context)
        or _staff_pins(plan, Role.LEADER)
        or _staff_pins(plan, Role.OFFICER)
    )


def _member_keys(pin: Pin) -> list[PinKey]:
    """A membership pin, and for a chair the rule that makes the chair a member."""
    keys = [pin_key(pin)]
    if pin.kind is PinKind.CHAIR:
        keys.append(("chair-is-member", (pin.group,)))
    return keys


def _unit_pins(plan: Plan) -> list[PinKey]:
    by_unit: dict[str, list[Pin]] = defaultdict(list)
    for pin in plan.pins:
        if pin.kind is not PinKind.STAFF:
            by_unit[pin.subject].append(pin)
    for unit_id, pins in by_unit.items():
        unit = plan.unit_by_id.get(unit_id)
        for pin in pins:
            group = plan.group_by_id.get(pin.group)
            if unit is not None and group is not None and group.kind != unit.kind:
                return [*_member_keys(pin), ("group-kind", (unit_id, pin.group))]
        groups = dict.fromkeys(pin.group for pin in pins)
        if len(groups) > 1 and unit is not None:
            first, second = (next(p for p in pins if p.group == g) for g in list(groups)[:2])
            keys = [*_member_keys(first), *_member_keys(second)]
            return [*keys, ("unit-in-one-group", (unit.kind,))]
    return []


def _group_pins(context: RuleContext) -> list[PinKey]:
    plan = context.plan
    high = plan.rules.group_size[1]
    members: dict[str, list[Pin]] = defaultdict(list)
    chairs: dict[str, list[Pin]] = defaultdict(list)
    for pin in plan.pins:
        if pin.kind is not PinKind.STAFF and pin.subject in plan.unit_by_id:
            members[pin.group].append(pin)
            if pin.kind is PinKind.CHAIR:
                chairs[pin.group].append(pin)
    for group in plan.groups:
        pinned = members.get(group.id, [])
        chair_pins = chairs.get(group.id, [])
        named = dict.fromkeys(pin.subject for pin in chair_pins)
        if len(named) > 1:
            first, second = (next(p for p in chair_pins if p.subject == u) for u in list(named)[:2])
            return [pin_key(first), pin_key(second), ("chair-is-member", (group.id,))]
        barred = rotation_barred(context, group.id)
        for pin in chair_pins:
            if pin.subject in barred:
                return [pin_key(pin), ("chair-rotation", (group.id,))]
        successor = designated_successor(context, group.id)
        staying = [p for p in pinned if p.subject == successor]
        others = [p for p in chair_pins if p.subject != successor]
        if successor is not None and staying and others:
            stay = next((p for p in staying if p.kind is PinKind.UNIT), staying[0])
            return [
                pin_key(stay),
                pin_key(others[0]),
                ("chair-succession", (group.id,)),
                ("chair-is-member", (group.id,)),
            ]
        # One pin per unit, a unit pin rather than a chair pin where a unit has both (it needs
        # no rule to make it a member).
        units: dict[str, Pin] = {}
        for pin in sorted(pinned, key=lambda p: p.kind is PinKind.CHAIR):
            units.setdefault(pin.subject, pin)
        if len(units) > high:
            keys = [key for pin in list(units.values())[: high + 1] for key in _member_keys(pin)]
            return [*dict.fromkeys(keys), ("group-size", (group.id,))]
        if (
            len(units) == high
            and not chair_pins
            and set(units) <= barred
            and _outsider(plan, group.kind, barred, pinned_anywhere=set(_pinned_units(members)))
        ):
            keys = [pin_key(pin) for pin in units.values()]
            return [
                *keys,
                ("group-size", (group.id,)),
                ("chair-rotation", (group.id,)),
                ("chair-is-member", (group.id,)),
            ]
    return []


def _pinned_units(members: dict[str, list[Pin]]) -> list[str]:
    return [pin.subject for pins in members.values() for pin in pins]


def _outsider(plan: Plan, kind: str, barred: set[str], pinned_anywhere: set[str]) -> bool:
    """Whether some unpinned unit of `kind` could chair the group: then the pins, not the
    lack of units, keep it out."""
    return any(
        unit.kind == kind and unit.id not in barred and unit.id not in pinned_anywhere
        for unit in plan.units
    )


def _staff_pins(plan: Plan, role: Role) -> list[PinKey]:
    one = "one-leader" if role is Role.LEADER else "one-officer"
    workload = "leader-workload" if role is Role.LEADER else "officer-workload"
    by_group: dict[str, list[Pin]] = defaultdict(list)
    by_person: dict[str, list[Pin]] = defaultdict(list)
    for pin in plan.pins:
        person = plan.staff_by_id.get(pin.subject) if pin.kind is PinKind.STAFF else None
        if person is None or person.role is not role or pin.group not in plan.group_by_id:
            continue
        if not person.available:
            return [pin_key(pin), ("staff-available", (person.id,))]
        if pin not in by_person[person.id]:
            by_person[person.id].append(pin)
            by_group[pin.group].append(pin)
    for group_id, pins in by_group.items():
        people = dict.fromkeys(pin.subject for pin in pins)
        if len(people) > 1:
            first, second = (next(p for p in pins if p.subject == s) for s in list(people)[:2])
            return [pin_key(first), pin_key(second), (one, (group_id,))]
    for person_id, pins in by_person.items():
        limit = plan.max_groups(plan.staff_by_id[person_id])
        groups = list(dict.fromkeys(pin.group for pin in pins))
        if len(groups) > limit:
            chosen = [next(p for p in pins if p.group == g) for g in groups[: limit + 1]]
            return [*(pin_key(pin) for pin in chosen), (workload, (person_id,))]
    return []
