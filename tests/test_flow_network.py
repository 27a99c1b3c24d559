"""The flow's network laid once and solved again per window equals one laid for each window.

`thidua.solver.flow` lays the min-cost flow of a kind once and changes only the demands and
capacities a size window sets (`_Network`). The reference below is the construction it
replaced: a graph laid from scratch for one window and solved by a fresh OR-Tools min-cost
flow. Asked for windows in any order, on drafts with rotation bars, pinned chairs and evicted
units in up to a dozen groups, both must give the same fewest moves and the same membership.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from chair_drafts import KIND, draft_and_previous, draw_evicted, draw_pins
from thidua.model import Plan, Unit
from thidua.solver import flow as flow_module
from thidua.solver.flow import ChairLimits

Node = tuple[str, ...]


class _Graph:
    """A flow network as plain lists (a node's `demand` is what it takes in, an edge without
    `capacity` is unbounded)."""

    def __init__(self) -> None:
        self.demand: dict[Node, int] = {}
        self.edges: list[tuple[Node, Node, int | None, int]] = []

    def add_node(self, node: Node, *, demand: int = 0) -> None:
        self.demand[node] = demand

    def add_edge(
        self, tail: Node, head: Node, *, capacity: int | None = None, weight: int = 0
    ) -> None:
        self.demand.setdefault(tail, 0)
        self.demand.setdefault(head, 0)
        self.edges.append((tail, head, capacity, weight))


def reference_graph(
    problem: flow_module._KindProblem, window: flow_module._Window
) -> _Graph | None:
    """The network of `problem` for `window` alone, as it was laid before `_Network` (the
    needy groups' ports since in the groups' order, as `_Network` lays them)."""
    groups = [group.id for group in problem.groups]
    if not groups:
        return None
    graph = _Graph()
    sink = ("sink",)
    movable = len(problem.free) + sum(len(problem.anchored[g]) for g in groups)
    required_total = 0
    for group in groups:
        pinned = len(problem.pinned[group])
        need = int(group in problem.needy)
        room = window.high - pinned
        required = max(window.low - pinned, need)
        if room < required:
            return None
        if need:
            graph.add_node(("eligible", group), demand=1)
        graph.add_node(("group", group), demand=required - need)
        graph.add_edge(("group", group), sink, capacity=room - required)
        required_total += required
    if movable < required_total:
        return None
    graph.add_node(sink, demand=movable - required_total)
    ports = [("group", g) for g in groups] + [("eligible", g) for g in groups if g in problem.needy]
    for level in range(problem._levels()):
        for port in ports:
            graph.add_edge(problem._hubs(port[1], other=True)[level], port, weight=0)
    if problem.free:
        graph.add_node(("free",), demand=-len(problem.free))
        for port in ports:
            graph.add_edge(("free",), port, weight=0)
    for group in groups:
        anchored = problem.anchored[group]
        if anchored:
            source = ("anchored", group)
            graph.add_node(source, demand=-len(anchored))
            stay = len(anchored) - problem.leaving.get(group, 0)
            if group in problem.keepers:
                graph.add_edge(source, ("eligible", group), weight=0, capacity=1)
                stay -= 1
            graph.add_edge(source, ("group", group), weight=0, capacity=stay)
            for hub in problem._hubs(group):
                graph.add_edge(source, hub, weight=1)
    return graph


def reference_network(
    problem: flow_module._KindProblem, window: flow_module._Window
) -> tuple[int, dict[str, str]] | None:
    """`network` as it was: a graph and a solver of its own for each window."""
    from ortools.graph.python import min_cost_flow

    graph = reference_graph(problem, window)
    if graph is None:
        return None
    nodes = {node: index for index, node in enumerate(graph.demand)}
    total = sum(max(0, -demand) for demand in graph.demand.values())
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = [
        solver.add_arc_with_capacity_and_unit_cost(
            nodes[tail], nodes[head], total if capacity is None else capacity, weight
        )
        for tail, head, capacity, weight in graph.edges
    ]
    for node, demand in graph.demand.items():
        solver.set_node_supply(nodes[node], -demand)
    if solver.solve() != solver.OPTIMAL:
        return None
    flows: dict[Node, dict[Node, int]] = defaultdict(dict)
    for arc, (tail, head, _, _) in zip(arcs, graph.edges, strict=True):
        flows[tail][head] = int(solver.flow(arc))
    return int(solver.optimal_cost()), problem._membership(flows)


@st.composite
def barred_drafts(draw: st.DrawFn) -> tuple[Plan, Plan, ChairLimits]:
    """A draft of up to 30 units in up to 12 groups, last year's plan and its chair limits:
    rotation bars, pinned units and chairs, evicted units, new units and new groups."""
    groups = [f"g{i}" for i in range(draw(st.integers(1, 12)))]
    units = [Unit(f"u{i}", f"Xã {i}", KIND) for i in range(draw(st.integers(1, 30)))]
    home = {u.id: draw(st.none() | st.sampled_from(groups)) for u in units}
    pins, pinned = draw_pins(draw, units, groups)
    barred = {
        group: frozenset(u.id for u in units if draw(st.integers(0, 2)) == 0) for group in groups
    }
    evicted = draw_evicted(draw, home, pinned)
    low = draw(st.integers(1, 3))
    high = draw(st.integers(low, 6))
    draft, previous = draft_and_previous(units, groups, home, pins, (low, high))
    chair_pinned = frozenset(p.group for p in pins if p.chair is not None)
    return draft, previous, ChairLimits(barred=barred, chair_pinned=chair_pinned, evicted=evicted)


@settings(max_examples=150, deadline=None)
@given(barred_drafts(), st.randoms(use_true_random=False))
def test_network_laid_once_equals_one_per_window(
    case: tuple[Plan, Plan, ChairLimits], random: object
) -> None:
    draft, previous, limits = case
    problem = flow_module._KindProblem.build(draft, previous, KIND, limits)
    low, high = draft.rules.group_size
    windows = [flow_module._Window(a, b) for a in range(low, high + 1) for b in range(a, high + 1)]
    # Any order, each window twice: solving another window in between must not change it.
    order = windows * 2
    random.shuffle(order)  # type: ignore[attr-defined]
    for window in order:
        expected = reference_network(problem, window)
        assert problem.network_cost(window) == (None if expected is None else expected[0])
        assert problem.network(window) == expected
