"""Writing generated files (workbooks, Word documents) so a reader never sees half of one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua.errors import PlanFileError
from thidua.files import atomic_write

__all__ = ["put", "write_bytes"]


def write_bytes(path: str | Path, data: bytes, error: type[PlanFileError] = PlanFileError) -> None:
    """Write `data` to `path` atomically, as every save does (`thidua.files.atomic_write`:
    through a symlink, keeping the target's mode, clearing what a killed write left)."""
    atomic_write(path, data, error=error)


def put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write a cell; text that a spreadsheet would run as a formula stays text."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) and len(value) > 1:
        cell.data_type = "s"
    return cell
