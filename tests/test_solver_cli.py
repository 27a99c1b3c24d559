"""`thidua solve`: exit codes 0/1/2, the text and JSON outputs, saving, the 2014 example."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import attrs
import pytest

from conftest import EXAMPLES
from test_solver import rotation_bound
from thidua.cli import main
from thidua.files import load, save
from thidua.model import RuleSettings
from thidua.rules import validate

DRAFT = EXAMPLES / "hcmc-2014-draft.toml"
PREVIOUS = EXAMPLES / "hcmc-2013.toml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_2014_example_is_solved_to_proven_optimality(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_path = tmp_path / "plan-2014.toml"
    code, out, err = run(
        capsys, "solve", str(DRAFT), "--previous", str(PREVIOUS), "-o", str(out_path)
    )
    assert code == 0, err
    assert "optimal (proven)" in out
    assert "Units moved: 1 (bound 1, proven)" in out
    assert "Staff changes: 1 (bound 1, proven)" in out
    assert "Sở Ngoại vụ: pinned to Khối 1" in out
    assert "leader of Cụm 4: Nguyễn Văn Hùng -> Lê Văn An" in out
    assert err == ""  # not a terminal: no progress line
    plan = load(out_path)
    assert validate(plan, [load(PREVIOUS)]) == ()
    text = out_path.read_text(encoding="utf-8")
    assert text.startswith("# thidua plan: a DRAFT for 2014")  # the draft's comments are kept
    # Every 2013 chair handed over.
    last = load(PREVIOUS)
    assert all(g.chair != last.group_by_id[g.id].chair for g in plan.groups)


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "solve",
        str(DRAFT),
        "--previous",
        str(PREVIOUS),
        "--format",
        "json",
        "--workers",
        "1",
    )
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "optimal"
    assert data["proven_optimal"] is True
    assert {name: term["value"] for name, term in data["terms"].items()} == {
        "moves": 1,
        "staff_changes": 1,
        "spread": 3,
    }
    assert data["bound"] == data["objective"] == 5
    assert data["moves"] == [
        {
            "unit": "so-ngoai-vu",
            "from": "khoi-3",
            "to": "khoi-1",
            "why": ["pin"],
            "message": "pinned to Khối 1",
        }
    ]
    assert data["conflict"] == []
    assert data["changes"]["moves"] == [
        {"unit": "so-ngoai-vu", "before": "khoi-3", "after": "khoi-1"}
    ]


def test_alternatives_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "solve", str(DRAFT), "--previous", str(PREVIOUS), "--alternatives", "2",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    alternatives = json.loads(out)["alternatives"]
    assert len(alternatives) == 2
    assert all(alt["diff"]["moves"] or alt["diff"]["changes"] for alt in alternatives)


def test_infeasible_draft_exits_1_naming_the_conflict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    draft = load(DRAFT)
    draft = attrs.evolve(draft, rules=RuleSettings(group_size=(5, 9)))
    path = tmp_path / "tight.toml"
    save(draft, path, template=DRAFT)
    code, out, _ = run(capsys, "solve", str(path), "--previous", str(PREVIOUS))
    assert code == 1
    assert "no plan satisfies the rules" in out
    assert "group-size: 51 departments, 5 blocks of at most 9" in out
    code, out, _ = run(capsys, "solve", str(path), "--previous", str(PREVIOUS), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["status"] == "infeasible"
    assert {c["rule"] for c in data["conflict"]} >= {"group-size", "unit-in-one-group"}


@pytest.mark.parametrize(
    "argv",
    [
        ["solve", "missing.toml"],
        ["solve", str(DRAFT), "--previous", "missing.toml"],
        ["solve", str(DRAFT), "--time-limit", "0"],
        ["solve", str(DRAFT), "--workers", "0"],
        ["solve", str(DRAFT), "--alternatives", "-1"],
        ["solve", str(DRAFT), "--format", "xml"],
        ["solve", str(PREVIOUS), "--previous", str(PREVIOUS)],
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_ctrl_c_stops_cleanly_with_the_best_plan(tmp_path: Path) -> None:
    """SIGINT during a long search: exit 0 with a plan that validates, marked unproven.

    The draft of `test_solver.rotation_bound`: CP-SAT finds a plan at once but cannot prove
    it within the minute the command allows by default.
    """
    draft, previous = rotation_bound(30)
    draft_path = tmp_path / "draft.toml"
    save(draft, draft_path)
    argv = ["solve", str(draft_path), "--format", "json"]
    for index, plan in enumerate(previous):
        path = tmp_path / f"previous-{index}.toml"
        save(plan, path)
        argv += ["--previous", str(path)]
    command = "import sys; from thidua.cli import main; sys.exit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", command, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2.5)
    process.send_signal(signal.SIGINT)
    # Without the signal the command runs its default minute; its output says it was stopped.
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    data = json.loads(out)
    assert data["interrupted"] is True
    assert data["proven_optimal"] is False
    assert data["status"] == "feasible"


HCMC_2026 = EXAMPLES.parent / "tests" / "data" / "hcmc-2026-pairs.toml"


def test_first_grouping_of_the_168_states_pairs_kept_and_gap(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_path = tmp_path / "hcmc-2026-clusters.toml"
    code, out, _ = run(
        capsys, "solve", str(HCMC_2026), "-o", str(out_path), "--time-limit", "20",
        "--workers", "2",
    )  # fmt: skip
    assert code == 0
    assert "Units outside their group's majority tag: 0 (bound 0" in out
    assert "neighbour pairs kept in one group:" in out
    assert "of 50" in out
    assert "gap to the proven bound:" in out
    assert "groups mixing tags (hcmc, binh-duong, ba-ria-vung-tau): 0 of 16" in out
    assert "groups proposed:" in out
    assert "Cụm 16 (" in out
    assert "\n  moved:" not in out  # a first grouping lists its groups, not 168 moves
    code, out, _ = run(capsys, "validate", str(out_path))
    assert code == 0
    assert "ok, every rule holds" in out
    code, out, _ = run(capsys, "validate", str(out_path), "--format", "json")
    data = json.loads(out)
    assert data["ok"] is True
    assert data["violations"] == []
    assert {note["rule"] for note in data["notes"]} <= {"neighbour-cohesion"}


def test_soft_findings_are_notes_that_leave_the_exit_code_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plan = load(PREVIOUS)
    neighbours = [("quan-1", "quan-3"), ("quan-1", "huyen-cu-chi")]  # Cụm 1, then Cụm 4
    path = tmp_path / "neighbours.toml"
    save(attrs.evolve(plan, neighbours=neighbours), path, template=PREVIOUS)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out.splitlines() == [
        f"{path}: ok, every rule holds",
        "notes (soft rules: reported, not violations): 1",
        "  neighbour-cohesion: Quận 1 (Cụm 1) and Huyện Củ Chi (Cụm 4) share a border but not "
        "a group",
    ]
    code, out, _ = run(capsys, "validate", str(path), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["ok"] is True
    assert data["notes"] == [
        {
            "rule": "neighbour-cohesion",
            "subjects": ["quan-1", "huyen-cu-chi", "cum-1", "cum-4"],
            "message": "Quận 1 (Cụm 1) and Huyện Củ Chi (Cụm 4) share a border but not a group",
            "code": "split",
            "facts": {
                "first": "Quận 1",
                "first_groups": "Cụm 1",
                "second": "Huyện Củ Chi",
                "second_groups": "Cụm 4",
            },
        }
    ]
