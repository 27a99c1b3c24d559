"""`thidua show PLAN`: the groups with their people, and each person's workload."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from thidua.cli.common import add_format, print_json
from thidua.files import load
from thidua.model import Plan
from thidua.text import terminal_safe


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("show", help="print a plan as readable tables")
    parser.add_argument("plan", type=Path, metavar="PLAN")
    add_format(parser)
    parser.set_defaults(func=run)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()

    return [line(headers), line(["-" * width for width in widths]), *map(line, rows)]


def render(plan: Plan) -> list[str]:
    """The plan as text tables: groups with members and people, then staff workloads."""

    def unit(uid: str | None) -> str:
        return "—" if uid is None else plan.unit_by_id[uid].name

    def person(sid: str | None) -> str:
        return "—" if sid is None else plan.staff_by_id[sid].name

    heading = f"{plan.title or 'Plan'} ({plan.year})"
    if plan.reference:
        heading += f", số {plan.reference}"
    lines = [heading, ""]
    for group in plan.groups:
        lines.append(f"{group.name} [{group.id}], {len(group.members)} members")
        lines.append(f"  Lãnh đạo phụ trách: {person(group.leader)}")
        lines.append(f"  Cán bộ phụ trách:   {person(group.officer)}")
        lines.append(f"  Trưởng (chair):     {unit(group.chair)}")
        if group.deputy is not None or plan.rules.deputy:
            lines.append(f"  Phó (deputy):       {unit(group.deputy)}")
        for number, member in enumerate(group.members, 1):
            lines.append(f"  {number:>3}. {unit(member)}")
        lines.append("")
    unplaced = [u.name for u in plan.units if not plan.groups_of_unit.get(u.id)]
    if unplaced:
        lines.append(f"Not in any group: {', '.join(unplaced)}")
        lines.append("")
    rows = []
    for staff in plan.staff:
        groups = plan.workload(staff.id)
        names = ", ".join(plan.group_by_id[g].name for g in groups) or "—"
        status = "" if staff.available else "unavailable"
        rows.append(
            [staff.name, staff.role.value, f"{len(groups)}/{plan.max_groups(staff)}", names, status]
        )
    lines += _table(["Staff", "Role", "Load", "Groups", ""], rows)
    return lines


def run(args: argparse.Namespace) -> int:
    plan = load(args.plan)
    if args.format == "json":
        print_json(
            {
                "groups": [
                    {
                        "id": g.id,
                        "name": g.name,
                        "members": list(g.members),
                        "chair": g.chair,
                        "deputy": g.deputy,
                        "leader": g.leader,
                        "officer": g.officer,
                    }
                    for g in plan.groups
                ],
                "workload": {s.id: list(plan.workload(s.id)) for s in plan.staff},
            }
        )
    else:
        print(terminal_safe("\n".join(render(plan))))
    return 0
