"""Explanations: why each unit moved, and which rules and pins conflict when no plan exists.

When no plan exists, quick counting checks come first ("52 departments, 5 blocks of at most
10"). If none applies, the rules are encoded with every constraint under an assumption literal
per rule and subject (`Encoding.guard`); CP-SAT, on one worker and without an objective (the
only setting in which its core is meaningful), returns a set of assumptions that cannot hold
together, and a deletion loop shrinks it until dropping any member makes the rest feasible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs
from ortools.sat.python import cp_model

from thidua.model import Pin, PinKind, Plan, Role
from thidua.rules import RULES, Rule, RuleContext
from thidua.rules.checks import designated_successor, rotation_barred
from thidua.rules.checks import group_label as _group
from thidua.rules.checks import staff_label as _person
from thidua.rules.checks import unit_label as _unit
from thidua.solver.constraints import encode_rules
from thidua.solver.precheck import pin_core
from thidua.solver.result import Conflict, MoveReason
from thidua.solver.runner import MAX_PAIRS, scope_pairs
from thidua.solver.start import evicted
from thidua.solver.variables import Encoding, GuardKey, Scope

__all__ = ["SolveModel", "core_keys", "find_core", "kind_words", "move_reasons", "precheck"]

# Solves a model (no objective, one worker) and returns its status and the solver.
SolveModel = Callable[[cp_model.CpModel], tuple[cp_model.CpSolverStatus, cp_model.CpSolver]]

# kind -> (a unit, units, a group, groups), in the words planners use.
_KIND_WORDS: Mapping[str, tuple[str, str, str, str]] = {
    "department": ("department", "departments", "block", "blocks"),
    "district": ("district", "districts", "cluster", "clusters"),
    "commune": ("commune", "communes", "cluster", "clusters"),
    "ward": ("ward", "wards", "cluster", "clusters"),
}


def kind_words(kind: str) -> tuple[str, str, str, str]:
    """How to speak of units and groups of `kind`: a unit, units, a group, groups."""
    return _KIND_WORDS.get(
        kind, (f"{kind} unit", f"{kind} units", f"{kind} group", f"{kind} groups")
    )


def _count(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _verb(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _names(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def size_floor(plan: Plan) -> int:
    """The fewest members a group can have: the size bound, but at least a chair (and deputy)."""
    return max(plan.rules.group_size[0], 2 if plan.rules.deputy else 1)


# --------------------------------------------------------------------------------------------
# Counting pre-checks


def precheck(context: RuleContext) -> tuple[Conflict, ...]:
    """A conflict that counting alone proves, in plain words; empty when counting finds none."""
    counted = _membership_counts(context.plan) or _staff_counts(context.plan)
    if counted:
        return counted
    pins = pin_core(context)
    return describe_core(context, pins) if pins else ()


def _membership_counts(plan: Plan) -> tuple[Conflict, ...]:
    low, high = plan.rules.group_size
    floor = size_floor(plan)
    kinds = dict.fromkeys([u.kind for u in plan.units] + [g.kind for g in plan.groups])
    for kind in kinds:
        unit_word, units_word, group_word, groups_word = kind_words(kind)
        units = [u.id for u in plan.units if u.kind == kind]
        groups = tuple(g.id for g in plan.groups if g.kind == kind)
        counted = _count(len(units), unit_word, units_word)
        joins = Conflict("group-kind", (kind,), f"{units_word} join only {groups_word}")
        each = Conflict(
            "unit-in-one-group", (kind,), f"every {unit_word} must be in exactly one {group_word}"
        )
        if units and not groups:
            return (
                Conflict("unit-in-one-group", (kind,), f"{counted}, no {group_word}"),
                joins,
            )
        if len(units) > len(groups) * high:
            headline = (
                f"{counted}, {_count(len(groups), group_word, groups_word)} of at most {high}"
            )
            return (Conflict("group-size", groups, headline), each, joins)
        if len(units) < len(groups) * floor:
            headline = (
                f"{counted}, {_count(len(groups), group_word, groups_word)} of at least {floor}"
            )
            if floor == low:
                return (Conflict("group-size", groups, headline), each, joins)
            needs = "a chair and a deputy" if plan.rules.deputy else "a chair"
            found = [Conflict("chair-is-member", groups, f"{headline}: each needs {needs}")]
            if plan.rules.deputy:
                found.append(
                    Conflict(
                        "deputy-is-member", groups, "the deputy is a member other than the chair"
                    )
                )
            return (*found, each, joins)
    return ()


def _staff_counts(plan: Plan) -> tuple[Conflict, ...]:
    groups = tuple(g.id for g in plan.groups)
    for role in Role:
        word = role.value
        rule = "one-leader" if role is Role.LEADER else "one-officer"
        workload = "leader-workload" if role is Role.LEADER else "officer-workload"
        available = [p for p in plan.staff if p.role is role and p.available]
        capacity = sum(plan.max_groups(p) for p in available)
        if capacity >= len(groups):
            continue
        headline = (
            f"{_count(len(groups), 'group needs', 'groups need')} a {word}; "
            f"{_count(len(available), f'available {word}', f'available {word}s')} "
            f"may take at most {capacity}"
        )
        found = [Conflict(rule, groups, headline)]
        if available:
            found.append(
                Conflict(
                    workload,
                    tuple(p.id for p in available),
                    "; ".join(f"{p.name} may take {plan.max_groups(p)}" for p in available),
                )
            )
        away = [p for p in plan.staff if p.role is role and not p.available]
        if away:
            found.append(
                Conflict(
                    "staff-available",
                    tuple(p.id for p in away),
                    f"{_names([p.name for p in away])} {_verb(len(away), 'is', 'are')} unavailable",
                )
            )
        return tuple(found)
    return ()


# --------------------------------------------------------------------------------------------
# Cores


# Rules about staff only; the others are about membership and chairs, kind by kind. Staff and
# membership share no constraint, nor do two kinds, so a conflict lies within one such part.
_STAFF_RULES = frozenset(
    {"one-leader", "one-officer", "leader-workload", "officer-workload", "staff-available"}
)


def find_core(context: RuleContext, solve_model: SolveModel) -> tuple[Conflict, ...] | None:
    """The smallest set of rule families and pins that cannot hold together.

    None when the model turns out feasible or the search gives up (time limit, cancel).
    Minimal: dropping any member of the returned set leaves a feasible model (as far as each
    check's time allows; a member whose removal could not be decided is kept).
    """
    core = core_keys(context, solve_model)
    return None if core is None else describe_core(context, core)


def core_keys(context: RuleContext, solve_model: SolveModel) -> list[GuardKey] | None:
    """A minimal core as (rule, subjects) families: counted per group where pins make it
    (`thidua.solver.precheck`), otherwise searched in the one part that has it.

    The parts are the staff and each kind of units (membership and chairs), tried in that
    order; each part's model holds only its own units, groups, pins and rules, so the search
    never builds the whole plan's explanation model.
    """
    found = pin_core(context)
    if found:
        return found
    for rules, part in _parts(context):
        core = _search(part, rules, solve_model)
        if core is not None:
            return core
    return None


def _parts(context: RuleContext) -> list[tuple[list[Rule], RuleContext]]:
    plan = context.plan
    hard = [rule for rule in RULES if rule.encode is not None]
    staff_rules = [r for r in hard if r.id in _STAFF_RULES or r.id == "pins-kept"]
    unit_rules = [r for r in hard if r.id not in _STAFF_RULES]
    staff_plan = attrs.evolve(
        plan,
        units=(),
        groups=[attrs.evolve(g, members=(), chair=None, deputy=None) for g in plan.groups],
        pins=[pin for pin in plan.pins if pin.kind is PinKind.STAFF],
        neighbours=(),
    )
    parts = [(staff_rules, RuleContext(staff_plan, context.previous))]
    kinds = dict.fromkeys([u.kind for u in plan.units] + [g.kind for g in plan.groups])
    for kind in kinds:
        units = [u for u in plan.units if u.kind == kind]
        groups = [attrs.evolve(g, leader=None, officer=None) for g in plan.groups if g.kind == kind]
        ids = {u.id for u in units}
        group_ids = {g.id for g in groups}
        pins = [
            p
            for p in plan.pins
            if p.kind is not PinKind.STAFF and p.subject in ids and p.group in group_ids
        ]
        part = attrs.evolve(plan, units=units, groups=groups, staff=(), pins=pins, neighbours=())
        parts.append((unit_rules, RuleContext(part, context.previous)))
    return parts


def _search(
    context: RuleContext, rules: Sequence[Rule], solve_model: SolveModel
) -> list[GuardKey] | None:
    """A minimal core of `context`'s plan under `rules`; None when it is feasible (or the
    search could not decide)."""
    scope = Scope.everything(context.plan)
    if scope_pairs(scope) > MAX_PAIRS:
        return None  # too large to model within the memory bound: left unexplained
    enc = Encoding(context, scope, explain=True)
    encode_rules(enc, rules)
    by_index = {literal.index: key for key, literal in enc.guards.items()}
    model = enc.model

    def infeasible_core(keys: Sequence[GuardKey]) -> list[GuardKey] | None:
        # A copy with every other family switched off: presolve then drops their constraints
        # at once, so each check of the deletion loop is far cheaper than the first solve.
        trial = model.clone()
        wanted = {enc.guards[key].index for key in keys}
        for literal in enc.guards.values():
            if literal.index not in wanted:
                trial.add(trial.get_bool_var_from_proto_index(literal.index) == 0)
        trial.add_assumptions([trial.get_bool_var_from_proto_index(i) for i in sorted(wanted)])
        status, solver = solve_model(trial)
        if status != cp_model.INFEASIBLE:
            return None
        found = {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()}
        return [key for key in keys if key in found] or list(keys)

    core = infeasible_core(list(enc.guards))
    if core is None:
        return None
    index = 0
    while index < len(core):
        trial = core[:index] + core[index + 1 :]
        smaller = infeasible_core(trial) if trial else None
        if smaller is None:
            index += 1  # needed: without it the rest is feasible (or undecided)
        else:
            core = smaller
    return core


def describe_core(context: RuleContext, core: Iterable[GuardKey]) -> tuple[Conflict, ...]:
    """The families of a core as conflicts, one per rule (in registry order), then the pins."""
    plan = context.plan
    by_rule: dict[str, list[tuple[str, ...]]] = {}
    pins: list[Conflict] = []
    for rule, subjects in core:
        if rule == "pins-kept":
            kind, subject, group = subjects
            pin = Pin(group=group, **{kind: subject})
            pins.append(Conflict("pins-kept", (subject, group), _pin_message(plan, pin), pin))
        else:
            by_rule.setdefault(rule, []).append(subjects)
    found = [
        _rule_conflict(context, rule.id, by_rule[rule.id]) for rule in RULES if rule.id in by_rule
    ]
    return (*found, *pins)


def _pin_message(plan: Plan, pin: Pin) -> str:
    group = _group(plan, pin.group)
    if pin.kind is PinKind.UNIT:
        return f"{_unit(plan, pin.subject)} is pinned to {group}"
    if pin.kind is PinKind.CHAIR:
        return f"{_unit(plan, pin.subject)} is pinned as chair of {group}"
    return f"{_person(plan, pin.subject)} is pinned in charge of {group}"


def _rule_conflict(context: RuleContext, rule: str, families: list[tuple[str, ...]]) -> Conflict:
    plan = context.plan
    subjects = tuple(dict.fromkeys(s for family in families for s in family))
    firsts = [family[0] for family in families]
    groups = _names([_group(plan, g) for g in firsts])
    need = _verb(len(firsts), "needs", "need")
    low, high = plan.rules.group_size
    if rule == "unit-in-one-group":
        words = [kind_words(kind) for kind in firsts]
        message = "; ".join(f"every {w[0]} must be in exactly one {w[2]}" for w in words)
    elif rule == "group-kind":
        message = "; ".join(
            f"{_unit(plan, unit)} is a {plan.unit_by_id[unit].kind} but {_group(plan, group)} "
            f"groups {kind_words(plan.group_by_id[group].kind)[1]}"
            for unit, group in families
        )
    elif rule == "group-size":
        message = f"{groups} must have {low} to {high} members"
    elif rule == "chair-is-member":
        message = f"{groups} {need} a chair among the members"
    elif rule == "chair-rotation":
        message = "; ".join(
            f"{_names([_unit(plan, u) for u in sorted(rotation_barred(context, g))])} may not "
            f"chair {_group(plan, g)} again within {plan.rules.chair_rotation_years} year(s)"
            for g in firsts
        )
    elif rule == "chair-succession":
        message = "; ".join(
            f"{_unit(plan, designated_successor(context, g) or '')} must chair {_group(plan, g)} "
            f"while a member (succession: {plan.rules.succession.value})"
            for g in firsts
        )
    elif rule == "deputy-is-member":
        message = f"{groups} {need} a deputy among the members, other than the chair"
    elif rule in ("one-leader", "one-officer"):
        word = "leader" if rule == "one-leader" else "officer"
        message = f"{groups} {need} a {word} in charge"
    elif rule in ("leader-workload", "officer-workload"):
        message = "; ".join(
            f"{_person(plan, p)} may take at most {plan.max_groups(plan.staff_by_id[p])} groups"
            for p in firsts
        )
    elif rule == "staff-available":
        verb = _verb(len(firsts), "is", "are")
        message = f"{_names([_person(plan, p) for p in firsts])} {verb} unavailable"
    else:
        message = f"{rule}: {', '.join(subjects)}"
    return Conflict(rule, subjects, message)


# --------------------------------------------------------------------------------------------
# Why units moved


def move_reasons(context: RuleContext, baseline: Plan, plan: Plan) -> tuple[MoveReason, ...]:
    """For each unit `plan` moves out of its `baseline` group, what forced the move.

    In order: a pin elsewhere; its group removed or given another kind; the succession rule
    against a pinned chair (`start.evicted`); its group over the size limit with the units
    that would stay (pinned there, or there last year); the group it joined short of members,
    or with nobody among those staying whom the rotation lets chair it; otherwise the move
    evens out group sizes (the spread term) or simply belongs to the best plan found.
    """
    draft = context.plan
    high = draft.rules.group_size[1]
    floor = size_floor(draft)
    leaving = evicted(context, baseline)
    pinned: dict[str, str] = {}
    for pin in draft.pins:
        if pin.kind is not PinKind.STAFF:
            pinned.setdefault(pin.subject, pin.group)
    # Units each group would hold if nobody moved: those pinned to it, and the unpinned ones
    # it held in the baseline.
    staying: dict[str, list[str]] = {group.id: [] for group in draft.groups}
    for unit in draft.units:
        home = pinned.get(unit.id) or baseline.group_of(unit.id)
        group = draft.group_by_id.get(home) if home is not None else None
        if group is not None and group.kind == unit.kind:
            staying[group.id].append(unit.id)
    reasons = []
    for unit in plan.units:
        before, after = baseline.group_of(unit.id), plan.group_of(unit.id)
        if before is None or before == after:
            continue
        was = _group(baseline, before)
        now = _group(plan, after) if after is not None else "no group"
        old = draft.group_by_id.get(before)
        stay = staying.get(after, []) if after is not None else []
        why: tuple[str, ...]
        if after is not None and pinned.get(unit.id) == after:
            why, message = ("pin",), f"pinned to {now}"
        elif old is None:
            why, message = ("group-removed",), f"{was} no longer exists"
        elif old.kind != unit.kind:
            why = ("group-kind",)
            message = f"{was} now groups {kind_words(old.kind)[1]}"
        elif leaving.get(unit.id) == before:
            why = ("chair-succession", "pin")
            message = (
                f"as a member it would have to chair {was} (succession: "
                f"{draft.rules.succession.value}), but another chair of {was} is pinned"
            )
        elif len(staying[before]) > high:
            why = ("group-size",)
            message = (
                f"{was} would have {len(staying[before])} members; a group may have at most {high}"
            )
        elif after is not None and len(stay) < floor:
            why = ("group-size",)
            message = f"{now} needed at least {floor} members and had {len(stay)}"
        elif after is not None and stay and set(stay) <= rotation_barred(context, after):
            why = ("chair-rotation",)
            message = f"nobody staying in {now} may chair it again so soon"
        elif draft.rules.objective.spread > 0:
            why = ("spread",)
            message = f"evens out the sizes of the {kind_words(unit.kind)[3]}"
        else:
            why = ("objective",)
            message = "part of the best plan found; no rule forces it alone"
        reasons.append(MoveReason(unit.id, before, after, why, message))
    return tuple(reasons)
