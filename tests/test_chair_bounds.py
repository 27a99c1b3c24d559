"""The flow's membership bound with the chair rules' demands (`thidua.solver.flow.ChairLimits`).

Checked against brute force on tiny plans of one kind: every membership of the units that
meets the size bounds and pins, keeps each evicted unit out of the group it must leave, and
gives every group whose chair is not pinned a member the rotation lets chair it. The flow's
fewest moves (and smallest spread with them) must never exceed that optimum, which makes it a
lower bound, and must equal it where the rotation bars only units the group keeps (those that
chaired it and stayed: the case the bound is built for), with a membership that attains it.
"""

from __future__ import annotations

import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from chair_drafts import KIND, draft_and_previous, draw_evicted, draw_pins
from thidua.model import Group, Pin, Plan, RuleSettings, Unit
from thidua.solver.flow import ChairLimits, min_moves_by_kind


@st.composite
def barred_drafts(draw: st.DrawFn) -> tuple[Plan, Plan, ChairLimits, bool]:
    """A draft of up to 6 units in up to 3 groups, last year's plan, its chair limits, and
    whether every barred unit is one its group keeps."""
    groups = [f"g{i}" for i in range(draw(st.integers(1, 3)))]
    units = [Unit(f"u{i}", f"Xã {i}", KIND) for i in range(draw(st.integers(1, 6)))]
    home = {u.id: draw(st.none() | st.sampled_from(groups)) for u in units}
    pins, pinned = draw_pins(draw, units, groups)
    kept = {g: [u for u, h in home.items() if h == g and u not in pinned] for g in groups}
    for unit_id, group in pinned.items():
        kept[group].append(unit_id)
    only_kept = draw(st.booleans())
    barred: dict[str, frozenset[str]] = {}
    for group in groups:
        pool = kept[group] if only_kept else [u.id for u in units]
        barred[group] = frozenset(u for u in pool if draw(st.booleans()))
    evicted = draw_evicted(draw, home, pinned)
    chair_pinned = frozenset(p.group for p in pins if p.chair is not None)
    low = draw(st.integers(1, 2))
    high = draw(st.integers(low, 4))
    draft, previous = draft_and_previous(units, groups, home, pins, (low, high))
    limits = ChairLimits(barred=barred, chair_pinned=chair_pinned, evicted=evicted)
    return draft, previous, limits, only_kept


def _pins_fill_a_barred_group() -> tuple[Plan, Plan, ChairLimits, bool]:
    """g1's two pinned units are both barred from chairing it and fill it (at most 2 members):
    u3, which may chair it, cannot stay, so no membership gives it a chair. The flow once
    counted u3 among the units g1 keeps, did not see g1 as barred, and answered u0 and u2."""
    units = [Unit(f"u{i}", f"Xã {i}", KIND) for i in range(4)]
    previous = Plan(
        year=2013,
        units=units,
        groups=[Group("g0", "g0", KIND), Group("g1", "g1", KIND, ("u1", "u3"))],
    )
    draft = Plan(
        year=2014,
        rules=RuleSettings(group_size=(1, 2)),
        units=units,
        groups=[Group("g0", "g0", KIND), Group("g1", "g1", KIND)],
        pins=[Pin.unit_in("u0", "g1"), Pin.unit_in("u2", "g1")],
    )
    limits = ChairLimits(
        barred={"g0": frozenset(), "g1": frozenset({"u0", "u2"})},
        chair_pinned=frozenset(),
        evicted={"u1": "g1"},
    )
    return draft, previous, limits, True


def _valid(
    draft: Plan, limits: ChairLimits, assignment: dict[str, str], sizes: dict[str, int]
) -> bool:
    low, high = draft.rules.group_size
    if not all(low <= size <= high for size in sizes.values()):
        return False
    if any(assignment[p.subject] != p.group for p in draft.pins):
        return False
    if any(assignment[u] == g for u, g in limits.evicted.items()):
        return False
    for group in sizes:
        if group in limits.chair_pinned:
            continue
        members = [u for u, g in assignment.items() if g == group]
        if all(u in limits.barred.get(group, ()) for u in members):
            return False
    return True


def _moves(previous: Plan, assignment: dict[str, str]) -> int:
    return sum(previous.group_of(u) not in (None, g) for u, g in assignment.items())


def _best(draft: Plan, previous: Plan, limits: ChairLimits) -> tuple[int, int] | None:
    units = [u.id for u in draft.units]
    groups = [g.id for g in draft.groups]
    best: tuple[int, int] | None = None
    for choice in itertools.product(groups, repeat=len(units)):
        assignment = dict(zip(units, choice, strict=True))
        sizes = {g: choice.count(g) for g in groups}
        if _valid(draft, limits, assignment, sizes):
            score = (_moves(previous, assignment), max(sizes.values()) - min(sizes.values()))
            best = score if best is None else min(best, score)
    return best


@settings(max_examples=300, deadline=None)
@given(barred_drafts())
@example(_pins_fill_a_barred_group())
def test_chair_limits_bound_the_moves_and_attain_them(
    case: tuple[Plan, Plan, ChairLimits, bool],
) -> None:
    draft, previous, limits, only_kept = case
    flow = min_moves_by_kind(draft, previous, chairs=limits)[KIND]
    best = _best(draft, previous, limits)
    if best is None:
        if only_kept:
            assert not flow.feasible
        return
    assert flow.feasible
    assert flow.min_moves <= best[0]
    if only_kept:
        assert (flow.min_moves, flow.min_spread) == best
        sizes = dict(flow.sizes)
        assert _valid(draft, limits, dict(flow.assignment), sizes)
        assert _moves(previous, dict(flow.assignment)) == flow.min_moves
