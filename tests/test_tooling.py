"""The development tools: pinned exactly, the same in the `test` extra and dependency group."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_test_extra_pins_every_tool_exactly() -> None:
    extra = PYPROJECT["project"]["optional-dependencies"]["test"]
    assert extra
    assert [
        pin for pin in extra if not re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", pin)
    ] == []


def test_the_test_group_is_the_test_extra() -> None:
    """`pip install -e '.[test]'` (the README) and `pip install --group test` install the same."""
    groups = PYPROJECT["dependency-groups"]
    assert groups["test"] == PYPROJECT["project"]["optional-dependencies"]["test"]
    assert {"include-group": "test"} in groups["dev"]


def test_ci_runs_the_readme_test_command_as_written() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"
    assert command in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci
