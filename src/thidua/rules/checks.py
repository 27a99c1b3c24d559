"""One check per rule of the contract. Each yields violations naming the things involved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from thidua import cohesion
from thidua.model import Group, PinKind, Plan, Role, Succession
from thidua.rules.base import RuleContext, Violation

__all__ = [
    "check_chair_is_member",
    "check_chair_rotation",
    "check_chair_succession",
    "check_deputy_is_member",
    "check_group_kind",
    "check_group_size",
    "check_leader_workload",
    "check_neighbour_cohesion",
    "check_officer_workload",
    "check_one_leader",
    "check_one_officer",
    "check_pins_kept",
    "check_staff_available",
    "check_tag_cohesion",
    "check_unit_in_one_group",
    "designated_successor",
    "rotation_barred",
]


def unit_label(plan: Plan, unit_id: str) -> str:
    unit = plan.unit_by_id.get(unit_id)
    return unit.name if unit is not None else unit_id


def group_label(plan: Plan, group_id: str) -> str:
    group = plan.group_by_id.get(group_id)
    return group.name if group is not None else group_id


def staff_label(plan: Plan, staff_id: str) -> str:
    person = plan.staff_by_id.get(staff_id)
    return person.name if person is not None else staff_id


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def check_unit_in_one_group(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for unit in plan.units:
        groups = plan.groups_of_unit.get(unit.id, ())
        if not groups:
            yield Violation("unit-in-one-group", (unit.id,), f"{unit.name} is in no group")
        elif len(groups) > 1:
            names = ", ".join(group_label(plan, g) for g in dict.fromkeys(groups))
            where = "listed twice in" if len(set(groups)) == 1 else "in several groups:"
            yield Violation(
                "unit-in-one-group",
                (unit.id, *dict.fromkeys(groups)),
                f"{unit.name} is {where} {names}",
            )


def check_group_kind(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for group in plan.groups:
        for member in group.members:
            unit = plan.unit_by_id[member]
            if unit.kind != group.kind:
                yield Violation(
                    "group-kind",
                    (member, group.id),
                    f"{unit.name} is a {unit.kind} but {group.name} groups {group.kind}s",
                )


def check_group_size(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    low, high = plan.rules.group_size
    for group in plan.groups:
        size = len(group.members)
        if not low <= size <= high:
            yield Violation(
                "group-size",
                (group.id,),
                f"{group.name} has {_plural(size, 'member')}; a group must have {low} to {high}",
            )


def check_chair_is_member(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for group in plan.groups:
        if group.chair is None:
            yield Violation("chair-is-member", (group.id,), f"{group.name} has no chair")
        elif group.chair not in group.members:
            yield Violation(
                "chair-is-member",
                (group.id, group.chair),
                f"{group.name} is chaired by {unit_label(plan, group.chair)}, "
                "which is not one of its members",
            )


def check_chair_rotation(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    years = plan.rules.chair_rotation_years
    for group in plan.groups:
        if group.chair is None:
            continue
        for earlier in context.recent(years):
            before = earlier.group_by_id.get(group.id)
            if before is not None and before.chair == group.chair:
                yield Violation(
                    "chair-rotation",
                    (group.id, group.chair),
                    f"{unit_label(plan, group.chair)} chaired {group.name} in {earlier.year}; "
                    f"a unit may not chair the same group again within {years} year(s)",
                )
                break


def rotation_barred(context: RuleContext, group_id: str) -> set[str]:
    """The units that chaired `group_id` within the rotation window: they may not chair it."""
    barred = set()
    for earlier in context.recent(context.plan.rules.chair_rotation_years):
        before = earlier.group_by_id.get(group_id)
        if before is not None and before.chair is not None:
            barred.add(before.chair)
    return barred


def designated_successor(context: RuleContext, group_id: str) -> str | None:
    """The unit the succession rule names to chair `group_id` this year, or None (free).

    A chair elected at last year's review (`next_chair` in that plan's results) is named
    whatever the pattern, since the review is where the members choose it. Otherwise
    `deputy`: the group's deputy in the most recent previous plan; `leading`: its leading unit
    in that plan's results; `free`: nobody. Nobody is named when the group is new, the history
    names nobody or a unit no longer in the plan, or the rotation rule bars that unit (the
    rotation wins, and the members elect freely).
    """
    plan, last = context.plan, context.last
    if last is None:
        return None
    before = last.group_by_id.get(group_id)
    if before is None:
        return None
    result = last.result_by_group.get(group_id)
    if result is not None and result.next_chair is not None:
        unit: str | None = result.next_chair
    elif plan.rules.succession is Succession.DEPUTY:
        unit = before.deputy
    elif plan.rules.succession is Succession.LEADING:
        unit = result.leading_unit if result is not None else None
    else:
        return None
    if unit is None or unit not in plan.unit_by_id or unit in rotation_barred(context, group_id):
        return None
    return unit


def check_chair_succession(context: RuleContext) -> Iterator[Violation]:
    plan, last = context.plan, context.last
    for group in plan.groups:
        unit = designated_successor(context, group.id)
        if unit is None or unit not in group.members or group.chair == unit:
            continue
        result = last.result_by_group.get(group.id) if last is not None else None
        if result is not None and result.next_chair == unit:
            who = "chair elected at last year's review"
        elif plan.rules.succession is Succession.DEPUTY:
            who = "last year's deputy"
        else:
            who = "last year's leading unit"
        chair = unit_label(plan, group.chair) if group.chair is not None else "nobody"
        yield Violation(
            "chair-succession",
            (group.id, unit),
            f"{unit_label(plan, unit)}, the {who} of {group.name}, must chair it this "
            f"year (succession: {plan.rules.succession.value}), but the chair is {chair}",
        )


def check_deputy_is_member(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    if not plan.rules.deputy:
        return
    for group in plan.groups:
        if group.deputy is None:
            yield Violation("deputy-is-member", (group.id,), f"{group.name} has no deputy")
        elif group.deputy not in group.members:
            yield Violation(
                "deputy-is-member",
                (group.id, group.deputy),
                f"{group.name}'s deputy {unit_label(plan, group.deputy)} is not one of its members",
            )
        elif group.deputy == group.chair:
            yield Violation(
                "deputy-is-member",
                (group.id, group.deputy),
                f"{unit_label(plan, group.deputy)} is both chair and deputy of {group.name}",
            )


def _one_in_charge(context: RuleContext, role: Role, rule_id: str) -> Iterator[Violation]:
    plan = context.plan
    word = "leader" if role is Role.LEADER else "officer"
    for group in plan.groups:
        staff_id = group.staff_for(role)
        if staff_id is None:
            yield Violation(rule_id, (group.id,), f"{group.name} has no {word} in charge")
            continue
        person = plan.staff_by_id[staff_id]
        if person.role is not role:
            yield Violation(
                rule_id,
                (group.id, staff_id),
                f"{person.name} is {word} of {group.name} but is an {person.role.value}, "
                f"not a {word}",
            )


def check_one_leader(context: RuleContext) -> Iterator[Violation]:
    return _one_in_charge(context, Role.LEADER, "one-leader")


def check_one_officer(context: RuleContext) -> Iterator[Violation]:
    return _one_in_charge(context, Role.OFFICER, "one-officer")


def _workload(context: RuleContext, role: Role, rule_id: str) -> Iterator[Violation]:
    plan = context.plan
    for person in plan.staff:
        if person.role is not role:
            continue
        groups = plan.workload(person.id)
        limit = plan.max_groups(person)
        if len(groups) > limit:
            names = ", ".join(group_label(plan, g) for g in groups)
            yield Violation(
                rule_id,
                (person.id, *groups),
                f"{person.name} is in charge of {_plural(len(groups), 'group')} ({names}); "
                f"the limit is {limit}",
            )


def check_leader_workload(context: RuleContext) -> Iterator[Violation]:
    return _workload(context, Role.LEADER, "leader-workload")


def check_officer_workload(context: RuleContext) -> Iterator[Violation]:
    return _workload(context, Role.OFFICER, "officer-workload")


def check_staff_available(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for person in plan.staff:
        if person.available:
            continue
        for group_id in plan.workload(person.id):
            yield Violation(
                "staff-available",
                (person.id, group_id),
                f"{person.name} is marked unavailable but is in charge of "
                f"{group_label(plan, group_id)}",
            )


def pin_holds(group: Group | None, kind: PinKind, subject: str) -> bool:
    """Whether a pin on `group` holds: shared by the checker and the plan editor."""
    if group is None:
        return False
    if kind is PinKind.UNIT:
        return subject in group.members
    if kind is PinKind.STAFF:
        return subject in (group.leader, group.officer)
    return group.chair == subject


def check_pins_kept(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for pin in plan.pins:
        group = plan.group_by_id.get(pin.group)
        if pin_holds(group, pin.kind, pin.subject):
            continue
        where = group_label(plan, pin.group)
        if pin.kind is PinKind.UNIT:
            what = f"{unit_label(plan, pin.subject)} is pinned to {where} but is not in it"
        elif pin.kind is PinKind.STAFF:
            what = f"{staff_label(plan, pin.subject)} is pinned to {where} but is not in charge"
        else:
            what = f"{unit_label(plan, pin.subject)} is pinned as chair of {where} but is not"
        yield Violation("pins-kept", (pin.subject, pin.group), what)


def _names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def check_tag_cohesion(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per group mixing listed tags, naming the members outside its majority.

    The findings' penalties (members named after the group) add up to the tag cohesion term.
    """
    plan = context.plan
    for mix in cohesion.tag_mixes(plan):
        counts = ", ".join(f"{count} {tag}" for tag, count in mix.counts)
        names = _names([unit_label(plan, unit) for unit in mix.outside])
        verb = "is" if mix.penalty == 1 else "are"
        yield Violation(
            "tag-cohesion",
            (mix.group, *mix.outside),
            f"{group_label(plan, mix.group)} mixes tags ({counts}): {names} {verb} outside "
            f"its majority tag {mix.majority}",
        )


def check_neighbour_cohesion(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per neighbour pair that no group holds together."""
    plan = context.plan
    for first, second in cohesion.split_pairs(plan):
        groups = tuple(
            dict.fromkeys(
                (*plan.groups_of_unit.get(first, ()), *plan.groups_of_unit.get(second, ()))
            )
        )

        def where(unit: str) -> str:
            found = plan.groups_of_unit.get(unit, ())
            return ", ".join(group_label(plan, g) for g in found) if found else "no group"

        yield Violation(
            "neighbour-cohesion",
            (first, second, *groups),
            f"{unit_label(plan, first)} ({where(first)}) and {unit_label(plan, second)} "
            f"({where(second)}) share a border but not a group",
        )


def member_counts(plan: Plan) -> Counter[str]:
    """How many times each unit id is listed across all groups."""
    return Counter(member for group in plan.groups for member in group.members)
