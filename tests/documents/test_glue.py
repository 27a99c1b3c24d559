"""Glued words: syllable structure, splitting by the text's own vocabulary, and what is left."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.documents.glue import GlueSplitter, is_syllable

# A little text that writes these syllables on their own, as a dispatch's body would.
TEXT = """
Văn phòng Ủy ban nhân dân thành phố phân công cán bộ phụ trách. Sở Kế hoạch và Phát triển
nhà nước; các quận, các huyện; kiến thức. Phó Văn phòng, nhà ở, nước sạch, nhà nước.
"""


@pytest.fixture(scope="module")
def splitter() -> GlueSplitter:
    return GlueSplitter.from_text(TEXT)


@pytest.mark.parametrize(
    "word",
    ["Hồ", "Nguyễn", "khuỷu", "Huỳnh", "Quỳnh", "Quyết", "giữa", "gì", "người", "Ủy", "xoong", "y"],
)
def test_single_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["Vănphòng", "Ủyban", "UBND", "AIDS", "nhànước", "b", "Cityweb"])
def test_not_single_syllables(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize(
    ("glued", "split"),
    [
        ("Phó Vănphòng", "Phó Văn phòng"),
        ("Văn phòng Ủyban nhân dân", "Văn phòng Ủy ban nhân dân"),
        ("Viện Nghiên cứu Pháttriển", "Viện Nghiên cứu Phát triển"),
        ("Tài chính nhànước thành phố", "Tài chính nhà nước thành phố"),
        ("Ủy ban nhân dân quận3.", "Ủy ban nhân dân quận 3."),
        ("PhóVăn phòng", "Phó Văn phòng"),
        ("Nguyễn Tuấn,Phó Trưởng phòng", "Nguyễn Tuấn, Phó Trưởng phòng"),
        ("cácquận: 1, 3", "các quận: 1, 3"),
        ("cáchuyện:", "các huyện:"),
        ("Võ Thị ThanhKiều", "Võ Thị Thanh Kiều"),
        # "trúc" never stands alone in TEXT: one unseen, well-formed syllable may complete a cut.
        ("Sở Quy hoạch-Kiếntrúc", "Sở Quy hoạch-Kiến trúc"),
    ],
)
def test_splits_glued_words(splitter: GlueSplitter, glued: str, split: str) -> None:
    fix = splitter.fix(glued)
    assert fix.text == split
    assert fix.unresolved == ()


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Văn Hùng, Huỳnh Kim Phát, Trương Thị Minh Hương",
        "Hồ Chí Minh",
        "UBND THÀNH PHỐ; Phòng TH-KH (6b); Lưu: VT, (THKH/NTn).",
        "ISO 9001:2008, mục III.",
        "Ủy ban phòng chống AIDS thành phố",
        "1,5 điểm",
    ],
)
def test_leaves_words_that_are_not_glued(splitter: GlueSplitter, text: str) -> None:
    assert splitter.fix(text).text == text


def test_reports_what_it_cannot_split(splitter: GlueSplitter) -> None:
    fix = splitter.fix("Trang Cityweb của thành phố")
    assert fix.text == "Trang Cityweb của thành phố"
    assert fix.unresolved == ("Cityweb",)


def test_two_equally_likely_cuts_are_left_alone() -> None:
    # "lan|hương" and "lanh|ương" are made of syllables the text writes equally often.
    splitter = GlueSplitter.from_text("lan hương lanh ương")
    fix = splitter.fix("lanhương")
    assert fix.text == "lanhương"
    assert fix.unresolved == ("lanhương",)


def test_the_text_decides_between_cuts() -> None:
    splitter = GlueSplitter.from_text("lan hương " * 5 + "lanh ương")
    assert splitter.fix("lanhương").text == "lan hương"


SYLLABLE_TEXT = """
    văn phòng ủy ban nhân dân thành phố quận huyện Nguyễn Huỳnh khuỷu người giữa Quyết Hồ
    Tân Bình Gò Vấp Thủ Đức Cần Giờ Điệp Kiều nghiêng xoong
"""
SYLLABLES = SYLLABLE_TEXT.split()


@given(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=8))
def test_spaced_syllables_are_never_touched(words: list[str]) -> None:
    text = " ".join(words)
    assert GlueSplitter.from_text(TEXT).fix(text).text == text


@given(st.text(alphabet=st.sampled_from("aăâeêioôơuưyđnhtcgqpkmlrsvxÁẤỆỘỨ ,;:.-3"), max_size=30))
def test_only_inserts_spaces(text: str) -> None:
    fixed = GlueSplitter.from_text(TEXT).fix(text).text
    assert fixed.replace(" ", "") == text.replace(" ", "")
