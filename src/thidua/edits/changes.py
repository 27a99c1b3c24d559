"""Edits a planner makes by hand, as pure functions from one plan to the next.

Each edit checks its arguments and raises `EditError` for an edit that cannot be made at all
(an unknown id, a duplicate id, an empty name); an edit that merely breaks a rule is allowed,
because validation reports it and the planner may be half-way through a rearrangement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeAlias

import attrs

from thidua.diff import Move, RoleChange
from thidua.errors import ThiduaError
from thidua.files import reference_problems
from thidua.i18n import N_, _
from thidua.model import Group, Pin, PinKind, Plan, Role, Staff, Unit
from thidua.text import nfc, slugify
from thidua.vocabulary import group_word

__all__ = [
    "Change",
    "EditError",
    "UnknownIdError",
    "add_group",
    "add_person",
    "add_unit",
    "apply_changes",
    "find_group",
    "find_person",
    "find_unit",
    "move_unit",
    "new_group",
    "new_person",
    "new_unit",
    "pin",
    "pin_options",
    "remove_group",
    "remove_person",
    "remove_unit",
    "requested_groups",
    "set_chair",
    "set_deputy",
    "set_leader",
    "set_officer",
    "set_staff",
    "unique_id",
    "unpin",
]


class EditError(ThiduaError):
    """An edit that cannot be made: the message says why, in a planner's words."""


class UnknownIdError(EditError):
    """An edit names a unit, group or person the plan does not have."""

    def __init__(self, what: str, identifier: str) -> None:
        self.what = what
        self.identifier = identifier
        message = _UNKNOWN.get(what)
        if message is None:
            text = _("no {what} with id {id} in this plan").format(what=what, id=repr(identifier))
        else:
            text = _(message).format(id=repr(identifier))
        super().__init__(text)


# What an unknown id was meant to be: "unit", "group", "person" or any of them.
_UNKNOWN = {
    "unit": N_("no unit with id {id} in this plan"),
    "group": N_("no group with id {id} in this plan"),
    "person": N_("no person with id {id} in this plan"),
    "unit, group or person": N_("no unit, group or person with id {id} in this plan"),
}


# --------------------------------------------------------------------------------------------
# Lookups that raise the edit's error rather than KeyError (shared with `eligibility`)


def find_unit(plan: Plan, unit_id: str) -> Unit:
    try:
        return plan.unit_by_id[unit_id]
    except KeyError:
        raise UnknownIdError("unit", unit_id) from None


def find_group(plan: Plan, group_id: str) -> Group:
    try:
        return plan.group_by_id[group_id]
    except KeyError:
        raise UnknownIdError("group", group_id) from None


def find_person(plan: Plan, staff_id: str) -> Staff:
    try:
        return plan.staff_by_id[staff_id]
    except KeyError:
        raise UnknownIdError("person", staff_id) from None


def _checked(plan: Plan) -> Plan:
    """The plan, after making sure every reference resolves (the file format's invariant)."""
    for _section, _index, _key, _value, message in reference_problems(plan):
        raise EditError(message)
    return plan


def _with_groups(plan: Plan, groups: Iterable[Group]) -> Plan:
    return attrs.evolve(plan, groups=tuple(groups))


# --------------------------------------------------------------------------------------------
# Membership and roles


def move_unit(plan: Plan, unit: str, group: str | None) -> Plan:
    """`unit` moved to the end of `group`'s members, or out of every group when None.

    A unit that leaves a group stops chairing or deputising it: those roles belong to members,
    so the group is left without a chair (which validation reports) rather than with an outsider.
    """
    find_unit(plan, unit)
    if group is not None:
        find_group(plan, group)
        if plan.groups_of_unit.get(unit, ()) == (group,):
            return plan
    elif not plan.groups_of_unit.get(unit):
        return plan
    groups = []
    for g in plan.groups:
        if g.id == group:
            members = (*(m for m in g.members if m != unit), unit)
            g = attrs.evolve(g, members=members)
        elif unit in g.members:
            g = attrs.evolve(
                g,
                members=tuple(m for m in g.members if m != unit),
                chair=None if g.chair == unit else g.chair,
                deputy=None if g.deputy == unit else g.deputy,
            )
        groups.append(g)
    return _with_groups(plan, groups)


def set_chair(plan: Plan, group: str, unit: str | None) -> Plan:
    """`group` chaired by `unit` (khối trưởng, cụm trưởng), or without a chair when None."""
    return _set_unit_role(plan, group, "chair", unit)


def set_deputy(plan: Plan, group: str, unit: str | None) -> Plan:
    """`group`'s deputy (khối phó, cụm phó) set to `unit`, or cleared when None."""
    return _set_unit_role(plan, group, "deputy", unit)


def _set_unit_role(plan: Plan, group: str, role: str, unit: str | None) -> Plan:
    current = find_group(plan, group)
    if unit is not None:
        find_unit(plan, unit)
    if getattr(current, role) == unit:
        return plan
    if role == "chair":
        return plan.replace_group(attrs.evolve(current, chair=unit))
    return plan.replace_group(attrs.evolve(current, deputy=unit))


def set_staff(plan: Plan, group: str, role: Role, person: str | None) -> Plan:
    """`group`'s leader or officer in charge set to `person`, or cleared when None."""
    current = find_group(plan, group)
    if person is not None:
        find_person(plan, person)
    if current.staff_for(role) == person:
        return plan
    if role is Role.LEADER:
        return plan.replace_group(attrs.evolve(current, leader=person))
    return plan.replace_group(attrs.evolve(current, officer=person))


def set_leader(plan: Plan, group: str, person: str | None) -> Plan:
    """`group`'s leader in charge (lãnh đạo phụ trách) set to `person`."""
    return set_staff(plan, group, Role.LEADER, person)


def set_officer(plan: Plan, group: str, person: str | None) -> Plan:
    """`group`'s officer in charge (cán bộ phụ trách, theo dõi) set to `person`."""
    return set_staff(plan, group, Role.OFFICER, person)


# --------------------------------------------------------------------------------------------
# Pins


def pin(plan: Plan, new: Pin) -> Plan:
    """The plan with `new` added to its pins; a pin it already has is an error."""
    find_group(plan, new.group)
    if new.kind is PinKind.STAFF:
        find_person(plan, new.subject)
    else:
        find_unit(plan, new.subject)
    if new in plan.pins:
        raise EditError(_("this pin is already set"))
    return attrs.evolve(plan, pins=(*plan.pins, new))


def unpin(plan: Plan, old: Pin) -> Plan:
    """The plan without the pin `old`, which it must have."""
    if old not in plan.pins:
        raise EditError(_("this pin is not set"))
    return attrs.evolve(plan, pins=tuple(p for p in plan.pins if p != old))


def pin_options(plan: Plan, subject: str) -> tuple[tuple[Pin, bool], ...]:
    """The pins that keep `subject` (a unit, group or person) as it is now, each with whether
    it is set. Pins the plan has about `subject` that no longer hold come last, so they can be
    removed too.
    """
    options: list[Pin] = []
    if subject in plan.unit_by_id:
        group = plan.group_of(subject)
        if group is not None:
            options.append(Pin.unit_in(subject, group))
            if plan.group_by_id[group].chair == subject:
                options.append(Pin.chair_of(subject, group))
    elif subject in plan.group_by_id:
        found = plan.group_by_id[subject]
        if found.chair is not None:
            options.append(Pin.chair_of(found.chair, subject))
        options += [Pin.staff_on(p, subject) for p in (found.leader, found.officer) if p]
    elif subject in plan.staff_by_id:
        options += [Pin.staff_on(subject, g) for g in plan.workload(subject)]
    else:
        raise UnknownIdError("unit, group or person", subject)
    options += [p for p in plan.pins if p not in options and subject in (p.subject, p.group)]
    return tuple((option, option in plan.pins) for option in options)


# --------------------------------------------------------------------------------------------
# Adding and removing groups, units and people


def unique_id(taken: Mapping[str, object] | Iterable[str], name: str) -> str:
    """An ASCII id for `name` that is not among `taken` ("Cụm 5" -> "cum-5", then "cum-5-2")."""
    used = set(taken)
    base = slugify(name) or "x"
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _name(name: str) -> str:
    cleaned = " ".join(nfc(name).split())
    if not cleaned:
        raise EditError(_("a name cannot be empty"))
    return cleaned


def _kind(kind: str) -> str:
    cleaned = kind.strip()
    if slugify(cleaned) != cleaned:
        raise EditError(
            _("kind {kind} must be an ASCII word such as 'department' or 'district'").format(
                kind=repr(kind)
            )
        )
    return cleaned


def new_group(plan: Plan, name: str, kind: str) -> Group:
    """An empty group named `name`, with an id no group of `plan` has."""
    name = _name(name)
    return Group(id=unique_id(plan.group_by_id, name), name=name, kind=_kind(kind))


def new_unit(plan: Plan, name: str, kind: str, tags: Iterable[str] = ()) -> Unit:
    """A unit named `name`, with an id no unit of `plan` has."""
    name = _name(name)
    if any(unit.name == name for unit in plan.units):
        # A plan file refuses two units of one name: the save would not load again.
        raise EditError(f"a unit named {name!r} already exists")
    clean_tags = tuple(_kind(tag) for tag in tags)
    return Unit(id=unique_id(plan.unit_by_id, name), name=name, kind=_kind(kind), tags=clean_tags)


def new_person(
    plan: Plan, name: str, role: Role, title: str | None = None, max_groups: int | None = None
) -> Staff:
    """A person named `name`, with an id nobody in `plan` has."""
    name = _name(name)
    if max_groups is not None and max_groups < 0:
        raise EditError(_("a person's group limit cannot be negative"))
    title = " ".join(title.split()) if title else None
    return Staff(
        id=unique_id(plan.staff_by_id, name),
        name=name,
        role=role,
        title=title or None,
        max_groups=max_groups,
    )


def requested_groups(plan: Plan) -> Plan:
    """The plan with the groups `rules.group_count` asks for, when it lists none.

    A first grouping may give a number of groups instead of listing them: they are "Cụm 1"
    to "Cụm N" ("Khối" for departments), empty, of the units' kind. A plan that lists groups
    must list as many as it asks for; a count for units of several kinds is ambiguous.
    """
    count = plan.rules.group_count
    if count is None:
        return plan
    if plan.groups:
        if len(plan.groups) != count:
            raise EditError(
                _(
                    "rules.group_count asks for {count} groups but the plan lists {listed}; "
                    "list them all or none"
                ).format(count=count, listed=len(plan.groups))
            )
        return plan
    kinds = list(dict.fromkeys(unit.kind for unit in plan.units))
    if len(kinds) != 1:
        found = ", ".join(kinds) if kinds else _("none")
        raise EditError(
            _(
                "rules.group_count needs units of one kind (found: {found}); "
                "list the groups instead"
            ).format(found=found)
        )
    if count > len(plan.units):
        # Every group needs a chair among its members: more groups than units never fit, and
        # building them all first would take as long as the count is large.
        raise EditError(
            _(
                "rules.group_count asks for {count} groups but the plan has {units} units; every "
                "group needs at least one member"
            ).format(count=count, units=len(plan.units))
        )
    word = group_word(kinds[0], lang="vi")  # a group's name is data, in the documents' language
    # "Cụm 1" to "Cụm N" have distinct slugs: no search for unused ids (quadratic in N).
    groups = [
        Group(id=slugify(f"{word} {number}"), name=f"{word} {number}", kind=kinds[0])
        for number in range(1, count + 1)
    ]
    return attrs.evolve(plan, groups=groups)


def add_group(plan: Plan, group: Group) -> Plan:
    """The plan with `group` added after the others."""
    if group.id in plan.group_by_id:
        raise EditError(_("a group with id {id} already exists").format(id=repr(group.id)))
    return _checked(attrs.evolve(plan, groups=(*plan.groups, group)))


def add_unit(plan: Plan, unit: Unit, group: str | None = None) -> Plan:
    """The plan with `unit` added after the others, as the last member of `group` if given."""
    if unit.id in plan.unit_by_id:
        raise EditError(_("a unit with id {id} already exists").format(id=repr(unit.id)))
    if group is not None:
        find_group(plan, group)
    added = attrs.evolve(plan, units=(*plan.units, unit))
    return added if group is None else move_unit(added, unit.id, group)


def add_person(plan: Plan, person: Staff) -> Plan:
    """The plan with `person` added to its staff."""
    if person.id in plan.staff_by_id:
        raise EditError(_("a person with id {id} already exists").format(id=repr(person.id)))
    return attrs.evolve(plan, staff=(*plan.staff, person))


def remove_group(plan: Plan, group: str) -> Plan:
    """The plan without `group`; its members are left in no group, its pins and result go too."""
    find_group(plan, group)
    return attrs.evolve(
        plan,
        groups=tuple(g for g in plan.groups if g.id != group),
        pins=tuple(p for p in plan.pins if p.group != group),
        results=tuple(r for r in plan.results if r.group != group),
    )


def remove_unit(plan: Plan, unit: str) -> Plan:
    """The plan without `unit`, and without every mention of it: memberships, chairs, pins,
    neighbour pairs and review results (ranking, awards, ballot tallies), since a reference to
    a missing unit is not loadable.
    """
    find_unit(plan, unit)

    def drop(value: str | None) -> str | None:
        return None if value == unit else value

    groups = tuple(
        attrs.evolve(
            g,
            members=tuple(m for m in g.members if m != unit),
            chair=drop(g.chair),
            deputy=drop(g.deputy),
        )
        if unit in (*g.members, g.chair, g.deputy)
        else g
        for g in plan.groups
    )
    results = tuple(
        attrs.evolve(
            r,
            leading_unit=drop(r.leading_unit),
            next_chair=drop(r.next_chair),
            ranking=tuple(u for u in r.ranking if u != unit),
            awards=tuple(
                attrs.evolve(a, units=tuple(u for u in a.units if u != unit)) for a in r.awards
            ),
            ballots=tuple(t for t in r.ballots if t.unit != unit),
        )
        for r in plan.results
    )
    return attrs.evolve(
        plan,
        units=tuple(u for u in plan.units if u.id != unit),
        groups=groups,
        pins=tuple(p for p in plan.pins if p.kind is PinKind.STAFF or p.subject != unit),
        neighbours=tuple(pair for pair in plan.neighbours if unit not in pair),
        borders=tuple(b for b in plan.borders if unit not in (b.first, b.second)),
        results=results,
    )


def remove_person(plan: Plan, person: str) -> Plan:
    """The plan without `person`; the groups they were in charge of are left without one."""
    find_person(plan, person)
    groups = tuple(
        attrs.evolve(
            g,
            leader=None if g.leader == person else g.leader,
            officer=None if g.officer == person else g.officer,
        )
        if person in (g.leader, g.officer)
        else g
        for g in plan.groups
    )
    return attrs.evolve(
        plan,
        staff=tuple(s for s in plan.staff if s.id != person),
        groups=groups,
        pins=tuple(p for p in plan.pins if p.kind is not PinKind.STAFF or p.subject != person),
    )


# --------------------------------------------------------------------------------------------
# Accepting a proposal in part

Change: TypeAlias = Move | RoleChange


def apply_changes(plan: Plan, changes: Iterable[Change]) -> Plan:
    """`plan` with some of the changes `thidua.diff.diff` found towards another plan applied.

    Moves come first so that a chair chosen among a group's new members is a member by the time
    the role is set; references to units, groups or people `plan` lacks are errors.
    """
    ordered = sorted(changes, key=lambda change: isinstance(change, RoleChange))
    for change in ordered:
        if isinstance(change, Move):
            plan = move_unit(plan, change.unit, change.after)
        elif change.role in ("leader", "officer"):
            plan = set_staff(plan, change.group, Role(change.role), change.after)
        elif change.role == "chair":
            plan = set_chair(plan, change.group, change.after)
        elif change.role == "deputy":
            plan = set_deputy(plan, change.group, change.after)
        else:
            raise EditError(_("unknown role {role} in a change").format(role=repr(change.role)))
    return plan
