"""What a group and its roles are called: "Khối" for departments, "Cụm" otherwise, said once.

Every place that names a group's kind (command line, documents, solver explanations, the
interface) asks here, in the process's language or, for a document, in the one it is written in.
"""

from __future__ import annotations

from thidua.i18n import N_, _, gettext_in
from thidua.model import Group

__all__ = [
    "BLOCK_KIND",
    "chair_title",
    "deputy_title",
    "group_word",
    "is_block",
    "role_title",
    "term_label",
]

# Units of this kind (sở, ban, ngành) form blocks (khối); all others form clusters (cụm).
BLOCK_KIND = "department"

_WORDS = {True: N_("Block"), False: N_("Cluster")}
_CHAIRS = {True: N_("Block chair"), False: N_("Cluster chair")}
_DEPUTIES = {True: N_("Block deputy"), False: N_("Cluster deputy")}


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


def _say(words: dict[bool, str], group: Group | str, lang: str | None) -> str:
    message = words[is_block(group)]
    return gettext_in(lang, message) if lang is not None else _(message)


def group_word(group: Group | str, *, lang: str | None = None) -> str:
    """ "Khối" or "Cụm" ("Block" or "Cluster"), capitalised; `lang` defaults to the process's."""
    return _say(_WORDS, group, lang)


def chair_title(group: Group | str, *, lang: str | None = None) -> str:
    """ "Khối trưởng" or "Cụm trưởng" ("Block chair", "Cluster chair")."""
    return _say(_CHAIRS, group, lang)


def deputy_title(group: Group | str, *, lang: str | None = None) -> str:
    """ "Khối phó" or "Cụm phó" ("Block deputy", "Cluster deputy")."""
    return _say(_DEPUTIES, group, lang)


_STAFF_TITLES = {"leader": N_("Leader in charge"), "officer": N_("Officer in charge")}


def role_title(role: str, group: Group | str, *, lang: str | None = None) -> str:
    """The title of a group's "chair", "deputy", "leader" or "officer" (Khối trưởng, Lãnh đạo
    phụ trách, ...); an unknown role is returned as it is."""
    if role == "chair":
        return chair_title(group, lang=lang)
    if role == "deputy":
        return deputy_title(group, lang=lang)
    message = _STAFF_TITLES.get(role)
    if message is None:
        return role
    return gettext_in(lang, message) if lang is not None else _(message)


# Objective terms and solver stages by name (thidua.terms, thidua.solver).
_TERMS = {
    "moves": N_("Units moved"),
    "staff_changes": N_("Staff changes"),
    "spread": N_("Size spread"),
    "tag_cohesion": N_("Units outside their group's majority tag"),
    "neighbour_cohesion": N_("Neighbour pairs split"),
    "weighted": N_("Weighted sum"),
    "rules": N_("Rules"),
}


def term_label(name: str) -> str:
    """An objective term or solver stage in words; stages joined by "+" are named in turn."""
    return " + ".join(_(_TERMS[part]) if part in _TERMS else part for part in name.split("+"))
