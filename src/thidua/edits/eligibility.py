"""Eligible choices for pickers: the options of an edit that break no rule.

They ask the rules' own checks rather than restating them: the rules concerning what the edit
changes (`thidua.rules.Concern`), on a small plan holding only what the choice touches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import attrs

from thidua.edits.changes import (
    find_group,
    find_person,
    find_unit,
    move_unit,
    set_chair,
    set_deputy,
    set_staff,
)
from thidua.model import Group, Pin, PinKind, Plan, Role, Staff, Unit
from thidua.rules import Concern, Rule, RuleContext, Violation, rules_concerning

__all__ = [
    "Bars",
    "GroupChoice",
    "StaffChoice",
    "assignment_bars",
    "chair_bars",
    "deputy_bars",
    "eligible_chairs",
    "eligible_deputies",
    "eligible_groups",
    "eligible_leaders",
    "eligible_officers",
    "eligible_staff",
    "move_bars",
    "staff_bars",
]

T = TypeVar("T")


@attrs.frozen
class GroupChoice:
    """A group a unit may move to, with its size against the rule's bounds."""

    group: Group
    size: int
    low: int
    high: int
    current: bool

    @property
    def full(self) -> bool:
        """Whether one more member would make the group too large."""
        return self.size + (0 if self.current else 1) > self.high


@attrs.frozen
class StaffChoice:
    """A person who may take charge of a group, with their workload (the groups they already
    have, this one included when current) against their limit."""

    person: Staff
    groups: tuple[str, ...]
    limit: int
    current: bool


def _focus(
    plan: Plan, groups: Iterable[str], people: Iterable[str] = (), units: Iterable[str] = ()
) -> Plan:
    """A small plan holding only `groups`, their members and people, `people`, `units` (the
    unit an edit moves, which may be in none of the groups), and the pins on those groups.
    Checking a candidate on it costs what the candidate touches, not what the whole plan
    holds, so a picker stays quick on a plan of thousands of units.
    """
    kept = [plan.group_by_id[g] for g in dict.fromkeys(groups)]
    kept_ids = {g.id for g in kept}
    people = tuple(people)
    pins = tuple(p for p in plan.pins if p.group in kept_ids)
    unit_ids = dict.fromkeys(units)
    unit_ids.update(dict.fromkeys(m for g in kept for m in g.members))
    unit_ids.update(dict.fromkeys(u for g in kept for u in (g.chair, g.deputy) if u is not None))
    unit_ids.update(dict.fromkeys(p.subject for p in pins if p.kind is not PinKind.STAFF))
    staff_ids = dict.fromkeys(people)
    staff_ids.update(dict.fromkeys(s for g in kept for s in (g.leader, g.officer) if s is not None))
    staff_ids.update(dict.fromkeys(p.subject for p in pins if p.kind is PinKind.STAFF))
    return attrs.evolve(
        plan,
        units=tuple(plan.unit_by_id[u] for u in unit_ids),
        staff=tuple(plan.staff_by_id[s] for s in staff_ids),
        groups=tuple(kept),
        pins=pins,
        neighbours=(),
        borders=(),
        results=(),
    )


class _Growing:
    """A small plan (see `_focus`) to which the pickers add one candidate group at a time.

    A picker checks every group of a plan of thousands of units as a candidate. What the
    candidates share (the unit's own groups, the person's other groups, each possibly edited
    already) is built once; each candidate then costs one small plan holding that shared part
    and its own group, members, people and pins, the same plan `_focus` would build and the
    edit would give, with its units, people and pins in another order (rules find the same).
    """

    def __init__(self, plan: Plan, small: Plan) -> None:
        self.plan = plan
        self.small = small
        self._units = {u.id for u in small.units}
        self._staff = {s.id for s in small.staff}
        self._pins: dict[str, list[Pin]] = {}
        for pin in plan.pins:
            self._pins.setdefault(pin.group, []).append(pin)

    def plus(self, group: Group, *, first: bool = False) -> Plan:
        """`small` with `group` added (last, or `first`), as given: a group the candidate
        edit has already changed."""
        original = self.plan.group_by_id[group.id]
        pins = self._pins.get(group.id, ())
        # Both the group as it was and as edited: `_focus` holds what the group had before the
        # edit (a chair or person it replaced), and the edit what the group has now.
        both = (original, group)
        unit_ids = dict.fromkeys(m for g in both for m in g.members)
        unit_ids.update(dict.fromkeys(u for g in both for u in (g.chair, g.deputy) if u))
        unit_ids.update(dict.fromkeys(p.subject for p in pins if p.kind is not PinKind.STAFF))
        staff_ids = dict.fromkeys(s for g in both for s in (g.leader, g.officer) if s)
        staff_ids.update(dict.fromkeys(p.subject for p in pins if p.kind is PinKind.STAFF))
        small = self.small
        units = tuple(self.plan.unit_by_id[u] for u in unit_ids if u not in self._units)
        staff = tuple(self.plan.staff_by_id[s] for s in staff_ids if s not in self._staff)
        return attrs.evolve(
            small,
            units=small.units + units if units else small.units,
            staff=small.staff + staff if staff else small.staff,
            groups=(group, *small.groups) if first else (*small.groups, group),
            pins=small.pins + tuple(pins) if pins else small.pins,
        )


def _violations_about(
    plan: Plan, previous: Sequence[Plan], rules: Iterable[Rule], subject: str
) -> frozenset[Violation]:
    """The violations of `rules` in `plan` that name `subject`."""
    context = RuleContext(plan, tuple(previous))
    return frozenset(v for rule in rules for v in rule.check(context) if subject in v.subjects)


Bars = dict[T, tuple[Violation, ...]]


def _bars(options: Sequence[T], outcome: Callable[[T], frozenset[Violation]]) -> Bars[T]:
    """Per option, what it breaks beyond what every option breaks: empty for an eligible one.

    A violation that every choice leaves (a unit pin elsewhere in the group, a missing
    deputy) says nothing about the choice; one that some choice avoids (a rotation bar, a
    pinned or designated chair, a full workload) rules out the choices that leave it, and
    names the rule that does.
    """
    outcomes = [outcome(option) for option in options]
    common = frozenset.intersection(*outcomes) if outcomes else frozenset()
    return {
        option: _sorted(found - common) for option, found in zip(options, outcomes, strict=True)
    }


def _sorted(found: Iterable[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(found, key=lambda v: (v.rule, v.subjects, v.message)))


def _eligible(options: Sequence[T], outcome: Callable[[T], frozenset[Violation]]) -> list[T]:
    """The options that break only what every option breaks (see `_bars`)."""
    bars = _bars(options, outcome)
    return [option for option in options if not bars[option]]


# The hard rules an edit of each part of a plan can break.
_MOVE_RULES = rules_concerning(Concern.MEMBERSHIP)
_CHAIR_RULES = rules_concerning(Concern.CHAIR)
_DEPUTY_RULES = rules_concerning(Concern.DEPUTY)
_STAFF_RULES = {
    Role.LEADER: rules_concerning(Concern.LEADER),
    Role.OFFICER: rules_concerning(Concern.OFFICER),
}


def move_bars(plan: Plan, previous: Sequence[Plan], unit: str) -> Bars[str | None]:
    """For each place `unit` could go (a group's id, or None for no group), the violations of
    the membership rules that moving it there adds: none where it may go."""
    find_unit(plan, unit)
    current = plan.groups_of_unit.get(unit, ())
    # Pins elsewhere about the unit (kept to another group) decide as much as its groups do.
    pinned = tuple(p.group for p in plan.pins if p.subject == unit)

    fixed = tuple(dict.fromkeys((*current, *pinned)))
    focus = _focus(plan, fixed, units=(unit,))
    # Every group outside `fixed` is checked on the unit's own groups as it leaves them plus
    # that group as it arrives: the plan `move_unit` gives on `focus` with that group added.
    left = _Growing(plan, move_unit(focus, unit, None))

    def outcome(group: str | None) -> frozenset[Violation]:
        if group is None or group in fixed:
            edited = move_unit(focus, unit, group)
        else:
            found = plan.group_by_id[group]
            edited = left.plus(attrs.evolve(found, members=(*found.members, unit)))
        return _violations_about(edited, previous, _MOVE_RULES, unit)

    options: list[str | None] = [None, *(g.id for g in plan.groups)]
    return _bars(options, outcome)


def eligible_groups(plan: Plan, previous: Sequence[Plan], unit: str) -> tuple[GroupChoice, ...]:
    """The groups `unit` may be moved to: of its kind and not against a pin. Full groups are
    listed too (see `GroupChoice.full`): a planner swapping two units passes through one."""
    bars = move_bars(plan, previous, unit)
    eligible = {group for group, barred in bars.items() if not barred}
    current = plan.groups_of_unit.get(unit, ())
    low, high = plan.rules.group_size
    return tuple(
        GroupChoice(g, len(g.members), low, high, g.id in current)
        for g in plan.groups
        if g.id in eligible or g.id in current
    )


def _unit_bars(
    plan: Plan,
    previous: Sequence[Plan],
    group: str,
    rules: tuple[Rule, ...],
    setter: Callable[[Plan, str, str | None], Plan],
) -> Bars[str | None]:
    found = find_group(plan, group)
    focus = _focus(plan, (group,))

    def outcome(unit: str | None) -> frozenset[Violation]:
        return _violations_about(setter(focus, group, unit), previous, rules, group)

    options: list[str | None] = [None, *dict.fromkeys(found.members)]
    return _bars(options, outcome)


def chair_bars(plan: Plan, previous: Sequence[Plan], group: str) -> Bars[str | None]:
    """For nobody (None) and each member of `group`, what making it the chair breaks beyond
    what every choice breaks: rotation, succession, a pin, the deputy."""
    return _unit_bars(plan, previous, group, _CHAIR_RULES, set_chair)


def deputy_bars(plan: Plan, previous: Sequence[Plan], group: str) -> Bars[str | None]:
    """As `chair_bars`, for the deputy."""
    return _unit_bars(plan, previous, group, _DEPUTY_RULES, set_deputy)


def _eligible_units(
    plan: Plan,
    previous: Sequence[Plan],
    group: str,
    rules: tuple[Rule, ...],
    setter: Callable[[Plan, str, str | None], Plan],
) -> tuple[Unit, ...]:
    bars = _unit_bars(plan, previous, group, rules, setter)
    return tuple(plan.unit_by_id[u] for u, barred in bars.items() if u is not None and not barred)


def eligible_chairs(plan: Plan, previous: Sequence[Plan], group: str) -> tuple[Unit, ...]:
    """The members of `group` that may chair it: not barred by rotation, nor by a pin or the
    plan's succession pattern, nor (where deputies are required) its deputy."""
    return _eligible_units(plan, previous, group, _CHAIR_RULES, set_chair)


def eligible_deputies(plan: Plan, previous: Sequence[Plan], group: str) -> tuple[Unit, ...]:
    """The members of `group` that may deputise (khối phó, cụm phó): any member but the chair
    where the plan requires deputies."""
    return _eligible_units(plan, previous, group, _DEPUTY_RULES, set_deputy)


def _staff_outcome(
    plan: Plan, previous: Sequence[Plan], group: str, role: Role, person: str | None
) -> frozenset[Violation]:
    people = (person,) if person is not None else ()
    workload = plan.workload(person) if person is not None else ()
    focus = _focus(plan, (group, *workload), people)
    edited = set_staff(focus, group, role, person)
    return _violations_about(edited, previous, _STAFF_RULES[role], group)


def staff_bars(plan: Plan, previous: Sequence[Plan], group: str, role: Role) -> Bars[str | None]:
    """For nobody (None) and each person, what putting them in charge of `group` in `role`
    breaks beyond what every choice breaks: the role, their workload, availability, a pin."""
    find_group(plan, group)
    options: list[str | None] = [None, *(person.id for person in plan.staff)]
    return _bars(options, lambda person: _staff_outcome(plan, previous, group, role, person))


def _with_staff(group: Group, role: Role, person: str | None) -> Group:
    if role is Role.LEADER:
        return attrs.evolve(group, leader=person)
    return attrs.evolve(group, officer=person)


def assignment_bars(plan: Plan, previous: Sequence[Plan], person: str) -> Bars[str]:
    """For each group, what putting `person` in charge of it (in their own role) breaks that
    another choice for the group would not.

    The other choices compared are nobody, the present holder and anyone pinned there:
    between them they avoid whatever a choice can avoid (an empty post, a broken pin), and
    comparing every person for every group would cost their product.
    """
    role = find_person(plan, person).role
    workload = plan.workload(person)
    # A group outside the person's workload is checked on their groups plus that group in
    # their charge: the plan `_staff_outcome` builds, put together once for all groups.
    theirs = _Growing(plan, _focus(plan, workload, (person,)))
    nobody = _Growing(plan, _focus(plan, ()))
    staff_pins: dict[str, set[str]] = {}
    for pin in plan.pins:
        if pin.kind is PinKind.STAFF:
            staff_pins.setdefault(pin.group, set()).add(pin.subject)

    def outcome(group: Group, other: str | None) -> frozenset[Violation]:
        if other is not None:
            return _staff_outcome(plan, previous, group.id, role, other)
        # Nobody in charge: the group alone with its post emptied, as `_staff_outcome` has it.
        edited = nobody.plus(_with_staff(group, role, None))
        return _violations_about(edited, previous, _STAFF_RULES[role], group.id)

    bars: dict[str, tuple[Violation, ...]] = {}
    for group in plan.groups:
        if group.id in workload:
            found = _staff_outcome(plan, previous, group.id, role, person)
        else:
            edited = theirs.plus(_with_staff(group, role, person), first=True)
            found = _violations_about(edited, previous, _STAFF_RULES[role], group.id)
        if not found:
            bars[group.id] = ()  # nothing broken: what others would break does not matter
            continue
        others = {None, group.staff_for(role)} | staff_pins.get(group.id, set())
        others.discard(person)
        common = frozenset.intersection(*(outcome(group, other) for other in others))
        bars[group.id] = _sorted(found - common)
    return bars


def eligible_staff(
    plan: Plan, previous: Sequence[Plan], group: str, role: Role
) -> tuple[StaffChoice, ...]:
    """The people who may take charge of `group` in `role`: of that role, available, within
    their limit once given the group, and not against a pin."""
    found = find_group(plan, group)
    current = found.staff_for(role)
    bars = staff_bars(plan, previous, group, role)
    return tuple(
        StaffChoice(
            plan.staff_by_id[person],
            plan.workload(person),
            plan.max_groups(plan.staff_by_id[person]),
            person == current,
        )
        for person, barred in bars.items()
        if person is not None and not barred
    )


def eligible_leaders(plan: Plan, previous: Sequence[Plan], group: str) -> tuple[StaffChoice, ...]:
    """`eligible_staff` for the leader in charge (lãnh đạo phụ trách)."""
    return eligible_staff(plan, previous, group, Role.LEADER)


def eligible_officers(plan: Plan, previous: Sequence[Plan], group: str) -> tuple[StaffChoice, ...]:
    """`eligible_staff` for the officer in charge (cán bộ phụ trách, theo dõi)."""
    return eligible_staff(plan, previous, group, Role.OFFICER)
