"""bench/drafts.py: the benchmark's drafts are deterministic, loadable, and have a plan."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from thidua.files import dumps, loads
from thidua.model import Plan, Role
from thidua.rules import validate

# bench/ is a folder of scripts, not a package: its modules import as top-level names.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import drafts


@pytest.fixture(scope="module")
def three() -> drafts.BenchDraft:
    return drafts.make_draft(3, seed=7)


def test_same_copies_and_seed_same_draft(three: drafts.BenchDraft) -> None:
    again = drafts.make_draft(3, seed=7)
    assert again == three
    assert dumps(again.draft) == dumps(three.draft)


def test_another_seed_another_draft(three: drafts.BenchDraft) -> None:
    other = drafts.make_draft(3, seed=8)
    assert other.previous == three.previous
    assert other.draft != three.draft


@pytest.mark.parametrize("copies", [1, 3])
def test_scaled_previous_validates_clean(plan_2013: Plan, copies: int) -> None:
    scaled = drafts.scale(plan_2013, copies)
    assert validate(scaled) == ()
    assert len(scaled.units) == copies * len(plan_2013.units)
    assert len({unit.id for unit in scaled.units}) == len(scaled.units)
    for group in scaled.groups:
        copy = group.id.rsplit("-", 1)[1]
        assert all(member.endswith(f"-{copy}") for member in group.members)
        assert all(
            person is None or person.endswith(f"-{copy}")
            for person in (group.leader, group.officer, group.chair)
        )


def test_files_round_trip(three: drafts.BenchDraft) -> None:
    for plan in (three.draft, three.previous):
        assert loads(dumps(plan)) == plan


def test_churn(three: drafts.BenchDraft) -> None:
    """The churn of issue 5: removed, new, unavailable and replaced, a new block, cap 10."""
    draft, previous = three.draft, three.previous
    old = {unit.id for unit in previous.units}
    now = {unit.id for unit in draft.units}
    assert len(old - now) == round(0.04 * len(old))
    new = now - old
    assert len(new) == round(0.08 * len(old))
    assert all(not draft.groups_of_unit[unit] for unit in new)  # new units are unplaced
    unavailable = [p for p in draft.staff if not p.available]
    assert len(unavailable) == round(0.10 * len(previous.staff))
    assert len(draft.staff) == len(previous.staff) + len(unavailable)
    roles = Counter(p.role for p in draft.staff if p.available)
    assert roles == Counter(p.role for p in previous.staff)  # each replaced by the same role
    assert draft.rules.group_size == (5, 10)
    assert draft.rules.chair_rotation_years == 1
    for k in (1, 2, 3):
        assert draft.group_by_id[f"khoi-6-{k}"].members == ()
    assert len(draft.groups) == len(previous.groups) + 3
    assert draft.pins
    assert {pin.kind.value for pin in draft.pins} >= {"unit", "chair", "staff"}


@pytest.mark.parametrize(("copies", "seed"), [(1, 0), (1, 1), (2, 2), (3, 3), (10, 0)])
def test_drafts_have_a_plan(copies: int, seed: int) -> None:
    """Sizes and pins can be met, and there are enough leaders and officers for every group."""
    bench = drafts.make_draft(copies, seed)
    drafts.check_feasible(bench)
    for role in Role:
        people = [p for p in bench.draft.staff if p.role is role and p.available]
        assert sum(bench.draft.max_groups(p) for p in people) >= len(bench.draft.groups)


def test_draft_breaks_rules_the_solver_must_fix(three: drafts.BenchDraft) -> None:
    """The draft as copied is no plan yet: new units unplaced, an empty block, old chairs."""
    broken = {v.rule for v in validate(three.draft, [three.previous])}
    assert {"unit-in-one-group", "group-size", "chair-rotation", "staff-available"} <= broken


def test_cohesion_tags_name_each_units_province(three: drafts.BenchDraft) -> None:
    tagged = drafts.with_cohesion_tags(three, 2)
    for plan, before in ((tagged.draft, three.draft), (tagged.previous, three.previous)):
        assert plan.rules.cohesion_tags == ("tinh-1", "tinh-2")
        assert [unit.id for unit in plan.units] == [unit.id for unit in before.units]
        copies = {unit.id.rsplit("-", 1)[1] for unit in plan.units}
        for unit in plan.units:
            assert [tag for tag in unit.tags if tag.startswith("tinh-")] == [
                f"tinh-{int(unit.id.rsplit('-', 1)[1]) % 2 + 1}"
            ]
        assert len(copies) == 3  # every copy's units, each copy one province
