"""A widget's Rich style worked out once per frame instead of once per line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import VisualType
from textual.widgets import Static

__all__ = ["FrameStyle", "update_in_place"]

if TYPE_CHECKING:
    from textual.widget import Widget as _Base
else:
    # A plain mixin at run time: Textual follows a widget's first DOM base class for its CSS and
    # component classes, which must stay the Tree's or the DataTable's own.
    _Base = object


class FrameStyle(_Base):
    """Textual's Tree, DataTable and OptionList ask for `rich_style` on every line they draw,
    and each asking walks the widget's ancestors to combine their colours: a third of the time
    an edit takes to redraw the plan tree. Styles cannot change while one frame is drawn, so
    the style is kept from the first line of `render_lines` to its end. Put it first among the
    bases: `class PlanTree(FrameStyle, Tree)`."""

    _frame_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = None  # styles may have changed since the last frame
        self._frame_style = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    @property
    def rich_style(self) -> Style:
        style = self._frame_style
        return style if style is not None else super().rich_style


def update_in_place(static: Static, content: VisualType) -> None:
    """`static.update(content)`, with a layout of the screen only when the new content is not
    as tall as the old: an edit changes a line of a unit's facts, seldom their height, and
    laying the screen out again costs more than drawing the line."""
    if not static.is_mounted or not static.size:
        static.update(content)
        return
    height = static.content_size.height
    static.update(content, layout=False)
    width = static.content_size.width
    if static.get_content_height(static.container_size, static.app.size, width) != height:
        static.refresh(layout=True)
