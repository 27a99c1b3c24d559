"""The documents of the year's cycle, composed from a plan and its `[[results]]`: each group's
covenant (giao ước thi đua), the minutes of its review meeting (biên bản họp bình xét) and the
office's summary report with the award proposals (báo cáo, đề nghị khen thưởng).

They read what the plan holds and print the decree's blanks ("……") for what it does not: the
time and place of a meeting, the names of the people who sign. Rankings, votes, leading units,
awards and next year's chairs come from the results that `thidua review -o` and
`thidua ballot -o` store.
"""

from __future__ import annotations

from collections.abc import Sequence

from thidua.ballot import needed_votes
from thidua.documents.forms import Form, Grid, Signature, Text
from thidua.documents.language import DOCUMENT_LANGUAGE
from thidua.documents.language import document_gettext as _
from thidua.documents.language import document_ngettext as ngettext
from thidua.documents.scores import ScoreSheet
from thidua.model import Award, BallotOutcome, Group, GroupResult, Plan
from thidua.vocabulary import chair_title as _chair_title
from thidua.vocabulary import deputy_title as _deputy_title

__all__ = ["KINDS", "compose", "covenant", "minutes", "report"]

BLANK = "……"
KINDS = ("covenant", "minutes", "report")


def chair_title(group: Group) -> str:
    return _chair_title(group, lang=DOCUMENT_LANGUAGE)


def deputy_title(group: Group) -> str:
    return _deputy_title(group, lang=DOCUMENT_LANGUAGE)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listed(entries: Sequence[str]) -> list[str]:
    """Items punctuated as Vietnamese documents do: ";" after each, "." after the last."""
    return [
        f"{entry};" if index < len(entries) - 1 else f"{entry}."
        for index, entry in enumerate(entries)
    ]


def _date(plan: Plan, year: int | None = None) -> str:
    place = plan.dispatch.place or BLANK
    if year is None:
        return _("{place}, day … month … year …").format(place=place)
    return _("{place}, day … month … {year}").format(place=place, year=year)


def _person(plan: Plan, staff: str | None, label: str) -> str:
    """`label` ("Leader in charge: {name}, {title}.") for a person, blanks where unknown."""
    if staff is None:
        return label.format(name=BLANK, title=BLANK)
    person = plan.staff_by_id[staff]
    return label.format(name=person.name, title=person.title or BLANK)


def _office(plan: Plan) -> tuple[str, ...]:
    """The office above a group's own name in the header: the plan's issuing agency."""
    return plan.dispatch.issuer or plan.dispatch.authority


def _unit(plan: Plan, unit: str | None) -> str:
    return plan.unit_by_id[unit].name if unit is not None else BLANK


# -- the covenant ---------------------------------------------------------------------------


def _commitments(plan: Plan) -> list[str]:
    if plan.review.commitments:
        return list(plan.review.commitments)
    if plan.review.criteria:
        return [
            _("Meet the criterion “{name}” (up to {points} points)").format(
                name=criterion.name, points=_points(criterion.max_points)
            )
            for criterion in plan.review.criteria
        ]
    return [BLANK]


def covenant(plan: Plan, group: Group) -> Form:
    """The covenant the members of `group` sign at the start of the plan's year."""
    count = len(group.members)
    chair, deputy = chair_title(group), deputy_title(group)
    if plan.reference:
        intro = _(
            "Pursuant to document {reference} on the emulation groups of {year}, the {count} "
            "member units of {group} agree on this emulation covenant for {year}:"
        )
    else:
        intro = _(
            "Pursuant to the plan of emulation groups of {year}, the {count} member units of "
            "{group} agree on this emulation covenant for {year}:"
        )
    body: list[Text | Grid] = [
        Text(intro.format(reference=plan.reference, year=plan.year, count=count, group=group.name)),
        Text(_("I. MEMBERS"), bold=True),
    ]
    names = _listed([plan.unit_by_id[m].name for m in group.members])
    body += [Text(f"{index}. {name}") for index, name in enumerate(names, 1)]
    body.append(Text(f"- {chair}: {_unit(plan, group.chair)}."))
    if group.deputy is not None or plan.rules.deputy:
        body.append(Text(f"- {deputy}: {_unit(plan, group.deputy)}."))
    body.append(Text("- " + _person(plan, group.leader, _("Leader in charge: {name}, {title}."))))
    body.append(Text("- " + _person(plan, group.officer, _("Officer in charge: {name}, {title}."))))
    body.append(Text(_("II. COMMITMENTS"), bold=True))
    commitments = _listed(_commitments(plan))
    body += [Text(f"{index}. {line}") for index, line in enumerate(commitments, 1)]
    body.append(Text(_("III. IMPLEMENTATION"), bold=True))
    percent = f"{plan.review.vote_threshold * 100:g}"
    body += [
        Text(
            _sentence(
                _(
                    "the {chair} plans the group's activities and organises the year-end "
                    "review: each member scores itself against the criteria, the {chair} and "
                    "the officer in charge check the scores, and the members vote for the "
                    "leading unit and the award proposals."
                ).format(chair=chair.lower())
            )
        ),
        Text(
            ngettext(
                "A proposal needs at least {percent}% of the members' votes, in at most "
                "{rounds} round of voting; then the {chair} and the {deputy} decide.",
                "A proposal needs at least {percent}% of the members' votes, in at most "
                "{rounds} rounds of voting; then the {chair} and the {deputy} decide.",
                plan.review.ballot_rounds,
            ).format(
                percent=percent,
                rounds=plan.review.ballot_rounds,
                chair=chair.lower(),
                deputy=deputy.lower(),
            )
        ),
        Text(_("The members sign below; each keeps a copy of this covenant./.")),
    ]
    rows = []
    for index, member in enumerate(group.members, 1):
        name = plan.unit_by_id[member].name
        if member == group.chair:
            name = f"{name} ({chair})"
        elif member == group.deputy:
            name = f"{name} ({deputy})"
        rows.append((str(index), name, ""))
    signatures = Grid(
        (_("No."), _("Member unit"), _("Representative (signature, full name)")),
        tuple(rows),
        (1.4, 8.1, 7.0),
        tall=True,
    )
    return Form(
        title=_("Emulation covenant {year}: {group}").format(year=plan.year, group=group.name),
        authority=_office(plan),
        issuer=(group.name.upper(),),
        number=None,
        date=_date(plan, plan.year),
        name=_("EMULATION COVENANT"),
        subject=(_("{group}, year {year}").format(group=group.name, year=plan.year),),
        body=tuple(body),
        closing=(Text(_("MEMBER UNITS SIGN"), bold=True, centred=True), signatures),
    )


# -- the minutes ----------------------------------------------------------------------------


def _outcome_text(outcome: BallotOutcome, short: int) -> str:
    if outcome is BallotOutcome.PROPOSED:
        return _("proposed")
    if outcome is BallotOutcome.CHAIR_DECIDES:
        return _("chair and deputy decide")
    if short <= 0:
        return _("reached the threshold, no place left")
    return ngettext("short by {count} vote", "short by {count} votes", short).format(count=short)


def _vote_rows(plan: Plan, group: Group, result: GroupResult) -> tuple[tuple[str, ...], ...]:
    members = len(group.members)
    needed = needed_votes(members, plan.review.vote_threshold)
    rows = []
    for tally in result.ballots:
        share = f"{tally.votes / members * 100:.0f}%" if members else "—"
        rows.append(
            (
                tally.award,
                str(tally.round),
                plan.unit_by_id[tally.unit].name,
                str(tally.votes),
                share,
                _outcome_text(tally.outcome, max(0, needed - tally.votes)),
            )
        )
    return tuple(rows)


def _decisions(result: GroupResult) -> dict[str, tuple[list[str], list[str]]]:
    """Awards the vote left to the chair and the deputy: (the units they chose, if the result
    holds any of the contenders, and the contenders)."""
    contenders: dict[str, list[str]] = {}
    for tally in result.ballots:
        if tally.outcome is BallotOutcome.CHAIR_DECIDES:
            contenders.setdefault(tally.award, [])
            if tally.unit not in contenders[tally.award]:
                contenders[tally.award].append(tally.unit)
    awarded = {award.name: award.units for award in result.awards}
    return {
        award: ([unit for unit in awarded.get(award, ()) if unit in units], units)
        for award, units in contenders.items()
    }


def _award_units(plan: Plan, award: Award) -> str:
    names = [plan.unit_by_id[unit].name for unit in award.units]
    unnamed = award.size - len(award.units)
    if unnamed > 0:
        names.append(
            ngettext("{count} unit not named", "{count} units not named", unnamed).format(
                count=unnamed
            )
        )
    return ", ".join(names) or BLANK


def _points(value: float) -> str:
    """Points as a Vietnamese document writes them: a decimal comma ("97,5")."""
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0").replace(".", ",")


def _ranking_grid(plan: Plan, result: GroupResult, scores: ScoreSheet | None) -> Grid:
    awarded = {unit: award.name for award in result.awards for unit in award.units}
    ranked = list(enumerate(result.ranking, 1))
    if scores is None or not all(unit in scores.units for unit in result.ranking):
        plain: tuple[tuple[str, ...], ...] = tuple(
            (str(rank), plan.unit_by_id[unit].name, awarded.get(unit, "")) for rank, unit in ranked
        )
        return Grid((_("Rank"), _("Unit"), _("Proposed award")), plain, (1.8, 9.7, 5))
    rows = tuple(
        (
            str(rank),
            plan.unit_by_id[unit].name,
            _points(scores.units[unit].base),
            _points(scores.units[unit].bonus),
            _points(scores.units[unit].penalty),
            _points(scores.units[unit].total),
            awarded.get(unit, ""),
        )
        for rank, unit in ranked
    )
    headings = (
        _("Rank"),
        _("Unit"),
        _("Criteria score"),
        _("Bonus points"),
        _("Penalty points"),
        _("Total"),
        _("Proposed award"),
    )
    return Grid(headings, rows, (1.5, 5.0, 2.0, 1.6, 1.6, 1.8, 3.0), centred=(0, 2, 3, 4, 5))


def minutes(plan: Plan, group: Group, scores: ScoreSheet | None = None) -> Form:
    """The minutes of `group`'s year-end review meeting, from the plan's stored result, with
    each member's points when the score sheet is given."""
    result = plan.result_by_group.get(group.id) or GroupResult(group.id)
    chair, deputy = chair_title(group), deputy_title(group)
    members = len(group.members)
    body: list[Text | Grid] = [
        Text(_("Time: {blank}").format(blank=BLANK)),
        Text(_("Place: {blank}").format(blank=BLANK)),
        Text(
            _("Attending: the {count} member units of {group}; {leader}; {officer}").format(
                count=members,
                group=group.name,
                leader=_person(plan, group.leader, _("leader in charge: {name}, {title}")),
                officer=_person(plan, group.officer, _("officer in charge: {name}, {title}.")),
            )
        ),
        Text(
            _("Chaired by {unit} ({chair}); secretary: {blank}.").format(
                unit=_unit(plan, group.chair), chair=chair.lower(), blank=BLANK
            )
        ),
        Text(_("I. SCORES AND RANKING"), bold=True),
    ]
    if result.ranking:
        body.append(Text(_("The members ranked as follows by their scores:")))
        body.append(_ranking_grid(plan, result, scores))
    else:
        body.append(Text(_("No ranking is recorded for this group.")))
    body.append(Text(_("II. VOTES"), bold=True))
    if result.ballots:
        needed = needed_votes(members, plan.review.vote_threshold)
        body.append(
            Text(
                _(
                    "{members} members; a proposal needs {needed} votes ({percent}% of the "
                    "members), in at most {rounds} rounds."
                ).format(
                    members=members,
                    needed=needed,
                    percent=f"{plan.review.vote_threshold * 100:g}",
                    rounds=plan.review.ballot_rounds,
                )
            )
        )
        body.append(
            Grid(
                (_("Award"), _("Round"), _("Unit"), _("Votes"), _("Share"), _("Outcome")),
                _vote_rows(plan, group, result),
                (2.8, 1.6, 4.8, 1.9, 1.6, 3.8),
                centred=(1, 3, 4),
            )
        )
    else:
        body.append(Text(_("No vote is recorded for this group.")))
    body.append(Text(_("III. CONCLUSIONS"), bold=True))
    body.append(Text(_("1. Leading unit: {unit}.").format(unit=_unit(plan, result.leading_unit))))
    proposals = [f"{award.name}: {_award_units(plan, award)}" for award in result.awards] or [BLANK]
    body.append(Text(_("2. Award proposals:")))
    body += [Text(f"- {line}") for line in _listed(proposals)]
    for award, (chosen, units) in _decisions(result).items():
        if chosen:
            decide = _("The {chair} and the {deputy} decided: {award} to {units}.")
        else:
            decide = _("For the {chair} and the {deputy} to decide: {award}, between {units}.")
        names = [plan.unit_by_id[unit].name for unit in (chosen or units)]
        line = decide.format(
            chair=chair.lower(), deputy=deputy.lower(), award=award, units=", ".join(names)
        )
        body.append(Text(f"- {_sentence(line)}"))
    body.append(
        Text(
            _("3. {chair} for {year}: {unit}.").format(
                chair=chair, year=plan.year + 1, unit=_unit(plan, result.next_chair)
            )
        )
    )
    body.append(
        Text(
            _(
                "The meeting ended at {blank} the same day; the minutes were read to the "
                "members, who agreed with them./."
            ).format(blank=BLANK)
        )
    )
    return Form(
        title=_("Review minutes {year}: {group}").format(year=plan.year, group=group.name),
        authority=_office(plan),
        issuer=(group.name.upper(),),
        number=None,
        date=_date(plan),
        name=_("MINUTES"),
        subject=(
            _("Emulation review meeting of {group}, year {year}").format(
                group=group.name, year=plan.year
            ),
        ),
        body=tuple(body),
        signature=Signature(
            right_title=(_("CHAIR OF THE MEETING"),),
            right_name=_("Full name"),
            left_title=(_("SECRETARY"),),
            left_name=_("Full name"),
        ),
    )


# -- the office's report --------------------------------------------------------------------


def _agency(plan: Plan) -> str:
    symbol = plan.dispatch.symbol
    if plan.reference and "/" in plan.reference:
        symbol = plan.reference.split("/", 1)[1]
    return symbol.split("-", 1)[0] if symbol else BLANK


def report(plan: Plan) -> Form:
    """The office's summary of every group's review and its award proposals."""
    members = sum(len(group.members) for group in plan.groups)
    reviewed = [group for group in plan.groups if group.id in plan.result_by_group]
    body: list[Text | Grid] = [
        Text(
            _(
                "In {year}, {reviewed} of the {count} emulation groups ({members} member units) "
                "reported their year-end review. The results and the award proposals are as "
                "follows."
            ).format(
                year=plan.year, reviewed=len(reviewed), count=len(plan.groups), members=members
            )
        ),
        Text(_("I. RESULTS BY GROUP"), bold=True),
    ]
    rows = []
    for index, group in enumerate(plan.groups, 1):
        result = plan.result_by_group.get(group.id)
        if result is None:
            rows.append(
                (str(index), group.name, str(len(group.members)), _("not reported"), "", "")
            )
            continue
        awards = "; ".join(f"{award.name}: {award.size}" for award in result.awards)
        rows.append(
            (
                str(index),
                group.name,
                str(len(group.members)),
                _unit(plan, result.leading_unit),
                awards,
                _unit(plan, result.next_chair),
            )
        )
    body.append(
        Grid(
            (
                _("No."),
                _("Group"),
                _("Members"),
                _("Leading unit"),
                _("Awards proposed"),
                _("Chair for {year}").format(year=plan.year + 1),
            ),
            tuple(rows),
            (1.4, 1.8, 1.8, 4.3, 3.5, 3.7),
            centred=(0, 2),
        )
    )
    body.append(Text(_("II. AWARD PROPOSALS"), bold=True))
    by_award: dict[str, list[tuple[Group, Award]]] = {}
    for group in plan.groups:
        result = plan.result_by_group.get(group.id)
        for award in result.awards if result else ():
            by_award.setdefault(award.name, []).append((group, award))
    if not by_award:
        body.append(Text(_("No award is proposed.")))
    for index, (name, entries) in enumerate(by_award.items(), 1):
        total = sum(award.size for _group, award in entries)
        body.append(
            Text(
                ngettext(
                    "{index}. {award}: {count} collective:",
                    "{index}. {award}: {count} collectives:",
                    total,
                ).format(index=index, award=name, count=total)
            )
        )
        lines = [f"{_award_units(plan, award)} ({group.name})" for group, award in entries]
        body += [Text(f"- {line}") for line in _listed(lines)]
    undecided = [
        group.name
        for group in reviewed
        if any(not chosen for chosen, _units in _decisions(plan.result_by_group[group.id]).values())
    ]
    if undecided:
        body.append(
            Text(
                _("Awards still for the chair and the deputy to decide in: {groups}.").format(
                    groups=", ".join(undecided)
                )
            )
        )
    body.append(Text(_("III. PROPOSAL"), bold=True))
    body.append(
        Text(_("We respectfully propose that the competent authority consider the awards above./."))
    )
    copies = plan.dispatch.copies or (_("Archive: VT"),)
    return Form(
        title=_("Emulation review report {year}").format(year=plan.year),
        authority=plan.dispatch.authority,
        issuer=plan.dispatch.issuer or (_("NAME OF THE AGENCY"),),
        number=_("No.: {blank}/BC-{agency}").format(blank="     ", agency=_agency(plan)),
        date=_date(plan),
        name=_("REPORT"),
        subject=(
            _("Results of the {year} emulation review of the groups and award proposals").format(
                year=plan.year
            ),
        ),
        body=tuple(body),
        signature=Signature(
            right_title=plan.dispatch.signer_title or (_("TITLE OF THE SIGNER"),),
            right_name=plan.dispatch.signer or _("Full name"),
            copies=tuple(_listed(list(copies))),
        ),
    )


def compose(
    plan: Plan, kind: str, groups: Sequence[str] = (), scores: ScoreSheet | None = None
) -> tuple[Form, ...]:
    """The forms of `kind` ("covenant", "minutes" or "report") for the plan's groups (all, or
    those named); `scores` adds each member's points to the minutes."""
    chosen = [plan.group_by_id[g] for g in groups] if groups else list(plan.groups)
    if kind == "covenant":
        return tuple(covenant(plan, group) for group in chosen)
    if kind == "minutes":
        return tuple(minutes(plan, group, scores) for group in chosen)
    if kind == "report":
        return (report(plan),)
    raise ValueError(f"unknown kind of document {kind!r}")
