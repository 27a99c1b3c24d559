"""A plan for one province from a table of its units: `thidua new-map`.

The table is the shared format of the 2025 map (TSV; CSV and XLSX with the same column
names): one row per commune, ward or special zone with at least `province`, `new_unit` and
`kind`, and where known `code`, `province_code`, `lat`, `lon`, `main_former_district` ("Quận 3
(Thành phố Hồ Chí Minh)": the district most of its former units came from) and
`former_provinces`. Borders come from an adjacency table (`province_code, code_a, unit_a,
code_b, unit_b, shared_border_km`) or, without one, are measured on the units' shapes
(GeoJSON features with `code` and `name` properties; shapely, imported only then).

The plan holds the units in table order with unique ids (two names that differ by one
diacritic are two units, so a colliding slug takes its former province, then its code), tags
for its type, former province and former district (as written, with diacritics), its
location, the borders, `rules.cohesion_tags` (the former provinces, when there are several)
and `rules.district_tags` (the former districts), placeholder staff and N empty clusters.
Every bad input raises a `TableError` naming file, line and column; nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from thidua.errors import PlanFileError
from thidua.files import decode_input, read_input
from thidua.files.inputs import check_office_zip
from thidua.i18n import N_, _
from thidua.model import Border, Group, Plan, Role, RuleSettings, Staff, Unit
from thidua.text import fold, nfc, slugify, tone_key

__all__ = [
    "MIN_SHARED_KM",
    "TableError",
    "UnitRow",
    "borders_from_adjacency",
    "borders_from_shapes",
    "build_plan",
    "default_group_count",
    "read_shapes",
    "read_table",
    "read_units",
    "unit_ids",
    "with_locations",
]

# Two units share a border when their boundaries run together this long (the shared data's
# threshold), within this tolerance (simplified outlines do not meet exactly).
MIN_SHARED_KM = 0.2
TOLERANCE_KM = 0.05
# A table larger than this is not a province's units (the whole country has 3,321).
MAX_ROWS = 50_000

REQUIRED = ("province", "new_unit", "kind")
ADJACENCY_REQUIRED = ("unit_a", "unit_b", "shared_border_km")
_PROVINCE_PREFIX = re.compile(r"^(Tỉnh|Thành phố)\s+", re.IGNORECASE)
_IN_PARENTHESES = re.compile(r"\(([^()]+)\)\s*$")


class TableError(PlanFileError):
    """A bad units, adjacency or shapes file: names the file, the line and the column."""

    def __init__(
        self, path: str | Path, message: str, line: int | None = None, column: str | None = None
    ) -> None:
        self.column = column
        text = _("column {column}: {message}").format(column=column, message=message)
        super().__init__(path, text if column else message, line)


@attrs.frozen
class UnitRow:
    """One unit as the table gives it, with the line it came from."""

    line: int
    name: str
    kind: str
    code: str | None
    province: str
    province_code: str | None
    district: str | None
    former_province: str | None
    location: tuple[float, float] | None


# --------------------------------------------------------------------------------------------
# Tables


Table = tuple[list[str], list[tuple[int, dict[str, str]]], int]


def read_table(path: Path) -> Table:
    """The header, the rows (with their line numbers) and the header's line of a TSV, CSV or
    XLSX file.

    Lines starting with `#` before or between rows are comments; blank lines are skipped.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    text = decode_input(
        path, read_input(path, what=N_("table"), error=TableError), error=TableError
    )
    delimiter = "," if suffix == ".csv" else "\t"
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise TableError(path, _("the table is empty"), 1)
    if len(lines) > MAX_ROWS:
        raise TableError(path, _("more than {count} rows").format(count=MAX_ROWS))
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=delimiter)
    records = list(reader)
    header = [nfc(cell.strip()) for cell in records[0]]
    rows = []
    for (number, _line), record in zip(lines[1:], records[1:], strict=True):
        if len(record) > len(header):
            raise TableError(
                path,
                _("{count} cells but the header has {columns}").format(
                    count=len(record), columns=len(header)
                ),
                number,
            )
        cells = [nfc(cell.strip()) for cell in record] + [""] * (len(header) - len(record))
        rows.append((number, dict(zip(header, cells, strict=True))))
    return header, rows, lines[0][0]


def _read_xlsx(path: Path) -> Table:
    import openpyxl

    data = read_input(path, what=N_("table"), error=TableError)
    # Bounded (unzipped size, parts, no DTD) before openpyxl parses anything, as score sheets are.
    stream = check_office_zip(path, data, what=N_("readable XLSX workbook"), error=TableError)
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as failure:  # openpyxl raises many kinds for a broken workbook
        raise TableError(
            path, _("not a readable XLSX workbook ({reason})").format(reason=type(failure).__name__)
        ) from None
    sheet = book.worksheets[0]
    if hasattr(sheet, "reset_dimensions"):  # read by its real cells, not its stated dimensions
        sheet.reset_dimensions()
    header: list[str] = []
    header_line = 1
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if value is None else nfc(str(value).strip()) for value in values]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not header:
            header, header_line = cells, number
            continue
        if len(rows) >= MAX_ROWS:
            raise TableError(path, _("more than {count} rows").format(count=MAX_ROWS))
        cells += [""] * (len(header) - len(cells))
        rows.append((number, dict(zip(header, cells[: len(header)], strict=True))))
    book.close()
    if not header:
        raise TableError(path, _("the table is empty"), 1)
    return header, rows, header_line


def _require(path: Path, table: Table, columns: Iterable[str]) -> None:
    for column in columns:
        if column not in table[0]:
            raise TableError(path, _("missing column"), table[2], column)


def _float(path: Path, line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise TableError(
            path, _("{text!r} is not a number").format(text=text), line, column
        ) from None
    if not math.isfinite(value):
        raise TableError(path, _("{text!r} is not a number").format(text=text), line, column)
    return value


def _province_of_district(district: str) -> str | None:
    found = _IN_PARENTHESES.search(district)
    return found.group(1).strip() if found else None


def read_units(path: Path, province: str | None) -> list[UnitRow]:
    """The units of one province (by name or code; any, if the table names only one)."""
    table = read_table(path)
    _require(path, table, REQUIRED)
    rows = table[1]
    provinces: dict[str, str | None] = {}
    for _number, row in rows:
        provinces.setdefault(row["province"], row.get("province_code") or None)
    if province is None:
        if len(provinces) > 1:
            raise TableError(
                path,
                _("the table names {count} provinces; choose one with --province: {names}").format(
                    count=len(provinces), names=", ".join(provinces)
                ),
            )
        chosen = next(iter(provinces), "")
    else:
        wanted = fold(province)
        matches = [
            name
            for name, code in provinces.items()
            if fold(name) == wanted
            or (code is not None and code == province.strip())
            or fold(_PROVINCE_PREFIX.sub("", name)) == wanted
        ]
        if not matches:
            raise TableError(
                path, _("no province {name!r} in the table").format(name=province), None, "province"
            )
        chosen = matches[0]
    units: list[UnitRow] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        if row["province"] != chosen:
            continue
        name = row["new_unit"]
        if not name:
            raise TableError(path, _("empty unit name"), number, "new_unit")
        if name in seen:
            raise TableError(
                path,
                _("duplicate unit {name!r} (also on line {line})").format(
                    name=name, line=seen[name]
                ),
                number,
                "new_unit",
            )
        seen[name] = number
        if not row["kind"]:
            raise TableError(path, _("empty kind"), number, "kind")
        location = None
        if row.get("lat") and row.get("lon"):
            lat = _float(path, number, "lat", row["lat"])
            lon = _float(path, number, "lon", row["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise TableError(path, _("not a latitude and longitude"), number, "lat")
            location = (lat, lon)
        district = row.get("main_former_district") or None
        former = _province_of_district(district) if district else None
        if former is None and row.get("former_provinces"):
            former = row["former_provinces"].split(";")[0].strip() or None
        units.append(
            UnitRow(
                line=number,
                name=name,
                kind=row["kind"],
                code=row.get("code") or None,
                province=chosen,
                province_code=row.get("province_code") or None,
                district=district,
                former_province=former,
                location=location,
            )
        )
    return units


def unit_ids(units: Sequence[UnitRow]) -> list[str]:
    """slugify(name), unique: a colliding slug takes its former province, then its code (or
    line), since names differing by one diacritic (Thanh An, Thạnh An) fold alike."""
    ids = [slugify(unit.name) or "unit" for unit in units]
    for extra in ("province", "code"):
        counts: dict[str, int] = {}
        for unit_id in ids:
            counts[unit_id] = counts.get(unit_id, 0) + 1
        for index, unit in enumerate(units):
            if counts[ids[index]] < 2:
                continue
            if extra == "province":
                suffix = slugify(_PROVINCE_PREFIX.sub("", unit.former_province or ""))
            else:
                suffix = slugify(unit.code or str(unit.line))
            if suffix:
                ids[index] = f"{ids[index]}-{suffix}"
    return ids


# --------------------------------------------------------------------------------------------
# Borders


def borders_from_adjacency(
    path: Path, units: Sequence[UnitRow], ids: Sequence[str]
) -> list[Border]:
    """The borders an adjacency table gives between the province's units.

    Rows of other provinces (another `province_code`, or naming none of the units) are left
    aside; a row naming one of the province's units and one it does not have is an error.
    """
    table = read_table(path)
    _require(path, table, ADJACENCY_REQUIRED)
    rows = table[1]
    by_code = {unit.code: i for i, unit in enumerate(units) if unit.code}
    by_name = {unit.name: i for i, unit in enumerate(units)}
    codes = {unit.province_code for unit in units if unit.province_code}
    found: dict[tuple[str, str], Border] = {}
    for number, row in rows:
        if codes and row.get("province_code") and row["province_code"] not in codes:
            continue
        sides = []
        for side in ("a", "b"):
            code, name = row.get(f"code_{side}", ""), row[f"unit_{side}"]
            index = by_code.get(code) if code and by_code else by_name.get(name)
            sides.append((index, f"unit_{side}", name))
        known = [side for side in sides if side[0] is not None]
        if not known:
            continue
        for index, column, name in sides:
            if index is None:
                raise TableError(
                    path, _("neighbour {name!r} names no unit").format(name=name), number, column
                )
        first, second = (ids[side[0]] for side in sides if side[0] is not None)
        if first == second:
            raise TableError(path, _("a unit cannot border itself"), number, "unit_b")
        km = _float(path, number, "shared_border_km", row["shared_border_km"])
        if km < 0:
            raise TableError(
                path, _("a border's length must be 0 or more"), number, "shared_border_km"
            )
        key = (min(first, second), max(first, second))
        if key not in found:
            found[key] = Border(key[0], key[1], km)
    return list(found.values())


def read_shapes(path: Path, units: Sequence[UnitRow], units_path: Path) -> dict[int, Any]:
    """Each unit's shape (a shapely geometry), by its index; every unit must have one.

    Features are joined by `code`, else by `name`. A unit with no feature is an error naming
    its line in the units table.
    """
    from shapely.geometry import shape

    text = decode_input(
        path, read_input(path, what=N_("GeoJSON file"), error=TableError), error=TableError
    )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as failure:
        raise TableError(
            path, _("not JSON: {reason}").format(reason=failure.msg), failure.lineno
        ) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise TableError(path, _("not a GeoJSON FeatureCollection"), 1)
    by_code = {unit.code: i for i, unit in enumerate(units) if unit.code}
    by_name = {unit.name: i for i, unit in enumerate(units)}
    by_key = {tone_key(unit.name): i for i, unit in enumerate(units)}
    shapes: dict[int, Any] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
        code, name = str(properties.get("code", "")), nfc(str(properties.get("name", "")))
        index = by_code.get(code) if code in by_code else by_name.get(name)
        if index is None:
            index = by_key.get(tone_key(name))
        if index is None:
            continue
        try:
            geometry = shape(feature["geometry"])
        except Exception:  # shapely raises several kinds for a malformed geometry
            raise TableError(
                path, _("feature {number} has no valid geometry").format(number=number)
            ) from None
        shapes[index] = geometry
    for index, unit in enumerate(units):
        if index not in shapes:
            raise TableError(
                units_path,
                _("{name} has no shape in {shapes}").format(name=unit.name, shapes=path.name),
                unit.line,
                "new_unit",
            )
    return shapes


def _projected(geometries: Mapping[int, Any]) -> dict[int, Any]:
    """The shapes in kilometres, on a local equirectangular projection (fine for a province)."""
    import shapely

    latitudes = [g.centroid.y for g in geometries.values()]
    middle = math.radians(sum(latitudes) / max(len(latitudes), 1))
    x_scale, y_scale = 111.320 * math.cos(middle), 110.574

    def scale(points: Any) -> Any:
        return points * (x_scale, y_scale)

    return {index: shapely.transform(g, scale) for index, g in geometries.items()}


def borders_from_shapes(shapes: Mapping[int, Any], ids: Sequence[str]) -> list[Border]:
    """Pairs of units whose outlines run together at least `MIN_SHARED_KM`, with the length."""
    from shapely.strtree import STRtree

    projected = _projected(shapes)
    order = list(projected)
    tree = STRtree([projected[i] for i in order])
    borders = []
    for position, index in enumerate(order):
        geometry = projected[index]
        near = geometry.buffer(TOLERANCE_KM)
        for other_position in tree.query(near):
            other = order[int(other_position)]
            if other_position <= position:
                continue
            shared = projected[other].boundary.intersection(near).length
            if shared >= MIN_SHARED_KM:
                first, second = sorted((ids[index], ids[other]))
                borders.append(Border(first, second, round(shared, 2)))
    return borders


# --------------------------------------------------------------------------------------------
# The plan


def default_group_count(units: int, size: tuple[int, int]) -> int | None:
    """The count of groups the size bounds allow that is closest to units / the middle of the
    range (the smaller on a tie); None when no count fits."""
    low, high = size
    allowed = [k for k in range(1, units + 1) if k * low <= units <= k * high]
    if not allowed:
        return None
    target = units / ((low + high) / 2)
    return min(allowed, key=lambda k: (abs(k - target), k))


def _short(province: str) -> str:
    return _PROVINCE_PREFIX.sub("", province)


def build_plan(
    units: Sequence[UnitRow],
    borders: Sequence[Border],
    *,
    groups: int,
    size: tuple[int, int],
    year: int,
    kind: str = "commune",
    ids: Sequence[str] | None = None,
) -> Plan:
    """The plan: units with their tags and location, borders, rules, placeholder staff (as
    many as the workload limits need, named so nobody takes them for real people) and
    `groups` empty clusters."""
    ids = list(ids) if ids is not None else unit_ids(units)
    plan_units = []
    for unit, unit_id in zip(units, ids, strict=True):
        tags = [unit.kind]
        if unit.former_province:
            tags.append(unit.former_province)
        if unit.district:
            tags.append(unit.district)
        plan_units.append(
            Unit(unit_id, unit.name, kind, tags=tuple(dict.fromkeys(tags)), location=unit.location)
        )
    provinces = tuple(dict.fromkeys(u.former_province for u in units if u.former_province))
    districts = tuple(dict.fromkeys(u.district for u in units if u.district))
    rules = RuleSettings(
        group_size=size,
        cohesion_tags=provinces if len(provinces) > 1 else (),
        district_tags=districts,
    )
    per_person = max(rules.leader_max_groups, 1), max(rules.officer_max_groups, 1)
    staff = [
        Staff(f"lanh-dao-{i}", f"Lãnh đạo phụ trách {i}", Role.LEADER)
        for i in range(1, math.ceil(groups / per_person[0]) + 1)
    ] + [
        Staff(f"can-bo-{i}", f"Cán bộ phụ trách {i}", Role.OFFICER)
        for i in range(1, math.ceil(groups / per_person[1]) + 1)
    ]
    clusters = [Group(f"cum-{i}", f"Cụm {i}", kind) for i in range(1, groups + 1)]
    province = units[0].province if units else ""
    # The types of unit the province has, as dispatches list them ("các phường, xã, đặc khu").
    present = {unit.kind.lower() for unit in units}
    types: list[str] = [word for word in ("phường", "xã", "đặc khu") if word in present]
    types = types or ["đơn vị"]
    title = f"Chia cụm thi đua các {', '.join(types)} {province} năm {year}"
    return Plan(
        year=year,
        title=title,
        rules=rules,
        units=plan_units,
        staff=staff,
        groups=clusters,
        borders=sorted(borders, key=lambda b: (b.first, b.second)),
    )


def with_locations(units: Sequence[UnitRow], shapes: Mapping[int, Any]) -> list[UnitRow]:
    """Units without a location get their shape's centroid (a point inside, for odd shapes)."""
    found = []
    for index, unit in enumerate(units):
        if unit.location is None and index in shapes:
            point = shapes[index].representative_point()
            unit = attrs.evolve(unit, location=(round(point.y, 5), round(point.x, 5)))
        found.append(unit)
    return found


def short_province(name: str) -> str:
    """ "Thành phố Hồ Chí Minh" -> "Hồ Chí Minh": for file names and labels."""
    return _short(name)
