"""How each rule words its part of a conflict, when the solver finds that no plan exists.

The solver's explanation (`thidua.solver.explain`) finds a core: families of constraints, each
a rule and its subjects (a kind, a group or a person), that cannot hold together. Each rule's
entry says its part through one of these functions, in the process's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from thidua.i18n import _, ngettext
from thidua.model import PinKind, Plan
from thidua.rules.checks import (
    designated_successor,
    group_label,
    join_names,
    rotation_barred,
    staff_label,
    unit_label,
)
from thidua.rules.context import RuleContext
from thidua.vocabulary import kind_words, succession_words

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
    "pins_kept",
    "staff_available",
    "unit_in_one_group",
    "workload",
]

Families = Sequence[tuple[str, ...]]


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
        _("{unit} is a {unit_word} but {group} groups {units}").format(
            unit=unit_label(plan, unit),
            unit_word=kind_words(plan.unit_by_id[unit].kind)[0],
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
        _("{unit} must chair {group} while a member (succession: {pattern})").format(
            unit=unit_label(plan, designated_successor(context, g) or ""),
            group=group_label(plan, g),
            pattern=succession_words(plan.rules.succession.value),
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


def pins_kept(context: RuleContext, families: Families) -> str:
    """Each pin of the core, as the planner set it. A family is (kind, subject, group)."""
    plan = context.plan
    said = []
    for kind, subject, group_id in families:
        group = group_label(plan, group_id)
        if kind == PinKind.STAFF.value:
            message = _("{subject} is pinned in charge of {group}")
            said.append(message.format(subject=staff_label(plan, subject), group=group))
            continue
        if kind == PinKind.CHAIR.value:
            message = _("{subject} is pinned as chair of {group}")
        else:
            message = _("{subject} is pinned to {group}")
        said.append(message.format(subject=unit_label(plan, subject), group=group))
    return "; ".join(said)
