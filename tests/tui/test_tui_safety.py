"""Nothing is lost: an error in an action leaves the session and the plan as they were, and
edits survive a kill through the autosave the next start offers back."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from thidua import edits
from thidua.files import load
from thidua.model import Plan
from thidua.search import Kind
from thidua_tui import app as app_module
from thidua_tui import autosave, pickers
from thidua_tui.app import ThiduaApp
from thidua_tui.screens.confirm import ConfirmScreen
from thidua_tui.screens.main import MainScreen
from tui.helpers import SIZE, now, select

UNIT = "ban-quan-ly-khu-cong-nghe-cao"  # a member of khoi-1 in the 2013 example


def moved_away(plan: Plan) -> Plan:
    """The example with one unit moved out of its group: an edit easy to recognise."""
    return edits.move_unit(plan, UNIT, None)


async def settle(pilot: Pilot[int]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_an_error_in_an_action_leaves_the_session_and_the_plan(
    app: ThiduaApp, example: Path, autosave_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_options: object) -> object:
        raise RuntimeError("injected")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.apply(moved_away, "move")  # an unsaved edit the error must not lose
        edited = app.plan
        monkeypatch.setattr(pickers, "recommend", broken)  # what m asks first
        await select(pilot, Kind.UNIT, "so-tai-chinh")
        await pilot.press("m")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, MainScreen)  # no picker half-open
        assert now(app).plan is edited
        assert app.dirty
        # The traceback is kept for a bug report, and the edits are on disk already.
        assert "RuntimeError: injected" in (autosave_dir / "errors.log").read_text("utf-8")
        found = autosave.Autosave.find(app.path, autosave_dir)
        assert found is not None
        assert found.load() == edited
        # The session goes on: the next key works.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert now(app).plan == load(example)


async def test_an_error_in_a_dialog_answer_is_reported_too(
    app: ThiduaApp, autosave_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> Plan:
        raise RuntimeError("injected in the answer")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.plan
        monkeypatch.setattr(edits, "move_unit", broken)
        await select(pilot, Kind.UNIT, UNIT)
        await pilot.press("m", "end", "enter")
        await pilot.pause()
        assert app.is_running
        assert now(app).plan is before
        assert "injected in the answer" in (autosave_dir / "errors.log").read_text("utf-8")


async def test_edits_come_back_after_a_kill(
    example: Path, autosave_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY", 0.05)
    first = ThiduaApp(load(example), example)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first.apply(moved_away, "move")
        edited = first.plan
        await pilot.pause(0.2)  # the autosave timer fires
        await settle(pilot)
    # Leaving run_test without Ctrl+Q is what a kill does: nothing runs on the way out.
    assert autosave.Autosave.find(example, autosave_dir) is not None
    assert load(example) != edited  # the plan file itself was never touched

    second = ThiduaApp(load(example), example)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert now(second).plan == edited
        assert second.dirty
        # Restoring is an edit: undo shows the file as it is on disk.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert now(second).plan == load(example)


async def test_declining_the_autosave_keeps_it_aside(example: Path, autosave_dir: Path) -> None:
    autosave.write(moved_away(load(example)), example, autosave_dir)
    app = ThiduaApp(load(example), example)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert now(app).plan == load(example)
    assert autosave.Autosave.find(example, autosave_dir) is None
    assert [p.name.endswith(".discarded.toml") for p in autosave_dir.iterdir()] == [True]


async def test_saving_or_quitting_on_purpose_drops_the_autosave(
    example: Path, autosave_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY", 0.05)
    app = ThiduaApp(load(example), example)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.apply(moved_away, "move")
        await pilot.pause(0.2)
        await settle(pilot)
        assert autosave.Autosave.find(example, autosave_dir) is not None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.dirty
        assert autosave.Autosave.find(example, autosave_dir) is None
        app.apply(lambda p: edits.move_unit(p, UNIT, "khoi-1"), "move back")
        await pilot.pause(0.2)
        await settle(pilot)
        assert autosave.Autosave.find(example, autosave_dir) is not None
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert autosave.Autosave.find(example, autosave_dir) is None


def test_an_autosave_names_its_plan_and_is_a_plan_file(tmp_path: Path, example: Path) -> None:
    plan = load(example)
    written = autosave.write(plan, example, tmp_path)
    found = autosave.Autosave.find(example, tmp_path)
    assert found is not None
    assert found.path == written
    assert found.source == example.resolve()
    assert found.load() == plan
    # Two plans of one name in different folders do not share an autosave.
    other = tmp_path / "elsewhere" / example.name
    assert autosave.slot_for(other, tmp_path) != written
    assert autosave.Autosave.find(None, tmp_path) is None
