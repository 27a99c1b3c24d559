"""The objective's terms (contract §3) as CP-SAT expressions, and the stages that minimise them.

1. `moves`: units moved out of the group that held them in the baseline (new units count
   nothing; a unit whose group is gone, or changed kind, counts one wherever it goes);
2. `staff_changes`: per group the baseline has, one for a new leader and one for a new officer;
3. the soft rules' terms, where the plan configures them and gives them a weight (their rules
   encode them: `tag_cohesion`, members outside their group's majority tag; then
   `neighbour_cohesion`, neighbour pairs split);
4. `spread`: per kind of group, the largest group's member count minus the smallest's, summed.

Each term is an entry of `thidua.terms.TERMS`, which says how it is counted and encoded; this
module turns the encoded terms into variables and stages. The baseline is the most recent
previous plan, or the draft itself when there is none. The values reported for a plan are the
terms' counts (`thidua.terms.evaluate`), the same the terminal interface shows live; the
registry's tests check that each encoding agrees with its count.

By default (`ObjectiveSettings.lexicographic`) the terms are minimised one after the other in
that order (`thidua.terms.TERMS`), each stage keeping the earlier terms at their best
(`term <= best`); a weight of 0 switches a term off. Otherwise one stage minimises the
weighted sum.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from thidua import terms
from thidua.model import Plan
from thidua.solver.backend import cp_model
from thidua.solver.encoding import Encoding

__all__ = ["Objective", "Stage", "TermVariable"]


@attrs.frozen
class TermVariable:
    """One term: its integer variable (equal to its expression), and its weight."""

    name: str
    variable: cp_model.IntVar
    weight: int


@attrs.frozen
class Stage:
    """One solve of a lexicographic sequence: what it minimises, under which name."""

    name: str
    expression: cp_model.LinearExpr
    terms: tuple[str, ...]


class Objective:
    """The terms of one encoding, measured against `baseline`."""

    def __init__(self, enc: Encoding, baseline: Plan) -> None:
        self.enc = enc
        self.baseline = baseline
        self.settings = enc.plan.rules.objective
        model = enc.model
        # In order of priority; a term the plan leaves out (or weighs 0, for a soft one) has
        # no encoding.
        self.terms: dict[str, TermVariable] = {}
        for term in terms.terms_of(enc.plan):
            penalty = term.encode(enc, baseline)
            if penalty is None:
                continue
            variable = model.new_int_var(0, penalty.upper, term.name)
            model.add(variable == penalty.expression)
            self.terms[term.name] = TermVariable(term.name, variable, term.weight(self.settings))

    # -- stages ---------------------------------------------------------------------------

    def active(self) -> list[TermVariable]:
        """The terms with a positive weight, in order of priority."""
        return [term for term in self.terms.values() if term.weight > 0]

    def stages(self) -> list[Stage]:
        active = self.active()
        if not active:
            return []
        if self.settings.lexicographic:
            return [Stage(t.name, cp_model.LinearExpr.sum([t.variable]), (t.name,)) for t in active]
        weighted = cp_model.LinearExpr.weighted_sum(
            [t.variable for t in active], [t.weight for t in active]
        )
        return [Stage("weighted", weighted, tuple(t.name for t in active))]

    def at_least(self, name: str, value: int) -> None:
        """A lower bound proven elsewhere (see `thidua.solver.solve`), to prove optima fast."""
        self.enc.model.add(self.terms[name].variable >= value)

    def at_most(self, name: str, value: int) -> None:
        self.enc.model.add(self.terms[name].variable <= value)

    def hint(self, plan: Plan) -> None:
        """Hint the term variables with their values in `plan` (`Encoding.hint` hints the
        terms' helper variables)."""
        values = terms.evaluate(plan, self.baseline)
        for name, term in self.terms.items():
            if name in values:
                self.enc.model.add_hint(term.variable, values[name])

    def weights(self) -> Mapping[str, int]:
        return {name: term.weight for name, term in self.terms.items()}
