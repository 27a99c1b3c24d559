"""A first grouping from geography: former provinces apart, former districts whole, clusters
connected, short borders between them, then balance. Exact in the usual case, fast.

When a kind's groups are interchangeable and the geography terms apply (`thidua.geography`:
a plan with borders and former district tags, as `thidua new-map` writes), the full model
(a literal per unit and cluster, a flow per cluster for connectivity) is slow to prove, since
every relabelling of the clusters is another solution. The structure splits it:

1. Former provinces (tag cohesion). When every unit holds one listed tag and counts of
   clusters per tag exist that keep the tags apart (`vectors`), the term's optimum is 0 and
   each tag's units are a part of their own; the counts with the best parts win.
2. Former districts. A part's fewest district pieces depend only on how many units of each
   district each cluster takes: a small model of counts gives the exact optimum P*. Each
   district needs at least ceil(n / high) pieces; when P* is that sum, every district within
   the size bound stays whole in every optimum, so it can be one super-node.
3. Connected clusters, short borders. A model over the super-nodes (districts kept whole; the
   units of districts that must be split each on their own) with a flow per cluster for
   connectivity (islands exempt) minimises the clusters not connected, then the border
   between clusters, with precedence between the interchangeable clusters. With P* at the
   bound it is exact; otherwise the districts the count model split are opened, and the
   answer carries the model's bound (a gap).
4. Spread. The narrowest size window that counting allows for the chosen counts is tried
   first, each part keeping its optimum; a window every part fits proves the spread.

A model the time limit stops leaves its bound, so the grouping states its gap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import attrs
import networkx as nx

from thidua import cohesion, geography
from thidua.model import Plan
from thidua.solver.backend import cp_model
from thidua.solver.runner import RunnerLike, time_share

__all__ = ["KindAnswer", "PartAnswer", "PartProblem", "kind_grouping", "solve_part"]

_SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@attrs.frozen
class PartProblem:
    """Units that share clusters only with each other, their districts and borders."""

    units: tuple[str, ...]
    district: Mapping[str, str | None]  # unit -> its former district tag (None: none)
    graph: geography.Graph  # the neighbour graph among these units (`metres` on each edge)
    # Where the former provinces must share clusters: each unit's one listed tag. The count
    # model then minimises the members outside their cluster's majority tag first.
    province: Mapping[str, str] | None = None
    # Connected clusters enumerated per set of opened districts (see `_columns`).
    cache: dict[frozenset[str], list[_Column] | None] = attrs.field(factory=dict, eq=False)
    # The fewest members outside their cluster's majority tag, per k: (value, bound).
    strays: dict[int, tuple[int, int]] = attrs.field(factory=dict, eq=False)
    # The count model's last answer per k: units of each district per cluster (a fallback).
    shares: dict[int, dict[tuple[str, int], int]] = attrs.field(factory=dict, eq=False)

    @classmethod
    def of(
        cls, plan: Plan, units: Sequence[str], graph: geography.Graph, *, by_tag: bool = False
    ) -> PartProblem:
        tags = geography.district_of(plan)
        district = {unit: (tags[unit][0] if tags[unit] else None) for unit in units}
        province = None
        if by_tag:
            province = {u: cohesion.listed_tags(plan, plan.unit_by_id[u])[0] for u in units}
        return cls(tuple(units), district, graph.subgraph(units).copy(), province)

    def districts(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for unit in self.units:
            tag = self.district[unit]
            if tag is not None:
                found.setdefault(tag, []).append(unit)
        return found


@attrs.frozen
class PartAnswer:
    """A part in k clusters: unit -> local cluster, the three values and their bounds."""

    assignment: Mapping[str, int] | None
    values: tuple[int, int, int]  # district pieces, clusters not connected, border metres
    bounds: tuple[int, int, int]
    proven: bool

    @property
    def found(self) -> bool:
        return self.assignment is not None

    def sizes(self, k: int) -> list[int]:
        sizes = [0] * k
        for cluster in (self.assignment or {}).values():
            sizes[cluster] += 1
        return sizes


def _count_optimum(
    problem: PartProblem,
    k: int,
    window: tuple[int, int],
    runner: RunnerLike,
    time_limit: float | None,
) -> tuple[int, int, dict[str, int] | None]:
    """The fewest district pieces k clusters within `window` allow (value, bound) and, per
    district, into how many clusters the optimum found cuts it."""
    low, high = window
    districts = problem.districts()
    free = sum(1 for unit in problem.units if problem.district[unit] is None)
    floor = sum(math.ceil(len(units) / high) - 1 for units in districts.values())
    model = cp_model.CpModel()
    counts: dict[tuple[str, int], cp_model.IntVar] = {}
    touch: dict[tuple[str, int], cp_model.IntVar] = {}
    # Districts largest first; clusters ordered by the first district they hold (value
    # precedence: a district may touch cluster c only if it or an earlier one touches c - 1).
    ordered = sorted(districts, key=lambda tag: -len(districts[tag]))
    seen: list[cp_model.IntVar] = []
    for tag in ordered:
        units = districts[tag]
        for cluster in range(k):
            count = model.new_int_var(0, min(len(units), high), "")
            used = model.new_bool_var("")
            model.add(count <= min(len(units), high) * used)
            model.add(count >= used)
            counts[tag, cluster], touch[tag, cluster] = count, used
        model.add(sum(counts[tag, c] for c in range(k)) == len(units))
        now = []
        for cluster in range(k):
            if cluster > 0:
                earlier = [seen[cluster - 1]] if seen else []
                model.add_bool_or(
                    [*earlier, touch[tag, cluster - 1], touch[tag, cluster].negated()]
                )
            literal = model.new_bool_var("")
            parts = [touch[tag, cluster], *([seen[cluster]] if seen else [])]
            for part in parts:
                model.add_implication(part, literal)
            model.add_bool_or([*parts, literal.negated()])
            now.append(literal)
        seen = now
    fillers = [model.new_int_var(0, min(free, high), "") for _ in range(k)]
    model.add(sum(fillers) == free)
    sizes = []
    for cluster in range(k):
        size = sum(counts[tag, cluster] for tag in districts) + fillers[cluster]
        model.add_linear_constraint(size, low, high)
        sizes.append(size)
    if problem.province is not None:
        # Former provinces first: members outside their cluster's majority tag. Their fewest
        # depends on how many units each province has, not on districts: a tiny model.
        if k not in problem.strays:
            problem.strays[k] = _fewest_strays(problem, k, window, runner, time_limit)
        cap = problem.strays[k][0]
        provinces = sorted({problem.province[units[0]] for units in districts.values()})
        strays = []
        for cluster in range(k):
            held = {
                name: sum(
                    counts[tag, cluster]
                    for tag, units in districts.items()
                    if problem.province[units[0]] == name
                )
                for name in provinces
            }
            largest = model.new_int_var(0, high, "")
            choice = [model.new_bool_var("") for _ in provinces]
            model.add_exactly_one(choice)
            for name, chosen in zip(provinces, choice, strict=True):
                model.add(largest == held[name]).only_enforce_if(chosen)
                for other in provinces:
                    model.add(held[other] <= held[name]).only_enforce_if(chosen)
            strays.append(sizes[cluster] - largest)
        model.add(sum(strays) <= cap)
    pieces = sum(touch.values()) - len(districts)
    model.add(pieces >= floor)
    model.minimize(pieces)
    status, solver = runner.run(
        model, geography.DISTRICT_PIECES, time_limit=time_limit, hinted=False
    )
    if status not in _SOLVED:
        if status == cp_model.INFEASIBLE:
            return (-2, 0, None)
        # Out of time before a first answer: no cap on the pieces, only their bound.
        return (sum(len(units) - 1 for units in districts.values()), floor, {})
    value = round(solver.objective_value)
    bound = (
        value
        if status == cp_model.OPTIMAL
        else max(floor, math.ceil(solver.best_objective_bound - 1e-6))
    )
    cut = {tag: sum(solver.boolean_value(touch[tag, c]) for c in range(k)) for tag in districts}
    problem.shares[k] = {key: int(solver.value(count)) for key, count in counts.items()}
    problem.shares[k].update(
        {("", c): int(solver.value(filler)) for c, filler in enumerate(fillers)}
    )
    return value, bound, cut


def _whole_districts(
    problem: PartProblem,
    k: int,
    window: tuple[int, int],
    runner: RunnerLike,
    time_limit: float | None,
) -> tuple[int, int, dict[str, int]] | None:
    """The count model's answer without it, when connected clusters of whole districts (the
    large ones aside) exist: then no grouping cuts fewer districts than the large ones force,
    which is a lower bound (with mixed former provinces, among the groupings that mix them
    least). None when there are none."""
    if problem.province is not None and k not in problem.strays:
        problem.strays[k] = _fewest_strays(problem, k, window, runner, time_limit)
    high = window[1]
    districts = problem.districts()
    lowest = sum(math.ceil(len(units) / high) - 1 for units in districts.values())
    opened = {tag for tag, units in districts.items() if len(units) > high}
    outcome, _assignment, _bound = _partition(
        problem, k, window, opened, lowest, runner, time_limit, None, feasible=True
    )
    if outcome in ("optimal", "feasible"):
        return (lowest, lowest, {tag: 1 for tag in districts})
    if opened or problem.province is not None or not _packs(problem, k, window, runner, time_limit):
        return None
    # Whole districts pack, if not into connected clusters: the node model weighs that.
    return (0, 0, {tag: 1 for tag in districts})


def _packs(
    problem: PartProblem,
    k: int,
    window: tuple[int, int],
    runner: RunnerLike,
    time_limit: float | None,
) -> bool:
    """Whether whole districts (and the units in none) fit k clusters within `window`: bin
    packing, with each district's cluster no later than its position (precedence)."""
    low, high = window
    sizes = sorted((len(units) for units in problem.districts().values()), reverse=True)
    sizes += [1] * sum(1 for unit in problem.units if problem.district[unit] is None)
    model = cp_model.CpModel()
    rows = [[model.new_bool_var("") for _ in range(min(i + 1, k))] for i in range(len(sizes))]
    for row in rows:
        model.add_exactly_one(row)
    for cluster in range(k):
        model.add_linear_constraint(
            sum(
                size * row[cluster]
                for size, row in zip(sizes, rows, strict=True)
                if cluster < len(row)
            ),
            low,
            high,
        )
    status, _solver = runner.run(
        model, geography.DISTRICT_PIECES, time_limit=time_limit, hinted=False
    )
    return bool(status in _SOLVED)


def _fewest_strays(
    problem: PartProblem,
    k: int,
    window: tuple[int, int],
    runner: RunnerLike,
    time_limit: float | None,
) -> tuple[int, int]:
    """The fewest members outside their cluster's majority former province (value, bound):
    how many units of each province each cluster takes decides it."""
    low, high = window
    assert problem.province is not None
    totals: dict[str, int] = {}
    for unit in problem.units:
        totals[problem.province[unit]] = totals.get(problem.province[unit], 0) + 1
    model = cp_model.CpModel()
    names = sorted(totals, key=lambda name: -totals[name])
    held = {
        (name, c): model.new_int_var(0, min(totals[name], high), "")
        for name in names
        for c in range(k)
    }
    for name in names:
        model.add(sum(held[name, c] for c in range(k)) == totals[name])
    # Each cluster names its majority province; clusters of one majority are interchangeable,
    # so they come in the order of the provinces, then largest majority first.
    majority_of = {(name, c): model.new_bool_var("") for name in names for c in range(k)}
    strays = []
    rank = []
    previous: cp_model.IntVar | None = None
    for cluster in range(k):
        size = sum(held[name, cluster] for name in names)
        model.add_linear_constraint(size, low, high)
        model.add_exactly_one(majority_of[name, cluster] for name in names)
        largest = model.new_int_var(0, high, "")
        for name in names:
            chosen = majority_of[name, cluster]
            model.add(largest == held[name, cluster]).only_enforce_if(chosen)
            for other in names:
                model.add(held[other, cluster] <= held[name, cluster]).only_enforce_if(chosen)
        strays.append(size - largest)
        rank.append(sum(i * majority_of[name, cluster] for i, name in enumerate(names)))
        if cluster:
            model.add(rank[cluster] >= rank[cluster - 1])
            same = model.new_bool_var("")
            model.add(rank[cluster] == rank[cluster - 1]).only_enforce_if(same)
            model.add(rank[cluster] != rank[cluster - 1]).only_enforce_if(same.negated())
            if previous is not None:
                model.add(largest <= previous).only_enforce_if(same)
        previous = largest
    model.minimize(sum(strays))
    status, solver = runner.run(model, cohesion.TAG_COHESION, time_limit=time_limit, hinted=False)
    if status not in _SOLVED:
        return (len(problem.units), 0)
    value = round(solver.objective_value)
    if status == cp_model.OPTIMAL:
        return (value, value)
    return (value, max(math.ceil(solver.best_objective_bound - 1e-6), 0))


class _NodeModel:
    """Super-nodes in k clusters: rows of literals, sizes, pieces, a flow per cluster and the
    border between clusters. `opened` districts have one row per unit; the others one row."""

    def __init__(
        self,
        problem: PartProblem,
        k: int,
        window: tuple[int, int],
        opened: set[str],
        piece_cap: int,
    ) -> None:
        self.problem, self.k = problem, k
        low, high = window
        model = self.model = cp_model.CpModel()
        members, row_of = _rows(problem, opened, self._order())
        self.row_of, self.members = row_of, members
        rows: list[list[cp_model.IntVar]] = []
        self.rows = rows
        for index in range(len(members)):
            row = [model.new_bool_var("") for _ in range(min(index + 1, k))]
            model.add_exactly_one(row)
            rows.append(row)
        self._precedence()
        for cluster in range(k):
            size = sum(
                len(members[i]) * rows[i][cluster]
                for i in range(len(rows))
                if cluster < len(rows[i])
            )
            model.add_linear_constraint(size, low, high)
        # Pieces of the opened districts (closed ones are whole by construction).
        pieces = []
        for tag in opened:
            indices = [row_of[u] for u in problem.units if problem.district[u] == tag]
            for cluster in range(k):
                literals = [rows[i][cluster] for i in indices if cluster < len(rows[i])]
                if not literals:
                    continue
                used = model.new_bool_var("")
                for literal in literals:
                    model.add_implication(literal, used)
                model.add(used <= sum(literals))
                pieces.append(used)
        self.pieces = sum(pieces) - len(opened) if pieces else 0
        if pieces:
            model.add(self.pieces <= piece_cap)
        if problem.province is not None and k in problem.strays:
            self._cap_strays(problem.strays[k][0], high)
        # Border between rows, summed per pair of rows.
        weights: dict[tuple[int, int], int] = {}
        for first, second, metres in geography.weighted_edges(problem.graph):
            a, b = sorted((row_of[first], row_of[second]))
            if a != b:
                weights[a, b] = weights.get((a, b), 0) + int(metres)
        self.total_border = sum(weights.values())
        kept = []
        for (a, b), metres in weights.items():
            if not metres:
                continue
            for cluster in range(min(len(rows[a]), len(rows[b]))):
                both = model.new_bool_var("")
                model.add_implication(both, rows[a][cluster])
                model.add_implication(both, rows[b][cluster])
                kept.append(metres * both)
        self.border = self.total_border - sum(kept)
        self.disconnected = self._connectivity(weights)

    def _cap_strays(self, cap: int, high: int) -> None:
        """Members outside their cluster's majority former province: at most `cap`."""
        problem, model, rows = self.problem, self.model, self.rows
        assert problem.province is not None
        names = sorted(set(problem.province.values()))
        strays = []
        for cluster in range(self.k):
            held: dict[str, list[cp_model.IntVar]] = {name: [] for name in names}
            for index, units in enumerate(self.members):
                if cluster < len(rows[index]):
                    for unit in units:
                        held[problem.province[unit]].append(rows[index][cluster])
            size = sum(sum(literals) for literals in held.values())
            largest = model.new_int_var(0, high, "")
            choice = [model.new_bool_var("") for _ in names]
            model.add_exactly_one(choice)
            for name, chosen in zip(names, choice, strict=True):
                model.add(largest == sum(held[name])).only_enforce_if(chosen)
                for other in names:
                    model.add(sum(held[other]) <= sum(held[name])).only_enforce_if(chosen)
            strays.append(size - largest)
        model.add(sum(strays) <= cap)

    def _order(self) -> list[str]:
        """Units breadth first over the borders from the largest district's first unit, so
        that neighbouring rows come close and precedence prunes early."""
        problem = self.problem
        graph = problem.graph
        order: list[str] = []
        seen: set[str] = set()
        sizes = problem.districts()
        starts = sorted(problem.units, key=lambda u: -len(sizes.get(problem.district[u] or "", ())))
        for start in starts:
            if start in seen:
                continue
            queue = [start]
            seen.add(start)
            for unit in queue:
                for other in sorted(graph.neighbors(unit), key=problem.units.index):
                    if other not in seen:
                        seen.add(other)
                        queue.append(other)
            order.extend(queue)
        return order

    def _precedence(self) -> None:
        """Cluster j takes a row only after cluster j - 1 took an earlier one."""
        model, k = self.model, self.k
        seen: list[cp_model.IntVar] = []
        for row in self.rows:
            for cluster in range(1, len(row)):
                model.add_implication(row[cluster], seen[cluster - 1])
            now = []
            for cluster in range(min(len(row), k)):
                literal = model.new_bool_var("")
                parts = [seen[cluster]] if cluster < len(seen) else []
                parts.append(row[cluster])
                for part in parts:
                    model.add_implication(part, literal)
                model.add_bool_or([*parts, literal.negated()])
                now.append(literal)
            seen = now

    def _connectivity(self, weights: Mapping[tuple[int, int], int]) -> cp_model.LinearExpr:
        """Per cluster, a flow from a root row to every other non-island row it holds along
        the borders between rows, unless the cluster is marked not connected.

        A closed district's units that do not touch each other are one row but several
        flow nodes: its connected pieces, each needing the flow.
        """
        problem, model, k = self.problem, self.model, self.k
        alone = {u for u in problem.units if problem.graph.degree(u) == 0}
        # Flow nodes: connected pieces of each row's non-island units.
        nodes: list[tuple[int, frozenset[str]]] = []
        node_of: dict[str, int] = {}
        for row, units in enumerate(self.members):
            active = [u for u in units if u not in alone]
            for piece in nx.connected_components(problem.graph.subgraph(active)):
                for unit in piece:
                    node_of[unit] = len(nodes)
                nodes.append((row, frozenset(piece)))
        arcs: set[tuple[int, int]] = set()
        for first, second in problem.graph.edges:
            a, b = node_of.get(first), node_of.get(second)
            if a is not None and b is not None and a != b:
                arcs.add((a, b))
                arcs.add((b, a))
        flags = []
        capacity = len(nodes)
        for cluster in range(k):
            candidates = [
                n for n, (row, _units) in enumerate(nodes) if cluster < len(self.rows[row])
            ]
            if len(candidates) < 2:
                continue
            inside = set(candidates)
            flag = model.new_bool_var("")
            flags.append(flag)
            net: dict[int, list[tuple[int, cp_model.IntVar]]] = {n: [] for n in candidates}
            for tail, head in arcs:
                if tail not in inside or head not in inside:
                    continue
                flow = model.new_int_var(0, capacity, "")
                model.add(flow <= capacity * self.rows[nodes[tail][0]][cluster])
                model.add(flow <= capacity * self.rows[nodes[head][0]][cluster])
                net[head].append((1, flow))
                net[tail].append((-1, flow))
            roots = []
            for node in candidates:
                literal = self.rows[nodes[node][0]][cluster]
                root = model.new_bool_var("")
                model.add_implication(root, literal)
                roots.append(root)
                inflow = sum(sign * flow for sign, flow in net[node])
                model.add(inflow >= literal - capacity * root - capacity * flag)
            model.add_at_most_one(roots)
        return sum(flags) if flags else 0  # type: ignore[return-value]

    def read(self, solver: cp_model.CpSolver) -> dict[str, int]:
        assignment = {}
        for index, row in enumerate(self.rows):
            cluster = next(c for c, literal in enumerate(row) if solver.boolean_value(literal))
            for unit in self.members[index]:
                assignment[unit] = cluster
        return assignment


def _values(problem: PartProblem, assignment: Mapping[str, int]) -> tuple[int, int, int]:
    """The three terms of a part's grouping, counted as `thidua.geography` counts them."""
    pieces = 0
    for units in problem.districts().values():
        pieces += len({assignment[u] for u in units}) - 1
    alone = {u for u in problem.units if problem.graph.degree(u) == 0}
    clusters: dict[int, list[str]] = {}
    for unit, cluster in assignment.items():
        if unit not in alone:
            clusters.setdefault(cluster, []).append(unit)
    disconnected = sum(
        1
        for units in clusters.values()
        if len(units) > 1 and not nx.is_connected(problem.graph.subgraph(units))
    )
    border = sum(
        int(metres)
        for first, second, metres in geography.weighted_edges(problem.graph)
        if assignment[first] != assignment[second]
    )
    return pieces, disconnected, border


# Above this many candidate clusters the enumeration gives up: the node model decides.
_MAX_COLUMNS = 60_000


@attrs.frozen
class _Column:
    """A candidate cluster: a connected set of rows, its size, and the border it has with the
    rest of the part (each border between clusters is counted by both sides)."""

    rows: tuple[int, ...]
    size: int
    cost: int


def _rows(
    problem: PartProblem, opened: set[str], order: Iterable[str] | None = None
) -> tuple[list[list[str]], dict[str, int]]:
    """Rows: a whole district not opened, or a single unit (opened district, or none), in
    `order` (the problem's units by default)."""
    members: list[list[str]] = []
    row_of: dict[str, int] = {}
    closed: dict[str, int] = {}
    for unit in problem.units if order is None else order:
        tag = problem.district[unit]
        if tag is not None and tag not in opened:
            if tag not in closed:
                closed[tag] = len(members)
                members.append([])
            row_of[unit] = closed[tag]
            members[closed[tag]].append(unit)
        else:
            row_of[unit] = len(members)
            members.append([unit])
    return members, row_of


def _columns(
    problem: PartProblem, members: Sequence[Sequence[str]], row_of: Mapping[str, int], high: int
) -> list[_Column] | None:
    """Every connected set of rows of at most `high` units (islands join any set: they are
    exempt), with its outer border; None beyond `_MAX_COLUMNS`.

    Each set is generated once, from its lowest row, growing only by rows above it that
    neighbour the set but none of the set's earlier rows (ESU enumeration).
    """
    graph = problem.graph
    count = len(members)
    alone = {u for u in problem.units if graph.degree(u) == 0}
    island_rows = {r for r, units in enumerate(members) if all(u in alone for u in units)}
    weight: dict[tuple[int, int], int] = {}
    adjacent: list[set[int]] = [set() for _ in range(count)]
    for first, second, metres in geography.weighted_edges(graph):
        a, b = row_of[first], row_of[second]
        if a == b:
            continue
        adjacent[a].add(b)
        adjacent[b].add(a)
        weight[a, b] = weight.get((a, b), 0) + int(metres)
        weight[b, a] = weight.get((b, a), 0) + int(metres)
    for island in island_rows:
        for row in range(count):
            if row != island:
                adjacent[island].add(row)
                adjacent[row].add(island)
    outer = [sum(weight.get((a, b), 0) for b in adjacent[a]) for a in range(count)]
    sizes = [len(units) for units in members]
    # Rows whose non-island units do not touch each other: a set holding one is checked.
    scattered = {
        r
        for r, units in enumerate(members)
        if len([u for u in units if u not in alone]) > 1
        and not nx.is_connected(graph.subgraph([u for u in units if u not in alone]))
    }
    found: list[_Column] = []

    def connected(rows: Sequence[int]) -> bool:
        units = [u for r in rows for u in members[r] if u not in alone]
        return len(units) < 2 or nx.is_connected(graph.subgraph(units))

    def extend(chosen: list[int], size: int, cost: int, extension: set[int], root: int) -> bool:
        if not scattered & set(chosen) or connected(chosen):
            found.append(_Column(tuple(chosen), size, cost))
            if len(found) > _MAX_COLUMNS:
                return False
        extension = set(extension)
        near = set(chosen).union(*(adjacent[r] for r in chosen))
        while extension:
            row = extension.pop()
            if size + sizes[row] > high:
                continue
            added = sum(weight.get((row, r), 0) for r in chosen)
            grown = extension | {r for r in adjacent[row] if r > root and r not in near}
            if not extend(
                [*chosen, row], size + sizes[row], cost + outer[row] - 2 * added, grown, root
            ):
                return False
        return True

    for root in range(count):
        if sizes[root] > high:
            continue
        if not extend(
            [root], sizes[root], outer[root], {r for r in adjacent[root] if r > root}, root
        ):
            return None
    return found


def _cap_columns(
    problem: PartProblem,
    k: int,
    model: cp_model.CpModel,
    usable: Sequence[_Column],
    chosen: Sequence[cp_model.IntVar],
    members: Sequence[Sequence[str]],
    opened: set[str],
    piece_cap: int,
) -> None:
    """The district pieces of the opened districts, and the members outside their cluster's
    majority former province, within their caps."""
    if opened:
        touching = []
        for column, literal in zip(usable, chosen, strict=True):
            tags = {problem.district[members[r][0]] for r in column.rows} & opened
            touching.append(len(tags) * literal)
        model.add(sum(touching) - len(opened) <= piece_cap)
    if problem.province is not None and k in problem.strays:
        province = problem.province
        strays = []
        for column, literal in zip(usable, chosen, strict=True):
            held: dict[str, int] = {}
            for row in column.rows:
                for unit in members[row]:
                    held[province[unit]] = held.get(province[unit], 0) + 1
            extra = column.size - max(held.values())
            if extra:
                strays.append(extra * literal)
        model.add(sum(strays) <= problem.strays[k][0])


def _partition(
    problem: PartProblem,
    k: int,
    window: tuple[int, int],
    opened: set[str],
    piece_cap: int,
    runner: RunnerLike,
    time_limit: float | None,
    border_cap: int | None,
    *,
    feasible: bool = False,
) -> tuple[str, dict[str, int] | None, int]:
    """Choose k candidate clusters that cover every row once: the least border (or, with
    `border_cap`, any within it). Returns the status ("optimal", "feasible", "infeasible",
    "unknown" or "too-many"), the grouping and the border's lower bound."""
    key = frozenset(opened)
    members, row_of = _rows(problem, opened)
    if key not in problem.cache:
        problem.cache[key] = _columns(problem, members, row_of, window[1])
    columns = problem.cache[key]
    if columns is None:
        return "too-many", None, 0
    low, high = window
    usable = [c for c in columns if low <= c.size <= high]
    model = cp_model.CpModel()
    chosen = [model.new_bool_var("") for _ in usable]
    covering: list[list[cp_model.IntVar]] = [[] for _ in members]
    for column, literal in zip(usable, chosen, strict=True):
        for row in column.rows:
            covering[row].append(literal)
    for literals in covering:
        if not literals:
            return "infeasible", None, 0
        model.add_exactly_one(literals)
    model.add(sum(chosen) == k)
    _cap_columns(problem, k, model, usable, chosen, members, opened, piece_cap)
    doubled = sum(column.cost * literal for column, literal in zip(usable, chosen, strict=True))
    if border_cap is not None:
        model.add(doubled <= 2 * border_cap)
    elif not feasible:
        model.minimize(doubled)
    status, solver = runner.run(
        model, geography.BORDER_BETWEEN, time_limit=time_limit, hinted=False
    )
    if status == cp_model.INFEASIBLE:
        return "infeasible", None, 0
    if status not in _SOLVED:
        return "unknown", None, 0
    assignment = {}
    cluster = 0
    for column, literal in zip(usable, chosen, strict=True):
        if solver.boolean_value(literal):
            for row in column.rows:
                for unit in members[row]:
                    assignment[unit] = cluster
            cluster += 1
    if border_cap is not None or feasible:
        return "feasible", assignment, 0
    bound = math.ceil(solver.best_objective_bound / 2 - 1e-6)
    return ("optimal" if status == cp_model.OPTIMAL else "feasible"), assignment, bound


def solve_part(
    problem: PartProblem,
    k: int,
    window: tuple[int, int],
    runner: RunnerLike,
    time_limit: float | None,
    *,
    caps: tuple[int, int, int] | None = None,
    count: tuple[int, int, dict[str, int] | None] | None = None,
) -> PartAnswer:
    """The lexicographic optimum of (district pieces, clusters not connected, border) for a
    part in k clusters of `window` members, or with `caps` any grouping within them.
    `count`: the count model's answer for these k and window, when already known."""
    low, high = window
    if not k * low <= len(problem.units) <= k * high:
        return PartAnswer(None, (0, 0, 0), (0, 0, 0), True)
    share = None if time_limit is None else time_limit / 3
    if count is None:
        count = _count_optimum(problem, k, window, runner, share)
    elif time_limit is not None:
        share = 0.0
    best, floor, cut = count
    if best == -2:
        return PartAnswer(None, (0, 0, 0), (0, 0, 0), True)
    if cut is None:
        return PartAnswer(None, (0, 0, 0), (floor, 0, 0), False)
    if caps is not None:
        if best > caps[0]:
            return PartAnswer(None, (0, 0, 0), (0, 0, 0), True)
        best = caps[0]
    districts = problem.districts()
    lowest = sum(math.ceil(len(units) / high) - 1 for units in districts.values())
    # Districts that must be split are opened; when the optimum is above that bound, those
    # the count model split too (then the node model is a restriction, and says so).
    opened = {tag for tag, units in districts.items() if len(units) > high}
    big = set(opened)
    exact = best == lowest
    remaining = None if time_limit is None else max(time_limit - share, 0.01)  # type: ignore[operator]
    border_cap = None if caps is None else caps[2]
    outcome = "too-many"
    if not exact:
        # Some district within the bound must be cut too, and which one is a choice: every
        # district opened keeps the model exact, when its candidates are not too many.
        outcome, assignment, border_bound = _partition(
            problem, k, window, set(districts), best, runner, remaining, border_cap
        )
        exact = outcome != "too-many"
        if not exact:
            opened |= {tag for tag, pieces in cut.items() if pieces > 1}
    if outcome == "too-many":
        # Connected candidate clusters: with districts whole they are few, and choosing k of
        # them is a set partitioning model whose relaxation is tight.
        outcome, assignment, border_bound = _partition(
            problem, k, window, opened, best, runner, remaining, border_cap
        )
    if outcome in ("optimal", "feasible") and assignment is not None:
        values = _values(problem, assignment)
        if caps is not None:
            return PartAnswer(assignment, values, values, exact)
        if values[0] == floor == lowest and not opened - big:
            # No grouping cuts fewer districts, and this model kept every other one whole,
            # as every optimum must: exact after all.
            exact, best = True, floor
        optimal = outcome == "optimal" and exact and floor == best
        # Every cluster connected: 0 is the least there is, proven whatever else holds.
        bounds = (floor, 0, min(border_bound, values[2]) if exact else 0)
        return PartAnswer(assignment, values, values if optimal else bounds, optimal)
    if outcome == "infeasible" and caps is not None:
        return PartAnswer(None, (0, 0, 0), (0, 0, 0), exact)
    if runner.stopped():
        return _from_shares(problem, k, window, floor)
    # No connected grouping (or too many candidates): the node model weighs disconnection.
    built = _NodeModel(problem, k, window, opened, best)
    model = built.model
    scale = built.total_border + 1
    if caps is None:
        model.minimize(built.disconnected * scale + built.border)
        stage = geography.BORDER_BETWEEN
    else:
        model.add(built.disconnected <= caps[1])
        model.add(built.border <= caps[2])
        stage = "spread"
    left = runner.remaining()
    remaining = None if time_limit is None else max(min(time_limit, left or time_limit), 0.01)
    status, solver = runner.run(model, stage, time_limit=remaining, hinted=False)
    if status == cp_model.INFEASIBLE:
        return PartAnswer(None, (0, 0, 0), (0, 0, 0), exact)
    if status not in _SOLVED:
        return _from_shares(problem, k, window, floor) if caps is None else _NOT_FOUND
    assignment = built.read(solver)
    values = _values(problem, assignment)
    if caps is not None:
        return PartAnswer(assignment, values, values, exact)
    exact_connected = exact and outcome == "infeasible"  # no connected grouping exists
    optimal = status == cp_model.OPTIMAL and exact and floor == best
    if optimal:
        return PartAnswer(assignment, values, values, True)
    objective = max(math.ceil(solver.best_objective_bound - 1e-6), 0) if exact else 0
    disconnected = max(min(objective // scale, values[1]), 1 if exact_connected else 0)
    border = objective - disconnected * scale if disconnected == values[1] else 0
    bounds = (floor, min(disconnected, values[1]), min(max(border, 0), values[2]))
    return PartAnswer(assignment, values, bounds, False)


_NOT_FOUND = PartAnswer(None, (0, 0, 0), (0, 0, 0), False)


def _from_shares(problem: PartProblem, k: int, window: tuple[int, int], floor: int) -> PartAnswer:
    """A grouping from the count model's answer alone, when no geography model answered in
    time: each district's units, breadth first over its borders, fill the clusters the
    counts give them. Sizes and district pieces hold; connectivity and borders are chance."""
    shares = problem.shares.get(k)
    if shares is None:
        return PartAnswer(None, (0, 0, 0), (floor, 0, 0), False)
    assignment: dict[str, int] = {}
    groups: dict[str | None, list[str]] = {}
    for unit in problem.units:
        groups.setdefault(problem.district[unit], []).append(unit)
    for tag, units in groups.items():
        ordered = _breadth_first(problem.graph, units)
        position = 0
        for cluster in range(k):
            for _ in range(shares.get((tag or "", cluster), 0)):
                assignment[ordered[position]] = cluster
                position += 1
    if len(assignment) != len(problem.units):
        return PartAnswer(None, (0, 0, 0), (floor, 0, 0), False)
    values = _values(problem, assignment)
    return PartAnswer(assignment, values, (floor, 0, 0), False)


def _breadth_first(graph: geography.Graph, units: Sequence[str]) -> list[str]:
    """`units` breadth first over the borders among them, component by component."""
    inside = set(units)
    seen: set[str] = set()
    order: list[str] = []
    for start in units:
        if start in seen:
            continue
        queue = [start]
        seen.add(start)
        for unit in queue:
            for other in sorted(graph.neighbors(unit)):
                if other in inside and other not in seen:
                    seen.add(other)
                    queue.append(other)
        order.extend(queue)
    return order


def parts_by_tag(plan: Plan, units: Sequence[str]) -> dict[str | None, list[str]] | None:
    """The units by their one listed former province tag, or None when some unit holds none
    or several (the tags then bind each other and cannot be split apart)."""
    found: dict[str | None, list[str]] = {}
    for unit in units:
        tags = cohesion.listed_tags(plan, plan.unit_by_id[unit])
        if len(tags) != 1:
            return None
        found.setdefault(tags[0], []).append(unit)
    return found


def _vectors(sizes: Sequence[int], groups: int, window: tuple[int, int]) -> list[tuple[int, ...]]:
    """Every count of clusters per part that the size bounds allow, summing to `groups`."""
    low, high = window
    ranges = [range(math.ceil(n / high), n // low + 1) for n in sizes]
    found: list[tuple[int, ...]] = []

    def extend(prefix: tuple[int, ...], left: int) -> None:
        index = len(prefix)
        if index == len(ranges):
            if left == 0:
                found.append(prefix)
            return
        rest_low = sum(r.start for r in ranges[index + 1 :])
        rest_high = sum(r.stop - 1 for r in ranges[index + 1 :])
        for count in ranges[index]:
            if rest_low <= left - count <= rest_high and len(found) <= _MAX_VECTORS:
                extend((*prefix, count), left - count)

    extend((), groups)
    return found


_MAX_VECTORS = 5_000


def _sum(answers: Sequence[PartAnswer], which: str) -> tuple[int, int, int]:
    triples = [getattr(answer, which) for answer in answers]
    return (
        sum(t[0] for t in triples),
        sum(t[1] for t in triples),
        sum(t[2] for t in triples),
    )


@attrs.frozen
class KindAnswer:
    """A kind's grouping: unit -> group id, each geography term's value and bound, the
    spread's value and bound, and whether everything is proven."""

    assignment: Mapping[str, str]
    values: Mapping[str, int]
    bounds: Mapping[str, int]
    proven: bool


def kind_grouping(
    plan: Plan,
    kind: str,
    groups: Sequence[str],
    runner: RunnerLike,
    *,
    by_tag: bool,
    spread_on: bool,
) -> KindAnswer | None:
    """The decomposition of one kind (see the module's docstring), or None when it does not
    apply (units holding no or several listed tags, no counts keeping the tags apart)."""
    units = [unit.id for unit in plan.units if unit.kind == kind]
    low, high = plan.rules.group_size
    low = max(low, 2 if plan.rules.deputy else 1)
    if low > high:
        return None
    window = (low, high)
    parts = parts_by_tag(plan, units) if by_tag else {None: units}
    if parts is None:
        return None
    graph = geography.neighbour_graph(plan)
    problems = [PartProblem.of(plan, members, graph) for members in parts.values()]
    vectors = _vectors([len(p.units) for p in problems], len(groups), window)
    mixing = False
    if not vectors and by_tag:
        # No counts keep the former provinces apart: one part, whose count model weighs the
        # mix first (it needs every unit in a district, for the tag of each district).
        single = PartProblem.of(plan, units, graph, by_tag=True)
        if any(single.district[unit] is None for unit in units):
            return None
        problems = [single]
        vectors = _vectors([len(units)], len(groups), window)
        mixing = True
    if not vectors:
        return None
    needed = sorted({(i, v[i]) for v in vectors for i in range(len(problems))})
    # Whole districts first: the count models are small and settle which counts of clusters
    # per part can be best, so only those parts get the geography.
    counts: dict[tuple[int, int], tuple[int, int, dict[str, int] | None]] = {}
    for position, (i, k) in enumerate(needed):
        if runner.stopped() and counts:
            break  # out of time: the counts settled so far decide
        share = time_share(runner, 2 * (len(needed) - position) + 1)
        counts[i, k] = _whole_districts(problems[i], k, window, runner, share) or _count_optimum(
            problems[i], k, window, runner, share
        )
    solved = [
        v
        for v in vectors
        if all((i, k) in counts and counts[i, k][2] is not None for i, k in enumerate(v))
    ]
    if not solved:
        return None
    fewest = min(sum(counts[i, k][0] for i, k in enumerate(v)) for v in solved)
    vectors = [v for v in solved if sum(counts[i, k][0] for i, k in enumerate(v)) == fewest] + [
        v for v in vectors if v not in solved
    ]
    needed = sorted({(i, v[i]) for v in vectors if v in solved for i in range(len(problems))})
    # Larger parts are harder: each gets a share of the time in proportion to its units.
    answers: dict[tuple[int, int], PartAnswer] = {}
    for position, (i, k) in enumerate(needed):
        if runner.stopped() and answers:
            break  # out of time: the groupings found so far, with their gaps
        left = runner.remaining()
        share = None
        if left is not None:
            pending = sum(len(problems[j].units) for j, _ in needed[position:])
            share = max(left * 0.8 * len(problems[i].units) / max(pending, 1), 0.01)
        answers[i, k] = solve_part(problems[i], k, window, runner, share, count=counts[i, k])
    usable = [
        v
        for v in vectors
        if all(answers.get((i, k)) is not None and answers[i, k].found for i, k in enumerate(v))
    ]
    if not usable:
        return None

    def of(vector: tuple[int, ...]) -> list[PartAnswer]:
        return [answers[i, k] for i, k in enumerate(vector)]

    best_values = min(_sum(of(v), "values") for v in usable)
    tied = [v for v in usable if _sum(of(v), "values") == best_values]
    # Lower bounds: the counts' own where the geography was not solved.
    lower = min(
        _sum(
            [
                answers[i, k]
                if (i, k) in answers
                else PartAnswer(None, (0, 0, 0), (counts.get((i, k), (0, 0, None))[1], 0, 0), False)
                for i, k in enumerate(v)
            ],
            "bounds",
        )
        for v in vectors
    )
    bounds3 = [lower[0], 0, 0]
    if best_values[0] == lower[0]:
        bounds3[1] = lower[1]
        if best_values[1] == lower[1]:
            bounds3[2] = lower[2]
    vector = tied[0]
    chosen = {i: answers[i, k] for i, k in enumerate(vector)}
    spread_bound, spread_proven = 0, True
    if spread_on:
        vector, chosen, spread_bound, spread_proven = _narrowest(
            problems, tied, answers, window, runner
        )
    assignment = _label(plan, groups, vector, chosen)
    sizes = {group: 0 for group in groups}
    for group in assignment.values():
        sizes[group] += 1
    spread = max(sizes.values()) - min(sizes.values())
    values3 = _sum(list(chosen.values()), "values")
    # Borders between two parts run between clusters in every grouping that keeps them apart.
    part_of = {unit: i for i, problem in enumerate(problems) for unit in problem.units}
    crossing = sum(
        int(metres)
        for first, second, metres in geography.weighted_edges(graph)
        if first in part_of and second in part_of and part_of[first] != part_of[second]
    )
    values3 = (values3[0], values3[1], values3[2] + crossing)
    bounds3[2] += crossing
    values = {
        cohesion.TAG_COHESION: 0,
        geography.DISTRICT_PIECES: values3[0],
        geography.DISCONNECTED_GROUPS: values3[1],
        geography.BORDER_BETWEEN: values3[2],
        "spread": spread,
    }
    bounds = {
        cohesion.TAG_COHESION: 0,
        geography.DISTRICT_PIECES: bounds3[0],
        geography.DISCONNECTED_GROUPS: bounds3[1],
        geography.BORDER_BETWEEN: bounds3[2],
        "spread": min(spread_bound, spread) if spread_on else 0,
    }
    if not by_tag or mixing:
        # Not split by former province: its mix is counted, and bounded by the count model.
        members = {g: [u for u, there in assignment.items() if there == g] for g in groups}
        values[cohesion.TAG_COHESION] = sum(
            mix.penalty
            for g in groups
            if (mix := cohesion.tag_mix(plan, members[g], g)) is not None
        )
        if mixing:
            bounds[cohesion.TAG_COHESION] = problems[0].strays.get(len(groups), (0, 0))[1]
    proven = (
        values3 == tuple(bounds3)
        and (not spread_on or (spread_proven and spread == bounds["spread"]))
        and values[cohesion.TAG_COHESION] == bounds[cohesion.TAG_COHESION]
    )
    return KindAnswer(assignment, values, bounds, proven)


def _narrowest(
    problems: Sequence[PartProblem],
    tied: Sequence[tuple[int, ...]],
    answers: Mapping[tuple[int, int], PartAnswer],
    window: tuple[int, int],
    runner: RunnerLike,
) -> tuple[tuple[int, ...], dict[int, PartAnswer], int, bool]:
    """The narrowest size window some tied count vector fits with every part at its optimum:
    the vector, the parts' groupings, the spread's bound and whether it is proven."""
    low, high = window
    current = tied[0]
    chosen = {i: answers[i, k] for i, k in enumerate(current)}
    sizes = [s for i, k in enumerate(current) for s in answers[i, k].sizes(k)]
    found_spread = max(sizes) - min(sizes)
    undecided: int | None = None
    for width in range(found_spread):
        for start in range(low, high - width + 1):
            for vector in tied:
                if not all(
                    k * start <= len(problems[i].units) <= k * (start + width)
                    for i, k in enumerate(vector)
                ):
                    continue
                fitted: dict[int, PartAnswer] = {}
                decided = True
                for i, k in enumerate(vector):
                    answer = answers[i, k]
                    if all(start <= s <= start + width for s in answer.sizes(k)):
                        fitted[i] = answer
                        continue
                    if runner.stopped():
                        decided = False
                        break
                    attempt = solve_part(
                        problems[i],
                        k,
                        (start, start + width),
                        runner,
                        time_share(runner, 3),
                        caps=answer.values,
                    )
                    if not attempt.found:
                        decided = attempt.proven
                        break
                    fitted[i] = attrs.evolve(attempt, bounds=answer.bounds, proven=answer.proven)
                if len(fitted) == len(vector):
                    bound = width if undecided is None else undecided
                    return vector, fitted, bound, bound == width
                if not decided and undecided is None:
                    undecided = width
    bound = found_spread if undecided is None else undecided
    return current, chosen, bound, bound == found_spread


def _label(
    plan: Plan,
    groups: Sequence[str],
    vector: tuple[int, ...],
    chosen: Mapping[int, PartAnswer],
) -> dict[str, str]:
    """Local clusters to the kind's groups: parts in order, within a part by first member."""
    order = {unit.id: index for index, unit in enumerate(plan.units)}
    names = iter(groups)
    assignment: dict[str, str] = {}
    for i, k in enumerate(vector):
        local = chosen[i].assignment or {}
        first: dict[int, int] = {}
        for unit, cluster in local.items():
            first[cluster] = min(first.get(cluster, len(order)), order[unit])
        for cluster in sorted(range(k), key=lambda c: first.get(c, len(order))):
            target = next(names)
            for unit, there in local.items():
                if there == cluster:
                    assignment[unit] = target
    return assignment
