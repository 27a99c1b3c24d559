"""The CP-SAT solver: next year's plan, optimal, explained (imported lazily by `thidua.solve`).

Modules by concern: `variables` (the literals and the helpers rules encode with),
`constraints` (every rule encodes itself), `objective` (the contract's terms and the
lexicographic stages), `start` (a starting plan and choices that need no search), `flow` (the
membership optimum per kind), `grouping` (a first grouping by cohesion, then balance, by
decomposition), `solve` (parameters, stages, progress, cancel), `result` (what a solve
returns), `explain` (why units moved; conflicts when no plan exists).
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
