"""`thidua solve PLAN [--previous PREV]... [-o OUT] [--time-limit S] [--format text|json] ...`.

The time limit bounds the whole command: loading, the solve and saving. On a terminal (stderr a
tty, text output) the search shows its progress on stderr. Ctrl+C stops within a second, says
so on stderr and exits 130; with `--keep-best` the best plan found so far is reported and saved
to `-o` (marked unproven), otherwise nothing is written. A second Ctrl+C exits at once.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
import time
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
    no_cycle_collection,
    print_json,
    seconds,
    seed,
)
from thidua.diff import describe, diff
from thidua.errors import SolveError
from thidua.files import load, save, save_seconds
from thidua.i18n import _
from thidua.model import Plan
from thidua.terms import term_label
from thidua.vocabulary import chair_title

if TYPE_CHECKING:
    from thidua.solver import Progress, SolveResult

DEFAULT_TIME_LIMIT = 60.0
# Split neighbour pairs listed by name; beyond this many only their number.
_SPLIT_SHOWN = 10
# Exit codes beyond the contract's 0, 1 and 2 (docs/contract.md, "Solver: time and Ctrl+C").
EXIT_NO_PLAN_IN_TIME = 3
EXIT_INTERRUPTED = 130
# Seconds of the time limit kept back, per unit, group, person and pin of the plan, for what
# follows the search: the solver's assembly of its result (chairs, terms, reasons: about 15 µs)
# and the report (about 20 µs), plus a fixed share for exiting; with -o also what the writer
# says a save of the plan takes (`thidua.files.save_seconds`).
_REPORT_SECONDS_PER_ENTRY = 4e-5
_AFTER_SECONDS_MIN = 0.1
# The reserve is stretched by the slowdown measured while loading, up to this factor.
_SLOWDOWN_MAX = 4.0


class _Aborted(BaseException):
    """Ctrl+C without `--keep-best`: nothing more to do but stop the solver and exit."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "solve", help=_("propose the plan that breaks no rule, keeps every pin and changes least")
    )
    parser.add_argument("plan", type=Path, metavar="PLAN", help=_("the draft of the new year"))
    add_previous(parser)
    parser.add_argument("-o", "--output", type=Path, metavar="OUT", help=_("save the plan here"))
    parser.add_argument(
        "--time-limit",
        type=seconds,
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
    parser.add_argument("--seed", type=seed, default=0, metavar="N", help=_("random seed"))
    parser.add_argument(
        "--keep-best",
        action="store_true",
        help=_("on Ctrl+C, report and save (-o) the best plan found so far"),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # The limit counts from the process's start (Python and the command's imports too) when
    # this process is the command.
    started = time.monotonic() - (_process_age() if getattr(args, "whole_process", False) else 0)
    with no_cycle_collection():
        return _run(args, started)


def _run(args: argparse.Namespace, started: float) -> int:
    from thidua.solver import SolveResult, SolveStatus, solve  # OR-Tools loads only here
    from thidua.solver.solve import check_size, minimum_seconds

    if not math.isfinite(args.time_limit) or args.time_limit <= 0:
        raise SolveError(
            _("--time-limit must be a positive number of seconds, not {value}").format(
                value=args.time_limit
            )
        )
    if args.alternatives < 0:
        raise SolveError(
            _("--alternatives must be 0 or more, not {value}").format(value=args.alternatives)
        )
    if args.workers is not None and args.workers < 1:
        raise SolveError(_("--workers must be 1 or more, not {value}").format(value=args.workers))
    check_output(args.output, [args.plan, *args.previous], suffixes=PLAN_SUFFIXES, what=_("plan"))
    cancel = threading.Event()
    # A process that is the command and keeps nothing has nothing to wait for on Ctrl+C.
    exit_at_once = not args.keep_best and getattr(args, "whole_process", False)
    with _ctrl_c(cancel, keep_best=args.keep_best, exit_at_once=exit_at_once):
        try:
            draft = load(args.plan)
            check_size(draft, args.time_limit)
            previous = load_previous(args.previous)
            reserve = _after_search(draft, args.plan if args.output is not None else None)
            reserve *= _slowdown(time.monotonic() - started, time.process_time())
            budget = args.time_limit - (time.monotonic() - started) - reserve
            if budget <= minimum_seconds(draft):  # loading took the time: no search, no plan
                result = SolveResult(SolveStatus.UNKNOWN, wall_time=time.monotonic() - started)
            else:
                live = args.format == "text" and sys.stderr.isatty()
                display = _Display() if live else None
                result = solve(
                    draft,
                    previous,
                    time_limit=budget,
                    workers=args.workers,
                    seed=args.seed,
                    alternatives=args.alternatives,
                    on_progress=display.show if display is not None else None,
                    cancel=cancel,
                )
                if display is not None:
                    display.clear()
        except _Aborted:
            print(_("thidua: interrupted; nothing saved"), file=sys.stderr)
            return EXIT_INTERRUPTED
    if result.interrupted and not args.keep_best:
        # Interrupted between two checks of the flag: the same as an abort.
        print(_("thidua: interrupted; nothing saved"), file=sys.stderr)
        return EXIT_INTERRUPTED
    if result.interrupted:
        # Said as soon as the search has stopped, before the (longer) saving.
        saving = result.plan is not None and args.output is not None
        message = (
            _("thidua: interrupted; saving the best plan found so far to {path}").format(
                path=args.output
            )
            if saving
            else _("thidua: interrupted; nothing saved")
        )
        print(message, file=sys.stderr, flush=True)
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
    if result.interrupted:
        return EXIT_INTERRUPTED
    if result.status is SolveStatus.INFEASIBLE:
        return 1
    if result.plan is None:
        return EXIT_NO_PLAN_IN_TIME
    return 0


def _after_search(plan: Plan, template: Path | None) -> float:
    """Seconds of the time limit kept back for reporting `plan`'s solution, and for saving it
    over `template`'s layout when there is one (with -o)."""
    entries = len(plan.units) + len(plan.groups) + len(plan.staff) + len(plan.pins)
    saving = save_seconds(plan, template) if template is not None else 0.0
    return _AFTER_SECONDS_MIN + _REPORT_SECONDS_PER_ENTRY * entries + saving


def _slowdown(elapsed: float, used: float) -> float:
    """How much slower than its CPU time (`used`) this process has run in `elapsed` seconds (1
    on an idle machine, 2 when it gets half a core), between 1 and `_SLOWDOWN_MAX`: the
    reserve, measured as CPU time, stretches as much on a busy machine, or the command overruns
    its time limit."""
    if used <= 0:
        return 1.0
    return min(max(elapsed / used, 1.0), _SLOWDOWN_MAX)


def _process_age() -> float:
    """Seconds since this process started (Linux's /proc; 0 where it cannot be read)."""
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        # Field 22 counts clock ticks since boot; the command name before it may hold spaces.
        ticks = int(stat.rsplit(")", 1)[1].split()[19])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def _no_plan_in_time(args: argparse.Namespace) -> str:
    return _(
        "{path}: no plan found within the time limit of {seconds:g} s; this does not mean "
        "that none exists: try a longer --time-limit"
    ).format(path=args.plan, seconds=args.time_limit)


@contextmanager
def _ctrl_c(cancel: threading.Event, *, keep_best: bool, exit_at_once: bool) -> Iterator[None]:
    """Ctrl+C stops the command within a second; a second one exits at once.

    With `exit_at_once` (the process is the command, and nothing is to be saved) the first
    exits at once too: the command has written nothing yet, and waiting for CP-SAT's threads
    to wind down would only delay the prompt. Otherwise it sets `cancel` (which stops CP-SAT)
    and interrupts the main thread: with `keep_best` as a KeyboardInterrupt, which `solve`
    turns into its best plan so far, without it as `_Aborted`, which nothing catches before
    `run` (a caller of `thidua.cli.main` in its own process keeps that process).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_signum: int, _frame: FrameType | None) -> None:
        if exit_at_once:
            sys.stderr.write("\n" + _("thidua: interrupted; nothing saved") + "\n")
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        if cancel.is_set():
            sys.stderr.write(_("thidua: interrupted again; exiting now") + "\n")
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        cancel.set()
        sys.stderr.write(
            "\n"
            + (
                _("stopping: keeping the best plan found so far (Ctrl+C again exits now)")
                if keep_best
                else _("stopping (Ctrl+C again exits now)")
            )
            + "\n"
        )
        sys.stderr.flush()
        if keep_best:
            raise KeyboardInterrupt
        raise _Aborted

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
            _no_plan_in_time(args)
            if not result.interrupted
            else _("{path}: interrupted before any plan was found").format(path=args.plan)
        )
        return
    print("\n".join(_term_lines(args, result)))
    for line in _cohesion_lines(result.plan):
        print(line)
    print("\n".join(_change_lines(result, result.plan, draft, baseline)))
    if args.output is not None:
        print(_("saved to {path}").format(path=args.output))
    else:
        print(_("(use -o OUT to save the plan)"))


def _term_lines(args: argparse.Namespace, result: SolveResult) -> list[str]:
    """How good the plan is: the status, each term against its bound, the gap left."""
    if result.proven_optimal:
        status = _("optimal (proven)")
    elif result.interrupted:
        status = _("interrupted: the best plan found so far, not proven optimal")
    else:
        status = _("feasible, not proven optimal (time limit)")
    lines = [
        _("{plan}: {status}, {seconds} s").format(
            plan=args.plan, status=status, seconds=f"{result.wall_time:.2f}"
        )
    ]
    for term in result.terms:
        if term.proven:
            mark = _("proven")
        else:
            mark = _("gap {gap}, not proven").format(gap=term.value - term.bound)
        if term.weight != 1:
            mark = _("{mark}, weight {weight}").format(mark=mark, weight=term.weight)
        lines.append(
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
        lines.append(_("gap to the proven bound: {gaps}").format(gaps=", ".join(gaps)))
    else:
        lines.append(_("gap to the proven bound: none, every term is at it"))
    return lines


def _change_lines(result: SolveResult, plan: Plan, draft: Plan, baseline: Plan) -> list[str]:
    """What the plan changes (or, for a first grouping, its groups), why units moved, and the
    alternatives."""
    lines = []
    if all(baseline.group_of(unit.id) is None for unit in plan.units):
        # A first grouping: every unit would be listed as "moved"; the groups read better.
        lines.append(_("groups proposed:"))
        lines += [f"  {line}" for line in _group_lines(plan)]
    else:
        if baseline is draft:
            lines.append(_("changes against the draft:"))
        else:
            lines.append(_("changes against the {year} plan:").format(year=baseline.year))
        changes = describe(baseline, plan, diff(baseline, plan))
        lines += [f"  {line}" for line in changes] or ["  " + _("none")]
    if result.reasons:
        lines.append(_("why units moved:"))
        for reason in result.reasons:
            # The rule ids behind each reason are in --format json.
            lines.append(f"  {plan.unit_by_id[reason.unit].name}: {reason.message}")
    for index, alternative in enumerate(result.alternatives, 1):
        costs = ", ".join(f"{term_label(t.name)} {t.value}" for t in alternative.terms)
        lines.append(
            _("alternative {index} ({costs}), against the plan above:").format(
                index=index, costs=costs
            )
        )
        changes = describe(plan, alternative.plan, alternative.diff)
        lines += [f"  {line}" for line in changes] or ["  " + _("same")]
    return lines


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
