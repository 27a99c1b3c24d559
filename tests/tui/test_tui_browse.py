"""Browsing: the tree, a group's and a unit's detail, staff, the comparison, find, help, the
palette, the keys that show, the language, and a plan forty times the example's size."""

from __future__ import annotations

import attrs
from textual.command import CommandPalette
from textual.widgets import ContentSwitcher, DataTable, Input, OptionList, TabbedContent

from thidua import edits
from thidua.files import load
from thidua.model import Plan
from thidua.rules import validate
from thidua.search import Kind
from thidua_tui.app import ThiduaApp
from thidua_tui.screens.help import HelpScreen
from thidua_tui.screens.picker import PickerScreen
from thidua_tui.screens.search import SearchScreen
from thidua_tui.state import Selection
from thidua_tui.widgets.group_detail import GroupDetail
from thidua_tui.widgets.plan_tree import PlanTree
from thidua_tui.widgets.terms_panel import TermsPanel
from thidua_tui.widgets.violations import ViolationsPanel
from tui.helpers import EXAMPLE, SIZE, cells, now, plain, select


def footer_keys(app: ThiduaApp) -> set[str]:
    """The actions the footer shows right now."""
    return {a.binding.action for a in app.screen.active_bindings.values() if a.binding.show}


async def test_opens_on_the_first_group_with_its_members_in_order(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        plan = app.plan
        assert plan is not None
        assert app.selection == Selection(Kind.GROUP, "khoi-1")
        assert app.title == "thidua · hcmc-2013.toml"
        assert not app.dirty
        detail = app.screen.query_one(GroupDetail)
        listing = detail.query_one("#group-members", OptionList)
        lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        members = plan.group_by_id["khoi-1"].members
        assert [line.strip().split("  ")[1] for line in lines] == [
            plan.unit_by_id[m].name for m in members
        ]
        assert lines[0] == "  1  Sở Công Thương"
        assert lines[7].endswith("Khối trưởng")  # the chair, marked where it stands
        roles = plain(detail.query_one("#group-roles"))
        assert "Lãnh đạo phụ trách  Ngô Kim Liên  (1/2 nhóm)" in roles
        violations = app.screen.query_one(ViolationsPanel)
        assert violations.border_title == "Vi phạm: 0"


async def test_the_tree_holds_every_group_and_unit(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(PlanTree)
        kinds = [str(node.label) for node in tree.root.children]
        assert kinds[0].startswith("Khối thi đua (sở, ban, ngành)")
        assert kinds[1].startswith("Cụm thi đua (quận, huyện)")
        assert kinds[2].startswith("Chưa thuộc nhóm nào  0 đơn vị")
        groups = [node for kind in tree.root.children[:2] for node in kind.children]
        assert [g.data.id for g in groups if g.data] == [g.id for g in load(EXAMPLE).groups]
        assert sum(len(g.children) for g in groups) == 74


async def test_moving_the_cursor_shows_a_unit_with_its_history(
    app_2014: ThiduaApp, last_year: Plan
) -> None:
    async with app_2014.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")  # the first member of Khối 1
        await pilot.pause()
        assert app_2014.selection == Selection(Kind.UNIT, "so-cong-thuong")
        switcher = app_2014.screen.query_one("#detail", ContentSwitcher)
        assert switcher.current == "unit-detail"
        history = app_2014.screen.query_one("#unit-history", DataTable)
        assert cells(history) == ["2014 (đang lập)", "2013"]
        assert cells(history, 1) == ["Khối 1", "Khối 1"]


async def test_staff_view_shows_workload_against_the_limit(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "tab-staff"
        table = app.screen.query_one("#staff-table", DataTable)
        row = table.get_row("nguyen-tuan")
        assert [str(cell) for cell in row[:3]] == ["Nguyễn Tuấn", "Cán bộ", "2/2 nhóm"]
        await pilot.press("down")
        await pilot.pause()
        assert app.selection == Selection(Kind.STAFF, "nguyen-tuan")


async def test_compare_lists_the_changes_since_last_year(
    app_2014: ThiduaApp,
) -> None:
    async with app_2014.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        heading = app_2014.screen.query_one("#compare-heading")
        assert "Không có thay đổi so với năm 2013" in plain(heading)
        await pilot.press("1")
        app_2014.apply(lambda p: edits.move_unit(p, "so-cong-thuong", "khoi-5"), "move")
        app_2014.apply(lambda p: edits.set_leader(p, "khoi-1", "lam-van-ba"), "leader")
        await pilot.press("3")  # the comparison is brought up to date when shown
        await pilot.pause()
        table = app_2014.screen.query_one("#compare-table", DataTable)
        assert cells(table) == ["Chuyển nhóm: Sở Công Thương", "Lãnh đạo phụ trách Khối 1"]
        assert cells(table, 1) == ["Khối 1", "Ngô Kim Liên"]
        assert cells(table, 2) == ["Khối 5", "Lâm Văn Ba"]
        terms = plain(app_2014.screen.query_one(TermsPanel))
        assert "So với 2013" in terms


async def test_objective_terms_follow_the_edits(app_2014: ThiduaApp) -> None:
    async with app_2014.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app_2014.view is not None
        assert dict(app_2014.view.terms) == {"moves": 0, "staff_changes": 0, "spread": 5}
        app_2014.apply(lambda p: edits.move_unit(p, "so-cong-thuong", "khoi-5"), "move")
        await pilot.pause()
        assert dict(app_2014.view.terms) == {"moves": 1, "staff_changes": 0, "spread": 4}


async def test_choosing_a_violation_jumps_to_what_it_names(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.apply(lambda p: edits.set_leader(p, "cum-3", None), "clear")
        await select(pilot, Kind.UNIT, "quan-1")
        await pilot.press("v")
        await pilot.pause()
        panel = app.screen.query_one(ViolationsPanel)
        assert app.focused is panel
        assert panel.border_title == "Vi phạm: 1"
        assert cells(panel, 1) == ["Cụm 3 chưa có lãnh đạo phụ trách"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.selection == Selection(Kind.GROUP, "cum-3")
        assert now(app).focused is app.screen.query_one(PlanTree)
        assert app.screen.query_one("#detail", ContentSwitcher).current == "group-detail"


async def test_find_ignores_diacritics_and_jumps(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"tan binh")
        await pilot.pause()
        results = app.screen.query_one(OptionList)
        assert "Quận Tân Bình" in str(results.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert app.selection == Selection(Kind.UNIT, "quan-tan-binh")
        tree = app.screen.query_one(PlanTree)
        assert tree.cursor_node is not None
        assert tree.cursor_node.data == Selection(Kind.UNIT, "quan-tan-binh")


async def test_find_a_person_opens_the_staff_view(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f", *"lien", "enter")
        await pilot.pause()
        assert app.selection == Selection(Kind.STAFF, "ngo-kim-lien")
        assert app.screen.query_one(TabbedContent).active == "tab-staff"


async def test_find_can_be_cancelled(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"xyz")
        await pilot.pause()
        assert "Không tìm thấy" in plain(app.screen.query_one("#search-status"))
        await pilot.press("escape")
        await pilot.pause()
        assert app.selection == Selection(Kind.GROUP, "khoi-1")


async def test_keys_shown_follow_the_selection(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = footer_keys(app)
        assert {"set_chair", "set_leader", "set_officer", "pin", "solve", "save"} <= shown
        assert "move_unit" not in shown  # a group is selected, not a unit
        assert "cancel_solve" not in shown
        undo = next(a for a in app.screen.active_bindings.values() if a.binding.action == "undo")
        assert not undo.enabled  # shown greyed: nothing to undo yet
        await select(pilot, Kind.UNIT, "quan-1")
        shown = footer_keys(app)
        assert "move_unit" in shown
        assert "set_chair" not in shown
        assert app.check_action("remove", ()) is True


async def test_help_lists_the_keys(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {key for key, _, _ in app.screen.keys}
        assert {"F5", "^z", "m", "c", "d", "l", "o", "p", "a", "/", "^s", "F12", "^q"} <= keys
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_palette_offers_what_applies_and_runs_it(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.UNIT, "quan-1")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"chuyen don vi")
        await app.workers.wait_for_complete()  # the palette searches in a worker
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.title_text == "Chuyển Quận 1 sang nhóm"


async def test_english_labels(example_plan_en: ThiduaApp) -> None:
    app = example_plan_en
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(PlanTree)
        assert str(tree.root.children[0].label).startswith("Blocks (departments)")
        descriptions = {a.binding.description for a in app.screen.active_bindings.values()}
        assert {"Find", "Chair", "Leader", "Solve", "Save"} <= descriptions
        app.apply(lambda p: edits.set_chair(p, "khoi-1", None), "clear")
        await pilot.pause()
        panel = app.screen.query_one(ViolationsPanel)
        assert cells(panel, 1) == ["Khối 1 has no chair"]


async def test_a_plan_forty_times_the_example_opens(scaled_plan: Plan) -> None:
    app = ThiduaApp(scaled_plan)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(PlanTree)
        assert sum(len(kind.children) for kind in tree.root.children) == 9 * 40
        assert app.view is not None
        assert app.view.violations == ()
        assert app.selection == Selection(Kind.GROUP, "khoi-1-x0")
        await select(pilot, Kind.UNIT, "quan-1-x39")
        app.apply(lambda p: edits.move_unit(p, "quan-1-x39", "cum-4-x39"), "move")
        await pilot.pause()
        assert app.plan is not None
        assert app.plan.group_of("quan-1-x39") == "cum-4-x39"
        assert tree.cursor_node is not None
        assert tree.cursor_node.data == Selection(Kind.UNIT, "quan-1-x39")


def scale(plan: Plan, times: int) -> Plan:
    """`times` copies of `plan`'s units, staff and groups, with ids suffixed -x0, -x1, ..."""
    units, staff, groups = [], [], []
    for copy in range(times):
        suffix = f"-x{copy}"

        def again(identifier: str | None, suffix: str = suffix) -> str | None:
            return None if identifier is None else identifier + suffix

        units += [attrs.evolve(u, id=u.id + suffix, name=f"{u.name} ({copy})") for u in plan.units]
        staff += [attrs.evolve(s, id=s.id + suffix, name=f"{s.name} ({copy})") for s in plan.staff]
        groups += [
            attrs.evolve(
                g,
                id=g.id + suffix,
                name=f"{g.name}.{copy}",
                members=[m + suffix for m in g.members],
                leader=again(g.leader),
                officer=again(g.officer),
                chair=again(g.chair),
                deputy=again(g.deputy),
            )
            for g in plan.groups
        ]
    return attrs.evolve(plan, units=units, staff=staff, groups=groups)


def test_scale_keeps_the_plan_valid(scaled_plan: Plan) -> None:
    assert len(scaled_plan.units) == 74 * 40
    assert len(scaled_plan.groups) == 9 * 40
    assert len({u.id for u in scaled_plan.units}) == len(scaled_plan.units)
    assert validate(scaled_plan) == ()


async def test_search_box_focuses_the_input(app: ThiduaApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)


def test_every_rule_and_key_has_words_in_both_languages() -> None:
    """Rule titles and key names are English msgids with a Vietnamese translation."""
    from textual.binding import Binding

    from thidua.i18n import gettext_in
    from thidua.rules import RULES
    from thidua_tui.wording import RULE_TITLES

    def translated(message: str) -> bool:
        return bool(message) and gettext_in("vi", message) != message

    for rule in RULES:
        assert translated(RULE_TITLES.get(rule.id, "")), rule.id
    for binding in ThiduaApp.BINDINGS:
        assert isinstance(binding, Binding)
        assert translated(binding.description), binding.description
        assert binding.tooltip
        assert translated(binding.tooltip), binding.tooltip


async def test_cohesion_terms_show_where_the_plan_configures_them() -> None:
    """The 2026 draft lists provinces as cohesion tags and 50 neighbour pairs, none grouped."""
    path = EXAMPLE.parents[1] / "tests" / "data" / "hcmc-2026-pairs.toml"
    app = ThiduaApp(load(path), path, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.view is not None
        assert app.view.terms["tag_cohesion"] == 0
        assert app.view.terms["neighbour_cohesion"] == 50
        lines = plain(app.screen.query_one(TermsPanel)).splitlines()
        assert any(
            "Units outside their group's majority tag" in line and line.endswith("0")
            for line in lines
        )
        assert any("Neighbour pairs split" in line and line.endswith("50") for line in lines)


async def test_the_language_switches_inside_the_app(app: ThiduaApp) -> None:
    """F2: Vietnamese to English and back, the plan and the selection kept."""
    from thidua.i18n import language
    from thidua_tui.widgets.violations import ViolationsPanel

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        plan, selection = app.plan, app.selection
        assert language() == "vi"
        panel = app.screen.query_one(ViolationsPanel)
        assert panel.border_title == "Vi phạm: 0"
        await pilot.press("f2")
        await pilot.pause()
        assert language() == "en"
        assert app.screen.query_one(ViolationsPanel).border_title == "Violations: 0"
        assert app.plan is plan
        assert app.selection == selection
        footer = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Save" in footer
        await pilot.press("f2")
        await pilot.pause()
        assert language() == "vi"
        footer = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Lưu" in footer


async def test_textuals_own_words_are_translated(app: ThiduaApp) -> None:
    """The palette's built-in entries and the Ctrl+C notice speak the interface language."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Thoát" in titles
        assert "Quit" not in titles
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any("Ctrl+Q để thoát" in str(n.message) for n in app._notifications)
