"""The members' ballot: threshold, rounds, ties, the chair-and-deputy decision, bad votes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.ballot import Ballot, Problem, Vote, needed_votes, tally
from thidua.cli import main
from thidua.documents.ballots import parse_votes, read_votes
from thidua.documents.errors import BallotError
from thidua.errors import ThiduaError
from thidua.files import dumps, load, loads
from thidua.model import (
    AwardQuota,
    BallotOutcome,
    Group,
    GroupResult,
    Plan,
    ReviewSettings,
    Unit,
)

# Messages in English, as the source writes them: tests/conftest.py's `english` fixture.


FLAG, MERIT = "Cờ thi đua", "Bằng khen"


def plan_of(size: int = 5, **review: object) -> Plan:
    """Cụm 1 of `size` units (a, b, ...) and Cụm 2 of two (x, y)."""
    members = [chr(ord("a") + i) for i in range(size)]
    units = [Unit(u, f"Đơn vị {u.upper()}", "district") for u in (*members, "x", "y", "z")]
    return Plan(
        year=2013,
        units=units,
        groups=[
            Group("cum-1", "Cụm 1", "district", members, chair="a", deputy="b"),
            Group("cum-2", "Cụm 2", "district", ["x", "y"], chair="x"),
        ],
        review=ReviewSettings(**review),  # type: ignore[arg-type]
    )


def votes(*rows: tuple[str, str] | tuple[str, str, str] | tuple[str, str, str, int]) -> list[Vote]:
    """(voter, candidate[, award[, round]]) rows, numbered as sheet lines from 2."""
    made = []
    for line, row in enumerate(rows, 2):
        voter, candidate = row[0], row[1]
        award = str(row[2]) if len(row) > 2 else FLAG
        number = int(row[3]) if len(row) > 3 else 1
        made.append(Vote(voter, candidate, award, number, line))
    return made


def flag(ballot: Ballot, group: int = 0) -> tuple[tuple[str, ...], int, tuple[str, ...]]:
    award = ballot.groups[group].awards[0]
    return award.proposed, award.chair_decides, award.contenders


def test_needed_votes_is_the_threshold_rounded_up() -> None:
    assert [needed_votes(n, 0.8) for n in (5, 6, 10, 11)] == [4, 5, 8, 9]
    assert needed_votes(3, 2 / 3) == 2  # float noise does not ask for a third vote


def test_exactly_80_percent_is_proposed() -> None:
    plan = plan_of(5)
    ballot = tally(plan, votes(("a", "c"), ("b", "c"), ("c", "c"), ("d", "c"), ("e", "a")))
    assert flag(ballot) == (("c",), 0, ())
    counts = ballot.groups[0].awards[0].rounds[0].counts
    assert [(c.unit, c.votes, c.outcome, c.short_by) for c in counts] == [
        ("c", 4, BallotOutcome.PROPOSED, 0),
        ("a", 1, BallotOutcome.SHORT, 3),
    ]


def test_one_vote_below_80_percent_falls_short_by_one() -> None:
    plan = plan_of(10)
    rows = [(voter, "a") for voter in "abcdefg"] + [("h", "b"), ("i", "b"), ("j", "b")]
    award = tally(plan, votes(*rows)).groups[0].awards[0]
    assert award.proposed == ()
    assert award.rounds[0].counts[0].short_by == 1  # 7 of 10: 8 needed
    assert award.pending_round == 2
    assert award.chair_decides == 0


def test_a_second_round_proposes() -> None:
    plan = plan_of(5)
    first = [("a", "c"), ("b", "c"), ("c", "c"), ("d", "d"), ("e", "d")]
    second = [(v, "c", FLAG, 2) for v in "abcd"] + [("e", "d", FLAG, 2)]
    award = tally(plan, votes(*first, *second)).groups[0].awards[0]
    assert [r.round for r in award.rounds] == [1, 2]
    assert award.proposed == ("c",)
    assert award.pending_round is None


def test_after_the_last_round_the_chair_and_deputy_decide() -> None:
    plan = plan_of(6)
    rounds = [(v, "a" if v in "abc" else "d", FLAG, n) for n in (1, 2) for v in "abcdef"]
    award = tally(plan, votes(*rounds)).groups[0].awards[0]
    assert award.proposed == ()
    assert award.chair_decides == 1
    assert award.contenders == ("a", "d")  # a 3-3 tie: the group's member order decides
    assert {c.outcome for c in award.rounds[1].counts} == {BallotOutcome.CHAIR_DECIDES}


def test_one_round_allowed_goes_to_the_chair_at_once() -> None:
    plan = plan_of(5, ballot_rounds=1)
    award = tally(plan, votes(("a", "a"), ("b", "a"), ("c", "b"))).groups[0].awards[0]
    assert (award.chair_decides, award.contenders) == (1, ("a", "b"))


def test_a_tie_below_the_threshold_goes_to_another_round() -> None:
    plan = plan_of(6)
    award = tally(plan, votes(*((v, "a" if v in "abc" else "d") for v in "abcdef")))
    first = award.groups[0].awards[0]
    assert [(c.unit, c.votes, c.short_by) for c in first.rounds[0].counts] == [
        ("a", 3, 2),
        ("d", 3, 2),
    ]
    assert (first.proposed, first.pending_round) == ((), 2)


def test_a_tie_at_the_last_place_is_not_settled_by_the_sheet() -> None:
    plan = plan_of(5, awards=[AwardQuota(MERIT, 4)])
    # Each voter names four units, leaving out a different one: all five reach 4 of 5 votes
    # (80%), for four places. None is preferred: the tie goes to round 2.
    first = [
        (v, c, MERIT)
        for v, left_out in zip("abcde", "edcba", strict=True)
        for c in "abcde"
        if c != left_out
    ]
    award = tally(plan, votes(*first)).groups[0].awards[0]
    assert award.proposed == ()
    assert [c.votes for c in award.rounds[0].counts] == [4] * 5
    assert award.pending_round == 2
    second = [(v, c, MERIT, 2) for v in "abcde" for c in "abcd"]
    award = tally(plan, votes(*first, *second)).groups[0].awards[0]
    assert award.proposed == ("a", "b", "c", "d")


def test_more_names_than_places_spoil_the_ballot_paper() -> None:
    plan = plan_of(5, awards=[AwardQuota(MERIT, 2)])
    rows = [(v, c, MERIT) for v in "abcd" for c in "abc"] + [("e", "a", MERIT)]
    outcome = tally(plan, votes(*rows)).groups[0]
    assert [(c.unit, c.votes) for c in outcome.awards[0].rounds[0].counts] == [("a", 1)]
    assert {r.problem for r in outcome.rejected} == {Problem.TOO_MANY}
    assert len(outcome.rejected) == 12


def test_awards_in_order_one_per_unit() -> None:
    plan = plan_of(5)
    rows = [(v, "a") for v in "abcde"] + [(v, "a", MERIT) for v in "ab"]
    rows += [(v, "b", MERIT) for v in "abcde"]
    outcome = tally(plan, votes(*rows)).groups[0]
    assert outcome.leading_unit == "a"
    assert outcome.awards[1].proposed == ("b",)
    assert [r.problem for r in outcome.rejected] == [Problem.ALREADY_PROPOSED] * 2


def test_every_bad_vote_is_named_and_not_counted() -> None:
    plan = plan_of(5)
    rows = [
        Vote("a", "c", FLAG, 1, 2),
        Vote("b", "c", FLAG, 1, 3),
        Vote("b", "c", FLAG, 1, 4),  # twice
        Vote("c", "x", FLAG, 1, 5),  # a unit outside the group
        Vote("x", "c", FLAG, 1, 6, group="cum-1"),  # a voter who is not a member
        Vote("z", "c", FLAG, 1, 7),  # a unit of no group
        Vote("d", "c", FLAG, 3, 8),  # a third round
        Vote("e", "a", FLAG, 1, 9),
        Vote("e", "b", FLAG, 1, 10),  # e names two units for one place
        Vote("a", "a", "Giấy khen", 1, 11),  # an award the plan does not give
    ]
    ballot = tally(plan, rows)
    group = ballot.groups[0]
    problems = {r.vote.line: r.problem for r in (*group.rejected, *ballot.rejected)}
    assert problems == {
        4: Problem.TWICE,
        5: Problem.OUTSIDE_GROUP,
        6: Problem.NOT_MEMBER,
        7: Problem.NOT_MEMBER,
        8: Problem.NO_ROUND,
        9: Problem.TOO_MANY,
        10: Problem.TOO_MANY,
        11: Problem.UNKNOWN_AWARD,
    }
    counts = group.awards[0].rounds[0].counts
    assert [(c.unit, c.votes) for c in counts] == [("c", 2)]
    messages = {r.vote.line: r.message for r in (*group.rejected, *ballot.rejected)}
    assert "Đơn vị X" in messages[5]
    assert "Cụm 1" in messages[5]
    assert "Đơn vị X" in messages[6]
    assert "Đơn vị B" in messages[4]


def test_votes_after_a_round_without_votes_do_not_count() -> None:
    plan = plan_of(5, ballot_rounds=3)
    rows = [(v, "a") for v in "ab"] + [(v, "a", FLAG, 3) for v in "abcde"]
    outcome = tally(plan, votes(*rows)).groups[0]
    assert outcome.awards[0].proposed == ()
    assert outcome.awards[0].pending_round == 2
    assert [r.problem for r in outcome.rejected] == [Problem.NO_ROUND] * 5


def test_apply_stores_results_and_reads_back() -> None:
    plan = plan_of(5)
    rows = [(v, "c") for v in "abcde"] + [(v, "a", MERIT) for v in "abcd"]
    stored = tally(plan, votes(*rows)).apply(plan)
    result = stored.result_by_group["cum-1"]
    assert result.leading_unit == "c"
    assert [(a.name, a.units) for a in result.awards] == [(FLAG, ("c",)), (MERIT, ("a",))]
    assert {(t.award, t.unit, t.votes, t.outcome) for t in result.ballots} == {
        (FLAG, "c", 5, BallotOutcome.PROPOSED),
        (MERIT, "a", 4, BallotOutcome.PROPOSED),
    }
    assert "cum-2" not in stored.result_by_group  # no votes there: nothing stored
    assert loads(dumps(stored)) == stored


# -- the sheet ------------------------------------------------------------------------------


def write_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_read_csv_by_names_and_defaults(tmp_path: Path) -> None:
    plan = plan_of(5)
    path = write_csv(
        tmp_path / "phieu.csv",
        [
            ["# bình xét năm 2013"],
            ["Đơn vị bầu", "Bầu cho"],
            ["Đơn vị A", "c"],
            ["b", "Đơn vị C"],
        ],
    )
    assert read_votes(path, plan) == (Vote("a", "c", FLAG, 1, 3), Vote("b", "c", FLAG, 1, 4))


def test_read_xlsx(tmp_path: Path) -> None:
    plan = plan_of(5)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["Voter", "Candidate", "Award", "Round"], ["a", "c", "Bằng khen", 2]):
        sheet.append(row)
    workbook.save(tmp_path / "votes.xlsx")
    assert read_votes(tmp_path / "votes.xlsx", plan) == (Vote("a", "c", MERIT, 2, 2),)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["a", "nobody"], r"^.*votes\.csv:3: unknown unit 'nobody'$"),
        (["a", "c", "Huân chương"], r"^.*votes\.csv:3: unknown award 'Huân chương'"),
        (["a", "c", FLAG, "two"], r"^.*votes\.csv:3: round 'two' is not a whole number"),
        (["a", "c", FLAG, "1", "Cụm 9"], r"^.*votes\.csv:3: unknown group 'Cụm 9'$"),
    ],
)
def test_bad_sheets_name_the_line(tmp_path: Path, row: list[str], message: str) -> None:
    path = write_csv(
        tmp_path / "votes.csv",
        [["voter", "candidate", "award", "round", "group"], ["a", "c"], row],
    )
    with pytest.raises(BallotError, match=message):
        read_votes(path, plan_of(5))


@settings(max_examples=30)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcdexyz"),
            st.sampled_from("abcdexyz"),
            st.sampled_from([FLAG, MERIT]),
            st.integers(1, 3),
        ),
        max_size=25,
    )
)
def test_sheet_round_trip_and_every_vote_counted_or_reported(
    rows: list[tuple[str, str, str, int]],
) -> None:
    plan = plan_of(5)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["voter", "candidate", "award", "round"])
    for voter, candidate, award_name, number in rows:
        writer.writerow([plan.unit_by_id[voter].name, candidate, award_name, number])
    from thidua.documents.scores import _csv_rows

    read = parse_votes(_csv_rows(buffer.getvalue()), plan, source="v.csv", rows_are_lines=True)
    assert [(v.voter, v.candidate, v.award, v.round) for v in read] == rows
    ballot = tally(plan, read)
    counted = sum(
        count.votes
        for group in ballot.groups
        for award in group.awards
        for tallied in award.rounds
        for count in tallied.counts
    )
    reported = len(ballot.rejected) + sum(len(group.rejected) for group in ballot.groups)
    assert counted + reported == len(rows)
    for group in ballot.groups:
        for award in group.awards:
            assert len(award.proposed) + award.chair_decides <= award.places
            for unit in award.proposed:
                total = max(c.votes for t in award.rounds for c in t.counts if c.unit == unit)
                assert total >= group.needed
    stored = ballot.apply(plan)
    assert loads(dumps(stored)) == stored


# -- the command ----------------------------------------------------------------------------


def test_command_prints_stores_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(dumps(plan_of(5)), encoding="utf-8")
    sheet = write_csv(
        tmp_path / "votes.csv",
        [["voter", "candidate"], *([v, "c"] for v in "abcd"), ["x", "c"]],
    )
    out = tmp_path / "out.toml"
    assert main(["ballot", str(plan_path), str(sheet), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Đơn vị C" in text
    assert f"{sheet}:6" in text  # the outsider's vote, named by its line
    assert load(out).result_by_group["cum-1"].leading_unit == "c"
    assert main(["ballot", str(plan_path), str(sheet), "-o", str(sheet)]) == 2
    assert main(["ballot", str(plan_path), str(tmp_path / "none.csv")]) == 2
    assert "none.csv: no such file" in capsys.readouterr().err


def test_threshold_and_rounds_are_plan_settings() -> None:
    text = dumps(plan_of(5, vote_threshold=2 / 3, ballot_rounds=3))
    plan = loads(text)
    assert (plan.review.vote_threshold, plan.review.ballot_rounds) == (2 / 3, 3)
    assert needed_votes(5, plan.review.vote_threshold) == 4
    with pytest.raises(Exception, match="vote_threshold"):
        loads(text.replace("vote_threshold = 0.6666666666666666", "vote_threshold = 1.5"))
    assert attrs.evolve(plan.review, vote_threshold=1.0).vote_threshold == 1.0


def test_the_2013_example_ballot() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    plan = load(examples / "hcmc-2013.toml")
    ballot = tally(plan, read_votes(examples / "ballots-2013.csv", plan))
    groups = {outcome.group: outcome for outcome in ballot.groups}
    assert groups["cum-1"].leading_unit == "quan-5"
    assert groups["cum-1"].awards[1].proposed == ("quan-3",)
    flag_2 = groups["cum-2"].awards[0]
    assert (flag_2.proposed, flag_2.chair_decides) == ((), 1)
    assert flag_2.contenders == ("quan-6", "quan-4")
    rejected = [item for outcome in ballot.groups for item in outcome.rejected]
    assert sorted(item.problem for item in rejected) == sorted(
        [Problem.OUTSIDE_GROUP, Problem.OUTSIDE_GROUP, Problem.TWICE]
    )


def test_json_names_outcomes_and_bad_votes(capsys: pytest.CaptureFixture[str]) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    args = ["ballot", str(examples / "hcmc-2013.toml"), str(examples / "ballots-2013.csv")]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cum_2 = next(group for group in data["groups"] if group["group"] == "cum-2")
    flag = cum_2["awards"][0]
    assert (flag["chair_decides"], flag["contenders"]) == (1, ["quan-6", "quan-4"])
    assert [c["short_by"] for c in flag["rounds"][0]["counts"]] == [2, 3]
    problems = [r["problem"] for g in data["groups"] for r in g["rejected"]]
    assert sorted(problems) == ["outside-group", "outside-group", "twice"]


def test_leading_succession_follows_the_vote_but_not_this_years_chair() -> None:
    plan = plan_of(5)
    plan = attrs.evolve(
        plan,
        rules=attrs.evolve(plan.rules, succession="leading"),
        results=[GroupResult("cum-1", leading_unit="c", next_chair="c", ranking=tuple("cabde"))],
    )
    voted_d = tally(plan, votes(*((v, "d") for v in "abcde"))).apply(plan)
    assert voted_d.result_by_group["cum-1"].next_chair == "d"
    assert voted_d.result_by_group["cum-1"].ranking == tuple("cabde")
    voted_a = tally(plan, votes(*((v, "a") for v in "abcde"))).apply(plan)
    assert voted_a.result_by_group["cum-1"].leading_unit == "a"
    assert voted_a.result_by_group["cum-1"].next_chair == "c"  # "a" chairs this year


def test_an_award_without_places_counts_no_vote() -> None:
    plan = plan_of(5, awards=[AwardQuota(FLAG, 1), AwardQuota("Giấy khen", 0)])
    outcome = tally(plan, votes(*((v, "a", "Giấy khen") for v in "abcde"))).groups[0]
    assert outcome.awards[1].rounds == ()
    assert [r.problem for r in outcome.rejected] == [Problem.NO_ROUND] * 5
    assert "Giấy khen" in outcome.rejected[0].message


def test_the_chair_and_deputy_decision_is_recorded() -> None:
    plan = plan_of(6)
    rounds = [(v, "a" if v in "abc" else "d", FLAG, n) for n in (1, 2) for v in "abcdef"]
    ballot = tally(plan, votes(*rounds))
    decided = ballot.decide(plan, "cum-1", ["d"])
    award = decided.groups[0].awards[0]
    assert (award.proposed, award.decided, award.chair_decides) == (("d",), ("d",), 0)
    stored = decided.apply(plan)
    assert stored.result_by_group["cum-1"].leading_unit == "d"
    with pytest.raises(ThiduaError, match="Đơn vị E"):
        ballot.decide(plan, "cum-1", ["e"])  # not in contention
    with pytest.raises(ThiduaError, match="Đơn vị A"):
        ballot.decide(plan, "cum-1", ["d", "a"])  # one open place only
    with pytest.raises(ThiduaError, match="cum-9"):
        ballot.decide(plan, "cum-9", ["d"])


def test_decide_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    out = tmp_path / "out.toml"
    args = ["ballot", str(examples / "hcmc-2013.toml"), str(examples / "ballots-2013.csv")]
    assert main([*args, "--decide", "cum-2=quan-6", "-o", str(out)]) == 0
    assert "Quận 6" in capsys.readouterr().out
    result = load(out).result_by_group["cum-2"]
    assert result.leading_unit == "quan-6"
    assert result.awards[0].units == ("quan-6",)
    assert main([*args, "--decide", "cum-2"]) == 2
    assert main([*args, "--decide", "cum-2=quan-1"]) == 2
