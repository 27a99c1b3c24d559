"""The CP-SAT solver: next year's plan, optimal, explained (imported lazily by `thidua.solve`).

Modules by concern: `encoding` (the model of a plan: its literals, the helpers rules and
terms encode with through `thidua.rules.Encoder`, and every rule encoding itself), `objective`
(the terms of `thidua.terms` as variables, and the lexicographic stages), `symmetry`
(interchangeable groups), `start` (a starting plan and choices that need no search), `flow` (the
membership optimum per kind), `grouping` (a first grouping by cohesion, then balance, by
decomposition), `solve` (parameters, stages, progress, cancel), `result` (what a solve
returns), `explain` (why units moved; conflicts when no plan exists), `backend` (CP-SAT's
module, loaded at the first model built, without pandas).
"""

from thidua.solver.result import (
    Alternative,
    Conflict,
    MoveReason,
    Progress,
    SolveResult,
    SolveStatus,
    Term,
)
from thidua.solver.solve import SolveOptions, solve, solve_with

__all__ = [
    "Alternative",
    "Conflict",
    "MoveReason",
    "Progress",
    "SolveOptions",
    "SolveResult",
    "SolveStatus",
    "Term",
    "solve",
    "solve_with",
]
