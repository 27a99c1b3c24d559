"""thidua.search: finding units, groups and people without typing diacritics."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from strategies import plans
from thidua.model import Group, Plan, Staff, Unit
from thidua.search import Found, Kind, SearchIndex, search
from thidua.text import fold


def names(found: list[Found]) -> list[str]:
    return [item.name for item in found]


def test_tan_binh_finds_tan_binh_first(plan_2013: Plan) -> None:
    found = search(plan_2013, "tan binh")
    assert names(found) == ["Quận Tân Bình", "Quận Bình Tân"]
    assert found[0].kind is Kind.UNIT
    assert found[0].id == "quan-tan-binh"


def test_case_and_diacritics_and_spacing_do_not_matter(plan_2013: Plan) -> None:
    expected = names(search(plan_2013, "tan binh"))
    for query in ("TÂN BÌNH", "  Tan   Binh ", unicodedata.normalize("NFD", "tân bình")):
        assert names(search(plan_2013, query)) == expected


def test_d_with_stroke_matches_d(plan_2013: Plan) -> None:
    assert "Ban Quản lý Đường sắt đô thị" in names(search(plan_2013, "duong sat"))


def test_exact_names_rank_first(plan_2013: Plan) -> None:
    assert names(search(plan_2013, "quan 1"))[:2] == ["Quận 1", "Quận 10"]


def test_groups_people_and_ids_are_found(plan_2013: Plan) -> None:
    first = search(plan_2013, "khoi 3")[0]
    assert (first.kind, first.id) == (Kind.GROUP, "khoi-3")
    assert [(f.kind, f.id) for f in search(plan_2013, "lien")] == [(Kind.STAFF, "ngo-kim-lien")]
    assert search(plan_2013, "cuc-thue")[0].id == "cuc-thue"


def test_every_word_must_match(plan_2013: Plan) -> None:
    assert search(plan_2013, "tan binh xyz") == []
    assert search(plan_2013, "   ") == []


def test_limit(plan_2013: Plan) -> None:
    assert len(search(plan_2013, "quan", limit=3)) == 3
    assert len(search(plan_2013, "quan", limit=None)) > 3


@given(plans(), st.data())
def test_every_name_finds_itself_folded(plan: Plan, data: st.DataObject) -> None:
    things: list[Unit | Group | Staff] = [*plan.units, *plan.groups, *plan.staff]
    if not things or not any(fold(thing.name) for thing in things):
        return
    thing = data.draw(st.sampled_from([t for t in things if fold(t.name)]))
    found = SearchIndex(plan).search(fold(thing.name), limit=None)
    assert thing.id in {item.id for item in found}
