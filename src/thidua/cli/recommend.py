"""`thidua recommend PLAN (--unit ID | --staff ID) [--previous PREV]... [--format text|json]`:
where a unit could go, or which groups a person could take charge of, cheapest first, with
what each costs term by term and which rule bars the rest."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from thidua.cli.common import add_format, add_previous, load_previous, print_json
from thidua.files import load
from thidua.i18n import N_, _
from thidua.model import Plan
from thidua.recommend import Option, Recommendation, recommend

# The objective's terms as the recommendation names them.
TERM_NAMES = {
    "moves": N_("moves"),
    "staff_changes": N_("staff changes"),
    "spread": N_("size spread"),
    "tag_cohesion": N_("outside majority tag"),
    "neighbour_cohesion": N_("neighbours split"),
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "recommend", help=_("rank the groups a unit or a person could go to, by what it costs")
    )
    parser.add_argument("plan", type=Path, metavar="PLAN")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", metavar="ID", help=_("the unit to place"))
    which.add_argument("--staff", metavar="ID", help=_("the person to put in charge"))
    add_previous(parser)
    add_format(parser)
    parser.add_argument(
        "--all", action="store_true", help=_("list barred groups of another kind too (text)")
    )
    parser.set_defaults(func=run)


def _name(plan: Plan, group: str | None) -> str:
    return plan.group_by_id[group].name if group is not None else _("(no group)")


def _as_json(plan: Plan, found: Recommendation) -> dict[str, Any]:
    def option(o: Option) -> dict[str, Any]:
        return {
            "group": o.group,
            "name": _name(plan, o.group),
            "current": o.current,
            "allowed": o.allowed,
            "size": o.size,
            "limit": o.limit,
            "changes": {change.term: change.delta for change in o.changes},
            "barred_by": [
                {"rule": v.rule, "subjects": list(v.subjects), "message": v.message}
                for v in o.barred
            ],
        }

    return {
        "subject": found.subject,
        "role": found.role.value if found.role is not None else None,
        "terms": list(found.terms),
        "options": [option(o) for o in found.options],
    }


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def render(plan: Plan, found: Recommendation, *, every: bool = False) -> list[str]:
    """The recommendation as text: allowed groups ranked, then the barred ones with the rule
    that bars each (groups of another kind only with `every`)."""
    if found.role is None:
        subject = plan.unit_by_id[found.subject]
        lines = [_("Where {unit} could go, cheapest first:").format(unit=subject.name)]
    else:
        person = plan.staff_by_id[found.subject]
        lines = [
            _("Groups {person} could take charge of, cheapest first:").format(person=person.name)
        ]
    terms = [_(TERM_NAMES.get(term, term)) for term in found.terms]
    lines.append("  " + _("change in: {terms}").format(terms=", ".join(terms)))
    for rank, option in enumerate(found.allowed, 1):
        costs = ", ".join(
            f"{_(TERM_NAMES.get(c.term, c.term))} {_signed(c.delta)}" for c in option.changes
        )
        flags = [_("current")] if option.current else []
        if option.size > option.limit:
            flags.append(_("over the limit"))
        note = f" [{', '.join(flags)}]" if flags else ""
        size = f" {option.size}/{option.limit}" if option.group is not None else ""
        lines.append(f"{rank:>4}. {_name(plan, option.group)}{size}: {costs}{note}")
    barred = found.barred
    shown = [
        o
        for o in barred
        if every or o.group is None or "group-kind" not in o.barring_rules or found.role is not None
    ]
    if barred:
        lines.append(_("Barred: {count}").format(count=len(barred)))
    for option in shown:
        reasons = "; ".join(f"{v.rule}: {v.message}" for v in option.barred)
        lines.append(f"   - {_name(plan, option.group)}: {reasons}")
    hidden = len(barred) - len(shown)
    if hidden:
        lines.append(
            "   " + _("(and {count} groups of another kind; --all lists them)").format(count=hidden)
        )
    return lines


def run(args: argparse.Namespace) -> int:
    plan = load(args.plan)
    found = recommend(plan, load_previous(args.previous), unit=args.unit, staff=args.staff)
    if args.format == "json":
        print_json(_as_json(plan, found))
        return 0
    print("\n".join(render(plan, found, every=args.all)))
    return 0
