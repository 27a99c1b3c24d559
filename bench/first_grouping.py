"""Benchmark the first grouping of HCMC's 168 communes and wards, with the 50 neighbour pairs
of the resolution as their only geography (tests/data/hcmc-2026-pairs.toml).

For each time limit (30 and 120 seconds by default) it solves the example from nothing (no
previous plan, 16 empty clusters) and prints the wall-clock time of the `thidua.solver.solve`
call (`time.perf_counter`, imports and loading excluded), whether the result is proven
optimal, each objective term with its proven bound and gap, and the issue's checks: every
commune in exactly one of 16 clusters of 9 to 13, no cluster mixing former provinces, and the
neighbour pairs kept out of 50. With `--full-model` it also runs the solver's full CP-SAT
model (the decomposition skipped, as tests do with `exhaustive`) under the same limits, to show
what the decomposition buys. Each solve runs in this process, one after the other.

This script is the measurement; the tests never time anything.

Usage: .venv/bin/python bench/first_grouping.py [--time-limits 30 120] [--workers 2] [--full-model]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from thidua import cohesion
from thidua.files import load
from thidua.model import Plan
from thidua.rules import validate
from thidua.solver import SolveOptions, SolveResult, solve_with

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "tests" / "data" / "hcmc-2026-pairs.toml"
CLUSTERS = 16
SIZES = (9, 13)
TARGET_SECONDS = 30.0


def checks(plan: Plan) -> list[tuple[str, bool, str]]:
    """The issue's checks on a proposed plan: (what, holds, detail)."""
    listed = [m for g in plan.groups for m in g.members]
    units = {unit.id for unit in plan.units}
    once = sorted(listed) == sorted(units)
    sizes = sorted(len(g.members) for g in plan.groups)
    sized = len(plan.groups) == CLUSTERS and all(SIZES[0] <= s <= SIZES[1] for s in sizes)
    provinces = set(plan.rules.cohesion_tags)
    mixed = [
        g.name
        for g in plan.groups
        if len({t for m in g.members for t in plan.unit_by_id[m].tags if t in provinces}) > 1
    ]
    pairs = cohesion.neighbour_pairs(plan)
    kept = len(pairs) - len(cohesion.split_pairs(plan))
    hard = validate(plan)
    return [
        ("every commune in exactly one cluster", once, f"{len(listed)} listed, {len(units)} units"),
        (f"{CLUSTERS} clusters of {SIZES[0]} to {SIZES[1]}", sized, f"sizes {sizes}"),
        ("no cluster mixes former provinces", not mixed, ", ".join(mixed) or "none mixed"),
        ("neighbour pairs kept", True, f"{kept} of {len(pairs)}"),
        ("every hard rule holds", not hard, f"{len(hard)} violation(s)"),
    ]


def report(label: str, limit: float, seconds: float, result: SolveResult) -> bool:
    """Print one solve; whether it met the issue's checks (and the 30 s target)."""
    proven = "proven optimal" if result.proven_optimal else f"not proven ({result.status.value})"
    print(f"{label}, time limit {limit:g} s: {seconds:.2f} s, {proven}")
    if result.plan is None:
        print("  no plan")
        return False
    print(f"  {'term':<20} {'value':>6} {'bound':>6} {'gap':>6}")
    for term in result.terms:
        state = "" if term.weight else "  (weight 0)"
        print(
            f"  {term.name:<20} {term.value:>6} {term.bound:>6} {term.value - term.bound:>6}{state}"
        )
    ok = True
    for what, holds, detail in checks(result.plan):
        ok &= holds
        print(f"  {'ok ' if holds else 'NO '} {what}: {detail}")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limits", type=float, nargs="+", default=[30.0, 120.0])
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT threads (default 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--full-model",
        action="store_true",
        help="also run the full CP-SAT model without the decomposition, for comparison",
    )
    args = parser.parse_args(argv)
    plan = load(EXAMPLE)
    print(
        f"thidua first grouping: {EXAMPLE.relative_to(REPO)}, {len(plan.units)} units, "
        f"{len(plan.groups)} clusters, {len(cohesion.neighbour_pairs(plan))} neighbour pairs"
    )
    print(
        f"python {platform.python_version()}, ortools {version('ortools')}, "
        f"{os.cpu_count()} cores, {args.workers} worker(s)\n"
    )
    runs = [("decomposition", False)] + ([("full model", True)] if args.full_model else [])
    met = True
    for label, exhaustive in runs:
        for limit in args.time_limits:
            options = SolveOptions(
                time_limit=limit, workers=args.workers, seed=args.seed, exhaustive=exhaustive
            )
            started = time.perf_counter()
            result = solve_with(plan, (), options)
            seconds = time.perf_counter() - started
            ok = report(label, limit, seconds, result)
            if not exhaustive:
                met &= ok and seconds < TARGET_SECONDS
            print()
    print(
        f"target (issue 6): a first grouping in < {TARGET_SECONDS:g} s on 2 cores, gap stated: "
        f"{'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
