"""What a group and its roles are called: "Khối" for departments, "Cụm" otherwise, said once.

Every place that names a group's kind (command line, documents, solver explanations, the
interface) asks here, in the process's language or, for a document, in the one it is written in.
"""

from __future__ import annotations

from thidua.i18n import N_, _, gettext_in, pgettext
from thidua.model import Group

__all__ = [
    "BLOCK_KIND",
    "chair_title",
    "deputy_title",
    "group_word",
    "is_block",
    "role_title",
    "role_word",
    "term_label",
]

# Units of this kind (sở, ban, ngành) form blocks (khối); all others form clusters (cụm).
BLOCK_KIND = "department"

_WORDS = {True: N_("Block"), False: N_("Cluster")}


def is_block(group: Group | str) -> bool:
    """Whether a group (or a group of units of this kind) is a khối rather than a cụm.

    A group's own name wins where it says ("Cụm 3" of departments is still a cụm).
    """
    if isinstance(group, str):
        return group == BLOCK_KIND
    lowered = group.name.lower()
    if lowered.startswith("cụm"):
        return False
    if lowered.startswith("khối"):
        return True
    return group.kind == BLOCK_KIND


def group_word(group: Group | str, *, lang: str | None = None) -> str:
    """ "Khối" or "Cụm" ("Block" or "Cluster"); `lang` defaults to the process's language."""
    message = _WORDS[is_block(group)]
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


# Objective terms and solver stages by name (thidua.terms, thidua.solver).
_TERMS = {
    "moves": N_("Units moved"),
    "staff_changes": N_("Staff changes"),
    "spread": N_("Size spread"),
    "tag_cohesion": N_("Units outside their group's majority tag"),
    "neighbour_cohesion": N_("Neighbour pairs split"),
    "district_pieces": N_("Former district pieces beyond one"),
    "disconnected_groups": N_("Groups not connected"),
    "border_between": N_("Border between groups (m)"),
    "weighted": N_("Weighted sum"),
    "rules": N_("Rules"),
}


def term_label(name: str) -> str:
    """An objective term or solver stage in words; stages joined by "+" are named in turn."""
    return " + ".join(_(_TERMS[part]) if part in _TERMS else part for part in name.split("+"))
