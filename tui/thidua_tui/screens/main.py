"""The main screen: the tree and the detail of what is selected, staff, the comparison with
last year, and below them the violations, the objective terms and the solver's progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, Header, Static, TabbedContent, TabPane

from thidua.i18n import _
from thidua.search import Kind
from thidua_tui.screens.base import LocalisedScreen
from thidua_tui.state import PlanView, Selection
from thidua_tui.widgets.diff_table import DiffTable
from thidua_tui.widgets.footer import KeysFooter
from thidua_tui.widgets.group_detail import GroupDetail
from thidua_tui.widgets.plan_tree import PlanTree
from thidua_tui.widgets.solve_status import SolveStatus
from thidua_tui.widgets.staff_table import StaffTable
from thidua_tui.widgets.terms_panel import TermsPanel
from thidua_tui.widgets.unit_detail import UnitDetail
from thidua_tui.widgets.violations import ViolationsPanel

__all__ = ["MainScreen"]

TABS = ("tab-plan", "tab-staff", "tab-compare")
# The footer's actions, most useful first: on a narrow terminal the last go first (F1 lists
# them all).
FOOTER_KEYS = (
    "help",
    "cancel_solve",
    "save",
    "undo",
    "solve",
    "move_unit",
    "assign_person",
    "set_chair",
    "find",
    "set_leader",
    "set_officer",
    "pin",
)


class MainScreen(LocalisedScreen[None]):
    """Shows what the app hands it; the app owns the plan, the history and the selection."""

    AUTO_FOCUS = "#plan-tree"

    def __init__(self) -> None:
        super().__init__()
        self._view: PlanView | None = None
        self._selection: Selection | None = None
        self._stale: set[str] = set()

    class Ready(Message):
        """The screen's widgets exist: the app can show the plan."""

    def on_mount(self) -> None:
        self.post_message(self.Ready())

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            _("No plan open. Press Ctrl+O to open a file, Ctrl+N to start a new plan."),
            id="no-plan",
        )
        with TabbedContent(id="tabs"):
            with TabPane(_("Clusters and blocks"), id="tab-plan"), Horizontal():
                yield PlanTree(id="plan-tree")
                with ContentSwitcher(initial="detail-hint", id="detail"):
                    yield Static(
                        _("Select a group or unit on the left to see it here."), id="detail-hint"
                    )
                    yield GroupDetail(id="group-detail")
                    yield UnitDetail(id="unit-detail")
            with TabPane(_("Staff"), id="tab-staff"):
                yield StaffTable(id="staff-table")
            with TabPane(_("Compare"), id="tab-compare"):
                yield DiffTable(id="compare")
        with Horizontal(id="bottom"):
            yield ViolationsPanel(id="violations")
            with Vertical(id="side"):
                yield TermsPanel(id="terms")
                yield SolveStatus(id="solve-status")
        yield KeysFooter(FOOTER_KEYS)

    def show(self, view: PlanView | None, selection: Selection | None) -> None:
        """Redraw for a new plan (after an edit, undo, open) with the cursor on `selection`.

        The staff and comparison tabs are redrawn when shown, not on every edit made while
        they are hidden.
        """
        self.set_class(view is None, "-empty")
        self._view, self._selection = view, selection
        if view is None:
            return
        self._stale = {"tab-staff", "tab-compare"}
        self.query_one(PlanTree).show(view, selection)
        self.query_one(ViolationsPanel).show(view)
        self.query_one(TermsPanel).show(view)
        self.show_detail(view, selection)
        self._refresh_tab(self.active_tab)

    def _refresh_tab(self, tab: str) -> None:
        view = self._view
        if view is None or tab not in self._stale:
            return
        self._stale.discard(tab)
        if tab == "tab-staff":
            selection = self._selection
            selected = selection.id if selection and selection.kind is Kind.STAFF else None
            self.query_one(StaffTable).show(view, selected)
        elif tab == "tab-compare":
            self.query_one(DiffTable).show(view)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            self._refresh_tab(event.pane.id)

    def show_detail(self, view: PlanView, selection: Selection | None) -> None:
        switcher = self.query_one("#detail", ContentSwitcher)
        kind = view.kind_of(selection.id) if selection is not None else None
        if selection is not None and selection.kind is Kind.GROUP and kind is Kind.GROUP:
            self.query_one(GroupDetail).show(view, selection.id)
            switcher.current = "group-detail"
            return
        if (
            selection is not None
            and selection.kind is Kind.UNIT
            and selection.id in view.plan.unit_by_id
        ):
            self.query_one(UnitDetail).show(view, selection.id)
            switcher.current = "unit-detail"
            return
        if switcher.current != "detail-hint" and (
            selection is None or selection.kind is not Kind.STAFF
        ):
            switcher.current = "detail-hint"

    def reveal(self, view: PlanView, selection: Selection) -> None:
        """Bring `selection` into view: the staff tab for a person, the tree otherwise."""
        tabs = self.query_one(TabbedContent)
        if selection.kind is Kind.STAFF:
            self._selection = selection
            tabs.active = "tab-staff"
            self._refresh_tab("tab-staff")
            table = self.query_one(StaffTable)
            table.select(selection.id)
            table.focus()
            return
        tabs.active = "tab-plan"
        tree = self.query_one(PlanTree)
        tree.reveal(selection)
        tree.focus()
        self.show_detail(view, selection)

    def show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._refresh_tab(tab)
        focus = {
            "tab-plan": "#plan-tree",
            "tab-staff": "#staff-table",
            "tab-compare": "#compare-table",
        }
        self.query_one(focus[tab]).focus()

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def solving(self, running: bool, time_limit: float | None = None) -> None:
        """Show or hide the solver's progress. Only that widget changes: toggling a class on
        the screen would restyle every widget, which takes a visible moment on a large plan."""
        status = self.query_one(SolveStatus)
        status.display = running
        if running:
            status.started(time_limit)
        else:
            status.stopped()
