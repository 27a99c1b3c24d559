"""Messages the widgets and the solver worker post; the app's handlers act on them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from thidua.model import Plan
from thidua_tui.state import Selection

if TYPE_CHECKING:
    from thidua.solver import Progress, SolveResult

__all__ = ["JumpRequested", "PlanSaved", "SelectionChanged", "SolveFinished", "SolveProgressed"]


class SelectionChanged(Message):
    """The planner moved the cursor onto a unit, a group or a person (None: onto a heading)."""

    def __init__(self, selection: Selection | None) -> None:
        super().__init__()
        self.selection = selection


class JumpRequested(Message):
    """Show this thing wherever it lives (from a violation, a search, a member list)."""

    def __init__(self, selection: Selection) -> None:
        super().__init__()
        self.selection = selection


class SolveProgressed(Message):
    """The solver found a better plan or a tighter bound (posted from the solver's thread)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class SolveFinished(Message):
    """The solver returned (`result`), or could not run (`error`)."""

    def __init__(self, result: SolveResult | None, error: str | None = None) -> None:
        super().__init__()
        self.result = result
        self.error = error


class PlanSaved(Message):
    """The save worker wrote `plan` to `path`, or failed with `error`."""

    def __init__(self, plan: Plan, path: Path, error: str | None) -> None:
        super().__init__()
        self.plan = plan
        self.path = path
        self.error = error
