"""Timings of the year's cycle on HCMC's 168 communes in 16 clusters (examples/hcmc-2026.toml,
grouped by cohesion-free round robin here so no solve is needed): writing the score-sheet
template, filling and reading it back, tallying a ballot of every member in two rounds, the
three documents in Word, and the history of ten years. Prints figures; asserts nothing.

Usage: python bench/cycle_bench.py
"""

from __future__ import annotations

import io
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import attrs
import openpyxl

from thidua.ballot import Vote, tally
from thidua.documents.cycle import compose
from thidua.documents.forms import forms_docx
from thidua.documents.history import history_xlsx
from thidua.documents.scores import read_scores
from thidua.documents.template import FIRST_ROW, MARK_SHEET, template_bytes
from thidua.files import load
from thidua.history import build
from thidua.model import Criterion, Plan

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def timed(label: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    print(f"{label:<48} {time.perf_counter() - start:8.3f} s")
    return result


def grouped(plan: Plan) -> Plan:
    """The 168 units dealt round robin into the plan's 16 clusters, the first member chairing."""
    count = len(plan.groups)
    groups = []
    for index, group in enumerate(plan.groups):
        members = [unit.id for unit in plan.units[index::count]]
        groups.append(attrs.evolve(group, members=members, chair=members[0]))
    criteria = [Criterion(f"Tiêu chí {n}", 20) for n in range(1, 6)]
    review = attrs.evolve(plan.review, criteria=criteria, bonus_max=3.0, penalty_max=3.0)
    return attrs.evolve(plan, groups=groups, review=review)


def main() -> None:
    print(f"load average: {os.getloadavg()}")
    plan = grouped(load(ROOT / "examples" / "hcmc-2026.toml"))
    print(f"{len(plan.units)} units in {len(plan.groups)} groups")
    data = timed("template: write", lambda: template_bytes(plan))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rng = random.Random(2026)
    for sheet in workbook.worksheets:
        if sheet.title == MARK_SHEET:
            continue
        for row in range(FIRST_ROW, sheet.max_row + 1):
            for column in range(4, 9):
                sheet.cell(row, column, rng.randint(10, 20))
    filled = ROOT / ".bench-cycle.xlsx"
    workbook.save(filled)
    try:
        scores = timed("template: read back, checked", lambda: read_scores(filled, plan))
    finally:
        filled.unlink()
    print(f"  {len(scores.units)} units scored")
    votes = [
        Vote(voter, rng.choice(group.members), "Cờ thi đua", number, line)
        for group in plan.groups
        for number in (1, 2)
        for line, voter in enumerate(group.members)
    ]
    ballot = timed(f"ballot: tally {len(votes)} votes", lambda: tally(plan, votes))
    stored = ballot.apply(plan)
    for kind in ("covenant", "minutes", "report"):

        def word(kind: str = kind) -> bytes:
            return forms_docx(compose(stored, kind))

        print(f"  {len(timed(f'document {kind}: Word', word)) // 1024} KiB")
    years = [attrs.evolve(stored, year=2026 + offset) for offset in range(10)]
    history = timed("history: build, 10 years", lambda: build(years))
    timed("history: XLSX", lambda: history_xlsx(history))


if __name__ == "__main__":
    main()
