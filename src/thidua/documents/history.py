"""The history (`thidua.history.History`) as text, JSON and an Excel workbook."""

from __future__ import annotations

import io
from typing import Any

from thidua.documents.output import put
from thidua.history import GroupYear, History, UnitYear
from thidua.i18n import _, ngettext
from thidua.model import Award

__all__ = ["award_text", "history_json", "history_text", "history_xlsx"]


def award_text(history: History, award: Award) -> str:
    """ "Cờ thi đua: Quận 3", or, when a source gave only the number, how many were proposed."""
    names = [history.unit_name(unit) for unit in award.units]
    unnamed = award.size - len(award.units)
    if unnamed > 0:
        names.append(
            ngettext("{count} unit not named", "{count} units not named", unnamed).format(
                count=unnamed
            )
        )
    return f"{award.name}: {', '.join(names)}" if names else award.name


def _group_year_text(history: History, entry: GroupYear) -> str:
    dash = "—"
    parts = [
        _("chair {unit}").format(unit=history.unit_name(entry.chair) or dash),
        _("deputy {unit}").format(unit=history.unit_name(entry.deputy) or dash),
        _("leader {person}").format(person=history.staff_name(entry.leader) or dash),
    ]
    if entry.reviewed:
        parts.append(
            _("leading unit {unit}").format(unit=history.unit_name(entry.leading_unit) or dash)
        )
        if entry.awards:
            parts.append("; ".join(award_text(history, award) for award in entry.awards))
        if entry.next_chair is not None:
            parts.append(
                _("chair elected for {year}: {unit}").format(
                    year=entry.year + 1, unit=history.unit_name(entry.next_chair)
                )
            )
    else:
        parts.append(_("no review recorded"))
    return f"{entry.year}: " + "; ".join(parts)


def _unit_year_text(history: History, entry: UnitYear) -> str:
    if entry.group is None:
        return f"{entry.year} —"
    roles = []
    if entry.chair:
        roles.append(_("chair"))
    if entry.deputy:
        roles.append(_("deputy"))
    if entry.leading:
        roles.append(_("leading unit"))
    roles += entry.awards
    if entry.elected_chair:
        roles.append(_("elected chair for {year}").format(year=entry.year + 1))
    group = history.group_names.get(entry.group, entry.group)
    return f"{entry.year} {group}" + (f" ({', '.join(roles)})" if roles else "")


def history_text(history: History) -> str:
    span = (
        f"{history.years[0]}–{history.years[-1]}"
        if len(history.years) > 1
        else str(history.years[0])
    )
    lines = [_("History of the emulation groups, {years}").format(years=span), ""]
    for group in history.group_ids():
        lines.append(f"{history.group_names.get(group, group)} ({group})")
        lines += [f"  {_group_year_text(history, entry)}" for entry in history.of_group(group)]
        lines.append("")
    lines.append(_("Units"))
    for unit in history.unit_ids():
        years = "; ".join(_unit_year_text(history, entry) for entry in history.of_unit(unit))
        lines.append(f"  {history.unit_name(unit)}: {years}")
    return "\n".join(lines) + "\n"


def _award_json(award: Award) -> dict[str, Any]:
    return {"name": award.name, "units": list(award.units), "count": award.size}


def history_json(history: History) -> dict[str, Any]:
    return {
        "years": list(history.years),
        "groups": [
            {
                "group": entry.group,
                "name": entry.name,
                "year": entry.year,
                "members": list(entry.members),
                "chair": entry.chair,
                "deputy": entry.deputy,
                "leader": entry.leader,
                "officer": entry.officer,
                "reviewed": entry.reviewed,
                "leading_unit": entry.leading_unit,
                "awards": [_award_json(award) for award in entry.awards],
                "next_chair": entry.next_chair,
            }
            for entry in history.groups
        ],
        "units": [
            {
                "unit": entry.unit,
                "name": history.unit_name(entry.unit),
                "year": entry.year,
                "group": entry.group,
                "chair": entry.chair,
                "deputy": entry.deputy,
                "leading": entry.leading,
                "awards": list(entry.awards),
                "elected_chair": entry.elected_chair,
            }
            for entry in history.units
        ],
    }


def _sheet(workbook: Any, title: str, headings: list[str], rows: list[list[object]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for column, heading in enumerate(headings, 1):
        put(sheet, 1, column, heading).font = Font(bold=True)
    for row, values in enumerate(rows, 2):
        for column, value in enumerate(values, 1):
            put(sheet, row, column, value)
    for column, heading in enumerate(headings, 1):
        longest = max([len(heading), *(len(str(r[column - 1] or "")) for r in rows)])
        sheet.column_dimensions[get_column_letter(column)].width = min(60, longest + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def history_xlsx(history: History) -> bytes:
    """The history as a workbook: one row per group and year, one per unit and year."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    group_rows: list[list[object]] = [
        [
            entry.year,
            entry.group,
            entry.name,
            history.unit_name(entry.chair),
            history.unit_name(entry.deputy),
            history.staff_name(entry.leader),
            history.staff_name(entry.officer),
            history.unit_name(entry.leading_unit),
            "; ".join(award_text(history, award) for award in entry.awards),
            history.unit_name(entry.next_chair),
        ]
        for entry in history.groups
    ]
    _sheet(
        workbook,
        _("Groups"),
        [
            _("Year"),
            _("Group id"),
            _("Group"),
            _("Chair"),
            _("Deputy"),
            _("Leader in charge"),
            _("Officer in charge"),
            _("Leading unit"),
            _("Awards"),
            _("Chair elected for next year"),
        ],
        group_rows,
    )
    unit_rows: list[list[object]] = [
        [
            entry.unit,
            history.unit_name(entry.unit),
            entry.year,
            history.group_names.get(entry.group, entry.group) if entry.group else "",
            _("yes") if entry.chair else "",
            _("yes") if entry.deputy else "",
            _("yes") if entry.leading else "",
            "; ".join(entry.awards),
            _("yes") if entry.elected_chair else "",
        ]
        for entry in history.units
    ]
    _sheet(
        workbook,
        _("Units"),
        [
            _("Unit id"),
            _("Unit"),
            _("Year"),
            _("Group"),
            _("Chair"),
            _("Deputy"),
            _("Leading unit"),
            _("Awards"),
            _("Elected chair for next year"),
        ],
        unit_rows,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
