"""thidua.terms: the objective's terms counted on a plan as it stands, one entry each.

A term added to the registry without a case here fails `test_every_term_has_a_case`; each
case checks the entry's count against its encoding.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
from ortools.sat.python import cp_model

from catalogue_reading import translated_ids
from test_rules import bordered, districts, edit_group, previous, provinces, small
from thidua import edits
from thidua.model import Group, ObjectiveSettings, Plan
from thidua.rules import RuleContext, Term
from thidua.solver.encoding import Encoding, Scope
from thidua.terms import (
    CONTRACT_TERMS,
    TERMS,
    evaluate,
    moved_units,
    spread_by_kind,
    staff_changes,
    term_by_name,
    term_label,
    weight,
)


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


# --------------------------------------------------------------------------------------------
# Each entry of the registry: its count on a case, against its encoding


def _moved() -> tuple[Plan, Plan | None]:
    return edit_group(small(), "k1", members=("a1", "a2"), chair="a1"), previous()


def _staff_replaced() -> tuple[Plan, Plan | None]:
    return edit_group(small(), "c1", leader=None, officer="o1"), previous()


def _uneven() -> tuple[Plan, Plan | None]:
    plan = edit_group(small(), "k1", members=("a1", "a2"))
    extra = Group("k2", "Khối 2", "department", ("a3",), "l1", "o1", chair="a3")
    return attrs.evolve(plan, groups=(*plan.groups, extra)), previous()


def _mixed() -> tuple[Plan, Plan | None]:
    return provinces(a3=("y", "urban")), None


def _split() -> tuple[Plan, Plan | None]:
    return attrs.evolve(small(), neighbours=[("a1", "a2"), ("a1", "d1"), ("d1", "d3")]), None


def _district_split() -> tuple[Plan, Plan | None]:
    return districts(a1=("q1",), d1=("q1",), d2=("q2",)), None


def _not_connected() -> tuple[Plan, Plan | None]:
    return bordered(("a1", "a2"), ("a3", "d1"), ("d2", "d3")), None


def _border_between() -> tuple[Plan, Plan | None]:
    return bordered(("a1", "d1"), ("a2", "d2"), ("a1", "a2")), None


# term name -> a plan (and the previous plan) on which the term counts more than zero
TERM_CASES: dict[str, Callable[[], tuple[Plan, Plan | None]]] = {
    "moves": _moved,
    "staff_changes": _staff_replaced,
    "tag_cohesion": _mixed,
    "neighbour_cohesion": _split,
    "district_pieces": _district_split,
    "disconnected_groups": _not_connected,
    "border_between": _border_between,
    "spread": _uneven,
}


def term_names() -> list[str]:
    return [term.name for term in TERMS]


def test_every_term_has_a_case() -> None:
    assert set(term_names()) <= set(TERM_CASES), set(term_names()) - set(TERM_CASES)


def test_terms_are_unique_and_the_contracts_come_in_its_order() -> None:
    assert len(set(term_names())) == len(TERMS)
    contract = [t.name for t in TERMS if t in CONTRACT_TERMS]
    assert contract == ["moves", "staff_changes", "spread"]
    assert all(term_by_name(t.name) is t for t in TERMS)


def encoded_value(term: Term, plan: Plan, last: Plan | None) -> int:
    """The term's encoding on a model fixed to `plan`, minimised (a term whose helpers only
    bound it, like the spread, meets its count there)."""
    baseline = last or plan
    enc = Encoding(RuleContext(plan, () if last is None else (last,)), Scope.full(plan))
    penalty = term.encode(enc, baseline)
    assert penalty is not None, f"{term.name}'s case leaves it out of the model"
    value = enc.model.new_int_var(0, penalty.upper, term.name)
    enc.model.add(value == penalty.expression)
    enc.fix(plan)
    enc.model.minimize(value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(enc.model) == cp_model.OPTIMAL
    return int(solver.value(value))


@pytest.mark.parametrize("name", term_names())
def test_term_encoding_equals_its_count_on_its_case(name: str) -> None:
    term = term_by_name(name)
    plan, last = TERM_CASES[name]()
    assert term.configured(plan)
    counted = term.count(plan, last)
    assert counted > 0, "a term's case shows it counting"
    assert encoded_value(term, plan, last) == counted
    assert evaluate(plan, last)[name] == counted
    assert 0 <= term.lower(plan, last or plan) <= counted


@pytest.mark.parametrize("name", term_names())
def test_term_has_a_description_and_a_weight(name: str) -> None:
    term = term_by_name(name)
    assert len(term.description) > 20
    assert term.weight(ObjectiveSettings()) >= 0
    assert weight(ObjectiveSettings(), name) == term.weight(ObjectiveSettings())


@pytest.mark.parametrize("name", term_names())
def test_term_label_is_in_the_catalogue(name: str) -> None:
    term = term_by_name(name)
    assert term.label, "every term has a label to show"
    translated = translated_ids()
    assert translated is not None
    assert term.label in translated, f"no Vietnamese for {term.label!r}"
    assert term_label(name) == term.words()
    assert term_label(f"{name}+weighted") == f"{term.words()} + {term_label('weighted')}"
