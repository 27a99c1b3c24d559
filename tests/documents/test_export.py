"""Exporting draft dispatches: the layout's strings, and import(export(plan)) == plan."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import attrs
import docx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from thidua.cli import main
from thidua.documents.exporter import compose, render_markdown, render_text
from thidua.documents.importer import parse_dispatch, read_dispatch, source_lines
from thidua.documents.word import docx_lines, render_docx, write_docx
from thidua.files import load
from thidua.model import DispatchSettings, Group, Plan, Role, RuleSettings, Staff, Succession, Unit
from thidua.text import slugify

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DATA = Path(__file__).resolve().parent / "data"

# -- plans a dispatch can carry --------------------------------------------------------------
#
# `strategies.plans()` draws any loadable plan, with names full of tabs and quotes and units in
# several groups; a dispatch cannot say most of that. These plans hold what a dispatch says:
# each unit in one group of its own kind, people in charge of at least one group, names made
# of Vietnamese syllables, units and people in the order the document names them.

SYLLABLE_TEXT = """
    an bình châu đông giang hòa khánh lâm minh nam phú quang sơn tân thạnh trà vĩnh xuân yên
    long hải mỹ phước thủy điện nguyễn trần lê phạm hoàng huỳnh võ đặng bùi đỗ hồ ngô dương
"""
SYLLABLES = SYLLABLE_TEXT.split()
PREFIXES = {
    "department": ("Sở", "Ban Quản lý", "Trung tâm", "Cục", "Văn phòng"),
    "district": ("Quận", "Huyện", "Thị xã"),
    "commune": ("Phường", "Xã", "Đặc khu"),
}
TITLES = (
    None,
    "Phó Văn phòng Ủy ban nhân dân thành phố",
    "Phó Trưởng phòng Tổng hợp - Kế hoạch, Văn phòng Ủy ban nhân dân thành phố",
    "Chuyên viên",
)
AGENCIES = (
    ((), ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH")),
    (("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"), ("VĂN PHÒNG", "UBND THÀNH PHỐ")),
    (("ỦY BAN NHÂN DÂN", "TỈNH SÔNG HÀ"), ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",)),
    (("UBND TỈNH SÔNG HÀ",), ("SỞ NỘI VỤ",)),
)


# Strategies are built once per argument: Hypothesis validates each new strategy object on its
# first draw, which cost more than the drawing when they were built afresh for every name.
@functools.cache
def words(low: int, high: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(SYLLABLES), min_size=low, max_size=high).map(
        lambda parts: " ".join(part.capitalize() for part in parts)
    )


@functools.cache
def unit_names(prefix: str) -> st.SearchStrategy[str]:
    return words(1, 3).map(lambda rest: f"{prefix} {rest}")


@st.composite
def complete_dispatch(draw: st.DrawFn, has_reference: bool) -> DispatchSettings:
    authority, issuer = draw(st.sampled_from(AGENCIES))
    lines = st.lists(words(1, 4), min_size=1, max_size=3)
    return DispatchSettings(
        authority=authority,
        issuer=issuer,
        symbol=None if has_reference else draw(st.sampled_from(["VP-THKH", "UBND-VX"])),
        place=draw(st.sampled_from(["Thành phố Hồ Chí Minh", "Sông Hà", "Hà Nội"])),
        recipients=draw(lines),
        copies=[*draw(lines), "Lưu: VT, THKH"],
        signer_title=draw(
            st.sampled_from([("CHÁNH VĂN PHÒNG",), ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")])
        ),
        signer=draw(words(3, 4)),
    )


@st.composite
def dispatch_plans(draw: st.DrawFn, header: bool = False) -> Plan:
    year = draw(st.integers(1990, 2100))
    kinds = draw(
        st.lists(st.sampled_from(list(PREFIXES)), min_size=1, max_size=4).filter(
            lambda ks: len(ks) > 0
        )
    )
    used: set[str] = set()

    def unique(strategy: st.SearchStrategy[str]) -> str:
        # As `strategy.filter(...)` draws (a few tries, then the example is dropped), without
        # a filtered strategy built for every name.
        for _ in range(3):
            name = draw(strategy)
            if slugify(name) not in used:
                break
        assume(slugify(name) not in used)
        used.add(slugify(name))
        return name

    units: list[Unit] = []
    staff: dict[str, Staff] = {}
    groups: list[Group] = []
    people = {role: [unique(words(2, 4)) for _ in range(draw(st.integers(1, 3)))] for role in Role}
    for number, kind in enumerate(kinds, 1):
        members = []
        for _ in range(draw(st.integers(0, 5))):
            name = unique(unit_names(draw(st.sampled_from(PREFIXES[kind]))))
            units.append(Unit(id=slugify(name), name=name, kind=kind))
            members.append(slugify(name))
        in_charge: dict[Role, str | None] = {}
        for role in Role:
            person = draw(st.none() | st.sampled_from(people[role]))
            if person is not None and slugify(person) not in staff:
                staff[slugify(person)] = Staff(
                    id=slugify(person), name=person, role=role, title=draw(st.sampled_from(TITLES))
                )
            in_charge[role] = None if person is None else slugify(person)
        optional_member = st.none() | st.sampled_from(members) if members else st.none()
        word = "Khối" if kind == "department" else "Cụm"
        group_name = draw(st.sampled_from([f"{word} {number}", f"Nhóm {number}"]))
        groups.append(
            Group(
                id=slugify(group_name),
                name=group_name,
                kind=kind,
                members=members,
                leader=in_charge[Role.LEADER],
                officer=in_charge[Role.OFFICER],
                chair=draw(optional_member),
                deputy=draw(optional_member),
            )
        )
    reference = draw(st.none() | st.integers(1, 9999).map(lambda n: f"{n}/VP-THKH"))
    title = draw(
        st.sampled_from(
            [
                "",
                f"Chia cụm, khối thi đua năm {year}",
                "Phân công lãnh đạo phụ trách khối, cụm thi đua",
                f"UBND thành phố chia khối thi đua năm {year}",
            ]
        )
    )
    return Plan(
        year=year,
        title=title,
        reference=reference,
        issued=draw(st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))),
        rules=RuleSettings(succession=draw(st.sampled_from(Succession))),
        units=units,
        staff=list(staff.values()),
        groups=groups,
        dispatch=draw(complete_dispatch(reference is not None)) if header else DispatchSettings(),
    )


def without_rules(plan: Plan) -> Plan:
    """What a dispatch carries: everything but the rules (the duties' wording aside)."""
    return attrs.evolve(plan, rules=RuleSettings(), dispatch=DispatchSettings())


@given(dispatch_plans(), st.sampled_from([render_text, render_markdown]))
def test_export_then_import_gives_the_plan_back(plan: Plan, render: object) -> None:
    assert callable(render)
    result = parse_dispatch(render(plan))
    assert result.plan == without_rules(plan)


@given(dispatch_plans(header=True), st.sampled_from([render_text, render_markdown]))
def test_a_complete_header_comes_back_too(plan: Plan, render: object) -> None:
    assert callable(render)
    result = parse_dispatch(render(plan), keep_header=True)
    assert result.plan == attrs.evolve(plan, rules=RuleSettings())
    assert result.notices == () or all("no members" in n.message for n in result.notices)


def _nonblank(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


@pytest.mark.parametrize(
    "path",
    [EXAMPLES / "hcmc-2013.toml", EXAMPLES / "hcmc-2014-draft.toml", DATA / "song-ha-2024.toml"],
)
def test_docx_opens_and_says_what_the_markdown_says(tmp_path: Path, path: Path) -> None:
    plan = load(path)
    out = tmp_path / "cong-van.docx"
    write_docx(plan, out)
    document = docx.Document(str(out))  # opens: a valid package
    section = document.sections[0]
    sizes = [section.page_width, section.page_height, section.left_margin, section.right_margin]
    assert [round(size.mm) for size in sizes if size is not None] == [210, 297, 30, 15]
    assert section.different_first_page_header_footer
    markdown = _nonblank([text for _, text in source_lines(render_markdown(plan))])
    assert _nonblank(docx_lines(out)) == markdown


def test_the_2013_example_comes_back_from_word(tmp_path: Path) -> None:
    plan = load(EXAMPLES / "hcmc-2013.toml")
    write_docx(plan, tmp_path / "cong-van.docx")
    assert read_dispatch(tmp_path / "cong-van.docx").plan == plan


@settings(max_examples=10)
@given(dispatch_plans(header=True))
def test_docx_text_matches_markdown_on_generated_plans(plan: Plan) -> None:
    import io

    buffer = io.BytesIO()
    render_docx(plan).save(buffer)
    buffer.seek(0)
    document = docx.Document(buffer)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines += [p.text for row in block.rows for cell in row.cells for p in cell.paragraphs]
        else:
            lines.append(block.text)
    markdown = _nonblank([text for _, text in source_lines(render_markdown(plan))])
    assert _nonblank(lines) == markdown


def test_every_run_is_times_new_roman_in_all_slots() -> None:
    document = render_docx(load(EXAMPLES / "hcmc-2013.toml"))
    body = document.element.body
    fonts = body.findall(".//" + docx.oxml.ns.qn("w:rFonts"))
    assert fonts
    for element in fonts:
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert element.get(docx.oxml.ns.qn(slot)) == "Times New Roman"


def test_layout_strings_follow_the_decree() -> None:
    plan = read_dispatch(DATA / "song-ha-2024.txt", keep_header=True).plan
    text = compose(plan)
    assert text.number == "Số: 45/HĐTĐKT-TĐKT"
    assert text.subject == "V/v chia khối, cụm thi đua năm 2024"
    assert text.date == "Sông Hà, ngày 08 tháng 01 năm 2024"  # months 1 and 2 take a zero
    assert text.copies[0] == "Như trên;"
    assert text.copies[-1] == "Lưu: VT, TĐKT."
    assert text.closing.endswith("./.")
    assert text.sections[1].groups[0].roles[-2:] == (
        "Cụm trưởng: UBND thị xã Điện Sơn.",
        "Cụm phó: UBND thành phố Sông Hà.",
    )
    march = compose(attrs.evolve(plan, issued=dt.date(2013, 3, 22)))
    assert march.date == "Sông Hà, ngày 22 tháng 3 năm 2013"


def test_a_draft_leaves_blanks() -> None:
    plan = attrs.evolve(load(EXAMPLES / "hcmc-2013.toml"), reference=None, issued=None)
    text = render_text(plan)
    assert "TÊN CƠ QUAN, TỔ CHỨC" in text
    assert "Số:      /……" in text
    assert "……, ngày … tháng … năm …" in text
    assert "- Lưu: VT." in text
    assert "Họ và tên" in text


def test_duties_follow_the_succession_rule() -> None:
    plan = load(EXAMPLES / "hcmc-2013.toml")
    deputy = attrs.evolve(plan, rules=RuleSettings(succession=Succession.DEPUTY))
    assert (
        "khối phó, cụm phó năm nay là khối trưởng, cụm trưởng năm sau" in compose(deputy).duties[0]
    )
    assert "bầu chọn khối trưởng, cụm trưởng cho năm sau" in compose(plan).duties[0]


def test_cli_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = EXAMPLES / "hcmc-2013.toml"
    assert main(["export", str(plan), "--format", "txt"]) == 0
    assert capsys.readouterr().out == render_text(load(plan))
    assert main(["export", str(plan), "-o", str(tmp_path / "cv.md")]) == 0
    assert (tmp_path / "cv.md").read_text(encoding="utf-8") == render_markdown(load(plan))
    assert read_dispatch(tmp_path / "cv.md").plan == load(plan)
    assert main(["export", str(plan), "-o", str(tmp_path / "cv.docx")]) == 0
    assert read_dispatch(tmp_path / "cv.docx").plan == load(plan)
    assert main(["export", str(plan), "--format", "docx"]) == 2
    assert "needs -o" in capsys.readouterr().err
    assert main(["export", str(plan), "--format", "pdf"]) == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_markup_characters_in_names_survive_both_formats() -> None:
    plan = load(EXAMPLES / "hcmc-2013.toml")
    odd = "Sở Công Thương *mới* | A_B [x] <y> #1 \\ z"
    unit = attrs.evolve(plan.units[0], id=slugify(odd), name=odd)
    group = attrs.evolve(plan.groups[0], members=(unit.id, *plan.groups[0].members[1:]))
    plan = attrs.evolve(plan, units=(unit, *plan.units[1:]), groups=(group, *plan.groups[1:]))
    for render in (render_markdown, render_text):
        assert parse_dispatch(render(plan)).plan == plan
