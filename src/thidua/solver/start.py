"""A starting plan built without CP-SAT, and the choices that need no search.

The objective's terms split along what they depend on (see `thidua.solver.solve`):

- membership (moves, size spread) is a transportation problem between groups, solved exactly
  by `thidua.solver.flow`;
- staff (leader and officer changes) depends on nothing but staff: `staff_start` below finds
  the exact fewest changes greedily;
- chairs and deputies enter no term: given the membership, `choose_chairs` picks them by
  preference, group by group.

Put together they make a complete plan that usually breaks no rule and meets every term's
lower bound; the solver then only has to confirm it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs

from thidua.model import PinKind, Plan, Role
from thidua.rules.base import RuleContext
from thidua.rules.checks import designated_successor, rotation_barred
from thidua.solver.flow import KindFlow

__all__ = [
    "Assignment",
    "StaffStart",
    "assemble",
    "chair_history",
    "choose_chairs",
    "staff_start",
    "starting_plan",
]


@attrs.frozen
class Assignment:
    """Who is where: unit -> group, and per group its leader, officer, chair and deputy."""

    membership: Mapping[str, str]
    leaders: Mapping[str, str]
    officers: Mapping[str, str]
    chairs: Mapping[str, str]
    deputies: Mapping[str, str]


def assemble(draft: Plan, assignment: Assignment) -> Plan:
    """The draft with its groups filled in from `assignment`.

    Members the draft already lists keep its order; newcomers follow in the order of
    `draft.units`, so a proposal reads like the draft it came from. Where the rules ask for no
    deputy, the draft's deputy is kept only while it is still a member other than the chair.
    """
    incoming: dict[str, list[str]] = {group.id: [] for group in draft.groups}
    for unit in draft.units:
        group_id = assignment.membership.get(unit.id)
        if group_id is not None:
            incoming[group_id].append(unit.id)
    groups = []
    for group in draft.groups:
        wanted = incoming[group.id]
        kept = [m for m in dict.fromkeys(group.members) if assignment.membership.get(m) == group.id]
        members = (*kept, *(u for u in wanted if u not in set(kept)))
        chair = assignment.chairs.get(group.id)
        if draft.rules.deputy:
            deputy = assignment.deputies.get(group.id)
        else:
            deputy = group.deputy if group.deputy in members and group.deputy != chair else None
        groups.append(
            attrs.evolve(
                group,
                members=members,
                leader=assignment.leaders.get(group.id),
                officer=assignment.officers.get(group.id),
                chair=chair,
                deputy=deputy,
            )
        )
    return attrs.evolve(draft, groups=groups)


# --------------------------------------------------------------------------------------------
# Staff


@attrs.frozen
class StaffStart:
    """People in charge with the fewest changes; `problem` says why none exists."""

    leaders: Mapping[str, str]
    officers: Mapping[str, str]
    changes: int
    problem: str | None = None


def staff_start(plan: Plan, baseline: Plan) -> StaffStart:
    """Leaders and officers for every group, changing the fewest against `baseline`.

    Exact, because staff constraints only count: a person may lead any group, up to their
    limit. Pins fix some pairs first. Then every person keeps as many of the groups they held
    in `baseline` as their remaining limit allows; which ones does not matter, since each kept
    group uses one unit of that person's limit and nobody else's. That keeps the most, so it
    changes the fewest. The remaining groups go to whoever has room, fewest groups first (the
    draft's choice where it has room): every group needs exactly one person whoever it is, so
    keeping never blocks covering the rest. A group `baseline` does not have counts nothing.
    """
    holders: dict[Role, dict[str, str]] = {}
    changes = 0
    for role in Role:
        found = _staff_for_role(plan, baseline, role)
        if isinstance(found, str):
            return StaffStart({}, {}, 0, found)
        holders[role] = found
        for group in plan.groups:
            before = baseline.group_by_id.get(group.id)
            if before is not None and before.staff_for(role) != found[group.id]:
                changes += 1
    return StaffStart(holders[Role.LEADER], holders[Role.OFFICER], changes)


def _staff_for_role(plan: Plan, baseline: Plan, role: Role) -> dict[str, str] | str:
    word = role.value
    limit = {p.id: plan.max_groups(p) for p in plan.staff if p.role is role and p.available}
    order = {person: index for index, person in enumerate(limit)}
    load = dict.fromkeys(limit, 0)
    holder: dict[str, str] = {}
    for pin in plan.pins:
        pinned = plan.staff_by_id[pin.subject] if pin.kind is PinKind.STAFF else None
        if pinned is None or pinned.role is not role:
            continue
        if holder.get(pin.group, pinned.id) != pinned.id:
            return f"two {word}s are pinned to {_group_name(plan, pin.group)}"
        if pinned.id not in limit:
            return f"{pinned.name} is pinned to {_group_name(plan, pin.group)} but is unavailable"
        if pin.group not in holder:
            holder[pin.group] = pinned.id
            load[pinned.id] += 1
    for person_id, count in load.items():
        if count > limit[person_id]:
            return f"{plan.staff_by_id[person_id].name} is pinned to more groups than allowed"
    for group in plan.groups:
        before = baseline.group_by_id.get(group.id)
        kept = before.staff_for(role) if before is not None else None
        if group.id not in holder and kept in limit and load[kept] < limit[kept]:
            holder[group.id] = kept
            load[kept] += 1
    for group in plan.groups:
        if group.id in holder:
            continue
        room = [person for person in limit if load[person] < limit[person]]
        if not room:
            return f"not enough available {word}s for every group"
        drafted = group.staff_for(role)
        person = drafted if drafted in room else min(room, key=lambda p: (load[p], order[p]))
        holder[group.id] = person
        load[person] += 1
    return holder


def _group_name(plan: Plan, group_id: str) -> str:
    group = plan.group_by_id.get(group_id)
    return group.name if group is not None else group_id


# --------------------------------------------------------------------------------------------
# Chairs


def chair_history(context: RuleContext) -> dict[str, int]:
    """Each unit that chaired any group in the previous plans, to the latest such year."""
    latest: dict[str, int] = {}
    for earlier in context.previous:
        for group in earlier.groups:
            if group.chair is not None:
                latest[group.chair] = max(latest.get(group.chair, earlier.year), earlier.year)
    return latest


def chair_candidates(plan: Plan, context: RuleContext, group_id: str) -> list[str]:
    """The members that may chair `group_id` under every chair rule and pin, in member order.

    Exactly the rules' conditions: a member (`chair-is-member`), not a recent chair of the
    group (`chair-rotation`), the designated successor if it is a member (`chair-succession`),
    the pinned chair if there is one (`pins-kept`).
    """
    group = plan.group_by_id[group_id]
    barred = rotation_barred(context, group_id)
    candidates = [unit for unit in dict.fromkeys(group.members) if unit not in barred]
    designated = designated_successor(context, group_id)
    if designated is not None and designated in group.members:
        candidates = [unit for unit in candidates if unit == designated]
    for pin in plan.pins:
        if pin.kind is PinKind.CHAIR and pin.group == group_id:
            candidates = [unit for unit in candidates if unit == pin.subject]
    return candidates


def choose_chairs(plan: Plan, context: RuleContext) -> Plan:
    """Each group's chair (and deputy) by preference: the member that chaired longest ago.

    Among the members allowed to chair, the one whose latest chairing of any group is oldest
    wins, one that never chaired before all others, then the earlier in the member list. The
    deputy, where required, is the next member by the same order (with deputy succession,
    next year's chair). A group with no allowed member keeps the chair it has.

    This cannot change the objective: no term counts chairs or deputies, and the choice in
    one group constrains no other (a unit is a member of one group only, and every chair rule
    speaks of one group), so choosing per group finds a most preferred chair for every group
    at once, for the membership the solver settled.
    """
    history = chair_history(context)
    groups = []
    for group in plan.groups:
        position = {unit: index for index, unit in enumerate(group.members)}

        def preference(unit: str, position: Mapping[str, int] = position) -> tuple[float, int]:
            return (history.get(unit, -math.inf), position[unit])

        candidates = chair_candidates(plan, context, group.id)
        chair = min(candidates, key=preference) if candidates else group.chair
        deputy = group.deputy
        if plan.rules.deputy:
            others = [unit for unit in group.members if unit != chair]
            deputy = min(others, key=preference) if others else group.deputy
        groups.append(attrs.evolve(group, chair=chair, deputy=deputy))
    return attrs.evolve(plan, groups=groups)


def starting_plan(context: RuleContext, flows: Mapping[str, KindFlow], staff: StaffStart) -> Plan:
    """The flow's membership, the fewest staff changes, and chairs by preference."""
    membership: dict[str, str] = {}
    for flow in flows.values():
        membership.update(flow.assignment)
    plan = assemble(context.plan, Assignment(membership, staff.leaders, staff.officers, {}, {}))
    return choose_chairs(plan, context)
