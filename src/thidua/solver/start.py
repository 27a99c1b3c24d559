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

import heapq
import math
from collections.abc import Iterable, Mapping

import attrs

from thidua.model import PinKind, Plan, Role
from thidua.rules.base import RuleContext
from thidua.rules.checks import designated_successor, group_label, rotation_barred
from thidua.solver.flow import ChairLimits, KindFlow, min_moves_by_kind, spread_frontier

__all__ = [
    "Assignment",
    "MembershipStart",
    "StaffStart",
    "assemble",
    "chair_history",
    "chair_limits",
    "choose_chairs",
    "evicted",
    "membership_start",
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
# Membership


@attrs.frozen
class MembershipStart:
    """A membership meeting the membership terms' lower bounds, and the bounds themselves.

    Ignoring the chair rules, as `thidua.solver.flow` does; the bounds are valid for the real
    problem, which only adds rules. `moves` bounds every plan's moves. `spread` bounds the
    spread of the plans that make only `moves` moves when `spread_given_moves`, of every plan
    otherwise (None: no bound computed). `weighted` bounds `w_moves * moves + w_spread *
    spread` over every plan (None: not computed). The assignment attains all of them at once.
    `problem` says why no membership exists at all.
    """

    assignment: Mapping[str, str]
    moves: int
    spread: int | None = None
    spread_given_moves: bool = False
    weighted: int | None = None
    problem: str | None = None


def membership_start(context: RuleContext, baseline: Plan) -> MembershipStart:
    """The membership bounds for the plan's objective settings, with a membership attaining them.

    By default (moves first) the flow's answer is exactly that. For a weighted sum, or when
    moves count nothing, each kind takes the point of its (moves, spread) frontier
    (`flow.spread_frontier`: every trade-off no membership beats) that is best for the
    objective, and the flow capped at that spread attains it. Kinds never interact, so the
    kinds' best points add up to the bound.

    The chair rules go in as far as they shape membership (`chair_limits`): a group whose
    kept units the rotation all bars takes one from outside, one whose pinned units it all
    bars keeps or takes a unit that may chair it, and units `evicted` shows
    cannot stay where they were leave it (one move each). The bounds then stay exact when
    rotation or succession force moves, as in a year when a small group kept only its
    recent chairs.
    """
    plan, settings = context.plan, context.plan.rules.objective
    limits = chair_limits(context, baseline)
    flows = min_moves_by_kind(plan, baseline, chairs=limits)
    problems = [flow.problem for flow in flows.values() if not flow.feasible]
    if problems:
        return MembershipStart({}, 0, problem=problems[0] or "no membership fits the rules")
    moves = sum(flow.min_moves for flow in flows.values())
    if settings.lexicographic and (settings.moves > 0 or settings.spread == 0):
        spread = sum(flow.min_spread or 0 for flow in flows.values())
        return MembershipStart(_merged(flows.values()), moves, spread, settings.moves > 0)
    if settings.lexicographic:  # moves off: the smallest spread, whatever it costs in moves

        def cost(point: tuple[int, int]) -> tuple[int, int]:
            return (point[1], point[0])

    else:

        def cost(point: tuple[int, int]) -> tuple[int, int]:
            return (settings.moves * point[0] + settings.spread * point[1], point[0])

    best = {
        kind: min(points, key=cost)
        for kind, points in spread_frontier(plan, baseline, chairs=limits).items()
        if points
    }
    caps = {kind: point[1] for kind, point in best.items()}
    capped = min_moves_by_kind(plan, baseline, max_spread=caps, chairs=limits)
    spread = sum(caps.values())
    weighted = None
    if not settings.lexicographic:
        weighted = sum(cost(p)[0] for p in best.values())
    return MembershipStart(_merged(capped.values()), moves, spread, False, weighted)


def chair_limits(context: RuleContext, baseline: Plan) -> ChairLimits:
    """What the chair rules ask of membership, for the flow: rotation, pinned chairs, evictions."""
    plan = context.plan
    barred = {group.id: frozenset(rotation_barred(context, group.id)) for group in plan.groups}
    return ChairLimits(
        barred={group: units for group, units in barred.items() if units},
        chair_pinned=frozenset(pin.group for pin in plan.pins if pin.kind is PinKind.CHAIR),
        evicted=evicted(context, baseline),
    )


def evicted(context: RuleContext, baseline: Plan) -> dict[str, str]:
    """Units that cannot stay in the group that held them, to that group.

    The succession rule makes a member chair the group (`chair-succession`); where a pin names
    another chair, that unit cannot be a member at all and must move. Units with pins of their
    own are left to the pins (a conflict then is for the explanation to report).
    """
    plan = context.plan
    pinned = {pin.subject for pin in plan.pins if pin.kind is not PinKind.STAFF}
    leaving: dict[str, str] = {}
    for group in plan.groups:
        unit = designated_successor(context, group.id)
        if unit is None or unit in pinned or baseline.group_of(unit) != group.id:
            continue
        chairs = {p.subject for p in plan.pins if p.kind is PinKind.CHAIR and p.group == group.id}
        if chairs - {unit}:
            leaving[unit] = group.id
    return leaving


def _merged(flows: Iterable[KindFlow]) -> dict[str, str]:
    assignment: dict[str, str] = {}
    for flow in flows:
        assignment.update(flow.assignment)
    return assignment


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
            held = before.staff_for(role) if before is not None else None
            if held is not None and held != found[group.id]:
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
            return f"two {word}s are pinned to {group_label(plan, pin.group)}"
        if pinned.id not in limit:
            return f"{pinned.name} is pinned to {group_label(plan, pin.group)} but is unavailable"
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
    # The people with room, fewest groups first, as a heap: an entry whose load is no longer
    # the person's is stale and skipped (a scan of everyone per group took a second at 200
    # copies of the 2013 plan).
    room = [(load[p], order[p], p) for p in limit if load[p] < limit[p]]
    heapq.heapify(room)
    for group in plan.groups:
        if group.id in holder:
            continue
        while room and (room[0][0] != load[room[0][2]] or load[room[0][2]] >= limit[room[0][2]]):
            heapq.heappop(room)
        if not room:
            return f"not enough available {word}s for every group"
        drafted = group.staff_for(role)
        has_room = drafted is not None and drafted in limit and load[drafted] < limit[drafted]
        person = drafted if has_room else room[0][2]
        assert person is not None
        holder[group.id] = person
        load[person] += 1
        if load[person] < limit[person]:
            heapq.heappush(room, (load[person], order[person], person))
    return holder


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


def chair_candidates(
    plan: Plan,
    context: RuleContext,
    group_id: str,
    pinned: Mapping[str, Iterable[str]] | None = None,
) -> list[str]:
    """The members that may chair `group_id` under every chair rule and pin, in member order.

    Exactly the rules' conditions: a member (`chair-is-member`), not a recent chair of the
    group (`chair-rotation`), the designated successor if it is a member (`chair-succession`),
    the pinned chair if there is one (`pins-kept`). `pinned` (group -> its pinned chairs,
    from `pinned_chairs`) saves reading every pin for every group.
    """
    group = plan.group_by_id[group_id]
    barred = rotation_barred(context, group_id)
    candidates = [unit for unit in dict.fromkeys(group.members) if unit not in barred]
    designated = designated_successor(context, group_id)
    if designated is not None and designated in group.members:
        candidates = [unit for unit in candidates if unit == designated]
    chairs = pinned_chairs(plan) if pinned is None else pinned
    for subject in chairs.get(group_id, ()):
        candidates = [unit for unit in candidates if unit == subject]
    return candidates


def pinned_chairs(plan: Plan) -> dict[str, list[str]]:
    """Group id -> the units pinned as its chair."""
    found: dict[str, list[str]] = {}
    for pin in plan.pins:
        if pin.kind is PinKind.CHAIR:
            found.setdefault(pin.group, []).append(pin.subject)
    return found


def choose_chairs(plan: Plan, context: RuleContext) -> Plan:
    """Each group's chair (and deputy) by preference: the member that chaired longest ago.

    Among the members allowed to chair, the one whose latest chairing of any group is oldest
    wins, one that never chaired before all others, then the earlier in the member list. The
    deputy, where required, is the next member by the same order (with deputy succession,
    next year's chair); where not, the draft's, if it is a member other than the chair. A
    group with no allowed member keeps the chair it has.

    This cannot change the objective: no term counts chairs or deputies, and the choice in
    one group constrains no other (a unit is a member of one group only, and every chair rule
    speaks of one group), so choosing per group finds a most preferred chair for every group
    at once, for the membership the solver settled.
    """
    history = chair_history(context)
    pinned = pinned_chairs(plan)
    groups = []
    for group in plan.groups:
        position = {unit: index for index, unit in enumerate(group.members)}

        def preference(unit: str, position: Mapping[str, int] = position) -> tuple[float, int]:
            return (history.get(unit, -math.inf), position[unit])

        candidates = chair_candidates(plan, context, group.id, pinned)
        chair = min(candidates, key=preference) if candidates else group.chair
        if plan.rules.deputy:
            others = [unit for unit in group.members if unit != chair]
            deputy = min(others, key=preference) if others else group.deputy
        else:
            # The draft's deputy, while a member other than the chair chosen here (as
            # `assemble` keeps it): not whatever the chair before this choice left.
            drafted = context.plan.group_by_id.get(group.id)
            deputy = drafted.deputy if drafted is not None else group.deputy
            if deputy not in group.members or deputy == chair:
                deputy = None
        groups.append(attrs.evolve(group, chair=chair, deputy=deputy))
    return attrs.evolve(plan, groups=groups)


def starting_plan(context: RuleContext, membership: Mapping[str, str], staff: StaffStart) -> Plan:
    """The given membership, the fewest staff changes, and chairs by preference."""
    assignment = Assignment(membership, staff.leaders, staff.officers, {}, {})
    return choose_chairs(assemble(context.plan, assignment), context)
