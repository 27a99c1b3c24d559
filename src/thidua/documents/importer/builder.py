"""From what the reader found to a plan: units and staff get ids, chairs are matched."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from thidua.documents.errors import DispatchError
from thidua.documents.glue import GlueSplitter
from thidua.documents.importer.lines import Line, source_lines
from thidua.documents.importer.reader import YEAR, Notice, Reader, WrittenGroup, strip_end
from thidua.documents.wording import DEPARTMENT, is_placeholder, title_from_subject
from thidua.i18n import _
from thidua.model import DispatchSettings, Group, Plan, Role, Staff, Unit
from thidua.text import fold, slugify
from thidua.vocabulary import role_word

__all__ = ["ImportResult", "parse_dispatch"]


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


_HONORIFICS = re.compile(r"^(?:đồng chí|đ/c|ông|bà)\s+", re.IGNORECASE)
# Words (folded) before a unit's name when a line names its office chief, not the unit.
_CHIEF_OF = re.compile(r"^(?:(?:pho )?chanh van phong |van phong )?(?:(?:uy ban nhan dan|ubnd) )?$")
_DISTRICT_NAME = re.compile(
    r"^(?:(?:ủy ban nhân dân|ubnd)\s+)?(?:quận|huyện|thị xã|thành phố)\b", re.IGNORECASE
)
_COMMUNE_NAME = re.compile(
    r"^(?:(?:ủy ban nhân dân|ubnd)\s+)?(?:phường|xã|thị trấn|đặc khu)\b", re.IGNORECASE
)


def _group_kind(group: WrittenGroup) -> str:
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
        name, _dash, title = value.partition(" - ")
    title = strip_end(title)
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
    reader: Reader
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
                self.notice(
                    line, _("{name} is listed in groups of two kinds").format(name=repr(name))
                )
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
        message = _("{name} gets the id {id}: {taken} is taken")
        self.notice(
            line, message.format(name=repr(name), id=repr(f"{base}-{suffix}"), taken=repr(base))
        )
        return f"{base}-{suffix}"

    def person(self, value: str, role: Role, line: int) -> str | None:
        name, title = _person(value)
        if not name:
            self.notice(line, _("no person's name in {value}").format(value=repr(value)))
            return None
        person_id = slugify(name) or "can-bo"
        known = self.staff.get(person_id)
        if known is None:
            self.staff[person_id] = Staff(id=person_id, name=name, role=role, title=title)
            return person_id
        if known.role is not role:
            message = _("{name} is both a leader and an officer; keeping {role}")
            self.notice(line, message.format(name=name, role=role_word(known.role.value, "")))
        elif title is not None and known.title is not None and title != known.title:
            message = _("{name} has another title here; keeping {title}")
            self.notice(line, message.format(name=name, title=repr(known.title)))
        elif known.title is None and title is not None:
            self.staff[person_id] = attrs.evolve(known, title=title)
        return person_id

    def group(self, group: WrittenGroup) -> Group:
        kind = _group_kind(group)
        members: list[str] = []
        for name, line in group.members:
            unit_id = self.unit(name, kind, line)
            if unit_id in members:
                message = _("{name} is listed twice in {group}")
                self.notice(line, message.format(name=repr(name), group=group.name))
            members.append(unit_id)
        if not members:
            self.notice(group.line, _("{group} lists no members").format(group=group.name))
        if group.declared is not None and group.declared != len(members):
            self.notice(
                group.line,
                _("{group} says it has {declared} members but lists {count}").format(
                    group=group.name, declared=group.declared, count=len(members)
                ),
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
                message = _("{group}: no unit matches the {role} {value}")
                title = role_word(key, group.name)
                self.notice(
                    found[1], message.format(group=group.name, role=title, value=repr(found[0]))
                )
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
    splitter = GlueSplitter.from_text("\n".join(text for _number, text in lines))
    reader = Reader(splitter)
    reader.read(lines)
    if not reader.groups:
        raise DispatchError(source, _("no khối or cụm thi đua found: nothing to import"))
    builder = _Builder(reader)
    groups = [builder.group(group) for group in reader.groups]
    title = ""
    year: int | None = None
    if reader.subject is not None:
        subject, line = reader.subject
        title = title_from_subject(reader.fixed(subject, line))
        years = YEAR.findall(title)
        year = int(years[-1]) if years else None
    else:
        reader.notice(None, _("no subject line (V/v ... or Về ...): the plan has no title"))
    if year is None:
        year = reader.intro_year or (reader.issued.year if reader.issued else None)
    if year is None:
        raise DispatchError(source, _("cannot tell the year: no 'năm ...' in the subject or text"))
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
