"""Reading plan files: TOML through tomli, structured by the converter, errors located.

tomli is tomllib's source (Python 3.11 vendored it) compiled with mypyc: the same grammar
(TOML 1.0) and error messages, parsing a plan file in half the time. Every problem raises
`PlanFileError` naming the file and, where it can be found, the line.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import cattrs
import tomli

from thidua.errors import PlanFileError
from thidua.files.convert import SECTIONS, TOP_FIELDS, converter, field_type, reason
from thidua.files.inputs import decode_input, read_input
from thidua.i18n import _
from thidua.model import Plan

__all__ = ["ReferenceProblem", "load", "loads", "reference_problems"]


def load(path: str | os.PathLike[str]) -> Plan:
    """Read a plan file; any problem raises `PlanFileError` naming the file and line."""
    path = Path(path)
    return loads(decode_input(path, read_input(path)), source=str(path))


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def loads(text: str, *, source: str = "<string>") -> Plan:
    """Parse plan text; `source` names it in errors."""
    try:
        data = tomli.loads(text)
    except RecursionError:
        # tomli recurses once per level of nested arrays and inline tables.
        raise PlanFileError(source, _("malformed TOML: nested too deeply")) from None
    except tomli.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match and match.group(1) else None
        why = _TOML_POSITION.sub("", message)
        raise PlanFileError(source, _("malformed TOML: {why}").format(why=why), line) from None
    return _ReadPlan(text, source).structure(data)


@attrs.define
class _ReadPlan:
    """One reading of one file: structures the data and locates errors in the text."""

    text: str
    source: str
    _lines: list[str] | None = attrs.field(init=False, default=None)

    @property
    def lines(self) -> list[str]:
        """The text's lines, split when an error is first located (a good file never is)."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def fail(self, message: str, line: int | None) -> PlanFileError:
        return PlanFileError(self.source, message, line)

    def structure(self, data: dict[str, Any]) -> Plan:
        unknown = sorted(set(data) - TOP_FIELDS)
        if unknown:
            key = unknown[0]
            raise self.fail(
                _("unknown key {key}").format(key=repr(key)), self.key_line(None, None, key)
            )
        if "year" not in data:
            raise self.fail(_("missing field {field}").format(field="'year'"), None)
        fields: dict[str, Any] = {}
        for key, value in data.items():
            if key in {name for name, _cls, _id in SECTIONS}:
                fields[key] = self.structure_section(key, value)
            elif attrs.has(field_type(Plan, key)):  # [rules], [review], [dispatch]
                fields[key] = self.structure_item(value, field_type(Plan, key), key, None)
            else:
                fields[key] = self.structure_field(Plan, key, value)
        try:
            plan = Plan(**fields)
        except (TypeError, ValueError) as error:
            why = reason(error)
            named = next((k for k in data if why.startswith((f"{k} ", f"{k}:"))), None)
            raise self.fail(why, self.key_line(None, None, named) if named else None) from None
        self.check_ids(plan)
        self.check_names(plan)
        self.check_neighbours(plan)
        self.check_references(plan)
        return plan

    def structure_field(self, cls: type[Any], key: str, value: object) -> Any:
        try:
            return converter.structure(value, field_type(cls, key))
        except (TypeError, ValueError, cattrs.BaseValidationError) as error:
            raise self.fail(f"{key}: {reason(error)}", self.key_line(None, None, key)) from None

    def structure_section(self, section: str, value: object) -> tuple[Any, ...]:
        cls = next(cls for name, cls, _ in SECTIONS if name == section)
        if not isinstance(value, list):
            raise self.fail(
                _("{section} must be an array of tables ([[{section}]])").format(section=section),
                self.key_line(None, None, section),
            )
        return tuple(
            self.structure_item(item, cls, section, index) for index, item in enumerate(value)
        )

    def structure_item(self, item: object, cls: type[Any], section: str, index: int | None) -> Any:
        if isinstance(item, dict):
            try:
                return converter.structure(item, cls)
            except (TypeError, ValueError, cattrs.BaseValidationError) as error:
                raise self.item_error(item, cls, section, index, error) from None
        where = f"[{section}]" if index is None else f"[[{section}]] #{index + 1}"
        raise self.fail(
            _("{where} must be a table").format(where=where),
            self.key_line(section, index, None),
        )

    def item_error(
        self,
        item: dict[str, Any],
        cls: type[Any],
        section: str,
        index: int | None,
        error: BaseException,
    ) -> PlanFileError:
        """The error of a table that failed to structure: its first bad key, and its line."""
        where = f"[{section}]" if index is None else f"[[{section}]] #{index + 1}"
        # Only a table that fails is looked at key by key, for the message and the line:
        # structuring each value twice made loading a big plan twice as slow.
        self.diagnose_item(item, cls, section, index, where)
        why = reason(error)
        # attrs validators name their field first ("id 'Quận 3' is not an ASCII slug").
        key = next((k for k in item if why.startswith(f"{k} ")), None)
        return self.fail(f"{where}: {why}", self.key_line(section, index, key))

    def diagnose_item(
        self, item: dict[str, Any], cls: type[Any], section: str, index: int | None, where: str
    ) -> None:
        """Raise the error of the first key of `item` that is unknown, missing or bad."""
        known = {field.name for field in attrs.fields(cls)}
        for key in item:
            if key not in known:
                raise self.fail(
                    _("{where}: unknown field {field}").format(where=where, field=repr(key)),
                    self.key_line(section, index, key),
                )
        for field in attrs.fields(cls):
            if field.default is attrs.NOTHING and field.name not in item:
                raise self.fail(
                    _("{where}: missing field {field}").format(where=where, field=repr(field.name)),
                    self.key_line(section, index, None),
                )
        for key, value in item.items():
            if isinstance(value, dict) and attrs.has(field_type(cls, key)):
                continue  # a nested table (rules.objective) is checked as a whole
            try:
                converter.structure(value, field_type(cls, key))
            except (TypeError, ValueError, cattrs.BaseValidationError) as error:
                raise self.fail(
                    f"{where}: {key}: {reason(error)}", self.key_line(section, index, key)
                ) from None

    def check_ids(self, plan: Plan) -> None:
        for section, _cls, id_field in SECTIONS:
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
                            _("{where}: duplicate {field} {value} (first in #{first})").format(
                                where=f"[[{section}]] #{index + 1}",
                                field=id_field,
                                value=repr(getattr(item, id_field)),
                                first=first + 1,
                            ),
                            self.key_line(section, index, id_field),
                        )

    def check_names(self, plan: Plan) -> None:
        """Two units of one name make every name lookup (score sheets, dispatches) ambiguous."""
        first: dict[str, int] = {}
        for index, unit in enumerate(plan.units):
            seen = first.setdefault(unit.name, index)
            if seen != index:
                raise self.fail(
                    f"[[units]] #{index + 1}: "
                    + _("duplicate name {name!r} (first in #{first})").format(
                        name=unit.name, first=seen + 1
                    ),
                    self.key_line("units", index, "name"),
                )

    def check_neighbours(self, plan: Plan) -> None:
        """A file's neighbour pair names two units; `[a, a]` is a slip (the library's cohesion
        counting tolerates it, a plan file does not)."""
        for first, second in plan.neighbours:
            if first == second:
                raise self.fail(
                    "neighbours: "
                    + _("a unit is not its own neighbour ({unit!r})").format(unit=first),
                    self.value_line(None, None, "neighbours", first),
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


ReferenceProblem = tuple[str | None, int | None, str, str, str]


def _pair_problems(plan: Plan) -> Iterator[ReferenceProblem]:
    """Neighbour pairs and borders naming units the plan does not have."""
    units = plan.unit_by_id
    pairs = [("neighbours", pair) for pair in plan.neighbours]
    pairs += [("borders", (border.first, border.second)) for border in plan.borders]
    for key, pair in pairs:
        for unit in pair:
            if unit not in units:
                message = _("unknown unit {id} in {field}").format(id=repr(unit), field=key)
                yield (None, None, key, unit, message)


def reference_problems(plan: Plan) -> Iterator[ReferenceProblem]:
    """References to ids that do not exist: (section, index, key, id, message).

    The contract makes these load errors rather than rule violations.
    """
    yield from _group_references(plan)
    yield from _pin_references(plan)
    yield from _pair_problems(plan)
    yield from _result_references(plan)


def _group_references(plan: Plan) -> Iterator[ReferenceProblem]:
    units, staff = plan.unit_by_id, plan.staff_by_id
    for index, group in enumerate(plan.groups):
        for member in group.members:
            if member not in units:
                message = _("unknown unit {id} in {field}").format(id=repr(member), field="members")
                yield ("groups", index, "members", member, message)
        for key, table, unknown in (
            ("leader", staff, _("unknown person {id}")),
            ("officer", staff, _("unknown person {id}")),
            ("chair", units, _("unknown unit {id}")),
            ("deputy", units, _("unknown unit {id}")),
        ):
            value = getattr(group, key)
            if value is not None and value not in table:
                yield ("groups", index, key, value, f"{key}: {unknown.format(id=repr(value))}")


def _pin_references(plan: Plan) -> Iterator[ReferenceProblem]:
    for index, pin in enumerate(plan.pins):
        if pin.group not in plan.group_by_id:
            message = _("unknown group {id}").format(id=repr(pin.group))
            yield ("pins", index, "group", pin.group, message)
        is_person = pin.staff is not None
        table = plan.staff_by_id if is_person else plan.unit_by_id
        unknown = _("unknown person {id}") if is_person else _("unknown unit {id}")
        if pin.subject not in table:
            message = unknown.format(id=repr(pin.subject))
            yield ("pins", index, pin.kind.value, pin.subject, message)


def _result_references(plan: Plan) -> Iterator[ReferenceProblem]:
    units = plan.unit_by_id
    for index, result in enumerate(plan.results):
        if result.group not in plan.group_by_id:
            message = _("unknown group {id}").format(id=repr(result.group))
            yield ("results", index, "group", result.group, message)
        for key in ("leading_unit", "next_chair"):
            value = getattr(result, key)
            if value is not None and value not in units:
                message = _("unknown unit {id}").format(id=repr(value))
                yield ("results", index, key, value, f"{key}: {message}")
        listed = (
            *(("ranking", unit) for unit in result.ranking),
            *(("awards", unit) for award in result.awards for unit in award.units),
            *(("ballots", tally.unit) for tally in result.ballots),
        )
        for key, unit in listed:
            if unit not in units:
                message = _("unknown unit {id} in {field}").format(id=repr(unit), field=key)
                yield ("results", index, key, unit, message)
