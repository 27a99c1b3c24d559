"""The score sheet to fill in: written, filled by a script as a user would, read back strictly."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from strategies import valid_plans
from thidua import i18n
from thidua.cli import main
from thidua.documents.errors import ScoresError
from thidua.documents.review import review
from thidua.documents.scores import read_scores
from thidua.documents.template import (
    FIRST_ROW,
    HEADER_ROW,
    MARK_SHEET,
    criteria_of,
    read_template,
    render_template,
    template_bytes,
)
from thidua.files import dumps
from thidua.model import Criterion, Group, Plan, ReviewSettings, Unit


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages as the source writes them (English)."""
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


CRITERIA = (Criterion("Tham mưu, tổng hợp", 30), Criterion("Văn thư, lưu trữ", 20))


def plan_of(**review: object) -> Plan:
    settings_ = {"criteria": CRITERIA, "bonus_max": 3.0, "penalty_max": 3.0, **review}
    units = [Unit(u, f"Quận {u.upper()}", "district") for u in "abcdefg"]
    return Plan(
        year=2013,
        units=units,
        groups=[
            Group("cum-1", "Cụm 1", "district", ["a", "b", "c", "d"], chair="a"),
            Group("cum-2", "Cụm 2: [ven] đô?", "district", ["e", "f", "g"], chair="e"),
        ],
        review=ReviewSettings(**settings_),  # type: ignore[arg-type]
    )


def write(tmp_path: Path, plan: Plan) -> Path:
    path = tmp_path / "sheet.xlsx"
    render_template(plan).save(path)
    return path


def group_sheets(workbook: openpyxl.Workbook) -> list[Worksheet]:
    return [sheet for sheet in workbook.worksheets if sheet.title != MARK_SHEET]


def fill(path: Path, scores: Mapping[str, Sequence[Any]]) -> Path:
    """Type each unit's scores into its row, as a user in Excel would (openpyxl, no Excel)."""
    workbook = openpyxl.load_workbook(path)
    for sheet in group_sheets(workbook):
        for row in range(FIRST_ROW, sheet.max_row + 1):
            unit = sheet.cell(row, 2).value
            for offset, value in enumerate(scores.get(str(unit), ())):
                sheet.cell(row, 4 + offset, value)
    filled = path.with_name("filled.xlsx")
    workbook.save(filled)
    return filled


def allowed(sheet: Worksheet, coordinate: str, value: float) -> bool:
    """Whether the sheet's own data validation lets `value` into the cell, as Excel decides."""
    rules: list[DataValidation] = [
        rule for rule in sheet.data_validations.dataValidation if coordinate in rule.sqref
    ]
    assert rules, f"no validation on {coordinate}"
    for rule in rules:
        assert rule.type == "decimal"
        assert rule.showErrorMessage
        assert rule.errorStyle in (None, "stop")  # "stop" refuses the value (Excel's default)
        assert rule.formula1 is not None
        low = float(rule.formula1)
        if rule.operator == "between":
            assert rule.formula2 is not None
            if not low <= value <= float(rule.formula2):
                return False
        elif rule.operator == "greaterThanOrEqual":
            if value < low:
                return False
        else:
            raise AssertionError(f"unexpected operator {rule.operator}")
    return True


def test_a_sheet_per_group_with_members_and_maximum_points(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(write(tmp_path, plan_of()))
    sheets = group_sheets(workbook)
    assert [sheet.title for sheet in sheets] == ["Cụm 1", "Cụm 2- -ven- đô-"]
    assert workbook[MARK_SHEET].sheet_state == "hidden"
    first = sheets[0]
    headings = [cell.value for cell in first[HEADER_ROW]]
    assert headings[3:5] == ["Tham mưu, tổng hợp (30)", "Văn thư, lưu trữ (20)"]
    assert "3" in str(headings[5])
    assert "3" in str(headings[6])
    assert [first.cell(row, 2).value for row in range(FIRST_ROW, FIRST_ROW + 4)] == list("abcd")
    assert first.cell(FIRST_ROW, 3).value == "Quận A"


def test_excel_refuses_out_of_range_scores_itself(tmp_path: Path) -> None:
    sheet = group_sheets(openpyxl.load_workbook(write(tmp_path, plan_of())))[0]
    last = FIRST_ROW + 3
    assert allowed(sheet, f"D{FIRST_ROW}", 30)
    assert not allowed(sheet, f"D{FIRST_ROW}", 30.5)
    assert not allowed(sheet, f"E{last}", 21)
    assert allowed(sheet, f"E{last}", 0)
    assert not allowed(sheet, f"F{FIRST_ROW}", 4)  # bonus capped at 3
    assert not allowed(sheet, f"G{FIRST_ROW}", -1)
    assert all(not allowed(sheet, f"{col}{last}", -0.5) for col in "DEFG")


def test_no_cap_means_zero_or_more(tmp_path: Path) -> None:
    sheet = group_sheets(
        openpyxl.load_workbook(write(tmp_path, plan_of(bonus_max=None, penalty_max=None)))
    )[0]
    assert allowed(sheet, f"F{FIRST_ROW}", 1000)
    assert not allowed(sheet, f"F{FIRST_ROW}", -1)


def test_filled_by_a_script_then_ranked(tmp_path: Path) -> None:
    plan = plan_of()
    filled = fill(
        write(tmp_path, plan),
        {
            "a": (28, 19, 1, 0),
            "b": (29, 19.5, 0, 0.5),
            "c": (25, 18, None, None),
            "d": (30, 20, 0, 3),
            "e": (20, 20),
            "f": (30, 20, 3),
            "g": (10, 10),
        },
    )
    sheet = read_scores(filled, plan)
    assert sheet.criteria == ("Tham mưu, tổng hợp", "Văn thư, lưu trữ")
    assert sheet.units["b"].total == 48
    assert sheet.units["c"].bonus == 0
    outcome = review(plan, sheet)
    # a and b both total 48; b has the higher criteria score (48.5 against 47).
    assert outcome.results()[0].ranking == ("b", "a", "d", "c")
    assert outcome.results()[1].leading_unit == "f"


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (
            {"b": (31, 19)},
            r"sheet 'Cụm 1', row 5, column D \('Tham mưu, tổng hợp \(30\)'\): 31 is over the maximum 30$",
        ),
        (
            {"b": (20, "mười")},
            r"sheet 'Cụm 1', row 5, column E \('Văn thư, lưu trữ \(20\)'\): not a number: 'mười'$",
        ),
        ({"c": (20, 10, 4)}, r"sheet 'Cụm 1', row 6, column F .*: 4 is over the maximum 3$"),
        ({"d": (20, 10, 0, -1)}, r"sheet 'Cụm 1', row 7, column G .*: -1 is negative"),
        ({"a": (20,)}, r"sheet 'Cụm 1', row 4, column E .*: no score$"),
    ],
)
def test_bad_sheets_name_sheet_row_and_column(
    tmp_path: Path, scores: dict[str, tuple[object, ...]], message: str
) -> None:
    plan = plan_of()
    full: dict[str, tuple[object, ...]] = {u: (20, 10) for u in "abcdefg"}
    filled = fill(write(tmp_path, plan), {**full, **scores})
    with pytest.raises(ScoresError, match=r"^.*filled\.xlsx: " + message):
        read_scores(filled, plan)


def test_a_unit_of_another_group_and_a_missing_member(tmp_path: Path) -> None:
    plan = plan_of()
    full: dict[str, tuple[object, ...]] = {u: (20, 10) for u in "abcdefg"}
    filled = fill(write(tmp_path, plan), full)
    workbook = openpyxl.load_workbook(filled)
    sheet = group_sheets(workbook)[0]
    sheet.cell(FIRST_ROW + 1, 2, "e")  # row 5 now names Quận E, a member of Cụm 2
    sheet.cell(FIRST_ROW + 1, 3, "Quận E")
    workbook.save(filled)
    with pytest.raises(
        ScoresError,
        match=r"sheet 'Cụm 1', row 5, column B \(.*\): Quận E is a member of Cụm 2: \[ven\] đô\?, not of Cụm 1$",
    ):
        read_scores(filled, plan)
    sheet.delete_rows(FIRST_ROW + 1)  # the row of Quận B is gone
    workbook.save(filled)
    with pytest.raises(ScoresError, match=r"sheet 'Cụm 1', column B \(.*\): no row for Quận B"):
        read_scores(filled, plan)


def test_a_template_of_other_criteria_is_refused(tmp_path: Path) -> None:
    filled = fill(write(tmp_path, plan_of()), {u: (20, 10) for u in "abcdefg"})
    other = plan_of(criteria=[Criterion("Khác", 50)])
    with pytest.raises(ScoresError, match="criteria"):
        read_scores(filled, other)
    with pytest.raises(ScoresError, match="2014"):
        read_scores(filled, attrs.evolve(plan_of(), year=2014))


def test_a_plain_workbook_still_reads_its_first_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Đơn vị", "Điểm"])
    sheet.append(["Quận A", 90])
    workbook.save(tmp_path / "plain.xlsx")
    assert read_scores(tmp_path / "plain.xlsx", plan_of()).units["a"].total == 90


@settings(max_examples=15, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from("abcdefg"),
        st.tuples(
            st.integers(0, 300).map(lambda n: n / 10),
            st.integers(0, 200).map(lambda n: n / 10),
            st.integers(0, 30).map(lambda n: n / 10),
            st.integers(0, 30).map(lambda n: n / 10),
        ),
        min_size=7,
        max_size=7,
    )
)
def test_round_trip_any_scores_in_range(
    tmp_path_factory: pytest.TempPathFactory,
    scores: dict[str, tuple[float, float, float, float]],
) -> None:
    plan = plan_of()
    tmp_path = tmp_path_factory.mktemp("t")
    filled = fill(write(tmp_path, plan), dict(scores))
    sheet = read_scores(filled, plan)
    for unit, (first, second, bonus, penalty) in scores.items():
        read = sheet.units[unit]
        assert read.criteria == (first, second)
        assert (read.bonus, read.penalty) == (bonus, penalty)


def test_command_writes_and_reads_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(dumps(plan_of()), encoding="utf-8")
    sheet = tmp_path / "sheet.xlsx"
    assert main(["review", str(plan_path), "--template", "-o", str(sheet)]) == 0
    filled = fill(sheet, {u: (20, 10) for u in "abcdefg"})
    assert main(["review", str(plan_path), str(filled), "--format", "json"]) == 0
    assert '"leading_unit": "a"' in capsys.readouterr().out
    assert main(["review", str(plan_path), "--template"]) == 2
    assert main(["review", str(plan_path), "--template", "-o", str(plan_path)]) == 2
    assert main(["review", str(plan_path)]) == 2
    assert plan_path.read_text(encoding="utf-8") == dumps(plan_of())


def test_a_plan_without_groups_has_no_sheet(tmp_path: Path) -> None:
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(dumps(attrs.evolve(plan_of(), groups=[])), encoding="utf-8")
    out = tmp_path / "sheet.xlsx"
    assert main(["review", str(plan_path), "--template", "-o", str(out)]) == 2
    assert not out.exists()
    assert main(["document", "covenant", str(plan_path)]) == 2
    assert main(["document", "report", str(plan_path)]) == 0


def test_a_damaged_hidden_sheet_or_moved_columns_are_one_line(tmp_path: Path) -> None:
    plan = plan_of()
    filled = fill(write(tmp_path, plan), {u: (20, 10) for u in "abcdefg"})
    workbook = openpyxl.load_workbook(filled)
    group_sheets(workbook)[0].delete_cols(4)  # the first criterion's column is gone
    workbook.save(filled)
    with pytest.raises(ScoresError, match=r"sheet 'Cụm 1', row 3, column D .*columns were moved"):
        read_scores(filled, plan)
    workbook = openpyxl.load_workbook(filled)
    mark = workbook[MARK_SHEET]
    mark.delete_rows(2, mark.max_row)
    mark.append(["year"])
    workbook.save(filled)
    with pytest.raises(ScoresError, match="damaged"):
        read_scores(filled, plan)


def test_fractional_maximum_written_with_a_comma_validated_with_a_dot(tmp_path: Path) -> None:
    plan = plan_of(criteria=[Criterion("Tham mưu", 7.5)], bonus_max=2.5)
    sheet = group_sheets(openpyxl.load_workbook(write(tmp_path, plan)))[0]
    headings = [cell.value for cell in sheet[HEADER_ROW]]
    assert headings[3] == "Tham mưu (7,5)"
    assert "2,5" in str(headings[4])
    assert allowed(sheet, f"D{FIRST_ROW}", 7.5)
    assert not allowed(sheet, f"D{FIRST_ROW}", 7.6)
    filled = fill(tmp_path / "sheet.xlsx", {u: (7.5, 2.5) for u in "abcdefg"})
    assert read_scores(filled, plan).units["a"].total == 10


@settings(max_examples=25, deadline=None)
@given(valid_plans())
def test_any_plan_round_trips_through_its_template(plan: Plan) -> None:
    """Any group names (brackets, slashes, long, alike but for case) make valid, distinct sheets."""
    if not plan.groups or not all(group.members for group in plan.groups):
        return
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes(plan)))
    sheets = group_sheets(workbook)
    assert len(sheets) == len(plan.groups)
    assert len({sheet.title.lower() for sheet in sheets}) == len(sheets)
    maxima = [c.max_points for c in criteria_of(plan.review)]
    for sheet in sheets:
        for row in range(FIRST_ROW, sheet.max_row + 1):
            for offset, maximum in enumerate(maxima):
                sheet.cell(row, 4 + offset, maximum)
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = read_template(
        openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True), plan, "t.xlsx"
    )
    members = {member for group in plan.groups for member in group.members}
    assert set(read.units) == members
    assert all(scores.criteria == tuple(maxima) for scores in read.units.values())


def test_sheet_names_are_valid_and_distinct() -> None:
    names = [
        "Cụm thi đua " + "x" * 40,
        "Cụm thi đua " + "x" * 41,
        "cụm 1",
        "Cụm 1",
        "thidua",
        "'a/b'",
    ]
    units = [Unit(f"u{i}", f"Đơn vị {i}", "district") for i in range(len(names))]
    groups = [
        Group(f"g{i}", name, "district", [f"u{i}"], chair=f"u{i}") for i, name in enumerate(names)
    ]
    plan = Plan(year=2020, units=units, groups=groups)
    sheets = group_sheets(openpyxl.load_workbook(io.BytesIO(template_bytes(plan))))
    titles = [sheet.title for sheet in sheets]
    assert len({title.lower() for title in titles}) == len(names)
    assert all(len(title) <= 31 for title in titles)
    assert all(not set(title) & set("[]:*?/\\") for title in titles)
