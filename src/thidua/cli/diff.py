"""`thidua diff A B [--format text|json]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from thidua.cli.common import add_format, print_json
from thidua.diff import describe, diff
from thidua.files import load
from thidua.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("diff", help=_("what changed from plan A to plan B"))
    parser.add_argument("a", type=Path, metavar="A")
    parser.add_argument("b", type=Path, metavar="B")
    add_format(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    a, b = load(args.a), load(args.b)
    change = diff(a, b)
    if args.format == "json":
        print_json(change.to_json())
    else:
        lines = describe(a, b, change)
        print("\n".join(lines) if lines else _("no changes"))
    return 0
