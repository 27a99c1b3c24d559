"""An option list that sizes itself without measuring every option when it is long."""

from __future__ import annotations

from typing import cast

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.content import Content
from textual.css.scalar import Unit
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

__all__ = ["LongOptionList"]


class LongOptionList(OptionList):
    """An `OptionList` whose `height: auto` costs nothing once it is long, and whose lines
    are counted without wrapping the options that fit on one.

    Textual measures an auto-height option list by wrapping every option's text, at every
    layout: a picker of hundreds of groups spends most of its opening doing that, only for
    the height to be cut to the list's `max-height`. Every option takes at least one line, so
    with at least as many options as `max-height` lines the list fills its `max-height`
    whatever the options say, and their count is a height that gives the same result.
    """

    # The width the lines were counted at (see `_keep_lines`); whether the list was laid out.
    _lines_width: int | None = None
    _sized = False

    def _ceiling(self) -> float | None:
        """The list's `max-height` in rows, where it is given in rows."""
        ceiling = self.styles.max_height
        return ceiling.value if ceiling is not None and ceiling.unit is Unit.CELLS else None

    def _overflows(self) -> bool:
        """Whether the list has more options than its `max-height` has rows: it will scroll."""
        ceiling = self._ceiling()
        return ceiling is not None and self.option_count > ceiling

    def _show_scrollbar(self) -> None:
        """Show the scrollbar of a list that will scroll before its first layout, so that
        the layout makes room for it and the first frame draws it; Textual finds out only
        once the list is drawn, then lays it out, wraps and draws it again, narrower."""
        if not self.show_vertical_scrollbar and self._overflows():
            self.set_reactive(OptionList.show_vertical_scrollbar, True)
            self.vertical_scrollbar.display = True  # as `_refresh_scrollbars` would

    def on_mount(self) -> None:
        # Here, once styled, the scrollbar has its styles too by the first frame.
        self._show_scrollbar()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        ceiling = self._ceiling()
        if ceiling is not None and self.option_count >= ceiling:
            self._show_scrollbar()  # where the list was not styled yet when mounted
            return self.option_count
        return super().get_content_height(container, viewport, width)

    @on(events.Resize)
    def _keep_lines(self, event: events.Resize) -> None:
        """Textual forgets the lines counted and drawn at every resize, even the first, which
        comes after the list was first drawn at that very size: keep them while the width
        they were made for holds (`OptionList._on_resize` runs otherwise)."""
        if self.scrollable_content_region.width == self._lines_width:
            event.prevent_default()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """At the first layout, scroll to the highlighted option before the list is drawn:
        Textual does it when the list is shown, after the first frame, then draws it again."""
        first = not self._sized
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if first and self.size:
            self._sized = True
            self.scroll_to_highlight()
        return resized

    def _refresh_scrollbars(self) -> None:
        """Textual decides on scrollbars from the lines counted so far, none before the list
        is first drawn: it would hide the scrollbar shown by `_show_scrollbar` until then."""
        if not self._line_cache.lines and self.show_vertical_scrollbar and self._overflows():
            return
        super()._refresh_scrollbars()

    def _option_height(self, option: Option, width: int) -> int:
        """The lines `option` takes at `width` cells. A styled text of one line that fits is
        one line; Textual would convert and wrap it to learn as much (a few hundred options
        cost a picker tens of milliseconds). Anything else is measured by Textual."""
        prompt = option.prompt
        if isinstance(prompt, Text | Content):
            plain = prompt.plain
            if plain and "\n" not in plain and "\t" not in plain and cell_len(plain) <= width:
                return 1
        return self._get_visual(option).get_height(cast(RulesMap, self.styles), width)

    def _update_lines(self) -> None:
        """Textual's own (textual 8.2.8, `OptionList._update_lines`, pinned exactly), with
        each option's height from `_option_height`; `tests/tui/test_tui_pickers.py` checks
        that the lines come out as Textual's."""
        if not self.scrollable_content_region:
            return

        line_cache = self._line_cache
        lines = line_cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        if not lines:
            self._lines_width = self.scrollable_content_region.width

        if next_index < len(self.options):
            padding = self.get_component_styles("option-list--option").padding
            for index, option in enumerate(self.options[next_index:], next_index):
                line_cache.index_to_line[index] = len(line_cache.lines)
                line_count = self._option_height(option, width - padding.width) + option._divider
                line_cache.heights[index] = line_count
                line_cache.lines.extend([(index, line_no) for line_no in range(0, line_count)])

        last_divider = self.options and self.options[-1]._divider
        virtual_size = Size(width, len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)
