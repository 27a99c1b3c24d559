"""The command line: exit codes 0/1/2, one-line errors, no tracebacks, JSON shapes."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from conftest import EXAMPLES
from thidua.cli import COMMANDS, build_parser, command_asked, main
from thidua.files import load, save

EXAMPLE = EXAMPLES / "hcmc-2013.toml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def broken_copy(tmp_path: Path) -> Path:
    """The example with Quận 1 also listed in Khối 1, and Khối 2 without a chair."""
    plan = load(EXAMPLE)
    block = plan.group_by_id["khoi-1"]
    plan = plan.replace_group(attrs.evolve(block, members=(*block.members, "quan-1")))
    plan = plan.replace_group(attrs.evolve(plan.group_by_id["khoi-2"], chair=None))
    path = tmp_path / "broken.toml"
    save(plan, path, template=EXAMPLE)
    return path


def test_validate_example_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(EXAMPLE))
    assert code == 0
    assert "ok" in out


def test_validate_broken_plan_exits_1_naming_rule_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "validate", str(broken_copy(tmp_path)))
    assert code == 1
    for rule in ("unit-in-one-group", "group-kind", "group-size", "chair-is-member"):
        assert rule in out
    assert "Quận 1" in out


def test_validate_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", str(broken_copy(tmp_path)), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["ok"] is False
    assert {"rule", "subjects", "message", "code", "facts"} == set(data["violations"][0])
    assert ["chair-is-member", ["khoi-2"]] in [
        [v["rule"], v["subjects"]] for v in data["violations"]
    ]
    no_chair = next(v for v in data["violations"] if v["rule"] == "chair-is-member")
    assert no_chair["code"] == "none"
    assert no_chair["facts"] == {"group": "Khối 2", "kind": "department"}


def test_validate_with_previous_checks_rotation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    next_year = tmp_path / "2014.toml"
    save(attrs.evolve(load(EXAMPLE), year=2014), next_year, template=EXAMPLE)
    code, out, _ = run(capsys, "validate", str(next_year), "--previous", str(EXAMPLE))
    assert code == 1
    assert out.count("chair-rotation") == 9


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "missing.toml"],
        ["validate", str(EXAMPLE), "--format", "yaml"],
        ["frobnicate"],
        ["diff", str(EXAMPLE)],
        ["show"],
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code = main(argv)
    assert code == 2
    _, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1


def test_malformed_plan_names_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('year = 2013\ntitle = "x\n', encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert err.strip().startswith(f"thidua: {path}:2: malformed TOML")


def test_show_lists_groups_and_workloads(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", str(EXAMPLE))
    assert code == 0
    assert "Khối 1 [khoi-1], 11 members" in out
    assert "  Leader:  Ngô Kim Liên" in out
    assert "  Chair:   Ban Quản lý Khu Công nghệ cao" in out
    code, out, _ = run(capsys, "show", str(EXAMPLE), "--lang", "vi")
    assert "Khối 1 [khoi-1], 11 đơn vị" in out
    assert "  Lãnh đạo phụ trách: Ngô Kim Liên" in out
    assert "  Khối trưởng:        Ban Quản lý Khu Công nghệ cao" in out
    assert "  Cụm trưởng:         Quận 3" in out
    workload = next(line for line in out.splitlines() if line.startswith("Võ Thị Thanh Kiều"))
    assert "2/2" in workload
    assert "Khối 4, Khối 5" in workload


def test_diff_reports_moves_and_changes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = load(EXAMPLE)
    one, two = plan.group_by_id["cum-1"], plan.group_by_id["cum-2"]
    plan = plan.replace_group(attrs.evolve(one, members=one.members[1:]))
    plan = plan.replace_group(attrs.evolve(two, members=(*two.members, "quan-1"), chair="quan-4"))
    other = tmp_path / "other.toml"
    save(plan, other)
    code, out, _ = run(capsys, "diff", str(EXAMPLE), str(other))
    assert code == 0
    assert "moved: Quận 1: Cụm 1 -> Cụm 2" in out
    assert "chair of Cụm 2: Quận Phú Nhuận -> Quận 4" in out
    code, out, _ = run(capsys, "diff", str(EXAMPLE), str(other), "--format", "json")
    data = json.loads(out)
    assert data["moves"] == [{"unit": "quan-1", "before": "cum-1", "after": "cum-2"}]


def test_console_script_never_prints_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(b'year = 2013\n[[units]]\nid = 5\nname = "A"\nkind = "district"\n')
    done = subprocess.run(
        [sys.executable, "-m", "thidua", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert (
        done.stderr.strip() == f"thidua: {path}:3: [[units]] #1: id: expected a string, got int 5"
    )


def _registered(parser: argparse.ArgumentParser) -> list[str]:
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(found[0].choices)


def test_commands_name_what_their_modules_register() -> None:
    """`COMMANDS` maps each command to the module registering it: the parser built for one
    command alone (as `main` builds it) has that command, and the whole parser all of them."""
    assert _registered(build_parser()) == list(COMMANDS)
    for command in COMMANDS:
        assert _registered(build_parser(command)) == [command]


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["solve", "plan.toml"], "solve"),
        (["--lang", "en", "import", "x.txt"], "import"),
        (["--lang=vi", "new-map", "--help"], "new-map"),
        (["--help", "solve"], None),  # the whole parser's help lists every command
        (["sovle", "plan.toml"], None),  # the whole parser names the choices
        (["--lang"], None),
        ([], None),
    ],
)
def test_command_asked(argv: list[str], command: str | None) -> None:
    assert command_asked(argv) == command


def test_no_cycle_collection_restores_the_collector() -> None:
    """Paused during a command, the collector is as it was afterwards, error or not."""
    import gc

    from thidua.cli.common import no_cycle_collection

    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), no_cycle_collection():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()  # left off by whoever switched it off
    finally:
        gc.enable()
