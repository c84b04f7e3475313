"""The 绩效目标表's formats: targets JSON (with its schema), XLSX in the official layout, PDF.

A real regional layout laid out by hand (湘潭 2023, tests/fidelity/targets) imports with every
value; jixiao's own XLSX and JSON round-trip exactly."""

import json
from decimal import Decimal
from importlib.resources import files

import jsonschema
import pytest

from jixiao.core.checks import check_target_sheet
from jixiao.core.target_sheet import TargetIndicator, TargetSheet
from jixiao.errors import InputError
from jixiao.formats import targets_json
from jixiao.formats.targets_read import looks_like_targets_xlsx, read_targets_xlsx
from jixiao.formats.targets_xlsx import write_targets_xlsx

from .targets_fixtures import ezhou_2022, libreoffice_pdf, long_sheet, ningxiang_2021, sample_sheet, xiangtan_2023


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((files("jixiao") / "schema/targets.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# --- targets JSON ----------------------------------------------------------------------------

def test_the_json_document_round_trips_exactly_and_is_valid_under_its_schema(validator):
    sheet = sample_sheet()
    text = targets_json.dumps(sheet)
    validator.validate(json.loads(text))
    assert targets_json.loads(text) == sheet
    assert targets_json.dumps(targets_json.loads(text)) == text


def test_amounts_are_exact_decimal_strings_and_numbers_are_accepted(validator):
    doc = targets_json.to_document(sample_sheet())
    assert doc["projects"][1]["funds"] == {"total": "38.5", "fiscal": "30", "other": "8.5"}
    doc["projects"][1]["funds"]["total"] = 38.5
    validator.validate(doc)
    assert targets_json.from_document(json.loads(json.dumps(doc))).projects[1].total == Decimal("38.5")


@pytest.mark.parametrize("change, path", [
    (lambda d: d.__setitem__("kind", "table"), "$.kind"),
    (lambda d: d.__setitem__("year", 1800), "$.year"),
    (lambda d: d.__setitem__("money_unit", "千元"), "$.money_unit"),
    (lambda d: d["projects"][0].__setitem__("budget", "1"), "$.projects[0].budget"),
    (lambda d: d["projects"][0].__setitem__("name", " "), "$.projects[0].name"),
    (lambda d: d["projects"][0]["funds"].__setitem__("total", "二百五十"), "$.projects[0].funds.total"),
    (lambda d: d["projects"][0]["indicators"][0].__setitem__("kind", "speed"), "$.projects[0].indicators[0].kind"),
    (lambda d: d["projects"][0]["indicators"][0].__setitem__("nature", "≥"), "$.projects[0].indicators[0].nature"),
    (lambda d: d["projects"][0]["indicators"][0].__setitem__("basis", "计划标准"), "$.projects[0].indicators[0].basis"),
    (lambda d: d["projects"][0]["indicators"][0].__setitem__("weight", "-1"), "$.projects[0].indicators[0].weight"),
])
def test_a_bad_document_is_refused_by_the_loader_and_the_schema_at_its_path(validator, change, path):
    doc = json.loads(targets_json.dumps(sample_sheet()))
    change(doc)
    with pytest.raises(InputError) as exc:
        targets_json.from_document(doc, "t.json")
    assert exc.value.path == path and exc.value.message_zh and exc.value.message_en
    if path not in ("$.projects[0].name", "$.projects[0].indicators[0].weight"):  # a pattern / a sign: loader only
        assert not validator.is_valid(doc)


def test_a_table_json_is_not_a_targets_document():
    with pytest.raises(InputError) as exc:
        targets_json.loads('{"year": 2019, "department": "x", "money_unit": "万元", "projects": []}', "t.json")
    assert exc.value.path == "$.kind"


def test_malformed_json_says_where():
    with pytest.raises(InputError, match="第 1 行"):
        targets_json.loads('{"kind": "targets",', "t.json")


# --- XLSX ------------------------------------------------------------------------------------

def test_the_xlsx_round_trips_exactly(tmp_path):
    sheet = sample_sheet()
    path = tmp_path / "targets.xlsx"
    write_targets_xlsx(sheet, path)
    assert looks_like_targets_xlsx(path)
    assert read_targets_xlsx(path) == sheet


def test_the_xlsx_is_the_official_layout(tmp_path):
    import openpyxl

    path = tmp_path / "targets.xlsx"
    write_targets_xlsx(sample_sheet(), path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.title == "雾炮车降尘抑尘服务"
    texts = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=11)]
    assert texts[0][0] == "项目支出绩效目标表" and texts[1][0] == "（2023年度）"
    assert [texts[3][0], texts[4][0], texts[4][4], texts[5][0], texts[5][2], texts[6][2], texts[7][2], texts[8][0]] == \
        ["项目名称", "主管部门", "实施单位", "项目资金（万元）", "年度资金总额", "其中：财政拨款", "其他资金", "年度总体目标"]
    assert texts[9] == ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值", "指标值设定依据",
                        "上年实际完成值"]
    assert texts[10] == ["产出指标", "数量指标", "配备车辆数", "=", "10", "辆", "20", "计划标准", "8辆"]
    assert "A11:A15" in {str(r) for r in ws.merged_cells.ranges}  # 产出指标 spans its five rows


def test_a_form_giving_only_its_sources_prints_their_sum_as_the_annual_total(tmp_path):
    import openpyxl

    sheet = sample_sheet()
    project = sheet.projects[0]
    project.total, project.fiscal, project.other = None, Decimal("12.5"), Decimal("3.25")
    path = tmp_path / "targets.xlsx"
    write_targets_xlsx(sheet, path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert [ws.cell(row, 5).value for row in (6, 7, 8)] == ["15.75", "12.5", "3.25"]
    assert read_targets_xlsx(path).projects[0].total == Decimal("15.75")


def test_the_xiangtan_2023_form_laid_out_by_hand_imports_with_every_value(tmp_path):
    path = tmp_path / "xiangtan.xlsx"
    xiangtan_2023(path)
    assert looks_like_targets_xlsx(path)
    sheet = read_targets_xlsx(path)
    assert (sheet.year, sheet.department, sheet.money_unit) == (2023, "湘潭市环境卫生管理处", "万元")
    [p] = sheet.projects
    goal = "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良"
    assert (p.name, p.department, p.fiscal, p.other, p.goal) == (
        "雾炮车降尘抑尘服务", "湘潭市环境卫生管理处", Decimal(250), Decimal(0), goal)
    assert [(i.kind, i.name, i.nature, i.value, i.unit, i.basis) for i in p.indicators] == [
        ("quantity", "雾炮车降尘抑尘服务配备车辆数", "=", "10", "辆", "plan"),
        ("quantity", "雾炮车风炮射程", ">=", "80", "M", "plan"),
        ("quality", "服务周期内空气质量", "qualitative", "优良", "", "plan"),
        ("timeliness", "服务周期", None, "2023.07-2024.01", "", "plan"),
        ("cost", "控制在预算成本内", "<=", "250", "万元", "plan"),
        ("social", "服务周期内,市民对空气质量改善的满意程度", ">=", "85", "%", "plan"),
        ("satisfaction", "市民满意度", ">=", "90", "%", "plan"),
    ]
    # Every printed value of the form is in the model: 7 indicators × (二级, 三级, value, basis) + 6 head fields.
    printed = {"雾炮车降尘抑尘服务", "湘潭市环境卫生管理处", "250", "0", goal}
    model = {p.name, p.department, f"{p.fiscal}", f"{p.other}", p.goal}
    assert printed <= model
    # The published form has a deadline in the next year: the check says so.
    assert [f.code for f in check_target_sheet(sheet)] == ["JX608"]


def test_a_self_evaluation_workbook_is_not_a_targets_form(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目支出绩效自评表"
    wb.save(tmp_path / "self.xlsx")
    assert not looks_like_targets_xlsx(tmp_path / "self.xlsx")
    with pytest.raises(InputError, match="没有绩效目标表"):
        read_targets_xlsx(tmp_path / "self.xlsx")


def test_an_unknown_level2_label_is_refused_with_its_row(tmp_path):
    path = tmp_path / "t.xlsx"
    sheet = TargetSheet(2024, "某局", projects=sample_sheet().projects[:1])
    write_targets_xlsx(sheet, path)
    import openpyxl
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["B11"] = "速度指标"
    wb.save(path)
    with pytest.raises(InputError, match="第 11 行"):
        read_targets_xlsx(path)


# --- PDF -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_pdf_prints_every_field_of_every_project(tmp_path):
    import shutil
    import subprocess

    from jixiao.formats.targets_typst import write_targets_pdf

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    path = tmp_path / "t.pdf"
    write_targets_pdf(sample_sheet(), path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("项目支出绩效目标表", "（2023年度）", "雾炮车降尘抑尘服务", "党务干部培训", "指标值设定依据", "计划标准",
                 "人次", "0.385", "96人次", "≥", "定性"):
        assert word in text, word


def test_an_empty_sheet_cannot_be_exported(tmp_path):
    with pytest.raises(InputError):
        write_targets_xlsx(TargetSheet(2024), tmp_path / "t.xlsx")


def test_an_indicator_without_nature_prints_its_value_as_written():
    assert TargetIndicator("quantity", "x", None, "5—6家").target_text() == "5—6家"


def test_the_ningxiang_2021_form_reads_the_annual_block_and_sums_the_other_sources(tmp_path):
    path = tmp_path / "ningxiang.xlsx"
    ningxiang_2021(path)
    sheet = read_targets_xlsx(path)
    assert (sheet.year, sheet.department, sheet.money_unit) == (2021, "宁乡市坝塘镇人民政府", "万元")
    [p] = sheet.projects
    assert (p.name, p.department, p.unit) == ("镇域内基础设施建设", "坝塘镇", "坝塘镇")
    assert (p.total, p.fiscal, p.other) == (Decimal("10606.7522"), Decimal("6923.3552"), Decimal("3683.3970"))
    assert p.goal == "全面完成集镇立面改造、机关、学校、乡村振兴等项目,搞好提质改造"  # 年度目标, not 长期目标
    assert [(i.kind, i.nature, i.value, i.unit) for i in p.indicators] == [
        ("quantity", "=", "88", ""), ("quality", "=", "88", ""), ("timeliness", "=", "88", ""), ("cost", "<=", "88", ""),
        ("economic", "=", "88", ""), ("social", "=", "68", ""), ("ecological", "=", "20", ""),
        ("sustainability", "=", "20", ""), ("satisfaction", "=", "88", ""),
    ]
    # Numbers without unit or name: the checks say so for every indicator; the funds add up.
    codes = [f.code for f in check_target_sheet(sheet)]
    assert codes.count("JX601") == 9 and "JX609" not in codes


@pytest.mark.slow
def test_a_form_running_over_several_pdf_pages_reads_back_whole(tmp_path):
    from jixiao.formats.targets_read import read_targets_pdf
    from jixiao.formats.targets_typst import write_targets_pdf

    sheet = long_sheet()
    write_targets_pdf(sheet, tmp_path / "t.pdf")
    back = read_targets_pdf(tmp_path / "t.pdf")
    sheet.title, sheet.profile = "", ""
    assert back == sheet  # 77 indicators over 3 pages, the 二级 label cut by the page breaks


def _libreoffice_pdf(xlsx, outdir):
    """``libreoffice_pdf``, the test skipped where LibreOffice is not installed."""
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("soffice (LibreOffice) is not installed")
    return libreoffice_pdf(xlsx, outdir)


def test_the_xlsx_prints_one_page_wide_on_a4_with_the_indicator_header_on_every_page(tmp_path):
    import openpyxl

    path = tmp_path / "targets.xlsx"
    write_targets_xlsx(sample_sheet(), path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.page_setup.orientation == "portrait"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.print_title_rows == "$10:$10" and ws.print_area.endswith("!$A$1:$I$17")  # A–I: all nine columns


@pytest.mark.slow
def test_libreoffice_prints_every_column_of_an_exported_targets_xlsx_on_the_first_page(tmp_path):
    """jixiao's XLSX printed as an office prints it (LibreOffice headless): the first page holds
    the first project's whole form, its right-hand columns (分值, 指标值设定依据, 上年实际完成值)
    included — not on a page of their own."""
    import pdfplumber

    from jixiao.formats.target_grid import HEADERS

    sheet = sample_sheet()
    path = tmp_path / "targets.xlsx"
    write_targets_xlsx(sheet, path)
    with pdfplumber.open(_libreoffice_pdf(path, tmp_path)) as pdf:
        pages = [page.extract_text().replace(" ", "") for page in pdf.pages]
    assert all(header in pages[0] for header in HEADERS)
    first = sheet.projects[0]
    assert all(i.last_actual in pages[0] for i in first.indicators if i.last_actual)
    assert "历史标准" in pages[0] and first.name in pages[0]
    assert len(pages) == len(sheet.projects)  # each project's short form on one page


@pytest.mark.slow
def test_the_xiangtan_2023_form_printed_to_pdf_by_libreoffice_imports_with_every_value(tmp_path):
    """The hand-laid 湘潭 form (not jixiao's writer) printed by LibreOffice and read by the
    targets importer the web app uses (the bounded child process): every value the XLSX gives,
    the PDF gives too."""
    from jixiao.formats.sandbox import import_targets

    import openpyxl
    from openpyxl.styles import Alignment, Border, Side

    path = tmp_path / "xiangtan.xlsx"
    xiangtan_2023(path)
    # Set up for printing as the published form is: ruled (the grid is what the PDF reader
    # recovers the cells from), columns wide and rows tall enough for their text (a cell's text
    # running over into its neighbour is not the form any more), one page wide.
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    thin = Side(style="thin")
    for row in ws["A3:F20"]:
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in zip("ABCDEF", (18, 12, 30, 40, 16, 12)):
        ws.column_dimensions[col].width = width
    for r in range(1, 21):
        ws.row_dimensions[r].height = 30
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(path)
    printed = _libreoffice_pdf(path, tmp_path)
    from_xlsx, from_pdf = import_targets(path), import_targets(printed)
    assert (from_pdf.year, from_pdf.department, from_pdf.money_unit) == (2023, "湘潭市环境卫生管理处", "万元")
    assert from_pdf.projects == from_xlsx.projects
    assert len(from_pdf.projects[0].indicators) == 7


def test_the_ezhou_2022_form_laid_out_by_hand_imports_with_every_value_its_goal_under_绩效目标(tmp_path):
    """鄂州 2022 prints its goal as 绩效目标 and no funds, 主管部门 or 部门 line; its 绩效标准 says
    what each indicator reflects (no basis). What the workbook should give was written down by
    hand in tests/fixtures/targets-text/ezhou-lo.targets.json."""
    from pathlib import Path

    ezhou_2022(tmp_path / "ezhou.xlsx")
    expected = targets_json.load(Path(__file__).parents[1] / "fixtures/targets-text/ezhou-lo.targets.json")
    sheet = read_targets_xlsx(tmp_path / "ezhou.xlsx")
    sheet.title = ""
    assert sheet == expected
