"""The solver's proposal, group by group, to accept whole or in part.

Each change says what it is, the whole way (before → after, never cut), and why; the heading
counts the changes of each kind, and `f` shows one kind at a time. Changes that would undo
the planner's own edits made while the solver ran start unselected. When the solver found
alternatives, `[` and `]` switch between the best proposal and them: each shows its own terms
and changes, and accepting takes the one shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import ClassVar

import attrs
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from thidua.diff import Move
from thidua.edits import Change
from thidua.i18n import N_, _, ngettext
from thidua.model import Plan
from thidua_tui.screens.base import LocalisedModal
from thidua_tui.widgets.options import LongOptionList
from thidua_tui.wording import change_row, group_name

__all__ = ["KINDS", "ProposalScreen", "Variant", "kind_of"]

# The kinds of change, in the order the heading counts them; `f` cycles through them.
KINDS = ("move", "chair", "deputy", "leader", "officer")
_KIND_NAMES = {
    "move": N_("units moved"),
    "chair": N_("chairs"),
    "deputy": N_("deputies"),
    "leader": N_("leaders in charge"),
    "officer": N_("officers in charge"),
}


def kind_of(change: Change) -> str:
    return "move" if isinstance(change, Move) else change.role


def _group_of(change: Change) -> str | None:
    """The group a change belongs under: where a unit goes (or leaves, when it goes nowhere),
    or the group whose post changes."""
    if isinstance(change, Move):
        return change.after if change.after is not None else change.before
    return change.group


@attrs.frozen
class Variant:
    """One proposal the screen can show: the plan, its changes to the current plan, the
    summary of its terms, why each change is made, and which changes start unselected."""

    proposal: Plan
    changes: tuple[Change, ...]
    summary: str
    reasons: Mapping[int, str] = attrs.field(factory=dict)
    unselected: frozenset[int] = frozenset()
    warning: str = ""


class ProposalScreen(LocalisedModal[tuple[Change, ...] | None]):
    """Every change starts selected (but those in `unselected`); dismisses with the selected
    ones, or None to discard."""

    AUTO_FOCUS = "#proposal-changes"

    # The tooltips say what each key does in the help screen (F1), which lists these too.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "accept",
            N_("Accept"),
            priority=True,
            tooltip=N_("Accept the selected changes"),
        ),
        Binding(
            "space",
            "pick",
            N_("Pick"),
            priority=True,
            tooltip=N_("Pick or drop the change under the cursor"),
        ),
        Binding("a", "select_all", N_("Select all"), tooltip=N_("Pick every change shown")),
        Binding("n", "select_none", N_("Select none"), tooltip=N_("Drop every change shown")),
        Binding("f", "next_filter", N_("Filter"), tooltip=N_("One kind of change at a time")),
        Binding(
            "left_square_bracket",
            "previous_variant",
            N_("Previous proposal"),
            tooltip=N_("The proposal before: the best one or an alternative"),
        ),
        Binding(
            "right_square_bracket",
            "next_variant",
            N_("Next proposal"),
            tooltip=N_("The next alternative the solver found, then the best again"),
        ),
        Binding("escape", "discard", N_("Discard"), tooltip=N_("Discard the proposal")),
    ]

    def __init__(
        self,
        current: Plan,
        proposal: Plan,
        changes: Sequence[Change],
        summary: str,
        *,
        reasons: Mapping[int, str] | None = None,
        unselected: frozenset[int] = frozenset(),
        warning: str = "",
        alternatives: Sequence[Variant] = (),
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.current = current
        best = Variant(proposal, tuple(changes), summary, dict(reasons or {}), unselected, warning)
        # The best proposal first, then the alternatives, best first; `shown` indexes them.
        self.variants = (best, *alternatives)
        self.shown = 0
        self._take(best)

    def _take(self, variant: Variant) -> None:
        """Show `variant`: its changes, all selected but those it leaves unselected."""
        self.proposal = variant.proposal
        self.changes = variant.changes
        self.summary = variant.summary
        self.reasons = dict(variant.reasons)
        self.warning = variant.warning
        self.chosen = {i for i in range(len(self.changes)) if i not in variant.unselected}
        self.filter: str | None = None
        # Changes in the order shown: by group, in the proposal's group order, then the rest.
        order = {g.id: i for i, g in enumerate(self.proposal.groups)}
        self.order = sorted(
            range(len(self.changes)),
            key=lambda i: (order.get(_group_of(self.changes[i]) or "", len(order)), i),
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog proposal"):
            yield Label(_("The solver's proposal"), classes="dialog-title")
            if len(self.variants) > 1:
                yield Label(self._which(), id="proposal-which")
            yield Label(self.summary, id="proposal-summary")
            warning = Label(self.warning, id="proposal-warning", classes="error")
            warning.display = bool(self.warning)
            yield warning
            yield Label(self._counts(), id="proposal-counts")
            hint = _("Space: pick or drop a change · f: one kind at a time")
            if len(self.variants) > 1:
                hint += " · " + _("[ ]: the best proposal or an alternative")
            yield Label(hint, classes="hint")
            # An option list rather than a selection list: its lines wrap, so that a long
            # name never hides where a unit goes.
            yield LongOptionList(*self._items(), id="proposal-changes")
            with Horizontal(classes="buttons"):
                yield Button(_("Accept the selected changes"), id="accept", variant="primary")
                yield Button(_("Discard the proposal"), id="discard")

    def on_mount(self) -> None:
        self._to_first_change()

    def _to_first_change(self) -> None:
        """Put the cursor on the first change, not on a group's heading."""
        listing = self.query_one(OptionList)
        for index in range(listing.option_count):
            if not listing.get_option_at_index(index).disabled:
                listing.highlighted = index
                return

    def _which(self) -> Text:
        """Which proposal is shown, out of how many."""
        if self.shown == 0:
            name = _("Best proposal")
        else:
            name = _("Alternative {index}").format(index=self.shown)
        where = _("{index} of {count}").format(index=self.shown + 1, count=len(self.variants))
        return Text.assemble((name, "bold"), f" ({where})")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("previous_variant", "next_variant"):
            return len(self.variants) > 1
        return True

    def _switch(self, step: int) -> None:
        self.shown = (self.shown + step) % len(self.variants)
        self._take(self.variants[self.shown])
        self.query_one("#proposal-which", Label).update(self._which())
        self.query_one("#proposal-summary", Label).update(self.summary)
        warning = self.query_one("#proposal-warning", Label)
        warning.update(self.warning)
        warning.display = bool(self.warning)
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(self._items())
        self.query_one("#proposal-counts", Label).update(self._counts())
        self._to_first_change()

    def action_previous_variant(self) -> None:
        """`[`: the proposal before the one shown (from the best, the last alternative)."""
        if len(self.variants) > 1:
            self._switch(-1)

    def action_next_variant(self) -> None:
        """`]`: the next alternative (from the last, back to the best)."""
        if len(self.variants) > 1:
            self._switch(1)

    def _counts(self) -> Text:
        counts = Counter(kind_of(change) for change in self.changes)
        parts: list[Text] = []
        for kind in KINDS:
            if counts[kind]:
                style = "bold reverse" if kind == self.filter else "bold"
                parts.append(Text.assemble((str(counts[kind]), style), " ", _(_KIND_NAMES[kind])))
        total = ngettext("{count} change", "{count} changes", len(self.changes)).format(
            count=len(self.changes)
        )
        shown = _("all shown") if self.filter is None else _("one kind shown")
        return Text.assemble((total, "bold"), ": ", Text(" · ").join(parts), f" ({shown})")

    def _prompt(self, index: int) -> Text:
        change = self.changes[index]
        what, before, after = change_row(self.current, self.proposal, change)
        box = ("☑ ", "bold") if index in self.chosen else ("☐ ", "dim")
        prompt = Text.assemble(box, (what, "bold"), ": ", before, " → ", (after, "bold"))
        reason = self.reasons.get(index)
        if reason:
            prompt.append("  · " + reason, style="dim italic")
        return prompt

    def _items(self) -> list[Option]:
        items: list[Option] = []
        heading: str | None = "\0"
        for index in self.order:
            change = self.changes[index]
            if self.filter is not None and kind_of(change) != self.filter:
                continue
            group = _group_of(change)
            if group != heading:
                heading = group
                title = Text(group_name(self.proposal, group), style="bold underline")
                items.append(Option(title, id=f"group-{len(items)}", disabled=True))
            items.append(Option(self._prompt(index), id=str(index)))
        return items

    def _refill(self) -> None:
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(self._items())
        self.query_one("#proposal-counts", Label).update(self._counts())
        if highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted
        if highlighted is None or listing.get_option_at_index(listing.highlighted or 0).disabled:
            self._to_first_change()

    def action_pick(self) -> None:
        """Space: pick or drop the change under the cursor."""
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        option = listing.get_option_at_index(listing.highlighted)
        if option.disabled or option.id is None:
            return
        index = int(option.id)
        self.chosen.symmetric_difference_update({index})
        listing.replace_option_prompt(option.id, self._prompt(index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click picks or drops, as Space does
        self.action_pick()

    @property
    def selected(self) -> tuple[Change, ...]:
        return tuple(change for index, change in enumerate(self.changes) if index in self.chosen)

    def action_accept(self) -> None:
        # Enter is a priority key here (the list would take it to toggle a line), so on the
        # focused Discard button it has to mean what the button says.
        if self.focused is not None and self.focused.id == "discard":
            self.dismiss(None)
            return
        self.dismiss(self.selected)

    def action_discard(self) -> None:
        self.dismiss(None)

    def _visible(self) -> set[int]:
        return {
            i
            for i in range(len(self.changes))
            if self.filter is None or kind_of(self.changes[i]) == self.filter
        }

    def action_select_all(self) -> None:
        self.chosen |= self._visible()
        self._refill()

    def action_select_none(self) -> None:
        self.chosen -= self._visible()
        self._refill()

    def action_next_filter(self) -> None:
        present = [k for k in KINDS if any(kind_of(c) == k for c in self.changes)]
        cycle: list[str | None] = [None, *present]
        self.filter = cycle[(cycle.index(self.filter) + 1) % len(cycle)]
        self._refill()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "accept":
            self.action_accept()
        else:
            self.action_discard()
