"""The solver's proposal as a list of changes to the current plan, to accept whole or in part."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, SelectionList

from thidua.edits import Change
from thidua.i18n import N_, _
from thidua.model import Plan
from thidua_tui.screens.base import LocalisedModal
from thidua_tui.wording import change_row

__all__ = ["ProposalScreen"]


class ProposalScreen(LocalisedModal[tuple[Change, ...] | None]):
    """Every change starts selected; dismisses with the selected ones, or None to discard."""

    AUTO_FOCUS = "SelectionList"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "accept", N_("Accept"), priority=True),
        Binding("a", "select_all", N_("Select all")),
        Binding("n", "select_none", N_("Select none")),
        Binding("escape", "discard", N_("Discard")),
    ]

    def __init__(
        self, current: Plan, proposal: Plan, changes: Sequence[Change], summary: str
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.current = current
        self.proposal = proposal
        self.changes = tuple(changes)
        self.summary = summary

    def compose(self) -> ComposeResult:
        items = []
        for index, change in enumerate(self.changes):
            what, before, after = change_row(self.current, self.proposal, change)
            prompt = Text.assemble((what, "bold"), ": ", before, " → ", (after, "bold"))
            items.append((prompt, index, True))
        with Vertical(classes="dialog proposal"):
            yield Label(_("The solver's proposal"), classes="dialog-title")
            yield Label(self.summary, id="proposal-summary")
            yield Label(_("Pick the changes to accept (Space), then Enter."), classes="hint")
            yield SelectionList[int](*items, id="proposal-changes")
            with Horizontal(classes="buttons"):
                yield Button(_("Accept the selected changes"), id="accept", variant="primary")
                yield Button(_("Discard the proposal"), id="discard")

    @property
    def selected(self) -> tuple[Change, ...]:
        chosen = set(self.query_one(SelectionList).selected)
        return tuple(change for index, change in enumerate(self.changes) if index in chosen)

    def action_accept(self) -> None:
        # Enter is a priority key here (the list would take it to toggle a line), so on the
        # focused Discard button it has to mean what the button says.
        if self.focused is not None and self.focused.id == "discard":
            self.dismiss(None)
            return
        self.dismiss(self.selected)

    def action_discard(self) -> None:
        self.dismiss(None)

    def action_select_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_select_none(self) -> None:
        self.query_one(SelectionList).deselect_all()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "accept":
            self.action_accept()
        else:
            self.action_discard()
