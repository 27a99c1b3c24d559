"""Small steps the interface tests share: select something, pick in a picker, read tables."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static

from thidua.model import Plan
from thidua.search import Kind
from thidua.solver import Progress, SolveResult, SolveStatus, Term
from thidua_tui.app import ThiduaApp
from thidua_tui.screens.picker import PickerScreen
from thidua_tui.state import Selection

__all__ = [
    "EXAMPLE",
    "SIZE",
    "FakeSolver",
    "broken",
    "cells",
    "choose",
    "feasible",
    "highlighted",
    "now",
    "options",
    "picker_line",
    "plain",
    "select",
]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hcmc-2013.toml"
SIZE = (120, 40)  # the terminal of the Pilot tests


def plain(widget: Widget) -> str:
    """What a Static shows, as plain text (tables and styled text included)."""
    assert isinstance(widget, Static), widget
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def select(pilot: Pilot[int], kind: Kind, identifier: str) -> None:
    """Select a unit, group or person as a jump from a violation or a search would."""
    app = pilot.app
    assert isinstance(app, ThiduaApp)
    app.jump(Selection(kind, identifier))
    await pilot.pause()
    assert app.selection == Selection(kind, identifier)


def options(pilot: Pilot[int], *, barred: bool | None = False) -> list[str | None]:
    """The ids of the options the open picker offers (`barred=False`, the default), of those
    it shows greyed (`barred=True`), or of every line (`barred=None`)."""
    screen = pilot.app.screen
    assert isinstance(screen, PickerScreen), screen
    listing = screen.query_one(OptionList)
    found = [listing.get_option_at_index(i) for i in range(listing.option_count)]
    return [o.id for o in found if barred is None or o.disabled is barred]


def picker_line(pilot: Pilot[int], option_id: str) -> str:
    """The plain text of one line of the open picker."""
    screen = pilot.app.screen
    assert isinstance(screen, PickerScreen), screen
    listing = screen.query_one(OptionList)
    option = listing.get_option(option_id)
    return str(getattr(option.prompt, "plain", option.prompt))


def highlighted(pilot: Pilot[int]) -> str | None:
    """The id of the option the open picker's cursor is on."""
    screen = pilot.app.screen
    assert isinstance(screen, PickerScreen), screen
    listing = screen.query_one(OptionList)
    assert listing.highlighted is not None
    return listing.get_option_at_index(listing.highlighted).id


async def choose(pilot: Pilot[int], option_id: str) -> None:
    """Move the open picker's cursor to `option_id` with the arrow keys and press Enter."""
    screen = pilot.app.screen
    assert isinstance(screen, PickerScreen), screen
    listing = screen.query_one(OptionList)
    target = options(pilot, barred=None).index(option_id)
    listing.focus()
    # Arrow keys skip greyed lines, so count only the lines they stop on.
    await pilot.press("home")
    first = listing.highlighted or 0
    enabled = [
        i for i in range(listing.option_count) if not listing.get_option_at_index(i).disabled
    ]
    steps = enabled.index(target) - enabled.index(first)
    await pilot.press(*["down"] * steps, "enter")
    await pilot.pause()


def cells(table: DataTable[Any], column: int = 0) -> list[str]:
    """The plain text of one column of a table, top to bottom."""
    return [str(getattr(row[column], "plain", row[column])) for row in _rows(table)]


def _rows(table: DataTable[Any]) -> list[list[Any]]:
    return [table.get_row_at(index) for index in range(table.row_count)]


class FakeSolver:
    """Stands in for `thidua.solver.solve`: reports `progress`, then waits until the test lets
    it finish (`release`) or the app cancels, and returns `result(plan)`."""

    def __init__(self, result: Callable[[Plan], SolveResult]) -> None:
        self.result = result
        self.release = threading.Event()
        self.started = threading.Event()
        self.cancel: threading.Event | None = None
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self,
        plan: Plan,
        previous: Any = (),
        *,
        on_progress: Callable[[Progress], None] | None = None,
        cancel: threading.Event | None = None,
        **options: Any,
    ) -> SolveResult:
        self.calls.append({"plan": plan, "previous": tuple(previous), **options})
        self.cancel = cancel
        if on_progress is not None:
            on_progress(Progress(objective=7, bound=2, elapsed=0.5, stage="moves"))
        self.started.set()
        while not self.release.is_set() and not (cancel is not None and cancel.is_set()):
            self.release.wait(0.01)
        interrupted = cancel is not None and cancel.is_set()
        return attrs.evolve(self.result(plan), interrupted=interrupted)


def feasible(edit: Callable[[Plan], Plan]) -> Callable[[Plan], SolveResult]:
    """A result proposing `edit(plan)`."""

    def result(plan: Plan) -> SolveResult:
        return SolveResult(
            status=SolveStatus.FEASIBLE,
            plan=edit(plan),
            terms=(Term("moves", 1, 0, 1), Term("staff_changes", 0, 0, 1)),
        )

    return result


# Mypy narrows an attribute once a test asserts on it, and does not see that pressing a key
# changes it; reading state through these functions keeps each assertion about the present.


def now(app: ThiduaApp) -> ThiduaApp:
    """The app, read afresh (see above)."""
    return app


def broken(app: ThiduaApp) -> set[str]:
    """The rules the app's plan breaks now."""
    assert app.view is not None
    return {violation.rule for violation in app.view.violations}
