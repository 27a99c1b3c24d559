"""The default objective's terms, counted on a plan as it stands (contract §3).

The solver minimises these; the terminal interface shows them live while a planner edits, so
they are computed here from the plan alone, in time proportional to its size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from thidua.model import Plan
from thidua.rules import RuleContext

__all__ = ["TERMS", "evaluate_terms", "moved_units", "spread_by_kind", "staff_changes"]

# The terms in the contract's order of priority; the names match `ObjectiveSettings` fields.
TERMS = ("moves", "staff_changes", "spread")


def moved_units(plan: Plan, last: Plan) -> tuple[str, ...]:
    """Units that `last` placed in a group and `plan` no longer has in that group.

    Units new this year count nothing wherever they go; nor do units `last` left unplaced.
    """
    moved = []
    for unit in plan.units:
        before = last.group_of(unit.id)
        if before is not None and before not in plan.groups_of_unit.get(unit.id, ()):
            moved.append(unit.id)
    return tuple(moved)


def staff_changes(plan: Plan, last: Plan) -> tuple[tuple[str, str], ...]:
    """(group, "leader" or "officer") for each person in charge who differs from `last`'s.

    A group new this year counts nothing; one whose leader and officer both changed counts two.
    """
    changes = []
    for group in plan.groups:
        before = last.group_by_id.get(group.id)
        if before is None:
            continue
        if before.leader != group.leader:
            changes.append((group.id, "leader"))
        if before.officer != group.officer:
            changes.append((group.id, "officer"))
    return tuple(changes)


def spread_by_kind(plan: Plan) -> dict[str, int]:
    """For each kind of group, the largest group's member count minus the smallest's."""
    sizes: defaultdict[str, list[int]] = defaultdict(list)
    for group in plan.groups:
        sizes[group.kind].append(len(group.members))
    return {kind: max(values) - min(values) for kind, values in sizes.items()}


def evaluate_terms(plan: Plan, previous: Iterable[Plan] = ()) -> dict[str, int]:
    """The objective's terms for `plan`: moves and staff changes against the most recent of
    `previous` (zero without one), and the size spread summed over the kinds of group."""
    last = RuleContext(plan, tuple(previous)).last
    return {
        "moves": len(moved_units(plan, last)) if last is not None else 0,
        "staff_changes": len(staff_changes(plan, last)) if last is not None else 0,
        "spread": sum(spread_by_kind(plan).values()),
    }
