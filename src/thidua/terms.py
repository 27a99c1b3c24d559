"""The objective's terms (contract §3, and the soft rules'), one entry each, in one registry.

Each `Term` says how it is counted on a plan as it stands (the interface shows the counts live
while a planner edits, so they take time proportional to the plan's size), how it is encoded
for the solver, and its weight. `TERMS` lists them in the order a lexicographic solve
minimises them: moves, staff changes, the soft rules' terms in the order of the rules, then
the size spread. Cohesion ranks before the size spread: what a group is (one former province,
neighbours together) matters more to planners than a member more or less, and the group size
rule already bounds the spread. Against the contract's order nothing changes: it still ranks
moves, staff, spread.

Adding a term is adding an entry: for a soft rule, its `Rule(term=...)` entry in
`thidua.rules.registry`; otherwise here, with its case in `tests/test_terms.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from thidua.i18n import N_, _
from thidua.model import ObjectiveSettings, Plan, Role, Staff
from thidua.rules import RULES, Encoder, Penalty, Term
from thidua.rules.encoder import Literal

__all__ = [
    "CONTRACT_TERMS",
    "MOVES",
    "SPREAD",
    "STAFF_CHANGES",
    "TERMS",
    "Term",
    "evaluate",
    "moved_units",
    "spread_by_kind",
    "staff_changes",
    "term_by_name",
    "term_label",
    "terms_of",
    "weight",
]


def moved_units(plan: Plan, last: Plan) -> tuple[str, ...]:
    """Units that `last` placed in a group and `plan` no longer has in that group.

    Units new this year count nothing wherever they go; nor do units `last` left unplaced.
    """
    moved = []
    for unit in plan.units:
        before = last.group_of(unit.id)
        if before is not None and before not in plan.groups_of_unit.get(unit.id, ()):
            moved.append(unit.id)
    return tuple(moved)


def staff_changes(plan: Plan, last: Plan) -> tuple[tuple[str, str], ...]:
    """(group, "leader" or "officer") for each person in charge who differs from `last`'s.

    A group new this year counts nothing; one whose leader and officer both changed counts two.
    Filling a post `last` left empty is not a change: nobody in charge was replaced.
    """
    changes = []
    for group in plan.groups:
        before = last.group_by_id.get(group.id)
        if before is None:
            continue
        if before.leader is not None and before.leader != group.leader:
            changes.append((group.id, "leader"))
        if before.officer is not None and before.officer != group.officer:
            changes.append((group.id, "officer"))
    return tuple(changes)


def spread_by_kind(plan: Plan) -> dict[str, int]:
    """For each kind of group, the largest group's member count minus the smallest's."""
    sizes: defaultdict[str, list[int]] = defaultdict(list)
    for group in plan.groups:
        sizes[group.kind].append(len(group.members))
    return {kind: max(values) - min(values) for kind, values in sizes.items()}


# -- counts ------------------------------------------------------------------------------------


def _count_moves(plan: Plan, last: Plan | None) -> int:
    return len(moved_units(plan, last)) if last is not None else 0


def _count_staff_changes(plan: Plan, last: Plan | None) -> int:
    return len(staff_changes(plan, last)) if last is not None else 0


def _count_spread(plan: Plan, last: Plan | None) -> int:
    return sum(spread_by_kind(plan).values())


# -- bounds the draft alone forces ------------------------------------------------------------


def _forced_moves(plan: Plan, baseline: Plan) -> int:
    """Units that must leave their baseline group: it is gone or now holds another kind
    (every unit is in one group of its kind), or a pin keeps the unit in another group."""
    # A unit pinned in a group, or as its chair (a chair is a member), is a member there.
    pinned = {pin.subject: pin.group for pin in plan.pins if pin.staff is None}
    forced = 0
    for unit in plan.units:
        before = baseline.group_of(unit.id)
        if before is None:
            continue
        group = plan.group_by_id.get(before)
        away = pinned.get(unit.id, before) != before
        forced += group is None or group.kind != unit.kind or away
    return forced


def _baseline_posts(plan: Plan, baseline: Plan) -> Iterator[tuple[str, Role, Staff | None]]:
    """Each post the baseline filled in a group `plan` still has: the group id, the role, and
    its person as `plan` knows them (None: gone from the staff). Filling a post the baseline
    left empty replaces nobody, so such posts are not listed."""
    for group in plan.groups:
        before = baseline.group_by_id.get(group.id)
        if before is None:
            continue
        for role in Role:
            person = before.staff_for(role)
            if person is not None:
                yield group.id, role, plan.staff_by_id.get(person)


def _forced_staff_changes(plan: Plan, baseline: Plan) -> int:
    """Posts of the baseline whose person can no longer hold them: gone from the staff,
    unavailable, or now of the other role."""
    return sum(
        known is None or not known.available or known.role is not role
        for _, role, known in _baseline_posts(plan, baseline)
    )


# -- encodings ---------------------------------------------------------------------------------


def _encode_moves(enc: Encoder, baseline: Plan) -> Penalty:
    """Units of the baseline minus those still in their group (a gone group: a move)."""
    constant, stays = 0, []
    for unit in enc.plan.units:
        before = baseline.group_of(unit.id)
        if before is None:
            continue
        literal = enc.member.get((unit.id, before))
        if literal is None:
            constant += 1  # its group is gone, holds another kind, or is out of scope
        else:
            stays.append(literal)
    total = constant + len(stays)
    return Penalty(total - enc.total(stays), total)


def _encode_staff_changes(enc: Encoder, baseline: Plan) -> Penalty:
    """Posts the baseline filled minus those its person keeps (filling an empty post: none)."""
    constant, kept = 0, []
    for group_id, role, known in _baseline_posts(enc.plan, baseline):
        literal: Literal | None = (
            enc.charge.get((known.id, group_id))
            if known is not None and known.role is role
            else None
        )
        if literal is None:
            constant += 1
        else:
            kept.append(literal)
    total = constant + len(kept)
    return Penalty(total - enc.total(kept), total)


def _encode_spread(enc: Encoder, baseline: Plan) -> Penalty:
    """Per kind, a ceiling over its groups' sizes minus a floor under them.

    Minimising pushes the ceiling down onto the largest size and the floor up onto the
    smallest; an upper bound on the spread holds the real spread under it too.
    """
    plan = enc.plan
    kinds: dict[str, list[str]] = {}
    for group in plan.groups:
        kinds.setdefault(group.kind, []).append(group.id)
    top = max(plan.rules.group_size[1], len(plan.units))
    parts = []
    for groups in kinds.values():
        sizes = [[literal for _, literal in enc.members_of(group)] for group in groups]
        parts.append(enc.ceiling(sizes, top) - enc.floor(sizes, top))
    return Penalty(enc.total(parts), top * len(kinds))


MOVES = Term(
    "moves",
    "Units the previous plan placed in a group that they are no longer in.",
    _count_moves,
    _encode_moves,
    lower=_forced_moves,
    label=N_("Units moved"),
)
STAFF_CHANGES = Term(
    "staff_changes",
    "Leaders and officers in charge who differ from the previous plan's (filling an empty "
    "post is no change).",
    _count_staff_changes,
    _encode_staff_changes,
    lower=_forced_staff_changes,
    label=N_("Staff changes"),
)
SPREAD = Term(
    "spread",
    "For each kind of group, the largest member count minus the smallest, summed.",
    _count_spread,
    _encode_spread,
    label=N_("Size spread"),
)

# The contract's terms, in its order of priority.
CONTRACT_TERMS: tuple[Term, ...] = (MOVES, STAFF_CHANGES, SPREAD)
# Every term, in the order a lexicographic solve minimises them.
TERMS: tuple[Term, ...] = (
    MOVES,
    STAFF_CHANGES,
    *(rule.term for rule in RULES if rule.term is not None),
    SPREAD,
)
_BY_NAME: Mapping[str, Term] = {term.name: term for term in TERMS}


def term_by_name(name: str) -> Term:
    return _BY_NAME[name]


def terms_of(plan: Plan) -> tuple[Term, ...]:
    """The terms reported for `plan`, in order of priority: the contract's, and the soft
    rules' terms the plan configures."""
    return tuple(term for term in TERMS if term.configured(plan))


def weight(settings: ObjectiveSettings, name: str) -> int:
    """The weight `settings` give the term `name` (1 for a term they have no field for)."""
    term = _BY_NAME.get(name)
    return term.weight(settings) if term is not None else int(getattr(settings, name, 1))


def evaluate(plan: Plan, last: Plan | None) -> dict[str, int]:
    """Every term `plan` reports, counted against `last` (moves and staff changes are zero
    without one), in order of priority."""
    return {term.name: term.count(plan, last) for term in terms_of(plan)}


# Solver stages that are not one term (`thidua.solver`'s progress names them).
_STAGES = {"weighted": N_("Weighted sum"), "rules": N_("Rules")}


def term_label(name: str) -> str:
    """A term or solver stage in words; stages joined by "+" are named in turn."""

    def one(part: str) -> str:
        term = _BY_NAME.get(part)
        if term is not None:
            return term.words()
        return _(_STAGES[part]) if part in _STAGES else part

    return " + ".join(one(part) for part in name.split("+"))
