"""A score sheet as read: each unit's criteria, bonus and penalty points.

Its own module so that the readers of every layout (plain CSV or XLSX in `scores`, the
workbook `thidua review --template` writes in `template`) share it without importing each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs

__all__ = ["ScoreSheet", "UnitScores"]


@attrs.frozen
class UnitScores:
    """One unit's row: criteria scores, bonus and penalty points, and where it was read."""

    unit: str
    criteria: tuple[float, ...]
    bonus: float = 0.0
    penalty: float = 0.0
    line: int = 0

    @property
    def base(self) -> float:
        """The criteria's sum, before bonus and penalty points."""
        return math.fsum(self.criteria)

    @property
    def total(self) -> float:
        return math.fsum((*self.criteria, self.bonus, -self.penalty))


@attrs.frozen
class ScoreSheet:
    source: str
    criteria: tuple[str, ...]
    units: Mapping[str, UnitScores]  # by unit id, in the sheet's order
