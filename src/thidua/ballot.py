"""The members' ballot (bình xét, suy tôn): tally the votes per group and award, round by round.

A unit is proposed for an award when it has at least `vote_threshold` of its group's members'
votes (80% by default, as circular 01/2024/TT-TANDTC Art. 29 sets for a cluster's flag), within
the award's quota per group. Places left open go to another round, up to `ballot_rounds` (2 by
default, the same circular); after the last round the chair and the deputy decide between the
units still in contention, the most voted first. Awards are balloted in the plan's order, one
award per unit, as the review proposes them.

A vote is counted only when its voter is a member of the group and its candidate too; a voter's
repeated vote for one candidate counts once; a voter who votes for more units than there are
places has cast an invalid ballot paper, none of whose votes count. Every vote not counted is
reported with the reason and the line of the sheet it came from.
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from thidua.errors import ThiduaError
from thidua.i18n import _, ngettext
from thidua.model import (
    Award,
    BallotOutcome,
    Group,
    GroupResult,
    Plan,
    Succession,
    Tally,
)

__all__ = [
    "AwardBallot",
    "Ballot",
    "GroupBallot",
    "Problem",
    "Rejected",
    "RoundTally",
    "Vote",
    "needed_votes",
    "tally",
]


@attrs.frozen
class Vote:
    """One row of a ballot sheet: a member unit's vote for a candidate unit and an award."""

    voter: str
    candidate: str
    award: str
    round: int = 1
    line: int = 0  # where the sheet has it (line of a CSV, row of a workbook)
    group: str | None = None  # the group the sheet names, if it has a group column


class Problem(enum.StrEnum):
    NOT_MEMBER = "not-member"  # the voter is not a member of the group
    OUTSIDE_GROUP = "outside-group"  # the candidate is not a member of the voter's group
    TWICE = "twice"  # the same voter voted for the same candidate again
    TOO_MANY = "too-many"  # more candidates than places: the ballot paper is invalid
    ALREADY_PROPOSED = "already-proposed"  # the candidate already has this or an earlier award
    NO_ROUND = "no-round"  # a round the plan does not allow, or that was not needed
    UNKNOWN_AWARD = "unknown-award"  # an award the plan's [review] does not list


@attrs.frozen
class Rejected:
    """A vote reported and not counted, with why."""

    vote: Vote
    problem: Problem
    message: str


@attrs.frozen
class Count:
    unit: str
    votes: int
    outcome: BallotOutcome
    short_by: int = 0  # votes missing to reach the threshold (0 when reached)


@attrs.frozen
class RoundTally:
    round: int
    places: int  # places open at the start of the round
    counts: tuple[Count, ...]  # most votes first, then the group's member order
    voters: int  # members whose ballot paper counted in this round


@attrs.frozen
class AwardBallot:
    award: str
    places: int
    rounds: tuple[RoundTally, ...]
    proposed: tuple[str, ...]
    # Places still open after the last allowed round: the chair and the deputy decide them
    # between `contenders`, most voted first.
    chair_decides: int = 0
    contenders: tuple[str, ...] = ()
    # A further round is allowed and needed but the sheet holds no votes for it.
    pending_round: int | None = None
    # Units the chair and the deputy chose for open places (`Ballot.decide`), also in `proposed`.
    decided: tuple[str, ...] = ()


@attrs.frozen
class GroupBallot:
    group: str
    members: int
    needed: int
    awards: tuple[AwardBallot, ...]
    rejected: tuple[Rejected, ...]

    @property
    def leading_unit(self) -> str | None:
        """The unit proposed for the first award (the emulation flag), if any."""
        first = self.awards[0] if self.awards else None
        return first.proposed[0] if first is not None and first.proposed else None

    def tallies(self) -> tuple[Tally, ...]:
        return tuple(
            Tally(award.award, count.unit, count.votes, tallied.round, count.outcome)
            for award in self.awards
            for tallied in award.rounds
            for count in tallied.counts
        )


@attrs.frozen
class Ballot:
    """The ballot of one year: each group's tallies, and the votes no group could count."""

    year: int
    threshold: float
    rounds: int
    groups: tuple[GroupBallot, ...]
    rejected: tuple[Rejected, ...] = ()  # votes of units that are members of no group

    def decide(self, plan: Plan, group: str, units: Sequence[str]) -> Ballot:
        """The ballot with the chair's and the deputy's choice for `group`'s open places:
        `units` fill them in the awards' order, each among that award's contenders (any
        member when none is left). Anything else raises `ThiduaError` saying why."""
        outcome = next((item for item in self.groups if item.group == group), None)
        if outcome is None:
            raise ThiduaError(_("no group {group!r} in this ballot").format(group=group))
        choices = list(units)
        awards = []
        for award in outcome.awards:
            taken = [choices.pop(0) for _place in range(min(award.chair_decides, len(choices)))]
            for unit in taken:
                allowed = award.contenders or plan.group_by_id[group].members
                if unit not in allowed or unit in award.proposed:
                    raise ThiduaError(
                        _("{unit} is not in contention for {award} in {group}").format(
                            unit=_name(plan, unit), award=award.award, group=group
                        )
                    )
            awards.append(
                attrs.evolve(
                    award,
                    proposed=(*award.proposed, *taken),
                    decided=(*award.decided, *taken),
                    chair_decides=award.chair_decides - len(taken),
                )
            )
        if choices:
            raise ThiduaError(
                _("{group} has no open place left for {units}").format(
                    group=group, units=", ".join(_name(plan, unit) for unit in choices)
                )
            )
        proposed = [unit for award in awards for unit in award.proposed]
        if len(proposed) != len(set(proposed)):
            raise ThiduaError(_("a unit may receive one award only"))
        groups = tuple(
            attrs.evolve(item, awards=tuple(awards)) if item.group == group else item
            for item in self.groups
        )
        return attrs.evolve(self, groups=groups)

    def apply(self, plan: Plan) -> Plan:
        """The plan with the proposals and tallies stored in its `[[results]]` (history).

        A group's stored ranking and next chair are kept; under `succession = "leading"` a next
        chair that was the review's leading unit follows the ballot's leading unit instead,
        unless that unit chairs the group this year (rotation).
        """
        results = {result.group: result for result in plan.results}
        for outcome in self.groups:
            if not any(award.rounds for award in outcome.awards):
                continue  # no vote was cast in this group: its stored result stands
            old = results.get(outcome.group, GroupResult(outcome.group))
            balloted = {award.award for award in outcome.awards if award.rounds}
            awards = [award for award in old.awards if award.name not in balloted]
            awards += [
                Award(award.award, award.proposed) for award in outcome.awards if award.proposed
            ]
            leading = outcome.leading_unit or old.leading_unit
            next_chair = old.next_chair
            this_year_chair = plan.group_by_id[outcome.group].chair
            if (
                plan.rules.succession is Succession.LEADING
                and next_chair == old.leading_unit
                and leading is not None
                and leading != this_year_chair  # rotation: this year's chair hands over
            ):
                next_chair = leading
            results[outcome.group] = attrs.evolve(
                old,
                leading_unit=leading,
                next_chair=next_chair,
                awards=tuple(awards),
                ballots=outcome.tallies(),
            )
        order = [group.id for group in plan.groups]
        ordered = sorted(results.values(), key=lambda r: order.index(r.group))
        return attrs.evolve(plan, results=tuple(ordered))


def needed_votes(members: int, threshold: float) -> int:
    """The fewest votes that reach `threshold` of `members` (80% of 10 is 8, of 11 is 9)."""
    return max(1, math.ceil(members * threshold - 1e-9))


def _name(plan: Plan, unit: str) -> str:
    found = plan.unit_by_id.get(unit)
    return found.name if found is not None else unit


def _assign(
    plan: Plan, votes: Iterable[Vote]
) -> tuple[dict[str, list[Vote]], dict[str, list[Rejected]], list[Rejected]]:
    """Votes by the group that counts them; votes for outsiders rejected in their group, and
    votes of units that are no member of the group they vote in rejected apart."""
    by_group: dict[str, list[Vote]] = {group.id: [] for group in plan.groups}
    outsiders: dict[str, list[Rejected]] = {group.id: [] for group in plan.groups}
    not_members: list[Rejected] = []
    for vote in votes:
        group_id = vote.group or plan.group_of(vote.voter)
        group = plan.group_by_id.get(group_id) if group_id else None
        if group is None or vote.voter not in group.members:
            where = group.name if group is not None else _("any group")
            message = _("{voter} is not a member of {group}: its vote does not count").format(
                voter=_name(plan, vote.voter), group=where
            )
            not_members.append(Rejected(vote, Problem.NOT_MEMBER, message))
        elif vote.candidate not in group.members:
            message = _(
                "{voter} voted for {candidate}, which is not a member of {group}: not counted"
            ).format(
                voter=_name(plan, vote.voter),
                candidate=_name(plan, vote.candidate),
                group=group.name,
            )
            outsiders[group.id].append(Rejected(vote, Problem.OUTSIDE_GROUP, message))
        else:
            by_group[group.id].append(vote)
    return by_group, outsiders, not_members


def _round_votes(
    plan: Plan,
    votes: Sequence[Vote],
    places: int,
    excluded: set[str],
    rejected: list[Rejected],
) -> list[Vote]:
    """The votes of one round and award that count: one per voter and candidate, no more
    candidates per voter than places, and none for a unit already proposed."""
    counted: list[Vote] = []
    seen: set[tuple[str, str]] = set()
    for vote in votes:
        if vote.candidate in excluded:
            message = _("{voter} voted for {candidate}, already proposed: not counted").format(
                voter=_name(plan, vote.voter), candidate=_name(plan, vote.candidate)
            )
            rejected.append(Rejected(vote, Problem.ALREADY_PROPOSED, message))
        elif (vote.voter, vote.candidate) in seen:
            message = _("{voter} voted for {candidate} twice: counted once").format(
                voter=_name(plan, vote.voter), candidate=_name(plan, vote.candidate)
            )
            rejected.append(Rejected(vote, Problem.TWICE, message))
        else:
            seen.add((vote.voter, vote.candidate))
            counted.append(vote)
    per_voter = Counter(vote.voter for vote in counted)
    valid: list[Vote] = []
    for vote in counted:
        if per_voter[vote.voter] > places:
            message = ngettext(
                "{voter} voted for {count} units where {places} place is open: "
                "its ballot paper is invalid",
                "{voter} voted for {count} units where {places} places are open: "
                "its ballot paper is invalid",
                places,
            ).format(voter=_name(plan, vote.voter), count=per_voter[vote.voter], places=places)
            rejected.append(Rejected(vote, Problem.TOO_MANY, message))
        else:
            valid.append(vote)
    return valid


def _ballot_award(
    plan: Plan,
    group: Group,
    award: str,
    places: int,
    votes: Sequence[Vote],
    excluded: set[str],
    rejected: list[Rejected],
) -> AwardBallot:
    settings = plan.review
    needed = needed_votes(len(group.members), settings.vote_threshold)
    order = {unit: index for index, unit in enumerate(group.members)}
    proposed: list[str] = []
    rounds: list[RoundTally] = []
    contenders: list[str] = []
    pending: int | None = None
    held: set[int] = set()  # rounds whose votes were counted or rejected here
    missing: int | None = None  # the first round without votes, which ends the ballot
    for number in range(1, settings.ballot_rounds + 1):
        in_round = [vote for vote in votes if vote.round == number]
        left = places - len(proposed)
        held.add(number)
        if left <= 0:
            for vote in in_round:
                if places == 0:
                    message = _("{award} has no place in this group: not counted")
                else:
                    message = _("round {round} of {award} was not needed: not counted")
                message = message.format(round=number, award=award)
                rejected.append(Rejected(vote, Problem.NO_ROUND, message))
            continue
        if not in_round:
            missing = number
            if number > 1:
                pending = number
            break
        valid = _round_votes(plan, in_round, left, excluded | set(proposed), rejected)
        counts = Counter(vote.candidate for vote in valid)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
        reached = [(unit, n) for unit, n in ranked if n >= needed]
        winners: list[str] = [unit for unit, _n in reached]
        tied_out: list[str] = []
        if len(reached) > left:
            # More units reached the threshold than there are places: those with more votes
            # than the cut take the places; a tie across the cut goes to the next round.
            cut = reached[left - 1][1]
            above = [unit for unit, n in reached if n > cut]
            at_cut = [unit for unit, n in reached if n == cut]
            winners = above + (at_cut if len(above) + len(at_cut) <= left else [])
            tied_out = [unit for unit, _n in reached if unit not in winners]
        proposed += winners
        last_round = number == settings.ballot_rounds
        still_open = places - len(proposed)
        if last_round and still_open > 0:
            contenders = tied_out or [unit for unit, _n in ranked if unit not in winners]
        counts_out = []
        for unit, n in ranked:
            if unit in winners:
                outcome = BallotOutcome.PROPOSED
            elif last_round and unit in contenders:
                outcome = BallotOutcome.CHAIR_DECIDES
            else:
                outcome = BallotOutcome.SHORT
            counts_out.append(Count(unit, n, outcome, max(0, needed - n)))
        voters = len({vote.voter for vote in valid})
        rounds.append(RoundTally(number, left, tuple(counts_out), voters))
    # Votes in rounds the plan does not allow, or after a round without votes, are reported
    # and never counted.
    for vote in votes:
        if vote.round in held and vote.round != missing:
            continue
        if vote.round > settings.ballot_rounds:
            message = _("round {round}: the plan allows at most {rounds} rounds").format(
                round=vote.round, rounds=settings.ballot_rounds
            )
        else:
            message = _("round {missing} of {award} had no votes, so round {round} does not count")
            message = message.format(missing=missing, award=award, round=vote.round)
        rejected.append(Rejected(vote, Problem.NO_ROUND, message))
    open_places = places - len(proposed)
    # Every allowed round was held and places are still open: the chair and deputy decide.
    decides = open_places if rounds and pending is None else 0
    return AwardBallot(
        award=award,
        places=places,
        rounds=tuple(rounds),
        proposed=tuple(proposed),
        chair_decides=decides,
        contenders=tuple(contenders) if decides else (),
        pending_round=pending,
    )


def _ballot_group(
    plan: Plan, group: Group, votes: Sequence[Vote], rejected: list[Rejected]
) -> GroupBallot:
    excluded: set[str] = set()
    awards: list[AwardBallot] = []
    known = {quota.name for quota in plan.review.awards}
    for vote in votes:
        if vote.award not in known:
            message = _("{award} is not an award of the plan's [review]: not counted").format(
                award=vote.award
            )
            rejected.append(Rejected(vote, Problem.UNKNOWN_AWARD, message))
    for quota in plan.review.awards:
        for_award = [vote for vote in votes if vote.award == quota.name]
        ballot = _ballot_award(
            plan, group, quota.name, quota.per_group, for_award, excluded, rejected
        )
        excluded |= set(ballot.proposed)
        awards.append(ballot)
    needed = needed_votes(len(group.members), plan.review.vote_threshold)
    ordered = sorted(rejected, key=lambda item: item.vote.line)
    return GroupBallot(group.id, len(group.members), needed, tuple(awards), tuple(ordered))


def tally(plan: Plan, votes: Iterable[Vote]) -> Ballot:
    """Tally `votes` for every group of `plan` by its `[review]` threshold, rounds and quotas."""
    by_group, outsiders, not_members = _assign(plan, votes)
    groups = tuple(
        _ballot_group(plan, group, by_group[group.id], outsiders[group.id]) for group in plan.groups
    )
    return Ballot(
        plan.year,
        plan.review.vote_threshold,
        plan.review.ballot_rounds,
        groups,
        tuple(sorted(not_members, key=lambda item: item.vote.line)),
    )
