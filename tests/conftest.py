"""Shared fixtures: the bundled examples, and Hypothesis profiles (dev by default, ci in CI)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from thidua import i18n
from thidua.files import load
from thidua.model import Plan

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# The seed dispatch (a public administrative document) and other source data the tests read.
DATA = ROOT / "tests" / "data"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read English unless they ask for Vietnamese (`--lang vi`, `i18n.set_language`),
    whatever the machine's locale; each test starts afresh."""
    monkeypatch.setenv("THIDUA_LANG", "en")
    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture
def vietnamese(english: None) -> None:
    """For a test that reads the Vietnamese the core writes (after `english` has run)."""
    i18n.set_language("vi")


@pytest.fixture(scope="session")
def plan_2013() -> Plan:
    """The 2013 dispatch, transcribed: 74 units, 5 blocks, 4 clusters."""
    return load(EXAMPLES / "hcmc-2013.toml")
