"""A networkx view of a plan: units, groups and staff as typed nodes; roles as typed edges."""

from __future__ import annotations

import networkx as nx

from thidua.model import Plan

__all__ = ["EDGE_KINDS", "NODE_KINDS", "to_graph"]

NODE_KINDS = ("unit", "group", "staff")
# Edges point from the unit or person to the group.
EDGE_KINDS = ("member", "leader", "officer", "chair", "deputy")


def node(kind: str, item_id: str) -> str:
    """Node keys are prefixed by kind, since a unit and a group may share an id."""
    return f"{kind}:{item_id}"


def to_graph(plan: Plan) -> nx.MultiDiGraph[str]:
    """The plan as a typed multigraph; node attributes `kind`, `id`, `name`; edge key = role."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(year=plan.year)
    for unit in plan.units:
        graph.add_node(node("unit", unit.id), kind="unit", id=unit.id, name=unit.name)
    for person in plan.staff:
        graph.add_node(
            node("staff", person.id),
            kind="staff",
            id=person.id,
            name=person.name,
            role=person.role.value,
        )
    for group in plan.groups:
        target = node("group", group.id)
        graph.add_node(target, kind="group", id=group.id, name=group.name)
        for position, member in enumerate(group.members):
            graph.add_edge(node("unit", member), target, key="member", position=position)
        for role in ("leader", "officer"):
            value = getattr(group, role)
            if value is not None:
                graph.add_edge(node("staff", value), target, key=role)
        for role in ("chair", "deputy"):
            value = getattr(group, role)
            if value is not None:
                graph.add_edge(node("unit", value), target, key=role)
    return graph
