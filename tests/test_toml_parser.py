"""Plan files parse with tomli (compiled) exactly as with the standard library's tomllib.

`thidua.files.reading` parses with tomli for speed; tomllib is the reference. On every
example, on plans as thidua writes them, and on damaged plan text (the fuzzing suite's
mutations), both give the same data, or the same error message (whose line the file error
names), or both give up on nesting.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from strategies import plans
from test_fuzz import PLAN, SNIPPETS, mutated_text
from thidua.files import dumps
from thidua.model import Plan

Outcome = tuple[str, object]


def outcome(parse: object, text: str) -> Outcome:
    assert callable(parse)
    try:
        # repr: nan equals itself there, and 1 differs from 1.0.
        return ("data", repr(parse(text)))
    except RecursionError:
        return ("too deep", None)
    except (tomllib.TOMLDecodeError, tomli.TOMLDecodeError) as error:
        return ("error", str(error))


def same(text: str) -> None:
    assert outcome(tomli.loads, text) == outcome(tomllib.loads, text)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_examples_parse_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert outcome(tomli.loads, text)[0] == "data"
    same(text)


@given(plans())
def test_written_plans_parse_alike(plan: Plan) -> None:
    same(dumps(plan))


@settings(max_examples=300)
@given(mutated_text(PLAN))
def test_damaged_plans_parse_alike(text: str) -> None:
    same(text)


@given(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=4), st.text(max_size=20))
def test_snippets_parse_alike(snippets: list[str], extra: str) -> None:
    same("x = " + "".join(snippets) + extra)
    same("".join(snippets) + "\n" + extra)


@pytest.mark.parametrize("depth", [50, 400, 5_000, 100_000])
def test_nesting_parses_alike_or_gives_up(depth: int) -> None:
    """Nesting: the same data, unless a parser gives up first (tomllib, in pure Python, spends
    more of the interpreter's stack per level): never other data, never a crash."""
    for text in ("x = " + "[" * depth + "]" * depth, "x = " + "{a = " * depth + "1" + "}" * depth):
        fast, reference = outcome(tomli.loads, text), outcome(tomllib.loads, text)
        assert fast == reference or "too deep" in (fast[0], reference[0])
        if depth <= 50:
            assert fast == reference == ("data", repr(tomllib.loads(text)))
