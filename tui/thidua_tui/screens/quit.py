"""Quitting with unsaved edits: save and quit, quit without saving, or stay."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from thidua.i18n import N_, _
from thidua_tui.screens.base import LocalisedModal

__all__ = ["QuitChoice", "QuitScreen"]

QuitChoice = Literal["save", "discard"]


class QuitScreen(LocalisedModal[QuitChoice | None]):
    """Dismissed with "save", "discard", or None to stay."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "answer('save')", N_("Save and quit")),
        Binding("y", "answer('discard')", N_("Quit without saving")),
        Binding("n", "answer('')", N_("Stay"), show=False),
        Binding("escape", "answer('')", N_("Stay")),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("The plan has unsaved changes."), id="question")
            yield Label(
                _("s: save and quit · y: quit without saving · n, Esc: stay"), classes="hint"
            )
            with Horizontal(classes="buttons"):
                yield Button(_("Save and quit"), id="save", variant="primary")
                yield Button(_("Quit without saving"), id="discard", variant="error")
                yield Button(_("Stay"), id="stay")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def action_answer(self, choice: str) -> None:
        self.dismiss("save" if choice == "save" else "discard" if choice == "discard" else None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id or "")
