"""`thidua export PLAN [--format md|txt|docx] [-o OUT]`: the plan as a draft dispatch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thidua.documents.exporter import render_markdown, render_text
from thidua.errors import ThiduaError
from thidua.files import atomic_write, load
from thidua.i18n import _, ngettext
from thidua.rules import validate

FORMATS = ("md", "txt", "docx")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help=_("write the plan as a draft dispatch (công văn, NĐ 30/2020 layout)"),
        description=_(
            "Render the plan as a draft công văn: header, number and date, addressees, "
            "the blocks and clusters with their people and chairs, duties, copies and signer. "
            "The plan's [dispatch] table supplies the agencies and signer; blanks are left "
            "where it has none. The dispatch is in Vietnamese whatever --lang says."
        ),
    )
    parser.add_argument("plan", type=Path, metavar="PLAN")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=_("output format (default: from the suffix of OUT, else md)"),
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help=_("write here (default: print; not docx)")
    )
    parser.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    suffix = args.output.suffix.lower().lstrip(".") if args.output is not None else ""
    return suffix if suffix in FORMATS else "md"


def run(args: argparse.Namespace) -> int:
    output_format = _format(args)
    if output_format == "docx" and args.output is None:
        raise ThiduaError(_("export: a Word file needs -o OUT.docx; it is not printed"))
    plan = load(args.plan)
    broken = validate(plan)
    if broken:
        warning = ngettext(
            "{plan} breaks {count} rule; `thidua validate` lists it",
            "{plan} breaks {count} rules; `thidua validate` lists them",
            len(broken),
        ).format(plan=args.plan, count=len(broken))
        print("thidua: " + _("warning: {message}").format(message=warning), file=sys.stderr)
    if output_format == "docx":
        from thidua.documents.word import write_docx  # python-docx loads only for Word output

        write_docx(plan, args.output)
        return 0
    text = render_markdown(plan) if output_format == "md" else render_text(plan)
    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic_write(args.output, text)
    return 0
