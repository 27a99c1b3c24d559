"""The Textual application (a first screen; the full interface grows here)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from thidua.files import load


class ThiduaApp(App[None]):
    TITLE = "thidua"

    def __init__(self, plan_path: Path | None = None) -> None:
        super().__init__()
        self.plan_path = plan_path

    def compose(self) -> ComposeResult:
        yield Header()
        text = "Chưa mở kế hoạch nào."
        if self.plan_path is not None:
            plan = load(self.plan_path)
            text = "\n".join(f"{g.name}: {len(g.members)} đơn vị" for g in plan.groups)
        yield Static(text)
        yield Footer()


def run_app(plan: Path | None, previous: list[Path], *, language: str = "vi") -> int:
    if plan is not None:
        load(plan)  # bad input fails here, before the terminal is taken over
    ThiduaApp(plan).run()
    return 0
