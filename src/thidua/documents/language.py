"""The language of the official documents: Vietnamese, whatever `--lang` says.

A covenant, minutes, a report or a score sheet to fill in goes to the member units and the
authorities as the legal text (as the dispatch does); only the messages around them follow the
process's language. Modules that write a document import these as `_` and `ngettext`, so the
catalogue's extraction finds their strings as usual.
"""

from __future__ import annotations

from thidua.i18n import gettext_in, ngettext_in

__all__ = ["DOCUMENT_LANGUAGE", "document_gettext", "document_ngettext"]

DOCUMENT_LANGUAGE = "vi"


def document_gettext(message: str) -> str:
    return gettext_in(DOCUMENT_LANGUAGE, message)


def document_ngettext(singular: str, plural: str, count: int) -> str:
    return ngettext_in(DOCUMENT_LANGUAGE, singular, plural, count)
