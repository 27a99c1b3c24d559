"""`thidua new-map UNITS [--province NAME|CODE] [--adjacency ADJ] [--shapes GEOJSON]
[--groups N] [--size A-B] [--year Y] -o PLAN`: a plan for one province from its units table.

Everything is read and checked before anything is written: a bad input is one line naming
the file, the line and the column (exit 2), and no file appears.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any

from thidua import newmap
from thidua.errors import ThiduaError
from thidua.files import save
from thidua.i18n import _

_SIZE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def _size(text: str) -> tuple[int, int]:
    found = _SIZE.match(text)
    if not found or int(found.group(1)) > int(found.group(2)) or int(found.group(1)) < 1:
        raise argparse.ArgumentTypeError(_("expected A-B with 1 <= A <= B, e.g. 9-13"))
    return int(found.group(1)), int(found.group(2))


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "new-map", help=_("a plan for one province from a table of its units (2025 map)")
    )
    parser.add_argument(
        "units", type=Path, metavar="UNITS", help=_("units table: TSV, CSV or XLSX")
    )
    parser.add_argument("--province", metavar="NAME|CODE", help=_("the province to plan"))
    parser.add_argument("--adjacency", type=Path, metavar="ADJ", help=_("borders table (TSV, CSV)"))
    parser.add_argument(
        "--shapes", type=Path, metavar="GEOJSON", help=_("unit shapes (borders measured on them)")
    )
    parser.add_argument("--groups", type=int, metavar="N", help=_("number of clusters"))
    parser.add_argument(
        "--size", type=_size, metavar="A-B", help=_("members per cluster (default 5-11)")
    )
    parser.add_argument("--year", type=int, help=_("the plan's year (default: next year)"))
    parser.add_argument("--kind", default="commune", help=_("the units' kind (default commune)"))
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="PLAN")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    inputs = [path for path in (args.units, args.adjacency, args.shapes) if path is not None]
    if any(args.output.resolve() == path.resolve() for path in inputs):
        raise ThiduaError(_("{path}: would overwrite an input").format(path=args.output))
    units = newmap.read_units(args.units, args.province)
    if not units:
        raise newmap.TableError(args.units, _("no units for this province"))
    ids = newmap.unit_ids(units)
    shapes = newmap.read_shapes(args.shapes, units, args.units) if args.shapes else None
    if args.adjacency is not None:
        borders = newmap.borders_from_adjacency(args.adjacency, units, ids)
    elif shapes is not None:
        borders = newmap.borders_from_shapes(shapes, ids)
    else:
        borders = []
    if shapes is not None:
        units = newmap.with_locations(units, shapes)
    size = args.size or (5, 11)
    groups = args.groups or newmap.default_group_count(len(units), size)
    if groups is None or groups < 1:
        raise ThiduaError(
            _("{count} units do not fit clusters of {low} to {high}").format(
                count=len(units), low=size[0], high=size[1]
            )
        )
    year = args.year or dt.date.today().year + 1
    plan = newmap.build_plan(
        units, borders, groups=groups, size=size, year=year, kind=args.kind, ids=ids
    )
    save(plan, args.output)
    print(
        _(
            "{path}: {units} units, {borders} borders, {groups} empty clusters of {low} to {high}"
        ).format(
            path=args.output,
            units=len(plan.units),
            borders=len(plan.borders),
            groups=groups,
            low=size[0],
            high=size[1],
        )
    )
    return 0
