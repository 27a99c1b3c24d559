"""The solve: from a draft and the previous plans to the plan that changes least.

How it proves optimality fast. The terms split along what they depend on: moves and size
spread on membership only, staff changes on staff only, and no rule ties the two (chairs are
members, but no term counts chairs). Each part has an exact combinatorial answer of its own
if the chair rules are left aside: membership per kind is a transportation problem between
groups (`thidua.solver.flow`: the fewest moves, the smallest spread with them, or the best
(moves, spread) trade-off for a weighted sum), staff a greedy count (`start.staff_start`).
The flow keeps what the chair rules ask of membership: a group whose kept units the rotation
all bars takes one from outside, and a successor that a pinned chair evicts leaves. Leaving
the other rules aside can only lower the optimum, so these are lower bounds
(`thidua.solver.bounds`); together with chairs chosen by preference they also make a starting
plan that meets them (`start.membership_start`).

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
which cannot change any term. CP-SAT runs in a worker thread (`thidua.solver.runner`), and
every model is built only when it fits in the time and memory left: where step 2's model would
not, the starting plan is improved within its own neighbourhood instead, unproven. A time
limit too short for the plan's size is refused up front, with the time it would take.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Mapping

import attrs

from thidua import cohesion, terms
from thidua.diff import diff
from thidua.edits import requested_groups
from thidua.errors import SolveError
from thidua.i18n import _
from thidua.model import Plan
from thidua.rules import RULES, Concern, RuleContext, validate
from thidua.solver.backend import cp_model
from thidua.solver.bounds import Bounds
from thidua.solver.encoding import Encoding, Scope, encode_rules
from thidua.solver.explain import (
    STAFF_FOCUS,
    SolveModel,
    find_core,
    focused_core,
    move_reasons,
    precheck,
)
from thidua.solver.grouping import first_groupings
from thidua.solver.objective import Objective
from thidua.solver.result import (
    Alternative,
    Conflict,
    Progress,
    SolveResult,
    SolveStatus,
    Term,
)
from thidua.solver.runner import Runner
from thidua.solver.start import (
    assemble,
    choose_chairs,
    membership_start,
    staff_start,
    starting_plan,
)
from thidua.solver.symmetry import interchangeable_groups

__all__ = ["SolveOptions", "check_size", "minimum_seconds", "solve", "solve_with"]


def _solved(status: cp_model.CpSolverStatus) -> bool:
    """Whether CP-SAT found a solution (`cp_model` is only loaded once a model is built)."""
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


_STAFF = frozenset({Concern.LEADER, Concern.OFFICER})
# The rules about the people in charge alone: breaking one leaves the membership as it is.
_STAFF_RULES = frozenset(rule.id for rule in RULES if rule.concerns and rule.concerns <= _STAFF)
# Above this many (person, group) pairs, alternatives do not free every person at first.
_CHEAP_STAFF_PAIRS = 50_000
# The least time a solve takes per unit, group, person and pin (the flow, the starting plan and
# the certificate's model: about 100 µs on the benchmark drafts); a time limit below this share
# of the plan's size is refused up front.
_MIN_SECONDS_PER_ENTRY = 50e-6
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
    if options.time_limit is not None and not options.time_limit > 0:  # nan included
        raise SolveError(
            _("the time limit must be positive, not {value}").format(value=options.time_limit)
        )
    if options.workers is not None and options.workers < 1:
        raise SolveError(_("workers must be 1 or more, not {value}").format(value=options.workers))
    if options.alternatives < 0:
        raise SolveError(
            _("alternatives must be 0 or more, not {value}").format(value=options.alternatives)
        )
    if options.time_limit is not None:
        check_size(plan, options.time_limit)
    return _Solve(RuleContext(requested_groups(plan), earlier), options).run()


def minimum_seconds(plan: Plan) -> float:
    """The least time a solve of `plan` takes: below it, no plan can be found."""
    entries = len(plan.units) + len(plan.groups) + len(plan.staff) + len(plan.pins)
    return entries * _MIN_SECONDS_PER_ENTRY


def check_size(plan: Plan, time_limit: float) -> None:
    """Refuse, with the figure, a plan too large to solve within `time_limit` seconds."""
    entries = len(plan.units) + len(plan.groups) + len(plan.staff) + len(plan.pins)
    needed = minimum_seconds(plan)
    if needed > time_limit:
        raise SolveError(
            _(
                "{entries} units, groups, people and pins need at least {needed:.2g} s to "
                "solve; the time limit is {limit:g} s"
            ).format(entries=entries, needed=needed, limit=time_limit)
        )


# --------------------------------------------------------------------------------------------
# The solve


@attrs.frozen
class _Found:
    """A plan from CP-SAT (chairs not yet by preference), with a proven bound per term.

    `chosen`: its chairs are chosen by preference already (the starting plan's are).
    """

    plan: Plan
    bounds: Mapping[str, int]
    proven: bool
    chosen: bool = False


class _Infeasible:
    """The marker of a model proven infeasible."""


class _Solve:
    def __init__(self, context: RuleContext, options: SolveOptions) -> None:
        self.context = context
        self.plan = context.plan
        self.options = options
        self.baseline = context.last or context.plan
        self.runner = Runner(
            time_limit=options.time_limit,
            workers=options.workers,
            seed=options.seed,
            on_progress=options.on_progress,
            cancel=options.cancel,
        )
        self.settings = self.plan.rules.objective
        # The terms reported for this plan, and the soft ones among them the solve minimises.
        self.names = tuple(term.name for term in terms.terms_of(self.plan))
        self.kinds = tuple(dict.fromkeys(group.kind for group in self.plan.groups))
        self.soft = [n for n in cohesion.SOFT_TERMS if n in self.names and self._weight(n) > 0]
        # The terms' lower bounds, filled in as the solve learns them.
        self.bounds = Bounds(self.plan, self.names, self.soft)
        # The groups, units and people the starting plan's violations name.
        self.focus: frozenset[str] = frozenset()
        # The best plan CP-SAT found so far, for a Ctrl+C outside its search.
        self.best: _Found | None = None
        # The last plan whose terms were counted, and their values.
        self.evaluated: tuple[Plan, Mapping[str, int]] | None = None

    def run(self) -> SolveResult:
        try:
            return self._run()
        except KeyboardInterrupt:
            # Ctrl+C outside CP-SAT's search (building a model, reading a plan): stop at once
            # with the best plan found so far, as a cancel would.
            self.runner.interrupted = True
            if self.best is None:
                return SolveResult(
                    SolveStatus.UNKNOWN, interrupted=True, wall_time=self.runner.elapsed()
                )
            return self._result(attrs.evolve(self.best, proven=False), None)

    def _run(self) -> SolveResult:
        # Counting first: a conflict it proves needs no model at all.
        conflict = precheck(self.context)
        if conflict:
            return self._infeasible(conflict)
        start = self._start()
        if start is None:
            return self._infeasible()
        broken = validate(start, self.context.previous)
        if not broken:
            self.best = _Found(start, self.bounds.known(), False)
        # Where the starting plan breaks a rule is where a conflict, if any, will be.
        self.focus = frozenset(s for violation in broken for s in violation.subjects) | {
            STAFF_FOCUS for violation in broken if violation.rule in _STAFF_RULES
        }
        if broken:
            # The groups it breaks rules in may hold a conflict by themselves: cheap to ask
            # before the full model would have to prove it.
            focused = focused_core(self.context, self._explaining(), self.focus)
            if focused:
                return self._infeasible(focused)
        found: _Found | _Infeasible | None = None
        limits = self.bounds.certificate()
        if not self.options.exhaustive and limits is not None:
            if not broken:
                found = self._start_at_bounds(start, limits)
            if found is None:
                scope = Scope.around(self.plan, [start, self.baseline])
                if self.runner.fits(scope):
                    found = self._certify(scope, start, limits)
        elif self.bounds.settled() and not validate(start, self.context.previous):
            # The decomposition ran out of time: its plan, with the bounds it proved.
            found = _Found(start, self.bounds.known(), False)
        if found is None and not self.runner.stopped():
            scope = Scope.full(self.plan) if self.options.exhaustive else self._widen(start)
            if self.runner.fits(scope):
                found = self._optimise(scope, start)
            else:
                # Too large to build in the time or memory left: improve the starting plan
                # within its own neighbourhood instead, without a claim of optimality.
                narrow = Scope.around(self.plan, [start, self.baseline])
                if self.runner.fits(narrow):
                    found = self._optimise(narrow, start, complete=False)
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
            proven = limits is not None and self.bounds.meets(values, limits)
            found = _Found(start, values if proven else self.bounds.known(), proven)
        return self._result(found, start)

    def _result(self, found: _Found, start: Plan | None) -> SolveResult:
        """The result for `found`, with alternatives when asked for and there is time."""
        plan = found.plan if found.chosen else choose_chairs(found.plan, self.context)
        alternatives: tuple[Alternative, ...] = ()
        if self.options.alternatives and start is not None and not self.runner.stopped():
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
        self.bounds.membership = membership_start(self.context, self.baseline)
        self.bounds.staff = staff_start(self.plan, self.baseline)
        if self.bounds.membership.problem is not None or self.bounds.staff.problem is not None:
            return None
        start = starting_plan(self.context, self.bounds.membership.assignment, self.bounds.staff)
        self.bounds.flow_spread = terms.spread_by_kind(start)
        if self.soft and not self.options.exhaustive:
            self.bounds.groupings = first_groupings(self.context, self.baseline, self.runner)
        if self.bounds.groupings:
            assignment = dict(self.bounds.membership.assignment)
            for grouping in self.bounds.groupings.values():
                assignment.update(grouping.assignment)
            start = starting_plan(self.context, assignment, self.bounds.staff)
        return start

    # -- step 1: certify the bounds -------------------------------------------------------

    def _weight(self, name: str) -> int:
        return terms.weight(self.settings, name)

    def _start_at_bounds(self, start: Plan, limits: Mapping[str, int]) -> _Found | None:
        """The starting plan, proven optimal, when it breaks no rule (the caller checked) and
        meets every limit: the limits are lower bounds, so no model need confirm it.

        The usual case (the 100-copy benchmark draft, the 2014 draft): the model of step 1
        would take longer to build than to solve, and would return this plan.
        """
        values = self._evaluate(start)
        if not self.bounds.meets(values, limits):
            return None
        total = sum(self._weight(name) * values[name] for name in self.names)
        stage = "weighted" if "weighted" in limits else "+".join(limits) or "rules"
        self.runner.report(Progress(total, total, self.runner.elapsed(), stage))
        # The model, hinted with it, would give it back; its chairs, then chosen again by
        # preference, are those it has (`choose_chairs` chooses the same twice).
        found = _Found(start, values, True, chosen=True)
        self.best = found
        return found

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
        if not _solved(status):
            return None
        # Every limit is a lower bound valid for the whole problem: nothing does better.
        plan = self._read(enc, solver)
        found = _Found(plan, terms.evaluate(plan, self.baseline), True)
        if not exclude:
            self.best = found
        return found

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
        self, scope: Scope, hint: Plan, exclude: Iterable[Plan] = (), *, complete: bool = True
    ) -> _Found | _Infeasible | None:
        """Minimise the stages in turn over `scope`, each hinted with the plan before.

        `complete`: whether `scope` holds an optimal plan (`Scope.full`, or `_widen`'s
        argument); otherwise nothing found is proven, and no infeasibility either.

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
            objective.at_least(name, self.bounds.lower(name))
        stages = objective.stages()
        if not stages:
            return self._feasible(enc, hint, complete)
        bounds: dict[str, int] = {}
        current: Plan | None = None
        proven = True
        for index, stage in enumerate(stages):
            if stage.name == "weighted" and self.bounds.membership.weighted is not None:
                floor = (
                    self.bounds.membership.weighted
                    + self.settings.staff_changes * self.bounds.staff.changes
                )
                enc.model.add(stage.expression >= floor)
            moves_least = bounds.get("moves") == self.bounds.membership.moves and proven
            if stage.name == "spread" and self.bounds.membership.spread_given_moves and moves_least:
                objective.at_least("spread", self.bounds.membership.spread or 0)
            enc.model.minimize(stage.expression)
            enc.model.clear_hints()  # type: ignore[no-untyped-call]
            enc.hint(hint)
            objective.hint(hint)
            status, solver = self.runner.run(enc.model, stage.name)
            if status == cp_model.INFEASIBLE and current is None:
                return _Infeasible() if complete else None
            if not _solved(status):
                proven = False
                break
            current = hint = self._read(enc, solver)
            if not excluded:
                self.best = _Found(current, dict(bounds), False)
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
        if not complete:
            return _Found(current, self.bounds.known(), False)
        return _Found(current, bounds, proven)

    def _feasible(self, enc: Encoding, hint: Plan, complete: bool) -> _Found | _Infeasible | None:
        """With every term switched off, any plan that breaks no rule will do."""
        enc.hint(hint)
        status, solver = self.runner.run(enc.model, "rules")
        if status == cp_model.INFEASIBLE:
            return _Infeasible() if complete else None
        if not _solved(status):
            return None
        return _Found(self._read(enc, solver), {}, True)

    def _read(self, enc: Encoding, solver: cp_model.CpSolver) -> Plan:
        return assemble(self.plan, enc.read(solver.boolean_value))

    # -- results --------------------------------------------------------------------------

    def _evaluate(self, plan: Plan) -> Mapping[str, int]:
        """`terms.evaluate` against the baseline, once per plan (the starting plan is counted
        when its bounds are checked, and again as the result)."""
        if self.evaluated is None or self.evaluated[0] is not plan:
            self.evaluated = (plan, terms.evaluate(plan, self.baseline))
        return self.evaluated[1]

    def _terms(self, plan: Plan, bounds: Mapping[str, int]) -> tuple[Term, ...]:
        values = self._evaluate(plan)
        found = []
        for name in self.names:
            factor = self._weight(name)
            bound = bounds.get(name, self.bounds.lower(name)) if factor > 0 else 0
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
            full = Scope.full(self.plan)
            if outcome is None and not self.runner.stopped() and self.runner.fits(full):
                outcome = self._optimise(full, excluded[-1], exclude=excluded)
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

    def _explaining(self) -> SolveModel:
        """How the explanation solves a model: one worker, no objective, within the limit."""

        def solve_model(
            model: cp_model.CpModel,
        ) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
            return self.runner.run(model, None, workers=1, hinted=False)

        return solve_model

    def _infeasible(self, conflict: tuple[Conflict, ...] = ()) -> SolveResult:
        """No plan exists: say which rules and pins conflict, counting first, then a core.

        The core search gets what is left of the time limit, which bounds the whole solve: the
        counting pre-checks (`explain.precheck`) name most conflicts at once, and the search
        works in one part of the plan only.
        """
        remaining = self.runner.remaining()
        if not conflict and (remaining is None or remaining > 0):
            conflict = find_core(self.context, self._explaining(), self.focus) or ()
        return SolveResult(
            SolveStatus.INFEASIBLE,
            conflict=conflict,
            interrupted=self.runner.interrupted,
            wall_time=self.runner.elapsed(),
        )
