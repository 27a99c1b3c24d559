"""The geography soft rules on the made-up province: counts, findings, validator and solver
agreeing on every grouping, and the first grouping by districts against the plain model."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from conftest import ROOT
from thidua import geography, newmap, terms
from thidua.model import Group, Plan
from thidua.rules import RuleContext, rule_by_id, validate
from thidua.solver import SolveOptions, solve_with
from thidua.solver.encoding import Encoding, Scope
from thidua.solver.objective import Objective

DATA = ROOT / "tests" / "data" / "newmap"
GEOGRAPHY_RULES = ("district-whole", "group-connected", "border-inside")


def province(size: tuple[int, int] = (3, 5), groups: int = 3) -> Plan:
    """Tỉnh Sông Mây as `thidua new-map` makes it, with borders from the adjacency table."""
    units = newmap.read_units(DATA / "units.tsv", "Tỉnh Sông Mây")
    ids = newmap.unit_ids(units)
    borders = newmap.borders_from_adjacency(DATA / "adjacency.tsv", units, ids)
    return newmap.build_plan(units, borders, groups=groups, size=size, year=2026, ids=ids)


def grouped(plan: Plan, assignment: list[int]) -> Plan:
    """The plan with unit i in group assignment[i] (no staff or chair: soft rules only)."""
    groups = []
    for index, group in enumerate(plan.groups):
        members = tuple(u.id for u, g in zip(plan.units, assignment, strict=True) if g == index)
        groups.append(attrs.evolve(group, members=members))
    return attrs.evolve(plan, groups=groups)


def ids(plan: Plan) -> dict[str, str]:
    return {unit.name: unit.id for unit in plan.units}


def test_counts_name_what_they_count() -> None:
    plan = province()
    name = ids(plan)
    # Columns of the grid are the former districts; group by rows instead, island alone.
    rows = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2]
    by_rows = grouped(plan, rows)
    splits = geography.district_splits(by_rows)
    assert len(splits) == 4  # each column's three units sit in three groups
    assert geography.district_pieces(by_rows) == 8
    assert geography.disconnected_groups(by_rows) == ()  # the island is exempt
    # Rows keep the horizontal borders, cut the vertical ones: 8 pairs of 5.56 km.
    assert geography.border_between(by_rows) == 8 * 5560
    # Columns 0 and 2 together are not connected.
    scattered = grouped(plan, [0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2, 2])
    found = geography.disconnected_groups(scattered)
    assert [d.group for d in found] == ["cum-1"]
    assert {name["Phường Thanh An"], name["Xã Hòa Bình"]} <= {p[0] for p in found[0].parts}
    messages = [v.message for v in validate(scattered, include_soft=True)]
    assert any("Cụm 1 is not connected: its members form 2 separate parts" in m for m in messages)
    assert geography.islands(plan) == frozenset({name["Đặc khu Hòn Ngọc"]})


def test_validate_names_the_split_district_and_where(tmp_path: Path) -> None:
    plan = grouped(province(), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2])
    found = [v for v in validate(plan, include_soft=True) if v.rule == "district-whole"]
    first = found[0]
    assert first.subjects[0] == "Huyện Suối Trong (Tỉnh Núi Cao)"
    assert "cut into 3 pieces" in first.message
    assert "Phường Thanh An in Cụm 1" in first.message
    assert "Xã Suối Đá in Cụm 3" in first.message


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 2), min_size=13, max_size=13))
def test_encodings_count_like_the_rules(assignment: list[int]) -> None:
    """Any grouping fixed in the model: each geography term equals its count and the sum of
    its rule's findings (district pieces beyond one, groups not connected, metres between)."""
    plan = grouped(province(), assignment)
    enc = Encoding(RuleContext(plan, ()), Scope.full(plan))
    # The terms alone: the plan breaks hard rules (no staff, any sizes) that do not matter here.
    objective = Objective(enc, plan)
    enc.fix(plan)
    # The connectivity flags are only bounded below: minimised, they meet their count.
    enc.model.minimize(objective.terms[geography.DISCONNECTED_GROUPS].variable)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(enc.model) == cp_model.OPTIMAL
    found = {name: solver.value(term.variable) for name, term in objective.terms.items()}
    counted = terms.evaluate(plan, None)
    for name in geography.GEOGRAPHY_TERMS:
        assert found[name] == counted[name]
    findings = {rule: rule_by_id(rule).violations(RuleContext(plan)) for rule in GEOGRAPHY_RULES}
    pieces = sum(int(v.fact("count")) - 1 for v in findings["district-whole"])
    assert pieces == counted[geography.DISTRICT_PIECES]
    assert len(findings["group-connected"]) == counted[geography.DISCONNECTED_GROUPS]
    metres = sum(round(float(str(v.fact("km"))) * 1000) for v in findings["border-inside"])
    assert metres == pytest.approx(
        counted[geography.BORDER_BETWEEN], abs=10 * len(findings["border-inside"])
    )


@pytest.mark.parametrize(("size", "groups"), [((3, 5), 3), ((3, 4), 4), ((2, 5), 4)])
def test_first_grouping_matches_the_plain_model(size: tuple[int, int], groups: int) -> None:
    """The decomposition's proven optimum is the full model's: the same terms, proven."""
    plan = province(size, groups)
    quick = solve_with(plan, (), SolveOptions(time_limit=60, workers=1))
    full = solve_with(plan, (), SolveOptions(time_limit=60, workers=1, exhaustive=True))
    assert quick.proven_optimal
    assert full.proven_optimal
    assert quick.plan is not None
    assert full.plan is not None
    assert validate(quick.plan) == ()
    values = {term.name: term.value for term in quick.terms}
    assert values == {term.name: term.value for term in full.terms}
    assert values == terms.evaluate(quick.plan, None)


def test_four_groups_keep_provinces_and_districts_whole() -> None:
    result = solve_with(province((3, 4), 4), (), SolveOptions(time_limit=60, workers=1))
    assert result.plan is not None
    assert result.proven_optimal
    values = {term.name: term.value for term in result.terms}
    assert values["tag_cohesion"] == 0
    assert values[geography.DISTRICT_PIECES] == 0
    assert values[geography.DISCONNECTED_GROUPS] == 0
    # Each column is a cluster (the island joins one): the three vertical borders are cut.
    assert values[geography.BORDER_BETWEEN] == 3 * 3 * 5480


def test_neighbours_in_other_groups_longest_first() -> None:
    plan = grouped(province(), [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 2, 2, 2])
    name = ids(plan)
    found = geography.neighbours_in_other_groups(plan, "cum-1")
    # Row 2 (Cụm 3) shares 2 x 5.56 km, the eastern columns (Cụm 2) 2 x 5.48 km.
    assert list(found) == ["cum-3", "cum-2"]
    assert set(found["cum-2"]) == {name["Phường Bến Đò"], name["Phường Chợ Mới"]}


def test_a_group_of_islands_alone_is_connected() -> None:
    plan = province()
    alone = Group("cum-9", "Cụm 9", "commune", (ids(plan)["Đặc khu Hòn Ngọc"],))
    assert geography.disconnected_groups(attrs.evolve(plan, groups=(alone,))) == ()


class _Runner:
    """The solve's runner, reduced to what the decomposition asks of it."""

    def run(
        self,
        model: cp_model.CpModel,
        stage: str | None,
        *,
        workers: int | None = None,
        time_limit: float | None = None,
        hinted: bool = True,
    ) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        return solver.solve(model), solver

    def remaining(self) -> float | None:
        return None

    def stopped(self) -> bool:
        return False


def test_the_count_model_alone_gives_a_grouping_with_its_pieces() -> None:
    """Out of time for the geography, the count model's answer still makes a grouping: sizes
    within the bounds and exactly its district pieces."""
    from thidua.solver import districts

    plan = province((3, 5), 3)
    problem = districts.PartProblem.of(
        plan, [u.id for u in plan.units], geography.neighbour_graph(plan)
    )
    pieces, floor, _cut = districts._count_optimum(problem, 3, (3, 5), _Runner(), None)
    answer = districts._from_shares(problem, 3, (3, 5), floor)
    assert answer.assignment is not None
    assert all(3 <= size <= 5 for size in answer.sizes(3))
    assert answer.values[0] == pieces == 1  # four districts of 3 and the island, in 3 groups
    assert not answer.proven
