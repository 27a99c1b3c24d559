"""The year-end review (bình xét thi đua): each group's ranking from a score sheet, its leading
unit, the awards and next year's chair, to store in the plan as the year's results.

The ranking, the awards and the chairs are the core's (`thidua.documents.review`); this screen
only shows them, and hands the review back when the planner stores it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label

from thidua.i18n import N_, _
from thidua.model import Plan
from thidua_tui.screens.base import LocalisedModal
from thidua_tui.wording import NONE, group_name, unit_name

if TYPE_CHECKING:
    # The documents (score sheets, dispatches) load when a review is asked for, not with the
    # interface's first screen.
    from thidua.documents.review import Review

__all__ = ["ReviewScreen"]


def _score(value: float) -> str:
    return f"{value:g}"


class ReviewScreen(LocalisedModal["Review | None"]):
    """Dismissed with the review to store its results, or None to leave the plan as it is."""

    AUTO_FOCUS = "DataTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "store", N_("Store the results")),
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self, plan: Plan, outcome: Review, source: str) -> None:
        super().__init__(classes="dialog-screen")
        self.plan = plan
        self.outcome = outcome
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog review"):
            yield Label(
                _("Year-end review {year}").format(year=self.outcome.year), classes="dialog-title"
            )
            yield Label(_("Scores: {source}").format(source=self.source), classes="hint")
            yield DataTable[str | Text](id="review-table", cursor_type="row", zebra_stripes=True)
            for note in self.outcome.notes:
                yield Label(note, classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(_("Store the results"), id="store", variant="primary")
                yield Button(_("Close"), id="close")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The figures first: a long unit name must not push them out of an 80-column screen.
        table.add_column(_("Rank"), key="rank")
        table.add_column(_("Total"), key="total")
        table.add_column(_("Award"), key="award")
        table.add_column(_("Unit"), key="unit")
        table.add_column(_("Note"), key="note")
        plan = self.plan
        for group in self.outcome.groups:
            chair = unit_name(plan, group.next_chair) if group.next_chair else NONE
            heading = Text(group_name(plan, group.group), "bold underline")
            chair_note = Text(_("next year's chair: {unit}").format(unit=chair), "italic")
            table.add_row("", "", "", heading, chair_note, key=f"group:{group.group}")
            for ranked in group.ranking:
                notes = []
                if ranked.unit == group.leading_unit:
                    notes.append(_("leading unit"))
                if ranked.unit == group.next_chair:
                    notes.append(_("chair next year"))
                if not ranked.eligible:
                    notes.append(_("below the minimum score"))
                table.add_row(
                    str(ranked.rank),
                    _score(ranked.scores.total),
                    ranked.award or "",
                    unit_name(plan, ranked.unit),
                    ", ".join(notes),
                    key=f"{group.group}:{ranked.unit}",
                )
            for unit in group.unscored:
                table.add_row(
                    "", NONE, "", unit_name(plan, unit), _("no score"), key=f"{group.group}:{unit}"
                )

    def action_store(self) -> None:
        self.dismiss(self.outcome)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "store":
            self.action_store()
        else:
            self.action_close()
