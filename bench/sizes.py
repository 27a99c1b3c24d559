"""Work on big inputs stays linear: import a dispatch line listing 32,000 members, save a plan of
100,000 units (new file, and over its own layout), load it back, and split a long glued token.

Run: `.venv/bin/python bench/sizes.py` (figures to stdout; target: under 5 s each, issue 10).
Figures are wall-clock seconds on a shared machine: read them beside `uptime`'s load.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from thidua.cli import main as cli_main
from thidua.documents.glue import GlueSplitter
from thidua.documents.importer import parse_dispatch
from thidua.files import load, save
from thidua.model import Group, Plan, Role, Staff, Unit


def timed(label: str, work: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = work()
    print(f"{label:<52} {time.perf_counter() - start:7.2f} s")
    return result


def long_line_dispatch(members: int) -> str:
    names = ", ".join(f"Xã Số {index}" for index in range(members))
    return (
        "V/v chia cụm thi đua năm 2026\n"
        f"1. Cụm thi đua số 1 gồm {members} đơn vị: {names}\n"
        "Cụm trưởng: Xã Số 7\n"
    )


def big_plan(units: int, group_size: int = 10) -> Plan:
    unit_list = [Unit(f"u-{index}", f"Xã Số {index}", "commune") for index in range(units)]
    groups = []
    staff = [Staff(f"l-{index}", f"Lãnh đạo {index}", Role.LEADER) for index in range(units // 20)]
    for start in range(0, units, group_size):
        number = start // group_size
        members = tuple(unit.id for unit in unit_list[start : start + group_size])
        groups.append(
            Group(
                f"cum-{number}",
                f"Cụm {number}",
                "commune",
                members,
                leader=staff[number // 2].id if staff else None,
                chair=members[0],
            )
        )
    return Plan(year=2026, title="Bench", units=unit_list, staff=staff, groups=groups)


def main() -> int:
    members = int(os.environ.get("THIDUA_BENCH_MEMBERS", "32000"))
    units = int(os.environ.get("THIDUA_BENCH_UNITS", "100000"))
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    text = long_line_dispatch(members)
    result = timed(f"import a line of {members:,} members", lambda: parse_dispatch(text))
    assert len(result.plan.units) == members  # type: ignore[attr-defined]
    groups = members // 8
    many = "V/v chia cụm thi đua năm 2026\n" + "".join(
        f"{g + 1}. Cụm thi đua số {g + 1} gồm: "
        + ", ".join(f"Xã {g}-{i}" for i in range(8))
        + f"\nCụm trưởng: Xã {g}-1\n"
        for g in range(groups)
    )
    timed(f"import {groups:,} groups of 8 with their chairs", lambda: parse_dispatch(many))
    glued = "Xã" + "SốMột" * 20_000
    timed("split a 100,000-character glued token", lambda: GlueSplitter.from_text(glued).fix(glued))
    plan = timed(f"build a plan of {units:,} units", lambda: big_plan(units))
    assert isinstance(plan, Plan)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "big.toml"
        timed(f"save {units:,} units to a new file", lambda: save(plan, path))
        print(f"{'  file size':<52} {path.stat().st_size / 1e6:7.1f} MB")
        loaded = timed(f"load {units:,} units", lambda: load(path))
        assert loaded == plan
        timed(f"save {units:,} units over their own layout", lambda: save(plan, path))
        edited = attrs.evolve(
            plan, units=(*plan.units[:-1], attrs.evolve(plan.units[-1], tags=("moi",)))
        )
        timed(f"save {units:,} units over it, one unit changed", lambda: save(edited, path))
        dispatch = Path(directory) / "line.txt"
        dispatch.write_text(text, encoding="utf-8")
        output = Path(directory) / "line.toml"
        timed(
            f"thidua import of the {members:,}-member line -o new.toml",
            lambda: cli_main(["import", str(dispatch), "-o", str(output)]),
        )
        # `thidua solve DRAFT -o OUT` saves the proposal in the draft's layout: the 100-copy
        # bench draft, with every group changed (new chairs), as a solve's result would be.
        sys.path.insert(0, str(Path(__file__).parent))
        from drafts import make_draft

        draft = make_draft(100).draft
        draft_path = Path(directory) / "draft.toml"
        save(draft, draft_path)
        proposal = attrs.evolve(
            draft,
            groups=[
                attrs.evolve(group, chair=group.members[-1] if group.members else None)
                for group in draft.groups
            ],
        )
        out = Path(directory) / "proposal.toml"
        timed(
            f"save a 100-copy proposal ({len(draft.units):,} units) in the draft's layout",
            lambda: save(proposal, out, template=draft_path),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
