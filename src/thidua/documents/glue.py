"""Words glued together where a document lost its line breaks ("Vănphòng", "quận3").

Vietnamese writes one syllable per word, and a syllable has exactly one vowel nucleus between
an optional onset and an optional coda, with at most one tone mark. A token that is not one
syllable is therefore either foreign (an abbreviation, a loan word) or several syllables
glued together. The splitter cuts a glued token only into syllables that it knows: syllables
that occur on their own in the same text, plus a short list of common administrative ones.
Among the ways to cut a token it takes the most likely under the text's own syllable
frequencies, and leaves the token alone when two ways are about as likely. It never splits a
token that is a single syllable ("Hồ", "Nguyễn", "khuỷu").

Three boundaries need no vocabulary: a lower-case letter followed by a capital ("PhóVăn"), a
word followed by a digit ("quận3"), and a comma, semicolon or colon followed by a letter
("Tuấn,Phó").
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import attrs

from thidua.text import nfc

__all__ = ["GlueSplitter", "is_syllable"]

# Tone marks in decomposed form; the other marks (breve, circumflex, horn) shape the vowel.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

# Longest first, so that "ngh" is tried before "ng" and "n".
_ONSETS = (
    "ngh",
    "ng",
    "nh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ph",
    "qu",
    "th",
    "tr",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
    "",
)
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")

# Vowel nuclei with their glides, without tone marks. Deliberately a little lenient (it
# accepts a few combinations Vietnamese does not use): a lenient test only means fewer splits.
_NUCLEI_TEXT = """
    a ă â e ê i o ô ơ u ư y
    ai ao au ay âu ây eo êu ia iu oa oă oe oi ôi ơi oo ôô ua uâ uê ui uô uơ uy ưa ưi ươ ưu iê yê
    iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu uêu
"""
_NUCLEI = frozenset(_NUCLEI_TEXT.split())

# Common syllables of administrative Vietnamese, so that a short text still splits its glued
# words. The text's own syllables outweigh these (each counts once here).
_COMMON = """
    ủy ban nhân dân thành phố tỉnh quận huyện thị xã phường trấn đặc khu sở ngành văn phòng
    cơ quan đơn vị hành chính nhà nước cụm khối thi đua lãnh đạo cán bộ phụ trách theo dõi
    chánh phó trưởng chuyên viên đồng chí tổng hợp kế hoạch công tác năm các và của trong
    tài nguyên môi trường giao thông vận tải xây dựng nông nghiệp phát triển thôn khoa học
    nghệ thông tin truyền giáo dục đào tạo y tế lao động thương binh hội văn hóa thể thao
    du lịch tư pháp nội vụ ngoại thanh tra thuế kho bạc thống kê hải quân sự công an đội
    biên phòng viện kiểm sát tòa án trung tâm quản lý đầu chương trình dân tộc đài tiếng
    nói hình lực lượng niên xung bưu điện cục quỹ ở mới đô thị tiếp
"""


def _untoned(syllable: str) -> tuple[str, int]:
    """The syllable without its tone mark, and how many tone marks it had."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = sum(mark in _TONE_MARKS for mark in decomposed)
    bare = "".join(mark for mark in decomposed if mark not in _TONE_MARKS)
    return unicodedata.normalize("NFC", bare), tones


@functools.lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """Whether `word` (letters only, any case) has the shape of one Vietnamese syllable."""
    bare, tones = _untoned(nfc(word).lower())
    if tones > 1 or not bare.isalpha():
        return False
    for onset in _ONSETS:
        if not bare.startswith(onset):
            continue
        rest = bare[len(onset) :]
        for coda in _CODAS:
            if rest.endswith(coda) and rest[: len(rest) - len(coda)] in _NUCLEI:
                return True
    return False


_LETTERS = re.compile(r"[^\W\d_]+")
_WORD_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")
_PUNCT_LETTER = re.compile(r"([,;:])(?=[^\W\d_])")
# The most pieces a glued token is cut into (three syllables is the longest seen).
_MAX_PIECES = 4
# The longest Vietnamese syllable has seven letters ("nghiêng", "nguyễn"); one spare.
_LONGEST_SYLLABLE = 8
# The weight of a well-formed syllable the vocabulary lacks: a cut may use one such syllable
# ("Kiếntrúc" in a text that never writes "trúc" alone), but only next to known ones.
_UNSEEN = 0.5
_VOWELS = frozenset("aăâeêioôơuưy")
# Two ways of cutting within this factor of likelihood are too close to call.
_AMBIGUITY = math.log(2.0)


def _camel_split(text: str) -> str:
    """A space between a lower-case letter and a following capital ("PhóVăn" -> "Phó Văn")."""

    def word(match: re.Match[str]) -> str:
        letters = match.group()
        if len(letters) < 2 or letters.isupper() or letters[1:].islower():
            return letters  # the common cases, checked once instead of letter by letter
        return "".join(
            f" {char}" if index and char.isupper() and letters[index - 1].islower() else char
            for index, char in enumerate(letters)
        )

    return _LETTERS.sub(word, text)


@attrs.frozen
class Fix:
    """A line after splitting, and the tokens that look glued but could not be split."""

    text: str
    unresolved: tuple[str, ...]


@attrs.define
class GlueSplitter:
    """Splits glued words, with a vocabulary of syllables learnt from a text."""

    counts: Counter[str] = attrs.field(factory=Counter)
    total: int = 0

    @classmethod
    def from_text(cls, text: str, extra: Iterable[str] = ()) -> GlueSplitter:
        """A splitter knowing the syllables that `text` writes on their own, plus common ones."""
        counts: Counter[str] = Counter(_COMMON.split())
        counts.update(word.lower() for word in extra)
        for word in _LETTERS.findall(_camel_split(nfc(text))):
            if is_syllable(word):
                counts[word.lower()] += 1
        return cls(counts, sum(counts.values()))

    def fix(self, text: str) -> Fix:
        """`text` with glued words separated; the tokens it could not settle are listed."""
        text = nfc(text)
        text = _PUNCT_LETTER.sub(r"\1 ", text)
        text = _WORD_DIGIT.sub(
            lambda match: " " if self._ends_in_word(text, match.start()) else "", text
        )
        text = _camel_split(text)
        unresolved: list[str] = []

        def split(match: re.Match[str]) -> str:
            word = match.group(0)
            if is_syllable(word) or _vowel_groups(word) < 2:
                return word
            if word.isupper() and word.isascii():
                return word  # an abbreviation or a Roman numeral ("ISO", "III"), not Vietnamese
            pieces = self.split_word(word)
            if pieces is None:
                if any(char.islower() for char in word):
                    unresolved.append(word)
                return word
            return " ".join(pieces)

        return Fix(_LETTERS.sub(split, text), tuple(unresolved))

    @staticmethod
    def _ends_in_word(text: str, end: int) -> bool:
        """Whether the letters before `end` form a lower-case word (not "ISO" of "ISO9001")."""
        start = end
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        word = text[start:end]
        return any(char.islower() for char in word) and bool(_LETTERS.fullmatch(word))

    def split_word(self, word: str) -> list[str] | None:
        """The known syllables `word` is glued from, or None when that is not clear."""
        lower = word.lower()
        if len(lower) != len(word):
            return None  # a letter whose lower case has another length: leave the word alone
        if _vowel_groups(lower) > _MAX_PIECES:
            return None  # more syllables than a cut may make: nothing to try
        candidates = [
            (score, cuts)
            for score, cuts, unseen in self._segmentations(lower, 0, _MAX_PIECES)
            if unseen <= 1 and unseen <= len(cuts)
        ]
        if not candidates:
            return None
        ranked = sorted(candidates, key=lambda item: -item[0])
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < _AMBIGUITY:
            return None
        cuts = ranked[0][1]
        bounds = [0, *cuts, len(word)]
        return [word[start:end] for start, end in itertools.pairwise(bounds)]

    def _segmentations(
        self, word: str, start: int, pieces: int
    ) -> list[tuple[float, list[int], int]]:
        """Ways to cut word[start:] into at most `pieces` well-formed syllables, as
        (log-likelihood, cut positions, how many pieces the vocabulary lacks). At start 0,
        only cuts into two or more pieces count."""
        found: list[tuple[float, list[int], int]] = []
        if pieces == 0:
            return found
        # No syllable is longer than _LONGEST_SYLLABLE letters: trying longer pieces would
        # make a long glued token cost its length squared.
        for end in range(start + 1, min(len(word), start + _LONGEST_SYLLABLE) + 1):
            piece = word[start:end]
            if start == 0 and end == len(word):
                continue  # the whole word is what failed; it is not a way to cut it
            if not is_syllable(piece):
                continue
            count = self.counts.get(piece, 0)
            unseen = 0 if count else 1
            score = math.log((count or _UNSEEN) / self.total)
            if end == len(word):
                found.append((score, [], unseen))
                continue
            for rest_score, cuts, rest_unseen in self._segmentations(word, end, pieces - 1):
                found.append((score + rest_score, [end, *cuts], unseen + rest_unseen))
        return found


def _vowel_groups(word: str) -> int:
    """How many separate runs of vowels `word` has: more than one means several syllables."""
    bare, _ = _untoned(word.lower())
    groups, previous = 0, False
    for char in bare:
        vowel = char in _VOWELS
        if vowel and not previous:
            groups += 1
        previous = vowel
    return groups
