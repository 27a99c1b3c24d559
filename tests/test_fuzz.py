"""The fuzzing suite (issue 10): mutated plans, score sheets and dispatches (text, XLSX, DOCX)
thrown at every command and at the library.

Every run must end in exit 0 or 1, or in exit 2 with one line on stderr; the library must
return or raise a `ThiduaError`; nothing may hang (an alarm fails the example) and no input
file may change. Example counts are set per test; `--hypothesis-show-statistics` lists them.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.cli import main
from thidua.documents.exporter import render_markdown, render_text
from thidua.documents.importer import parse_dispatch
from thidua.documents.report import review_csv
from thidua.documents.review import review
from thidua.documents.scores import parse_scores, read_scores
from thidua.documents.word import render_docx
from thidua.errors import ThiduaError
from thidua.files import dumps, loads
from thidua.rules import validate

# A small plan written by hand: two blocks of four, staff, rules, a previous result.
PLAN = """\
year = 2026
title = "Chia khối thi đua năm 2026"
reference = "12/VP-THKH"
issued = 2026-03-01
neighbours = [["quan-1", "quan-3"]]

[rules]
group_size = [2, 6]
leader_max_groups = 2

[rules.objective]
moves = 1

[[units]]
id = "so-a"
name = "Sở Công Thương"
kind = "department"

[[units]]
id = "so-b"
name = "Sở Tài chính"
kind = "department"

[[units]]
id = "so-c"
name = "Sở Xây dựng"
kind = "department"

[[units]]
id = "so-d"
name = "Sở Y tế"
kind = "department"

[[units]]
id = "quan-1"
name = "Quận 1"
kind = "district"
tags = ["trung-tam"]

[[units]]
id = "quan-3"
name = "Quận 3"
kind = "district"

[[units]]
id = "xa-tan-an"
name = "Xã Tân An"
kind = "district"

[[units]]
id = "xa-tan-an-2"
name = "Xã Tân Ân"
kind = "district"

[[staff]]
id = "ngo-lien"
name = "Ngô Kim Liên"
role = "leader"

[[staff]]
id = "le-ba"
name = "Lê Văn Ba"
role = "officer"
max_groups = 2

[[groups]]
id = "khoi-1"
name = "Khối 1"
kind = "department"
members = ["so-a", "so-b", "so-c", "so-d"]
leader = "ngo-lien"
officer = "le-ba"
chair = "so-a"

[[groups]]
id = "cum-1"
name = "Cụm 1"
kind = "district"
members = ["quan-1", "quan-3", "xa-tan-an", "xa-tan-an-2"]
leader = "ngo-lien"
officer = "le-ba"
chair = "quan-3"

[[pins]]
group = "khoi-1"
unit = "so-a"

[review]
min_score = 50.0
"""

SCORES = """\
Đơn vị,Tiêu chí 1,Tiêu chí 2,Điểm cộng,Điểm trừ
Sở Công Thương,40,45,1,0
Sở Tài chính,41,44,0,0.5
Sở Xây dựng,39,42,0,0
Sở Y tế,38,47,0,0
Quận 1,45,45,2,0
Quận 3,44,43,0,1
Xã Tân An,40,40,0,0
Xã Tân Ân,41,41,0,0
"""

BASE_PLAN = loads(PLAN)
DISPATCH_TEXT = render_text(BASE_PLAN)
DISPATCH_MARKDOWN = render_markdown(BASE_PLAN)


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    render_docx(BASE_PLAN).save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in SCORES.splitlines():
        sheet.append([float(cell) if cell[:1].isdigit() else cell for cell in line.split(",")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DOCX = _docx_bytes()
XLSX = _xlsx_bytes()

# What a careless hand or a hostile file puts into text.
SNIPPETS = [
    "nan",
    "inf",
    "-1",
    "0",
    "-0.0",
    "2147483648",
    "4611686018427387904",
    "1e400",
    "\x1b[31m",
    "\\u001b[2J",
    "\\n",
    "\u202e",
    "\x00",
    "\r",
    "\t",
    '"',
    "'''",
    '"""',
    "[",
    "]]",
    "[[units]]\n",
    "[rules]\n",
    "[" * 300,
    "{a = " * 80,
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "1979-05-27T07:32:00",
    "0000-01-01",
    "Xã Tân Ân",
    "Xa Tan An",
    "so-a",
    "quan-1",
    ",",
    ";",
    "\n",
    "Khối trưởng: Sở Y tế\n",
    "Cụm thi đua số 9 gồm: " + ", ".join(f"Xã {i}" for i in range(300)) + "\n",
    "Thànhphố" * 50,
    "năm 0",
    "năm 0000",
    "năm 99999",
    "\ufeff",
    "́",  # a lone combining acute
]


# TOML values a careless hand or a hostile file puts after a key.
VALUES = [
    "nan",
    "-inf",
    "-1",
    "0",
    "2147483648",
    "4611686018427387904",
    "1.5",
    "true",
    '""',
    '"  "',
    '"\\u001b[2J"',
    '"a\\nKhối trưởng: Sở Y tế"',
    '"\\u202e"',
    '"=1+2"',
    "1979-05-27T07:32:00",
    "2026-02-30",
    "[]",
    "{}",
    '["so-a", "so-a"]',
    '[["quan-1", "quan-1"]]',
    '["so-a", "nobody"]',
    '"nobody"',
    '"Xã Tân Ân"',
    "[" * 600 + "]" * 600,
    '"' + "x" * 5000 + '"',
]


@st.composite
def mutated_text(draw: st.DrawFn, base: str) -> str:
    """`base` with a few edits: characters dropped, snippets inserted, lines moved."""
    text = base
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(
            st.sampled_from(["value", "value", "insert", "delete", "replace", "line", "truncate"])
        )
        lines = text.splitlines(keepends=True)
        assignments = [index for index, line in enumerate(lines) if " = " in line]
        if action == "value" and assignments:
            index = draw(st.sampled_from(assignments))
            key = lines[index].split(" = ", 1)[0]
            lines[index] = f"{key} = {draw(st.sampled_from(VALUES))}\n"
            text = "".join(lines)
        elif action == "insert":
            snippet = draw(st.sampled_from(SNIPPETS) | st.text(max_size=8))
            text = text[:position] + snippet + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)) :]
        elif action == "replace":
            snippet = draw(st.sampled_from(SNIPPETS))
            text = text[:position] + snippet + text[position + len(snippet) :]
        elif action == "line":
            if lines:
                index = draw(st.integers(0, len(lines) - 1))
                moved = lines.pop(index)
                lines.insert(draw(st.integers(0, len(lines))), moved * draw(st.integers(0, 2)))
                text = "".join(lines)
        else:
            text = text[:position]
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, base: bytes) -> bytes:
    """`base` with bytes flipped, cut out or truncated: a damaged Office file."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "cut", "truncate", "insert"]))
        if action == "flip" and data:
            data[position] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 64))]
        elif action == "truncate":
            del data[position:]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


class Hang(Exception):
    """An example ran past its alarm."""


@contextlib.contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Fail an example that runs longer than `seconds` (a hang), from the main thread."""

    def ring(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def digest(paths: list[Path]) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str], inputs: list[Path]) -> None:
    """Run one command; check its exit code, its stderr and that its inputs are unchanged."""
    before = digest(inputs)
    with alarm(30):
        code = main(argv)
    _out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 2:
        assert err.startswith("thidua: "), (argv, err)
        assert err.count("\n") == 1, (argv, err)
    assert digest(inputs) == before, f"{argv} changed an input"


def library(call: Callable[[], object]) -> None:
    """A library call returns, or raises a ThiduaError, and never runs on."""
    with alarm(30), contextlib.suppress(ThiduaError):
        call()


def fuzz(examples: int) -> settings:
    """Settings for a fuzzing test: its own example count, no deadline (an alarm instead)."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


@fuzz(120)
@given(text=mutated_text(PLAN))
def test_mutated_plans_at_the_library(text: str) -> None:
    """A plan that loads is written back without loss, in a new file and in its own layout,
    and the rules, the documents and the review take it."""
    try:
        with alarm(30):
            plan = loads(text, source="p.toml")
    except ThiduaError:
        return
    assert loads(dumps(plan)) == plan
    assert loads(dumps(plan, text)) == plan
    library(lambda: validate(plan, include_soft=True))
    library(lambda: render_text(plan))
    library(lambda: render_docx(plan).save(io.BytesIO()))
    from thidua.documents.scores import _csv_rows

    def review_it() -> None:
        sheet = parse_scores(_csv_rows(SCORES), plan, source="s.csv", rows_are_lines=True)
        review_csv(plan, review(plan, sheet, ()))

    library(review_it)


@fuzz(60)
@given(text=mutated_text(PLAN), command=st.sampled_from(["validate", "show", "export", "diff"]))
def test_mutated_plans_at_the_commands(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    text: str,
    command: str,
) -> None:
    directory = tmp_path_factory.mktemp("plan")
    plan = write(directory, "p.toml", text)
    good = write(directory, "good.toml", PLAN.replace("year = 2026", "year = 2025"))
    argv = {
        "validate": ["validate", str(plan), "--previous", str(good)],
        "show": ["show", str(plan), "--format", "json"],
        "export": ["export", str(plan), "-o", str(directory / "d.docx")],
        "diff": ["diff", str(good), str(plan)],
    }[command]
    run_cli(capsys, argv, [plan, good])


@fuzz(40)
@given(text=mutated_text(PLAN), scores=mutated_text(SCORES))
def test_mutated_plans_and_sheets_at_review(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    text: str,
    scores: str,
) -> None:
    directory = tmp_path_factory.mktemp("review")
    plan = write(directory, "p.toml", text)
    sheet = write(directory, "s.csv", scores)
    for output_format in ("text", "csv"):
        argv = ["review", str(plan), str(sheet), "--format", output_format]
        run_cli(capsys, [*argv, "-o", str(directory / "next.toml")], [plan, sheet])


@fuzz(100)
@given(scores=mutated_text(SCORES))
def test_mutated_sheets_at_the_library(scores: str) -> None:
    from thidua.documents.scores import _csv_rows

    library(lambda: parse_scores(_csv_rows(scores), BASE_PLAN, source="s.csv", rows_are_lines=True))


@fuzz(40)
@given(data=mutated_bytes(XLSX))
def test_mutated_xlsx_at_review(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    directory = tmp_path_factory.mktemp("xlsx")
    plan = write(directory, "p.toml", PLAN)
    sheet = write(directory, "s.xlsx", data)
    library(lambda: read_scores(sheet, BASE_PLAN))
    run_cli(capsys, ["review", str(plan), str(sheet)], [plan, sheet])


@fuzz(100)
@given(text=mutated_text(DISPATCH_TEXT) | mutated_text(DISPATCH_MARKDOWN))
def test_mutated_dispatches_at_the_library(text: str) -> None:
    library(lambda: parse_dispatch(text, keep_header=True))


@fuzz(50)
@given(
    text=mutated_text(DISPATCH_TEXT) | mutated_text(DISPATCH_MARKDOWN),
    suffix=st.sampled_from([".txt", ".md", ""]),
)
def test_mutated_dispatches_at_import(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    text: str,
    suffix: str,
) -> None:
    directory = tmp_path_factory.mktemp("dispatch")
    dispatch = write(directory, f"d{suffix}", text)
    output = directory / "plan.toml"
    run_cli(capsys, ["import", str(dispatch), "--keep-header", "-o", str(output)], [dispatch])
    if output.exists():  # what import writes, the other commands read
        run_cli(capsys, ["validate", str(output)], [output])
        run_cli(capsys, ["export", str(output), "--format", "txt"], [output])


@fuzz(40)
@given(data=mutated_bytes(DOCX))
def test_mutated_docx_at_import(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    directory = tmp_path_factory.mktemp("docx")
    dispatch = write(directory, "d.docx", data)
    run_cli(capsys, ["import", str(dispatch)], [dispatch])


@fuzz(15)
@given(text=mutated_text(PLAN))
def test_mutated_plans_at_solve(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    directory = tmp_path_factory.mktemp("solve")
    plan = write(directory, "p.toml", text)
    argv = ["solve", str(plan), "--time-limit", "2", "--workers", "1", "--format", "json"]
    run_cli(capsys, [*argv, "-o", str(directory / "out.toml")], [plan])


def test_the_unmutated_inputs_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bases the fuzzing mutates are good input: the suite tests damage, not a bad base."""
    plan = write(tmp_path, "p.toml", PLAN)
    sheet = write(tmp_path, "s.xlsx", XLSX)
    dispatch = write(tmp_path, "d.docx", DOCX)
    assert main(["validate", str(plan)]) == 0
    assert main(["review", str(plan), str(sheet)]) == 0
    assert main(["import", str(dispatch), "-o", str(tmp_path / "back.toml")]) == 0
    assert parse_dispatch(DISPATCH_TEXT).plan.groups
    capsys.readouterr()


# A few runs as a user runs them: a separate interpreter, its real stderr and exit code.
SUBPROCESS_CASES = {
    "deep": ("validate", "x = " + "[" * 600 + "]" * 600),
    "escape": ("show", PLAN.replace("Quận 1", "Quận 1\\u001b[2J")),
    "nan": ("validate", PLAN.replace("min_score = 50.0", "min_score = nan")),
    "truncated": ("export", PLAN[: len(PLAN) // 2]),
}


@pytest.mark.parametrize(("command", "text"), SUBPROCESS_CASES.values(), ids=SUBPROCESS_CASES)
def test_bad_plans_in_a_real_process(tmp_path: Path, command: str, text: str) -> None:
    plan = write(tmp_path, "p.toml", text)
    done = subprocess.run(
        [sys.executable, "-m", "thidua", command, str(plan)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "\x1b" not in done.stdout + done.stderr
