"""Write a plan as a draft dispatch (công văn, Mẫu 1.5 of Nghị định 30/2020/NĐ-CP).

The plan is first composed into `DispatchText`, the dispatch's strings in reading order;
plain text, Markdown and Word (`thidua.documents.word`) lay out the same strings, so the three
say the same thing and the importer reads each of them back to the plan.

Layout (docs/dispatch-format.md): the agencies beside the Quốc hiệu and Tiêu ngữ, the number
and trích yếu beside the place and date, "Kính gửi", the body (an opening sentence, the
sections of blocks and clusters with their members, leader, officer, chair and deputy, the
duties, a closing sentence ending "./."), then "Nơi nhận" beside the signer.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from thidua.documents.wording import (
    COPIES_HEADING,
    HONORIFIC,
    ISSUER_PLACEHOLDER,
    KIND_HEADINGS,
    LEADER_LABEL,
    MOTTO,
    NATION,
    OFFICER_LABEL,
    OTHER_KINDS_HEADING,
    PLACEHOLDER,
    RECIPIENTS_LABEL,
    SAME_AS_ABOVE,
    SIGNER_PLACEHOLDER,
    SIGNER_TITLE_PLACEHOLDER,
    chair_label,
    date_line,
    deputy_label,
    markdown_escape,
    subject_from_title,
)
from thidua.model import Group, Plan, Succession
from thidua.vocabulary import group_word

__all__ = ["DispatchText", "GroupText", "SectionText", "compose", "render_markdown", "render_text"]

# Addressees by unit kind when the plan names none: the units the dispatch is about.
_DEFAULT_RECIPIENTS = {
    "department": "Các sở, ban, ngành",
    "district": "Ủy ban nhân dân các quận, huyện",
    "commune": "Ủy ban nhân dân các phường, xã, đặc khu",
}
_OTHER_RECIPIENTS = "Các cơ quan, đơn vị có tên tại văn bản này"

_SUCCESSION = {
    Succession.FREE: "bầu chọn {chairs} cho năm sau",
    Succession.DEPUTY: "{deputies} năm nay là {chairs} năm sau",
    Succession.LEADING: "đơn vị dẫn đầu là {chairs} năm sau",
}


@attrs.frozen
class GroupText:
    heading: str  # "1.1. Khối 1: gồm 11 đơn vị:"
    members: tuple[str, ...]  # list items, punctuated ("Sở Công Thương;" ... last ".")
    roles: tuple[str, ...]  # leader, officer, chair and deputy lines, punctuated


@attrs.frozen
class SectionText:
    heading: str  # "1. Các khối thi đua sở, ban, ngành:"
    groups: tuple[GroupText, ...]


@attrs.frozen
class DispatchText:
    """A dispatch's strings, in reading order, before any layout."""

    authority: tuple[str, ...]
    issuer: tuple[str, ...]
    number: str
    subject: str
    date: str
    recipients: tuple[str, ...]  # punctuated list items, or one unpunctuated addressee
    intro: str
    sections: tuple[SectionText, ...]
    duties: tuple[str, ...]
    closing: str
    copies: tuple[str, ...]  # punctuated list items, "Như trên;" first
    signer_title: tuple[str, ...]
    signer: str

    @property
    def recipients_line(self) -> str | None:
        """ "Kính gửi: X." when there is a single addressee (NĐ 30: on one line)."""
        if len(self.recipients) == 1:
            return f"{RECIPIENTS_LABEL}: {self.recipients[0]}"
        return None


def _listed(entries: Sequence[str]) -> tuple[str, ...]:
    """List items as Vietnamese documents punctuate them: ";" after each, "." after the last."""
    return tuple(
        f"{entry};" if index < len(entries) - 1 else f"{entry}."
        for index, entry in enumerate(entries)
    )


def _runs(groups: Sequence[Group]) -> list[tuple[str, list[Group]]]:
    """Consecutive groups of one kind: each run becomes a numbered section, in plan order."""
    runs: list[tuple[str, list[Group]]] = []
    for group in groups:
        if runs and runs[-1][0] == group.kind:
            runs[-1][1].append(group)
        else:
            runs.append((group.kind, [group]))
    return runs


def _drafting_unit(plan: Plan) -> str | None:
    """The drafting unit's abbreviation: the last part of the symbol ("VP-THKH" -> "THKH")."""
    symbol = plan.dispatch.symbol
    if plan.reference and "/" in plan.reference:
        symbol = plan.reference.split("/", 1)[1]
    if symbol and "-" in symbol:
        return symbol.rsplit("-", 1)[1] or None
    return None


def _person_line(plan: Plan, label: str, staff_id: str) -> str:
    person = plan.staff_by_id[staff_id]
    who = f"{HONORIFIC} {person.name}"
    return f"{label}: {who}, {person.title}." if person.title else f"{label}: {who}."


def _group_text(plan: Plan, group: Group, heading: str) -> GroupText:
    names = [plan.unit_by_id[member].name for member in group.members]
    roles = []
    if group.leader is not None:
        roles.append(_person_line(plan, LEADER_LABEL, group.leader))
    if group.officer is not None:
        roles.append(_person_line(plan, OFFICER_LABEL, group.officer))
    if group.chair is not None:
        roles.append(f"{chair_label(group)}: {plan.unit_by_id[group.chair].name}.")
    if group.deputy is not None:
        roles.append(f"{deputy_label(group)}: {plan.unit_by_id[group.deputy].name}.")
    return GroupText(
        heading=f"{heading} {group.name}: gồm {len(group.members)} đơn vị:",
        members=_listed(names),
        roles=tuple(roles),
    )


def _group_words(plan: Plan) -> list[str]:
    """ "khối", "cụm" or both, as the plan's groups are called ("khối" first, as usual)."""
    words = sorted({group_word(group, lang="vi").lower() for group in plan.groups})
    words.sort(key=lambda word: word != "khối")
    return words or ["khối", "cụm"]


def _duties(plan: Plan, first_number: int) -> tuple[str, ...]:
    words = _group_words(plan)
    groups_word = ", ".join(words)
    chairs = ", ".join(f"{word} trưởng" for word in words)
    deputies = ", ".join(f"{word} phó" for word in words)
    succession = _SUCCESSION[plan.rules.succession].format(chairs=chairs, deputies=deputies)
    capitalised = chairs[0].upper() + chairs[1:]
    return (
        f"{first_number}. {capitalised} có trách nhiệm: chủ động phối hợp xây dựng các tiêu chí"
        f" giao ước thi đua, kế hoạch sinh hoạt {groups_word} thi đua và tổ chức các hoạt động"
        f" giao lưu, học tập kinh nghiệm giữa các thành viên trong {groups_word}; hằng năm tổ"
        f" chức bình xét thi đua, chọn đơn vị dẫn đầu và {succession}; tổng hợp báo cáo tình"
        f" hình hoạt động của {groups_word} thi đua.",
        f"{first_number + 1}. Lãnh đạo, cán bộ phụ trách theo dõi, hướng dẫn hoạt động của"
        f" {groups_word} thi đua được phân công; hằng năm tham mưu đánh giá, xếp loại thi đua"
        " và đề xuất khen thưởng.",
    )


def compose(plan: Plan) -> DispatchText:
    """The plan's dispatch as strings; missing header values become the decree's blanks."""
    settings = plan.dispatch
    sections = []
    for number, (kind, groups) in enumerate(_runs(plan.groups), 1):
        heading = KIND_HEADINGS.get(kind, OTHER_KINDS_HEADING)
        sections.append(
            SectionText(
                heading=f"{number}. {heading}:",
                groups=tuple(
                    _group_text(plan, group, f"{number}.{index}.")
                    for index, group in enumerate(groups, 1)
                ),
            )
        )
    recipients = list(settings.recipients)
    if not recipients:
        kinds = dict.fromkeys(group.kind for group in plan.groups)
        recipients = list(
            dict.fromkeys(_DEFAULT_RECIPIENTS.get(kind, _OTHER_RECIPIENTS) for kind in kinds)
        )
    copies = list(settings.copies)
    if not copies:
        unit = _drafting_unit(plan)
        copies = [f"Lưu: VT, {unit}" if unit else "Lưu: VT"]
    if plan.reference:
        number_line = f"Số: {plan.reference}"
    else:
        number_line = f"Số:      /{settings.symbol or PLACEHOLDER}"
    year = plan.year
    groups_word = ", ".join(_group_words(plan))
    return DispatchText(
        authority=settings.authority,
        issuer=settings.issuer or (ISSUER_PLACEHOLDER,),
        number=number_line,
        subject=f"V/v {subject_from_title(plan.title)}",
        date=date_line(settings.place, plan.issued),
        recipients=(recipients[0],) if len(recipients) == 1 else _listed(recipients),
        intro=(
            f"Để theo dõi, đánh giá phong trào thi đua năm {year}, các {groups_word} thi đua và"
            f" lãnh đạo, cán bộ phụ trách {groups_word} thi đua năm {year} được phân công như sau:"
        ),
        sections=tuple(sections),
        duties=_duties(plan, len(sections) + 1),
        closing=(
            "Đề nghị các cơ quan, đơn vị triển khai thực hiện tốt nội dung phân công như trên./."
        ),
        copies=_listed([SAME_AS_ABOVE, *copies]),
        signer_title=settings.signer_title or (SIGNER_TITLE_PLACEHOLDER,),
        signer=settings.signer or SIGNER_PLACEHOLDER,
    )


# -- plain text -----------------------------------------------------------------------------

_AGENCY_RULE = "--------"
_MOTTO_RULE = "----------------"
_SIGNATURE_SPACE = 3  # blank lines left for the signature and seal


def render_text(plan: Plan) -> str:
    """The dispatch as plain text, stacked as the seed dispatch is (no side-by-side)."""
    text = compose(plan)
    lines = [*text.authority, *text.issuer, _AGENCY_RULE, "", NATION, MOTTO, _MOTTO_RULE, ""]
    lines += [text.number, text.subject, "", text.date, ""]
    if text.recipients_line is not None:
        lines += [text.recipients_line, ""]
    else:
        lines += [f"{RECIPIENTS_LABEL}:", *(f"- {entry}" for entry in text.recipients), ""]
    lines += [text.intro, ""]
    for section in text.sections:
        lines += [section.heading, ""]
        for group in section.groups:
            lines.append(group.heading)
            lines += [f"- {entry}" for entry in (*group.members, *group.roles)]
            lines.append("")
    for paragraph in (*text.duties, text.closing):
        lines += [paragraph, ""]
    lines += [f"{COPIES_HEADING}:", *(f"- {entry}" for entry in text.copies), ""]
    lines += [*text.signer_title, *([""] * _SIGNATURE_SPACE), text.signer]
    return "\n".join(lines) + "\n"


# -- Markdown -------------------------------------------------------------------------------


def _cell(lines: Sequence[str], style: str = "") -> str:
    return "<br>".join(f"{style}{markdown_escape(line)}{style}" if line else "" for line in lines)


def render_markdown(plan: Plan) -> str:
    """The dispatch as Markdown: two-column tables for the header and for the signature."""
    text = compose(plan)
    e = markdown_escape
    agencies = _cell(text.authority) + ("<br>" if text.authority else "") + _cell(text.issuer, "**")
    lines = [
        f"| {agencies} | {_cell([NATION, MOTTO], '**')} |",
        "| :---: | :---: |",
        f"| {_cell([text.number, text.subject])} | {_cell([text.date], '*')} |",
        "",
    ]
    if text.recipients_line is not None:
        lines += [e(text.recipients_line), ""]
    else:
        lines += [f"{RECIPIENTS_LABEL}:", "", *(f"- {e(entry)}" for entry in text.recipients), ""]
    lines += [e(text.intro), ""]
    for section in text.sections:
        lines += [f"### {e(section.heading)}", ""]
        for group in section.groups:
            lines += [f"#### {e(group.heading)}", ""]
            if group.members:
                lines += [*(f"- {e(entry)}" for entry in group.members), ""]
            if group.roles:
                lines += [*(f"- {e(entry)}" for entry in group.roles), ""]
    for paragraph in (*text.duties, text.closing):
        lines += [e(paragraph), ""]
    copies = [f"***{COPIES_HEADING}:***", *(f"- {e(entry)}" for entry in text.copies)]
    signer = [*text.signer_title, *([""] * _SIGNATURE_SPACE), text.signer]
    lines += [f"| {'<br>'.join(copies)} | {_cell(signer, '**')} |", "| :--- | :---: |"]
    return "\n".join(lines) + "\n"
