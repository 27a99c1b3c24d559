"""`thidua new-map`: a plan for one province from a units table (TSV, CSV, XLSX), its borders
from an adjacency table or from shapes, and one-line errors that write nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
from thidua.cli import main
from thidua.files import load
from thidua.newmap import default_group_count

DATA = ROOT / "tests" / "data" / "newmap"
UNITS, ADJACENCY, SHAPES = DATA / "units.tsv", DATA / "adjacency.tsv", DATA / "shapes.geojson"
PROVINCE = "Tỉnh Sông Mây"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def new_map(capsys: pytest.CaptureFixture[str], out: Path, *extra: str) -> tuple[int, str, str]:
    return run(
        capsys,
        "new-map",
        str(UNITS),
        "--province",
        PROVINCE,
        "--year",
        "2026",
        *extra,
        "-o",
        str(out),
    )


def test_a_plan_for_one_province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.toml"
    code, _, err = new_map(capsys, out, "--adjacency", str(ADJACENCY), "--size", "3-5")
    assert (code, err) == (0, "")
    plan = load(out)
    assert len(plan.units) == 13
    assert plan.year == 2026
    # Names differing by one diacritic are two units with two ids.
    ids = {unit.name: unit.id for unit in plan.units}
    assert ids["Phường Thanh An"] != ids["Xã Thạnh An"]
    assert len(set(ids.values())) == 13
    unit = plan.unit_by_id[ids["Xã Long Hòa"]]
    assert unit.kind == "commune"
    assert unit.tags == ("xã", "Tỉnh Đồng Bằng", "Huyện Đồng Xa (Tỉnh Đồng Bằng)")
    assert unit.location == pytest.approx((10.075, 106.125))
    assert plan.rules.cohesion_tags == ("Tỉnh Núi Cao", "Tỉnh Đồng Bằng")
    assert len(plan.rules.district_tags) == 5
    # 17 grid borders; the other province's pair is left aside.
    assert len(plan.borders) == 17
    border = {(b.first, b.second): b.km for b in plan.borders}
    low, high = sorted((ids["Phường Thanh An"], ids["Phường Bến Đò"]))
    key = (low, high)
    assert border[key] == pytest.approx(5.48)
    # 13 units in groups of 3 to 5: 3 groups (13 / 4 = 3.25), empty, with enough staff.
    assert [len(g.members) for g in plan.groups] == [0, 0, 0]
    assert plan.rules.group_size == (3, 5)
    assert len([s for s in plan.staff if s.role.value == "leader"]) == 2


def test_csv_and_xlsx_give_the_same_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        line.split("\t")
        for line in UNITS.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    as_csv = tmp_path / "units.csv"
    with as_csv.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    as_xlsx = tmp_path / "units.xlsx"
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)  # type: ignore[union-attr]
    book.save(as_xlsx)
    plans = []
    for source in (UNITS, as_csv, as_xlsx):
        out = tmp_path / f"{source.suffix[1:]}.toml"
        code, _, err = run(
            capsys, "new-map", str(source), "--province", "99", "--year", "2026", "-o", str(out)
        )
        assert (code, err) == (0, "")
        plans.append(load(out))
    assert plans[0] == plans[1] == plans[2]


def test_borders_measured_on_the_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from_table, from_shapes = tmp_path / "a.toml", tmp_path / "b.toml"
    assert new_map(capsys, from_table, "--adjacency", str(ADJACENCY))[0] == 0
    assert new_map(capsys, from_shapes, "--shapes", str(SHAPES))[0] == 0
    table = {(b.first, b.second): b.km for b in load(from_table).borders}
    shapes = {(b.first, b.second): b.km for b in load(from_shapes).borders}
    assert table.keys() == shapes.keys()
    for pair, km in table.items():
        assert shapes[pair] == pytest.approx(km, rel=0.03)


def test_default_group_count_is_the_allowed_count_closest_to_the_middle() -> None:
    assert default_group_count(168, (9, 13)) == 15  # 168 / 11 = 15.3
    assert default_group_count(13, (3, 5)) == 3
    assert default_group_count(10, (6, 7)) is None
    assert default_group_count(20, (9, 11)) == 2


def _broken_units(tmp_path: Path, old: str, new: str) -> Path:
    text = UNITS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "units.tsv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("\tkind\t", "\tsort\t", ":2: column kind: missing column"),
        (
            "Xã Mỹ Lợi",
            "Xã Tân Phú",
            ":10: column new_unit: duplicate unit 'Xã Tân Phú' (also on line 6)",
        ),
        ("10.12500", "north", ":11: column lat: 'north' is not a number"),
    ],
)
def test_a_bad_units_table_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, where: str
) -> None:
    units = _broken_units(tmp_path, old, new)
    out = tmp_path / "plan.toml"
    code, stdout, err = run(capsys, "new-map", str(units), "--province", PROVINCE, "-o", str(out))
    assert code == 2
    assert err.count("\n") == 1
    assert f"{units}{where}" in err
    assert not out.exists()
    assert stdout == ""


def test_a_neighbour_naming_no_unit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    adjacency = tmp_path / "adjacency.tsv"
    text = ADJACENCY.read_text(encoding="utf-8").replace(
        "90002\tPhường Bến Đò", "90099\tPhường Ma", 1
    )
    adjacency.write_text(text, encoding="utf-8")
    out = tmp_path / "plan.toml"
    code, _, err = new_map(capsys, out, "--adjacency", str(adjacency))
    assert code == 2
    assert f"{adjacency}:2: column unit_b: neighbour 'Phường Ma' names no unit" in err
    assert not out.exists()


def test_a_unit_with_no_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = tmp_path / "shapes.geojson"
    shapes.write_text(
        SHAPES.read_text(encoding="utf-8")
        .replace('"Đặc khu Hòn Ngọc"', '"Đặc khu Khác"')
        .replace('"90013"', '"00000"'),
        encoding="utf-8",
    )
    out = tmp_path / "plan.toml"
    code, _, err = new_map(capsys, out, "--shapes", str(shapes))
    assert code == 2
    assert f"{UNITS}:15: column new_unit: Đặc khu Hòn Ngọc has no shape in shapes.geojson" in err
    assert not out.exists()


def test_several_provinces_need_a_choice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.toml"
    code, _, err = run(capsys, "new-map", str(UNITS), "-o", str(out))
    assert code == 2
    assert "2 provinces" in err
    assert "Tỉnh Sông Mây, Tỉnh Khác" in err
    assert err.count("\n") == 1
    assert not out.exists()


def test_no_command_writes_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = tmp_path / "units.tsv"
    units.write_bytes(UNITS.read_bytes())
    code, _, _err = run(capsys, "new-map", str(units), "--province", PROVINCE, "-o", str(units))
    assert code == 2
    assert units.read_bytes() == UNITS.read_bytes()


def test_geometry_and_plotting_load_only_when_used() -> None:
    """shapely, matplotlib and plotly are imported inside the functions that draw or measure."""
    import subprocess
    import sys

    code = (
        "import sys, thidua, thidua.cli, thidua.newmap, thidua.maps, thidua.geography; "
        "print(' '.join(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    assert not loaded & {"shapely", "matplotlib", "plotly"}
