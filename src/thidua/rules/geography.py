"""The geography soft rules: former districts kept whole, clusters connected, short borders.

Each rule's check names its findings from `thidua.geography`'s counts, said by a `Wording`;
each rule's `Term` counts the same thing and encodes it through the rules' `Encoder`, equal
to the count on every plan fixed in the model (connectivity: once minimised, as the spread).
A term is encoded only where the plan configures it (borders; for districts also
`rules.district_tags`) with a positive weight, and never in explanation mode (a soft rule
cannot make a plan impossible).

Their order in the objective follows planners: whole former districts first (the city's 2025
clusters are mostly unions of whole former districts), then connected clusters, then short
borders between them; all after the former provinces (`tag-cohesion`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from thidua import geography
from thidua.i18n import N_, _, ngettext_noop
from thidua.model import Plan
from thidua.rules.base import Term, Violation, Wording
from thidua.rules.context import RuleContext
from thidua.rules.encoder import Encoder, Expression, Penalty

__all__ = [
    "BORDER_BETWEEN",
    "DISCONNECTED_GROUPS",
    "DISTRICT_PIECES",
    "WORDINGS",
    "check_border_inside",
    "check_district_whole",
    "check_group_connected",
]

DISTRICT_SPLIT = Wording(
    "district-whole",
    "split",
    *ngettext_noop(
        "Former district {district} is cut into {count} piece: {pieces}",
        "Former district {district} is cut into {count} pieces: {pieces}",
    ),
)
NOT_CONNECTED = Wording(
    "group-connected",
    "parts",
    *ngettext_noop(
        "{group} is not connected: its members form {count} separate part ({parts})",
        "{group} is not connected: its members form {count} separate parts ({parts})",
    ),
)
BORDER = Wording(
    "border-inside",
    "between",
    *ngettext_noop(
        "{first} and {second} share {km} km of border ({count} pair of units)",
        "{first} and {second} share {km} km of border ({count} pairs of units)",
    ),
)
WORDINGS = (DISTRICT_SPLIT, NOT_CONNECTED, BORDER)


def _unit(plan: Plan, unit: str) -> str:
    found = plan.unit_by_id.get(unit)
    return found.name if found is not None else unit


def _group(plan: Plan, group: str | None) -> str:
    if group is None:
        return _("no group")
    found = plan.group_by_id.get(group)
    return found.name if found is not None else group


def _units(plan: Plan, units: tuple[str, ...], limit: int = 4) -> str:
    names = [_unit(plan, unit) for unit in units[:limit]]
    if len(units) > limit:
        names.append(_("{count} more").format(count=len(units) - limit))
    return ", ".join(names)


def check_district_whole(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per former district split, naming each piece and its group; the
    pieces beyond one add up to the district term."""
    plan = context.plan
    if not _districts_configured(plan):
        return
    for split in geography.district_splits(plan):
        pieces = "; ".join(
            _("{units} in {group}").format(units=_units(plan, units), group=_group(plan, group))
            for group, units in split.pieces
        )
        groups = tuple(group for group, _units_there in split.pieces if group is not None)
        yield DISTRICT_SPLIT.finding(
            (split.district, *groups),
            district=split.district,
            count=len(split.pieces),
            pieces=pieces,
        )


def check_group_connected(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per group not connected, naming its separate parts."""
    plan = context.plan
    if not _borders_configured(plan):
        return  # the rules apply to plans with borders, as their terms do
    for found in geography.disconnected_groups(plan):
        yield NOT_CONNECTED.finding(
            (found.group, *(part[0] for part in found.parts[1:])),
            group=_group(plan, found.group),
            count=len(found.parts),
            parts=" | ".join(_units(plan, part) for part in found.parts),
        )


def check_border_inside(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per pair of groups sharing a border, with its length; the lengths
    add up to the border term (a unit in no group is its own side)."""
    plan = context.plan
    if not _borders_configured(plan):
        return
    between: dict[tuple[str, str], list[int]] = {}
    for first, second, metres in geography.split_borders(plan):
        low, high = sorted((plan.group_of(first) or "", plan.group_of(second) or ""))
        totals = between.setdefault((low, high), [0, 0])
        totals[0] += metres
        totals[1] += 1
    for (first, second), (metres, pairs) in between.items():
        yield BORDER.finding(
            tuple(group for group in (first, second) if group),
            first=_group(plan, first or None),
            second=_group(plan, second or None),
            km=f"{metres / 1000:.2f}",
            count=pairs,
        )


# -- terms ---------------------------------------------------------------------------------------


def _switched_off(enc: Encoder, term: Term) -> bool:
    plan = enc.plan
    return enc.explain or not term.configured(plan) or term.weight(plan.rules.objective) <= 0


def _encode_district_pieces(enc: Encoder, baseline: Plan) -> Penalty | None:
    """Per former district and group, "the group holds some of its units" (the largest of
    its members' literals); the term is their sum minus one per district. A district of n
    units needs at least ceil(n / high) groups (a cut)."""
    if _switched_off(enc, DISTRICT_PIECES):
        return None
    plan = enc.plan
    holders: dict[str, list[str]] = {}
    for unit, tags in geography.district_of(plan).items():
        for tag in tags:
            holders.setdefault(tag, []).append(unit)
    high = plan.rules.group_size[1]
    parts: list[Expression] = []
    upper = 0
    for units in holders.values():
        by_group: dict[str, list[object]] = {}
        for unit in units:
            for group, literal in enc.groups_of(unit):
                by_group.setdefault(group, []).append(literal)
        touched = [
            enc.maximum([[literal] for literal in literals], 1) for literals in by_group.values()
        ]
        if not touched:
            continue
        parts.append(enc.total(touched) - 1)
        upper += len(touched) - 1
        if high > 0:
            enc.cut(enc.total(touched), min(math.ceil(len(units) / high), len(touched)))
    return Penalty(enc.total(parts), upper)


def _encode_disconnected_groups(enc: Encoder, baseline: Plan) -> Penalty | None:
    """Per group, a literal that is true at least when its members (islands left out) are
    not connected over the borders among them (`Encoder.disconnected`); the term sums them.
    Minimised, each is true exactly when its group is not connected."""
    if _switched_off(enc, DISCONNECTED_GROUPS):
        return None
    plan = enc.plan
    graph = geography.neighbour_graph(plan)
    alone = geography.islands(plan, graph)
    flags: list[Expression] = []
    for group in plan.groups:
        members = [
            (unit, literal) for unit, literal in enc.members_of(group.id) if unit not in alone
        ]
        if len(members) < 2:
            continue
        index = {unit: position for position, (unit, _literal) in enumerate(members)}
        arcs = [(index[a], index[b]) for a, b in graph.subgraph(index).edges]
        flags.append(enc.disconnected([literal for _unit, literal in members], arcs))
    return Penalty(enc.total(flags), len(flags))


def _encode_border_between(enc: Encoder, baseline: Plan) -> Penalty | None:
    """Every border's length minus the length of those some group holds together."""
    if _switched_off(enc, BORDER_BETWEEN):
        return None
    graph = geography.neighbour_graph(enc.plan)
    total = 0
    kept: list[Expression] = []
    for first, second, metres in geography.weighted_edges(graph):
        if not metres:
            continue
        total += int(metres)
        groups = dict(enc.groups_of(first))
        together = [
            enc.conjunction(groups[group], literal)
            for group, literal in enc.groups_of(second)
            if group in groups
        ]
        if together:
            kept.append(int(metres) * enc.total(together))
    return Penalty(total - enc.total(kept), total)


def _count_district_pieces(plan: Plan, last: Plan | None) -> int:
    return geography.district_pieces(plan)


def _count_disconnected_groups(plan: Plan, last: Plan | None) -> int:
    return len(geography.disconnected_groups(plan))


def _count_border_between(plan: Plan, last: Plan | None) -> int:
    return geography.border_between(plan)


def _districts_configured(plan: Plan) -> bool:
    return geography.DISTRICT_PIECES in geography.geography_terms(plan)


def _borders_configured(plan: Plan) -> bool:
    return bool(geography.geography_terms(plan))


DISTRICT_PIECES = Term(
    geography.DISTRICT_PIECES,
    "Pieces each former district of rules.district_tags is cut into, beyond one.",
    _count_district_pieces,
    _encode_district_pieces,
    configured=_districts_configured,
    label=N_("Former district pieces beyond one"),
)
DISCONNECTED_GROUPS = Term(
    geography.DISCONNECTED_GROUPS,
    "Groups whose members are not connected over the borders between them (islands exempt).",
    _count_disconnected_groups,
    _encode_disconnected_groups,
    configured=_borders_configured,
    label=N_("Groups not connected"),
)
BORDER_BETWEEN = Term(
    geography.BORDER_BETWEEN,
    "Metres of border between units that no group holds together.",
    _count_border_between,
    _encode_border_between,
    configured=_borders_configured,
    label=N_("Border between groups (m)"),
)
