"""Fixtures for the interface's tests: the 2013 example as this year and as last year, apps
built on them, and a stand-in solver for tests that need its timing under control."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from thidua import solver
from thidua.files import load
from thidua.model import Plan
from thidua.solver import SolveResult
from thidua_tui.app import ThiduaApp
from tui.helpers import EXAMPLE, FakeSolver


@pytest.fixture(autouse=True)
def autosave_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Autosaves of every test go to a folder of its own, never to the user's state folder."""
    folder = tmp_path / "autosave"
    monkeypatch.setenv("THIDUA_AUTOSAVE_DIR", str(folder))
    return folder


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the 2013 example that tests may overwrite."""
    path = tmp_path / "hcmc-2013.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def plan_2014() -> Plan:
    """The 2013 groups as the draft of 2014 (moves and rotation count against 2013)."""
    return attrs.evolve(load(EXAMPLE), year=2014)


@pytest.fixture(scope="session")
def last_year() -> Plan:
    return load(EXAMPLE)


@pytest.fixture
def app(example: Path) -> ThiduaApp:
    """The app on the 2013 example, as `thidua tui examples/hcmc-2013.toml` opens it."""
    return ThiduaApp(load(example), example)


@pytest.fixture
def app_2014(plan_2014: Plan, last_year: Plan, tmp_path: Path) -> ThiduaApp:
    """The app on the 2014 draft, with 2013 as the previous plan."""
    return ThiduaApp(plan_2014, tmp_path / "hcmc-2014.toml", (last_year,))


@pytest.fixture
def draft_2014(tmp_path: Path) -> ThiduaApp:
    """`thidua tui examples/hcmc-2014-draft.toml --previous examples/hcmc-2013.toml`, on a
    copy of the draft: three new units in no group, 2013's chairs to rotate."""
    source = EXAMPLE.with_name("hcmc-2014-draft.toml")
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return ThiduaApp(load(path), path, (load(EXAMPLE),))


@pytest.fixture
def fake_solver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., FakeSolver]]:
    made: list[FakeSolver] = []

    def install(result: Callable[[Plan], SolveResult]) -> FakeSolver:
        fake = FakeSolver(result)
        monkeypatch.setattr(solver, "solve", fake)
        made.append(fake)
        return fake

    yield install
    for fake in made:
        fake.release.set()  # never leave a worker thread waiting


@pytest.fixture
def example_plan_en(example: Path) -> ThiduaApp:
    """The app on the 2013 example, in English (`--lang en`)."""
    return ThiduaApp(load(example), example, language="en")


@pytest.fixture(scope="session")
def scaled_plan() -> Plan:
    """The 2013 example forty times over: 2,960 units in 360 groups, with 440 people."""
    from tui.test_tui_browse import scale

    return scale(load(EXAMPLE), 40)
