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
from thidua.cli.common import add_format, add_previous, load_previous, print_json
from thidua.diff import describe, diff
from thidua.errors import SolveError
from thidua.files import load, save
from thidua.i18n import _
from thidua.model import Plan
from thidua.terms import term_label
from thidua.vocabulary import chair_title

if TYPE_CHECKING:
    from thidua.solver import Progress, SolveResult

DEFAULT_TIME_LIMIT = 60.0
# Split neighbour pairs listed by name; beyond this many only their number.
_SPLIT_SHOWN = 10


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "solve", help=_("propose the plan that breaks no rule, keeps every pin and changes least")
    )
    parser.add_argument("plan", type=Path, metavar="PLAN", help=_("the draft of the new year"))
    add_previous(parser)
    parser.add_argument("-o", "--output", type=Path, metavar="OUT", help=_("save the plan here"))
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        metavar="S",
        help=_("stop searching after S seconds (default {seconds})").format(
            seconds=f"{DEFAULT_TIME_LIMIT:g}"
        ),
    )
    add_format(parser)
    parser.add_argument(
        "--alternatives",
        type=int,
        default=0,
        metavar="K",
        help=_("also propose up to K other plans"),
    )
    parser.add_argument(
        "--workers", type=int, metavar="N", help=_("solver threads (default: cores)")
    )
    parser.add_argument("--seed", type=int, default=0, metavar="N", help=_("random seed"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from thidua.solver import SolveStatus, solve  # OR-Tools loads only for this command

    if args.time_limit <= 0:
        raise SolveError(
            _("--time-limit must be positive, not {value}").format(value=f"{args.time_limit:g}")
        )
    if args.alternatives < 0:
        raise SolveError(
            _("--alternatives must be 0 or more, not {value}").format(value=args.alternatives)
        )
    if args.workers is not None and args.workers < 1:
        raise SolveError(_("--workers must be 1 or more, not {value}").format(value=args.workers))
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
            message = _("stopping: keeping the best plan found so far (Ctrl+C again aborts)")
            sys.stderr.write(f"\n{message}\n")

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
        line = _("{stage}: best {objective}, bound {bound}, {seconds} s").format(
            stage=term_label(progress.stage),
            objective=objective,
            bound=bound,
            seconds=f"{progress.elapsed:.1f}",
        )
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
        print(
            _("{plan}: no plan satisfies the rules and pins; these conflict:").format(
                plan=args.plan
            )
        )
        for conflict in result.conflict:
            print(f"  {conflict.rule}: {conflict.message}")
        if not result.conflict:
            print("  " + _("(the conflict could not be narrowed down in the time given)"))
        return
    if result.plan is None:
        print(
            _("{plan}: no plan found in {seconds} s; try a longer --time-limit").format(
                plan=args.plan, seconds=f"{args.time_limit:g}"
            )
        )
        return
    if result.proven_optimal:
        status = _("optimal (proven)")
    elif result.interrupted:
        status = _("interrupted: the best plan found so far, not proven optimal")
    else:
        status = _("feasible, not proven optimal (time limit)")
    print(
        _("{plan}: {status}, {seconds} s").format(
            plan=args.plan, status=status, seconds=f"{result.wall_time:.2f}"
        )
    )
    for term in result.terms:
        if term.proven:
            mark = _("proven")
        else:
            mark = _("gap {gap}, not proven").format(gap=term.value - term.bound)
        if term.weight != 1:
            mark = _("{mark}, weight {weight}").format(mark=mark, weight=term.weight)
        print(
            "  "
            + _("{term}: {value} (bound {bound}, {mark})").format(
                term=term_label(term.name), value=term.value, bound=term.bound, mark=mark
            )
        )
    gaps = [
        f"{term_label(t.name)} {t.value - t.bound}"
        for t in result.terms
        if t.weight and not t.proven
    ]
    if gaps:
        print(_("gap to the proven bound: {gaps}").format(gaps=", ".join(gaps)))
    else:
        print(_("gap to the proven bound: none, every term is at it"))
    for line in _cohesion_lines(result.plan):
        print(line)
    if all(baseline.group_of(unit.id) is None for unit in result.plan.units):
        # A first grouping: every unit would be listed as "moved"; the groups read better.
        print(_("groups proposed:"))
        for line in _group_lines(result.plan):
            print(f"  {line}")
    else:
        if baseline is draft:
            heading = _("changes against the draft:")
        else:
            heading = _("changes against the {year} plan:").format(year=baseline.year)
        lines = describe(baseline, result.plan, diff(baseline, result.plan))
        print(heading)
        print("\n".join(f"  {line}" for line in lines) if lines else "  " + _("none"))
    if result.reasons:
        print(_("why units moved:"))
        for reason in result.reasons:
            unit = result.plan.unit_by_id[reason.unit].name
            print(f"  {unit}: {reason.message}")  # the rule ids are in --format json
    for index, alternative in enumerate(result.alternatives, 1):
        costs = ", ".join(f"{term_label(t.name)} {t.value}" for t in alternative.terms)
        changes = describe(result.plan, alternative.plan, alternative.diff)
        print(
            _("alternative {index} ({costs}), against the plan above:").format(
                index=index, costs=costs
            )
        )
        print("\n".join(f"  {line}" for line in changes) if changes else "  " + _("same"))
    if args.output is not None:
        print(_("saved to {path}").format(path=args.output))
    else:
        print(_("(use -o OUT to save the plan)"))


def _cohesion_lines(plan: Plan) -> list[str]:
    """What the cohesion terms count, in a planner's words, where the plan configures them."""
    lines = []
    if plan.rules.cohesion_tags:
        mixed = len(cohesion.tag_mixes(plan))
        tags = ", ".join(plan.rules.cohesion_tags)
        lines.append(
            _("groups mixing tags ({tags}): {mixed} of {total}").format(
                tags=tags, mixed=mixed, total=len(plan.groups)
            )
        )
    pairs = cohesion.neighbour_pairs(plan)
    if pairs:
        split = cohesion.split_pairs(plan)
        lines.append(
            _("neighbour pairs kept in one group: {kept} of {total}").format(
                kept=len(pairs) - len(split), total=len(pairs)
            )
        )
        for first, second in split[:_SPLIT_SHOWN]:
            lines.append(
                "  "
                + _("split: {first} and {second}").format(
                    first=_where(plan, first), second=_where(plan, second)
                )
            )
        if len(split) > _SPLIT_SHOWN:
            lines.append("  " + _("and {count} more").format(count=len(split) - _SPLIT_SHOWN))
    return lines


def _where(plan: Plan, unit: str) -> str:
    group = plan.group_of(unit)
    found = plan.group_by_id[group].name if group is not None else _("no group")
    return f"{plan.unit_by_id[unit].name} ({found})"


def _group_lines(plan: Plan) -> list[str]:
    """Each group: its size, members, chair and the people in charge."""
    lines = []
    for group in plan.groups:
        names = ", ".join(plan.unit_by_id[m].name for m in group.members)
        chair = plan.unit_by_id[group.chair].name if group.chair is not None else "-"
        people = [plan.staff_by_id[p].name for p in (group.leader, group.officer) if p is not None]
        lines.append(
            _("{group} ({size}): {members}; {chair_title}: {chair}; in charge: {people}").format(
                group=group.name,
                size=len(group.members),
                members=names,
                chair_title=chair_title(group),
                chair=chair,
                people=", ".join(people) or "-",
            )
        )
    return lines
