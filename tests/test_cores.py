"""Conflict cores are minimal: the families they name cannot hold together, and dropping any
one of them lets the rest hold.

Small drafts (up to 5 units, 3 groups, 4 people) with chair history, deputies, succession and
random pins of every kind are encoded with every family under its own assumption (the
explanation model of the whole plan, independent of the parts the search works in). Whether
a set of families can hold is asked of CP-SAT with exactly those families switched on. The
core comes from `core_keys`: the pins counted per group where they conflict, the search in
one part of the plan otherwise.
"""

from __future__ import annotations

from collections.abc import Collection

from hypothesis import event, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from thidua.model import Group, Pin, Plan, Role, RuleSettings, Staff, Succession, Unit
from thidua.rules import RuleContext
from thidua.solver.encoding import Encoding, GuardKey, Scope, encode_rules
from thidua.solver.explain import core_keys, focused_keys
from thidua.solver.precheck import pin_core

KIND = "district"


def _solve(model: cp_model.CpModel) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    return solver.solve(model), solver


def _holds(context: RuleContext, keys: Collection[GuardKey]) -> bool:
    """Whether some plan keeps every family in `keys`, the others switched off."""
    enc = Encoding(context, Scope.everything(context.plan), explain=True)
    encode_rules(enc)
    missing = set(keys) - set(enc.guards)
    assert not missing, f"families the whole plan's model does not have: {missing}"
    for key, literal in enc.guards.items():
        enc.model.add(literal == int(key in keys))
    status, _ = _solve(enc.model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE)
    return status != cp_model.INFEASIBLE


@st.composite
def small_drafts(draw: st.DrawFn) -> RuleContext:
    units = [Unit(f"u{i}", f"Xã {i}", KIND) for i in range(draw(st.integers(2, 5)))]
    ids = [u.id for u in units]
    groups = [f"g{i}" for i in range(draw(st.integers(1, 3)))]
    staff = [
        Staff(f"l{i}", f"Lãnh đạo {i}", Role.LEADER, max_groups=draw(st.integers(1, 2)))
        for i in range(draw(st.integers(1, 2)))
    ] + [
        Staff(f"o{i}", f"Cán bộ {i}", Role.OFFICER, max_groups=draw(st.integers(1, 2)))
        for i in range(draw(st.integers(1, 2)))
    ]
    staff = [
        Staff(p.id, p.name, p.role, max_groups=p.max_groups, available=draw(st.booleans()) or i < 2)
        for i, p in enumerate(staff)
    ]
    deputy = draw(st.booleans())
    rules = RuleSettings(
        group_size=(draw(st.integers(1, 2)), draw(st.integers(2, 4))),
        chair_rotation_years=draw(st.integers(1, 2)),
        deputy=deputy,
        succession=draw(st.sampled_from(list(Succession))),
    )

    def year(number: int) -> Plan:
        home = {u: draw(st.sampled_from(groups)) for u in ids}
        listed = []
        for group in groups:
            members = tuple(u for u in ids if home[u] == group)
            chair = draw(st.sampled_from(members)) if members else None
            others = [m for m in members if m != chair]
            listed.append(
                Group(
                    group,
                    f"Cụm {group}",
                    KIND,
                    members,
                    chair=chair,
                    deputy=draw(st.sampled_from(others)) if others else None,
                )
            )
        return Plan(number, units=units, staff=staff, groups=listed)

    previous = tuple(year(2012 + k) for k in range(draw(st.integers(1, 2))))
    pins: list[Pin] = []
    for _ in range(draw(st.integers(0, 4))):
        group = draw(st.sampled_from(groups))
        kind = draw(st.sampled_from(["unit", "chair", "staff"]))
        if kind == "staff":
            pins.append(Pin.staff_on(draw(st.sampled_from([p.id for p in staff])), group))
        elif kind == "chair":
            pins.append(Pin.chair_of(draw(st.sampled_from(ids)), group))
        else:
            pins.append(Pin.unit_in(draw(st.sampled_from(ids)), group))
    draft = Plan(
        2014,
        rules=rules,
        units=units,
        staff=staff,
        groups=[Group(g, f"Cụm {g}", KIND) for g in groups],
        pins=list(dict.fromkeys(pins)),
    )
    return RuleContext(draft, previous)


@settings(max_examples=100, deadline=None)
@given(small_drafts())
def test_cores_are_minimal(context: RuleContext) -> None:
    everything = Encoding(context, Scope.everything(context.plan), explain=True)
    encode_rules(everything)
    feasible = _holds(context, set(everything.guards))
    core = core_keys(context, _solve)
    event("feasible" if feasible else "infeasible")
    if feasible:
        assert core is None
        return
    assert core, "an infeasible draft has a core"
    event("counted per group" if pin_core(context) else "searched")
    assert not _holds(context, set(core))
    for key in core:
        assert _holds(context, set(core) - {key}), f"{key} is not needed in {core}"


@settings(max_examples=60, deadline=None)
@given(small_drafts(), st.data())
def test_cores_of_a_few_groups_are_cores_of_the_plan(
    context: RuleContext, data: st.DataObject
) -> None:
    """A conflict found among the families about a few groups alone (in a model where units
    may join only those groups) is minimal in the whole plan's model too."""
    groups = [group.id for group in context.plan.groups]
    focus = data.draw(st.lists(st.sampled_from(groups), min_size=1, unique=True))
    core = focused_keys(context, _solve, focus)
    event("found" if core else "none")
    if not core:
        return
    assert not _holds(context, set(core))
    for key in core:
        assert _holds(context, set(core) - {key}), f"{key} is not needed in {core}"
