"""Recommendations for one pick: where a unit could go, or which groups a person could take
charge of, ranked by what the change costs the objective, term by term, with the rule that
bars each group it cannot go to.

A planner placing a new commune by hand, or looking for a leader with room, asks "where is
it cheapest, and why not there?". The answer reads the same terms the solver minimises
(`thidua.terms`) and the same rules the validator checks (`thidua.rules`, through the
pickers' eligibility), counted on the change alone, so a picker on a plan of thousands of
units opens at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from thidua import cohesion, edits
from thidua.errors import ThiduaError
from thidua.model import Plan, Role
from thidua.rules import RuleContext, Violation
from thidua.terms import term_by_name, terms_of, weight

__all__ = ["Option", "Recommendation", "TermChange", "recommend"]


@attrs.frozen
class TermChange:
    """How much one objective term goes up (positive) or down by the change."""

    term: str
    delta: int


@attrs.frozen
class Option:
    """One group the unit could join, or the person could take charge of (`group` None: the
    unit in no group). `barred` holds the violations this choice would add, naming the rule
    that bars it; an allowed option has none. `size`/`limit` are the group's members against
    the size rule's maximum (a unit), or the person's groups against their limit (a person),
    both counted after the change."""

    group: str | None
    current: bool
    changes: tuple[TermChange, ...]
    barred: tuple[Violation, ...] = ()
    size: int = 0
    limit: int = 0

    @property
    def allowed(self) -> bool:
        return not self.barred

    @property
    def cost(self) -> tuple[int, ...]:
        """The terms' changes in order of priority, as a lexicographic solve compares them."""
        return tuple(change.delta for change in self.changes)

    @property
    def barring_rules(self) -> tuple[str, ...]:
        """The ids of the rules that bar this option, each once, in the order found."""
        return tuple(dict.fromkeys(violation.rule for violation in self.barred))


@attrs.frozen
class Recommendation:
    """The options for one unit or person: allowed ones first, cheapest first (the current
    placement first among equals), then the barred ones in the plan's group order."""

    subject: str
    role: Role | None  # the person's role (None for a unit)
    terms: tuple[str, ...]
    options: tuple[Option, ...]

    @property
    def allowed(self) -> tuple[Option, ...]:
        return tuple(option for option in self.options if option.allowed)

    @property
    def barred(self) -> tuple[Option, ...]:
        return tuple(option for option in self.options if not option.allowed)

    def option(self, group: str | None) -> Option:
        return next(option for option in self.options if option.group == group)


def recommend(
    plan: Plan,
    previous: Iterable[Plan] = (),
    *,
    unit: str | None = None,
    staff: str | None = None,
) -> Recommendation:
    """Rank the groups `unit` could move to, or the groups person `staff` could take charge of
    (in their own role), by the change in each objective term; raise `ThiduaError` for an id
    the plan does not have, or unless exactly one of `unit` and `staff` is given."""
    if (unit is None) == (staff is None):
        raise ThiduaError("recommend for one unit or one person: give unit or staff")
    previous = tuple(previous)
    if unit is not None:
        if unit not in plan.unit_by_id:
            raise edits.UnknownIdError("unit", unit)
        return _for_unit(plan, previous, unit)
    assert staff is not None
    if staff not in plan.staff_by_id:
        raise edits.UnknownIdError("person", staff)
    return _for_person(plan, previous, staff)


def _ranked(plan: Plan, options: Sequence[Option]) -> tuple[Option, ...]:
    weights = plan.rules.objective
    order = {option.group: index for index, option in enumerate(options)}

    def key(option: Option) -> tuple[int, ...]:
        weighted = (
            0
            if weights.lexicographic
            else sum(weight(weights, c.term) * c.delta for c in option.changes)
        )
        return (weighted, *option.cost, 0 if option.current else 1, order[option.group])

    allowed = sorted((o for o in options if o.allowed), key=key)
    return (*allowed, *(o for o in options if not o.allowed))


# --------------------------------------------------------------------------------------------
# A unit


def _for_unit(plan: Plan, previous: tuple[Plan, ...], unit: str) -> Recommendation:
    # A member's move changes nobody in charge: every term but the staff changes can move.
    terms = tuple(term.name for term in terms_of(plan) if term.name != "staff_changes")
    current = plan.groups_of_unit.get(unit, ())
    bars = edits.move_bars(plan, previous, unit)
    last = RuleContext(plan, previous).last
    before = last.group_of(unit) if last is not None and unit in last.unit_by_id else None
    kind = plan.unit_by_id[unit].kind
    counter = _SizeCounter(plan)
    neighbours = _neighbours_of(plan, unit)
    tag_before = {g: _tag_penalty(plan, plan.group_by_id[g].members) for g in current}
    high = plan.rules.group_size[1]
    counted_here = {"moves", "spread", cohesion.TAG_COHESION, cohesion.NEIGHBOUR_COHESION}
    baseline = {
        term: term_by_name(term).count(plan, last) for term in terms if term not in counted_here
    }

    def changes(target: str | None) -> tuple[TermChange, ...]:
        values: dict[str, int] = {}
        placed = (target,) if target is not None else ()
        if "moves" in terms:
            moved_now = before is not None and before not in current
            moved_then = before is not None and before not in placed
            values["moves"] = int(moved_then) - int(moved_now)
        if cohesion.TAG_COHESION in terms:
            values[cohesion.TAG_COHESION] = _tag_delta(plan, unit, current, target, tag_before)
        if cohesion.NEIGHBOUR_COHESION in terms:
            together_now = sum(
                1 for n in neighbours if set(plan.groups_of_unit.get(n, ())) & set(current)
            )
            together_then = sum(
                1
                for n in neighbours
                if target is not None and target in plan.groups_of_unit.get(n, ())
            )
            values[cohesion.NEIGHBOUR_COHESION] = together_now - together_then
        if "spread" in terms:
            values["spread"] = counter.spread_delta(unit, current, target)
        # Terms without a count of their own here (the geography's) are counted on the plan
        # as edited: exact, and paid only by plans that configure them.
        others = [term for term in terms if term not in values]
        if others:
            moved = edits.move_unit(plan, unit, target)
            for term in others:
                values[term] = term_by_name(term).count(moved, last) - baseline[term]
        return tuple(TermChange(term, values[term]) for term in terms)

    options: list[Option] = []
    for target in (None, *(g.id for g in plan.groups if g.kind == kind or g.id in current)):
        # Current only where the unit is now and nowhere else, as `edits.move_unit` sees it
        # (moving to a group that lists the unit twice tidies the duplicate).
        is_current = tuple(current) == ((target,) if target is not None else ())
        members = len(plan.group_by_id[target].members) if target is not None else 0
        size = members + (0 if is_current or target is None else 1)
        options.append(
            Option(
                target,
                is_current,
                changes(target) if not is_current else _no_change(terms),
                () if is_current else bars.get(target, ()),
                size,
                high,
            )
        )
    # Groups of another kind are barred by the kind rule: listed after the rest, for the
    # planner wondering why they are missing, only when the picker asks for every group.
    for group in plan.groups:
        if group.kind != kind and group.id not in current:
            options.append(
                Option(
                    group.id,
                    False,
                    changes(group.id),
                    bars.get(group.id, ()),
                    len(group.members) + 1,
                    high,
                )
            )
    return Recommendation(unit, None, terms, _ranked(plan, options))


def _no_change(terms: Sequence[str]) -> tuple[TermChange, ...]:
    return tuple(TermChange(term, 0) for term in terms)


class _SizeCounter:
    """Group sizes per kind as a multiset, so that the spread after moving one member is found
    from the handful of distinct sizes instead of every group."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.sizes: dict[str, Counter[int]] = {}
        for group in plan.groups:
            self.sizes.setdefault(group.kind, Counter())[len(group.members)] += 1
        # A move from the same groups into a group of the same kind and size shifts the same
        # sizes: a picker asks for hundreds of groups, of a few sizes.
        self._known: dict[tuple[str, tuple[str, ...], str, int], int] = {}

    def spread_delta(self, unit: str, current: Sequence[str], target: str | None) -> int:
        if target is None or target in current:
            return self._spread_delta(unit, current, target)
        found = self.plan.group_by_id[target]
        key = (unit, tuple(current), found.kind, len(found.members))
        if key not in self._known:
            self._known[key] = self._spread_delta(unit, current, target)
        return self._known[key]

    def _spread_delta(self, unit: str, current: Sequence[str], target: str | None) -> int:
        groups = self.plan.group_by_id
        touched = dict.fromkeys((*current, *([target] if target is not None else [])))
        shifts: list[tuple[str, int, int]] = []
        for group_id in touched:
            members = groups[group_id].members
            after = sum(1 for m in members if m != unit) + (1 if group_id == target else 0)
            if after != len(members):
                shifts.append((groups[group_id].kind, len(members), after))
        delta = 0
        for kind in dict.fromkeys(kind for kind, _, _ in shifts):
            counts = self.sizes[kind]
            before = max(counts) - min(counts)
            changed = Counter(counts)
            for shift_kind, old, new in shifts:
                if shift_kind == kind:
                    changed[old] -= 1
                    changed[new] += 1
            present = [size for size, count in changed.items() if count > 0]
            delta += (max(present) - min(present)) - before
        return delta


def _neighbours_of(plan: Plan, unit: str) -> tuple[str, ...]:
    return tuple(
        second if first == unit else first
        for first, second in cohesion.neighbour_pairs(plan)
        if unit in (first, second)
    )


def _tag_penalty(plan: Plan, members: Sequence[str]) -> int:
    mix = cohesion.tag_mix(plan, members)
    return mix.penalty if mix is not None else 0


def _tag_delta(
    plan: Plan,
    unit: str,
    current: Sequence[str],
    target: str | None,
    before: dict[str, int],
) -> int:
    delta = 0
    for group in current:
        if group != target:
            remaining = tuple(m for m in plan.group_by_id[group].members if m != unit)
            delta += _tag_penalty(plan, remaining) - before[group]
    if target is not None and target not in current:
        members = plan.group_by_id[target].members
        delta += _tag_penalty(plan, (*members, unit)) - _tag_penalty(plan, members)
    return delta


# --------------------------------------------------------------------------------------------
# A person


def _for_person(plan: Plan, previous: tuple[Plan, ...], person: str) -> Recommendation:
    found = plan.staff_by_id[person]
    role = found.role
    # Putting a person in charge changes no membership: the staff changes are the only term.
    terms = tuple(term.name for term in terms_of(plan) if term.name == "staff_changes")
    last = RuleContext(plan, previous).last
    bars = edits.assignment_bars(plan, previous, person)
    workload = plan.workload(person)
    limit = plan.max_groups(found)
    options: list[Option] = []
    for group in plan.groups:
        is_current = group.staff_for(role) == person
        values = dict.fromkeys(terms, 0)
        if "staff_changes" in terms and not is_current and last is not None:
            earlier = last.group_by_id.get(group.id)
            held = earlier.staff_for(role) if earlier is not None else None
            changed_now = held is not None and held != group.staff_for(role)
            changed_then = held is not None and held != person
            values["staff_changes"] = int(changed_then) - int(changed_now)
        options.append(
            Option(
                group.id,
                is_current,
                tuple(TermChange(term, values[term]) for term in terms),
                () if is_current else bars.get(group.id, ()),
                len(workload) + (0 if is_current else 1),
                limit,
            )
        )
    return Recommendation(person, role, terms, _ranked(plan, options))
