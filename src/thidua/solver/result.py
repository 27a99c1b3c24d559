"""What a solve returns: the project's own values, never an OR-Tools object."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from thidua.diff import PlanDiff
from thidua.model import Pin, Plan

__all__ = [
    "Alternative",
    "Conflict",
    "MoveReason",
    "Progress",
    "SolveResult",
    "SolveStatus",
    "Term",
]


class SolveStatus(enum.StrEnum):
    OPTIMAL = "optimal"  # a plan, proven best for every term
    FEASIBLE = "feasible"  # a plan breaking no rule, not proven best (time limit, cancel)
    INFEASIBLE = "infeasible"  # no plan satisfies the rules and pins: see `conflict`
    UNKNOWN = "unknown"  # no plan found and none ruled out (time limit, cancel)


@attrs.frozen
class Progress:
    """A report during the search: the stage's best objective so far and its bound.

    `stage` names the objective term being minimised ("moves", "staff_changes",
    "tag_cohesion", "neighbour_cohesion", "spread"),
    "weighted" for a weighted sum, or several names joined by "+" when one solve settles them
    together. `objective` is inf until the stage's first solution, `bound` -inf until its
    first bound. Delivered in the thread that called `solve`, at most every 20 ms.
    """

    objective: float
    bound: float
    elapsed: float
    stage: str


@attrs.frozen
class Term:
    """One objective term of the proposed plan: its value, proven lower bound and weight."""

    name: str
    value: int
    bound: int
    weight: int

    @property
    def proven(self) -> bool:
        return self.value <= self.bound

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "bound": self.bound,
            "gap": self.value - self.bound,
            "weight": self.weight,
            "proven": self.proven,
        }


@attrs.frozen
class MoveReason:
    """Why a unit left the group that held it.

    `why` holds rule ids, "pin", "group-removed", or the objective's "spread" (or "objective"
    when no single rule or term forces the move); `message` says it in a planner's words.
    """

    unit: str
    from_group: str
    to_group: str | None
    why: tuple[str, ...]
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "from": self.from_group,
            "to": self.to_group,
            "why": list(self.why),
            "message": self.message,
        }


@attrs.frozen
class Conflict:
    """One member of a set of rules and pins that no plan can satisfy together.

    `rule` is a rule id of the registry; `pins-kept` for a pin (then `pin` is set); `subjects`
    are the ids involved; `message` says it in a planner's words.
    """

    rule: str
    subjects: tuple[str, ...]
    message: str
    pin: Pin | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "subjects": list(self.subjects), "message": self.message}


@attrs.frozen
class Alternative:
    """A further plan: its terms, what it changes from the first plan, and why each unit it
    moves moved (as `SolveResult.reasons` for the first plan)."""

    plan: Plan
    terms: tuple[Term, ...]
    diff: PlanDiff
    reasons: tuple[MoveReason, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "terms": {term.name: term.to_json() for term in self.terms},
            "diff": self.diff.to_json(),
            "moves": [reason.to_json() for reason in self.reasons],
        }


@attrs.frozen
class SolveResult:
    """The outcome of `thidua.solve`.

    With a plan (OPTIMAL or FEASIBLE), `plan` breaks no hard rule and keeps every pin;
    `terms` gives each objective term with its bound, `reasons` why each moved unit moved.
    `interrupted` marks a search stopped by `cancel` or Ctrl+C: the plan is the best found so
    far, proven optimal only if it already met the lower bounds. INFEASIBLE comes with
    `conflict`, the smallest set of rules and pins found that cannot hold together.
    """

    status: SolveStatus
    plan: Plan | None = None
    terms: tuple[Term, ...] = ()
    proven_optimal: bool = False
    interrupted: bool = False
    wall_time: float = 0.0
    reasons: tuple[MoveReason, ...] = ()
    conflict: tuple[Conflict, ...] = ()
    alternatives: tuple[Alternative, ...] = ()

    @property
    def objective(self) -> int:
        """The weighted sum of the terms' values."""
        return sum(term.weight * term.value for term in self.terms)

    @property
    def bound(self) -> int:
        """The weighted sum of the terms' bounds (equal to `objective` when proven optimal)."""
        return sum(term.weight * term.bound for term in self.terms)

    def term(self, name: str) -> Term:
        return next(term for term in self.terms if term.name == name)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "proven_optimal": self.proven_optimal,
            "interrupted": self.interrupted,
            "wall_time": round(self.wall_time, 3),
            "terms": {term.name: term.to_json() for term in self.terms},
            "objective": self.objective,
            "bound": self.bound,
            "moves": [reason.to_json() for reason in self.reasons],
            "conflict": [conflict.to_json() for conflict in self.conflict],
            "alternatives": [alternative.to_json() for alternative in self.alternatives],
        }
