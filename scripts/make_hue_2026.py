"""Build `examples/hue-2026.toml`: Huế city's 40 communes and wards.

Read from the 2025 map beside the repository (`../shared/research/vn2025`: units.tsv and
adjacency.tsv), as `thidua new-map` reads it: each unit with its type, former province and
former district as tags, its location, its borders with their length; 4 empty clusters of 8
to 12 units; made-up staff.

Usage: python scripts/make_hue_2026.py [--data DIR] [-o OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_province
from make_province import DATA, REPO_ROOT, build

__all__ = ["HEADER", "OUTPUT", "PROVINCE", "main", "text"]

PROVINCE = "Thành phố Huế"
OUTPUT = REPO_ROOT / "examples" / "hue-2026.toml"
GROUPS = 4
SIZE = (8, 12)
HEADER = make_province.header(
    "Chia cụm thi đua các phường, xã thành phố Huế năm 2026: a starting plan.",
    Path(__file__).name,
    groups=GROUPS,
    size=SIZE,
)


def text(data: Path = DATA) -> str:
    return build(data, PROVINCE, groups=GROUPS, size=SIZE, year=2026, header=HEADER)


def main(argv: list[str] | None = None) -> int:
    description = __doc__.split("\n\n")[0]
    return make_province.main(argv, description=description, output=OUTPUT, text=text)


if __name__ == "__main__":
    sys.exit(main())
