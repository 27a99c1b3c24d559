"""One check per rule of the contract. Each yields findings naming the things involved.

A finding is a `Wording` (one per way a rule can be broken) with its facts: names already
resolved from ids, counts, years. The wordings are English source text looked up in the
catalogue (`thidua.i18n`), so a finding is said in the process's language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from thidua import cohesion
from thidua.i18n import N_, _, ngettext_noop
from thidua.model import Group, PinKind, Plan, Role, Succession
from thidua.rules.base import Fact, Violation, Wording
from thidua.rules.context import RuleContext
from thidua.vocabulary import kind_words, role_word, succession_words

__all__ = [
    "WORDINGS",
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
    "group_label",
    "join_names",
    "rotation_barred",
    "staff_label",
    "unit_label",
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


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C", in the process's language."""
    if len(names) <= 1:
        return "".join(names)
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


# -- wordings, by rule -------------------------------------------------------------------------

IN_NO_GROUP = Wording("unit-in-one-group", "none", N_("{unit} is in no group"))
LISTED_TWICE = Wording("unit-in-one-group", "twice", N_("{unit} is listed twice in {groups}"))
IN_SEVERAL = Wording("unit-in-one-group", "several", N_("{unit} is in several groups: {groups}"))


def _kind_words(facts: Mapping[str, Fact]) -> dict[str, Fact]:
    return {
        "unit_word": kind_words(str(facts["unit_kind"]))[0],
        "units": kind_words(str(facts["group_kind"]))[1],
    }


def _succession_words(facts: Mapping[str, Fact]) -> dict[str, Fact]:
    return {
        "chair": facts["chair"] or _("nobody"),
        "pattern": succession_words(str(facts["succession"])),
    }


def _groups_or_none(facts: Mapping[str, Fact]) -> dict[str, Fact]:
    return {name: facts[name] or _("no group") for name in ("first_groups", "second_groups")}


WRONG_KIND = Wording(
    "group-kind",
    "kind",
    N_("{unit} is a {unit_word} but {group} groups {units}"),
    words=_kind_words,
)
SIZE = Wording(
    "group-size",
    "size",
    *ngettext_noop(
        "{group} has {count} member; a group must have {low} to {high}",
        "{group} has {count} members; a group must have {low} to {high}",
    ),
)


def _role_words(facts: Mapping[str, Fact]) -> dict[str, Fact]:
    kind = str(facts["kind"])
    return {"chair": role_word("chair", kind), "deputy": role_word("deputy", kind)}


NO_CHAIR = Wording("chair-is-member", "none", N_("{group} has no {chair}"), words=_role_words)
CHAIR_OUTSIDE = Wording(
    "chair-is-member",
    "outside",
    N_("{group} is chaired by {unit}, which is not one of its members"),
)
ROTATION = Wording(
    "chair-rotation",
    "again",
    *ngettext_noop(
        "{unit} chaired {group} in {year}; a unit may not chair the same group again within "
        "{count} year",
        "{unit} chaired {group} in {year}; a unit may not chair the same group again within "
        "{count} years",
    ),
)
SUCCESSION_ELECTED = Wording(
    "chair-succession",
    "elected",
    N_(
        "{unit}, the chair elected at last year's review of {group}, must chair it this year "
        "(succession: {pattern}), but the chair is {chair}"
    ),
    words=_succession_words,
)
SUCCESSION_DEPUTY = Wording(
    "chair-succession",
    "deputy",
    N_(
        "{unit}, last year's deputy of {group}, must chair it this year (succession: "
        "{pattern}), but the chair is {chair}"
    ),
    words=_succession_words,
)
SUCCESSION_LEADING = Wording(
    "chair-succession",
    "leading",
    N_(
        "{unit}, last year's leading unit of {group}, must chair it this year (succession: "
        "{pattern}), but the chair is {chair}"
    ),
    words=_succession_words,
)
NO_DEPUTY = Wording("deputy-is-member", "none", N_("{group} has no {deputy}"), words=_role_words)
DEPUTY_OUTSIDE = Wording(
    "deputy-is-member", "outside", N_("{group}'s deputy {unit} is not one of its members")
)
DEPUTY_CHAIRS = Wording(
    "deputy-is-member", "chair", N_("{unit} is both chair and deputy of {group}")
)
NO_LEADER = Wording("one-leader", "none", N_("{group} has no leader in charge"))
LEADER_ROLE = Wording(
    "one-leader", "role", N_("{person} is leader of {group} but is an officer, not a leader")
)
NO_OFFICER = Wording("one-officer", "none", N_("{group} has no officer in charge"))
OFFICER_ROLE = Wording(
    "one-officer", "role", N_("{person} is officer of {group} but is a leader, not an officer")
)
LEADER_WORKLOAD = Wording(
    "leader-workload",
    "over",
    *ngettext_noop(
        "{person} is in charge of {count} group ({groups}); the limit is {limit}",
        "{person} is in charge of {count} groups ({groups}); the limit is {limit}",
    ),
)
OFFICER_WORKLOAD = Wording("officer-workload", "over", LEADER_WORKLOAD.text, LEADER_WORKLOAD.plural)
UNAVAILABLE = Wording(
    "staff-available",
    "unavailable",
    N_("{person} is marked unavailable but is in charge of {group}"),
)
PIN_UNIT = Wording("pins-kept", "unit", N_("{unit} is pinned to {group} but is not in it"))
PIN_STAFF = Wording("pins-kept", "staff", N_("{person} is pinned to {group} but is not in charge"))
PIN_CHAIR = Wording("pins-kept", "chair", N_("{unit} is pinned as chair of {group} but is not"))
TAG_MIX = Wording(
    "tag-cohesion",
    "mix",
    *ngettext_noop(
        "{group} mixes tags ({counts}): {units} is outside its majority tag {majority}",
        "{group} mixes tags ({counts}): {units} are outside its majority tag {majority}",
    ),
)
NEIGHBOURS_SPLIT = Wording(
    "neighbour-cohesion",
    "split",
    N_("{first} ({first_groups}) and {second} ({second_groups}) share a border but not a group"),
    words=_groups_or_none,
)

# Every wording of every rule, for the registry's entries.
WORDINGS: tuple[Wording, ...] = (
    IN_NO_GROUP, LISTED_TWICE, IN_SEVERAL, WRONG_KIND, SIZE, NO_CHAIR, CHAIR_OUTSIDE,
    ROTATION, SUCCESSION_ELECTED, SUCCESSION_DEPUTY, SUCCESSION_LEADING, NO_DEPUTY,
    DEPUTY_OUTSIDE, DEPUTY_CHAIRS, NO_LEADER, LEADER_ROLE, NO_OFFICER, OFFICER_ROLE,
    LEADER_WORKLOAD, OFFICER_WORKLOAD, UNAVAILABLE, PIN_UNIT, PIN_STAFF, PIN_CHAIR, TAG_MIX,
    NEIGHBOURS_SPLIT,
)  # fmt: skip


def check_unit_in_one_group(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for unit in plan.units:
        groups = plan.groups_of_unit.get(unit.id, ())
        if not groups:
            yield IN_NO_GROUP.finding((unit.id,), unit=unit.name)
        elif len(groups) > 1:
            distinct = tuple(dict.fromkeys(groups))
            wording = LISTED_TWICE if len(distinct) == 1 else IN_SEVERAL
            names = ", ".join(group_label(plan, g) for g in distinct)
            yield wording.finding((unit.id, *distinct), unit=unit.name, groups=names)


def check_group_kind(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for group in plan.groups:
        for member in group.members:
            unit = plan.unit_by_id[member]
            if unit.kind != group.kind:
                yield WRONG_KIND.finding(
                    (member, group.id),
                    unit=unit.name,
                    unit_kind=unit.kind,
                    group=group.name,
                    group_kind=group.kind,
                )


def check_group_size(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    low, high = plan.rules.group_size
    for group in plan.groups:
        size = len(group.members)
        if not low <= size <= high:
            yield SIZE.finding((group.id,), group=group.name, count=size, low=low, high=high)


def check_chair_is_member(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for group in plan.groups:
        if group.chair is None:
            yield NO_CHAIR.finding((group.id,), group=group.name, kind=group.kind)
        elif group.chair not in group.members:
            yield CHAIR_OUTSIDE.finding(
                (group.id, group.chair), group=group.name, unit=unit_label(plan, group.chair)
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
                yield ROTATION.finding(
                    (group.id, group.chair),
                    unit=unit_label(plan, group.chair),
                    group=group.name,
                    year=earlier.year,
                    count=years,
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
            wording = SUCCESSION_ELECTED
        elif plan.rules.succession is Succession.DEPUTY:
            wording = SUCCESSION_DEPUTY
        else:
            wording = SUCCESSION_LEADING
        chair = unit_label(plan, group.chair) if group.chair is not None else ""
        yield wording.finding(
            (group.id, unit),
            unit=unit_label(plan, unit),
            group=group.name,
            succession=plan.rules.succession.value,
            chair=chair,
        )


def check_deputy_is_member(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    if not plan.rules.deputy:
        return
    for group in plan.groups:
        if group.deputy is None:
            yield NO_DEPUTY.finding((group.id,), group=group.name, kind=group.kind)
        elif group.deputy not in group.members:
            yield DEPUTY_OUTSIDE.finding(
                (group.id, group.deputy), group=group.name, unit=unit_label(plan, group.deputy)
            )
        elif group.deputy == group.chair:
            yield DEPUTY_CHAIRS.finding(
                (group.id, group.deputy), group=group.name, unit=unit_label(plan, group.deputy)
            )


def _one_in_charge(context: RuleContext, role: Role) -> Iterator[Violation]:
    plan = context.plan
    missing, other = (NO_LEADER, LEADER_ROLE) if role is Role.LEADER else (NO_OFFICER, OFFICER_ROLE)
    for group in plan.groups:
        staff_id = group.staff_for(role)
        if staff_id is None:
            yield missing.finding((group.id,), group=group.name)
            continue
        person = plan.staff_by_id[staff_id]
        if person.role is not role:
            yield other.finding((group.id, staff_id), person=person.name, group=group.name)


def check_one_leader(context: RuleContext) -> Iterator[Violation]:
    return _one_in_charge(context, Role.LEADER)


def check_one_officer(context: RuleContext) -> Iterator[Violation]:
    return _one_in_charge(context, Role.OFFICER)


def _workload(context: RuleContext, role: Role) -> Iterator[Violation]:
    plan = context.plan
    wording = LEADER_WORKLOAD if role is Role.LEADER else OFFICER_WORKLOAD
    for person in plan.staff:
        if person.role is not role:
            continue
        groups = plan.workload(person.id)
        limit = plan.max_groups(person)
        if len(groups) > limit:
            yield wording.finding(
                (person.id, *groups),
                person=person.name,
                count=len(groups),
                groups=", ".join(group_label(plan, g) for g in groups),
                limit=limit,
            )


def check_leader_workload(context: RuleContext) -> Iterator[Violation]:
    return _workload(context, Role.LEADER)


def check_officer_workload(context: RuleContext) -> Iterator[Violation]:
    return _workload(context, Role.OFFICER)


def check_staff_available(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    for person in plan.staff:
        if person.available:
            continue
        for group_id in plan.workload(person.id):
            yield UNAVAILABLE.finding(
                (person.id, group_id), person=person.name, group=group_label(plan, group_id)
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
        subjects = (pin.subject, pin.group)
        if pin.kind is PinKind.UNIT:
            yield PIN_UNIT.finding(subjects, unit=unit_label(plan, pin.subject), group=where)
        elif pin.kind is PinKind.STAFF:
            yield PIN_STAFF.finding(subjects, person=staff_label(plan, pin.subject), group=where)
        else:
            yield PIN_CHAIR.finding(subjects, unit=unit_label(plan, pin.subject), group=where)


def check_tag_cohesion(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per group mixing listed tags, naming the members outside its majority.

    The findings' penalties (members named after the group) add up to the tag cohesion term.
    """
    plan = context.plan
    for mix in cohesion.tag_mixes(plan):
        yield TAG_MIX.finding(
            (mix.group, *mix.outside),
            group=group_label(plan, mix.group),
            counts=", ".join(f"{count} {tag}" for tag, count in mix.counts),
            units=join_names([unit_label(plan, unit) for unit in mix.outside]),
            count=mix.penalty,
            majority=mix.majority,
        )


def check_neighbour_cohesion(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per neighbour pair that no group holds together."""
    plan = context.plan

    def where(unit: str) -> str:
        found = plan.groups_of_unit.get(unit, ())
        return ", ".join(group_label(plan, g) for g in found)

    for first, second in cohesion.split_pairs(plan):
        groups = tuple(
            dict.fromkeys(
                (*plan.groups_of_unit.get(first, ()), *plan.groups_of_unit.get(second, ()))
            )
        )
        yield NEIGHBOURS_SPLIT.finding(
            (first, second, *groups),
            first=unit_label(plan, first),
            first_groups=where(first),
            second=unit_label(plan, second),
            second_groups=where(second),
        )


def member_counts(plan: Plan) -> Counter[str]:
    """How many times each unit id is listed across all groups."""
    return Counter(member for group in plan.groups for member in group.members)
