"""The fast writer against the tomlkit merge it stands in for.

`thidua.files.patch` merges a changed `[[section]]` table on its lines instead of through
tomlkit; wherever it answers, its text must be the tomlkit merge's, byte for byte, and a save
through it must load back to the plan and keep the planner's comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import tomlkit
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES
from strategies import plans
from thidua.files import dumps, load, loads, save_seconds
from thidua.files.emit import MULTILINE_ARRAYS
from thidua.files.merge import merge_table
from thidua.files.patch import patch_table
from thidua.model import Plan

KEYS = ("id", "name", "chair", "members", "tags", "max_groups", "available", "km")

_SAFE = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], exclude_characters='"\\'), max_size=12
)
# New values may need escapes the line merge does not write: it must then leave them to tomlkit.
_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_NUMBERS = st.integers(-(10**6), 10**6) | st.floats(allow_nan=False, allow_infinity=False)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


@st.composite
def _old_values(draw: st.DrawFn) -> tuple[str, bool]:
    """A value's text as a planner may write it, and whether it is of the plain kind."""
    scalars = _SAFE | st.booleans() | _NUMBERS
    kind = draw(st.sampled_from(["scalar", "flat", "lines", "other"]))
    if kind == "scalar":
        return _scalar_text(draw(scalars)), True
    items = draw(st.lists(scalars, max_size=4))
    if kind == "flat":
        gap = draw(st.sampled_from([", ", ",", " , "]))
        trailing = draw(st.sampled_from(["", ","])) if items else ""
        return "[" + gap.join(_scalar_text(item) for item in items) + trailing + "]", True
    if kind == "lines":
        indent = draw(st.sampled_from(["    ", "  ", "\t", ""]))
        lines = ["[" + draw(st.sampled_from(["", "  # members"])) + "\n"]
        for position, item in enumerate(items):
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["\n", f"{indent}# a note\n"])))
            last = position == len(items) - 1
            comma = "," if not last or draw(st.booleans()) else ""
            note = draw(st.sampled_from(["", "  # moved here"]))
            lines.append(f"{indent}{_scalar_text(item)}{comma}{note}\n")
        lines.append(draw(st.sampled_from(["]", "  ]"])))
        return "".join(lines), True
    other = ['"tab\\tescaped"', "{ a = 1 }", "'literal'", "1979-05-27", "0x1f", '["a", 1]']
    return draw(st.sampled_from(other)), False


@st.composite
def table_texts(draw: st.DrawFn) -> tuple[str, bool]:
    """One `[[groups]]` table as a planner may have written it; True if all of it is plain."""
    header = draw(st.sampled_from(["[[groups]]", "[[ groups ]]", "[[groups]] # x", "  [[groups]]"]))
    plain = not header.startswith(" ")  # an indented header indents new keys: left to tomlkit
    lines = [header + "\n"]
    for key in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=6)):
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(st.sampled_from(["\n", "  \n", "# a planner's note\n", "  #x\n"])))
        value, kind_plain = draw(_old_values())
        plain = plain and kind_plain
        indent = draw(st.sampled_from(["", "", "  "]))
        equals = draw(st.sampled_from([" = ", "=", "  =  "]))
        note = draw(st.sampled_from(["", "  # kept", " #x", "   "]))
        lines.append(f"{indent}{key}{equals}{value}{note}\n")
    lines.extend(draw(st.lists(st.sampled_from(["\n", "# about the next table\n"]), max_size=3)))
    return "".join(lines), plain


_NEW_SCALARS = _ANY_TEXT | st.booleans() | _NUMBERS


@st.composite
def new_data(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """The table's new data and its defaults-included form, as `merge_table` takes them."""
    values = _NEW_SCALARS | st.lists(_NEW_SCALARS, max_size=4)
    full = draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=len(KEYS)))
    data = {key: value for key, value in full.items() if draw(st.booleans())}
    return data, full


def _tomlkit_merge(text: str, data: dict[str, Any], full: dict[str, Any]) -> str:
    document = tomlkit.parse(text)
    merge_table(document["groups"][0], data, full)
    return tomlkit.dumps(document)


def _needs_escape(value: Any) -> bool:
    if isinstance(value, list):
        return any(_needs_escape(item) for item in value)
    return isinstance(value, str) and re.search(r'[\x00-\x1f\x7f"\\]', value) is not None


@given(table_texts(), new_data())
def test_the_line_merge_writes_what_tomlkit_writes(
    table: tuple[str, bool], new: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    text, plain = table
    data, full = new
    fast = patch_table(text, data, full, MULTILINE_ARRAYS)
    slow = _tomlkit_merge(text, data, full)
    if fast is not None:
        assert fast == slow
    if plain and not any(_needs_escape(value) for value in full.values()):
        assert fast is not None  # the plain layout must not fall back to tomlkit


def test_a_solved_plans_tables_take_the_line_merge() -> None:
    """The examples' changed tables are plain: the fast path is the one a save takes."""
    calls: list[bool] = []

    def counting(*args: Any) -> str | None:
        result = patch_table(*args)
        calls.append(result is not None)
        return result

    plan = load(EXAMPLES / "hcmc-2013.toml")
    text = (EXAMPLES / "hcmc-2013.toml").read_text(encoding="utf-8")
    first, second = plan.groups[0], plan.groups[1]
    moved = first.members[-1]
    groups = (
        attrs.evolve(first, members=first.members[:-1]),
        attrs.evolve(second, members=(*second.members, moved)),
        *plan.groups[2:],
    )
    with mock.patch("thidua.files.layout.patch_table", counting):
        saved = dumps(attrs.evolve(plan, groups=groups), template=text)
    assert calls
    assert all(calls)
    assert loads(saved).groups == groups


@contextmanager
def _tomlkit_only() -> Iterator[None]:
    with mock.patch("thidua.files.layout.patch_table", return_value=None):
        yield


_NOTE = re.compile(r"^# note \d+$", re.MULTILINE)


def _with_notes(text: str, data: st.DataObject) -> str:
    """`text` with comment lines `# note N` before some of its keys (never inside an array)."""
    out: list[str] = []
    in_array = False
    for number, line in enumerate(text.splitlines(keepends=True)):
        if not in_array and not line.startswith(("[", " ")) and data.draw(st.booleans()):
            out.append(f"# note {number}\n")
        in_array = (in_array or line.rstrip().endswith("[")) and line.rstrip() != "]"
        out.append(line)
    return "".join(out)


def _table_of(text: str, note: str) -> tuple[str, str | None] | None:
    """The section and `id` of the `[[section]]` table the comment line `note` sits in: None
    outside the arrays of tables, no id for a table named otherwise (pins, results)."""
    before = text[: text.index(note + "\n")]
    headers = list(re.finditer(r"^\[\[?([\w.]+)\]\]?\n", before, re.MULTILINE))
    if not headers or not headers[-1].group(0).startswith("[["):
        return None
    found = re.search(r'^id = "([^"]*)"', text[headers[-1].end() :], re.MULTILINE)
    return headers[-1].group(1), found.group(1) if found else None


@given(plans(), plans(), st.data())
def test_a_save_over_a_commented_file_loads_back_and_keeps_its_comments(
    old: Plan, new: Plan, data: st.DataObject
) -> None:
    template = _with_notes(dumps(old), data)
    saved = dumps(new, template=template)
    assert loads(saved) == new
    with _tomlkit_only():
        assert dumps(new, template=template) == saved
    kept_ids = {
        section: {item.get("id") for item in items}
        for section, items in tomlkit.parse(saved).unwrap().items()
        if isinstance(items, list) and items and isinstance(items[0], dict)
    }
    for note in _NOTE.findall(template):
        where = _table_of(template, note)
        if where is None or (where[1] is not None and where[1] in kept_ids.get(where[0], ())):
            assert note in saved  # outside the tables, or in a table the plan keeps


def test_examples_save_over_themselves_byte_for_byte() -> None:
    for path in sorted(EXAMPLES.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert dumps(load(path), template=text) == text, path.name


def test_the_writers_estimate_grows_with_the_plan_and_with_tomlkits_whole_merge(
    tmp_path: Path,
) -> None:
    """What `solve -o` keeps back for the save: more tables, more time; a file the writer must
    merge whole through tomlkit (a multi-line string in it) much more."""
    plan = load(EXAMPLES / "hcmc-2013.toml")
    text = (EXAMPLES / "hcmc-2013.toml").read_text(encoding="utf-8")
    plain, whole = tmp_path / "plain.toml", tmp_path / "whole.toml"
    plain.write_text(text, encoding="utf-8")
    whole.write_text('# a """ quoted note\n' + text, encoding="utf-8")
    half = attrs.evolve(plan, units=plan.units[: len(plan.units) // 2])
    assert 0 < save_seconds(half, plain) < save_seconds(plan, plain)
    assert save_seconds(plan, whole) > 10 * save_seconds(plan, plain)
    assert save_seconds(plan, tmp_path / "missing.toml") == save_seconds(plan, None)
