"""`thidua history PLAN [--previous PREV]... [--format text|json] [-o OUT.xlsx]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thidua.cli.common import add_format, add_previous, check_output, print_json
from thidua.documents.history import history_json, history_text, history_xlsx
from thidua.documents.output import write_bytes
from thidua.errors import ThiduaError
from thidua.files import load
from thidua.history import build
from thidua.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help=_("each group's chairs, people, leading units and awards over the years"),
        description=_(
            "The history of PLAN and its previous plans: for each group and year its chair, "
            "deputy, leader and officer, leading unit, awards and the chair elected for the "
            "next year; for each unit its groups, posts and awards. -o writes an XLSX workbook."
        ),
    )
    parser.add_argument("plan", type=Path, metavar="PLAN")
    add_previous(parser)
    add_format(parser, "text", "json")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help=_("also write the history as XLSX")
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = [*args.previous, args.plan]
    if args.output is not None and args.output.suffix.lower() != ".xlsx":
        raise ThiduaError(_("-o writes a workbook here: name it OUT.xlsx"))
    check_output(args.output, paths, suffixes=(".xlsx",), what=_("workbook"))
    seen: dict[int, Path] = {}
    plans = []
    for path in paths:
        plan = load(path)
        if plan.year in seen:
            raise ThiduaError(
                _("{first} and {second} are both plans for {year}").format(
                    first=seen[plan.year], second=path, year=plan.year
                )
            )
        seen[plan.year] = path
        plans.append(plan)
    history = build(plans)
    if args.format == "json":
        print_json(history_json(history))
    else:
        sys.stdout.write(history_text(history))
    if args.output is not None:
        write_bytes(args.output, history_xlsx(history))
    return 0
