"""The objective's terms, counted on a plan as it stands (contract §3, and the soft rules').

The solver minimises these; the terminal interface shows them live while a planner edits, so
they are computed here from the plan alone, in time proportional to its size. Besides the
contract's three terms, a plan that configures cohesion (`rules.cohesion_tags`, `neighbours`)
has the soft rules' terms too (`thidua.cohesion`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from thidua import cohesion, geography
from thidua.model import Plan
from thidua.rules import RuleContext

__all__ = [
    "PRIORITY",
    "SOFT_TERMS",
    "TERMS",
    "evaluate_terms",
    "moved_units",
    "spread_by_kind",
    "staff_changes",
    "terms_of",
]

# The contract's terms in its order of priority; the names match `ObjectiveSettings` fields.
TERMS = ("moves", "staff_changes", "spread")
SOFT_TERMS = cohesion.SOFT_TERMS
# Every term in the order a lexicographic solve minimises them. Cohesion ranks before the
# size spread: what a group is (one former province, neighbours together) matters more to
# planners than a member more or less, and the group size rule already bounds the spread.
# Against the contract's order nothing changes: it still ranks moves, staff, spread.
PRIORITY = ("moves", "staff_changes", *SOFT_TERMS, "spread")


def terms_of(plan: Plan) -> tuple[str, ...]:
    """The terms reported for `plan`, in order of priority: the contract's, and the soft
    rules' terms the plan configures."""
    configured = set(TERMS) | set(cohesion.soft_terms(plan))
    return tuple(name for name in PRIORITY if name in configured)


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
    Filling a post `last` left empty is not a change: nobody in charge was replaced.
    """
    changes = []
    for group in plan.groups:
        before = last.group_by_id.get(group.id)
        if before is None:
            continue
        if before.leader is not None and before.leader != group.leader:
            changes.append((group.id, "leader"))
        if before.officer is not None and before.officer != group.officer:
            changes.append((group.id, "officer"))
    return tuple(changes)


def spread_by_kind(plan: Plan) -> dict[str, int]:
    """For each kind of group, the largest group's member count minus the smallest's."""
    sizes: defaultdict[str, list[int]] = defaultdict(list)
    for group in plan.groups:
        sizes[group.kind].append(len(group.members))
    return {kind: max(values) - min(values) for kind, values in sizes.items()}


def evaluate_terms(plan: Plan, previous: Iterable[Plan] = ()) -> dict[str, int]:
    """The objective's terms for `plan`, in order of priority: moves and staff changes against
    the most recent of `previous` (zero without one), the cohesion terms the plan configures
    (members outside their group's majority tag, neighbour pairs split), and the size spread
    summed over the kinds of group."""
    last = RuleContext(plan, tuple(previous)).last
    values = {
        "moves": len(moved_units(plan, last)) if last is not None else 0,
        "staff_changes": len(staff_changes(plan, last)) if last is not None else 0,
        cohesion.TAG_COHESION: cohesion.tag_cohesion(plan),
        cohesion.NEIGHBOUR_COHESION: cohesion.neighbour_cohesion(plan),
        "spread": sum(spread_by_kind(plan).values()),
    }
    if geography.geography_terms(plan):
        values.update(geography.evaluate(plan))
    return {name: values[name] for name in terms_of(plan)}
