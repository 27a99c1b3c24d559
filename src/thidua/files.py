"""Plan files: TOML in through tomllib and one cattrs converter, out through tomlkit.

Saving merges the plan into the file's existing TOML document, so a planner's comments,
key order and layout survive; writes are atomic (temporary file, flush, fsync, rename).
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import re
import tempfile
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Array, Table

from thidua import model
from thidua.errors import PlanFileError
from thidua.model import (
    Group,
    GroupResult,
    Pin,
    Plan,
    Staff,
    Unit,
)

__all__ = ["converter", "dumps", "load", "loads", "save"]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)


def _strict(kind: type[T], label: str) -> Callable[[object, type[T]], T]:
    """A structure hook that accepts only values already of `kind` (no "5" for 5)."""

    def structure(value: object, _type: type[T]) -> T:
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {label}, got a boolean")
        if not isinstance(value, kind):
            raise TypeError(f"expected {label}, got {_describe(value)}")
        return value

    return structure


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"{type(value).__name__} {value!r}"


converter.register_structure_hook(str, _strict(str, "a string"))
converter.register_structure_hook(int, _strict(int, "an integer"))
converter.register_structure_hook(bool, _strict(bool, "true or false"))
converter.register_structure_hook(dt.date, _strict(dt.date, "a date (YYYY-MM-DD)"))


def _structure_float(value: object, _type: type[float]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {_describe(value)}")
    return float(value)


converter.register_structure_hook(float, _structure_float)
converter.register_unstructure_hook(dt.date, lambda value: value)


def _structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    allowed = [member.value for member in kind]
    if value not in allowed:
        choices = ", ".join(repr(choice) for choice in allowed)
        raise ValueError(f"expected one of {choices}, got {_describe(value)}")
    return kind(value)


# Registered per class: a StrEnum is a str, and the str hook would otherwise take it unchecked.
_MODEL_TYPES = [getattr(model, name) for name in model.__all__]
for _enum in (t for t in _MODEL_TYPES if isinstance(t, type) and issubclass(t, enum.Enum)):
    converter.register_structure_hook(_enum, _structure_enum)


def _structure_str_tuple(value: object, _type: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"expected an array of strings, got {_describe(value)}")
    return tuple(_strict(str, "a string")(item, str) for item in value)


converter.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_str_tuple)


def _structure_int_pair(value: object, _type: object) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError(f"expected an array of two integers, got {_describe(value)}")
    low, high = (_strict(int, "an integer")(item, int) for item in value)
    return (low, high)


converter.register_structure_hook_func(lambda t: t == tuple[int, int], _structure_int_pair)


def _structure_pairs(value: object, _type: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise TypeError(f"expected an array of pairs, got {_describe(value)}")
    pairs = []
    for item in value:
        if not isinstance(item, list) or len(item) != 2:
            raise TypeError(f"expected a pair of ids, got {_describe(item)}")
        first, second = (_strict(str, "a string")(part, str) for part in item)
        pairs.append((first, second))
    return tuple(pairs)


converter.register_structure_hook_func(lambda t: t == tuple[tuple[str, str], ...], _structure_pairs)

# The model uses postponed annotations; cattrs and the checks above need the real types.
for _cls in (t for t in _MODEL_TYPES if attrs.has(t)):
    attrs.resolve_types(_cls)

# Sections of the file: TOML key, item class, and the field that identifies an item.
_SECTIONS: tuple[tuple[str, type[Any], str | None], ...] = (
    ("units", Unit, "id"),
    ("staff", Staff, "id"),
    ("groups", Group, "id"),
    ("pins", Pin, None),
    ("results", GroupResult, "group"),
)
_TOP_FIELDS = {field.name for field in attrs.fields(Plan)}


# --------------------------------------------------------------------------------------------
# Reading


def read_input(
    path: Path, *, what: str = "plan file", error: type[PlanFileError] = PlanFileError
) -> bytes:
    """The bytes of an input file, or `error` naming the file and what is wrong with it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(path, "no such file") from None
    except IsADirectoryError:
        raise error(path, f"is a directory, not a {what}") from None
    except OSError as failure:
        raise error(path, f"cannot read: {failure.strerror}") from None


def decode_input(
    path: Path, data: bytes, *, hint: str = "", error: type[PlanFileError] = PlanFileError
) -> str:
    """UTF-8 text (a byte-order mark allowed), or `error` saying it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise error(path, f"not UTF-8 text ({failure.reason}){hint}") from None


def load(path: str | os.PathLike[str]) -> Plan:
    """Read a plan file; any problem raises `PlanFileError` naming the file and line."""
    path = Path(path)
    return loads(decode_input(path, read_input(path)), source=str(path))


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def loads(text: str, *, source: str = "<string>") -> Plan:
    """Parse plan text; `source` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match and match.group(1) else None
        reason = _TOML_POSITION.sub("", message)
        raise PlanFileError(source, f"malformed TOML: {reason}", line) from None
    return _ReadPlan(text, source).structure(data)


@attrs.define
class _ReadPlan:
    """One reading of one file: structures the data and locates errors in the text."""

    text: str
    source: str
    lines: list[str] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.lines = self.text.splitlines()

    def fail(self, message: str, line: int | None) -> PlanFileError:
        return PlanFileError(self.source, message, line)

    def structure(self, data: dict[str, Any]) -> Plan:
        unknown = sorted(set(data) - _TOP_FIELDS)
        if unknown:
            key = unknown[0]
            raise self.fail(f"unknown key {key!r}", self.key_line(None, None, key))
        if "year" not in data:
            raise self.fail("missing field 'year'", None)
        fields: dict[str, Any] = {}
        for key, value in data.items():
            if key in {name for name, _, _ in _SECTIONS}:
                fields[key] = self.structure_section(key, value)
            elif attrs.has(_field_type(Plan, key)):  # [rules], [review], [dispatch]
                fields[key] = self.structure_item(value, _field_type(Plan, key), key, None)
            else:
                fields[key] = self.structure_field(Plan, key, value)
        plan = Plan(**fields)
        self.check_ids(plan)
        self.check_references(plan)
        return plan

    def structure_field(self, cls: type[Any], key: str, value: object) -> Any:
        try:
            return converter.structure(value, _field_type(cls, key))
        except (TypeError, ValueError, cattrs.BaseValidationError) as error:
            raise self.fail(f"{key}: {_reason(error)}", self.key_line(None, None, key)) from None

    def structure_section(self, section: str, value: object) -> tuple[Any, ...]:
        cls = next(cls for name, cls, _ in _SECTIONS if name == section)
        if not isinstance(value, list):
            raise self.fail(
                f"{section} must be an array of tables ([[{section}]])",
                self.key_line(None, None, section),
            )
        return tuple(
            self.structure_item(item, cls, section, index) for index, item in enumerate(value)
        )

    def structure_item(self, item: object, cls: type[Any], section: str, index: int | None) -> Any:
        where = f"[{section}]" if index is None else f"[[{section}]] #{index + 1}"
        if not isinstance(item, dict):
            raise self.fail(f"{where} must be a table", self.key_line(section, index, None))
        known = {field.name for field in attrs.fields(cls)}
        for key in item:
            if key not in known:
                raise self.fail(
                    f"{where}: unknown field {key!r}", self.key_line(section, index, key)
                )
        for field in attrs.fields(cls):
            if field.default is attrs.NOTHING and field.name not in item:
                raise self.fail(
                    f"{where}: missing field {field.name!r}", self.key_line(section, index, None)
                )
        for key, value in item.items():
            if isinstance(value, dict) and attrs.has(_field_type(cls, key)):
                continue  # a nested table (rules.objective) is checked as a whole below
            try:
                converter.structure(value, _field_type(cls, key))
            except (TypeError, ValueError, cattrs.BaseValidationError) as error:
                raise self.fail(
                    f"{where}: {key}: {_reason(error)}", self.key_line(section, index, key)
                ) from None
        try:
            return converter.structure(item, cls)
        except (TypeError, ValueError, cattrs.BaseValidationError) as error:
            # attrs validators name their field first ("id 'Quận 3' is not an ASCII slug").
            reason = _reason(error)
            key = next((k for k in item if reason.startswith(f"{k} ")), None)
            raise self.fail(f"{where}: {reason}", self.key_line(section, index, key)) from None

    def check_ids(self, plan: Plan) -> None:
        for section, _, id_field in _SECTIONS:
            if id_field is None:
                continue
            items: Sequence[Any] = getattr(plan, section)
            counts = Counter(getattr(item, id_field) for item in items)
            for index, item in enumerate(items):
                if counts[getattr(item, id_field)] > 1:
                    first = next(
                        i
                        for i, x in enumerate(items)
                        if getattr(x, id_field) == getattr(item, id_field)
                    )
                    if first != index:
                        raise self.fail(
                            f"[[{section}]] #{index + 1}: duplicate {id_field} "
                            f"{getattr(item, id_field)!r} (first in #{first + 1})",
                            self.key_line(section, index, id_field),
                        )

    def check_references(self, plan: Plan) -> None:
        for problem in reference_problems(plan):
            section, index, key, value, message = problem
            line = self.value_line(section, index, key, value)
            where = f"[[{section}]] #{index + 1}" if index is not None else section
            raise self.fail(f"{where}: {message}", line)

    # -- locating keys in the text -------------------------------------------------------

    def header_lines(self, section: str) -> list[int]:
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(section)}\s*\]\]")
        return [number for number, line in enumerate(self.lines, 1) if pattern.match(line)]

    def block(self, section: str | None, index: int | None) -> tuple[int, int] | None:
        """The 1-based line range (start, end exclusive) of a table in the text."""
        if section is None:
            start = 1
        elif index is None:
            pattern = re.compile(rf"^\s*\[\s*{re.escape(section)}\s*\]")
            found = [n for n, line in enumerate(self.lines, 1) if pattern.match(line)]
            if not found:
                return None
            start = found[0]
        else:
            headers = self.header_lines(section)
            if index >= len(headers):
                return None
            start = headers[index]
        end = start + 1
        while end <= len(self.lines) and not self.lines[end - 1].lstrip().startswith("["):
            end += 1
        if section is None:
            return (1, end)
        return (start, end)

    def key_line(self, section: str | None, index: int | None, key: str | None) -> int | None:
        block = self.block(section, index)
        if block is None:
            return None
        if key is None:
            return block[0]
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(*block):
            if pattern.match(self.lines[number - 1]):
                return number
        return block[0] if section is not None else None

    def value_line(
        self, section: str | None, index: int | None, key: str, value: str
    ) -> int | None:
        """The line of `key` in a table, or of `value` inside a multi-line array there."""
        line = self.key_line(section, index, key)
        if line is None:
            return None
        quoted = re.compile(rf"[\"']{re.escape(value)}[\"']")
        end = len(self.lines) + 1
        block = self.block(section, index)
        if block is not None:
            end = block[1]
        for number in range(line, end):
            if quoted.search(self.lines[number - 1]):
                return number
        return line


def _field_type(cls: type[Any], key: str) -> Any:
    field_type = attrs.fields_dict(cls)[key].type
    assert field_type is not None  # resolve_types() ran on every model class
    return field_type


def _reason(error: BaseException) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        inner = error.exceptions[0] if error.exceptions else error
        return _reason(inner)
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}"
    return str(error)


ReferenceProblem = tuple[str | None, int | None, str, str, str]


def reference_problems(plan: Plan) -> Iterator[ReferenceProblem]:
    """References to ids that do not exist: (section, index, key, id, message).

    The contract makes these load errors rather than rule violations.
    """
    units, staff, groups = plan.unit_by_id, plan.staff_by_id, plan.group_by_id
    for index, group in enumerate(plan.groups):
        for member in group.members:
            if member not in units:
                yield ("groups", index, "members", member, f"unknown unit {member!r} in members")
        for key, table, what in (
            ("leader", staff, "person"),
            ("officer", staff, "person"),
            ("chair", units, "unit"),
            ("deputy", units, "unit"),
        ):
            value = getattr(group, key)
            if value is not None and value not in table:
                yield ("groups", index, key, value, f"{key}: unknown {what} {value!r}")
    for index, pin in enumerate(plan.pins):
        if pin.group not in groups:
            yield ("pins", index, "group", pin.group, f"unknown group {pin.group!r}")
        table, what = (staff, "person") if pin.staff is not None else (units, "unit")
        if pin.subject not in table:
            yield ("pins", index, pin.kind.value, pin.subject, f"unknown {what} {pin.subject!r}")
    for first, second in plan.neighbours:
        for unit in (first, second):
            if unit not in units:
                yield (None, None, "neighbours", unit, f"unknown unit {unit!r} in neighbours")
    for index, result in enumerate(plan.results):
        if result.group not in groups:
            yield ("results", index, "group", result.group, f"unknown group {result.group!r}")
        for key in ("leading_unit", "next_chair"):
            value = getattr(result, key)
            if value is not None and value not in units:
                yield ("results", index, key, value, f"{key}: unknown unit {value!r}")
        for unit in result.ranking:
            if unit not in units:
                yield ("results", index, "ranking", unit, f"unknown unit {unit!r} in ranking")
        for award in result.awards:
            for unit in award.units:
                if unit not in units:
                    yield ("results", index, "awards", unit, f"unknown unit {unit!r} in awards")
        for tally in result.ballots:
            if tally.unit not in units:
                yield (
                    "results",
                    index,
                    "ballots",
                    tally.unit,
                    f"unknown unit {tally.unit!r} in ballots",
                )


# --------------------------------------------------------------------------------------------
# Writing


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
        raise PlanFileError(path, f"cannot write: {error.strerror}") from None
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
        raise PlanFileError(path, f"cannot write: {error.strerror}") from None


def _item_key(section: str, table: Mapping[str, Any]) -> object:
    if section == "pins":
        return (table.get("group"), table.get("unit"), table.get("staff"), table.get("chair"))
    id_field = next(id_field for name, _, id_field in _SECTIONS if name == section)
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
    sections = {name for name, _, _ in _SECTIONS}
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
        container[key] = _new_array(value, multiline or key in {"members", "neighbours"})
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
            table[key] = _new_array(value, key in {"members", "neighbours"})
        else:
            table[key] = value
    if spaced:
        table.add(tomlkit.nl())  # a blank line before the next [[header]]
    return table
