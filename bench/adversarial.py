"""Drafts that break the solver's fast path, each compared with an exact bound.

The fast path (`thidua.solver.solve`, step 1) proves a plan optimal when it meets the flow's
lower bounds. These drafts are where the chair and staff rules cost something, built from the
benchmark draft of `bench/drafts.py` (the 2013 HCMC plan scaled N times, with churn):

- `rotation`: three years of chair rotation and three previous plans; every cluster of
  districts keeps only the districts that chaired it in those years (group size 2 to 10, no
  new district), so every cluster must take a district from another cluster to chair
  it: one move per cluster, in cycles of swaps.
- `succession`: deputies, deputy succession, and in a third of the groups a pinned chair that
  is not last year's deputy, which must then leave the group; some deputies pinned to stay.
- `zero-slack`: officers whose limits add up to exactly the number of groups, some pinned.
- `many-pins`: a quarter of the units pinned (a tenth of those to another group), and a
  pinned chair in half of the groups.
- `conflict` (no plan exists): `succession` plus, in one group, last year's deputy pinned to
  stay as a member and another unit pinned as its chair: the four-way conflict of deputy
  succession, a unit pin and a chair pin. Reported: the conflict found, its size, time.

The exact bound on moves is computed here independently of `thidua.solver.flow`: an integer
model on counts, with one variable per class of interchangeable units (same group last
year, same groups the rotation bars it from, same group it must leave, same pin) and group,
keeping sizes, pins, evictions and a unit allowed to chair every group whose chair is not
pinned. Its linear relaxation (GLOP, rounded up) is a lower bound on every plan's moves; a plan
meeting it is optimal in moves, which is what "exact =" reports. Staff changes are bounded by
`thidua.solver.start.staff_start` (exact). A plan with
that many moves is optimal in moves whatever else it does.

Each case runs in a fresh process: time is wall-clock seconds of `thidua.solver.solve`
(the draft built beforehand), memory the process's peak RSS (`ru_maxrss`, interpreter and
OR-Tools included).

Usage: .venv/bin/python bench/adversarial.py [--copies 10 40] [--cases rotation ...]
       [--no-counting: conflicts by the core search alone]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import drafts
from child import peak_mib, row_of
from ortools.linear_solver import pywraplp

from thidua.model import Pin, PinKind, Plan, Role, Succession
from thidua.rules import RuleContext, validate
from thidua.rules.checks import rotation_barred
from thidua.solver import solve
from thidua.solver.start import evicted, staff_start

__all__ = ["CASES", "exact_moves", "make_case"]

CASES = ("rotation", "succession", "zero-slack", "many-pins", "conflict")


@attrs.frozen
class Case:
    """A draft and the previous plans it is solved against, most recent last."""

    name: str
    copies: int
    draft: Plan
    previous: tuple[Plan, ...]


def _with_chairs(plan: Plan, year: int, offset: int) -> Plan:
    """`plan` as of `year`, each group chaired by its member `offset` places after the chair."""
    groups = []
    for group in plan.groups:
        members = group.members
        if not members:
            groups.append(group)
            continue
        start = members.index(group.chair) if group.chair in members else 0
        groups.append(attrs.evolve(group, chair=members[(start + offset) % len(members)]))
    return attrs.evolve(plan, year=year, groups=groups)


def rotation(copies: int, seed: int = 0) -> Case:
    bench = drafts.make_draft(copies, seed)
    last = bench.previous
    history = (_with_chairs(last, last.year - 2, 2), _with_chairs(last, last.year - 1, 1), last)
    chairs: dict[str, set[str]] = {}
    for plan in history:
        for group in plan.groups:
            if group.kind == "district" and group.chair is not None:
                chairs.setdefault(group.id, set()).add(group.chair)
    keep = set().union(*chairs.values())
    district_units = {u.id for u in last.units if u.kind == "district"}
    gone = district_units - keep
    draft = bench.draft
    units = [u for u in draft.units if u.id not in gone and not u.id.startswith("quan-moi")]
    present = {u.id for u in units}
    groups = [
        attrs.evolve(
            g,
            members=tuple(m for m in g.members if m in present),
            chair=g.chair if g.chair in present else None,
        )
        for g in draft.groups
    ]
    draft = attrs.evolve(
        draft,
        units=units,
        groups=groups,
        rules=attrs.evolve(draft.rules, group_size=(2, 10), chair_rotation_years=3),
        neighbours=(),
    )
    context = RuleContext(draft, history)
    pins = [
        pin
        for pin in draft.pins
        if (pin.kind is PinKind.STAFF or pin.subject in present)
        and not (pin.kind is PinKind.CHAIR and pin.subject in rotation_barred(context, pin.group))
        and not (pin.kind is not PinKind.STAFF and pin.subject in district_units)
    ]
    return Case("rotation", copies, attrs.evolve(draft, pins=pins), history)


def _with_deputies(plan: Plan) -> Plan:
    """Each group's deputy: its member after the chair."""
    groups = []
    for group in plan.groups:
        members = group.members
        if len(members) < 2:
            groups.append(group)
            continue
        start = members.index(group.chair) if group.chair in members else 0
        groups.append(attrs.evolve(group, deputy=members[(start + 1) % len(members)]))
    return attrs.evolve(plan, groups=groups)


def succession(copies: int, seed: int = 0, conflict: bool = False) -> Case:
    bench = drafts.make_draft(copies, seed)
    last = _with_deputies(bench.previous)
    draft = bench.draft
    rules = attrs.evolve(draft.rules, deputy=True, succession=Succession.DEPUTY)
    present = {u.id for u in draft.units}
    chair_pinned = {pin.group for pin in draft.pins if pin.kind is PinKind.CHAIR}
    # The churned draft's own pins may keep a successor in a group whose chair is pinned to
    # another unit: a conflict, kept out of the feasible case.
    successors = {g.id: g.deputy for g in last.groups if g.id in chair_pinned}
    pins = [
        pin
        for pin in draft.pins
        if not (pin.kind is PinKind.UNIT and successors.get(pin.group) == pin.subject)
    ]
    taken = {pin.subject for pin in pins}
    for index, group in enumerate(draft.groups):
        before = last.group_by_id.get(group.id)
        if before is None or group.id in chair_pinned:
            continue
        deputy = before.deputy
        if deputy is None or deputy not in present or deputy in taken:
            continue
        others = [m for m in group.members if m not in (deputy, before.chair) and m not in taken]
        if index % 3 == 0 and others:
            # A pinned chair that is not the successor: the deputy must leave the group.
            pins.append(Pin.chair_of(others[0], group.id))
            taken.add(others[0])
        elif index % 3 == 1:
            pins.append(Pin.unit_in(deputy, group.id))  # stays, so it must chair
            taken.add(deputy)
    if conflict:
        for group in reversed(draft.groups):
            before = last.group_by_id[group.id]
            deputy = before.deputy
            others = [m for m in group.members if m not in (deputy, before.chair, *taken)]
            if deputy in present and deputy not in taken and others:
                pins = [p for p in pins if p.group != group.id or p.kind is PinKind.STAFF]
                pins += [Pin.unit_in(deputy, group.id), Pin.chair_of(others[0], group.id)]
                break
    name = "conflict" if conflict else "succession"
    return Case(name, copies, attrs.evolve(draft, rules=rules, pins=pins), (last,))


def zero_slack(copies: int, seed: int = 0) -> Case:
    bench = drafts.make_draft(copies, seed)
    draft = bench.draft
    officers = [p for p in draft.staff if p.role is Role.OFFICER and p.available]
    need = len(draft.groups)
    limits: dict[str, int] = {}
    left = need
    for person in officers:
        share = min(left, max(1, -(-need // len(officers))))
        limits[person.id] = share
        left -= share
    assert left == 0, "the officers cannot take every group"
    staff = [attrs.evolve(p, max_groups=limits[p.id]) if p.id in limits else p for p in draft.staff]
    return Case("zero-slack", copies, attrs.evolve(draft, staff=staff), (bench.previous,))


def many_pins(copies: int, seed: int = 0) -> Case:
    bench = drafts.make_draft(copies, seed)
    draft, last = bench.draft, bench.previous
    taken = {pin.subject for pin in draft.pins}
    chair_pinned = {pin.group for pin in draft.pins if pin.kind is PinKind.CHAIR}
    pins = list(draft.pins)
    high = draft.rules.group_size[1]
    load = Counter(pin.group for pin in pins if pin.kind is not PinKind.STAFF)
    for index, group in enumerate(draft.groups):
        same = [g for g in draft.groups if g.kind == group.kind and g.id != group.id]
        for position, member in enumerate(group.members):
            if member in taken or position % 4 != index % 4:
                continue
            target = group
            if position % 40 == index % 4 and same:
                target = same[(index + position) % len(same)]
            if load[target.id] + 1 >= high:
                continue
            pins.append(Pin.unit_in(member, target.id))
            load[target.id] += 1
            taken.add(member)
        barred = last.group_by_id[group.id].chair if group.id in last.group_by_id else None
        free = [m for m in group.members if m not in taken and m != barred]
        if index % 2 == 0 and free and group.id not in chair_pinned:
            pins.append(Pin.chair_of(free[0], group.id))
            taken.add(free[0])
    return Case("many-pins", copies, attrs.evolve(draft, pins=pins), (last,))


def make_case(name: str, copies: int, seed: int = 0) -> Case:
    if name == "rotation":
        return rotation(copies, seed)
    if name == "succession":
        return succession(copies, seed)
    if name == "conflict":
        return succession(copies, seed, conflict=True)
    if name == "zero-slack":
        return zero_slack(copies, seed)
    if name == "many-pins":
        return many_pins(copies, seed)
    raise ValueError(f"unknown case {name!r}")


# --------------------------------------------------------------------------------------------
# The exact bound, on counts


def exact_moves(draft: Plan, previous: Sequence[Plan], time_limit: float = 60.0) -> int | None:
    """The fewest moves any plan makes under sizes, pins, evictions and chair eligibility.

    The linear relaxation of an integer model over classes of interchangeable units (see the
    module's docstring), rounded up; None when it finds no membership or runs out of time.
    """
    context = RuleContext(draft, tuple(previous))
    last = context.last or draft
    leaving = evicted(context, last)
    barred = {g.id: rotation_barred(context, g.id) for g in draft.groups}
    pinned: dict[str, str] = {}
    for pin in draft.pins:
        if pin.kind is not PinKind.STAFF:
            pinned[pin.subject] = pin.group
    chair_pinned = {pin.group for pin in draft.pins if pin.kind is PinKind.CHAIR}
    groups_of_kind: dict[str, list[str]] = {}
    for group in draft.groups:
        groups_of_kind.setdefault(group.kind, []).append(group.id)
    classes: Counter[tuple[str, str | None, frozenset[str], str | None, str | None]] = Counter()
    for unit in draft.units:
        home = last.group_of(unit.id)
        home = home if home in draft.group_by_id else None
        bars = frozenset(g for g in groups_of_kind.get(unit.kind, ()) if unit.id in barred[g])
        classes[(unit.kind, home, bars, leaving.get(unit.id), pinned.get(unit.id))] += 1
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetTimeLimit(int(time_limit * 1000))
    into: dict[str, list[Any]] = {g.id: [] for g in draft.groups}
    eligible: dict[str, list[Any]] = {g.id: [] for g in draft.groups}
    moves: list[Any] = []
    for (kind, home, bars, away, pinned_to), count in classes.items():
        options = [pinned_to] if pinned_to is not None else groups_of_kind.get(kind, [])
        targets = [g for g in options if g != away]
        if not targets:
            return None
        counts = []
        for target in targets:
            x = solver.NumVar(0, count, "")
            counts.append(x)
            into[target].append(x)
            if target not in bars:
                eligible[target].append(x)
            if home is not None and target != home:
                moves.append(x)
        solver.Add(solver.Sum(counts) == count)
    low, high = draft.rules.group_size
    low = max(low, 2 if draft.rules.deputy else 1)
    for group in draft.groups:
        size = solver.Sum(into[group.id])
        solver.Add(size >= low)
        solver.Add(size <= high)
        if group.id not in chair_pinned:
            solver.Add(solver.Sum(eligible[group.id]) >= 1)
    # Units whose group was removed or given another kind move whatever happens.
    forced = 0
    for unit in draft.units:
        home = last.group_of(unit.id)
        if home is not None and (
            home not in draft.group_by_id or draft.group_by_id[home].kind != unit.kind
        ):
            forced += 1
    solver.Minimize(solver.Sum(moves))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    # The relaxation's optimum, rounded up: a lower bound on every plan's moves.
    value: float = solver.Objective().Value()
    return math.ceil(value - 1e-6) + forced


# --------------------------------------------------------------------------------------------
# Measuring


def measure(
    name: str, copies: int, time_limit: float, workers: int, counting: bool = True
) -> dict[str, Any]:
    if not counting:
        # The core search alone, as for a conflict that counting per group does not see.
        import thidua.solver.explain as explain

        setattr(explain, "pin_core", lambda context: [])  # noqa: B010 (not exported)
    case = make_case(name, copies)
    draft, previous = case.draft, case.previous
    row: dict[str, Any] = {
        "case": name,
        "copies": copies,
        "units": len(draft.units),
        "groups": len(draft.groups),
        "pins": len(draft.pins),
    }
    started = time.perf_counter()
    result = solve(draft, previous, time_limit=time_limit, workers=workers)
    row["time"] = time.perf_counter() - started
    row["peak"] = peak_mib()
    row["status"] = result.status.value
    row["proven"] = result.proven_optimal
    row["terms"] = {t.name: [t.value, t.bound] for t in result.terms}
    row["conflict"] = [f"{c.rule}: {c.message}" for c in result.conflict]
    row["valid"] = None if result.plan is None else not validate(result.plan, previous)
    if result.plan is not None:
        bound_started = time.perf_counter()
        row["exact_moves"] = exact_moves(draft, previous)
        row["exact_staff"] = staff_start(draft, previous[-1]).changes
        row["bound_time"] = time.perf_counter() - bound_started
    return row


def run_child(name: str, copies: int, args: argparse.Namespace) -> dict[str, Any] | str:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        name,
        str(copies),
        "--time-limit",
        str(args.time_limit),
        "--workers",
        str(args.workers),
        *(["--no-counting"] if args.no_counting else []),
    ]
    return row_of(command)


def describe(row: dict[str, Any]) -> str:
    head = (
        f"{row['case']:>11} {row['copies']:>4} {row['units']:>6} {row['groups']:>6} "
        f"{row['pins']:>5} {row['time']:>7.2f} {row['peak']:>8.0f}"
    )
    if row["status"] == "infeasible":
        return f"{head}  infeasible; conflict of {len(row['conflict'])}: " + " | ".join(
            row["conflict"]
        )
    moves, bound = row["terms"]["moves"]
    staff = row["terms"]["staff_changes"][0]
    exact = row.get("exact_moves")
    gap = "proven" if row["proven"] else f"gap {moves - bound}"
    agrees = "=" if exact == moves else ("?" if exact is None else f"!= {exact}")
    return (
        f"{head}  {row['status']:>8} {gap:>8}  moves {moves} (bound {bound}, exact {exact} "
        f"{agrees}), staff {staff} (exact {row['exact_staff']}), valid {row['valid']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the drafts that break the fast path.")
    parser.add_argument("--copies", type=int, nargs="+", default=[10, 40])
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=CASES)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--no-counting",
        action="store_true",
        help="explain conflicts by the core search alone (no counting of pins per group)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        name, copies = args.child
        measured = measure(name, int(copies), args.time_limit, args.workers, not args.no_counting)
        print(json.dumps(measured))
        return 0
    print(
        f"adversarial drafts: {args.workers} CP-SAT workers, time limit {args.time_limit:g} s; "
        "time: thidua's solve, s; peak: MiB RSS of the case's process"
    )
    print(f"{'case':>11} {'N':>4} {'units':>6} {'groups':>6} {'pins':>5} {'time':>7} {'peak':>8}")
    for name in args.cases:
        for copies in args.copies:
            row = run_child(name, copies, args)
            print(f"{name:>11} {copies:>4}  {row}" if isinstance(row, str) else describe(row))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
