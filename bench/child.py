"""What the benchmarks that measure each case in a fresh process share: running the child and
reading its row, and the peak memory the child reports of itself."""

from __future__ import annotations

import json
import resource
import subprocess
from collections.abc import Sequence
from typing import Any

__all__ = ["peak_mib", "row_of"]


def peak_mib() -> float:
    """This process's peak resident set size so far (Linux reports kibibytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row_of(command: Sequence[str]) -> dict[str, Any] | str:
    """The JSON row the child `command` prints last, or why it printed none (its exit code and
    the last line of its stderr)."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        return f"exit {done.returncode}: {tail}"
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return row
