"""A first grouping: membership from nothing, decided by cohesion, then balance.

When a kind's groups are interchangeable (`symmetry.interchangeable_groups`: no pin names them, none
holds a unit in the baseline, no chair history binds them), nothing but the cohesion terms and
the size spread tells one membership from another: moves are the same wherever the units go,
staff changes do not depend on membership, and any member may chair. That is a first grouping
(HCMC's 168 new communes and wards in 16 empty clusters). The full model is then at its
hardest, since every relabelling of the groups is another solution, yet the problem falls
apart into small exact pieces, in the lexicographic order of the terms:

1. Tag cohesion. If every unit of the kind holds exactly one listed tag, a grouping without a
   mixed group is a choice of how many groups each tag gets: k_t groups for n_t units, with
   ceil(n_t / high) <= k_t <= floor(n_t / low) and the k_t summing to the kind's groups. If
   such counts exist the term's optimum is 0, proven (no plan does better), and the tags never
   share a group: each tag's units are a problem of their own, and a neighbour pair across
   two tags is split in every such grouping. (A single part holds all the units when the tag
   term is off or does not vary on this kind.)
2. Neighbour cohesion. For each tag and each count k it may get, the fewest neighbour pairs
   split when its units form k groups within the size bounds, N_t(k): a small CP-SAT model
   (`_PartModel`) in which units without neighbours are counted rather than placed, the
   groups are ordered by their first unit (they are interchangeable) and every connected set
   of neighbours too large for one group must lose pairs (`thidua.cohesion.pair_components`).
   The counts with the smallest sum of N_t(k_t) win.
3. Spread. The narrowest size window [a, b] such that, for counts tied at the neighbour
   optimum, each tag's units fit k_t groups of a to b members while splitting no more than
   N_t(k_t) pairs. Windows are tried narrowest first; most fail on counting alone
   (k a <= n <= k b), the rest get a feasibility model.

Each step is exact. A model that the time limit stops leaves its bound instead of a proof, so
the result states its gap. Staff and chairs are not concerned: they never depend on which
interchangeable group a unit joins (`thidua.solver.solve` adds them).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

import attrs

from thidua import cohesion, geography
from thidua.model import PinKind, Plan
from thidua.rules import RuleContext, soft
from thidua.solver.backend import cp_model
from thidua.solver.runner import RunnerLike, time_share
from thidua.solver.symmetry import interchangeable_groups

__all__ = ["KindGrouping", "first_groupings"]

# Count vectors beyond this many are not enumerated: the kind goes to the full model.
_MAX_VECTORS = 20_000


@attrs.frozen
class KindGrouping:
    """The membership of one kind's groups, its cohesion and spread, and their bounds.

    `values` and `bounds` hold the kind's share of `tag_cohesion`, `neighbour_cohesion` and
    `spread`; a bound is conditional on the terms before it, as in every lexicographic
    stage. `proven`: every active term is at its bound.
    """

    kind: str
    assignment: Mapping[str, str]
    values: Mapping[str, int]
    bounds: Mapping[str, int]
    proven: bool


def first_groupings(
    context: RuleContext, baseline: Plan, runner: RunnerLike
) -> dict[str, KindGrouping]:
    """The kinds whose membership the decomposition settles, with what it found.

    Only for lexicographic objectives, and kinds on which an active cohesion term varies,
    whose groups are all interchangeable and whose units no pin names; with the tag term
    active, only when every unit holds exactly one listed tag and counts without a mixed group
    exist. Other kinds are left to the full model.
    """
    plan = context.plan
    settings = plan.rules.objective
    if not settings.lexicographic:
        return {}
    tag_on = soft.TAG_COHESION.configured(plan) and soft.TAG_COHESION.weight(settings) > 0
    pairs_on = (
        soft.NEIGHBOUR_COHESION.configured(plan) and soft.NEIGHBOUR_COHESION.weight(settings) > 0
    )
    tag_kinds = set(cohesion.kinds_in_play(plan, cohesion.TAG_COHESION)) if tag_on else set()
    pair_kinds = (
        set(cohesion.kinds_in_play(plan, cohesion.NEIGHBOUR_COHESION)) if pairs_on else set()
    )
    geo_kinds = {
        kind
        for name in geography.geography_terms(plan)
        if getattr(settings, name, 1) > 0
        for kind in geography.kinds_in_play(plan, name)
    }
    interchangeable = interchangeable_groups(context, baseline)
    pinned = {pin.subject for pin in plan.pins if pin.kind is not PinKind.STAFF}
    found: dict[str, KindGrouping] = {}
    for kind in dict.fromkeys(group.kind for group in plan.groups):
        if kind not in tag_kinds | pair_kinds | geo_kinds:
            continue
        groups = tuple(group.id for group in plan.groups if group.kind == kind)
        if interchangeable.get(kind) != groups:
            continue
        units = [unit for unit in plan.units if unit.kind == kind]
        if any(unit.id in pinned for unit in units):
            continue
        if kind in geo_kinds:
            # Geography decides (thidua.solver.districts); neighbour pairs, if the plan also
            # lists them, are counted on its grouping but not minimised: their bound is 0.
            # Imported here: it brings networkx, which plans without borders never need.
            from thidua.solver import districts

            answer = districts.kind_grouping(
                plan,
                kind,
                groups,
                runner,
                by_tag=kind in tag_kinds,
                spread_on=settings.spread > 0,
            )
            if answer is not None:
                values = dict(answer.values)
                bounds = dict(answer.bounds)
                proven = answer.proven
                if pairs_on and kind in pair_kinds:
                    values[cohesion.NEIGHBOUR_COHESION] = _kind_split_pairs(plan, answer.assignment)
                    bounds[cohesion.NEIGHBOUR_COHESION] = 0
                    proven = proven and values[cohesion.NEIGHBOUR_COHESION] == 0
                found[kind] = KindGrouping(kind, answer.assignment, values, bounds, proven)
            continue
        problem = _KindProblem.build(plan, kind, groups, kind in tag_kinds, pairs_on)
        grouping = problem.solve(runner) if problem is not None else None
        if grouping is not None:
            found[kind] = grouping
    return found


def _kind_split_pairs(plan: Plan, assignment: Mapping[str, str]) -> int:
    """Neighbour pairs of the kind's units that the grouping splits."""
    return sum(
        assignment[first] != assignment[second]
        for first, second in cohesion.neighbour_pairs(plan)
        if first in assignment and second in assignment
    )


# --------------------------------------------------------------------------------------------
# One part: the units of one tag, to be split into k groups


@attrs.frozen
class _Part:
    """Units that may share groups only with each other, and the neighbour pairs among them."""

    tag: str | None
    units: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]


@attrs.frozen
class _Outcome:
    """A part split into k groups: `assignment` unit -> local group, `split` pairs cut by it.

    `bound` is a lower bound on the pairs cut (minimisation) and `proven` whether the
    assignment's count is proven least, or, for a feasibility question, whether the answer is
    proven. No assignment: proven means no grouping fits.
    """

    assignment: Mapping[str, int] | None
    split: int
    bound: int
    proven: bool

    @property
    def found(self) -> bool:
        return self.assignment is not None

    def sizes(self, k: int) -> list[int]:
        sizes = [0] * k
        for group in (self.assignment or {}).values():
            sizes[group] += 1
        return sizes


def _balanced(units: Sequence[str], k: int) -> dict[str, int]:
    """The units dealt into k groups whose sizes differ by one at most, in order."""
    base, extra = divmod(len(units), k)
    assignment: dict[str, int] = {}
    index = 0
    for group in range(k):
        for _ in range(base + (group < extra)):
            assignment[units[index]] = group
            index += 1
    return assignment


def _split_count(pairs: Sequence[tuple[str, str]], assignment: Mapping[str, int]) -> int:
    return sum(assignment[first] != assignment[second] for first, second in pairs)


def _greedy(part: _Part, k: int, order: Sequence[str]) -> dict[str, int]:
    """A quick grouping of balanced sizes that keeps connected neighbours together where it
    can: each connected set (in `order`, largest first) goes whole to the group with the most
    room, or, too big for any, fills the roomiest groups in turn; the other units fill what is
    left, in plan order. The model's hint, and the answer when it finds nothing in time.
    """
    base, extra = divmod(len(part.units), k)
    room = [base + (group < extra) for group in range(k)]
    assignment: dict[str, int] = {}
    placed = set(order)
    component: list[str] = []
    adjacent: dict[str, set[str]] = {}
    for first, second in part.pairs:
        adjacent.setdefault(first, set()).add(second)
        adjacent.setdefault(second, set()).add(first)

    def place(units: Sequence[str]) -> None:
        # Whole into the roomiest group, or in pieces filling the roomiest groups in turn.
        target = max(range(k), key=lambda g: (room[g], -g))
        for unit in units:
            if room[target] == 0:
                target = max(range(k), key=lambda g: (room[g], -g))
            assignment[unit] = target
            room[target] -= 1

    # `order` lists each connected set contiguously; a unit not adjacent to the set so far
    # starts the next one.
    seen: set[str] = set()
    for unit in order:
        if component and not adjacent.get(unit, set()) & seen:
            place(component)
            component, seen = [], set()
        component.append(unit)
        seen.add(unit)
    if component:
        place(component)
    for unit in part.units:
        if unit not in placed:
            target = next(g for g in range(k) if room[g] > 0)
            assignment[unit] = target
            room[target] -= 1
    return assignment


class _PartModel:
    """CP-SAT model of one part in k groups of `low` to `high` members.

    Units with neighbours get a literal per group; the others are interchangeable, so only
    how many of them each group takes is decided. The groups are ordered by their first unit
    with neighbours (value precedence), and groups without any such unit by how many units
    they take, which leaves one labelling of each grouping.
    """

    def __init__(self, part: _Part, k: int, low: int, high: int) -> None:
        self.part, self.k = part, k
        model = self.model = cp_model.CpModel()
        self.order = self._paired_order()
        paired = set(self.order)
        self.isolated = [unit for unit in part.units if unit not in paired]
        position = {unit: index for index, unit in enumerate(self.order)}
        # rows[i][j]: the i-th unit with neighbours joins group j (only j <= i: precedence).
        self.rows: list[list[cp_model.IntVar]] = []
        for index in range(len(self.order)):
            row = [model.new_bool_var("") for _ in range(min(index + 1, k))]
            model.add_exactly_one(row)
            self.rows.append(row)
        self.counts = [model.new_int_var(0, min(high, len(self.isolated)), "") for _ in range(k)]
        model.add(sum(self.counts) == len(self.isolated))
        for group in range(k):
            members = [row[group] for row in self.rows if group < len(row)]
            model.add_linear_constraint(
                cp_model.LinearExpr.sum(members) + self.counts[group], low, high
            )
        used = self._precedence()
        for group in range(k - 1):
            # Groups no unit with neighbours joined come last (precedence): order them too.
            model.add(self.counts[group] >= self.counts[group + 1]).only_enforce_if(
                used[group].negated()
            )
        kept: dict[tuple[str, str], list[cp_model.IntVar]] = {}
        self.kept = kept
        for first, second in part.pairs:
            row_a, row_b = self.rows[position[first]], self.rows[position[second]]
            literals = []
            for group in range(min(len(row_a), len(row_b))):
                both = model.new_bool_var("")
                model.add_implication(both, row_a[group])
                model.add_implication(both, row_b[group])
                literals.append(both)
            # A unit joins one group, so a pair is together in one group at most; said
            # outright, the LP sees it (implications alone stay out of it).
            model.add_at_most_one(literals)
            kept[first, second] = literals
        # The split pairs, as a variable whose domain starts at the components' bound: the
        # search then stops as soon as it meets it, with no proof to find.
        self.floor = 0
        for component in cohesion.pair_components(part.units, part.pairs):
            if len(component) <= high:
                continue
            inside = set(component)
            edges = [pair for pair in part.pairs if pair[0] in inside]
            cut = len(edges) - cp_model.LinearExpr.sum(
                [literal for pair in edges for literal in kept[pair]]
            )
            needed = math.ceil(len(component) / high) - 1
            model.add(cut >= needed)
            self.floor += needed
        self.split = model.new_int_var(self.floor, max(self.floor, len(part.pairs)), "split")
        model.add(
            self.split
            == len(part.pairs)
            - cp_model.LinearExpr.sum(
                [literal for literals in kept.values() for literal in literals]
            )
        )

    def _paired_order(self) -> list[str]:
        """Units with neighbours, component by component (largest first), breadth first.

        Neighbours close in the order make precedence prune early.
        """
        adjacent: dict[str, list[str]] = {}
        for first, second in self.part.pairs:
            adjacent.setdefault(first, []).append(second)
            adjacent.setdefault(second, []).append(first)
        components = sorted(
            cohesion.pair_components(self.part.units, self.part.pairs), key=len, reverse=True
        )
        order: list[str] = []
        for component in components:
            seen = {component[0]}
            queue = [component[0]]
            for unit in queue:
                for other in adjacent[unit]:
                    if other not in seen:
                        seen.add(other)
                        queue.append(other)
            order.extend(queue)
        return order

    def _precedence(self) -> list[cp_model.IntVar]:
        """Group j may take a unit only after group j - 1 took an earlier one; returns, per
        group, whether some unit with neighbours joined it."""
        model, k = self.model, self.k
        seen: list[cp_model.IntVar] = []
        # seen_rows[i][j]: one of the first i + 1 units with neighbours joined group j.
        self.seen_rows: list[list[cp_model.IntVar]] = []
        for index, row in enumerate(self.rows):
            for group in range(1, len(row)):
                model.add_implication(row[group], seen[group - 1])
            now = []
            for group in range(k):
                literal = model.new_bool_var("")
                parts = [seen[group]] if group < len(seen) else []
                if group < len(row):
                    parts.append(row[group])
                for part in parts:
                    model.add_implication(part, literal)
                model.add_bool_or([*parts, literal.negated()])
                now.append(literal)
            seen = now
            self.seen_rows.append(now)
            if index == len(self.rows) - 1:
                return seen
        return [model.new_constant(0) for _ in range(k)]

    def hint(self, assignment: Mapping[str, int]) -> None:
        """Hint a grouping, every variable of it, relabelled as the precedence wants: groups
        by their first unit with neighbours, then those without any by how many units they
        take. A complete hint is one CP-SAT keeps as its first solution."""
        first: dict[int, int] = {}
        for index, unit in enumerate(self.order):
            first.setdefault(assignment[unit], index)
        counts = [0] * self.k
        for unit in self.isolated:
            counts[assignment[unit]] += 1
        labels = sorted(range(self.k), key=lambda g: (first.get(g, len(self.order)), -counts[g]))
        relabel = {old: new for new, old in enumerate(labels)}
        group_of = {unit: relabel[assignment[unit]] for unit in self.order}
        model = self.model
        joined: set[int] = set()
        for unit, row, seen in zip(self.order, self.rows, self.seen_rows, strict=True):
            for group, literal in enumerate(row):
                model.add_hint(literal, group_of[unit] == group)
            joined.add(group_of[unit])
            for group, literal in enumerate(seen):
                model.add_hint(literal, group in joined)
        for old, new in relabel.items():
            model.add_hint(self.counts[new], counts[old])
        for (first_unit, second_unit), literals in self.kept.items():
            for group, literal in enumerate(literals):
                same = group_of[first_unit] == group_of[second_unit] == group
                model.add_hint(literal, same)
        model.add_hint(self.split, _split_count(self.part.pairs, assignment))

    def read(self, solver: cp_model.CpSolver) -> dict[str, int]:
        """The grouping found; units without neighbours dealt by document order.

        Which of them goes where changes no term, only the counts do. Plans list units in
        document order, which follows the former districts, so each group gets a run of
        them near its units with neighbours: groups in the order of their median such unit,
        and the units in plan order (the best matching when positions are all one knows).
        """
        assignment = {}
        for unit, row in zip(self.order, self.rows, strict=True):
            assignment[unit] = next(g for g, lit in enumerate(row) if solver.boolean_value(lit))
        position = {unit: index for index, unit in enumerate(self.part.units)}
        placed: dict[int, list[int]] = {}
        for unit, group in assignment.items():
            placed.setdefault(group, []).append(position[unit])

        def centre(group: int) -> tuple[float, int]:
            found = sorted(placed.get(group, ()))
            return (found[len(found) // 2] if found else math.inf, group)

        isolated = iter(self.isolated)
        for group in sorted(range(self.k), key=centre):
            for _ in range(solver.value(self.counts[group])):
                assignment[next(isolated)] = group
        return assignment


def _solve_part(
    part: _Part,
    k: int,
    window: tuple[int, int],
    runner: RunnerLike,
    time_limit: float | None,
    *,
    cap: int | None = None,
    start: Mapping[str, int] | None = None,
) -> _Outcome:
    """The fewest pairs cut (no `cap`), or any grouping cutting at most `cap` (feasibility).

    Minimising starts from `start`, or from `_greedy`'s grouping, which is also the answer
    when CP-SAT finds nothing better in time.
    """
    low, high = window
    if not k * low <= len(part.units) <= k * high:
        return _Outcome(None, 0, 0, True)
    if not part.pairs:
        return _Outcome(_balanced(part.units, k), 0, 0, True)
    built = _PartModel(part, k, low, high)
    quick: dict[str, int] | None = None
    if cap is None:
        built.model.minimize(built.split)
        stage = cohesion.NEIGHBOUR_COHESION
        # Balanced sizes fit every window that k groups of these units can fit.
        quick = dict(start) if start is not None else _greedy(part, k, built.order)
        built.hint(quick)
    else:
        built.model.add(built.split <= cap)
        stage = "spread"
    status, solver = runner.run(built.model, stage, time_limit=time_limit, hinted=quick is not None)
    if status == cp_model.INFEASIBLE:
        return _Outcome(None, 0, 0, True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if quick is None:
            return _Outcome(None, 0, 0, False)
        return _Outcome(quick, _split_count(part.pairs, quick), built.floor, False)
    assignment = built.read(solver)
    split = _split_count(part.pairs, assignment)
    if cap is not None:
        return _Outcome(assignment, split, 0, True)
    optimal = status == cp_model.OPTIMAL
    bound = split if optimal else math.ceil(solver.best_objective_bound - 1e-6)
    bound = min(split, max(bound, built.floor))
    if quick is not None and _split_count(part.pairs, quick) < split:
        assignment, split = quick, _split_count(part.pairs, quick)  # stopped short of its hint
    return _Outcome(assignment, split, bound, split == bound)


# --------------------------------------------------------------------------------------------
# One kind


@attrs.frozen
class _KindProblem:
    kind: str
    groups: tuple[str, ...]
    parts: tuple[_Part, ...]
    # Pairs across parts: cut in every grouping that keeps the parts apart.
    crossing: int
    window: tuple[int, int]
    spread_on: bool
    order: Mapping[str, int]

    @classmethod
    def build(
        cls, plan: Plan, kind: str, groups: tuple[str, ...], by_tag: bool, pairs_on: bool
    ) -> _KindProblem | None:
        units = [unit for unit in plan.units if unit.kind == kind]
        members: dict[str | None, list[str]] = {}
        if by_tag:
            for unit in units:
                tags = cohesion.listed_tags(plan, unit)
                if len(tags) != 1:
                    return None  # untagged or multi-tagged units bind the tags together
                members.setdefault(tags[0], []).append(unit.id)
            tags_order = {tag: i for i, tag in enumerate(plan.rules.cohesion_tags)}
            members = dict(sorted(members.items(), key=lambda item: tags_order[item[0] or ""]))
        else:
            members[None] = [unit.id for unit in units]
        part_of = {unit: tag for tag, ids in members.items() for unit in ids}
        inside: dict[str | None, list[tuple[str, str]]] = {tag: [] for tag in members}
        crossing = 0
        if pairs_on:
            for first, second in cohesion.neighbour_pairs(plan):
                if first not in part_of or second not in part_of:
                    continue
                if part_of[first] == part_of[second]:
                    inside[part_of[first]].append((first, second))
                else:
                    crossing += 1
        parts = tuple(_Part(tag, tuple(ids), tuple(inside[tag])) for tag, ids in members.items())
        low, high = plan.rules.group_size
        low = max(low, 2 if plan.rules.deputy else 1)  # a chair, and a deputy if required
        if low > high:
            return None
        return cls(
            kind=kind,
            groups=groups,
            parts=parts,
            crossing=crossing,
            window=(low, high),
            spread_on=plan.rules.objective.spread > 0,
            order={unit.id: index for index, unit in enumerate(plan.units)},
        )

    def vectors(self) -> list[tuple[int, ...]] | None:
        """Every count of groups per part that fits the size bounds and sums to the groups."""
        low, high = self.window
        ranges = [
            range(math.ceil(len(part.units) / high), len(part.units) // low + 1)
            for part in self.parts
        ]
        found: list[tuple[int, ...]] = []

        def extend(prefix: tuple[int, ...], left: int) -> Iterator[tuple[int, ...]]:
            index = len(prefix)
            if index == len(ranges):
                if left == 0:
                    yield prefix
                return
            rest_low = sum(r.start for r in ranges[index + 1 :])
            rest_high = sum(r.stop - 1 for r in ranges[index + 1 :])
            for count in ranges[index]:
                if rest_low <= left - count <= rest_high:
                    yield from extend((*prefix, count), left - count)

        for vector in extend((), len(self.groups)):
            found.append(vector)
            if len(found) > _MAX_VECTORS:
                return None
        return found

    def solve(self, runner: RunnerLike) -> KindGrouping | None:
        vectors = self.vectors()
        if not vectors:
            return None  # no counts keep the tags apart: the full model weighs the mix
        needed = sorted({(i, vector[i]) for vector in vectors for i in range(len(self.parts))})
        fewest: dict[tuple[int, int], _Outcome] = {}
        for position, (i, k) in enumerate(needed):
            if runner.stopped():
                return None
            # An even share of the time left, one more share kept for the spread.
            share = time_share(runner, len(needed) - position + 1)
            fewest[i, k] = _solve_part(self.parts[i], k, self.window, runner, share)
        # Time the first pass left over goes to the questions it left open, from the best
        # grouping found so far.
        unproven = [key for key in needed if not fewest[key].proven]
        for position, (i, k) in enumerate(unproven):
            if runner.stopped():
                break
            share = time_share(runner, len(unproven) - position + 1)
            before = fewest[i, k]
            again = _solve_part(
                self.parts[i], k, self.window, runner, share, start=before.assignment
            )
            better = again if again.found and again.split <= before.split else before
            bound = max(before.bound, again.bound)
            fewest[i, k] = attrs.evolve(better, bound=bound, proven=better.split == bound)
        usable = [v for v in vectors if all(fewest[i, k].found for i, k in enumerate(v))]
        if not usable:
            return None
        totals = {v: sum(fewest[i, k].split for i, k in enumerate(v)) for v in usable}
        best = min(totals.values())
        lower = min(sum(fewest[i, k].bound for i, k in enumerate(v)) for v in vectors)
        tied = [v for v in usable if totals[v] == best]

        chosen: dict[int, Mapping[str, int]] | None = None
        vector = tied[0]
        spread_bound = 0
        spread_proven = True
        if self.spread_on:
            vector, chosen, spread_bound, spread_proven = self._narrowest(runner, tied, fewest)
        if chosen is None:
            chosen = {i: fewest[i, k].assignment or {} for i, k in enumerate(vector)}
        assignment = self._label(vector, chosen)
        sizes: dict[str, int] = dict.fromkeys(self.groups, 0)
        for group in assignment.values():
            sizes[group] += 1
        spread = max(sizes.values()) - min(sizes.values())
        if not self.spread_on:
            spread_bound, spread_proven = 0, True
        # Counted on the grouping itself: a feasibility answer may cut fewer pairs than the
        # unproven best it was capped by.
        split = sum(_split_count(part.pairs, chosen[i]) for i, part in enumerate(self.parts))
        neighbour_proven = lower == split
        values = {
            cohesion.TAG_COHESION: 0,
            cohesion.NEIGHBOUR_COHESION: split + self.crossing,
            "spread": spread,
        }
        bounds = {
            cohesion.TAG_COHESION: 0,
            cohesion.NEIGHBOUR_COHESION: lower + self.crossing,
            "spread": min(spread_bound, spread),
        }
        spread_met = not self.spread_on or (spread_proven and bounds["spread"] == spread)
        proven = neighbour_proven and spread_met
        return KindGrouping(self.kind, assignment, values, bounds, proven)

    def _narrowest(
        self,
        runner: RunnerLike,
        tied: Sequence[tuple[int, ...]],
        fewest: Mapping[tuple[int, int], _Outcome],
    ) -> tuple[tuple[int, ...], dict[int, Mapping[str, int]] | None, int, bool]:
        """The narrowest window some tied count vector fits, with each part's grouping.

        Returns the vector, the groupings (None when no window could be confirmed: the
        neighbour optimum's own groupings are kept), the spread's lower bound and whether
        every narrower window was proven not to fit.
        """
        low, high = self.window
        answers: dict[tuple[int, int, int, int], _Outcome] = {}
        undecided: int | None = None  # the narrowest width with an unanswered question
        for width in range(high - low + 1):
            for start in range(low, high - width + 1):
                window = (start, start + width)
                for vector in tied:
                    fits = self._fits(runner, vector, window, fewest, answers)
                    if fits is None:
                        undecided = width if undecided is None else undecided
                    elif fits:
                        bound = width if undecided is None else undecided
                        chosen = {
                            i: answers[i, k, window[0], window[1]].assignment or {}
                            for i, k in enumerate(vector)
                        }
                        return vector, chosen, bound, bound == width
        return tied[0], None, undecided if undecided is not None else 0, False

    def _fits(
        self,
        runner: RunnerLike,
        vector: tuple[int, ...],
        window: tuple[int, int],
        fewest: Mapping[tuple[int, int], _Outcome],
        answers: dict[tuple[int, int, int, int], _Outcome],
    ) -> bool | None:
        """Whether every part fits its groups within `window` at its neighbour optimum.

        Counting first for every part (cheap, and usually decisive), then the groupings the
        neighbour optimum already found, then a feasibility model. None: undecided in time.
        """
        low, high = window
        for i, k in enumerate(vector):
            if not k * low <= len(self.parts[i].units) <= k * high:
                return False
        undecided = False
        for i, k in enumerate(vector):
            key = (i, k, low, high)
            if key not in answers:
                best = fewest[i, k]
                if best.found and all(low <= size <= high for size in best.sizes(k)):
                    answers[key] = best
                elif runner.stopped():
                    return None
                else:
                    share = time_share(runner, 2)
                    answers[key] = _solve_part(
                        self.parts[i], k, window, runner, share, cap=best.split
                    )
            answer = answers[key]
            if not answer.found and answer.proven:
                return False
            undecided |= not answer.found
        return None if undecided else True

    def _label(
        self, vector: tuple[int, ...], chosen: Mapping[int, Mapping[str, int]]
    ) -> dict[str, str]:
        """Local groups to the kind's groups: parts in order, within a part by first member."""
        assignment: dict[str, str] = {}
        groups = iter(self.groups)
        for i, k in enumerate(vector):
            local = chosen[i]
            first: dict[int, int] = {}
            for unit, group in local.items():
                first[group] = min(first.get(group, len(self.order)), self.order[unit])
            ordered = sorted(range(k), key=lambda g: first.get(g, len(self.order)))
            target = {group: next(groups) for group in ordered}
            for unit, group in local.items():
                assignment[unit] = target[group]
        return assignment
