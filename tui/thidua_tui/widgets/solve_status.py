"""The solver's progress while it runs: stage, best objective, bound and elapsed time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from thidua.i18n import _
from thidua_tui.i18n import term_label

if TYPE_CHECKING:
    from thidua.solver import Progress

__all__ = ["SolveStatus"]


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


class SolveStatus(Vertical):
    """Shown only while the solver runs (the main screen shows and hides it); the bar is
    indeterminate because a search has no known length."""

    def compose(self) -> ComposeResult:
        yield Label(id="solve-line")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="solve-bar")

    def _say(self, text: str) -> None:
        # The line has a fixed size (see app.tcss), so new text needs no new layout: a layout
        # pass over a large plan's screen on every progress report would stall the display.
        self.query_one("#solve-line", Label).update(text, layout=False)

    def started(self) -> None:
        self._say(_("Solving: building the model…"))

    def progressed(self, progress: Progress) -> None:
        parts = [
            _("Solving"),
            _("stage: {stage}").format(stage=term_label(progress.stage)),
            _("objective {value}").format(value=_number(progress.objective)),
            _("bound {value}").format(value=_number(progress.bound)),
            _("{seconds:.1f} s").format(seconds=progress.elapsed),
        ]
        self._say(" · ".join(parts))

    def cancelling(self) -> None:
        self._say(_("Solving: stopping…"))
