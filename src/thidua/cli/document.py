"""`thidua document KIND PLAN [--group G]... [--format md|docx] [-o OUT]`: the year's documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thidua.cli.common import check_output
from thidua.documents.cycle import KINDS, compose
from thidua.documents.forms import forms_docx, forms_markdown
from thidua.documents.output import write_bytes
from thidua.documents.scores import read_scores
from thidua.errors import ThiduaError
from thidua.files import load
from thidua.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "document",
        help=_("write a group's covenant, its review minutes, or the office's report"),
        description=_(
            "KIND is 'covenant' (giao ước thi đua: members, chair, deputy, people in charge, "
            "[review] commitments, a signature table), 'minutes' (biên bản: ranking, votes, "
            "leading unit, proposals, next year's chair, from the plan's [[results]]) or "
            "'report' (the office's summary and award proposals across groups). Layout of "
            "decree 30/2020; Markdown to standard output, or Word with -o OUT.docx."
        ),
    )
    parser.add_argument("kind", choices=KINDS, metavar="KIND")
    parser.add_argument("plan", type=Path, metavar="PLAN")
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="G",
        help=_("only this group (repeatable; covenant and minutes)"),
    )
    parser.add_argument(
        "--scores",
        type=Path,
        metavar="SCORES",
        help=_("the review's score sheet: the minutes show each member's points"),
    )
    parser.add_argument("--format", choices=("md", "docx"), default=None, help=_("output format"))
    parser.add_argument("-o", "--output", type=Path, metavar="OUT", help=_("write to this file"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    plan = load(args.plan)
    for group in args.group:
        if group not in plan.group_by_id:
            raise ThiduaError(_("{plan}: no group {group!r}").format(plan=args.plan, group=group))
    output: Path | None = args.output
    kind = args.format or (
        "docx" if output is not None and output.suffix.lower() == ".docx" else "md"
    )
    inputs = [args.plan, *([args.scores] if args.scores is not None else [])]
    suffixes = (".docx",) if kind == "docx" else (".md", ".txt")
    check_output(output, inputs, suffixes=suffixes, what=_("document"))
    if args.kind != "report" and not plan.groups:
        raise ThiduaError(_("{plan}: no groups to write this document for").format(plan=args.plan))
    scores = read_scores(args.scores, plan) if args.scores is not None else None
    forms = compose(plan, args.kind, args.group, scores)
    if kind == "docx":
        if output is None:
            raise ThiduaError(_("a Word document needs a file: add -o OUT.docx"))
        write_bytes(output, forms_docx(forms))
        return 0
    text = forms_markdown(forms)
    if output is None:
        sys.stdout.write(text)
    else:
        write_bytes(output, text.encode("utf-8"))
    return 0
