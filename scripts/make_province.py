"""What the examples' make scripts share: a province of the 2025 map as an example plan.

`build(data, province, ...)` reads the shared tables (`units.tsv`, `adjacency.tsv` in `data`)
with `thidua.newmap`, exactly as `thidua new-map` does, and returns the plan's text: a header
of comments, then the plan with made-up staff names (the offices' real people are not public
data). The make scripts call it with their province; `scripts/check_examples.py` calls them
again to check that the committed examples are what the data gives.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

REPO_ROOT = Path(__file__).resolve().parents[1]
try:
    from thidua import newmap
    from thidua.files import dumps
    from thidua.model import Plan, Role
except ImportError:  # not installed: use the source tree
    sys.path.insert(0, str(REPO_ROOT / "src"))
    from thidua import newmap
    from thidua.files import dumps
    from thidua.model import Plan, Role

__all__ = ["DATA", "build", "plan_of"]

DATA = REPO_ROOT.parent / "shared" / "research" / "vn2025"

# Made-up people, marked so in each title.
LEADERS = (
    "Trần Minh Khoa",
    "Nguyễn Thị Thu Hà",
    "Lê Văn Phúc",
    "Phạm Thị Ngọc Lan",
    "Võ Quốc Bảo",
    "Huỳnh Thị Mai Anh",
    "Đặng Hữu Tâm",
    "Bùi Thanh Sơn",
)
OFFICERS = (
    "Nguyễn Hoàng Nam",
    "Trương Thị Bích Ngọc",
    "Lý Gia Huy",
    "Phan Thị Kim Oanh",
    "Đỗ Minh Triết",
    "Hồ Thị Thanh Trúc",
    "Dương Văn Lộc",
    "Tạ Thị Hồng Nhung",
)
LEADER_TITLE = "Phó Chánh Văn phòng Ủy ban nhân dân (giả định)"
OFFICER_TITLE = "Chuyên viên (giả định)"


def plan_of(data: Path, province: str, *, groups: int, size: tuple[int, int], year: int) -> Plan:
    """The province's plan as `thidua new-map` makes it, with named made-up staff."""
    units = newmap.read_units(data / "units.tsv", province)
    ids = newmap.unit_ids(units)
    borders = newmap.borders_from_adjacency(data / "adjacency.tsv", units, ids)
    plan = newmap.build_plan(units, borders, groups=groups, size=size, year=year, ids=ids)
    leaders = iter(LEADERS)
    officers = iter(OFFICERS)
    staff = []
    for person in plan.staff:
        if person.role is Role.LEADER:
            staff.append(attrs.evolve(person, name=next(leaders), title=LEADER_TITLE))
        else:
            staff.append(attrs.evolve(person, name=next(officers), title=OFFICER_TITLE))
    return attrs.evolve(plan, staff=staff)


def build(
    data: Path,
    province: str,
    *,
    groups: int,
    size: tuple[int, int],
    year: int,
    header: Sequence[str],
) -> str:
    """The example file's text: `header` as comments, a blank line, the plan."""
    plan = plan_of(data, province, groups=groups, size=size, year=year)
    comments = "\n".join(f"# {line}".rstrip() for line in header)
    return f"{comments}\n\n{dumps(plan)}"
