"""The draft dispatch (công văn) of the plan: a preview, then written as Markdown or Word.

The text is the core's (`thidua.documents.exporter`), in Vietnamese whatever the interface
language, as the document is; this screen shows it and says where to write it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

import attrs
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from thidua.i18n import N_, _
from thidua_tui.screens.base import LocalisedModal

__all__ = ["ExportChoice", "ExportScreen"]


@attrs.frozen
class ExportChoice:
    """Where to write the dispatch, and as what."""

    path: Path
    kind: Literal["md", "docx"]


class ExportScreen(LocalisedModal[ExportChoice | None]):
    """Dismissed with the file to write (Markdown or Word), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self, preview: str, suggested: Path) -> None:
        super().__init__(classes="dialog-screen")
        self.preview = preview
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog export"):
            yield Label(_("Draft dispatch"), classes="dialog-title")
            with VerticalScroll(id="export-preview"):
                yield Static(self.preview, markup=False)
            yield Input(str(self.suggested), placeholder=_("File path"), id="export-path")
            with Horizontal(classes="buttons"):
                yield Button(_("Write Word (.docx)"), id="docx", variant="primary")
                yield Button(_("Write Markdown (.md)"), id="md")
                yield Button(_("Close"), id="close")

    def action_close(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id not in ("docx", "md"):
            self.dismiss(None)
            return
        kind: Literal["md", "docx"] = "docx" if event.button.id == "docx" else "md"
        path = Path(self.query_one(Input).value.strip() or str(self.suggested))
        self.dismiss(ExportChoice(path.with_suffix(f".{kind}"), kind))
