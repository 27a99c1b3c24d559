"""Everyone who can be put in charge: role, workload against the limit, groups, availability."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from thidua.i18n import N_, _
from thidua.search import Kind
from thidua_tui.messages import SelectionChanged
from thidua_tui.state import PlanView, Selection
from thidua_tui.wording import NONE, group_name

__all__ = ["StaffTable"]

SHORT_ROLES = {"leader": N_("Leader"), "officer": N_("Officer")}


class StaffTable(DataTable[str | Text]):
    """One row per person, keyed by id; a workload over the limit is shown as an error."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.add_column(_("Full name"), key="name")
        self.add_column(_("Role"), key="role")
        self.add_column(_("Load"), key="workload")
        self.add_column(_("Groups"), key="groups")
        self.add_column(_("Status"), key="status")
        self.add_column(_("Title"), key="title")  # last: long, and the figures matter more

    def show(self, view: PlanView, selected: str | None) -> None:
        plan = view.plan
        error = f"bold {self.app.current_theme.error or 'red'}"
        self.clear()
        for person in plan.staff:
            groups = plan.workload(person.id)
            limit = plan.max_groups(person)
            load = Text(_("{count}/{limit} groups").format(count=len(groups), limit=limit))
            if len(groups) > limit:
                load.stylize(error)
            status = Text("")
            if not person.available:
                status = Text(_("unavailable"), style=error if groups else "dim")
            name = Text(person.name)
            if person.id in view.flagged:
                name = Text.assemble(("⚠ ", error), name)
            self.add_row(
                name,
                _(SHORT_ROLES[person.role.value]),
                load,
                ", ".join(group_name(plan, g) for g in groups) or NONE,
                status,
                person.title or NONE,
                key=person.id,
            )
        if selected is not None:
            self.select(selected)

    def select(self, person: str) -> None:
        """Move the cursor to `person`'s row, if the plan has them."""
        try:
            row = self.get_row_index(person)
        except RowDoesNotExist:  # the person was removed by the edit just made
            return
        self.move_cursor(row=row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Only the planner's own cursor moves select: refilling the table after an edit, or
        while another tab is shown, must not take the selection away from the tree."""
        event.stop()
        if self.has_focus and event.row_key.value is not None:
            self.post_message(SelectionChanged(Selection(Kind.STAFF, event.row_key.value)))

    def on_focus(self) -> None:
        if self.row_count and 0 <= self.cursor_row < self.row_count:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            if key is not None:
                self.post_message(SelectionChanged(Selection(Kind.STAFF, key)))
