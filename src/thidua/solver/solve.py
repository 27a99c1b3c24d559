"""The solve: from a draft and the previous plans to the plan that changes least.

How it proves optimality fast. The terms split along what they depend on: moves and size
spread on membership only, staff changes on staff only, and no rule ties the two (chairs are
members, but no term counts chairs). Each part has an exact combinatorial answer of its own
if the chair rules are left aside: membership per kind is a transportation problem between
groups (`thidua.solver.flow`: the fewest moves, the smallest spread with them, or the best
(moves, spread) trade-off for a weighted sum), staff a greedy count (`start.staff_start`).
Leaving rules aside can only lower the optimum, so these are lower bounds; together with
chairs chosen by preference they also make a starting plan that meets them
(`start.membership_start`, which also accounts for units the chair rules force out).

1. Certify. A small model keeps only the pairs the starting plan and the baseline use
   (`Scope.around`) and demands every active term at its lower bound. Any solution is then
   optimal for the whole problem, whatever the restriction left out, because nothing beats a
   lower bound; CP-SAT only confirms that the chair rules hold. That is the usual case.
2. Otherwise (the chair rules cost something the bounds ignore, or a term has no bound), the
   kinds the starting plan got wrong get every pair (`_widen`; all of them for `exhaustive`)
   and the terms are minimised one stage at a time, hinted with the best plan so far, with
   the lower bounds as cuts so that CP-SAT stops as soon as it reaches them. Interchangeable
   groups (`symmetry.interchangeable_groups`) of small kinds have their symmetry broken, and
   of every kind when looking for alternatives, so that a relabelling is never offered as
   another plan.

The cohesion terms of the soft rules have no flow bound. Where they cannot vary (the plan
does not configure them, a zero weight, no two tags or no neighbour pair within a kind) they
are constants and step 1 proceeds as above. Where they vary on a kind whose groups are all
interchangeable, as in a first grouping, `thidua.solver.grouping` settles that kind's
membership exactly by decomposition (cohesion first, then the spread), and its optimum serves
as the kind's bound; a decomposition stopped by the time limit gives the plan it found with
its bounds, and the gap shows. Anywhere else the terms are left to step 2.

Either way, the chairs of the plan found are then chosen by preference (`start.choose_chairs`),
which cannot change any term. CP-SAT runs in a worker thread: the calling thread delivers
progress, watches `cancel` and Ctrl+C, and repeats `stop_search()` until the solve returns (a
stop asked before CP-SAT's search starts would otherwise be lost).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping

import attrs
from ortools.sat.python import cp_model

from thidua import cohesion, terms
from thidua.diff import diff
from thidua.edits import requested_groups
from thidua.errors import SolveError
from thidua.i18n import _
from thidua.model import Plan
from thidua.rules import RULES, Concern, RuleContext, validate
from thidua.solver.encoding import Encoding, Scope, encode_rules
from thidua.solver.explain import find_core, move_reasons, precheck
from thidua.solver.grouping import KindGrouping, first_groupings
from thidua.solver.objective import Objective
from thidua.solver.result import Alternative, Progress, SolveResult, SolveStatus, Term
from thidua.solver.start import (
    MembershipStart,
    StaffStart,
    assemble,
    choose_chairs,
    membership_start,
    staff_start,
    starting_plan,
)
from thidua.solver.symmetry import interchangeable_groups

__all__ = ["SolveOptions", "solve", "solve_with"]

_SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)
_STAFF = frozenset({Concern.LEADER, Concern.OFFICER})
# The rules about the people in charge alone: breaking one leaves the membership as it is.
_STAFF_RULES = frozenset(rule.id for rule in RULES if rule.concerns and rule.concerns <= _STAFF)
# Above this many (person, group) pairs, alternatives do not free every person at first.
_CHEAP_STAFF_PAIRS = 50_000
# How long an explanation may take when the time limit is already spent.
_EXPLAIN_TIME = 10.0
# Up to this many (unit, group) pairs among a kind's interchangeable groups, the main solve
# breaks their symmetry (see `_optimise`).
_SYMMETRY_PAIRS = 1_000


@attrs.frozen
class SolveOptions:
    """The options of `solve`, and `exhaustive` for tests: skip the certificate (step 1)."""

    time_limit: float | None = None
    workers: int | None = None
    seed: int = 0
    alternatives: int = 0
    on_progress: Callable[[Progress], None] | None = None
    cancel: threading.Event | None = None
    exhaustive: bool = False


def solve(
    plan: Plan,
    previous: Iterable[Plan] = (),
    *,
    time_limit: float | None = None,
    workers: int | None = None,
    seed: int = 0,
    alternatives: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
) -> SolveResult:
    """Propose the plan for `plan`'s year that breaks no rule, keeps every pin, changes least.

    `plan` is the draft: its units, staff, rules and pins are the new year's, its groups the
    starting point. `previous` are earlier years' plans; moves and staff changes count against
    the most recent (without any, against the draft's own groups). `time_limit` bounds the
    whole call in seconds; `workers` is CP-SAT's thread count (default: the cores, at most 8);
    with `workers=1` a `seed` gives the same plan on every run. `alternatives=K` asks for up
    to K further plans, best first. `on_progress` is called in the calling thread as the
    search improves; setting `cancel` (or Ctrl+C) stops it with the best plan so far.
    """
    options = SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        alternatives=alternatives,
        on_progress=on_progress,
        cancel=cancel,
    )
    return solve_with(plan, previous, options)


def solve_with(plan: Plan, previous: Iterable[Plan], options: SolveOptions) -> SolveResult:
    """`solve` with its options in one value."""
    earlier = tuple(previous)
    for other in earlier:
        if other.year >= plan.year:
            raise SolveError(
                _(
                    "the previous plan of {year} is not earlier than the draft's year {draft}"
                ).format(year=other.year, draft=plan.year)
            )
    if options.time_limit is not None and options.time_limit <= 0:
        raise SolveError(
            _("the time limit must be positive, not {value}").format(value=options.time_limit)
        )
    if options.workers is not None and options.workers < 1:
        raise SolveError(_("workers must be 1 or more, not {value}").format(value=options.workers))
    if options.alternatives < 0:
        raise SolveError(
            _("alternatives must be 0 or more, not {value}").format(value=options.alternatives)
        )
    return _Solve(RuleContext(requested_groups(plan), earlier), options).run()


# --------------------------------------------------------------------------------------------
# Running CP-SAT


class _Runner:
    """Runs CP-SAT solves within one deadline, with progress, cancel and Ctrl+C."""

    def __init__(self, options: SolveOptions) -> None:
        self.options = options
        self.started = time.monotonic()
        self.deadline = None if options.time_limit is None else self.started + options.time_limit
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

    def post(self, progress: Progress) -> None:
        """Called from the solver's thread; the calling thread delivers it."""
        with self._lock:
            self._pending = progress

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
            callback = _Callback(self, stage)
            solver.best_bound_callback = callback.on_bound
        outcome: dict[str, object] = {}

        def target() -> None:
            try:
                outcome["status"] = solver.solve(model, callback)
            except Exception as error:  # re-raised in the calling thread below
                outcome["error"] = error

        thread = threading.Thread(target=target, name="thidua-cp-sat", daemon=True)
        thread.start()
        try:
            while thread.is_alive():
                thread.join(0.02)
                self._deliver()
                if self.options.cancel is not None and self.options.cancel.is_set():
                    self.interrupted = True
                    solver.stop_search()
        except KeyboardInterrupt:
            self.interrupted = True
            while thread.is_alive():
                solver.stop_search()
                thread.join(0.02)
        self._deliver()
        error = outcome.get("error")
        if isinstance(error, Exception):
            raise SolveError(_("the CP-SAT solver failed: {error}").format(error=error)) from error
        status = outcome["status"]
        assert isinstance(status, cp_model.CpSolverStatus)
        return status, solver


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, runner: _Runner, stage: str) -> None:
        super().__init__()
        self.runner = runner
        self.stage = stage
        self.objective = math.inf
        self.bound = -math.inf

    def on_solution_callback(self) -> None:
        self.objective = self.objective_value
        self.bound = max(self.bound, self.best_objective_bound)
        self.runner.post(Progress(self.objective, self.bound, self.runner.elapsed(), self.stage))

    def on_bound(self, bound: float) -> None:
        self.bound = max(self.bound, bound)
        self.runner.post(Progress(self.objective, self.bound, self.runner.elapsed(), self.stage))


# --------------------------------------------------------------------------------------------
# The solve


@attrs.frozen
class _Found:
    """A plan from CP-SAT (chairs not yet by preference), with a proven bound per term."""

    plan: Plan
    bounds: Mapping[str, int]
    proven: bool


class _Infeasible:
    """The marker of a model proven infeasible."""


class _Solve:
    def __init__(self, context: RuleContext, options: SolveOptions) -> None:
        self.context = context
        self.plan = context.plan
        self.options = options
        self.baseline = context.last or context.plan
        self.runner = _Runner(options)
        self.settings = self.plan.rules.objective
        self.membership = MembershipStart({}, 0)
        self.staff = StaffStart({}, {}, 0)
        # The terms reported for this plan, and the soft ones among them the solve minimises.
        self.names = tuple(term.name for term in terms.terms_of(self.plan))
        self.kinds = tuple(dict.fromkeys(group.kind for group in self.plan.groups))
        self.soft = [n for n in cohesion.SOFT_TERMS if n in self.names and self._weight(n) > 0]
        self.groupings: dict[str, KindGrouping] = {}
        # The flow's spread per kind, which a decomposed kind replaces with its own.
        self.flow_spread: dict[str, int] = {}

    def run(self) -> SolveResult:
        start = self._start()
        if start is None:
            return self._infeasible()
        found: _Found | _Infeasible | None = None
        limits = self._certificate()
        if not self.options.exhaustive and limits is not None:
            scope = Scope.around(self.plan, [start, self.baseline])
            found = self._certify(scope, start, limits)
        elif self._settled() and not validate(start, self.context.previous):
            # The decomposition ran out of time: its plan, with the bounds it proved.
            found = _Found(start, self._bounds(), False)
        if found is None and not self.runner.stopped():
            scope = Scope.full(self.plan) if self.options.exhaustive else self._widen(start)
            found = self._optimise(scope, start)
        if isinstance(found, _Infeasible):
            return self._infeasible()
        if found is None:
            # Stopped before CP-SAT found anything: the starting plan, if it breaks no rule.
            if validate(start, self.context.previous):
                return SolveResult(
                    SolveStatus.UNKNOWN,
                    interrupted=self.runner.interrupted,
                    wall_time=self.runner.elapsed(),
                )
            # It is optimal when it meets every limit: those are lower bounds.
            values = terms.evaluate(start, self.baseline)
            proven = limits is not None and self._meets(values, limits)
            found = _Found(start, values if proven else self._bounds(), proven)
        plan = choose_chairs(found.plan, self.context)
        alternatives: tuple[Alternative, ...] = ()
        if self.options.alternatives and not self.runner.stopped():
            alternatives = self._alternatives(found, start)
        return SolveResult(
            SolveStatus.OPTIMAL if found.proven else SolveStatus.FEASIBLE,
            plan=plan,
            terms=self._terms(plan, found.bounds),
            proven_optimal=found.proven,
            interrupted=self.runner.interrupted,
            wall_time=self.runner.elapsed(),
            reasons=move_reasons(self.context, self.baseline, plan),
            alternatives=alternatives,
        )

    def _start(self) -> Plan | None:
        """The starting plan and the bounds of step 1; None when no membership or staff fits.

        Membership by the flow, or for the kinds a cohesion term varies on, by the
        decomposition where it applies; staff by the greedy count; chairs by preference.
        """
        self.membership = membership_start(self.context, self.baseline)
        self.staff = staff_start(self.plan, self.baseline)
        if self.membership.problem is not None or self.staff.problem is not None:
            return None
        start = starting_plan(self.context, self.membership.assignment, self.staff)
        self.flow_spread = terms.spread_by_kind(start)
        if self.soft and not self.options.exhaustive:
            self.groupings = first_groupings(self.context, self.baseline, self.runner)
        if self.groupings:
            assignment = dict(self.membership.assignment)
            for grouping in self.groupings.values():
                assignment.update(grouping.assignment)
            start = starting_plan(self.context, assignment, self.staff)
        return start

    # -- step 1: certify the bounds -------------------------------------------------------

    def _weight(self, name: str) -> int:
        return terms.weight(self.settings, name)

    def _certificate(self) -> dict[str, int] | None:
        """Upper limits on the active terms (or on "weighted") that prove optimality together.

        Lexicographically: each term at its lower bound, the spread's taken among the plans
        with the fewest moves (and, for a decomposed kind, the best cohesion), which the
        earlier limits guarantee. Weighted: the sum at its lower bound. None when a term has
        no bound: a cohesion term that varies on a kind the decomposition did not settle.
        """
        soft: dict[str, int] = {}
        for name in self.soft:
            limit = self._soft_limit(name)
            if limit is None:
                return None
            soft[name] = limit
        if any(not grouping.proven for grouping in self.groupings.values()):
            return None
        membership, staff_changes = self.membership, self.staff.changes
        if not self.settings.lexicographic:
            if membership.weighted is None:
                return None
            constant = sum(self._weight(name) * value for name, value in soft.items())
            return {
                "weighted": membership.weighted
                + self.settings.staff_changes * staff_changes
                + constant
            }
        if self._weight("spread") > 0 and membership.spread is None:
            return None
        bounds = {
            "moves": membership.moves,
            "staff_changes": staff_changes,
            **soft,
            "spread": self._spread_bound(),
        }
        active = [name for name in self.names if self._weight(name) > 0]
        if any(name not in bounds for name in active):
            return None  # a soft term without a known bound
        return {name: bounds[name] for name in active}

    def _spread_bound(self) -> int:
        """The flow's spread bound, with each decomposed kind's share replaced by its own."""
        spread = self.membership.spread or 0
        for kind, grouping in self.groupings.items():
            spread += grouping.bounds["spread"] - self.flow_spread.get(kind, 0)
        return spread

    def _soft_constant(self, name: str) -> int:
        """The part of a cohesion term that no plan changes: the neighbour pairs across kinds
        (a group holds one kind); tag cohesion has none."""
        if name != cohesion.NEIGHBOUR_COHESION:
            return 0
        units = self.plan.unit_by_id
        return sum(
            units[first].kind != units[second].kind
            for first, second in cohesion.neighbour_pairs(self.plan)
        )

    def _soft_limit(self, name: str) -> int | None:
        """A cohesion term's optimum, when every kind it varies on was decomposed."""
        total = self._soft_constant(name)
        for kind in cohesion.kinds_in_play(self.plan, name):
            grouping = self.groupings.get(kind)
            if grouping is None:
                return None
            total += grouping.values[name]
        return total

    def _settled(self) -> bool:
        """Whether the decomposition covers every kind an active cohesion term varies on."""
        return bool(self.groupings) and all(
            kind in self.groupings
            for name in self.soft
            for kind in cohesion.kinds_in_play(self.plan, name)
        )

    def _bounds(self) -> dict[str, int]:
        """Every active term's lower bound as known before any CP-SAT search."""
        return {name: self._lower(name) for name in self.names if self._weight(name) > 0}

    def _certify(
        self,
        scope: Scope,
        hint: Plan,
        limits: Mapping[str, int],
        exclude: Iterable[Plan] = (),
    ) -> _Found | None:
        """A plan of `scope` meeting every limit, or None (none there, or out of time)."""
        enc = Encoding(self.context, scope)
        encode_rules(enc)
        objective = Objective(enc, self.baseline)
        for plan in exclude:
            enc.exclude(plan)
        active = objective.active()
        total = cp_model.LinearExpr.weighted_sum(
            [term.variable for term in active], [term.weight for term in active]
        )
        for name, limit in limits.items():
            if name == "weighted":
                enc.model.add(total <= limit)
            else:
                objective.at_most(name, limit)
        enc.model.minimize(total)
        enc.hint(hint)
        objective.hint(hint)
        stage = "weighted" if "weighted" in limits else "+".join(limits) or "rules"
        status, solver = self.runner.run(enc.model, stage)
        if status not in _SOLVED:
            return None
        # Every limit is a lower bound valid for the whole problem: nothing does better.
        plan = self._read(enc, solver)
        return _Found(plan, terms.evaluate(plan, self.baseline), True)

    def _meets(self, values: Mapping[str, int], limits: Mapping[str, int]) -> bool:
        if "weighted" in limits:
            total = sum(self._weight(name) * value for name, value in values.items())
            return total <= limits["weighted"]
        return all(values[name] <= limit for name, limit in limits.items())

    def _lower(self, name: str) -> int:
        """A lower bound on a term: valid for every plan, or for those at the optimum of the
        terms before it where the bound says so (the spread, a decomposed kind's terms)."""
        if name == "moves":
            return self.membership.moves
        if name == "staff_changes":
            return self.staff.changes
        if name in cohesion.SOFT_TERMS:
            total = self._soft_constant(name)
            for grouping in self.groupings.values():
                total += grouping.bounds[name]
            return total
        if name != "spread":
            return 0  # a soft term without a known bound
        membership = self.membership
        if self.groupings:
            return self._spread_bound()
        return 0 if membership.spread_given_moves else (membership.spread or 0)

    def _interchangeable(self) -> dict[str, tuple[str, ...]]:
        return interchangeable_groups(self.context, self.baseline)

    # -- step 2: minimise term by term -------------------------------------------------------

    def _widen(self, start: Plan) -> Scope:
        """The scope for step 2: every pair for the parts the starting plan got wrong.

        Kinds never interact, nor do staff and membership, so a part whose share of the
        starting plan breaks no rule keeps the pairs of `Scope.around`: that share already
        meets its own lower bounds (the flow's per kind, the exact staff count), and the
        other parts cannot lower them. Only the kinds of the groups and units named by a
        violation (or, should a staff rule be broken, the people) get every pair.
        """
        violations = validate(start, self.context.previous)
        if not violations:  # step 1 ran out of time rather than failed: widen everything
            return Scope.full(self.plan)
        kinds: set[str] = set()
        staff = False
        for violation in violations:
            staff |= violation.rule in _STAFF_RULES
            for subject in violation.subjects:
                group = self.plan.group_by_id.get(subject)
                unit = self.plan.unit_by_id.get(subject)
                kinds.update(found.kind for found in (group, unit) if found is not None)
        return Scope.around(self.plan, [start, self.baseline], full_kinds=kinds, full_staff=staff)

    def _optimise(
        self, scope: Scope, hint: Plan, exclude: Iterable[Plan] = ()
    ) -> _Found | _Infeasible | None:
        """Minimise the stages in turn over `scope`, each hinted with the plan before.

        The lower bounds go in as cuts: CP-SAT then proves a stage optimal as soon as it
        reaches them, instead of searching for a proof it may never complete.
        """
        enc = Encoding(self.context, scope)
        encode_rules(enc)
        objective = Objective(enc, self.baseline)
        excluded = tuple(exclude)
        units_of = {kind: sum(u.kind == kind for u in self.plan.units) for kind in self.kinds}
        for kind, groups in self._interchangeable().items():
            # Alternatives must differ by more than the labels of interchangeable groups. In
            # the main solve the symmetry is broken for small kinds only, where it turns
            # proofs of seconds into milliseconds; on the 168 communes in 16 clusters, value
            # precedence stalled CP-SAT's neighbourhood search (tag cohesion stuck at 4 after
            # 120 s where the plain model reached 0 in 6 s), and the decomposition
            # (`grouping`) is what removes the symmetry there.
            if excluded or units_of.get(kind, 0) * len(groups) <= _SYMMETRY_PAIRS:
                enc.break_symmetry(groups)
        for plan in excluded:
            enc.exclude(plan)
        # Lower bounds as cuts. Some hold only among the plans optimal in the terms before
        # them (the spread's given the fewest moves, a decomposed kind's given the best tag
        # cohesion); the lexicographic optimum meets them all, so no stage loses it.
        for name in (*(term.name for term in terms.CONTRACT_TERMS), *self.soft):
            objective.at_least(name, self._lower(name))
        stages = objective.stages()
        if not stages:
            return self._feasible(enc, hint)
        bounds: dict[str, int] = {}
        current: Plan | None = None
        proven = True
        for index, stage in enumerate(stages):
            if stage.name == "weighted" and self.membership.weighted is not None:
                floor = self.membership.weighted + self.settings.staff_changes * self.staff.changes
                enc.model.add(stage.expression >= floor)
            moves_least = bounds.get("moves") == self.membership.moves and proven
            if stage.name == "spread" and self.membership.spread_given_moves and moves_least:
                objective.at_least("spread", self.membership.spread or 0)
            enc.model.minimize(stage.expression)
            enc.model.clear_hints()  # type: ignore[no-untyped-call]
            enc.hint(hint)
            objective.hint(hint)
            status, solver = self.runner.run(enc.model, stage.name)
            if status == cp_model.INFEASIBLE and current is None:
                return _Infeasible()
            if status not in _SOLVED:
                proven = False
                break
            current = hint = self._read(enc, solver)
            value = round(solver.objective_value)
            optimal = status == cp_model.OPTIMAL
            proven = proven and optimal
            if len(stage.terms) == 1:
                bounds[stage.name] = value if optimal else math.ceil(solver.best_objective_bound)
                enc.model.add(stage.expression <= value)
            elif optimal:  # a weighted optimum: its own values are what the optimum has
                bounds.update(terms.evaluate(current, self.baseline))
            if self.runner.stopped():
                proven = proven and index == len(stages) - 1
                break
        if current is None:
            return None
        return _Found(current, bounds, proven)

    def _feasible(self, enc: Encoding, hint: Plan) -> _Found | _Infeasible | None:
        """With every term switched off, any plan that breaks no rule will do."""
        enc.hint(hint)
        status, solver = self.runner.run(enc.model, "rules")
        if status == cp_model.INFEASIBLE:
            return _Infeasible()
        if status not in _SOLVED:
            return None
        return _Found(self._read(enc, solver), {}, True)

    def _read(self, enc: Encoding, solver: cp_model.CpSolver) -> Plan:
        return assemble(self.plan, enc.read(solver.boolean_value))

    # -- results --------------------------------------------------------------------------

    def _terms(self, plan: Plan, bounds: Mapping[str, int]) -> tuple[Term, ...]:
        values = terms.evaluate(plan, self.baseline)
        found = []
        for name in self.names:
            factor = self._weight(name)
            bound = bounds.get(name, self._lower(name)) if factor > 0 else 0
            found.append(Term(name, values[name], min(bound, values[name]), factor))
        return tuple(found)

    def _alternatives(self, first: _Found, start: Plan) -> tuple[Alternative, ...]:
        """Up to K further plans, best first, each with every plan before it excluded.

        A plan as good as the first is optimal too, so one is first looked for cheaply: the
        pairs of the first plan, the starting plan and the baseline, with every person free
        to take any group (unless that makes too many pairs), and the first plan's term values
        as limits. Only when none is left there does the full model minimise the terms again.
        """
        found: list[Alternative] = []
        excluded = [first.plan]
        limits = self._limits_of(first)
        everyone = len(self.plan.staff) * len(self.plan.groups) <= _CHEAP_STAFF_PAIRS
        cheap = Scope.around(self.plan, [first.plan, start, self.baseline], full_staff=everyone)
        while len(found) < self.options.alternatives and not self.runner.stopped():
            outcome: _Found | _Infeasible | None = None
            if limits is not None:
                outcome = self._certify(cheap, excluded[-1], limits, exclude=excluded)
            if outcome is None and not self.runner.stopped():
                outcome = self._optimise(Scope.full(self.plan), excluded[-1], exclude=excluded)
            if not isinstance(outcome, _Found):
                break
            excluded.append(outcome.plan)
            plan = choose_chairs(outcome.plan, self.context)
            terms = self._terms(plan, outcome.bounds)
            found.append(
                Alternative(plan, terms, diff(choose_chairs(first.plan, self.context), plan))
            )
        return tuple(found)

    def _limits_of(self, first: _Found) -> dict[str, int] | None:
        """The first plan's active terms as limits, when it is proven optimal."""
        if not first.proven:
            return None
        values = terms.evaluate(first.plan, self.baseline)
        if not self.settings.lexicographic:
            return {"weighted": sum(self._weight(n) * values[n] for n in self.names)}
        return {name: values[name] for name in self.names if self._weight(name) > 0}

    def _infeasible(self) -> SolveResult:
        """No plan exists: say which rules and pins conflict, counting first, then a core.

        The core gets what is left of the time limit, but at least `_EXPLAIN_TIME` seconds
        in all: a proof of infeasibility is worth little without its reason.
        """
        conflict = precheck(self.context)
        if not conflict:
            remaining = self.runner.remaining()
            deadline = None
            if remaining is not None:
                deadline = time.monotonic() + max(remaining, _EXPLAIN_TIME)

            def solve_model(
                model: cp_model.CpModel,
            ) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
                limit = None if deadline is None else deadline - time.monotonic()
                return self.runner.run(model, None, workers=1, time_limit=limit, hinted=False)

            conflict = find_core(self.context, solve_model) or ()
        return SolveResult(
            SolveStatus.INFEASIBLE,
            conflict=conflict,
            interrupted=self.runner.interrupted,
            wall_time=self.runner.elapsed(),
        )
