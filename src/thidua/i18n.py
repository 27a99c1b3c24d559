"""The words thidua shows a person, in Vietnamese or English: one gettext catalogue.

Source strings are English and marked with `_()` (or `ngettext()` for counts, `N_()` where
the string is looked up later); `src/thidua/locale/<lang>/LC_MESSAGES/thidua.po` holds the
translations (`python scripts/catalogue.py update`, docs/DEVELOPING.md). Fill placeholders
after translating: `_("{count} groups").format(count=n)`. `pgettext(context, word)` tells apart
one English word with two translations ("chair" of a block, of a cluster); `gettext_in(lang, ...)`
is for a document written in its own language whatever the process's.
One language per process: `set_language()` (the command line's `--lang`), else `THIDUA_LANG`,
else the locale (LC_ALL, LC_MESSAGES, LANG: English when it says `en`), else Vietnamese, the
documents' own language.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "N_",
    "_",
    "gettext_in",
    "language",
    "ngettext",
    "ngettext_in",
    "ngettext_noop",
    "pgettext",
    "resolve_language",
    "set_language",
]

LANGUAGES = ("vi", "en")
DOMAIN = "thidua"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: str | None = None
_translations: dict[str, gettext.NullTranslations] = {}


def resolve_language(explicit: str | None = None) -> str:
    """The language asked for: explicit, else THIDUA_LANG, else the locale, else Vietnamese."""
    if explicit in LANGUAGES:
        return explicit
    chosen = os.environ.get("THIDUA_LANG", "")
    if chosen in LANGUAGES:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "en" if value.lower().startswith("en") else "vi"
    return "vi"


def set_language(lang: str | None) -> str:
    """Choose the process's language (None: from the environment); returns the one chosen."""
    global _current
    _current = resolve_language(lang)
    return _current


def language() -> str:
    """The process's language, resolved from the environment on first use."""
    return _current if _current is not None else set_language(None)


def _catalogue(lang: str | None = None) -> gettext.NullTranslations:
    lang = lang or language()
    if lang not in _translations:
        _translations[lang] = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
        )
    return _translations[lang]


def _(message: str) -> str:
    """`message` (English, as written in the source) in the process's language."""
    return _catalogue().gettext(message)


def gettext_in(lang: str, message: str) -> str:
    """`message` in `lang` whatever the process's language (a document keeps its own language)."""
    return _catalogue(lang).gettext(message)


def pgettext(context: str, message: str, *, lang: str | None = None) -> str:
    """`message` as meant in `context` ("block"/"cluster" for a chair's title), in `lang` or
    the process's language: one English word, two Vietnamese ones."""
    return _catalogue(lang).pgettext(context, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the process's language."""
    return _catalogue().ngettext(singular, plural, count)


def ngettext_in(lang: str, singular: str, plural: str, count: int) -> str:
    """The form for `count` in `lang` whatever the process's language (for documents)."""
    return _catalogue(lang).ngettext(singular, plural, count)


def N_(message: str) -> str:  # gettext's conventional name
    """Mark `message` for the catalogue without translating it now (looked up later by `_`)."""
    return message


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for the catalogue without translating it now (looked
    up later by `ngettext`, as a rule's wording with a count is)."""
    return singular, plural
