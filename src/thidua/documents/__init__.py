"""Official documents in and out of a plan: dispatches (công văn) read and drafted, and the
year-end review (bình xét thi đua) from a score sheet.

Word and Excel libraries load only when a .docx or .xlsx file is met, so the command line stays
quick for text.
"""

from thidua.documents.errors import DispatchError, ScoresError
from thidua.documents.exporter import compose, render_markdown, render_text
from thidua.documents.importer import ImportResult, Notice, parse_dispatch, read_dispatch
from thidua.documents.review import Review, review
from thidua.documents.scores import ScoreSheet, read_scores

__all__ = [
    "DispatchError",
    "ImportResult",
    "Notice",
    "Review",
    "ScoreSheet",
    "ScoresError",
    "compose",
    "parse_dispatch",
    "read_dispatch",
    "read_scores",
    "render_markdown",
    "render_text",
    "review",
]
