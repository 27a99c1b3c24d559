"""TOML text for a new plan file, written directly: linear in the plan's size.

tomlkit builds an item object per key and renders arrays of tables by repeated string
concatenation, which made a 100,000-unit plan take over 20 s to save. A file with no layout
to keep needs none of that: this writes the same text tomlkit would (values before tables, a
blank line before each header, `members` and `neighbours` one per line), straight from the
converter's plain data. Saving over an existing file still merges through tomlkit.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping
from typing import Any

__all__ = ["MULTILINE_ARRAYS", "emit_document", "emit_table_array_item"]

# Arrays written one item per line, so that a diff of two plans shows a moved unit on its own.
MULTILINE_ARRAYS = frozenset({"members", "neighbours", "borders"})

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _string(text: str) -> str:
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    escaped = "".join(
        _ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
        for ch in text
    )
    return f'"{escaped}"'


def _value(value: Any) -> str:
    if type(value) is str:  # most values: checked first, exactly (an enum is a str too)
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _value(value.value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML files of plans hold finite numbers, not {value}")
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key} = {_value(item)}" for key, item in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _key_value(key: str, value: Any, out: list[str]) -> None:
    if type(value) is str and value.isprintable() and '"' not in value and "\\" not in value:
        out.append(f'{key} = "{value}"\n')  # most values: `_string`'s first case, inline
    elif key in MULTILINE_ARRAYS and isinstance(value, list | tuple) and value:
        out.append(f"{key} = [\n")
        out.extend(f"    {_value(item)},\n" for item in value)
        out.append("]\n")
    else:
        out.append(f"{key} = {_value(value)}\n")


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)  # plain data from the converter: dicts, never other maps


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table_body(prefix: str, table: Mapping[str, Any], out: list[str]) -> None:
    """A table's plain values, then its sub-tables, each under its own header."""
    tables = []
    for key, value in table.items():
        if _is_table(value):
            tables.append((key, value))
        else:
            _key_value(key, value, out)
    for key, value in tables:
        _header(f"[{prefix}.{key}]", out)
        _table_body(f"{prefix}.{key}", value, out)


def _header(header: str, out: list[str]) -> None:
    if out:
        out.append("\n")
    out.append(f"{header}\n")


def emit_document(data: Mapping[str, Any], table_arrays: frozenset[str]) -> str:
    """`data` as TOML text; the keys in `table_arrays` are arrays of tables ([[units]])."""
    out: list[str] = []
    for key, value in data.items():
        if key in table_arrays and isinstance(value, list) and not value:
            continue  # an empty section is no section
        if not _is_table(value) and not (key in table_arrays and _is_table_array(value)):
            _key_value(key, value, out)
    for key, value in data.items():
        if key in table_arrays and _is_table_array(value):
            for table in value:
                _header(f"[[{key}]]", out)
                _table_body(key, table, out)
        elif _is_table(value):
            _header(f"[{key}]", out)
            _table_body(key, value, out)
    return "".join(out)


def emit_table_array_item(section: str, table: Mapping[str, Any]) -> str:
    """One table of an array of tables, header first, as `emit_document` writes it."""
    out = [f"[[{section}]]\n"]
    _table_body(section, table, out)
    return "".join(out)
