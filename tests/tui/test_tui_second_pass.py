"""Issue 13's second pass: the proposal by group with reasons, hand choices kept through a
solve, the year-end review, assigning from the staff tab, the size spread in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
from textual.widgets import DataTable, Label, OptionList

from thidua import edits
from thidua.model import Pin, Plan
from thidua.search import Kind
from thidua.solver import MoveReason, SolveResult
from thidua_tui.app import ThiduaApp
from thidua_tui.screens.picker import PickerScreen
from thidua_tui.screens.proposal import ProposalScreen
from thidua_tui.screens.review import ReviewScreen
from thidua_tui.widgets.terms_panel import TermsPanel
from tui.helpers import EXAMPLE, SIZE, FakeSolver, choose, feasible, now, options, plain, select

Install = Callable[[Callable[[Plan], SolveResult]], FakeSolver]


def three_changes(plan: Plan) -> Plan:
    """A move into Khối 5, a new chair for Cụm 1, and a move into Khối 2."""
    plan = edits.move_unit(plan, "so-cong-thuong", "khoi-5")
    plan = edits.move_unit(plan, "so-tai-chinh", "khoi-2")
    return edits.set_chair(plan, "cum-1", "quan-5")


def with_reason(edit: Callable[[Plan], Plan]) -> Callable[[Plan], SolveResult]:
    def result(plan: Plan) -> SolveResult:
        reason = MoveReason("so-cong-thuong", "khoi-1", "khoi-5", ("spread",), "evens out sizes")
        return attrs.evolve(feasible(edit)(plan), reasons=(reason,))

    return result


async def test_the_proposal_goes_by_group_with_counts_reasons_and_a_filter(
    app_2014: ThiduaApp, fake_solver: Install
) -> None:
    app = app_2014
    fake_solver(with_reason(three_changes)).release.set()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProposalScreen)
        counts = plain(screen.query_one("#proposal-counts", Label))
        assert "3 thay đổi" in counts
        assert "2 đơn vị chuyển nhóm" in counts
        assert "1 đổi trưởng" in counts
        listing = screen.query_one(OptionList)
        lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        # Group headings in the plan's order, each change under its group, reasons below.
        assert [line.split("\n")[0] for line in lines if "→" not in line] == [
            "Khối 2",
            "Khối 5",
            "Cụm 1",
        ]
        move = next(line for line in lines if "Sở Công Thương" in line)
        assert "Khối 1 → Khối 5" in move
        assert "evens out sizes" in move
        chair = next(line for line in lines if "Cụm trưởng" in line)
        assert "đã làm trưởng năm trước: luân phiên" in chair  # 2013's chair, rotated away
        await pilot.press("f")  # moves only
        await pilot.pause()
        shown = [listing.get_option_at_index(i) for i in range(listing.option_count)]
        assert sum(1 for option in shown if not option.disabled) == 2
        await pilot.press("n")  # drop the moves: the chair change stays selected
        await pilot.press("enter")
        await pilot.pause()
        plan = now(app).plan
        assert plan is not None
        assert plan.group_of("so-cong-thuong") == "khoi-1"
        assert plan.group_by_id["cum-1"].chair == "quan-5"


async def test_a_choice_made_by_hand_is_pinned_and_undone_with_its_pin(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.UNIT, "so-cong-thuong")
        await pilot.press("m")
        await pilot.pause()
        await choose(pilot, "khoi-5")
        plan = now(app).plan
        assert plan is not None
        assert plan.group_of("so-cong-thuong") == "khoi-5"
        assert Pin.unit_in("so-cong-thuong", "khoi-5") in plan.pins
        # Moving it again replaces the pin rather than breaking it.
        await pilot.press("m")
        await pilot.pause()
        await choose(pilot, "khoi-2")
        plan = now(app).plan
        assert plan is not None
        assert [p for p in plan.pins if p.subject == "so-cong-thuong"] == [
            Pin.unit_in("so-cong-thuong", "khoi-2")
        ]
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        plan = now(app).plan
        assert plan is not None
        assert not [p for p in plan.pins if p.subject == "so-cong-thuong"]


async def test_edits_made_while_solving_are_not_taken_back_unasked(
    app: ThiduaApp, fake_solver: Install
) -> None:
    fake = fake_solver(feasible(three_changes))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        fake.started.wait(5)
        await pilot.pause()
        # While the solver runs, the planner moves a unit the proposal will move elsewhere.
        await select(pilot, Kind.UNIT, "so-cong-thuong")
        await pilot.press("m")
        await pilot.pause()
        await choose(pilot, "khoi-3")
        fake.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProposalScreen)
        assert "thay đổi trong lúc bộ giải chạy" in plain(
            screen.query_one("#proposal-warning", Label)
        )
        move = next(
            i for i, c in enumerate(screen.changes) if getattr(c, "unit", "") == "so-cong-thuong"
        )
        assert move not in screen.chosen
        await pilot.press("enter")
        await pilot.pause()
        plan = now(app).plan
        assert plan is not None
        assert plan.group_of("so-cong-thuong") == "khoi-3"  # the planner's edit stands
        assert plan.group_of("so-tai-chinh") == "khoi-2"  # the rest of the proposal is taken


async def test_the_year_end_review_is_shown_and_stored(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.plan is not None
        assert not app.plan.results
        app.show_review(EXAMPLE.with_name("scores-2013.csv"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.query_one(DataTable)
        notes = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        # A leading unit per group.
        assert sum("dẫn đầu" in note for note in notes) == len(app.plan.groups)
        await pilot.press("s")
        await pilot.pause()
        plan = now(app).plan
        assert plan is not None
        assert len(plan.results) == len(plan.groups)
        assert all(result.leading_unit for result in plan.results)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not now(app).plan.results  # type: ignore[union-attr]


async def test_a_person_is_assigned_from_the_staff_tab(app_2014: ThiduaApp) -> None:
    app = app_2014
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(pilot, Kind.STAFF, "ngo-kim-lien")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        shown = options(pilot)
        assert shown[0] == "khoi-1"  # the group already in her charge comes first
        barred = options(pilot, barred=True)
        assert barred == []  # a leader with room: every group is open to her
        await choose(pilot, "khoi-2")
        plan = now(app).plan
        assert plan is not None
        assert plan.group_by_id["khoi-2"].leader == "ngo-kim-lien"
        assert Pin.staff_on("ngo-kim-lien", "khoi-2") in plan.pins
        # Now at her limit of two: the picker greys every other group, naming the rule.
        await pilot.press("g")
        await pilot.pause()
        assert "khoi-3" in options(pilot, barred=True)


async def test_the_size_spread_cannot_be_read_as_a_group_name(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = plain(app.screen.query_one(TermsPanel))
        assert "khối: " in text
        assert "Khối 3" not in text


async def test_violations_filter_by_rule_and_staff_show_titles(app_2014: ThiduaApp) -> None:
    from thidua_tui.widgets.staff_table import StaffTable
    from thidua_tui.widgets.violations import ViolationsPanel

    app = app_2014
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.apply(lambda p: edits.move_unit(p, "quan-1", None), "move")
        await pilot.pause()
        panel = app.screen.query_one(ViolationsPanel)
        everything = panel.row_count
        panel.focus()
        await pilot.press("f")
        await pilot.pause()
        assert panel.rule_filter is not None
        assert 0 < panel.row_count < everything
        assert "chỉ:" in str(panel.border_title)
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(StaffTable)
        titles = [str(table.get_row_at(i)[5]) for i in range(table.row_count)]
        assert "Phó Văn phòng Ủy ban nhân dân thành phố" in titles


async def test_the_dispatch_is_previewed_and_written(app: ThiduaApp, tmp_path: Path) -> None:
    from textual.widgets import Input, Static

    from thidua_tui.screens.export import ExportScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        preview = plain(screen.query_one("#export-preview").query_one(Static))
        assert "Khối 1" in preview
        target = tmp_path / "cong-van.md"
        screen.query_one(Input).value = str(target)
        await pilot.click("#md")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Khối 1" in target.read_text(encoding="utf-8")


async def test_soft_findings_are_named_after_the_violations() -> None:
    """The 2026 pairs fixture: 50 neighbour pairs, none grouped yet: each split pair named."""
    from thidua.files import load
    from thidua_tui.widgets.violations import ViolationsPanel

    path = EXAMPLE.parents[1] / "tests" / "data" / "hcmc-2026-pairs.toml"
    app = ThiduaApp(load(path), path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.view is not None
        assert len(app.view.notes) == 50
        panel = app.screen.query_one(ViolationsPanel)
        assert "ghi chú: 50" in str(panel.border_title)
        rows = [str(panel.get_row_at(i)[-1]) for i in range(panel.row_count)]
        assert any("giáp ranh nhưng không cùng" in row for row in rows)


async def test_a_groups_detail_shows_its_past_chairs(app_2014: ThiduaApp) -> None:
    from thidua_tui.widgets.group_detail import GroupDetail

    app = app_2014
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(pilot, Kind.GROUP, "khoi-1")
        roles = plain(app.screen.query_one(GroupDetail).query_one("#group-roles"))
        assert "Trưởng các năm trước" in roles
        assert "2013: Ban Quản lý Khu Công nghệ cao" in roles
