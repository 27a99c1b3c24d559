"""Small steps the interface tests share: select something, pick in a picker, read tables."""

from __future__ import annotations

import io

from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static

from thidua.search import Kind
from thidua_tui.app import ThiduaApp
from thidua_tui.screens.picker import PickerScreen
from thidua_tui.state import Selection

__all__ = ["cells", "choose", "options", "plain", "select"]


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


def options(pilot: Pilot[int]) -> list[str | None]:
    """The ids of the options the open picker shows."""
    screen = pilot.app.screen
    assert isinstance(screen, PickerScreen), screen
    listing = screen.query_one(OptionList)
    return [listing.get_option_at_index(i).id for i in range(listing.option_count)]


async def choose(pilot: Pilot[int], option_id: str) -> None:
    """Move the open picker's cursor to `option_id` with the arrow keys and press Enter."""
    screen = pilot.app.screen
    assert isinstance(screen, PickerScreen), screen
    listing = screen.query_one(OptionList)
    target = options(pilot).index(option_id)
    listing.focus()
    await pilot.press("home")
    await pilot.press(*["down"] * target, "enter")
    await pilot.pause()


def cells(table: DataTable[object], column: int = 0) -> list[str]:
    """The plain text of one column of a table, top to bottom."""
    return [str(getattr(row[column], "plain", row[column])) for row in _rows(table)]


def _rows(table: DataTable[object]) -> list[list[object]]:
    return [table.get_row_at(index) for index in range(table.row_count)]
