"""`thidua validate PLAN [--previous PREV]... [--format text|json]`.

Hard rules decide the exit code. Soft rules (tag and neighbour cohesion) are reported as notes
after the violations, and never make a plan fail: a planner may accept a mixed cluster, but
should see it. JSON carries them under "notes", in the shape of the violations.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from thidua.cli.common import (
    add_format,
    add_previous,
    load_previous,
    no_cycle_collection,
    print_json,
)
from thidua.files import load
from thidua.i18n import _, ngettext
from thidua.rules import Violation, rule_by_id, validate
from thidua.text import terminal_safe


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("validate", help=_("check a plan against every rule"))
    parser.add_argument("plan", type=Path, metavar="PLAN")
    add_previous(parser)
    add_format(parser)
    parser.set_defaults(func=run)


def _as_json(found: tuple[Violation, ...]) -> list[dict[str, Any]]:
    """Each violation's rule, subjects and message, and the finding's code and facts (the
    message's parts, for a program that words it itself)."""
    return [
        {
            "rule": v.rule,
            "subjects": list(v.subjects),
            "message": v.message,
            "code": v.code,
            "facts": dict(v.facts),
        }
        for v in found
    ]


def run(args: argparse.Namespace) -> int:
    with no_cycle_collection():
        plan = load(args.plan)
        previous = load_previous(args.previous, before=plan.year)
        found = validate(plan, previous, include_soft=True)
    violations = tuple(v for v in found if not rule_by_id(v.rule).soft)
    notes = tuple(v for v in found if rule_by_id(v.rule).soft)
    if args.format == "json":
        print_json(
            {"ok": not violations, "violations": _as_json(violations), "notes": _as_json(notes)}
        )
        return 1 if violations else 0
    for violation in violations:
        print(f"{violation.rule}: {terminal_safe(violation.message)}")
    if violations:
        count = len(violations)
        print(
            ngettext("{count} violation in {plan}", "{count} violations in {plan}", count).format(
                count=count, plan=args.plan
            )
        )
    else:
        print(_("{plan}: ok, every rule holds").format(plan=args.plan))
    if notes:
        print(_("notes (soft rules: reported, not violations): {count}").format(count=len(notes)))
        for note in notes:
            print(f"  {note.rule}: {terminal_safe(note.message)}")
    return 1 if violations else 0
