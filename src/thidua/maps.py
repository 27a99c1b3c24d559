"""A plan's clusters on a map: `thidua map PLAN --shapes GEOJSON -o OUT.svg|png|html`.

Each unit is filled with its cluster's colour, and neighbouring clusters never share one: the
clusters' adjacency graph (clusters whose units share a border, from the plan's borders or,
without them, from the shapes touching) is coloured greedily (networkx), which needs at most
one colour more than the most neighbours a cluster has. Each cluster's name stands at its
centre, its chair is marked with a star, and the legend gives each cluster's size, leader and
officer. Units without a shape are listed on the map and returned, never dropped silently.

SVG and PNG are drawn with matplotlib (text kept as text in SVG, each unit's patch with the id
`unit-<id>`); HTML with plotly, its JavaScript inlined so that the page works offline, where
hovering a unit names it, its cluster and its chair. Both libraries, and shapely, are
imported only here, when a map is drawn.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import networkx as nx

from thidua import geography
from thidua.errors import PlanFileError
from thidua.files import atomic_write, decode_input, read_input
from thidua.i18n import N_, _, ngettext
from thidua.model import Plan
from thidua.text import nfc, tone_key

__all__ = [
    "FORMATS",
    "PALETTE",
    "MapData",
    "cluster_colours",
    "far_units",
    "html_figure",
    "map_data",
    "read_shapes",
    "render",
]

FORMATS = ("svg", "png", "html")
# Qualitative colours that stay apart in print and for most colour vision (Tableau 10 and
# its light variants); greedy colouring of a province's clusters rarely needs more than six.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#edc948",
    "#76b7b2",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#a0cbe8",
    "#ffbe7d",
)
NO_GROUP = "#ffffff"


def read_shapes(path: Path, plan: Plan) -> dict[str, Any]:
    """Each unit's shape (shapely), joined to the plan's units by name; features naming no
    unit of the plan are left aside."""
    from shapely.geometry import shape

    text = decode_input(path, read_input(path, what=N_("GeoJSON file")))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as failure:
        raise PlanFileError(
            path, _("not JSON: {reason}").format(reason=failure.msg), failure.lineno
        ) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise PlanFileError(path, _("not a GeoJSON FeatureCollection"))
    by_name = {unit.name: unit.id for unit in plan.units}
    # Sources place tone marks differently ("Hoà", "Hòa"); the mark itself still counts.
    by_key = {tone_key(unit.name): unit.id for unit in plan.units}
    shapes: dict[str, Any] = {}
    for number, feature in enumerate(features, start=1):
        properties = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        name = nfc(str(properties.get("name", "")))
        unit = by_name.get(name) or by_key.get(tone_key(name))
        if unit is None:
            continue
        try:
            shapes[unit] = shape(feature["geometry"])
        except Exception:  # shapely raises several kinds for a malformed geometry
            raise PlanFileError(
                path, _("feature {number} has no valid geometry").format(number=number)
            ) from None
    return shapes


def cluster_colours(plan: Plan, shapes: Mapping[str, Any]) -> dict[str, str]:
    """A colour per group such that groups sharing a border (or whose shapes touch) never
    share a colour."""
    graph: geography.Graph = nx.Graph()
    graph.add_nodes_from(group.id for group in plan.groups)
    # Borders, and shapes that touch at all: clusters meeting at a corner look adjacent.
    edges = [*geography.neighbour_graph(plan).edges, *_touching(shapes)]
    for first, second in edges:
        a, b = plan.group_of(first), plan.group_of(second)
        if a is not None and b is not None and a != b:
            graph.add_edge(a, b)
    colouring = nx.greedy_color(graph, strategy="largest_first")
    count = max(colouring.values(), default=0) + 1
    palette = list(PALETTE) + _more_colours(count - len(PALETTE))
    return {group: palette[colour] for group, colour in colouring.items()}


def _touching(shapes: Mapping[str, Any]) -> list[tuple[str, str]]:
    from shapely.strtree import STRtree

    ids = list(shapes)
    tree = STRtree([shapes[i] for i in ids])
    pairs = []
    for position, unit in enumerate(ids):
        for other in tree.query(shapes[unit], predicate="intersects"):
            if int(other) > position:
                pairs.append((unit, ids[int(other)]))
    return pairs


def _more_colours(count: int) -> list[str]:
    """Evenly spaced hues beyond the palette (a province would need an unusual map)."""
    import colorsys

    found = []
    for index in range(max(count, 0)):
        red, green, blue = colorsys.hsv_to_rgb((index * 0.618034) % 1, 0.45, 0.9)
        found.append(f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}")
    return found


@attrs.frozen
class MapData:
    """What a map shows, independent of how it is drawn."""

    colours: Mapping[str, str]  # group id -> colour
    fill: Mapping[str, str]  # unit id -> colour (its group's, or white in no group)
    centres: Mapping[str, tuple[float, float]]  # group id -> (x, y) where its name stands
    chairs: Mapping[str, tuple[float, float]]  # group id -> where its chair is marked
    legend: tuple[tuple[str, str], ...]  # (group id, line of the legend)
    missing: tuple[str, ...]  # units with no shape


def map_data(plan: Plan, shapes: Mapping[str, Any]) -> MapData:
    from shapely.ops import unary_union

    colours = cluster_colours(plan, shapes)
    fill = {}
    for unit in plan.units:
        holder = plan.group_of(unit.id)
        fill[unit.id] = colours.get(holder, NO_GROUP) if holder is not None else NO_GROUP
    centres, chairs = {}, {}
    legend = []
    far = far_units(shapes)
    for group in plan.groups:
        drawn = [shapes[m] for m in group.members if m in shapes and m not in far]
        drawn = drawn or [shapes[m] for m in group.members if m in shapes]
        if drawn:
            point = unary_union(drawn).representative_point()
            centres[group.id] = (point.x, point.y)
        if group.chair is not None and group.chair in shapes:
            point = shapes[group.chair].representative_point()
            chairs[group.id] = (point.x, point.y)
        leader = plan.staff_by_id.get(group.leader or "")
        officer = plan.staff_by_id.get(group.officer or "")
        legend.append(
            (
                group.id,
                ngettext(
                    "{name}: {count} unit, leader {leader}, officer {officer}",
                    "{name}: {count} units, leader {leader}, officer {officer}",
                    len(group.members),
                ).format(
                    name=group.name,
                    count=len(group.members),
                    leader=leader.name if leader else "-",
                    officer=officer.name if officer else "-",
                ),
            )
        )
    missing = tuple(unit.id for unit in plan.units if unit.id not in shapes)
    return MapData(colours, fill, centres, chairs, tuple(legend), missing)


def _missing_line(plan: Plan, missing: Sequence[str]) -> str:
    names = ", ".join(plan.unit_by_id[unit].name for unit in missing)
    return ngettext(
        "{count} unit has no shape: {names}", "{count} units have no shape: {names}", len(missing)
    ).format(count=len(missing), names=names)


def _rings(geometry: Any) -> list[Any]:
    return list(geometry.geoms) if hasattr(geometry, "geoms") else [geometry]


def _draw_matplotlib(plan: Plan, shapes: Mapping[str, Any], data: MapData, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath
    from shapely.ops import unary_union

    plt.rcParams["svg.fonttype"] = "none"  # labels stay text in the SVG
    plt.rcParams["svg.hashsalt"] = "thidua"  # the same plan gives the same file
    figure, axes = plt.subplots(figsize=(12, 12))
    names = {unit.id: unit.name for unit in plan.units}
    group_name = {group.id: group.name for group in plan.groups}
    far = far_units(shapes)
    # Far islands (Côn Đảo from Hồ Chí Minh City) go to an inset, so the mainland fills the map.
    inset = axes.inset_axes((1.02, 0.0, 0.3, 0.3)) if far else None

    def draw_unit(target: Any, unit: str, geometry: Any) -> None:
        for polygon in _rings(geometry):
            if polygon.is_empty or not hasattr(polygon, "exterior"):
                continue
            rings = [polygon.exterior, *polygon.interiors]
            compound = MplPath.make_compound_path(
                *(MplPath(list(ring.coords), closed=True) for ring in rings)
            )
            patch = PathPatch(compound, facecolor=data.fill[unit], edgecolor="#ffffff", lw=0.3)
            patch.set_gid(f"unit-{unit}")
            patch.set_label(names[unit])
            target.add_patch(patch)

    for unit, geometry in shapes.items():
        draw_unit(inset if unit in far else axes, unit, geometry)
    if inset is not None:
        inset.set_aspect(1 / math.cos(math.radians(_middle_latitude(shapes))))
        inset.autoscale_view()
        inset.set_xticks([])
        inset.set_yticks([])
        for unit in far:
            point = shapes[unit].representative_point()
            inset.annotate(names[unit], (point.x, point.y), fontsize=7, ha="center")
    shapes = {unit: geometry for unit, geometry in shapes.items() if unit not in far}
    for group in plan.groups:
        drawn = [shapes[m] for m in group.members if m in shapes]
        if not drawn:
            continue
        outline = unary_union(drawn)
        for polygon in _rings(outline):
            if hasattr(polygon, "exterior"):
                xs, ys = polygon.exterior.xy
                axes.plot(xs, ys, color="#333333", lw=1.0)
    for group_id, (x, y) in data.chairs.items():
        axes.plot(x, y, marker="*", color="#000000", markersize=9, gid=f"chair-{group_id}")
    for group_id, (x, y) in data.centres.items():
        axes.text(
            x,
            y,
            group_name[group_id],
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
            gid=f"label-{group_id}",
            bbox={"boxstyle": "round,pad=0.2", "fc": "#ffffff", "ec": "none", "alpha": 0.75},
        )
    handles = [
        Patch(facecolor=data.colours.get(group_id, NO_GROUP), edgecolor="#333333", label=line)
        for group_id, line in data.legend
    ]
    legend = axes.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title=_("★ chair"),
        frameon=False,
    )
    legend.set_gid("legend")
    if data.missing:
        figure.text(0.01, 0.01, _missing_line(plan, data.missing), fontsize=8, gid="missing")
    axes.set_title(plan.title or str(plan.year), fontsize=11)
    axes.set_aspect(1 / math.cos(math.radians(_middle_latitude(shapes))))
    axes.autoscale_view()
    axes.set_axis_off()
    suffix = path.suffix.lower().lstrip(".")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        figure.savefig(tmp, format=suffix, bbox_inches="tight", dpi=150)
        tmp.replace(path)
    finally:
        plt.close(figure)
        tmp.unlink(missing_ok=True)


def far_units(shapes: Mapping[str, Any]) -> frozenset[str]:
    """Units far out from the rest (islands): farther from the middle than three times the
    distance within which nine units in ten lie."""
    if len(shapes) < 10:
        return frozenset()
    points = {unit: geometry.representative_point() for unit, geometry in shapes.items()}
    xs = sorted(p.x for p in points.values())
    ys = sorted(p.y for p in points.values())
    middle = (xs[len(xs) // 2], ys[len(ys) // 2])
    distance = {u: math.hypot(p.x - middle[0], p.y - middle[1]) for u, p in points.items()}
    ordered = sorted(distance.values())
    reach = ordered[int(len(ordered) * 0.9)]
    return frozenset(u for u, d in distance.items() if d > 3 * reach)


def _middle_latitude(shapes: Mapping[str, Any]) -> float:
    if not shapes:
        return 0.0
    latitudes = [geometry.centroid.y for geometry in shapes.values()]
    return float(sum(latitudes) / len(latitudes))


def html_figure(plan: Plan, shapes: Mapping[str, Any], data: MapData) -> Any:
    """The plotly figure of the HTML map: one filled trace per unit, hover naming it, its
    cluster and its chair; the clusters' names and chairs as text and star markers."""
    import plotly.graph_objects as go

    figure = go.Figure()
    group_name = {group.id: group.name for group in plan.groups}
    for unit in plan.units:
        geometry = shapes.get(unit.id)
        if geometry is None:
            continue
        group = plan.group_of(unit.id)
        chair_id = plan.group_by_id[group].chair if group is not None else None
        chair = plan.unit_by_id[chair_id].name if chair_id is not None else "-"
        hover = _("{unit}<br>{group}<br>chair: {chair}").format(
            unit=unit.name, group=group_name.get(group or "", _("no group")), chair=chair
        )
        xs: list[float | None] = []
        ys: list[float | None] = []
        for polygon in _rings(geometry):
            if hasattr(polygon, "exterior"):
                x, y = polygon.exterior.xy
                xs += [*x, None]
                ys += [*y, None]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=data.fill[unit.id],
                line={"color": "#ffffff", "width": 0.5},
                mode="lines",
                name=unit.name,
                text=hover,
                hoveron="fills",
                hoverinfo="text",
                showlegend=False,
                meta={"unit": unit.id, "group": group},
            )
        )
    chairs = [(g, xy) for g, xy in data.chairs.items()]
    figure.add_trace(
        go.Scatter(
            x=[xy[0] for _, xy in chairs],
            y=[xy[1] for _, xy in chairs],
            mode="markers",
            marker={"symbol": "star", "size": 11, "color": "#000000"},
            hoverinfo="skip",
            showlegend=False,
            meta={"chairs": [g for g, _ in chairs]},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[xy[0] for xy in data.centres.values()],
            y=[xy[1] for xy in data.centres.values()],
            mode="text",
            text=[group_name[g] for g in data.centres],
            textfont={"size": 12, "color": "#000000"},
            hoverinfo="skip",
            showlegend=False,
            meta={"labels": list(data.centres)},
        )
    )
    for group_id, line in data.legend:
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={
                    "size": 12,
                    "color": data.colours.get(group_id, NO_GROUP),
                    "symbol": "square",
                },
                name=line,
                showlegend=True,
            )
        )
    title = plan.title or str(plan.year)
    if data.missing:
        title += "<br><sub>" + _missing_line(plan, data.missing) + "</sub>"
    figure.update_layout(
        title=title,
        plot_bgcolor="#ffffff",
        xaxis={"visible": False},
        yaxis={
            "visible": False,
            "scaleanchor": "x",
            "scaleratio": 1 / math.cos(math.radians(_middle_latitude(shapes))),
        },
        legend={"title": {"text": _("★ chair")}},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return figure


def render(plan: Plan, shapes: Mapping[str, Any], path: Path) -> MapData:
    """Draw the map to `path` (its suffix chooses SVG, PNG or HTML); atomic, as every save."""
    data = map_data(plan, shapes)
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "html":
        figure = html_figure(plan, shapes, data)
        atomic_write(path, figure.to_html(include_plotlyjs=True, full_html=True))
    else:
        _draw_matplotlib(plan, shapes, data, path)
    return data
