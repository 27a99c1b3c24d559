"""Measure the terminal interface against the targets of issue 3, headless, and print figures.

- first screen: from the start of this process (before Textual and the app are imported) to the
  2013 example shown, tree, detail, violations and all (target < 1 s); also the app's own part,
  from constructing it; and the same through the command itself, `thidua tui
  examples/hcmc-2013.toml` in a fresh process (headless), wall and CPU time, median of three;
- edit: one edit (a unit moved, alternately there and back) until the plan is re-validated,
  the terms recounted and the widgets updated, and until the next frame has been composed
  with the change (target < 50 ms), on the 2013 example and on a plan of about 3,300 units;
- open: reading a plan file of about 3,300 units (the 2014 draft of `bench/drafts.py`, with
  the scaled 2013 plan as previous) and showing it (target < 3 s);
- picker: on that plan, from pressing m on a unit (or g on a person) until the picker with its
  recommendations (every group ranked by cost, the barred ones with their rule) is drawn
  (target < 200 ms): as the Pilot sees it (the key handled, then the app idle, which the
  Pilot finds by sleeping 20 ms at a time, then one more refresh), to the picker's first
  frame sent to the terminal, and to its first frame as it stays (the list in its place,
  with its scrollbar, on the current choice); `--solves 0` stops after the pickers;
- solve: while the solver runs on that plan (from F5 until its proposal is on screen), the
  longest stretches the event loop spends without running a task that asks to run every 10 ms,
  and how long edits made meanwhile take to be redrawn.

Times are wall-clock (`time.perf_counter`) in a headless app (`App.run_test`), which runs the
same event loop, layout and rendering as in a terminal, without the terminal's own drawing.
The first screen and the pickers also give CPU time (`time.process_time`, every thread of the
process), steadier than wall-clock on a shared machine.
This script is the measurement; the tests never time anything.

Usage: .venv/bin/python bench/tui_bench.py [--copies 43] [--edits 40] [--solves 5]
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the heavy imports below: they count in the first screen

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import attrs  # noqa: E402
from rich.console import RenderableType  # noqa: E402
from textual.screen import Screen  # noqa: E402

from thidua.files import load, save  # noqa: E402
from thidua.model import Plan  # noqa: E402
from thidua_tui.app import ThiduaApp  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hcmc-2013.toml"
SIZE = (120, 40)


async def shown(app: ThiduaApp) -> None:
    """Wait until the app shows its plan and has drawn it."""
    async with app.run_test(size=SIZE) as pilot:
        while app.view is None:
            await pilot.pause()
        await pilot.pause()


def first_screen() -> tuple[float, float, float]:
    """(seconds from process start, seconds from constructing the app, CPU seconds of the
    process until then) to the first screen."""
    plan = load(EXAMPLE)
    constructed = time.perf_counter()
    asyncio.run(_first_screen(ThiduaApp(plan, EXAMPLE)))
    return (_FIRST[0] - STARTED, _FIRST[0] - constructed, _FIRST[1])


_FIRST: list[float] = []


async def _first_screen(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        while app.view is None:
            await pilot.pause()
        await pilot.pause()
        _FIRST.extend((time.perf_counter(), time.process_time()))


# Runs `thidua tui PLAN` as the command does, but headless, and prints the wall and CPU seconds
# from its start to the first screen (the moment `first_screen` above stops too).
_COMMAND = """
import sys, time
started = time.perf_counter()
import textual.app
run = textual.app.App.run
def headless(self, **options):
    async def shown(pilot):
        while getattr(self, "view", None) is None:
            await pilot.pause()
        await pilot.pause()
        print(time.perf_counter() - started, time.process_time())
        self.exit(0)
    return run(self, headless=True, auto_pilot=shown, size=(120, 40))
textual.app.App.run = headless
from thidua.cli import main
sys.exit(main(sys.argv[1:]))
"""


def first_screen_of_the_command(runs: int = 3) -> tuple[float, float]:
    """Median (wall, CPU) seconds of `thidua tui examples/hcmc-2013.toml` to its first screen,
    each in a fresh process (imports, files and all)."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _COMMAND, "tui", str(EXAMPLE)],
            capture_output=True,
            text=True,
            check=True,
        )
        wall, cpu = (float(figure) for figure in done.stdout.split()[-2:])
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def movable(plan: Plan) -> tuple[str, str, str]:
    """A unit, its group, and another group of its kind: an edit that can go back and forth."""
    for group in plan.groups:
        for other in plan.groups:
            if other.kind == group.kind and other.id != group.id and group.members:
                return (group.members[0], group.id, other.id)
    raise SystemExit("no unit can move in this plan")


async def edit_and_redraw(app: ThiduaApp, unit: str, target: str) -> tuple[float, float, float]:
    """(seconds until the edit is validated and the widgets updated, seconds until the next
    frame has been composed with it, CPU seconds the process spent meanwhile). The CPU time
    is what the edit costs whatever else the machine runs; the wall time is what is felt."""
    from thidua import edits

    drawn = asyncio.Event()
    start, cpu = time.perf_counter(), time.process_time()
    app.apply(lambda p: edits.move_unit(p, unit, target), "bench")
    updated = time.perf_counter()
    app.call_after_refresh(drawn.set)  # runs once the screen has been redrawn
    await drawn.wait()
    return (updated - start, time.perf_counter() - start, time.process_time() - cpu)


async def time_edits(
    app: ThiduaApp, count: int, select_unit: bool
) -> list[tuple[float, float, float]]:
    """Per edit: (validated and widgets updated, redrawn, CPU time), in seconds. With
    `select_unit` the moved unit is selected (the usual way: select, press m); otherwise its
    group is, so the group's member list is redrawn too."""
    from thidua.search import Kind
    from thidua_tui.state import Selection

    times: list[tuple[float, float, float]] = []
    async with app.run_test(size=SIZE) as pilot:
        while app.view is None:
            await pilot.pause()
        await pilot.pause()
        assert app.plan is not None
        unit, home, away = movable(app.plan)
        app.jump(Selection(Kind.UNIT, unit) if select_unit else Selection(Kind.GROUP, home))
        await pilot.pause()
        for index in range(count):
            target = away if index % 2 == 0 else home
            times.append(await edit_and_redraw(app, unit, target))
            await pilot.pause()
    return times


async def time_open(path: Path, previous: Plan) -> float:
    start = time.perf_counter()
    plan = load(path)
    await shown(ThiduaApp(plan, path, (previous,)))
    return time.perf_counter() - start


@attrs.frozen
class PickerTimes:
    """Seconds, per opening, from the key: to the picker drawn as the Pilot sees it (the key
    handled, the app idle, then one more refresh; `wall` and `cpu`), to the picker's first
    frame on screen (`first`) and to its first frame as it stays (`whole`: the list in its
    final place and size, with its scrollbar, scrolled to the current choice)."""

    wall: list[float] = attrs.Factory(list)
    cpu: list[float] = attrs.Factory(list)
    first: list[float] = attrs.Factory(list)
    whole: list[float] = attrs.Factory(list)


async def time_pickers(app: ThiduaApp, count: int) -> dict[str, PickerTimes]:
    """The move picker ("m" on units) and the assign picker ("g" on people), `count` of
    each, on units and people spread over the plan."""
    from textual.widgets import OptionList

    from thidua.search import Kind
    from thidua_tui.screens.picker import PickerScreen
    from thidua_tui.state import Selection

    times = {"m": PickerTimes(), "g": PickerTimes()}
    frames: list[tuple[float, object]] = []
    display = app._display

    def displayed(screen: Screen[object], update: RenderableType | None) -> None:
        display(screen, update)
        if update is not None and isinstance(screen, PickerScreen):
            # What this frame shows of the list: laid out (where, with or without its
            # scrollbar: the compositor's map of the frame) and drawn (from where, on what).
            listing = screen.query_one(OptionList)
            laid_out = screen._compositor._full_map
            shown = (
                laid_out.get(listing),
                listing._vertical_scrollbar is not None and listing._vertical_scrollbar in laid_out,
                listing.scroll_offset,
                listing.highlighted,
            )
            frames.append((time.perf_counter(), shown))

    app._display = displayed  # type: ignore[method-assign, assignment]
    async with app.run_test(size=SIZE) as pilot:
        while app.view is None:
            await pilot.pause()
        await pilot.pause()
        # The solver loads in the background a moment after the first screen: let it, so
        # that its imports do not count in the pickers' time.
        await asyncio.sleep(4)
        plan = app.plan
        assert plan is not None
        units = [u.id for u in plan.units]
        people = [s.id for s in plan.staff]
        for index in range(count):
            for kind, ids, key in ((Kind.UNIT, units, "m"), (Kind.STAFF, people, "g")):
                app.jump(Selection(kind, ids[(index * 97) % len(ids)]))
                await pilot.pause()
                drawn = asyncio.Event()
                frames.clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                await pilot.press(key)
                assert isinstance(app.screen, PickerScreen), app.screen
                app.call_after_refresh(drawn.set)
                await drawn.wait()
                picked = times[key]
                picked.wall.append(time.perf_counter() - start)
                picked.cpu.append(time.process_time() - start_cpu)
                picked.first.append(frames[0][0] - start)
                final = frames[-1][1]
                picked.whole.append(next(t for t, shown in frames if shown == final) - start)
                await pilot.press("escape")
                await pilot.pause()
    return times


async def during_solve(
    plan: Plan, previous: Plan, solves: int
) -> tuple[list[float], list[float], list[float]]:
    """Run the solver `solves` times from the app (F5, then discard the proposal) and, while it
    runs, measure how long the event loop goes without running a task that asked to run every
    10 ms, and how long edits take to be redrawn. Returns (loop gaps, edit times, solve times)."""
    from thidua_tui.screens.proposal import ProposalScreen

    app = ThiduaApp(plan, None, (previous,))
    gaps: list[float] = []
    edit_times: list[float] = []
    solve_times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while app.view is None:
            await pilot.pause()
        await pilot.pause()
        assert app.plan is not None
        unit, home, away = movable(app.plan)
        for _ in range(solves):
            start = last = time.perf_counter()
            app.action_solve()
            ticks = 0
            while app.solving:
                await asyncio.sleep(0.01)
                now = time.perf_counter()
                gaps.append(now - last)
                ticks += 1
                if ticks % 10 == 0:  # an edit every 100 ms or so while the solver works
                    target = away if len(edit_times) % 2 == 0 else home
                    edit_times.append((await edit_and_redraw(app, unit, target))[1])
                last = time.perf_counter()
            solve_times.append(time.perf_counter() - start)
            await pilot.pause()
            if isinstance(app.screen, ProposalScreen):
                await pilot.press("escape")  # discard the proposal
                await pilot.pause()
    return gaps, edit_times, solve_times


def describe_edits(times: Sequence[tuple[float, float, float]]) -> str:
    return (
        f"validated and updated: {describe([t[0] for t in times])}; "
        f"redrawn: {describe([t[1] for t in times], p95=True)}; "
        f"CPU until redrawn: {describe([t[2] for t in times], p95=True)}"
    )


def describe(times: Sequence[float], *, p95: bool = False) -> str:
    ms = sorted(t * 1000 for t in times)

    def percentile(share: float) -> float:
        return ms[min(len(ms) - 1, int(len(ms) * share))]

    middle = f"p95 {percentile(0.95):.1f} ms, " if p95 else ""
    return (
        f"median {statistics.median(ms):.1f} ms, {middle}p99 {percentile(0.99):.1f} ms, "
        f"max {ms[-1]:.1f} ms ({len(ms)} samples)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=43, help="copies of 2013 in the big plan")
    parser.add_argument("--edits", type=int, default=40, help="edits to time per plan")
    parser.add_argument("--solves", type=int, default=5, help="solves to watch the loop during")
    args = parser.parse_args(argv)
    # Autosaves of the plans edited here go to a folder of their own, removed at the end:
    # never to the planner's, and none found there offered back in the middle of a figure.
    with tempfile.TemporaryDirectory() as autosaves:
        os.environ["THIDUA_AUTOSAVE_DIR"] = autosaves
        return _measure(args)


def _measure(args: argparse.Namespace) -> int:
    total, own, cpu = first_screen()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(
        f"first screen, 2013 example: {total:.2f} s from process start (app part {own:.2f} s; "
        f"CPU {cpu:.2f} s)"
    )
    wall, cpu = first_screen_of_the_command()
    cached = "no" if sys.dont_write_bytecode else "yes"
    print(
        f"first screen of `thidua tui examples/hcmc-2013.toml`: {wall:.2f} s, CPU {cpu:.2f} s "
        f"(median of 3 fresh processes; bytecode cached: {cached})"
    )

    for select_unit, how in ((True, "unit selected"), (False, "its group selected")):
        example = ThiduaApp(load(EXAMPLE), EXAMPLE)
        example_edits = asyncio.run(time_edits(example, args.edits, select_unit))
        print(f"edit on the 2013 example ({how}): {describe_edits(example_edits)}")

    # Imported after the first screen is timed: making the drafts imports the solver (OR-Tools),
    # which `thidua tui` itself loads only later, in the background.
    import drafts

    bench = drafts.make_draft(args.copies)
    units = len(bench.draft.units)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "draft.toml"
        save(bench.draft, path)
        opened = asyncio.run(time_open(path, bench.previous))
    print(
        f"open a plan of {units} units in {len(bench.draft.groups)} groups "
        f"(load + first screen): {opened:.2f} s"
    )
    big = ThiduaApp(bench.draft, None, (bench.previous,))
    big_edits = asyncio.run(time_edits(big, args.edits, True))
    violations = len(big.view.violations) if big.view is not None else 0
    print(f"edit on {units} units ({violations} violations): {describe_edits(big_edits)}")

    pickers = asyncio.run(time_pickers(ThiduaApp(bench.draft, None, (bench.previous,)), 15))
    for key, what in (("m", "move picker with recommendations"), ("g", "assign picker (g)")):
        picked = pickers[key]
        print(f"{what} on {units} units: {describe(picked.wall)}")
        print(f"  its CPU time: {describe(picked.cpu)}")
        print(f"  to its first frame: {describe(picked.first)}")
        print(f"  to its first frame as it stays: {describe(picked.whole)}")

    if args.solves <= 0:  # the solve figures asked away
        return 0
    gaps, solve_edits, solve_times = asyncio.run(
        during_solve(bench.draft, bench.previous, args.solves)
    )
    print(
        f"while solving {units} units ({args.solves} solves of "
        f"{statistics.median(solve_times):.2f} s median, proposal included): "
        f"event-loop gaps {describe(gaps)}"
    )
    if solve_edits:
        print(f"edits while solving, until redrawn: {describe(solve_edits)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
