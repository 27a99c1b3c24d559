"""Hostile and careless input (issue 10): each case is one line and exit 2, never a traceback,
and nothing a planner wrote is lost."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import stat
import sys
import threading
import zipfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from strategies import plans
from thidua.cli import main
from thidua.documents.errors import DispatchError, ScoresError
from thidua.documents.importer import parse_dispatch
from thidua.documents.report import review_csv
from thidua.documents.review import review
from thidua.documents.scores import parse_scores, read_scores, spreadsheet_safe
from thidua.errors import InvalidValue, PlanFileError, ThiduaError
from thidua.files import dumps, load, loads, save
from thidua.model import Group, GroupResult, ObjectiveSettings, Plan, RuleSettings, Unit
from thidua.text import terminal_safe

EXAMPLE = EXAMPLES / "hcmc-2013.toml"
SCORES = EXAMPLES / "scores-2013.csv"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_exit_2(code: int, err: str) -> None:
    assert code == 2, err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err


def copy_example(tmp_path: Path, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(EXAMPLE_TEXT, encoding="utf-8")
    return path


# -- commands never write over their own inputs, nor a format their suffix disagrees with ---


def test_export_onto_its_plan_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = copy_example(tmp_path)
    code, _out, err = run(capsys, "export", plan, "-o", plan)
    one_line_exit_2(code, err)
    assert plan.read_text(encoding="utf-8") == EXAMPLE_TEXT


def test_export_through_a_hard_link_to_its_plan_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = copy_example(tmp_path)
    link = tmp_path / "same.md"
    os.link(plan, link)
    code, _out, err = run(capsys, "export", plan, "-o", link)
    one_line_exit_2(code, err)
    assert plan.read_text(encoding="utf-8") == EXAMPLE_TEXT


def test_import_onto_its_dispatch_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dispatch = tmp_path / "d.txt"
    assert run(capsys, "export", EXAMPLE, "--format", "txt", "-o", dispatch)[0] == 0
    before = dispatch.read_bytes()
    code, _out, err = run(capsys, "import", dispatch, "-o", dispatch)
    one_line_exit_2(code, err)
    assert dispatch.read_bytes() == before
    toml_dispatch = copy_example(tmp_path, "d.toml")
    code, _out, err = run(capsys, "import", toml_dispatch, "-o", toml_dispatch)
    one_line_exit_2(code, err)
    assert toml_dispatch.read_text(encoding="utf-8") == EXAMPLE_TEXT


def test_review_onto_its_score_sheet_or_plan_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = copy_example(tmp_path)
    scores = tmp_path / "s.csv"
    scores.write_bytes(SCORES.read_bytes())
    for output in (scores, plan):
        code, _out, err = run(capsys, "review", plan, scores, "-o", output)
        one_line_exit_2(code, err)
    assert scores.read_bytes() == SCORES.read_bytes()
    assert plan.read_text(encoding="utf-8") == EXAMPLE_TEXT


def test_the_template_without_scores_passes_the_output_guard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = copy_example(tmp_path)
    sheet = tmp_path / "sheet.xlsx"
    code, _out, err = run(capsys, "review", plan, "--template", "-o", sheet)
    assert code == 0, err
    assert sheet.stat().st_size > 0
    code, _out, err = run(capsys, "review", plan, "--template", "-o", plan)
    one_line_exit_2(code, err)
    assert plan.read_text(encoding="utf-8") == EXAMPLE_TEXT


@pytest.mark.parametrize(
    "argv",
    [
        ("ballot", "{plan}", "{tmp}/votes.csv", "-o", "{tmp}/votes.csv"),
        ("ballot", "{plan}", "{tmp}/votes.csv", "-o", "{plan}"),
        ("history", "{plan}", "-o", "{tmp}/p.xlsx", "--previous", "{tmp}/p.xlsx"),
        ("document", "covenant", "{plan}", "-o", "{plan}"),
        ("document", "covenant", "{plan}", "--format", "docx", "-o", "{tmp}/out.md"),
    ],
)
def test_every_output_goes_through_the_one_guard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    plan = copy_example(tmp_path)
    votes = tmp_path / "votes.csv"
    votes.write_text("voter,candidate\n", encoding="utf-8")
    code, _out, err = run(capsys, *(arg.format(tmp=tmp_path, plan=plan) for arg in argv))
    one_line_exit_2(code, err)
    assert "input of this command" in err or "is written as" in err
    assert plan.read_text(encoding="utf-8") == EXAMPLE_TEXT
    assert votes.read_text(encoding="utf-8") == "voter,candidate\n"
    assert not (tmp_path / "out.md").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ("export", EXAMPLE, "-o", "{tmp}/out.toml"),
        ("export", EXAMPLE, "--format", "txt", "-o", "{tmp}/out.md"),
        ("export", EXAMPLE, "--format", "md", "-o", "{tmp}/out.docx"),
        ("import", "{tmp}/d.txt", "-o", "{tmp}/plan.md"),
        ("review", EXAMPLE, SCORES, "-o", "{tmp}/next.csv"),
    ],
)
def test_an_output_suffix_saying_another_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str | Path, ...]
) -> None:
    assert main(["export", str(EXAMPLE), "--format", "txt", "-o", str(tmp_path / "d.txt")]) == 0
    capsys.readouterr()
    args = [str(arg).format(tmp=tmp_path) for arg in argv]
    code, _out, err = run(capsys, *args)
    one_line_exit_2(code, err)
    assert not any(p.name.startswith(("out", "plan", "next")) for p in tmp_path.iterdir())
    assert "Traceback" not in err


# -- values checked for range at load, with the line --------------------------------------


def _replace(old: str, new: str) -> str:
    assert old in EXAMPLE_TEXT
    return EXAMPLE_TEXT.replace(old, new, 1)


BAD_PLANS = {
    "nested 500 deep": "year = 2020\nx = " + "[" * 500 + "]" * 500,
    "inline tables 500 deep": "year = 2020\nx = " + "{a = " * 500 + "1" + "}" * 500,
    "min_score nan": EXAMPLE_TEXT + "\n[review]\nmin_score = nan\n",
    "min_score inf": EXAMPLE_TEXT + "\n[review]\nmin_score = inf\n",
    "weight 2^62": EXAMPLE_TEXT + "\n[rules.objective]\nmoves = 4611686018427387904\n",
    "negative weight": EXAMPLE_TEXT + "\n[rules.objective]\nspread = -1\n",
    "negative leader limit": EXAMPLE_TEXT + "\n[rules]\nleader_max_groups = -1\n",
    "negative rotation": EXAMPLE_TEXT + "\n[rules]\nchair_rotation_years = -3\n",
    "huge group size": EXAMPLE_TEXT + "\n[rules]\ngroup_size = [5, 4611686018427387904]\n",
    "huge workload": _replace(
        'role = "leader"', 'role = "leader"\nmax_groups = 9223372036854775807'
    ),
    "year 0": _replace("year = 2013", "year = 0"),
    "a date and time": _replace("issued = 2013-03-22", "issued = 2013-03-22T10:00:00"),
    "newline in a name": _replace('name = "Quận 1"', 'name = "Quận 1\\nKhối trưởng: Quận 3"'),
    "escape in a name": _replace('name = "Quận 1"', 'name = "Quận 1\\u001b[2J"'),
    "bidi override in a title": _replace("title = ", 'title = "\\u202e" # '),
    "empty name": _replace('name = "Quận 1"', 'name = "  "'),
    "duplicate unit name": _replace('name = "Quận 1"', 'name = "Quận 3"'),
    "a unit its own neighbour": _replace(
        "issued = 2013-03-22", 'issued = 2013-03-22\nneighbours = [["quan-1", "quan-1"]]'
    ),
    "ranking names a unit twice": EXAMPLE_TEXT
    + '\n[[results]]\ngroup = "khoi-1"\nranking = ["so-cong-thuong", "so-cong-thuong"]\n',
}


@pytest.mark.parametrize("text", BAD_PLANS.values(), ids=BAD_PLANS.keys())
def test_bad_values_are_refused_at_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    with pytest.raises(PlanFileError):
        loads(text, source="p.toml")
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    for command in ("validate", "show", "export"):
        code, _out, err = run(capsys, command, path)
        one_line_exit_2(code, err)
        assert err.startswith(f"thidua: {path}")


def test_the_error_names_the_line() -> None:
    with pytest.raises(PlanFileError) as raised:
        loads(BAD_PLANS["newline in a name"], source="p.toml")
    assert raised.value.line == EXAMPLE_TEXT.splitlines().index('name = "Quận 1"') + 1


def test_the_library_raises_thidua_errors_for_bad_values() -> None:
    for make in (
        lambda: Unit("a", "A\nB", "k"),
        lambda: Unit("a", "", "k"),
        lambda: Unit("A B", "A", "k"),
        lambda: RuleSettings(leader_max_groups=-1),
        lambda: ObjectiveSettings(moves=2**62),
        lambda: Plan(year=0),
        lambda: GroupResult("g", ranking=("a", "a")),
        lambda: Group("g", "G\x1b[31m", "k"),
    ):
        with pytest.raises(InvalidValue):
            make()
    assert issubclass(InvalidValue, ThiduaError)
    assert issubclass(InvalidValue, ValueError)


def test_validate_refuses_a_previous_plan_not_earlier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for year in ("2013", "2014"):
        later = tmp_path / f"prev-{year}.toml"
        later.write_text(_replace("year = 2013", f"year = {year}"), encoding="utf-8")
        code, _out, err = run(capsys, "validate", EXAMPLE, "--previous", later)
        one_line_exit_2(code, err)
        assert str(later) in err


# -- only regular files are read --------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize(
    "argv",
    [
        ("validate", "{fifo}"),
        ("show", "{fifo}"),
        ("diff", "{fifo}", EXAMPLE),
        ("export", "{fifo}"),
        ("import", "{fifo}"),
        ("review", "{fifo}", SCORES),
        ("review", EXAMPLE, "{fifo}"),
        ("validate", EXAMPLE, "--previous", "{fifo}"),
    ],
)
def test_a_fifo_as_input_is_refused_not_waited_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str | Path, ...]
) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    # Were the FIFO opened for reading, this writer would unblock it; fail rather than hang.
    unblocked = threading.Event()
    timer = threading.Timer(5, lambda: _unblock(fifo, unblocked))
    timer.start()
    try:
        code, _out, err = run(capsys, *(str(arg).format(fifo=fifo) for arg in argv))
    finally:
        timer.cancel()
    assert not unblocked.is_set(), "the command waited on the FIFO"
    one_line_exit_2(code, err)
    assert "regular file" in err


def _unblock(fifo: Path, unblocked: threading.Event) -> None:
    unblocked.set()
    with contextlib.suppress(OSError):  # no reader: nothing was waiting
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_saving_over_a_fifo_does_not_read_it(tmp_path: Path) -> None:
    target = tmp_path / "plan.toml"
    os.mkfifo(target)
    unblocked = threading.Event()
    timer = threading.Timer(5, lambda: _unblock(target, unblocked))
    timer.start()
    try:
        save(load(EXAMPLE), target)
    finally:
        timer.cancel()
    assert not unblocked.is_set(), "the save waited on the FIFO"
    assert target.is_file()
    assert load(target) == load(EXAMPLE)


# -- Office files: bounded before parsing -----------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_compression(data: bytes, method: int) -> bytes:
    """`data` (a zip) with every part marked as compressed by `method`, in the parts' own
    headers and in the central directory, as a zip written by a tool zipfile cannot read."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = patched.find(signature)
        while start != -1:
            patched[start + offset : start + offset + 2] = method.to_bytes(2, "little")
            start = patched.find(signature, start + 4)
    return bytes(patched)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]><w:document>&lol9;</w:document>"
)

# Each file, and what its one line of error must say (the bound it breaks, where it has one).
BAD_OFFICE_FILES = {
    "not a zip": (b"PK\x03\x04 not a zip at all", ""),
    "zip bomb": (
        _zip({"xl/worksheets/sheet1.xml": b"<c>" + b" " * (80 * 1024 * 1024)}),
        "too large once unzipped",
    ),
    "entities": (
        _zip({"word/document.xml": BILLION_LAUGHS, "[Content_Types].xml": b"<x/>"}),
        "DTD",
    ),
    "empty zip": (_zip({}), ""),
    "unknown compression": (
        _with_compression(_zip({"word/document.xml": b"<w:p/>"}), 99),
        "word/document.xml is compressed by a method that cannot be read",
    ),
    "garbage xml": (
        _zip({"[Content_Types].xml": b"<Types><<<", "word/document.xml": b"\x00\x01"}),
        "",
    ),
    "many cells and paragraphs": (
        _zip(
            {
                "word/document.xml": b"<w:p/>" * 200_001,
                "xl/worksheets/sheet1.xml": b"<c/>" * 1_000_001,
            }
        ),
        "more than a",
    ),
}


@pytest.mark.parametrize(("data", "says"), BAD_OFFICE_FILES.values(), ids=BAD_OFFICE_FILES.keys())
def test_bad_office_files_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, says: str
) -> None:
    docx = tmp_path / "d.docx"
    docx.write_bytes(data)
    code, _out, err = run(capsys, "import", docx)
    one_line_exit_2(code, err)
    assert says in err
    with pytest.raises(DispatchError):
        parse_dispatch_file(docx)
    xlsx = tmp_path / "s.xlsx"
    xlsx.write_bytes(data)
    code, _out, err = run(capsys, "review", EXAMPLE, xlsx)
    one_line_exit_2(code, err)
    assert says in err
    with pytest.raises(ScoresError):
        read_scores(xlsx, load(EXAMPLE))
    code, _out, err = run(capsys, "ballot", EXAMPLE, xlsx)
    one_line_exit_2(code, err)
    assert says in err


@pytest.mark.parametrize(
    ("member", "says"),
    [
        (b"<c>" + b" " * (80 * 1024 * 1024), "too large once unzipped"),
        (b"<c/>" * 1_000_001, "more than a"),
    ],
    ids=["zip bomb", "many cells"],
)
def test_a_template_with_a_hostile_sheet_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], member: bytes, says: str
) -> None:
    """A real score-sheet template (its hidden mark sheet intact) with one sheet swollen: it is
    refused by the same checked opener before the template reader sees it."""
    from thidua.documents.template import template_bytes

    with zipfile.ZipFile(io.BytesIO(template_bytes(load(EXAMPLE)))) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = member
    sheet = tmp_path / "sheet.xlsx"
    sheet.write_bytes(_zip(parts))
    code, _out, err = run(capsys, "review", EXAMPLE, sheet)
    one_line_exit_2(code, err)
    assert says in err


def parse_dispatch_file(path: Path) -> None:
    from thidua.documents.importer import read_dispatch

    read_dispatch(path)


def test_a_sheet_claiming_the_whole_grid_is_read_by_its_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Đơn vị", "Điểm"])
    sheet.append(["Sở Công Thương", 90])
    path = tmp_path / "s.xlsx"
    workbook.save(path)
    # Rewrite its dimension to the whole grid, as a hostile file would.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(
        b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>'
    )
    path.write_bytes(_zip(parts))
    sheet_read = read_scores(path, load(EXAMPLE))
    assert list(sheet_read.units) == ["so-cong-thuong"]


# -- injection ------------------------------------------------------------------------------


def test_review_csv_never_writes_a_formula() -> None:
    names = ["=1+2", "+A1", "-2", "@SUM(A1)", "b", "c"]
    plan = Plan(
        year=2020,
        units=[Unit(uid, name, "k") for uid, name in zip("abcdef", names, strict=True)],
        groups=[Group("g", "=HYPERLINK()", "k", tuple("abcdef"))],
    )
    rows: list[tuple[int, list[object]]] = [(1, ["unit", "Điểm"])]
    rows += [(n + 2, [uid, 90 - n]) for n, uid in enumerate("abcdef")]
    sheet = parse_scores(rows, plan, source="s.csv", rows_are_lines=True)
    text = review_csv(plan, review(plan, sheet, ()))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=1+2" in cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert [spreadsheet_safe(v) for v in ("\tx", "\rx", -2, "a-b")] == ["'\tx", "'\rx", -2, "a-b"]


def test_terminal_escapes_from_a_score_sheet_are_not_printed_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = tmp_path / "s.csv"
    scores.write_text("Đơn vị,Điểm\n\x1b]0;owned\x07Sở,90\n", encoding="utf-8")
    code, out, err = run(capsys, "review", EXAMPLE, scores)
    one_line_exit_2(code, err)
    assert "\x1b" not in out + err
    assert "\x07" not in out + err


def test_names_are_matched_exactly_before_without_diacritics(tmp_path: Path) -> None:
    plan = Plan(
        year=2020,
        units=[Unit("tan-an", "Xã Tân An", "commune"), Unit("tan-an-2", "Xã Tân Ân", "commune")],
        groups=[Group("g", "Cụm 1", "commune", ("tan-an", "tan-an-2"))],
    )
    rows: list[tuple[int, list[object]]] = [
        (1, ["Đơn vị", "Điểm"]),
        (2, ["Xã Tân An", 90]),
        (3, ["Xã Tân Ân", 80]),
    ]
    sheet = parse_scores(rows, plan, source="s.csv", rows_are_lines=True)
    assert sheet.units["tan-an"].criteria == (90.0,)
    assert sheet.units["tan-an-2"].criteria == (80.0,)
    # Without diacritics, a name both could be is neither.
    with pytest.raises(ScoresError, match="unknown unit"):
        parse_scores(
            [(1, ["Đơn vị", "Điểm"]), (2, ["Xa Tan An", 90])],
            plan,
            source="s.csv",
            rows_are_lines=True,
        )


def test_an_import_keeps_names_differing_only_in_diacritics_apart() -> None:
    text = (
        "V/v chia cụm thi đua năm 2020\n"
        "1. Cụm thi đua số 1 gồm: Xã Tân An, Xã Tân Ân, Xã Bình Mỹ, Xã Bình Lợi, Xã Hòa Phú\n"
        "Cụm trưởng: Xã Tân Ân\n"
    )
    plan = parse_dispatch(text).plan
    names = {unit.id: unit.name for unit in plan.units}
    assert len(names) == 5
    chair = plan.groups[0].chair
    assert chair is not None
    assert names[chair] == "Xã Tân Ân"


# -- saves ----------------------------------------------------------------------------------


def test_a_save_removes_temporary_files_a_killed_save_left(tmp_path: Path) -> None:
    target = copy_example(tmp_path)
    stray = tmp_path / ".p.toml.ab3_x9zq"
    stray.write_text("half a plan", encoding="utf-8")
    unrelated = tmp_path / ".other.toml.ab3_x9zq"
    unrelated.write_text("not ours", encoding="utf-8")
    save(load(target), target)
    assert not stray.exists()
    assert unrelated.exists()


def test_saves_keep_the_targets_permission_bits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = copy_example(tmp_path)
    target.chmod(0o600)
    save(load(target), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    docx = tmp_path / "d.docx"
    docx.write_bytes(b"old")
    docx.chmod(0o600)
    assert run(capsys, "export", EXAMPLE, "-o", docx)[0] == 0
    assert stat.S_IMODE(docx.stat().st_mode) == 0o600


def test_a_save_writes_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = copy_example(tmp_path, "real.toml")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    plan = load(link)
    save(attrs.evolve(plan, title="Kế hoạch mới"), link)
    assert link.is_symlink()
    assert load(real).title == "Kế hoạch mới"
    docx_real = tmp_path / "real.docx"
    docx_real.write_bytes(b"old")
    docx_link = tmp_path / "link.docx"
    docx_link.symlink_to(docx_real)
    assert run(capsys, "export", EXAMPLE, "-o", docx_link)[0] == 0
    assert docx_link.is_symlink()
    assert docx_real.read_bytes().startswith(b"PK")


def test_a_long_title_exports_to_word(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = attrs.evolve(load(EXAMPLE), title="Kế hoạch " * 60)
    path = tmp_path / "p.toml"
    save(plan, path)
    assert run(capsys, "export", path, "-o", tmp_path / "d.docx")[0] == 0


def test_a_deep_layout_does_not_break_a_save(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    target.write_text("x = " + "[" * 400 + "]" * 400, encoding="utf-8")
    save(load(EXAMPLE), target)
    assert load(target) == load(EXAMPLE)
    for layout in ("x = " + "[" * 2000 + "]" * 2000, "[[units]]\nid = ", "a = 1\na = 2"):
        with pytest.raises(PlanFileError):
            dumps(load(EXAMPLE), layout)


# -- arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option",
    [
        ("--seed", "2147483648"),
        ("--seed", "-1"),
        ("--time-limit", "nan"),
        ("--time-limit", "-5"),
        ("--time-limit", "inf"),
        ("--time-limit", "0"),
    ],
)
def test_solver_arguments_are_checked_at_parsing(
    capsys: pytest.CaptureFixture[str], option: tuple[str, str]
) -> None:
    code, _out, err = run(capsys, "solve", EXAMPLE, *option)
    one_line_exit_2(code, err)
    assert "usage" not in err


def test_tests_run_in_a_real_interpreter() -> None:
    assert sys.executable


# -- saving over a layout: block by block, same result as the whole-document merge -----------


@settings(max_examples=25, deadline=None)
@given(first=plans(), second=plans(), note=st.sampled_from(["", "# ghi chú\n"]))
def test_a_save_over_a_layout_loses_nothing(first: Plan, second: Plan, note: str) -> None:
    layout = dumps(first)
    assert dumps(first, layout) == layout  # nothing changed: not a byte either
    commented = note + layout.replace("\n[[", f"\n{note}[[", 3)
    for template in (layout, commented):
        assert loads(dumps(second, template)) == second


def test_a_pin_written_twice_keeps_both_its_tables_as_written() -> None:
    """Found by the property above: the second of two equal pins was appended anew, so a save
    that changed nothing added a blank line at the end of the file."""
    pin = '\n[[pins]]\ngroup = "g-0"\nunit = "u-0"\n'
    layout = dumps(
        loads(
            'year = 1990\n[[units]]\nid = "u-0"\nname = "a"\nkind = "department"\n'
            '[[groups]]\nid = "g-0"\nname = "g"\nkind = "department"\n' + pin + pin
        )
    )
    assert layout.count("[[pins]]") == 2
    assert dumps(loads(layout), layout) == layout


def test_a_layout_keeps_its_comments_where_tables_change() -> None:
    plan = load(EXAMPLE)
    units = tuple(
        attrs.evolve(unit, tags=("moi",)) if unit.id == "quan-1" else unit for unit in plan.units
    )
    text = dumps(attrs.evolve(plan, units=units), EXAMPLE_TEXT)
    assert text.count("#") == EXAMPLE_TEXT.count("#")
    changed = [line for line in text.splitlines() if line not in EXAMPLE_TEXT.splitlines()]
    assert changed == ['tags = ["moi"]']


def test_a_control_character_in_a_dispatch_is_refused_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dispatch = tmp_path / "d.txt"
    dispatch.write_text(
        "V/v chia cụm thi đua năm 2020\n"
        "1. Cụm thi đua số 1\x1b]0;owned\x07 gồm: Xã A, Xã B\n"
        "Cụm trưởng:\tXã A\f\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", dispatch)
    one_line_exit_2(code, err)
    assert err.startswith(f"thidua: {dispatch}:2: ")
    assert "\x1b" not in out + err
    tabbed = (
        "V/v chia cụm thi đua năm 2020\n1. Cụm thi đua số 1 gồm: Xã A,\tXã B\fCụm trưởng: Xã A\n"
    )
    assert parse_dispatch(tabbed).plan.groups[0].members == ("xa-a", "xa-b")


def test_terminal_safe_escapes_what_drives_a_terminal() -> None:
    assert terminal_safe("a\x1b[2Jb\x07\u202e\nc\td") == "a\\x1b[2Jb\\x07\\u202e\nc\td"


def test_an_input_over_the_size_bound_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import thidua.files.inputs

    monkeypatch.setattr(thidua.files.inputs, "MAX_INPUT_BYTES", 1000)
    plan = copy_example(tmp_path)
    code, _out, err = run(capsys, "validate", plan)
    one_line_exit_2(code, err)
    assert "too large" in err


def test_a_new_unit_cannot_take_a_name_in_use() -> None:
    from thidua.edits import EditError, new_unit

    plan = load(EXAMPLE)
    with pytest.raises(EditError):
        new_unit(plan, "Quận 1", "district")


def test_a_dispatch_of_year_0_names_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dispatch = tmp_path / "d.txt"
    dispatch.write_text(
        "V/v chia cụm thi đua năm 0000\n1. Cụm thi đua số 1 gồm: Xã A, Xã B\n", encoding="utf-8"
    )
    code, _out, err = run(capsys, "import", dispatch)
    one_line_exit_2(code, err)
    assert err.startswith(f"thidua: {dispatch}: ")


# -- Office files with more elements than their kind ever holds: refused before parsing --------


def test_a_workbook_with_too_many_cells_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    from thidua.documents import scores

    book = openpyxl.Workbook()
    worksheet = book.worksheets[0]
    for row in range(1, 12):
        worksheet.append([f"u{row}", row])
    sheet = tmp_path / "scores.xlsx"
    book.save(sheet)
    monkeypatch.setattr(scores, "MAX_CELLS", 10)
    code, _, err = run(capsys, "review", EXAMPLE, sheet)
    one_line_exit_2(code, err)
    assert "22 cells in xl/worksheets/sheet1.xml" in err
    assert str(sheet) in err


def test_a_document_with_too_many_paragraphs_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    from thidua.documents import word

    document = docx.Document()
    for index in range(30):
        document.add_paragraph(f"Đoạn {index}")
    dispatch = tmp_path / "cong-van.docx"
    document.save(str(dispatch))
    monkeypatch.setattr(word, "MAX_PARAGRAPHS", 20)
    code, _, err = run(capsys, "import", dispatch, "-o", tmp_path / "plan.toml")
    one_line_exit_2(code, err)
    assert "paragraphs in word/document.xml" in err
    assert not (tmp_path / "plan.toml").exists()
