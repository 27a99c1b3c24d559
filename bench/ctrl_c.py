"""How long `thidua solve` takes to answer Ctrl+C (the contract says within a second).

It writes twenty copies of the 2013 plan, churned and given two cohesion tags (the draft of
`tests/test_solver_cli.py`, whose search runs until its time limit), starts the command on it
in a fresh process with `-o` and a 300 s limit, sends SIGINT once the search is under way, and
prints the seconds from the signal to the line on stderr that says the command was
interrupted, then to the process's exit: without `--keep-best`, with it (the best plan is
saved), and with two signals. The tests only check that the signal is answered long before
the search would end; the second is this script's figure.

Usage: .venv/bin/python bench/ctrl_c.py [--runs 3] [--after 6]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import drafts

from thidua.files import save

CASES = {"plain": ((), 1), "--keep-best": (("--keep-best",), 1), "two signals": ((), 2)}


def write_draft(folder: Path) -> tuple[Path, Path]:
    bench = drafts.make_draft(20)
    draft, previous = folder / "draft.toml", folder / "previous.toml"
    save(drafts.with_alternating_tags(bench.draft), draft)
    save(bench.previous, previous)
    return draft, previous


def interrupt(
    draft: Path, previous: Path, output: Path, extra: Sequence[str], signals: int, after: float
) -> tuple[float, float]:
    """(seconds from the signal to the 'interrupted' line, seconds to the exit)."""
    script = Path(sys.executable).parent / "thidua"
    argv = [str(script), "solve", str(draft), "--previous", str(previous), "-o", str(output)]
    argv += ["--time-limit", "300", "--format", "json", "--lang", "en", *extra]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    said: list[float] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if "interrupted" in line and not said:
                said.append(time.monotonic())

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(after)
    signalled = time.monotonic()
    for _ in range(signals):
        process.send_signal(signal.SIGINT)
        time.sleep(0.05)
    process.wait(timeout=120)
    ended = time.monotonic()
    reader.join()
    output.unlink(missing_ok=True)
    return (said[0] if said else float("nan")) - signalled, ended - signalled


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--after", type=float, default=6.0, help="seconds before the signal")
    args = parser.parse_args(argv)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        draft, previous = write_draft(folder)
        for case, (extra, signals) in CASES.items():
            figures = [
                interrupt(draft, previous, folder / "plan.toml", extra, signals, args.after)
                for _ in range(args.runs)
            ]
            said = [s for s, _ in figures]
            ended = [e for _, e in figures]
            print(
                f"{case:>12}: said after {statistics.median(said):.2f} s "
                f"(max {max(said):.2f}), exited after {statistics.median(ended):.2f} s "
                f"(max {max(ended):.2f}), {args.runs} runs"
            )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
