"""Where the time of the whole `thidua solve` command goes, phase by phase.

For each size N it writes the benchmark draft and its previous plan (`bench/drafts.py`) to a
temporary folder, then runs, in a fresh Python process, the phases the command runs, timed one
by one: imports, loading the draft, loading the previous plan, the solve, the report (the
changes and why units moved, as text), and saving the plan with `-o` (the writer), beside what
the command keeps back from its time limit for that save (`save_seconds`); then, apart from
the command's phases, the same plan saved as a new file (no layout to keep). Each phase
prints wall-clock and CPU seconds (CPU includes CP-SAT's threads: what other jobs on the
machine cannot inflate). Then the whole command runs as a subprocess, `runs` times.

Usage: .venv/bin/python bench/command_bench.py --copies 100 200 [--runs 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import drafts

from thidua.files import save, save_seconds

PHASES = """
import contextlib, gc, io, json, sys, time
gc.disable()  # as `thidua solve` runs (thidua.cli.common.no_cycle_collection)
marks = []
wall, cpu = time.perf_counter(), time.process_time()
def mark(name):
    global wall, cpu
    now, used = time.perf_counter(), time.process_time()
    marks.append((name, now - wall, used - cpu))
    wall, cpu = now, used
import argparse
from thidua.files import load, save
from thidua.solver import solve
from thidua.cli import solve as command
mark("imports")
draft = load(sys.argv[1]); mark("load draft")
previous = load(sys.argv[2]); mark("load previous")
result = solve(draft, [previous], workers=int(sys.argv[4]), time_limit=60); mark("solve")
args = argparse.Namespace(plan=sys.argv[1], output=sys.argv[3], time_limit=60)
with contextlib.redirect_stdout(io.StringIO()):
    command._print_text(args, result, draft, previous)
mark("report")
save(result.plan, sys.argv[3], template=sys.argv[1]); mark("save (writer)")
# Not a phase of the command: the same plan saved as a new file, with no layout to keep.
save(result.plan, sys.argv[3] + ".new.toml"); mark("new file")
print(json.dumps({"marks": marks, "status": result.status.value}))
"""


def phases(draft: Path, previous: Path, output: Path, workers: int) -> dict[str, object]:
    command = [sys.executable, "-c", PHASES, str(draft), str(previous), str(output), str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def whole(draft: Path, previous: Path, output: Path, workers: int, runs: int) -> list[float]:
    script = Path(sys.executable).parent / "thidua"
    times = []
    for _ in range(runs):
        command = [str(script), "solve", str(draft), "--previous", str(previous)]
        command += ["-o", str(output), "--workers", str(workers), "--format", "json"]
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--copies", type=int, nargs="+", default=[100, 200])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        for copies in args.copies:
            bench = drafts.make_draft(copies)
            draft, previous = Path(folder) / "draft.toml", Path(folder) / "previous.toml"
            output = Path(folder) / "plan.toml"
            save(bench.draft, draft)
            save(bench.previous, previous)
            data = phases(draft, previous, output, args.workers)
            print(f"{copies} copies ({len(bench.draft.units)} units), {data['status']}:")
            marks = data["marks"]
            assert isinstance(marks, list)
            for name, wall, cpu in marks:
                print(f"  {name:>14}: {wall:6.2f} s wall, {cpu:6.2f} s CPU")
            marks = [mark for mark in marks if mark[0] != "new file"]
            total = sum(wall for _, wall, _ in marks)
            writer = next(wall for name, wall, _ in marks if name.startswith("save"))
            print(f"  {'sum':>14}: {total:6.2f} s, of which the writer {writer:.2f} s")
            # What the rest of the command costs, in CPU (what other jobs cannot inflate).
            rest = sum(cpu for name, _, cpu in marks if not name.startswith("save"))
            print(f"  {'without writer':>14}: {rest:6.2f} s CPU")
            # What `solve -o` keeps back from its time limit for the writer, to hold beside it.
            reserve = save_seconds(bench.draft, draft)
            print(f"  {'kept back':>14}: {reserve:6.2f} s for the writer (save_seconds)")
            times = whole(draft, previous, output, args.workers, args.runs)
            shown = ", ".join(f"{t:.2f}" for t in times)
            print(f"  whole command with -o, {args.runs} runs: {shown} s")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of the measured processes: {peak:.0f} MiB")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
