"""`thidua map`: what the picture holds, read back from the SVG and from the HTML's figure.

Every unit is drawn in its cluster's colour, clusters that border each other differ, each
cluster's name stands on the map, chairs are marked, the legend gives size, leader and
officer, and units without a shape are listed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest

from conftest import ROOT
from test_geography import grouped, province
from thidua import geography
from thidua.cli import main
from thidua.files import save
from thidua.model import Plan

DATA = ROOT / "tests" / "data" / "newmap"
SVG = "{http://www.w3.org/2000/svg}"
# Columns: Cụm 1 and Cụm 2 side by side (they border), Cụm 3 the east and the island.
COLUMNS = [0, 1, 2, 2, 0, 1, 2, 2, 0, 1, 2, 2, 2]


def planned() -> Plan:
    plan = grouped(province((3, 5), 3), COLUMNS)
    leaders = [s.id for s in plan.staff if s.role.value == "leader"]
    officers = [s.id for s in plan.staff if s.role.value == "officer"]
    groups = [
        attrs.evolve(g, chair=g.members[0], leader=leaders[i % 2], officer=officers[i % 2])
        for i, g in enumerate(plan.groups)
    ]
    return attrs.evolve(plan, groups=groups)


def draw(
    tmp_path: Path, plan: Plan, suffix: str, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, str, str]:
    source = tmp_path / "plan.toml"
    save(plan, source)
    out = tmp_path / f"map.{suffix}"
    code = main(["map", str(source), "--shapes", str(DATA / "shapes.geojson"), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return out, captured.out, captured.err


def _fill(element: ET.Element) -> str | None:
    for node in element.iter():
        style = node.get("style", "")
        found = re.search(r"fill:\s*(#[0-9a-f]{6})", style)
        if found:
            return found.group(1)
    return None


def test_svg_draws_every_unit_in_its_clusters_colour(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = planned()
    out, printed, _ = draw(tmp_path, plan, "svg", capsys)
    assert "13 units drawn in 3 clusters" in printed
    root = ET.parse(out).getroot()
    by_id = {node.get("id"): node for node in root.iter() if node.get("id")}
    colours: dict[str, set[str]] = {}
    for unit in plan.units:
        node = by_id[f"unit-{unit.id}"]
        fill = _fill(node)
        assert fill is not None
        holder = plan.group_of(unit.id)
        assert holder is not None
        colours.setdefault(holder, set()).add(fill)
    # One colour per cluster, and bordering clusters differ.
    assert all(len(found) == 1 for found in colours.values())
    colour = {group: next(iter(found)) for group, found in colours.items()}
    assert colour["cum-1"] != colour["cum-2"] != colour["cum-3"]
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    for group in plan.groups:
        assert group.name in texts
        assert f"chair-{group.id}" in by_id
    legend = " ".join(texts)
    assert "Cụm 1: 3 units, leader Lãnh đạo phụ trách 1, officer Cán bộ phụ trách 1" in legend


def test_units_without_a_shape_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = planned()
    renamed = tuple(
        attrs.evolve(u, name="Xã Không Có") if u.name == "Xã Mỹ Lợi" else u for u in plan.units
    )
    out, printed, err = draw(tmp_path, attrs.evolve(plan, units=renamed), "svg", capsys)
    assert "12 units drawn" in printed
    assert "1 unit has no shape: Xã Không Có" in err
    texts = ["".join(n.itertext()) for n in ET.parse(out).getroot().iter(f"{SVG}text")]
    assert "1 unit has no shape: Xã Không Có" in texts


def _figure(html: str) -> dict[str, object]:
    """The figure plotly inlined: the arguments of Plotly.newPlot, decoded as JSON."""
    start = html.index("Plotly.newPlot(")
    decoder = json.JSONDecoder()
    position = html.index("[", start)
    data, end = decoder.raw_decode(html, position)
    layout, _ = decoder.raw_decode(html, html.index("{", end))
    return {"data": data, "layout": layout}


def test_html_works_offline_and_hovers_name_unit_cluster_and_chair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = planned()
    out, _, _ = draw(tmp_path, plan, "html", capsys)
    html = out.read_text(encoding="utf-8")
    # plotly.js is inlined, and no script is fetched from anywhere.
    assert re.search(r"<script[^>]*\bsrc=", html) is None
    assert "Plotly.newPlot" in html
    assert len(html) > 1_000_000
    figure = _figure(html)
    traces = figure["data"]
    assert isinstance(traces, list)
    units = {
        t["meta"]["unit"]: t
        for t in traces
        if isinstance(t.get("meta"), dict) and "unit" in t["meta"]
    }
    assert set(units) == {u.id for u in plan.units}
    colours: dict[str, set[str]] = {}
    for unit in plan.units:
        trace = units[unit.id]
        group = plan.group_by_id[plan.group_of(unit.id) or ""]
        chair = plan.unit_by_id[group.chair or ""].name
        assert trace["text"] == f"{unit.name}<br>{group.name}<br>chair: {chair}"
        colours.setdefault(group.id, set()).add(trace["fillcolor"])
    assert all(len(found) == 1 for found in colours.values())
    # Cụm 2 borders both others; Cụm 1 and Cụm 3 do not border, so they may share.
    colour = {group: next(iter(found)) for group, found in colours.items()}
    assert colour["cum-2"] not in (colour["cum-1"], colour["cum-3"])
    labels = next(t for t in traces if isinstance(t.get("meta"), dict) and "labels" in t["meta"])
    assert labels["text"] == ["Cụm 1", "Cụm 2", "Cụm 3"]


def test_clusters_that_border_never_share_a_colour() -> None:
    from thidua import maps

    plan = grouped(province((1, 5), 6), [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 5])
    colours = maps.cluster_colours(plan, {})
    graph = geography.neighbour_graph(plan)
    for first, second in graph.edges:
        a, b = plan.group_of(first), plan.group_of(second)
        if a != b and a is not None and b is not None:
            assert colours[a] != colours[b]


def test_a_bad_output_suffix_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "plan.toml"
    save(planned(), source)
    code = main(
        [
            "map",
            str(source),
            "--shapes",
            str(DATA / "shapes.geojson"),
            "-o",
            str(tmp_path / "map.pdf"),
        ]
    )
    assert code == 2
    assert ".svg, .png or .html" in capsys.readouterr().err
    assert not (tmp_path / "map.pdf").exists()
