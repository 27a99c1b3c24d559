"""What the subcommands share: reading plans and previous plans, printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from thidua.files import load
from thidua.i18n import _
from thidua.model import Plan

__all__ = ["add_format", "add_previous", "load_previous", "print_json"]


def add_previous(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--previous",
        action="append",
        default=[],
        metavar="PREV",
        type=Path,
        help=_("a previous year's plan (repeatable; their years order them)"),
    )


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    options = choices or ("text", "json")
    parser.add_argument("--format", choices=options, default=options[0], help=_("output format"))


def load_previous(paths: list[Path]) -> tuple[Plan, ...]:
    return tuple(sorted((load(path) for path in paths), key=lambda plan: plan.year))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
