"""The plain CP-SAT formulation the benchmark compares thidua's solver with.

What a first attempt would write, straight on OR-Tools, sharing no code with `thidua.solver`:

- `member[u, g]` for every unit and every group of its kind (no candidate restriction), with
  exactly one group per unit and every group's size within `rules.group_size`;
- `chair[u, g]` for the same pairs: implies membership, exactly one per group, none for the
  units `chair-rotation` bars, the `chair-succession` successor chairs when it is a member;
  `deputy[u, g]` likewise where `rules.deputy` asks (a member, not the chair, exactly one);
- `charge[p, g]` for every person and every group (unavailable people included, forced to 0):
  exactly one leader and one officer per group, workloads within each person's limit;
- every pin as a fixed literal;
- the contract's three terms (moves, staff changes, size spread per kind, counted against the
  most recent previous plan) in ONE weighted objective whose weights make it lexicographic:
  a move outweighs every possible staff change and spread together, a staff change every
  possible spread.

No hint, no lower bound, no decomposition: one solve with the given time limit and workers.
So it answers the same question as `thidua.solve` (same hard rules, same optimum), which the
benchmark checks by validating its plan and comparing its terms. Soft rules are left out
(the benchmark drafts have no cohesion tags or neighbours, so they would add nothing).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

import attrs
from ortools.sat.python import cp_model

from thidua.model import PinKind, Plan, Role
from thidua.rules import RuleContext
from thidua.rules.checks import designated_successor, rotation_barred
from thidua.terms import moved_units, spread_by_kind, staff_changes

__all__ = ["PlainResult", "membership_pairs", "solve_plain"]


@attrs.frozen
class PlainResult:
    """The outcome of the plain formulation."""

    status: str  # CP-SAT's status name: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    plan: Plan | None
    terms: dict[str, int]  # moves, staff_changes, spread of `plan` (empty without a plan)
    objective: float | None
    bound: float
    proven: bool
    build_time: float  # seconds to build the Python model
    wall_time: float  # seconds for build and solve together
    pairs: int  # membership literals (units x groups of their kind)
    variables: int


def membership_pairs(plan: Plan) -> int:
    """How many `member` literals the plain model of `plan` has: units x groups of their kind."""
    groups = Counter(group.kind for group in plan.groups)
    return sum(groups[unit.kind] for unit in plan.units)


# One function on purpose: the plain model reads top to bottom as the baseline it is.
def solve_plain(  # noqa: C901
    plan: Plan, previous: tuple[Plan, ...], *, time_limit: float, workers: int, seed: int = 0
) -> PlainResult:
    """Build and solve the plain model of `plan` (the draft) against `previous`."""
    started = time.perf_counter()
    context = RuleContext(plan, previous)
    baseline = context.last or plan
    model = cp_model.CpModel()
    low, high = plan.rules.group_size

    groups_of_kind: dict[str, list[str]] = defaultdict(list)
    for group in plan.groups:
        groups_of_kind[group.kind].append(group.id)
    member: dict[tuple[str, str], cp_model.IntVar] = {}
    chair: dict[tuple[str, str], cp_model.IntVar] = {}
    deputy: dict[tuple[str, str], cp_model.IntVar] = {}
    members_of: dict[str, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
    for unit in plan.units:
        literals = []
        for group_id in groups_of_kind[unit.kind]:
            key = (unit.id, group_id)
            member[key] = model.new_bool_var("")
            chair[key] = model.new_bool_var("")
            model.add_implication(chair[key], member[key])
            if plan.rules.deputy:
                deputy[key] = model.new_bool_var("")
                model.add_implication(deputy[key], member[key])
                model.add_at_most_one([deputy[key], chair[key]])
            literals.append(member[key])
            members_of[group_id].append((unit.id, member[key]))
        model.add_exactly_one(literals)  # an empty list makes the model infeasible, rightly
    for group in plan.groups:
        entries = members_of[group.id]
        model.add_linear_constraint(cp_model.LinearExpr.sum([lit for _, lit in entries]), low, high)
        model.add_exactly_one([chair[unit, group.id] for unit, _ in entries])
        if plan.rules.deputy:
            model.add_exactly_one([deputy[unit, group.id] for unit, _ in entries])
        for barred in rotation_barred(context, group.id):
            if (barred, group.id) in chair:
                model.add(chair[barred, group.id] == 0)
        successor = designated_successor(context, group.id)
        if successor is not None and (successor, group.id) in member:
            model.add_implication(member[successor, group.id], chair[successor, group.id])

    charge: dict[tuple[str, str], cp_model.IntVar] = {}
    for person in plan.staff:
        literals = []
        for group in plan.groups:
            charge[person.id, group.id] = literal = model.new_bool_var("")
            literals.append(literal)
            if not person.available:
                model.add(literal == 0)
        model.add(cp_model.LinearExpr.sum(literals) <= plan.max_groups(person))
    for group in plan.groups:
        for role in Role:
            model.add_exactly_one([charge[p.id, group.id] for p in plan.staff if p.role is role])

    for pin in plan.pins:
        table = {PinKind.UNIT: member, PinKind.CHAIR: chair, PinKind.STAFF: charge}[pin.kind]
        pinned = table.get((pin.subject, pin.group))
        if pinned is None:
            model.add_bool_or([])  # a unit pinned to a group of another kind: no plan
        else:
            model.add(pinned == 1)

    # The objective: moves, staff changes and spread, weighted into a lexicographic order.
    # Each of the first two is (pairs that could stay) - (pairs that do stay).
    moves_total, stays = 0, []
    for unit in plan.units:
        before = baseline.group_of(unit.id)
        if before is not None:
            moves_total += 1
            if (unit.id, before) in member:
                stays.append(member[unit.id, before])
    changes_total, keeps = 0, []
    for group in plan.groups:
        old = baseline.group_by_id.get(group.id)
        if old is None:
            continue
        for role in Role:
            before_id = old.staff_for(role)
            if before_id is None:
                continue  # filling an empty post replaces nobody (thidua.terms)
            changes_total += 1
            holder = plan.staff_by_id.get(before_id) if before_id is not None else None
            if holder is not None and holder.role is role:
                keeps.append(charge[holder.id, group.id])
    spreads: list[cp_model.LinearExpr] = []
    for group_ids in groups_of_kind.values():
        largest = model.new_int_var(0, high, "")
        smallest = model.new_int_var(0, high, "")
        for group_id in group_ids:
            size = cp_model.LinearExpr.sum([lit for _, lit in members_of[group_id]])
            model.add(largest >= size)
            model.add(smallest <= size)
        spreads.append(largest - smallest)
    spread_weight = 1
    staff_weight = spread_weight * (high * len(groups_of_kind) + 1)
    move_weight = staff_weight * (changes_total + 1)
    model.minimize(
        move_weight * (moves_total - cp_model.LinearExpr.sum(stays))
        + staff_weight * (changes_total - cp_model.LinearExpr.sum(keeps))
        + spread_weight * cp_model.LinearExpr.sum(spreads)
    )
    build_time = time.perf_counter() - started

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    wall_time = time.perf_counter() - started
    found: Plan | None = None
    values: dict[str, int] = {}
    objective: float | None = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = _read(plan, solver, member, chair, deputy, charge)
        objective = solver.objective_value
        values = {
            "moves": len(moved_units(found, baseline)),
            "staff_changes": len(staff_changes(found, baseline)),
            "spread": sum(spread_by_kind(found).values()),
        }
    return PlainResult(
        status=solver.status_name(status),
        plan=found,
        terms=values,
        objective=objective,
        bound=solver.best_objective_bound,
        proven=status == cp_model.OPTIMAL,
        build_time=build_time,
        wall_time=wall_time,
        pairs=len(member),
        variables=len(model.proto.variables),
    )


def _read(
    plan: Plan,
    solver: cp_model.CpSolver,
    member: dict[tuple[str, str], cp_model.IntVar],
    chair: dict[tuple[str, str], cp_model.IntVar],
    deputy: dict[tuple[str, str], cp_model.IntVar],
    charge: dict[tuple[str, str], cp_model.IntVar],
) -> Plan:
    """The plan a solution describes, members in the draft's order then the units' order."""
    members: dict[str, list[str]] = defaultdict(list)
    for (unit, group), literal in member.items():
        if solver.boolean_value(literal):
            members[group].append(unit)
    chairs = {g: u for (u, g), lit in chair.items() if solver.boolean_value(lit)}
    deputies = {g: u for (u, g), lit in deputy.items() if solver.boolean_value(lit)}
    staff = plan.staff_by_id
    holders: dict[tuple[str, Role], str] = {}
    for (person, group), literal in charge.items():
        if solver.boolean_value(literal):
            holders[group, staff[person].role] = person
    groups = []
    for draft_group in plan.groups:
        chosen = set(members[draft_group.id])
        kept = [m for m in draft_group.members if m in chosen]
        ordered = kept + [m for m in members[draft_group.id] if m not in set(kept)]
        groups.append(
            attrs.evolve(
                draft_group,
                members=tuple(ordered),
                chair=chairs.get(draft_group.id),
                deputy=deputies.get(draft_group.id) if plan.rules.deputy else None,
                leader=holders.get((draft_group.id, Role.LEADER)),
                officer=holders.get((draft_group.id, Role.OFFICER)),
            )
        )
    return attrs.evolve(plan, groups=groups)
