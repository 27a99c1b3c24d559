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

`lines` turns a file into numbered lines, `reader` walks them, `builder` makes the plan.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from thidua.documents.importer.builder import ImportResult, parse_dispatch
from thidua.documents.importer.lines import looks_like_markdown, read_lines, source_lines
from thidua.documents.importer.reader import Notice

__all__ = [
    "ImportResult",
    "Notice",
    "looks_like_markdown",
    "parse_dispatch",
    "read_dispatch",
    "source_lines",
]


def read_dispatch(path: str | Path, *, keep_header: bool = False) -> ImportResult:
    """Read a dispatch file (.txt, .md or .docx) into a plan; see `parse_dispatch`.

    In a Word file the notices count paragraphs (table cells read left to right)."""
    path = Path(path)
    lines, word = read_lines(path)
    result = parse_dispatch(lines, source=str(path), keep_header=keep_header)
    return attrs.evolve(result, counted="paragraph") if word else result
