"""JX612: a target that asks for less than the department's own earlier years — an approved
target or a completion its self-evaluation reported — is flagged with the year and the source;
ceilings (≤) the other way round, other units and other years left alone."""

from decimal import Decimal

import pytest

from jixiao.core.checks import CHECKS, CheckConfig, check_target_sheet
from jixiao.core.model import IndicatorCell, IndicatorItem, Project, Table
from jixiao.core.target_history import TargetHistory, history_of, name_key
from jixiao.core.target_sheet import TargetProject, TargetSheet, indicator_from_text
from jixiao.errors import InputError

D = Decimal
f = indicator_from_text


def sheet(year, *indicators, name="农村道路养护"):
    return TargetSheet(year, "甲部门", projects=[TargetProject(name, goal="完成农村道路日常养护", indicators=list(indicators))])


def evaluation(year, cells, name="农村道路养护"):
    return Table(year, "甲部门", projects=[Project(1, "甲单位", name, indicators=cells)])


def mof_row(name, target, actual):
    return IndicatorCell(items=[IndicatorItem(name=name, target=target, actual=actual)])


def found(current, history, config=None):
    return [f for f in check_target_sheet(current, config, history) if f.code == "JX612"]


def test_a_target_below_what_the_self_evaluation_reported_earlier_is_flagged_with_year_and_source():
    history = history_of(tables=[evaluation(2023, {"quantity": IndicatorCell("养护里程≥110公里", "完成养护130公里")})])
    [finding] = found(sheet(2025, f("quantity", "养护里程", "≥100公里")), history)
    assert finding.column == "indicators.0" and finding.severity == "warning"
    assert "低于本部门2023年自评表所报实际完成值「完成养护130公里」" in finding.message_zh and "请" in finding.message_zh
    assert "below the department's actual reported in the self-evaluation of 2023" in finding.message_en


def test_a_target_below_an_earlier_approved_target_is_flagged_as_that_years_approved_target():
    history = history_of(sheets=[sheet(2024, f("quantity", "养护里程", "≥120公里"))])
    [finding] = found(sheet(2025, f("quantity", "养护里程", "≥100公里")), history)
    assert "2024年经审核通过的绩效目标「≥120公里」" in finding.message_zh
    assert "approved target of 2024, “≥120公里”" in finding.message_en


def test_a_target_that_meets_the_earlier_years_is_not_flagged():
    history = history_of(sheets=[sheet(2024, f("quantity", "养护里程", "≥120公里"))],
                         tables=[evaluation(2023, {"quantity": mof_row("养护里程", "≥110公里", "130公里")})])
    assert found(sheet(2025, f("quantity", "养护里程", "≥130公里")), history) == []
    assert found(sheet(2025, f("quantity", "养护里程", "≥140公里")), history) == []


def test_the_most_demanding_earlier_value_is_the_one_named():
    history = history_of(sheets=[sheet(2024, f("quantity", "养护里程", "≥120公里"))],
                         tables=[evaluation(2022, {"quantity": mof_row("养护里程", "≥110公里", "150公里")}),
                                 evaluation(2023, {"quantity": mof_row("养护里程", "≥110公里", "125公里")})])
    [finding] = found(sheet(2025, f("quantity", "养护里程", "≥100公里")), history)
    assert "2022年" in finding.message_zh and "150公里" in finding.message_zh


def test_a_ceiling_looser_than_what_was_spent_or_approved_before_is_flagged():
    history = history_of(tables=[evaluation(2024, {"cost": mof_row("养护成本", "≤100万元", "92万元")})])
    [finding] = found(sheet(2025, f("cost", "养护成本", "≤100万元")), history)
    assert "高于本部门2024年自评表所报实际完成值「92万元」" in finding.message_zh and "上限" in finding.message_zh
    assert "is above the department's actual" in finding.message_en
    assert found(sheet(2025, f("cost", "养护成本", "≤90万元")), history) == []  # tighter than spent: sound
    approved = history_of(sheets=[sheet(2024, f("cost", "养护成本", "≤95万元"))])
    assert len(found(sheet(2025, f("cost", "养护成本", "≤100万元")), approved)) == 1


def test_an_earlier_target_of_the_other_direction_is_not_compared():
    history = history_of(sheets=[sheet(2024, f("cost", "养护成本", "≥120万元"))])  # a floor, not a ceiling
    assert found(sheet(2025, f("cost", "养护成本", "≤100万元")), history) == []


@pytest.mark.parametrize("earlier", ["130次", "130", "13%"])
def test_a_value_in_another_unit_is_not_compared(earlier):
    history = history_of(tables=[evaluation(2024, {"quantity": mof_row("养护里程", "≥10", earlier)})])
    assert found(sheet(2025, f("quantity", "养护里程", "≥100公里")), history) == []


def test_units_written_differently_but_meaning_the_same_are_compared():
    history = history_of(tables=[evaluation(2024, {"quantity": mof_row("培训人数", "≥100名", "140名")})])
    assert len(found(sheet(2025, f("quantity", "培训人数", "≥100人")), history)) == 1


def test_a_value_at_another_scale_of_the_same_unit_is_compared_in_one_unit():
    history = history_of(tables=[evaluation(2024, {"quantity": mof_row("养护里程", "≥100公里", "120公里")})])
    [finding] = found(sheet(2025, f("quantity", "养护里程", "≥100000米")), history)
    assert "「120公里」" in finding.message_zh
    assert found(sheet(2025, f("quantity", "养护里程", "≥120000米")), history) == []
    ceiling = history_of(sheets=[sheet(2024, f("cost", "养护成本", "≤95万元"))])
    assert len(found(sheet(2025, f("cost", "养护成本", "≤1000000元")), ceiling)) == 1  # 100万元 > 95万元
    assert found(sheet(2025, f("cost", "养护成本", "≤940000元")), ceiling) == []


def test_units_without_an_exact_factor_are_not_converted():
    history = history_of(tables=[evaluation(2024, {"quantity": mof_row("绿化面积", "≥1亩", "2亩")})])
    assert found(sheet(2025, f("quantity", "绿化面积", "≥1000平方米")), history) == []


def test_no_history_or_an_empty_one_finds_nothing():
    current = sheet(2025, f("quantity", "养护里程", "≥100公里"))
    assert "JX612" not in [x.code for x in check_target_sheet(current)]
    assert found(current, None) == [] and found(current, TargetHistory()) == []


def test_only_the_configured_years_before_the_sheets_year_count():
    history = history_of(tables=[evaluation(year, {"quantity": mof_row("养护里程", "≥1公里", "130公里")})
                                 for year in (2021, 2025, 2026)])
    current = sheet(2025, f("quantity", "养护里程", "≥100公里"))
    assert found(current, history) == []  # 2021 is four years back; 2025 and 2026 are not earlier
    assert len(found(current, history, CheckConfig(history_years=4))) == 1
    assert found(current, history, CheckConfig(history_years=0)) == []
    assert found(current, history, CheckConfig(history_years=4, disabled=("JX612",))) == []


def test_a_target_already_below_last_years_actual_is_flagged_again_only_for_a_higher_earlier_value():
    def codes(current, disabled=("JX603",)):
        return [x.code for x in check_target_sheet(current, CheckConfig(disabled=disabled), history)]

    history = history_of(tables=[evaluation(2024, {"quantity": mof_row("养护里程", "≥1公里", "130公里")})])
    same = sheet(2025, f("quantity", "养护里程", "≥100公里", last_actual="130公里"))
    assert codes(same) == ["JX604"]
    higher = sheet(2025, f("quantity", "养护里程", "≥100公里", last_actual="120公里"))
    assert codes(higher) == ["JX604", "JX612"]
    assert codes(same, disabled=("JX603", "JX604")) == ["JX612"]


def test_projects_and_indicators_match_by_name_whatever_the_spacing_full_width_forms_and_year():
    history = history_of(tables=[evaluation(2024, {"quantity": mof_row("养护 里程（ＫＭ）", "≥1公里", "130公里")},
                                            name="2024年度农村道路养护")])
    current = sheet(2025, f("quantity", "养护里程(KM)", "≥100公里"), name="2025年农村道路 养护")
    assert len(found(current, history)) == 1
    assert name_key("2024年度农村道路养护", project=True) == name_key("农村道路养护", project=True)
    assert found(sheet(2025, f("quantity", "养护里程(KM)", "≥100公里"), name="城市道路养护"), history) == []


def test_a_completion_that_copies_or_only_claims_its_target_is_no_earlier_value():
    history = history_of(tables=[evaluation(2024, {
        "quantity": mof_row("养护里程", "≥130公里", "≥130公里"),  # restates the target
        "quality": mof_row("路况优良率", "≥95%", "达到"),  # words only
        "cost": IndicatorCell("养护成本≤100万元", "100.00%"),  # a bare percentage, not the amount
    })])
    assert len(history) == 0


def test_the_table_cells_items_are_named_by_their_targets_subject():
    cell = IndicatorCell("参加党务干部人数≧100；新建党组织个数≧10", "参加的党务干部140人次；新建26个")
    history = history_of(tables=[evaluation(2024, {"quantity": cell})])
    assert [v.value for v in history.of("农村道路养护", "参加党务干部人数")] == [D(140)]
    assert [v.value for v in history.of("农村道路养护", "新建党组织个数")] == [D(26)]
    assert history.summary() == [(2024, "completion", 2)]


def test_a_not_applicable_cell_and_qualitative_targets_give_nothing():
    cell = IndicatorCell("生态效益≥10", "20", not_applicable=True)
    history = history_of(sheets=[sheet(2024, f("timeliness", "完成时间", "2024年12月31日前"))],
                         tables=[evaluation(2024, {"ecological": cell})])
    assert len(history) == 0


def test_jx612_is_in_the_one_registry_with_its_setting():
    assert CHECKS["JX612"].scope == "history" and CHECKS["JX612"].severity == "warning"
    assert CheckConfig.from_dict({"history_years": 5}).history_years == 5
    for bad in (-1, 1.5, "3", True):
        with pytest.raises(InputError):
            CheckConfig.from_dict({"history_years": bad})
