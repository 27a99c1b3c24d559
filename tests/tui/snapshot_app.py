"""The app as the snapshot tests see it: the 2013 example (this year), or the same groups as
the 2014 draft with 2013 as the previous plan, at a fixed terminal size."""

from __future__ import annotations

from pathlib import Path

import attrs

from thidua.files import load
from thidua_tui.app import ThiduaApp

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hcmc-2013.toml"
TERMINAL = (120, 36)


def example_app(language: str = "vi") -> ThiduaApp:
    return ThiduaApp(load(EXAMPLE), EXAMPLE, language=language)


def draft_2014_app() -> ThiduaApp:
    last = load(EXAMPLE)
    return ThiduaApp(attrs.evolve(last, year=2014), EXAMPLE.with_name("hcmc-2014.toml"), (last,))
