"""Reading any input file (plan, dispatch, score sheet): its bytes and its text, or one error."""

from __future__ import annotations

from pathlib import Path

from thidua.errors import PlanFileError

__all__ = ["decode_input", "read_input"]


def read_input(
    path: Path, *, what: str = "plan file", error: type[PlanFileError] = PlanFileError
) -> bytes:
    """The bytes of an input file, or `error` naming the file and what is wrong with it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(path, "no such file") from None
    except IsADirectoryError:
        raise error(path, f"is a directory, not a {what}") from None
    except OSError as failure:
        raise error(path, f"cannot read: {failure.strerror}") from None


def decode_input(
    path: Path, data: bytes, *, hint: str = "", error: type[PlanFileError] = PlanFileError
) -> str:
    """UTF-8 text (a byte-order mark allowed), or `error` saying it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise error(path, f"not UTF-8 text ({failure.reason}){hint}") from None
