"""The project's errors: every failure a caller can see is a `ThiduaError`."""

from __future__ import annotations

from pathlib import Path

__all__ = ["InvalidValue", "PlanFileError", "SolveError", "ThiduaError"]


class ThiduaError(Exception):
    """Base of every error thidua raises on purpose."""


class PlanFileError(ThiduaError):
    """A plan file (or other input file) that cannot be read: one line naming file and line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {message}")


class SolveError(ThiduaError):
    """The solver could not run (bad settings, or a model OR-Tools rejects)."""


class InvalidValue(ThiduaError, ValueError):
    """A value out of range or of the wrong form for a model field (a negative limit, a name
    with a control character). Also a `ValueError`, as attrs validators conventionally raise."""
