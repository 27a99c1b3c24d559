"""Membership as a transportation problem between groups: the exact fewest moves, in milliseconds.

The first objective term (units moved out of the group that held them last year) depends on
membership only, and membership alone has a flow structure: units that stay cost nothing and
every move costs the same, so units of one group are interchangeable and the problem can be
stated between *groups* (and a few classes of units) instead of between units and groups. Per
kind (units join only groups of their own kind, so kinds never interact) this module computes:

- `min_moves`: the exact minimum number of moves of any plan whose membership keeps every unit
  in exactly one group of its kind, every group within the size bounds, and every pin;
- `min_spread`: the smallest difference between the largest and the smallest group of the kind
  among the memberships that make only `min_moves` moves (the third term, given the first);
- `assignment`: a complete membership achieving both. The counts have a closed form (see
  `_KindProblem.extra_moves`); the membership is built directly from it when the draft copies
  last year's groups, and otherwise by a networkx min-cost flow that also keeps as much of
  the draft as the optimum allows;
- `spread_frontier`: every (moves, spread) trade-off no membership beats, so that weighted
  objectives get their exact membership optimum too (`max_spread` then builds it).

What counts as a move (the contract's term 1): a unit that the most recent previous plan lists
in exactly one group, and that the new plan does not keep in that group. A unit the previous
plan does not list (or lists in several groups) is new and free wherever it goes. A unit whose
previous group was removed, or changed kind, moves necessarily and counts one.

What the computation accounts for:

- units' kinds and groups' kinds (`group-kind`);
- every unit in exactly one group (`unit-in-one-group`);
- the size bounds `rules.group_size` (`group-size`), raised to at least 1 member because every
  group needs a chair among its members (`chair-is-member`), and to 2 with deputies
  (`deputy-is-member`: a deputy other than the chair);
- unit pins, and chair pins (a pinned chair must be a member, so it pins membership too);
- groups removed since the previous plan, new (empty) groups, new and unplaced units.

What the chair rules ask of membership, given as `ChairLimits` (`start.chair_limits` reads
them from the rules): a group whose chair is not pinned must hold a unit the rotation lets
chair it. Where its pinned units are all barred, that is a unit from outside or one of its
anchored units (there last year, unpinned) that may chair it and stays, which the sizes may
forbid (pins fill it) or other groups may claim; where its kept units (pinned there, or there
last year) are all barred, it must take one from outside;
a `chair-succession` successor that a pinned chair keeps out must leave its group (one move)
and never return. With either, the count is a min-cost flow (`_KindProblem.network`) instead of
the closed form: exact wherever the units the rotation bars from a group are among those it
keeps (they chaired it and stayed, the usual case), and a valid lower bound otherwise.
tests/test_chair_bounds.py checks both against every membership of small random plans.

What it does not account for: staff. Leaders and officers (`one-leader`, `one-officer`, the
workloads, `staff-available`, staff pins, and the second objective term) do not depend on
membership at all, so they neither constrain it nor change its optimum. The other chair
conditions (a group whose only allowed chair is shed, a unit barred from a group it did not
keep) leave the values valid lower bounds, and the solver's full model settles them. Soft
terms (tag and neighbour cohesion) are ignored. The draft's own membership only breaks ties:
among optimal memberships the flow prefers the one that changes the draft least (not in the
min-cost flow, which keeps no draft).

`previous` is the plan moves are counted against. Without one every unit is free here; the
solver instead counts against the draft itself then, so it passes `context.last or plan`.
"""

from __future__ import annotations

import heapq
import types
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from thidua.model import Group, PinKind, Plan
from thidua.rules.checks import group_label, unit_label

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "ChairLimits",
    "KindFlow",
    "min_moves_by_kind",
    "previous_group",
    "spread_frontier",
]


def _frozen_mapping(value: Mapping[str, object]) -> Mapping[str, object]:
    return types.MappingProxyType(dict(value))


@attrs.frozen
class KindFlow:
    """The membership optimum of one kind of units.

    `feasible` is False when no membership meets the size bounds and pins; then `problem` says
    why in a planner's words, `min_moves` counts only the moves that pins and removed groups
    force (a lower bound that nothing attains), `min_spread` is None, and `assignment` is a best
    effort that keeps every unit where it was or was pinned (units of a kind without any group
    are left out of it).
    """

    kind: str
    min_moves: int
    assignment: Mapping[str, str] = attrs.field(converter=_frozen_mapping, hash=False)
    feasible: bool
    # Smallest largest-minus-smallest group size among memberships making `min_moves` moves
    # (and within the `max_spread` asked for, if any).
    min_spread: int | None = None
    # Group id -> member count in `assignment`, for every group of the kind.
    sizes: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    # Moves that every membership makes: units pinned away from last year's group, units whose
    # group was removed. Included in `min_moves`.
    forced: int = 0
    problem: str | None = None


@attrs.frozen
class ChairLimits:
    """What the chair rules ask of membership, in the flow's terms.

    `barred`: group id -> the units the rotation bars from chairing it. A group whose chair
    is not pinned (`chair_pinned`) must hold a member not barred: with all its pinned units
    barred, one from outside or one of the units it held last year (unpinned) that stays; with
    all its kept units (pinned there, or there last year and unpinned) barred, one from outside.
    `evicted`: unit id -> the group that held it and that it must leave (the succession rule
    against a pinned chair, see `thidua.solver.start.evicted`); it counts one move and never
    returns there.
    """

    barred: Mapping[str, frozenset[str]] = attrs.field(
        factory=dict, converter=_frozen_mapping, hash=False
    )
    chair_pinned: frozenset[str] = frozenset()
    evicted: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)


_NO_LIMITS = ChairLimits()


def previous_group(previous: Plan | None, unit: str) -> str | None:
    """The group that held `unit` in the previous plan, or None when the unit is new there.

    A unit listed in several groups of the previous plan had no single group, so it is new too.
    """
    return None if previous is None else previous.group_of(unit)


def min_moves_by_kind(
    plan: Plan,
    previous: Plan | None,
    *,
    max_spread: Mapping[str, int] | None = None,
    chairs: ChairLimits = _NO_LIMITS,
) -> dict[str, KindFlow]:
    """The fewest moves, smallest spread given them, and a membership achieving both, per kind.

    Kinds are those of the plan's units and groups, in order of first appearance. See the
    module's docstring for exactly which rules are taken into account. With `max_spread`, the
    groups of a kind it names may differ in size by that much at most: `min_moves` is then the
    fewest moves under that cap (for weighted objectives: see `spread_frontier`). With
    `chairs`, every group keeps a unit the rotation lets chair it and evicted units leave.
    """
    kinds = dict.fromkeys([unit.kind for unit in plan.units] + [g.kind for g in plan.groups])
    caps = max_spread or {}
    return {
        kind: _KindProblem.build(plan, previous, kind, chairs).solve(caps.get(kind))
        for kind in kinds
    }


def spread_frontier(
    plan: Plan, previous: Plan | None, *, chairs: ChairLimits = _NO_LIMITS
) -> dict[str, tuple[tuple[int, int], ...]]:
    """Per kind, every (moves, spread) pair that no membership beats on both, fewest moves first.

    The first pair is `min_moves_by_kind`'s (fewest moves, smallest spread with them); each
    next one trades more moves for a smaller spread. A weighted objective w_m * moves + w_s *
    spread (summed over kinds, which never interact) is therefore minimised, over membership,
    by the best pair of each kind; `min_moves_by_kind(plan, previous, max_spread={kind:
    spread})` gives a membership achieving that pair. Empty for a kind without any valid
    membership. Each pair costs one pass over the size windows: cheap for realistic bounds.
    """
    frontier: dict[str, tuple[tuple[int, int], ...]] = {}
    kinds = dict.fromkeys([unit.kind for unit in plan.units] + [g.kind for g in plan.groups])
    for kind in kinds:
        problem = _KindProblem.build(plan, previous, kind, chairs)
        points: list[tuple[int, int]] = []
        found = None if problem.problem is not None else problem.best_window()
        while found is not None:
            extra, window = found
            spread = window.high - window.low
            points.append((problem.forced + extra, spread))
            found = problem.best_window(spread - 1) if spread > 0 else None
        frontier[kind] = tuple(points)
    return frontier


# --------------------------------------------------------------------------------------------
# One kind


@attrs.frozen
class _Window:
    """Size bounds [low, high] every group of the kind must meet."""

    low: int
    high: int


@attrs.frozen
class _KindProblem:
    """The data of one kind, reduced to what the transportation problem needs."""

    kind: str
    groups: tuple[Group, ...]
    bounds: _Window
    # Group id -> units that must be in it (unit pins and chair pins).
    pinned: Mapping[str, tuple[str, ...]]
    # Group id -> unpinned units that group held last year: staying costs 0, leaving 1.
    anchored: Mapping[str, tuple[str, ...]]
    # Unpinned units free to go anywhere at no extra cost (new, or their group is gone).
    free: tuple[str, ...]
    # Unit id -> the group the draft puts it in (same kind only), to break ties towards it.
    draft: Mapping[str, str]
    forced: int
    problem: str | None
    # Groups that must hold a unit the rotation lets chair them besides their pins (every
    # pinned unit barred, chair not pinned): one from outside, or one of `keepers`' anchored.
    needy: frozenset[str] = frozenset()
    # Needy groups with an anchored unit (not evicted) that may chair them, listed first in
    # `anchored`: keeping it meets the need as well as a unit from outside does.
    keepers: frozenset[str] = frozenset()
    # Group id -> how many of its anchored units must leave (listed last in `anchored`).
    leaving: Mapping[str, int] = attrs.field(factory=dict)
    # Window -> `network`'s fewest moves, which the window search and the result both ask for.
    memo: dict[_Window, int | None] = attrs.field(factory=dict, eq=False, repr=False)
    # `network`'s graph, once laid (a list: the class is frozen).
    layout: list[_Network] = attrs.field(factory=list, eq=False, repr=False)
    # Group id -> its index among `groups`, filled on first use (the hubs' bits).
    positions: dict[str, int] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def build(
        cls, plan: Plan, previous: Plan | None, kind: str, chairs: ChairLimits = _NO_LIMITS
    ) -> _KindProblem:
        groups = tuple(group for group in plan.groups if group.kind == kind)
        group_ids = {group.id for group in groups}
        units = [unit.id for unit in plan.units if unit.kind == kind]
        low, high = plan.rules.group_size
        # A group needs a chair among its members, and with deputies a second member.
        low = max(low, 2 if plan.rules.deputy else 1)
        problem: str | None = None

        # Unit id -> the groups it is pinned to, as a member or as chair (a chair is a member).
        pins: dict[str, dict[str, None]] = defaultdict(dict)
        of_kind = set(units)
        for pin in plan.pins:
            if pin.kind in (PinKind.UNIT, PinKind.CHAIR) and pin.subject in of_kind:
                pins[pin.subject][pin.group] = None
        # Units of a draft group first, in its listing order: the last listed leave first.
        position = {member: index for group in groups for index, member in enumerate(group.members)}
        pinned: dict[str, list[str]] = {group.id: [] for group in groups}
        anchored: dict[str, list[str]] = {group.id: [] for group in groups}
        free: list[str] = []
        draft: dict[str, str] = {}
        forced = 0
        evicted: dict[str, list[str]] = {group.id: [] for group in groups}
        for unit in sorted(units, key=lambda u: position.get(u, len(position))):
            before = previous_group(previous, unit)
            placed = plan.groups_of_unit.get(unit, ())
            if len(placed) == 1 and placed[0] in group_ids:
                draft[unit] = placed[0]
            targets = list(pins.get(unit, {}))
            if len(targets) > 1:
                names = " and ".join(group_label(plan, g) for g in targets)
                problem = problem or f"{unit_label(plan, unit)} is pinned to {names}"
            elif targets and targets[0] not in group_ids:
                problem = problem or (
                    f"{unit_label(plan, unit)} is pinned to {group_label(plan, targets[0])}, "
                    f"which is not a group of {kind} units"
                )
            if targets and targets[0] in group_ids:
                pinned[targets[0]].append(unit)
                if before is not None and before != targets[0]:
                    forced += 1
            elif before is not None and before in group_ids:
                if chairs.evicted.get(unit) == before:
                    evicted[before].append(unit)
                else:
                    anchored[before].append(unit)
            else:
                free.append(unit)
                if before is not None:
                    forced += 1  # its group was removed or holds another kind now
        if units and not groups:
            problem = problem or f"{len(units)} {kind} units have no group of their kind"
        # Pins alone never settle the chair of a group whose pinned units are all barred: its
        # anchored units may all leave (pins fill it, or others need them). Such a group needs
        # a member that may chair it: an anchored one that stays, or one from outside. Without
        # pins, or with nothing kept, any membership has one (members from outside qualify,
        # and the anchored units that stay are those that may chair it, listed first), unless
        # every kept unit is barred.
        needy = frozenset(
            group.id
            for group in groups
            if group.id not in chairs.chair_pinned
            and (kept := pinned[group.id] + anchored[group.id])
            and set(pinned[group.id]) <= chairs.barred.get(group.id, frozenset())
            and (pinned[group.id] or set(kept) <= chairs.barred.get(group.id, frozenset()))
        )
        keepers = frozenset(
            group_id
            for group_id in needy
            if not set(anchored[group_id]) <= chairs.barred.get(group_id, frozenset())
        )
        for group_id, leaving in evicted.items():
            # Units that may chair the group first: the last listed are the first to leave.
            barred = chairs.barred.get(group_id, frozenset())
            anchored[group_id].sort(key=barred.__contains__)
            anchored[group_id].extend(leaving)
        return cls(
            kind=kind,
            groups=groups,
            bounds=_Window(low, high),
            pinned={g: tuple(members) for g, members in pinned.items()},
            anchored={g: tuple(members) for g, members in anchored.items()},
            free=tuple(free),
            draft=draft,
            forced=forced,
            problem=problem or _size_problem(plan, kind, groups, len(units), pinned, low, high),
            needy=needy,
            keepers=keepers,
            leaving={g: len(units) for g, units in evicted.items() if units},
        )

    # -- the closed form ------------------------------------------------------------------

    @property
    def constrained(self) -> bool:
        """Whether the chair rules shape this kind's membership: then `network` counts."""
        return bool(self.needy or self.leaving)

    def extra_moves(self, window: _Window) -> int | None:
        """Fewest moves of anchored units with every group in `window`; None if impossible.

        Where the chair rules shape membership (`constrained`), the min-cost flow of
        `network` gives it; otherwise the closed form below.

        With p pinned and a anchored units in a group, `over` sums max(0, p + a - high) and
        `deficit` sums max(0, low - p - a); F is the number of free units. Feasible iff no group
        has more than `high` pins and sum(max(low, p)) <= units <= high * groups. Then the
        minimum is max(over, deficit - F):
        - no fewer: an overfull group keeps at most high - p of its a anchored units, so at
          least `over` leave; an underfull one needs `deficit` units from outside, and only
          the F free units arrive without a move;
        - attained: shed exactly the excess, pour free and shed units into the underfull
          groups, and if that is not enough take the rest from groups above max(low, p) (the
          units they can spare sum to at least deficit - F - over, because units >=
          sum(max(low, p))); what is left fits, because units <= high * groups.
        tests/test_flow.py checks this against every membership of small random plans.
        """
        if self.constrained:
            return self.network_cost(window)
        total = len(self.free)
        over = deficit = floor = 0
        for group in self.groups:
            pinned = len(self.pinned[group.id])
            size = pinned + len(self.anchored[group.id])
            if pinned > window.high:
                return None
            total += size
            floor += max(window.low, pinned)
            over += max(0, size - window.high)
            deficit += max(0, window.low - size)
        if not floor <= total <= window.high * len(self.groups):
            return None
        return max(over, deficit - len(self.free))

    def best_window(self, cap: int | None = None) -> tuple[int, _Window] | None:
        """The fewest moves, and the narrowest size window that allows no more than those.

        With `cap`, only windows at most `cap` wide count: the fewest moves when group sizes
        may differ by `cap` at most. None when no window allows a membership.
        """
        if not self.groups:
            best = self.extra_moves(self.bounds)
            return None if best is None else (best, self.bounds)
        total = len(self.free) + sum(
            len(self.pinned[g.id]) + len(self.anchored[g.id]) for g in self.groups
        )
        # Sizes never exceed the units available, so both ends are searched up to `total`.
        # For a fixed low end the moves only fall as the high end rises: the widest window
        # allowed from each low end gives that end's fewest moves, and a bisection the
        # narrowest window keeping them.
        top = min(self.bounds.high, total)
        # Low end -> (fewest moves from it, the widest high end allowed).
        reach: dict[int, tuple[int, int]] = {}
        for low in range(self.bounds.low, min(top, total // len(self.groups)) + 1):
            high = top if cap is None else min(top, low + cap)
            extra = self.extra_moves(_Window(low, high))
            if extra is not None:
                reach[low] = (extra, high)
        if not reach:
            return None
        best = min(extra for extra, _ in reach.values())
        chosen: _Window | None = None
        for low, (extra, high) in reach.items():
            if extra != best:
                continue
            lo_high, hi_high = low, high
            while lo_high < hi_high:
                middle = (lo_high + hi_high) // 2
                if self.extra_moves(_Window(low, middle)) == best:
                    hi_high = middle
                else:
                    lo_high = middle + 1
            if chosen is None or lo_high - low < chosen.high - chosen.low:
                chosen = _Window(low, lo_high)
        assert chosen is not None  # `best` is attained by some low end
        return best, chosen

    # -- the result -----------------------------------------------------------------------

    def solve(self, cap: int | None = None) -> KindFlow:
        found = None if self.problem is not None else self.best_window(cap)
        if found is None:
            assignment = self.best_effort()
            return KindFlow(
                kind=self.kind,
                min_moves=self.forced,
                assignment=assignment,
                feasible=False,
                sizes=self.sizes(assignment),
                forced=self.forced,
                problem=self.problem
                or f"the {self.kind} groups' sizes cannot differ by at most {cap}",
            )
        extra, window = found
        network = self.network(window) if self.constrained else None
        if network is not None:
            assignment = network[1]
        elif self.draft_agrees():
            assignment = self.direct_assignment(window)
        else:
            assignment = self.flow_assignment(window, extra)
        sizes = self.sizes(assignment)
        return KindFlow(
            kind=self.kind,
            min_moves=self.forced + extra,
            assignment=assignment,
            feasible=True,
            min_spread=(max(sizes.values()) - min(sizes.values())) if sizes else 0,
            sizes=sizes,
            forced=self.forced,
        )

    def sizes(self, assignment: Mapping[str, str]) -> dict[str, int]:
        sizes = {group.id: 0 for group in self.groups}
        for group in assignment.values():
            sizes[group] += 1
        return sizes

    def best_effort(self) -> dict[str, str]:
        """Pins kept, last year's groups kept, the rest where the draft or the fewest are."""
        assignment: dict[str, str] = {}
        for group, members in self.pinned.items():
            assignment.update(dict.fromkeys(members, group))
        for group, members in self.anchored.items():
            assignment.update(dict.fromkeys(members, group))
        if self.groups:
            sizes = self.sizes(assignment)
            for unit in self.free:
                target = self.draft.get(unit) or min(sizes, key=sizes.__getitem__)
                assignment[unit] = target
                sizes[target] += 1
        return assignment

    def draft_agrees(self) -> bool:
        """Whether the draft keeps every unit in last year's group and places no free unit.

        That is the usual draft (last year's groups copied, new units unplaced). Then every
        membership with the fewest moves changes the draft equally (a unit leaves the draft's
        group exactly when it moves), so the tie-break needs no flow.
        """
        anchored = all(
            self.draft.get(unit) == group
            for group, units in self.anchored.items()
            for unit in units
        )
        return anchored and not any(unit in self.draft for unit in self.free)

    def direct_assignment(self, window: _Window) -> dict[str, str]:
        """The construction of `extra_moves`' proof, step by step, within `window`.

        Overfull groups shed their last-listed units; if the free and shed units cannot fill
        the underfull groups, the groups with the most to spare give the rest; leftovers go
        to the smallest groups with room. Moves: exactly the minimum the closed form gives.
        """
        assignment: dict[str, str] = {}
        size: dict[str, int] = {}
        kept: dict[str, list[str]] = {}
        pool = list(self.free)
        for group in self.groups:
            pinned = self.pinned[group.id]
            assignment.update(dict.fromkeys(pinned, group.id))
            anchored = self.anchored[group.id]
            room = window.high - len(pinned)
            kept[group.id] = list(anchored[:room])
            pool.extend(anchored[room:])
            size[group.id] = len(pinned) + len(kept[group.id])
        deficit = sum(max(0, window.low - n) for n in size.values())
        if deficit > len(pool):
            # Donors: most to spare first; spare units are anchored ones, never pinned ones.
            spare = [
                (-(size[g.id] - max(window.low, len(self.pinned[g.id]))), index, g.id)
                for index, g in enumerate(self.groups)
            ]
            heapq.heapify(spare)
            for _ in range(deficit - len(pool)):
                negative, index, group_id = heapq.heappop(spare)
                pool.append(kept[group_id].pop())
                size[group_id] -= 1
                heapq.heappush(spare, (negative + 1, index, group_id))
        for group_id, members in kept.items():
            assignment.update(dict.fromkeys(members, group_id))
        incoming = iter(pool)
        for group in self.groups:
            while size[group.id] < window.low:
                assignment[next(incoming)] = group.id
                size[group.id] += 1
        smallest = [(size[g.id], index, g.id) for index, g in enumerate(self.groups)]
        heapq.heapify(smallest)
        for unit in incoming:
            count, index, group_id = heapq.heappop(smallest)
            while count >= window.high:  # full: never offered again
                count, index, group_id = heapq.heappop(smallest)
            assignment[unit] = group_id
            heapq.heappush(smallest, (count + 1, index, group_id))
        return assignment

    def network(self, window: _Window) -> tuple[int, dict[str, str]] | None:
        """The fewest moves within `window` that keep the chair rules' demands on membership,
        and a membership making them; None when none exists.

        A min-cost flow. Sources: each group's anchored units (staying costs nothing, up to
        those not evicted), and the free units. Each group takes its size window less its pins;
        a needy group takes one of them through a port that only units from outside reach
        (free units, or moved units of another group: neither chaired it), or, among `keepers`,
        its first anchored unit staying (one that may chair it). Moved units pass
        through hubs, one pair per bit of the groups' indices: a unit leaving group h enters
        the hub of h's bit at some level and reaches only the groups whose bit differs there,
        so it reaches every group but h, with a graph of n log n edges rather than n squared.
        """
        cost = self.network_cost(window)
        if cost is None:
            return None
        network = self._network()
        if network.solved != window:  # another window solved since: this one again
            network.solve(window)
        return cost, self._membership(network.flows())

    def network_cost(self, window: _Window) -> int | None:
        """`network`'s fewest moves for `window` alone (memoised): the window search asks
        this of every window it tries, and only the chosen window needs the membership."""
        if window not in self.memo:
            self.memo[window] = self._network().solve(window)
        return self.memo[window]

    def _network(self) -> _Network:
        """`network`'s graph, laid once per kind: windows change only demands and capacities."""
        if not self.layout:
            self.layout.append(_Network.lay(self))
        return self.layout[0]

    def _levels(self) -> int:
        return max(1, (len(self.groups) - 1).bit_length())

    def _hubs(self, group: str, *, other: bool = False) -> list[tuple[str, ...]]:
        """The hubs of `group`'s bits, one per level (of the other bits with `other`)."""
        if not self.positions:
            self.positions.update((g.id, i) for i, g in enumerate(self.groups))
        index, flip = self.positions[group], int(other)
        return [_HUBS[level][((index >> level) & 1) ^ flip] for level in range(self._levels())]

    def _membership(
        self, flows: Mapping[tuple[str, ...], Mapping[tuple[str, ...], int]]
    ) -> dict[str, str]:
        """The membership `network`'s flows make: units queue at the hubs in the order they
        enter, and any of them may go to any group the hub feeds."""
        assignment: dict[str, str] = {}
        queues: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for group in self.groups:
            assignment.update(dict.fromkeys(self.pinned[group.id], group.id))
            anchored = self.anchored[group.id]
            if not anchored:
                continue
            source = ("anchored", group.id)
            stay = flows[source].get(("group", group.id), 0)
            stay += flows[source].get(("eligible", group.id), 0)
            assignment.update(dict.fromkeys(anchored[:stay], group.id))
            rest = iter(anchored[stay:])
            for hub in self._hubs(group.id):
                queues[hub].extend(next(rest) for _ in range(flows[source].get(hub, 0)))
        if self.free:
            queues[("free",)] = list(self.free)
        for node, units in queues.items():
            ordered = iter(units)
            for target, amount in flows[node].items():
                for _ in range(amount):
                    assignment[next(ordered)] = target[1]
        return assignment

    def flow_assignment(self, window: _Window, extra: int) -> dict[str, str]:
        """A membership within `window` making `extra` moves beyond the forced ones.

        Nodes: one per class of interchangeable units (same group last year, same group in the
        draft), one per group, a hub every move passes through, and a sink. A class sends its
        units to its old group for free, or through the hub to any group for one move; the
        draft's group is preferred with a smaller secondary cost. Group sizes become node
        demands (the lower bound) and a capacity towards the sink (the room above it).
        """
        classes: dict[tuple[str | None, str | None], list[str]] = {}
        for group in self.groups:
            for unit in self.anchored[group.id]:
                classes.setdefault((group.id, self.draft.get(unit)), []).append(unit)
        for unit in self.free:
            classes.setdefault((None, self.draft.get(unit)), []).append(unit)
        movable = sum(len(units) for units in classes.values())
        scale = movable + 1  # a move outweighs every tie-break cost together

        # networkx takes about 0.1 s to import: only drafts that need the tie-break pay it.
        from networkx import DiGraph, network_simplex

        graph: nx.DiGraph[tuple[str, ...]] = DiGraph()
        hub, sink = ("hub",), ("sink",)
        needed = 0
        for group in self.groups:
            pinned = len(self.pinned[group.id])
            need = max(window.low - pinned, 0)
            needed += need
            graph.add_node(("group", group.id), demand=need)
            graph.add_edge(("group", group.id), sink, capacity=window.high - pinned - need)
            graph.add_edge(hub, ("group", group.id), weight=0)
        graph.add_node(sink, demand=movable - needed)
        for index, ((old, drafted), units) in enumerate(classes.items()):
            node = ("class", str(index))
            graph.add_node(node, demand=-len(units))
            away = scale if old is not None else 0
            if old is not None:
                graph.add_edge(node, ("group", old), weight=int(drafted not in (None, old)))
            if drafted is not None and drafted != old:
                graph.add_edge(node, ("group", drafted), weight=away)
            graph.add_edge(node, hub, weight=away + int(drafted is not None))
        cost, flows = network_simplex(graph)
        if cost // scale != extra:
            raise AssertionError(f"flow found {cost // scale} moves, the closed form {extra}")

        assignment: dict[str, str] = {}
        for group_id, members in self.pinned.items():
            assignment.update(dict.fromkeys(members, group_id))
        # Units entering the hub go to the groups the hub feeds, in order: every path through
        # the hub costs the same whichever group it ends in.
        through_hub = [g.id for g in self.groups for _ in range(flows[hub][("group", g.id)])]
        for index, ((old, drafted), units) in enumerate(classes.items()):
            node = ("class", str(index))
            ordered = iter(units)
            for target in dict.fromkeys(g for g in (old, drafted) if g is not None):
                for _ in range(flows[node].get(("group", target), 0)):
                    assignment[next(ordered)] = target
            for unit in ordered:
                assignment[unit] = through_hub.pop()
        return assignment


class _Network:
    """`_KindProblem.network`'s graph, laid once, in OR-Tools' min-cost flow (compiled:
    networkx's simplex took a second per window on 40 copies of the 2013 plan).

    Nodes and arcs are the same for every size window; a window sets only the groups' demands,
    their capacities towards the sink and the sink's demand. So the window search, which asks
    for a dozen windows, lays the graph once (about 28,000 arcs at 200 copies of the 2013
    plan) and solves it again with new numbers. Nodes are numbered in order of first use and
    arcs kept in order of creation, as a graph laid for one window alone would be, so each
    solve sees exactly the network that window alone would give it.
    """

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, ...], int] = {}
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.capacities: list[int] = []
        self.weights: list[int] = []
        # Per group: its node, its arc to the sink, and whether it is needy (its "eligible"
        # port takes one unit of its window).
        self.group_nodes: list[int] = []
        self.group_arcs: list[int] = []
        self.needs: list[int] = []
        self.pinned: list[int] = []
        self.movable = 0
        self.sink = 0
        self.solver: Any = None
        # The window whose flows the solver holds.
        self.solved: _Window | None = None

    def node(self, node: tuple[str, ...]) -> int:
        return self.nodes.setdefault(node, len(self.nodes))

    def arc(
        self, tail: tuple[str, ...], head: tuple[str, ...], capacity: int | None, weight: int
    ) -> int:
        self.tails.append(self.node(tail))
        self.heads.append(self.node(head))
        # Unbounded: no arc ever carries more than every unit.
        self.capacities.append(self.movable if capacity is None else capacity)
        self.weights.append(weight)
        return len(self.tails) - 1

    @classmethod
    def lay(cls, problem: _KindProblem) -> _Network:
        """Nodes and arcs of `problem`'s network; demands and window capacities still 0."""
        network = cls()
        groups = [group.id for group in problem.groups]
        network.movable = len(problem.free) + sum(len(problem.anchored[g]) for g in groups)
        sink = ("sink",)
        for group in groups:
            need = int(group in problem.needy)
            if need:
                network.node(("eligible", group))
            network.group_nodes.append(network.node(("group", group)))
            network.group_arcs.append(network.arc(("group", group), sink, 0, 0))
            network.needs.append(need)
            network.pinned.append(len(problem.pinned[group]))
        network.sink = network.node(sink)
        # Needy groups' ports in the groups' order, not the set's (which varies by process).
        ports = [("group", g) for g in groups] + [
            ("eligible", g) for g in groups if g in problem.needy
        ]
        feeding = [problem._hubs(port[1], other=True) for port in ports]
        # The bulk of the arcs, appended here rather than through `arc` (the same nodes in
        # the same order: the ports exist already, a hub is numbered at its first arc).
        node, tails, heads = network.node, network.tails, network.heads
        port_nodes = [node(port) for port in ports]
        for level in range(problem._levels()):
            for port_node, hubs in zip(port_nodes, feeding, strict=True):
                # The hub of the other bit at this level feeds this group.
                tails.append(node(hubs[level]))
                heads.append(port_node)
        unbounded = len(tails) - len(network.capacities)
        network.capacities.extend([network.movable] * unbounded)
        network.weights.extend([0] * unbounded)
        if problem.free:
            for port in ports:
                network.arc(("free",), port, None, 0)
        for group in groups:
            anchored = problem.anchored[group]
            if anchored:
                source = ("anchored", group)
                stay = len(anchored) - problem.leaving.get(group, 0)
                if group in problem.keepers:
                    # The first anchored unit, which may chair the group, staying to chair it.
                    network.arc(source, ("eligible", group), 1, 0)
                    stay -= 1
                network.arc(source, ("group", group), stay, 0)
                for hub in problem._hubs(group):
                    network.arc(source, hub, None, 1)
        supplies = dict.fromkeys(network.nodes.values(), 0)
        if problem.free:
            supplies[network.nodes[("free",)]] = len(problem.free)
        for group in groups:
            if problem.anchored[group]:
                supplies[network.nodes[("anchored", group)]] = len(problem.anchored[group])
        for group in problem.needy:
            supplies[network.nodes[("eligible", group)]] = -1
        network.solver = network.build(supplies)
        return network

    def build(self, supplies: Mapping[int, int]) -> Any:
        # Arc by arc rather than through numpy arrays: importing numpy costs more than the
        # calls (a few tens of thousands of arcs, laid once).
        from ortools.graph.python import min_cost_flow

        solver = min_cost_flow.SimpleMinCostFlow()
        add = solver.add_arc_with_capacity_and_unit_cost
        for arc in zip(self.tails, self.heads, self.capacities, self.weights, strict=True):
            add(*arc)
        for node, supply in supplies.items():
            solver.set_node_supply(node, supply)
        return solver

    def solve(self, window: _Window) -> int | None:
        """The cost of the cheapest flow for `window` (None when none), whose flows the
        solver then holds until the next window."""
        self.solved = None
        if not self.group_nodes:
            return None
        demands: list[int] = []
        room_left: list[int] = []
        required_total = 0
        for pinned, need in zip(self.pinned, self.needs, strict=True):
            room = window.high - pinned
            required = max(window.low - pinned, need)
            if room < required:
                return None
            demands.append(required - need)
            room_left.append(room - required)
            required_total += required
        if self.movable < required_total:
            return None
        solver = self.solver
        for arc, capacity in zip(self.group_arcs, room_left, strict=True):
            solver.set_arc_capacity(arc, capacity)
        for node, demand in zip(self.group_nodes, demands, strict=True):
            solver.set_node_supply(node, -demand)
        solver.set_node_supply(self.sink, required_total - self.movable)
        if solver.solve() != solver.OPTIMAL:
            return None
        self.solved = window
        return int(solver.optimal_cost())

    def flows(self) -> dict[tuple[str, ...], dict[tuple[str, ...], int]]:
        """The last solved window's flows as tail -> head -> flow, arcs without flow left
        out."""
        names = list(self.nodes)
        flow = self.solver.flow
        found: dict[tuple[str, ...], dict[tuple[str, ...], int]] = defaultdict(dict)
        for arc, (tail, head) in enumerate(zip(self.tails, self.heads, strict=True)):
            amount = flow(arc)
            if amount:
                found[names[tail]][names[head]] = int(amount)
        return found


# The hubs' names by level and bit, made once (a graph asks for them hundreds of thousands of
# times); 64 levels reach any number of groups.
_HUBS = tuple((("hub", str(level), "0"), ("hub", str(level), "1")) for level in range(64))


def _size_problem(
    plan: Plan,
    kind: str,
    groups: Sequence[Group],
    units: int,
    pinned: Mapping[str, Iterable[str]],
    low: int,
    high: int,
) -> str | None:
    """Why the groups of `kind` cannot have sizes within [low, high], or None if they can."""
    if not groups:
        return None
    for group in groups:
        count = len(list(pinned[group.id]))
        if count > high:
            return (
                f"{count} units are pinned to {group.name}; a group may have at most {high} members"
            )
    count = len(groups)
    floor = sum(max(low, len(list(pinned[g.id]))) for g in groups)
    if units > high * count:
        return f"{units} {kind} units do not fit in {count} {kind} groups of at most {high} members"
    if units < floor:
        return f"{units} {kind} units cannot fill {count} {kind} groups of at least {low} members"
    return None
