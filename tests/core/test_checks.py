from dataclasses import replace
from decimal import Decimal as D

import pytest

from jixiao.core import checks
from jixiao.core.checks import CHECKS, CheckConfig, Finding, check_project, check_table, claims_full_completion
from jixiao.core.model import IndicatorCell, IndicatorItem, Project, Published, Table
from jixiao.errors import InputError


def clean_project(seq=1, name="办公设备购置", **changes) -> Project:
    """A project no check objects to."""
    p = Project(
        seq=seq, unit_name="区工商联", name=name, gov_investment=False,
        budget=D("100.00"), actual_total=D("95.00"), actual_general_budget=D("90.00"),
        actual_gov_fund=D("5.00"), actual_non_fiscal=D("0.00"), execution_rate_text="95.00%",
        annual_goal="有效合理配备办公设备，改善工作环境。", overall_completion="完成了本年度办公设备的采购工作。",
        indicators={
            "quantity": IndicatorCell("采购电脑≥3台；办公桌椅1批", "采购电脑3台；办公桌椅1批。"),
            "quality": IndicatorCell("验收合格率100%", "100.00%"),
            "timeliness": IndicatorCell("6月前完成采购", "5月20日完成采购"),
            "economic": IndicatorCell("节约财政资金", "100.00%"),
            "social": IndicatorCell("切实提高工作效率", "效果明显"),
            "ecological": IndicatorCell("节约纸张，减少能耗", "效果明显"),
            "satisfaction": IndicatorCell("工作人员满意度≥90%", "工作人员满意度98%"),
        },
        problems="无", rectification="无",
    )
    return replace(p, **changes)


def codes(findings):
    return {f.code for f in findings}


def test_clean_project_has_no_findings():
    assert check_project(clean_project()) == []


def _cell(key, target=None, actual=None, **marks):
    def mutate(p):
        c = p.indicators[key]
        p.indicators[key] = IndicatorCell(c.target if target is None else target, c.actual if actual is None else actual,
                                          **marks)
    return mutate


def _set(**kw):
    def mutate(p):
        for k, v in kw.items():
            setattr(p, k, v)
    return mutate


def _all_100(rate_text, actual_total):
    def mutate(p):
        for k in p.indicators:
            p.indicators[k] = IndicatorCell(p.indicators[k].target, "100.00%")
        p.indicators["satisfaction"] = IndicatorCell("满意度≥90%", "满意度100%")
        p.actual_total, p.actual_general_budget, p.actual_gov_fund = actual_total, actual_total, D("0.00")
        p.execution_rate_text = rate_text
        p.problems, p.rectification = "资金支付滞后", "加快支付进度"
    return mutate


# (code, a change that still passes, a change that fails, the column the finding names)
def _weights(cells: dict[str, tuple[str, ...]]):
    """Give cells a 分值 and (from the second number on) 三级 items with theirs."""
    def mutate(p):
        for key, (weight, *items) in cells.items():
            cell = p.indicators[key]
            cell.weight = D(weight)
            cell.items = [IndicatorItem(name=f"指标{n}", target="≥1个", actual="1个", weight=D(w))
                          for n, w in enumerate(items, 1)]
    return mutate


CASES = [
    ("JX101", _set(actual_general_budget=D("90.00")), _set(actual_total=D("95.10"), execution_rate_text="95.10%"),
     "actual_total"),
    ("JX102", _set(execution_rate_text="95.00%"), _set(execution_rate_text="95.01%"), "execution_rate"),
    ("JX103", _set(execution_rate_text=""), _set(execution_rate_text="95.00"), "execution_rate"),
    ("JX104", _set(actual_total=D("100.00"), actual_general_budget=D("95.00"), execution_rate_text="100.00%"),
     _set(actual_total=D("100.01"), actual_general_budget=D("95.01"), execution_rate_text="100.01%"), "execution_rate"),
    ("JX105", _set(actual_non_fiscal=D("0.00")),
     _set(actual_gov_fund=D("-5.00"), actual_general_budget=D("100.00")), "actual_gov_fund"),
    ("JX106", _set(actual_non_fiscal=None), _set(budget=None, execution_rate_text=""), "budget"),
    ("JX107", _set(actual_gov_fund=None, actual_non_fiscal=None, actual_general_budget=D("95.00")),
     _set(actual_gov_fund=None, actual_non_fiscal=None, actual_general_budget=None), "actual_general_budget"),
    ("JX108", _set(budget=D("0.00"), actual_total=D("0.00"), actual_general_budget=D("0.00"), actual_gov_fund=D("0.00"),
                   execution_rate_text=""),
     _set(budget=D("0.00"), execution_rate_text=""), "budget"),
    ("JX201", _cell("ecological", actual="无污染排放"), _cell("ecological", actual="／"), "indicators.ecological.actual"),
    ("JX202", _cell("quality", target="合格率≥95%"), _cell("quality", target="设备运行稳定，保障各科室正常工作"),
     "indicators.quality.target"),
    ("JX203", _all_100("95.00%", D("95.00")), _all_100("80.00%", D("80.00")), "indicators"),
    ("JX204", _cell("satisfaction", actual="满意度达到98%以上"), _cell("satisfaction", actual="工作人员满意度≥99%"),
     "indicators.satisfaction.actual"),
    ("JX205", _set(indicators={**clean_project().indicators, "cost": IndicatorCell("/", "—")}),
     _set(indicators={**clean_project().indicators, "cost": IndicatorCell("采购成本≤100万元", "95万元")}),
     "indicators.cost"),
    ("JX206", _cell("ecological", not_applicable=True, na_reason="本项目不涉及生态效益"),
     _cell("ecological", not_applicable=True, na_reason=" "), "indicators.ecological"),
    ("JX207", _cell("ecological", target="无污染事件发生"), _cell("ecological", target="无（本项目不涉及生态效益）"),
     "indicators.ecological.target"),
    ("JX301", _set(actual_total=D("89.00"), actual_general_budget=D("84.00"), execution_rate_text="89.00%",
                   problems="采购流标", rectification="重新采购"),
     _set(actual_total=D("89.00"), actual_general_budget=D("84.00"), execution_rate_text="89.00%"), "problems"),
    ("JX302", _set(problems="采购流标", rectification="重新组织采购"), _set(problems="采购流标", rectification=" 无。"),
     "rectification"),
    ("JX303", _set(annual_goal="保障办公"), _set(annual_goal="—"), "annual_goal"),
    ("JX304", _set(name="办公设备"), _set(name="  "), "name"),
    ("JX501", _weights({"quantity": ("20", "10", "10")}), _weights({"quantity": ("20", "10", "5")}),
     "indicators.quantity"),
    ("JX502", _weights({"quantity": ("20",), "quality": ("15",), "timeliness": ("15",)}),
     _weights({"quantity": ("30",), "quality": ("15",), "timeliness": ("15",)}), "indicators"),
    ("JX503", _set(published=Published(execution_weight=D(10))), _set(published=Published(execution_weight=D(20))), ""),
]


def test_every_project_check_has_cases():
    project_codes = {c.code for c in CHECKS.values() if c.scope == "project"}
    assert project_codes == {c[0] for c in CASES}


@pytest.mark.parametrize("code, passing, failing, column", CASES, ids=[c[0] for c in CASES])
def test_project_check(code, passing, failing, column):
    good = clean_project()
    passing(good)
    assert code not in codes(check_project(good))
    bad = clean_project()
    failing(bad)
    found = [f for f in check_project(bad) if f.code == code]
    assert found, f"{code} did not fire"
    f = found[0]
    assert f.column == column
    assert f.severity == CHECKS[code].severity
    assert f.project_seq == 1 and f.project_name == "办公设备购置" or code == "JX304"
    assert f.message_zh.startswith("项目 1「") and f.message_en.startswith("project 1 ")


def test_seed_has_no_errors_and_expected_warnings(seed_table):
    findings = check_table(seed_table)
    assert [f for f in findings if f.severity == "error"] == []
    restated = {(f.project_seq, f.column) for f in findings if f.code == "JX204"}
    assert restated == {(2, "indicators.economic.actual"), (2, "indicators.satisfaction.actual")}
    assert "JX203" not in codes(findings)  # all 100%, but every rate is ≥ 90%


def test_messages_name_project_and_column(seed_table):
    seed_table.projects[2].execution_rate_text = "99.00%"
    f = next(f for f in check_table(seed_table) if f.code == "JX102")
    assert "党建事务" in f.message_zh and "预算支出执行率" in f.message_zh and "99.92%" in f.message_zh
    assert "党建事务" in f.message_en and "execution rate" in f.message_en


def test_golden_rate_rounding_is_half_up():
    p = clean_project(budget=D("3.80"), actual_total=D("3.79"), actual_general_budget=D("3.79"),
                      actual_gov_fund=D("0"), actual_non_fiscal=D("0"), execution_rate_text="99.74%")
    assert "JX102" not in codes(check_project(p))


@pytest.mark.parametrize("text, claim", [
    ("100.00%", True), ("100%", True), (" 100 % 。", True), ("工作人员满意度100%", True), ("完成率100%", True),
    ("合格率达到100.0%", True), ("公务接待费完成12%，其他项目完成100%", False), ("98%", False),
    ("满意度达到98%以上", False), ("完成年度任务", False), ("1000%", False),
])
def test_claims_full_completion(text, claim):
    assert claims_full_completion(text) is claim


def table_of(*projects, **kw) -> Table:
    return Table(year=2019, department="深圳市龙岗区工商业联合会", projects=list(projects), **kw)


def test_duplicate_names():
    ok = table_of(clean_project(1, "甲"), clean_project(2, "乙"))
    assert "JX401" not in codes(check_table(ok))
    bad = table_of(clean_project(1, "甲"), clean_project(2, "乙"), clean_project(3, " 甲 "))
    [f] = [f for f in check_table(bad) if f.code == "JX401"]
    assert f.project_seq == 3 and "序号 1" in f.message_zh


def test_duplicate_scope_unit():
    a, b = clean_project(1, "甲"), clean_project(2, "甲")
    b.unit_name = "区总商会"
    assert "JX401" in codes(check_table(table_of(a, b)))
    assert "JX401" not in codes(check_table(table_of(a, b), CheckConfig(duplicate_scope="unit")))


def test_numbering():
    assert "JX402" not in codes(check_table(table_of(clean_project(1, "甲"), clean_project(2, "乙"))))
    findings = check_table(table_of(clean_project(1, "甲"), clean_project(3, "乙"), clean_project(4, "丙")))
    assert [f.project_seq for f in findings if f.code == "JX402"] == [3]


def test_title_year():
    assert "JX403" not in codes(check_table(table_of(clean_project(), title="2019年度区工商联部门预算项目绩效自评情况公开表")))
    [f] = [f for f in check_table(table_of(clean_project(), title="2018年度区工商联部门预算项目绩效自评情况公开表"))
           if f.code == "JX403"]
    assert f.project_seq is None and "2018" in f.message_zh


def test_empty_table():
    assert "JX404" not in codes(check_table(table_of(clean_project())))
    assert "JX404" in codes(check_table(table_of()))


def test_table_checks_all_have_tests():
    assert {c.code for c in CHECKS.values() if c.scope == "table"} == {"JX401", "JX402", "JX403", "JX404"}


def test_codes_are_stable_and_grouped():
    for code, c in CHECKS.items():
        assert code == c.code and len(code) == 5 and code.startswith("JX")
        assert c.severity in ("error", "warning", "info")
        assert c.title_zh and c.title_en


def test_layout_decides_blank_columns():
    p = clean_project()
    del p.indicators["ecological"]
    assert "JX201" in codes(check_project(p))
    layout = ("quantity", "quality", "timeliness", "economic", "social", "satisfaction")
    assert "JX201" not in codes(check_table(table_of(p, layout=layout)))


# --- configuration ---------------------------------------------------------


def test_thresholds_are_configurable():
    p = clean_project(actual_total=D("92.00"), actual_general_budget=D("87.00"), execution_rate_text="92.00%")
    assert "JX301" not in codes(check_project(p))
    config = CheckConfig.from_dict({"low_rate_threshold": 95})
    assert "JX301" in codes(check_project(p, config=config))


def test_tolerances():
    p = clean_project(actual_total=D("95.01"), execution_rate_text="95.00%")
    assert {"JX101", "JX102"} <= codes(check_project(p))
    config = CheckConfig.from_dict({"sum_tolerance": "0.01", "rate_tolerance": 0.01})
    assert not {"JX101", "JX102"} & codes(check_project(p, config=config))


def test_disable_and_severity_override():
    p = clean_project(name="  ")
    config = CheckConfig.from_dict({"disabled": ["JX304"]})
    assert "JX304" not in codes(check_project(p, config=config))
    config = CheckConfig.from_dict({"severity": {"JX304": "info"}})
    [f] = [f for f in check_project(p, config=config) if f.code == "JX304"]
    assert f.severity == "info"


def test_custom_placeholders():
    p = clean_project()
    p.indicators["ecological"] = IndicatorCell("未设定", "未设定")
    assert "JX201" not in codes(check_project(p))
    assert "JX201" in codes(check_project(p, config=CheckConfig.from_dict({"placeholders": ["未设定"]})))


@pytest.mark.parametrize("data, path", [
    ({"low_rate": 90}, "$.low_rate"),
    ({"low_rate_threshold": "九十"}, "$.low_rate_threshold"),
    ({"max_rate": -1}, "$.max_rate"),
    ({"max_rate": True}, "$.max_rate"),
    ({"placeholders": "无"}, "$.placeholders"),
    ({"duplicate_scope": "dept"}, "$.duplicate_scope"),
    ({"disabled": ["JX999"]}, "$.disabled[0]"),
    ({"severity": {"JX101": "fatal"}}, "$.severity.JX101"),
    ([], "$"),
])
def test_config_rejects_bad_settings(data, path):
    with pytest.raises(InputError) as exc:
        CheckConfig.from_dict(data, source="c.json")
    assert exc.value.path == path and exc.value.message_zh and exc.value.message_en


@pytest.mark.parametrize("target, flagged", [
    ("已完成办公设备采购", True), ("采购电脑3台；已按时完成验收", True), ("对已完成项目进行验收", False),
    ("按实际完成工作量支付", False),
])
def test_target_written_as_completion(target, flagged):
    p = clean_project()
    p.indicators["economic"] = IndicatorCell(target, "节约资金2万元")
    found = [f for f in check_project(p) if f.code == "JX204" and f.column == "indicators.economic.target"]
    assert bool(found) is flagged


def test_finding_to_dict_round_trip():
    f = check_project(clean_project(name=" "))[0]
    assert Finding(**f.to_dict()) == f



def test_unmeasurable_items_reads_the_cell_with_the_parser(monkeypatch):
    monkeypatch.setattr(checks, "_measurable_cache", {})
    assert checks.unmeasurable_items("采购电脑≥3台；12月底前完成") == ()
    assert checks.unmeasurable_items("采购电脑≥3台；保障正常运行") == ("保障正常运行",)


def test_a_cell_marked_not_applicable_raises_no_blank_or_placeholder_warning():
    p = clean_project()
    p.indicators["ecological"] = IndicatorCell("", "", not_applicable=True, na_reason="本项目不涉及生态效益")
    found = [f for f in check_project(p) if f.column.startswith("indicators.ecological")]
    assert found == []


def test_a_target_that_says_the_indicator_does_not_apply_is_offered_as_not_applicable_instead_of_blank():
    for text in ("无", "不涉及", "不适用", "无（本项目不涉及生态效益）", "本项目不涉及生态效益。"):
        p = clean_project()
        p.indicators["ecological"] = IndicatorCell(text, "")
        found = {f.code for f in check_project(p) if f.column.startswith("indicators.ecological")}
        assert found == {"JX207"}, text


def test_targets_that_merely_start_with_wu_are_not_read_as_not_applicable():
    from jixiao.core.checks import not_applicable_reason, reads_not_applicable
    assert not reads_not_applicable("无污染")
    assert not reads_not_applicable("无安全事故发生")
    assert not reads_not_applicable("不涉及拆迁户≥5户")
    assert not_applicable_reason("无（本项目不涉及生态效益）") == "本项目不涉及生态效益"
    assert not_applicable_reason("无") == ""
