"""Merging a plan's data into a tomlkit document, so a planner's comments and layout survive.

Tables are matched by their id (pins by what they pin); an unchanged value keeps its text and
comments; a key the old file wrote out stays written out, with its default value if need be.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Array, Table

from thidua.files.convert import SECTIONS
from thidua.files.emit import MULTILINE_ARRAYS

__all__ = ["item_key", "kept_keys", "merge_document", "merge_table"]


_ID_FIELDS = {name: id_field or "id" for name, _, id_field in SECTIONS}


def item_key(section: str, table: Mapping[str, Any]) -> object:
    if section == "pins":
        return (table.get("group"), table.get("unit"), table.get("staff"), table.get("chair"))
    return table.get(_ID_FIELDS[section])


def kept_keys(container: Any, data: Mapping[str, Any], full: Mapping[str, Any]) -> dict[str, Any]:
    """`data`, plus the default-valued keys that `container` (the old layout) writes out."""
    kept = dict(data)
    for key in container:
        if key not in kept and key in full:
            # A table is merged key by key, so only the keys it writes out come back.
            kept[key] = {} if isinstance(full[key], dict) else full[key]
    return kept


def merge_document(
    document: tomlkit.TOMLDocument, data: Mapping[str, Any], full: Mapping[str, Any]
) -> None:
    sections = {name for name, _, _ in SECTIONS}
    data = kept_keys(document, data, full)
    for key in list(document.keys()):
        if key not in data:
            del document[key]
    for key, value in data.items():
        if key in sections:
            _merge_section(document, key, value, full.get(key, []))
        elif isinstance(value, dict):
            if key in document and isinstance(document[key], Table | Container):
                merge_table(document[key], value, full.get(key, {}))
            else:
                document[key] = _new_table(value)
        else:
            _set_value(document, key, value)


def _merge_section(
    document: tomlkit.TOMLDocument,
    section: str,
    tables: list[dict[str, Any]],
    full_tables: list[dict[str, Any]],
) -> None:
    old = document.get(section)
    # Tables with the same key (a pin written twice) are matched in the file's order, so that
    # each keeps its own text rather than the second being appended as a new one.
    old_by_key: dict[object, list[Table]] = {}
    if isinstance(old, AoT):
        for existing in old.body:
            old_by_key.setdefault(item_key(section, existing), []).append(existing)
    merged = []
    for new, full in zip(tables, full_tables, strict=True):
        key = item_key(section, new)
        if old_by_key.get(key):
            table = old_by_key[key].pop(0)
            merge_table(table, new, full)
            merged.append(table)
        else:
            # Appended after a planner's tables, a new one needs its own blank line.
            merged.append(_new_table(new, spaced=isinstance(old, AoT)))
    if isinstance(old, AoT) and merged:
        if [id(t) for t in old.body] != [id(t) for t in merged]:
            # Rebuild in place so the section keeps its position in the file.
            while len(old):
                del old[len(old) - 1]
            for table in merged:
                old.append(table)
        return
    if section in document:
        del document[section]
    if merged:
        aot = tomlkit.aot()
        for table in merged:
            aot.append(table)
        document.append(section, aot)


def merge_table(table: Table | Container, data: Mapping[str, Any], full: Mapping[str, Any]) -> None:
    data = kept_keys(table, data, full)
    for key in list(table.keys()):
        if key not in data:
            del table[key]
    for key, value in data.items():
        if isinstance(value, dict):
            current = table.get(key)
            if isinstance(current, Table):
                merge_table(current, value, full.get(key, {}))
            else:
                table[key] = _new_table(value)
        else:
            _set_value(table, key, value)


def _set_value(container: Any, key: str, value: Any) -> None:
    current = container.get(key)
    if current is not None and _plain(current) == _plain(value):
        return  # unchanged: keep its formatting and comments
    if isinstance(value, list):
        multiline = isinstance(current, Array) and "\n" in current.as_string()
        container[key] = _new_array(value, multiline or key in MULTILINE_ARRAYS)
    else:
        container[key] = value


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple | Array):
        return [_plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "unwrap"):
        return value.unwrap()
    return value


def _new_array(values: list[Any], multiline: bool) -> Array:
    array = tomlkit.array()
    for value in values:
        if isinstance(value, list):
            array.append(_new_array(value, False))
        elif isinstance(value, dict):
            inline = tomlkit.inline_table()
            for key, item in value.items():
                inline[key] = _new_array(item, False) if isinstance(item, list) else item
            array.append(inline)
        else:
            array.append(value)
    if multiline and values:
        array.multiline(True)
    return array


def _new_table(data: Mapping[str, Any], *, spaced: bool = False) -> Table:
    table = tomlkit.table()
    for key, value in data.items():
        if isinstance(value, dict):
            table[key] = _new_table(value)
        elif isinstance(value, list):
            table[key] = _new_array(value, key in MULTILINE_ARRAYS)
        else:
            table[key] = value
    if spaced:
        table.add(tomlkit.nl())  # a blank line before the next [[header]]
    return table
