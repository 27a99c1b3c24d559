"""The Textual application: review, edit, solve, compare and save a plan.

The app owns the state (the plan's undo history, the file it came from, the previous plans, the
selection) and every action; the screens and widgets only show it and report what the planner
points at. Every change to the plan goes through `thidua.edits`, every check through
`thidua.rules`, so the interface holds no rule of its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

import attrs
from rich.text import Text
from textual import work
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from thidua import edits
from thidua.diff import Move, RoleChange, diff
from thidua.edits import EditError, History
from thidua.errors import ThiduaError
from thidua.files import atomic_write, load, save
from thidua.i18n import N_, _, language, set_language
from thidua.model import Group, Pin, PinKind, Plan, Role, Unit
from thidua.search import Found, Kind, SearchIndex
from thidua_tui import autosave, pickers
from thidua_tui.commands import PlanCommands
from thidua_tui.i18n import chair_word, deputy_word, term_label, translate
from thidua_tui.messages import (
    JumpRequested,
    PlanSaved,
    SelectionChanged,
    SolveFinished,
    SolveProgressed,
)
from thidua_tui.screens.add_form import AddScreen, NewThing, What
from thidua_tui.screens.confirm import ConfirmScreen
from thidua_tui.screens.export import ExportChoice, ExportScreen
from thidua_tui.screens.file_dialog import FileScreen
from thidua_tui.screens.help import HelpScreen, KeyHelp
from thidua_tui.screens.main import MainScreen
from thidua_tui.screens.picker import Choice, Picked, PickerScreen
from thidua_tui.screens.proposal import ProposalScreen, Variant
from thidua_tui.screens.quit import QuitChoice, QuitScreen
from thidua_tui.screens.review import ReviewScreen
from thidua_tui.screens.search import SearchScreen
from thidua_tui.state import PlanView, Selection
from thidua_tui.widgets.solve_status import SolveStatus
from thidua_tui.widgets.violations import ViolationsPanel
from thidua_tui.wording import (
    change_reasons,
    group_name,
    person_name,
    pin_text,
    role_name,
    unit_name,
)

if TYPE_CHECKING:
    from thidua.documents.review import Review
    from thidua.solver import MoveReason, Progress, SolveResult, Term

__all__ = ["ThiduaApp", "run_app"]

T = TypeVar("T")

# How long the plan must stay unchanged before it is written to its autosave: long enough
# that a burst of edits costs one write, short enough that a kill loses seconds of work.
AUTOSAVE_DELAY = 2.0
# Seconds without a change after which the garbage collector's full collection runs.
IDLE_COLLECT_DELAY = 1.0

# How long after the first screen the solver is imported in the background (`warm_solver`).
WARM_SOLVER_AFTER = 2.0

# How long a solve may run when the command line does not say; the planner can stop it sooner.
DEFAULT_TIME_LIMIT = 60.0
# How many alternatives a solve asks for besides the best plan, for the planner to browse.
DEFAULT_ALTERNATIVES = 2

# Actions that need a plan to act on; without one they are hidden.
PLAN_ACTIONS = frozenset(
    {
        "find",
        "move_unit",
        "set_chair",
        "set_deputy",
        "set_leader",
        "set_officer",
        "assign_person",
        "pin",
        "add",
        "remove",
        "undo",
        "redo",
        "solve",
        "save",
        "save_as",
        "open_previous",
        "review",
        "export",
        "focus_violations",
        "show_tab",
    }
)
ADD_WHAT = {
    "group": N_("Group (block, cluster)"),
    "unit": N_("Unit"),
    "person": N_("Person"),
}
REMOVE_QUESTION = {
    "group": N_("Remove {name}? Its members will be in no group."),
    "unit": N_("Remove the unit {name} from the plan?"),
    "person": N_("Remove {name}? The groups in their charge will have nobody."),
}
GROUP_ACTIONS = frozenset({"set_chair", "set_deputy", "set_leader", "set_officer"})


class ThiduaApp(App[int]):
    """The planner's workbench for one plan at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "thidua"
    COMMANDS = App.COMMANDS | {PlanCommands}
    ENABLE_COMMAND_PALETTE = True
    # Screens get -short below 36 rows and -narrow below 110 columns: app.tcss tightens the
    # layout there so that everything stays within reach on an 80x24 terminal.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012 (Textual's ClassVar)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (as above)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find", N_("Find"), tooltip=N_("Find units, groups, people")),
        Binding("ctrl+f", "find", N_("Find"), show=False, tooltip=N_("Find units, groups, people")),
        Binding("m", "move_unit", N_("Move"), tooltip=N_("Move the selected unit")),
        Binding("c", "set_chair", N_("Chair"), tooltip=N_("Choose the group's chair")),
        Binding(
            "d", "set_deputy", N_("Deputy"), show=False, tooltip=N_("Choose the group's deputy")
        ),
        Binding("l", "set_leader", N_("Leader"), tooltip=N_("Put a leader in charge")),
        Binding("o", "set_officer", N_("Officer"), tooltip=N_("Put an officer in charge")),
        Binding(
            "g",
            "assign_person",
            N_("Assign"),
            tooltip=N_("Put the selected person in charge of a group (ranked by cost)"),
        ),
        Binding("p", "pin", N_("Pin"), tooltip=N_("Pin or unpin for the solver")),
        Binding("a", "add", N_("Add"), show=False, tooltip=N_("Add a group, unit or person")),
        Binding(
            "delete", "remove", N_("Remove"), show=False, tooltip=N_("Remove the selected item")
        ),
        Binding(
            "r",
            "review",
            N_("Review"),
            show=False,
            tooltip=N_("Year-end review from a score sheet"),
        ),
        Binding(
            "e",
            "export",
            N_("Export"),
            show=False,
            tooltip=N_("Draft dispatch: preview, Word, Markdown"),
        ),
        Binding("ctrl+z", "undo", N_("Undo"), tooltip=N_("Undo the last edit")),
        Binding("ctrl+y", "redo", N_("Redo"), show=False, tooltip=N_("Redo the undone edit")),
        Binding("f5", "solve", N_("Solve"), tooltip=N_("Run the solver for a proposal")),
        Binding(
            "escape", "cancel_solve", N_("Stop solver"), tooltip=N_("Stop, keep the best so far")
        ),
        Binding("ctrl+s", "save", N_("Save"), tooltip=N_("Save (comments kept)")),
        Binding("f12", "save_as", N_("Save as"), show=False, tooltip=N_("Save to another file")),
        Binding("ctrl+o", "open", N_("Open"), show=False, tooltip=N_("Open a plan file")),
        Binding(
            "f3",
            "open_previous",
            N_("Open previous"),
            show=False,
            tooltip=N_("Add a previous year's plan"),
        ),
        Binding(
            "ctrl+n", "new_plan", N_("New plan"), show=False, tooltip=N_("Start an empty plan")
        ),
        Binding(
            "v",
            "focus_violations",
            N_("Violations"),
            show=False,
            tooltip=N_("Go to the violations"),
        ),
        Binding(
            "1",
            "show_tab('tab-plan')",
            N_("Clusters and blocks"),
            show=False,
            tooltip=N_("Browse groups and units"),
        ),
        Binding(
            "2", "show_tab('tab-staff')", N_("Staff"), show=False, tooltip=N_("Staff and workloads")
        ),
        Binding(
            "3",
            "show_tab('tab-compare')",
            N_("Compare"),
            show=False,
            tooltip=N_("Compare with last year"),
        ),
        Binding(
            "f2",
            "switch_language",
            N_("Language"),
            show=False,
            tooltip=N_("Switch between Vietnamese and English"),
        ),
        Binding("f1", "help", N_("Help"), tooltip=N_("List the keys")),
        Binding("question_mark", "help", N_("Help"), show=False, tooltip=N_("List the keys")),
        Binding(
            "ctrl+q", "quit", N_("Quit"), show=False, priority=True, tooltip=N_("Quit the program")
        ),
    ]

    # The footer is rebuilt only when what the keys can do changes (see `_sync_bindings`), not
    # on every edit or cursor move: rebuilding it costs more than the edit itself.
    # None of these repaints the app by itself (`repaint=False`): a repaint of the app is a
    # repaint of the whole screen, every widget rendered again on every edit and cursor move,
    # while the widgets that show these values refresh their own lines.
    history: reactive[History | None] = reactive(None, always_update=True, repaint=False)
    selection: reactive[Selection | None] = reactive(None, repaint=False)
    dirty: reactive[bool] = reactive(False, repaint=False)
    solving: reactive[bool] = reactive(False, repaint=False)

    def __init__(
        self,
        plan: Plan | None = None,
        path: Path | None = None,
        previous: tuple[Plan, ...] = (),
        *,
        language: str = "vi",
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        alternatives: int = DEFAULT_ALTERNATIVES,
        autosave_dir: Path | None = None,
    ) -> None:
        set_language(language)
        super().__init__()
        self.autosave_dir = autosave_dir if autosave_dir is not None else autosave.autosave_dir()
        self._autosave_timer: Timer | None = None
        # The autosave this session wrote, the only one it may remove: an autosave found at
        # start belongs to an earlier session until the planner answers about it.
        self._autosave_slot: Path | None = None
        self._solved_from: Plan | None = None
        self._quit_after_save: Callable[[], None] | None = None  # "save and quit" asked
        self.path = path
        self.source = path  # the file whose layout and comments saving keeps
        self.saved_plan = plan
        self.previous = tuple(sorted(previous, key=lambda p: p.year))
        self.time_limit = time_limit
        self.alternatives = alternatives
        self.view: PlanView | None = None
        self.main = MainScreen()
        self._index: tuple[Plan, SearchIndex] | None = None
        self._cancel: threading.Event | None = None
        self._initial = plan
        self._binding_state: tuple[object, ...] = ()
        self._idle_collect: Timer | None = None

    def get_default_screen(self) -> Screen[None]:
        return self.main

    def on_main_screen_ready(self) -> None:
        if self._initial is not None:
            self.start_plan(self._initial, self.path)
        else:
            self._show()
        self.offer_autosave()
        self.set_timer(WARM_SOLVER_AFTER, self.warm_solver)

    @work(thread=True, group="warm", exit_on_error=False, description="load the solver")
    def warm_solver(self) -> None:
        """Import the solver (OR-Tools, a second of imports that hold the interpreter lock in
        long stretches) a moment after the first screen is up, rather than when the planner
        presses F5: the screen would otherwise stall at the start of the first solve. Not at
        once: the first screen's last frames would wait for those imports."""
        with contextlib.suppress(ImportError):  # reported when a solve is asked for
            import thidua.solver  # noqa: F401 (imported for its side effect: loading it)
        if self.is_running:  # the solver's modules are long-lived too (unless the app ended)
            self.freeze_heap()

    def freeze_heap(self) -> None:
        """Take what is alive now (the plan and its lookups, the widgets, the modules) out of
        the garbage collector's view. A full collection walks every tracked object; with the
        ~160,000 of a running app it stalled an edit's redraw by 100-200 ms every few edits.
        Frozen objects are still freed by reference counting; `_collect` collects the cycles
        among them when the edits pause, and `on_unmount` unfreezes them."""
        gc.freeze()

    def _freeze_until_idle(self) -> None:
        """Before a change or an action allocates: what is alive now frozen, and the full
        collection put off until keys and changes pause (`_collect_when_idle`)."""
        self.freeze_heap()
        self._collect_when_idle()

    def _collect_when_idle(self) -> None:
        """After a change, once no other came for `IDLE_COLLECT_DELAY`: everything collected
        at once, the frozen too (a cycle frozen once may since have become garbage), at a
        moment no edit waits for."""
        if self._idle_collect is not None:
            self._idle_collect.stop()
        self._idle_collect = self.set_timer(IDLE_COLLECT_DELAY, self._collect)

    def _collect(self) -> None:
        self._idle_collect = None
        gc.unfreeze()
        gc.collect()
        self.freeze_heap()  # what survived is long-lived: the plans undo keeps, the widgets

    def on_unmount(self) -> None:
        gc.unfreeze()  # another app in this process (tests) starts with a collectable heap

    def get_key_display(self, binding: Binding) -> str:
        """Function keys as printed on the keyboard (F5, not f5)."""
        display = super().get_key_display(binding)
        return display.upper() if display.startswith("f") and display[1:].isdigit() else display

    # ---------------------------------------------------------------------------------------
    # State

    @property
    def plan(self) -> Plan | None:
        return self.history.plan if self.history is not None else None

    def watch_history(self, history: History | None) -> None:
        """Every plan change (edit, undo, redo, open, accept) lands here: re-validate once,
        recount the terms, and redraw."""
        # What the last edit left is out of the collector's sight before this one allocates:
        # otherwise it piles up in the old generation between pauses, and a full collection
        # over it (20-60 ms) landed inside an edit's redraw every few edits. Freezing costs
        # nothing (it moves lists); `_collect` frees the garbage among it once edits pause.
        self._freeze_until_idle()
        if history is None:
            self.view = None
        else:
            self.view = PlanView.of(history.plan, self.previous)
            if self.selection is not None and self.view.kind_of(self.selection.id) is None:
                self.selection = None
        self.dirty = history is not None and history.plan != self.saved_plan
        self._show()
        self._sync_bindings()
        self._schedule_autosave()

    def watch_selection(self) -> None:
        self._sync_bindings()

    def watch_solving(self) -> None:
        self._sync_bindings()

    def _sync_bindings(self) -> None:
        """Refresh the footer when, and only when, `check_action`'s answers may change."""
        history = self.history
        state = (
            history is None,
            history is not None and history.can_undo,
            history is not None and history.can_redo,
            self.selection.kind if self.selection is not None else None,
            self.solving,
        )
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def _show(self) -> None:
        if self.main.is_mounted:
            self.main.show(self.view, self.selection)
        self._update_title()

    def watch_dirty(self) -> None:
        self._update_title()

    def _update_title(self) -> None:
        name = self.path.name if self.path is not None else ""
        marker = " ●" if self.dirty else ""
        self.title = f"thidua · {name}{marker}" if name else f"thidua{marker}"
        plan = self.plan
        parts = [_("year {year}").format(year=plan.year)] if plan is not None else []
        if self.dirty:
            parts.append(_("unsaved"))
        self.sub_title = " · ".join(parts)

    def start_plan(self, plan: Plan, path: Path | None) -> None:
        """Show a freshly opened (or new) plan, with a fresh history."""
        self._drop_autosave()  # the edits of the plan shown so far were saved or given up
        self.path = path
        self.source = path
        self.saved_plan = plan if path is not None else None
        self.selection = None
        self.history = History.start(plan)
        if plan.groups:
            # Open on the first group, so the first screen already shows a group in full.
            self.jump(Selection(Kind.GROUP, plan.groups[0].id))
        self.call_after_refresh(self.freeze_heap)

    def apply(self, edit: Callable[[Plan], Plan], label: str) -> bool:
        """Run one edit on the current plan and record it for undo; an edit the core refuses
        is reported and changes nothing."""
        if self.history is None:
            return False
        try:
            plan = edit(self.history.plan)
        except (EditError, ThiduaError) as error:
            self.notify(_("Cannot do that: {error}").format(error=error), severity="error")
            return False
        self.history = self.history.push(plan, label)
        return True

    # ---------------------------------------------------------------------------------------
    # What the planner points at

    def on_selection_changed(self, message: SelectionChanged) -> None:
        self.selection = message.selection
        if self.view is not None:
            self.main.show_detail(self.view, message.selection)

    def on_jump_requested(self, message: JumpRequested) -> None:
        self.jump(message.selection)

    def jump(self, selection: Selection) -> None:
        if self.view is None or self.view.kind_of(selection.id) is None:
            return
        self.selection = selection
        self.main.reveal(self.view, selection)

    def _selected(self, kind: Kind) -> str | None:
        selection = self.selection
        return selection.id if selection is not None and selection.kind is kind else None

    def _target_group(self) -> str | None:
        """The group an edit applies to: the selected group, or the selected unit's."""
        if self.plan is None or self.selection is None:
            return None
        if self.selection.kind is Kind.GROUP:
            return self.selection.id
        if self.selection.kind is Kind.UNIT:
            return self.plan.group_of(self.selection.id)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what does not apply to the plan and the selection; grey out undo and redo
        when there is nothing to take back, so their keys stay where the planner expects."""
        if action in PLAN_ACTIONS and self.history is None:
            return False
        if action == "move_unit":
            return self._selected(Kind.UNIT) is not None
        if action in GROUP_ACTIONS:
            return self._selected(Kind.GROUP) is not None
        if action == "assign_person":
            return self._selected(Kind.STAFF) is not None
        if action in ("pin", "remove"):
            return self.selection is not None
        if action == "undo":
            return None if self.history is None or not self.history.can_undo else True
        if action == "redo":
            return None if self.history is None or not self.history.can_redo else True
        if action == "solve":
            return not self.solving
        if action == "cancel_solve":
            return self.solving
        return True

    # ---------------------------------------------------------------------------------------
    # Surviving our own errors

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key, palette command and click runs here: an error in one is reported and
        the session goes on with the plan as it was, instead of ending and losing the edits."""
        # What is alive before the action is long-lived (the plan, the widgets, the tree's
        # drawn lines): out of the collector's sight before the action allocates, as at each
        # plan change (`watch_history`); a picker on a large plan otherwise met a full
        # collection over it every other opening. Garbage among it is freed once keys pause.
        self._freeze_until_idle()
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # any bug: the planner's work comes first
            self.report_error(error)
            return True

    def ask(self, screen: Screen[T], then: Callable[[T | None], None]) -> None:
        """Show a dialog and hand its answer to `then`, guarded as actions are."""

        def answered(result: T | None) -> None:
            try:
                then(result)
            except Exception as error:  # as in run_action
                self.report_error(error)

        self.push_screen(screen, answered)

    def report_error(self, error: BaseException) -> None:
        """Say what went wrong, keep its traceback for a bug report, and keep the plan safe."""
        log = self.autosave_dir / "errors.log"
        with contextlib.suppress(OSError):
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
                handle.write("".join(traceback.format_exception(error)))
        self.save_autosave_now()
        message = _(
            "Something went wrong: {error}. The plan is as it was before; "
            "Ctrl+S saves it. Details: {log}"
        ).format(error=f"{type(error).__name__}: {error}", log=log)
        self.notify(message, severity="error", timeout=20)

    def _handle_exception(self, error: Exception) -> None:
        """An error no guard caught ends the session (Textual's rule): write the autosave
        first, so the next start offers the edits back."""
        with contextlib.suppress(Exception):
            self.save_autosave_now()
        super()._handle_exception(error)

    # ---------------------------------------------------------------------------------------
    # Autosave

    def _schedule_autosave(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        if self.history is None:
            return
        if not self.dirty:
            self._drop_autosave()
            return
        self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave_due)

    def _autosave_due(self) -> None:
        self._autosave_timer = None
        if self.dirty and self.plan is not None:
            self._autosave_slot = autosave.slot_for(self.path, self.autosave_dir)
            self.write_autosave(self.plan, self.path)

    @work(thread=True, exclusive=True, group="autosave", exit_on_error=False)
    def write_autosave(self, plan: Plan, path: Path | None) -> None:
        """Runs on a worker thread: a large plan takes a moment to write."""
        with contextlib.suppress(OSError):
            autosave.write(plan, path, self.autosave_dir)

    def save_autosave_now(self) -> None:
        """Write the autosave at once (after an error; on the event loop, it must not wait)."""
        if self.dirty and self.plan is not None:
            with contextlib.suppress(OSError):
                self._autosave_slot = autosave.write(self.plan, self.path, self.autosave_dir)

    def _drop_autosave(self) -> None:
        if self._autosave_slot is not None:
            with contextlib.suppress(OSError):
                self._autosave_slot.unlink(missing_ok=True)
            self._autosave_slot = None

    def offer_autosave(self) -> None:
        """After a crash or a kill, offer the edits the last session did not save."""
        found = autosave.Autosave.find(self.path, self.autosave_dir)
        if found is None:
            return
        try:
            kept = found.load()
        except ThiduaError as error:
            self.notify(
                _("An autosave could not be read ({error}); it is left in {path}.").format(
                    error=error, path=found.path
                ),
                severity="warning",
                timeout=10,
            )
            return
        if kept == self.plan:
            found.remove()  # nothing in it the file does not have
            return
        when = found.saved_at.strftime("%H:%M %d/%m/%Y")
        question = _(
            "Edits made at {time} were not saved (the program was closed or crashed). Restore them?"
        ).format(time=when)

        def answered(yes: bool | None) -> None:
            if yes:
                self._autosave_slot = found.path  # ours now: saving or quitting removes it
                self.restore(kept)
            else:
                # Kept aside rather than deleted: nothing the planner made is ever lost.
                with contextlib.suppress(OSError):
                    found.path.replace(found.path.with_suffix(".discarded.toml"))

        self.ask(ConfirmScreen(question), answered)

    def restore(self, kept: Plan) -> None:
        """Take an autosave's plan as an edit, so that undo goes back to the file's."""
        if self.history is None:
            self.history = History.start(kept)
        else:
            self.history = self.history.push(kept, _("restore the autosave"))
        self.notify(_("Unsaved edits restored."), timeout=4)

    # ---------------------------------------------------------------------------------------
    # Language, and Textual's own words in it

    async def action_switch_language(self) -> None:
        """Vietnamese to English and back, while the plan stays as it is: the main screen is
        composed again so that every label is said anew."""
        set_language("en" if language() == "vi" else "vi")
        await self.main.recompose()
        self._binding_state = ()
        self._show()
        self._sync_bindings()
        if self.selection is not None and self.view is not None:
            self.main.reveal(self.view, self.selection)
        self.notify(_("The interface is now in English."), timeout=3)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's palette entries, in the interface language."""
        yield SystemCommand(_("Theme"), _("Change the colours"), self.action_change_theme)
        yield SystemCommand(
            _("Language"), _("Switch between Vietnamese and English"), self.action_switch_language
        )
        yield SystemCommand(_("Quit"), _("Quit the program"), self.action_quit)
        yield SystemCommand(
            _("Screenshot"),
            _("Save a picture (SVG) of the screen"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            placeholder = _("Search for commands…")
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies): say which key does."""
        self.notify(_("Press Ctrl+Q to quit."), title=_("Quit?"))

    # ---------------------------------------------------------------------------------------
    # Browsing

    def action_help(self) -> None:
        """The main screen's keys, then the proposal's (its `[` and `]` among them)."""
        proposal = (_("In the solver's proposal"), self._keys_help(ProposalScreen.BINDINGS))
        self.push_screen(HelpScreen(self._keys_help(self.BINDINGS), [proposal]))

    def _keys_help(self, bindings: Iterable[BindingType]) -> list[KeyHelp]:
        return [
            (self.get_key_display(binding), _(binding.description), translate(binding.tooltip))
            for binding in bindings
            if isinstance(binding, Binding) and binding.description
        ]

    def action_find(self) -> None:
        plan = self.plan
        if plan is None:
            return
        if self._index is None or self._index[0] is not plan:
            self._index = (plan, SearchIndex(plan))
        self.ask(SearchScreen(plan, self._index[1]), self._found)

    def _found(self, found: Found | None) -> None:
        if found is not None:
            self.jump(Selection(found.kind, found.id))

    def action_focus_violations(self) -> None:
        self.main.query_one(ViolationsPanel).focus()

    def action_show_tab(self, tab: str) -> None:
        self.main.show_tab(tab)

    # ---------------------------------------------------------------------------------------
    # Editing

    def action_move_unit(self) -> None:
        plan, unit = self.plan, self._selected(Kind.UNIT)
        if plan is None or unit is None:
            return
        choices = pickers.move_choices(plan, self.previous, unit)
        name = unit_name(plan, unit)
        title = _("Move {unit} to").format(unit=name)

        def moved(picked: Picked | None) -> None:
            if picked is None:
                return
            target = picked.value
            self.apply(
                lambda p: _kept_by_hand(
                    edits.move_unit(p, unit, target),
                    Pin.unit_in(unit, target) if target is not None else None,
                    lambda pin: (
                        pin.subject == unit
                        and pin.kind is not PinKind.STAFF
                        and pin.group != target
                    ),
                ),
                _("move {unit}").format(unit=name),
            )

        self.ask(PickerScreen(title, choices), moved)

    def action_set_chair(self) -> None:
        self._pick_unit_role("chair")

    def action_set_deputy(self) -> None:
        self._pick_unit_role("deputy")

    def _pick_unit_role(self, role: str) -> None:
        plan, group_id = self.plan, self._selected(Kind.GROUP)
        if plan is None or group_id is None:
            return
        group = plan.group_by_id[group_id]
        choices = pickers.unit_role_choices(plan, self.previous, group_id, role)
        word = chair_word(group.kind) if role == "chair" else deputy_word(group.kind)
        title = _("Choose the {role} of {group}").format(role=word.lower(), group=group.name)
        setter = edits.set_chair if role == "chair" else edits.set_deputy
        label = _("{role} of {group}").format(role=word, group=group.name)

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            chosen_unit = picked.value
            if role != "chair":  # a deputy has no pin of its own
                self.apply(lambda p: setter(p, group_id, chosen_unit), label)
                return
            self.apply(
                lambda p: _kept_by_hand(
                    setter(p, group_id, chosen_unit),
                    Pin.chair_of(chosen_unit, group_id) if chosen_unit is not None else None,
                    lambda pin: pin.kind is PinKind.CHAIR and pin.group == group_id,
                ),
                label,
            )

        self.ask(PickerScreen(title, choices), chosen)

    def action_set_leader(self) -> None:
        self._pick_staff(Role.LEADER)

    def action_set_officer(self) -> None:
        self._pick_staff(Role.OFFICER)

    def _pick_staff(self, role: Role) -> None:
        plan, group_id = self.plan, self._selected(Kind.GROUP)
        if plan is None or group_id is None:
            return
        group = plan.group_by_id[group_id]
        choices = pickers.staff_choices(plan, self.previous, group_id, role)
        word = role_name(role.value, group.kind)
        title = _("Choose the {role} of {group}").format(role=word.lower(), group=group.name)
        label = _("{role} of {group}").format(role=word, group=group.name)

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                person = picked.value
                self.apply(lambda p: _staffed_by_hand(p, group_id, role, person), label)

        self.ask(PickerScreen(title, choices), chosen)

    def action_assign_person(self) -> None:
        """From the staff tab: the groups the selected person could take charge of, ranked."""
        plan, person_id = self.plan, self._selected(Kind.STAFF)
        if plan is None or person_id is None:
            return
        person = plan.staff_by_id[person_id]
        choices = pickers.assignment_choices(plan, self.previous, person_id)
        title = _("Put {person} in charge of").format(person=person.name)

        def chosen(picked: Picked | None) -> None:
            if picked is None or picked.value is None:
                return
            group = plan.group_by_id[picked.value]
            word = role_name(person.role.value, group.kind)
            self.apply(
                lambda p: _staffed_by_hand(p, group.id, person.role, person_id),
                _("{role} of {group}").format(role=word, group=group.name),
            )

        self.ask(PickerScreen(title, choices), chosen)

    def action_pin(self) -> None:
        plan, selection = self.plan, self.selection
        if plan is None or selection is None:
            return
        options = edits.pin_options(plan, selection.id)
        choices = [
            Choice(
                str(index),
                _prompt(pin_text(plan, pin), "", _("pinned now") if pinned else _("not pinned")),
                pin_text(plan, pin),
            )
            for index, (pin, pinned) in enumerate(options)
        ]
        name = self._name_of(selection)
        title = _("Pins for {name}").format(name=name)

        def toggled(picked: Picked | None) -> None:
            if picked is None or picked.value is None:
                return
            pin, pinned = options[int(picked.value)]
            if pinned:
                self.apply(lambda p: edits.unpin(p, pin), _("unpin {name}").format(name=name))
            else:
                self.apply(lambda p: edits.pin(p, pin), _("pin {name}").format(name=name))

        self.ask(PickerScreen(title, choices), toggled)

    def action_add(self) -> None:
        if self.plan is None:
            return
        choices = [Choice(what, _plain(_(ADD_WHAT[what]))) for what in ("group", "unit", "person")]

        def chosen(picked: Picked | None) -> None:
            if picked is not None and picked.value in ("group", "unit", "person"):
                self._add(picked.value)  # type: ignore[arg-type]

        self.ask(PickerScreen(_("Add what?"), choices), chosen)

    def _add(self, what: What) -> None:
        plan = self.plan
        if plan is None:
            return

        def made(new: NewThing | None) -> None:
            if new is None:
                return
            thing, label = new.thing, _("add {name}").format(name=new.thing.name)
            if isinstance(thing, Group):
                added = self.apply(lambda p: edits.add_group(p, thing), label)
                kind = Kind.GROUP
            elif isinstance(thing, Unit):
                added = self.apply(lambda p: edits.add_unit(p, thing, new.group), label)
                kind = Kind.UNIT
            else:
                added = self.apply(lambda p: edits.add_person(p, thing), label)
                kind = Kind.STAFF
            if added:
                self.jump(Selection(kind, thing.id))

        self.ask(AddScreen(what, plan, group=self._target_group()), made)

    def action_remove(self) -> None:
        plan, selection = self.plan, self.selection
        if plan is None or selection is None:
            return
        name = self._name_of(selection)
        remove = {
            Kind.GROUP: edits.remove_group,
            Kind.UNIT: edits.remove_unit,
            Kind.STAFF: edits.remove_person,
        }[selection.kind]
        what = "person" if selection.kind is Kind.STAFF else selection.kind.value
        question = _(REMOVE_QUESTION[what]).format(name=name)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.apply(lambda p: remove(p, selection.id), _("remove {name}").format(name=name))

        self.ask(ConfirmScreen(question), confirmed)

    def _name_of(self, selection: Selection) -> str:
        plan = self.plan
        if plan is None:
            return selection.id
        if selection.kind is Kind.GROUP:
            return group_name(plan, selection.id)
        if selection.kind is Kind.UNIT:
            return unit_name(plan, selection.id)
        return person_name(plan, selection.id)

    def action_review(self) -> None:
        """The year-end review: pick the score sheet, see each group's ranking, store it."""
        plan = self.plan
        if plan is None:
            return
        start = self.path.parent if self.path is not None else Path.cwd()

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.show_review(path)

        self.ask(
            FileScreen(_("Open the score sheet (.csv, .xlsx)"), start, must_exist=True), chosen
        )

    def show_review(self, path: Path) -> None:
        plan = self.plan
        if plan is None:
            return
        from thidua.documents.review import review
        from thidua.documents.scores import read_scores

        try:
            outcome = review(plan, read_scores(path, plan), self.previous)
        except ThiduaError as error:
            self.notify(str(error), severity="error", timeout=10)
            return

        def stored(kept: Review | None) -> None:
            if kept is not None and self.apply(kept.apply, _("store the review")):
                self.notify(_("The review's results are in the plan; save to keep them."))

        self.ask(ReviewScreen(plan, outcome, path.name), stored)

    def action_export(self) -> None:
        """The draft dispatch: a preview, then written as Word or Markdown."""
        plan = self.plan
        if plan is None:
            return
        from thidua.documents.exporter import render_text

        folder = self.path.parent if self.path is not None else Path.cwd()
        suggested = folder / f"cong-van-{plan.year}.docx"

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None and self.plan is not None:
                self.write_dispatch(self.plan, choice)

        self.ask(ExportScreen(render_text(plan), suggested), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, description="export")
    def write_dispatch(self, plan: Plan, choice: ExportChoice) -> None:
        """Runs on a worker thread (python-docx takes a moment to load); posts the outcome."""
        try:
            if choice.kind == "docx":
                from thidua.documents.word import write_docx

                write_docx(plan, choice.path)
            else:
                from thidua.documents.exporter import render_markdown

                atomic_write(choice.path, render_markdown(plan))
        except (ThiduaError, OSError) as error:
            self.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        message = _("Wrote {path}").format(path=choice.path)
        self.call_from_thread(self.notify, message, timeout=4)

    def action_undo(self) -> None:
        if self.history is not None and self.history.can_undo:
            label = self.history.undo_label
            self.history = self.history.undo()
            self.notify(_("Undone: {label}").format(label=label), timeout=2)

    def action_redo(self) -> None:
        if self.history is not None and self.history.can_redo:
            label = self.history.redo_label
            self.history = self.history.redo()
            self.notify(_("Redone: {label}").format(label=label), timeout=2)

    # ---------------------------------------------------------------------------------------
    # Solving

    def action_solve(self) -> None:
        plan = self.plan
        if plan is None or self.solving:
            return
        self._cancel = threading.Event()
        self._solved_from = plan  # to tell edits made while the solver runs
        self.solving = True
        self.main.solving(True, self.time_limit)
        self.run_solver(plan, self.previous, self._cancel, self.time_limit, self.alternatives)

    @work(thread=True, exclusive=True, group="solver", exit_on_error=False, description="solve")
    def run_solver(
        self,
        plan: Plan,
        previous: tuple[Plan, ...],
        cancel: threading.Event,
        time_limit: float | None,
        alternatives: int = 0,
    ) -> None:
        """Runs on a worker thread: calls the solver and only posts messages back."""
        try:
            from thidua import solver  # OR-Tools loads here, off the event loop
        except ImportError as error:
            self.post_message(
                SolveFinished(None, _("The solver is not available: {error}").format(error=error))
            )
            return

        def progressed(progress: Progress) -> None:
            self.post_message(SolveProgressed(progress))  # thread-safe; the handler redraws

        try:
            result = solver.solve(
                plan,
                previous,
                time_limit=time_limit,
                on_progress=progressed,
                cancel=cancel,
                alternatives=alternatives,
            )
        except ThiduaError as error:
            self.post_message(
                SolveFinished(None, _("The solver failed: {error}").format(error=error))
            )
            return
        self.post_message(SolveFinished(result))

    def action_cancel_solve(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.main.query_one(SolveStatus).cancelling()

    def on_solve_progressed(self, message: SolveProgressed) -> None:
        self.main.query_one(SolveStatus).progressed(message.progress)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A solver that crashed (rather than reporting a ThiduaError) must not leave the app
        believing it is still solving."""
        if event.worker.group == "solver" and event.state is WorkerState.ERROR:
            self._solve_ended()
            self.notify(
                _("The solver failed: {error}").format(error=event.worker.error), severity="error"
            )

    def _solve_ended(self) -> None:
        self.solving = False
        self._cancel = None
        self.main.solving(False)

    def on_solve_finished(self, message: SolveFinished) -> None:
        self._solve_ended()
        if message.error is not None or message.result is None:
            self.notify(message.error or "", severity="error", timeout=8)
            return
        self.propose(message.result)

    def propose(self, result: SolveResult) -> None:
        """Show a solver result as changes to the current plan, for the planner to accept; its
        alternatives, if any, can be shown instead (`[` and `]`), and accepting takes the one
        shown."""
        plan = self.plan
        if plan is None:
            return
        if result.plan is None:
            if result.conflict:
                messages = "; ".join(conflict.message for conflict in result.conflict)
                self.notify(
                    _("No plan satisfies every rule: {message}").format(message=messages),
                    severity="error",
                    timeout=15,
                )
            else:
                self.notify(
                    _("The solver found no plan in the time allowed."),
                    severity="warning",
                    timeout=8,
                )
            return
        quality = (
            _("optimal (proven)") if result.proven_optimal else _("feasible, not proven optimal")
        )
        if result.interrupted:
            quality += ", " + _("stopped early")
        best = self._variant(plan, result.plan, result.terms, quality, result.reasons)
        if not best.changes:
            self.notify(_("The proposal changes nothing."))
            return
        others = tuple(
            self._variant(
                plan, alternative.plan, alternative.terms, _("an alternative"), alternative.reasons
            )
            for alternative in result.alternatives
        )

        def accepted(selected: tuple[edits.Change, ...] | None) -> None:
            if selected is None:
                self.notify(_("Proposal discarded."), timeout=3)
                return
            # The proposal shown when the planner accepted: the best one or an alternative.
            proposal = screen.proposal
            whole = (
                not screen.warning
                and len(selected) == len(screen.changes)
                and [g.id for g in proposal.groups] == [g.id for g in plan.groups]
            )

            def edit(current: Plan) -> Plan:
                if whole:
                    # Take the solver's groups as they are, so members keep its order.
                    return attrs.evolve(current, groups=proposal.groups)
                return edits.apply_changes(current, selected)

            if self.apply(edit, _("accept proposal")):
                self.notify(_("Accepted {count} changes.").format(count=len(selected)), timeout=3)

        screen = ProposalScreen(
            plan,
            best.proposal,
            best.changes,
            best.summary,
            reasons=best.reasons,
            unselected=best.unselected,
            warning=best.warning,
            alternatives=others,
        )
        self.ask(screen, accepted)

    def _variant(
        self,
        plan: Plan,
        proposal: Plan,
        terms: Iterable[Term],
        status: str,
        moved: Iterable[MoveReason],
    ) -> Variant:
        """A plan the solver found, as changes to `plan` for the proposal screen."""
        change = diff(plan, proposal)
        changes: tuple[edits.Change, ...] = (*change.moves, *change.changes)
        # Edits made while the solver ran are the planner's: the proposal, computed before
        # them, must not take them back unasked.
        started = self._solved_from if self._solved_from is not None else plan
        meanwhile = diff(started, plan)
        touched = {m.unit for m in meanwhile.moves} | {(c.group, c.role) for c in meanwhile.changes}
        unselected = frozenset(
            index
            for index, found in enumerate(changes)
            if (isinstance(found, Move) and found.unit in touched)
            or (isinstance(found, RoleChange) and (found.group, found.role) in touched)
        )
        warning = ""
        if plan != started:
            warning = _(
                "The plan changed while the solver ran: the changes that would undo your "
                "edits start unselected ({count})."
            ).format(count=len(unselected))
        reasons = change_reasons(plan, proposal, changes, self.previous, tuple(moved))
        costs = ", ".join(f"{term_label(term.name)} {term.value}" for term in terms)
        summary = _("Result: {status}").format(status=status) + f" · {costs}"
        return Variant(proposal, changes, summary, reasons, unselected, warning)

    # ---------------------------------------------------------------------------------------
    # Files

    def action_save(self) -> None:
        if self.plan is None:
            return
        if self.path is None:
            self.action_save_as()
            return
        self.write_plan(self.plan, self.path, self.source)

    def action_save_as(self) -> None:
        if self.plan is None:
            return
        start = suggested_path(self.path, self.plan.year)

        def chosen(path: Path | None) -> None:
            if path is None:
                self._quit_after_save = None  # "save and quit" given up: stay
            elif self.plan is not None:
                self.write_plan(self.plan, path, self.source)

        self.ask(FileScreen(_("Save the plan as"), start, must_exist=False), chosen)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False, description="save")
    def write_plan(self, plan: Plan, path: Path, template: Path | None) -> None:
        """Runs on a worker thread (a large plan takes a moment to write); posts the outcome."""
        try:
            save(plan, path, template=template)
        except ThiduaError as error:
            self.post_message(PlanSaved(plan, path, str(error)))
            return
        self.post_message(PlanSaved(plan, path, None))

    def on_plan_saved(self, message: PlanSaved) -> None:
        leave, self._quit_after_save = self._quit_after_save, None
        if message.error is not None:
            self.notify(message.error, severity="error", timeout=8)
            return
        self.path = message.path
        self.source = message.path
        self.saved_plan = message.plan
        self.dirty = self.plan != message.plan
        self._schedule_autosave()
        self.notify(_("Saved {path}").format(path=message.path), timeout=3)
        if leave is not None and not self.dirty:
            leave()

    def action_open(self) -> None:
        self._unless_unsaved(
            _("The plan has unsaved changes. Open another anyway?"), self._ask_open
        )

    def _ask_open(self) -> None:
        start = self.path.parent if self.path is not None else Path.cwd()
        self.ask(FileScreen(_("Open a plan file (.toml)"), start, must_exist=True), self._open)

    def _open(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            plan = load(path)
        except ThiduaError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.start_plan(plan, path)
        self.notify(_("Opened {path}").format(path=path), timeout=3)

    def action_open_previous(self) -> None:
        start = self.path.parent if self.path is not None else Path.cwd()

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            try:
                earlier = load(path)
            except ThiduaError as error:
                self.notify(str(error), severity="error", timeout=10)
                return
            self.previous = tuple(sorted((*self.previous, earlier), key=lambda p: p.year))
            self.history = self.history  # re-validate and redraw against the new history
            self.notify(_("Added the plan of {year}").format(year=earlier.year), timeout=3)

        self.ask(FileScreen(_("Open a previous plan (.toml)"), start, must_exist=True), chosen)

    def action_new_plan(self) -> None:
        def start() -> None:
            year = self.plan.year + 1 if self.plan is not None else _this_year()
            self.start_plan(Plan(year=year), None)

        self._unless_unsaved(_("The plan has unsaved changes. Open another anyway?"), start)

    def _unless_unsaved(self, question: str, then: Callable[[], None]) -> None:
        """Run `then` now, or after the planner agrees to drop unsaved changes."""
        if not self.dirty:
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.ask(ConfirmScreen(question), answered)

    async def action_quit(self) -> None:
        def leave() -> None:
            if self._cancel is not None:
                self._cancel.set()  # the solver's thread must end for the process to exit
            if self._autosave_timer is not None:
                self._autosave_timer.stop()
            self._drop_autosave()  # the planner chose to leave these edits
            self.exit(0)

        if not self.dirty:
            leave()
            return

        def answered(choice: QuitChoice | None) -> None:
            if choice == "discard":
                leave()
            elif choice == "save":
                self._quit_after_save = leave
                self.action_save()

        self.ask(QuitScreen(), answered)


def suggested_path(path: Path | None, year: int) -> Path:
    """Where "save as" proposes to write: the plan's year in the file name, in place of the
    year the name has (hcmc-2013.toml holding the 2014 plan: hcmc-2014.toml), or added."""
    folder = path.parent if path is not None else Path.cwd()
    stem = path.stem if path is not None else "plan"
    named, found = re.subn(r"(?<!\d)(19|20)\d\d(?!\d)", str(year), stem, count=1)
    return folder / f"{named if found else f'{stem}-{year}'}.toml"


def _kept_by_hand(plan: Plan, new: Pin | None, replaces: Callable[[Pin], bool]) -> Plan:
    """`plan` after a choice made by hand, pinned so that a solve keeps it: the pins it
    replaces go (an earlier choice about the same unit or post), `new` joins them. The planner
    unpins with `p` when the solver may decide after all."""
    kept = tuple(pin for pin in plan.pins if not replaces(pin))
    if new is not None and new not in kept:
        kept = (*kept, new)
    return plan if kept == plan.pins else attrs.evolve(plan, pins=kept)


def _staffed_by_hand(plan: Plan, group: str, role: Role, person: str | None) -> Plan:
    """`group`'s `role` given to `person` by hand, and pinned (see `_kept_by_hand`)."""
    edited = edits.set_staff(plan, group, role, person)

    return _kept_by_hand(
        edited,
        Pin.staff_on(person, group) if person is not None else None,
        lambda pin: pickers.same_post(plan, pin, group, role),
    )


def _plain(text: str) -> Text:
    return Text(text)


def _prompt(name: str, figure: str, note: str) -> Text:
    """A picker line: the name, then a figure (size, workload) and a note, dimmed."""
    return Text.assemble(
        name,
        (f"  {figure}" if figure else "", "bold"),
        (f"  {note}" if note else "", "dim"),
    )


def _this_year() -> int:
    return dt.date.today().year


def run_app(
    plan: Path | None,
    previous: list[Path],
    *,
    language: str = "vi",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    alternatives: int = DEFAULT_ALTERNATIVES,
) -> int:
    """Open the interface on `plan`, after loading every file: a bad file fails here with the
    usual one-line error, before the terminal is taken over."""
    loaded = load(plan) if plan is not None else None
    earlier = tuple(sorted((load(path) for path in previous), key=lambda found: found.year))
    app = ThiduaApp(
        loaded, plan, earlier, language=language, time_limit=time_limit, alternatives=alternatives
    )
    code = app.run()
    # A crash leaves no result but sets the return code (1): never report it as success.
    return code if code is not None else (app.return_code or 0)
