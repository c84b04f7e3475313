"""The 绩效目标表 model: a target written in one cell is read into 指标性质, value and unit."""

from decimal import Decimal

import pytest

from jixiao.core.target_sheet import (TargetIndicator, TargetProject, TargetSheet, indicator_from_text, read_basis,
                                      read_nature, read_number)


@pytest.mark.parametrize("kind, text, nature, value, unit", [
    ("satisfaction", "≥95%", ">=", "95", "%"),
    ("quantity", "10辆", "=", "10", "辆"),  # 湘潭 2023: a number without an operator is =
    ("quality", ">92%", ">=", "92", "%"),  # 鄂州 2022: > is read as ≥, the form's 指标性质 has no >
    ("cost", "250万", "<=", "250", "万元"),  # a cost amount is a ceiling; a bare 万 is 万元
    ("cost", "≤202.6万元", "<=", "202.6", "万元"),
    ("quantity", "2280次", "=", "2280", "次"),
    ("quality", "优良", "qualitative", "优良", ""),
    ("timeliness", "2023年12月31日前", "qualitative", "2023年12月31日前", ""),
])
def test_a_target_written_in_one_cell_is_read_into_nature_value_and_unit(kind, text, nature, value, unit):
    ind = indicator_from_text(kind, "名称", text)
    assert (ind.nature, ind.value, ind.unit) == (nature, value, unit)


def test_a_target_the_parser_cannot_read_is_kept_verbatim_without_a_nature():
    ind = indicator_from_text("quantity", "名称", "5—6家")
    assert ind.nature is None and ind.value == "5—6家"


def test_the_target_text_prints_the_symbol_the_value_and_the_unit():
    assert TargetIndicator("quality", "合格率", ">=", "95", "%").target_text() == "≥95%"
    assert TargetIndicator("timeliness", "完成时间", "qualitative", "12月底前").target_text() == "12月底前"


def test_the_nature_column_is_read_as_real_forms_write_it():
    assert [read_nature(t) for t in ("≥", "≧", "＞", "≤", "＝", "定性", "正向指标", "", "?")] == \
        [">=", ">=", ">=", "<=", "=", "qualitative", ">=", None, None]


def test_the_basis_column_is_read_into_its_four_sources():
    assert [read_basis(t) for t in ("计划标准", "行业标准", "历史标准", "其他", "财政部门公布的标准", "")] == \
        ["plan", "industry", "history", "other", "other", None]


def test_a_value_is_a_number_only_when_it_is_nothing_but_a_number():
    assert read_number("1,234.5") == Decimal("1234.5")
    assert read_number("９５") == Decimal("95")
    assert read_number("95%") is None and read_number("") is None


def test_the_funds_sources_add_up_when_either_is_given():
    p = TargetProject("x", total=Decimal("10606.7522"), fiscal=Decimal("6923.3552"), other=Decimal("3683.3970"))
    assert p.funds_sum == p.total
    assert TargetProject("y").funds_sum is None


def test_the_sheet_title_defaults_to_the_year_and_department():
    assert TargetSheet(2024, "某局").display_title == "2024年度某局项目支出绩效目标表"
