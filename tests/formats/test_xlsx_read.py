"""XLSX import: hand-made official-layout workbooks, layouts people really fill in, and
round trips through jixiao's own XLSX export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.core.money import MoneyUnit
from jixiao.core.taxonomy import FULL
from jixiao.errors import InputError
from jixiao.formats import table_json
from jixiao.formats.importer import import_file
from jixiao.formats.xlsx_read import format_number

from .cells import compare

XLSX = Path(__file__).parent.parent / "fixtures" / "xlsx"


@pytest.mark.parametrize("name", ["seed-wan", "yuan-cost", "multipage", "latin-wrap"])
def test_fixture_workbooks_import_every_cell_exactly(name):
    expected = table_json.load(XLSX / f"{name}.expected.json")
    result = import_file(XLSX / f"{name}.xlsx")
    share, bad = compare(result.table, expected)
    print(f"{name}.xlsx: {share:.2%} of cells exact")
    assert bad == [] and share == 1.0
    assert result.kind == "xlsx"


def test_seed_workbook_notes_the_extra_sheet_and_keeps_rates_as_printed():
    result = import_file(XLSX / "seed-wan.xlsx")
    assert any("填表说明" in line for line in result.report)
    p = result.table.projects[0]
    assert p.execution_rate_text == "99.74%"  # stored as 0.9974 with a 0.00% format
    assert p.budget == Decimal("3.80") and str(p.budget) == "3.80"  # stored as the float 3.8
    assert result.table.money_unit is MoneyUnit.WAN_YUAN
    assert result.confidence["projects[2].indicators.quantity.target"] == 1.0


def test_yuan_workbook_with_cost_column_merges_and_a_wrong_total():
    result = import_file(XLSX / "yuan-cost.xlsx")
    t = result.table
    assert t.money_unit is MoneyUnit.YUAN and t.layout == FULL and t.year == 2019
    assert t.projects[0].budget == Decimal("38000.00")  # "38,000.00" stored as text
    assert t.projects[0].indicators["cost"].target.startswith("项目成本控制在")
    assert all(p.unit_name == "区工商联" for p in t.projects)  # merged down the whole body
    assert t.projects[2].indicators["quantity"].target.count("；") == 3  # two rows joined
    assert [p.seq for p in t.projects] == [1, 2, 3, 4, 5, 6]
    assert any("取表头中的 2019 年" in line for line in result.report)
    assert sum("合计" in line and "1000.00" in line for line in result.report) == 5


@pytest.mark.parametrize(("value", "fmt", "text"), [
    (0.9974, "0.00%", "99.74%"),
    (1, "0%", "100%"),
    (3.8, "0.00", "3.80"),
    (1234.5, "#,##0.00", "1234.50"),
    (3.0, "General", "3"),
    (0.1 + 0.2, "General", "0.30000000000000004"),
    (12, "General", "12"),
])
def test_numbers_render_through_their_format(value, fmt, text):
    assert format_number(value, fmt) == text


def _sheet(rows, merges=(), path=None, extra=None):
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    for m in merges:
        ws.merge_cells(m)
    if extra:
        extra(wb)
    wb.save(path)
    return path


HEADER = ["序号", "单位名称", "项目名称", "项目年度预算金额", "实际支出金额", "预算支出执行率", "年初绩效目标",
          "数量指标年度指标内容", "数量指标完成情况", "问题", "整改情况"]


def test_header_is_found_by_text_anywhere_and_columns_in_any_order(tmp_path):
    header = ["项目名称", "序号", "预算支出执行率", "项目年度预算金额", "实际支出金额", "单位名称"]
    rows = [
        [None, None, "2021年度某局部门预算项目绩效自评情况公开表"],
        [None, "部门名称（盖章）：某市某区某局", None, None, "单位：元"],
        [], [None] + header,
        [None, "办公设备", "1", 0.5, "1,000", 500, "某局"],
        [None, "信息化", 2, "0.8", 1000, "800.00", "某局"],
        [None, "注：本表金额为元。"],
    ]
    result = import_file(_sheet(rows, path=tmp_path / "a.xlsx"))
    t = result.table
    assert (t.year, t.department, t.money_unit) == (2021, "某市某区某局", MoneyUnit.YUAN)
    assert [(p.seq, p.name, p.unit_name, p.budget, p.actual_total, p.execution_rate_text) for p in t.projects] == [
        (1, "办公设备", "某局", Decimal("1000.00"), Decimal("500.00"), "50.00%"),
        (2, "信息化", "某局", Decimal("1000.00"), Decimal("800.00"), "80.00%"),
    ]
    assert any("没有百分号" in line for line in result.report)  # rates written as bare fractions
    assert any("注：本表金额为元" in line for line in result.report)


def test_merged_header_of_any_span_and_blank_seq_rows(tmp_path):
    rows = [
        ["2020年度测试部门预算项目绩效自评情况公开表"],
        ["序号", "项目名称", None, "实际支出金额", None, "产出指标", None, None, None],
        [None, None, None, "合计", "一般公共预算", "数量指标", None, "质量指标", None],
        [None, None, None, None, None, "年度指标内容", "完成情况", "年度指标内容", "完成情况"],
        [1, "甲项目", None, 10, 10, "培训≥2次", "3次", "合格", "合格"],
        [None, "乙项目", None, 5, 5, "", "", "", ""],
        [None, None, None, None, None, "（续）再培训1次", None, None, None],
        [None, None, None, None, None, None, None, None, None],
        ["合计", None, None, 99, 15, None, None, None, None],
    ]
    merges = ["A2:A4", "B2:C4", "D2:E2", "D3:D4", "E3:E4", "F2:I2", "F3:G3", "H3:I3", "B5:C5", "B6:C6", "A9:C9"]
    result = import_file(_sheet(rows, merges, path=tmp_path / "b.xlsx"))
    t = result.table
    assert [p.name for p in t.projects] == ["甲项目", "乙项目"]
    assert [p.seq for p in t.projects] == [1, 2]
    assert t.projects[0].indicators["quality"].actual == "合格"
    assert t.projects[1].indicators["quantity"].target == "（续）再培训1次"
    assert t.department == "测试"  # no stamp line: the name in the title, reported
    assert any("部门取“测试”" in line for line in result.report)
    assert any("没有序号" in line for line in result.report)
    assert any("合计" in line and "99.00" in line for line in result.report)  # 99 ≠ 10 + 5
    assert any("没有找到金额单位" in line for line in result.report)


def test_a_different_table_is_refused(tmp_path):
    rows = [["2019年度一般公共预算财政拨款支出决算表"], ["科目编码", "科目名称", "年初预算数", "决算数"],
            ["201", "一般公共服务支出", 10, 9]]
    with pytest.raises(InputError) as err:
        import_file(_sheet(rows, path=tmp_path / "c.xlsx"))
    assert "不同" in err.value.message_zh or "另一种" in err.value.message_zh
    assert "different table" in err.value.message_en


def test_header_without_projects_is_refused(tmp_path):
    rows = [["2019年度某部门预算项目绩效自评情况公开表"], HEADER]
    with pytest.raises(InputError, match="no project rows"):
        import_file(_sheet(rows, path=tmp_path / "d.xlsx"))


def test_workbook_without_year_is_refused(tmp_path):
    rows = [["某部门预算项目绩效自评情况公开表"], HEADER, [1, "某局", "甲", 1, 1, "100.00%", "x", "a", "b", "无", "无"]]
    with pytest.raises(InputError, match="year"):
        import_file(_sheet(rows, path=tmp_path / "e.xlsx"))


# --- round trips through jixiao's own XLSX export -----------------------------------------------

def _round_trip(table, tmp_path):
    from jixiao.formats.xlsx_write import write_disclosure_xlsx

    path = tmp_path / "t.xlsx"
    write_disclosure_xlsx(table, path)
    return compare(import_file(path).table, table)


def test_round_trip_seed(seed_table, tmp_path):
    share, bad = _round_trip(seed_table, tmp_path)
    print(f"seed XLSX round trip: {share:.2%} of cells exact")
    assert bad == []


@pytest.mark.parametrize(("projects", "seed", "share", "layout", "unit"), [
    (25, 1, 0.0, None, MoneyUnit.WAN_YUAN),
    (15, 2, 0.4, None, MoneyUnit.YUAN),  # messy rows: bad rates, blank budgets, placeholders
    (10, 3, 0.0, FULL, MoneyUnit.WAN_YUAN),
])
def test_round_trip_generated(tmp_path, projects, seed, share, layout, unit):
    from jixiao.generate import generate_table

    kwargs = {"layout": layout} if layout else {}
    table = generate_table(projects=projects, seed=seed, inconsistent_share=share, **kwargs).converted(unit)
    got, bad = _round_trip(table, tmp_path)
    print(f"generated ({projects}, seed {seed}) XLSX round trip: {got:.2%} of cells exact")
    assert bad == []
