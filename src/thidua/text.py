"""Text helpers: Vietnamese names in NFC, ASCII slugs, diacritics-insensitive search keys."""

from __future__ import annotations

import re
import unicodedata

from thidua.errors import InvalidValue
from thidua.i18n import _

__all__ = ["fold", "line_text", "nfc", "slugify", "terminal_safe", "tone_key", "unsafe_character"]

# đ/Đ carry no combining mark, so NFD alone does not strip them.
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """The NFC form of a name, so that a name typed in NFD is the same name."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """A search key: lower case, no diacritics, single spaces ("Tân Bình" -> "tan binh")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def slugify(text: str) -> str:
    """An ASCII id from a Vietnamese name ("Sở Công Thương" -> "so-cong-thuong")."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")


# Characters that break a line or reorder or hide text: control characters (C0, DEL, C1),
# line and paragraph separators, and the bidirectional overrides and isolates.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that one line of printable text may not hold, if any."""
    found = _UNSAFE.search(text)
    return None if found is None else found.group()


def line_text(text: str) -> str:
    """`text` in NFC, once known to be one line of printable text; else `InvalidValue`.

    A newline in a unit's name would forge a line ("Khối trưởng: ...") in an exported dispatch
    and an escape sequence would drive the terminal that prints it."""
    bad = unsafe_character(text)
    if bad is not None:
        raise InvalidValue(
            _(
                "{text!r} holds the control character U+{code:04X}; a name is one line of "
                "printable text"
            ).format(text=text[:40], code=ord(bad))
        )
    return nfc(text)


def terminal_safe(text: str) -> str:
    """`text` for a terminal: newlines and tabs kept, any other control character shown
    escaped (\\x1b), so text from a file never drives the terminal printing it."""
    return _UNSAFE.sub(
        lambda match: match.group() if match.group() in "\n\t" else ascii(match.group())[1:-1],
        text,
    )


# Vietnamese tone marks (grave, acute, tilde, hook above, dot below): where a word carries
# its tone differs between spellings ("Hoà" and "Hòa"), not which tone it is.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def tone_key(text: str) -> str:
    """A key equal for the two tone placements of a name ("Hoà" and "Hòa") but different for
    names that differ by a mark ("Thanh An" and "Thạnh An"): each word's tone moved to its end."""
    words = []
    for word in nfc(text).split():
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in decomposed if ch in _TONES)
        bare = "".join(ch for ch in decomposed if ch not in _TONES)
        words.append(unicodedata.normalize("NFC", bare) + tones)
    return " ".join(words)
