"""Hypothesis strategies for plans, in one place.

`plans()` draws any loadable plan (possibly incomplete or breaking rules); `valid_plans()` draws
a plan built to satisfy every hard rule, together with a previous plan it respects.
"""

from __future__ import annotations

import datetime as dt
import functools
import string

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from thidua.model import (
    Award,
    AwardQuota,
    BallotOutcome,
    Border,
    Criterion,
    DispatchSettings,
    Group,
    GroupResult,
    ObjectiveSettings,
    Pin,
    Plan,
    ReviewSettings,
    Role,
    RuleSettings,
    Staff,
    Succession,
    Tally,
    TieBreak,
    Unit,
)
from thidua.text import nfc, slugify

__all__ = ["names", "plans", "rule_settings", "slugs", "valid_plans", "valid_plans_with_previous"]

KINDS = ("department", "district")

# The strings of r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}", built from parts: drawing them
# through `st.from_regex` took a third of the time of drawing a plan.
_alphanumeric = string.ascii_lowercase + string.digits
slugs = st.builds(
    lambda head, rest, parts: head + rest + "".join(f"-{part}" for part in parts),
    st.sampled_from(string.ascii_lowercase),
    st.text(_alphanumeric, max_size=5),
    st.lists(st.text(_alphanumeric, min_size=1, max_size=4), max_size=2),
)

# Vietnamese letters in both composed and decomposed forms, plus TOML-hostile characters.
_VIETNAMESE = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
names = st.text(
    alphabet=st.sampled_from(
        string.ascii_letters + " -'\"\\" + _VIETNAMESE + _VIETNAMESE.upper() + "#="
    ),
    min_size=1,
    max_size=30,
).filter(lambda name: bool(name.strip()))  # a name is one line of printable text, not blank


@st.composite
def rule_settings(draw: st.DrawFn) -> RuleSettings:
    low = draw(st.integers(0, 4))
    high = draw(st.integers(low, 8))
    return RuleSettings(
        group_size=(low, high),
        leader_max_groups=draw(st.integers(0, 3)),
        officer_max_groups=draw(st.integers(0, 3)),
        chair_rotation_years=draw(st.integers(0, 3)),
        deputy=draw(st.booleans()),
        succession=draw(st.sampled_from(Succession)),
        cohesion_tags=tuple(draw(st.lists(slugs, max_size=2, unique=True))),
        district_tags=tuple(draw(st.lists(slugs, max_size=2, unique=True))),
        objective=ObjectiveSettings(
            moves=draw(st.integers(0, 3)), lexicographic=draw(st.booleans())
        ),
    )


latitudes = st.floats(-90, 90, allow_nan=False)
longitudes = st.floats(-180, 180, allow_nan=False)


def _ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{index}" for index in range(count)]


# Strategies built once and reused: Hypothesis validates every new strategy object on its first
# draw, which cost more than the drawing itself when `plans()` built them afresh for each plan.
# The same strategies drawn in the same order give the same plans; only the building is saved.
_kinds = st.sampled_from(KINDS)
_roles = st.sampled_from(Role)
_tags = st.lists(slugs, max_size=2)
_location = st.none() | st.tuples(latitudes, longitudes)
_optional_name = st.none() | names
_optional_count = st.none() | st.integers(0, 3)
_pin_kinds = st.sampled_from(["unit", "chair", "staff"])
_unit_pin_kinds = st.sampled_from(["unit", "chair"])
_tie_breaks = st.permutations(list(TieBreak))
_weights = st.floats(0.5, 100, allow_nan=False)
_bonus = st.none() | st.floats(0, 10, allow_nan=False)
_thresholds = st.floats(0.5, 1, allow_nan=False)
_min_score = st.none() | st.floats(0, 100, allow_nan=False)
_title = st.just("") | names
_issued = st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
_rules = st.just(RuleSettings()) | rule_settings()


@functools.cache
def _one_of(ids: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(ids)


@functools.cache
def _maybe(ids: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(ids) if ids else st.none()


@functools.cache
def _members(ids: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(ids), max_size=6)


@functools.cache
def _neighbours(ids: tuple[str, ...]) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(
        st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(
            lambda pair: pair[0] != pair[1]  # a unit is not its own neighbour
        ),
        max_size=3,
    )


@functools.cache
def _borders(ids: tuple[str, ...]) -> st.SearchStrategy[list[tuple[str, str, float]]]:
    return st.lists(
        st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.floats(0, 50, allow_nan=False)),
        max_size=3,
    )


@functools.cache
def _subsets(ids: tuple[str, ...], most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(ids), max_size=most, unique=True)


@functools.cache
def _award_units(ids: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(ids), max_size=2)


@functools.cache
def _unit_names(count: int) -> st.SearchStrategy[list[str]]:
    return st.lists(names, min_size=count, max_size=count, unique_by=nfc)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Any plan the file format can hold: references resolve, everything else is random."""
    unit_ids = tuple(_ids("u", draw(st.integers(0, 12))))
    # Unit names are unique in a plan (compared as stored, in NFC).
    unit_names = draw(_unit_names(len(unit_ids)))
    units = [
        Unit(
            id=uid,
            name=unit_name,
            kind=draw(_kinds),
            tags=tuple(draw(_tags)),
            location=draw(_location),
        )
        for uid, unit_name in zip(unit_ids, unit_names, strict=True)
    ]
    staff_ids = tuple(_ids("s", draw(st.integers(0, 5))))
    staff = [
        Staff(
            id=sid,
            name=draw(names),
            role=draw(_roles),
            title=draw(_optional_name),
            max_groups=draw(_optional_count),
            available=draw(st.booleans()),
        )
        for sid in staff_ids
    ]
    optional_unit = _maybe(unit_ids)
    optional_staff = _maybe(staff_ids)
    groups = [
        Group(
            id=gid,
            name=draw(names),
            kind=draw(_kinds),
            members=tuple(draw(_members(unit_ids))) if unit_ids else (),
            leader=draw(optional_staff),
            officer=draw(optional_staff),
            chair=draw(optional_unit),
            deputy=draw(optional_unit),
        )
        for gid in _ids("g", draw(st.integers(0, 4)))
    ]
    group_ids = tuple(group.id for group in groups)
    pins: list[Pin] = []
    if groups and unit_ids:
        pin_kinds = _pin_kinds if staff_ids else _unit_pin_kinds
        for _ in range(draw(st.integers(0, 2))):
            group = draw(_one_of(group_ids))
            kind = draw(pin_kinds)
            subject = draw(_one_of(staff_ids if kind == "staff" else unit_ids))
            pins.append(Pin(group=group, **{kind: subject}))
    neighbours = draw(_neighbours(unit_ids)) if unit_ids else []
    borders = (
        [Border(first, second, km) for first, second, km in draw(_borders(unit_ids))]
        if unit_ids
        else []
    )
    results = []
    if groups and unit_ids:
        for result_group in draw(_subsets(group_ids, 2)):
            some_unit = _maybe(unit_ids)
            results.append(
                GroupResult(
                    group=result_group,
                    leading_unit=draw(some_unit),
                    next_chair=draw(some_unit),
                    ranking=tuple(draw(_subsets(unit_ids, 3))),
                    awards=[
                        Award(
                            draw(names),
                            draw(_award_units(unit_ids)),
                            draw(_optional_count),
                        )
                        for _ in range(draw(st.integers(0, 2)))
                    ],
                    ballots=[
                        Tally(
                            draw(names),
                            draw(_one_of(unit_ids)),
                            draw(st.integers(0, 20)),
                            draw(st.integers(1, 3)),
                            draw(st.sampled_from(BallotOutcome)),
                        )
                        for _ in range(draw(st.integers(0, 2)))
                    ],
                )
            )
    review = ReviewSettings(
        awards=[
            AwardQuota(draw(names), draw(st.integers(0, 3))) for _ in range(draw(st.integers(0, 2)))
        ],
        min_score=draw(_min_score),
        tie_break=draw(_tie_breaks),
        criteria=[Criterion(draw(names), draw(_weights)) for _ in range(draw(st.integers(0, 2)))],
        bonus_max=draw(_bonus),
        vote_threshold=draw(_thresholds),
        ballot_rounds=draw(st.integers(1, 3)),
        commitments=draw(st.lists(names, max_size=2)),
    )
    dispatch = DispatchSettings(
        issuer=draw(st.lists(names, max_size=2)),
        place=draw(_optional_name),
        recipients=draw(st.lists(names, max_size=2)),
        signer=draw(_optional_name),
    )
    return Plan(
        year=draw(st.integers(1990, 2100)),
        title=draw(_title),
        reference=draw(_optional_name),
        issued=draw(_issued),
        rules=draw(_rules),
        units=units,
        staff=staff,
        groups=groups,
        pins=pins,
        neighbours=neighbours,
        borders=borders,
        results=results,
        review=draw(st.just(ReviewSettings()) | st.just(review)),
        dispatch=draw(st.just(DispatchSettings()) | st.just(dispatch)),
    )


def _fresh_name(draw: st.DrawFn, taken: frozenset[str]) -> str:
    """A name none of `taken` has (in NFC), drawn as `names.filter(...)` would draw it (a few
    tries, then the example is dropped) without building a filtered strategy, and a lambda for
    Hypothesis to read, for every unit."""
    for _ in range(3):
        name = draw(names)
        if nfc(name) not in taken:
            break
    assume(nfc(name) not in taken)
    return name


@st.composite
def valid_plans_with_previous(draw: st.DrawFn) -> tuple[Plan, Plan]:
    """A plan that breaks no hard rule, and last year's plan whose chairs it rotated away from."""
    low = draw(st.integers(2, 4))
    high = draw(st.integers(low, 6))
    deputy = draw(st.booleans())
    leader_max = draw(st.integers(1, 3))
    officer_max = draw(st.integers(1, 3))
    units: list[Unit] = []
    groups: list[Group] = []
    previous_groups: list[Group] = []
    group_count = 0
    for kind in draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True)):
        for _ in range(draw(st.integers(1, 3))):
            size = draw(st.integers(low, high))
            members = []
            for _ in range(size):
                name = _fresh_name(draw, frozenset(unit.name for unit in units))
                uid = f"u{len(units)}-{slugify(name)[:8]}".rstrip("-")
                units.append(Unit(id=uid, name=name, kind=kind))
                members.append(uid)
            order = draw(st.permutations(members))
            gid = f"g{group_count}"
            group_count += 1
            groups.append(
                Group(
                    id=gid,
                    name=f"Nhóm {group_count}",
                    kind=kind,
                    members=tuple(members),
                    chair=order[0],
                    deputy=order[1] if deputy else None,
                )
            )
            previous_groups.append(attrs.evolve(groups[-1], chair=order[1], deputy=None))
    leaders = [
        Staff(id=f"l{i}", name=f"Lãnh đạo {i}", role=Role.LEADER)
        for i in range(-(-len(groups) // leader_max))
    ]
    officers = [
        Staff(id=f"o{i}", name=f"Cán bộ {i}", role=Role.OFFICER)
        for i in range(-(-len(groups) // officer_max))
    ]
    retired = Staff(id="r0", name="Đã nghỉ hưu", role=Role.LEADER, available=False)
    groups = [
        attrs.evolve(
            group,
            leader=leaders[index // leader_max].id,
            officer=officers[index // officer_max].id,
        )
        for index, group in enumerate(groups)
    ]
    pins = [Pin.unit_in(groups[0].members[0], groups[0].id)]
    if groups[0].chair is not None:
        pins.append(Pin.chair_of(groups[0].chair, groups[0].id))
    rules = RuleSettings(
        group_size=(low, high),
        leader_max_groups=leader_max,
        officer_max_groups=officer_max,
        chair_rotation_years=1,
        deputy=deputy,
    )
    plan = Plan(
        year=2014,
        title="Kế hoạch thử",
        rules=rules,
        units=units,
        staff=[*leaders, *officers, retired],
        groups=groups,
        pins=pins,
    )
    previous = attrs.evolve(
        plan, year=2013, groups=previous_groups, pins=(), rules=attrs.evolve(rules, deputy=False)
    )
    return plan, previous


def valid_plans() -> st.SearchStrategy[Plan]:
    return valid_plans_with_previous().map(lambda pair: pair[0])
