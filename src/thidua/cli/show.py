"""`thidua show PLAN`: the groups with their people, and each person's workload."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from thidua.cli.common import add_format, print_json
from thidua.files import load
from thidua.i18n import _, ngettext
from thidua.model import Plan
from thidua.vocabulary import chair_title, deputy_title, role_title


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("show", help=_("print a plan as readable tables"))
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

    heading = _("{title} ({year})").format(title=plan.title or _("Plan"), year=plan.year)
    if plan.reference:
        heading = _("{heading}, number {reference}").format(
            heading=heading, reference=plan.reference
        )
    lines = [heading, ""]
    for group in plan.groups:
        count = len(group.members)
        lines.append(
            ngettext(
                "{group} [{id}], {count} member", "{group} [{id}], {count} members", count
            ).format(group=group.name, id=group.id, count=count)
        )
        labelled = [
            (role_title("leader", group), person(group.leader)),
            (role_title("officer", group), person(group.officer)),
            (chair_title(group), unit(group.chair)),
        ]
        if group.deputy is not None or plan.rules.deputy:
            labelled.append((deputy_title(group), unit(group.deputy)))
        width = max(len(label) for label, _value in labelled) + 1
        lines += [f"  {label + ':':<{width}} {value}" for label, value in labelled]
        for number, member in enumerate(group.members, 1):
            lines.append(f"  {number:>3}. {unit(member)}")
        lines.append("")
    unplaced = [u.name for u in plan.units if not plan.groups_of_unit.get(u.id)]
    if unplaced:
        lines.append(_("Not in any group: {units}").format(units=", ".join(unplaced)))
        lines.append("")
    rows = []
    for staff in plan.staff:
        groups = plan.workload(staff.id)
        names = ", ".join(plan.group_by_id[g].name for g in groups) or "—"
        status = "" if staff.available else _("unavailable")
        role = role_title(staff.role.value, "")
        load_text = f"{len(groups)}/{plan.max_groups(staff)}"
        rows.append([staff.name, role, load_text, names, status])
    headers = [_("Staff"), _("Role"), _("Load"), _("Groups"), ""]
    lines += _table(headers, rows)
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
        print("\n".join(render(plan)))
    return 0
