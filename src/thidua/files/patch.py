"""Merging new values into one changed `[[section]]` table's text, line by line.

A solve changes most `[[groups]]` tables of a plan (a chair, a member), and parsing each one
with tomlkit to merge it cost as much as the solve. A table written the plain way (one
`key = value` per line, scalars and arrays of scalars, comments and blank lines anywhere) is
merged here directly on its lines, giving the text the tomlkit merge (`merge.merge_table`) gives:
an unchanged value keeps its text, a changed one is rewritten after its key keeping its line's
comment, a removed key loses its lines, a new key goes after the table's last key or comment.

Any other table (escapes, inline tables, sub-tables, dates, an indented header...) gets None,
and the caller merges it through tomlkit.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from typing import Any

import attrs

from thidua.files.merge import kept_keys

__all__ = ["patch_table"]

_KEY = r"[A-Za-z0-9_-]+"
# A basic string with no escapes: its text is its value.
_STRING = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_SCALAR = rf"(?:{_STRING}|{_NUMBER}|true|false)"
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_END = rf"[ \t]*{_COMMENT}\n"  # what may follow a value on its line
_FLAT_ARRAY = rf"\[[ \t]*(?:{_SCALAR}(?:[ \t]*,[ \t]*{_SCALAR})*[ \t]*,?[ \t]*)?\]"

_HEADER_LINE = re.compile(rf"\[\[[ \t]*{_KEY}[ \t]*\]\]{_END}")
_BLANK = re.compile(r"[ \t]*\n")
_COMMENT_LINE = re.compile(r"[ \t]*#[^\x00-\x08\x0a-\x1f\x7f]*\n")
# indent and key with its "=", the value, the rest of the line.
_KEY_VALUE = re.compile(rf"([ \t]*{_KEY}[ \t]*=[ \t]*)({_SCALAR}|{_FLAT_ARRAY})({_END})")
_ARRAY_OPEN = re.compile(rf"([ \t]*{_KEY}[ \t]*=[ \t]*)\[([ \t]*{_COMMENT})\n")
_ARRAY_ITEM = re.compile(rf"[ \t]*({_SCALAR})[ \t]*(,?)[ \t]*{_COMMENT}\n")
_ARRAY_CLOSE = re.compile(rf"([ \t]*)\]({_END})")
_SCALARS = re.compile(_SCALAR)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\]')


@attrs.define
class _Entry:
    """One key of the table: its lines [start, stop), the text around its value, its value."""

    key: str
    start: int
    stop: int
    before: str  # indentation, key and "=", as written
    after: str  # what follows the value on its last line: spaces, comment, newline
    indent: str
    value: Any
    multiline: bool


def _scalar(text: str) -> Any:
    if text[0] == '"':
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if any(mark in text for mark in ".eE"):
        return float(text)
    return int(text)


def _array(text: str) -> list[Any]:
    # The flat-array pattern matched: its scalars are its items (a string holds no quote).
    return [_scalar(item) for item in _SCALARS.findall(text[1:-1])]


def _entries(lines: list[str]) -> tuple[dict[str, _Entry], int] | None:
    """The table's keys and the line after its last comment; None if not written plainly."""
    entries: dict[str, _Entry] = {}
    last = 1
    index = 1
    while index < len(lines):
        line = lines[index]
        if _BLANK.fullmatch(line):
            index += 1
            continue
        if _COMMENT_LINE.fullmatch(line):
            index += 1
            last = index
            continue
        entry = _key_value(lines, index)
        if entry is None or entry.key in entries:
            return None
        entries[entry.key] = entry
        index = entry.stop
    return entries, last


def _key_value(lines: list[str], index: int) -> _Entry | None:
    line = lines[index]
    match = _KEY_VALUE.fullmatch(line)
    if match:
        before, value = match.group(1), match.group(2)
        decoded = _array(value) if value[0] == "[" else _scalar(value)
        return _Entry(
            _key_name(before),
            index,
            index + 1,
            before,
            match.group(3),
            _indent(line),
            decoded,
            multiline=False,
        )
    opened = _ARRAY_OPEN.fullmatch(line)
    if not opened:
        return None
    items: list[Any] = []
    comma = True
    for stop in range(index + 1, len(lines)):
        text = lines[stop]
        closed = _ARRAY_CLOSE.fullmatch(text)
        if closed:
            return _Entry(
                _key_name(opened.group(1)),
                index,
                stop + 1,
                opened.group(1),
                closed.group(2),
                _indent(line),
                items,
                multiline=True,
            )
        item = _ARRAY_ITEM.fullmatch(text)
        if item:
            if not comma:
                return None  # two items with no comma between them
            items.append(_scalar(item.group(1)))
            comma = bool(item.group(2))
        elif not (_BLANK.fullmatch(text) or _COMMENT_LINE.fullmatch(text)):
            return None
    return None


def _key_name(before: str) -> str:
    return before.split("=", 1)[0].strip(" \t")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _render(value: Any) -> str | None:
    """A value as tomlkit writes a new one, or None where this module does not say."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, str):
        return None if _UNSAFE.search(value) else f'"{value}"'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    return None


def _render_array(values: list[Any], multiline: bool, indent: str) -> str | None:
    rendered = [_render(value) for value in values]
    if any(text is None for text in rendered):
        return None
    if multiline and rendered:
        return "[\n" + "".join(f"{indent}    {text},\n" for text in rendered) + f"{indent}]"
    return "[" + ", ".join(text for text in rendered if text is not None) + "]"


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def patch_table(
    text: str,
    data: Mapping[str, Any],
    full: Mapping[str, Any],
    multiline_keys: frozenset[str],
) -> str | None:
    """`text` (one table, header first) with `data` merged in as `merge_table` would."""
    if not text.endswith("\n"):
        return None
    lines = text.splitlines(keepends=True)
    if any(line.count("\n") != 1 or "\r" in line for line in lines):
        return None
    if not _HEADER_LINE.fullmatch(lines[0]):
        return None  # an indented header indents new keys too: tomlkit's case
    found = _entries(lines)
    if found is None:
        return None
    entries, last = found
    kept = kept_keys(entries, data, full)
    replaced: dict[int, str] = {}  # first line of an entry -> its new text ("" when removed)
    for key, entry in entries.items():
        if key not in kept:
            replaced[entry.start] = ""
        else:
            last = max(last, entry.stop)  # new keys go after the last key kept, or comment
    added: list[str] = []
    for key, value in kept.items():
        current = entries.get(key)
        if isinstance(value, list):
            if current is not None and current.value == [_plain(v) for v in value]:
                continue
            multiline = key in multiline_keys or (current is not None and current.multiline)
            rendered = _render_array(value, multiline, current.indent if current else "")
        elif isinstance(value, dict | tuple):
            return None
        else:
            if current is not None and current.value == _plain(value):
                continue
            rendered = _render(value)
        if rendered is None:
            return None
        if current is None:
            added.append(f"{key} = {rendered}\n")
        else:
            replaced[current.start] = current.before + rendered + current.after
    stops = {entry.start: entry.stop for entry in entries.values()}
    out: list[str] = []
    index = 0
    while index < len(lines):
        if index == last:
            out.extend(added)
        new = replaced.get(index)
        if new is None:
            out.append(lines[index])
            index += 1
        else:
            out.append(new)
            index = stops[index]
    if last >= len(lines):
        out.extend(added)
    return "".join(out)
