"""The examples' make scripts, on the made-up province of tests/data/newmap, never on the 2025
map beside the repository (the scripts' default, pointed at a missing folder here):
the text they write loads as the plan `thidua new-map` makes, with its header, named made-up
staff and the clusters asked for; the check script compares and reports."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from thidua.files import loads
from thidua.model import Role

sys.path.insert(0, str(ROOT / "scripts"))
import check_examples
import make_hcmc_2026
import make_hue_2026
import make_province

DATA = ROOT / "tests" / "data" / "newmap"
PROVINCE = "Tỉnh Sông Mây"


@pytest.fixture(autouse=True)
def no_default_map(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The scripts' default data folder (the 2025 map beside the repository) replaced by a
    missing one: a call here that forgot `--data` fails instead of reading that map, so the
    tests run the same in a clone with nothing beside it."""
    missing = tmp_path / "no-map-here"
    monkeypatch.setattr(make_province, "DATA", missing)
    monkeypatch.setattr(check_examples, "DATA", missing)
    for script in (make_hcmc_2026, make_hue_2026):
        monkeypatch.setattr(script.text, "__defaults__", (missing,))


def test_build_writes_the_header_then_the_plan() -> None:
    text = make_province.build(
        DATA, PROVINCE, groups=3, size=(3, 5), year=2026, header=("First line.", "", "Third.")
    )
    assert text.startswith("# First line.\n#\n# Third.\n\nyear = 2026\n")
    plan = loads(text)
    assert len(plan.units) == 13
    assert len(plan.borders) == 17
    assert [group.name for group in plan.groups] == ["Cụm 1", "Cụm 2", "Cụm 3"]
    assert all(not group.members for group in plan.groups)
    assert plan.rules.group_size == (3, 5)
    leaders = [person for person in plan.staff if person.role is Role.LEADER]
    assert [person.name for person in leaders] == ["Trần Minh Khoa", "Nguyễn Thị Thu Hà"]
    assert all("(giả định)" in (person.title or "") for person in plan.staff)
    # The same plan `thidua new-map` makes, but for the staff's names.
    unit = next(u for u in plan.units if u.name == "Xã Thạnh An")
    assert unit.tags == ("xã", "Tỉnh Núi Cao", "Huyện Suối Trong (Tỉnh Núi Cao)")


def research_stand_in(folder: Path) -> Path:
    """A stand-in for the 2025 map's folder: the made-up province twice, renamed to the
    two provinces the scripts plan."""
    folder.mkdir()
    lines = (DATA / "units.tsv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[:2], [line for line in lines[2:] if line.startswith(PROVINCE)]
    renamed = [row.replace(PROVINCE, name) for name in make_province_names() for row in rows]
    (folder / "units.tsv").write_text("\n".join([*header, *renamed]) + "\n", encoding="utf-8")
    shutil.copy(DATA / "adjacency.tsv", folder / "adjacency.tsv")
    return folder


def make_province_names() -> tuple[str, str]:
    return (make_hcmc_2026.PROVINCE, make_hue_2026.PROVINCE)


def test_the_scripts_take_the_data_folder_and_the_output(tmp_path: Path) -> None:
    data = research_stand_in(tmp_path / "vn2025")
    for script, groups, size in ((make_hcmc_2026, 16, (9, 13)), (make_hue_2026, 4, (8, 12))):
        out = tmp_path / script.OUTPUT.name
        assert script.main(["--data", str(data), "-o", str(out)]) == 0
        written = out.read_text(encoding="utf-8")
        assert written.startswith(f"# {script.HEADER[0]}")
        plan = loads(written)
        assert len(plan.units) == 13
        assert len(plan.borders) == 17
        assert len(plan.groups) == groups
        assert plan.rules.group_size == size
        assert written == script.text(data)  # the same data gives the same file


def test_the_check_reports_a_difference_and_an_absent_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check_examples.main(["--data", str(tmp_path / "absent")]) == 0
    assert "absent; the examples were not compared" in capsys.readouterr().out
    data = research_stand_in(tmp_path / "vn2025")
    committed = tmp_path / "committed"
    committed.mkdir()
    for script in check_examples.SCRIPTS:
        target = committed / script.OUTPUT.name
        monkeypatch.setattr(script, "OUTPUT", target)
        target.write_text(script.text(data), encoding="utf-8")
    assert check_examples.main(["--data", str(data)]) == 0
    assert "hue-2026.toml matches the data" in capsys.readouterr().out
    (committed / "hcmc-2026.toml").write_text("# an old version\n", encoding="utf-8")
    assert check_examples.main(["--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert "hcmc-2026.toml differs from the data" in out
    assert "-# an old version" in out
