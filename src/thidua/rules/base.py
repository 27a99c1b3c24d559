"""What a rule is: an id of the contract, a description, a check, and its CP-SAT encoding."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from thidua.model import Plan

if TYPE_CHECKING:
    from thidua.solver.variables import Encoding

__all__ = ["Rule", "RuleContext", "Violation"]


@attrs.frozen
class Violation:
    """One broken rule: its contract id, the ids of the things involved, and a message."""

    rule: str
    subjects: tuple[str, ...]
    message: str


def _by_year(plans: Iterable[Plan]) -> tuple[Plan, ...]:
    return tuple(sorted(plans, key=lambda plan: plan.year))


@attrs.frozen
class RuleContext:
    """What a rule reads: the plan, and the previous plans oldest first."""

    plan: Plan
    previous: tuple[Plan, ...] = attrs.field(default=(), converter=_by_year)

    @property
    def last(self) -> Plan | None:
        """The most recent previous plan, the one moves and staff changes are counted against."""
        return self.previous[-1] if self.previous else None

    def recent(self, years: int) -> Sequence[Plan]:
        """The previous plans of the last `years` years before this plan's year."""
        return [p for p in self.previous if self.plan.year - years <= p.year < self.plan.year]


Check = Callable[[RuleContext], Iterable[Violation]]
Encode = Callable[["Encoding"], None]


@attrs.frozen
class Rule:
    """A rule as data. Validator and solver use the same objects, so they cannot disagree.

    A hard rule's `encode` adds constraints; a soft rule's (`soft=True`) adds a penalty term
    to the objective, and its violations are reported but do not make a plan invalid.
    """

    id: str
    description: str
    check: Check = attrs.field(repr=False)
    encode: Encode | None = attrs.field(default=None, repr=False)
    soft: bool = False

    def violations(self, context: RuleContext) -> list[Violation]:
        return list(self.check(context))
