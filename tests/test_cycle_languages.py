"""The cycle's commands speak one language: --lang vi Vietnamese only, --lang en English only
(names, award names and paths are data, taken out first, as in test_languages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES
from test_languages import data_of, english_words, run, vietnamese_letters, without_data
from thidua.files import load

PLAN_2012 = EXAMPLES / "hcmc-2012.toml"
PLAN_2013 = EXAMPLES / "hcmc-2013.toml"
BALLOTS = EXAMPLES / "ballots-2013.csv"


def commands(tmp_path: Path) -> dict[str, list[str]]:
    return {
        "ballot": ["ballot", str(PLAN_2013), str(BALLOTS)],
        "history": ["history", str(PLAN_2013), "--previous", str(PLAN_2012)],
        "template": ["review", str(PLAN_2013), "--template", "-o", str(tmp_path / "s.xlsx")],
        "bad-template": ["review", str(PLAN_2013), "--template"],
        "bad-document": ["document", "covenant", str(PLAN_2013), "--group", "cum-9"],
    }


CASES = ["ballot", "history", "template", "bad-template", "bad-document"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_one_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str, lang: str
) -> None:
    argv = commands(tmp_path)[case]
    _, out = run(capsys, *argv, "--lang", lang)
    assert out.strip()
    plans = [load(PLAN_2012), load(PLAN_2013)]
    data = [*data_of(plans), "Cờ thi đua xuất sắc của Ủy ban nhân dân thành phố", "Cờ thi đua"]
    text = without_data(
        out, sorted(data, key=len, reverse=True), [Path(a) for a in argv if "/" in a]
    )
    if lang == "vi":
        assert english_words(text) == set(), out
        assert vietnamese_letters(text), out
    else:
        assert vietnamese_letters(text) == set(), out
        assert english_words(text), out
