"""argparse's own words (usage, help headings, usage errors) in the process's language.

argparse looks its words up with the gettext functions it imported at load time; pointing
those at thidua's catalogue makes `thidua --help` and a usage error speak one language with
the rest of the output. The messages below are argparse's (Python 3.11 and later) exactly as
it writes them, marked here so that the catalogue extracts and translates them.
"""

from __future__ import annotations

import argparse

from thidua.i18n import N_, _, ngettext

__all__ = ["ARGPARSE_MESSAGES", "localise_argparse"]

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def localise_argparse() -> None:
    """Route argparse's lookups through thidua's catalogue (idempotent)."""
    # argparse has no hook for this; its module globals are the documented gettext seam.
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
