"""Reading any input file (plan, dispatch, score sheet): its bytes and its text, or one error."""

from __future__ import annotations

from pathlib import Path

from thidua.errors import PlanFileError
from thidua.i18n import N_, _

__all__ = ["decode_input", "read_input"]


def read_input(
    path: Path, *, what: str = N_("plan file"), error: type[PlanFileError] = PlanFileError
) -> bytes:
    """The bytes of an input file, or `error` naming the file and what is wrong with it.

    `what` is marked with `N_` by the caller and translated here.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(path, _("no such file")) from None
    except IsADirectoryError:
        raise error(path, _("is a directory, not a {what}").format(what=_(what))) from None
    except OSError as failure:
        raise error(path, _("cannot read: {why}").format(why=failure.strerror)) from None


def decode_input(
    path: Path, data: bytes, *, hint: str = "", error: type[PlanFileError] = PlanFileError
) -> str:
    """UTF-8 text (a byte-order mark allowed), or `error` saying it is not (`hint`: already
    translated advice to append)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        message = _("not UTF-8 text ({why})").format(why=failure.reason)
        raise error(path, message + hint) from None
