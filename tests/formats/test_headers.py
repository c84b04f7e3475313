from dataclasses import replace
from decimal import Decimal

from jixiao.core.taxonomy import FULL
from jixiao.formats import headers


def test_seed_header_grid_is_fully_covered_without_overlap(seed_table):
    cells = headers.header_cells(seed_table)
    depth = headers.header_depth(seed_table)
    width = len(headers.body_columns(seed_table))
    assert depth == 3 and width == 28
    grid: dict[tuple[int, int], str] = {}
    for c in cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                assert (r, k) not in grid, f"{c.text} overlaps {grid[(r, k)]}"
                grid[(r, k)] = c.text
    assert len(grid) == depth * width


def test_seed_header_texts_and_spans(seed_table):
    by_text = {}
    for c in headers.header_cells(seed_table):
        by_text.setdefault(c.text, []).append(c)
    actual = by_text["实际支出金额"][0]
    assert (actual.row, actual.col, actual.rowspan, actual.colspan) == (0, 5, 1, 4)
    fiscal = by_text["其中：财政拨款"][0]
    assert (fiscal.row, fiscal.col, fiscal.colspan) == (1, 6, 2)
    fund = by_text["政府性基金预算（含2019年政府专项债券资金）"][0]
    assert (fund.row, fund.col) == (2, 7)
    assert by_text["序号"][0].rowspan == 3
    assert by_text["产出目标"][0].colspan == 6
    assert by_text["效益目标"][0].colspan == 6
    assert by_text["满意度指标"][0].colspan == 2
    assert len(by_text["年度指标内容"]) == 7 and len(by_text["完成情况"]) == 7
    last = max(headers.header_cells(seed_table), key=lambda c: c.col)
    assert last.text == "整改情况"


def test_year_goes_into_the_gov_fund_header(seed_table):
    texts = [c.text for c in headers.header_cells(replace(seed_table, year=2023))]
    assert "政府性基金预算（含2023年政府专项债券资金）" in texts


def test_full_layout_adds_cost_and_sustainability_columns(seed_table):
    full = replace(seed_table, layout=FULL)
    labels = [c.label for c in headers.body_columns(full)]
    assert "成本指标_年度指标内容" in labels and "可持续影响指标_完成情况" in labels
    assert len(labels) == 28 + 4
    output = next(c for c in headers.header_cells(full) if c.text == "产出目标")
    assert output.colspan == 8


def test_body_columns_have_flat_labels_in_order(seed_table):
    cols = headers.body_columns(seed_table)
    assert [c.label for c in cols[:6]] == ["序号", "单位名称", "项目名称", "是否政府投资项目",
                                           "项目年度预算金额", "实际支出金额_合计"]
    assert cols[12].key == "indicators.quantity.target" and cols[12].label == "数量指标_年度指标内容"
    assert cols[13].label == "数量指标_完成情况"
    assert [c.kind for c in cols[4:10]] == ["amount"] * 5 + ["rate"]


def test_column_text_prints_the_table_as_written(seed_table):
    cols = {c.key: c for c in headers.body_columns(seed_table)}
    p = seed_table.projects[0]
    assert headers.column_text(p, cols["budget"]) == "3.80"
    assert headers.column_text(p, cols["execution_rate"]) == "99.74%"
    assert headers.column_text(p, cols["gov_investment"]) == "否"
    assert headers.column_text(p, cols["indicators.quantity.target"]) == "电脑3台，办公桌椅1批"
    assert headers.column_value(p, cols["budget"]) == Decimal("3.80")


def test_rate_prefers_the_printed_value_and_flags_a_difference(seed_table):
    p = replace(seed_table.projects[0], execution_rate_text="98.00%")
    assert headers.reported_or_computed_rate(p) == Decimal("98.00")
    assert headers.rate_differs(p)
    blank = replace(p, execution_rate_text="")
    assert headers.reported_or_computed_rate(blank) == Decimal("99.74")
    assert headers.rate_text(blank) == "99.74%"
    assert not headers.rate_differs(seed_table.projects[0])


def test_totals_row_is_computed(seed_table):
    text = headers.totals_text(seed_table)
    assert text["seq"] == "合计"
    assert text["budget"] == "491.59" and text["actual_total"] == "489.20"
    assert text["execution_rate"] == "99.51%"
    assert text["annual_goal"] == ""
