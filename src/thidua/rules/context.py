"""What a rule reads: the plan, and the previous plans."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from thidua.model import Plan

__all__ = ["RuleContext"]


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
