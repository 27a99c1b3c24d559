"""Typed documents of the year's cycle (văn bản có tên loại): the covenant, the minutes of the
review meeting and the office's report, laid out once and written as Word or Markdown.

A `Form` holds a document's strings in reading order, before any layout, as `DispatchText`
does for the dispatch: the agencies and the date beside the Quốc hiệu, the document's name and
subject, the body (paragraphs and tables), then the signatures. Word output follows Nghị định
30/2020/NĐ-CP, Phụ lục I, with the dispatch's page, fonts and header (`thidua.documents.word`):
A4, margins 20/20/30/15 mm, Times New Roman, the name in bold capitals with the subject under
it and a short rule below, body 14 pt justified with a 1 cm first-line indent, page numbers
from page 2.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import attrs

from thidua.documents.language import document_gettext as _

__all__ = ["Form", "Grid", "Signature", "Text", "forms_docx", "forms_markdown", "motto", "nation"]


def nation() -> str:
    return _("SOCIALIST REPUBLIC OF VIETNAM")


def motto() -> str:
    return _("Independence - Freedom - Happiness")


@attrs.frozen
class Text:
    """A paragraph of the body."""

    text: str
    bold: bool = False
    italic: bool = False
    centred: bool = False
    indent: bool = True  # the body's first-line indent; list items and headings keep it too


@attrs.frozen
class Grid:
    """A bordered table in the body: headings, rows, and column widths in centimetres."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    tall: bool = False  # rows tall enough to sign and seal in
    centred: tuple[int, ...] = (0,)  # columns whose cells are centred (the numbers)


Block = Text | Grid


@attrs.frozen
class Signature:
    """The bottom table: "Nơi nhận" (or a second signer) on the left, the signer on the right."""

    right_title: tuple[str, ...]
    right_name: str
    left_title: tuple[str, ...] = ()
    left_name: str = ""
    copies: tuple[str, ...] = ()  # "Nơi nhận" entries, punctuated; replaces a left signer


@attrs.frozen
class Form:
    title: str  # the file's title property
    authority: tuple[str, ...]  # cơ quan chủ quản, not bold
    issuer: tuple[str, ...]  # who issues it, bold
    number: str | None  # "Số: …/BC-VP", or none
    date: str
    name: str  # the document's kind, in capitals: "GIAO ƯỚC THI ĐUA"
    subject: tuple[str, ...]  # lines under the name, bold
    body: tuple[Block, ...]
    signature: Signature | None = None
    closing: tuple[Block, ...] = ()  # after the signatures (a covenant's member table)


# -- Word -----------------------------------------------------------------------------------


def _word_form(doc: Any, form: Form) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from thidua.documents import word

    header = word._table(doc, 2, [word._LEFT_COLUMN, word._RIGHT_COLUMN])
    agencies, country = header.cell(0, 0), header.cell(0, 1)
    for line in form.authority:
        word._paragraph(agencies, line, 12)
    for line in form.issuer:
        word._paragraph(agencies, line, 12, bold=True)
    word._rule(agencies, Cm(2.5))
    word._paragraph(country, nation(), 12, bold=True)
    word._paragraph(country, motto(), 13, bold=True)
    word._rule(country, Cm(6.3))
    number, date = header.cell(1, 0), header.cell(1, 1)
    word._paragraph(number, form.number or "", 13, before=6)
    word._paragraph(date, form.date, 13, italic=True, before=6)
    for cell in (agencies, country, number, date):
        word._first(cell)
    word._paragraph(doc, form.name, 14, bold=True, before=18)
    for line in form.subject:
        word._paragraph(doc, line, 14, bold=True)
    rule_holder = word._table(doc, 1, [word._TEXT_WIDTH])
    word._rule(rule_holder.cell(0, 0), Cm(4))
    word._first(rule_holder.cell(0, 0))

    def blocks(items: Sequence[Block]) -> None:
        for block in items:
            if isinstance(block, Text):
                align = WD_ALIGN_PARAGRAPH.CENTER if block.centred else WD_ALIGN_PARAGRAPH.JUSTIFY
                paragraph = word._paragraph(
                    doc,
                    block.text,
                    14,
                    bold=block.bold,
                    italic=block.italic,
                    align=align,
                    first_line=Cm(1) if block.indent and not block.centred else None,
                    after=6,
                )
                paragraph.paragraph_format.line_spacing = 1.15
                continue
            widths = [Cm(width) for width in block.widths]
            # Fixed widths on the grid and on every cell: Word reads one, LibreOffice the other.
            table = word._table(doc, 1 + len(block.rows), widths)
            table.style = "Table Grid"
            for row_index, values in enumerate((block.headings, *block.rows)):
                row = table.rows[row_index]
                if block.tall and row_index > 0:
                    row.height = Cm(1.8)
                    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
                for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                    cell.width = widths[column]
                    centred = row_index == 0 or column in block.centred
                    word._paragraph(
                        cell,
                        value,
                        13,
                        bold=row_index == 0,
                        align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT,
                    )
                    word._first(cell)
            word._paragraph(doc, "", 6)

    blocks(form.body)
    if form.signature is not None:
        signature = form.signature
        word._paragraph(doc)
        bottom = word._table(doc, 1, [Cm(6.5), Cm(10)])
        left, right = bottom.cell(0, 0), bottom.cell(0, 1)
        if signature.copies:
            word._paragraph(
                left,
                _("Recipients:"),
                12,
                bold=True,
                italic=True,
                align=WD_ALIGN_PARAGRAPH.LEFT,
            )
            for entry in signature.copies:
                word._paragraph(left, f"- {entry}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
        else:
            for line in signature.left_title:
                word._paragraph(left, line, 14, bold=True)
            for _blank in range(word._SIGNATURE_SPACE):
                word._paragraph(left)
            word._paragraph(left, signature.left_name, 14, bold=True)
        for line in signature.right_title:
            word._paragraph(right, line, 14, bold=True)
        for _blank in range(word._SIGNATURE_SPACE):
            word._paragraph(right)
        word._paragraph(right, signature.right_name, 14, bold=True)
        word._first(left)
        word._first(right)
    blocks(form.closing)


def forms_docx(forms: Sequence[Form]) -> bytes:
    """The forms as one Word file, each from a new page."""
    import docx

    from thidua.documents import word

    document = docx.Document()
    word._setup(document, forms[0].title if forms else "")
    word._page_number(document)
    for index, form in enumerate(forms):
        if index:
            document.add_page_break()  # type: ignore[no-untyped-call]
        _word_form(document, form)
    first = document.paragraphs[0]
    if not first.text:  # the empty paragraph a new document starts with
        first._p.getparent().remove(first._p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- Markdown -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    from thidua.documents.wording import markdown_escape

    return markdown_escape(text)


def _cell(lines: Sequence[str], style: str = "") -> str:
    return "<br>".join(f"{style}{_escape(line)}{style}" if line else "" for line in lines)


def _markdown_form(form: Form) -> list[str]:
    agencies = _cell(form.authority) + ("<br>" if form.authority else "") + _cell(form.issuer, "**")
    lines = [
        f"| {agencies} | {_cell([nation(), motto()], '**')} |",
        "| :---: | :---: |",
        f"| {_cell([form.number or ''])} | {_cell([form.date], '*')} |",
        "",
        f'<p align="center"><b>{_escape(form.name)}</b><br>'
        + "<br>".join(f"<b>{_escape(line)}</b>" for line in form.subject)
        + "</p>",
        "",
    ]

    def blocks(items: Sequence[Block]) -> None:
        for block in items:
            if isinstance(block, Text):
                text = _escape(block.text)
                if block.bold:
                    text = f"**{text}**"
                if block.italic:
                    text = f"*{text}*"
                lines.extend([text, ""])
                continue
            lines.append("| " + " | ".join(_escape(h) for h in block.headings) + " |")
            lines.append(
                "| "
                + " | ".join(
                    ":---:" if index in block.centred else ":---"
                    for index in range(len(block.headings))
                )
                + " |"
            )
            for row in block.rows:
                lines.append("| " + " | ".join(_escape(value) or " " for value in row) + " |")
            lines.append("")

    blocks(form.body)
    if form.signature is not None:
        signature = form.signature
        if signature.copies:
            left = "<br>".join(
                [
                    f"***{_escape(_('Recipients:'))}***",
                    *(f"- {_escape(c)}" for c in signature.copies),
                ]
            )
        else:
            left = _cell([*signature.left_title, "", "", "", signature.left_name], "**")
        right = _cell([*signature.right_title, "", "", "", signature.right_name], "**")
        lines += [f"| {left} | {right} |", "| :--- | :---: |", ""]
    blocks(form.closing)
    return lines


def forms_markdown(forms: Sequence[Form]) -> str:
    lines: list[str] = []
    for index, form in enumerate(forms):
        if index:
            lines += ["---", ""]
        lines += _markdown_form(form)
    return "\n".join(lines).rstrip("\n") + "\n"
