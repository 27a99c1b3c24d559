"""Importing dispatches: the HCMC seed (prose), a numbered-list dispatch, and what is reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from thidua.cli import main
from thidua.documents.errors import DispatchError
from thidua.documents.importer import parse_dispatch, read_dispatch
from thidua.files import load
from thidua.model import DispatchSettings, Role
from thidua.rules import validate

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
EXAMPLES = HERE.parents[1] / "examples"
SEED = HERE.parent / "data" / "seeds" / "hcmc-1991-VP-THKH-2013.txt"


def test_seed_imports_to_the_2013_example() -> None:
    result = read_dispatch(SEED)
    assert result.plan == load(EXAMPLES / "hcmc-2013.toml")
    assert result.notices == ()


def test_seed_header_kept_on_request() -> None:
    result = read_dispatch(SEED, keep_header=True)
    assert result.plan.dispatch == DispatchSettings(
        authority=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"),
        issuer=("VĂN PHÒNG", "UBND THÀNH PHỐ"),
        place="Thành phố Hồ Chí Minh",
        recipients=(
            "Văn phòng các Sở, ban, ngành thành phố",
            "Văn phòng Ủy ban nhân dân các quận-huyện",
        ),
        copies=(
            "TTUB: CT, các PCT",
            "VPUB: CPVP",
            "Các Phòng NCTH",
            "Phòng HCTC",
            "Trung tâm Tin học",
            "Phòng TH-KH (6b)",
            "Lưu: VT, (THKH/NTn)",
        ),
        signer_title=("CHÁNH VĂN PHÒNG",),
        signer="Võ Văn Luận",
    )
    assert attrs.evolve(result.plan, dispatch=DispatchSettings()) == load(
        EXAMPLES / "hcmc-2013.toml"
    )


def test_cli_import_writes_the_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hcmc-2013.toml"
    assert main(["import", str(SEED), "-o", str(out)]) == 0
    assert load(out) == load(EXAMPLES / "hcmc-2013.toml")
    assert "9 groups, 74 units, 11 staff" in capsys.readouterr().err


def test_numbered_list_layout() -> None:
    result = read_dispatch(DATA / "song-ha-2024.txt", keep_header=True)
    assert result.notices == ()
    assert result.plan == load(DATA / "song-ha-2024.toml")
    plan = result.plan
    assert plan.year == 2024
    assert plan.issued == dt.date(2024, 1, 8)
    assert [g.id for g in plan.groups] == ["khoi-1", "khoi-2", "cum-1", "cum-2"]
    assert plan.group_by_id["cum-1"].chair == "ubnd-thi-xa-dien-son"
    assert plan.group_by_id["khoi-2"].deputy == "so-cong-thuong"
    assert plan.staff_by_id["pham-quoc-hung"].role is Role.OFFICER


PROBLEMS = """\
Số: 12/UBND-VX
V/v chia cụm thi đua năm 2015

- Khối trưởng: Sở Tài chính.

I. CỤM THI ĐUA SỐ 1 gồm 3 đơn vị:
1. UBND huyện An Lão;
2. UBND huyện Hoài Ân.
- Cụm trưởng: UBND huyện Vĩnh Thạnh.
- Lãnh đạo phụ trách: Đồng chí Trần Văn Bình, Phó Chánh Văn phòng.

II. Cụm thi đua số 2 gồm 2 đơn vị:
1. UBND huyện Tây Sơn;
2. UBND huyện Phù Cát thuộc vùng
trung du phía tây.
- Cụm trưởng: UBND huyện Tây Sơn.
- Lãnh đạo phụ trách: Đồng chí Trần Văn Bình, Phó Chánh Văn phòng.
- Cán bộ theo dõi: Đồng chí Trần Văn Bình, Chuyên viên.
"""


def test_reports_what_it_cannot_place_with_lines() -> None:
    result = parse_dispatch(PROBLEMS, source="problems.txt")
    notices = {(notice.line, notice.message) for notice in result.notices}
    assert (4, "a chair line outside any khối or cụm: 'Sở Tài chính.'") in notices
    assert (6, "Cụm 1 says it has 3 members but lists 2") in notices
    assert (9, "Cụm 1: no unit matches the chair 'UBND huyện Vĩnh Thạnh'") in notices
    assert any(line == 15 and "joined this line" in message for line, message in notices)
    assert (18, "Trần Văn Bình is both a leader and an officer; keeping leader") in notices
    plan = result.plan
    assert plan.group_by_id["cum-1"].chair is None  # never invented
    assert plan.unit_by_id["ubnd-huyen-phu-cat-thuoc-vung-trung-du-phia-tay"].kind == "district"
    # Kept as written; `thidua validate` then reports a leader in an officer's place.
    assert plan.group_by_id["cum-2"].officer == "tran-van-binh"
    assert any(
        v.rule == "one-officer" and v.subjects == ("cum-2", "tran-van-binh") for v in validate(plan)
    )


def test_glued_words_it_cannot_split_are_reported() -> None:
    text = "V/v chia khối năm 2015\n\nI. KHỐI THI ĐUA SỐ 1\n1. Trung tâm Cityweb;\n2. Sở Tư pháp.\n"
    result = parse_dispatch(text)
    assert [(n.line, n.message) for n in result.notices] == [
        (4, "cannot tell whether 'Cityweb' is several words glued together")
    ]
    assert result.plan.units[0].name == "Trung tâm Cityweb"


def test_no_groups_is_an_error() -> None:
    with pytest.raises(DispatchError, match=r"^empty\.txt: no khối or cụm thi đua found"):
        parse_dispatch("Kính gửi: các đơn vị.\nNội dung khác.\n", source="empty.txt")


def test_no_year_is_an_error() -> None:
    with pytest.raises(DispatchError, match="cannot tell the year"):
        parse_dispatch("I. KHỐI THI ĐUA SỐ 1\n1. Sở Tư pháp.\n", source="x.txt")


def test_year_falls_back_to_the_date() -> None:
    text = "Hà Nội, ngày 05 tháng 01 năm 2020\n\nI. KHỐI THI ĐUA SỐ 1\n1. Sở Tư pháp.\n"
    plan = parse_dispatch(text).plan
    assert (plan.year, plan.issued, plan.title) == (2020, dt.date(2020, 1, 5), "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\xff\xfe\x00bad", "not UTF-8 text"),
        (b"PK\x03\x04 not really a zip", "not a Word document"),
    ],
)
def test_unreadable_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "cong-van.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"thidua: {path}: {message}")
    assert err.count("\n") == 1


def test_cli_warnings_and_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "problems.txt"
    path.write_text(PROBLEMS, encoding="utf-8")
    assert main(["import", str(path), "-o", str(tmp_path / "plan.toml")]) == 0
    err = capsys.readouterr().err
    assert f"thidua: {path}:6: warning: Cụm 1 says it has 3 members but lists 2" in err
    assert main(["import", str(path), "--strict", "-o", str(tmp_path / "other.toml")]) == 2
    assert "--strict" in capsys.readouterr().err
    assert not (tmp_path / "other.toml").exists()
