"""A cluster's detail on the 2025 map: its former districts, the clusters it borders and the
geography rules' findings about it (issue 12)."""

from __future__ import annotations

from test_geography import grouped, province
from thidua.search import Kind
from thidua_tui.app import ThiduaApp
from thidua_tui.widgets.group_detail import GroupDetail
from tui.helpers import EXAMPLE, SIZE, plain, select


async def test_a_clusters_detail_names_its_districts_and_neighbours() -> None:
    # Cụm 1: the western column and the first unit of the eastern columns, not touching it.
    plan = grouped(province((1, 13), 3), [0, 1, 1, 0, 0, 1, 1, 2, 0, 1, 1, 2, 2])
    app = ThiduaApp(plan, EXAMPLE.with_name("geo.toml"), language="en")
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, Kind.GROUP, "cum-1")
        roles = plain(app.screen.query_one(GroupDetail).query_one("#group-roles"))
        assert "Former districts" in roles
        assert "Huyện Suối Trong (Tỉnh Núi Cao)  3/3" in roles
        assert "Huyện Đồng Gần (Tỉnh Đồng Bằng)  1/3" in roles
        assert "Neighbouring clusters" in roles
        assert "Cụm 2: " in roles
        assert "Cụm 1 is not connected" in roles
        assert "Former district Huyện Đồng Gần (Tỉnh Đồng Bằng) is cut into 2 pieces" in roles
