"""The draft dispatch as a Word file (python-docx), and the text of a Word file read back.

Page and type follow Nghị định 30/2020/NĐ-CP, Phụ lục I (docs/dispatch-format.md): A4
portrait, margins 20/20/30/15 mm, Times New Roman, body 14 pt justified with a 1 cm first-line
indent, the header and the signature in borderless two-column tables, page numbers centred
at the top from page 2 on.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from thidua.documents.errors import DispatchError
from thidua.documents.exporter import DispatchText, compose
from thidua.documents.wording import COPIES_HEADING, MOTTO, NATION, RECIPIENTS_LABEL
from thidua.files import atomic_write
from thidua.files.inputs import check_office_zip, read_input, refuse_crowded_parts
from thidua.i18n import N_, _
from thidua.model import Plan

__all__ = ["docx_lines", "render_docx", "write_docx"]

FONT = "Times New Roman"
_TEXT_WIDTH = Cm(16.5)  # 210 mm less margins of 30 and 15 mm
_LEFT_COLUMN = Cm(6.3)  # the agency column: narrower than the Quốc hiệu column, as in practice
_RIGHT_COLUMN = Cm(10.2)
_SIGNATURE_SPACE = 4  # empty lines for the signature and seal, as the reference exporters do


def _fonts(element: object, size: Pt | None = None) -> None:
    """Times New Roman in every font slot of a run or style's properties.

    python-docx's `font.name` sets only the ASCII and high-ANSI slots; Word picks the East
    Asian or complex-script slot for some Vietnamese letters, so those are set too.
    """
    properties = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = properties.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        complex_size = properties.find(qn("w:szCs"))
        if complex_size is None:
            complex_size = OxmlElement("w:szCs")
            properties.append(complex_size)
        complex_size.set(qn("w:val"), str(int(size.pt * 2)))


def _run(
    paragraph: Paragraph, text: str, size: float, *, bold: bool = False, italic: bool = False
) -> None:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    _fonts(run._r, Pt(size))


def _paragraph(
    container: Document | _Cell,
    text: str = "",
    size: float = 14,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    first_line: Cm | None = None,
    after: float = 0,
    before: float = 0,
) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    layout = paragraph.paragraph_format
    layout.space_after = Pt(after)
    layout.space_before = Pt(before)
    if first_line is not None:
        layout.first_line_indent = first_line
    if text:
        _run(paragraph, text, size, bold=bold, italic=italic)
    return paragraph


def _rule(cell: _Cell, width: Cm) -> None:
    """A solid line of `width`, centred in the cell: an empty paragraph's bottom border, as
    the decree wants a drawn line, not underlined text."""
    paragraph = cell.add_paragraph()
    margin = int((cell.width - width) / 2) if cell.width is not None else 0
    paragraph.paragraph_format.left_indent = margin
    paragraph.paragraph_format.right_indent = margin
    paragraph.paragraph_format.space_after = Pt(0)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    properties = paragraph._p.get_or_add_pPr()
    properties.insert_element_before(border, *_AFTER_BORDER)
    # A 4 pt paragraph mark keeps the rule close under the text above it.
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "8")
    mark.append(size)
    properties.insert_element_before(mark, "w:sectPr", "w:pPrChange")


# What may follow a paragraph border in `w:pPr` (ECMA-376 order, which Word enforces).
_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _table(document: Document, rows: int, widths: Sequence[Cm]) -> Table:
    """A borderless table with fixed column widths (Word ignores a column's width alone)."""
    table: Table = document.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return table


def _first(cell: _Cell) -> None:
    """Drop the empty paragraph a new cell starts with, once the cell has its own."""
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._p.getparent().remove(first._p)


def _page_number(document: Document) -> None:
    """A centred PAGE field in the header, hidden on page 1 (NĐ 30, Phụ lục I, I.7)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    properties.append(fonts)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "26")  # half-points: 13 pt
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


_CORE_PROPERTY_LIMIT = 255


def _setup(document: Document, title: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal.element, Pt(14))
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)
    # The file's properties hold at most 255 characters; the dispatch itself has the whole title.
    document.core_properties.title = title[:_CORE_PROPERTY_LIMIT]
    document.core_properties.language = "vi-VN"


def _header(document: Document, text: DispatchText) -> None:
    table = _table(document, 2, [_LEFT_COLUMN, _RIGHT_COLUMN])
    agencies, nation = table.cell(0, 0), table.cell(0, 1)
    for line in text.authority:
        _paragraph(agencies, line, 12)
    for line in text.issuer:
        _paragraph(agencies, line, 12, bold=True)
    _rule(agencies, Cm(2.5))
    _paragraph(nation, NATION, 12, bold=True)
    _paragraph(nation, MOTTO, 13, bold=True)
    _rule(nation, Cm(6.3))
    number, date = table.cell(1, 0), table.cell(1, 1)
    _paragraph(number, text.number, 13, before=6)
    _paragraph(number, text.subject, 12, before=6)
    _paragraph(date, text.date, 13, italic=True, before=6)
    for cell in (agencies, nation, number, date):
        _first(cell)


def _recipients(document: Document, text: DispatchText) -> None:
    if text.recipients_line is not None:
        _paragraph(document, text.recipients_line, 14, before=12, after=12)
        return
    table = _table(document, 1, [Cm(5), Cm(11.5)])
    label, names = table.cell(0, 0), table.cell(0, 1)
    _paragraph(label, f"{RECIPIENTS_LABEL}:", 14, align=WD_ALIGN_PARAGRAPH.RIGHT, before=12)
    for index, entry in enumerate(text.recipients):
        before = 12 if index == 0 else 0  # level with "Kính gửi:"
        _paragraph(names, f"- {entry}", 14, align=WD_ALIGN_PARAGRAPH.LEFT, before=before)
    _first(label)
    _first(names)
    _paragraph(document)


def _body(document: Document, text: DispatchText) -> None:
    def body(line: str, *, bold: bool = False) -> None:
        paragraph = _paragraph(
            document,
            line,
            14,
            bold=bold,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            first_line=Cm(1),
            after=6,
        )
        paragraph.paragraph_format.line_spacing = 1.15

    body(text.intro)
    for section in text.sections:
        body(section.heading, bold=True)
        for group in section.groups:
            body(group.heading, bold=True)
            for entry in (*group.members, *group.roles):
                body(f"- {entry}")
    for paragraph in (*text.duties, text.closing):
        body(paragraph)


def _signature(document: Document, text: DispatchText) -> None:
    table = _table(document, 1, [Cm(6.5), Cm(10)])
    copies, signer = table.cell(0, 0), table.cell(0, 1)
    _paragraph(
        copies, f"{COPIES_HEADING}:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT
    )
    for entry in text.copies:
        _paragraph(copies, f"- {entry}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in text.signer_title:
        _paragraph(signer, line, 14, bold=True)
    for _blank in range(_SIGNATURE_SPACE):
        _paragraph(signer)
    _paragraph(signer, text.signer, 14, bold=True)
    _first(copies)
    _first(signer)


def render_docx(plan: Plan) -> Document:
    """The plan's draft dispatch as a python-docx document."""
    text = compose(plan)
    document = docx.Document()
    _setup(document, plan.title)
    _page_number(document)
    _header(document, text)
    _recipients(document, text)
    _body(document, text)
    _paragraph(document)
    _signature(document, text)
    first = document.paragraphs[0]
    if not first.text:  # the empty paragraph a new document starts with
        first._p.getparent().remove(first._p)
    return document


def write_docx(plan: Plan, path: str | Path) -> None:
    """Write the draft dispatch to a .docx file: a reader sees the old file or the new one."""
    buffer = io.BytesIO()
    render_docx(plan).save(buffer)
    atomic_write(path, buffer.getvalue(), error=DispatchError)


def _inner_lines(items: Iterator[Paragraph | Table]) -> Iterator[str]:
    for item in items:
        if isinstance(item, Paragraph):
            yield item.text
        else:
            for row in item.rows:
                for cell in row.cells:
                    yield from _inner_lines(cell.iter_inner_content())


# A dispatch is a few pages: hundreds of paragraphs and table cells, not hundreds of thousands
# (python-docx holds the whole XML tree in memory, a few hundred bytes per element).
MAX_PARAGRAPHS = 200_000
_PARAGRAPH_TAG = re.compile(rb"<w:(?:p|tc)[\s>/]")


def docx_lines(path: str | Path, data: bytes | None = None) -> list[str]:
    """A Word file's text in reading order: paragraphs, and tables cell by cell, left to
    right, so a two-column header reads as the stacked one of a plain-text dispatch."""
    path = Path(path)
    if data is None:
        data = read_input(path, what=N_("dispatch"), error=DispatchError)
    stream = check_office_zip(
        path,
        data,
        what=N_("Word document (.docx)"),
        error=DispatchError,
    )
    refuse_crowded_parts(
        stream,
        path,
        prefix="word/",
        element=_PARAGRAPH_TAG,
        limit=MAX_PARAGRAPHS,
        message=N_("{count} paragraphs in {part}: more than a dispatch's {limit}"),
        error=DispatchError,
    )
    try:
        document = docx.Document(stream)
        lines: list[str] = []
        for text in _inner_lines(document.iter_inner_content()):
            lines.extend(text.split("\n"))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        message = _("not a Word document (.docx): {why}").format(why=error)
        raise DispatchError(path, message) from None
    except Exception as error:  # python-docx and lxml raise many kinds on bad XML
        raise DispatchError(
            path, _("not a readable Word document (.docx): {reason}").format(reason=error)
        ) from None
    return lines
