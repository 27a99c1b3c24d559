"""An option list that sizes itself without measuring every option when it is long."""

from __future__ import annotations

from textual.css.scalar import Unit
from textual.geometry import Size
from textual.widgets import OptionList

__all__ = ["LongOptionList"]


class LongOptionList(OptionList):
    """An `OptionList` whose `height: auto` costs nothing once it is long.

    Textual measures an auto-height option list by wrapping every option's text, at every
    layout: a picker of hundreds of groups spends most of its opening doing that, only for
    the height to be cut to the list's `max-height`. Every option takes at least one line, so
    with at least as many options as `max-height` lines the list fills its `max-height`
    whatever the options say, and their count is a height that gives the same result.
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        ceiling = self.styles.max_height
        if (
            ceiling is not None
            and ceiling.unit is Unit.CELLS
            and self.option_count >= ceiling.value
        ):
            return self.option_count
        return super().get_content_height(container, viewport, width)
