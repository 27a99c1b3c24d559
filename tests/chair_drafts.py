"""Pieces of the tiny one-kind drafts the chair rules' flow is tested on
(`tests/test_chair_bounds.py`, `tests/test_flow_network.py`): pins drawn on units, units
evicted from last year's group, and the draft with last year's plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import strategies as st

from thidua.model import Group, Pin, Plan, RuleSettings, Unit

KIND = "district"


def draw_pins(
    draw: st.DrawFn, units: Sequence[Unit], groups: Sequence[str]
) -> tuple[list[Pin], dict[str, str]]:
    """About one unit in six pinned to a group, as a member or as its chair (one chair pin
    per group at most); the pins, and each pinned unit's group."""
    pins: list[Pin] = []
    pinned: dict[str, str] = {}
    for unit in units:
        if draw(st.integers(0, 5)) == 0:
            group = draw(st.sampled_from(groups))
            as_chair = draw(st.booleans()) and group not in {
                p.group for p in pins if p.chair is not None
            }
            pins.append(Pin.chair_of(unit.id, group) if as_chair else Pin.unit_in(unit.id, group))
            pinned[unit.id] = group
    return pins, pinned


def draw_evicted(
    draw: st.DrawFn, home: Mapping[str, str | None], pinned: Mapping[str, str]
) -> dict[str, str]:
    """About one unpinned unit in five that had a group last year must leave it."""
    return {
        u: h
        for u, h in home.items()
        if h is not None and u not in pinned and draw(st.integers(0, 4)) == 0
    }


def draft_and_previous(
    units: Sequence[Unit],
    groups: Sequence[str],
    home: Mapping[str, str | None],
    pins: Sequence[Pin],
    size: tuple[int, int],
) -> tuple[Plan, Plan]:
    """This year's draft (empty groups, the pins, groups of `size`) and last year's plan
    (each unit in its `home` group, or in none)."""
    previous = Plan(
        year=2013,
        units=units,
        groups=[Group(g, g, KIND, tuple(u for u, h in home.items() if h == g)) for g in groups],
    )
    draft = Plan(
        year=2014,
        rules=RuleSettings(group_size=size),
        units=units,
        groups=[Group(g, g, KIND) for g in groups],
        pins=pins,
    )
    return draft, previous
