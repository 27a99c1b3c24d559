"""Plan files: round trips, kept comments, atomic saves, and one-line errors with file and line."""

from __future__ import annotations

import contextlib
import os
import unicodedata
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES
from strategies import plans
from thidua.errors import PlanFileError, ThiduaError
from thidua.files import dumps, load, loads, save
from thidua.model import Plan, Unit

GOOD = """\
# Kế hoạch thử: a comment the planner wrote
year = 2013
title = "Thử"

[rules]
group_size = [1, 5]  # small groups this year

[[units]]
id = "quan-1"
name = "Quận 1"
kind = "district"

[[units]]
id = "quan-3"
name = "Quận 3"
kind = "district"

[[staff]]
id = "ngo-kim-lien"
name = "Ngô Kim Liên"
role = "leader"

[[groups]]
id = "cum-1"
name = "Cụm 1"
kind = "district"
members = [
    "quan-1",  # the first member
    "quan-3",
]
leader = "ngo-kim-lien"
chair = "quan-3"
"""


@given(plans())
def test_save_then_load_is_the_identity(plan: Plan) -> None:
    assert loads(dumps(plan)) == plan


@given(plans(), plans())
def test_saving_over_another_plan_still_gives_the_plan(old: Plan, new: Plan) -> None:
    assert loads(dumps(new, template=dumps(old))) == new


def test_saving_an_unchanged_plan_keeps_the_text_byte_for_byte() -> None:
    assert dumps(loads(GOOD), template=GOOD) == GOOD


def test_example_survives_a_save_unchanged(tmp_path: Path) -> None:
    source = EXAMPLES / "hcmc-2013.toml"
    target = tmp_path / "copy.toml"
    save(load(source), target, template=source)
    assert target.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_comments_survive_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(GOOD, encoding="utf-8")
    plan = load(path)
    group = attrs.evolve(plan.groups[0], chair="quan-1")
    save(plan.replace_group(group), path)
    text = path.read_text(encoding="utf-8")
    assert "# Kế hoạch thử: a comment the planner wrote" in text
    assert "# small groups this year" in text
    assert "# the first member" in text
    assert load(path).groups[0].chair == "quan-1"


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(GOOD, encoding="utf-8")
    plan = attrs.evolve(loads(GOOD), title="Mới")
    save(plan, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]
    assert load(path).title == "Mới"


def test_a_failed_save_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(GOOD, encoding="utf-8")

    def failing_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(PlanFileError, match="cannot write: No space left"):
        save(attrs.evolve(loads(GOOD), title="Mới"), path)
    assert path.read_text(encoding="utf-8") == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_names_typed_in_nfd_are_stored_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Quận Tân Bình")
    assert decomposed != "Quận Tân Bình"
    assert Unit("quan-tan-binh", decomposed, "district").name == "Quận Tân Bình"
    text = GOOD.replace('name = "Quận 1"', f'name = "{decomposed}"')
    assert loads(text).units[0].name == "Quận Tân Bình"


def test_incomplete_plans_load() -> None:
    text = 'year = 2014\n[[units]]\nid = "a"\nname = "A"\nkind = "district"\n'
    text += '[[groups]]\nid = "g"\nname = "G"\nkind = "district"\n'
    plan = loads(text)
    assert plan.groups[0].members == ()
    assert plan.group_of("a") is None


def error(text: str) -> PlanFileError:
    with pytest.raises(PlanFileError) as raised:
        loads(text, source="plan.toml")
    return raised.value


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("broken", "needle", "words"),
    [
        (GOOD.replace('title = "Thử"', "title = Thử"), "title = Thử", "malformed TOML"),
        (GOOD.replace('kind = "district"\n\n[[units]]', '\n\n[[units]]', 1), None, "missing field 'kind'"),
        (GOOD.replace('role = "leader"', "role = 5"), "role = 5", "role"),
        (GOOD.replace('role = "leader"', 'role = "boss"'), 'role = "boss"', "role: expected one of 'leader', 'officer', got the string 'boss'"),
        (GOOD.replace('id = "quan-3"', 'id = "quan-1"  # again'), "# again", "duplicate id 'quan-1'"),
        (GOOD.replace('    "quan-3",\n', '    "quan-9",\n'), '"quan-9"', "unknown unit 'quan-9'"),
        (GOOD.replace('leader = "ngo-kim-lien"', 'leader = "nobody"'), 'leader = "nobody"', "unknown person"),
        (GOOD.replace('chair = "quan-3"', 'chiar = "quan-3"'), 'chiar = "quan-3"', "unknown field 'chiar'"),
        (GOOD.replace("group_size = [1, 5]", "group_size = [5, 1]"), "group_size = [5, 1]", "group_size"),
        (GOOD.replace('id = "quan-3"', 'id = "Quận 3"'), 'id = "Quận 3"', "slug"),
        (GOOD.replace("year = 2013", 'year = "2013"'), 'year = "2013"', "year"),
        (GOOD + '\n[[pins]]\ngroup = "cum-1"\n', '[[pins]]', "pin"),
        (GOOD.replace("year = 2013\n", ""), None, "missing field 'year'"),
    ],
)  # fmt: skip
def test_bad_files_give_one_line_naming_file_and_line(
    broken: str, needle: str | None, words: str
) -> None:
    found = error(broken)
    message = str(found)
    assert "\n" not in message
    assert message.startswith("plan.toml")
    assert words in message
    if needle is not None:
        assert found.line == line_of(broken, needle), message


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no such file"):
        load(tmp_path / "nope.toml")


def test_binary_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PlanFileError, match="UTF-8"):
        load(path)


@given(st.data())
def test_bad_files_never_raise_anything_but_the_projects_error(data: st.DataObject) -> None:
    lines = GOOD.splitlines(keepends=True)
    action = data.draw(st.sampled_from(["drop", "garble", "swap", "insert"]))
    index = data.draw(st.integers(0, len(lines) - 1))
    if action == "drop":
        del lines[index]
    elif action == "garble":
        position = data.draw(st.integers(0, len(lines[index])))
        lines[index] = (
            lines[index][:position] + data.draw(st.text(max_size=4)) + lines[index][position:]
        )
    elif action == "swap":
        other = data.draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    else:
        lines.insert(index, data.draw(st.sampled_from(
            ['x = 1\n', '[[groups]]\n', 'members = ["a"]\n', '[rules]\n', 'tags = [1]\n',
             'issued = 2013-02-30\n', 'available = "yes"\n', 'max_groups = -1\n']
        )))  # fmt: skip
    text = "".join(lines)
    message = ""
    try:
        loads(text)
    except ThiduaError as error:  # anything else fails the test with its traceback
        message = str(error)
    assert "\n" not in message


@given(st.text(max_size=200))
def test_any_text_loads_or_fails_cleanly(text: str) -> None:
    with contextlib.suppress(ThiduaError):
        loads(text)


def test_default_values_the_planner_wrote_out_are_kept_with_their_comments() -> None:
    text = (
        "year = 2013\n\n[rules]  # the office's rules\n"
        "group_size = [5, 11]  # the default, written out\ndeputy = true\n\n"
        '[[units]]\nid = "a"\nname = "A"\nkind = "district"\ntags = []  # none yet\n'
    )
    plan = loads(text)
    changed = attrs.evolve(plan, rules=attrs.evolve(plan.rules, deputy=False))
    saved = dumps(changed, template=text)
    assert saved == text.replace("deputy = true", "deputy = false")
    assert loads(saved) == changed
