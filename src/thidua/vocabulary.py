"""What a group and its roles are called: "Khối" for departments, "Cụm" otherwise, said once.

Every place that names a group's kind (command line, documents, solver explanations, the
interface) asks here, in the process's language or, for a document, in the one it is written in.
"""

from __future__ import annotations

from collections.abc import Mapping

from thidua.i18n import N_, _, gettext_in, pgettext
from thidua.model import Group

__all__ = [
    "BLOCK_KIND",
    "chair_title",
    "deputy_title",
    "group_noun",
    "group_word",
    "is_block",
    "kind_words",
    "role_title",
    "role_word",
    "succession_words",
]

# Units of this kind (sở, ban, ngành) form blocks (khối); all others form clusters (cụm).
BLOCK_KIND = "department"

_WORDS = {True: N_("Block"), False: N_("Cluster")}
# In a sentence: (one, several).
_NOUNS = {True: (N_("block"), N_("blocks")), False: (N_("cluster"), N_("clusters"))}


def is_block(group: Group | str) -> bool:
    """Whether a group is a khối rather than a cụm. A string is a unit kind ("department") or
    a group's name ("Khối 3").

    A group's own name wins where it says ("Cụm 3" of departments is still a cụm).
    """
    name, kind = (group, group) if isinstance(group, str) else (group.name, group.kind)
    lowered = name.lower()
    if lowered.startswith("cụm"):
        return False
    if lowered.startswith("khối"):
        return True
    return kind == BLOCK_KIND


def group_word(group: Group | str, *, lang: str | None = None) -> str:
    """ "Khối" or "Cụm" ("Block" or "Cluster"); `lang` defaults to the process's language."""
    message = _WORDS[is_block(group)]
    return gettext_in(lang, message) if lang is not None else _(message)


def group_noun(group: Group | str, *, plural: bool = False, lang: str | None = None) -> str:
    """ "khối" or "cụm" ("block(s)", "cluster(s)") as a sentence says it."""
    message = _NOUNS[is_block(group)][plural]
    return gettext_in(lang, message) if lang is not None else _(message)


def role_word(role: str, group: Group | str, *, lang: str | None = None) -> str:
    """A group's "chair", "deputy", "leader" or "officer" in words: Khối trưởng, Cụm phó, Lãnh
    đạo phụ trách, Cán bộ phụ trách in Vietnamese; an unknown role is returned as it is."""
    block = is_block(group)
    # Literal calls, one per word, so that extraction finds every context.
    if role == "chair":
        if block:
            return pgettext("block", "chair", lang=lang)
        return pgettext("cluster", "chair", lang=lang)
    if role == "deputy":
        if block:
            return pgettext("block", "deputy", lang=lang)
        return pgettext("cluster", "deputy", lang=lang)
    if role == "leader":
        return pgettext("group", "leader", lang=lang)
    if role == "officer":
        return pgettext("group", "officer", lang=lang)
    return role


def role_title(role: str, group: Group | str, *, lang: str | None = None) -> str:
    """`role_word` as a title standing alone, capitalised ("Chair", "Khối trưởng")."""
    word = role_word(role, group, lang=lang)
    return word[:1].upper() + word[1:]


def chair_title(group: Group | str, *, lang: str | None = None) -> str:
    return role_title("chair", group, lang=lang)


def deputy_title(group: Group | str, *, lang: str | None = None) -> str:
    return role_title("deputy", group, lang=lang)


# kind -> (a unit, units), in the words planners use; a group is a khối or cụm, said above.
_KIND_WORDS: Mapping[str, tuple[str, str]] = {
    "department": (N_("department"), N_("departments")),
    "district": (N_("district"), N_("districts")),
    "commune": (N_("commune"), N_("communes")),
    "ward": (N_("ward"), N_("wards")),
}


def kind_words(kind: str) -> tuple[str, str, str, str]:
    """How to speak of units and groups of `kind`: a unit, units, a group, groups."""
    group, groups = group_noun(kind), group_noun(kind, plural=True)
    words = _KIND_WORDS.get(kind)
    if words is None:
        return (
            _("{kind} unit").format(kind=kind),
            _("{kind} units").format(kind=kind),
            group,
            groups,
        )
    unit, units = words
    return _(unit), _(units), group, groups


# The succession patterns in words (the plan file's `rules.succession` values).
_SUCCESSION = {
    "free": N_("free election"),
    "deputy": N_("the deputy succeeds"),
    "leading": N_("the leading unit succeeds"),
}


def succession_words(value: str) -> str:
    """How next year's chair is chosen, in words ("the deputy succeeds")."""
    return _(_SUCCESSION[value]) if value in _SUCCESSION else value
