"""The history of every group and unit across years of plans: who chaired, who deputised, who
was in charge, who led the review and what awards went where.

`build(plans)` is the one entry point; the command line (`thidua history`), its XLSX export and
the terminal interface all show the same `History`. A year's chair and people come from that
year's plan; its leading unit, awards, tallies and the chair elected for the next year from the
plan's `[[results]]` (written by `thidua review -o` or `thidua ballot -o`, or transcribed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from thidua.errors import ThiduaError
from thidua.i18n import _
from thidua.model import Award, Plan

__all__ = ["GroupYear", "History", "UnitYear", "build"]


@attrs.frozen
class GroupYear:
    """One group in one year."""

    year: int
    group: str
    name: str
    members: tuple[str, ...]
    chair: str | None
    deputy: str | None
    leader: str | None  # staff id: the leader in charge (lãnh đạo phụ trách)
    officer: str | None
    reviewed: bool  # the plan holds this group's year-end result
    leading_unit: str | None = None
    awards: tuple[Award, ...] = ()
    next_chair: str | None = None  # elected at this year's review


@attrs.frozen
class UnitYear:
    """One unit in one year: its group, its posts and its awards."""

    year: int
    unit: str
    group: str | None
    chair: bool = False
    deputy: bool = False
    leading: bool = False
    awards: tuple[str, ...] = ()
    elected_chair: bool = False  # elected at this year's review to chair next year


@attrs.frozen
class History:
    years: tuple[int, ...]
    groups: tuple[GroupYear, ...]  # by group (latest plan's order first), then year
    units: tuple[UnitYear, ...]  # by unit (latest plan's order first), then year
    unit_names: Mapping[str, str]
    group_names: Mapping[str, str]
    staff_names: Mapping[str, str]

    def of_group(self, group: str) -> tuple[GroupYear, ...]:
        return tuple(entry for entry in self.groups if entry.group == group)

    def of_unit(self, unit: str) -> tuple[UnitYear, ...]:
        return tuple(entry for entry in self.units if entry.unit == unit)

    def group_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(entry.group for entry in self.groups))

    def unit_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(entry.unit for entry in self.units))

    def unit_name(self, unit: str | None) -> str:
        return "" if unit is None else self.unit_names.get(unit, unit)

    def staff_name(self, person: str | None) -> str:
        return "" if person is None else self.staff_names.get(person, person)


def _ordered_ids(plans: list[Plan], key: str) -> list[str]:
    """Ids in the latest plan's order, then those only earlier plans have, newest first."""
    found: dict[str, None] = {}
    for plan in reversed(plans):
        for item in getattr(plan, key):
            found.setdefault(item.id, None)
    return list(found)


def build(plans: Iterable[Plan]) -> History:
    """The history of the given plans, one per year (in any order)."""
    ordered = sorted(plans, key=lambda plan: plan.year)
    years = [plan.year for plan in ordered]
    for year in years:
        if years.count(year) > 1:
            raise ThiduaError(_("two plans for the year {year}").format(year=year))
    names: dict[str, str] = {}
    group_names: dict[str, str] = {}
    staff_names: dict[str, str] = {}
    for plan in ordered:  # later names win: a renamed unit shows its latest name
        names.update({unit.id: unit.name for unit in plan.units})
        group_names.update({group.id: group.name for group in plan.groups})
        staff_names.update({person.id: person.name for person in plan.staff})
    by_group: dict[str, list[GroupYear]] = {}
    by_unit: dict[str, list[UnitYear]] = {}
    for plan in ordered:
        for group in plan.groups:
            result = plan.result_by_group.get(group.id)
            by_group.setdefault(group.id, []).append(
                GroupYear(
                    year=plan.year,
                    group=group.id,
                    name=group.name,
                    members=group.members,
                    chair=group.chair,
                    deputy=group.deputy,
                    leader=group.leader,
                    officer=group.officer,
                    reviewed=result is not None,
                    leading_unit=result.leading_unit if result else None,
                    awards=result.awards if result else (),
                    next_chair=result.next_chair if result else None,
                )
            )
        # Read from every result, not only the unit's group's: a source may name a unit
        # without giving the membership (the seed's 2012 year).
        leading = {result.leading_unit for result in plan.results}
        elected = {result.next_chair for result in plan.results}
        awarded: dict[str, list[str]] = {}
        for result in plan.results:
            for award in result.awards:
                for unit_id in award.units:
                    awarded.setdefault(unit_id, []).append(award.name)
        for unit in plan.units:
            group_id = plan.group_of(unit.id)
            home = plan.group_by_id.get(group_id) if group_id else None
            by_unit.setdefault(unit.id, []).append(
                UnitYear(
                    year=plan.year,
                    unit=unit.id,
                    group=group_id,
                    chair=home is not None and home.chair == unit.id,
                    deputy=home is not None and home.deputy == unit.id,
                    leading=unit.id in leading,
                    awards=tuple(awarded.get(unit.id, ())),
                    elected_chair=unit.id in elected,
                )
            )
    return History(
        years=tuple(years),
        groups=tuple(
            entry for group in _ordered_ids(ordered, "groups") for entry in by_group[group]
        ),
        units=tuple(entry for unit in _ordered_ids(ordered, "units") for entry in by_unit[unit]),
        unit_names=names,
        group_names=group_names,
        staff_names=staff_names,
    )
