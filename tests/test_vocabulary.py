"""Khối for departments, Cụm otherwise: said once, in both languages."""

from __future__ import annotations

import pytest

from thidua import i18n
from thidua.model import Group
from thidua.vocabulary import (
    chair_title,
    deputy_title,
    group_noun,
    group_word,
    is_block,
    role_title,
    role_word,
)


def group(name: str, kind: str) -> Group:
    return Group(id="g", name=name, kind=kind)


@pytest.mark.parametrize(
    ("subject", "block"),
    [
        (group("Khối 1", "department"), True),
        (group("Cụm 1", "district"), False),
        (group("Nhóm A", "department"), True),  # the name says nothing: the kind decides
        (group("Nhóm B", "commune"), False),
        (group("Cụm 3", "department"), False),  # the name wins
        (group("khối thi đua số 2", "district"), True),
        ("department", True),
        ("ward", False),
        ("Khối 4", True),
        ("Cụm 2", False),
    ],
)
def test_is_block(subject: Group | str, block: bool) -> None:
    assert is_block(subject) is block


@pytest.mark.usefixtures("vietnamese")
def test_vietnamese_words() -> None:
    block, cluster = group("Khối 1", "department"), group("Cụm 1", "district")
    assert [group_word(block), group_word(cluster)] == ["Khối", "Cụm"]
    assert [chair_title(block), chair_title(cluster)] == ["Khối trưởng", "Cụm trưởng"]
    assert [deputy_title(block), deputy_title(cluster)] == ["Khối phó", "Cụm phó"]
    assert role_title("leader", block) == "Lãnh đạo phụ trách"
    assert role_word("officer", cluster) == "Cán bộ phụ trách"
    assert role_word("secretary", cluster) == "secretary"
    assert [group_noun("department", plural=True), group_noun("ward")] == ["khối", "cụm"]


def test_english_words() -> None:
    block, cluster = group("Khối 1", "department"), group("Cụm 1", "district")
    assert [group_word(block), group_word(cluster)] == ["Block", "Cluster"]
    assert [chair_title(block), chair_title(cluster)] == ["Chair", "Chair"]
    assert role_word("deputy", block) == "deputy"
    assert [group_noun(block, plural=True), group_noun("unheard-of")] == ["blocks", "cluster"]


def test_a_document_asks_for_its_own_language() -> None:
    assert i18n.language() == "en"
    assert chair_title(group("Nhóm", "department"), lang="vi") == "Khối trưởng"
    assert group_word("commune", lang="vi") == "Cụm"
    assert role_title("leader", "district", lang="vi") == "Lãnh đạo phụ trách"
