"""`thidua ballot PLAN BALLOTS [--format text|json] [-o OUT]`: the members' votes, tallied."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thidua.ballot import tally
from thidua.cli.common import PLAN_SUFFIXES, add_format, check_output, print_json
from thidua.documents.ballots import ballot_json, ballot_text, read_votes
from thidua.errors import ThiduaError
from thidua.files import load, save
from thidua.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ballot",
        help=_("tally the members' votes for the awards, round by round"),
        description=_(
            "The members' ballot (bình xét, suy tôn). BALLOTS is a CSV or XLSX sheet of votes: "
            "voter, candidate and optionally award, round and group columns. A proposal needs "
            "[review] vote_threshold of the group's members' votes (default 0.8) in at most "
            "ballot_rounds rounds (default 2); then the chair and the deputy decide. Votes of "
            "non-members, for units outside the group, or repeated are reported, never counted."
        ),
    )
    parser.add_argument("plan", type=Path, metavar="PLAN")
    parser.add_argument("ballots", type=Path, metavar="BALLOTS")
    parser.add_argument(
        "--decide",
        action="append",
        default=[],
        metavar="GROUP=UNIT[,UNIT]",
        help=_(
            "the chair's and the deputy's choice for a group's open places after the last "
            "round (repeatable; units by id)"
        ),
    )
    add_format(parser, "text", "json")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help=_("write the plan with the proposals and tallies in its [[results]]"),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_output(args.output, [args.plan, args.ballots], suffixes=PLAN_SUFFIXES, what=_("plan"))
    plan = load(args.plan)
    votes = read_votes(args.ballots, plan)
    outcome = tally(plan, votes)
    for decision in args.decide:
        group, _sep, units = decision.partition("=")
        chosen = [unit.strip() for unit in units.split(",") if unit.strip()]
        if not group or not chosen:
            raise ThiduaError(
                _("--decide takes GROUP=UNIT[,UNIT], not {value!r}").format(value=decision)
            )
        outcome = outcome.decide(plan, group.strip(), chosen)
    if args.format == "json":
        print_json(ballot_json(plan, outcome))
    else:
        sys.stdout.write(ballot_text(plan, outcome, str(args.ballots)))
    if args.output is not None:
        save(outcome.apply(plan), args.output, template=args.plan)
    return 0
