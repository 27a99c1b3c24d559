"""What the interface adds to the core's catalogue (`thidua.i18n`): Textual's own words, the
key bindings, and switching the language while the app runs.

Every word the interface shows is an English msgid looked up with `_()` in the one catalogue
(`src/thidua/locale`); binding descriptions are msgids too, marked with `N_()` where they are
declared and translated where the footer, the help screen and the palette read them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from textual.binding import Binding

from thidua.i18n import LANGUAGES, N_, _, language, set_language
from thidua.terms import term_label
from thidua.vocabulary import chair_title, deputy_title, group_word

__all__ = [
    "LANGUAGES",
    "TEXTUAL_WORDS",
    "chair_word",
    "deputy_word",
    "group_word",
    "kind_label",
    "kind_word",
    "language",
    "localise_binding",
    "set_language",
    "term_label",
    "translate",
]

# Words Textual itself shows (its bindings and the palette's key), so that the catalogue holds
# them and the Vietnamese interface has no English left in it.
TEXTUAL_WORDS = (N_("Quit"), N_("palette"), N_("Copy"), N_("Paste"))

_KIND_LABELS: Mapping[str, str] = {
    "department": N_("Blocks (departments)"),
    "district": N_("Clusters (districts)"),
    "commune": N_("Clusters (communes)"),
}
_KIND_WORDS: Mapping[str, str] = {
    "department": N_("departments"),
    "district": N_("districts"),
    "commune": N_("communes"),
}


def translate(message: str) -> str:
    """`_` for a message that may be empty (an unset tooltip)."""
    return _(message) if message else message


def chair_word(kind: str) -> str:
    """Khối trưởng or Cụm trưởng (Block chair, Cluster chair)."""
    return chair_title(kind)


def deputy_word(kind: str) -> str:
    """Khối phó or Cụm phó."""
    return deputy_title(kind)


def kind_label(kind: str) -> str:
    """The heading of a kind of group in the tree; a kind the data invents is named with the
    group word and its own id."""
    label = _KIND_LABELS.get(kind)
    return _(label) if label else f"{group_word(kind)} ({kind})"


def kind_word(kind: str) -> str:
    """A kind of unit in words (sở, ban, ngành; quận, huyện; phường, xã)."""
    word = _KIND_WORDS.get(kind)
    return _(word) if word else kind


def localise_binding(binding: Binding) -> Binding:
    """`binding` with its description and tooltip in the current language."""
    return dataclasses.replace(
        binding,
        description=translate(binding.description),
        tooltip=translate(binding.tooltip),
    )
