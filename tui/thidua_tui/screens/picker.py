"""Choose one of a list of eligible choices, with a filter that ignores diacritics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import attrs
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from thidua.i18n import N_, _
from thidua.text import fold
from thidua_tui.screens.base import LocalisedModal
from thidua_tui.widgets.options import LongOptionList

__all__ = ["Choice", "Picked", "PickerScreen"]

# With more choices than this the picker offers a filter box above the list.
FILTER_FROM = 8
_NONE_ID = "\0none"  # the option id of the "nobody / no group" choice (ids are never empty)


@attrs.frozen
class Choice:
    """One line of a picker: the value it stands for (None: nobody, no group), what it shows,
    the text the filter matches, whether it is the present choice, and whether a rule bars it
    (shown, greyed, but not selectable)."""

    value: str | None
    prompt: Text
    search: str = ""
    current: bool = False
    disabled: bool = False


@attrs.frozen
class Picked:
    """The planner's choice; the picker dismisses with None when cancelled instead."""

    value: str | None


class PickerScreen(LocalisedModal[Picked | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, title: str, choices: Sequence[Choice], *, empty: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.choices = tuple(choices)
        self.empty_text = empty or _("No eligible choice.")
        self._keys = {self._option_id(c): fold(c.search or c.prompt.plain) for c in self.choices}

    @staticmethod
    def _option_id(choice: Choice) -> str:
        return _NONE_ID if choice.value is None else choice.value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(self.title_text, classes="dialog-title")
            if len(self.choices) > FILTER_FROM:
                yield Input(placeholder=_("Filter…"), id="picker-filter")
            yield LongOptionList(*self._options(""), id="picker-options")
            if not self.choices:
                yield Label(self.empty_text, classes="hint")

    def _options(self, query: str) -> list[Option]:
        words = fold(query).split()
        return [
            Option(choice.prompt, id=self._option_id(choice), disabled=choice.disabled)
            for choice in self.choices
            if all(word in self._keys[self._option_id(choice)] for word in words)
        ]

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        # Open on the present choice, even one a rule now bars (last year's chair): the planner
        # sees where things stand before moving.
        first = next((i for i, c in enumerate(self.choices) if not c.disabled), 0)
        current = next((i for i, c in enumerate(self.choices) if c.current), first)
        if self.choices:
            options.highlighted = current
            options.scroll_to_highlight()
        if self.query("#picker-filter"):
            self.query_one("#picker-filter", Input).focus()
        else:
            options.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        if options.option_count:
            options.action_first()  # the first line a planner can pick

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._pick(options.get_option_at_index(options.highlighted).id)

    def on_key(self, event: events.Key) -> None:
        """Up and down move through the list while typing in the filter."""
        if event.key in ("up", "down") and isinstance(self.focused, Input):
            options = self.query_one(OptionList)
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        if option_id is None:
            return
        self.dismiss(Picked(None if option_id == _NONE_ID else option_id))

    def action_cancel(self) -> None:
        self.dismiss(None)
