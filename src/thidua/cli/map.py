"""`thidua map PLAN --shapes GEOJSON -o OUT.svg|png|html`: the plan's clusters on a map."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thidua.errors import ThiduaError
from thidua.files import load
from thidua.i18n import _, ngettext


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("map", help=_("draw the plan's clusters on a map"))
    parser.add_argument("plan", type=Path, metavar="PLAN")
    parser.add_argument(
        "--shapes", type=Path, required=True, metavar="GEOJSON", help=_("the units' boundaries")
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT", help=_("OUT.svg, .png or .html")
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from thidua import maps  # matplotlib, plotly and shapely load only for this command

    suffix = args.output.suffix.lower().lstrip(".")
    if suffix not in maps.FORMATS:
        raise ThiduaError(
            _("{path}: the output must end in .svg, .png or .html").format(path=args.output)
        )
    if args.output.resolve() in (args.plan.resolve(), args.shapes.resolve()):
        raise ThiduaError(_("{path}: would overwrite an input").format(path=args.output))
    plan = load(args.plan)
    shapes = maps.read_shapes(args.shapes, plan)
    data = maps.render(plan, shapes, args.output)
    drawn = len(plan.units) - len(data.missing)
    print(
        ngettext(
            "{path}: {count} unit drawn in {groups} clusters",
            "{path}: {count} units drawn in {groups} clusters",
            drawn,
        ).format(path=args.output, count=drawn, groups=len(plan.groups))
    )
    if data.missing:
        names = ", ".join(plan.unit_by_id[unit].name for unit in data.missing)
        print(
            ngettext(
                "{count} unit has no shape: {names}",
                "{count} units have no shape: {names}",
                len(data.missing),
            ).format(count=len(data.missing), names=names),
            file=sys.stderr,
        )
    return 0
