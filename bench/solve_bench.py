"""Benchmark thidua's solver on scaled drafts, against a plain CP-SAT formulation.

For each size N (copies of the 2013 HCMC plan, churned as `bench/drafts.py` says), a fresh
Python process builds the draft, runs `thidua.solver.solve`, checks the plan with
`thidua.rules.validate`, and then, in the same process, builds and solves the plain
formulation of `bench/plain.py` on the same draft. One process per size keeps the peak memory
figures per size: they are the process's peak resident set size (`resource.getrusage`
`ru_maxrss`, which includes the interpreter, the draft and OR-Tools), read once right after
thidua's solve and once after the plain one (a peak never goes down, so the second covers
both). Times are wall-clock seconds of the calls (`time.perf_counter`), imports excluded.
Finally it times the whole `thidua solve` command on the 2014 example draft.

This script is the measurement; the tests never time anything.

Usage: .venv/bin/python bench/solve_bench.py --copies 1 10 40 100 --time-limit 60
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import drafts
import plain
from child import peak_mib, row_of

from thidua.files import load
from thidua.rules import validate
from thidua.solver import solve
from thidua.solver.flow import min_moves_by_kind

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DRAFT = REPO / "examples" / "hcmc-2014-draft.toml"
EXAMPLE_PREVIOUS = REPO / "examples" / "hcmc-2013.toml"
TERMS = ("moves", "staff_changes", "spread")

# Issue 5's targets: seconds, and whether the optimum must be proven (else within 1%).
TARGETS = {10: (3.0, True), 40: (10.0, True), 100: (60.0, False)}
MEMORY_TARGET_MIB = 2048
EXAMPLE_TARGET = 1.5


def relative_gap(values: dict[str, int], bounds: dict[str, int]) -> float:
    """The largest (value - bound) / value over the terms: 0 when every bound is met."""
    gaps = [(values[t] - bounds[t]) / values[t] for t in TERMS if values.get(t, 0) > 0]
    return max(gaps, default=0.0)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """One size, in this process: the draft, thidua's solve, then the plain formulation."""
    copies = args.child
    started = time.perf_counter()
    bench = drafts.make_draft(copies, args.seed)
    drafts.check_feasible(bench)
    draft, previous = bench.draft, bench.previous
    flows = min_moves_by_kind(draft, previous)
    row: dict[str, Any] = {
        "copies": copies,
        "units": len(draft.units),
        "groups": len(draft.groups),
        "staff": len(draft.staff),
        "pins": len(draft.pins),
        "draft_time": time.perf_counter() - started,
        "min_moves": sum(flow.min_moves for flow in flows.values()),
        "peak_draft": peak_mib(),
    }

    started = time.perf_counter()
    result = solve(
        draft, [previous], time_limit=args.time_limit, workers=args.workers, seed=args.seed
    )
    row["time"] = time.perf_counter() - started
    row["peak"] = peak_mib()
    row["status"] = result.status.value
    row["proven"] = result.proven_optimal
    row["values"] = {term.name: term.value for term in result.terms}
    row["bounds"] = {term.name: term.bound for term in result.terms}
    row["violations"] = (
        [v.message for v in validate(result.plan, [previous])] if result.plan else None
    )

    pairs = plain.membership_pairs(draft)
    if args.plain_time_limit > 0 and pairs > args.plain_max_pairs:
        row["plain_skipped"] = pairs
    elif args.plain_time_limit > 0:
        outcome = plain.solve_plain(
            draft,
            (previous,),
            time_limit=args.plain_time_limit,
            workers=args.workers,
            seed=args.seed,
        )
        row["plain"] = {
            "status": outcome.status,
            "proven": outcome.proven,
            "time": outcome.wall_time,
            "build_time": outcome.build_time,
            "pairs": outcome.pairs,
            "variables": outcome.variables,
            "values": outcome.terms,
            "peak": peak_mib(),
            "violations": (
                [v.message for v in validate(outcome.plan, [previous])] if outcome.plan else None
            ),
        }
    return row


def run_child(args: argparse.Namespace, copies: int) -> dict[str, Any] | str:
    """Measure one size in a fresh interpreter; its row, or what went wrong."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(copies),
        "--seed",
        str(args.seed),
        "--time-limit",
        str(args.time_limit),
        "--plain-time-limit",
        str(args.plain_time_limit),
        "--workers",
        str(args.workers),
        "--plain-max-pairs",
        str(args.plain_max_pairs),
    ]
    return row_of(command)


def _verdict(violations: Sequence[str] | None) -> str:
    """OK, the number of broken rules, or "no plan" when the solve found none."""
    if violations is None:
        return "no plan"
    return "OK" if not violations else f"{len(violations)} broken"


def _terms(values: dict[str, int]) -> str:
    return "/".join(str(values.get(t, "-")) for t in TERMS)


def print_thidua(rows: Sequence[dict[str, Any]]) -> None:
    print("thidua.solver.solve")
    header = (
        f"{'N':>4} {'units':>6} {'groups':>6} {'pins':>5} {'draft s':>8} {'solve s':>8} "
        f"{'peak MiB':>9} {'valid':>9} {'min moves':>9} {'terms m/s/sp':>13} "
        f"{'bounds':>13} {'gap':>6} {'status':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['copies']:>4} {row['units']:>6} {row['groups']:>6} {row['pins']:>5} "
            f"{row['draft_time']:>8.2f} {row['time']:>8.2f} {row['peak']:>9.0f} "
            f"{_verdict(row['violations']):>9} {row['min_moves']:>9} "
            f"{_terms(row['values']):>13} {_terms(row['bounds']):>13} "
            f"{relative_gap(row['values'], row['bounds']):>6.1%} "
            f"{'proven' if row['proven'] else row['status']:>9}"
        )
    print()


def print_plain(rows: Sequence[dict[str, Any]]) -> None:
    measured = [row for row in rows if "plain" in row]
    if not measured and not any("plain_skipped" in row for row in rows):
        return  # --plain-time-limit 0
    print("plain formulation (bench/plain.py), same draft, same process")
    header = (
        f"{'N':>4} {'pairs':>9} {'variables':>10} {'build s':>8} {'total s':>8} "
        f"{'peak MiB':>9} {'valid':>9} {'terms m/s/sp':>13} {'status':>9} {'same terms':>10} "
        f"{'plain/thidua':>13}"
    )
    print(header)
    print("-" * len(header))
    for row in measured:
        other = row["plain"]
        same = other["values"] == row["values"] if other["values"] else False
        ratio = other["time"] / row["time"] if row["time"] > 0 else float("inf")
        # Unproven: the plain solve stopped at its limit, so the ratio is a lower bound.
        shown = f"{'' if other['proven'] else '>'}{ratio:.0f}x"
        print(
            f"{row['copies']:>4} {other['pairs']:>9} {other['variables']:>10} "
            f"{other['build_time']:>8.2f} {other['time']:>8.2f} {other['peak']:>9.0f} "
            f"{_verdict(other['violations']):>9} {_terms(other['values']):>13} "
            f"{'proven' if other['proven'] else other['status'].lower():>9} "
            f"{'yes' if same else 'no':>10} {shown:>13}"
        )
    for row in rows:
        if "plain_skipped" in row:
            print(
                f"{row['copies']:>4} {row['plain_skipped']:>9} skipped: more membership pairs "
                "than --plain-max-pairs"
            )
    print()


def print_targets(rows: Sequence[dict[str, Any]]) -> None:
    lines = []
    for row in rows:
        target = TARGETS.get(row["copies"])
        if target is None:
            continue
        seconds, must_prove = target
        gap = relative_gap(row["values"], row["bounds"])
        quality = row["proven"] if must_prove else (row["proven"] or gap <= 0.01)
        memory = row["copies"] != 100 or row["peak"] < MEMORY_TARGET_MIB
        met = row["time"] < seconds and quality and memory and row["violations"] == []
        need = "proven" if must_prove else "proven or within 1%"
        extra = f", < {MEMORY_TARGET_MIB} MiB" if row["copies"] == 100 else ""
        lines.append(
            f"  {row['copies']:>3} copies: {need} in < {seconds:g} s{extra}: "
            f"{'met' if met else 'MISSED'} ({row['time']:.2f} s, {row['peak']:.0f} MiB)"
        )
    if lines:
        print("targets (issue 5)")
        print("\n".join(lines))
        print()


def time_example(runs: int) -> None:
    """The whole `thidua solve` command on the 2014 example, `runs` times."""
    if runs < 1:
        return
    print("thidua solve examples/hcmc-2014-draft.toml --previous examples/hcmc-2013.toml")
    if not EXAMPLE_DRAFT.exists():
        print(f"  skipped: {EXAMPLE_DRAFT.relative_to(REPO)} does not exist yet")
        return
    script = shutil.which("thidua", path=str(Path(sys.executable).parent))
    if script is None:
        print("  skipped: no `thidua` command next to this Python")
        return
    times: list[float] = []
    cpu: list[float] = []  # user + system seconds: what other jobs on the machine cannot inflate
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "plan.toml"
        for _ in range(runs):
            command = [
                script,
                "solve",
                str(EXAMPLE_DRAFT),
                "--previous",
                str(EXAMPLE_PREVIOUS),
                "-o",
                str(output),
                "--format",
                "json",
            ]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if done.returncode != 0:
                tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
                print(f"  failed (exit {done.returncode}): {tail}")
                return
        report = json.loads(done.stdout)
        violations = validate(load(output), [load(EXAMPLE_PREVIOUS)])
    shown = ", ".join(f"{t:.2f}" for t in times)
    median = statistics.median(times)
    print(
        f"  whole command, {runs} runs: {shown} s (median {median:.2f} s, target < "
        f"{EXAMPLE_TARGET:g} s: {'met' if median < EXAMPLE_TARGET else 'MISSED'})"
    )
    print(f"  CPU time (user + system) of the same runs: {', '.join(f'{t:.2f}' for t in cpu)} s")
    print(f"  plan: {_verdict([v.message for v in violations])}; report: {_summary(report)}")
    print()


def _summary(report: Any) -> str:
    """The terms and proof of `thidua solve --format json`, whatever its exact layout."""
    if not isinstance(report, dict):
        return "?"
    terms = report.get("terms", {})
    if isinstance(terms, dict):
        shown = " ".join(
            f"{name}={value.get('value') if isinstance(value, dict) else value}"
            for name, value in terms.items()
        )
    else:
        shown = str(terms)
    return f"{shown} proven={report.get('proven_optimal', report.get('proven', '?'))}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark thidua's solver on scaled drafts.")
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 40, 100])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0, help="thidua's, seconds")
    parser.add_argument(
        "--plain-time-limit",
        type=float,
        help="the plain formulation's CP-SAT limit, seconds (default: --time-limit; 0 skips it)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--plain-max-pairs",
        type=int,
        default=1_000_000,
        help="skip the plain formulation above this many membership pairs (its memory grows "
        "with them: 0.66 million took 4.9 GB)",
    )
    parser.add_argument(
        "--example-runs", type=int, default=3, help="timed runs of the 2014 example (0 skips)"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.plain_time_limit is None:
        args.plain_time_limit = args.time_limit
    if args.child is not None:
        print(json.dumps(measure(args)))
        return 0

    print(
        f"thidua benchmark: seed {args.seed}, {args.workers} CP-SAT workers, time limit "
        f"{args.time_limit:g} s (plain {args.plain_time_limit:g} s); Python "
        f"{platform.python_version()}, OR-Tools {version('ortools')}, {os.cpu_count()} cores"
    )
    print()
    rows: list[dict[str, Any]] = []
    for copies in args.copies:
        row = run_child(args, copies)
        if isinstance(row, str):
            print(f"{copies} copies: {row}")
            continue
        rows.append(row)
    if rows:
        print_thidua(rows)
        print_plain(rows)
        print_targets(rows)
    time_example(args.example_runs)
    print(
        "terms m/s/sp: moves / staff changes / size spread; bounds: proven lower bounds; gap: "
        "largest (value - bound) / value over the terms; min moves: the membership flow's exact "
        "minimum; peak MiB: ru_maxrss of the size's process (after thidua's solve, and after "
        "the plain one); plain/thidua: ratio of wall times, '>' when plain hit its time limit."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
