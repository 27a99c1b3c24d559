"""The default objective's terms for the plan as it stands, against the previous plan."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from thidua.i18n import _
from thidua.terms import CONTRACT_TERMS, TERMS, spread_by_kind
from thidua.vocabulary import is_block
from thidua_tui.i18n import term_label
from thidua_tui.state import PlanView
from thidua_tui.widgets.frame_style import update_in_place

__all__ = ["TermsPanel"]


class TermsPanel(Static):
    """Moves and staff changes against the most recent previous plan, the cohesion terms the
    plan configures, and the size spread of each kind of group: what the solver would
    minimise, in that order."""

    _shown: object = None

    def show(self, view: PlanView) -> None:
        last = view.last
        spreads = spread_by_kind(view.plan)
        shown = (dict(view.terms), last.year if last is not None else None, spreads)
        if shown == self._shown:
            return  # most edits change no term: skip the redraw
        self._shown = shown
        self.border_title = _("Objective")
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        grid.add_column(justify="right", style="bold")
        if last is None:
            grid.add_row(Text(_("No previous plan to compare."), style="dim"), "")
        else:
            grid.add_row(Text(_("Against {year}:").format(year=last.year), style="dim"), "")
            grid.add_row(_("Units moved"), str(view.terms["moves"]))
            grid.add_row(_("Staff changes"), str(view.terms["staff_changes"]))
        for term in TERMS:
            if term not in CONTRACT_TERMS and term.name in view.terms:
                grid.add_row(term_label(term.name), str(view.terms[term.name]))
        grid.add_row(_("Size spread"), str(view.terms["spread"]))
        # Per kind, with a colon: "Khối 3" alone would read as the name of a group.
        parts = [
            _("{groups}: {value}").format(
                groups=_("blocks") if is_block(kind) else _("clusters"), value=value
            )
            for kind, value in spreads.items()
        ]
        if len(parts) > 1:
            grid.add_row(Text("  " + " · ".join(parts), "dim"), "")
        update_in_place(self, grid)
