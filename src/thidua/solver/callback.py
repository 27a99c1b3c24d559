"""Progress from CP-SAT's search: the callback `Runner.run` gives a solve with a stage.

A module of its own: its class derives from CP-SAT's, which is loaded only when a model is
solved (`thidua.solver.backend`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from thidua.solver.backend import cp_model
from thidua.solver.result import Progress

__all__ = ["Callback"]


class Callback(cp_model.CpSolverSolutionCallback):
    """Posts each solution's and each bound's progress (`post`), `elapsed` giving the time."""

    def __init__(
        self, post: Callable[[Progress], None], elapsed: Callable[[], float], stage: str
    ) -> None:
        super().__init__()
        self.post = post
        self.elapsed = elapsed
        self.stage = stage
        self.objective = math.inf
        self.bound = -math.inf

    def on_solution_callback(self) -> None:
        self.objective = self.objective_value
        self.bound = max(self.bound, self.best_objective_bound)
        self.post(Progress(self.objective, self.bound, self.elapsed(), self.stage))

    def on_bound(self, bound: float) -> None:
        self.bound = max(self.bound, bound)
        self.post(Progress(self.objective, self.bound, self.elapsed(), self.stage))
