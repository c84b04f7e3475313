"""The MoF 项目支出绩效自评表: layout, XLSX read back by openpyxl, PDF read back by pdffonts
and pdfplumber, the XLSX converted by LibreOffice headless."""

from __future__ import annotations

import copy
import shutil
import subprocess
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core import scoring
from jixiao.core.model import IndicatorCell, Project, ScoreOverride, Table
from jixiao.errors import InputError, OutputError
from jixiao.formats import form_xlsx, mof_grid, mof_html, mof_xlsx
from jixiao.core.reasons import zh


def _scores(table):
    return scoring.score_table(table)


def _items(score):
    return [item for cat in score.categories for ind in cat.indicators for item in ind.items]


def test_text_width_counts_cjk_twice():
    assert mof_grid.text_width("ab") == 2
    assert mof_grid.text_width("党建") == 4
    assert mof_grid.text_width("≧1；") == 2 + 1 + 2  # ≧ is East Asian "ambiguous": wide in CJK fonts


def test_line_count_wraps_and_honours_newlines():
    assert mof_grid.line_count("党" * 10, 21.5) == 1
    assert mof_grid.line_count("党" * 11, 21.5) == 2
    assert mof_grid.line_count("a\nb\nc", 30) == 3


@pytest.mark.parametrize("name, expected", [
    ("党建事务", "3-党建事务"),
    ("a[b]c:d*e?f/g\\h", "3-a_b_c_d_e_f_g_h"),
    ("很" * 40, "3-" + "很" * 29),
])
def test_sheet_name_is_legal(name, expected):
    assert mof_grid.sheet_name(Project(seq=3, unit_name="u", name=name)) == expected


@pytest.mark.parametrize("target, expected", [
    ("参加党务干部人数≧100", ("参加党务干部人数", "≧100")),
    ("文书档案整理时间≤90天", ("文书档案整理时间", "≤90天")),
    ("公务接待费5万元", ("公务接待费", "5万元")),
    ("设备运行稳定", ("设备运行稳定", "—")),
    ("", ("", "—")),
])
def test_split_target_into_name_and_value(target, expected):
    assert mof_grid.split_target(target) == expected


def test_sheet_name_unique_when_truncation_collides():
    p = Project(seq=3, unit_name="u", name="很" * 40)
    first = mof_grid.sheet_name(p)
    second = mof_grid.sheet_name(p, {first})
    assert second != first and len(second) <= 31 and second.endswith("~2")


def test_form_layout_of_project_3(seed_table):
    table = seed_table
    score = _scores(table)[2]
    form = mof_grid.build_form(table, table.projects[2], score)
    values = {(c.row, c.col): c for c in form.cells}
    assert values[(0, 2)].value == "党建事务"
    assert values[(1, 2)].value == "深圳市龙岗区工商业联合会"
    assert values[(1, 7)].value == "区工商联"
    assert values[(2, 0)].value == "项目资金（万元）" and values[(2, 0)].rowspan == 5
    assert values[(3, 3)].value == Decimal("267.10")
    assert values[(3, 4)].value == Decimal("266.89")
    assert values[(3, 5)].value == score.execution.weight
    assert values[(3, 6)].value == Decimal("0.9992")
    assert values[(3, 7)].value == score.execution.score
    # 一级 cells span exactly the rows of their 二级 cells, which span their 三级 items.
    hr = form.indicator_header_row
    first = [c for c in form.cells if c.col == 0 and c.row > hr and c.value == "产出指标"][0]
    n_output_items = sum(len(i.items) for i in score.categories[0].indicators)
    assert first.rowspan == n_output_items
    quantity = [c for c in form.cells if c.col == 1 and c.value == "数量指标"][0]
    assert quantity.rowspan == len(score.categories[0].indicators[0].items)
    # Every grid position is covered exactly once.
    covered = [(r, c) for cell in form.cells for r in range(cell.row, cell.row + cell.rowspan)
               for c in range(cell.col, cell.col + cell.colspan)]
    assert len(covered) == len(set(covered)) == form.n_rows * mof_grid.N_COLS


# --- XLSX ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(request):
    from jixiao.formats import table_json
    from tests.conftest import GOLDEN
    return table_json.load(GOLDEN)


@pytest.fixture(scope="module")
def seed_xlsx(seed, tmp_path_factory):
    path = tmp_path_factory.mktemp("mof") / "seed-mof.xlsx"
    mof_xlsx.write_mof_xlsx(seed, path)
    return path


def _find(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in sheet {ws.title}")


def test_xlsx_one_sheet_per_project(seed, seed_xlsx):
    import openpyxl
    wb = openpyxl.load_workbook(seed_xlsx)
    assert wb.sheetnames == [f"{p.seq}-{p.name}" for p in seed.projects]


def test_xlsx_reads_back_values_numbers_and_merges(seed, seed_xlsx):
    import openpyxl
    wb = openpyxl.load_workbook(seed_xlsx)
    for project, score in zip(seed.projects, _scores(seed)):
        ws = wb[f"{project.seq}-{project.name}"]
        assert ws["A1"].value == "项目支出绩效自评表"
        assert ws["A2"].value == "（2019年度）"
        assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
        assert _find(ws, "项目名称").offset(column=2).value == project.name
        assert ws["C3"].coordinate in {str(r).split(":")[0] for r in ws.merged_cells.ranges}
        total_row = _find(ws, "年度资金总额").row
        budget = ws.cell(total_row, 4)
        assert Decimal(str(budget.value)) == project.budget and budget.number_format == "0.00"
        assert Decimal(str(ws.cell(total_row, 5).value)) == project.actual_total
        rate = ws.cell(total_row, 7)
        assert rate.number_format == "0.00%"
        assert Decimal(str(rate.value)) * 100 == project.execution_rate
        assert Decimal(str(ws.cell(total_row, 8).value)) == score.execution.score
        total = _find(ws, "总分")
        total_cell = ws.cell(total.row, 7)
        assert isinstance(total_cell.value, (int, float)) and total_cell.number_format == "0.00"
        assert Decimal(str(total_cell.value)) == score.total
        assert ws.cell(_find(ws, "评价等级").row, 6).value == score.grade
        # 得分 column of the indicator rows equals the item scores, in order.
        head = _find(ws, "偏差原因分析及改进措施").row
        got = [Decimal(str(ws.cell(r, 7).value)) for r in range(head + 1, total.row)
               if isinstance(ws.cell(r, 7).value, (int, float))]
        assert got == [i.score for i in _items(score)]


def _bordered_cells(path, sheet_index):
    """Coordinates whose stored style has thin borders on all four sides, read from the XML
    (openpyxl's reader redraws merged ranges with outer edges only, hiding what was written)."""
    import re
    import xml.etree.ElementTree as ET
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        styles = ET.fromstring(z.read("xl/styles.xml"))
        sheet = z.read(f"xl/worksheets/sheet{sheet_index}.xml").decode("utf-8")
    borders = styles.find("m:borders", ns).findall("m:border", ns)
    thin = {i for i, b in enumerate(borders)
            if all((b.find(f"m:{side}", ns) is not None and b.find(f"m:{side}", ns).get("style") == "thin")
                   for side in ("left", "right", "top", "bottom"))}
    xfs = styles.find("m:cellXfs", ns).findall("m:xf", ns)
    thin_styles = {i for i, xf in enumerate(xfs) if int(xf.get("borderId", 0)) in thin}
    return {m.group(1) for m in re.finditer(r'<c r="([A-Z]+\d+)" s="(\d+)"', sheet)
            if int(m.group(2)) in thin_styles}


def test_xlsx_borders_on_every_cell_and_print_setup(seed_xlsx):
    import openpyxl
    from openpyxl.utils import get_column_letter
    ws = openpyxl.load_workbook(seed_xlsx)["3-党建事务"]
    last = _find(ws, "评价等级").row
    bordered = _bordered_cells(seed_xlsx, 3)
    grid = {f"{get_column_letter(c)}{r}" for r in range(3, last + 1) for c in range(1, 9)}
    assert grid <= bordered, sorted(grid - bordered)[:10]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    # Rows with long text are taller than one line.
    goal_row = _find(ws, "预期目标").row + 1
    assert ws.row_dimensions[goal_row].height > 60


def test_row_heights_fit_the_text_and_stay_within_excels_limit(seed):
    p = copy.deepcopy(seed.projects[2])
    p.overall_completion = "短"
    p.annual_goal = "党" * 100  # B:E is 12+20+17+22 = 71 widths: 100 CJK = 200 widths = 3 lines
    form = mof_grid.build_form(seed, p, _scores(seed)[2])
    heights = form_xlsx.row_heights(form, mof_grid.COLUMN_WIDTHS)
    assert heights[8] == 3 * form_xlsx.LINE_HEIGHT_PT + form_xlsx.ROW_PADDING_PT
    p.annual_goal = "党" * 10000
    form = mof_grid.build_form(seed, p, _scores(seed)[2])
    assert form_xlsx.row_heights(form, mof_grid.COLUMN_WIDTHS)[8] == form_xlsx.MAX_ROW_HEIGHT_PT


def test_xlsx_formula_like_text_is_text(seed, tmp_path):
    t = copy.deepcopy(seed)
    t.projects[0].name = '=HYPERLINK("http://x","y")'
    t.projects[0].annual_goal = "+1+2"
    t.projects[0].overall_completion = "@SUM(A1)"
    t.projects[0].problems = "-3"
    path = tmp_path / "f.xlsx"
    mof_xlsx.write_mof_xlsx(t, path)
    with zipfile.ZipFile(path) as z:
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    import openpyxl
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert _find(ws, "项目名称").offset(column=2).value == '=HYPERLINK("http://x","y")'
    assert _find(ws, "项目名称").offset(column=2).data_type == "s"


# --- HTML ---------------------------------------------------------------------------------

def test_html_escapes_every_text(seed):
    t = copy.deepcopy(seed)
    evil = "<script>alert(1)</script>"
    p = t.projects[0]
    t.department = evil
    p.name = p.unit_name = p.annual_goal = p.overall_completion = p.problems = p.rectification = evil
    p.indicators["quantity"] = IndicatorCell(evil + "≥1", evil)
    p.overrides = [ScoreOverride(item="quantity", score=Decimal("1.00"), reason=evil, by=evil, at=evil),
                   ScoreOverride(item="total", score=Decimal("50.00"), reason=evil)]
    page = mof_html.render_mof_html(t)
    assert "<script" not in page
    assert "&lt;script&gt;" in page


def test_html_one_section_per_project_with_page_breaks(seed):
    page = mof_html.render_mof_html(seed)
    assert page.count('<section class="mof-form"') == len(seed.projects)
    assert "section.mof-form + section.mof-form { break-before: page; }" in page
    assert 'scope="col"' in page and "<colgroup>" in page


# --- overrides ------------------------------------------------------------------------------

def test_override_shows_stored_score_and_notes_suggestion(seed, tmp_path):
    t = copy.deepcopy(seed)
    p = t.projects[2]
    p.overrides = [ScoreOverride(item="quantity", score=Decimal("10.00"), reason="活动记录不全", by="张三",
                                 at="2020-03-01")]
    score = _scores(t)[2]
    quantity = score.categories[0].indicators[0]
    assert quantity.score == Decimal("10.00") and quantity.override is not None
    form = mof_grid.build_form(t, p, score)
    q_rows = [c for c in form.cells if c.col == 1 and c.value == "数量指标"][0]
    stored = [c for c in form.cells if c.col == 6 and c.row == q_rows.row][0]
    assert stored.value == Decimal("10.00") and stored.rowspan == q_rows.rowspan
    dev = [c for c in form.cells if c.col == 7 and c.row == q_rows.row][0].value
    assert "活动记录不全" in dev and str(quantity.suggested) in dev and "张三" in dev


def test_an_item_override_shows_on_its_row_and_is_noted(seed):
    t = copy.deepcopy(seed)
    p = t.projects[2]  # 数量指标 with four 三级 items
    p.overrides = [ScoreOverride(item="quantity.2", score=Decimal("1.50"), reason="签到表人数不足", by="王五")]
    score = _scores(t)[2]
    quantity = score.categories[0].indicators[0]
    second = quantity.items[1]
    assert len(quantity.items) == 4 and second.score == Decimal("1.50") and second.suggested is not None
    form = mof_grid.build_form(t, p, score)
    q_rows = [c for c in form.cells if c.col == 1 and c.value == "数量指标"][0]
    scores = [c.value for c in form.cells if c.col == 6 and q_rows.row <= c.row < q_rows.row + q_rows.rowspan]
    assert scores == [it.score for it in quantity.items] and scores[1] == Decimal("1.50")
    dev = [c for c in form.cells if c.col == 7 and c.row == q_rows.row][0].value
    assert f"数量指标第2项得分经评价人调整为 1.50（系统建议 {second.suggested}）" in dev
    assert "签到表人数不足" in dev and "王五" in dev


def test_execution_category_and_total_overrides_are_noted(seed):
    t = copy.deepcopy(seed)
    p = t.projects[0]
    p.overrides = [ScoreOverride(item="execution", score=Decimal("9.00"), reason="按整数判断"),
                   ScoreOverride(item="output", score=Decimal("45.00"), reason="佐证不足"),
                   ScoreOverride(item="total", score=Decimal("88.00"), reason="综合评定", by="李四")]
    score = _scores(t)[0]
    form = mof_grid.build_form(t, p, score)
    cells = {(c.row, c.col): c.value for c in form.cells}
    assert cells[(3, 7)] == Decimal("9.00")  # 执行率 得分 is the stored score
    total = [c for c in form.cells if c.value == "总分"][0]
    assert cells[(total.row, 6)] == Decimal("88.00") == score.total
    notes = "".join(form.notes)
    for text in ("预算执行率得分经评价人调整为 9.00", "按整数判断", "产出指标得分经评价人调整为 45.00",
                 "佐证不足", "总分经评价人调整为 88.00", "综合评定", "李四",
                 f"系统建议 {score.execution.suggested}"):
        assert text in notes, text


# --- scoring configuration -------------------------------------------------------------------

def test_config_dict_changes_weights_and_unknown_keys_are_rejected(seed, tmp_path):
    forms = mof_grid.build_forms(seed, {"execution_weight": 20})
    ex_weight = [c for c in forms[0].cells if c.row == 3 and c.col == 5][0]
    assert ex_weight.value == Decimal(20)
    assert any("20分" in n for n in forms[0].notes)  # the rule's formula text follows the config
    with pytest.raises(InputError):
        mof_xlsx.write_mof_xlsx(seed, tmp_path / "a.xlsx", config={"no_such_setting": 1})
    assert list(tmp_path.iterdir()) == []


def test_per_project_weight_shows_in_the_form_and_its_formula(seed):
    forms = mof_grid.build_forms(seed, {"projects": {"3": {"execution_weight": 20}}})
    for form, weight in zip(forms, (10, 10, 20, 10, 10, 10)):
        assert [c for c in form.cells if c.row == 3 and c.col == 5][0].value == Decimal(weight)
        rules = [n for n in form.notes if n.startswith("评分规则")]
        assert sum(f"分值（{weight}分）" in n for n in rules) == 1, rules


def test_footnote_prints_rule_formulas(seed):
    form = mof_grid.build_forms(seed)[2]
    score = _scores(seed)[2]
    rules = scoring.rules(scoring.ScoringConfig())
    printed = "".join(n for n in form.notes if n.startswith("评分规则"))
    # Every formula used by an indicator is made of printed rule formulas, each printed once.
    for ind in (i for c in score.categories for i in c.indicators):
        rest = zh(ind.formula)
        for rule in rules.values():
            if rule.text in printed:
                rest = rest.replace(rule.text, "")
        assert rest.strip("；") == "", rest
    for rule in rules.values():
        assert printed.count(rule.text) <= 1
    assert rules["execution"].text in printed
    assert any("评价等级" in n and "优" in n for n in form.notes)


@pytest.mark.slow
def test_sparse_project_in_yuan_with_control_characters(tmp_path):
    from jixiao.core.money import MoneyUnit
    p = Project(seq=7, unit_name="单位\x01", name="空项目\x07[测试]", budget=None, actual_total=Decimal("5.00"),
                annual_goal="第一行\r\n第二行\r第三行")
    t = Table(year=2020, department="某局", projects=[p], money_unit=MoneyUnit.YUAN)
    form = mof_grid.build_forms(t)[0]
    cells = {(c.row, c.col): c.value for c in form.cells}
    assert cells[(2, 0)] == "项目资金（元）"
    assert cells[(8, 1)] == "第一行\n第二行\n第三行"
    assert cells[(3, 3)] == "—" and cells[(3, 6)] == "—"  # no budget: no A, no rate
    assert cells[(3, 4)] == Decimal("5.00")
    labels = [c.value for c in form.cells if c.col == 0 and c.row > form.indicator_header_row]
    assert labels[:3] == ["产出指标", "效益指标", "满意度指标"]
    assert sum(1 for c in form.cells if c.value == "（未设置指标）") == 3
    mof_xlsx.write_mof_xlsx(t, tmp_path / "a.xlsx")
    mof_html.write_mof_pdf(t, tmp_path / "a.pdf")
    import openpyxl
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    assert ws.title == "7-空项目_测试_"
    assert _find(ws, "项目名称").offset(column=2).value == "空项目[测试]"


# --- bad input -----------------------------------------------------------------------------

def test_zero_projects_is_an_input_error_and_writes_nothing(tmp_path):
    t = Table(year=2019, department="某部门", projects=[])
    for writer, name in ((mof_xlsx.write_mof_xlsx, "a.xlsx"), (mof_html.write_mof_pdf, "a.pdf")):
        with pytest.raises(InputError) as err:
            writer(t, tmp_path / name)
        assert "没有项目" in err.value.message_zh and "no projects" in err.value.message_en
    assert list(tmp_path.iterdir()) == []


def test_unwritable_path_is_an_output_error(seed, tmp_path):
    with pytest.raises(OutputError):
        mof_xlsx.write_mof_xlsx(seed, tmp_path / "missing-dir" / "a.xlsx")
    assert list(tmp_path.iterdir()) == []


# --- PDF ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_pdf(seed, tmp_path_factory):
    path = tmp_path_factory.mktemp("mofpdf") / "seed-mof.pdf"
    mof_html.write_mof_pdf(seed, path)
    return path


@pytest.mark.slow
def test_pdf_embeds_a_cjk_font(seed_pdf):
    out = subprocess.run(["pdffonts", str(seed_pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in out.splitlines()[2:] if "CJK" in line or "WenQuanYi" in line or "wqy" in line.lower()]
    assert cjk, out
    assert all(line.split()[-5] == "yes" for line in cjk), out  # the "emb" column


def _forms_by_page(pdf):
    """Pages grouped per form: a form starts on a page whose first line is the title."""
    groups = []
    for page in pdf.pages:
        text = page.extract_text() or ""
        if text.splitlines()[0] == "项目支出绩效自评表" or not groups:
            groups.append([])
        groups[-1].append(page)
    return groups


@pytest.mark.slow
def test_pdf_reads_back_scores_with_pdfplumber(seed, seed_pdf):
    import pdfplumber
    with pdfplumber.open(seed_pdf) as pdf:
        first_lines = [(p.extract_text() or "").splitlines()[0] for p in pdf.pages]
        assert first_lines.count("项目支出绩效自评表") == len(seed.projects)  # each form starts a page
        assert (pdf.pages[0].extract_text() or "").rstrip().endswith(f"1 / {len(pdf.pages)}")
        groups = _forms_by_page(pdf)
        assert len(groups) == len(seed.projects)
        for project, score, pages in zip(seed.projects, _scores(seed), groups):
            assert project.name in (pages[0].extract_text() or "").replace("\n", "")
            rows = [[(c or "").replace("\n", "") for c in row]
                    for page in pages for tbl in page.extract_tables() for row in tbl]
            total = [r for r in rows if r and r[0] == "总分"]
            assert total, rows
            assert str(score.total) in total[0]
            assert any(r and r[0] == "评价等级" and score.grade in r for r in rows)
            head = [i for i, r in enumerate(rows) if "偏差原因分析及改进措施" in r][0]
            body = rows[head + 1:rows.index(total[0])]
            got = [r[6] for r in body if len(r) == 8 and r[6] and r[6] not in ("得分",)]
            assert got == [str(i.score) for i in _items(score)], (project.name, body)
            for page in pages[1:]:  # a continuation page starts a whole 一级 category under the header
                tables = page.extract_tables()
                if not tables:  # a page of the form's notes only (说明, 评分规则)
                    continue
                table_rows = tables[0]
                assert "偏差原因分析及改进措施" in (table_rows[0][-1] or "").replace("\n", "")
                assert (table_rows[1][0] or "").replace("\n", "").endswith("指标"), table_rows[1]
            money_row = [r for r in rows if "年度资金总额" in r][0]
            assert str(project.budget) in money_row and f"{project.execution_rate}%" in money_row
            assert str(score.execution.score) in money_row


@pytest.mark.slow
def test_pdf_cell_taller_than_a_page_flows_on_without_loss(seed, tmp_path):
    import dataclasses

    import pdfplumber
    p = copy.deepcopy(seed.projects[2])
    sentence = "以“巩固、创新、提质、增效”为主线，扎实推进非公党建工作。"
    p.annual_goal = sentence * 100  # about two pages of text in one cell
    path = tmp_path / "tall.pdf"
    mof_html.write_mof_pdf(dataclasses.replace(seed, projects=[p]), path)
    with pdfplumber.open(path) as pdf:
        header = [w for w in pdf.pages[0].extract_words() if w["text"] == "预期目标"][0]
        cells = [t for t in pdf.pages[0].find_tables()[0].cells if t[0] < header["x0"] < t[2] and t[1] < header["top"] < t[3]]
        x0, x1 = cells[0][0], cells[0][2]
        text = ""
        for page in pdf.pages:
            # Nothing runs into the bottom margin (16 mm; 2 pt of glyph descent allowed) or off the
            # paper, except the page number.
            low = [c["text"] for c in page.chars if c["bottom"] > page.height - 16 * 72 / 25.4 + 2]
            assert set("".join(low)) <= set("0123456789/ "), "".join(low)
            body = (x0, 0, x1, page.height - 16 * 72 / 25.4 + 2)  # without the page number
            text += (page.crop(body).extract_text() or "").replace("\n", "")
    assert text.count(sentence) == 100


# --- LibreOffice ------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_the_xlsx(seed, seed_xlsx, tmp_path):
    profile = f"file:///tmp/lo-mof-{uuid.uuid4().hex}"
    try:
        proc = subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
             "--outdir", str(tmp_path), str(seed_xlsx)],
            capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    pdf = tmp_path / "seed-mof.pdf"
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for project, score in zip(seed.projects, _scores(seed)):
        assert project.name in text
        assert str(score.total) in text


# --- documentation ------------------------------------------------------------------------------

def test_docs_state_the_layout_defaults():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "outputs.md").read_text("utf-8")
    section = doc.split("## 财政部项目支出绩效自评表 (MoF form)")[1].split("\n## ")[0]
    assert " · ".join(f"{w:g}" for w in mof_grid.COLUMN_WIDTHS) in section
    assert f"{form_xlsx.LINE_HEIGHT_PT:g} pt / {form_xlsx.ROW_PADDING_PT:g} pt" in section
    assert f"{form_xlsx.FONT_NAME} {form_xlsx.FONT_SIZE} pt" in section
    assert "reference/seed-mof-form-p3.png" in section


def _cells_by_row(form):
    rows = {}
    for c in form.cells:
        rows.setdefault(c.row, {})[c.col] = c
    return rows


def test_a_cell_with_its_own_rows_prints_them_with_their_weights_and_notes(seed):
    from jixiao.core.model import IndicatorItem

    table = copy.deepcopy(seed)
    project = table.projects[0]
    project.initial_budget = Decimal("3.50")
    project.indicators["quantity"] = IndicatorCell.of_items([
        IndicatorItem("电脑", "3台", "3台", Decimal("12"), Decimal("12")),
        IndicatorItem("办公桌椅", "=1批", "1批", Decimal("8"), None, "部分延期交付")])
    form = mof_grid.build_forms(table)[0]
    rows = _cells_by_row(form)
    money_row = next(r for r in rows.values() if 1 in r and r[1].value == "年度资金总额")
    assert money_row[2].value == Decimal("3.50") and money_row[2].role == "money"
    first = next(r for r in rows.values() if 2 in r and r[2].value == "电脑")
    second = next(r for r in rows.values() if 2 in r and r[2].value == "办公桌椅")
    assert [first[c].value for c in (3, 4, 5)] == ["3台", "3台", Decimal("12")]
    assert [second[c].value for c in (3, 4, 5, 7)] == ["=1批", "1批", Decimal("8"), "部分延期交付"]
    assert first[7].value == "" and first[1].value == "数量指标" and first[1].rowspan == 2


def test_the_notes_state_the_evidenced_total_when_claims_make_a_gap(seed):
    import dataclasses

    t = copy.deepcopy(seed)
    score = _scores(t)[0]
    items = [it for c in score.categories for i in c.indicators for it in i.items]
    for it in items:  # no claim: no note
        it.evidence, it.evidenced = "figure", it.score
    score = dataclasses.replace(score, evidenced_total=score.total)
    assert not any("证据口径总分" in n for n in mof_grid.build_form(t, t.projects[0], score).notes)
    items[0].evidence, items[0].evidenced = "claimed", items[0].score - Decimal("2.00")
    score = dataclasses.replace(score, evidenced_total=score.total - Decimal("2.00"))
    notes = "".join(mof_grid.build_form(t, t.projects[0], score).notes)
    assert f"证据口径总分{score.evidenced_total}分，证据差2.00分：1个指标" in notes
