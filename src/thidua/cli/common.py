"""What the subcommands share: reading plans and previous plans, printing JSON."""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from thidua.errors import PlanFileError, ThiduaError
from thidua.files import load, same_file
from thidua.i18n import _
from thidua.model import Plan

__all__ = [
    "PLAN_SUFFIXES",
    "add_format",
    "add_previous",
    "check_output",
    "load_previous",
    "no_cycle_collection",
    "print_json",
    "seconds",
    "seed",
]

# What a plan written by -o may be called (no suffix: the planner's choice, as Unix allows).
PLAN_SUFFIXES = (".toml",)


def add_previous(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--previous",
        action="append",
        default=[],
        metavar="PREV",
        type=Path,
        help=_("a previous year's plan (repeatable; their years order them)"),
    )


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a command reads, solves and writes big plans.

    Every few thousand allocations the collector walks the objects alive, and a plan of 100
    copies of the 2013 plan is about a million of them: a fifth of the whole `thidua solve`
    went there, to free next to nothing (plans, models and documents hold no reference
    cycles; reference counting frees them). The peak memory stays the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    options = choices or ("text", "json")
    parser.add_argument("--format", choices=options, default=options[0], help=_("output format"))


def load_previous(paths: list[Path], *, before: int | None = None) -> tuple[Plan, ...]:
    """The previous plans, oldest first; with `before`, each must be of an earlier year."""
    loaded = [(path, load(path)) for path in paths]
    for path, plan in loaded:
        if before is not None and plan.year >= before:
            raise PlanFileError(
                path,
                _("a previous plan must be of a year before {year}, not {previous}").format(
                    year=before, previous=plan.year
                ),
            )
    return tuple(sorted((plan for _path, plan in loaded), key=lambda plan: plan.year))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def check_output(
    output: Path | None, inputs: Iterable[Path], *, suffixes: Iterable[str], what: str
) -> None:
    """Refuse an output that is one of the command's inputs, or whose suffix says another
    format than the one written: checked before anything is read, so nothing is lost."""
    if output is None:
        return
    for source in inputs:
        if same_file(output, source):
            raise ThiduaError(
                _("{output}: is also an input of this command; write the {what} elsewhere").format(
                    output=output, what=what
                )
            )
    allowed = tuple(suffixes)
    suffix = output.suffix.lower()
    if suffix and suffix not in allowed:
        raise ThiduaError(
            _("{output}: a {what} is written as {allowed}, not {suffix}").format(
                output=output, what=what, allowed=" or ".join(allowed), suffix=suffix
            )
        )


# CP-SAT's random seed is a 32-bit signed integer.
_LARGEST_SEED = 2**31 - 1


def seed(text: str) -> int:
    """An argparse type: a random seed CP-SAT accepts (0 to 2^31 - 1)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a whole number: {text!r}").format(text=text)
        ) from None
    if not 0 <= value <= _LARGEST_SEED:
        raise argparse.ArgumentTypeError(
            _("a seed is between 0 and {largest}, not {value}").format(
                largest=_LARGEST_SEED, value=value
            )
        )
    return value


def seconds(text: str) -> float:
    """An argparse type: a time limit, a finite number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number: {text!r}").format(text=text)) from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            _("a time limit is a number of seconds above 0, not {text}").format(text=text)
        )
    return value
