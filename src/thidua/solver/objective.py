"""The objective's terms (contract §3) as CP-SAT expressions, and the stages that minimise them.

1. `moves`: units moved out of the group that held them in the baseline (new units count
   nothing; a unit whose group is gone, or changed kind, counts one wherever it goes);
2. `staff_changes`: per group the baseline has, one for a new leader and one for a new officer;
3. the soft rules' terms, where the plan configures them and gives them a weight (their rules
   encode them: `tag_cohesion`, members outside their group's majority tag; then
   `neighbour_cohesion`, neighbour pairs split);
4. `spread`: per kind of group, the largest group's member count minus the smallest's, summed.

The baseline is the most recent previous plan, or the draft itself when there is none. The
values reported for a plan come from `thidua.terms`, the same functions the terminal interface
shows live; a test checks that the expressions here agree with them.

By default (`ObjectiveSettings.lexicographic`) the terms are minimised one after the other in
that order (`thidua.terms.PRIORITY`), each stage keeping the earlier terms at their best
(`term <= best`); a weight of 0 switches a term off. Otherwise one stage minimises the
weighted sum.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
from ortools.sat.python import cp_model

from thidua import cohesion, geography, terms
from thidua.model import ObjectiveSettings, Plan, Role
from thidua.solver.variables import Encoding

__all__ = ["TERMS", "Objective", "Stage", "TermVariable", "evaluate", "weight"]

TERMS = terms.TERMS


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
        self._spread_parts: list[tuple[str, cp_model.IntVar, cp_model.IntVar]] = []
        expressions = {
            "moves": self._moves(),
            "staff_changes": self._staff_changes(),
            "spread": self._spread(),
        }
        for soft in enc.soft_terms:
            expressions[soft.name] = (soft.expression, soft.upper_bound)
        # In order of priority; a soft term the order does not name goes last.
        rank = {name: index for index, name in enumerate(terms.PRIORITY)}
        names = sorted(expressions, key=lambda name: rank.get(name, len(rank)))
        self.terms: dict[str, TermVariable] = {}
        for name in names:
            expression, upper = expressions[name]
            variable = model.new_int_var(0, upper, name)
            model.add(variable == expression)
            self.terms[name] = TermVariable(name, variable, weight(self.settings, name))

    # -- the terms ------------------------------------------------------------------------

    def _moves(self) -> tuple[cp_model.LinearExpr, int]:
        constant, stays = 0, []
        for unit in self.enc.plan.units:
            before = self.baseline.group_of(unit.id)
            if before is None:
                continue
            literal = self.enc.member.get((unit.id, before))
            if literal is None:
                constant += 1  # its group is gone, holds another kind, or is out of scope
            else:
                stays.append(literal)
        total = constant + len(stays)
        return total - cp_model.LinearExpr.sum(stays), total

    def _staff_changes(self) -> tuple[cp_model.LinearExpr, int]:
        plan = self.enc.plan
        constant, kept = 0, []
        for group in plan.groups:
            before = self.baseline.group_by_id.get(group.id)
            if before is None:
                continue
            for role in Role:
                person = before.staff_for(role)
                if person is None:
                    continue  # filling an empty post replaces nobody (thidua.terms)
                known = plan.staff_by_id.get(person)
                literal = (
                    self.enc.charge.get((known.id, group.id))
                    if known is not None and known.role is role
                    else None
                )
                if literal is None:
                    constant += 1
                else:
                    kept.append(literal)
        total = constant + len(kept)
        return total - cp_model.LinearExpr.sum(kept), total

    def _spread(self) -> tuple[cp_model.LinearExpr, int]:
        plan, model = self.enc.plan, self.enc.model
        kinds: dict[str, list[str]] = {}
        for group in plan.groups:
            kinds.setdefault(group.kind, []).append(group.id)
        top = max(plan.rules.group_size[1], len(plan.units))
        parts = []
        for kind, groups in kinds.items():
            # Minimising pushes `largest` down onto the largest size and `smallest` up onto
            # the smallest; an upper bound on the spread holds the real spread under it too.
            largest = model.new_int_var(0, top, f"largest[{kind}]")
            smallest = model.new_int_var(0, top, f"smallest[{kind}]")
            for group_id in groups:
                size = self.enc.size(group_id)
                model.add(largest >= size)
                model.add(smallest <= size)
            self._spread_parts.append((kind, largest, smallest))
            parts.append(largest - smallest)
        return cp_model.LinearExpr.sum(parts), top * len(kinds)

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
        """Hint the term variables and the spread's helpers with their values in `plan`."""
        model = self.enc.model
        values = evaluate(plan, self.baseline)
        for name, term in self.terms.items():
            if name in values:
                model.add_hint(term.variable, values[name])
        sizes: dict[str, list[int]] = {}
        for group in plan.groups:
            sizes.setdefault(group.kind, []).append(len(group.members))
        for kind, largest, smallest in self._spread_parts:
            model.add_hint(largest, max(sizes[kind]))
            model.add_hint(smallest, min(sizes[kind]))

    def weights(self) -> Mapping[str, int]:
        return {name: term.weight for name, term in self.terms.items()}


def weight(settings: ObjectiveSettings, name: str) -> int:
    """The weight `settings` give the term `name` (1 for a soft rule's term it does not name)."""
    value = getattr(settings, name.replace("-", "_"), 1)
    return int(value)


def evaluate(plan: Plan, baseline: Plan) -> dict[str, int]:
    """The terms of `plan` against `baseline`, as `thidua.terms` counts them, in order of
    priority: the contract's, and the soft terms the plan configures."""
    values = {
        "moves": len(terms.moved_units(plan, baseline)),
        "staff_changes": len(terms.staff_changes(plan, baseline)),
        cohesion.TAG_COHESION: cohesion.tag_cohesion(plan),
        cohesion.NEIGHBOUR_COHESION: cohesion.neighbour_cohesion(plan),
        "spread": sum(terms.spread_by_kind(plan).values()),
    }
    if geography.geography_terms(plan):
        values.update(geography.evaluate(plan))
    return {name: values[name] for name in terms.terms_of(plan)}
