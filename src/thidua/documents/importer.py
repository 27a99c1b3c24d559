"""Read a dispatch (công văn) that sets the year's groups into a plan.

Two layouts are read, and may be mixed:

- prose, as in HCMC's 1991/VP-THKH: numbered sections ("1. Các Khối thi đua Sở-ban-ngành"),
  a sub-numbered line per group listing its members after "gồm ...:", then lines for the
  leader, the officer and the chair;
- numbered lists, as other provinces publish them: a Roman-numbered section per group
  ("I. KHỐI THI ĐUA SỐ 1", "II. Cụm thi đua số 1 gồm 6 đơn vị:"), one member per line, then
  "Khối trưởng:", "Khối phó:", leader and officer lines.

Plain text, the Markdown the exporter writes, and Word files are read. Words the text glued
together are separated (`thidua.documents.glue`). The importer never guesses: what it cannot
place it reports as a notice with its line, and it fails only when no plan comes out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from thidua.documents.errors import DispatchError
from thidua.documents.glue import GlueSplitter
from thidua.documents.wording import (
    COPIES_HEADING,
    DEPARTMENT,
    MOTTO,
    NATION,
    RECIPIENTS_LABEL,
    SAME_AS_ABOVE,
    is_placeholder,
    title_from_subject,
)
from thidua.files import decode_input, read_input
from thidua.model import DispatchSettings, Group, Plan, Role, Staff, Unit
from thidua.text import fold, nfc, slugify

__all__ = [
    "ImportResult",
    "Notice",
    "looks_like_markdown",
    "parse_dispatch",
    "read_dispatch",
    "source_lines",
]


@attrs.frozen
class Notice:
    """Something the importer could not place, or had to decide, with its line."""

    line: int | None
    message: str


@attrs.frozen
class ImportResult:
    plan: Plan
    notices: tuple[Notice, ...] = ()
    # What the notices' numbers count: lines of text, or paragraphs of a Word file.
    counted: str = "line"

    def where(self, source: str, notice: Notice) -> str:
        """Where a notice points, as the command line prints it ("file.txt:12")."""
        if notice.line is None:
            return source
        if self.counted == "line":
            return f"{source}:{notice.line}"
        return f"{source}: {self.counted} {notice.line}"


Line = tuple[int, str]

# -- reading the file -----------------------------------------------------------------------

_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_HEADING_MARKS = re.compile(r"^#{1,6}\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*\\])\*(?!\s)(.+?)(?<![\s\\])\*(?![\w*])")
_ESCAPED = re.compile(r"\\([\\`*_\[\]|<>#])")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _markdown_cells(row: str) -> list[str]:
    """The cells of a Markdown table row, splitting on pipes that are not escaped."""
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", inner)]


def _plain(text: str) -> str:
    text = _HEADING_MARKS.sub("", text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    return _ESCAPED.sub(r"\1", text).strip()


_MARKDOWN_HINTS = re.compile(r"^(?:\|.*\|\s*|#{1,6} .*|.*\*\*\S.*\*\*.*)$", re.MULTILINE)


def looks_like_markdown(text: str) -> bool:
    """Whether text without a telling file name is Markdown: a table row, a heading or bold."""
    return _MARKDOWN_HINTS.search(text) is not None


def source_lines(text: str, *, markdown: bool | None = None) -> list[Line]:
    """The text's lines with their numbers. Markdown (by default: when it looks like it) is
    undone: a table is read cell by cell, left to right, each cell line by line, so the
    exporter's two-column header reads as the seed's stacked one."""
    text = nfc(text)
    if markdown is None:
        markdown = looks_like_markdown(text)
    if not markdown:
        return [(number, raw.strip()) for number, raw in enumerate(text.splitlines(), 1)]
    lines: list[Line] = []
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _TABLE_SEPARATOR.match(stripped):
                continue
            for cell in _markdown_cells(stripped):
                lines.extend((number, _plain(part)) for part in _BREAK.split(cell))
        else:
            lines.append((number, _plain(raw)))
    return lines


def _read_lines(path: Path) -> tuple[list[Line], bool]:
    """The file's lines, and whether it was a Word file (its numbers count paragraphs)."""
    data = read_input(path, what="dispatch", error=DispatchError)
    if data.startswith(b"PK\x03\x04"):
        from thidua.documents.word import docx_lines  # python-docx loads only for Word files

        return [(number, nfc(text)) for number, text in enumerate(docx_lines(path), 1)], True
    text = decode_input(path, data, error=DispatchError)
    suffix = path.suffix.lower()
    markdown = True if suffix in {".md", ".markdown"} else False if suffix == ".txt" else None
    return source_lines(text, markdown=markdown), False


def read_dispatch(path: str | Path, *, keep_header: bool = False) -> ImportResult:
    """Read a dispatch file (.txt, .md or .docx) into a plan; see `parse_dispatch`.

    In a Word file the notices count paragraphs (table cells read left to right)."""
    path = Path(path)
    lines, word = _read_lines(path)
    result = parse_dispatch(lines, source=str(path), keep_header=keep_header)
    return attrs.evolve(result, counted="paragraph") if word else result


# -- recognising lines ----------------------------------------------------------------------

_SEPARATOR = re.compile(r"^[-_=*~.\s]{3,}$")
_BULLET = re.compile(r"^[-–—•+*]\s*")
_NUMBERED = re.compile(
    r"^(?P<num>[IVXLC]+[.)]|[A-Z][.)]|[a-zđ]\)|\d+(?:\.\d+)+[.)]?|\d+[.)])\s+(?P<rest>\S.*)$"
)
_NUMBER_LINE = re.compile(r"^Số\s*:\s*(?P<value>.*)$", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:V/v|Về)\s+(?P<value>\S.*)$")
_DATE = re.compile(
    r"^(?P<place>[^,]+),\s*ngày\s*(?P<day>\d{1,2})?[\s.…]*tháng\s*(?P<month>\d{1,2})?[\s.…]*"
    r"năm\s*(?P<year>\d{4})?[\s.…]*$",
    re.IGNORECASE,
)
_RECIPIENTS = re.compile(rf"^{RECIPIENTS_LABEL}\s*:\s*(?P<value>.*)$", re.IGNORECASE)
_COPIES = re.compile(rf"^{COPIES_HEADING}\s*:?\s*$", re.IGNORECASE)
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|DANH SÁCH)\b")
_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rf"^(?:{pattern})\s*:\s*(?P<value>.*)$", re.IGNORECASE))
    for role, pattern in (
        ("leader", r"lãnh đạo (?:phụ trách|theo dõi|chỉ đạo)(?: (?:khối|cụm))?"),
        ("officer", r"cán bộ (?:phụ trách,? theo dõi|phụ trách|theo dõi)(?: (?:khối|cụm))?"),
        ("chair", r"khối trưởng|cụm trưởng|trưởng khối|trưởng cụm"),
        ("deputy", r"khối phó|cụm phó|phó khối|phó cụm"),
    )
)
_GROUP_WORD = re.compile(r"^(?P<word>khối|cụm)\b(?!\s*(?:trưởng|phó))", re.IGNORECASE)
_SECTION = re.compile(r"^các\s+(?:khối|cụm)\b", re.IGNORECASE)
_NUMBERED_NAME = re.compile(
    r"^(?P<word>khối|cụm)\s+(?:thi\s+đua\s+)?(?:số\s+)?(?P<number>\d+)$", re.IGNORECASE
)
_MEMBERS_AFTER = re.compile(r"\bgồm\b(?P<intro>[^:]*):\s*(?P<list>.*)$", re.IGNORECASE)
_COUNT = re.compile(r"\bgồm\s+(?P<count>\d+)\s+(?:đơn vị|cơ quan|thành viên)", re.IGNORECASE)
_PLACE_NOUN = re.compile(
    r"\bcác\s+(?P<noun>quận|huyện|thị xã|phường|xã|thị trấn|đặc khu)\s*$", re.IGNORECASE
)
_HONORIFICS = re.compile(r"^(?:đồng chí|đ/c|ông|bà)\s+", re.IGNORECASE)
# Words (folded) before a unit's name when a line names its office chief, not the unit.
_CHIEF_OF = re.compile(r"^(?:(?:pho )?chanh van phong |van phong )?(?:(?:uy ban nhan dan|ubnd) )?$")
# A member line longer than this is a paragraph, not a unit's name.
_LONGEST_NAME = 150
_DISTRICT_NAME = re.compile(
    r"^(?:(?:ủy ban nhân dân|ubnd)\s+)?(?:quận|huyện|thị xã|thành phố)\b", re.IGNORECASE
)
_COMMUNE_NAME = re.compile(
    r"^(?:(?:ủy ban nhân dân|ubnd)\s+)?(?:phường|xã|thị trấn|đặc khu)\b", re.IGNORECASE
)
_DISTRICT_WORDS = re.compile(r"\b(?:quận|huyện|thị xã)\b", re.IGNORECASE)
_COMMUNE_WORDS = re.compile(r"\b(?:phường|xã|thị trấn|đặc khu)\b", re.IGNORECASE)
_DEPARTMENT_WORDS = re.compile(r"\b(?:sở|ban|ngành|cơ quan)\b", re.IGNORECASE)


def _kind_in(text: str) -> str | None:
    """The unit kind a heading or a unit name speaks of, if it names one."""
    if _DISTRICT_WORDS.search(text):
        return "district"
    if _COMMUNE_WORDS.search(text):
        return "commune"
    if _DEPARTMENT_WORDS.search(text):
        return DEPARTMENT
    return None


def _strip_end(text: str) -> str:
    return text.strip().rstrip(";.,").strip()


def _label(text: str) -> tuple[str, str] | None:
    for role, pattern in _LABELS:
        match = pattern.match(text)
        if match:
            return role, match.group("value").strip()
    return None


# -- the plan being built -------------------------------------------------------------------


@attrs.define
class _Group:
    """A group as the text gives it: names and lines, before ids are made."""

    name: str
    word: str  # "khối" or "cụm"
    line: int
    roman: bool  # numbered-list layout: Arabic-numbered lines are its members
    section_kind: str | None
    declared: int | None = None
    inline: bool = False  # members were listed on the heading line
    members: list[tuple[str, int]] = attrs.field(factory=list)
    labels: dict[str, tuple[str, int]] = attrs.field(factory=dict)
    last_was_member: bool = False


@attrs.define
class _Reader:
    """One walk over a dispatch's lines, collecting the header and the groups as written."""

    splitter: GlueSplitter
    notices: list[Notice] = attrs.field(factory=list)
    groups: list[_Group] = attrs.field(factory=list)
    current: _Group | None = None
    section_kind: str | None = None
    reference: str | None = None
    symbol: str | None = None
    subject: tuple[str, int] | None = None
    place: str | None = None
    issued: dt.date | None = None
    agency: list[str] = attrs.field(factory=list)
    recipients: list[str] = attrs.field(factory=list)
    copies: list[str] = attrs.field(factory=list)
    signer_title: list[str] = attrs.field(factory=list)
    signer: str | None = None
    intro_year: int | None = None
    seen_nation: bool = False

    def notice(self, line: int | None, message: str) -> None:
        self.notices.append(Notice(line, message))

    def fixed(self, text: str, line: int) -> str:
        """A value with its glued words separated; tokens left glued are reported."""
        fix = self.splitter.fix(text)
        for token in fix.unresolved:
            self.notice(line, f"cannot tell whether {token!r} is several words glued together")
        return fix.text

    # -- the walk over the lines ----------------------------------------------------------

    def read(self, lines: Sequence[Line]) -> None:
        index = 0
        while index < len(lines):
            number, text = lines[index]
            text = self.splitter.fix(text).text.strip()
            index += 1
            if not text or _SEPARATOR.match(text):
                continue
            if _COPIES.match(text):
                self.close_group()
                index = self.read_copies(lines, index)
                index = self.skip_to_appendix(lines, index)
                continue
            recipients = _RECIPIENTS.match(text)
            if recipients and not self.groups:
                index = self.read_recipients(lines, index, recipients.group("value"), number)
                continue
            if not self.groups and self.current is None and self.header_line(text, number):
                continue
            self.body_line(text, number)
        self.close_group()

    def header_line(self, text: str, number: int) -> bool:
        """Take a header element (agency, number, subject, date); False if it is none."""
        if text.upper() == NATION or text.lower() == MOTTO.lower():
            self.seen_nation = True
            return True
        number_line = _NUMBER_LINE.match(text)
        if number_line and self.reference is None and self.symbol is None:
            self.read_number(number_line.group("value"))
            return True
        subject = _SUBJECT.match(text)
        if subject and self.subject is None:
            self.subject = (subject.group("value"), number)
            return True
        date = _DATE.match(text)
        if date and self.issued is None and self.place is None:
            self.read_date(date, number)
            return True
        if (
            text.isupper()
            and self.subject is None
            and self.reference is None
            and not _NUMBERED.match(text)
            and not _GROUP_WORD.match(text)
            and not _SECTION.match(text)
        ):
            if not self.seen_nation:
                self.agency.append(text)
            return True
        if self.intro_year is None and not _NUMBERED.match(text):
            year = _YEAR.search(text)
            if year:
                self.intro_year = int(year.group(1))
        return False

    def read_number(self, value: str) -> None:
        value = value.strip()
        number, slash, symbol = value.partition("/")
        if number.strip() and not is_placeholder(number):
            self.reference = re.sub(r"\s+", "", value)
        elif slash and not is_placeholder(symbol):
            self.symbol = symbol.strip()

    def read_date(self, match: re.Match[str], number: int) -> None:
        place = match.group("place").strip()
        self.place = None if is_placeholder(place) else place
        day, month, year = match.group("day"), match.group("month"), match.group("year")
        if day and month and year:
            try:
                self.issued = dt.date(int(year), int(month), int(day))
            except ValueError:
                self.notice(number, f"no such date: {day}/{month}/{year}")

    def read_recipients(self, lines: Sequence[Line], index: int, first: str, number: int) -> int:
        if first.strip():
            self.recipients.append(_strip_end(self.fixed(first, number)))
            return index
        while index < len(lines):
            line_number, text = lines[index]
            text = text.strip()
            if not text:
                index += 1
                continue
            if not _BULLET.match(text):
                break
            self.recipients.append(_strip_end(self.fixed(_BULLET.sub("", text), line_number)))
            index += 1
        return index

    def read_copies(self, lines: Sequence[Line], index: int) -> int:
        """The "Nơi nhận" list, then the signer's title (in capitals) and name."""
        while index < len(lines):
            number, text = lines[index]
            text = text.strip()
            if text and not _BULLET.match(text):
                break
            if text:
                entry = _strip_end(_BULLET.sub("", text))
                if entry != SAME_AS_ABOVE:
                    self.copies.append(entry)
            index += 1
        while index < len(lines):
            number, text = lines[index]
            text = text.strip()
            index += 1
            if not text:
                continue
            signing = text.isupper() or text.startswith(("KT. ", "TL. ", "TM. ", "Q. "))
            if signing and self.signer is None:
                self.signer_title.append(text)
                continue
            if self.signer is None and self.signer_title:
                self.signer = self.fixed(text, number)
            return index
        return index

    @staticmethod
    def skip_to_appendix(lines: Sequence[Line], index: int) -> int:
        """After the signature: only an attached list (phụ lục) still belongs to the dispatch;
        anything else (here the seed's year-end report) is another document."""
        for position in range(index, len(lines)):
            if _APPENDIX.match(lines[position][1].strip()):
                return position + 1
        return len(lines)

    # -- the groups -----------------------------------------------------------------------

    def body_line(self, text: str, number: int) -> None:
        bullet = bool(_BULLET.match(text))
        bare = _BULLET.sub("", text)
        label = _label(bare)
        if label is not None:
            self.label_line(label[0], label[1], number)
            return
        numbered = None if bullet else _NUMBERED.match(text)
        rest = numbered.group("rest") if numbered else bare
        num = numbered.group("num") if numbered else ""
        if _SECTION.match(rest) and (numbered or rest.isupper() or rest.endswith(":")):
            self.close_group()
            self.section_kind = _kind_in(rest)
            return
        if not bullet and self.group_heading(rest, num, numbered is not None, number):
            return
        group = self.current
        if group is None:
            return
        multi_level = bool(re.match(r"^\d+\.\d", num))
        arabic = bool(re.match(r"^\d+[.)]$", num))
        lettered = bool(re.match(r"^[a-zđ]\)$", num))
        if bullet or (arabic and group.roman) or lettered:
            self.member_line(group, bare if bullet else rest, number)
            return
        if numbered is None and group.last_was_member and text[:1].islower():
            # A member's name broken over two lines by the document's layout.
            name, line = group.members[-1]
            group.members[-1] = (f"{name} {_strip_end(text)}", line)
            self.notice(number, f"joined this line to the member above: {group.members[-1][0]!r}")
            return
        self.close_group()  # a paragraph after the groups (duties, closing words)
        if numbered is not None and not multi_level:
            self.section_kind = None

    def group_heading(self, rest: str, num: str, numbered: bool, number: int) -> bool:
        word = _GROUP_WORD.match(rest)
        multi_level = bool(re.match(r"^\d+\.\d", num))
        if word is None and not (multi_level and re.search(r"\bgồm\b", rest, re.IGNORECASE)):
            return False
        if word is None and not multi_level:
            return False
        if not numbered and not _NUMBERED_NAME.match(self.head_of(rest)):
            return False
        self.close_group()
        head = self.head_of(rest)
        named = _NUMBERED_NAME.match(head)
        if named:
            name = f"{named.group('word').capitalize()} {named.group('number')}"
        elif head.isupper():
            name = head[0] + head[1:].lower()
        else:
            name = head
        group_word = (word.group("word") if word else name.split()[0]).lower()
        group = _Group(
            name=self.fixed(name, number),
            word=group_word,
            line=number,
            roman=not multi_level,
            section_kind=self.section_kind,
        )
        count = _COUNT.search(rest)
        if count:
            group.declared = int(count.group("count"))
        inline = _MEMBERS_AFTER.search(rest)
        if inline and _strip_end(inline.group("list")):
            group.inline = True
            noun = _PLACE_NOUN.search(inline.group("intro"))
            for item in _strip_end(inline.group("list")).split(","):
                item = item.strip()
                if not item:
                    self.notice(number, f"an empty item in the member list of {group.name}")
                    continue
                if noun:
                    item = f"{noun.group('noun').capitalize()} {item}"
                group.members.append((self.fixed(item, number), number))
        self.current = group
        return True

    @staticmethod
    def head_of(rest: str) -> str:
        """A group heading's name: what comes before "gồm", a colon or a parenthesis."""
        head = re.split(r":|\(|\s+gồm\b", rest, maxsplit=1, flags=re.IGNORECASE)[0]
        return head.strip().rstrip(",;.").strip()

    def member_line(self, group: _Group, text: str, number: int) -> None:
        name = _strip_end(text)
        if group.inline:
            self.notice(number, f"cannot place this line: {group.name} listed its members above")
            return
        if not name or ":" in name or len(name) > _LONGEST_NAME:
            self.notice(number, f"cannot place this line in {group.name}: {text!r}")
            return
        group.members.append((self.fixed(name, number), number))
        group.last_was_member = True

    def label_line(self, role: str, value: str, number: int) -> None:
        group = self.current
        if group is None:
            self.notice(number, f"a {role} line outside any khối or cụm: {value!r}")
            return
        group.last_was_member = False
        value = _strip_end(value)
        if not value or is_placeholder(value):
            return
        if role in group.labels:
            self.notice(number, f"{group.name} names its {role} twice; keeping the first")
            return
        group.labels[role] = (self.fixed(value, number), number)

    def close_group(self) -> None:
        if self.current is not None:
            self.groups.append(self.current)
            self.current = None


# -- from what was read to a plan -----------------------------------------------------------


def _group_kind(group: _Group) -> str:
    """The unit kind of a group: from its section's heading, else from what its members are
    called ("Huyện ...", "Phường ..."), else from its word: a khối groups departments."""
    if group.section_kind is not None:
        return group.section_kind
    names = [name for name, _ in group.members]
    if names and all(_DISTRICT_NAME.match(name) for name in names):
        return "district"
    if names and all(_COMMUNE_NAME.match(name) for name in names):
        return "commune"
    return DEPARTMENT if group.word == "khối" else "district"


def _person(value: str) -> tuple[str, str | None]:
    """A person's name and title from "Đồng chí Ngô Kim Liên, Phó Văn phòng ..."."""
    value = _HONORIFICS.sub("", value.strip())
    name, comma, title = value.partition(",")
    if not comma:
        name, _, title = value.partition(" - ")
    title = _strip_end(title)
    return name.strip(), title or None


def _match_unit(text: str, names: Iterable[tuple[str, str]]) -> str | None:
    """The unit a chair line names: the one whose name ends the text, where what comes
    before it is only an office chief's title ("Chánh Văn phòng Ủy ban nhân dân quận 3")."""
    folded = fold(text)
    best: tuple[int, str] | None = None
    for unit_id, name in names:
        key = fold(name)
        before = folded[: len(folded) - len(key)]
        named = folded == key or (folded.endswith(" " + key) and _CHIEF_OF.match(before))
        if named and (best is None or len(key) > best[0]):
            best = (len(key), unit_id)
    return None if best is None else best[1]


@attrs.define
class _Builder:
    reader: _Reader
    units: dict[str, Unit] = attrs.field(factory=dict)
    unit_by_key: dict[str, str] = attrs.field(factory=dict)
    staff: dict[str, Staff] = attrs.field(factory=dict)
    group_ids: set[str] = attrs.field(factory=set)

    def notice(self, line: int | None, message: str) -> None:
        self.reader.notice(line, message)

    def unit(self, name: str, kind: str, line: int) -> str:
        key = fold(name)
        if key in self.unit_by_key:
            unit_id = self.unit_by_key[key]
            if self.units[unit_id].kind != kind:
                self.notice(line, f"{name!r} is listed in groups of two kinds")
            return unit_id
        unit_id = self._free_id(slugify(name) or "don-vi", self.units, line, name)
        self.units[unit_id] = Unit(id=unit_id, name=name, kind=kind)
        self.unit_by_key[key] = unit_id
        return unit_id

    def _free_id(self, base: str, taken: Iterable[str], line: int, name: str) -> str:
        taken = set(taken)
        if base not in taken:
            return base
        suffix = 2
        while f"{base}-{suffix}" in taken:
            suffix += 1
        self.notice(line, f"{name!r} gets the id '{base}-{suffix}': '{base}' is taken")
        return f"{base}-{suffix}"

    def person(self, value: str, role: Role, line: int) -> str | None:
        name, title = _person(value)
        if not name:
            self.notice(line, f"no person's name in {value!r}")
            return None
        person_id = slugify(name) or "can-bo"
        known = self.staff.get(person_id)
        if known is None:
            self.staff[person_id] = Staff(id=person_id, name=name, role=role, title=title)
            return person_id
        if known.role is not role:
            self.notice(line, f"{name} is both a leader and an officer; keeping {known.role}")
        elif title is not None and known.title is not None and title != known.title:
            self.notice(line, f"{name} has another title here; keeping {known.title!r}")
        elif known.title is None and title is not None:
            self.staff[person_id] = attrs.evolve(known, title=title)
        return person_id

    def group(self, group: _Group) -> Group:
        kind = _group_kind(group)
        members: list[str] = []
        for name, line in group.members:
            unit_id = self.unit(name, kind, line)
            if unit_id in members:
                self.notice(line, f"{name!r} is listed twice in {group.name}")
            members.append(unit_id)
        if not members:
            self.notice(group.line, f"{group.name} lists no members")
        if group.declared is not None and group.declared != len(members):
            self.notice(
                group.line,
                f"{group.name} says it has {group.declared} members but lists {len(members)}",
            )
        group_id = self._free_id(
            slugify(group.name) or "nhom", self.group_ids, group.line, group.name
        )
        self.group_ids.add(group_id)
        people: dict[str, str | None] = {}
        for role in (Role.LEADER, Role.OFFICER):
            found = group.labels.get(role.value)
            people[role.value] = None if found is None else self.person(found[0], role, found[1])
        places: dict[str, str | None] = {}
        for key in ("chair", "deputy"):
            found = group.labels.get(key)
            places[key] = None
            if found is None:
                continue
            in_group = [(m, self.units[m].name) for m in members]
            everywhere = [(u.id, u.name) for u in self.units.values()]
            matched = _match_unit(found[0], in_group) or _match_unit(found[0], everywhere)
            if matched is None:
                self.notice(found[1], f"{group.name}: no unit matches the {key} {found[0]!r}")
            places[key] = matched
        return Group(
            id=group_id,
            name=group.name,
            kind=kind,
            members=members,
            leader=people["leader"],
            officer=people["officer"],
            chair=places["chair"],
            deputy=places["deputy"],
        )


_AGENCY_HEAD = re.compile(
    r"(?:ỦY BAN NHÂN DÂN|ỦY BAN|UBND|VĂN PHÒNG|SỞ|BAN|HỘI ĐỒNG|TỔNG CỤC|CHI CỤC|CỤC|BỘ|"
    r"TRUNG TÂM|THANH TRA|KHO BẠC|TÊN CƠ QUAN)\b"
)


def _split_agency(lines: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The chủ quản lines and the issuing agency's lines of a stacked header.

    Each agency's name starts with a head noun ("ỦY BAN NHÂN DÂN", "SỞ", "VĂN PHÒNG"); a line
    that is nothing but a head noun continues on the next line ("VĂN PHÒNG" / "UBND THÀNH
    PHỐ"). The issuing agency is the last name; the ones above it are its chủ quản.
    """
    starts: list[int] = []
    for index, line in enumerate(lines):
        bare_above = index > 0 and _AGENCY_HEAD.fullmatch(lines[index - 1]) is not None
        if _AGENCY_HEAD.match(line) and not bare_above:
            starts.append(index)
    start = starts[-1] if starts else 0
    return tuple(lines[:start]), tuple(lines[start:])


def parse_dispatch(
    lines: Sequence[Line] | str, *, source: str = "<string>", keep_header: bool = False
) -> ImportResult:
    """Read a dispatch's lines (or text) into a plan, with notices for what was not placed.

    With `keep_header`, the agencies, place, addressees, copies and signer go into the plan's
    `[dispatch]` table, so that an export prints them again.
    """
    if isinstance(lines, str):
        lines = source_lines(lines)
    splitter = GlueSplitter.from_text("\n".join(text for _, text in lines))
    reader = _Reader(splitter)
    reader.read(lines)
    if not reader.groups:
        raise DispatchError(source, "no khối or cụm thi đua found: nothing to import")
    builder = _Builder(reader)
    groups = [builder.group(group) for group in reader.groups]
    title = ""
    year: int | None = None
    if reader.subject is not None:
        subject, line = reader.subject
        title = title_from_subject(reader.fixed(subject, line))
        years = _YEAR.findall(title)
        year = int(years[-1]) if years else None
    else:
        reader.notice(None, "no subject line (V/v ... or Về ...): the plan has no title")
    if year is None:
        year = reader.intro_year or (reader.issued.year if reader.issued else None)
    if year is None:
        raise DispatchError(source, "cannot tell the year: no 'năm ...' in the subject or text")
    dispatch = DispatchSettings()
    if keep_header:
        authority, issuer = _split_agency(
            [line for line in reader.agency if not is_placeholder(line)]
        )
        dispatch = DispatchSettings(
            authority=authority,
            issuer=issuer,
            symbol=reader.symbol,
            place=reader.place,
            recipients=reader.recipients,
            copies=reader.copies,
            signer_title=[line for line in reader.signer_title if not is_placeholder(line)],
            signer=reader.signer if reader.signer and not is_placeholder(reader.signer) else None,
        )
    plan = Plan(
        year=year,
        title=title,
        reference=reader.reference,
        issued=reader.issued,
        units=list(builder.units.values()),
        staff=list(builder.staff.values()),
        groups=groups,
        dispatch=dispatch,
    )
    notices = sorted(reader.notices, key=lambda notice: notice.line or 0)
    return ImportResult(plan, tuple(notices))
