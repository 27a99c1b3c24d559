"""Errors of the document commands: one line naming the file and, where there is one, the line."""

from __future__ import annotations

from thidua.errors import PlanFileError

__all__ = ["BallotError", "DispatchError", "ScoresError"]


class DispatchError(PlanFileError):
    """A dispatch that cannot be read, or from which no plan can be made."""


class ScoresError(PlanFileError):
    """A score sheet (CSV or XLSX) that cannot be read or does not match the plan."""


class BallotError(PlanFileError):
    """A ballot sheet (CSV or XLSX) that cannot be read or names what the plan does not know."""
