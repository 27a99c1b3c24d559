"""Ballot sheets (CSV or XLSX, one vote a row) and the tally as the planner reads it.

The first row that is not a comment names the columns: the voter ("voter", "đơn vị bầu",
"người bầu"), the candidate ("candidate", "ứng viên", "bầu cho", "được bầu"), and optionally
the award ("award", "danh hiệu", "khen thưởng": the first award of `[review]` when absent),
the round ("round", "vòng": 1 when absent) and the group ("group", "khối", "cụm": the voter's
group when absent). Units are named by id or name. A unit or award the plan does not know, or
a round that is not a whole number, is bad input (one line naming the file and line); votes the
plan knows but must not count are the tally's business (`thidua.ballot`), reported, not fatal.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from thidua.ballot import AwardBallot, Ballot, GroupBallot, Rejected, Vote
from thidua.documents.errors import BallotError
from thidua.documents.scores import _bounded_rows, _csv_rows, _open_xlsx
from thidua.errors import ThiduaError
from thidua.files import decode_input, read_input
from thidua.i18n import N_, _, ngettext
from thidua.model import BallotOutcome, Plan
from thidua.text import fold

__all__ = ["ballot_json", "ballot_text", "parse_votes", "read_votes"]

_VOTER = {"voter", "don vi bau", "nguoi bau", "cu tri", "don vi bo phieu"}
_CANDIDATE = {"candidate", "ung vien", "bau cho", "duoc bau", "don vi duoc bau", "de cu"}
_AWARD = {"award", "danh hieu", "khen thuong", "hinh thuc", "hinh thuc khen thuong"}
_ROUND = {"round", "vong", "vong bau", "lan bau"}
_GROUP = {"group", "khoi", "cum", "khoi, cum", "cum, khoi", "khoi/cum"}


@attrs.frozen
class _Fail:
    source: str
    rows_are_lines: bool

    def __call__(self, message: str, line: int | None) -> BallotError:
        if self.rows_are_lines or line is None:
            return BallotError(self.source, message, line)
        return BallotError(self.source, _("row {row}: {message}").format(row=line, message=message))


def _find(folded: Sequence[str], names: set[str]) -> int | None:
    return next((index for index, name in enumerate(folded) if name in names), None)


def parse_votes(
    rows: Iterable[tuple[int, Sequence[object]]], plan: Plan, *, source: str, rows_are_lines: bool
) -> tuple[Vote, ...]:
    """Votes from (line or row number, cells) pairs; names resolved against the plan."""
    fail = _Fail(source, rows_are_lines)
    units = {fold(unit.name): unit.id for unit in plan.units}
    units.update({unit.id: unit.id for unit in plan.units})
    groups = {fold(group.name): group.id for group in plan.groups}
    groups.update({group.id: group.id for group in plan.groups})
    awards = {fold(quota.name): quota.name for quota in plan.review.awards}
    columns: dict[str, int | None] | None = None
    votes: list[Vote] = []
    for line, cells in rows:
        values = ["" if value is None else str(value).strip() for value in cells]
        if not any(values) or values[0].startswith("#"):
            continue
        if columns is None:
            folded = [fold(value).rstrip(":") for value in values]
            columns = {
                "voter": _find(folded, _VOTER),
                "candidate": _find(folded, _CANDIDATE),
                "award": _find(folded, _AWARD),
                "round": _find(folded, _ROUND),
                "group": _find(folded, _GROUP),
            }
            if columns["voter"] is None or columns["candidate"] is None:
                raise fail(_("the header names no voter and candidate columns"), line)
            continue

        def cell(
            key: str, values: list[str] = values, columns: dict[str, int | None] = columns
        ) -> str:
            index = columns[key]
            return values[index] if index is not None and index < len(values) else ""

        def unit(key: str, line: int = line) -> str:
            name = cell(key)
            if not name:
                raise fail(_("no {column}").format(column=key), line)
            found = units.get(name) or units.get(fold(name))
            if found is None:
                raise fail(_("unknown unit {name!r}").format(name=name), line)
            return found

        voter, candidate = unit("voter"), unit("candidate")
        award_name = cell("award")
        if award_name:
            award = awards.get(fold(award_name))
            if award is None:
                known = ", ".join(quota.name for quota in plan.review.awards)
                raise fail(
                    _("unknown award {name!r} (the plan's [review] lists: {known})").format(
                        name=award_name, known=known
                    ),
                    line,
                )
        elif plan.review.awards:
            award = plan.review.awards[0].name
        else:
            raise fail(_("the plan's [review] lists no award to vote for"), line)
        round_text = cell("round") or "1"
        try:
            number = int(float(round_text)) if float(round_text).is_integer() else 0
        except ValueError:
            number = 0
        if number < 1:
            raise fail(
                _("round {value!r} is not a whole number from 1").format(value=round_text), line
            )
        group_name = cell("group")
        group = None
        if group_name:
            group = groups.get(group_name) or groups.get(fold(group_name))
            if group is None:
                raise fail(_("unknown group {name!r}").format(name=group_name), line)
        votes.append(Vote(voter, candidate, award, number, line, group))
    if columns is None:
        raise fail(_("empty: no header row and no votes"), None)
    return tuple(votes)


def read_votes(path: str | Path, plan: Plan) -> tuple[Vote, ...]:
    """Read a ballot sheet (CSV in UTF-8, or the first sheet of an XLSX workbook)."""
    path = Path(path)
    data = read_input(path, what=N_("ballot sheet"), error=BallotError)
    if data.startswith(b"PK\x03\x04"):
        from thidua.documents.scores import _Fail as ScoresFail

        fail = ScoresFail(str(path), rows_are_lines=False)
        workbook: Any = _open_xlsx(path, data, fail)  # bounded before openpyxl parses it
        try:
            rows = _bounded_rows(workbook.worksheets[0], fail)
            return parse_votes(rows, plan, source=str(path), rows_are_lines=False)
        except ThiduaError:
            raise
        except Exception as error:  # a malformed sheet fails only once its rows are parsed
            raise fail(_("not a readable XLSX workbook ({why})").format(why=error), None) from None
        finally:
            workbook.close()
    text = decode_input(path, data, hint=_("; save the CSV as UTF-8"), error=BallotError)
    try:
        return parse_votes(_csv_rows(text), plan, source=str(path), rows_are_lines=True)
    except csv.Error as error:
        raise BallotError(path, _("malformed CSV: {error}").format(error=error)) from None


# -- the tally as text and JSON -------------------------------------------------------------


def _where(source: str, rejected: Rejected) -> str:
    return f"{source}:{rejected.vote.line}"


def _count_text(plan: Plan, unit: str, votes: int, outcome: BallotOutcome, short: int) -> str:
    name = plan.unit_by_id[unit].name
    tally = ngettext("{name}: {votes} vote", "{name}: {votes} votes", votes).format(
        name=name, votes=votes
    )
    if outcome is BallotOutcome.PROPOSED:
        return _("{tally}, proposed").format(tally=tally)
    if outcome is BallotOutcome.CHAIR_DECIDES:
        return _("{tally}, for the chair and deputy to decide").format(tally=tally)
    if short > 0:
        return ngettext(
            "{tally}, short by {short} vote", "{tally}, short by {short} votes", short
        ).format(tally=tally, short=short)
    return _("{tally}, reached the threshold but no place was left").format(tally=tally)


def _award_lines(plan: Plan, award: AwardBallot) -> list[str]:
    lines = [
        ngettext("{award} ({places} place)", "{award} ({places} places)", award.places).format(
            award=award.award, places=award.places
        )
    ]
    if not award.rounds:
        lines.append("  " + _("no votes"))
    for tallied in award.rounds:
        counts = "; ".join(
            _count_text(plan, count.unit, count.votes, count.outcome, count.short_by)
            for count in tallied.counts
        )
        lines.append(
            "  "
            + _("round {round}: {counts}").format(
                round=tallied.round, counts=counts or _("no valid vote")
            )
        )
    names = plan.unit_by_id
    proposed = ", ".join(names[unit].name for unit in award.proposed) or _("nobody")
    lines.append("  " + _("proposed: {units}").format(units=proposed))
    if award.pending_round is not None:
        lines.append(
            "  "
            + _(
                "a round {round} is needed for the open places; the sheet holds no votes for it"
            ).format(round=award.pending_round)
        )
    if award.decided:
        decided = ", ".join(names[unit].name for unit in award.decided)
        lines.append("  " + _("decided by the chair and the deputy: {units}").format(units=decided))
    if award.chair_decides:
        contenders = ", ".join(names[unit].name for unit in award.contenders) or _("any member")
        lines.append(
            "  "
            + ngettext(
                "after round {rounds}, the chair and the deputy decide {count} place between: "
                "{units}",
                "after round {rounds}, the chair and the deputy decide {count} places between: "
                "{units}",
                award.chair_decides,
            ).format(rounds=len(award.rounds), count=award.chair_decides, units=contenders)
        )
    return lines


def _group_lines(plan: Plan, source: str, outcome: GroupBallot) -> list[str]:
    group = plan.group_by_id[outcome.group]
    if not outcome.rejected and not any(award.rounds for award in outcome.awards):
        return [_("{group} ({id}): no votes").format(group=group.name, id=group.id)]
    lines = [
        _("{group} ({id}): {members} members, a proposal needs {needed} votes").format(
            group=group.name, id=group.id, members=outcome.members, needed=outcome.needed
        )
    ]
    for award in outcome.awards:
        lines += ["  " + line for line in _award_lines(plan, award)]
    if outcome.rejected:
        lines.append("  " + _("votes not counted:"))
        lines += [f"    {_where(source, item)}: {item.message}" for item in outcome.rejected]
    return lines


def ballot_text(plan: Plan, ballot: Ballot, source: str) -> str:
    lines = [
        _(
            "Ballot {year}: {votes} (threshold {percent}% of the members' votes, at most "
            "{rounds} rounds, then the chair and the deputy decide)"
        ).format(
            year=ballot.year,
            votes=source,
            percent=f"{ballot.threshold * 100:g}",
            rounds=ballot.rounds,
        )
    ]
    if ballot.rejected:
        lines.append(_("Votes of units that are not members, not counted:"))
        lines += [f"  {_where(source, item)}: {item.message}" for item in ballot.rejected]
    lines.append("")
    for outcome in ballot.groups:
        block = _group_lines(plan, source, outcome)
        lines += block if len(block) == 1 else [*block, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _rejected_json(item: Rejected) -> dict[str, Any]:
    return {
        "line": item.vote.line,
        "voter": item.vote.voter,
        "candidate": item.vote.candidate,
        "award": item.vote.award,
        "round": item.vote.round,
        "problem": item.problem.value,
        "message": item.message,
    }


def ballot_json(plan: Plan, ballot: Ballot) -> dict[str, Any]:
    return {
        "year": ballot.year,
        "threshold": ballot.threshold,
        "rounds": ballot.rounds,
        "rejected": [_rejected_json(item) for item in ballot.rejected],
        "groups": [
            {
                "group": outcome.group,
                "name": plan.group_by_id[outcome.group].name,
                "members": outcome.members,
                "needed": outcome.needed,
                "leading_unit": outcome.leading_unit,
                "awards": [
                    {
                        "award": award.award,
                        "places": award.places,
                        "proposed": list(award.proposed),
                        "chair_decides": award.chair_decides,
                        "contenders": list(award.contenders),
                        "pending_round": award.pending_round,
                        "decided": list(award.decided),
                        "rounds": [
                            {
                                "round": tallied.round,
                                "places": tallied.places,
                                "voters": tallied.voters,
                                "counts": [
                                    {
                                        "unit": count.unit,
                                        "votes": count.votes,
                                        "outcome": count.outcome.value,
                                        "short_by": count.short_by,
                                    }
                                    for count in tallied.counts
                                ],
                            }
                            for tallied in award.rounds
                        ],
                    }
                    for award in outcome.awards
                ],
                "rejected": [_rejected_json(item) for item in outcome.rejected],
            }
            for outcome in ballot.groups
        ],
    }
