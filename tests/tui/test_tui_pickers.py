"""The picker's shortcuts to opening fast give what Textual's own way gives: the lines each
option takes, and the picker as drawn (lines, styles, scrolling, highlight, scrollbar)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Offset, Region, Size
from textual.screen import ModalScreen, Screen
from textual.visual import RenderOptions
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from thidua.files import load
from thidua_tui.app import ThiduaApp
from thidua_tui.screens import base, picker
from thidua_tui.screens.picker import Choice, PickerScreen
from thidua_tui.widgets.options import LongOptionList

# Letters of one cell and of two (CJK), with and without diacritics, spaces, and the
# characters that end or widen a line.
LETTERS = st.sampled_from(list("aZ ếộưỹĐ中字\n\t-"))
STYLES = st.sampled_from(["", "bold", "dim", "dim strike", "dim italic", "italic"])
PARTS = st.lists(st.tuples(st.text(LETTERS, max_size=30), STYLES), max_size=4)


@st.composite
def prompts(draw: st.DrawFn) -> Text | Content | str:
    parts = draw(PARTS)
    kind = draw(st.sampled_from(["text", "content", "str"]))
    if kind == "text":
        return Text.assemble(*parts)
    if kind == "content":
        return Content.assemble(*parts)
    return "".join(text for text, _ in parts)  # markup: measured by Textual itself


class Lists(App[None]):
    """A plain option list and a long one of the same width."""

    CSS = "OptionList { width: 30; height: 10; overflow-y: hidden; }"

    def compose(self) -> ComposeResult:
        yield OptionList(id="plain")
        yield LongOptionList(id="long")


async def test_option_heights_are_textuals() -> None:
    """`LongOptionList` counts a styled line that fits as one line without wrapping it:
    the lines of every option come out as Textual counts them."""
    app = Lists()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        plain = app.query_one("#plain", OptionList)
        long = app.query_one("#long", LongOptionList)
        assert plain.scrollable_content_region.width == long.scrollable_content_region.width

        @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(st.lists(prompts(), max_size=12))
        def same_lines(texts: list[Text | Content | str]) -> None:
            plain.set_options(Option(prompt) for prompt in texts)
            long.set_options(Option(prompt) for prompt in texts)
            assert long._lines == plain._lines
            assert long.virtual_size == plain.virtual_size

        same_lines()


def many_choices(count: int, current: int) -> list[Choice]:
    """Groups as the move picker words them: some barred, one current, a few long names."""
    choices = []
    for index in range(count):
        name = f"Khối thi đua số {index}" + (" của các phường, xã ven sông" * (index % 7 == 3))
        prompt = Text.assemble(name, (f"  {index % 9}/12", "bold"), ("  di chuyển +1", "dim"))
        barred = index % 5 == 4 and index != current
        if barred:
            prompt = Text.assemble((name, "dim strike"), ("  ✗ Cùng loại", "dim italic"))
        choices.append(Choice(f"g{index}", prompt, name, index == current, disabled=barred))
    return choices


def drawn(app: ThiduaApp) -> list[list[Segment]]:
    """The screen as drawn: every line's text and styles."""
    return [list(strip) for strip in app.screen._compositor.render_strips()]


class Textuals(OptionList):
    """Textual's own option list, as the picker's list would be without the shortcuts."""


Opened = tuple[
    list[list[Segment]],
    tuple[int | None, Offset, bool, Size, Region, list[str]],
    tuple[int | None, Offset],
]


async def open_picker(app: ThiduaApp, size: tuple[int, int], choices: list[Choice]) -> Opened:
    """Open a picker over the app at `size`; return what it looks like and where it stands."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.push_screen(PickerScreen("Chuyển tới", choices))
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        listing = screen.query_one(OptionList)
        state = (
            listing.highlighted,
            listing.scroll_offset,
            listing.show_vertical_scrollbar,
            listing.virtual_size,
            listing.region,
            sorted(screen.classes),
        )
        await pilot.press("down", "down", "pagedown")
        moved = (listing.highlighted, listing.scroll_offset)
        return drawn(app), state, moved


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize(("count", "current"), [(5, 2), (19, 18), (21, 0), (90, 60), (90, 89)])
async def test_a_picker_opens_as_textual_would_draw_it(
    example: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    count: int,
    current: int,
) -> None:
    """The scrollbar made room for at the first layout, the lines kept at the first resize,
    the list scrolled to the current choice before it is first drawn, no layout again at
    the first resize: the picker, once open, is as Textual's own way draws it, in the shape
    of the terminal's size (`-short`, `-narrow`) and on the current choice."""
    choices = many_choices(count, current)
    fast = await open_picker(ThiduaApp(load(example), example), size, choices)

    monkeypatch.setattr(picker, "LongOptionList", Textuals)
    monkeypatch.setattr(base.LocalisedModal, "_screen_resized", ModalScreen._screen_resized)
    reference = await open_picker(ThiduaApp(load(example), example), size, choices)
    assert fast == reference
    highlighted, offset, _scrollbar, _virtual, region, classes = fast[1]
    assert highlighted is not None
    assert offset.y <= highlighted < offset.y + region.height - 2  # within the tall border
    assert ("-short" in classes) == (size[1] < 36)


class Tall(App[None]):
    CSS: ClassVar[str] = "OptionList { height: auto; max-height: 8; }"

    def compose(self) -> ComposeResult:
        yield LongOptionList(*(Option(Text(f"line {i}")) for i in range(30)), id="long")


async def test_a_long_list_keeps_its_lines_while_its_width_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first resize, at the size the list was drawn at, keeps its lines and drawn
    options; a new width counts them again."""
    cleared: list[int] = []
    forget = OptionList._clear_caches

    def counted(self: OptionList) -> None:
        cleared.append(self.scrollable_content_region.width)
        forget(self)

    monkeypatch.setattr(OptionList, "_clear_caches", counted)
    app = Tall()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(LongOptionList)
        assert listing.show_vertical_scrollbar
        assert len(listing._lines) == 30
        assert cleared == []
        await pilot.resize_terminal(40, 20)
        await pilot.pause()
        assert cleared
        assert listing._lines_width == listing.scrollable_content_region.width
        assert len(listing._lines) == 30


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_backdrop_is_textuals_background_screen(
    app: ThiduaApp, size: tuple[int, int]
) -> None:
    """`Backdrop` tints the screen below a style at a time: its lines, segment by segment,
    are those of Textual's own rendering of the see-through background."""
    async with app.run_test(size=size) as pilot:
        await pilot.press("down", "down", "m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        backdrop = screen._backdrop
        assert isinstance(backdrop, base.Backdrop)
        style = screen.visual_style
        options = RenderOptions(lambda _: style, cast(RulesMap, screen.styles))
        width, height = app.size
        ours = backdrop._tinted(width, height, style)
        assert ours is not None
        textuals = backdrop._visual.render_strips(width, height, style, options)
    assert [list(strip) for strip in ours] == [list(strip) for strip in textuals]
    assert [strip.cell_length for strip in ours] == [strip.cell_length for strip in textuals]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_picker_is_whole_from_its_first_frame(example: Path, size: tuple[int, int]) -> None:
    """The first frame of a long picker is the picker as it stays: scrollbar drawn, list on
    the current choice, in the terminal's shape; later frames (Textual's own repaints) change
    nothing on screen."""
    app = ThiduaApp(load(example), example)
    frames: list[list[list[Segment]]] = []
    display = app._display

    def displayed(screen: Screen[object], update: RenderableType | None) -> None:
        display(screen, update)
        if update is not None and isinstance(screen, PickerScreen):
            frames.append(drawn(app))

    app._display = displayed  # type: ignore[method-assign, assignment]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.push_screen(PickerScreen("Chuyển tới", many_choices(90, 60)))
        await pilot.pause()
        await pilot.pause()
        last = drawn(app)
    assert frames
    assert all(frame == last for frame in frames)
