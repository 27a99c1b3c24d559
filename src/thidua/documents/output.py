"""Writing generated files (workbooks, Word documents) so a reader never sees half of one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua.errors import PlanFileError
from thidua.files import atomic_write, same_file
from thidua.i18n import _

__all__ = ["put", "refuse_overwriting", "write_bytes"]


def write_bytes(path: str | Path, data: bytes, error: type[PlanFileError] = PlanFileError) -> None:
    """Write `data` to `path` atomically, as every save does (`thidua.files.atomic_write`:
    through a symlink, keeping the target's mode, clearing what a killed write left)."""
    atomic_write(path, data, error=error)


def refuse_overwriting(output: Path, *inputs: Path) -> None:
    """No command writes over its own inputs: a one-line error when OUT is one of them
    (the same path, a symlink to it or a hard link)."""
    for source in inputs:
        if same_file(output, source):
            raise PlanFileError(
                output, _("is an input of this command; write the output to another file")
            )


def put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write a cell; text that a spreadsheet would run as a formula stays text."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) and len(value) > 1:
        cell.data_type = "s"
    return cell
