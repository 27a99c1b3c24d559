"""The hard rules the plan breaks, refreshed after every edit; choosing one jumps to it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from thidua.i18n import N_, _
from thidua.rules import RULES, Violation
from thidua_tui.messages import JumpRequested
from thidua_tui.state import PlanView, Selection
from thidua_tui.widgets.frame_style import FrameStyle
from thidua_tui.wording import rule_title, violation_text

__all__ = ["ViolationsPanel"]

_NONE = "\0none"  # the key of the row saying there is nothing wrong
# Below this many columns for the message, the rule goes above it instead of beside it.
MIN_MESSAGE_WIDTH = 24


def _key(violation: Violation) -> str:
    """Rows are keyed by everything a violation says, so a changed count is a new row."""
    return "\0".join((violation.rule, *violation.subjects, violation.message))


class ViolationsPanel(FrameStyle, DataTable[str | Text]):
    """One row per violation, first in the validator's order (rule by rule). After an edit only
    the rows of violations that went away or appeared change, the new ones added last with the
    cursor on the first of them, so a planner sees at once what the edit broke, and a plan with
    a thousand violations redraws as fast as one with none. Enter (or a click) on a row asks
    the app to show the first unit, group or person the violation names."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._view: PlanView | None = None
        self._by_key: dict[str, Violation] = {}
        self._rule_width = 0
        self._layout: tuple[bool, int] = (False, 0)  # (stacked, message width) as drawn
        self.rule_filter: str | None = None  # `f`: one rule's violations only

    def on_mount(self) -> None:
        self._rule_width = max(len(rule_title(rule.id)) for rule in RULES)
        self._columns()

    def _stacked(self) -> bool:
        """Whether the panel is too narrow for a rule column beside the message: the rule is
        then written above its message, in one column, so that no message is cut."""
        return self.size.width - self._rule_width - 8 < MIN_MESSAGE_WIDTH

    def _message_width(self) -> int:
        """The message column fills the panel, so long messages wrap instead of running off
        its right edge (borders, scrollbar and cell padding take the rest)."""
        rule = 0 if self._stacked() else self._rule_width + 2
        return max(10, self.size.width - rule - 6)

    def _columns(self) -> None:
        self._layout = (self._stacked(), self._message_width())
        if not self._layout[0]:
            self.add_column(_("Rule"), key="rule", width=self._rule_width)
        self.add_column(_("What is wrong"), key="message", width=self._layout[1])

    def on_resize(self) -> None:
        if (self._stacked(), self._message_width()) == self._layout:
            return
        self.clear(columns=True)
        self._columns()
        self._by_key = {}
        if self._view is not None:
            self.show(self._view)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "next_rule", N_("Filter by rule")),
    ]

    def action_next_rule(self) -> None:
        """Show one rule's violations at a time, in the validator's order, then all again."""
        if self._view is None:
            return
        rules: list[str | None] = [None, *dict.fromkeys(v.rule for v in self._view.violations)]
        current = rules.index(self.rule_filter) if self.rule_filter in rules else 0
        self.rule_filter = rules[(current + 1) % len(rules)]
        self.clear()
        self._by_key = {}
        self.show(self._view)

    def show(self, view: PlanView) -> None:
        self._view = view
        shown = [v for v in (*view.violations, *view.notes) if self.rule_filter in (None, v.rule)]
        by_key = {_key(v): v for v in shown}
        if by_key.keys() == self._by_key.keys() and self.row_count:
            self._by_key = by_key
            return
        gone = self._by_key.keys() - by_key.keys()
        new = [key for key in by_key if key not in self._by_key]
        self._by_key = by_key
        self.set_class(not view.violations, "-clean")
        self.border_title = _("Violations: {count}").format(count=len(view.violations))
        if view.notes:
            self.border_title += " · " + _("notes: {count}").format(count=len(view.notes))
        if self.rule_filter is not None:
            self.border_title += " · " + _("only: {rule}").format(rule=rule_title(self.rule_filter))
        if not by_key:
            self.clear()
            style = self.app.current_theme.success or "green"
            cells = [Text("✓ " + _("No violations."), style=f"italic {style}")]
            if not self._layout[0]:
                cells = [Text("✓", style=style), Text(_("No violations."), "italic")]
            self.add_row(*cells, key=_NONE, height=None)
            return
        if _NONE in self.rows:
            self.remove_row(_NONE)
        for key in gone:
            self.remove_row(key)
        error = self.app.current_theme.error or "red"
        warning = self.app.current_theme.warning or "yellow"
        notes = set(view.notes)
        for key in new:
            violation = by_key[key]
            colour = warning if violation in notes else error
            rule = Text(rule_title(violation.rule), style=f"bold {colour}")
            message = violation_text(view.plan, violation)
            cells = (
                [Text.assemble(rule, "\n", message)] if self._layout[0] else [rule, Text(message)]
            )
            # As many lines as the message needs at this width.
            self.add_row(*cells, key=key, height=None)
        if new:
            self.move_cursor(row=self.get_row_index(new[0]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        violation = self._by_key.get(event.row_key.value or "")
        if self._view is None or violation is None:
            return
        for subject in violation.subjects:
            kind = self._view.kind_of(subject)
            if kind is not None:
                self.post_message(JumpRequested(Selection(kind, subject)))
                return
