"""The solver's progress while it runs: stage, best objective, bound and elapsed time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from thidua_tui.i18n import t, term_label

if TYPE_CHECKING:
    from thidua.solver import Progress

__all__ = ["SolveStatus"]


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


class SolveStatus(Vertical):
    """Shown only while the solver runs (the app toggles the `-solving` class on the screen);
    the bar is indeterminate because a search has no known length."""

    def compose(self) -> ComposeResult:
        yield Label(id="solve-line")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="solve-bar")

    def started(self) -> None:
        self.query_one("#solve-line", Label).update(f"{t('solve.running')}: {t('solve.waiting')}")

    def progressed(self, progress: Progress) -> None:
        parts = [
            t("solve.running"),
            t("solve.stage", stage=term_label(progress.stage)),
            t("solve.objective", value=_number(progress.objective)),
            t("solve.bound", value=_number(progress.bound)),
            t("solve.elapsed", seconds=progress.elapsed),
        ]
        self.query_one("#solve-line", Label).update(" · ".join(parts))

    def cancelling(self) -> None:
        self.query_one("#solve-line", Label).update(
            f"{t('solve.running')}: {t('solve.cancelling')}"
        )
