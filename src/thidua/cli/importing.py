"""`thidua import DISPATCH [-o PLAN] [--keep-header] [--strict]`: a dispatch into a plan.

The module is not called `import`, a Python keyword; the command is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thidua.documents.errors import DispatchError
from thidua.documents.importer import read_dispatch
from thidua.files import dumps, save
from thidua.i18n import _, ngettext


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help=_("read a dispatch (công văn: .txt, .md or .docx) into a plan"),
        description=_(
            "Read the groups, members, leaders, officers and chairs a dispatch sets. "
            "What cannot be placed is reported on stderr with its line; nothing is guessed."
        ),
    )
    parser.add_argument("dispatch", type=Path, metavar="DISPATCH")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="PLAN", help=_("write the plan here (default: print)")
    )
    parser.add_argument(
        "--keep-header",
        action="store_true",
        help=_("also keep the agencies, place, addressees, copies and signer ([dispatch])"),
    )
    parser.add_argument(
        "--strict", action="store_true", help=_("fail (exit 2) if anything could not be placed")
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = read_dispatch(args.dispatch, keep_header=args.keep_header)
    for notice in result.notices:
        where = result.where(str(args.dispatch), notice)
        warning = _("warning: {message}").format(message=notice.message)
        print(f"thidua: {where}: {warning}", file=sys.stderr)
    if args.strict and result.notices:
        count = len(result.notices)
        message = ngettext(
            "{count} warning with --strict; no plan written",
            "{count} warnings with --strict; no plan written",
            count,
        ).format(count=count)
        raise DispatchError(args.dispatch, message)
    plan = result.plan
    if args.output is None:
        sys.stdout.write(dumps(plan))
    else:
        save(plan, args.output)
        summary = _("{path}: {groups} groups, {units} units, {staff} staff ({year})").format(
            path=args.output,
            groups=len(plan.groups),
            units=len(plan.units),
            staff=len(plan.staff),
            year=plan.year,
        )
        print(summary, file=sys.stderr)
    return 0
