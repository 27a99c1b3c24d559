"""The score sheet to fill in: an Excel workbook with a sheet per group, and its reading back.

`render_template` lays out each group's members with the plan's `[review]` criteria (their
maximum points in the heading), bonus and penalty columns and a total formula; Excel's own
data validation refuses a score below 0 or above its maximum as it is typed. A hidden sheet
records which sheet is which group and the headings written, so `read_template` reads the
filled workbook strictly: a unit of another group, a missing member, a score over its maximum
or text in a number cell is one line naming the sheet, the row and the column. The workbook
is written in the documents' language (Vietnamese: it goes to the member units); the
reader's errors follow the process's language.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from thidua.documents.errors import ScoresError
from thidua.documents.language import document_gettext as _doc
from thidua.documents.output import put
from thidua.documents.scores import ScoreSheet, UnitScores
from thidua.i18n import N_, _
from thidua.model import Criterion, Group, Plan, ReviewSettings
from thidua.text import fold

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = [
    "MARK_SHEET",
    "TemplateLayout",
    "criteria_of",
    "is_template",
    "layout",
    "read_template",
    "render_template",
    "template_bytes",
]

MARK_SHEET = "thidua"  # the hidden sheet that makes a workbook a thidua template
_MARK = "thidua score sheet"
_VERSION = 1
HEADER_ROW = 3  # row 1: the title; row 2: how to fill it in
FIRST_ROW = 4
_FIRST_SCORE_COLUMN = 4  # A: number, B: unit id, C: unit name
_INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
_TOLERANCE = 1e-6


def criteria_of(settings: ReviewSettings) -> tuple[Criterion, ...]:
    """The plan's criteria, or one criterion of 100 points (the usual base) when it has none."""
    return settings.criteria or (Criterion(_doc(N_("Criteria score")), 100),)


def points(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def written_points(value: float) -> str:
    """Points as the (Vietnamese) sheet writes them in text: a decimal comma."""
    return points(value).replace(".", ",")


@attrs.frozen
class TemplateLayout:
    """The columns of every group sheet, 1-based: criteria, then bonus, penalty and total."""

    criteria: tuple[Criterion, ...]
    bonus_max: float | None
    penalty_max: float | None

    @property
    def bonus_column(self) -> int:
        return _FIRST_SCORE_COLUMN + len(self.criteria)

    @property
    def penalty_column(self) -> int:
        return self.bonus_column + 1

    @property
    def total_column(self) -> int:
        return self.penalty_column + 1

    def headings(self) -> tuple[str, ...]:
        """Every column heading, in order (the hidden sheet keeps them to check on reading)."""
        bonus = _doc(N_("Bonus points"))
        if self.bonus_max is not None:
            bonus = _doc(N_("{heading} (up to {points})")).format(
                heading=bonus, points=written_points(self.bonus_max)
            )
        penalty = _doc(N_("Penalty points"))
        if self.penalty_max is not None:
            penalty = _doc(N_("{heading} (up to {points})")).format(
                heading=penalty, points=written_points(self.penalty_max)
            )
        return (
            _doc(N_("No.")),
            _doc(N_("Unit id")),
            _doc(N_("Unit")),
            *(f"{c.name} ({written_points(c.max_points)})" for c in self.criteria),
            bonus,
            penalty,
            _doc(N_("Total")),
        )

    def limits(self) -> Iterator[tuple[int, float | None]]:
        """Each score column with its maximum (None: no maximum, only 0 or more)."""
        for offset, criterion in enumerate(self.criteria):
            yield _FIRST_SCORE_COLUMN + offset, criterion.max_points
        yield self.bonus_column, self.bonus_max
        yield self.penalty_column, self.penalty_max


def layout(plan: Plan) -> TemplateLayout:
    review = plan.review
    return TemplateLayout(criteria_of(review), review.bonus_max, review.penalty_max)


def _sheet_titles(groups: Sequence[Group]) -> list[str]:
    """Sheet names from group names: at most 31 characters, none of []:*?/\\, unique."""
    titles: list[str] = []
    for group in groups:
        base = _INVALID_TITLE.sub("-", group.name).strip("' ")[:31] or group.id[:31]
        title, number = base, 2
        while fold(title) in {fold(t) for t in (*titles, MARK_SHEET)}:
            suffix = f" ({number})"
            title, number = base[: 31 - len(suffix)] + suffix, number + 1
        titles.append(title)
    return titles


def render_template(plan: Plan) -> Workbook:
    """The score-sheet workbook of `plan` (openpyxl), one sheet per group (at least one)."""
    if not plan.groups:
        raise ValueError("a score sheet needs at least one group")
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = layout(plan)
    headings = columns.headings()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    titles = _sheet_titles(plan.groups)
    for group, title in zip(plan.groups, titles, strict=True):
        sheet = workbook.create_sheet(title)
        last_row = FIRST_ROW + max(len(group.members), 1) - 1
        title_cell = put(
            sheet,
            1,
            1,
            _doc(N_("Emulation review {year}: {group}")).format(year=plan.year, group=group.name),
        )
        title_cell.font = Font(bold=True, size=13)
        sheet.cell(
            2,
            1,
            _doc(
                N_(
                    "Type each score from 0 to the maximum in its heading; bonus and penalty "
                    "points are positive. Leave the unit columns as they are."
                )
            ),
        ).font = Font(italic=True)
        for column, heading in enumerate(headings, 1):
            cell = put(sheet, HEADER_ROW, column, heading)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for offset, member in enumerate(group.members):
            row = FIRST_ROW + offset
            sheet.cell(row, 1, offset + 1)
            put(sheet, row, 2, member)
            put(sheet, row, 3, plan.unit_by_id[member].name)
            first = get_column_letter(_FIRST_SCORE_COLUMN)
            last_criterion = get_column_letter(columns.bonus_column - 1)
            bonus = get_column_letter(columns.bonus_column)
            penalty = get_column_letter(columns.penalty_column)
            sheet.cell(
                row,
                columns.total_column,
                f'=IF(COUNT({first}{row}:{penalty}{row})=0,"",'
                f"SUM({first}{row}:{last_criterion}{row})+{bonus}{row}-{penalty}{row})",
            )
        edge = Side(style="thin")
        for row_cells in sheet.iter_rows(
            min_row=HEADER_ROW, max_row=last_row, max_col=columns.total_column
        ):
            for cell in row_cells:
                cell.border = Border(left=edge, right=edge, top=edge, bottom=edge)
        for column, maximum in columns.limits():
            letter = get_column_letter(column)
            if maximum is None:
                rule = DataValidation(
                    type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
                )
                message = _doc(N_("Type a number, 0 or more."))
            else:
                rule = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1="0",
                    formula2=points(maximum),
                    allow_blank=True,
                )
                message = _doc(N_("Type a number from 0 to {maximum}.")).format(
                    maximum=written_points(maximum)
                )
            rule.error = message
            rule.errorTitle = _doc(N_("Score out of range"))
            rule.errorStyle = "stop"
            rule.showErrorMessage = True
            rule.prompt = message
            rule.showInputMessage = True
            sheet.add_data_validation(rule)
            rule.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
        sheet.column_dimensions["A"].width = 5
        sheet.column_dimensions["B"].width = max(
            [12, *(len(member) + 2 for member in group.members)]
        )
        sheet.column_dimensions["C"].width = 40
        for column in range(_FIRST_SCORE_COLUMN, columns.total_column + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 14
        sheet.row_dimensions[HEADER_ROW].height = 45
        sheet.freeze_panes = sheet.cell(FIRST_ROW, _FIRST_SCORE_COLUMN)
        # Printed, a group's sheet fits the width of one landscape page.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    mark = workbook.create_sheet(MARK_SHEET)
    mark.append([_MARK, _VERSION])
    mark.append(["year", plan.year])
    mark.append(["columns", *headings])
    for group, title in zip(plan.groups, titles, strict=True):
        mark.append(["sheet", title, group.id])
    mark.sheet_state = "hidden"
    return workbook


def template_bytes(plan: Plan) -> bytes:
    buffer = io.BytesIO()
    render_template(plan).save(buffer)
    return buffer.getvalue()


# -- reading back ---------------------------------------------------------------------------


def is_template(workbook: Workbook) -> bool:
    if MARK_SHEET not in workbook.sheetnames:
        return False
    first = next(workbook[MARK_SHEET].iter_rows(max_row=1, values_only=True), ())
    return bool(first) and first[0] == _MARK


@attrs.frozen
class _Place:
    """Where a cell is, for one-line errors: the file, the sheet, the row and the column."""

    source: str
    sheet: str
    headings: tuple[str, ...]

    def fail(self, message: str, row: int | None = None, column: int | None = None) -> ScoresError:
        from openpyxl.utils import get_column_letter

        where = [_("sheet {name!r}").format(name=self.sheet)]
        if row is not None:
            where.append(_("row {row}").format(row=row))
        if column is not None:
            heading = self.headings[column - 1] if column <= len(self.headings) else ""
            where.append(
                _("column {letter} ({heading!r})").format(
                    letter=get_column_letter(column), heading=heading
                )
            )
        return ScoresError(self.source, f"{', '.join(where)}: {message}")


def _number(place: _Place, value: object, row: int, column: int, *, required: bool) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise place.fail(_("no score"), row, column)
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        # Excel's validation refuses text as it is typed, but a paste or another program
        # can still put it there.
        raise place.fail(_("not a number: {value!r}").format(value=str(value)), row, column)
    number = float(value)
    if not math.isfinite(number):
        raise place.fail(_("not a number: {value!r}").format(value=str(value)), row, column)
    return number


def _computed(value: object) -> float | None:
    """The total formula's value when a spreadsheet program saved one (openpyxl saves none)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _mark_rows(
    workbook: Workbook, source: str
) -> tuple[int | None, tuple[str, ...], dict[str, str]]:
    year: int | None = None
    headings: tuple[str, ...] = ()
    sheets: dict[str, str] = {}
    for row in workbook[MARK_SHEET].iter_rows(min_row=2, values_only=True):
        values = (*row, None, None, None)  # a damaged row may be short
        if values[0] is None:
            continue
        key = values[0]
        if key == "year" and isinstance(values[1], int):
            year = values[1]
        elif key == "columns":
            headings = tuple("" if v is None else str(v) for v in row[1:])
        elif key == "sheet" and len(values) >= 3:
            sheets[str(values[1])] = str(values[2])
    if not headings or not sheets:
        raise ScoresError(source, _("the hidden sheet {name!r} is damaged").format(name=MARK_SHEET))
    return year, headings, sheets


def read_template(workbook: Workbook, plan: Plan, source: str) -> ScoreSheet:
    """The scores of a filled template, checked against the plan and the template's layout."""
    columns = layout(plan)
    year, headings, sheets = _mark_rows(workbook, source)
    if year is not None and year != plan.year:
        raise ScoresError(
            source,
            _("this score sheet is for {year}, the plan for {plan_year}").format(
                year=year, plan_year=plan.year
            ),
        )
    expected = columns.headings()
    if len(headings) != len(expected) or headings[3:-3] != expected[3:-3]:
        raise ScoresError(
            source,
            _(
                "the criteria of this sheet differ from the plan's [review] criteria; "
                "write a new template"
            ),
        )
    units: dict[str, UnitScores] = {}
    for title, group_id in sheets.items():
        group = plan.group_by_id.get(group_id)
        if group is None:
            raise ScoresError(
                source,
                _("sheet {name!r} is for group {group!r}, which the plan does not have").format(
                    name=title, group=group_id
                ),
            )
        if title not in workbook.sheetnames:
            raise ScoresError(source, _("sheet {name!r} is missing").format(name=title))
        place = _Place(source, title, headings)
        units.update(_read_group(workbook[title], plan, group, columns, place))
    for group in plan.groups:
        if group.id not in sheets.values():
            raise ScoresError(
                source,
                _("no sheet for {group}; write a new template").format(group=group.name),
            )
    return ScoreSheet(source, tuple(c.name for c in columns.criteria), units)


def _read_group(
    sheet: Any, plan: Plan, group: Group, columns: TemplateLayout, place: _Place
) -> dict[str, UnitScores]:
    header = next(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
    found = [("" if v is None else str(v)) for v in header][: len(place.headings)]
    found += [""] * (len(place.headings) - len(found))
    for column, (heading, wanted) in enumerate(zip(found, place.headings, strict=True), 1):
        if heading != wanted:
            raise place.fail(
                _("the heading {found!r} should be {wanted!r}; columns were moved").format(
                    found=heading, wanted=wanted
                ),
                HEADER_ROW,
                column,
            )
    by_name = {fold(plan.unit_by_id[m].name): m for m in plan.unit_by_id}
    units: dict[str, UnitScores] = {}
    for row, values in enumerate(sheet.iter_rows(min_row=FIRST_ROW, values_only=True), FIRST_ROW):
        cells = list(values)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue

        def cell(column: int, cells: list[object] = cells) -> object:
            return cells[column - 1] if column <= len(cells) else None

        label = cell(2) if cell(2) not in (None, "") else cell(3)
        key = "" if label is None else str(label).strip()
        unit = key if key in plan.unit_by_id else by_name.get(fold(key))
        if unit is None:
            raise place.fail(_("unknown unit {unit!r}").format(unit=key), row, 2)
        if unit not in group.members:
            other = plan.group_of(unit)
            message = (
                _("{unit} is a member of {other}, not of {group}")
                if other is not None
                else _("{unit} is not a member of {group}")
            )
            raise place.fail(
                message.format(
                    unit=plan.unit_by_id[unit].name,
                    other=plan.group_by_id[other].name if other else "",
                    group=group.name,
                ),
                row,
                2,
            )
        if unit in units:
            raise place.fail(
                _("{unit} is scored twice (first on row {row})").format(
                    unit=plan.unit_by_id[unit].name, row=units[unit].line
                ),
                row,
                2,
            )
        scores: list[float] = []
        for column, maximum in columns.limits():
            number = _number(
                place, cell(column), row, column, required=column < columns.bonus_column
            )
            if number < 0:
                raise place.fail(
                    _("{value} is negative; scores and points are positive").format(
                        value=points(number)
                    ),
                    row,
                    column,
                )
            if maximum is not None and number > maximum + _TOLERANCE:
                raise place.fail(
                    _("{value} is over the maximum {maximum}").format(
                        value=points(number), maximum=points(maximum)
                    ),
                    row,
                    column,
                )
            scores.append(number)
        *criteria, bonus, penalty = scores
        result = UnitScores(unit, tuple(criteria), bonus, penalty, row)
        stated = _computed(cell(columns.total_column))
        if stated is not None and abs(stated - result.total) > _TOLERANCE:
            raise place.fail(
                _("the total {stated} disagrees with criteria + bonus - penalty = {total}").format(
                    stated=points(stated), total=points(result.total)
                ),
                row,
                columns.total_column,
            )
        units[unit] = result
    for member in group.members:
        if member not in units:
            raise place.fail(
                _("no row for {unit}, a member of {group}").format(
                    unit=plan.unit_by_id[member].name, group=group.name
                ),
                None,
                2,
            )
    return units
