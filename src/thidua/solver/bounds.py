"""The proven lower bounds of a solve's terms, known before any CP-SAT search.

Moves and the size spread come from the membership flow (`thidua.solver.flow`, through
`start.membership_start`, which also knows what rotation and succession ask of membership),
staff changes from the exact greedy count (`start.staff_start`), and the cohesion terms from
the decomposition of the kinds whose groups are interchangeable (`thidua.solver.grouping`).
Each is a lower bound over every plan, or over the plans at the optimum of the terms before it
where the bound says so (the spread given the fewest moves, a decomposed kind's spread given
its cohesion). `Bounds.certificate` turns them into the limits that prove a plan optimal: any
plan meeting them all is (see `thidua.solver.solve`, step 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from thidua import cohesion, terms
from thidua.model import Plan
from thidua.solver.grouping import KindGrouping
from thidua.solver.start import MembershipStart, StaffStart

__all__ = ["Bounds"]


class Bounds:
    """The lower bounds of `names` (the plan's terms; `soft` the active cohesion ones).

    Filled in as the solve learns them: `membership` and `staff` from the starting plan,
    `groupings` from the decomposition and `flow_spread` (the flow's spread per kind, which a
    decomposed kind replaces with its own).
    """

    def __init__(self, plan: Plan, names: Sequence[str], soft: Sequence[str]) -> None:
        self.plan = plan
        self.settings = plan.rules.objective
        self.names = tuple(names)
        self.soft = tuple(soft)
        self.membership = MembershipStart({}, 0)
        self.staff = StaffStart({}, {}, 0)
        self.groupings: dict[str, KindGrouping] = {}
        self.flow_spread: dict[str, int] = {}

    def weight(self, name: str) -> int:
        return terms.weight(self.settings, name)

    def certificate(self) -> dict[str, int] | None:
        """Upper limits on the active terms (or on "weighted") that prove optimality together.

        Lexicographically: each term at its lower bound, the spread's taken among the plans
        with the fewest moves (and, for a decomposed kind, the best cohesion), which the
        earlier limits guarantee. Weighted: the sum at its lower bound. None when a term has
        no bound: a cohesion term that varies on a kind the decomposition did not settle.
        """
        soft: dict[str, int] = {}
        for name in self.soft:
            limit = self.soft_limit(name)
            if limit is None:
                return None
            soft[name] = limit
        if any(not grouping.proven for grouping in self.groupings.values()):
            return None
        membership, staff_changes = self.membership, self.staff.changes
        if not self.settings.lexicographic:
            if membership.weighted is None:
                return None
            constant = sum(self.weight(name) * value for name, value in soft.items())
            return {
                "weighted": membership.weighted
                + self.settings.staff_changes * staff_changes
                + constant
            }
        if self.weight("spread") > 0 and membership.spread is None:
            return None
        bounds = {
            "moves": membership.moves,
            "staff_changes": staff_changes,
            **soft,
            "spread": self.spread(),
        }
        active = [name for name in self.names if self.weight(name) > 0]
        if any(name not in bounds for name in active):
            return None  # a soft term without a known bound
        return {name: bounds[name] for name in active}

    def spread(self) -> int:
        """The flow's spread bound, with each decomposed kind's share replaced by its own."""
        spread = self.membership.spread or 0
        for kind, grouping in self.groupings.items():
            spread += grouping.bounds["spread"] - self.flow_spread.get(kind, 0)
        return spread

    def soft_constant(self, name: str) -> int:
        """The part of a cohesion term that no plan changes: the neighbour pairs across kinds
        (a group holds one kind); tag cohesion has none."""
        if name != cohesion.NEIGHBOUR_COHESION:
            return 0
        units = self.plan.unit_by_id
        return sum(
            units[first].kind != units[second].kind
            for first, second in cohesion.neighbour_pairs(self.plan)
        )

    def soft_limit(self, name: str) -> int | None:
        """A cohesion term's optimum, when every kind it varies on was decomposed."""
        total = self.soft_constant(name)
        for kind in cohesion.kinds_in_play(self.plan, name):
            grouping = self.groupings.get(kind)
            if grouping is None:
                return None
            total += grouping.values[name]
        return total

    def settled(self) -> bool:
        """Whether the decomposition covers every kind an active cohesion term varies on."""
        return bool(self.groupings) and all(
            kind in self.groupings
            for name in self.soft
            for kind in cohesion.kinds_in_play(self.plan, name)
        )

    def known(self) -> dict[str, int]:
        """Every active term's lower bound as known before any CP-SAT search."""
        return {name: self.lower(name) for name in self.names if self.weight(name) > 0}

    def meets(self, values: Mapping[str, int], limits: Mapping[str, int]) -> bool:
        if "weighted" in limits:
            total = sum(self.weight(name) * value for name, value in values.items())
            return total <= limits["weighted"]
        return all(values[name] <= limit for name, limit in limits.items())

    def lower(self, name: str) -> int:
        """A lower bound on a term: valid for every plan, or for those at the optimum of the
        terms before it where the bound says so (the spread, a decomposed kind's terms)."""
        if name == "moves":
            return self.membership.moves
        if name == "staff_changes":
            return self.staff.changes
        if name in cohesion.SOFT_TERMS:
            total = self.soft_constant(name)
            for grouping in self.groupings.values():
                total += grouping.bounds[name]
            return total
        if name != "spread":
            return 0  # a soft term without a known bound
        membership = self.membership
        if self.groupings:
            return self.spread()
        return 0 if membership.spread_given_moves else (membership.spread or 0)
