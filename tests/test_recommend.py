"""Recommendations: each option's cost is what the change does to the objective's terms, the
ranking follows the costs, and the rule that bars a group is named."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import plans
from thidua import edits
from thidua.cli import main
from thidua.errors import ThiduaError
from thidua.files import load
from thidua.model import Pin, Plan, Role
from thidua.recommend import Recommendation, recommend
from thidua.rules import RuleContext
from thidua.terms import evaluate

ROOT = Path(__file__).resolve().parents[1]
DRAFT = ROOT / "examples" / "hcmc-2014-draft.toml"
LAST = ROOT / "examples" / "hcmc-2013.toml"
NEW_UNIT = "ban-quan-ly-an-toan-thuc-pham"  # unplaced in the 2014 draft


@pytest.fixture(scope="module")
def draft() -> Plan:
    return load(DRAFT)


@pytest.fixture(scope="module")
def last() -> Plan:
    return load(LAST)


def deltas(before: Plan, after: Plan, previous: tuple[Plan, ...]) -> dict[str, int]:
    """The oracle: every term counted in full on both plans."""
    last = RuleContext(before, previous).last
    old, new = evaluate(before, last), evaluate(after, last)
    return {term: new[term] - old[term] for term in old}


def check_costs(plan: Plan, previous: tuple[Plan, ...], found: Recommendation) -> None:
    for option in found.options:
        if found.role is None:
            after = edits.move_unit(plan, found.subject, option.group)
        else:
            assert option.group is not None
            after = edits.set_staff(plan, option.group, found.role, found.subject)
        expected = deltas(plan, after, previous)
        shown = {change.term: change.delta for change in option.changes}
        assert shown == {term: expected[term] for term in found.terms}, option.group
        # The terms left out are those this kind of change cannot move.
        assert all(expected[term] == 0 for term in expected if term not in shown)


@settings(max_examples=40, deadline=None)
@given(plans(), plans(), st.data())
def test_a_units_costs_are_the_terms_change(plan: Plan, earlier: Plan, data: st.DataObject) -> None:
    if not plan.units:
        return
    unit = data.draw(st.sampled_from([u.id for u in plan.units]))
    previous = (attrs.evolve(earlier, year=plan.year - 1),)
    found = recommend(plan, previous, unit=unit)
    check_costs(plan, previous, found)
    ranked = [option.cost for option in found.allowed]
    if plan.rules.objective.lexicographic:
        assert ranked == sorted(ranked)


@settings(max_examples=30, deadline=None)
@given(plans(), plans(), st.data())
def test_a_persons_costs_are_the_terms_change(
    plan: Plan, earlier: Plan, data: st.DataObject
) -> None:
    if not plan.staff or not plan.groups:
        return
    person = data.draw(st.sampled_from([s.id for s in plan.staff]))
    previous = (attrs.evolve(earlier, year=plan.year - 1),)
    check_costs(plan, previous, recommend(plan, previous, staff=person))


def test_a_new_unit_is_offered_the_groups_of_its_kind(draft: Plan, last: Plan) -> None:
    found = recommend(draft, (last,), unit=NEW_UNIT)
    departments = {g.id for g in draft.groups if g.kind == "department"}
    assert {o.group for o in found.allowed} == {None, *departments}
    assert found.option(None).current
    # The district clusters are barred by the kind rule, and say so.
    assert {o.group for o in found.barred} == {g.id for g in draft.groups} - departments
    assert all(o.barring_rules == ("group-kind",) for o in found.barred)
    # The smallest block comes first: it narrows the size spread.
    smallest = min(departments, key=lambda g: len(draft.group_by_id[g].members))
    assert found.options[0].group == smallest
    assert found.options[0].cost == (0, -1)


def test_a_pin_bars_every_other_group(draft: Plan, last: Plan) -> None:
    unit = draft.group_by_id["khoi-2"].members[0]
    pinned = edits.pin(draft, Pin.unit_in(unit, "khoi-2"))
    found = recommend(pinned, (last,), unit=unit)
    assert [o.group for o in found.allowed] == ["khoi-2"]
    assert all("pins-kept" in o.barring_rules for o in found.barred if o.group is not None)


def test_a_person_at_the_limit_is_barred_by_the_workload_rule(draft: Plan, last: Plan) -> None:
    person = draft.group_by_id["khoi-2"].leader
    assert person is not None
    assert len(draft.workload(person)) == draft.rules.leader_max_groups
    found = recommend(draft, (last,), staff=person)
    assert found.role is Role.LEADER
    assert {o.group for o in found.allowed} == set(draft.workload(person))
    assert all(o.barring_rules == ("leader-workload",) for o in found.barred)


def test_an_unavailable_person_is_barred_everywhere(draft: Plan, last: Plan) -> None:
    person = draft.group_by_id["khoi-2"].officer
    assert person is not None
    retired = attrs.evolve(draft.staff_by_id[person], available=False)
    plan = attrs.evolve(draft, staff=tuple(retired if s.id == person else s for s in draft.staff))
    found = recommend(plan, (last,), staff=person)
    assert all(o.current for o in found.allowed)
    assert all("staff-available" in o.barring_rules for o in found.barred)


def test_one_subject_exactly(draft: Plan) -> None:
    with pytest.raises(ThiduaError):
        recommend(draft)
    with pytest.raises(ThiduaError):
        recommend(draft, unit=NEW_UNIT, staff="ngo-kim-lien")
    with pytest.raises(edits.UnknownIdError):
        recommend(draft, unit="nobody")


def test_the_command_ranks_and_names_the_bars(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["recommend", str(DRAFT), "--previous", str(LAST), "--unit", NEW_UNIT]
    assert main([*args, "--all"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "Ban Quản lý An toàn thực phẩm" in lines[0]
    assert lines[2].strip().startswith("1. Khối 5")
    assert "group-kind" in out  # the bar, named
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["options"][0]["group"] == "khoi-5"
    assert data["options"][0]["changes"] == {"moves": 0, "spread": -1}
    assert all(not o["allowed"] for o in data["options"] if o["barred_by"])


def test_the_command_refuses_an_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", str(DRAFT), "--staff", "nobody"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "nobody" in err
