"""The solver's progress while it runs: stage, best objective, bound and elapsed time."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
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
    indeterminate because a search has no known length. The line ticks every second, with the
    time allowed, between the solver's own reports."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.time_limit: float | None = None
        self._started = 0.0
        self._progress: Progress | None = None
        self._stopping = False
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label(id="solve-line")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="solve-bar")

    def _say(self, text: str) -> None:
        # The line has a fixed size (see app.tcss), so new text needs no new layout: a layout
        # pass over a large plan's screen on every progress report would stall the display.
        self.query_one("#solve-line", Label).update(text, layout=False)

    def started(self, time_limit: float | None = None) -> None:
        self.time_limit = time_limit
        self._started = time.monotonic()
        self._progress = None
        self._stopping = False
        if self._ticker is None:
            self._ticker = self.set_interval(1.0, self._tick)
        else:
            self._ticker.resume()
        self._tick()

    def stopped(self) -> None:
        if self._ticker is not None:
            self._ticker.pause()

    def progressed(self, progress: Progress) -> None:
        self._progress = progress
        self._tick()

    def cancelling(self) -> None:
        self._stopping = True
        self._tick()

    def _clock(self) -> str:
        elapsed = time.monotonic() - self._started
        if self.time_limit is None:
            return _("{seconds} s").format(seconds=int(elapsed))
        return _("{seconds} of {limit} s").format(
            seconds=int(elapsed), limit=f"{self.time_limit:g}"
        )

    def _tick(self) -> None:
        progress = self._progress
        if self._stopping:
            parts = [_("Stopping: keeping the best plan found so far")]
        elif progress is None:
            parts = [_("Looking for a plan: building the model")]
        else:
            parts = [
                _("Looking for a plan"),
                _("now: {stage}").format(stage=term_label(progress.stage)),
                _("best so far {value}").format(value=_number(progress.objective)),
                _("cannot go below {value}").format(value=_number(progress.bound)),
            ]
        parts.append(self._clock())
        self._say(" · ".join(parts))
