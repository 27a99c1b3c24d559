"""The year-end review (bình xét thi đua): rank each group's members by their scores, name the
leading unit, propose awards within the plan's quotas, and name next year's chair.

Ranking: the higher total (criteria + bonus - penalty) first; equal totals are decided by the
plan's `[review] tie_break` keys in order, and document order always decides last, so the
ranking is total and the rule can be printed. Only members at or above `min_score` (when set)
may lead, receive an award or be chosen chair. Awards go down the ranking in the order the plan
lists them, one per unit: by default one "Cờ thi đua" and up to three "Bằng khen" per group.

Next year's chair follows the plan's `rules.succession`: "deputy" names this year's deputy and
"leading" the leading unit; free election, and either of those when there is none or rotation
bars it, proposes the top-ranked eligible member that chair rotation does not bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from thidua.documents.scores import ScoreSheet, UnitScores
from thidua.i18n import N_, _
from thidua.model import Award, Group, GroupResult, Plan, ReviewSettings, Succession, TieBreak

__all__ = ["GroupReview", "Ranked", "Review", "review", "rule_text", "succession_text"]

# Scores are compared at this precision, so 0.1 + 0.2 ties with 0.3.
_DIGITS = 6

_KEY_WORDS = {
    TieBreak.BASE: N_("higher criteria score (before bonus and penalty)"),
    TieBreak.PENALTY: N_("smaller penalty"),
    TieBreak.BONUS: N_("larger bonus"),
    TieBreak.ORDER: N_("listed earlier in the document"),
}
_SUCCESSION_WORDS = {
    Succession.FREE: N_(
        "free election: the highest-ranked eligible unit that rotation does not bar"
    ),
    Succession.DEPUTY: N_(
        "this year's deputy becomes chair (if there is none, or rotation bars it: free election)"
    ),
    Succession.LEADING: N_("the leading unit becomes chair (if rotation bars it: the next one)"),
}


def tie_break_keys(settings: ReviewSettings) -> tuple[TieBreak, ...]:
    """The plan's tie-break keys with document order last, which makes every ranking total."""
    keys = tuple(key for key in settings.tie_break if key is not TieBreak.ORDER)
    return (*keys, TieBreak.ORDER)


def rule_text(settings: ReviewSettings) -> str:
    """The ranking rule in words, as the review prints it."""
    keys = "; ".join(_(_KEY_WORDS[key]) for key in tie_break_keys(settings))
    return _(
        "Ranked by total score (criteria + bonus - penalty), highest first; "
        "equal totals are decided by, in turn: {keys}."
    ).format(keys=keys)


def succession_text(succession: Succession) -> str:
    return _(_SUCCESSION_WORDS[succession])


@attrs.frozen
class Ranked:
    """A member's place in its group's ranking."""

    unit: str
    rank: int
    scores: UnitScores
    eligible: bool  # reaches the minimum score (when one is set)
    award: str | None = None
    # When this member ties on total with the next one: the key that put it ahead.
    decided_by: TieBreak | None = None
    tied_with: str | None = None


@attrs.frozen
class GroupReview:
    group: str
    ranking: tuple[Ranked, ...]
    leading_unit: str | None
    next_chair: str | None
    notes: tuple[str, ...] = ()
    unscored: tuple[str, ...] = ()

    def result(self) -> GroupResult:
        awards: dict[str, list[str]] = {}
        for ranked in self.ranking:
            if ranked.award is not None:
                awards.setdefault(ranked.award, []).append(ranked.unit)
        return GroupResult(
            group=self.group,
            leading_unit=self.leading_unit,
            next_chair=self.next_chair,
            ranking=tuple(ranked.unit for ranked in self.ranking),
            awards=tuple(Award(name, units) for name, units in awards.items()),
        )


@attrs.frozen
class Review:
    """The review of one year: each group's ranking and outcome, and the rules applied."""

    year: int
    settings: ReviewSettings
    succession: Succession
    groups: tuple[GroupReview, ...]
    notes: tuple[str, ...] = ()

    def results(self) -> tuple[GroupResult, ...]:
        return tuple(group.result() for group in self.groups)

    def apply(self, plan: Plan) -> Plan:
        """The plan with this review stored as its year's results (history for next year)."""
        return attrs.evolve(plan, results=self.results())


def _sort_key(keys: Sequence[TieBreak], scores: UnitScores, order: int) -> tuple[float, ...]:
    values = [-round(scores.total, _DIGITS)]
    for key in keys:
        values.append(_key_value(key, scores, order))
    return tuple(values)


def _key_value(key: TieBreak, scores: UnitScores, order: int) -> float:
    if key is TieBreak.BASE:
        return -round(scores.base, _DIGITS)
    if key is TieBreak.PENALTY:
        return round(scores.penalty, _DIGITS)
    if key is TieBreak.BONUS:
        return -round(scores.bonus, _DIGITS)
    return float(order)


def _barred(plan: Plan, previous: Iterable[Plan], group_id: str) -> dict[str, int]:
    """Units that may not chair the group next year, with the year each last chaired it."""
    years = plan.rules.chair_rotation_years
    next_year = plan.year + 1
    barred: dict[str, int] = {}
    for earlier in sorted((*previous, plan), key=lambda p: p.year):
        if not next_year - years <= earlier.year <= plan.year:
            continue
        group = earlier.group_by_id.get(group_id)
        if group is not None and group.chair is not None:
            barred[group.chair] = earlier.year
    return barred


def _rank(plan: Plan, group: Group, sheet: ScoreSheet) -> tuple[list[Ranked], list[str]]:
    settings = plan.review
    keys = tie_break_keys(settings)
    scored = [(order, sheet.units[m]) for order, m in enumerate(group.members) if m in sheet.units]
    unscored = [m for m in group.members if m not in sheet.units]
    scored.sort(key=lambda item: _sort_key(keys, item[1], item[0]))
    ranking: list[Ranked] = []
    for position, (order, scores) in enumerate(scored):
        decided_by = tied_with = None
        if position + 1 < len(scored):
            next_order, next_scores = scored[position + 1]
            if round(scores.total, _DIGITS) == round(next_scores.total, _DIGITS):
                tied_with = next_scores.unit
                decided_by = next(
                    key
                    for key in keys
                    if _key_value(key, scores, order) != _key_value(key, next_scores, next_order)
                )
        eligible = settings.min_score is None or scores.total >= settings.min_score - 1e-9
        ranking.append(
            Ranked(scores.unit, position + 1, scores, eligible, None, decided_by, tied_with)
        )
    return ranking, unscored


def _awarded(settings: ReviewSettings, ranking: list[Ranked]) -> list[Ranked]:
    eligible = iter([ranked for ranked in ranking if ranked.eligible])
    awards: dict[str, str] = {}
    for quota in settings.awards:
        for _slot in range(quota.per_group):
            ranked = next(eligible, None)
            if ranked is None:
                break
            awards[ranked.unit] = quota.name
    return [attrs.evolve(ranked, award=awards.get(ranked.unit)) for ranked in ranking]


def _review_group(
    plan: Plan, group: Group, sheet: ScoreSheet, previous: Sequence[Plan]
) -> GroupReview:
    names = plan.unit_by_id
    ranking, unscored = _rank(plan, group, sheet)
    ranking = _awarded(plan.review, ranking)
    notes: list[str] = []
    if unscored:
        listed = ", ".join(names[unit].name for unit in unscored)
        notes.append(_("No scores, not ranked: {units}.").format(units=listed))
    eligible = [ranked.unit for ranked in ranking if ranked.eligible]
    if ranking and not eligible:
        notes.append(
            _("No unit reaches the minimum score {score}.").format(
                score=f"{plan.review.min_score:g}"
            )
        )
    leading = eligible[0] if eligible else None
    barred = _barred(plan, previous, group.id)
    next_year = plan.year + 1

    def bar_note(unit: str) -> str:
        return _(
            "{unit} chaired in {year}; with a rotation of {years} year(s) it may not chair "
            "in {next_year}."
        ).format(
            unit=names[unit].name,
            year=barred[unit],
            years=plan.rules.chair_rotation_years,
            next_year=next_year,
        )

    # The deputy or the leading unit chairs next year when the plan says so, unless rotation
    # bars it; then, as with free election, the members elect: the review proposes the
    # best-ranked eligible member that rotation does not bar (as the chair-succession rule
    # of the validator reads it).
    succession = plan.rules.succession
    designated = {Succession.DEPUTY: group.deputy, Succession.LEADING: leading}.get(succession)
    next_chair: str | None = None
    if designated is not None and designated not in barred:
        next_chair = designated
    else:
        if succession is Succession.DEPUTY and designated is None:
            notes.append(
                _("{group} has no deputy: the {next_year} chair is proposed by election.").format(
                    group=group.name, next_year=next_year
                )
            )
        elif designated is not None:
            notes.append(bar_note(designated))
        for unit in eligible:
            if unit not in barred:
                next_chair = unit
                break
            if succession is Succession.FREE:
                notes.append(bar_note(unit))  # say why a better-ranked member was passed over
        if next_chair is None and ranking:
            notes.append(
                _("No unit is eligible to chair in {next_year}.").format(next_year=next_year)
            )
    return GroupReview(
        group=group.id,
        ranking=tuple(ranking),
        leading_unit=leading,
        next_chair=next_chair,
        notes=tuple(notes),
        unscored=tuple(unscored),
    )


def review(plan: Plan, sheet: ScoreSheet, previous: Sequence[Plan] = ()) -> Review:
    """Review every group of `plan` with the scores of `sheet`; `previous` plans feed rotation."""
    groups = tuple(_review_group(plan, group, sheet, previous) for group in plan.groups)
    grouped = {member for group in plan.groups for member in group.members}
    outside = [plan.unit_by_id[unit].name for unit in sheet.units if unit not in grouped]
    notes = (
        (_("Scored but in no group: {units}.").format(units=", ".join(outside)),) if outside else ()
    )
    return Review(plan.year, plan.review, plan.rules.succession, groups, notes)
