"""Reading the gettext catalogue in tests: which English source strings have a Vietnamese
translation, and a stand-in catalogue that shows whether a string was looked up at all."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from thidua.i18n import LOCALE_DIR

__all__ = ["MarkingCatalogue", "translated_ids"]

PO_FILE = LOCALE_DIR / "vi" / "LC_MESSAGES" / "thidua.po"


class MarkingCatalogue(gettext.NullTranslations):
    """A catalogue that "translates" every string by wrapping it in « », so that a test can
    tell text that went through the catalogue from text that did not."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"«{msgid1 if n == 1 else msgid2}»"


def _entries(text: str) -> list[dict[str, str]]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (the first form), as read."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if current:
                entries.append(current)
                current, key = {}, ""
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        word, _, rest = line.partition(" ")
        key = "msgstr" if word in ("msgstr", "msgstr[0]") else word
        if word.startswith("msgstr[") and word != "msgstr[0]":
            key = word
        current[key] = ast.literal_eval(rest)
    if current:
        entries.append(current)
    return entries


def translated_ids(path: Path = PO_FILE) -> set[str] | None:
    """The source strings the Vietnamese catalogue translates; None while there is none."""
    if not path.exists():
        return None
    return {
        entry["msgid"]
        for entry in _entries(path.read_text(encoding="utf-8"))
        if entry.get("msgid") and entry.get("msgstr") and "fuzzy" not in entry
    }
