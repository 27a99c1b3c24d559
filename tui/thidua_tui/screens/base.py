"""Screens whose key bindings read in the interface language, and dialogs that draw the screen
below them once.

Binding descriptions are i18n keys; the footer and the help screen read them through
`active_bindings`, so translating there covers the app's bindings and the screen's alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import ControlCode, Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import ActiveBinding
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual, Visual
from textual.widget import Widget

from thidua_tui.i18n import localise_binding, translate

__all__ = ["Backdrop", "LocalisedModal", "LocalisedScreen", "localised"]


def localised(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """The bindings translated, with quitting moved last: the footer lists keys in this order,
    and Textual's own quit binding would otherwise come first."""
    ordered = sorted(bindings.items(), key=lambda item: item[1].binding.action == "quit")
    return {
        key: active._replace(
            binding=localise_binding(active.binding),
            tooltip=translate(active.tooltip),
        )
        for key, active in ordered
    }


class LocalisedScreen(Screen[ScreenResultType]):
    _laid_out_at: Size | None = None

    def _screen_resized(self, size: Size) -> None:
        """Lay out again for a new terminal size. A dialog opening passes its own first size
        to the screens below it, the same size: laying this screen out again would change
        nothing, yet have the dialog draw it again (see `Backdrop`)."""
        if size == self._laid_out_at and not self.is_active:
            return
        self._laid_out_at = size
        super()._screen_resized(size)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localised(super().active_bindings)

    def refresh_bindings(self) -> None:
        """Rebuild the footer, unless a dialog covers this screen: Textual asks when one opens,
        though the keys of this screen stay as they are, and the rebuilt footer would have the
        dialog draw the screen below it again. Textual asks again when the dialog closes."""
        if not self.is_attached or self.is_active:
            super().refresh_bindings()


class Backdrop(Visual):
    """The screen below a dialog, tinted, drawn once and then copied.

    Textual draws a dialog's see-through background by rendering the whole screen below and
    tinting every cell of it, on every frame of the dialog: over a tree of thousands of units
    that is most of the time a picker takes to open. The screen below does not change while a
    dialog covers it, except where Textual says so (`LocalisedModal.refresh` with regions),
    so its tinted lines are kept until then.
    """

    def __init__(self, owner: Widget, background: BackgroundScreen) -> None:
        self._visual = RichVisual(owner, background)
        self._owner = owner
        self._key: tuple[object, ...] | None = None
        self._strips: list[Strip] = []

    def renders(self, background: BackgroundScreen) -> bool:
        """Whether this backdrop shows `background` (the same screen, with the same tint)."""
        shown = self._visual._renderable
        assert isinstance(shown, BackgroundScreen)
        return shown.screen is background.screen and shown.color == background.color

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """As a Rich renderable (Textual renders it as a Visual): the screen below, tinted."""
        yield self._visual._renderable

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._visual.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._visual.get_height(rules, width)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        key = (width, height, style)
        if key != self._key:
            self._strips = self._tinted(width, height, style) or self._visual.render_strips(
                width, height, style, options
            )
            self._key = key
        return list(self._strips)

    def _tinted(self, width: int, height: int | None, style: Style) -> list[Strip] | None:
        """The screen below as Textual draws it here (`RichVisual.render_strips` of
        `BackgroundScreen`, under `Widget.post_render`'s style), from its lines as drawn, each
        distinct style tinted once rather than every run of text: the same strips in a
        fraction of the time. None where the screen below is not as wide as the dialog."""
        background = self._visual._renderable
        assert isinstance(background, BackgroundScreen)
        compositor = background.screen._compositor
        if compositor.size.width != width:
            return None
        base = style.rich_style
        link_style = self._owner.link_style if self._owner.auto_links else None
        Control = Sequence[ControlCode] | None
        styles: dict[tuple[RichStyle | None, bool, bool], tuple[RichStyle | None, bool]] = {}

        def restyled(old: RichStyle | None, control: Control) -> tuple[RichStyle | None, bool]:
            # One segment through Textual's own steps: tint, then the base style, then links.
            segment = Segment(" ", old, control)
            tinted = next(iter(BackgroundScreen.process_segments([segment], background.color)))
            new, kept = tinted.style, tinted.control is not None
            if base:
                new, kept = base + new, False
            if link_style and new is not None and new._meta is not None and "@click" in new.meta:
                new = new + link_style
            return new, kept

        strips = []
        for line in compositor.render_strips()[:height]:
            segments = []
            for text, old, control in line:
                key = (old, control is None, bool(control))
                found = styles.get(key)
                if found is None:
                    found = styles[key] = restyled(old, control)
                new, kept = found
                segments.append(Segment(text, new, control if kept else None))
            strips.append(Strip(segments, line.cell_length))
        return strips


class LocalisedModal(ModalScreen[ScreenResultType]):
    _backdrop: Backdrop | None = None

    def _on_mount(self, event: events.Mount) -> None:
        """Take the size classes (`-short`, `-narrow`, see `ThiduaApp`) of the terminal now.
        Textual gives them on the dialog's first resize, after its first layout: the dialog
        would have its styles updated, be laid out and drawn again (a picker of hundreds of
        lines, twice), on a small terminal in another shape first. As `Screen._on_resize`."""
        app = self.app
        sides = (
            (app.size.width, self.HORIZONTAL_BREAKPOINTS, app.HORIZONTAL_BREAKPOINTS),
            (app.size.height, self.VERTICAL_BREAKPOINTS, app.VERTICAL_BREAKPOINTS),
        )
        classes: dict[str, bool] = {}
        for cells, own, default in sides:
            breakpoints = (default if own is None else own) or []
            classes.update((name, False) for _, name in breakpoints)
            classes.update(dict.fromkeys(self._get_breakpoint_classes(cells, breakpoints), True))
        self.update_classes(classes, update=False)

    def _screen_resized(self, size: Size) -> None:
        """Lay out again for a new terminal size only: the dialog's first resize comes at the
        size it was just laid out at, which would lay it out and draw it once more."""
        if size == self._compositor.size:
            return
        super()._screen_resized(size)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localised(super().active_bindings)

    def render(self) -> RenderableType:
        """Textual's see-through background, drawn from a copy while the screen below is
        unchanged (see `Backdrop`)."""
        rendered = super().render()  # also takes the screen below off Textual's render stack
        if not isinstance(rendered, BackgroundScreen):
            return rendered
        if self._backdrop is None or not self._backdrop.renders(rendered):
            self._backdrop = Backdrop(self, rendered)
        return self._backdrop

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        """Regions refreshed on a dialog are the screen below changing (Textual's only call
        with regions): its copy is stale."""
        if regions:
            self._backdrop = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
