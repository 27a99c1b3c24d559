"""Text helpers: Vietnamese names in NFC, ASCII slugs, diacritics-insensitive search keys."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nfc", "slugify"]

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
