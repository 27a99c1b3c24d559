"""Benchmark the first grouping of every province of the 2025 map (issue 12).

For each province of `units.tsv` (or those named with --province) it builds the plan that
`thidua new-map` builds (borders from `adjacency.tsv`, clusters of --size, the default count
of clusters), solves it from nothing with `thidua.solver.solve_with` under --time-limit, and
prints one row: units, clusters, wall time of the solve (imports and reading excluded),
whether proven optimal and the gap otherwise (the sum of the terms' gaps; border in metres),
former districts split, clusters not connected (islands exempt), clusters mixing former
provinces, and the border between clusters in km. With --plain it also solves the plain full
model (the decomposition and the certificate skipped, as tests do with `exhaustive`) at the
same time limit, side by side. A last line gives the totals.

The data is the shared reference beside the repository (../shared/research/vn2025); this
script is the measurement, the tests never time anything.

Usage: .venv/bin/python bench/new_map.py [--size 9-13] [--time-limit 10] [--workers 2]
       [--province NAME ...] [--plain] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from thidua import geography, newmap
from thidua.model import Plan
from thidua.solver import SolveOptions, SolveResult, solve_with

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "research" / "vn2025"


def province_plan(data: Path, province: str, size: tuple[int, int]) -> Plan:
    units = newmap.read_units(data / "units.tsv", province)
    ids = newmap.unit_ids(units)
    borders = newmap.borders_from_adjacency(data / "adjacency.tsv", units, ids)
    groups = newmap.default_group_count(len(units), size)
    assert groups is not None, province
    return newmap.build_plan(units, borders, groups=groups, size=size, year=2026, ids=ids)


def mixed(plan: Plan) -> int:
    listed = set(plan.rules.cohesion_tags)
    return sum(
        1
        for group in plan.groups
        if len({t for m in group.members for t in plan.unit_by_id[m].tags if t in listed}) > 1
    )


def cells(result: SolveResult, elapsed: float) -> list[str]:
    plan = result.plan
    if plan is None:
        return [f"{elapsed:6.1f}", "no plan", "-", "-", "-", "-"]
    gaps = [f"{t.name} {t.value - t.bound}" for t in result.terms if t.value > t.bound]
    status = "proven" if result.proven_optimal else "gap " + ", ".join(gaps or ["?"])
    return [
        f"{elapsed:6.1f}",
        status,
        str(len(geography.district_splits(plan))),
        str(len(geography.disconnected_groups(plan))),
        str(mixed(plan)),
        f"{geography.border_between(plan) / 1000:8.1f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--size", default="9-13")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--province", action="append", default=[])
    parser.add_argument("--plain", action="store_true", help="also solve the plain full model")
    args = parser.parse_args()
    low, high = (int(part) for part in args.size.split("-"))
    table = newmap.read_table(args.data / "units.tsv")
    provinces = args.province or list(dict.fromkeys(row["province"] for _, row in table[1]))
    print(
        f"# {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
        f"clusters of {low}-{high}, time limit {args.time_limit:g} s, {args.workers} workers"
    )
    header = [
        "province",
        "units",
        "clusters",
        "time s",
        "result",
        "split",
        "unconn",
        "mixed",
        "border km",
    ]
    if args.plain:
        header += ["| plain s", "result", "split", "unconn", "mixed", "border km"]
    print("\t".join(header))
    total = plain_total = 0.0
    proven = plain_proven = 0
    for province in provinces:
        plan = province_plan(args.data, province, (low, high))
        options = SolveOptions(time_limit=args.time_limit, workers=args.workers)
        started = time.perf_counter()
        result = solve_with(plan, (), options)
        elapsed = time.perf_counter() - started
        total += elapsed
        proven += result.proven_optimal
        row = [province, str(len(plan.units)), str(len(plan.groups)), *cells(result, elapsed)]
        if args.plain:
            plain = SolveOptions(time_limit=args.time_limit, workers=args.workers, exhaustive=True)
            started = time.perf_counter()
            other = solve_with(plan, (), plain)
            spent = time.perf_counter() - started
            plain_total += spent
            plain_proven += other.proven_optimal
            row += ["|", *cells(other, spent)]
        print("\t".join(row), flush=True)
    summary = f"# total {total:.1f} s, {proven} of {len(provinces)} proven"
    if args.plain:
        summary += f"; plain model {plain_total:.1f} s, {plain_proven} proven"
    print(summary + f"; load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
