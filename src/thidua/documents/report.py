"""The review as the planner reads it (text), and as other tools read it (JSON, CSV)."""

from __future__ import annotations

from typing import Any

from thidua.documents.review import (
    GroupReview,
    Ranked,
    Review,
    rule_text,
    succession_text,
    tie_break_keys,
)
from thidua.documents.scores import csv_text
from thidua.i18n import N_, _, ngettext
from thidua.model import Plan
from thidua.vocabulary import chair_title

__all__ = ["review_csv", "review_json", "review_text"]

_DECIDED_BY = {
    "base": N_("a higher criteria score"),
    "penalty": N_("a smaller penalty"),
    "bonus": N_("a larger bonus"),
    "order": N_("its place in the document"),
}


def points(value: float) -> str:
    """A score as people write it: no ".0", at most two decimals."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0")


def _awards_text(review: Review) -> str:
    quotas = ", ".join(f"{quota.name} {quota.per_group}" for quota in review.settings.awards)
    minimum = review.settings.min_score
    if minimum is not None:
        floor = _("minimum score {score}").format(score=points(minimum))
    else:
        floor = _("no minimum score")
    return _("Awards proposed per group: {quotas}; {floor}.").format(
        quotas=quotas or _("none"), floor=floor
    )


def _tie_note(plan: Plan, ranked: Ranked) -> str:
    if ranked.tied_with is None or ranked.decided_by is None:
        return ""
    other = plan.unit_by_id[ranked.tied_with].name
    return _("same total as {other}; ranked above by {reason}").format(
        other=other, reason=_(_DECIDED_BY[ranked.decided_by.value])
    )


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _group_lines(plan: Plan, review: Review, outcome: GroupReview) -> list[str]:
    group = plan.group_by_id[outcome.group]
    names = plan.unit_by_id
    count = len(group.members)
    lines = [
        ngettext("{group} ({id}), {count} unit", "{group} ({id}), {count} units", count).format(
            group=group.name, id=group.id, count=count
        )
    ]
    headers = [
        _("Rank"),
        _("Unit"),
        _("Criteria"),
        _("Bonus"),
        _("Penalty"),
        _("Total"),
        _("Proposed"),
        _("Note"),
    ]
    rows = [headers]
    for ranked in outcome.ranking:
        scores = ranked.scores
        note = _tie_note(plan, ranked)
        if not ranked.eligible:
            note = "; ".join(filter(None, [_("below the minimum score"), note]))
        rows.append(
            [
                str(ranked.rank),
                names[ranked.unit].name,
                points(scores.base),
                points(scores.bonus),
                points(scores.penalty),
                points(scores.total),
                ranked.award or "",
                note,
            ]
        )
    lines += [f"  {line}" for line in _table(rows)]
    leading = names[outcome.leading_unit].name if outcome.leading_unit else _("none yet")
    chair = names[outcome.next_chair].name if outcome.next_chair else _("not decided")
    lines.append("  " + _("Leading unit: {unit}").format(unit=leading))
    lines.append(
        "  "
        + _("{chair_title} for {year}: {unit}").format(
            chair_title=chair_title(group), year=review.year + 1, unit=chair
        )
    )
    lines += [f"  {note}" for note in outcome.notes]
    return lines


def review_text(plan: Plan, review: Review, scores_source: str) -> str:
    lines = [
        _("Emulation review {year}: {title} (scores: {source})").format(
            year=review.year, title=plan.title or _("plan"), source=scores_source
        ),
        rule_text(review.settings),
        _awards_text(review),
        _("Chairs for {year}: {succession}.").format(
            year=review.year + 1, succession=succession_text(review.succession)
        ),
        *review.notes,
        "",
    ]
    for outcome in review.groups:
        lines += [*_group_lines(plan, review, outcome), ""]
    return "\n".join(lines)


def review_json(plan: Plan, review: Review) -> dict[str, Any]:
    return {
        "year": review.year,
        "next_year": review.year + 1,
        "rule": rule_text(review.settings),
        "tie_break": [key.value for key in tie_break_keys(review.settings)],
        "min_score": review.settings.min_score,
        "awards": [
            {"name": quota.name, "per_group": quota.per_group} for quota in review.settings.awards
        ],
        "succession": review.succession.value,
        "notes": list(review.notes),
        "groups": [
            {
                "group": outcome.group,
                "name": plan.group_by_id[outcome.group].name,
                "leading_unit": outcome.leading_unit,
                "next_chair": outcome.next_chair,
                "ranking": [
                    {
                        "rank": ranked.rank,
                        "unit": ranked.unit,
                        "name": plan.unit_by_id[ranked.unit].name,
                        "base": ranked.scores.base,
                        "bonus": ranked.scores.bonus,
                        "penalty": ranked.scores.penalty,
                        "total": ranked.scores.total,
                        "eligible": ranked.eligible,
                        "award": ranked.award,
                        "tied_with": ranked.tied_with,
                        "decided_by": ranked.decided_by.value if ranked.decided_by else None,
                    }
                    for ranked in outcome.ranking
                ],
                "unscored": list(outcome.unscored),
                "notes": list(outcome.notes),
            }
            for outcome in review.groups
        ],
    }


def review_csv(plan: Plan, review: Review) -> str:
    """One row per ranked unit, with its group's outcome repeated on each row."""
    rows: list[list[object]] = [
        [
            "group",
            "rank",
            "unit",
            "name",
            "base",
            "bonus",
            "penalty",
            "total",
            "eligible",
            "award",
            "decided_by",
            "leading",
            "next_chair",
        ]
    ]
    for outcome in review.groups:
        for ranked in outcome.ranking:
            rows.append(
                [
                    outcome.group,
                    ranked.rank,
                    ranked.unit,
                    plan.unit_by_id[ranked.unit].name,
                    points(ranked.scores.base),
                    points(ranked.scores.bonus),
                    points(ranked.scores.penalty),
                    points(ranked.scores.total),
                    "yes" if ranked.eligible else "no",
                    ranked.award or "",
                    ranked.decided_by.value if ranked.decided_by else "",
                    "yes" if ranked.unit == outcome.leading_unit else "no",
                    "yes" if ranked.unit == outcome.next_chair else "no",
                ]
            )
    return csv_text(rows)
