"""thidua: plan Vietnam's emulation clusters and blocks (cụm, khối thi đua).

The core is headless: importing it loads neither Textual nor OR-Tools (the solver is
imported when `solve` is first called).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from thidua.diff import PlanDiff, diff
from thidua.errors import PlanFileError, SolveError, ThiduaError
from thidua.files import dumps, load, loads, save
from thidua.model import Group, GroupResult, Pin, Plan, Role, RuleSettings, Staff, Unit
from thidua.rules import RULES, Rule, Violation, validate

if TYPE_CHECKING:
    from thidua.solver import SolveResult

__all__ = [
    "RULES",
    "Group",
    "GroupResult",
    "Pin",
    "Plan",
    "PlanDiff",
    "PlanFileError",
    "Role",
    "Rule",
    "RuleSettings",
    "SolveError",
    "Staff",
    "ThiduaError",
    "Unit",
    "Violation",
    "diff",
    "dumps",
    "load",
    "loads",
    "save",
    "solve",
    "validate",
]


def solve(
    plan: Plan, previous: Iterable[Plan] = (), time_limit: float | None = None, **options: Any
) -> SolveResult:
    """Propose next year's plan; see `thidua.solver.solve` for the options."""
    from thidua import solver  # OR-Tools loads only when a solve is asked for

    return solver.solve(plan, previous, time_limit=time_limit, **options)
