"""thidua.terms: the objective's terms counted on a plan as it stands."""

from __future__ import annotations

import attrs

from thidua import edits
from thidua.model import Plan
from thidua.rules import RuleContext
from thidua.terms import TERMS, evaluate, moved_units, spread_by_kind, staff_changes


def test_a_plan_against_itself_changes_nothing(plan_2013: Plan) -> None:
    this_year = attrs.evolve(plan_2013, year=2014)
    assert evaluate(this_year, plan_2013) == {"moves": 0, "staff_changes": 0, "spread": 5}
    assert tuple(evaluate(this_year, None)) == tuple(
        t.name for t in TERMS if t.configured(this_year)
    )
    assert tuple(evaluate(this_year, None)) == ("moves", "staff_changes", "spread")


def test_spread_is_per_kind(plan_2013: Plan) -> None:
    # Blocks of 11, 10, 11, 10 and 8 members; clusters of 6, 7, 6 and 5.
    assert spread_by_kind(plan_2013) == {"department": 3, "district": 2}
    assert spread_by_kind(attrs.evolve(plan_2013, groups=())) == {}


def test_moves_count_units_that_left_last_years_group(plan_2013: Plan) -> None:
    plan = edits.move_unit(plan_2013, "so-cong-thuong", "khoi-5")
    plan = edits.move_unit(plan, "cuc-thue", None)
    plan = edits.add_unit(plan, edits.new_unit(plan, "Sở Mới", "department"), "khoi-2")
    assert moved_units(plan, plan_2013) == ("so-cong-thuong", "cuc-thue")
    assert evaluate(attrs.evolve(plan, year=2014), plan_2013)["moves"] == 2


def test_staff_changes_count_each_role_of_groups_that_existed(plan_2013: Plan) -> None:
    plan = edits.set_leader(plan_2013, "khoi-1", "lam-van-ba")
    plan = edits.set_officer(plan, "khoi-1", "mai-huu-quyet")
    plan = edits.set_officer(plan, "cum-1", None)
    plan = edits.add_group(plan, edits.new_group(plan, "Cụm 5", "district"))
    plan = edits.set_leader(plan, "cum-5", "lam-van-ba")
    assert staff_changes(plan, plan_2013) == (
        ("khoi-1", "leader"),
        ("khoi-1", "officer"),
        ("cum-1", "officer"),
    )


def test_the_most_recent_previous_plan_counts(plan_2013: Plan) -> None:
    older = attrs.evolve(edits.move_unit(plan_2013, "so-cong-thuong", "khoi-5"), year=2011)
    last = attrs.evolve(plan_2013, year=2012)
    assert evaluate(plan_2013, RuleContext(plan_2013, [last, older]).last)["moves"] == 0
    assert evaluate(plan_2013, RuleContext(plan_2013, [older]).last)["moves"] == 1


def test_filling_an_empty_post_is_not_a_change(plan_2013: Plan) -> None:
    draft = plan_2013.replace_group(attrs.evolve(plan_2013.groups[0], leader=None))
    assert staff_changes(plan_2013, draft) == ()
    assert staff_changes(draft, plan_2013) == ((plan_2013.groups[0].id, "leader"),)
