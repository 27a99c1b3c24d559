"""One test per rule, driven by the registry: each rule has a plan that holds and one that breaks it.

A rule added to the registry without a case here fails `test_every_rule_has_cases`. On those
cases each entry is checked whole: its check, its encoding (the plan fixed in a model with
the rule alone), its wordings in both languages, its conflict wording, and its concerns.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from catalogue_reading import MarkingCatalogue, translated_ids
from strategies import valid_plans_with_previous
from thidua import cohesion, i18n
from thidua.model import (
    Border,
    Group,
    GroupResult,
    Pin,
    Plan,
    Role,
    RuleSettings,
    Staff,
    Succession,
    Unit,
)
from thidua.rules import (
    RULES,
    Concern,
    Fact,
    Rule,
    RuleContext,
    Violation,
    Wording,
    render,
    rule_by_id,
    validate,
)
from thidua.solver.encoding import Encoding, Scope, encode_rules

PREVIOUS_YEAR = 2012


def small() -> Plan:
    """Tiny and hand-checkable: a block of 3 departments, a cluster of 3 districts."""
    units = [Unit(f"a{i}", f"Sở {i}", "department") for i in (1, 2, 3)] + [
        Unit(f"d{i}", f"Quận {i}", "district") for i in (1, 2, 3)
    ]
    return Plan(
        year=2013,
        rules=RuleSettings(group_size=(2, 4)),
        units=units,
        staff=[
            Staff("l1", "Ngô Kim Liên", Role.LEADER),
            Staff("o1", "Nguyễn Tuấn", Role.OFFICER),
        ],
        groups=[
            Group("k1", "Khối 1", "department", ("a1", "a2", "a3"), "l1", "o1", chair="a1"),
            Group("c1", "Cụm 1", "district", ("d1", "d2", "d3"), "l1", "o1", chair="d1"),
        ],
    )


def previous() -> Plan:
    """Last year: a2 chaired Khối 1, d2 chaired Cụm 1, and a3 was Khối 1's deputy."""
    plan = small()
    groups = [
        attrs.evolve(plan.groups[0], chair="a2", deputy="a3"),
        attrs.evolve(plan.groups[1], chair="d2"),
    ]
    return attrs.evolve(
        plan,
        year=PREVIOUS_YEAR,
        groups=groups,
        results=[GroupResult("k1", leading_unit="a3"), GroupResult("c1", leading_unit="d3")],
    )


def edit_group(plan: Plan, group_id: str, **changes: Any) -> Plan:
    return plan.replace_group(attrs.evolve(plan.group_by_id[group_id], **changes))


def edit_rules(plan: Plan, **changes: Any) -> Plan:
    return attrs.evolve(plan, rules=attrs.evolve(plan.rules, **changes))


def edit_staff(plan: Plan, staff_id: str, **changes: Any) -> Plan:
    staff = tuple(attrs.evolve(s, **changes) if s.id == staff_id else s for s in plan.staff)
    return attrs.evolve(plan, staff=staff)


def tagged(plan: Plan, tags: dict[str, tuple[str, ...]], cohesion: tuple[str, ...]) -> Plan:
    """The plan with these units' tags, and these tags listed in `rules.cohesion_tags`."""
    units = tuple(attrs.evolve(u, tags=tags.get(u.id, u.tags)) for u in plan.units)
    return edit_rules(attrs.evolve(plan, units=units), cohesion_tags=cohesion)


def provinces(**overrides: tuple[str, ...]) -> Plan:
    """Departments of the former province "x", districts of "y" (or as `overrides` say)."""
    tags = {u: ("x",) for u in ("a1", "a2", "a3")} | {d: ("y",) for d in ("d1", "d2", "d3")}
    return tagged(small(), tags | overrides, ("x", "y"))


def bordered(*pairs: tuple[str, str]) -> Plan:
    """small() with these borders, 1.5 km each."""
    return attrs.evolve(small(), borders=[Border(first, second, 1.5) for first, second in pairs])


def districts(**tags: tuple[str, ...]) -> Plan:
    """small() with former district tags on these units, listed in `rules.district_tags`, and
    one border (the geography rules apply to plans with borders)."""
    plan = bordered(("a1", "a2"))
    units = tuple(attrs.evolve(u, tags=tags.get(u.id, u.tags)) for u in plan.units)
    listed = tuple(dict.fromkeys(tag for values in tags.values() for tag in values))
    return edit_rules(attrs.evolve(plan, units=units), district_tags=listed)


Case = tuple[Callable[[], Plan], Callable[[], Plan], set[str]]

# rule id -> (a plan where it holds, a plan where it breaks, ids the violation must name)
CASES: dict[str, Case] = {
    "unit-in-one-group": (
        small,
        lambda: edit_group(small(), "k1", members=("a1", "a2", "a3", "a1")),
        {"a1", "k1"},
    ),
    "group-kind": (
        small,
        lambda: edit_group(
            edit_group(small(), "c1", members=("d2", "d3"), chair="d2"),
            "k1",
            members=("a1", "a2", "a3", "d1"),
        ),
        {"d1", "k1"},
    ),
    "group-size": (small, lambda: edit_rules(small(), group_size=(4, 5)), {"k1"}),
    "chair-is-member": (small, lambda: edit_group(small(), "k1", chair="d1"), {"k1", "d1"}),
    "chair-rotation": (small, lambda: edit_group(small(), "k1", chair="a2"), {"k1", "a2"}),
    "deputy-is-member": (
        lambda: edit_group(
            edit_group(edit_rules(small(), deputy=True), "k1", deputy="a2"), "c1", deputy="d3"
        ),
        lambda: edit_group(
            edit_group(edit_rules(small(), deputy=True), "k1", deputy="a1"), "c1", deputy="d3"
        ),
        {"k1", "a1"},
    ),
    "one-leader": (small, lambda: edit_group(small(), "c1", leader="o1"), {"c1", "o1"}),
    "one-officer": (small, lambda: edit_group(small(), "c1", officer=None), {"c1"}),
    "leader-workload": (
        small,
        lambda: edit_rules(small(), leader_max_groups=1),
        {"l1", "k1", "c1"},
    ),
    "officer-workload": (
        small,
        lambda: edit_staff(small(), "o1", max_groups=1),
        {"o1", "k1", "c1"},
    ),
    "staff-available": (small, lambda: edit_staff(small(), "l1", available=False), {"l1", "k1"}),
    "pins-kept": (
        lambda: attrs.evolve(small(), pins=[Pin.unit_in("a1", "k1"), Pin.chair_of("d1", "c1")]),
        lambda: attrs.evolve(small(), pins=[Pin.staff_on("o1", "k1"), Pin.chair_of("d2", "c1")]),
        {"d2", "c1"},
    ),
    "chair-succession": (
        lambda: edit_group(
            edit_group(edit_rules(small(), succession=Succession.LEADING), "k1", chair="a3"),
            "c1",
            chair="d3",
        ),
        lambda: edit_rules(small(), succession=Succession.LEADING),
        {"k1"},
    ),
    # Soft rules: reported, never invalidating (see test_soft_rules_are_notes_not_violations).
    "tag-cohesion": (provinces, lambda: provinces(a3=("y", "urban")), {"k1", "a3"}),
    "neighbour-cohesion": (
        lambda: attrs.evolve(small(), neighbours=[("a1", "a2"), ("d3", "d1")]),
        lambda: attrs.evolve(small(), neighbours=[("a1", "a2"), ("a1", "d1")]),
        {"a1", "d1", "k1", "c1"},
    ),
    "district-whole": (
        lambda: districts(a1=("q1",), a2=("q1",)),
        lambda: districts(a1=("q1",), d1=("q1",)),
        {"q1", "k1", "c1"},
    ),
    "group-connected": (
        lambda: bordered(("a1", "a2"), ("a2", "a3")),
        lambda: bordered(("a1", "a2"), ("a3", "d1")),
        {"k1", "a3"},
    ),
    "border-inside": (
        lambda: bordered(("a1", "a2"), ("d1", "d2")),
        lambda: bordered(("a1", "a2"), ("a1", "d1")),
        {"k1", "c1"},
    ),
}


def rule_ids() -> list[str]:
    return [rule.id for rule in RULES]


def test_every_rule_has_cases() -> None:
    assert set(rule_ids()) <= set(CASES), (
        f"rules without a test case: {set(rule_ids()) - set(CASES)}"
    )


def test_contract_rule_ids_are_registered() -> None:
    contract = {
        "unit-in-one-group", "group-kind", "group-size", "chair-is-member", "chair-rotation",
        "deputy-is-member", "one-leader", "one-officer", "leader-workload", "officer-workload",
        "staff-available", "pins-kept",
    }  # fmt: skip
    assert contract <= set(rule_ids())


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_holds(rule_id: str) -> None:
    holds, _, _ = CASES[rule_id]
    context = RuleContext(holds(), (previous(),))
    assert list(rule_by_id(rule_id).check(context)) == []


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_breaks(rule_id: str) -> None:
    _, breaks, subjects = CASES[rule_id]
    context = RuleContext(breaks(), (previous(),))
    found = list(rule_by_id(rule_id).check(context))
    assert found, f"{rule_id} did not notice its breaking case"
    assert all(v.rule == rule_id for v in found)
    assert any(subjects <= set(v.subjects) for v in found), found
    assert all(v.message for v in found)


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_has_description(rule_id: str) -> None:
    assert len(rule_by_id(rule_id).description) > 20


def test_small_plan_is_valid() -> None:
    assert validate(small(), [previous()]) == ()


def test_unit_in_no_group_is_reported() -> None:
    plan = edit_group(small(), "k1", members=("a1", "a2"))
    found = [v for v in validate(plan, [previous()]) if v.rule == "unit-in-one-group"]
    assert [v.subjects for v in found] == [("a3",)]
    assert "Sở 3" in found[0].message


def test_rotation_looks_back_as_many_years_as_the_rules_say() -> None:
    older = attrs.evolve(previous(), year=2011)
    plan = edit_group(edit_rules(small(), chair_rotation_years=1), "k1", chair="a2")
    context = RuleContext(plan, (older,))  # a2 chaired two years ago only
    assert list(rule_by_id("chair-rotation").check(context)) == []
    plan = edit_rules(plan, chair_rotation_years=2)
    assert list(rule_by_id("chair-rotation").check(RuleContext(plan, (older,))))


def test_a_chair_elected_at_the_review_must_chair_even_under_free_succession() -> None:
    last = attrs.evolve(previous(), results=[GroupResult("k1", next_chair="a3")])
    rule = rule_by_id("chair-succession")
    assert small().rules.succession is Succession.FREE
    found = list(rule.check(RuleContext(small(), (last,))))
    assert [v.subjects for v in found] == [("k1", "a3")]
    assert "elected at last year's review" in found[0].message
    elected = edit_group(small(), "k1", chair="a3")
    assert list(rule.check(RuleContext(elected, (last,)))) == []


def test_deputy_missing_is_reported_only_when_required() -> None:
    assert not list(rule_by_id("deputy-is-member").check(RuleContext(small())))
    required = edit_rules(small(), deputy=True)
    assert {v.subjects for v in rule_by_id("deputy-is-member").check(RuleContext(required))} == {
        ("k1",),
        ("c1",),
    }


@given(valid_plans_with_previous())
def test_plans_built_to_satisfy_every_rule_validate_clean(pair: tuple[Plan, Plan]) -> None:
    plan, last = pair
    assert validate(plan, [last]) == ()


@given(valid_plans_with_previous(), st.data())
def test_a_unit_put_in_a_second_group_is_always_reported(
    pair: tuple[Plan, Plan], data: st.DataObject
) -> None:
    plan, last = pair
    unit = data.draw(st.sampled_from(plan.units))
    home = plan.group_of(unit.id)
    others = [g for g in plan.groups if g.id != home]
    if not others:
        others = [Group("extra", "Thêm", unit.kind)]
        plan = attrs.evolve(plan, groups=(*plan.groups, others[0]))
    target = data.draw(st.sampled_from(others))
    plan = edit_group(plan, target.id, members=(*target.members, unit.id))
    found = [v for v in validate(plan, [last]) if v.rule == "unit-in-one-group"]
    assert any(unit.id in v.subjects and target.id in v.subjects for v in found)


def test_soft_rules_are_notes_not_violations() -> None:
    _, breaks, _ = CASES["tag-cohesion"]
    plan = breaks()
    assert validate(plan, [previous()]) == ()
    found = validate(plan, [previous()], include_soft=True)
    assert [v.rule for v in found] == ["tag-cohesion"]
    assert found[0].message == "Khối 1 mixes tags (2 x, 1 y): Sở 3 is outside its majority tag x"


def test_tag_cohesion_counts_members_outside_the_majority() -> None:
    # Khối 1: a1 and a2 hold "x", a3 holds "y" and "x" (inside), no one is outside. Cụm 1:
    # d1 "x", d2 untagged (counts nothing), d3 "y": a tie, so the first listed tag, "x", wins.
    plan = provinces(a3=("y", "x"), d1=("x",), d2=())
    assert [(m.group, m.majority, m.outside) for m in cohesion.tag_mixes(plan)] == [
        ("c1", "x", ("d3",))
    ]
    assert cohesion.tag_cohesion(plan) == 1
    assert cohesion.tag_cohesion(edit_rules(plan, cohesion_tags=())) == 0


def test_neighbour_pairs_count_once_and_name_both_groups() -> None:
    plan = attrs.evolve(small(), neighbours=[("a1", "d1"), ("d1", "a1"), ("a2", "a2")])
    assert cohesion.neighbour_pairs(plan) == (("a1", "d1"),)
    found = list(rule_by_id("neighbour-cohesion").check(RuleContext(plan)))
    assert [v.subjects for v in found] == [("a1", "d1", "k1", "c1")]
    assert found[0].message == "Sở 1 (Khối 1) and Quận 1 (Cụm 1) share a border but not a group"
    alone = edit_group(plan, "k1", members=("a2", "a3"))
    assert (
        "Sở 1 (no group)"
        in next(iter(rule_by_id("neighbour-cohesion").check(RuleContext(alone)))).message
    )


# --------------------------------------------------------------------------------------------
# Each entry whole: encoding, wordings, conflict wording, concerns


def hard_rule_ids() -> list[str]:
    return [rule.id for rule in RULES if not rule.soft]


def soft_rule_ids() -> list[str]:
    return [rule.id for rule in RULES if rule.soft]


def fixed_in_model(rule: Rule, plan: Plan, *, explain: bool) -> bool:
    """Whether a model with `rule` alone accepts `plan` once every literal is fixed to it."""
    context = RuleContext(plan, (previous(),))
    enc = Encoding(
        context, Scope.everything(plan) if explain else Scope.full(plan), explain=explain
    )
    encode_rules(enc, [rule])
    enc.fix(plan)
    if explain:
        enc.model.add_assumptions(list(enc.guards.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(enc.model)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    return bool(status == cp_model.OPTIMAL)


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("rule_id", hard_rule_ids())
def test_rule_encoding_agrees_with_its_check_on_its_cases(rule_id: str, explain: bool) -> None:
    holds, breaks, _ = CASES[rule_id]
    rule = rule_by_id(rule_id)
    assert fixed_in_model(rule, holds(), explain=explain)
    assert not fixed_in_model(rule, breaks(), explain=explain)


@pytest.mark.parametrize("rule_id", soft_rule_ids())
def test_soft_rule_term_is_zero_exactly_where_the_rule_holds(rule_id: str) -> None:
    holds, breaks, _ = CASES[rule_id]
    rule = rule_by_id(rule_id)
    assert rule.term is not None
    for case in (holds(), breaks()):
        assert rule.term.configured(case), "a soft rule's cases configure its term"
        found = list(rule.check(RuleContext(case, (previous(),))))
        assert bool(found) == (rule.term.count(case, previous()) > 0)


@pytest.fixture
def language() -> Iterator[None]:
    """Put the process's language back after a test changes it."""
    before = i18n.language()
    yield
    i18n.set_language(before)


class _Recording(dict[str, Fact]):
    """Facts that make up a placeholder for any name asked, and remember the names."""

    def __missing__(self, name: str) -> Fact:
        self[name] = f"<{name}>"
        return self[name]


def sample_facts(wording: Wording) -> dict[str, Fact]:
    """A value for every fact `wording` reads: 2 for its count, placeholders otherwise. The
    fields its `words` hook fills are left to the hook; the facts the hook reads are added."""
    fields = {
        name
        for text in (wording.text, wording.plural or "")
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }
    if wording.words is not None:
        read = _Recording()
        fields -= set(wording.words(read))
        fields |= set(read)
    if wording.plural is not None:
        fields.add(wording.count)  # it chooses the form even where the text does not show it
    return {name: 2 if name == wording.count else f"<{name}>" for name in fields}


def english(wording: Wording, facts: dict[str, Fact]) -> str:
    """The English rendering, spelled out: the plural form (the sample count is 2), filled."""
    values = {**facts, **(wording.words(facts) if wording.words is not None else {})}
    return (wording.plural or wording.text).format(**values)


def findings_of_breaks(rule_id: str) -> list[Violation]:
    _, breaks, _ = CASES[rule_id]
    return list(rule_by_id(rule_id).check(RuleContext(breaks(), (previous(),))))


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_findings_are_worded_by_its_entry(rule_id: str, language: None) -> None:
    rule = rule_by_id(rule_id)
    assert rule.wordings, "every rule words its findings"
    assert all(wording.rule == rule_id for wording in rule.wordings)
    codes = [wording.code for wording in rule.wordings]
    assert len(set(codes)) == len(codes)
    for lang in i18n.LANGUAGES:
        i18n.set_language(lang)
        for violation in findings_of_breaks(rule_id):
            assert violation.code in codes
            assert render(violation) == violation.message
            assert "{" not in violation.message


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_wordings_are_looked_up_in_the_catalogue(
    rule_id: str, language: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every wording goes through the catalogue, in the singular and the plural."""
    monkeypatch.setitem(i18n._translations, "vi", MarkingCatalogue())
    i18n.set_language("vi")
    for wording in rule_by_id(rule_id).wordings:
        facts = sample_facts(wording)
        assert wording.render(facts).startswith("«")
        if wording.plural is not None:
            assert wording.render({**facts, wording.count: 1}).startswith("«")


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_wordings_exist_in_both_languages(rule_id: str, language: None) -> None:
    """Each wording renders in English and in Vietnamese; once the catalogue exists, it holds
    a Vietnamese translation of each."""
    translated = translated_ids()
    for wording in rule_by_id(rule_id).wordings:
        rendered = {}
        for lang in i18n.LANGUAGES:
            i18n.set_language(lang)
            rendered[lang] = wording.render(sample_facts(wording))
            assert rendered[lang]
            assert "{" not in rendered[lang]
        assert rendered["en"] == english(wording, sample_facts(wording))
        if translated is not None:
            assert wording.text in translated, f"no Vietnamese for {wording.text!r}"
            assert rendered["vi"] != rendered["en"]


def conflict_families(rule: Rule) -> list[tuple[str, ...]]:
    """The subject families the rule's encoding puts under assumptions on its breaking case:
    what a conflict core can name of it. Its memberships are pinned, so that the model has a
    literal even for a member of another kind (as when a pin and `group-kind` conflict)."""
    _, breaks, _ = CASES[rule.id]
    plan = breaks()
    held = [Pin.unit_in(member, group.id) for group in plan.groups for member in group.members]
    plan = attrs.evolve(plan, pins=tuple(dict.fromkeys((*plan.pins, *held))))
    enc = Encoding(RuleContext(plan, (previous(),)), Scope.everything(plan), explain=True)
    encode_rules(enc, [rule])
    return [subjects for (rule_id, subjects) in enc.guards if rule_id == rule.id]


@pytest.mark.parametrize("rule_id", hard_rule_ids())
def test_rule_words_its_part_of_a_conflict(
    rule_id: str, language: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every hard rule words its part of a conflict through its entry, in both languages,
    via the catalogue."""
    rule = rule_by_id(rule_id)
    assert rule.explain is not None
    families = conflict_families(rule)
    assert families
    _, breaks, _ = CASES[rule_id]
    context = RuleContext(breaks(), (previous(),))
    for lang in i18n.LANGUAGES:
        i18n.set_language(lang)
        message = rule.conflict_message(context, families)
        assert message
        assert "{" not in message
    monkeypatch.setitem(i18n._translations, "vi", MarkingCatalogue())
    i18n.set_language("vi")
    assert "«" in rule.conflict_message(context, families)


def _add_member(plan: Plan) -> Plan:
    """A new unit joins the first group of each kind: the membership changes, nothing else."""
    units, groups, seen = list(plan.units), [], set()
    for group in plan.groups:
        if group.kind not in seen:
            seen.add(group.kind)
            units.append(Unit(f"new-{group.kind}", f"Mới {group.kind}", group.kind))
            group = attrs.evolve(group, members=(*group.members, f"new-{group.kind}"))
        groups.append(group)
    return attrs.evolve(plan, units=units, groups=groups)


def _staff_slot(role: Role) -> Callable[[Plan], Plan]:
    def clear(plan: Plan) -> Plan:
        if role is Role.LEADER:
            return attrs.evolve(plan, groups=[attrs.evolve(g, leader=None) for g in plan.groups])
        return attrs.evolve(plan, groups=[attrs.evolve(g, officer=None) for g in plan.groups])

    return clear


# An edit of one part of a plan only, for each concern: a rule that does not concern the part
# must judge the edited plan as it judged the plan.
EDITS: dict[Concern, Callable[[Plan], Plan]] = {
    Concern.MEMBERSHIP: _add_member,
    Concern.CHAIR: lambda plan: attrs.evolve(
        plan, groups=[attrs.evolve(g, chair=None) for g in plan.groups]
    ),
    Concern.DEPUTY: lambda plan: attrs.evolve(
        plan, groups=[attrs.evolve(g, deputy=None) for g in plan.groups]
    ),
    Concern.LEADER: _staff_slot(Role.LEADER),
    Concern.OFFICER: _staff_slot(Role.OFFICER),
    Concern.PINS: lambda plan: attrs.evolve(plan, pins=()),
}


def test_every_concern_has_an_edit() -> None:
    assert set(EDITS) == set(Concern)


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_ignores_edits_of_what_it_does_not_concern(rule_id: str) -> None:
    rule = rule_by_id(rule_id)
    assert rule.concerns, "every rule concerns some part of a plan"
    holds, breaks, _ = CASES[rule_id]
    for concern in set(Concern) - rule.concerns:
        for case in (holds(), breaks()):
            before = {v.subjects for v in rule.check(RuleContext(case, (previous(),)))}
            edited = EDITS[concern](case)
            after = {v.subjects for v in rule.check(RuleContext(edited, (previous(),)))}
            assert after == before, f"{rule_id} judges an edit of the {concern.value}"
