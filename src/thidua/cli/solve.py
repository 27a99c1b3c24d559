"""`thidua solve PLAN [--previous PREV]... [-o OUT] [--time-limit S] [--format text|json] ...`.

On a terminal (stderr a tty, text output) the search shows its progress on stderr, and the
first Ctrl+C stops it cleanly with the best plan found so far, marked unproven (a second one
aborts). Piped, or with `--format json`, only the result is printed.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from thidua import cohesion
from thidua.cli.common import (
    PLAN_SUFFIXES,
    add_format,
    add_previous,
    check_output,
    load_previous,
    print_json,
    seconds,
    seed,
)
from thidua.diff import describe, diff
from thidua.errors import SolveError
from thidua.files import load, save
from thidua.i18n import _
from thidua.model import Plan

if TYPE_CHECKING:
    from thidua.solver import Progress, SolveResult

DEFAULT_TIME_LIMIT = 60.0
# Split neighbour pairs listed by name; beyond this many only their number.
_SPLIT_SHOWN = 10


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "solve", help="propose the plan that breaks no rule, keeps every pin and changes least"
    )
    parser.add_argument("plan", type=Path, metavar="PLAN", help="the draft of the new year")
    add_previous(parser)
    parser.add_argument("-o", "--output", type=Path, metavar="OUT", help="save the plan here")
    parser.add_argument(
        "--time-limit",
        type=seconds,
        default=DEFAULT_TIME_LIMIT,
        metavar="S",
        help=f"stop searching after S seconds (default {DEFAULT_TIME_LIMIT:g})",
    )
    add_format(parser)
    parser.add_argument(
        "--alternatives", type=int, default=0, metavar="K", help="also propose up to K other plans"
    )
    parser.add_argument("--workers", type=int, metavar="N", help="solver threads (default: cores)")
    parser.add_argument("--seed", type=seed, default=0, metavar="N", help="random seed")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from thidua.solver import SolveStatus, solve  # OR-Tools loads only for this command

    if args.time_limit <= 0:
        raise SolveError(f"--time-limit must be positive, not {args.time_limit:g}")
    if args.alternatives < 0:
        raise SolveError(f"--alternatives must be 0 or more, not {args.alternatives}")
    if args.workers is not None and args.workers < 1:
        raise SolveError(f"--workers must be 1 or more, not {args.workers}")
    check_output(args.output, [args.plan, *args.previous], suffixes=PLAN_SUFFIXES, what=_("plan"))
    draft = load(args.plan)
    previous = load_previous(args.previous)
    live = args.format == "text" and sys.stderr.isatty()
    cancel = threading.Event()
    display = _Display() if live else None
    with _ctrl_c_sets(cancel):
        result = solve(
            draft,
            previous,
            time_limit=args.time_limit,
            workers=args.workers,
            seed=args.seed,
            alternatives=args.alternatives,
            on_progress=display.show if display is not None else None,
            cancel=cancel,
        )
    if display is not None:
        display.clear()
    if result.plan is not None and args.output is not None:
        save(result.plan, args.output, template=args.plan)
    baseline = previous[-1] if previous else draft
    if args.format == "json":
        data = result.to_json()
        data["changes"] = diff(baseline, result.plan).to_json() if result.plan else None
        data["output"] = str(args.output) if result.plan and args.output else None
        print_json(data)
    else:
        _print_text(args, result, draft, baseline)
    if result.status is SolveStatus.INFEASIBLE or result.plan is None:
        return 1
    return 0


@contextmanager
def _ctrl_c_sets(cancel: threading.Event) -> Iterator[None]:
    """The first Ctrl+C asks the solver to stop; a second one interrupts as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_signum: int, _frame: FrameType | None) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        if sys.stderr.isatty():
            sys.stderr.write(
                "\nstopping: keeping the best plan found so far (Ctrl+C again aborts)\n"
            )

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _Display:
    """One status line on stderr, rewritten as the search progresses."""

    def __init__(self) -> None:
        self.width = 0

    def show(self, progress: Progress) -> None:
        objective = "—" if progress.objective == float("inf") else f"{progress.objective:g}"
        bound = "—" if progress.bound == float("-inf") else f"{progress.bound:g}"
        line = f"{progress.stage}: best {objective}, bound {bound}, {progress.elapsed:.1f} s"
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()
        self.width = len(line)

    def clear(self) -> None:
        if self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def _print_text(args: argparse.Namespace, result: SolveResult, draft: Plan, baseline: Plan) -> None:
    from thidua.solver import SolveStatus

    if result.status is SolveStatus.INFEASIBLE:
        print(f"{args.plan}: no plan satisfies the rules and pins; these conflict:")
        for conflict in result.conflict:
            print(f"  {conflict.rule}: {conflict.message}")
        if not result.conflict:
            print("  (the conflict could not be narrowed down in the time given)")
        return
    if result.plan is None:
        print(f"{args.plan}: no plan found in {args.time_limit:g} s; try a longer --time-limit")
        return
    if result.proven_optimal:
        status = "optimal (proven)"
    elif result.interrupted:
        status = "interrupted: the best plan found so far, not proven optimal"
    else:
        status = "feasible, not proven optimal (time limit)"
    print(f"{args.plan}: {status}, {result.wall_time:.2f} s")
    for term in result.terms:
        mark = "proven" if term.proven else f"gap {term.value - term.bound}, not proven"
        weight = "" if term.weight == 1 else f", weight {term.weight}"
        print(f"  {term.name}: {term.value} (bound {term.bound}, {mark}{weight})")
    gaps = [f"{t.name} {t.value - t.bound}" for t in result.terms if t.weight and not t.proven]
    print(f"gap to the proven bound: {', '.join(gaps) if gaps else 'none, every term is at it'}")
    for line in _cohesion_lines(result.plan):
        print(line)
    if all(baseline.group_of(unit.id) is None for unit in result.plan.units):
        # A first grouping: every unit would be listed as "moved"; the groups read better.
        print("groups proposed:")
        for line in _group_lines(result.plan):
            print(f"  {line}")
    else:
        against = "the draft" if baseline is draft else f"the {baseline.year} plan"
        lines = describe(baseline, result.plan, diff(baseline, result.plan))
        print(f"changes against {against}:")
        print("\n".join(f"  {line}" for line in lines) if lines else "  none")
    if result.reasons:
        print("why units moved:")
        for reason in result.reasons:
            unit = result.plan.unit_by_id[reason.unit].name
            print(f"  {unit}: {', '.join(reason.why)}: {reason.message}")
    for index, alternative in enumerate(result.alternatives, 1):
        costs = ", ".join(f"{t.name} {t.value}" for t in alternative.terms)
        changes = describe(result.plan, alternative.plan, alternative.diff)
        print(f"alternative {index} ({costs}), against the plan above:")
        print("\n".join(f"  {line}" for line in changes) if changes else "  same")
    if args.output is not None:
        print(f"saved to {args.output}")
    else:
        print("(use -o OUT to save the plan)")


def _cohesion_lines(plan: Plan) -> list[str]:
    """What the cohesion terms count, in a planner's words, where the plan configures them."""
    lines = []
    if plan.rules.cohesion_tags:
        mixed = len(cohesion.tag_mixes(plan))
        tags = ", ".join(plan.rules.cohesion_tags)
        lines.append(f"groups mixing tags ({tags}): {mixed} of {len(plan.groups)}")
    pairs = cohesion.neighbour_pairs(plan)
    if pairs:
        split = cohesion.split_pairs(plan)
        lines.append(
            f"neighbour pairs kept in one group: {len(pairs) - len(split)} of {len(pairs)}"
        )
        for first, second in split[:_SPLIT_SHOWN]:
            lines.append(f"  split: {_where(plan, first)} and {_where(plan, second)}")
        if len(split) > _SPLIT_SHOWN:
            lines.append(f"  and {len(split) - _SPLIT_SHOWN} more")
    return lines


def _where(plan: Plan, unit: str) -> str:
    group = plan.group_of(unit)
    found = plan.group_by_id[group].name if group is not None else "no group"
    return f"{plan.unit_by_id[unit].name} ({found})"


def _group_lines(plan: Plan) -> list[str]:
    """Each group: its size, members, chair and the people in charge."""
    lines = []
    for group in plan.groups:
        names = ", ".join(plan.unit_by_id[m].name for m in group.members)
        chair = plan.unit_by_id[group.chair].name if group.chair is not None else "-"
        people = [plan.staff_by_id[p].name for p in (group.leader, group.officer) if p is not None]
        lines.append(
            f"{group.name} ({len(group.members)}): {names}; chair {chair}; "
            f"in charge {', '.join(people) or '-'}"
        )
    return lines
