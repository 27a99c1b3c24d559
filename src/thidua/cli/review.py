"""`thidua review PLAN SCORES [--previous PREV]... [--format text|json|csv] [-o OUT]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thidua.cli.common import add_format, add_previous, load_previous, print_json
from thidua.documents.report import review_csv, review_json, review_text
from thidua.documents.review import review
from thidua.documents.scores import read_scores
from thidua.files import load, save
from thidua.i18n import _


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
    parser.add_argument("scores", type=Path, metavar="SCORES")
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
    plan = load(args.plan)
    previous = load_previous(args.previous)
    sheet = read_scores(args.scores, plan)
    outcome = review(plan, sheet, previous)
    if args.format == "json":
        print_json(review_json(plan, outcome))
    elif args.format == "csv":
        sys.stdout.write(review_csv(plan, outcome))
    else:
        sys.stdout.write(review_text(plan, outcome, str(args.scores)))
    if args.output is not None:
        save(outcome.apply(plan), args.output, template=args.plan)
    return 0
