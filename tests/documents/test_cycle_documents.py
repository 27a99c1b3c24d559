"""The covenant, the review minutes and the office's report: content from the plan and its
results, NĐ 30 page and type, Word and Markdown saying the same thing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import attrs
import docx
import openpyxl
import pytest
from docx.shared import Length

from thidua import i18n
from thidua.ballot import Vote, tally
from thidua.cli import main
from thidua.documents.cycle import compose, covenant, minutes, report
from thidua.documents.forms import Form, Grid, Text, forms_docx, forms_markdown
from thidua.documents.review import review
from thidua.documents.scores import ScoreSheet, UnitScores
from thidua.documents.word import docx_lines
from thidua.files import dumps, load
from thidua.model import (
    Award,
    AwardQuota,
    DispatchSettings,
    Group,
    GroupResult,
    Plan,
    ReviewSettings,
    Staff,
    Unit,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages as the source writes them (English)."""
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def reviewed_plan() -> Plan:
    """Cụm 1 (a..e, chaired by a, deputy b) reviewed and voted on; Cụm 2 not reviewed."""
    units = [Unit(u, f"Quận {u.upper()}", "district") for u in "abcdefg"]
    plan = Plan(
        year=2013,
        reference="1991/VP-THKH",
        units=units,
        staff=[
            Staff("lam-van-ba", "Lâm Văn Ba", "leader", "Phó Văn phòng"),
            Staff("nguyen-tuan", "Nguyễn Tuấn", "officer"),
        ],
        groups=[
            Group(
                "cum-1",
                "Cụm 1",
                "district",
                list("abcde"),
                leader="lam-van-ba",
                officer="nguyen-tuan",
                chair="a",
                deputy="b",
            ),
            Group("cum-2", "Cụm 2", "district", ["f", "g"], chair="f"),
        ],
        review=ReviewSettings(commitments=["Hoàn thành tốt nhiệm vụ", "Giữ vững đoàn kết"]),
        dispatch=DispatchSettings(
            authority=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"],
            issuer=["VĂN PHÒNG"],
            place="Thành phố Hồ Chí Minh",
            signer_title=["CHÁNH VĂN PHÒNG"],
            signer="Võ Văn Luận",
        ),
    )
    scores = ScoreSheet(
        "s.csv", ("x",), {u: UnitScores(u, (90 - i,)) for i, u in enumerate("abcde")}
    )
    plan = review(plan, scores).apply(plan)
    votes = [Vote(v, "c", "Cờ thi đua", 1, n) for n, v in enumerate("abcde")]
    votes += [
        Vote(v, "a" if v in "ab" else "d", "Bằng khen", r, 10 + n)
        for r in (1, 2)
        for n, v in enumerate("abcde")
    ]
    return tally(plan, votes).apply(plan)


def texts(form: Form) -> list[str]:
    found = [*form.authority, *form.issuer, form.name, *form.subject]
    for block in (*form.body, *form.closing):
        if isinstance(block, Text):
            found.append(block.text)
        else:
            found += [*block.headings, *(cell for row in block.rows for cell in row)]
    if form.signature is not None:
        found += [*form.signature.right_title, form.signature.right_name, *form.signature.copies]
    return found


def test_covenant_lists_members_people_commitments_and_a_signature_row_each() -> None:
    plan = reviewed_plan()
    form = covenant(plan, plan.group_by_id["cum-1"])
    joined = "\n".join(texts(form))
    for name in ("Quận A", "Quận E", "Lâm Văn Ba", "Phó Văn phòng", "Nguyễn Tuấn"):
        assert name in joined
    assert "Hoàn thành tốt nhiệm vụ;" in joined
    assert "Giữ vững đoàn kết." in joined
    assert "1991/VP-THKH" in joined
    assert "80" in joined  # the vote threshold, from [review]
    grid = form.closing[-1]
    assert isinstance(grid, Grid)
    assert grid.tall
    assert [row[1].split(" (")[0] for row in grid.rows] == [f"Quận {u}" for u in "ABCDE"]
    assert all(row[2] == "" for row in grid.rows)  # left blank to sign
    assert form.issuer == ("CỤM 1",)


def test_covenant_falls_back_to_criteria_then_blanks() -> None:
    plan = attrs.evolve(reviewed_plan(), review=ReviewSettings())
    joined = "\n".join(texts(covenant(plan, plan.groups[0])))
    assert "1. ……." in joined


def test_minutes_show_ranking_votes_leading_unit_proposals_and_next_chair() -> None:
    plan = reviewed_plan()
    result = plan.result_by_group["cum-1"]
    assert result.leading_unit == "c"  # the vote's flag, over the score ranking's "a"
    form = minutes(plan, plan.group_by_id["cum-1"])
    grids = [block for block in form.body if isinstance(block, Grid)]
    ranking, votes = grids
    assert [row[1] for row in ranking.rows] == [f"Quận {u}" for u in "ABCDE"]
    assert votes.rows[0][:5] == ("Cờ thi đua", "1", "Quận C", "5", "100%")
    decided = [row for row in votes.rows if row[0] == "Bằng khen" and row[1] == "2"]
    assert {row[2] for row in decided} == {"Quận A", "Quận D"}
    joined = "\n".join(texts(form))
    assert "Quận C" in joined
    assert f"{result.next_chair and plan.unit_by_id[result.next_chair].name}" in joined
    assert "2014" in joined


def test_minutes_of_a_group_without_results_say_so() -> None:
    plan = reviewed_plan()
    form = minutes(plan, plan.group_by_id["cum-2"])
    assert not [block for block in form.body if isinstance(block, Grid)]
    assert "……" in "\n".join(texts(form))


def test_report_across_groups() -> None:
    plan = reviewed_plan()
    form = report(plan)
    grid = next(block for block in form.body if isinstance(block, Grid))
    assert [row[1] for row in grid.rows] == ["Cụm 1", "Cụm 2"]
    assert grid.rows[0][3] == "Quận C"
    joined = "\n".join(texts(form))
    assert "Võ Văn Luận" in joined
    assert "VP" in str(form.number)
    assert "Cụm 2" in joined


def test_report_of_the_seed_year_counts_nine_flags() -> None:
    plan = load(EXAMPLES / "hcmc-2012.toml")
    form = report(plan)
    grid = next(block for block in form.body if isinstance(block, Grid))
    assert len(grid.rows) == 9
    assert all(row[4].endswith(": 1") for row in grid.rows)
    assert any("9" in line for line in texts(form) if "Cờ thi đua xuất sắc" in line)


def test_word_follows_the_decree_page_and_type(tmp_path: Path) -> None:
    plan = reviewed_plan()
    data = forms_docx(compose(plan, "covenant"))
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.left_margin, section.right_margin)
    assert [round(Length(size or 0).mm) for size in sizes] == [
        210,
        297,
        30,
        15,
    ]  # A4; NĐ 30 margins
    assert section.different_first_page_header_footer
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text}
    assert fonts == {"Times New Roman"}
    names = [p for p in document.paragraphs if p.text == "EMULATION COVENANT" or p.text.isupper()]
    assert names
    assert all(run.bold for p in names for run in p.runs)
    # Two covenants, the second from a new page; one signature row per member.
    breaks = document.element.body.xml.count('w:type="page"')
    assert breaks == 1
    signature_tables = [
        t for t in document.tables if t.style is not None and t.style.name == "Table Grid"
    ]
    assert [len(t.rows) for t in signature_tables] == [1 + 5, 1 + 2]
    widths = [col.width for col in signature_tables[0].columns]
    assert widths[0] is not None
    assert widths[1] is not None
    assert widths[0] < widths[1]
    path = tmp_path / "c.docx"
    path.write_bytes(data)
    lines = docx_lines(path)
    for name in ("Quận A", "Quận G", "Lâm Văn Ba"):
        assert any(name in line for line in lines)


def test_markdown_says_what_word_says(tmp_path: Path) -> None:
    plan = reviewed_plan()
    for kind in ("covenant", "minutes", "report"):
        forms = compose(plan, kind)
        markdown = forms_markdown(forms)
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(forms_docx(forms))
        words = {line.strip() for line in docx_lines(path) if line.strip()}
        for word in words:
            assert word.replace("*", "") in markdown.replace("\\", "") or word in markdown, word


def test_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(dumps(reviewed_plan()), encoding="utf-8")
    out = tmp_path / "bien-ban.docx"
    assert main(["document", "minutes", str(plan_path), "--group", "cum-1", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"PK")
    assert main(["document", "report", str(plan_path)]) == 0
    assert "Võ Văn Luận" in capsys.readouterr().out
    assert main(["document", "covenant", str(plan_path), "--format", "docx"]) == 2
    assert main(["document", "covenant", str(plan_path), "--group", "cum-9"]) == 2
    assert main(["document", "covenant", str(plan_path), "-o", str(plan_path)]) == 2
    assert load(plan_path) == reviewed_plan()


def test_a_result_naming_only_a_count() -> None:
    plan = attrs.evolve(
        reviewed_plan(),
        results=[GroupResult("cum-1", awards=[Award("Cờ thi đua", count=1)])],
    )
    form = minutes(plan, plan.groups[0])
    assert any("1" in line and "Cờ thi đua" in line for line in texts(form))


def test_in_vietnamese_the_documents_use_their_own_terms() -> None:
    i18n.set_language("vi")
    plan = reviewed_plan()
    form = covenant(plan, plan.group_by_id["cum-1"])
    joined = "\n".join(texts(form))
    assert form.name == "GIAO ƯỚC THI ĐUA"
    assert "- Cụm trưởng: Quận A." in joined
    assert "Cụm phó: Quận B." in joined
    assert "Lãnh đạo phụ trách: Đồng chí Lâm Văn Ba, Phó Văn phòng." in joined
    markdown = forms_markdown(compose(plan, "minutes", ["cum-1"]))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in markdown
    assert "BIÊN BẢN" in markdown
    assert "Cụm trưởng năm 2014" in markdown


def test_documents_stay_vietnamese_whatever_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Like the dispatch, the documents are the legal text; only messages follow --lang."""
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(dumps(reviewed_plan()), encoding="utf-8")
    outputs = []
    for lang in ("vi", "en"):
        assert main(["document", "minutes", str(plan_path), "--lang", lang]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "BIÊN BẢN" in outputs[1]
    sheets = []
    for lang in ("vi", "en"):
        out = tmp_path / f"sheet-{lang}.xlsx"
        assert main(["review", str(plan_path), "--template", "-o", str(out), "--lang", lang]) == 0
        sheets.append(
            [row for sheet in openpyxl.load_workbook(out).worksheets for row in sheet.values]
        )
    assert sheets[0] == sheets[1]
    assert "Điểm cộng" in sheets[1][2]


def test_minutes_of_a_tie_at_the_last_place() -> None:
    units = [Unit(u, f"Quận {u.upper()}", "district") for u in "abcde"]
    plan = Plan(
        year=2013,
        units=units,
        groups=[Group("cum-1", "Cụm 1", "district", list("abcde"), chair="a")],
        review=ReviewSettings(awards=[AwardQuota("Bằng khen", 4)]),
    )
    # All five reach 4 of 5 votes for four places: nobody is proposed in round 1.
    votes = [
        Vote(v, c, "Bằng khen", 1, n)
        for n, (v, left_out) in enumerate(zip("abcde", "edcba", strict=True))
        for c in "abcde"
        if c != left_out
    ]
    stored = tally(plan, votes).apply(plan)
    grid = next(b for b in minutes(stored, stored.groups[0]).body if isinstance(b, Grid))
    assert {row[5] for row in grid.rows} == {"đạt tỷ lệ nhưng hết suất"}


def test_minutes_with_the_score_sheet_show_points(tmp_path: Path) -> None:
    plan = reviewed_plan()
    scores = ScoreSheet(
        "s.csv", ("x",), {u: UnitScores(u, (90 - i,), 1, 0.5) for i, u in enumerate("abcde")}
    )
    form = minutes(plan, plan.group_by_id["cum-1"], scores)
    ranking = next(b for b in form.body if isinstance(b, Grid))
    assert ranking.rows[0][:6] == ("1", "Quận A", "90", "1", "0,5", "90,5")
    sheet = tmp_path / "diem.csv"
    sheet.write_text("Đơn vị,Điểm\n" + "".join(f"{u},{90 - i}\n" for i, u in enumerate("abcde")))
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(dumps(plan), encoding="utf-8")
    out = tmp_path / "b.md"
    argv = ["document", "minutes", str(plan_path), "--group", "cum-1", "--scores", str(sheet)]
    assert main([*argv, "-o", str(out)]) == 0
    assert "| 1 | Quận A | 90 | 0 | 0 | 90 |" in out.read_text(encoding="utf-8")


def test_minutes_and_report_record_the_chair_and_deputy_decision() -> None:
    i18n.set_language("vi")
    plan = reviewed_plan()
    form = minutes(plan, plan.group_by_id["cum-1"])
    assert any("quyết định: Bằng khen, giữa Quận D, Quận A" in line for line in texts(form))
    assert any("chờ trưởng, phó quyết định tại: Cụm 1" in line for line in texts(report(plan)))
    votes = [Vote(v, "c", "Cờ thi đua", 1, n) for n, v in enumerate("abcde")]
    votes += [
        Vote(v, "a" if v in "ab" else "d", "Bằng khen", r, 10 + n)
        for r in (1, 2)
        for n, v in enumerate("abcde")
    ]
    base = attrs.evolve(plan, results=[])
    decided = tally(base, votes).decide(base, "cum-1", ["d"]).apply(base)
    lines = texts(minutes(decided, decided.group_by_id["cum-1"]))
    assert any("đã quyết định: Bằng khen cho Quận D" in line for line in lines)
    assert not any("chờ trưởng, phó" in line for line in texts(report(decided)))
