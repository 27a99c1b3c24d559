"""thidua.solver.flow: the membership optimum per kind, checked against brute force.

The brute force enumerates every membership of a tiny plan (at most 6 units, at most 3 groups),
keeps those meeting kinds, size bounds (at least one member, two with deputies: every group
needs a chair, and a deputy besides) and pins, and takes the fewest moves and, among those, the
smallest size spread. The flow must find the same two numbers and a membership making them; the
same goes under a cap on the spread, and for the whole (moves, spread) trade-off frontier.
Moves are counted here independently of the module: `previous.group_of(unit)` held the unit.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.model import Group, Pin, Plan, RuleSettings, Unit
from thidua.rules import validate
from thidua.solver import flow as flow_module
from thidua.solver.flow import KindFlow, min_moves_by_kind, spread_frontier
from thidua.terms import MOVES, spread_by_kind

KINDS = ("department", "district")
GROUP_POOL = ("g0", "g1", "g2", "g3")


@st.composite
def tiny_drafts(draw: st.DrawFn) -> tuple[Plan, Plan]:
    """A draft of at most 6 units and 3 groups, and a previous plan it changes.

    Some of last year's groups are gone, some changed kind; some units are new, some were
    listed nowhere or twice last year; some are placed by the draft, some pinned (as members or
    as chairs), possibly to groups of another kind or to two groups at once.
    """
    kinds = list(KINDS[: draw(st.sampled_from([1, 1, 2]))])
    draft_ids = draw(st.lists(st.sampled_from(GROUP_POOL), min_size=1, max_size=3, unique=True))
    previous_ids = draw(st.lists(st.sampled_from(GROUP_POOL), max_size=4, unique=True))
    draft_kind = {g: draw(st.sampled_from(kinds)) for g in draft_ids}
    main_kind = draw(st.sampled_from(list(draft_kind.values())))
    previous_kind = {g: draft_kind.get(g) or draw(st.sampled_from(kinds)) for g in previous_ids}
    change_kind = draw(st.booleans())
    if previous_ids and change_kind:
        changed = draw(st.sampled_from(previous_ids))
        previous_kind[changed] = draw(st.sampled_from(kinds))

    # Mostly one kind and many units: plans whose sizes can be met are the interesting ones.
    units = [
        Unit(f"u{i}", f"Đơn vị {i}", draw(st.sampled_from([main_kind, main_kind, *kinds])))
        for i in range(draw(st.sampled_from([6, 6, 5, 4, 3, 2, 1, 0])))
    ]
    previous_members: dict[str, list[str]] = {g: [] for g in previous_ids}
    draft_members: dict[str, list[str]] = {g: [] for g in draft_ids}
    # Last year's groups crowded around one of them, so that caps force moves.
    crowded = draw(st.sampled_from(previous_ids)) if previous_ids else None
    for unit in units:
        if crowded is not None:
            listed = draw(st.sampled_from([1, 1, 1, 0, 2]))
            for _ in range(listed):
                group = crowded if draw(st.booleans()) else draw(st.sampled_from(previous_ids))
                previous_members[group].append(unit.id)
    # Half the drafts copy last year's groups and leave the rest unplaced, as drafts usually
    # do; the others place units anywhere.
    copied = draw(st.booleans())
    for unit in units:
        held = [g for g, members in previous_members.items() if unit.id in members]
        if copied:
            drafted = held[0] if len(held) == 1 and held[0] in draft_ids else None
        else:
            drafted = draw(st.none() | st.sampled_from(draft_ids))
        if drafted is not None:
            draft_members[drafted].append(unit.id)
    pins = []
    if units:
        for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
            unit = draw(st.sampled_from(units))
            same_kind = [g for g in draft_ids if draft_kind[g] == unit.kind]
            prefer_same = draw(st.booleans())
            group = draw(st.sampled_from(same_kind if same_kind and prefer_same else draft_ids))
            pins.append(
                Pin.chair_of(unit.id, group) if draw(st.booleans()) else Pin.unit_in(unit.id, group)
            )
    # Usually bounds that the main kind's unit count can meet, sometimes any bounds.
    count = sum(unit.kind == main_kind for unit in units)
    groups = max(1, sum(kind == main_kind for kind in draft_kind.values()))
    if draw(st.integers(0, 4)):
        low = draw(st.integers(0, min(3, count // groups)))
        high = draw(
            st.integers(max(low, 1, -(-count // groups)), max(low, 1, -(-count // groups), 4))
        )
    else:
        low = draw(st.integers(0, 3))
        high = draw(st.integers(max(low, 1), 4))
    rules = RuleSettings(group_size=(low, high), deputy=draw(st.integers(0, 3)) == 0)
    previous = Plan(
        year=2013,
        units=units,
        groups=[
            Group(g, f"Nhóm {g}", previous_kind[g], tuple(previous_members[g]))
            for g in previous_ids
        ],
    )
    draft = Plan(
        year=2014,
        rules=rules,
        units=units,
        groups=[Group(g, f"Nhóm {g}", draft_kind[g], tuple(draft_members[g])) for g in draft_ids],
        pins=pins,
    )
    return draft, previous


@attrs.frozen
class Brute:
    """What enumeration finds for one kind: whether any membership is valid, and the best."""

    feasible: bool
    min_moves: int | None
    min_spread: int | None


def brute_force(plan: Plan, previous: Plan, kind: str, cap: int | None = None) -> Brute:
    """The lexicographic best (moves, spread) over every valid membership of the kind."""
    scores = [
        score for score in brute_scores(plan, previous, kind) if cap is None or score[1] <= cap
    ]
    if not scores:
        return Brute(False, None, None)
    best = min(scores)
    return Brute(True, best[0], best[1])


def brute_scores(plan: Plan, previous: Plan, kind: str) -> set[tuple[int, int]]:
    """(moves, spread) of every membership of the kind's units meeting sizes and pins."""
    units = [unit.id for unit in plan.units if unit.kind == kind]
    groups = [group.id for group in plan.groups if group.kind == kind]
    low, high = plan.rules.group_size
    low = max(low, 2 if plan.rules.deputy else 1)
    pins = [(pin.subject, pin.group) for pin in plan.pins if pin.unit or pin.chair]
    scores: set[tuple[int, int]] = set()
    for choice in itertools.product(groups, repeat=len(units)):
        assignment = dict(zip(units, choice, strict=True))
        sizes = [choice.count(group) for group in groups]
        if not all(low <= size <= high for size in sizes):
            continue
        if any(unit in assignment and assignment[unit] != group for unit, group in pins):
            continue
        moves = sum(
            1
            for unit in units
            if (before := previous.group_of(unit)) is not None and assignment[unit] != before
        )
        scores.add((moves, max(sizes) - min(sizes)))
    return scores


def kind_moves(assignment: Mapping[str, str], previous: Plan) -> int:
    return sum(
        1
        for unit, group in assignment.items()
        if (before := previous.group_of(unit)) is not None and before != group
    )


def check_assignment(plan: Plan, flow: KindFlow, previous: Plan) -> None:
    """The flow's membership places every unit of the kind, within bounds, pins kept."""
    units = {unit.id for unit in plan.units if unit.kind == flow.kind}
    groups = {group.id for group in plan.groups if group.kind == flow.kind}
    assert set(flow.assignment) == units
    assert set(flow.assignment.values()) <= groups
    assert set(flow.sizes) == groups
    low, high = plan.rules.group_size
    low = max(low, 2 if plan.rules.deputy else 1)
    assert all(low <= size <= high for size in flow.sizes.values())
    for pin in plan.pins:
        if pin.subject in units and (pin.unit or pin.chair):
            assert flow.assignment[pin.subject] == pin.group
    assert kind_moves(flow.assignment, previous) == flow.min_moves
    sizes = list(flow.sizes.values())
    assert (max(sizes) - min(sizes) if sizes else 0) == flow.min_spread


@given(tiny_drafts())
def test_flow_matches_brute_force(pair: tuple[Plan, Plan]) -> None:
    draft, previous = pair
    flows = min_moves_by_kind(draft, previous)
    kinds = {unit.kind for unit in draft.units} | {group.kind for group in draft.groups}
    assert set(flows) == kinds
    for kind, flow in flows.items():
        expected = brute_force(draft, previous, kind)
        assert flow.feasible == expected.feasible, flow.problem
        if not expected.feasible:
            assert flow.problem
            assert flow.min_spread is None
            continue
        assert flow.problem is None
        assert flow.min_moves == expected.min_moves
        assert flow.min_spread == expected.min_spread
        check_assignment(draft, flow, previous)


@given(tiny_drafts(), st.integers(0, 3))
def test_spread_cap_matches_brute_force(pair: tuple[Plan, Plan], cap: int) -> None:
    """With sizes differing by `cap` at most: the fewest moves, then the smallest spread."""
    draft, previous = pair
    kind = draft.groups[0].kind
    flow = min_moves_by_kind(draft, previous, max_spread={kind: cap})[kind]
    expected = brute_force(draft, previous, kind, cap)
    assert flow.feasible == expected.feasible
    if expected.feasible:
        assert (flow.min_moves, flow.min_spread) == (expected.min_moves, expected.min_spread)
        assert flow.min_spread is not None
        assert flow.min_spread <= cap
        check_assignment(draft, flow, previous)


@given(tiny_drafts())
def test_frontier_matches_brute_force(pair: tuple[Plan, Plan]) -> None:
    """The frontier is exactly the (moves, spread) pairs no valid membership beats on both."""
    draft, previous = pair
    for kind, points in spread_frontier(draft, previous).items():
        scores = brute_scores(draft, previous, kind)
        pareto = sorted(
            (m, w)
            for m, w in scores
            if not any(n <= m and v <= w and (n, v) != (m, w) for n, v in scores)
        )
        assert list(points) == pareto


@given(tiny_drafts())
def test_both_constructions_make_the_fewest_moves(pair: tuple[Plan, Plan]) -> None:
    """The direct construction and the flow both meet the window with the fewest moves.

    `min_moves_by_kind` uses the direct one only when the draft copies last year's groups;
    here both run on every draft, so each is checked against the closed form everywhere.
    """
    draft, previous = pair
    kinds = dict.fromkeys([u.kind for u in draft.units] + [g.kind for g in draft.groups])
    for kind in kinds:
        problem = flow_module._KindProblem.build(draft, previous, kind)
        found = None if problem.problem else problem.best_window()
        if found is None:
            continue
        extra, window = found
        for assignment in (
            problem.direct_assignment(window),
            problem.flow_assignment(window, extra),
        ):
            assert kind_moves(assignment, previous) == problem.forced + extra
            sizes = problem.sizes(assignment)
            assert all(window.low <= n <= window.high for n in sizes.values())
            assert len(assignment) == sum(unit.kind == kind for unit in draft.units)


def with_flow_membership(plan: Plan, flows: Mapping[str, KindFlow]) -> Plan:
    """`plan` with every group's members replaced by the flows' assignment (chairs and
    deputies who left are cleared): the membership the term registry then counts."""
    assignment = {unit: group for flow in flows.values() for unit, group in flow.assignment.items()}
    groups = []
    for group in plan.groups:
        members = tuple(u.id for u in plan.units if assignment.get(u.id) == group.id)
        groups.append(
            attrs.evolve(
                group,
                members=members,
                chair=group.chair if group.chair in members else None,
                deputy=group.deputy if group.deputy in members else None,
            )
        )
    return attrs.evolve(plan, groups=groups)


@given(tiny_drafts())
def test_hint_keeps_membership_rules(pair: tuple[Plan, Plan]) -> None:
    """Where every kind is feasible, the hint breaks none of the membership rules."""
    draft, previous = pair
    flows = min_moves_by_kind(draft, previous)
    hint = with_flow_membership(draft, flows)
    assert [g.id for g in hint.groups] == [g.id for g in draft.groups]
    if not all(flow.feasible for flow in flows.values()):
        return
    membership_rules = {"unit-in-one-group", "group-kind", "group-size"}
    broken = [v for v in validate(hint, [previous]) if v.rule in membership_rules]
    assert broken == []
    unit_pins = [p for p in draft.pins if p.unit is not None]
    kept = [v for v in validate(attrs.evolve(hint, pins=unit_pins)) if v.rule == "pins-kept"]
    assert kept == []
    assert MOVES.count(hint, previous) == sum(flow.min_moves for flow in flows.values())
    spreads = spread_by_kind(hint)
    assert all(spreads[kind] == flow.min_spread for kind, flow in flows.items() if kind in spreads)


def _plan_2013_capped(plan_2013: Plan, high: int, drop: Sequence[str] = ()) -> Plan:
    groups = [g for g in plan_2013.groups if g.id not in drop]
    return attrs.evolve(
        plan_2013, year=2014, rules=RuleSettings(group_size=(5, high)), groups=groups
    )


def test_2013_capped_at_ten(plan_2013: Plan) -> None:
    """Khối 1 and 3 have 11 members: one leaves each, and Khối 5 (8) takes both."""
    flows = min_moves_by_kind(_plan_2013_capped(plan_2013, 10), plan_2013)
    assert flows["department"].min_moves == 2
    assert flows["department"].min_spread == 0
    assert flows["district"].min_moves == 0
    assert flows["district"].min_spread == 2  # 6, 7, 6, 5 and nobody need move


def test_removed_group_forces_its_units_out(plan_2013: Plan) -> None:
    """Without Cụm 4 its 5 districts must move; the other clusters take them, up to 11."""
    flow = min_moves_by_kind(_plan_2013_capped(plan_2013, 11, ["cum-4"]), plan_2013)["district"]
    assert flow.feasible
    assert flow.forced == 5
    assert flow.min_moves == 5
    assert flow.min_spread == 0  # 6 + 7 + 6 + 5 = 24 = 3 x 8


def test_too_many_units_for_the_blocks(plan_2013: Plan) -> None:
    """50 departments in 4 blocks of at most 10: no plan exists, and the reason says so."""
    flow = min_moves_by_kind(_plan_2013_capped(plan_2013, 10, ["khoi-5"]), plan_2013)["department"]
    assert not flow.feasible
    assert flow.problem == (
        "50 department units do not fit in 4 department groups of at most 10 members"
    )
    assert set(flow.assignment) == {u.id for u in plan_2013.units if u.kind == "department"}


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        (
            [Pin.unit_in("quan-1", "cum-1"), Pin.chair_of("quan-1", "cum-2")],
            "Quận 1 is pinned to Cụm 1 and Cụm 2",
        ),
        (
            [Pin.unit_in("quan-1", "khoi-1")],
            "Quận 1 is pinned to Khối 1, which is not a group of district units",
        ),
    ],
)
def test_conflicting_pins(plan_2013: Plan, pins: list[Pin], message: str) -> None:
    draft = attrs.evolve(_plan_2013_capped(plan_2013, 11), pins=pins)
    flow = min_moves_by_kind(draft, plan_2013)["district"]
    assert not flow.feasible
    assert flow.problem == message


def test_no_previous_plan_means_no_moves(plan_2013: Plan) -> None:
    """Without a previous plan every unit is new: no moves, only sizes matter."""
    flows = min_moves_by_kind(_plan_2013_capped(plan_2013, 10), None)
    assert [flow.min_moves for flow in flows.values()] == [0, 0]
    assert flows["department"].min_spread == 0


def test_draft_breaks_ties(plan_2013: Plan) -> None:
    """New units stay where the draft put them when that costs no move and no spread.

    Clusters of 6, 7, 6 and 5 with two newcomers have a spread of 1 at best; Cụm 4 must take
    one of them, and the other may go to Cụm 1, 3 or 4: the draft's choices both qualify.
    """
    draft = _plan_2013_capped(plan_2013, 11)
    newcomers = [
        Unit("quan-moi", "Quận Mới", "district"),
        Unit("huyen-moi", "Huyện Mới", "district"),
    ]
    draft = attrs.evolve(draft, units=[*draft.units, *newcomers])
    for unit, group_id in zip(newcomers, ["cum-1", "cum-4"], strict=True):
        group = draft.group_by_id[group_id]
        draft = draft.replace_group(attrs.evolve(group, members=(*group.members, unit.id)))
    flow = min_moves_by_kind(draft, plan_2013)["district"]
    assert (flow.min_moves, flow.min_spread) == (0, 1)
    assert flow.assignment["quan-moi"] == "cum-1"
    assert flow.assignment["huyen-moi"] == "cum-4"
