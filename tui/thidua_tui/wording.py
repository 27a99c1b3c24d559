"""How plans, violations and changes read on screen: names instead of ids, in the chosen
language. Presentation only; what is right or wrong is decided by the core."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thidua.diff import Move, PlanDiff, RoleChange
from thidua.edits import Change
from thidua.i18n import N_, _
from thidua.model import Pin, PinKind, Plan
from thidua.rules import Violation, render
from thidua.vocabulary import role_title

if TYPE_CHECKING:
    from thidua.solver.result import MoveReason
from thidua_tui.i18n import chair_word

__all__ = [
    "NONE",
    "change_reasons",
    "change_row",
    "diff_rows",
    "group_name",
    "person_name",
    "pin_text",
    "role_name",
    "rule_title",
    "unit_name",
    "violation_text",
]

NONE = "—"


def unit_name(plan: Plan, unit: str | None) -> str:
    if unit is None:
        return NONE
    found = plan.unit_by_id.get(unit)
    return found.name if found is not None else unit


def group_name(plan: Plan, group: str | None) -> str:
    if group is None:
        return _("(no group)")
    found = plan.group_by_id.get(group)
    return found.name if found is not None else group


def person_name(plan: Plan, person: str | None) -> str:
    if person is None:
        return NONE
    found = plan.staff_by_id.get(person)
    return found.name if found is not None else person


def role_name(role: str, kind: str) -> str:
    """The title of a role in a group of `kind`: Khối trưởng, Cụm phó, Lãnh đạo phụ trách..."""
    return role_title(role, kind)


def pin_text(plan: Plan, pin: Pin) -> str:
    group = plan.group_by_id.get(pin.group)
    kind = group.kind if group is not None else ""
    if pin.kind is PinKind.UNIT:
        return _("Keep {unit} in {group}").format(
            unit=unit_name(plan, pin.subject), group=group_name(plan, pin.group)
        )
    if pin.kind is PinKind.CHAIR:
        return _("Keep {unit} as {role} of {group}").format(
            unit=unit_name(plan, pin.subject),
            role=chair_word(kind).lower(),
            group=group_name(plan, pin.group),
        )
    return _("Keep {person} in charge of {group}").format(
        person=person_name(plan, pin.subject), group=group_name(plan, pin.group)
    )


def violation_text(plan: Plan, violation: Violation) -> str:
    """The violation's message in the interface language, said again from its facts (the core
    words every finding in both languages)."""
    return render(violation)


def change_row(before: Plan, after: Plan, change: Change) -> tuple[str, str, str]:
    """(what changed, before, after) for one move or role change from `before` to `after`."""
    if isinstance(change, Move):
        unit = unit_name(after, change.unit)
        return (
            _("Moved: {unit}").format(unit=unit),
            group_name(before, change.before),
            group_name(after, change.after),
        )
    return _role_row(before, after, change)


def _role_row(before: Plan, after: Plan, change: RoleChange) -> tuple[str, str, str]:
    group = after.group_by_id.get(change.group) or before.group_by_id.get(change.group)
    kind = group.kind if group is not None else ""
    label = _("{role} of {group}").format(
        role=role_name(change.role, kind), group=group_name(after, change.group)
    )
    if change.role in ("leader", "officer"):
        return (label, person_name(before, change.before), person_name(after, change.after))
    return (label, unit_name(before, change.before), unit_name(after, change.after))


def change_reasons(
    current: Plan,
    proposal: Plan,
    changes: Sequence[Change],
    previous: Sequence[Plan],
    moved: Sequence[MoveReason],
) -> dict[int, str]:
    """Why each change of a proposal is made, by its index: the solver's reason for a move
    (`SolveResult.reasons`), and for a post what made its holder go."""
    why = {(reason.unit, reason.to_group): reason.message for reason in moved}
    last = max(previous, key=lambda p: p.year) if previous else None
    reasons: dict[int, str] = {}
    for index, change in enumerate(changes):
        if isinstance(change, Move):
            found = why.get((change.unit, change.after))
            if found:
                reasons[index] = found
            continue
        reason = _post_reason(current, last, change)
        if reason:
            reasons[index] = reason
    return reasons


def _post_reason(current: Plan, last: Plan | None, change: RoleChange) -> str:
    before = change.before
    if before is None:
        return _("the post was empty")
    if change.role in ("chair", "deputy"):
        group = current.group_by_id.get(change.group)
        if group is not None and before not in group.members:
            return _("{unit} is no longer a member").format(unit=unit_name(current, before))
        earlier = last.group_by_id.get(change.group) if last is not None else None
        if change.role == "chair" and earlier is not None and earlier.chair == before:
            return _("{unit} chaired it last year: rotation").format(
                unit=unit_name(current, before)
            )
        return _("part of the best plan found")
    person = current.staff_by_id.get(before)
    if person is None:
        return ""
    if not person.available:
        return _("{person} is unavailable").format(person=person.name)
    if len(current.workload(before)) > current.max_groups(person):
        return _("{person} had more groups than allowed").format(person=person.name)
    return _("part of the best plan found")


def diff_rows(before: Plan, after: Plan, change: PlanDiff) -> list[tuple[str, str, str]]:
    """Every change of `change` as (what, before, after) rows, in the order `describe` uses."""
    rows = [change_row(before, after, move) for move in change.moves]
    rows += [
        (
            _("New unit: {unit}").format(unit=unit_name(after, u)),
            NONE,
            group_name(after, after.group_of(u)),
        )
        for u in change.units_added
    ]
    rows += [
        (
            _("Removed unit: {unit}").format(unit=unit_name(before, u)),
            group_name(before, before.group_of(u)),
            NONE,
        )
        for u in change.units_removed
    ]
    rows += [
        (_("New group: {group}").format(group=group_name(after, g)), NONE, "")
        for g in change.groups_added
    ]
    rows += [
        (_("Removed group: {group}").format(group=group_name(before, g)), "", NONE)
        for g in change.groups_removed
    ]
    rows += [change_row(before, after, role) for role in change.changes]
    return rows


# Short titles of the rules, for table columns and picker notes.
RULE_TITLES: dict[str, str] = {
    "unit-in-one-group": N_("One group per unit"),
    "group-kind": N_("Group kind"),
    "group-size": N_("Group size"),
    "chair-is-member": N_("Chair is a member"),
    "chair-rotation": N_("Chair rotation"),
    "chair-succession": N_("Chair succession"),
    "deputy-is-member": N_("Deputy is a member"),
    "one-leader": N_("One leader"),
    "one-officer": N_("One officer"),
    "leader-workload": N_("Leader workload"),
    "officer-workload": N_("Officer workload"),
    "staff-available": N_("Staff available"),
    "pins-kept": N_("Pins kept"),
    "tag-cohesion": N_("Tag cohesion"),
    "neighbour-cohesion": N_("Keep neighbours"),
    "district-whole": N_("Whole districts"),
    "group-connected": N_("Connected groups"),
    "border-inside": N_("Borders inside"),
}


def rule_title(rule: str) -> str:
    """A rule's short title; a rule without one is shown by its id."""
    title = RULE_TITLES.get(rule)
    return _(title) if title else rule
