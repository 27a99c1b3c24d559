"""Opening things quickly and fully: the footer at 80 columns, the help's keys of the proposal,
the alternatives' reasons, and the shortcuts that make dialogs open fast (the screen below
drawn once, long lists sized without measuring every line) giving what Textual's own way
gives."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import attrs
import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets._footer import FooterKey
from textual.widgets.option_list import Option

from thidua import edits
from thidua.diff import diff
from thidua.model import Plan
from thidua.solver import Alternative, MoveReason, SolveResult, Term
from thidua_tui.app import ThiduaApp
from thidua_tui.screens.base import Backdrop, LocalisedModal
from thidua_tui.screens.help import HelpScreen
from thidua_tui.screens.picker import PickerScreen
from thidua_tui.screens.proposal import ProposalScreen
from thidua_tui.widgets.footer import KeysFooter, key_width
from thidua_tui.widgets.options import LongOptionList
from tui.helpers import FakeSolver, feasible, plain

Install = Callable[[Callable[[Plan], SolveResult]], FakeSolver]


def footer_keys(app: ThiduaApp) -> list[FooterKey]:
    return list(app.screen.query_one(KeysFooter).query(FooterKey))


@pytest.mark.parametrize("width", [80, 100, 160])
async def test_the_footer_shows_only_keys_that_fit(draft_2014: ThiduaApp, width: int) -> None:
    app = draft_2014
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = footer_keys(app)
        palette = [key for key in keys if key.has_class("-command-palette")]
        row = [key for key in keys if key not in palette]
        assert len(palette) == 1
        # Every key of the row ends before the palette's key: none shows under it or past it.
        for key in row:
            assert key.region.right <= palette[0].region.x, key.description
            assert key.region.width == key_width(key)
        assert palette[0].region.right <= width
        # Help and saving are never the ones left out.
        assert {key.action for key in row} >= {"help", "save"}
        # The footer's line reads the keys and nothing else: no letter of a hidden key.
        line = app.export_screenshot()
        assert line.count("Lệnh") == 1


async def test_a_narrow_footer_leaves_out_the_least_useful_keys(draft_2014: ThiduaApp) -> None:
    app = draft_2014
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        wide = [key.action for key in footer_keys(app)]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        narrow = [key.action for key in footer_keys(app)]
    assert set(narrow) < set(wide)
    assert [action for action in wide if action in narrow] == narrow  # the order kept
    assert "pin" not in narrow  # the last in the footer's order of usefulness
    assert "help" in narrow


async def test_the_help_lists_the_proposal_keys(app: ThiduaApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        text = plain(screen.query_one("#help-keys", Static))
    assert "Trong đề xuất của bộ giải" in text
    lines = text.splitlines()
    previous = next(line for line in lines if "Phương án trước đó" in line)
    following = next(line for line in lines if "Phương án khác tiếp theo" in line)
    assert previous.split()[0] == "["
    assert following.split()[0] == "]"


def two_changes(plan: Plan) -> Plan:
    plan = edits.move_unit(plan, "so-cong-thuong", "khoi-5")
    return edits.set_chair(plan, "cum-1", "quan-1")


def with_a_reasoned_alternative(plan: Plan) -> SolveResult:
    """The best plan, and an alternative moving the same unit elsewhere, with its reason."""
    best = feasible(two_changes)(plan)
    assert best.plan is not None
    other = edits.move_unit(plan, "so-cong-thuong", "khoi-2")
    reason = MoveReason("so-cong-thuong", "khoi-1", "khoi-2", ("spread",), "evens out sizes")
    terms = (Term("moves", 1, 0, 1), Term("staff_changes", 0, 0, 1))
    alternative = Alternative(other, terms, diff(best.plan, other), (reason,))
    return attrs.evolve(best, alternatives=(alternative,))


async def test_an_alternative_shows_why_each_unit_moves(
    app: ThiduaApp, fake_solver: Install
) -> None:
    fake_solver(with_a_reasoned_alternative).release.set()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProposalScreen)
        await pilot.press("]")
        await pilot.pause()
        assert screen.shown == 1
        listing = screen.query_one(OptionList)
        rows = [
            str(getattr(option.prompt, "plain", option.prompt))
            for option in (listing.get_option_at_index(i) for i in range(listing.option_count))
            if not option.disabled
        ]
    assert len(rows) == 1
    assert "evens out sizes" in rows[0]


# -- the shortcuts: the same result as Textual's own way ------------------------------------


def screen_text(app: ThiduaApp) -> list[str]:
    """The screen as text, line by line (styles left out)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_a_dialog_draws_the_screen_below_as_it_is(app: ThiduaApp) -> None:
    """The dialog's copy of the screen below (`Backdrop`) follows that screen when it changes
    under the dialog, and shows what Textual's own drawing shows."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "down")
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        assert isinstance(screen._backdrop, Backdrop)
        before = screen_text(app)
        app.sub_title = "a new subtitle"  # the header of the screen below changes
        await pilot.pause()
        await pilot.pause()
        kept = screen_text(app)
        # Textual's own drawing of the same screens, without the copy.
        original = LocalisedModal.render
        try:
            LocalisedModal.render = lambda self: super(LocalisedModal, self).render()  # type: ignore[method-assign]
            screen.refresh()
            await pilot.pause()
            fresh = screen_text(app)
        finally:
            LocalisedModal.render = original  # type: ignore[method-assign]
    assert kept != before  # the change below shows through the dialog
    assert kept == fresh


class Lists(App[None]):
    """A plain option list and a long one, side by side, with the same options."""

    CSS = """
    Vertical { width: 40; height: auto; max-height: 30; }
    OptionList { height: auto; max-height: 12; }
    """

    def __init__(self, prompts: list[str]) -> None:
        super().__init__()
        self.prompts = prompts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield OptionList(*(Option(p) for p in self.prompts), id="plain")
        with Vertical():
            yield LongOptionList(*(Option(p) for p in self.prompts), id="long")


@pytest.mark.parametrize("count", [0, 1, 5, 11, 12, 13, 40])
@pytest.mark.parametrize("wide", [False, True])
async def test_a_long_option_list_is_as_high_as_a_plain_one(count: int, wide: bool) -> None:
    # Wide prompts wrap over two or three lines: fewer options than lines.
    word = "Phường Bến Nghé, Quận 1, thành phố Hồ Chí Minh " if wide else "Quận "
    prompts = [f"{word}{index}" for index in range(count)]
    app = Lists(prompts)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        plain_list = app.query_one("#plain", OptionList)
        long_list = app.query_one("#long", LongOptionList)
        assert long_list.region.height == plain_list.region.height
        assert long_list.virtual_size == plain_list.virtual_size


def test_the_first_screen_loads_no_solver_documents_or_graphs() -> None:
    """`thidua tui PLAN` imports what its first screen needs: the solver (OR-Tools), the
    documents and networkx (for plans with borders) come later, when asked for."""
    code = (
        "import sys\n"
        "from thidua.cli import build_parser, command_asked\n"
        "build_parser(command_asked(['tui', 'examples/hcmc-2013.toml']))\n"
        "import thidua_tui.app\n"
        "print('\\n'.join(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "thidua_tui.app" in loaded
    for heavy in ("thidua.solver", "thidua.documents", "ortools", "networkx", "pandas"):
        assert heavy not in loaded, heavy


def expected_keys(app: ThiduaApp) -> list[tuple[str, bool]]:
    """The keys a footer built afresh would show on a wide terminal: every shown binding
    (and the palette's), with whether it is enabled."""
    return [
        (binding.action, enabled)
        for (_node, binding, enabled, _tooltip) in app.screen.active_bindings.values()
        if binding.show or binding.action == "command_palette"
    ]


async def test_the_footer_follows_the_keys_through_a_session(app: ThiduaApp) -> None:
    """The footer skips a rebuild when the keys stay as they are: it must still show what a
    footer built afresh shows, at every step."""
    async with app.run_test(size=(200, 40)) as pilot:

        async def shown() -> list[tuple[str, bool]]:
            await pilot.pause()
            await pilot.pause()
            keys = footer_keys(app)
            # A key enabled in place answers a click as a key composed enabled does.
            assert all(key._disabled == key.has_class("-disabled") for key in keys)
            return [(key.action, not key.has_class("-disabled")) for key in keys]

        steps = [("down",), ("down",), ("up",), ("p", "escape"), ("ctrl+z",), ("2",), ("1",)]
        assert await shown() == expected_keys(app)
        for keys in steps:
            await pilot.press(*keys)
            assert await shown() == expected_keys(app), keys
        assert app.apply(lambda plan: edits.move_unit(plan, "quan-1", "cum-2"), "test")
        assert await shown() == expected_keys(app)  # undo now enabled
        assert ("undo", True) in await shown()
