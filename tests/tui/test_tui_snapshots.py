"""A few pictures of the main screens, for layout regressions; behaviour is tested elsewhere.

Regenerate after a deliberate change with `pytest tests/tui --snapshot-update` and look at
the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from thidua.search import Kind
from thidua_tui.app import ThiduaApp
from thidua_tui.state import Selection
from tui.snapshot_app import SCORES, TERMINAL, draft_2014_app, example_app, proposal_result

SnapCompare = Callable[..., bool]


async def settle(pilot: Pilot[int]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen(snap_compare: SnapCompare) -> None:
    assert snap_compare(example_app(), terminal_size=TERMINAL, run_before=settle)


def test_main_screen_in_english(snap_compare: SnapCompare) -> None:
    assert snap_compare(example_app("en"), terminal_size=TERMINAL, run_before=settle)


def test_a_violation_after_moving_a_chair_away(snap_compare: SnapCompare) -> None:
    async def move_chair(pilot: Pilot[int]) -> None:
        await pilot.pause()  # the plan is shown once the main screen reports ready
        app = pilot.app
        assert isinstance(app, ThiduaApp)
        app.jump(Selection(Kind.UNIT, "ban-quan-ly-khu-cong-nghe-cao"))
        await pilot.press("m", *"khoi 5", "enter")  # the filter, then its one match
        await settle(pilot)

    assert snap_compare(example_app(), terminal_size=TERMINAL, run_before=move_chair)


def test_leader_picker_with_workloads(snap_compare: SnapCompare) -> None:
    assert snap_compare(draft_2014_app(), press=["l"], terminal_size=TERMINAL, run_before=settle)


def test_staff_view(snap_compare: SnapCompare) -> None:
    assert snap_compare(draft_2014_app(), press=["2"], terminal_size=TERMINAL, run_before=settle)


# An 80x24 terminal, the smallest the interface must work in (issue 13): everything in reach.
SMALL = (80, 24)


def test_main_screen_at_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(draft_2014_app(), terminal_size=SMALL, run_before=settle)


def test_help_at_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(draft_2014_app(), press=["f1"], terminal_size=SMALL, run_before=settle)


def test_proposal_at_80x24(snap_compare: SnapCompare) -> None:
    async def propose(pilot: Pilot[int]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, ThiduaApp)
        app.propose(proposal_result(app))
        await pilot.pause()

    assert snap_compare(draft_2014_app(), terminal_size=SMALL, run_before=propose)


def test_review_at_80x24(snap_compare: SnapCompare) -> None:
    async def review(pilot: Pilot[int]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, ThiduaApp)
        app.show_review(SCORES)
        await pilot.pause()

    assert snap_compare(example_app(), terminal_size=SMALL, run_before=review)
