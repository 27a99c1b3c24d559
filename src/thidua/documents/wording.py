"""The words a dispatch uses, shared by the exporter that writes them and the importer that
reads them back, so that the two cannot drift apart.

Layout rules come from Nghị định 30/2020/NĐ-CP, Phụ lục I, and its model Mẫu 1.5 (công văn);
see docs/dispatch-format.md in the shared folder.
"""

from __future__ import annotations

import datetime as dt
import re

from thidua.model import Group
from thidua.vocabulary import BLOCK_KIND, chair_title, deputy_title

__all__ = [
    "COPIES_HEADING",
    "DEPARTMENT",
    "HONORIFIC",
    "ISSUER_PLACEHOLDER",
    "KIND_HEADINGS",
    "LEADER_LABEL",
    "MOTTO",
    "NATION",
    "OFFICER_LABEL",
    "OTHER_KINDS_HEADING",
    "PLACEHOLDER",
    "RECIPIENTS_LABEL",
    "SAME_AS_ABOVE",
    "SIGNER_PLACEHOLDER",
    "SIGNER_TITLE_PLACEHOLDER",
    "chair_label",
    "date_line",
    "deputy_label",
    "is_placeholder",
    "markdown_escape",
    "subject_from_title",
    "title_from_subject",
]

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # Quốc hiệu
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # Tiêu ngữ
RECIPIENTS_LABEL = "Kính gửi"
COPIES_HEADING = "Nơi nhận"
SAME_AS_ABOVE = "Như trên"  # the first "Nơi nhận" entry of a công văn: the addressees
HONORIFIC = "Đồng chí"
LEADER_LABEL = "Lãnh đạo phụ trách"
OFFICER_LABEL = "Cán bộ phụ trách, theo dõi"

# What a draft prints where the plan has no value: the decree's models leave dots, or name
# the element in capitals. The importer reads these back as "no value".
PLACEHOLDER = "……"
ISSUER_PLACEHOLDER = "TÊN CƠ QUAN, TỔ CHỨC"
SIGNER_TITLE_PLACEHOLDER = "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ"
SIGNER_PLACEHOLDER = "Họ và tên"

DEPARTMENT = BLOCK_KIND

# Section headings by unit kind. The importer finds the kind again from the words that
# name the units (sở, quận, phường, ...), so other documents' headings are read too.
KIND_HEADINGS = {
    DEPARTMENT: "Các khối thi đua sở, ban, ngành",
    "district": "Các cụm thi đua quận, huyện",
    "commune": "Các cụm thi đua phường, xã, đặc khu",
}
OTHER_KINDS_HEADING = "Các khối, cụm thi đua khác"

_DOTS = re.compile(r"^[\s.…_/-]*$")


def is_placeholder(text: str) -> bool:
    """Whether `text` is a blank a draft leaves to be filled in (dots, an element's name)."""
    return bool(_DOTS.match(text)) or text.strip() in {
        ISSUER_PLACEHOLDER,
        SIGNER_TITLE_PLACEHOLDER,
        SIGNER_PLACEHOLDER,
    }


def chair_label(group: Group) -> str:
    """ "Khối trưởng" or "Cụm trưởng": a dispatch is written in Vietnamese whatever --lang says."""
    return chair_title(group, lang="vi")


def deputy_label(group: Group) -> str:
    return deputy_title(group, lang="vi")


def date_line(place: str | None, date: dt.date | None) -> str:
    """The place and date line; NĐ 30 pads days below 10 and only the months 1 and 2."""
    where = place or PLACEHOLDER
    if date is None:
        return f"{where}, ngày … tháng … năm …"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{where}, ngày {date.day:02d} tháng {month} năm {date.year}"


def subject_from_title(title: str) -> str:
    """The trích yếu after "V/v": the title with its first word in lower case.

    A word in capitals (an abbreviation such as "UBND") keeps its case.
    """
    if not title:
        return PLACEHOLDER
    if len(title) > 1 and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def title_from_subject(subject: str) -> str:
    """The plan's title from a trích yếu: capitalised, as a title stands alone."""
    subject = subject.strip()
    if is_placeholder(subject):
        return ""
    return subject[0].upper() + subject[1:]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>#])")


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written (no emphasis, tables or tags from names)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
