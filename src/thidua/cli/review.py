"""`thidua review PLAN SCORES [--previous PREV]... [--format text|json|csv] [-o OUT]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thidua.cli.common import (
    PLAN_SUFFIXES,
    add_format,
    add_previous,
    check_output,
    load_previous,
    print_json,
)
from thidua.documents.output import write_bytes
from thidua.documents.report import review_csv, review_json, review_text
from thidua.documents.review import review
from thidua.documents.scores import read_scores
from thidua.documents.template import template_bytes
from thidua.errors import ThiduaError
from thidua.files import load, save
from thidua.i18n import _, ngettext
from thidua.model import Plan
from thidua.text import terminal_safe


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "review",
        help=_("rank each group by a score sheet, propose awards and next year's chairs"),
        description=_(
            "The year-end review (bình xét thi đua). SCORES is a CSV or XLSX sheet "
            "with a unit column (id or name), criteria columns and optional 'điểm cộng' and "
            "'điểm trừ' columns. The plan's [review] table sets award quotas, the minimum score "
            "and the tie-break; rules.succession sets how next year's chair is chosen."
        ),
    )
    parser.add_argument("plan", type=Path, metavar="PLAN")
    parser.add_argument("scores", type=Path, metavar="SCORES", nargs="?")
    parser.add_argument(
        "--template",
        action="store_true",
        help=_("write an Excel score sheet to fill in (a sheet per group, with -o OUT.xlsx)"),
    )
    add_previous(parser)
    add_format(parser, "text", "json", "csv")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help=_("write the plan with this year's results (history for next year's solve)"),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.template:  # the template's workbook is checked by _template
        scores = [args.scores] if args.scores is not None else []
        check_output(
            args.output,
            [args.plan, *scores, *args.previous],
            suffixes=PLAN_SUFFIXES,
            what=_("plan"),
        )
    plan = load(args.plan)
    if args.template:
        return _template(args, plan)
    if args.scores is None:
        raise ThiduaError(_("give SCORES, or --template -o OUT.xlsx for a sheet to fill in"))
    previous = load_previous(args.previous, before=plan.year)
    sheet = read_scores(args.scores, plan)
    outcome = review(plan, sheet, previous)
    if args.format == "json":
        print_json(review_json(plan, outcome))
    elif args.format == "csv":
        sys.stdout.write(terminal_safe(review_csv(plan, outcome)))
    else:
        sys.stdout.write(terminal_safe(review_text(plan, outcome, str(args.scores))))
    if args.output is not None:
        save(outcome.apply(plan), args.output, template=args.plan)
    return 0


def _template(args: argparse.Namespace, plan: Plan) -> int:
    output: Path | None = args.output
    if output is None or output.suffix.lower() != ".xlsx":
        raise ThiduaError(_("--template needs the workbook to write: -o OUT.xlsx"))
    if args.scores is not None:
        raise ThiduaError(_("--template writes a score sheet; it reads no SCORES"))
    check_output(output, [args.plan, *args.previous], suffixes=(".xlsx",), what=_("score sheet"))
    if not plan.groups:
        raise ThiduaError(_("{plan}: no groups, so no score sheet").format(plan=args.plan))
    write_bytes(output, template_bytes(plan))
    print(
        ngettext(
            "{path}: a score sheet for {count} group",
            "{path}: a score sheet for {count} groups",
            len(plan.groups),
        ).format(path=output, count=len(plan.groups))
    )
    return 0
