"""`thidua tui [PLAN] [--previous PREV]... [--lang vi|en] [--time-limit S]`: the terminal
interface."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from thidua.cli.common import add_previous
from thidua.i18n import _, language


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("tui", help=_("open the terminal interface"))
    parser.add_argument("plan", type=Path, nargs="?", metavar="PLAN")
    add_previous(parser)
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="S",
        help=_("seconds the solver may run when asked for a proposal (default 60)"),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from thidua_tui.app import run_app  # Textual loads only for this command

    return run_app(args.plan, list(args.previous), language=language(), time_limit=args.time_limit)
