"""How plans, violations and changes read on screen: names instead of ids, in the chosen
language. Presentation only; what is right or wrong is decided by the core."""

from __future__ import annotations

from thidua.diff import Move, PlanDiff, RoleChange
from thidua.edits import Change
from thidua.model import Pin, PinKind, Plan, Role
from thidua.rules import Violation
from thidua_tui.i18n import chair_word, deputy_word, has, language, t

__all__ = [
    "NONE",
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
        return t("change.nowhere")
    found = plan.group_by_id.get(group)
    return found.name if found is not None else group


def person_name(plan: Plan, person: str | None) -> str:
    if person is None:
        return NONE
    found = plan.staff_by_id.get(person)
    return found.name if found is not None else person


def role_name(role: str, kind: str) -> str:
    """The title of a role in a group of `kind`: Khối trưởng, Cụm phó, Lãnh đạo phụ trách..."""
    if role == "chair":
        return chair_word(kind)
    if role == "deputy":
        return deputy_word(kind)
    return t(f"role.{role}")


def pin_text(plan: Plan, pin: Pin) -> str:
    group = plan.group_by_id.get(pin.group)
    kind = group.kind if group is not None else ""
    if pin.kind is PinKind.UNIT:
        return t("pin.unit", unit=unit_name(plan, pin.subject), group=group_name(plan, pin.group))
    if pin.kind is PinKind.CHAIR:
        return t(
            "pin.chair",
            unit=unit_name(plan, pin.subject),
            role=chair_word(kind).lower(),
            group=group_name(plan, pin.group),
        )
    return t("pin.staff", person=person_name(plan, pin.subject), group=group_name(plan, pin.group))


def violation_text(plan: Plan, violation: Violation) -> str:
    """The violation's message: the core's own in English, the same facts in Vietnamese."""
    if language() == "en":
        return violation.message
    text = _vietnamese(plan, violation)
    return text if text is not None else violation.message


def _vietnamese(plan: Plan, violation: Violation) -> str | None:
    rule, subjects = violation.rule, violation.subjects
    first = subjects[0]
    group = plan.group_by_id.get(first)
    kind = group.kind if group is not None else ""
    if rule == "unit-in-one-group":
        if len(subjects) == 1:
            return t("v.no_group", unit=unit_name(plan, first))
        names = ", ".join(group_name(plan, g) for g in subjects[1:])
        return t("v.many_groups", unit=unit_name(plan, first), groups=names)
    if rule == "group-kind" and len(subjects) == 2:
        return t("v.kind", unit=unit_name(plan, first), group=group_name(plan, subjects[1]))
    if rule == "group-size" and group is not None:
        low, high = plan.rules.group_size
        return t("v.size", group=group.name, count=len(group.members), low=low, high=high)
    if rule == "chair-succession" and group is not None and len(subjects) == 2:
        role = chair_word(kind).lower()
        return t("v.succession", unit=unit_name(plan, subjects[1]), role=role, group=group.name)
    if rule in ("chair-is-member", "chair-rotation", "deputy-is-member") and group is not None:
        return _unit_role(plan, violation, group.name, kind)
    if rule in ("one-leader", "one-officer") and group is not None:
        role = Role.LEADER if rule == "one-leader" else Role.OFFICER
        role_text = t(f"role.{role.value}")
        if len(subjects) == 1:
            return t("v.no_staff", group=group.name, role=role_text.lower())
        return t(
            "v.wrong_role",
            person=person_name(plan, subjects[1]),
            role=role_text.lower(),
            group=group.name,
        )
    if rule in ("leader-workload", "officer-workload") and first in plan.staff_by_id:
        person = plan.staff_by_id[first]
        names = ", ".join(group_name(plan, g) for g in subjects[1:])
        count = len(subjects) - 1
        return t(
            "v.workload",
            person=person.name,
            count=count,
            groups=names,
            limit=plan.max_groups(person),
        )
    if rule == "staff-available" and len(subjects) == 2:
        return t(
            "v.unavailable",
            person=person_name(plan, first),
            group=group_name(plan, subjects[1]),
        )
    if rule == "pins-kept" and len(subjects) == 2:
        pins = [p for p in plan.pins if (p.subject, p.group) == subjects]
        what = pin_text(plan, pins[0]) if pins else first
        return t("v.pin", subject=what, group=group_name(plan, subjects[1]))
    return None


def _unit_role(plan: Plan, violation: Violation, group: str, kind: str) -> str | None:
    rule, subjects = violation.rule, violation.subjects
    role = chair_word(kind) if rule != "deputy-is-member" else deputy_word(kind)
    if len(subjects) == 1:
        return t(
            "v.no_chair" if rule == "chair-is-member" else "v.no_deputy", group=group, role=role
        )
    unit = unit_name(plan, subjects[1])
    if rule == "chair-rotation":
        years = plan.rules.chair_rotation_years
        return t("v.rotation", unit=unit, role=role.lower(), group=group, years=years)
    if rule == "deputy-is-member" and plan.group_by_id[subjects[0]].chair == subjects[1]:
        return t("v.deputy_is_chair", unit=unit, group=group)
    key = "v.chair_outside" if rule == "chair-is-member" else "v.deputy_outside"
    return t(key, role=role, group=group, unit=unit)


def change_row(before: Plan, after: Plan, change: Change) -> tuple[str, str, str]:
    """(what changed, before, after) for one move or role change from `before` to `after`."""
    if isinstance(change, Move):
        unit = unit_name(after, change.unit)
        return (
            t("change.move", unit=unit),
            group_name(before, change.before),
            group_name(after, change.after),
        )
    return _role_row(before, after, change)


def _role_row(before: Plan, after: Plan, change: RoleChange) -> tuple[str, str, str]:
    group = after.group_by_id.get(change.group) or before.group_by_id.get(change.group)
    kind = group.kind if group is not None else ""
    label = t(
        "change.role", role=role_name(change.role, kind), group=group_name(after, change.group)
    )
    if change.role in ("leader", "officer"):
        return (label, person_name(before, change.before), person_name(after, change.after))
    return (label, unit_name(before, change.before), unit_name(after, change.after))


def diff_rows(before: Plan, after: Plan, change: PlanDiff) -> list[tuple[str, str, str]]:
    """Every change of `change` as (what, before, after) rows, in the order `describe` uses."""
    rows = [change_row(before, after, move) for move in change.moves]
    rows += [
        (
            t("change.unit_added", unit=unit_name(after, u)),
            NONE,
            group_name(after, after.group_of(u)),
        )
        for u in change.units_added
    ]
    rows += [
        (
            t("change.unit_removed", unit=unit_name(before, u)),
            group_name(before, before.group_of(u)),
            NONE,
        )
        for u in change.units_removed
    ]
    rows += [
        (t("change.group_added", group=group_name(after, g)), NONE, "") for g in change.groups_added
    ]
    rows += [
        (t("change.group_removed", group=group_name(before, g)), "", NONE)
        for g in change.groups_removed
    ]
    rows += [change_row(before, after, role) for role in change.changes]
    return rows


def rule_title(rule: str) -> str:
    key = f"rule.{rule}"
    return t(key) if has(key) else rule
