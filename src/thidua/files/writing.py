"""Writing plan files: the plan merged into the file's tomlkit document, saved atomically.

Merging keeps a planner's comments, key order and layout; a write goes to a temporary file,
is flushed and synced, then renamed over the target.
"""

from __future__ import annotations

import enum
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Array, Table

from thidua.errors import PlanFileError
from thidua.files.convert import SECTIONS, converter
from thidua.i18n import _
from thidua.model import Plan

__all__ = ["atomic_write", "dumps", "save", "unstructure"]


def unstructure(plan: Plan) -> dict[str, Any]:
    """The plan as plain TOML-ready data, leaving out what equals its default."""
    data: dict[str, Any] = converter.unstructure(plan)
    for group, table in zip(plan.groups, data.get("groups", []), strict=True):
        table["members"] = list(group.members)  # an empty group still says so
    return data


# Every field, defaults included: a key the planner wrote out stays written out.
_full_converter = converter.copy(omit_if_default=False)


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(item) for item in value]
    return value


def dumps(plan: Plan, template: str | None = None) -> str:
    """The plan as TOML text; with `template`, that text's comments and layout are kept."""
    document = tomlkit.parse(template) if template else tomlkit.document()
    full = _without_none(_full_converter.unstructure(plan))
    _merge_document(document, unstructure(plan), full)
    return tomlkit.dumps(document)


def save(
    plan: Plan, path: str | os.PathLike[str], *, template: str | os.PathLike[str] | None = None
) -> None:
    """Write `plan` to `path` atomically, keeping the layout of `template` (default: `path`)."""
    path = Path(path)
    layout_from = Path(template) if template is not None else path
    try:
        existing = layout_from.read_text(encoding="utf-8") if layout_from.exists() else None
    except (OSError, UnicodeDecodeError):
        existing = None
    try:
        text = dumps(plan, existing)
    except tomlkit.exceptions.TOMLKitError:
        text = dumps(plan)  # the old layout cannot hold the new plan: write a clean file
    atomic_write(path, text)


def atomic_write(path: Path, text: str) -> None:
    """Write text so that readers see the old file or the new one, never a half-written one."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, before the rename)
            "w", encoding="utf-8", dir=directory, prefix=f".{path.name}.", delete=False
        )
    except OSError as error:
        raise PlanFileError(path, _("cannot write: {why}").format(why=error.strerror)) from None
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(handle.name, path.stat().st_mode & 0o777)
        else:
            os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except OSError as error:
        Path(handle.name).unlink(missing_ok=True)
        raise PlanFileError(path, _("cannot write: {why}").format(why=error.strerror)) from None


def _item_key(section: str, table: Mapping[str, Any]) -> object:
    if section == "pins":
        return (table.get("group"), table.get("unit"), table.get("staff"), table.get("chair"))
    id_field = next(id_field for name, _cls, id_field in SECTIONS if name == section)
    return table.get(id_field or "id")


def _kept(container: Any, data: Mapping[str, Any], full: Mapping[str, Any]) -> dict[str, Any]:
    """`data`, plus the default-valued keys that `container` (the old layout) writes out."""
    kept = dict(data)
    for key in container:
        if key not in kept and key in full:
            # A table is merged key by key, so only the keys it writes out come back.
            kept[key] = {} if isinstance(full[key], dict) else full[key]
    return kept


def _merge_document(
    document: tomlkit.TOMLDocument, data: Mapping[str, Any], full: Mapping[str, Any]
) -> None:
    sections = {name for name, _cls, _id in SECTIONS}
    data = _kept(document, data, full)
    for key in list(document.keys()):
        if key not in data:
            del document[key]
    for key, value in data.items():
        if key in sections:
            _merge_section(document, key, value, full.get(key, []))
        elif isinstance(value, dict):
            if key in document and isinstance(document[key], Table | Container):
                _merge_table(document[key], value, full.get(key, {}))
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
    old_by_key: dict[object, Table] = {}
    if isinstance(old, AoT):
        for existing in old.body:
            old_by_key.setdefault(_item_key(section, existing), existing)
    merged = []
    for new, full in zip(tables, full_tables, strict=True):
        key = _item_key(section, new)
        if key in old_by_key:
            table = old_by_key.pop(key)
            _merge_table(table, new, full)
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


def _merge_table(
    table: Table | Container, data: Mapping[str, Any], full: Mapping[str, Any]
) -> None:
    data = _kept(table, data, full)
    for key in list(table.keys()):
        if key not in data:
            del table[key]
    for key, value in data.items():
        if isinstance(value, dict):
            current = table.get(key)
            if isinstance(current, Table):
                _merge_table(current, value, full.get(key, {}))
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
        container[key] = _new_array(value, multiline or key in {"members", "neighbours", "borders"})
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
            table[key] = _new_array(value, key in {"members", "neighbours", "borders"})
        else:
            table[key] = value
    if spaced:
        table.add(tomlkit.nl())  # a blank line before the next [[header]]
    return table
