"""The pickers' bars put together once per picker (`_Growing`) equal the bars found by building
a small plan per candidate and editing it, the construction they replaced: the same options,
the same violations, on random plans with pins, unplaced units and units listed twice."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import plans
from thidua import edits
from thidua.edits import eligibility
from thidua.model import PinKind, Plan
from thidua.rules import Violation


def move_bars_one_plan_each(
    plan: Plan, previous: Sequence[Plan], unit: str
) -> eligibility.Bars[str | None]:
    """The reference: for each place, the unit's groups, its pinned groups and that place in a
    small plan of their own, then the move."""
    current = plan.groups_of_unit.get(unit, ())
    pinned = tuple(p.group for p in plan.pins if p.subject == unit)

    def outcome(group: str | None) -> frozenset[Violation]:
        groups = (*current, *pinned, *([group] if group else []))
        focus = eligibility._focus(plan, groups, units=(unit,))
        moved = edits.move_unit(focus, unit, group)
        return eligibility._violations_about(moved, previous, eligibility._MOVE_RULES, unit)

    return eligibility._bars([None, *(g.id for g in plan.groups)], outcome)


def assignment_bars_one_plan_each(
    plan: Plan, previous: Sequence[Plan], person: str
) -> eligibility.Bars[str]:
    """The reference: each choice for each group checked on a small plan of its own."""
    role = plan.staff_by_id[person].role
    bars: dict[str, tuple[Violation, ...]] = {}
    for group in plan.groups:

        def outcome(other: str | None, group_id: str = group.id) -> frozenset[Violation]:
            return eligibility._staff_outcome(plan, previous, group_id, role, other)

        found = outcome(person)
        if not found:
            bars[group.id] = ()
            continue
        others = {None, group.staff_for(role)} | {
            p.subject for p in plan.pins if p.group == group.id and p.kind is PinKind.STAFF
        }
        others.discard(person)
        common = frozenset.intersection(*(outcome(other) for other in others))
        bars[group.id] = eligibility._sorted(found - common)
    return bars


def with_previous(plan: Plan, earlier: Plan) -> tuple[Plan, ...]:
    return (attrs.evolve(earlier, year=plan.year - 1),)


@settings(max_examples=150, deadline=None)
@given(plans(), plans(), st.data())
def test_move_bars_equal_one_small_plan_per_place(
    plan: Plan, earlier: Plan, data: st.DataObject
) -> None:
    if not plan.units:
        return
    unit = data.draw(st.sampled_from([u.id for u in plan.units]))
    previous = with_previous(plan, earlier)
    assert edits.move_bars(plan, previous, unit) == move_bars_one_plan_each(plan, previous, unit)


@settings(max_examples=150, deadline=None)
@given(plans(), plans(), st.data())
def test_assignment_bars_equal_one_small_plan_per_choice(
    plan: Plan, earlier: Plan, data: st.DataObject
) -> None:
    if not plan.staff:
        return
    person = data.draw(st.sampled_from([s.id for s in plan.staff]))
    previous = with_previous(plan, earlier)
    found = edits.assignment_bars(plan, previous, person)
    assert found == assignment_bars_one_plan_each(plan, previous, person)
