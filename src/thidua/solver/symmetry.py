"""Symmetry, in one place: which groups are interchangeable, how a model forgets their
labels, and how a plan is relabelled to match.

Groups of one kind with the same bounds, no pin, no member in the baseline and no chair
history can be permuted without changing any rule or term: every plan has as many equally
good twins as there are permutations. The solver keeps one of each set (`value_precedence`,
added by `Encoding.break_symmetry`); plans given to a model with broken symmetry (hints,
exclusions) are first relabelled the same way (`canonical`). The decomposition of a first
grouping (`thidua.solver.grouping`) relies on the same interchangeability.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from thidua.model import Group, PinKind, Plan
from thidua.rules import RuleContext
from thidua.rules.checks import designated_successor, rotation_barred
from thidua.solver.backend import cp_model

__all__ = ["canonical", "interchangeable_groups", "value_precedence"]


def interchangeable_groups(context: RuleContext, baseline: Plan) -> dict[str, tuple[str, ...]]:
    """Per kind, its groups that a relabelling may permute without changing anything.

    A group qualifies when no unit or chair pin names it, no unit of the plan was its member in
    the baseline (moves would tell it apart), and no chair rule singles out one of the plan's
    units for it (rotation, succession). Staff pins do not matter: staff never depends on
    membership, and a relabelling moves members and chairs only.
    """
    plan = context.plan
    pinned = {pin.group for pin in plan.pins if pin.kind is not PinKind.STAFF}
    held = {baseline.group_of(unit.id) for unit in plan.units} - {None}
    found: dict[str, list[str]] = {}
    for group in plan.groups:
        if group.id in pinned or group.id in held:
            continue
        if designated_successor(context, group.id) is not None:
            continue
        if rotation_barred(context, group.id) & set(plan.unit_by_id):
            continue
        found.setdefault(group.kind, []).append(group.id)
    return {kind: tuple(groups) for kind, groups in found.items()}


def value_precedence(model: cp_model.CpModel, rows: Sequence[Sequence[cp_model.IntVar]]) -> None:
    """Constrain `rows` (per unit in order, its membership literal for each interchangeable
    group in order) so that the k-th unit may join group j only if an earlier unit joined
    group j - 1: of every relabelling of the groups, one plan is left."""
    # seen[j]: a unit so far joined groups[j] (None: none can have, it is false).
    count = len(rows[0]) if rows else 0
    seen: list[cp_model.IntVar | None] = [None] * count
    for index, row in enumerate(rows):
        for j in range(1, count):
            earlier = seen[j - 1]
            if j > index or earlier is None:
                model.add(row[j] == 0)
            else:
                model.add_implication(row[j], earlier)
        if index == len(rows) - 1:
            break
        for j in range(min(index + 1, count - 1)):
            earlier = seen[j]
            if earlier is None:
                seen[j] = row[j]
                continue
            either = model.new_bool_var("")
            model.add_implication(row[j], either)
            model.add_implication(earlier, either)
            model.add_bool_or([row[j], earlier, either.negated()])
            seen[j] = either


def canonical(plan: Plan, groups: Sequence[str]) -> Plan:
    """`plan` with the memberships (and chairs, deputies) of `groups` relabelled so that their
    first members come in the plan's unit order, as `Encoding.break_symmetry` demands.

    People in charge stay with their group: membership and staff are independent, so only the
    membership side is relabelled. An empty group goes last.
    """
    position = {unit.id: index for index, unit in enumerate(plan.units)}
    current = [plan.group_by_id[group] for group in groups if group in plan.group_by_id]
    if len(current) != len(groups):
        return plan

    def first(group: Group) -> int:
        return min((position.get(m, len(position)) for m in group.members), default=len(position))

    ordered = sorted(current, key=first)
    if [g.id for g in ordered] == list(groups):
        return plan
    moved = {
        target: attrs.evolve(
            plan.group_by_id[target],
            members=source.members,
            chair=source.chair,
            deputy=source.deputy,
        )
        for target, source in zip(groups, ordered, strict=True)
    }
    return attrs.evolve(plan, groups=[moved.get(g.id, g) for g in plan.groups])
