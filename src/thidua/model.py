"""The plan as data: units, staff, groups, pins and the rules in force, as frozen attrs values.

Nothing here knows about TOML, Textual or OR-Tools; files live in `thidua.files`, the solver in
`thidua.solver`. Ids are ASCII slugs; names are stored NFC-normalised.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from thidua.errors import InvalidValue
from thidua.i18n import _
from thidua.text import line_text

__all__ = [
    "Award",
    "AwardQuota",
    "BallotOutcome",
    "Border",
    "Criterion",
    "DispatchSettings",
    "Group",
    "GroupResult",
    "ObjectiveSettings",
    "Pin",
    "PinKind",
    "Plan",
    "ReviewSettings",
    "Role",
    "RuleSettings",
    "Staff",
    "Succession",
    "Tally",
    "TieBreak",
    "Unit",
]

_SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def _check_slug(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _SLUG.match(value):
        raise InvalidValue(
            _("{field} {value} is not an ASCII slug (a-z, 0-9, '-')").format(
                field=attribute.name, value=repr(value)
            )
        )


def _optional_slug(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        _check_slug(instance, attribute, value)


def _optional_nfc(value: str | None) -> str | None:
    return None if value is None else line_text(value)


def _name(value: str) -> str:
    """A name: one line of printable text, NFC, not blank."""
    text = line_text(value)
    if not text.strip():
        raise InvalidValue("name " + _("may not be empty"))
    return text


def _between(low: int, high: int, value: object) -> str:
    return _("must be between {low} and {high}, not {value}").format(
        low=low, high=high, value=value
    )


# Objective weights multiply counts of hundreds of thousands in one int64 sum (CP-SAT's).
MAX_WEIGHT = 1_000_000


def _weight(_instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if not 0 <= value <= MAX_WEIGHT:
        raise InvalidValue(f"{attribute.name} " + _between(0, MAX_WEIGHT, value))


# A limit (members, groups a person takes, years) beyond any province's size; larger numbers
# only serve to overflow the solver's 64-bit arithmetic.
MAX_COUNT = 1_000_000


def _at_least_zero(_instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if not 0 <= value <= MAX_COUNT:
        raise InvalidValue(f"{attribute.name} " + _between(0, MAX_COUNT, value))


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _nfc_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(line_text(value) for value in values)


class Role(enum.StrEnum):
    """What a person does for a group: lãnh đạo phụ trách or cán bộ phụ trách, theo dõi."""

    LEADER = "leader"
    OFFICER = "officer"


class Succession(enum.StrEnum):
    """How next year's chair is chosen (docs/domain.md: three patterns seen in practice)."""

    FREE = "free"  # free election among eligible members
    DEPUTY = "deputy"  # this year's deputy becomes next year's chair
    LEADING = "leading"  # the group's leading unit of the review becomes next year's chair


@attrs.frozen
class Unit:
    """A member unit: the office of a department (Sở, ban, ngành) or of a district/commune."""

    id: str = attrs.field(validator=_check_slug)
    name: str = attrs.field(converter=_name)
    kind: str = attrs.field(validator=_check_slug)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    # (latitude, longitude) in degrees, WGS84: where a map puts the unit's label.
    location: tuple[float, float] | None = None


@attrs.frozen
class Border:
    """Two units that share a border, and its length in kilometres (for the geography rules)."""

    first: str = attrs.field(validator=_check_slug)
    second: str = attrs.field(validator=_check_slug)
    km: float = attrs.field(default=0.0, converter=float)

    @km.validator
    def _km_non_negative(self, _attribute: object, value: float) -> None:
        if not value >= 0:
            raise InvalidValue(
                _("a border's length must be 0 or more, not {value}").format(value=value)
            )


@attrs.frozen
class Staff:
    """A person of the provincial office who can be put in charge of groups."""

    id: str = attrs.field(validator=_check_slug)
    name: str = attrs.field(converter=_name)
    role: Role = attrs.field(converter=Role)
    title: str | None = attrs.field(default=None, converter=_optional_nfc)
    max_groups: int | None = attrs.field(default=None)
    available: bool = True

    @max_groups.validator
    def _max_groups_non_negative(self, _attribute: object, value: int | None) -> None:
        if value is not None and not 0 <= value <= MAX_COUNT:
            raise InvalidValue("max_groups " + _between(0, MAX_COUNT, value))


@attrs.frozen
class Group:
    """A block (khối) or cluster (cụm): its members in document order and who runs it."""

    id: str = attrs.field(validator=_check_slug)
    name: str = attrs.field(converter=_name)
    kind: str = attrs.field(validator=_check_slug)
    members: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    leader: str | None = attrs.field(default=None, validator=_optional_slug)
    officer: str | None = attrs.field(default=None, validator=_optional_slug)
    chair: str | None = attrs.field(default=None, validator=_optional_slug)
    deputy: str | None = attrs.field(default=None, validator=_optional_slug)

    def staff_for(self, role: Role) -> str | None:
        """The id of the person holding `role` in this group, if any."""
        return self.leader if role is Role.LEADER else self.officer


class PinKind(enum.StrEnum):
    UNIT = "unit"  # this unit stays in this group
    STAFF = "staff"  # this person stays in charge of this group
    CHAIR = "chair"  # this unit chairs this group


@attrs.frozen
class Pin:
    """Something a proposal must keep. Exactly one of unit, staff or chair is set."""

    group: str = attrs.field(validator=_check_slug)
    unit: str | None = attrs.field(default=None, validator=_optional_slug)
    staff: str | None = attrs.field(default=None, validator=_optional_slug)
    chair: str | None = attrs.field(default=None, validator=_optional_slug)

    def __attrs_post_init__(self) -> None:
        if sum(value is not None for value in (self.unit, self.staff, self.chair)) != 1:
            raise InvalidValue(_("a pin names exactly one of unit, staff or chair, with a group"))

    @classmethod
    def unit_in(cls, unit: str, group: str) -> Pin:
        return cls(group=group, unit=unit)

    @classmethod
    def staff_on(cls, staff: str, group: str) -> Pin:
        return cls(group=group, staff=staff)

    @classmethod
    def chair_of(cls, unit: str, group: str) -> Pin:
        return cls(group=group, chair=unit)

    @property
    def kind(self) -> PinKind:
        if self.unit is not None:
            return PinKind.UNIT
        return PinKind.STAFF if self.staff is not None else PinKind.CHAIR

    @property
    def subject(self) -> str:
        """The id of the unit or person the pin is about."""
        subject = self.unit or self.staff or self.chair
        assert subject is not None  # guaranteed by __attrs_post_init__
        return subject


@attrs.frozen
class ObjectiveSettings:
    """Weights of the solver's objective terms; 0 switches a term off.

    With `lexicographic` (the contract's default) the terms are minimised strictly in the order
    moves, staff changes, spread, and a weight only switches its term on or off; otherwise the
    solver minimises the weighted sum.
    """

    moves: int = attrs.field(default=1, validator=_weight)
    staff_changes: int = attrs.field(default=1, validator=_weight)
    spread: int = attrs.field(default=1, validator=_weight)
    tag_cohesion: int = attrs.field(default=1, validator=_weight)
    neighbour_cohesion: int = attrs.field(default=1, validator=_weight)
    district_pieces: int = attrs.field(default=1, validator=_weight)
    disconnected_groups: int = attrs.field(default=1, validator=_weight)
    border_between: int = attrs.field(default=1, validator=_weight)
    lexicographic: bool = True


def _size_bounds(value: Iterable[int]) -> tuple[int, int]:
    low, high = tuple(value)
    return (int(low), int(high))


@attrs.frozen
class RuleSettings:
    """The `[rules]` table: the limits every rule reads. Defaults are the contract's."""

    group_size: tuple[int, int] = attrs.field(default=(5, 11), converter=_size_bounds)
    leader_max_groups: int = attrs.field(default=2, validator=_at_least_zero)
    officer_max_groups: int = attrs.field(default=2, validator=_at_least_zero)
    chair_rotation_years: int = attrs.field(default=1, validator=_at_least_zero)
    deputy: bool = False
    succession: Succession = attrs.field(default=Succession.FREE, converter=Succession)
    # Tags whose holders must not share a group with holders of another of them (soft).
    cohesion_tags: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    # Tags naming former districts: a group should hold each of them whole (soft).
    district_tags: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    objective: ObjectiveSettings = attrs.field(factory=ObjectiveSettings)
    # A plan that lists no groups may ask the solver to create this many (a first grouping).
    group_count: int | None = attrs.field(default=None)

    @group_count.validator
    def _positive_count(self, _attribute: object, value: int | None) -> None:
        if value is not None and value < 1:
            raise InvalidValue(
                _("{field} must be 1 or more, not {value}").format(field="group_count", value=value)
            )

    @group_size.validator
    def _ordered(self, _attribute: object, value: tuple[int, int]) -> None:
        if not 0 <= value[0] <= value[1] <= MAX_COUNT:
            raise InvalidValue(
                "group_size "
                + _("must be [low, high] with 0 <= low <= high <= {most}, not {value}").format(
                    most=MAX_COUNT, value=list(value)
                )
            )

    def max_groups(self, role: Role) -> int:
        return self.leader_max_groups if role is Role.LEADER else self.officer_max_groups


class TieBreak(enum.StrEnum):
    """What decides between members of equal total score in the year-end review.

    No public rule for ties exists (docs/domain.md), so the plan states its own, in order.
    """

    BASE = "base"  # higher criteria score before bonus and penalty points
    PENALTY = "penalty"  # fewer penalty points
    BONUS = "bonus"  # more bonus points
    ORDER = "order"  # earlier in the group's member list, as the dispatch lists them


def _tie_breaks(values: Iterable[str]) -> tuple[TieBreak, ...]:
    keys = []
    for value in values:
        try:
            keys.append(TieBreak(value))
        except ValueError:
            allowed = ", ".join(repr(key.value) for key in TieBreak)
            raise InvalidValue(
                _("{field}: unknown key {value} (use {allowed})").format(
                    field="tie_break", value=repr(value), allowed=allowed
                )
            ) from None
    if len(set(keys)) != len(keys):
        raise InvalidValue(_("{field}: a key is listed twice").format(field="tie_break"))
    return tuple(keys)


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 0:
        raise InvalidValue(
            _("{field} must be 0 or more, not {value}").format(field=attribute.name, value=value)
        )


def _optional_float(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        raise InvalidValue(_("expected a finite number, not {value}").format(value=value))
    return number


@attrs.frozen
class AwardQuota:
    """An award the review proposes, and how many members of each group may receive it."""

    name: str = attrs.field(converter=_name)
    per_group: int = attrs.field(validator=_non_negative)


def _quotas(values: Iterable[AwardQuota]) -> tuple[AwardQuota, ...]:
    return tuple(values)


def _positive_points(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value > 0:
        raise InvalidValue(
            _("{field} must be more than 0, not {value}").format(field=attribute.name, value=value)
        )


@attrs.frozen
class Criterion:
    """A column of the review's score sheet and the most points a unit can score in it."""

    name: str = attrs.field(converter=_name)
    max_points: float = attrs.field(converter=float, validator=_positive_points)


def _criteria(values: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return tuple(values)


def _optional_cap(_instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and value < 0:
        raise InvalidValue(
            _("{field} must be 0 or more, not {value}").format(field=attribute.name, value=value)
        )


def _fraction(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0 < value <= 1:
        raise InvalidValue(
            _("{field} must be a fraction above 0 and at most 1, not {value}").format(
                field=attribute.name, value=value
            )
        )


def _at_least_one(_instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise InvalidValue(
            _("{field} must be 1 or more, not {value}").format(field=attribute.name, value=value)
        )


@attrs.frozen
class ReviewSettings:
    """The `[review]` table: how the year-end review ranks members and proposes awards.

    Awards go down the ranking in the order listed, one award per unit: by default the
    leading unit gets the emulation flag and the next three a certificate of merit.
    """

    awards: tuple[AwardQuota, ...] = attrs.field(
        default=(AwardQuota("Cờ thi đua", 1), AwardQuota("Bằng khen", 3)), converter=_quotas
    )
    # A member below this total may not lead its group or receive an award.
    min_score: float | None = attrs.field(default=None, converter=_optional_float)
    # Applied in order after the total; document order always decides last.
    tie_break: tuple[TieBreak, ...] = attrs.field(
        default=(TieBreak.BASE, TieBreak.PENALTY, TieBreak.ORDER), converter=_tie_breaks
    )
    # The score sheet's criteria with their maximum points (`thidua review --template`), and
    # the caps on bonus and penalty points (none by default: no national rule sets them).
    criteria: tuple[Criterion, ...] = attrs.field(default=(), converter=_criteria)
    bonus_max: float | None = attrs.field(
        default=None, converter=_optional_float, validator=_optional_cap
    )
    penalty_max: float | None = attrs.field(
        default=None, converter=_optional_float, validator=_optional_cap
    )
    # The ballot (`thidua ballot`): a proposal needs this share of the group's members' votes
    # (80%: circular 01/2024/TT-TANDTC Art. 29 for a cluster's flag, as decree 98/2023
    # Art. 30 k7 for councils), in at most this many rounds, after which the chair and the
    # deputy decide (the same circular).
    vote_threshold: float = attrs.field(default=0.8, converter=float, validator=_fraction)
    ballot_rounds: int = attrs.field(default=2, validator=_at_least_one)
    # What the members commit to in the year's covenant (giao ước thi đua), one line each.
    commitments: tuple[str, ...] = attrs.field(default=(), converter=_nfc_tuple)


@attrs.frozen
class Award:
    """Members of a group proposed for one award, best ranked first.

    `count` records how many were proposed when a source gives the number but not the units
    (the seed's 2012 report: nine flags, recipients unnamed).
    """

    name: str = attrs.field(converter=_name)
    units: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    count: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_non_negative)
    )

    @property
    def size(self) -> int:
        """How many were proposed: the units named, or the recorded count."""
        return len(self.units) if self.count is None else max(self.count, len(self.units))


class BallotOutcome(enum.StrEnum):
    """What a candidate's votes in a ballot round came to."""

    PROPOSED = "proposed"  # reached the threshold within the award's quota
    SHORT = "short"  # fell short of the threshold (or of a place in the quota)
    CHAIR_DECIDES = "chair-decides"  # in contention after the last round: chair and deputy decide


@attrs.frozen
class Tally:
    """A candidate's votes for an award in one ballot round (bình xét, suy tôn)."""

    award: str = attrs.field(converter=_name)
    unit: str = attrs.field(validator=_check_slug)
    votes: int = attrs.field(validator=_non_negative)
    round: int = attrs.field(default=1, validator=_at_least_one)
    outcome: BallotOutcome = attrs.field(default=BallotOutcome.SHORT, converter=BallotOutcome)


def _tallies(values: Iterable[Tally]) -> tuple[Tally, ...]:
    return tuple(values)


def _awards(values: Iterable[Award]) -> tuple[Award, ...]:
    return tuple(values)


@attrs.frozen
class GroupResult:
    """A group's year-end review outcome, kept in that year's plan as history."""

    group: str = attrs.field(validator=_check_slug)
    leading_unit: str | None = attrs.field(default=None, validator=_optional_slug)
    next_chair: str | None = attrs.field(default=None, validator=_optional_slug)
    ranking: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    awards: tuple[Award, ...] = attrs.field(default=(), converter=_awards)
    # The members' votes, when the awards went to a ballot (`thidua ballot`).
    ballots: tuple[Tally, ...] = attrs.field(default=(), converter=_tallies)

    @ranking.validator
    def _each_once(self, _attribute: object, value: tuple[str, ...]) -> None:
        if len(set(value)) != len(value):
            twice = next(unit for unit in value if value.count(unit) > 1)
            raise InvalidValue("ranking " + _("names {unit!r} twice").format(unit=twice))


def _check_year(value: int) -> None:
    if not dt.MINYEAR <= value <= dt.MAXYEAR:
        raise InvalidValue("year " + _between(dt.MINYEAR, dt.MAXYEAR, value))


@attrs.frozen
class DispatchSettings:
    """The `[dispatch]` table: what a dispatch of the plan says beyond the groups.

    Everything is optional; an exported draft shows the decree's placeholders where a value
    is missing. Multi-line items (agency names, the signer's title) keep one line per entry.
    """

    authority: tuple[str, ...] = attrs.field(default=(), converter=_nfc_tuple)  # chủ quản
    issuer: tuple[str, ...] = attrs.field(default=(), converter=_nfc_tuple)  # cơ quan ban hành
    # Ký hiệu ("VP-THKH"), printed after a blank number while the plan has no reference.
    symbol: str | None = attrs.field(default=None, converter=_optional_nfc)
    place: str | None = attrs.field(default=None, converter=_optional_nfc)  # địa danh
    recipients: tuple[str, ...] = attrs.field(default=(), converter=_nfc_tuple)  # Kính gửi
    # Nơi nhận after "Như trên", ending with the "Lưu: ..." line.
    copies: tuple[str, ...] = attrs.field(default=(), converter=_nfc_tuple)
    signer_title: tuple[str, ...] = attrs.field(default=(), converter=_nfc_tuple)
    signer: str | None = attrs.field(default=None, converter=_optional_nfc)


def _pairs(values: Iterable[Iterable[str]]) -> tuple[tuple[str, str], ...]:
    return tuple(_pair(value) for value in values)


def _pair(value: Iterable[str]) -> tuple[str, str]:
    first, second = tuple(value)
    return (first, second)


def _borders_tuple(values: Iterable[Border]) -> tuple[Border, ...]:
    return tuple(values)


def _units_tuple(values: Iterable[Unit]) -> tuple[Unit, ...]:
    return tuple(values)


def _staff_tuple(values: Iterable[Staff]) -> tuple[Staff, ...]:
    return tuple(values)


def _groups_tuple(values: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(values)


def _pins_tuple(values: Iterable[Pin]) -> tuple[Pin, ...]:
    return tuple(values)


def _results_tuple(values: Iterable[GroupResult]) -> tuple[GroupResult, ...]:
    return tuple(values)


@attrs.frozen
class Plan:
    """One year's plan: who the units and staff are, the rules, and the assignment."""

    year: int = attrs.field(validator=lambda _i, _a, value: _check_year(value))
    title: str = attrs.field(default="", converter=line_text)
    reference: str | None = attrs.field(default=None, converter=_optional_nfc)
    issued: dt.date | None = attrs.field(default=None)
    rules: RuleSettings = attrs.field(factory=RuleSettings)
    units: tuple[Unit, ...] = attrs.field(default=(), converter=_units_tuple)
    staff: tuple[Staff, ...] = attrs.field(default=(), converter=_staff_tuple)
    groups: tuple[Group, ...] = attrs.field(default=(), converter=_groups_tuple)
    pins: tuple[Pin, ...] = attrs.field(default=(), converter=_pins_tuple)
    # Pairs of units that share a border (for neighbour cohesion).
    neighbours: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    # Units that share a border, with its length (for the geography rules).
    borders: tuple[Border, ...] = attrs.field(default=(), converter=_borders_tuple)
    # The year-end review of this year, read by next year's rotation and succession.
    results: tuple[GroupResult, ...] = attrs.field(default=(), converter=_results_tuple)
    review: ReviewSettings = attrs.field(factory=ReviewSettings)
    dispatch: DispatchSettings = attrs.field(factory=DispatchSettings)

    @issued.validator
    def _a_date(self, _attribute: object, value: dt.date | None) -> None:
        if isinstance(value, dt.datetime):
            raise InvalidValue(
                "issued "
                + _("must be a date (YYYY-MM-DD), not a date and time {value}").format(value=value)
            )

    @functools.cached_property
    def unit_by_id(self) -> Mapping[str, Unit]:
        return {unit.id: unit for unit in self.units}

    @functools.cached_property
    def staff_by_id(self) -> Mapping[str, Staff]:
        return {person.id: person for person in self.staff}

    @functools.cached_property
    def group_by_id(self) -> Mapping[str, Group]:
        return {group.id: group for group in self.groups}

    @functools.cached_property
    def groups_of_unit(self) -> Mapping[str, tuple[str, ...]]:
        """Each unit id to the ids of the groups listing it (normally exactly one)."""
        found: dict[str, list[str]] = {unit.id: [] for unit in self.units}
        for group in self.groups:
            for member in group.members:
                found.setdefault(member, []).append(group.id)
        return {unit: tuple(groups) for unit, groups in found.items()}

    @functools.cached_property
    def result_by_group(self) -> Mapping[str, GroupResult]:
        return {result.group: result for result in self.results}

    def group_of(self, unit: str) -> str | None:
        """The group holding `unit`, or None when no group or several list it."""
        groups = self.groups_of_unit.get(unit, ())
        return groups[0] if len(groups) == 1 else None

    @functools.cached_property
    def workloads(self) -> Mapping[str, tuple[str, ...]]:
        """Each person in charge of some group to the ids of those groups, in group order.

        Built once per plan: checking every person's workload by scanning the groups for each
        would take staff x groups steps, which a plan of thousands of units feels.
        """
        found: dict[str, list[str]] = {}
        for g in self.groups:
            for person in dict.fromkeys((g.leader, g.officer)):
                if person is not None:
                    found.setdefault(person, []).append(g.id)
        return {person: tuple(groups) for person, groups in found.items()}

    def workload(self, staff: str) -> tuple[str, ...]:
        """The ids of the groups `staff` is in charge of, as leader or officer."""
        return self.workloads.get(staff, ())

    def max_groups(self, person: Staff) -> int:
        """How many groups this person may be in charge of: their own limit or the rule's."""
        if person.max_groups is not None:
            return person.max_groups
        return self.rules.max_groups(person.role)

    def replace_group(self, group: Group) -> Plan:
        """This plan with the group of the same id replaced."""
        groups = tuple(group if g.id == group.id else g for g in self.groups)
        return attrs.evolve(self, groups=groups)
