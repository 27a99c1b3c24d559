"""Shared fixtures: the bundled examples, and Hypothesis profiles (dev by default, ci in CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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


@pytest.fixture(scope="session")
def plan_2013() -> Plan:
    """The 2013 dispatch, transcribed: 74 units, 5 blocks, 4 clusters."""
    return load(EXAMPLES / "hcmc-2013.toml")
