"""One unit: its kind, tags, group and role this year, its pins, and its past years."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey

from thidua.i18n import _
from thidua.model import Plan, Unit
from thidua.search import Kind
from thidua_tui.i18n import chair_word, deputy_word, kind_word
from thidua_tui.messages import JumpRequested
from thidua_tui.state import PlanView, Selection
from thidua_tui.widgets.frame_style import FrameStyle, update_in_place
from thidua_tui.wording import NONE, group_name, pin_text

__all__ = ["UnitDetail"]


def _role(plan: Plan, unit: str, group_id: str | None) -> str:
    group = plan.group_by_id.get(group_id) if group_id is not None else None
    if group is None:
        return ""
    if group.chair == unit:
        return chair_word(group.kind)
    if group.deputy == unit:
        return deputy_word(group.kind)
    return ""


class HistoryTable(FrameStyle, DataTable[str]):
    """The unit's group and role year by year."""

    def replace_row(self, key: str, cells: Sequence[str], before: Sequence[str]) -> bool:
        """Put `cells` in the row `key` in place of `before` (what it holds) when each new
        cell is as wide as the one it replaces, so the columns keep the widths a refill would
        give them; only that row is drawn again. False, and nothing done, otherwise."""
        if len(cells) != len(before) or any(
            cell_len(new) != cell_len(old) for new, old in zip(cells, before, strict=True)
        ):
            return False
        # `update_cell` would redraw the whole table (a dozen empty lines included): the
        # cells are set as it sets them, and only their row is drawn again.
        row = self._data[RowKey(key)]
        for column, new in zip(self.columns, cells, strict=True):
            row[column] = new
        self._update_count += 1
        self.refresh_row(self.get_row_index(key))
        return True


class UnitDetail(Vertical):
    """The selected unit, with its history in the previous plans (newest first)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._row_groups: list[str | None] = []  # the group each history row names

    def compose(self) -> ComposeResult:
        yield Static(id="unit-heading", classes="heading")
        yield Static(id="unit-facts")
        yield Static(_("Previous years"), classes="subheading")
        table = HistoryTable(id="unit-history", cursor_type="row", zebra_stripes=True)
        self._add_columns(table)
        yield table

    @staticmethod
    def _add_columns(table: HistoryTable) -> None:
        table.add_column(_("Year"), key="year")
        table.add_column(_("Group"), key="group")
        table.add_column(_("Role"), key="role")

    # What each part showed last: an edit redraws only the parts it changed. Most edits leave
    # the selected unit's heading, facts and past years as they were, and redrawing a table
    # costs more than the edit itself.
    _shown_heading: object = None
    _shown_facts: object = None
    _shown_history: tuple[str, str | None, tuple[str, str, str], tuple[Plan, ...]] | None = None
    _shown_subheading: str = ""

    def show(self, view: PlanView, unit_id: str) -> None:
        plan = view.plan
        unit = plan.unit_by_id[unit_id]
        if self._shown_heading != unit:
            self._shown_heading = unit
            self.query_one("#unit-heading", Static).update(
                Text.assemble((unit.name, "bold"), ("  " + unit.id, "dim"))
            )
        groups = plan.groups_of_unit.get(unit_id, ())
        pins = [pin_text(plan, p) for p in plan.pins if p.subject == unit_id]
        names = [group_name(plan, g) for g in groups]
        role = _role(plan, unit_id, groups[0] if len(groups) == 1 else None)
        facts_shown = (unit, tuple(names), role, tuple(pins))
        if self._shown_facts != facts_shown:
            self._shown_facts = facts_shown
            update_in_place(
                self.query_one("#unit-facts", Static), self._facts(unit, names, role, pins)
            )
        current = plan.group_of(unit_id)
        this_year = (
            _("{year} (this plan)").format(year=plan.year),
            group_name(plan, current),
            _role(plan, unit_id, current),
        )
        history_shown = (unit_id, current, this_year, view.previous)
        if self._shown_history == history_shown:
            return
        table = self.query_one("#unit-history", HistoryTable)
        shown = self._shown_history
        # Only this year's row changed (the unit moved): its cells are replaced in place when
        # the columns keep their widths, instead of refilling and redrawing the table.
        if (
            shown is not None
            and shown[0] == unit_id
            and shown[3] == view.previous
            and table.replace_row("0", this_year, shown[2])
        ):
            self._shown_history = history_shown
            self._row_groups[0] = current
            return
        # Refilled whole otherwise, so that its columns fit what they now hold: with its
        # columns anew, since a column keeps the widest cell it ever held (a unit moved out of
        # every group and back would keep the width of "no group").
        self._shown_history = history_shown
        table.clear(columns=True)
        self._add_columns(table)
        self._row_groups = [current]
        table.add_row(*this_year, key="0")
        for earlier in sorted(view.previous, key=lambda p: p.year, reverse=True):
            before = earlier.group_of(unit_id)
            self._row_groups.append(before)
            table.add_row(
                str(earlier.year),
                group_name(earlier, before) if unit_id in earlier.unit_by_id else NONE,
                _role(earlier, unit_id, before),
                key=str(len(self._row_groups) - 1),
            )
        subheading = (
            _("Previous years")
            if view.previous
            else _("No previous plans (give --previous, or use Open previous).")
        )
        if subheading != self._shown_subheading:
            self._shown_subheading = subheading
            self.query_one(".subheading", Static).update(subheading)

    @staticmethod
    def _facts(unit: Unit, names: list[str], role: str, pins: list[str]) -> Table:
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold")
        facts.add_column()
        facts.add_row(_("Kind"), kind_word(unit.kind))
        if unit.tags:
            facts.add_row(_("Tags"), ", ".join(unit.tags))
        facts.add_row(_("Group"), ", ".join(names) if names else NONE)
        if role:
            facts.add_row(_("Role"), role)
        if pins:
            facts.add_row(_("Pins"), "\n".join(pins))
        return facts

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Choosing a year shows the group the unit was in, when the group still exists."""
        event.stop()
        group = self._row_groups[int(event.row_key.value or 0)]
        if group is not None:
            self.post_message(JumpRequested(Selection(Kind.GROUP, group)))
