"""Solving from the interface: a worker runs the solver, progress shows, cancel stops it, and
the proposal is accepted whole or in part."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import attrs
from textual.widgets import Label
from textual.worker import WorkerFailed

from thidua import edits
from thidua.diff import diff
from thidua.model import Plan
from thidua.rules import validate
from thidua.solver import Alternative, Conflict, SolveResult, SolveStatus, Term
from thidua_tui.app import ThiduaApp
from thidua_tui.screens.proposal import ProposalScreen
from thidua_tui.widgets.solve_status import SolveStatus as SolveStatusWidget
from tui.helpers import SIZE, FakeSolver, broken, feasible, now, plain

Install = Callable[[Callable[[Plan], SolveResult]], FakeSolver]


def two_changes(plan: Plan) -> Plan:
    """What the stand-in solver proposes: a move and a new chair."""
    plan = edits.move_unit(plan, "so-cong-thuong", "khoi-5")
    return edits.set_chair(plan, "cum-1", "quan-1")


async def test_the_real_solver_proposes_and_the_planner_accepts_all(
    app_2014: ThiduaApp, last_year: Plan
) -> None:
    app = app_2014
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.view is not None
        assert {v.rule for v in app.view.violations} == {"chair-rotation"}  # 2013's chairs
        await pilot.press("f5")
        # The worker is still listed (and its wait raises its error) when its thread has not
        # ended by now, as on a busy machine; once ended it is dropped from the list. Either
        # way the crash is what the app must survive, checked below.
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.solving
        screen = app.screen
        assert isinstance(screen, ProposalScreen)
        assert len(screen.changes) >= 9  # at least a new chair for each group
        assert "tối ưu (đã chứng minh)" in plain(screen.query_one("#proposal-summary", Label))
        await pilot.press("enter")
        await pilot.pause()
        assert app.plan is not None
        assert validate(app.plan, (last_year,)) == ()
        assert app.view.violations == ()
        await pilot.press("ctrl+z")  # accepting is one edit
        await pilot.pause()
        assert broken(app) == {"chair-rotation"}


async def test_progress_shows_and_cancel_stops_the_search(
    app: ThiduaApp, fake_solver: Install
) -> None:
    fake = fake_solver(feasible(two_changes))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = app.screen.query_one(SolveStatusWidget)
        assert not status.display
        await pilot.press("f5")
        await pilot.pause()
        assert now(app).screen.query_one(SolveStatusWidget).display
        assert app.check_action("solve", ()) is False
        assert app.check_action("cancel_solve", ()) is True
        fake.started.wait(5)
        await pilot.pause()
        line = plain(status.query_one("#solve-line", Label))
        assert "tốt nhất hiện có 7" in line
        assert "không thể thấp hơn 2" in line
        assert "Đơn vị chuyển khối, cụm" in line  # the stage, by the term's name
        assert "/ 60 giây" in line  # the time allowed
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert fake.cancel is not None
        assert fake.cancel.is_set()
        assert not app.solving
        assert not status.display
        screen = app.screen
        assert isinstance(screen, ProposalScreen)
        assert "dừng giữa chừng" in plain(screen.query_one("#proposal-summary", Label))


async def test_accept_part_of_a_proposal(app: ThiduaApp, fake_solver: Install) -> None:
    fake = fake_solver(feasible(two_changes))
    fake.release.set()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProposalScreen)
        assert [type(c).__name__ for c in screen.changes] == ["Move", "RoleChange"]
        assert screen.chosen == {0, 1}
        await pilot.press("space")  # the cursor is on the first change: the move
        await pilot.pause()
        assert screen.chosen == {1}
        await pilot.press("enter")
        await pilot.pause()
        plan = app.plan
        assert plan is not None
        assert plan.group_of("so-cong-thuong") == "khoi-1"  # the move was left out
        assert plan.group_by_id["cum-1"].chair == "quan-1"


def other_move(plan: Plan) -> Plan:
    """The stand-in solver's alternative: the same unit moved elsewhere, the chair kept."""
    return edits.move_unit(plan, "so-cong-thuong", "khoi-2")


def with_an_alternative(plan: Plan) -> SolveResult:
    best = feasible(two_changes)(plan)
    assert best.plan is not None
    other = other_move(plan)
    terms = (Term("moves", 2, 0, 1), Term("staff_changes", 0, 0, 1))
    return attrs.evolve(best, alternatives=(Alternative(other, terms, diff(best.plan, other)),))


async def test_switch_to_an_alternative_and_accept_it(app: ThiduaApp, fake_solver: Install) -> None:
    fake = fake_solver(with_an_alternative)
    fake.release.set()
    async with app.run_test(size=SIZE) as pilot:
        start = app.plan
        assert start is not None
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert fake.calls[0]["alternatives"] == 2  # the app asks for two by default
        screen = app.screen
        assert isinstance(screen, ProposalScreen)
        best = two_changes(start)
        assert screen.proposal == best
        assert "Phương án tốt nhất (1 / 2)" in plain(screen.query_one("#proposal-which", Label))
        await pilot.press("]")
        await pilot.pause()
        alternative = other_move(start)
        assert screen.proposal == alternative
        assert [type(c).__name__ for c in screen.changes] == ["Move"]
        assert "Phương án khác 1 (2 / 2)" in plain(screen.query_one("#proposal-which", Label))
        summary = plain(screen.query_one("#proposal-summary", Label))
        assert "phương án khác" in summary
        assert "Đơn vị chuyển khối, cụm 2" in summary  # its own term values
        await pilot.press("[")  # back to the best, its two changes selected again
        await pilot.pause()
        assert screen.proposal == best
        assert screen.chosen == {0, 1}
        await pilot.press("]")  # the alternative again, accepted
        await pilot.press("enter")
        await pilot.pause()
        assert app.plan == alternative
        assert now(app).plan is not None
        assert app.plan.group_of("so-cong-thuong") == "khoi-2"


async def test_the_keys_for_alternatives_hide_without_any(
    app: ThiduaApp, fake_solver: Install
) -> None:
    fake_solver(feasible(two_changes)).release.set()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProposalScreen)
        assert screen.check_action("next_variant", ()) is False
        assert not screen.query("#proposal-which")
        await pilot.press("]")
        assert screen.proposal == two_changes(app.plan or Plan(year=2014))


async def test_discard_a_proposal(app: ThiduaApp, fake_solver: Install) -> None:
    fake_solver(feasible(two_changes)).release.set()
    async with app.run_test(size=SIZE) as pilot:
        before = app.plan
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ProposalScreen)
        await pilot.press("n", "a", "escape")
        await pilot.pause()
        assert app.plan is before


async def test_the_solver_sees_the_plan_as_edited(app: ThiduaApp, fake_solver: Install) -> None:
    fake = fake_solver(feasible(lambda plan: plan))
    fake.release.set()
    async with app.run_test(size=SIZE) as pilot:
        app.apply(lambda p: edits.move_unit(p, "quan-1", "cum-2"), "move")
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert fake.calls[0]["plan"] is app.plan
        assert fake.calls[0]["time_limit"] == 60.0
        assert not isinstance(app.screen, ProposalScreen)  # nothing to change: a notice


async def test_infeasible_names_the_conflict(app: ThiduaApp, fake_solver: Install) -> None:
    conflict = Conflict("group-size", ("cum-1",), "Cụm 1 cannot reach 5 members")

    def infeasible(plan: Plan) -> SolveResult:
        return SolveResult(status=SolveStatus.INFEASIBLE, conflict=(conflict,))

    fake_solver(infeasible).release.set()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ProposalScreen)
        messages = [n.message for n in app._notifications]
        assert any("Cụm 1 cannot reach 5 members" in m for m in messages)


async def test_a_crashing_solver_leaves_the_app_usable(
    app: ThiduaApp, fake_solver: Install
) -> None:
    def broken(plan: Plan) -> SolveResult:
        raise RuntimeError("boom")

    fake_solver(broken).release.set()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        # The worker is still listed (and its wait raises its error) when its thread has not
        # ended by now, as on a busy machine; once ended it is dropped from the list. Either
        # way the crash is what the app must survive, checked below.
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.solving
        assert app.check_action("solve", ()) is True
        assert any("boom" in n.message for n in app._notifications)


async def test_quitting_while_solving_stops_the_solver(
    app: ThiduaApp, fake_solver: Install
) -> None:
    fake = fake_solver(feasible(two_changes))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        fake.started.wait(5)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert fake.cancel is not None
    assert fake.cancel.is_set()


def test_feasible_result_keeps_the_plan() -> None:
    plan = Plan(year=2014)
    assert attrs.evolve(feasible(lambda p: p)(plan)).plan is plan
