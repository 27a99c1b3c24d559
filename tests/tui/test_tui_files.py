"""Files: save keeps the file's comments, save as, open from inside, previous plans, and
quitting with unsaved changes asks first. Bad files given on the command line fail before the
terminal is taken over."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from thidua import edits
from thidua.cli import main
from thidua.files import load
from thidua.rules import validate
from thidua.search import Kind
from thidua_tui.app import ThiduaApp, suggested_path
from thidua_tui.screens.confirm import ConfirmScreen
from thidua_tui.screens.file_dialog import FileScreen
from thidua_tui.screens.quit import QuitScreen
from tui.helpers import EXAMPLE, SIZE, now, select


async def test_save_writes_the_plan_and_keeps_comments(app: ThiduaApp, example: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.apply(lambda p: edits.move_unit(p, "quan-1", "cum-2"), "move")
        await pilot.pause()
        assert app.dirty
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not now(app).dirty
        assert app.title == "thidua · hcmc-2013.toml"
        assert "chưa lưu" not in app.sub_title
    saved = load(example)
    assert saved.group_of("quan-1") == "cum-2"
    text = example.read_text(encoding="utf-8")
    assert text.startswith("# thidua plan: the 2013 emulation blocks (khối)")
    assert "# Khối 1" in text


async def test_undo_back_to_the_saved_plan_is_clean(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.apply(lambda p: edits.move_unit(p, "quan-1", "cum-2"), "move")
        await pilot.pause()
        assert app.dirty
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not app.dirty


async def test_save_as_asks_for_a_path(app: ThiduaApp, tmp_path: Path) -> None:
    target = tmp_path / "hcmc-2014.toml"
    async with app.run_test(size=SIZE) as pilot:
        app.apply(lambda p: edits.set_chair(p, "cum-1", "quan-1"), "chair")
        await pilot.press("f12")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FileScreen)
        box = screen.query_one(Input)
        box.value = str(tmp_path / "missing-dir" / "x.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert "Không có thư mục" in str(screen.query_one("#file-error").render())
        box.value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.path == target
        assert not app.dirty
        assert app.title == "thidua · hcmc-2014.toml"
    assert load(target).group_by_id["cum-1"].chair == "quan-1"
    assert "# Khối 1" in target.read_text(encoding="utf-8")  # the original's layout
    assert validate(load(target)) == ()


async def test_save_without_a_file_asks_where(tmp_path: Path) -> None:
    app = ThiduaApp(None, None)
    async with app.run_test(size=SIZE) as pilot:
        assert app.plan is None
        assert app.check_action("save", ()) is False
        await pilot.press("ctrl+n")
        await pilot.pause()
        plan = now(app).plan
        assert plan is not None
        assert plan.units == ()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FileScreen)
        app.screen.query_one(Input).value = str(tmp_path / "new.toml")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert load(tmp_path / "new.toml").year == plan.year


async def test_quit_when_clean_exits_at_once(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_save_and_quit(app: ThiduaApp, example: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.apply(lambda p: edits.move_unit(p, "quan-1", "cum-2"), "move")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 0
    assert load(example).group_of("quan-1") == "cum-2"


def test_save_as_suggests_the_plans_year() -> None:
    assert suggested_path(Path("/x/hcmc-2013.toml"), 2014) == Path("/x/hcmc-2014.toml")
    assert suggested_path(Path("/x/ke-hoach.toml"), 2014) == Path("/x/ke-hoach-2014.toml")
    assert suggested_path(Path("/x/a-12345.toml"), 2014) == Path("/x/a-12345-2014.toml")


async def test_quit_with_unsaved_changes_asks(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.apply(lambda p: edits.move_unit(p, "quan-1", "cum-2"), "move")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(now(app).screen, QuitScreen)
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_open_another_plan_from_inside(app: ThiduaApp, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("year = 2013", "year = 2014"),
        encoding="utf-8",
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("year = \n", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        app.apply(lambda p: edits.move_unit(p, "quan-1", "cum-2"), "move")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # unsaved changes: ask first
        await pilot.press("y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FileScreen)
        screen.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        assert any("bad.toml:1" in n.message for n in app._notifications)
        assert app.plan is not None
        assert app.plan.year == 2013  # a bad file changes nothing
        await pilot.press("ctrl+o", "y")
        await pilot.pause()
        app.screen.query_one(Input).value = str(other)
        await pilot.press("enter")
        await pilot.pause()
        assert app.plan.year == 2014
        assert app.path == other
        assert not app.dirty
        assert app.history is not None
        assert not app.history.can_undo


async def test_open_a_previous_plan_to_compare(app: ThiduaApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.GROUP, "khoi-1")
        assert app.previous == ()
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one(Input).value = str(EXAMPLE)
        await pilot.press("enter")
        await pilot.pause()
        assert [p.year for p in now(app).previous] == [2013]
        assert app.view is not None
        assert app.view.last is not None


def test_a_bad_plan_fails_before_the_interface_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("year = 2013\n[[units]]\nid = 'Quận 1'\n", encoding="utf-8")
    assert main(["tui", str(bad)]) == 2
    assert main(["tui", str(EXAMPLE), "--previous", str(tmp_path / "none.toml")]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert errors[0].startswith(f"thidua: {bad}:")
    assert errors[1] == f"thidua: {tmp_path / 'none.toml'}: no such file"
