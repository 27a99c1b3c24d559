"""Every command speaks one language: `--lang vi` Vietnamese only, `--lang en` English only.

Names are data and keep their language (units, staff, groups, titles, award names, file
paths); rule ids are identifiers. Both are taken out before the words are checked: in
Vietnamese, no common English word of our outputs may remain; in English, no letter with a
Vietnamese diacritic.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import attrs
import pytest

from conftest import DATA, EXAMPLES
from thidua.cli import build_parser, main
from thidua.files import load, save
from thidua.model import Pin, Plan
from thidua.rules import RULES

DRAFT = EXAMPLES / "hcmc-2014-draft.toml"
PLAN_2013 = EXAMPLES / "hcmc-2013.toml"
SCORES = EXAMPLES / "scores-2013.csv"
SEED = DATA / "seeds" / "hcmc-1991-VP-THKH-2013.txt"

# Words our English outputs use that Vietnamese never does (short words such as "to", "in"
# or "no", which are also Vietnamese words, are left out).
ENGLISH = {
    "added", "against", "alternative", "and", "available", "bonus", "bound", "changes",
    "chair", "chaired", "cluster", "criteria", "deputy", "draft", "every", "feasible", "gap",
    "group", "groups", "holds", "leader", "leading", "load", "member", "members", "minimum",
    "moved", "none", "not", "note", "notes", "of", "officer", "ok", "optimal", "penalty",
    "pinned", "plan", "proposed", "proven", "rank", "ranked", "removed", "review", "role",
    "rule", "rules", "saved", "score", "scores", "spread", "staff", "the", "total", "unit",
    "units", "use", "violation", "violations", "warning", "weight", "why", "with",
}  # fmt: skip


def data_of(plans: Iterable[Plan]) -> list[str]:
    """The names a plan holds, longest first so that "Quận 10" goes before "Quận 1"."""
    names: set[str | None] = set()
    for plan in plans:
        names |= {plan.title, plan.reference}
        names |= {unit.name for unit in plan.units} | {group.name for group in plan.groups}
        names |= {person.name for person in plan.staff} | {p.title for p in plan.staff}
        names |= {award.name for award in plan.review.awards}
        names |= {tag for unit in plan.units for tag in unit.tags}
    names |= {rule.id for rule in RULES}
    return sorted((name for name in names if name is not None and name), key=len, reverse=True)


def without_data(text: str, data: list[str], paths: Iterable[Path]) -> str:
    for path in paths:
        text = text.replace(str(path), " ")
    for name in data:
        text = text.replace(name, " ")
    return text


def english_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in ENGLISH}


def vietnamese_letters(text: str) -> set[str]:
    """Letters with a diacritic (or đ): none belongs in English text."""
    return {
        char
        for char in text
        if char in "đĐ"
        or (
            char.isalpha()
            and any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", char))
        )
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def commands(tmp_path: Path) -> dict[str, list[str]]:
    # Groups of at most 5: the 2013 units cannot fit, and counting says why.
    cramped = attrs.evolve(
        load(PLAN_2013), rules=attrs.evolve(load(PLAN_2013).rules, group_size=(1, 5))
    )
    save(cramped, tmp_path / "cramped.toml")
    # A pin against a unit's kind: the solver's core names the rules and the pin in conflict.
    pinned = attrs.evolve(load(DRAFT), pins=(Pin.unit_in("quan-1", "khoi-1"),))
    save(pinned, tmp_path / "pinned.toml")
    return {
        "validate-ok": ["validate", str(PLAN_2013)],
        "validate-broken": ["validate", str(DRAFT), "--previous", str(PLAN_2013)],
        "solve": ["solve", str(DRAFT), "--previous", str(PLAN_2013), "--alternatives", "1", "-o", str(tmp_path / "out.toml")],
        "solve-cramped": ["solve", str(tmp_path / "cramped.toml")],
        "solve-pinned": ["solve", str(tmp_path / "pinned.toml"), "--previous", str(PLAN_2013)],
        "show": ["show", str(DRAFT)],
        "diff": ["diff", str(PLAN_2013), str(DRAFT)],
        "review": ["review", str(PLAN_2013), str(SCORES)],
        "import": ["import", str(SEED), "-o", str(tmp_path / "seed.toml")],
        "export-warning": ["export", str(DRAFT), "-o", str(tmp_path / "draft.md")],
    }  # fmt: skip


CASES = [
    "validate-ok",
    "validate-broken",
    "solve",
    "solve-cramped",
    "solve-pinned",
    "show",
    "diff",
    "review",
    "import",
    "export-warning",
]


@pytest.mark.parametrize("case", CASES)
def test_vietnamese_only(capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str) -> None:
    argv = commands(tmp_path)[case]
    _, out = run(capsys, *argv, "--lang", "vi")
    assert out.strip()
    plans = [load(DRAFT), load(PLAN_2013)]
    text = without_data(out, data_of(plans), [Path(a) for a in argv if "/" in a])
    assert english_words(text) == set(), out
    assert vietnamese_letters(text), "the output says nothing in Vietnamese"


@pytest.mark.parametrize("case", CASES)
def test_english_only(capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str) -> None:
    argv = commands(tmp_path)[case]
    _, out = run(capsys, *argv, "--lang", "en")
    assert out.strip()
    plans = [load(DRAFT), load(PLAN_2013)]
    text = without_data(out, data_of(plans), [Path(a) for a in argv if "/" in a])
    assert vietnamese_letters(text) == set(), out
    assert english_words(text), "the output says nothing in English"


def test_the_option_goes_before_or_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    _, after = run(capsys, "validate", str(PLAN_2013), "--lang", "vi")
    _, before = run(capsys, "--lang", "vi", "validate", str(PLAN_2013))
    assert after == before
    assert "hợp lệ" in after


def test_the_environment_chooses_when_the_option_is_absent(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THIDUA_LANG", "vi")
    _, out = run(capsys, "validate", str(PLAN_2013))
    assert "hợp lệ" in out
    _, out = run(capsys, "validate", str(PLAN_2013), "--lang", "en")
    assert "every rule holds" in out


def test_usage_errors_and_help_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "solve", "--lang", "vi")
    assert code == 2
    assert out == "thidua solve: lỗi: thiếu các tham số bắt buộc: PLAN\n"
    code, out = run(capsys, "solve", "--lang", "en")
    assert out == "thidua solve: error: the following arguments are required: PLAN\n"
    assert main(["validate", "--help", "--lang", "vi"]) == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith("cách dùng: thidua validate")
    assert "hiện trợ giúp này rồi thoát" in help_text
    assert main(["--lang", "vi", "--help"]) == 0
    assert "kiểm tra phương án theo mọi quy định" in capsys.readouterr().out


def test_a_dispatch_is_vietnamese_whatever_the_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The công văn is the legal document, in Vietnamese; only the messages around it follow."""
    _, vietnamese = run(capsys, "export", str(PLAN_2013), "--lang", "vi")
    _, english = run(capsys, "export", str(PLAN_2013), "--lang", "en")
    assert vietnamese == english
    assert "Khối trưởng" in english
    assert "Cụm trưởng" in english


def _command_names() -> list[str]:
    """Every subcommand, as registered (a new one is checked without being listed here)."""
    parser = build_parser()
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(found[0].choices)


@pytest.mark.parametrize("command", [*_command_names(), None])
def test_help_in_vietnamese(capsys: pytest.CaptureFixture[str], command: str | None) -> None:
    assert main([*filter(None, [command]), "--help", "--lang", "vi"]) == 0
    text = capsys.readouterr().out
    # Commands, options, metavars, choices, file formats, TOML keys: identifiers, taken out.
    identifiers = (
        r"(?m)thidua \w+|^ {4}[a-z]+\b|--?[a-z-]+|\{[^}]*\}|\b[A-Z]+\b"
        r"|\b(?:md|txt|docx|csv|xlsx)\b|\[\w+\]|\w+\.\w+"
    )
    words = re.sub(identifiers, " ", text)
    assert english_words(words) == set(), text
    assert "tùy chọn:" in text


# Broken plan files: each load error is one line in the chosen language. Keys, section headers
# and ids in the file are identifiers and print as they are.
UNIT = '[[units]]\nid = "quan-1"\nname = "Quận 1"\nkind = "district"\n'
BROKEN = {
    "unknown-key": ("year = 2025\ncolour = 'red'\n", "unknown key 'colour'"),
    "missing-field": ('year = 2025\n[[units]]\nid = "quan-1"\n', "missing field 'name'"),
    "wrong-type": ("year = '2025'\n", "year: expected an integer, got the string '2025'"),
    "wrong-type-int": (
        'year = 2025\n[[units]]\nid = 5\nname = "Quận 1"\nkind = "district"\n',
        "expected a string, got int 5",
    ),
    "unknown-unit": (
        f'year = 2025\n{UNIT}[[groups]]\nid = "cum-1"\nname = "Cụm 1"\nkind = "district"\n'
        'members = ["quan-1", "quan-9"]\n',
        "unknown unit 'quan-9' in members",
    ),
    "negative-limit": (
        'year = 2025\n[[staff]]\nid = "an"\nname = "An"\nrole = "officer"\nmax_groups = -1\n',
        "max_groups must be between 0 and",
    ),
    "negative-border": (
        f'year = 2025\nborders = [["quan-1", "quan-2", -1.5]]\n{UNIT}',
        "a border's length must be 0 or more, not -1.5",
    ),
}
# English words of load errors, besides those above; "int" is TOML's type as Python names it.
LOAD_ENGLISH = ENGLISH | {
    "unknown", "key", "field", "missing", "expected", "got", "integer", "string", "int",
    "must", "between", "more", "length", "border", "array", "table", "than",
}  # fmt: skip
IDENTIFIERS = re.compile(r"\[\[?\w+\]\]?|'[^']*'|\b(?:year|members|max_groups|id|borders)\b")


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_plan_file_is_one_line_in_either_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    text, english = BROKEN[case]
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    code, out = run(capsys, "validate", str(path), "--lang", "en")
    assert code == 2
    assert out.count("\n") == 1, out
    assert english in out, out
    assert out.startswith(f"thidua: {path}:"), out
    code, out = run(capsys, "validate", str(path), "--lang", "vi")
    assert code == 2
    assert out.count("\n") == 1, out
    assert english not in out, out
    assert out.startswith(f"thidua: {path}:"), out
    words = IDENTIFIERS.sub(" ", out.replace(str(path), " ").replace("thidua:", " "))
    assert {w for w in re.findall(r"[A-Za-z]+", words) if w.lower() in LOAD_ENGLISH} == set(), out
    assert vietnamese_letters(words), out
