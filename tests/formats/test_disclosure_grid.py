"""The grid reader shared by the XLSX and PDF importers: header by text, spans, body rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.money import MoneyUnit
from jixiao.errors import InputError
from jixiao.formats.disclosure_grid import GridCell, column_field, parse_preamble, read_grid, to_rate_text


@pytest.mark.parametrize(("path", "field"), [
    ("序号", "seq"),
    ("单位名称", "unit_name"),
    ("是否政府投资项目（是/否）", "gov_investment"),
    ("是否政府投资项目", "gov_investment"),
    ("项目年度预算金额", "budget"),
    ("项目年度预算金额（万元）", "budget"),
    ("实际支出金额›合计", "actual_total"),
    ("实际支出金额", "actual_total"),
    ("实际支出金额›其中：财政拨款›一般公共预算", "actual_general_budget"),
    ("实际支出金额›其中：财政拨款›政府性基金预算（含2019年政府专项债券资金）", "actual_gov_fund"),
    ("实际支出金额›非财政拨款资金", "actual_non_fiscal"),
    ("预算支出执行率", "execution_rate"),
    ("年初绩效目标", "annual_goal"),
    ("绩效目标整体完成情况", "overall_completion"),
    ("产出目标›数量指标›年度指标内容", "indicators.quantity.target"),
    ("产出指标›成本指标›完成情况", "indicators.cost.actual"),
    ("效益目标›生态效益指标›年度指标内容", "indicators.ecological.target"),
    ("效益指标›可持续影响指标›完成情况", "indicators.sustainability.actual"),
    ("满意度指标›服务对象满意度指标›年度指标内容", "indicators.satisfaction.target"),
    ("项目执行中存在的问题", "problems"),
    ("整改情况", "rectification"),
    ("备注", None),
    ("", None),
])
def test_column_fields_by_header_path(path, field):
    assert column_field(path) == field


def test_preamble_lines():
    pre = parse_preamble(["附件2-3：", "2019年度区工商联部门预算项目绩效自评情况公开表",
                          "部门名称（盖章）：深圳市龙岗区工商业联合会 单位：万元"])
    assert (pre.attachment, pre.title, pre.year, pre.department, pre.unit) == (
        "附件2-3", "2019年度区工商联部门预算项目绩效自评情况公开表", 2019, "深圳市龙岗区工商业联合会", MoneyUnit.WAN_YUAN)
    split = parse_preamble(["部门名称（盖章）：", "某区某局", "金额单位：元"])
    assert (split.department, split.unit) == ("某区某局", MoneyUnit.YUAN)


@pytest.mark.parametrize(("text", "out"), [
    ("99.74%", ("99.74%", False)), ("0.9974", ("99.74%", True)), ("98", ("98.00%", True)),
    ("", ("", False)), ("已完成", ("已完成", False)),
])
def test_rate_text(text, out):
    assert to_rate_text(text) == out


def grid(rows: list[list[str]], merges: dict[tuple[int, int], tuple[int, int]] | None = None):
    """Rows of text; ``merges`` maps a cell to the origin whose text it carries."""
    merges = merges or {}
    out = []
    for r, row in enumerate(rows):
        out.append([GridCell(rows[merges[(r, c)][0]][merges[(r, c)][1]] if (r, c) in merges else t,
                             merges.get((r, c), (r, c))) for c, t in enumerate(row)])
    return out


HEADER = ["序号", "项目名称", "项目年度预算金额", "实际支出金额", "数量指标年度指标内容", "数量指标完成情况"]


def test_page_split_row_continues_and_repeated_header_is_dropped():
    g = grid([
        HEADER,
        ["1", "甲", "10.00", "9.00", "培训≥2次，走访", "3次"],
        HEADER,  # printed again on the next page
        ["", "", "", "", "企业20家", ""],  # the rest of row 1, split by the page break
        ["2", "乙", "5", "5", "", ""],
    ])
    result = read_grid(g, ["2019年度某局部门预算项目绩效自评情况公开表", "部门名称（盖章）：某局", "单位：万元"],
                       kind="pdf", source="t")
    p1, p2 = result.table.projects
    assert p1.indicators["quantity"].target == "培训≥2次，走访企业20家"
    assert p2.budget == Decimal("5.00") and "quantity" not in p2.indicators
    assert result.report == []


def test_project_over_two_rows_with_merged_seq_joins_entries():
    g = grid([
        HEADER,
        ["1", "甲", "10", "9", "培训≥2次", "3次"],
        ["1", "甲", "10", "9", "走访≥20家", "25家"],
    ], merges={(2, 0): (1, 0), (2, 1): (1, 1), (2, 2): (1, 2), (2, 3): (1, 3)})
    result = read_grid(g, ["2019年度某局部门预算项目绩效自评情况公开表", "部门名称（盖章）：某局"], kind="xlsx", source="t")
    (p,) = result.table.projects
    assert (p.indicators["quantity"].target, p.indicators["quantity"].actual) == ("培训≥2次；走访≥20家", "3次；25家")
    assert p.budget == Decimal("10.00")  # the merged amount counts once


def test_index_row_totals_row_and_unreadable_amount_are_handled():
    g = grid([
        HEADER,
        ["1", "2", "3", "4", "5", "6"],  # 栏次
        ["合计", "", "15.00", "14.00", "", ""],
        ["1", "甲", "10", "九", "", ""],
        ["2", "乙", "5", "5", "", ""],
    ])
    result = read_grid(g, ["2019年度某局部门预算项目绩效自评情况公开表", "部门名称（盖章）：某局", "单位：万元"],
                       kind="xlsx", source="t")
    assert [p.seq for p in result.table.projects] == [1, 2]
    assert result.table.projects[0].actual_total is None
    assert result.confidence["projects[0].actual_total"] == 0.0
    assert any("'九'" in line for line in result.report)
    assert any("合计" in line and "14.00" in line for line in result.report)  # printed 14 ≠ computed 5
    assert not any("15.00" in line for line in result.report)  # budget total agrees


def test_no_header_is_a_different_table():
    with pytest.raises(InputError, match="different table"):
        read_grid(grid([["科目", "金额"], ["201", "1.00"]]), [], kind="xlsx", source="t")


def test_unrecognised_column_is_reported_not_imported():
    g = grid([HEADER + ["备注"], ["1", "甲", "10", "9", "", "", "上年结转"]])
    result = read_grid(g, ["2019年度某局部门预算项目绩效自评情况公开表", "部门名称（盖章）：某局"], kind="xlsx", source="t")
    assert any("备注" in line and "not recognised" in line for line in result.report)
    assert "上年结转" not in repr(result.table)
