"""First groupings: cohesion, then balance, from empty groups; the HCMC 2026 example.

Small random first groupings are brute-forced (every unit tries every group), so the
decomposition's optimum and the full model's (with the groups' symmetry broken) can both be
compared with the true lexicographic optimum of (tag cohesion, neighbour cohesion, spread).
"""

from __future__ import annotations

import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from thidua import cohesion
from thidua.edits import EditError, requested_groups
from thidua.files import load, loads
from thidua.model import Group, ObjectiveSettings, Plan, Role, RuleSettings, Staff, Unit
from thidua.rules import RuleContext, validate
from thidua.solver import SolveOptions, SolveResult, SolveStatus, solve, solve_with
from thidua.solver.symmetry import canonical, interchangeable_groups

TAGS = ("x", "y")


@st.composite
def first_groupings(draw: st.DrawFn) -> Plan:
    """Up to 8 communes in up to 3 empty clusters, no previous plan.

    Units hold one listed tag each (the decomposition's case), or sometimes none or both (the
    full model's); a few neighbour pairs, some of them odd (a unit with itself, twice); any
    weights switched off now and then.
    """
    count = draw(st.integers(2, 8))
    mode = draw(st.sampled_from(["one", "one", "one", "mixed"]))
    one_tag = st.sampled_from([("x",), ("y",)])
    tags = one_tag if mode == "one" else st.sampled_from([(), ("x",), ("y",), ("x", "y")])
    units = [Unit(f"u{i}", f"Phường {i}", "commune", draw(tags)) for i in range(count)]
    ids = [unit.id for unit in units]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6))
    low = draw(st.integers(1, 3))
    high = draw(st.integers(max(low, 2), 5))
    objective = ObjectiveSettings(
        tag_cohesion=draw(st.sampled_from([1, 1, 0])),
        neighbour_cohesion=draw(st.sampled_from([1, 1, 0])),
        spread=draw(st.sampled_from([1, 1, 0])),
    )
    return Plan(
        year=2026,
        rules=RuleSettings(
            group_size=(low, high),
            cohesion_tags=TAGS if draw(st.booleans()) or mode == "one" else (),
            objective=objective,
        ),
        units=units,
        staff=[
            Staff("l", "L", Role.LEADER, max_groups=3),
            Staff("o", "O", Role.OFFICER, max_groups=3),
        ],
        groups=[Group(f"g{j}", f"Cụm {j}", "commune") for j in range(draw(st.integers(1, 3)))],
        neighbours=pairs,
    )


def _active(plan: Plan) -> list[str]:
    configured = {"tag_cohesion": plan.rules.cohesion_tags, "neighbour_cohesion": plan.neighbours}
    names = [name for name, on in configured.items() if on and getattr(plan.rules.objective, name)]
    return [*names, "spread"] if plan.rules.objective.spread else names


def brute_force(plan: Plan) -> tuple[int, ...] | None:
    """The lexicographic optimum of the active cohesion terms and the spread; None: no plan."""
    units = [unit.id for unit in plan.units]
    low, high = plan.rules.group_size
    best: tuple[int, ...] | None = None
    for choice in itertools.product(range(len(plan.groups)), repeat=len(units)):
        sizes = [choice.count(j) for j in range(len(plan.groups))]
        if not all(max(low, 1) <= size <= high for size in sizes):
            continue
        groups = [
            attrs.evolve(g, members=tuple(u for u, c in zip(units, choice, strict=True) if c == j))
            for j, g in enumerate(plan.groups)
        ]
        values = {
            cohesion.TAG_COHESION: cohesion.tag_cohesion(attrs.evolve(plan, groups=groups)),
            cohesion.NEIGHBOUR_COHESION: cohesion.neighbour_cohesion(
                attrs.evolve(plan, groups=groups)
            ),
            "spread": max(sizes) - min(sizes),
        }
        key = tuple(values[name] for name in _active(plan))
        best = key if best is None or key < best else best
    return best


def achieved(result: SolveResult, plan: Plan) -> tuple[int, ...]:
    values = {term.name: term.value for term in result.terms}
    return tuple(values[name] for name in _active(plan))


@given(first_groupings(), st.booleans())
def test_first_groupings_reach_the_true_optimum(plan: Plan, exhaustive: bool) -> None:
    """The decomposition, and the full model with the symmetry broken (`exhaustive`)."""
    expected = brute_force(plan)
    result = solve_with(plan, (), SolveOptions(workers=1, time_limit=30, exhaustive=exhaustive))
    if expected is None:
        assert result.status is SolveStatus.INFEASIBLE
        return
    assert result.status is SolveStatus.OPTIMAL
    assert result.plan is not None
    assert validate(result.plan) == ()
    assert achieved(result, plan) == expected
    assert all(term.bound == term.value for term in result.terms if term.weight > 0)


def _partition(plan: Plan) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(group.members) for group in plan.groups)


def small_first_grouping() -> Plan:
    """Six communes of two former provinces, a chain of neighbours, two empty clusters."""
    units = [Unit(f"u{i}", f"Phường {i}", "commune", ("x" if i < 3 else "y",)) for i in range(6)]
    return Plan(
        year=2026,
        rules=RuleSettings(group_size=(2, 4), cohesion_tags=TAGS),
        units=units,
        staff=[Staff("l", "L", Role.LEADER), Staff("o", "O", Role.OFFICER)],
        groups=[Group("g0", "Cụm 1", "commune"), Group("g1", "Cụm 2", "commune")],
        neighbours=[("u0", "u1"), ("u1", "u2"), ("u2", "u3"), ("u3", "u4")],
    )


def test_a_first_grouping_keeps_provinces_apart_and_states_the_pairs_it_splits() -> None:
    result = solve(small_first_grouping(), workers=1)
    assert result.status is SolveStatus.OPTIMAL
    assert result.plan is not None
    assert _partition(result.plan) == {frozenset({"u0", "u1", "u2"}), frozenset({"u3", "u4", "u5"})}
    assert [(t.name, t.value, t.bound) for t in result.terms] == [
        ("moves", 0, 0),
        ("staff_changes", 0, 0),  # filling the draft's empty posts replaces nobody
        ("tag_cohesion", 0, 0),
        ("neighbour_cohesion", 1, 1),  # u2 and u3 lie in different provinces
        ("spread", 0, 0),
    ]


def test_alternatives_of_a_first_grouping_are_other_groupings_not_relabellings() -> None:
    plan = attrs.evolve(small_first_grouping(), neighbours=())
    result = solve(plan, workers=1, alternatives=2)
    assert result.plan is not None
    partitions = [_partition(result.plan)]
    partitions += [_partition(alternative.plan) for alternative in result.alternatives]
    assert len(partitions) == 3
    assert len(set(partitions)) == 3


def test_canonical_relabels_interchangeable_groups_by_first_member() -> None:
    plan = small_first_grouping()
    context = RuleContext(plan)
    assert interchangeable_groups(context, plan) == {"commune": ("g0", "g1")}
    swapped = attrs.evolve(
        plan,
        groups=[
            attrs.evolve(plan.groups[0], members=("u3", "u4", "u5"), chair="u4", leader="l"),
            attrs.evolve(plan.groups[1], members=("u0", "u1", "u2"), chair="u0", officer="o"),
        ],
    )
    relabelled = canonical(swapped, ("g0", "g1"))
    assert [(g.members, g.chair, g.leader, g.officer) for g in relabelled.groups] == [
        (("u0", "u1", "u2"), "u0", "l", None),  # people in charge stay with their group
        (("u3", "u4", "u5"), "u4", None, "o"),
    ]
    # A group that held units in the baseline is told apart by moves: not interchangeable.
    assert interchangeable_groups(context, swapped) == {}


# --------------------------------------------------------------------------------------------
# group_count


def test_group_count_creates_the_groups_a_plan_asks_for() -> None:
    plan = attrs.evolve(
        small_first_grouping(),
        groups=(),
        rules=attrs.evolve(small_first_grouping().rules, group_count=2),
    )
    created = requested_groups(plan)
    assert [(g.id, g.name, g.kind, g.members) for g in created.groups] == [
        ("cum-1", "Cụm 1", "commune", ()),
        ("cum-2", "Cụm 2", "commune", ()),
    ]
    result = solve(plan, workers=1)
    assert result.status is SolveStatus.OPTIMAL
    assert result.plan is not None
    assert [g.id for g in result.plan.groups] == ["cum-1", "cum-2"]
    assert validate(result.plan) == ()
    assert result.term("tag_cohesion").value == 0


def test_group_count_for_departments_makes_blocks_and_is_checked() -> None:
    units = [Unit(f"s{i}", f"Sở {i}", "department") for i in range(4)]
    plan = Plan(2026, rules=RuleSettings(group_count=2), units=units)
    assert [g.name for g in requested_groups(plan).groups] == ["Khối 1", "Khối 2"]
    listed = attrs.evolve(plan, groups=[Group("k", "Khối", "department")])
    with pytest.raises(EditError, match="asks for 2 groups but the plan lists 1"):
        requested_groups(listed)
    mixed = attrs.evolve(plan, units=[*units, Unit("q", "Quận 1", "district")])
    with pytest.raises(EditError, match="units of one kind"):
        requested_groups(mixed)
    with pytest.raises(ValueError, match="group_count"):
        RuleSettings(group_count=0)


def test_group_count_is_read_from_a_plan_file() -> None:
    text = (
        'year = 2026\n[rules]\ngroup_count = 3\n[[units]]\nid = "a"\nname = "A"\nkind = "commune"\n'
    )
    assert loads(text).rules.group_count == 3


# --------------------------------------------------------------------------------------------
# The HCMC 2026 example: 168 communes and wards, 16 clusters of 9 to 13


@pytest.fixture(scope="module")
def hcmc_2026() -> Plan:
    return load(ROOT / "tests" / "data" / "hcmc-2026-pairs.toml")


def test_the_168_communes_form_16_clusters_none_straddling_a_former_province(
    hcmc_2026: Plan,
) -> None:
    result = solve(hcmc_2026, time_limit=20, workers=2)
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    plan = result.plan
    assert plan is not None
    assert validate(plan) == ()
    assert len(plan.groups) == 16
    assert sorted(m for g in plan.groups for m in g.members) == sorted(u.id for u in plan.units)
    assert all(9 <= len(g.members) <= 13 for g in plan.groups)
    provinces = set(plan.rules.cohesion_tags)
    for group in plan.groups:
        held = {tag for m in group.members for tag in plan.unit_by_id[m].tags if tag in provinces}
        assert len(held) == 1, group.name
    assert result.term("tag_cohesion").value == 0
    split = result.term("neighbour_cohesion")
    assert split.bound <= split.value == cohesion.neighbour_cohesion(plan)
    if result.proven_optimal:
        # A connected set of 14 wards must lose a pair in clusters of at most 13; 102, 36
        # and 30 units in 10, 3 and 3 clusters give sizes 10 to 12 at best.
        assert (split.value, result.term("spread").value) == (1, 2)


def test_the_example_draft_lists_16_empty_clusters(hcmc_2026: Plan) -> None:
    assert [len(g.members) for g in hcmc_2026.groups] == [0] * 16
    assert all(hcmc_2026.group_of(unit.id) is None for unit in hcmc_2026.units)
    assert len(hcmc_2026.units) == 168
    assert len(cohesion.neighbour_pairs(hcmc_2026)) == 50
