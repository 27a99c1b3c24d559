"""Running CP-SAT within the solve's deadline: a worker thread, progress, cancel, Ctrl+C.

CP-SAT runs in a worker thread: the calling thread delivers progress, watches `cancel` and
Ctrl+C, and repeats `stop_search()` until the solve returns (a stop asked before CP-SAT's
search starts would otherwise be lost). Building a model takes time and memory in proportion to
its candidate pairs (`Scope`), measured on the benchmark drafts at 15 to 18 µs and about 1.1 kB
per pair before CP-SAT's own copy; `Runner.fits` refuses a model that would overrun the time
left or `MAX_PAIRS`, so that every phase of a solve keeps to the deadline and the memory bound.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Protocol

import attrs

from thidua.errors import SolveError
from thidua.i18n import _
from thidua.solver.backend import cp_model
from thidua.solver.encoding import Scope
from thidua.solver.result import Progress

__all__ = [
    "BUILD_SECONDS_PER_PAIR",
    "MAX_PAIRS",
    "Runner",
    "RunnerLike",
    "scope_pairs",
    "time_share",
]

# Seconds to build one candidate pair of a model, with a margin over the 15-18 µs measured.
BUILD_SECONDS_PER_PAIR = 25e-6
# The most candidate pairs one model may have: about 0.5 GB to build, a few times that in
# CP-SAT, which keeps a solve well within 2 GB.
MAX_PAIRS = 400_000


def scope_pairs(scope: Scope) -> int:
    """The candidate (unit, group) and (person, group) pairs of `scope`."""
    units = sum(len(groups) for groups in scope.groups_of_unit.values())
    return units + sum(len(people) for people in scope.staff_of_group.values())


class RunnerLike(Protocol):
    """What the decompositions (`grouping`, `districts`) need of a `Runner`: a protocol, so
    their tests can pass a stand-in."""

    def run(
        self,
        model: cp_model.CpModel,
        stage: str | None,
        *,
        workers: int | None = None,
        time_limit: float | None = None,
        hinted: bool = True,
    ) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]: ...

    def remaining(self) -> float | None: ...

    def stopped(self) -> bool: ...


def time_share(runner: RunnerLike, pending: int) -> float | None:
    """An even share of the time left among `pending` solves (None: no time limit)."""
    remaining = runner.remaining()
    if remaining is None:
        return None
    return float(max(remaining / max(pending, 1), 0.01))


@attrs.frozen
class _Options:
    workers: int | None
    seed: int
    on_progress: Callable[[Progress], None] | None
    cancel: threading.Event | None


class Runner:
    """Runs CP-SAT solves within one deadline, with progress, cancel and Ctrl+C.

    `time_limit` bounds everything from the runner's creation: models are only built when
    they fit in the time and memory left (`fits`), and each solve gets what remains.
    """

    def __init__(
        self,
        *,
        time_limit: float | None = None,
        workers: int | None = None,
        seed: int = 0,
        on_progress: Callable[[Progress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.options = _Options(workers, seed, on_progress, cancel)
        self.started = time.monotonic()
        self.deadline = None if time_limit is None else self.started + time_limit
        self.interrupted = False
        self._lock = threading.Lock()
        self._pending: Progress | None = None

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def stopped(self) -> bool:
        """Cancelled, interrupted, or out of time: no further solve should start."""
        if self.options.cancel is not None and self.options.cancel.is_set():
            self.interrupted = True
        remaining = self.remaining()
        return self.interrupted or (remaining is not None and remaining <= 0)

    def fits(self, scope: Scope) -> bool:
        """Whether a model of `scope` can be built in the memory allowed and the time left."""
        pairs = scope_pairs(scope)
        remaining = self.remaining()
        return pairs <= MAX_PAIRS and (
            remaining is None or pairs * BUILD_SECONDS_PER_PAIR < remaining
        )

    def post(self, progress: Progress) -> None:
        """Called from the solver's thread; the calling thread delivers it."""
        with self._lock:
            self._pending = progress

    def report(self, progress: Progress) -> None:
        """Progress found without CP-SAT, delivered at once (the calling thread's)."""
        self.post(progress)
        self._deliver()

    def _deliver(self) -> None:
        with self._lock:
            progress, self._pending = self._pending, None
        if progress is not None and self.options.on_progress is not None:
            self.options.on_progress(progress)

    def run(
        self,
        model: cp_model.CpModel,
        stage: str | None,
        *,
        workers: int | None = None,
        time_limit: float | None = None,
        hinted: bool = True,
    ) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
        """Solve `model` in a worker thread; `stage` names it in progress reports."""
        solver = cp_model.CpSolver()
        parameters = solver.parameters
        parameters.num_workers = workers or self.options.workers or min(8, os.cpu_count() or 1)
        parameters.random_seed = self.options.seed
        # The calling thread handles Ctrl+C; CP-SAT's own handler would swallow it.
        parameters.catch_sigint_signal = False
        if hinted:
            # CP-SAT's presolve spends seconds carrying a complete hint through the symmetries
            # of these models (the units of a group are interchangeable), far longer than the
            # solve itself once the lower bounds are in the model.
            parameters.symmetry_level = 0
        limit = self.remaining() if time_limit is None else time_limit
        if limit is not None:
            parameters.max_time_in_seconds = max(limit, 0.001)
        callback = None
        if stage is not None and self.options.on_progress is not None:
            from thidua.solver.callback import Callback  # a subclass of CP-SAT's

            callback = Callback(self.post, self.elapsed, stage)
            solver.best_bound_callback = callback.on_bound
        outcome: dict[str, object] = {}
        # Set when the solve has returned. Waiting on an event rather than joining the thread:
        # a Ctrl+C that interrupts `Thread.join` can leave the thread marked as stopped while
        # CP-SAT still runs (Python 3.11), and its result would then be read too early.
        done = threading.Event()

        def target() -> None:
            try:
                outcome["status"] = solver.solve(model, callback)
            except BaseException as error:  # re-raised in the calling thread below
                outcome["error"] = error
            finally:
                done.set()

        thread = threading.Thread(target=target, name="thidua-cp-sat", daemon=True)
        thread.start()
        try:
            while not done.wait(0.02):
                self._deliver()
                if self.options.cancel is not None and self.options.cancel.is_set():
                    self.interrupted = True
                    solver.stop_search()
        except KeyboardInterrupt:
            self.interrupted = True
            self._stop(done, solver)
        except BaseException:
            # Anything else stopping the caller (an abort, SystemExit): stop CP-SAT first, so
            # that no search runs on in a thread nobody waits for.
            self._stop(done, solver)
            raise
        self._deliver()
        error = outcome.get("error")
        if isinstance(error, BaseException):
            raise SolveError(_("the CP-SAT solver failed: {error}").format(error=error)) from error
        status = outcome["status"]
        assert isinstance(status, cp_model.CpSolverStatus)
        return status, solver

    @staticmethod
    def _stop(done: threading.Event, solver: cp_model.CpSolver) -> None:
        while not done.is_set():
            solver.stop_search()
            done.wait(0.02)
