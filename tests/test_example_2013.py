"""The 2013 example against the seed dispatch: unit for unit, chair for chair, person for person."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import DATA
from thidua.model import Plan, Role
from thidua.rules import validate

SEED = DATA / "seeds" / "hcmc-1991-VP-THKH-2013.txt"


def squash(text: str) -> str:
    """The text without spaces: the seed lost some spaces where lines were joined."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def dispatch() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text[: text.index("BÁO CÁO")]


def test_shape_matches_the_document(plan_2013: Plan) -> None:
    assert plan_2013.year == 2013
    assert plan_2013.reference == "1991/VP-THKH"
    assert str(plan_2013.issued) == "2013-03-22"
    assert [g.name for g in plan_2013.groups] == [
        *(f"Khối {i}" for i in range(1, 6)),
        *(f"Cụm {i}" for i in range(1, 5)),
    ]
    assert [len(g.members) for g in plan_2013.groups] == [11, 10, 11, 10, 8, 6, 7, 6, 5]
    assert len(plan_2013.units) == 74
    roles = Counter(person.role for person in plan_2013.staff)
    assert roles == {Role.LEADER: 6, Role.OFFICER: 5}
    leader_loads = sorted(
        len(plan_2013.workload(p.id)) for p in plan_2013.staff if p.role is Role.LEADER
    )
    officer_loads = sorted(
        len(plan_2013.workload(p.id)) for p in plan_2013.staff if p.role is Role.OFFICER
    )
    assert leader_loads == [1, 1, 1, 2, 2, 2]
    assert officer_loads == [1, 2, 2, 2, 2]


def test_example_validates_clean(plan_2013: Plan) -> None:
    assert validate(plan_2013) == ()


def test_every_member_list_is_the_documents(plan_2013: Plan, dispatch: str) -> None:
    text = squash(dispatch)
    for group in plan_2013.groups:
        names = [plan_2013.unit_by_id[m].name for m in group.members]
        if group.kind == "department":
            listed = squash(", ".join(names)) + "."
        else:
            # "các quận: 1, 3, 5, 10, 11, Tân Bình." lists districts without the word "Quận".
            listed = squash(", ".join(n.split(" ", 1)[1] for n in names)) + "."
        assert f"{squash(group.name)}:" in text
        section = text[text.index(f"{squash(group.name)}:") :]
        assert section.split("-Lãnhđạo")[0].endswith(listed), group.name


def test_every_person_and_chair_is_the_documents(plan_2013: Plan, dispatch: str) -> None:
    text = squash(dispatch)
    for group in plan_2013.groups:
        start = text.index(f"{squash(group.name)}:")
        section = text[start : start + 1200]
        assert group.leader is not None
        assert group.officer is not None
        assert group.chair is not None
        leader = plan_2013.staff_by_id[group.leader]
        officer = plan_2013.staff_by_id[group.officer]
        assert (
            f"Lãnhđạophụtrách:Đồngchí{squash(leader.name)},{squash(leader.title or '')}" in section
        )
        assert f"theodõi:Đồngchí{squash(officer.name)},{squash(officer.title or '')}" in section
        chair = plan_2013.unit_by_id[group.chair].name
        start = section.index("Khốitrưởng:ChánhVănphòng") + len("Khốitrưởng:ChánhVănphòng")
        chair_line = section[start:].split(".")[0].lower()  # "ủybannhândânquận3"
        assert chair_line.endswith(squash(chair).lower()), (group.name, chair_line)
        assert len(chair_line) - len(squash(chair)) in (0, len("ủybannhândân"))
