"""Saving over an existing file in time linear in its size: tomlkit only where the text changes.

tomlkit parses and renders a document character by character, which costs seconds per
ten thousand tables. Most saves change few of a big file's `[[units]]`, `[[groups]]`...
tables, so the file is cut into blocks at its table headers; a block whose text is already
what the new plan's table would be is kept as it is, and only a changed block (or the small
rest: top-level keys, `[rules]`, `[review]`, `[dispatch]`) goes through the tomlkit merge.

When the file is not cut safely this way (multi-line strings, a table whose id cannot be
read off its text, a section in several places, an id twice), `merge_blocks` returns None and
the caller merges the whole document through tomlkit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import tomlkit

from thidua.files.emit import MULTILINE_ARRAYS, emit_document, emit_table_array_item
from thidua.files.merge import item_key, merge_document, merge_table
from thidua.files.patch import patch_table

__all__ = ["cuts_into_tables", "merge_blocks"]

# A table header of bare keys ("[rules]", "[rules.objective]", "[[units]]"), nothing else.
_BARE_KEY = r"[A-Za-z0-9_-]+"
_HEADER = re.compile(
    rf"^[ \t]*(\[\[?)[ \t]*({_BARE_KEY}(?:[ \t]*\.[ \t]*{_BARE_KEY})*)[ \t]*\]\]?[ \t]*(?:#.*)?$",
    re.MULTILINE,
)
_STRING_VALUE = r"[ \t]*=[ \t]*\"([^\"\\\n]*)\"[ \t]*(?:#.*)?$"
_KEYS = {
    name: re.compile(rf"^{name}{_STRING_VALUE}", re.MULTILINE)
    for name in ("id", "group", "unit", "staff", "chair")
}


@attrs.frozen
class _Block:
    """Lines of the file from one header (or the start) to the next header."""

    header: str | None  # "units" for [[units]], "rules.objective" for [rules.objective]
    array: bool  # [[...]]: one table of an array of tables
    text: str


def cuts_into_tables(text: str) -> bool:
    """Whether a file's text can be cut at its table headers at all (`merge_blocks` may still
    find it cannot be, later): not where a header-looking line could sit in a multi-line
    string."""
    return "'''" not in text and '"""' not in text


def _blocks(text: str) -> list[_Block] | None:
    if not cuts_into_tables(text):
        return None
    # The header lines are found by one search over the text, not line by line: what lies
    # between two of them is kept as one slice.
    blocks: list[_Block] = []
    header: str | None = None
    array = False
    start = 0
    for match in _HEADER.finditer(text):
        blocks.append(_Block(header, array, text[start : match.start()]))
        header = match.group(2).replace(" ", "").replace("\t", "")
        array = match.group(1) == "[["
        start = match.start()
    blocks.append(_Block(header, array, text[start:]))
    return blocks


def _key_of(section: str, text: str) -> object | None:
    """The key `item_key` gives the table written in `text`, read off its lines."""

    def value(name: str) -> str | None:
        found = _KEYS[name].findall(text)
        return found[0] if len(found) == 1 else None

    if section == "pins":
        group = value("group")
        return None if group is None else (group, value("unit"), value("staff"), value("chair"))
    return value("group" if section == "results" else "id")


def merge_blocks(
    template: str,
    data: Mapping[str, Any],
    sections: frozenset[str],
    full_item: Callable[[str, int], Mapping[str, Any]],
    full_rest: Callable[[], Mapping[str, Any]],
) -> str | None:
    """`data` merged into `template` block by block; None when the fast way does not apply.

    `full_item(section, index)` and `full_rest()` give the defaults-included data that the
    tomlkit merge needs, computed only for what changed."""
    blocks = _blocks(template)
    if blocks is None:
        return None
    old_by_section: dict[str, dict[object, _Block]] = {}
    order: list[str] = []  # the file's blocks: "=table" for a table, "@section" for a section
    last_section: str | None = None
    for block in blocks[1:]:
        assert block.header is not None
        if block.array and block.header in sections:
            if block.header != last_section:
                if block.header in old_by_section:
                    return None  # a section in two places
                order.append(f"@{block.header}")
                old_by_section[block.header] = {}
            key = _key_of(block.header, block.text)
            if key is None or key in old_by_section[block.header]:
                return None
            old_by_section[block.header][key] = block
            last_section = block.header
        else:
            if block.array:
                return None  # an array of tables the plan does not have: let tomlkit decide
            order.append(f"={block.header}")
            last_section = None
    rendered_sections = {
        section: _section_text(section, tables, old_by_section.get(section, {}), full_item)
        for section, tables in data.items()
        if section in sections and tables
    }
    rest = _merge_rest(blocks, data, sections, full_rest)
    if rest is None:
        return None
    preamble, rest_blocks = rest
    out: list[str] = [preamble]
    done: set[str] = set()
    for entry in order:
        kind, name = entry[0], entry[1:]
        if kind == "@":
            if name in rendered_sections:
                _append(out, rendered_sections[name], spaced=False)
            done.add(entry)
        elif name in rest_blocks and entry not in done:
            _append(out, rest_blocks[name], spaced=False)
            done.add(entry)
    # What the file did not have, in the plan's order (as the tomlkit merge appends it).
    for key in data:
        if key in sections:
            if f"@{key}" not in done and key in rendered_sections:
                _append(out, rendered_sections[key], spaced=True)
                done.add(f"@{key}")
            continue
        for name, text in rest_blocks.items():
            entry = f"={name}"
            if entry not in done and (name == key or name.startswith(f"{key}.")):
                _append(out, text, spaced=True)
                done.add(entry)
    return "".join(out)


def _append(out: list[str], text: str, *, spaced: bool) -> None:
    """Add `text` after what is written, on a line of its own (after a blank line if new)."""
    if not text:
        return
    written = out[-1] if out else ""
    if (written and not written.endswith("\n")) or (
        spaced and written and not written.endswith("\n\n")
    ):
        out.append("\n")
    out.append(text)


def _section_text(
    section: str,
    tables: Sequence[Mapping[str, Any]],
    old: Mapping[object, _Block],
    full_item: Callable[[str, int], Mapping[str, Any]],
) -> str:
    out: list[str] = []
    after_new = False  # a new table is set off by blank lines on both sides
    for index, table in enumerate(tables):
        fresh = emit_table_array_item(section, table)
        block = old.get(item_key(section, table))
        if block is None:
            _append(out, fresh, spaced=bool(out))
        elif block.text.rstrip("\n") == fresh.rstrip("\n"):
            _append(out, block.text, spaced=after_new)  # unchanged: kept as written
        else:
            full = full_item(section, index)
            text = patch_table(block.text, table, full, MULTILINE_ARRAYS)
            if text is None:  # not written the plain way: tomlkit merges it
                document = tomlkit.parse(block.text)
                merge_table(document[section][0], table, full)
                text = tomlkit.dumps(document)
            _append(out, text, spaced=after_new)
        after_new = block is None
    if after_new:
        out.append("\n")  # and after the section's last table, before what follows
    return "".join(out)


def _merge_rest(
    blocks: Sequence[_Block],
    data: Mapping[str, Any],
    sections: frozenset[str],
    full_rest: Callable[[], Mapping[str, Any]],
) -> tuple[str, dict[str, str]] | None:
    """The top-level keys and plain tables, merged by tomlkit: the preamble and each table."""
    skeleton = "".join(
        block.text for block in blocks if block.header is None or block.header not in sections
    )
    rest = {key: value for key, value in data.items() if key not in sections}
    if not skeleton.strip():
        text = emit_document(rest, frozenset())
    else:
        document = tomlkit.parse(skeleton)
        full = {key: value for key, value in full_rest().items() if key not in sections}
        merge_document(document, rest, full)
        text = tomlkit.dumps(document)
    merged = _blocks(text)
    if merged is None:
        return None
    return merged[0].text, {block.header: block.text for block in merged[1:] if block.header}
