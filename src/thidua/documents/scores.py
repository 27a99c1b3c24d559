"""Score sheets of the year-end review: CSV or XLSX, one row per unit.

The first row that is not a comment names the columns. One column names the unit (its id or
its name): the one headed "id", "unit", "mã" or "đơn vị", else the first. Columns headed
"điểm cộng"/"bonus" and "điểm trừ"/"penalty" hold bonus and penalty points (positive
numbers); a "tổng"/"total" column, when present, must agree with the sum; "stt", "ghi chú",
"khối", "cụm" and "xếp loại" columns are left aside; every other column is a criterion. Rows
whose first cell starts with "#" are comments, and so are blank rows.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from thidua.documents.errors import ScoresError
from thidua.documents.sheet import ScoreSheet, UnitScores
from thidua.errors import ThiduaError
from thidua.files import decode_input, read_input
from thidua.files.inputs import check_office_zip, refuse_crowded_parts
from thidua.i18n import N_, _
from thidua.model import Plan
from thidua.text import fold, nfc

__all__ = ["ScoreSheet", "UnitScores", "parse_scores", "read_scores"]


# Column headings, folded (lower case, no diacritics).
_UNIT_BY_ID = {"id", "unit", "ma", "ma don vi", "unit id"}
_UNIT_BY_NAME = {"don vi", "ten don vi", "ten", "name", "unit name", "co quan, don vi"}
_BONUS = ("bonus", "diem cong", "cong", "diem thuong")
_PENALTY = ("penalty", "diem tru", "tru")
_TOTAL = {"total", "tong", "tong diem", "tong cong"}
_ASIDE = {
    "stt",
    "so tt",
    "ghi chu",
    "note",
    "notes",
    "group",
    "khoi",
    "cum",
    "khoi, cum",
    "khoi/cum",
    "cum, khoi",
    "xep loai",
    "class",
}
_TOLERANCE = 1e-6

Row = tuple[int, Sequence[object]]


def _starts(heading: str, words: Iterable[str]) -> bool:
    return any(heading == word or heading.startswith(f"{word} ") for word in words)


@attrs.frozen
class _Columns:
    unit: int
    criteria: tuple[tuple[int, str], ...]
    bonus: tuple[int, ...]
    penalty: tuple[int, ...]
    total: int | None


def _columns(header: Sequence[object], fail: _Fail, line: int) -> _Columns:
    names = ["" if cell is None else str(cell).strip() for cell in header]
    folded = [fold(name).rstrip(":") for name in names]
    unit = next((i for i, name in enumerate(folded) if name in _UNIT_BY_ID), None)
    if unit is None:
        unit = next((i for i, name in enumerate(folded) if name in _UNIT_BY_NAME), 0)
    criteria: list[tuple[int, str]] = []
    bonus: list[int] = []
    penalty: list[int] = []
    total = None
    for index, name in enumerate(folded):
        if index == unit or name in _ASIDE or name in _UNIT_BY_ID | _UNIT_BY_NAME:
            continue
        if not name:
            continue  # an unnamed column: spreadsheets carry empty ones at the right
        if _starts(name, _BONUS):
            bonus.append(index)
        elif _starts(name, _PENALTY):
            penalty.append(index)
        elif name in _TOTAL:
            total = index
        else:
            criteria.append((index, names[index]))
    if not criteria:
        raise fail(_("no criteria columns: the header names only the unit, bonus or penalty"), line)
    return _Columns(unit, tuple(criteria), tuple(bonus), tuple(penalty), total)


@attrs.frozen
class _Fail:
    """Builds one-line errors naming the sheet and the line (CSV) or row (XLSX)."""

    source: str
    rows_are_lines: bool

    def __call__(self, message: str, line: int | None, column: str | None = None) -> ScoresError:
        if column:
            message = _("column {column}: {message}").format(column=repr(column), message=message)
        if self.rows_are_lines or line is None:
            return ScoresError(self.source, message, line)
        return ScoresError(self.source, _("row {row}: {message}").format(row=line, message=message))


def _number(value: object, fail: _Fail, line: int, column: str, *, blank: float | None) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank is None:
            raise fail(_("no score"), line, column)
        return blank
    if isinstance(value, bool):
        raise fail(_("not a number: {value}").format(value=repr(value)), line, column)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # Vietnamese decimal comma: "95,5"
        try:
            number = float(text)
        except ValueError:
            message = _("not a number: {value}").format(value=repr(str(value)))
            raise fail(message, line, column) from None
    if not math.isfinite(number):
        raise fail(_("not a number: {value}").format(value=repr(value)), line, column)
    if number < 0:
        message = _("{number} is negative; scores and points are positive")
        raise fail(message.format(number=f"{number:g}"), line, column)
    return number


@attrs.frozen
class _UnitLookup:
    """A unit by its id, its exact name, or its name without diacritics when only one unit
    has that folded name ("Xã Tân An" never finds "Xã Tân Ân")."""

    exact: Mapping[str, str]
    folded: Mapping[str, str | None]

    @classmethod
    def of(cls, plan: Plan) -> _UnitLookup:
        exact = {unit.name: unit.id for unit in plan.units}
        exact.update({unit.id: unit.id for unit in plan.units})
        folded: dict[str, str | None] = {}
        for unit in plan.units:
            key = fold(unit.name)
            folded[key] = None if key in folded else unit.id  # None: ambiguous
        return cls(exact, folded)

    def get(self, key: str) -> str | None:
        return self.exact.get(nfc(key)) or self.folded.get(fold(key))


def parse_scores(
    rows: Iterable[Row], plan: Plan, *, source: str, rows_are_lines: bool
) -> ScoreSheet:
    """A score sheet from (line or row number, cells) pairs, checked against the plan."""
    fail = _Fail(source, rows_are_lines)
    lookup = _UnitLookup.of(plan)
    columns: _Columns | None = None
    units: dict[str, UnitScores] = {}
    for line, cells in rows:
        values = list(cells)
        first = values[0] if values else None
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if isinstance(first, str) and first.lstrip().startswith("#"):
            continue
        if columns is None:
            columns = _columns(values, fail, line)
            continue

        def cell(index: int, values: list[object] = values) -> object:
            return values[index] if index < len(values) else None

        label = cell(columns.unit)
        key = "" if label is None else str(label).strip()
        if isinstance(label, float) and label.is_integer():
            key = str(int(label))
        if not key:
            raise fail(_("no unit named"), line)
        unit_id = lookup.get(key)
        if unit_id is None:
            message = _("unknown unit {unit}: neither an id nor a name in the plan")
            raise fail(message.format(unit=repr(key)), line)
        if unit_id in units:
            message = _("{unit} is scored twice (first on {line})")
            raise fail(message.format(unit=repr(key), line=units[unit_id].line), line)
        criteria = tuple(
            _number(cell(index), fail, line, name, blank=None) for index, name in columns.criteria
        )
        bonus = math.fsum(
            _number(cell(index), fail, line, "bonus", blank=0.0) for index in columns.bonus
        )
        penalty = math.fsum(
            _number(cell(index), fail, line, "penalty", blank=0.0) for index in columns.penalty
        )
        scores = UnitScores(unit_id, criteria, bonus, penalty, line)
        if columns.total is not None and cell(columns.total) not in (None, ""):
            stated = _number(cell(columns.total), fail, line, "total", blank=None)
            if abs(stated - scores.total) > _TOLERANCE:
                message = _("the total {stated} disagrees with criteria + bonus - penalty = {sum}")
                raise fail(message.format(stated=f"{stated:g}", sum=f"{scores.total:g}"), line)
        units[unit_id] = scores
    if columns is None:
        raise fail(_("empty: no header row and no scores"), None)
    return ScoreSheet(source, tuple(name for _index, name in columns.criteria), units)


def _csv_rows(text: str) -> Iterator[Row]:
    """Rows of CSV text with the line each starts on; the delimiter is sniffed."""
    lines = text.splitlines()
    sample = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    delimiter = max(",;\t", key=sample.count) if sample else ","
    position = 0

    def numbered() -> Iterator[str]:
        nonlocal position
        for index, line in enumerate(lines, 1):
            position = index
            yield line

    reader = csv.reader(numbered(), delimiter=delimiter)
    start = 1
    for row in reader:
        yield start, row
        start = position + 1


# A score sheet holds a row per unit and a column per criterion: tens of thousands of cells.
MAX_CELLS = 1_000_000
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")


def _open_xlsx(path: Path, data: bytes, fail: _Fail) -> Any:
    import openpyxl  # loads only for spreadsheets

    stream = check_office_zip(path, data, what=N_("readable XLSX workbook"), error=ScoresError)
    refuse_crowded_parts(
        stream,
        path,
        prefix="xl/worksheets/",
        element=_CELL_TAG,
        limit=MAX_CELLS,
        message=N_("{count} cells in {part}: more than a score sheet's {limit}"),
        error=ScoresError,
    )
    try:
        return openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl and its XML parser raise many kinds on a bad file
        message = _("not a readable XLSX workbook ({why})").format(why=error)
        raise fail(message, None) from None


def _bounded_rows(sheet: Any, fail: _Fail) -> Iterator[Row]:
    """A sheet's rows, read by its real cells (its stated dimensions may be A1:XFD1048576)."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    read = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        read += len(row) + 1
        if read > MAX_CELLS:
            raise fail(
                _("more than {limit} cells: not a score sheet").format(limit=MAX_CELLS), number
            )
        yield number, row


def _read_xlsx(path: Path, data: bytes, plan: Plan) -> ScoreSheet:
    """The first sheet of a workbook, or every group sheet of a `thidua review --template`."""
    from thidua.documents.template import is_template, read_template

    fail = _Fail(str(path), rows_are_lines=False)
    workbook = _open_xlsx(path, data, fail)
    try:
        if is_template(workbook):
            return read_template(workbook, plan, str(path))
        rows = _bounded_rows(workbook.worksheets[0], fail)
        return parse_scores(rows, plan, source=str(path), rows_are_lines=False)
    except ThiduaError:
        raise
    except Exception as error:  # a malformed sheet fails only once its rows are parsed
        raise fail(f"not a readable XLSX workbook ({error})", None) from None
    finally:
        workbook.close()


def read_scores(path: str | Path, plan: Plan) -> ScoreSheet:
    """Read a CSV (UTF-8) or XLSX score sheet; problems raise `ScoresError` with the line."""
    path = Path(path)
    data = read_input(path, what=N_("score sheet"), error=ScoresError)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, data, plan)
    text = decode_input(path, data, hint=_("; save the CSV as UTF-8"), error=ScoresError)
    try:
        return parse_scores(_csv_rows(text), plan, source=str(path), rows_are_lines=True)
    except csv.Error as error:
        raise ScoresError(path, _("malformed CSV: {why}").format(why=error)) from None


# A spreadsheet reads a cell starting with one of these as a formula (or, tab and carriage
# return, strips them and then does).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, quoted so it stays text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text (for the review's own CSV output); no text cell is a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()
