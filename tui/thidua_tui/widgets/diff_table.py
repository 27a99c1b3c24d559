"""The plan against the previous year's: moves, groups and units added or removed, and changed
chairs, deputies, leaders and officers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from thidua.diff import diff
from thidua.i18n import _
from thidua_tui.state import PlanView
from thidua_tui.wording import diff_rows

__all__ = ["DiffTable"]


class DiffTable(Vertical):
    """One row per change, from the most recent previous plan to this one."""

    def compose(self) -> ComposeResult:
        yield Static(id="compare-heading", classes="heading")
        table: DataTable[str] = DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
        table.add_column(_("Change"), key="change")
        table.add_column(_("Before"), key="before")
        table.add_column(_("After"), key="after")
        yield table

    def show(self, view: PlanView) -> None:
        heading = self.query_one("#compare-heading", Static)
        table = self.query_one("#compare-table", DataTable)
        table.clear()
        last = view.last
        if last is None:
            heading.update(
                _("No previous plan to compare with. Give --previous, or use Open previous.")
            )
            table.display = False
            return
        rows = diff_rows(last, view.plan, diff(last, view.plan))
        table.display = bool(rows)
        if not rows:
            heading.update(_("Nothing changed since {year}.").format(year=last.year))
            return
        heading.update(_("Against {year}: {count}").format(year=last.year, count=len(rows)))
        for index, row in enumerate(rows):
            table.add_row(*row, key=str(index))
