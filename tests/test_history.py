"""History across years, and the seed's own year (2012) read by 2013's chair succession."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import plans
from thidua import i18n
from thidua.cli import main
from thidua.documents.history import history_xlsx
from thidua.files import dumps, load
from thidua.history import build
from thidua.model import Award, Group, GroupResult, Plan, Unit
from thidua.rules import validate


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages as the source writes them (English)."""
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FLAG_2012 = "Cờ thi đua xuất sắc của Ủy ban nhân dân thành phố"


@pytest.fixture(scope="module")
def plan_2012() -> Plan:
    return load(EXAMPLES / "hcmc-2012.toml")


def test_the_2012_report_nine_flags_for_nine_groups(plan_2012: Plan, plan_2013: Plan) -> None:
    assert plan_2012.year == 2012
    assert [group.id for group in plan_2012.groups] == [group.id for group in plan_2013.groups]
    assert plan_2012.units == plan_2013.units
    flags = [
        award for result in plan_2012.results for award in result.awards if award.name == FLAG_2012
    ]
    assert len(flags) == 9
    assert sum(award.size for award in flags) == 9
    assert {result.group for result in plan_2012.results} == {g.id for g in plan_2012.groups}
    # The report names no unit: none is invented.
    assert all(result.leading_unit is None for result in plan_2012.results)
    assert all(award.units == () for award in flags)


def test_2013_chairs_are_the_chairs_elected_in_2012(plan_2012: Plan, plan_2013: Plan) -> None:
    for group in plan_2013.groups:
        assert plan_2012.result_by_group[group.id].next_chair == group.chair
    assert list(validate(plan_2013, [plan_2012])) == []


def test_succession_reads_the_2012_election(plan_2012: Plan, plan_2013: Plan) -> None:
    khoi_1 = plan_2013.group_by_id["khoi-1"]
    other = next(member for member in khoi_1.members if member != khoi_1.chair)
    changed = plan_2013.replace_group(attrs.evolve(khoi_1, chair=other))
    violations = [v for v in validate(changed, [plan_2012]) if v.rule == "chair-succession"]
    assert [v.subjects for v in violations] == [("khoi-1", khoi_1.chair)]
    assert list(validate(changed, [])) == []  # without the 2012 history nothing binds the chair


def test_history_of_the_seed_years(plan_2012: Plan, plan_2013: Plan) -> None:
    history = build([plan_2013, plan_2012])
    assert history.years == (2012, 2013)
    cum_1 = history.of_group("cum-1")
    assert [entry.year for entry in cum_1] == [2012, 2013]
    assert cum_1[0].next_chair == "quan-3" == cum_1[1].chair
    assert cum_1[0].awards[0].size == 1
    assert cum_1[1].leader == "lam-van-ba"
    assert not cum_1[1].reviewed
    quan_3 = history.of_unit("quan-3")
    assert [(e.year, e.group, e.chair, e.elected_chair) for e in quan_3] == [
        (2012, None, False, True),
        (2013, "cum-1", True, False),
    ]


def three_years() -> list[Plan]:
    units = [Unit(u, f"Quận {u.upper()}", "district") for u in "abcd"]

    def year(number: int, chair: str, members: str, result: GroupResult | None) -> Plan:
        return Plan(
            year=number,
            units=units,
            groups=[Group("cum-1", "Cụm 1", "district", list(members), chair=chair)],
            results=[result] if result else [],
        )

    return [
        year(2020, "a", "abc", GroupResult("cum-1", "b", "b", ("b", "a"), [Award("Cờ", ["b"])])),
        year(2021, "b", "abcd", GroupResult("cum-1", "d", "c", (), [Award("Cờ", ["d"])])),
        year(2022, "c", "abcd", None),
    ]


def test_units_over_the_years() -> None:
    history = build(three_years())
    b = history.of_unit("b")
    assert [(e.year, e.chair, e.leading, e.awards, e.elected_chair) for e in b] == [
        (2020, False, True, ("Cờ",), True),
        (2021, True, False, (), False),
        (2022, False, False, (), False),
    ]
    d = history.of_unit("d")
    assert [e.group for e in d] == [None, "cum-1", "cum-1"]


def test_two_plans_for_one_year_are_refused(tmp_path: Path) -> None:
    first = three_years()[0]
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(dumps(first), encoding="utf-8")
    b.write_text(dumps(first), encoding="utf-8")
    assert main(["history", str(a), "--previous", str(b)]) == 2


def test_command_text_json_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for plan in three_years():
        path = tmp_path / f"{plan.year}.toml"
        path.write_text(dumps(plan), encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / "history.xlsx"
    args = ["history", paths[2], "--previous", paths[0], "--previous", paths[1]]
    assert main([*args, "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Quận B" in text
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [g["year"] for g in data["groups"]] == [2020, 2021, 2022]
    workbook = openpyxl.load_workbook(out)
    groups, units = workbook.worksheets
    assert groups.max_row == 1 + 3
    assert units.max_row == 1 + 4 * 3
    assert main([*args, "-o", paths[0]]) == 2  # never over an input
    assert main([*args, "-o", str(tmp_path / "history.csv")]) == 2


@settings(max_examples=20, deadline=None)
@given(st.lists(plans(), min_size=1, max_size=3))
def test_xlsx_holds_every_group_and_unit_year(drawn: list[Plan]) -> None:
    distinct = list({plan.year: plan for plan in drawn}.values())
    history = build(distinct)
    assert len(history.groups) == sum(len(plan.groups) for plan in distinct)
    assert len(history.units) == sum(len(plan.units) for plan in distinct)
    workbook = openpyxl.load_workbook(io.BytesIO(history_xlsx(history)))
    groups, units = workbook.worksheets
    rows = list(groups.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (entry.year, entry.group, entry.name) for entry in history.groups
    ]
    assert [row[3] or "" for row in rows] == [
        history.unit_name(entry.chair) for entry in history.groups
    ]
    unit_rows = list(units.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[2]) for row in unit_rows] == [
        (entry.unit, history.unit_name(entry.unit), entry.year) for entry in history.units
    ]


def test_xlsx_keeps_a_formula_looking_name_as_text() -> None:
    plan = Plan(
        year=2020,
        units=[Unit("a", '=HYPERLINK("x")', "district")],
        groups=[Group("cum-1", "Cụm 1", "district", ["a"], chair="a")],
    )
    workbook = openpyxl.load_workbook(io.BytesIO(history_xlsx(build([plan]))))
    cell = workbook.worksheets[1].cell(2, 2)
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"


def test_command_on_the_seed_years(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["history", str(EXAMPLES / "hcmc-2013.toml"), "--previous"]
    assert main([*args, str(EXAMPLES / "hcmc-2012.toml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    khoi_1 = [g for g in data["groups"] if g["group"] == "khoi-1"]
    assert [(g["year"], g["chair"], g["next_chair"]) for g in khoi_1] == [
        (2012, None, "ban-quan-ly-khu-cong-nghe-cao"),
        (2013, "ban-quan-ly-khu-cong-nghe-cao", None),
    ]
    assert khoi_1[0]["awards"] == [{"name": FLAG_2012, "units": [], "count": 1}]
    args = ["validate", str(EXAMPLES / "hcmc-2013.toml"), "--previous"]
    assert main([*args, str(EXAMPLES / "hcmc-2012.toml")]) == 0


def test_the_solver_seats_the_chairs_elected_in_2012(plan_2012: Plan, plan_2013: Plan) -> None:
    """A 2013 draft without chairs: the solve reads the 2012 results and seats the elected."""
    import thidua

    draft = attrs.evolve(plan_2013, groups=[attrs.evolve(g, chair=None) for g in plan_2013.groups])
    solved = thidua.solve(draft, [plan_2012], time_limit=60).plan
    assert solved is not None
    assert {g.id: g.chair for g in solved.groups} == {
        r.group: r.next_chair for r in plan_2012.results
    }
