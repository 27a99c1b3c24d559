"""Check that the committed examples are what the 2025 map gives: regenerate each example made
from `../shared/research/vn2025` into a temporary folder and compare it with the committed
file. Without ../shared (a fresh clone alone) there is nothing to compare: it says so and
succeeds. CI runs it (.ci/run).

Usage: python scripts/check_examples.py [--data DIR]
"""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_hcmc_2026
import make_hue_2026
from make_province import DATA

SCRIPTS = (make_hcmc_2026, make_hue_2026)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    if not (args.data / "units.tsv").exists():
        print(f"check_examples: {args.data} is absent; the examples were not compared")
        return 0
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for script in SCRIPTS:
            fresh = Path(folder) / script.OUTPUT.name
            script.main(["--data", str(args.data), "-o", str(fresh)])
            committed = script.OUTPUT.read_text(encoding="utf-8")
            made = fresh.read_text(encoding="utf-8")
            if committed == made:
                print(f"check_examples: {script.OUTPUT.name} matches the data")
                continue
            failed += 1
            diff = difflib.unified_diff(
                committed.splitlines(), made.splitlines(), "committed", "regenerated", lineterm=""
            )
            print(f"check_examples: {script.OUTPUT.name} differs from the data:")
            print("\n".join(list(diff)[:40]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
