"""scripts/make_hcmc_2026.py: the HCMC 2026 example plan, and its reading of resolution 1685."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from thidua.files import load

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "make_hcmc_2026.py"
EXAMPLE = REPO / "examples" / "hcmc-2026.toml"
TSV = Path(__file__).resolve().parents[1].parent / "shared/research/hcmc_168_communes_2025.tsv"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_hcmc_2026", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


script = _load_script()


def _run(out: Path) -> str:
    """Run the script's main on the real table into `out`; its printed report."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = script.main([str(TSV), "-o", str(out)])
    assert status == 0
    return printed.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not TSV.exists():
        pytest.skip(f"the research table is not here: {TSV}")
    out = tmp_path_factory.mktemp("hcmc") / "hcmc-2026.toml"
    print(_run(out))
    return out


@pytest.fixture(scope="module")
def plan(generated: Path) -> dict[str, Any]:
    with generated.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def pairs(plan: dict[str, Any]) -> set[tuple[str, str]]:
    return {(first, second) for first, second in plan["neighbours"]}


# --- The generated plan -------------------------------------------------------------------------


def test_the_committed_example_is_what_the_script_makes(generated: Path) -> None:
    assert EXAMPLE.read_bytes() == generated.read_bytes()


def test_same_input_same_bytes(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.toml"
    _run(again)
    assert again.read_bytes() == generated.read_bytes()
    assert [path.name for path in tmp_path.iterdir()] == ["again.toml"]  # no temp file left


def test_header(plan: dict[str, Any], generated: Path) -> None:
    assert plan["year"] == 2026
    assert "thành phố Hồ Chí Minh" in plan["title"]
    assert "reference" not in plan
    assert "issued" not in plan
    assert plan["rules"] == {
        "group_size": [9, 13],
        "leader_max_groups": 2,
        "officer_max_groups": 2,
        "cohesion_tags": ["hcmc", "binh-duong", "ba-ria-vung-tau"],
    }
    head = generated.read_text(encoding="utf-8").split("\nyear =")[0]
    assert "made up" in head
    assert "1685/NQ-UBTVQH15" in head
    assert "scripts/make_hcmc_2026.py" in head


def test_units(plan: dict[str, Any]) -> None:
    units = plan["units"]
    assert len(units) == 168
    ids = [unit["id"] for unit in units]
    assert len(set(ids)) == 168
    assert units[0] == {
        "id": "phuong-sai-gon",
        "name": "Phường Sài Gòn",
        "kind": "commune",
        "tags": ["hcmc", "phuong"],
    }
    assert Counter(unit["tags"][0] for unit in units) == {
        "hcmc": 102,
        "binh-duong": 36,
        "ba-ria-vung-tau": 30,
    }
    assert Counter(unit["tags"][1] for unit in units) == {"phuong": 113, "xa": 54, "dac-khu": 1}
    assert all(unicodedata.is_normalized("NFC", unit["name"]) for unit in units)
    # "Xã Thanh An" (Bình Dương) and "Xã Thạnh An" (TP.HCM) share a slug.
    assert {"xa-thanh-an-binh-duong", "xa-thanh-an-hcmc"} <= set(ids)


def test_units_follow_the_table(plan: dict[str, Any]) -> None:
    lines = TSV.read_text(encoding="utf-8").splitlines()[2:]
    names = [unicodedata.normalize("NFC", line.split("\t")[3].strip()) for line in lines]
    assert [unit["name"] for unit in plan["units"]] == names


def test_staff_and_empty_clusters(plan: dict[str, Any]) -> None:
    roles = Counter(person["role"] for person in plan["staff"])
    assert roles == {"leader": 8, "officer": 8}
    assert all("(giả định)" in person["title"] for person in plan["staff"])
    assert len({person["id"] for person in plan["staff"]}) == 16
    groups = plan["groups"]
    assert [group["id"] for group in groups] == [f"cum-{n}" for n in range(1, 17)]
    assert [group["name"] for group in groups] == [f"Cụm {n}" for n in range(1, 17)]
    for group in groups:
        assert group == {"id": group["id"], "name": group["name"], "kind": "commune", "members": []}


def test_neighbour_pairs_are_well_formed(plan: dict[str, Any]) -> None:
    ids = {unit["id"] for unit in plan["units"]}
    neighbours = [tuple(pair) for pair in plan["neighbours"]]
    assert neighbours
    assert neighbours == sorted(set(neighbours))  # each once, sorted
    for first, second in neighbours:
        assert first in ids
        assert second in ids
        assert first < second


def test_neighbours_mostly_within_a_former_province(plan: dict[str, Any]) -> None:
    province = {unit["id"]: unit["tags"][0] for unit in plan["units"]}
    pairs = plan["neighbours"]
    same = sum(province[first] == province[second] for first, second in pairs)
    # Communes that shared a predecessor lie within one former province, but for a few
    # along the old provincial borders: at least nine pairs in ten.
    assert pairs
    assert same * 10 >= len(pairs) * 9, f"{same} of {len(pairs)} within one former province"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("phuong-sai-gon", "phuong-tan-dinh"),  # both took part of phường Đa Kao
        ("phuong-ban-co", "phuong-xuan-hoa"),  # part of phường 4 (Quận 3)
        ("phuong-khanh-hoi", "phuong-vinh-hoi"),  # parts of phường 2 and 4 (Quận 4)
        ("phuong-khanh-hoi", "phuong-xom-chieu"),  # part of phường 15 (Quận 4)
        ("phuong-tan-binh", "phuong-tan-son"),  # part and the rest of phường 15 (quận Tân Bình)
        ("xa-bau-bang", "xa-tru-van-tho"),  # part and the rest of thị trấn Lai Uyên
        ("phuong-binh-phu", "xa-tan-nhut"),  # part of phường 16 (Quận 8), far apart in the cell
        ("phuong-tay-nam", "xa-thanh-an-binh-duong"),  # xã Thanh Tuyền and xã An Lập
    ],
)
def test_hand_checked_neighbours(pairs: set[tuple[str, str]], first: str, second: str) -> None:
    assert (first, second) in pairs


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("phuong-ban-co", "phuong-khanh-hoi"),  # phường 4 of Quận 3 is not phường 4 of Quận 4
        ("phuong-hoa-loi", "phuong-tan-dinh"),  # Tân Định of Bến Cát is not that of Quận 1
        ("phuong-tan-my", "phuong-tang-nhon-phu"),  # both took a whole, different, Tân Phú
    ],
)
def test_namesakes_are_not_neighbours(pairs: set[tuple[str, str]], first: str, second: str) -> None:
    assert (first, second) not in pairs


def test_every_row_is_understood(generated: Path) -> None:
    rows = script.read_rows(TSV)
    ids, _ = script.unit_ids(rows)
    derivation = script.derive(rows, ids)
    assert derivation.problems == []
    assert len(derivation.pairs) == len(tomllib.loads(generated.read_text("utf-8"))["neighbours"])


def test_the_plan_loads(generated: Path) -> None:
    loaded = load(generated)
    assert len(loaded.units) == 168
    assert loaded.rules.cohesion_tags == ("hcmc", "binh-duong", "ba-ria-vung-tau")


def test_missing_table_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = script.main([str(tmp_path / "absent.tsv"), "-o", str(tmp_path / "out.toml")])
    assert status == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "absent.tsv" in error
    assert not (tmp_path / "out.toml").exists()


# --- The formed_from parser ---------------------------------------------------------------------


def _read(text: str) -> list[tuple[str, str, str, str | None]]:
    return [
        (mention.kind, mention.name, str(mention.share), mention.qualifier)
        for mention in script.parse_formed_from(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Phường Bến Nghé, một phần phường Đa Kao và Nguyễn Thái Bình",
            [
                ("phuong", "Bến Nghé", "whole", None),
                ("phuong", "Đa Kao", "part", None),
                ("phuong", "Nguyễn Thái Bình", "part", None),
            ],
        ),
        (
            "Các phường 1, 2, 3, 5, một phần phường 4 (Quận 3)",
            [
                ("phuong", "1", "whole", "Quận 3"),
                ("phuong", "2", "whole", "Quận 3"),
                ("phuong", "3", "whole", "Quận 3"),
                ("phuong", "5", "whole", "Quận 3"),
                ("phuong", "4", "part", "Quận 3"),
            ],
        ),
        (
            "Các phường 10, 11 (Quận 6), một phần phường 16 (Quận 8)",
            [
                ("phuong", "10", "whole", "Quận 6"),
                ("phuong", "11", "whole", "Quận 6"),
                ("phuong", "16", "part", "Quận 8"),
            ],
        ),
        (
            "Các phường 8, 9, một phần phường 2, 4 và 15 (Quận 4)",
            [
                ("phuong", "8", "whole", "Quận 4"),
                ("phuong", "9", "whole", "Quận 4"),
                ("phuong", "2", "part", "Quận 4"),
                ("phuong", "4", "part", "Quận 4"),
                ("phuong", "15", "part", "Quận 4"),
            ],
        ),
        (
            # The qualifier stops at the change of type: Tân Tạo A is not in Quận 8.
            "Thị trấn Tân Túc, Xã Tân Nhựt, một phần phường Tân Tạo A, xã Tân Kiên và phường 16 "
            "(Quận 8)",
            [
                ("thi-tran", "Tân Túc", "whole", None),
                ("xa", "Tân Nhựt", "whole", None),
                ("phuong", "Tân Tạo A", "part", None),
                ("xa", "Tân Kiên", "part", None),
                ("phuong", "16", "part", "Quận 8"),
            ],
        ),
        (
            "Phường 6, một phần phường 5 và 7 (Quận 8), xã An Phú Tây (Huyện Bình Chánh)",
            [
                ("phuong", "6", "whole", "Quận 8"),
                ("phuong", "5", "part", "Quận 8"),
                ("phuong", "7", "part", "Quận 8"),
                ("xa", "An Phú Tây", "part", "Huyện Bình Chánh"),
            ],
        ),
        (
            "Các xã Vĩnh Lộc B, một phần xã Phạm Văn Hai và một phần phường Tân Tạo",
            [
                ("xa", "Vĩnh Lộc B", "whole", None),
                ("xa", "Phạm Văn Hai", "part", None),
                ("phuong", "Tân Tạo", "part", None),
            ],
        ),
        (
            "Phần còn lại phường 15 (quận Tân Bình)",
            [("phuong", "15", "rest", "quận Tân Bình")],
        ),
        (
            "Xã Trừ Văn Thố, xã Cây Trường II, một phần thị trấn Lai Uyên",
            [
                ("xa", "Trừ Văn Thố", "whole", None),
                ("xa", "Cây Trường II", "whole", None),
                ("thi-tran", "Lai Uyên", "part", None),
            ],
        ),
        ("Huyện Côn Đảo", [("huyen", "Côn Đảo", "whole", None)]),
        ("Không sáp nhập", []),
    ],
)
def test_parse_formed_from(text: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    assert _read(text) == expected


def test_parse_accepts_nfd_text() -> None:
    text = "Phường Tân Định và một phần phường Đa Kao"
    assert _read(unicodedata.normalize("NFD", text)) == _read(text)


@pytest.mark.parametrize(
    "text",
    [
        "một phần Đa Kao",  # no unit type
        "Các Bến Nghé, Đa Kao",  # "các" without a type
        "Các phường 1, 2 (Quận 3",  # unbalanced parenthesis
        "Phường Bến Nghé, , Đa Kao",  # empty item
        "Phường bến nghé",  # not a place name
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(script.ParseError):
        script.parse_formed_from(text)


# --- Deriving pairs from rows ---------------------------------------------------------------------


def _derive(*cells: tuple[str, str]) -> Any:
    rows = [
        script.Row(stt, "binh-duong", formed_from, name, "phuong")
        for stt, (formed_from, name) in enumerate(cells, start=1)
    ]
    ids, _ = script.unit_ids(rows)
    return script.derive(rows, ids)


def test_a_whole_listed_by_two_rows_is_the_rest() -> None:
    derivation = _derive(
        ("Các phường Bình Nhâm, một phần phường Sơn Kỳ", "Phường A"),
        ("Các phường Tân Sơn Nhì, Sơn Kỳ", "Phường B"),
    )
    assert list(derivation.pairs) == [("phuong-a", "phuong-b")]
    assert derivation.problems == []
    assert any("read as the rest" in note for note in derivation.notes)


def test_wholes_alone_make_no_pair() -> None:
    derivation = _derive(
        ("Các phường Bình Nhâm, Sơn Kỳ", "Phường A"),
        ("Các phường Tân Sơn Nhì, Sơn Kỳ", "Phường B"),
    )
    assert derivation.pairs == {}
    assert len(derivation.problems) == 1


def test_a_carried_over_type_yields_to_a_split_ward() -> None:
    derivation = _derive(
        ("Các phường Định Hòa, một phần phường Hiệp An", "Phường A"),
        ("Các phường Tân An, Xã Phú An, Hiệp An", "Phường B"),
    )
    assert list(derivation.pairs) == [("phuong-a", "phuong-b")]


def test_districts_tell_namesakes_apart() -> None:
    derivation = _derive(
        ("Các phường 1, một phần phường 4 (Quận 3)", "Phường A"),
        ("Các phường 2, một phần phường 4 (Quận 4)", "Phường B"),
    )
    assert derivation.pairs == {}


def test_colliding_names_get_the_province() -> None:
    rows = [
        script.Row(1, "binh-duong", "Các xã Thanh An", "Xã Thanh An", "xa"),
        script.Row(2, "hcmc", "Không sáp nhập", "Xã Thạnh An", "xa"),
        script.Row(3, "hcmc", "Không sáp nhập", "Xã Bình Châu", "xa"),
    ]
    ids, notes = script.unit_ids(rows)
    assert ids == ["xa-thanh-an-binh-duong", "xa-thanh-an-hcmc", "xa-binh-chau"]
    assert len(notes) == 2
