"""Reading the MoF 项目支出绩效自评表: jixiao's own XLSX and PDF forms come back with the same
texts and numbers, a real form laid out by hand reads field by field, and what is not a whole
form, or forms of several departments, is refused with a message (exit 2, nothing written)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.cli import main
from jixiao.core.model import Table
from jixiao.errors import InputError
from jixiao.formats import export, mof_grid, mof_read, table_json
from jixiao.formats.importer import import_file


def _grid_rows(form: mof_grid.MofForm) -> list[list[object]]:
    """The form's indicator rows as printed: [二级, 三级, 年度指标值, 实际完成值, 分值, 得分]."""
    by_row: dict[int, dict[int, mof_grid.FormCell]] = {}
    for c in form.cells:
        by_row.setdefault(c.row, {})[c.col] = c
    out = []
    for r in range(form.indicator_header_row + 1, form.n_rows - 2):
        cells = by_row.get(r, {})
        if 2 in cells:
            out.append([cells[c].value if c in cells else None for c in (2, 3, 4, 5, 6)])
    return out


def _blank(text: object) -> object:
    return "" if text == mof_grid.DASH else text


def assert_same_as_exported(imported: Table, seed: Table) -> None:
    """Every text and number the exported forms print comes back in its field."""
    forms = mof_grid.build_forms(seed)
    assert (imported.year, imported.department, imported.money_unit) == (seed.year, seed.department, seed.money_unit)
    assert len(imported.projects) == len(seed.projects)
    for got, want, form in zip(imported.projects, seed.projects, forms):
        assert (got.name, got.unit_name, got.annual_goal, got.overall_completion) == (
            want.name, want.unit_name, want.annual_goal, want.overall_completion)
        assert (got.budget, got.actual_total, got.actual_non_fiscal) == (
            want.budget, want.actual_total, want.actual_non_fiscal)
        assert got.actual_general_budget == want.actual_general_budget + want.actual_gov_fund
        assert got.execution_rate_text == want.execution_rate_text
        items = [[_blank(i.name), i.target, i.actual, i.weight, i.published_score]
                 for _, cell in got.sorted_indicators() for i in cell.items]
        printed = [[_blank(v) for v in row] for row in _grid_rows(form)]
        assert items == printed
        score = [c for c in form.cells if c.row == form.n_rows - 2 and c.col == 6][0].value
        assert got.published.total == score
        assert got.published.grade == [c for c in form.cells if c.row == form.n_rows - 1 and c.col == 5][0].value
        assert got.published.execution_weight == Decimal(10)


@pytest.fixture(scope="module")
def seed() -> Table:
    return table_json.load(Path(__file__).parents[1] / "fixtures" / "selfeval-2019-longgang-gsl.golden.json")


@pytest.mark.parametrize("suffix, engine", [("xlsx", None), pytest.param("pdf", "typst", marks=pytest.mark.slow),
                                            pytest.param("pdf", "weasyprint", marks=pytest.mark.slow)])
def test_our_own_mof_export_imports_with_the_same_texts_and_numbers(tmp_path, seed, suffix, engine):
    options = {"pdf_engine": engine} if engine else {}
    path = export.export(seed, tmp_path / f"forms.{suffix}", layout="mof-form", **options)
    result = import_file(path)
    assert result.kind == suffix
    assert_same_as_exported(result.table, seed)
    assert result.table.profile == "central" and result.table.projects[0].initial_budget is None


def _without_scores(table: Table) -> str:
    """The table JSON without the 得分 column, 总分 and 等级: an export prints jixiao's suggested
    scores there, not the ones the imported form printed."""
    doc = table_json.to_document(table)
    for p in doc["projects"]:
        p["published"] = {k: v for k, v in p["published"].items() if k in ("execution_weight", "category_weights")}
        for cell in p["indicators"].values():
            for item in cell.get("items", []):
                item.pop("published_score", None)
    return str(doc)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["xlsx", "pdf"])
def test_an_imported_form_exports_and_imports_again_unchanged(tmp_path, seed, suffix):
    first = import_file(export.export(seed, tmp_path / f"a.{suffix}", layout="mof-form")).table
    again = import_file(export.export(first, tmp_path / f"b.{suffix}", layout="mof-form")).table
    assert _without_scores(again) == _without_scores(first)


# A real form, laid out by hand: 池州市贵池区棠溪镇 委托业务项目 (2022), as the page holding it was
# stored (anthempetcare.com repost of the published attachment). The stored text stops inside
# the 满意度 row, so this is also a real half form: no 满意度 item, no 总分.
TANGXI = [
    ["项目支出绩效自评表"],
    ["（2022年度）"],
    ["项目名称", None, "委托业务项目"],
    ["主管部门", None, "219-池州市贵池区棠溪镇人民政府", None, None, "实施单位", "219001-池州市贵池区棠溪镇人民政府"],
    ["项目资金 (万元)", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额:", "0", "0", "0", "10", "0", "0"],
    [None, "其中:本年财政拨款", "90", "89.974", "89.974"],
    [None, "上年结转资金"],
    [None, "其他资金"],
    ["年度总体目标", None, "预期目标", None, None, "实际完成情况"],
    [None, None, "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
     "30万元用于基建工程项目设计、规划、测绘。", None, None,
     "本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
     "29.99万元用于基建工程项目设计、规划、测绘。"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ["产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个", "50", "8", "8"],
    [None, "质量指标", "委托业务报告合格率", "≥100百分比", "100", "8", "8"],
    [None, None, "经费支出合规性", "严格执行相关制度规定", "达成预期指标", "8", "8"],
    [None, "时效指标", "提交报告及时性", "在项目计划完成时间内完成", "达成预期指标", "8", "8"],
    [None, "成本指标", "项目总成本", "≤90万元", "90", "8", "8"],
    [None, None, "单项业务成本", "符合相关规定", "达成预期指标", "10", "10"],
    ["效益指标(30分)", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显", "达成预期指标", "10", "10"],
    [None, "生态效益指标", "对控制基建项目成本影响程度", "效果明显", "达成预期指标", "10", "10"],
    [None, "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显", "达成预期指标", "10", "10"],
    [None, "经济效益指标"],
]


# 项目资金 beside its four rows, 产出指标(50分) over its rows, 质量指标 and 成本指标 over theirs.
TANGXI_MERGES = ("A5:A9", "A13:A18", "B14:B15", "B17:B18")


def _sheet(wb: Workbook, title: str, rows: list[list[object]], merges=TANGXI_MERGES) -> None:
    ws = wb.create_sheet(title)
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)


def _workbook(tmp_path, *sheets: tuple[str, list[list[object]]], merges=TANGXI_MERGES) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        _sheet(wb, title, rows, merges)
    path = tmp_path / "forms.xlsx"
    wb.save(path)
    return path


def test_a_real_form_laid_out_by_hand_reads_field_by_field(tmp_path):
    result = import_file(_workbook(tmp_path, ("棠溪镇", TANGXI)))
    table = result.table
    assert (table.year, table.department, table.money_unit.value) == (2022, "219-池州市贵池区棠溪镇人民政府", "万元")
    p = table.projects[0]
    assert (p.name, p.unit_name) == ("委托业务项目", "219001-池州市贵池区棠溪镇人民政府")
    assert (p.initial_budget, p.budget, p.actual_total, p.execution_rate_text) == (0, 0, 0, "0")
    assert p.actual_general_budget == Decimal("89.974")
    assert p.annual_goal.startswith("本项目共申请预算资金90万元") and p.overall_completion.endswith("测绘。")
    assert (p.published.execution_weight, p.published.execution_score) == (10, 0)
    assert p.published.category_weights == {"output": 50, "outcome": 30}
    quality = p.indicators["quality"]
    assert [(i.name, i.target, i.actual, i.weight, i.published_score) for i in quality.items] == [
        ("委托业务报告合格率", "≥100百分比", "100", 8, 8), ("经费支出合规性", "严格执行相关制度规定", "达成预期指标", 8, 8)]
    assert quality.target == "委托业务报告合格率≥100百分比；经费支出合规性严格执行相关制度规定"
    assert quality.actual == "100；达成预期指标"
    assert sorted(p.indicators) == ["cost", "ecological", "quality", "quantity", "social", "sustainability",
                                    "timeliness"]
    assert sum(i.weight for c in p.indicators.values() for i in c.items) == 80  # 50 + 30, as labelled
    # What the stored page lacks is reported, never made up.
    report = "\n".join(result.report)
    assert "no 总分" in report and "经济效益指标" in report
    assert p.published.total is None and "satisfaction" not in p.indicators


def test_forms_of_several_departments_or_years_are_refused_naming_them(tmp_path):
    other = copy.deepcopy(TANGXI)
    other[1] = ["（2021年度）"]
    with pytest.raises(InputError) as exc:
        import_file(_workbook(tmp_path, ("a", TANGXI), ("b", other)))
    assert "2022" in exc.value.message_en and "2021" in exc.value.message_en
    assert "several departments or years" in exc.value.message_en and "多个部门或年度" in exc.value.message_zh


def test_forms_of_one_department_and_year_are_one_table(tmp_path):
    second = copy.deepcopy(TANGXI)
    second[2] = ["项目名称", None, "另一个委托业务项目"]
    table = import_file(_workbook(tmp_path, ("a", TANGXI), ("b", second))).table
    assert [(p.seq, p.name) for p in table.projects] == [(1, "委托业务项目"), (2, "另一个委托业务项目")]


def test_several_forms_on_one_sheet_are_told_apart_by_their_titles(tmp_path):
    second = copy.deepcopy(TANGXI)
    second[2] = ["项目名称", None, "另一个委托业务项目"]
    wb = Workbook()
    ws = wb.active
    for row in TANGXI + [[], ["注：此表由单位填报"]] + second:
        ws.append(row)
    path = tmp_path / "one-sheet.xlsx"
    wb.save(path)
    table = import_file(path).table
    assert [p.name for p in table.projects] == ["委托业务项目", "另一个委托业务项目"]
    assert [len(p.indicators) for p in table.projects] == [7, 7]


@pytest.mark.parametrize("cut, missing", [
    (11, "indicator header"),  # everything above the 绩效指标 block
    (12, "indicator rows"),  # the header and nothing under it
])
def test_half_a_form_is_refused_with_exit_2_and_nothing_written(tmp_path, cut, missing):
    path = _workbook(tmp_path, ("a", TANGXI[:cut]))
    with pytest.raises(InputError) as exc:
        import_file(path)
    assert missing in exc.value.message_en
    out = tmp_path / "t.json"
    assert main(["import", str(path), "-o", str(out)]) == 2
    assert not out.exists()


def test_a_form_without_project_name_is_refused(tmp_path):
    rows = [r for r in TANGXI if r[:1] != ["项目名称"]]
    with pytest.raises(InputError) as exc:
        import_file(_workbook(tmp_path, ("a", rows)))
    assert "项目名称" in exc.value.message_zh


def test_execution_weighted_20_is_the_hubei_profile_and_columns_are_read_by_their_headers(tmp_path):
    rows = copy.deepcopy(TANGXI)
    rows[5] = [None, "年度资金总额:", "90", "90", "89.974", "20", "99.97%", "19.99"]
    # 分值 before 年度指标值 and 全年实际值 for 实际完成值 (Sichuan county forms).
    rows[11] = ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "偏差原因分析及改进措施"]
    for r in range(12, 21):
        row = rows[r]
        rows[r] = [row[0], row[1], row[2], row[5], row[3], row[4], row[6]]
    rows += [["总分", None, None, "80", None, None, "79.99分"], ["评价等级", None, "良"]]
    table = import_file(_workbook(tmp_path, ("a", rows))).table
    p = table.projects[0]
    assert table.profile == "hubei" and p.published.execution_weight == 20
    assert (p.published.total, p.published.total_text, p.published.grade) == (Decimal("79.99"), "79.99分", "良")
    assert [(i.target, i.actual, i.weight) for i in p.indicators["quantity"].items] == [("≥50个", "50", 8)]


def test_a_disclosure_table_is_not_taken_for_a_form():
    seed_xlsx = Path(__file__).parents[1] / "fixtures" / "xlsx" / "seed-wan.xlsx"
    assert not mof_read.is_mof_xlsx(seed_xlsx)
    assert len(import_file(seed_xlsx).table.projects) == 6


def test_split_target_columns_are_joined_into_the_value(tmp_path):
    rows = copy.deepcopy(TANGXI)[:12] + [
        ["一级指标", "二级指标", "三级指标", "年度指标值", None, None, "实际完成值", "分值", "得分"],
        [None, None, None, "指标性质", "指标值", "度量单位"],
        ["产出指标", "数量指标", "学生受资助人数", "≧", "735", "人次", "735", "10", "10"],
        ["满意度指标", "服务对象满意度指标等", "家长满意度", "≧", "95", "%", "100%", "10", "10"],
        ["总分", None, None, None, None, None, None, "100", "96", "评价等级：优"],
    ]
    del rows[11]
    table = import_file(_workbook(tmp_path, ("a", rows), merges=("A5:A9", "D12:F12"))).table
    p = table.projects[0]
    assert [(i.name, i.target, i.actual) for i in p.indicators["quantity"].items] == [("学生受资助人数", "≧735人次", "735")]
    assert [i.target for i in p.indicators["satisfaction"].items] == ["≧95%"]
    assert (p.published.total, p.published.grade) == (96, "优")


@pytest.mark.slow
def test_pdftotext_layout_text_of_our_own_forms_reads_every_head_and_money_field(tmp_path, seed):
    import subprocess

    pdf = export.export(seed, tmp_path / "forms.pdf", layout="mof-form")
    text = tmp_path / "forms.txt"
    subprocess.run(["pdftotext", "-layout", str(pdf), str(text)], check=True)
    result = import_file(text)
    assert result.kind == "text" and "check against the original" in " ".join(result.report)
    exact = import_file(pdf).table
    got = result.table
    assert (got.year, got.department) == (exact.year, exact.department)
    for a, b in zip(got.projects, exact.projects):
        assert (a.name, a.unit_name, a.budget, a.actual_total, a.execution_rate_text, a.actual_non_fiscal) == (
            b.name, b.unit_name, b.budget, b.actual_total, b.execution_rate_text, b.actual_non_fiscal)
        assert (a.published.total, a.published.grade, a.published.execution_score) == (
            b.published.total, b.published.grade, b.published.execution_score)
    first_a, first_b = got.projects[0], exact.projects[0]  # short cells: every row exact
    assert table_json.to_document(Table(2019, "x", [first_a]))["projects"] == \
        table_json.to_document(Table(2019, "x", [first_b]))["projects"]


def test_pdftotext_text_without_layout_is_refused(tmp_path, seed):
    import subprocess

    pdf = export.export(seed, tmp_path / "forms.pdf", layout="mof-form")
    text = tmp_path / "forms.txt"
    subprocess.run(["pdftotext", str(pdf), str(text)], check=True)
    with pytest.raises(InputError) as exc:
        import_file(text)
    assert "-layout" in exc.value.message_en and "-layout" in exc.value.message_zh
    out = tmp_path / "t.json"
    assert main(["import", str(text), "-o", str(out)]) == 2 and not out.exists()


def test_printed_points_that_do_not_add_up_are_reported(tmp_path):
    rows = copy.deepcopy(TANGXI) + [["总分", None, None, None, None, "100", "99"]]
    report = " ".join(import_file(_workbook(tmp_path, ("a", rows))).report)
    assert "add up to 90" in report and "not to the 100" in report  # 10 + 80, printed 100
