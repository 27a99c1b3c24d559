"""Editing from the keyboard: pickers list only eligible choices; every edit can be undone."""

from __future__ import annotations

from textual.widgets import Input, Select

from thidua.model import Pin, Role
from thidua.search import Kind
from thidua_tui.app import ThiduaApp
from thidua_tui.screens.add_form import AddScreen
from thidua_tui.screens.confirm import ConfirmScreen
from thidua_tui.screens.picker import PickerScreen
from thidua_tui.state import Selection
from thidua_tui.widgets.plan_tree import PlanTree
from thidua_tui.widgets.violations import ViolationsPanel
from tui.helpers import SIZE, cells, choose, highlighted, now, options, picker_line, select

CHAIR = "ban-quan-ly-khu-cong-nghe-cao"  # chairs Khối 1 in 2013
NO_CHOICE = "\0none"


async def test_move_a_unit_then_undo_and_redo(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.UNIT, CHAIR)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        # Only blocks: a department cannot join a cluster, and the picker says so.
        assert set(options(pilot)) == {NO_CHOICE, "khoi-1", "khoi-2", "khoi-3", "khoi-4", "khoi-5"}
        assert options(pilot, barred=True) == ["cum-1", "cum-2", "cum-3", "cum-4"]
        assert "✗ Đúng loại nhóm" in picker_line(pilot, "cum-1")
        assert highlighted(pilot) == "khoi-1"  # it opens on where the unit is
        await choose(pilot, "khoi-5")
        plan = app.plan
        assert plan is not None
        assert plan.group_of(CHAIR) == "khoi-5"
        assert plan.group_by_id["khoi-1"].chair is None
        assert app.dirty
        assert app.title.endswith("●")
        panel = app.screen.query_one(ViolationsPanel)
        assert cells(panel, 1) == ["Khối 1 chưa có Khối trưởng"]
        tree = app.screen.query_one(PlanTree)
        assert tree.cursor_node is not None
        assert tree.cursor_node.data == Selection(Kind.UNIT, CHAIR)  # the cursor followed
        assert tree.cursor_node.parent is not None
        assert tree.cursor_node.parent.data == Selection(Kind.GROUP, "khoi-5")

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.plan is not None
        assert app.plan.group_of(CHAIR) == "khoi-1"
        assert not now(app).dirty
        assert panel.border_title == "Vi phạm: 0"
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.plan.group_of(CHAIR) == "khoi-5"


async def test_move_out_of_every_group(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.UNIT, "quan-1")
        await pilot.press("m")
        await pilot.pause()
        await choose(pilot, NO_CHOICE)
        assert app.plan is not None
        assert app.plan.groups_of_unit["quan-1"] == ()
        tree = app.screen.query_one(PlanTree)
        unplaced = tree.root.children[-1]
        assert [n.data for n in unplaced.children] == [Selection(Kind.UNIT, "quan-1")]


async def test_cancelling_a_picker_changes_nothing(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.UNIT, "quan-1")
        before = app.plan
        await pilot.press("m", "escape")
        await pilot.pause()
        assert app.plan is before
        assert app.history is not None
        assert not app.history.can_undo


async def test_chair_picker_leaves_out_last_years_chair(app_2014: ThiduaApp) -> None:
    app = app_2014
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.GROUP, "khoi-1")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.title_text == "Chọn khối trưởng cho Khối 1"
        shown = options(pilot)
        assert CHAIR not in shown  # chaired Khối 1 in 2013: barred by rotation, and shown so
        assert options(pilot, barred=True) == [CHAIR]
        line = picker_line(pilot, CHAIR)
        assert "✗ Luân phiên trưởng" in line
        assert "2013" in line  # the year it chaired
        assert highlighted(pilot) == CHAIR  # the picker opens on the present chair
        assert len(shown) == 1 + 10
        # More than eight choices: the picker filters as the planner types, without accents.
        await pilot.press(*"so cong")
        await pilot.pause()
        assert options(pilot) == ["so-cong-thuong"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.plan is not None
        assert app.plan.group_by_id["khoi-1"].chair == "so-cong-thuong"


async def test_deputy_picker(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.GROUP, "cum-4")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await choose(pilot, "huyen-can-gio")
        assert app.plan is not None
        assert app.plan.group_by_id["cum-4"].deputy == "huyen-can-gio"


async def test_leader_picker_shows_workloads_and_only_eligible_people(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.GROUP, "khoi-1")
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        plan = app.plan
        assert plan is not None
        shown = options(pilot)
        leaders = [s.id for s in plan.staff if s.role is Role.LEADER]
        busy = [s for s in leaders if len(plan.workload(s)) >= 2]
        assert busy  # three leaders lead two groups in 2013: none can take a third
        assert set(shown) == {NO_CHOICE} | (set(leaders) - set(busy))
        prompts = {c.value: c.prompt.plain for c in screen.choices}
        assert "1/2 nhóm" in prompts["truong-thi-minh-huong"]
        assert "Khối 4" in prompts["truong-thi-minh-huong"]
        await choose(pilot, "truong-thi-minh-huong")
        assert app.plan is not None
        assert app.plan.group_by_id["khoi-1"].leader == "truong-thi-minh-huong"
        assert app.plan.workload("truong-thi-minh-huong") == ("khoi-1", "khoi-4")


async def test_officer_picker_clears_the_officer(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.GROUP, "cum-2")
        await pilot.press("o")
        await pilot.pause()
        plan = app.plan
        assert plan is not None
        officers = {s.id for s in plan.staff if s.role is Role.OFFICER}
        assert set(options(pilot)) - {NO_CHOICE} <= officers
        await choose(pilot, NO_CHOICE)
        assert app.plan is not None
        assert app.plan.group_by_id["cum-2"].officer is None
        assert "one-officer" in {v.rule for v in app.view.violations} if app.view else False


async def test_pin_and_unpin(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.UNIT, CHAIR)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        assert [c.prompt.plain for c in screen.choices] == [
            "Giữ Ban Quản lý Khu Công nghệ cao trong Khối 1  chưa ghim",
            "Giữ Ban Quản lý Khu Công nghệ cao làm khối trưởng Khối 1  chưa ghim",
        ]
        await choose(pilot, "1")
        assert app.plan is not None
        assert app.plan.pins == (Pin.chair_of(CHAIR, "khoi-1"),)
        await pilot.press("p")
        await pilot.pause()
        await choose(pilot, "1")
        plan = now(app).plan
        assert plan is not None
        assert plan.pins == ()
        await pilot.press("ctrl+z")
        await pilot.pause()
        plan = now(app).plan
        assert plan is not None
        assert plan.pins == (Pin.chair_of(CHAIR, "khoi-1"),)


async def test_add_a_group_then_a_unit_into_it(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await choose(pilot, "group")
        assert isinstance(app.screen, AddScreen)
        await pilot.press(*"Khối 6", "enter")
        await pilot.pause()
        plan = app.plan
        assert plan is not None
        assert plan.groups[-1].name == "Khối 6"
        assert plan.groups[-1].kind == "department"  # the selected group's kind
        assert app.selection == Selection(Kind.GROUP, "khoi-6")

        await pilot.press("a")
        await pilot.pause()
        await choose(pilot, "unit")
        screen = app.screen
        assert isinstance(screen, AddScreen)
        assert screen.query_one("#add-group", Select).value == "khoi-6"
        await pilot.press(*"Sở Du lịch", "enter")
        await pilot.pause()
        plan = app.plan
        assert plan is not None
        assert plan.group_by_id["khoi-6"].members == ("so-du-lich",)
        assert app.selection == Selection(Kind.UNIT, "so-du-lich")


async def test_add_a_person_with_a_limit(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await choose(pilot, "person")
        screen = app.screen
        assert isinstance(screen, AddScreen)
        screen.query_one("#add-name", Input).value = "Trần Văn An"
        screen.query_one("#add-role", Select).value = "leader"
        screen.query_one("#add-max", Input).value = "3"
        await pilot.click("#ok")
        await pilot.pause()
        plan = app.plan
        assert plan is not None
        person = plan.staff_by_id["tran-van-an"]
        assert (person.role, person.max_groups) == (Role.LEADER, 3)
        assert app.selection == Selection(Kind.STAFF, "tran-van-an")


async def test_an_empty_name_is_refused_in_the_form(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        before = app.plan
        await pilot.press("a")
        await pilot.pause()
        await choose(pilot, "unit")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AddScreen)
        # The interface speaks Vietnamese, and so does the core edit it reports.
        assert "không được để trống" in str(screen.query_one("#add-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.plan is before


async def test_remove_asks_first(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.GROUP, "cum-4")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.plan is not None
        assert "cum-4" in app.plan.group_by_id
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "cum-4" not in app.plan.group_by_id
        assert app.selection is None
        assert {v.rule for v in app.view.violations} == {"unit-in-one-group"} if app.view else False
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "cum-4" in app.plan.group_by_id


async def test_remove_a_unit_and_a_person(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.UNIT, "quan-1")
        await pilot.press("delete", "y")
        await pilot.pause()
        assert app.plan is not None
        assert "quan-1" not in app.plan.unit_by_id
        await select(pilot, Kind.STAFF, "mai-huu-quyet")
        await pilot.press("delete", "y")
        await pilot.pause()
        assert "mai-huu-quyet" not in app.plan.staff_by_id
        assert app.history is not None
        assert len(app.history.past) == 2


async def test_m_on_a_new_unit_offers_the_groups_cheapest_first(
    draft_2014: ThiduaApp,
) -> None:
    """Issue 13's crash: End (a unit under "in no group"), then m."""
    app = draft_2014
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(PlanTree)
        tree.focus()
        await pilot.press("end")
        await pilot.pause()
        unit = "trung-tam-phuc-vu-hanh-chinh-cong"
        assert app.selection == Selection(Kind.UNIT, unit)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert highlighted(pilot) == NO_CHOICE  # where it is now
        shown = options(pilot)
        assert shown[0] == "khoi-5"  # the smallest block: the size spread narrows
        assert "Chênh lệch quy mô -1" in picker_line(pilot, "khoi-5")
        assert set(shown) == {NO_CHOICE, "khoi-1", "khoi-2", "khoi-3", "khoi-4", "khoi-5"}
        # Ten lines: the filter box has the focus, and up moves the list to the line above.
        await pilot.press("up", "enter")
        await pilot.pause()
        assert now(app).plan is not None
        assert app.plan is not None
        assert app.plan.group_of(unit) == "khoi-5"
