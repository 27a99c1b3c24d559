"""One walk over a dispatch's lines: the header and the groups as written, with notices.

Words the text glued together are separated (`thidua.documents.glue`); what cannot be placed
becomes a `Notice` with its line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import attrs

from thidua.documents.glue import GlueSplitter
from thidua.documents.importer.lines import Line
from thidua.documents.wording import (
    COPIES_HEADING,
    DEPARTMENT,
    MOTTO,
    NATION,
    RECIPIENTS_LABEL,
    SAME_AS_ABOVE,
    is_placeholder,
)
from thidua.i18n import _
from thidua.vocabulary import role_word

__all__ = ["YEAR", "Notice", "Reader", "WrittenGroup", "strip_end"]


@attrs.frozen
class Notice:
    """Something the importer could not place, or had to decide, with its line."""

    line: int | None
    message: str


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
YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
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
# A member line longer than this is a paragraph, not a unit's name.
_LONGEST_NAME = 150
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


def strip_end(text: str) -> str:
    return text.strip().rstrip(";.,").strip()


def _label(text: str) -> tuple[str, str] | None:
    for role, pattern in _LABELS:
        match = pattern.match(text)
        if match:
            return role, match.group("value").strip()
    return None


@attrs.define
class WrittenGroup:
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
class Reader:
    """One walk over a dispatch's lines, collecting the header and the groups as written."""

    splitter: GlueSplitter
    notices: list[Notice] = attrs.field(factory=list)
    groups: list[WrittenGroup] = attrs.field(factory=list)
    current: WrittenGroup | None = None
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
            message = _("cannot tell whether {token} is several words glued together")
            self.notice(line, message.format(token=repr(token)))
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
            year = YEAR.search(text)
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
                self.notice(number, _("no such date: {date}").format(date=f"{day}/{month}/{year}"))

    def read_recipients(self, lines: Sequence[Line], index: int, first: str, number: int) -> int:
        if first.strip():
            self.recipients.append(strip_end(self.fixed(first, number)))
            return index
        while index < len(lines):
            line_number, text = lines[index]
            text = text.strip()
            if not text:
                index += 1
                continue
            if not _BULLET.match(text):
                break
            self.recipients.append(strip_end(self.fixed(_BULLET.sub("", text), line_number)))
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
                entry = strip_end(_BULLET.sub("", text))
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
            group.members[-1] = (f"{name} {strip_end(text)}", line)
            message = _("joined this line to the member above: {member}")
            self.notice(number, message.format(member=repr(group.members[-1][0])))
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
        group = WrittenGroup(
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
        if inline and strip_end(inline.group("list")):
            group.inline = True
            noun = _PLACE_NOUN.search(inline.group("intro"))
            for item in strip_end(inline.group("list")).split(","):
                item = item.strip()
                if not item:
                    message = _("an empty item in the member list of {group}")
                    self.notice(number, message.format(group=group.name))
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

    def member_line(self, group: WrittenGroup, text: str, number: int) -> None:
        name = strip_end(text)
        if group.inline:
            message = _("cannot place this line: {group} listed its members above")
            self.notice(number, message.format(group=group.name))
            return
        if not name or ":" in name or len(name) > _LONGEST_NAME:
            message = _("cannot place this line in {group}: {text}")
            self.notice(number, message.format(group=group.name, text=repr(text)))
            return
        group.members.append((self.fixed(name, number), number))
        group.last_was_member = True

    def label_line(self, role: str, value: str, number: int) -> None:
        group = self.current
        if group is None:
            message = _("a {role} line outside any khối or cụm: {value}")
            self.notice(number, message.format(role=role_word(role, ""), value=repr(value)))
            return
        group.last_was_member = False
        value = strip_end(value)
        if not value or is_placeholder(value):
            return
        if role in group.labels:
            message = _("{group} names its {role} twice; keeping the first")
            self.notice(number, message.format(group=group.name, role=role_word(role, group.name)))
            return
        group.labels[role] = (self.fixed(value, number), number)

    def close_group(self) -> None:
        if self.current is not None:
            self.groups.append(self.current)
            self.current = None
