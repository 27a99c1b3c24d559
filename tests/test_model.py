"""The model: slugs, NFC names, pins, lookups, the graph view and the diff."""

from __future__ import annotations

import attrs
import pytest

from thidua.diff import diff
from thidua.graph import to_graph
from thidua.model import Group, Pin, PinKind, Plan, Role, Staff, Unit
from thidua.text import fold, slugify


def test_slugify_and_fold_handle_vietnamese() -> None:
    assert slugify("Sở Công Thương") == "so-cong-thuong"
    assert slugify("Đài Truyền hình thành phố") == "dai-truyen-hinh-thanh-pho"
    assert fold("Quận  TÂN Bình") == "quan tan binh"


@pytest.mark.parametrize("bad", ["Quận 1", "a b", "", "-a", "A"])
def test_ids_must_be_ascii_slugs(bad: str) -> None:
    with pytest.raises(ValueError, match="slug"):
        Unit(bad, "x", "district")


def test_a_pin_names_exactly_one_subject() -> None:
    assert Pin.chair_of("quan-3", "cum-1").kind is PinKind.CHAIR
    assert Pin.staff_on("ngo-kim-lien", "khoi-1").subject == "ngo-kim-lien"
    with pytest.raises(ValueError, match="exactly one"):
        Pin(group="cum-1")
    with pytest.raises(ValueError, match="exactly one"):
        Pin(group="cum-1", unit="a", chair="a")


def test_lookups_and_workload(plan_2013: Plan) -> None:
    assert plan_2013.group_of("quan-3") == "cum-1"
    assert plan_2013.workload("vo-thi-thanh-kieu") == ("khoi-4", "khoi-5")
    person = plan_2013.staff_by_id["mai-huu-quyet"]
    assert plan_2013.max_groups(person) == 2
    assert plan_2013.max_groups(attrs.evolve(person, max_groups=1)) == 1


def test_graph_view_types_nodes_and_edges(plan_2013: Plan) -> None:
    graph = to_graph(plan_2013)
    kinds = [data["kind"] for _, data in graph.nodes(data=True)]
    assert (kinds.count("unit"), kinds.count("group"), kinds.count("staff")) == (74, 9, 11)
    roles = [key for _, _, key in graph.edges(keys=True)]
    assert roles.count("member") == 74
    assert roles.count("chair") == roles.count("leader") == roles.count("officer") == 9
    assert graph.has_edge("unit:quan-3", "group:cum-1", key="chair")
    assert graph.has_edge("staff:lam-van-ba", "group:cum-1", key="leader")


def test_diff_of_a_plan_with_itself_is_empty(plan_2013: Plan) -> None:
    assert diff(plan_2013, plan_2013).empty


def test_diff_names_added_removed_and_changed() -> None:
    a = Plan(
        year=1,
        units=[Unit("x", "X", "k"), Unit("y", "Y", "k")],
        staff=[Staff("s", "S", Role.LEADER), Staff("t", "T", Role.LEADER)],
        groups=[Group("g", "G", "k", ("x", "y"), leader="s")],
    )
    b = attrs.evolve(
        a,
        units=[Unit("x", "X", "k"), Unit("z", "Z", "k")],
        groups=[Group("g", "G", "k", ("z",), leader="t"), Group("h", "H", "k", ("x",))],
    )
    change = diff(a, b)
    assert [(m.unit, m.before, m.after) for m in change.moves] == [("x", "g", "h")]
    assert change.units_added == ("z",)
    assert change.units_removed == ("y",)
    assert change.groups_added == ("h",)
    assert [(c.group, c.role, c.before, c.after) for c in change.changes] == [
        ("g", "leader", "s", "t")
    ]
