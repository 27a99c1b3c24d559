"""A dispatch's lines: plain text, Markdown undone (tables read cell by cell), or Word."""

from __future__ import annotations

import re
from pathlib import Path

from thidua.documents.errors import DispatchError
from thidua.files import decode_input, read_input
from thidua.i18n import N_
from thidua.text import nfc

__all__ = ["Line", "looks_like_markdown", "read_lines", "source_lines"]

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


def read_lines(path: Path) -> tuple[list[Line], bool]:
    """The file's lines, and whether it was a Word file (its numbers count paragraphs)."""
    data = read_input(path, what=N_("dispatch"), error=DispatchError)
    if data.startswith(b"PK\x03\x04"):
        from thidua.documents.word import docx_lines  # python-docx loads only for Word files

        return [(number, nfc(text)) for number, text in enumerate(docx_lines(path), 1)], True
    text = decode_input(path, data, error=DispatchError)
    suffix = path.suffix.lower()
    markdown = True if suffix in {".md", ".markdown"} else False if suffix == ".txt" else None
    return source_lines(text, markdown=markdown), False
