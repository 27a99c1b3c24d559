"""Geography: former districts, the neighbour graph and borders, counted on a plan as it stands.

Three soft rules read these counts (`district-whole`, `group-connected` and `border-inside` in
`thidua.rules`), the objective reports them as terms and the solver minimises them. They
apply to plans that carry borders (`plan.borders`, as `thidua new-map` writes them) and, for
the first, list former districts (`rules.district_tags`):

- District pieces: per former district, the groups holding its units, beyond one. Planners
  build clusters from whole former districts where the size bounds allow.
- Disconnected groups: the groups whose members are not connected over the neighbour graph
  (borders and neighbour pairs). Islands, units with no neighbour at all, are left out: an
  island cannot touch anything, so it never disconnects a group.
- Border between groups: the length of border, in whole metres, that runs between two units
  no group holds together. Shorter means more compact clusters.

This module reads the plan only, so the rules, the terms and the solver count alike. It
imports networkx (which `thidua.graph` already uses; nothing heavier) when a graph is first
built: every rule module imports this one, and a plan without borders never needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeAlias

import attrs

from thidua.model import Plan

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "BORDER_BETWEEN",
    "DISCONNECTED_GROUPS",
    "DISTRICT_PIECES",
    "GEOGRAPHY_TERMS",
    "DisconnectedGroup",
    "DistrictSplit",
    "GroupGeography",
    "border_between",
    "border_metres",
    "disconnected_groups",
    "district_of",
    "district_pieces",
    "district_splits",
    "geography_terms",
    "group_geography",
    "islands",
    "kinds_in_play",
    "neighbour_graph",
    "neighbours_in_other_groups",
    "split_borders",
    "weighted_edges",
]

# The neighbour graph: unit ids, each edge with its border in whole metres (`metres`).
Graph: TypeAlias = "nx.Graph[str]"

DISTRICT_PIECES = "district_pieces"
DISCONNECTED_GROUPS = "disconnected_groups"
BORDER_BETWEEN = "border_between"
# In their order of priority: whole former districts first, as planners do, then connected
# clusters, then short borders between them.
GEOGRAPHY_TERMS = (DISTRICT_PIECES, DISCONNECTED_GROUPS, BORDER_BETWEEN)


def border_metres(km: float) -> int:
    """A border's length in whole metres: the terms are integers, as CP-SAT needs."""
    return round(km * 1000)


def neighbour_graph(plan: Plan) -> Graph:
    """Every unit of the plan, joined where they share a border (`metres` on each edge).

    Pairs from `plan.borders` weigh their length; pairs listed only in `plan.neighbours`
    weigh nothing but still connect. Pairs naming an unknown unit, or a unit with itself, are
    left out, and a pair listed twice keeps its longest border.
    """
    import networkx as nx  # about 0.2 s: only once a graph is built

    graph: Graph = nx.Graph()
    graph.add_nodes_from(unit.id for unit in plan.units)
    known = plan.unit_by_id
    for first, second in plan.neighbours:
        if first != second and first in known and second in known:
            graph.add_edge(first, second, metres=0)
    for border in plan.borders:
        first, second = border.first, border.second
        if first == second or first not in known or second not in known:
            continue
        metres = border_metres(border.km)
        if graph.has_edge(first, second):
            metres = max(metres, graph.edges[first, second]["metres"])
        graph.add_edge(first, second, metres=metres)
    return graph


def weighted_edges(graph: Graph) -> list[tuple[str, str, int]]:
    """The graph's edges with their metres."""
    edges: list[tuple[str, str, int]] = []
    for first, second in graph.edges:
        edges.append((first, second, int(graph.edges[first, second].get("metres", 0))))
    return edges


def islands(plan: Plan, graph: Graph | None = None) -> frozenset[str]:
    """Units with no neighbour at all: exempt from connectivity."""
    graph = neighbour_graph(plan) if graph is None else graph
    return frozenset(node for node in graph.nodes if graph.degree(node) == 0)


def district_of(plan: Plan) -> dict[str, tuple[str, ...]]:
    """Each unit to the district tags of `rules.district_tags` it holds, in the rules' order."""
    listed = plan.rules.district_tags
    return {unit.id: tuple(tag for tag in listed if tag in unit.tags) for unit in plan.units}


@attrs.frozen
class DistrictSplit:
    """A former district whose units sit in several groups: `pieces` maps each group (None:
    no group) to the district's units there, the largest piece first."""

    district: str
    pieces: tuple[tuple[str | None, tuple[str, ...]], ...]

    @property
    def penalty(self) -> int:
        return len(self.pieces) - 1


def district_splits(plan: Plan) -> tuple[DistrictSplit, ...]:
    """The former districts split between groups, in the order `rules.district_tags` lists."""
    holders: dict[str, dict[str | None, list[str]]] = {}
    for unit, tags in district_of(plan).items():
        for tag in tags:
            holders.setdefault(tag, {}).setdefault(plan.group_of(unit), []).append(unit)
    found = []
    for tag in plan.rules.district_tags:
        pieces = holders.get(tag, {})
        if len(pieces) > 1:
            ordered = sorted(pieces.items(), key=lambda item: -len(item[1]))
            found.append(DistrictSplit(tag, tuple((g, tuple(u)) for g, u in ordered)))
    return tuple(found)


def district_pieces(plan: Plan) -> int:
    """The district term: pieces beyond one, summed over the former districts."""
    return sum(split.penalty for split in district_splits(plan))


@attrs.frozen
class DisconnectedGroup:
    """A group whose members (islands left out) fall into several connected parts, the
    largest first."""

    group: str
    parts: tuple[tuple[str, ...], ...]


def disconnected_groups(plan: Plan, graph: Graph | None = None) -> tuple[DisconnectedGroup, ...]:
    """The groups not connected over the neighbour graph, in group order."""
    graph = neighbour_graph(plan) if graph is None else graph
    alone = islands(plan, graph)
    found = []
    for group in plan.groups:
        members = [m for m in dict.fromkeys(group.members) if m in graph and m not in alone]
        if len(members) < 2:
            continue
        parts = sorted(
            (tuple(sorted(part, key=members.index)) for part in _components(graph, members)),
            key=lambda part: (-len(part), members.index(part[0])),
        )
        if len(parts) > 1:
            found.append(DisconnectedGroup(group.id, tuple(parts)))
    return tuple(found)


def _components(graph: Graph, members: Iterable[str]) -> list[set[str]]:
    import networkx as nx  # loaded already: `graph` is one

    return [set(part) for part in nx.connected_components(graph.subgraph(members))]


def split_borders(plan: Plan, graph: Graph | None = None) -> tuple[tuple[str, str, int], ...]:
    """(unit, unit, metres) for every bordering pair no group holds together."""
    graph = neighbour_graph(plan) if graph is None else graph
    found = []
    for first, second, metres in weighted_edges(graph):
        shared = set(plan.groups_of_unit.get(first, ())) & set(plan.groups_of_unit.get(second, ()))
        if not shared and metres:
            found.append((first, second, int(metres)))
    return tuple(found)


def border_between(plan: Plan, graph: Graph | None = None) -> int:
    """The border term: metres of border between units no group holds together."""
    return sum(metres for _, _, metres in split_borders(plan, graph))


def neighbours_in_other_groups(plan: Plan, group: str) -> dict[str, tuple[str, ...]]:
    """For a group: each other group bordering it, with the group's members on that border.

    Ordered by the length of border shared, longest first (what a planner calls the
    cluster's neighbours).
    """
    graph = neighbour_graph(plan)
    members = set(plan.group_by_id[group].members) if group in plan.group_by_id else set()
    touching: dict[str, dict[str, None]] = {}
    length: dict[str, int] = {}
    for unit in members:
        if unit not in graph:
            continue
        for other in graph.neighbors(unit):
            there = plan.group_of(other)
            if there is None or there == group:
                continue
            touching.setdefault(there, {})[unit] = None
            length[there] = length.get(there, 0) + int(graph.edges[unit, other]["metres"])
    order = sorted(touching, key=lambda g: -length[g])
    return {g: tuple(touching[g]) for g in order}


def geography_terms(plan: Plan) -> tuple[str, ...]:
    """The geography terms the plan configures: all three need borders; the district term
    also needs `rules.district_tags`."""
    if not plan.borders:
        return ()
    if plan.rules.district_tags:
        return GEOGRAPHY_TERMS
    return (DISCONNECTED_GROUPS, BORDER_BETWEEN)


def kinds_in_play(plan: Plan, term: str) -> tuple[str, ...]:
    """The kinds of unit on which a geography term can vary between plans: kinds with a
    district tag held (districts), or a neighbour pair inside the kind (the others)."""
    if term not in geography_terms(plan):
        return ()
    kinds: dict[str, None] = {}
    units = plan.unit_by_id
    if term == DISTRICT_PIECES:
        for unit, tags in district_of(plan).items():
            if tags:
                kinds[units[unit].kind] = None
        return tuple(kinds)
    for first, second in neighbour_graph(plan).edges:
        if units[first].kind == units[second].kind:
            kinds[units[first].kind] = None
    return tuple(kinds)


def evaluate(plan: Plan) -> Mapping[str, int]:
    """The three terms of `plan`, whether or not it configures them."""
    graph = neighbour_graph(plan)
    return {
        DISTRICT_PIECES: district_pieces(plan),
        DISCONNECTED_GROUPS: len(disconnected_groups(plan, graph)),
        BORDER_BETWEEN: border_between(plan, graph),
    }


@attrs.frozen
class GroupGeography:
    """What a cluster's detail shows of its geography: its former districts (each with how
    many of its units the cluster holds, of how many), and the other clusters it borders
    with the members on that border, longest border first."""

    districts: tuple[tuple[str, int, int], ...]
    neighbours: tuple[tuple[str, tuple[str, ...]], ...]


def group_geography(plan: Plan, group: str) -> GroupGeography:
    members = plan.group_by_id[group].members if group in plan.group_by_id else ()
    tags = district_of(plan)
    totals: dict[str, int] = {}
    for held in tags.values():
        for tag in held:
            totals[tag] = totals.get(tag, 0) + 1
    here: dict[str, int] = {}
    for member in members:
        for tag in tags.get(member, ()):
            here[tag] = here.get(tag, 0) + 1
    districts = tuple((tag, count, totals[tag]) for tag, count in here.items())
    neighbours = tuple(neighbours_in_other_groups(plan, group).items())
    return GroupGeography(districts, neighbours)
