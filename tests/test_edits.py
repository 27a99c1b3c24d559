"""thidua.edits: hand edits as pure functions, eligible choices for pickers, undo and redo."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import plans, valid_plans_with_previous
from thidua import edits
from thidua.diff import Move, RoleChange, diff
from thidua.edits import EditError, History, UnknownIdError
from thidua.files import dumps, load, loads, reference_problems
from thidua.model import Group, Pin, Plan, Role, Staff, Succession, Unit
from thidua.rules import validate

# Khối 1 of the 2013 dispatch: its chair, and a member that does not chair it.
CHAIR = "ban-quan-ly-khu-cong-nghe-cao"
MEMBER = "so-cong-thuong"


def rules_broken(plan: Plan, previous: tuple[Plan, ...] = ()) -> set[str]:
    return {violation.rule for violation in validate(plan, previous)}


# --------------------------------------------------------------------------------------------
# Moving units and setting roles


def test_move_unit_appends_to_the_group_and_leaves_the_old_one(plan_2013: Plan) -> None:
    moved = edits.move_unit(plan_2013, MEMBER, "khoi-5")
    assert moved.group_of(MEMBER) == "khoi-5"
    assert moved.group_by_id["khoi-5"].members[-1] == MEMBER
    assert MEMBER not in moved.group_by_id["khoi-1"].members
    assert plan_2013.group_of(MEMBER) == "khoi-1"  # the original is untouched


def test_a_chair_that_leaves_its_group_stops_chairing_it(plan_2013: Plan) -> None:
    moved = edits.move_unit(plan_2013, CHAIR, "khoi-5")
    assert moved.group_by_id["khoi-1"].chair is None
    assert rules_broken(moved) == {"chair-is-member"}


def test_move_out_of_every_group(plan_2013: Plan) -> None:
    moved = edits.move_unit(plan_2013, MEMBER, None)
    assert moved.groups_of_unit[MEMBER] == ()
    assert rules_broken(moved) == {"unit-in-one-group"}
    assert edits.move_unit(moved, MEMBER, None) is moved


def test_moving_a_unit_where_it_is_changes_nothing(plan_2013: Plan) -> None:
    assert edits.move_unit(plan_2013, MEMBER, "khoi-1") is plan_2013


def test_move_unit_repairs_a_unit_listed_in_two_groups(plan_2013: Plan) -> None:
    khoi_2 = plan_2013.group_by_id["khoi-2"]
    twice = plan_2013.replace_group(attrs.evolve(khoi_2, members=(*khoi_2.members, MEMBER)))
    assert edits.move_unit(twice, MEMBER, "khoi-1").groups_of_unit[MEMBER] == ("khoi-1",)


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (lambda p: edits.move_unit(p, "nowhere", "khoi-1"), "unit"),
        (lambda p: edits.move_unit(p, MEMBER, "khoi-99"), "group"),
        (lambda p: edits.set_chair(p, "khoi-99", MEMBER), "group"),
        (lambda p: edits.set_chair(p, "khoi-1", "nowhere"), "unit"),
        (lambda p: edits.set_deputy(p, "khoi-1", "nowhere"), "unit"),
        (lambda p: edits.set_leader(p, "khoi-1", "nobody"), "person"),
        (lambda p: edits.set_officer(p, "khoi-99", None), "group"),
        (lambda p: edits.remove_group(p, "khoi-99"), "group"),
        (lambda p: edits.remove_unit(p, "nowhere"), "unit"),
        (lambda p: edits.remove_person(p, "nobody"), "person"),
        (lambda p: edits.pin(p, Pin.unit_in("nowhere", "khoi-1")), "unit"),
        (lambda p: edits.pin(p, Pin.staff_on("nobody", "khoi-1")), "person"),
        (lambda p: edits.pin(p, Pin.chair_of(MEMBER, "khoi-99")), "group"),
        (lambda p: edits.add_unit(p, Unit("new", "Mới", "district"), "cum-99"), "group"),
    ],
)
def test_edits_naming_unknown_things_are_refused(
    plan_2013: Plan, edit: Callable[[Plan], Plan], what: str
) -> None:
    with pytest.raises(UnknownIdError) as caught:
        edit(plan_2013)
    assert caught.value.what == what
    assert "no " + what in str(caught.value)


def test_roles_are_set_and_cleared(plan_2013: Plan) -> None:
    plan = edits.set_chair(plan_2013, "khoi-1", MEMBER)
    plan = edits.set_deputy(plan, "khoi-1", CHAIR)
    plan = edits.set_leader(plan, "khoi-1", "truong-thi-minh-huong")
    plan = edits.set_officer(plan, "khoi-1", None)
    group = plan.group_by_id["khoi-1"]
    assert (group.chair, group.deputy, group.leader, group.officer) == (
        MEMBER,
        CHAIR,
        "truong-thi-minh-huong",
        None,
    )
    assert rules_broken(plan) == {"one-officer"}
    assert edits.set_chair(plan, "khoi-1", MEMBER) is plan


def test_a_role_edit_that_breaks_a_rule_is_allowed_and_reported(plan_2013: Plan) -> None:
    plan = edits.set_leader(plan_2013, "khoi-1", "nguyen-tuan")  # an officer, not a leader
    assert rules_broken(plan) == {"one-leader"}


# --------------------------------------------------------------------------------------------
# Pins


def test_pin_and_unpin(plan_2013: Plan) -> None:
    kept = Pin.unit_in(MEMBER, "khoi-1")
    pinned = edits.pin(plan_2013, kept)
    assert pinned.pins == (kept,)
    with pytest.raises(EditError, match="already set"):
        edits.pin(pinned, kept)
    assert rules_broken(edits.move_unit(pinned, MEMBER, "khoi-2")) == {"pins-kept"}
    assert edits.unpin(pinned, kept).pins == ()
    with pytest.raises(EditError, match="not set"):
        edits.unpin(plan_2013, kept)


def test_pin_options_keep_what_is_there(plan_2013: Plan) -> None:
    assert edits.pin_options(plan_2013, CHAIR) == (
        (Pin.unit_in(CHAIR, "khoi-1"), False),
        (Pin.chair_of(CHAIR, "khoi-1"), False),
    )
    group = plan_2013.group_by_id["khoi-1"]
    assert [option for option, _ in edits.pin_options(plan_2013, "khoi-1")] == [
        Pin.chair_of(CHAIR, "khoi-1"),
        Pin.staff_on(group.leader or "", "khoi-1"),
        Pin.staff_on(group.officer or "", "khoi-1"),
    ]
    person = "ngo-kim-lien"
    pinned = edits.pin(plan_2013, Pin.staff_on(person, "khoi-1"))
    assert edits.pin_options(pinned, person) == ((Pin.staff_on(person, "khoi-1"), True),)
    with pytest.raises(UnknownIdError):
        edits.pin_options(plan_2013, "nothing")


def test_pin_options_offer_to_remove_a_pin_that_no_longer_holds(plan_2013: Plan) -> None:
    stale = Pin.unit_in(MEMBER, "khoi-2")
    pinned = edits.pin(plan_2013, stale)
    assert (stale, True) in edits.pin_options(pinned, MEMBER)


# --------------------------------------------------------------------------------------------
# Adding and removing


def test_unique_id_avoids_the_ids_taken() -> None:
    assert edits.unique_id([], "Cụm 5") == "cum-5"
    assert edits.unique_id(["cum-5", "cum-5-2"], "Cụm 5") == "cum-5-3"
    assert edits.unique_id({}, "!!!") == "x"


def test_add_and_remove_a_group(plan_2013: Plan) -> None:
    group = edits.new_group(plan_2013, "  Cụm   5 ", "district")
    assert (group.id, group.name, group.members) == ("cum-5", "Cụm 5", ())
    plan = edits.add_group(plan_2013, group)
    assert plan.groups[-1] == group
    assert rules_broken(plan) == {"group-size", "chair-is-member", "one-leader", "one-officer"}
    with pytest.raises(EditError, match="already exists"):
        edits.add_group(plan, group)
    assert edits.remove_group(plan, "cum-5") == plan_2013


def test_removing_a_group_leaves_its_members_unplaced_and_drops_its_pins(
    plan_2013: Plan,
) -> None:
    plan = edits.pin(plan_2013, Pin.chair_of(CHAIR, "khoi-1"))
    removed = edits.remove_group(plan, "khoi-1")
    assert removed.pins == ()
    assert removed.group_of(CHAIR) is None
    assert not list(reference_problems(removed))


def test_add_a_unit_to_a_group_and_remove_it_again(plan_2013: Plan) -> None:
    # Unit names are unique in a plan; an id is unique even when two names slug alike.
    with pytest.raises(EditError, match="already exists"):
        edits.new_unit(plan_2013, "Quận Tân Bình", "district")
    unit = edits.new_unit(plan_2013, "Quận Tân Bình (mới)", "district", ["urban"])
    assert unit.id == "quan-tan-binh-moi"
    unit = edits.new_unit(plan_2013, "QUẬN TÂN BÌNH", "district", ["urban"])
    assert unit.id == "quan-tan-binh-2"  # the dispatch's Quận Tân Bình has the plain id
    plan = edits.add_unit(plan_2013, unit, "cum-1")
    assert plan.group_of(unit.id) == "cum-1"
    assert edits.remove_unit(plan, unit.id) == plan_2013
    with pytest.raises(EditError, match="already exists"):
        edits.add_unit(plan, unit)


def test_removing_a_unit_removes_every_mention(plan_2013: Plan) -> None:
    plan = edits.pin(plan_2013, Pin.chair_of(CHAIR, "khoi-1"))
    plan = edits.set_deputy(plan, "khoi-1", CHAIR)
    plan = attrs.evolve(plan, neighbours=((CHAIR, MEMBER),))
    removed = edits.remove_unit(plan, CHAIR)
    group = removed.group_by_id["khoi-1"]
    assert CHAIR not in group.members
    assert (group.chair, group.deputy) == (None, None)
    assert (removed.pins, removed.neighbours) == ((), ())
    loads(dumps(removed))  # still a loadable plan


def test_add_and_remove_a_person(plan_2013: Plan) -> None:
    person = edits.new_person(plan_2013, "Ngô Kim Liên", Role.LEADER, " Phó  Văn phòng ", 3)
    assert (person.id, person.title, person.max_groups) == ("ngo-kim-lien-2", "Phó Văn phòng", 3)
    plan = edits.add_person(plan_2013, person)
    assert plan.staff[-1] == person
    with pytest.raises(EditError, match="already exists"):
        edits.add_person(plan, person)
    leader = plan_2013.group_by_id["khoi-1"].leader
    assert leader is not None
    pinned = edits.pin(plan_2013, Pin.staff_on(leader, "khoi-1"))
    removed = edits.remove_person(pinned, leader)
    assert removed.group_by_id["khoi-1"].leader is None
    assert removed.pins == ()
    assert leader not in removed.staff_by_id


@pytest.mark.parametrize(
    "make",
    [
        lambda p: edits.new_group(p, "   ", "district"),
        lambda p: edits.new_unit(p, "Quận 13", "Quận"),
        lambda p: edits.new_unit(p, "Quận 13", "district", ["Đô thị"]),
        lambda p: edits.new_person(p, "", Role.OFFICER),
        lambda p: edits.new_person(p, "Ai đó", Role.OFFICER, max_groups=-1),
    ],
)
def test_new_things_need_a_name_and_a_plain_kind(
    plan_2013: Plan, make: Callable[[Plan], object]
) -> None:
    with pytest.raises(EditError):
        make(plan_2013)


def test_add_group_refuses_references_to_nothing(plan_2013: Plan) -> None:
    with pytest.raises(EditError, match="unknown unit"):
        edits.add_group(plan_2013, Group("cum-5", "Cụm 5", "district", members=["nowhere"]))


# --------------------------------------------------------------------------------------------
# Accepting changes


def test_apply_all_changes_reaches_the_other_plan(plan_2013: Plan) -> None:
    target = edits.move_unit(plan_2013, CHAIR, "khoi-2")
    target = edits.set_chair(target, "khoi-1", MEMBER)
    target = edits.set_chair(target, "khoi-2", CHAIR)
    target = edits.set_leader(target, "khoi-1", "lam-van-ba")
    change = diff(plan_2013, target)
    assert edits.apply_changes(plan_2013, [*change.moves, *change.changes]) == target


def test_apply_some_changes(plan_2013: Plan) -> None:
    changes: list[edits.Change] = [
        Move(MEMBER, "khoi-1", "khoi-5"),
        RoleChange("khoi-1", "officer", "nguyen-tuan", "mai-huu-quyet"),
    ]
    plan = edits.apply_changes(plan_2013, changes[1:])
    assert plan.group_of(MEMBER) == "khoi-1"
    assert plan.group_by_id["khoi-1"].officer == "mai-huu-quyet"
    with pytest.raises(EditError, match="unknown role"):
        edits.apply_changes(plan_2013, [RoleChange("khoi-1", "treasurer", None, None)])


@given(valid_plans_with_previous())
def test_applying_the_diff_to_last_year_gives_this_years_assignment(
    pair: tuple[Plan, Plan],
) -> None:
    plan, previous = pair
    change = diff(previous, plan)
    applied = edits.apply_changes(previous, [*change.moves, *change.changes])
    for unit in plan.units:
        assert applied.group_of(unit.id) == plan.group_of(unit.id)
    assert [attrs.evolve(g, members=()) for g in applied.groups] == [
        attrs.evolve(g, members=()) for g in plan.groups
    ]


# --------------------------------------------------------------------------------------------
# Eligible choices


def test_eligible_chairs_are_members_not_barred_by_rotation(plan_2013: Plan) -> None:
    khoi_1 = plan_2013.group_by_id["khoi-1"]
    previous = (plan_2013,)
    this_year = attrs.evolve(plan_2013, year=2014)
    chairs = [unit.id for unit in edits.eligible_chairs(this_year, previous, "khoi-1")]
    assert chairs == [member for member in khoi_1.members if member != CHAIR]
    assert len(edits.eligible_chairs(this_year, (), "khoi-1")) == len(khoi_1.members)


def test_a_pinned_chair_is_the_only_eligible_one(plan_2013: Plan) -> None:
    pinned = edits.pin(plan_2013, Pin.chair_of(CHAIR, "khoi-1"))
    assert [unit.id for unit in edits.eligible_chairs(pinned, (), "khoi-1")] == [CHAIR]


def test_succession_leaves_only_last_years_deputy(plan_2013: Plan) -> None:
    previous = (edits.set_deputy(plan_2013, "khoi-1", MEMBER),)
    rules = attrs.evolve(plan_2013.rules, succession=Succession.DEPUTY)
    this_year = attrs.evolve(plan_2013, year=2014, rules=rules)
    assert [unit.id for unit in edits.eligible_chairs(this_year, previous, "khoi-1")] == [MEMBER]


def test_the_chair_is_no_eligible_deputy_where_deputies_are_required(plan_2013: Plan) -> None:
    members = plan_2013.group_by_id["khoi-1"].members
    assert len(edits.eligible_deputies(plan_2013, (), "khoi-1")) == len(members)
    required = attrs.evolve(plan_2013, rules=attrs.evolve(plan_2013.rules, deputy=True))
    deputies = [unit.id for unit in edits.eligible_deputies(required, (), "khoi-1")]
    assert deputies == [member for member in members if member != CHAIR]


def test_eligible_leaders_are_available_leaders_within_their_limit(plan_2013: Plan) -> None:
    leaders = {c.person.id: c for c in edits.eligible_leaders(plan_2013, (), "khoi-1")}
    assert all(c.person.role is Role.LEADER for c in leaders.values())
    assert leaders["ngo-kim-lien"].current
    busy = [s.id for s in plan_2013.staff if len(plan_2013.workload(s.id)) >= 2]
    assert busy
    assert not set(busy) & set(leaders) - {"ngo-kim-lien"}
    choice = leaders["truong-thi-minh-huong"]
    assert (choice.groups, choice.limit, choice.current) == (("khoi-4",), 2, False)
    retired = attrs.evolve(plan_2013.staff_by_id["truong-thi-minh-huong"], available=False)
    plan = attrs.evolve(
        plan_2013, staff=[retired if s.id == retired.id else s for s in plan_2013.staff]
    )
    assert "truong-thi-minh-huong" not in {
        c.person.id for c in edits.eligible_leaders(plan, (), "khoi-1")
    }


def test_eligible_officers_are_officers(plan_2013: Plan) -> None:
    officers = edits.eligible_officers(plan_2013, (), "cum-1")
    assert officers
    assert all(c.person.role is Role.OFFICER for c in officers)


def test_a_person_pinned_to_a_group_cannot_be_replaced(plan_2013: Plan) -> None:
    pinned = edits.pin(plan_2013, Pin.staff_on("ngo-kim-lien", "khoi-1"))
    assert [c.person.id for c in edits.eligible_leaders(pinned, (), "khoi-1")] == ["ngo-kim-lien"]


def test_eligible_groups_are_of_the_units_kind(plan_2013: Plan) -> None:
    choices = edits.eligible_groups(plan_2013, (), MEMBER)
    assert [c.group.id for c in choices] == [f"khoi-{n}" for n in range(1, 6)]
    assert [c.current for c in choices] == [True, False, False, False, False]
    full = {c.group.id for c in choices if c.full}
    assert full == {"khoi-3"}  # 11 members, the most a group may have


def test_a_unit_pinned_elsewhere_may_only_go_back(plan_2013: Plan) -> None:
    pinned = edits.pin(plan_2013, Pin.unit_in(MEMBER, "khoi-2"))
    choices = edits.eligible_groups(pinned, (), MEMBER)
    assert [c.group.id for c in choices] == ["khoi-1", "khoi-2"]  # where it is, where it belongs


@given(valid_plans_with_previous(), st.data())
def test_eligible_choices_keep_a_valid_plan_valid(
    pair: tuple[Plan, Plan], data: st.DataObject
) -> None:
    """The pickers' filters agree with validating the whole plan: an eligible choice keeps a
    valid plan valid, and an ineligible one breaks a rule."""
    plan, last = pair
    previous = (last,)
    assert not validate(plan, previous)
    group = data.draw(st.sampled_from(plan.groups))
    chairs = {u.id for u in edits.eligible_chairs(plan, previous, group.id)}
    for member in group.members:
        edited = edits.set_chair(plan, group.id, member)
        assert (member in chairs) == (not validate(edited, previous)), member
    role = data.draw(st.sampled_from(Role))
    people = {c.person.id for c in edits.eligible_staff(plan, previous, group.id, role)}
    for person in plan.staff:
        edited = edits.set_staff(plan, group.id, role, person.id)
        assert (person.id in people) == (not validate(edited, previous)), person.id
    unit = data.draw(st.sampled_from(group.members))
    targets = {c.group.id for c in edits.eligible_groups(plan, previous, unit)}
    for target in plan.groups:
        broken = {v.rule for v in validate(edits.move_unit(plan, unit, target.id), previous)}
        ok = not broken & {"group-kind", "pins-kept"}
        assert (target.id in targets) == ok, target.id


# --------------------------------------------------------------------------------------------
# Undo and redo


def test_history_undo_and_redo(plan_2013: Plan) -> None:
    history = History.start(plan_2013)
    assert not history.can_undo
    assert not history.can_redo
    moved = edits.move_unit(plan_2013, MEMBER, "khoi-5")
    history = history.push(moved, "move")
    assert history.push(moved, "again") is history  # nothing changed: no step
    assert (history.can_undo, history.undo_label, history.redo_label) == (True, "move", None)
    undone = history.undo()
    assert undone.plan is plan_2013
    assert undone.redo_label == "move"
    assert undone.redo().plan is moved
    branched = undone.push(edits.move_unit(plan_2013, MEMBER, "khoi-4"), "other")
    assert not branched.can_redo
    with pytest.raises(EditError, match="nothing to undo"):
        History.start(plan_2013).undo()
    with pytest.raises(EditError, match="nothing to redo"):
        history.redo()


def test_history_forgets_beyond_its_limit(plan_2013: Plan) -> None:
    history = History.start(plan_2013, limit=2)
    for group in ("khoi-2", "khoi-3", "khoi-4"):
        history = history.push(edits.move_unit(history.plan, MEMBER, group))
    assert len(history.past) == 2
    assert history.undo().undo().plan.group_of(MEMBER) == "khoi-2"


def _edit_strategy(plan: Plan) -> st.SearchStrategy[Callable[[Plan], Plan]]:
    """One edit of any kind, with arguments drawn from `plan`'s ids (and a few unknown ones, so
    refused edits are part of the sequence too)."""
    return _edits(
        tuple(u.id for u in plan.units),
        tuple(g.id for g in plan.groups),
        tuple(s.id for s in plan.staff),
    )


@functools.cache
def _edits(
    unit_ids: tuple[str, ...], group_ids: tuple[str, ...], staff_ids: tuple[str, ...]
) -> st.SearchStrategy[Callable[[Plan], Plan]]:
    """The edits of a plan with these ids, built once per set of ids: Hypothesis validates each
    new strategy on its first draw, which cost more than the edits themselves."""
    units = st.sampled_from([*unit_ids, "nowhere"])
    groups = st.sampled_from([*group_ids, "nogroup"])
    people = st.sampled_from([*staff_ids, "nobody"])
    maybe = st.none
    pins = st.one_of(
        st.builds(Pin.unit_in, units, groups),
        st.builds(Pin.chair_of, units, groups),
        st.builds(Pin.staff_on, people, groups),
    )
    return st.one_of(
        st.builds(lambda u, g: lambda p: edits.move_unit(p, u, g), units, groups | maybe()),
        st.builds(lambda g, u: lambda p: edits.set_chair(p, g, u), groups, units | maybe()),
        st.builds(lambda g, u: lambda p: edits.set_deputy(p, g, u), groups, units | maybe()),
        st.builds(
            lambda g, r, s: lambda p: edits.set_staff(p, g, r, s),
            groups,
            st.sampled_from(Role),
            people | maybe(),
        ),
        st.builds(lambda pin: lambda p: edits.pin(p, pin), pins),
        st.builds(lambda pin: lambda p: edits.unpin(p, pin), pins),
        st.builds(lambda g: lambda p: edits.remove_group(p, g), groups),
        st.builds(lambda u: lambda p: edits.remove_unit(p, u), units),
        st.builds(lambda s: lambda p: edits.remove_person(p, s), people),
        st.builds(
            lambda n: lambda p: edits.add_group(p, edits.new_group(p, n, "district")),
            st.sampled_from(["Cụm mới", "Khối mới"]),
        ),
        st.builds(
            lambda n, g: lambda p: edits.add_unit(p, edits.new_unit(p, n, "department"), g),
            st.sampled_from(["Sở mới", "Ban mới"]),
            groups | maybe(),
        ),
        st.builds(
            lambda r: lambda p: edits.add_person(p, edits.new_person(p, "Người mới", r)),
            st.sampled_from(Role),
        ),
    )


@given(plans(), st.data())
def test_undo_after_any_edits_gives_the_original_plan(plan: Plan, data: st.DataObject) -> None:
    history = History.start(plan)
    for _ in range(data.draw(st.integers(0, 12), label="edits")):
        edit = data.draw(_edit_strategy(history.plan))
        try:
            edited = edit(history.plan)
        except EditError:
            continue
        assert not list(reference_problems(edited))  # every edit keeps the plan loadable
        history = history.push(edited)
    final = history.plan
    steps = len(history.past)
    for _ in range(steps):
        history = history.undo()
    assert history.plan == plan
    for _ in range(steps):
        history = history.redo()
    assert history.plan == final


def test_edits_keep_the_plan_loadable(plan_2013: Plan) -> None:
    unit = Unit("quan-13", "Quận 13", "district")
    person = Staff("nguoi-moi", "Người Mới", Role.OFFICER)
    plan = edits.add_unit(plan_2013, unit, "cum-4")
    plan = edits.add_person(plan, person)
    plan = edits.set_officer(plan, "cum-4", person.id)
    plan = edits.pin(plan, Pin.unit_in(unit.id, "cum-4"))
    assert loads(dumps(plan)) == plan


def test_a_unit_in_no_group_may_go_to_any_group_of_its_kind() -> None:
    """The crash of issue 13: the check plan for a unit in no group left the unit out."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    draft = load(examples / "hcmc-2014-draft.toml")
    last = load(examples / "hcmc-2013.toml")
    unplaced = [u for u in draft.units if not draft.groups_of_unit.get(u.id)]
    assert unplaced
    for unit in unplaced:
        found = edits.eligible_groups(draft, (last,), unit.id)
        assert {choice.group.id for choice in found} == {
            g.id for g in draft.groups if g.kind == unit.kind
        }
        assert not any(choice.current for choice in found)
