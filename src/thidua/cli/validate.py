"""`thidua validate PLAN [--previous PREV]... [--format text|json]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from thidua.cli.common import add_format, add_previous, load_previous, print_json
from thidua.files import load
from thidua.rules import validate


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("validate", help="check a plan against every rule")
    parser.add_argument("plan", type=Path, metavar="PLAN")
    add_previous(parser)
    add_format(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    plan = load(args.plan)
    violations = validate(plan, load_previous(args.previous))
    if args.format == "json":
        print_json(
            {
                "ok": not violations,
                "violations": [
                    {"rule": v.rule, "subjects": list(v.subjects), "message": v.message}
                    for v in violations
                ],
            }
        )
    elif violations:
        for violation in violations:
            print(f"{violation.rule}: {violation.message}")
        print(f"{len(violations)} violation(s) in {args.plan}")
    else:
        print(f"{args.plan}: ok, every rule holds")
    return 1 if violations else 0
