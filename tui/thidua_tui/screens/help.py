"""Every key of the main screen with what it does, then the keys of the dialogs that have
their own (the proposal's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from thidua.i18n import N_, _
from thidua_tui.screens.base import LocalisedModal

__all__ = ["HelpScreen", "KeyHelp", "KeySection"]

# (key as shown, short name, what it does)
KeyHelp = tuple[str, str, str]
# A dialog's own keys, under its name.
KeySection = tuple[str, Sequence[KeyHelp]]


class HelpScreen(LocalisedModal[None]):
    """The keys, passed in by the app (which owns the bindings), and how to open the palette."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        Binding("q", "close", N_("Close"), show=False),
        Binding("f1", "close", N_("Close"), show=False),
        Binding("question_mark", "close", N_("Close"), show=False),
    ]

    def __init__(self, keys: list[KeyHelp], sections: Sequence[KeySection] = ()) -> None:
        super().__init__(classes="dialog-screen")
        self.keys = keys
        self.sections = tuple(sections)

    def compose(self) -> ComposeResult:
        # A table per part, each with columns of its own: a part's title would otherwise widen
        # the keys' column of every other part.
        parts: list[Table | Text] = [_table(self.keys)]
        for title, keys in self.sections:
            parts += [Text("\n" + title, style="underline"), _table(keys)]
        listing = Group(*parts)
        with Vertical(classes="dialog help"):
            yield Label(_("Keys"), classes="dialog-title")
            with VerticalScroll():
                yield Static(listing, id="help-keys")
            yield Label(
                _("Ctrl+P opens the command palette: every action is there."), classes="hint"
            )

    def action_close(self) -> None:
        self.dismiss(None)


def _table(keys: Sequence[KeyHelp]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(style="bold")
    table.add_column()
    for key, name, description in keys:
        table.add_row(key, name, description)
    return table
