"""Find a unit, group or person by name, without typing diacritics."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from thidua.i18n import N_, _
from thidua.model import Plan
from thidua.search import Found, Kind, SearchIndex
from thidua_tui.screens.base import LocalisedModal
from thidua_tui.wording import group_name

__all__ = ["SearchScreen"]

KIND_NAMES = {"unit": N_("Unit"), "group": N_("Group"), "staff": N_("Person")}


class SearchScreen(LocalisedModal[Found | None]):
    """Results update on every key; Enter takes the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, plan: Plan, index: SearchIndex, query: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.plan = plan
        self.index = index
        self.query_text = query
        self._found: list[Found] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(_("Find"), classes="dialog-title")
            yield Input(
                self.query_text,
                placeholder=_("Find a unit, group or person (tan binh)"),
                id="search-input",
            )
            yield OptionList(id="search-results")
            yield Label("", id="search-status", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._update(self.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._update(event.value)

    def _update(self, query: str) -> None:
        self._found = self.index.search(query, limit=100)
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(
            Option(self._prompt(found), id=str(index)) for index, found in enumerate(self._found)
        )
        if self._found:
            results.highlighted = 0
        status = "" if self._found or not query.strip() else _("Nothing found.")
        self.query_one("#search-status", Label).update(status)

    def _prompt(self, found: Found) -> Text:
        where = ""
        if found.kind is Kind.UNIT:
            where = group_name(self.plan, self.plan.group_of(found.id))
        return Text.assemble(
            (f"{_(KIND_NAMES[found.kind.value])}: ", "dim"),
            (found.name, "bold"),
            (f"  {where}" if where else "", "dim"),
        )

    def on_key(self, event: events.Key) -> None:
        """Up and down move through the results while typing."""
        if event.key in ("up", "down") and isinstance(self.focused, Input):
            results = self.query_one(OptionList)
            if event.key == "down":
                results.action_cursor_down()
            else:
                results.action_cursor_up()
            event.stop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and self._found:
            self.dismiss(self._found[highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._found[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
