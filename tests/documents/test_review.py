"""The year-end review: ranking and ties, award quotas, next year's chair, score sheets."""

from __future__ import annotations

import json
import random
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import valid_plans
from thidua.cli import main
from thidua.documents.errors import ScoresError
from thidua.documents.review import review
from thidua.documents.scores import ScoreSheet, UnitScores, read_scores
from thidua.files import load
from thidua.model import (
    AwardQuota,
    Group,
    GroupResult,
    Plan,
    ReviewSettings,
    RuleSettings,
    Succession,
    TieBreak,
    Unit,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
UNITS = ("a", "b", "c", "d", "e", "f")


def small_plan(**review_settings: object) -> Plan:
    """One group of six units, chaired this year by "a"."""
    return Plan(
        year=2013,
        units=[Unit(id=u, name=f"Đơn vị {u.upper()}", kind="district") for u in UNITS],
        groups=[Group(id="cum-1", name="Cụm 1", kind="district", members=UNITS, chair="a")],
        review=ReviewSettings(**review_settings),  # type: ignore[arg-type]
    )


def sheet(rows: dict[str, tuple[float, float, float]]) -> ScoreSheet:
    """Scores as (criteria, bonus, penalty) per unit."""
    return ScoreSheet(
        "test.csv",
        ("Tiêu chí",),
        {
            unit: UnitScores(unit, (base,), bonus, penalty)
            for unit, (base, bonus, penalty) in rows.items()
        },
    )


def ranking(plan: Plan, scores: ScoreSheet, previous: tuple[Plan, ...] = ()) -> list[str]:
    return list(review(plan, scores, previous).results()[0].ranking)


def test_higher_total_first() -> None:
    scores = sheet({"a": (90, 0, 0), "b": (95, 0, 0), "c": (80, 5, 0), "d": (99, 0, 10)})
    assert ranking(small_plan(), scores) == ["b", "a", "d", "c"]


def test_ties_by_base_then_penalty_then_document_order() -> None:
    scores = sheet(
        {
            "f": (95, 0, 0),  # total 95, base 95
            "e": (94, 1, 0),  # total 95, base 94, no penalty
            "d": (94, 2, 1),  # total 95, base 94, penalty 1
            "c": (94, 1, 0),  # a full tie with e: document order puts c first
        }
    )
    outcome = review(small_plan(), scores).groups[0]
    assert [r.unit for r in outcome.ranking] == ["f", "c", "e", "d"]
    assert [r.decided_by for r in outcome.ranking] == [
        TieBreak.BASE,
        TieBreak.ORDER,
        TieBreak.PENALTY,
        None,
    ]
    assert outcome.ranking[0].tied_with == "c"


def test_the_plan_chooses_the_tie_break() -> None:
    scores = sheet({"a": (95, 0, 0), "b": (93, 2, 0)})
    assert ranking(small_plan(), scores) == ["a", "b"]
    assert ranking(small_plan(tie_break=["bonus"]), scores) == ["b", "a"]
    assert ranking(small_plan(tie_break=["order"]), sheet({"b": (95, 0, 0), "a": (95, 0, 0)})) == [
        "a",
        "b",
    ]


def test_float_noise_does_not_break_a_tie() -> None:
    scores = ScoreSheet(
        "t.csv",
        ("x", "y"),
        {"b": UnitScores("b", (0.1, 0.2)), "a": UnitScores("a", (0.3, 0.0))},
    )
    outcome = review(small_plan(), scores).groups[0]
    assert [r.unit for r in outcome.ranking] == ["a", "b"]
    assert outcome.ranking[0].decided_by is TieBreak.ORDER


def test_default_quotas_one_flag_three_certificates() -> None:
    scores = sheet({u: (90 - i, 0, 0) for i, u in enumerate(UNITS)})
    outcome = review(small_plan(), scores).groups[0]
    assert [r.award for r in outcome.ranking] == [
        "Cờ thi đua",
        "Bằng khen",
        "Bằng khen",
        "Bằng khen",
        None,
        None,
    ]
    assert outcome.result().awards[0].units == ("a",)


def test_minimum_score_limits_leading_awards_and_chair() -> None:
    plan = small_plan(
        min_score=88.5, awards=[AwardQuota("Cờ thi đua", 1), AwardQuota("Giấy khen", 5)]
    )
    scores = sheet({u: (90 - i, 0, 0) for i, u in enumerate(UNITS)})
    outcome = review(plan, scores).groups[0]
    assert [r.eligible for r in outcome.ranking] == [True, True, False, False, False, False]
    assert [r.award for r in outcome.ranking][:3] == ["Cờ thi đua", "Giấy khen", None]
    assert outcome.leading_unit == "a"
    assert outcome.next_chair == "b"  # "a" chairs this year: rotation bars it


@pytest.mark.usefixtures("vietnamese")
def test_nobody_reaches_the_minimum() -> None:
    outcome = review(small_plan(min_score=99), sheet({"a": (90, 0, 0)})).groups[0]
    assert (outcome.leading_unit, outcome.next_chair) == (None, None)
    assert any("tối thiểu 99" in note for note in outcome.notes)


def test_unscored_members_are_named_and_not_ranked() -> None:
    outcome = review(small_plan(), sheet({"b": (90, 0, 0)})).groups[0]
    assert [r.unit for r in outcome.ranking] == ["b"]
    assert outcome.unscored == ("a", "c", "d", "e", "f")


def _with(
    plan: Plan, succession: Succession, *, chair: str = "a", deputy: str | None = None
) -> Plan:
    rules = attrs.evolve(plan.rules, succession=succession)
    group = attrs.evolve(plan.groups[0], chair=chair, deputy=deputy)
    return attrs.evolve(plan, rules=rules, groups=[group])


SCORES = sheet({"a": (99, 0, 0), "b": (98, 0, 0), "c": (97, 0, 0), "d": (96, 0, 0)})


@pytest.mark.usefixtures("vietnamese")
def test_free_election_passes_over_units_rotation_bars() -> None:
    plan = small_plan()
    assert review(plan, SCORES).groups[0].next_chair == "b"
    # With two years of rotation, last year's chair "b" is barred too.
    rules = RuleSettings(chair_rotation_years=2)
    two_years = attrs.evolve(plan, rules=rules)
    last_year = attrs.evolve(two_years, year=2012, groups=[attrs.evolve(plan.groups[0], chair="b")])
    outcome = review(two_years, SCORES, (last_year,)).groups[0]
    assert outcome.next_chair == "c"
    assert sum("luân phiên 2 năm" in note for note in outcome.notes) == 2
    # Rotation switched off: the leading unit may chair again.
    assert (
        review(attrs.evolve(plan, rules=RuleSettings(chair_rotation_years=0)), SCORES)
        .groups[0]
        .next_chair
        == "a"
    )


@pytest.mark.usefixtures("vietnamese")
def test_deputy_succession() -> None:
    plan = _with(small_plan(), Succession.DEPUTY, deputy="d")
    assert review(plan, SCORES).groups[0].next_chair == "d"
    # No deputy, or one that rotation bars: the members elect, as in free election.
    no_deputy = review(_with(small_plan(), Succession.DEPUTY), SCORES).groups[0]
    assert no_deputy.next_chair == "b"
    assert any("không có phó" in note for note in no_deputy.notes)
    barred = review(_with(small_plan(), Succession.DEPUTY, deputy="a"), SCORES).groups[0]
    assert barred.next_chair == "b"
    assert any("luân phiên" in note for note in barred.notes)


def test_leading_unit_succession() -> None:
    plan = _with(small_plan(), Succession.LEADING, chair="c")
    assert review(plan, SCORES).groups[0].next_chair == "a"
    barred = _with(small_plan(), Succession.LEADING)  # "a" leads and chairs this year
    outcome = review(barred, SCORES).groups[0]
    assert (outcome.leading_unit, outcome.next_chair) == ("a", "b")


@given(valid_plans(), st.randoms(use_true_random=False), st.booleans())
def test_rankings_are_whole_ordered_and_within_quotas(
    plan: Plan, rnd: random.Random, floor: bool
) -> None:
    if floor:
        plan = attrs.evolve(plan, review=ReviewSettings(min_score=50))
    units = {
        unit.id: UnitScores(
            unit.id,
            tuple(rnd.choice([0, 10, 20, 25.5]) for _ in range(4)),
            rnd.choice([0, 1]),
            rnd.choice([0, 0.5]),
        )
        for unit in plan.units
    }
    outcome = review(plan, ScoreSheet("s.csv", ("1", "2", "3", "4"), units))
    for group, result in zip(plan.groups, outcome.groups, strict=True):
        assert sorted(r.unit for r in result.ranking) == sorted(group.members)
        totals = [r.scores.total for r in result.ranking]
        assert totals == sorted(totals, reverse=True)
        for quota in plan.review.awards:
            assert sum(r.award == quota.name for r in result.ranking) <= quota.per_group
        assert all(r.eligible for r in result.ranking if r.award is not None)
        eligible = [r.unit for r in result.ranking if r.eligible]
        assert result.leading_unit == (eligible[0] if eligible else None)
        assert result.next_chair is None or result.next_chair != group.chair


# -- the example -----------------------------------------------------------------------------


def test_review_of_the_2013_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_path, scores_path = EXAMPLES / "hcmc-2013.toml", EXAMPLES / "scores-2013.csv"
    out = tmp_path / "hcmc-2013-reviewed.toml"
    assert (
        main(["review", str(plan_path), str(scores_path), "--format", "json", "-o", str(out)]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    plan = load(plan_path)
    assert [g["group"] for g in data["groups"]] == [g.id for g in plan.groups]
    for group in data["groups"]:
        assert group["leading_unit"] == group["ranking"][0]["unit"]
        awards = [r["award"] for r in group["ranking"] if r["award"]]
        assert awards.count("Cờ thi đua") == 1
        assert awards.count("Bằng khen") <= 3
        assert group["next_chair"] != plan.group_by_id[group["group"]].chair
    assert data["tie_break"] == ["base", "penalty", "order"]
    saved = load(out)
    assert saved.results == review(plan, read_scores(scores_path, plan)).results()
    assert attrs.evolve(saved, results=()) == plan
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# thidua plan: the 2013 emulation blocks")  # the layout is kept
    first = saved.results[0]
    assert isinstance(first, GroupResult)
    assert first.awards[0].name == "Cờ thi đua"


def test_text_and_csv_output(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["review", str(EXAMPLES / "hcmc-2013.toml"), str(EXAMPLES / "scores-2013.csv")]
    assert main([*args, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "equal totals are decided by, in turn" in text
    assert "Chair for 2014: Quận 1" in text
    assert main([*args, "--lang", "vi"]) == 0
    text = capsys.readouterr().out
    assert "bằng tổng điểm thì xét lần lượt" in text
    assert "Cụm trưởng năm 2014: Quận 1" in text
    assert "Quận 3 đã làm trưởng năm 2013" in text
    assert main([*args, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("group,rank,unit,name,base,bonus,penalty,total")
    assert len(rows) == 1 + 74


# -- score sheets ----------------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scores.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_comments_semicolons_decimal_commas_ids_and_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# made up\n"
        "STT;Đơn vị;Tiêu chí 1;Tiêu chí 2;Điểm cộng;Điểm trừ;Tổng;Ghi chú\n"
        "1;a;50;40,5;1;0;91,5;\n"
        "\n"
        "# a comment between rows\n"
        "2;Đơn vị B;45;45;;0,5;89,5;vắng họp\n",
    )
    scores = read_scores(path, small_plan())
    assert scores.criteria == ("Tiêu chí 1", "Tiêu chí 2")
    assert scores.units["a"] == UnitScores("a", (50, 40.5), 1, 0, 3)
    assert scores.units["b"].total == 89.5
    assert scores.units["b"].line == 6


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "scores.xlsx"
    workbook = openpyxl.Workbook()
    sheet_ = workbook.active
    assert sheet_ is not None
    for row in (
        ["# SỐ LIỆU GIẢ ĐỊNH"],
        ["Mã đơn vị", "Tham mưu", "Văn thư", "Penalty"],
        ["a", 60, 30.5, 1],
        ["c", 55, None, None],
    ):
        sheet_.append(row)
    workbook.save(path)
    with pytest.raises(ScoresError, match=r"^.*scores\.xlsx: row 4: column 'Văn thư': no score$"):
        read_scores(path, small_plan())
    sheet_["C4"] = 35
    workbook.save(path)
    scores = read_scores(path, small_plan())
    assert scores.units["a"].total == 89.5
    assert scores.units["c"].total == 90


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Đơn vị,Điểm\nz,90\n", ":2: unknown unit 'z'"),
        ("Đơn vị,Điểm\na,chín mươi\n", ":2: column 'Điểm': not a number: 'chín mươi'"),
        ("Đơn vị,Điểm\na,90\nĐơn vị A,80\n", ":3: 'Đơn vị A' is scored twice (first on 2)"),
        ("Đơn vị,Điểm,Điểm trừ\na,90,-1\n", ":2: column 'penalty': -1 is negative"),
        ("Đơn vị,Điểm cộng\na,1\n", ":1: no criteria columns"),
        ("Đơn vị,Điểm,Tổng\na,90,91\n", ":2: the total 91 disagrees"),
        ("# only a comment\n", ": empty: no header row"),
        ("Đơn vị,Điểm\n,90\n", ":2: no unit named"),
    ],
)
def test_bad_sheets_exit_2_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = _write(tmp_path, text)
    plan_path = tmp_path / "plan.toml"
    from thidua.files import save

    save(small_plan(), plan_path)
    assert main(["review", str(plan_path), str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"thidua: {path}{message}")
    assert err.count("\n") == 1


def test_missing_and_binary_sheets(tmp_path: Path) -> None:
    with pytest.raises(ScoresError, match="no such file"):
        read_scores(tmp_path / "none.csv", small_plan())
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00x")
    with pytest.raises(ScoresError, match="not UTF-8"):
        read_scores(bad, small_plan())
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ScoresError, match="not a readable XLSX workbook"):
        read_scores(broken, small_plan())
