"""Writing generated files (workbooks, Word documents) so a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from thidua.errors import PlanFileError
from thidua.i18n import _

__all__ = ["put", "refuse_overwriting", "write_bytes"]


def write_bytes(path: str | Path, data: bytes, error: type[PlanFileError] = PlanFileError) -> None:
    """Write `data` to `path` atomically (temporary file, fsync, rename)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as failure:
        raise error(path, _("cannot write: {reason}").format(reason=failure.strerror)) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as failure:
        Path(temporary).unlink(missing_ok=True)
        raise error(path, _("cannot write: {reason}").format(reason=failure.strerror)) from None


def refuse_overwriting(output: Path, *inputs: Path) -> None:
    """No command writes over its own inputs: a one-line error when OUT is one of them."""
    for source in inputs:
        try:
            same = output.exists() and output.resolve() == source.resolve()
        except OSError:
            same = False
        if same:
            raise PlanFileError(
                output, _("is an input of this command; write the output to another file")
            )


def put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write a cell; text that a spreadsheet would run as a formula stays text."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) and len(value) > 1:
        cell.data_type = "s"
    return cell
