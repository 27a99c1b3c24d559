"""How each rule words its part of a conflict, when the solver finds that no plan exists.

The solver's explanation (`thidua.solver.explain`) finds a core: families of constraints, each
a rule and its subjects (a kind, a group or a person), that cannot hold together. Each rule's
entry says its part through one of these functions, in the process's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from thidua.i18n import N_, _, ngettext
from thidua.model import Plan
from thidua.rules.checks import (
    designated_successor,
    group_label,
    join_names,
    rotation_barred,
    staff_label,
    unit_label,
)
from thidua.rules.context import RuleContext

__all__ = [
    "chair_is_member",
    "chair_rotation",
    "chair_succession",
    "deputy_is_member",
    "group_kind",
    "group_size",
    "kind_words",
    "one_leader",
    "one_officer",
    "staff_available",
    "unit_in_one_group",
    "workload",
]

Families = Sequence[tuple[str, ...]]

# kind -> (a unit, units, a group, groups), in the words planners use.
_KIND_WORDS: Mapping[str, tuple[str, str, str, str]] = {
    "department": (N_("department"), N_("departments"), N_("block"), N_("blocks")),
    "district": (N_("district"), N_("districts"), N_("cluster"), N_("clusters")),
    "commune": (N_("commune"), N_("communes"), N_("cluster"), N_("clusters")),
    "ward": (N_("ward"), N_("wards"), N_("cluster"), N_("clusters")),
}


def kind_words(kind: str) -> tuple[str, str, str, str]:
    """How to speak of units and groups of `kind`: a unit, units, a group, groups."""
    words = _KIND_WORDS.get(kind)
    if words is None:
        return (
            _("{kind} unit").format(kind=kind),
            _("{kind} units").format(kind=kind),
            _("{kind} group").format(kind=kind),
            _("{kind} groups").format(kind=kind),
        )
    unit, units, group, groups = words
    return _(unit), _(units), _(group), _(groups)


def _firsts(families: Families) -> list[str]:
    return [family[0] for family in families]


def _groups(plan: Plan, families: Families) -> str:
    return join_names([group_label(plan, g) for g in _firsts(families)])


def unit_in_one_group(context: RuleContext, families: Families) -> str:
    words = [kind_words(kind) for kind in _firsts(families)]
    return "; ".join(
        _("every {unit} must be in exactly one {group}").format(unit=w[0], group=w[2])
        for w in words
    )


def group_kind(context: RuleContext, families: Families) -> str:
    plan = context.plan
    return "; ".join(
        _("{unit} is a {unit_kind} but {group} groups {units}").format(
            unit=unit_label(plan, unit),
            unit_kind=plan.unit_by_id[unit].kind,
            group=group_label(plan, group),
            units=kind_words(plan.group_by_id[group].kind)[1],
        )
        for unit, group in families
    )


def group_size(context: RuleContext, families: Families) -> str:
    low, high = context.plan.rules.group_size
    return ngettext(
        "{groups} must have {low} to {high} members",
        "{groups} must have {low} to {high} members",
        len(families),
    ).format(groups=_groups(context.plan, families), low=low, high=high)


def chair_is_member(context: RuleContext, families: Families) -> str:
    return ngettext(
        "{groups} needs a chair among the members",
        "{groups} need a chair among the members",
        len(families),
    ).format(groups=_groups(context.plan, families))


def chair_rotation(context: RuleContext, families: Families) -> str:
    plan = context.plan
    years = plan.rules.chair_rotation_years
    return "; ".join(
        ngettext(
            "{units} may not chair {group} again within {count} year",
            "{units} may not chair {group} again within {count} years",
            years,
        ).format(
            units=join_names([unit_label(plan, u) for u in sorted(rotation_barred(context, g))]),
            group=group_label(plan, g),
            count=years,
        )
        for g in _firsts(families)
    )


def chair_succession(context: RuleContext, families: Families) -> str:
    plan = context.plan
    return "; ".join(
        _("{unit} must chair {group} while a member (succession: {succession})").format(
            unit=unit_label(plan, designated_successor(context, g) or ""),
            group=group_label(plan, g),
            succession=plan.rules.succession.value,
        )
        for g in _firsts(families)
    )


def deputy_is_member(context: RuleContext, families: Families) -> str:
    return ngettext(
        "{groups} needs a deputy among the members, other than the chair",
        "{groups} need a deputy among the members, other than the chair",
        len(families),
    ).format(groups=_groups(context.plan, families))


def one_leader(context: RuleContext, families: Families) -> str:
    return ngettext(
        "{groups} needs a leader in charge", "{groups} need a leader in charge", len(families)
    ).format(groups=_groups(context.plan, families))


def one_officer(context: RuleContext, families: Families) -> str:
    return ngettext(
        "{groups} needs an officer in charge", "{groups} need an officer in charge", len(families)
    ).format(groups=_groups(context.plan, families))


def workload(context: RuleContext, families: Families) -> str:
    plan = context.plan
    return "; ".join(
        ngettext(
            "{person} may take at most {count} group",
            "{person} may take at most {count} groups",
            plan.max_groups(plan.staff_by_id[p]),
        ).format(person=staff_label(plan, p), count=plan.max_groups(plan.staff_by_id[p]))
        for p in _firsts(families)
    )


def staff_available(context: RuleContext, families: Families) -> str:
    people = join_names([staff_label(context.plan, p) for p in _firsts(families)])
    return ngettext("{people} is unavailable", "{people} are unavailable", len(families)).format(
        people=people
    )
