"""What the interface shows, derived from the plan once per change and shared by the widgets."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from thidua.model import Plan
from thidua.rules import RuleContext, Violation, rule_by_id, validate
from thidua.search import Kind
from thidua.terms import evaluate

__all__ = ["PlanView", "Selection"]


@attrs.frozen
class Selection:
    """The thing the planner has selected: a unit, a group or a person, by id."""

    kind: Kind
    id: str


@attrs.frozen
class PlanView:
    """A plan with its previous plans, its violations and its objective terms.

    Built once after every edit, so the widgets read the same validation and nothing is
    validated twice.
    """

    plan: Plan
    previous: tuple[Plan, ...]
    violations: tuple[Violation, ...]
    terms: Mapping[str, int]
    flagged: frozenset[str]  # ids of everything some violation names
    # The soft rules' findings (a neighbour pair split, a unit outside its cluster's majority
    # tag): shown after the violations, named, but never making the plan wrong.
    notes: tuple[Violation, ...] = ()

    @classmethod
    def of(cls, plan: Plan, previous: tuple[Plan, ...]) -> PlanView:
        found = validate(plan, previous, include_soft=True)
        violations = tuple(v for v in found if not rule_by_id(v.rule).soft)
        return cls(
            plan=plan,
            previous=previous,
            violations=violations,
            terms=evaluate(plan, RuleContext(plan, previous).last),
            flagged=frozenset(s for v in violations for s in v.subjects),
            notes=tuple(v for v in found if rule_by_id(v.rule).soft),
        )

    @property
    def last(self) -> Plan | None:
        """The most recent previous plan, which moves and staff changes are counted against."""
        return RuleContext(self.plan, self.previous).last

    def kind_of(self, identifier: str) -> Kind | None:
        """Whether an id names a group, a unit or a person of the plan (ids of different
        sections may coincide; groups win, then units)."""
        plan = self.plan
        if identifier in plan.group_by_id:
            return Kind.GROUP
        if identifier in plan.unit_by_id:
            return Kind.UNIT
        if identifier in plan.staff_by_id:
            return Kind.STAFF
        return None
