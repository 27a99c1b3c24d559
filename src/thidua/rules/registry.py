"""The one list of rules. The validator walks it; the solver asks each rule to encode itself.

Each entry is everything a rule implies: adding a rule is adding an entry here (its check,
wordings and encoding beside the others), plus its cases in `tests/test_rules.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from thidua.model import Plan
from thidua.rules import checks, conflicts, encodings, geography, soft
from thidua.rules.base import Concern, Rule, Violation, Wording
from thidua.rules.context import RuleContext

__all__ = ["RULES", "render", "rule_by_id", "rules_concerning", "validate"]

MEMBERSHIP, CHAIR, DEPUTY = Concern.MEMBERSHIP, Concern.CHAIR, Concern.DEPUTY
LEADER, OFFICER, PINS = Concern.LEADER, Concern.OFFICER, Concern.PINS


def _wordings(rule_id: str) -> tuple[Wording, ...]:
    every = (*checks.WORDINGS, *geography.WORDINGS)
    return tuple(wording for wording in every if wording.rule == rule_id)


RULES: tuple[Rule, ...] = (
    Rule(
        "unit-in-one-group",
        "Every unit is a member of exactly one group.",
        checks.check_unit_in_one_group,
        encodings.encode_unit_in_one_group,
        concerns={MEMBERSHIP},
        wordings=_wordings("unit-in-one-group"),
        explain=conflicts.unit_in_one_group,
    ),
    Rule(
        "group-kind",
        "Every member has its group's kind: departments form blocks, districts form clusters.",
        checks.check_group_kind,
        encodings.encode_group_kind,
        concerns={MEMBERSHIP},
        wordings=_wordings("group-kind"),
        explain=conflicts.group_kind,
    ),
    Rule(
        "group-size",
        "Every group's member count is within the plan's group_size bounds.",
        checks.check_group_size,
        encodings.encode_group_size,
        concerns={MEMBERSHIP},
        wordings=_wordings("group-size"),
        explain=conflicts.group_size,
    ),
    Rule(
        "chair-is-member",
        "Every group has a chair (khối trưởng, cụm trưởng), and the chair is one of its members.",
        checks.check_chair_is_member,
        encodings.encode_chair_is_member,
        concerns={CHAIR},
        wordings=_wordings("chair-is-member"),
        explain=conflicts.chair_is_member,
    ),
    Rule(
        "chair-rotation",
        "No group is chaired by a unit that chaired it within the last chair_rotation_years "
        "years of the previous plans.",
        checks.check_chair_rotation,
        encodings.encode_chair_rotation,
        concerns={CHAIR},
        wordings=_wordings("chair-rotation"),
        explain=conflicts.chair_rotation,
    ),
    Rule(
        "chair-succession",
        "Where the plan sets a succession pattern (rules.succession = deputy or leading): last "
        "year's deputy, or the group's leading unit in last year's review, chairs the group "
        "this year if it is still a member and the rotation allows it.",
        checks.check_chair_succession,
        encodings.encode_chair_succession,
        concerns={CHAIR},
        wordings=_wordings("chair-succession"),
        explain=conflicts.chair_succession,
    ),
    Rule(
        "deputy-is-member",
        "Where the plan asks for deputies: every group has a deputy (khối phó, cụm phó), one "
        "of its members, other than its chair.",
        checks.check_deputy_is_member,
        encodings.encode_deputy_is_member,
        concerns={CHAIR, DEPUTY},
        wordings=_wordings("deputy-is-member"),
        explain=conflicts.deputy_is_member,
    ),
    Rule(
        "one-leader",
        "Every group has exactly one leader in charge (lãnh đạo phụ trách) whose role is leader.",
        checks.check_one_leader,
        encodings.encode_one_leader,
        concerns={LEADER},
        wordings=_wordings("one-leader"),
        explain=conflicts.one_leader,
    ),
    Rule(
        "one-officer",
        "Every group has exactly one officer in charge (cán bộ phụ trách, theo dõi) whose role "
        "is officer.",
        checks.check_one_officer,
        encodings.encode_one_officer,
        concerns={OFFICER},
        wordings=_wordings("one-officer"),
        explain=conflicts.one_officer,
    ),
    Rule(
        "leader-workload",
        "No leader is in charge of more groups than allowed (leader_max_groups, or their own "
        "max_groups).",
        checks.check_leader_workload,
        encodings.encode_leader_workload,
        concerns={LEADER},
        wordings=_wordings("leader-workload"),
        explain=conflicts.workload,
    ),
    Rule(
        "officer-workload",
        "No officer is in charge of more groups than allowed (officer_max_groups, or their own "
        "max_groups).",
        checks.check_officer_workload,
        encodings.encode_officer_workload,
        concerns={OFFICER},
        wordings=_wordings("officer-workload"),
        explain=conflicts.workload,
    ),
    Rule(
        "staff-available",
        "Nobody marked unavailable (retired, on leave) is in charge of a group.",
        checks.check_staff_available,
        encodings.encode_staff_available,
        concerns={LEADER, OFFICER},
        wordings=_wordings("staff-available"),
        explain=conflicts.staff_available,
    ),
    Rule(
        "pins-kept",
        "Every pin of the plan holds.",
        checks.check_pins_kept,
        encodings.encode_pins_kept,
        concerns={PINS, MEMBERSHIP, CHAIR, LEADER, OFFICER},
        wordings=_wordings("pins-kept"),
        explain=conflicts.pins_kept,
    ),
    Rule(
        "tag-cohesion",
        "Soft: a group should not mix units holding different tags of rules.cohesion_tags "
        "(the former provinces, say). Each group counts its members holding such a tag other "
        "than the tag most of its members hold: the fewest that would have to leave.",
        checks.check_tag_cohesion,
        concerns={MEMBERSHIP},
        wordings=_wordings("tag-cohesion"),
        term=soft.TAG_COHESION,
    ),
    # The geography rules (thidua.geography), in the order planners weigh them: whole former
    # districts, connected clusters, short borders between them.
    Rule(
        "district-whole",
        "Soft: a group should hold each former district of rules.district_tags whole, as "
        "planners build clusters from whole former districts. Each district counts the "
        "groups holding its units beyond one.",
        geography.check_district_whole,
        concerns={MEMBERSHIP},
        wordings=_wordings("district-whole"),
        term=geography.DISTRICT_PIECES,
    ),
    Rule(
        "group-connected",
        "Soft: a group's members should be connected over the borders between them "
        "(islands exempt). Each group that is not counts one.",
        geography.check_group_connected,
        concerns={MEMBERSHIP},
        wordings=_wordings("group-connected"),
        term=geography.DISCONNECTED_GROUPS,
    ),
    Rule(
        "border-inside",
        "Soft: borders should run inside groups, not between them. Counts the metres of "
        "border between units that no group holds together.",
        geography.check_border_inside,
        concerns={MEMBERSHIP},
        wordings=_wordings("border-inside"),
        term=geography.BORDER_BETWEEN,
    ),
    Rule(
        "neighbour-cohesion",
        "Soft: units the plan lists as neighbours (sharing a border) should share a group. "
        "Each neighbour pair that no group holds together counts one.",
        checks.check_neighbour_cohesion,
        concerns={MEMBERSHIP},
        wordings=_wordings("neighbour-cohesion"),
        term=soft.NEIGHBOUR_COHESION,
    ),
)

_BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}


def rule_by_id(rule_id: str) -> Rule:
    return _BY_ID[rule_id]


def rules_concerning(*concerns: Concern, soft: bool = False) -> tuple[Rule, ...]:
    """The hard rules (and with `soft` the soft ones too) concerning any of `concerns`."""
    return tuple(rule for rule in RULES if rule.concerns_any(concerns) and (soft or not rule.soft))


def render(violation: Violation) -> str:
    """`violation`'s message in the process's language (its own message where it has no code)."""
    if not violation.code:
        return violation.message
    rule = _BY_ID.get(violation.rule)
    if rule is None:
        return violation.message
    return rule.wording(violation.code).render(dict(violation.facts))


def validate(
    plan: Plan, previous: Iterable[Plan] = (), *, include_soft: bool = False
) -> tuple[Violation, ...]:
    """Every violation of every hard rule (and of soft rules with `include_soft`), in rule order."""
    context = RuleContext(plan, tuple(previous))
    return tuple(
        violation
        for rule in RULES
        if include_soft or not rule.soft
        for violation in rule.check(context)
    )
