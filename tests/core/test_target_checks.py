"""Target-quality checks (JX6xx): each finds its weakness, says why and how to fix it, in
Chinese and English from the reasons catalogue, and stays silent on a sound target."""

from decimal import Decimal

import pytest

from jixiao.core.checks import CHECKS, CheckConfig, check_target_sheet
from jixiao.core.reasons import CATALOGUE
from jixiao.core.target_checks import deadline_year
from jixiao.core.target_sheet import TargetIndicator, TargetProject, TargetSheet, indicator_from_text

D = Decimal


def sound_project(name="雾炮车降尘抑尘服务", goal="采购雾炮车降尘抑尘服务，全市空气质量达到优良") -> TargetProject:
    f = indicator_from_text
    return TargetProject(name, "湘潭市城市管理和综合执法局", "湘潭市环境卫生管理处", D(250), D(250), D(0), goal, [
        f("quantity", f"{name}配备车辆数", "10辆", weight=D(20), basis="plan", last_actual="8辆"),
        f("quality", f"{name}服务周期内空气质量", "优良", weight=D(15), basis="plan"),
        f("timeliness", f"{name}服务完成时间", "2023年12月31日前", weight=D(5)),
        f("cost", f"{name}控制在预算成本内", "≤250万元", weight=D(10)),
        f("social", f"{name}市民对空气质量改善的满意程度", "≥85%", weight=D(30)),
        f("satisfaction", "市民满意度", "≥90%", weight=D(10)),
    ])


def codes(sheet, config=None):
    return [f.code for f in check_target_sheet(sheet, config)]


def test_a_sound_sheet_has_no_finding():
    assert codes(TargetSheet(2023, "湘潭市环境卫生管理处", projects=[sound_project(), sound_project("另一项目", "另一目标")])) == []


def with_indicator(ind: TargetIndicator, **project) -> TargetSheet:
    p = sound_project()
    p.indicators.append(ind)
    for k, v in project.items():
        setattr(p, k, v)
    for i in p.indicators:
        i.weight = None
    return TargetSheet(2023, "某局", projects=[p])


@pytest.mark.parametrize("ind, code", [
    (TargetIndicator("quantity", "培训人数", ">=", "", ""), "JX601"),
    (TargetIndicator("quantity", "培训人数", ">=", "100", ""), "JX601"),
    (TargetIndicator("quantity", "培训人数", ">=", "≥100人", ""), "JX601"),
    (indicator_from_text("quality", "服务质量", "有效提升"), "JX602"),
    (indicator_from_text("quantity", "进一步加强宣传", "明显"), "JX602"),
    (indicator_from_text("quantity", "配备车辆", "10辆", last_actual="12辆"), "JX604"),
    (indicator_from_text("cost", "维修成本", "≤60万元", last_actual="50万元"), "JX604"),
    (indicator_from_text("quantity", "养护里程", "≥100000米", last_actual="120公里"), "JX604"),  # one unit, two scales
    (indicator_from_text("quantity", "培训人数", "≥100名", last_actual="120人"), "JX604"),  # 名 is 人
    (indicator_from_text("satisfaction", "群众满意度", "≥75%"), "JX607"),
    (indicator_from_text("timeliness", "服务周期", "2023.07-2024.01"), "JX608"),
    (indicator_from_text("timeliness", "完成时间", "2024年3月前"), "JX608"),
])
def test_each_weakness_of_an_indicator_is_found(ind, code):
    assert codes(with_indicator(ind)) == [code]


@pytest.mark.parametrize("ind", [
    indicator_from_text("quality", "验收合格率", "≥95%"),  # a number: measurable whatever the words
    indicator_from_text("social", "群众生活", "有效提升"),  # vague words are checked for output indicators only
    indicator_from_text("quantity", "配备车辆", "12辆", last_actual="12辆"),
    indicator_from_text("quantity", "配备车辆", "10辆", last_actual="12次"),  # another unit: not comparable
    indicator_from_text("quantity", "养护里程", "≥120000米", last_actual="120公里"),  # the same, in 米
    indicator_from_text("quantity", "绿化面积", "≥1000平方米", last_actual="2亩"),  # no exact factor
    indicator_from_text("satisfaction", "投诉率", "≤5%"),  # a ceiling, not a satisfaction level
    indicator_from_text("quantity", "服务人次", "2024人次"),  # 2024 here is a count, not a year
])
def test_a_sound_indicator_is_not_flagged(ind):
    assert codes(with_indicator(ind)) == []


def test_missing_cost_goal_and_indicators_and_funds_not_adding_up_are_found():
    p = sound_project()
    p.indicators = [i for i in p.indicators if i.kind != "cost"]
    for i in p.indicators:
        i.weight = None
    assert codes(TargetSheet(2023, projects=[p])) == ["JX603"]
    empty = TargetProject("空项目", total=D(10), fiscal=D(5), other=D(4))
    assert codes(TargetSheet(2023, projects=[empty])) == ["JX609", "JX610", "JX610"]


def test_weights_must_follow_the_profile_level_by_level_and_in_total():
    p = sound_project()
    p.indicators[0].weight = D(25)  # 产出 55, total 95
    found = check_target_sheet(TargetSheet(2023, projects=[p]))
    assert [(f.code, f.column) for f in found] == [("JX605", "category.output"), ("JX605", "indicators")]
    assert "产出指标的三级指标分值合计55分，评分口径为50分" in found[0].message_zh
    p.indicators[0].weight = None
    assert "6个三级指标中有1个没有分值" in check_target_sheet(TargetSheet(2023, projects=[p]))[0].message_zh


def test_a_profile_that_leaves_the_split_to_the_form_checks_the_total_only():
    p = sound_project()
    p.indicators[0].weight = D(25)
    p.indicators[1].weight = D(10)
    assert codes(TargetSheet(2023, profile="sichuan", projects=[p])) == []


def test_the_same_goal_or_target_in_another_project_is_found_but_not_satisfaction():
    a, b = sound_project("项目甲", "同一目标"), sound_project("项目乙", "同一目标")
    b.indicators[0] = indicator_from_text("quantity", "项目甲配备车辆数", "10辆", weight=D(20))
    found = check_target_sheet(TargetSheet(2023, projects=[a, b]))
    assert [(f.code, f.project_seq, f.column) for f in found] == [("JX606", 2, "goal"), ("JX606", 2, "indicators.0")]
    assert "项目甲" in found[0].message_zh and "“项目甲”" in found[0].message_en


def test_every_finding_says_why_and_how_to_fix_in_both_languages():
    p = TargetProject("项目", indicators=[TargetIndicator("quality", "服务质量", "qualitative", "有效提升")])
    for f in check_target_sheet(TargetSheet(2023, projects=[p])):
        assert "：" in f.message_zh and "请" in f.message_zh, f
        assert f.message_en.isascii() or "“" in f.message_en


def test_the_target_checks_are_in_the_one_registry_with_their_settings():
    assert {c for c in CHECKS if c.startswith("JX6")} == {f"JX6{n:02d}" for n in range(1, 13)}
    assert all(CHECKS[c].scope == "targets" for c in CHECKS if c.startswith("JX6") and c not in ("JX611", "JX612"))
    assert CHECKS["JX611"].scope == "approval"  # compares a later version with the approved sheet
    assert CHECKS["JX612"].scope == "history"  # needs the department's earlier years
    assert all(code in CATALOGUE for code in ("target.vague", "target.late", "target.no_cost"))
    config = CheckConfig.from_dict({"min_satisfaction": 70, "vague_words": ["大力推进"], "disabled": ["JX603"],
                                    "severity": {"JX607": "error"}})
    sheet = with_indicator(indicator_from_text("quality", "工作", "大力推进"))
    assert codes(sheet, config) == ["JX602"]
    sheet = with_indicator(indicator_from_text("satisfaction", "满意度", "≥75%"))
    assert codes(sheet, config) == []
    assert [f.severity for f in check_target_sheet(with_indicator(
        indicator_from_text("satisfaction", "满意度", "≥65%")), config)] == ["error"]


def test_a_deadline_year_is_the_latest_year_a_date_names():
    assert deadline_year("2023.07-2024.01") == 2024
    assert deadline_year("2024年3月前") == 2024
    assert deadline_year("12月底前") is None
    assert deadline_year("服务2024人次") is None
