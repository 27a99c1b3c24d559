"""Text helpers: Vietnamese names in NFC, ASCII slugs, diacritics-insensitive search keys."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nfc", "slugify", "tone_key"]

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
