"""Ask for a plan file's path: typed, or picked from the directory tree."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DirectoryTree, Input, Label

from thidua.i18n import N_, _
from thidua_tui.screens.base import LocalisedModal

__all__ = ["FileScreen"]


class PlanFiles(DirectoryTree):
    """Directories and TOML files only; hidden entries stay hidden."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".") and (path.is_dir() or path.suffix == ".toml")
        ]


class FileScreen(LocalisedModal[Path | None]):
    """For opening (`must_exist`) or saving as. Enter in the path box confirms; choosing a
    file in the tree fills the box, and a second Enter confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, title: str, start: Path, *, must_exist: bool) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.start = start
        self.must_exist = must_exist

    def compose(self) -> ComposeResult:
        directory = self.start if self.start.is_dir() else self.start.parent
        with Vertical(classes="dialog files"):
            yield Label(self.title_text, classes="dialog-title")
            value = "" if self.start.is_dir() else str(self.start)
            yield Input(value, placeholder=_("File path"), id="file-path")
            yield Label("", id="file-error", classes="error")
            yield PlanFiles(directory if str(directory) else Path("."), id="file-tree")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        box = self.query_one(Input)
        box.value = str(event.path)
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        problem = self._problem(path)
        if problem:
            self.query_one("#file-error", Label).update(problem)
            return
        self.dismiss(path)

    def _problem(self, path: Path) -> str:
        if path.is_dir():
            return _("That is a directory.")
        if self.must_exist and not path.exists():
            return _("No such file.")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            return _("No directory {path}.").format(path=parent)
        return ""

    def action_cancel(self) -> None:
        self.dismiss(None)
