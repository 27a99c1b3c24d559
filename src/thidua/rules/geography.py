"""The geography soft rules: former districts kept whole, clusters connected, short borders.

Each check names its findings from `thidua.geography`'s counts; each encoding adds a penalty
term equal to that count, over the membership literals of `thidua.solver.variables.Encoding`
(CP-SAT is reached through `enc.model` only when a solve builds a model: importing the rules
never imports OR-Tools). A term is encoded only where the plan configures it with a positive
weight, and never in explanation mode (a soft rule cannot make a plan impossible).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from thidua import geography
from thidua.i18n import _, ngettext
from thidua.rules.base import RuleContext, Violation

if TYPE_CHECKING:
    from thidua.solver.variables import Encoding, Literal

__all__ = [
    "check_border_inside",
    "check_district_whole",
    "check_group_connected",
    "encode_border_inside",
    "encode_district_whole",
    "encode_group_connected",
]


def _unit(context: RuleContext, unit: str) -> str:
    found = context.plan.unit_by_id.get(unit)
    return found.name if found is not None else unit


def _group(context: RuleContext, group: str | None) -> str:
    if group is None:
        return _("no group")
    found = context.plan.group_by_id.get(group)
    return found.name if found is not None else group


def _units(context: RuleContext, units: tuple[str, ...], limit: int = 4) -> str:
    names = [_unit(context, unit) for unit in units[:limit]]
    if len(units) > limit:
        names.append(_("{count} more").format(count=len(units) - limit))
    return ", ".join(names)


def check_district_whole(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per former district split, naming each piece and its group."""
    for split in geography.district_splits(context.plan):
        where = "; ".join(
            _("{units} in {group}").format(units=_units(context, units), group=_group(context, g))
            for g, units in split.pieces
        )
        groups = tuple(g for g, _units_there in split.pieces if g is not None)
        yield Violation(
            "district-whole",
            (split.district, *groups),
            ngettext(
                "Former district {district} is cut into {count} piece: {where}",
                "Former district {district} is cut into {count} pieces: {where}",
                len(split.pieces),
            ).format(district=split.district, count=len(split.pieces), where=where),
        )


def check_group_connected(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per group not connected, naming its separate parts."""
    for found in geography.disconnected_groups(context.plan):
        parts = " | ".join(_units(context, part) for part in found.parts)
        yield Violation(
            "group-connected",
            (found.group, *(part[0] for part in found.parts[1:])),
            ngettext(
                "{group} is not connected: its members form {count} separate part ({parts})",
                "{group} is not connected: its members form {count} separate parts ({parts})",
                len(found.parts),
            ).format(group=_group(context, found.group), count=len(found.parts), parts=parts),
        )


def check_border_inside(context: RuleContext) -> Iterator[Violation]:
    """Soft: one finding per pair of groups sharing a border, with its length; the lengths
    add up to the border term (a unit in no group counts as its own side)."""
    plan = context.plan
    between: dict[tuple[str | None, str | None], list[int]] = {}
    for first, second, metres in geography.split_borders(plan):
        sides = sorted((plan.group_of(first) or "", plan.group_of(second) or ""))
        key = (sides[0] or None, sides[1] or None)
        between.setdefault(key, [0, 0])
        between[key][0] += metres
        between[key][1] += 1
    for (first, second), (metres, pairs) in between.items():
        yield Violation(
            "border-inside",
            tuple(g for g in (first, second) if g is not None),
            ngettext(
                "{first} and {second} share {km} km of border ({count} pair of units)",
                "{first} and {second} share {km} km of border ({count} pairs of units)",
                pairs,
            ).format(
                first=_group(context, first),
                second=_group(context, second),
                km=f"{metres / 1000:.2f}",
                count=pairs,
            ),
        )


def _weight(enc: Encoding, term: str) -> int:
    return int(getattr(enc.plan.rules.objective, term, 1))


def _active(enc: Encoding, term: str) -> bool:
    plan = enc.plan
    return not enc.explain and term in geography.geography_terms(plan) and _weight(enc, term) > 0


def encode_district_whole(enc: Encoding) -> None:
    """Per former district and group, a literal "the group holds some of its units"; the
    term is their sum minus one per district. A district of n units needs at least
    ceil(n / high) groups (a cut)."""
    if not _active(enc, geography.DISTRICT_PIECES):
        return
    model, plan = enc.model, enc.plan
    holders: dict[str, list[str]] = {}
    for unit, tags in geography.district_of(plan).items():
        for tag in tags:
            holders.setdefault(tag, []).append(unit)
    high = plan.rules.group_size[1]
    parts: list[Literal] = []
    constant = 0
    upper = 0
    for units in holders.values():
        by_group: dict[str, list[Literal]] = {}
        for unit in units:
            for group, literal in enc.groups_of(unit):
                by_group.setdefault(group, []).append(literal)
        touched = []
        for literals in by_group.values():
            touch = model.new_bool_var("")
            for literal in literals:
                model.add_implication(literal, touch)
            model.add(touch <= enc.total(literals))
            touched.append(touch)
        parts.extend(touched)
        constant += 1
        upper += max(len(touched) - 1, 0)
        if high > 0 and touched:
            enc.cut(enc.total(touched), min(math.ceil(len(units) / high), len(touched)))
    enc.add_soft_term(geography.DISTRICT_PIECES, enc.total(parts) - constant, upper)


def encode_group_connected(enc: Encoding) -> None:
    """Per group, a literal "not connected" (the term is their sum) and a flow: a root
    member sends one unit of flow to every other member (islands left out) along borders
    inside the group, unless the group is marked not connected."""
    if not _active(enc, geography.DISCONNECTED_GROUPS):
        return
    model, plan = enc.model, enc.plan
    graph = geography.neighbour_graph(plan)
    alone = geography.islands(plan, graph)
    flags = []
    for group in plan.groups:
        members = {u: lit for u, lit in enc.members_of(group.id) if u not in alone}
        if len(members) < 2:
            continue
        size = len(members)
        cut_off = model.new_bool_var("")
        flags.append(cut_off)
        net: dict[str, list[tuple[int, object]]] = {unit: [] for unit in members}
        for first, second in graph.subgraph(members).edges:
            for tail, head in ((first, second), (second, first)):
                flow = model.new_int_var(0, size - 1, "")
                model.add(flow <= (size - 1) * members[tail])
                model.add(flow <= (size - 1) * members[head])
                net[head].append((1, flow))
                net[tail].append((-1, flow))
        roots = []
        for unit, literal in members.items():
            root = model.new_bool_var("")
            model.add_implication(root, literal)
            roots.append(root)
            inflow = enc.total(sign * flow for sign, flow in net[unit])  # type: ignore[operator]
            # A member other than the root takes in one more unit of flow than it sends on.
            model.add(inflow >= literal - size * root - size * cut_off)
        model.add_at_most_one(roots)
    enc.add_soft_term(geography.DISCONNECTED_GROUPS, enc.total(flags), len(flags))


def encode_border_inside(enc: Encoding) -> None:
    """Every border's length minus the length of those some group holds together."""
    if not _active(enc, geography.BORDER_BETWEEN):
        return
    graph = geography.neighbour_graph(enc.plan)
    total = 0
    kept = []
    for first, second, metres in graph.edges(data="metres"):
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
    enc.add_soft_term(geography.BORDER_BETWEEN, total - enc.total(kept), total)
