"""Explanations: why each unit moved, and which rules and pins conflict when no plan exists.

When no plan exists, quick counting checks come first ("52 departments, 5 blocks of at most
10"), then the pins counted per group (`thidua.solver.precheck`: a pinned chair the rotation
bars, a successor pinned to stay under another pinned chair...). If none applies, the search
runs in the one part of the plan that holds the conflict: staff and each kind of units share
no constraint, so each part is modelled alone, with every constraint under an assumption
literal per rule and subject (`Encoding.guard`); CP-SAT, on one worker and without an
objective (the only setting in which its core is meaningful), returns a set of assumptions that
cannot hold together, and a deletion loop shrinks it until dropping any member makes the rest
feasible.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TypeAlias

import attrs

from thidua.i18n import _, ngettext
from thidua.model import Pin, PinKind, Plan, Role
from thidua.rules import RULES, Rule, RuleContext, rule_by_id
from thidua.rules.base import Concern
from thidua.rules.checks import group_label as _group
from thidua.rules.checks import rotation_barred
from thidua.solver.backend import cp_model
from thidua.solver.encoding import Encoding, GuardKey, Scope, encode_rules
from thidua.solver.precheck import pin_core
from thidua.solver.result import Conflict, MoveReason
from thidua.solver.runner import MAX_PAIRS, scope_pairs
from thidua.solver.start import evicted
from thidua.vocabulary import kind_words, succession_words

__all__ = [
    "STAFF_FOCUS",
    "SolveModel",
    "core_keys",
    "find_core",
    "focused_core",
    "focused_keys",
    "kind_words",
    "move_reasons",
    "precheck",
]

# Solves a model (no objective, one worker) and returns its status and the solver.
SolveModel: TypeAlias = Callable[
    ["cp_model.CpModel"], "tuple[cp_model.CpSolverStatus, cp_model.CpSolver]"
]


def _count(count: int, singular: str, plural: str) -> str:
    """A number and a noun, both already in the process's language ("52 departments")."""
    return _("{count} {things}").format(count=count, things=singular if count == 1 else plural)


def _verb(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


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
        joins = Conflict(
            "group-kind",
            (kind,),
            _("{units} join only {groups}").format(units=units_word, groups=groups_word),
        )
        each = Conflict(
            "unit-in-one-group",
            (kind,),
            _("every {unit} must be in exactly one {group}").format(
                unit=unit_word, group=group_word
            ),
        )
        if units and not groups:
            message = _("{counted}, no {group}").format(counted=counted, group=group_word)
            return (Conflict("unit-in-one-group", (kind,), message), joins)
        groups_counted = _count(len(groups), group_word, groups_word)
        if len(units) > len(groups) * high:
            headline = _("{units}, {groups} of at most {high}").format(
                units=counted, groups=groups_counted, high=high
            )
            return (Conflict("group-size", groups, headline), each, joins)
        if len(units) < len(groups) * floor:
            headline = _("{units}, {groups} of at least {floor}").format(
                units=counted, groups=groups_counted, floor=floor
            )
            if floor == low:
                return (Conflict("group-size", groups, headline), each, joins)
            if plan.rules.deputy:
                message = _("{headline}: each needs a chair and a deputy")
            else:
                message = _("{headline}: each needs a chair")
            found = [Conflict("chair-is-member", groups, message.format(headline=headline))]
            if plan.rules.deputy:
                found.append(
                    Conflict(
                        "deputy-is-member",
                        groups,
                        _("the deputy is a member other than the chair"),
                    )
                )
            return (*found, each, joins)
    return ()


def _staff_counts(plan: Plan) -> tuple[Conflict, ...]:
    groups = tuple(g.id for g in plan.groups)
    for role in Role:
        rule = "one-leader" if role is Role.LEADER else "one-officer"
        workload = "leader-workload" if role is Role.LEADER else "officer-workload"
        available = [p for p in plan.staff if p.role is role and p.available]
        capacity = sum(plan.max_groups(p) for p in available)
        if capacity >= len(groups):
            continue
        if role is Role.LEADER:
            needed = ngettext(
                "{count} group needs a leader", "{count} groups need a leader", len(groups)
            )
            offered = ngettext(
                "{count} available leader may take at most {capacity}",
                "{count} available leaders may take at most {capacity}",
                len(available),
            )
        else:
            needed = ngettext(
                "{count} group needs an officer", "{count} groups need an officer", len(groups)
            )
            offered = ngettext(
                "{count} available officer may take at most {capacity}",
                "{count} available officers may take at most {capacity}",
                len(available),
            )
        headline = "; ".join(
            [
                needed.format(count=len(groups)),
                offered.format(count=len(available), capacity=capacity),
            ]
        )
        found = [Conflict(rule, groups, headline)]
        if available:
            found.append(
                Conflict(
                    workload,
                    tuple(p.id for p in available),
                    "; ".join(
                        _("{person} may take {count}").format(
                            person=p.name, count=plan.max_groups(p)
                        )
                        for p in available
                    ),
                )
            )
        away = [p for p in plan.staff if p.role is role and not p.available]
        if away:
            unavailable = ngettext("{names} is unavailable", "{names} are unavailable", len(away))
            found.append(
                Conflict(
                    "staff-available",
                    tuple(p.id for p in away),
                    unavailable.format(names=_names([p.name for p in away])),
                )
            )
        return tuple(found)
    return ()


# --------------------------------------------------------------------------------------------
# Cores


# The parts of the plan that share no constraint: the staff, and each kind's units and groups.
_STAFF = frozenset({Concern.LEADER, Concern.OFFICER})
# In a search's focus: a rule about the staff alone is broken.
STAFF_FOCUS = "<staff>"


def find_core(
    context: RuleContext, solve_model: SolveModel, focus: Collection[str] = ()
) -> tuple[Conflict, ...] | None:
    """The smallest set of rule families and pins that cannot hold together.

    None when the model turns out feasible or the search gives up (time limit, cancel).
    Minimal: dropping any member of the returned set leaves a feasible model (as far as each
    check's time allows; a member whose removal could not be decided is kept).
    """
    core = core_keys(context, solve_model, focus)
    return None if core is None else describe_core(context, core)


def core_keys(
    context: RuleContext, solve_model: SolveModel, focus: Collection[str] = ()
) -> list[GuardKey] | None:
    """A minimal core as (rule, subjects) families: counted per group where pins make it
    (`thidua.solver.precheck`), otherwise searched in the one part that has it.

    The parts are the staff and each kind of units (membership and chairs); each part's model
    holds only its own units, groups, pins and rules, so the search never builds the whole
    plan's explanation model. `focus` names the groups, units and people where the conflict
    likely is (those a starting plan's violations name): the parts holding them are tried
    first, and in each, the families about them alone before all the part's families.
    """
    found = pin_core(context)
    if found:
        return found
    parts = _parts(context)
    wanted = set(focus)
    parts.sort(key=lambda part: not _mentions(part[1].plan, wanted))
    for rules, part in parts:
        core = _search(part, rules, solve_model, wanted)
        if core is not None:
            return core
    return None


def _mentions(plan: Plan, focus: Collection[str]) -> bool:
    """Whether a part names something in `focus` (the staff part: a person, or STAFF_FOCUS)."""
    if plan.units or not plan.staff:
        ids = {unit.id for unit in plan.units} | {group.id for group in plan.groups}
    else:
        ids = {person.id for person in plan.staff} | {STAFF_FOCUS}
    return not ids.isdisjoint(focus)


def _parts(context: RuleContext) -> list[tuple[list[Rule], RuleContext]]:
    plan = context.plan
    staff_rules = [r for r in RULES if r.concerns <= _STAFF or r.id == "pins-kept"]
    unit_rules = [r for r in RULES if not r.concerns <= _STAFF]
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
        unit_ids = {u.id for u in units}
        group_ids = {g.id for g in groups}
        pins = [
            p
            for p in plan.pins
            if p.kind is not PinKind.STAFF and p.subject in unit_ids and p.group in group_ids
        ]
        part = attrs.evolve(plan, units=units, groups=groups, staff=(), pins=pins, neighbours=())
        parts.append((unit_rules, RuleContext(part, context.previous)))
    return parts


def _search(
    context: RuleContext,
    rules: Sequence[Rule],
    solve_model: SolveModel,
    focus: Collection[str] = (),
) -> list[GuardKey] | None:
    """A minimal core of `context`'s plan under `rules`; None when it is feasible (or the
    search could not decide, or the part is too large to model).

    The groups in `focus` are tried alone first, in a model whose units may join only them:
    every constraint of a family about those groups alone reads only their literals, which
    that model has in full, so a core found there is a core of the part (the families about
    other groups, and every unit being in one group, switched off).
    """
    core = _focused(context, rules, solve_model, focus)
    if core is not None:
        return core
    scope = Scope.everything(context.plan)
    if scope_pairs(scope) > MAX_PAIRS:
        return None
    enc = Encoding(context, scope, explain=True)
    encode_rules(enc, rules)
    return _core_of(enc, list(enc.guards), solve_model)


def focused_core(
    context: RuleContext, solve_model: SolveModel, focus: Collection[str]
) -> tuple[Conflict, ...] | None:
    """A minimal core among the families about the groups in `focus` alone, or None.

    Cheap (a model of those groups only), and a proof by itself: if these families cannot
    hold together, no plan exists. The solve asks it first when its starting plan breaks a
    rule, before the full model would have to prove the infeasibility.
    """
    core = focused_keys(context, solve_model, focus)
    return None if core is None else describe_core(context, core)


def focused_keys(
    context: RuleContext, solve_model: SolveModel, focus: Collection[str]
) -> list[GuardKey] | None:
    """`focused_core` as (rule, subjects) families."""
    for rules, part in _parts(context):
        if part.plan.units and _mentions(part.plan, focus):
            core = _focused(part, rules, solve_model, focus)
            if core is not None:
                return core
    return None


def _focused(
    context: RuleContext,
    rules: Sequence[Rule],
    solve_model: SolveModel,
    focus: Collection[str],
) -> list[GuardKey] | None:
    """`_search` restricted to the groups in `focus`: None when they hold (or none is)."""
    plan = context.plan
    groups = [group.id for group in plan.groups if group.id in focus]
    core = None
    if groups:
        chosen = set(groups)
        scope = Scope(
            "focus",
            {
                unit.id: [g for g in groups if plan.group_by_id[g].kind == unit.kind]
                for unit in plan.units
            },
            {group: [] for group in groups},
        )
        enc = Encoding(context, scope, explain=True)
        encode_rules(enc, rules)

        def about_focus(key: GuardKey) -> bool:
            named = [s for s in key[1] if s in plan.group_by_id]
            return key[0] != "unit-in-one-group" and bool(named) and set(named) <= chosen

        core = _core_of(enc, [key for key in enc.guards if about_focus(key)], solve_model)
    return core


def _core_of(
    enc: Encoding, keys: Sequence[GuardKey], solve_model: SolveModel
) -> list[GuardKey] | None:
    """A minimal core among `keys` (the others switched off); None when they can hold."""
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

    core = infeasible_core(keys) if keys else None
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
    by_rule: dict[str, list[tuple[str, ...]]] = {}
    pins: list[Conflict] = []
    for rule, subjects in core:
        if rule == "pins-kept":
            kind, subject, group = subjects
            pin = Pin(group=group, **{kind: subject})
            message = rule_by_id(rule).conflict_message(context, [subjects])
            pins.append(Conflict("pins-kept", (subject, group), message, pin))
        else:
            by_rule.setdefault(rule, []).append(subjects)
    found = [
        _rule_conflict(context, rule.id, by_rule[rule.id]) for rule in RULES if rule.id in by_rule
    ]
    return (*found, *pins)


def _rule_conflict(context: RuleContext, rule: str, families: list[tuple[str, ...]]) -> Conflict:
    """The rule's part of a conflict, worded by its registry entry."""
    subjects = tuple(dict.fromkeys(s for family in families for s in family))
    return Conflict(rule, subjects, rule_by_id(rule).conflict_message(context, families))


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
        now = _group(plan, after) if after is not None else _("no group")
        old = draft.group_by_id.get(before)
        stay = staying.get(after, []) if after is not None else []
        why: tuple[str, ...]
        if after is not None and pinned.get(unit.id) == after:
            why, message = ("pin",), _("pinned to {group}").format(group=now)
        elif old is None:
            why, message = ("group-removed",), _("{group} no longer exists").format(group=was)
        elif old.kind != unit.kind:
            why = ("group-kind",)
            message = _("{group} now groups {units}").format(
                group=was, units=kind_words(old.kind)[1]
            )
        elif leaving.get(unit.id) == before:
            why = ("chair-succession", "pin")
            message = _(
                "as a member it would have to chair {group} (succession: {succession}), "
                "but another chair of {group} is pinned"
            ).format(group=was, succession=succession_words(draft.rules.succession.value))
        elif len(staying[before]) > high:
            why = ("group-size",)
            message = _(
                "{group} would have {count} members; a group may have at most {high}"
            ).format(group=was, count=len(staying[before]), high=high)
        elif after is not None and len(stay) < floor:
            why = ("group-size",)
            message = _("{group} needed at least {floor} members and had {count}").format(
                group=now, floor=floor, count=len(stay)
            )
        elif after is not None and stay and set(stay) <= rotation_barred(context, after):
            why = ("chair-rotation",)
            message = _("nobody staying in {group} may chair it again so soon").format(group=now)
        elif draft.rules.objective.spread > 0:
            why = ("spread",)
            message = _("evens out the sizes of the {groups}").format(
                groups=kind_words(unit.kind)[3]
            )
        else:
            why = ("objective",)
            message = _("part of the best plan found; no rule forces it alone")
        reasons.append(MoveReason(unit.id, before, after, why, message))
    return tuple(reasons)
