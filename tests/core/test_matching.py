"""Pairing target items with completion items, and the judgements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.matching import (compare, completion_tier, describe_item, match_cell,
                                  subject_overlap, units_compatible)
from jixiao.core.targets import parse_cell
from jixiao.core.reasons import texts, zh


def judge(target: str, actual: str):
    return match_cell(target, actual).judgements


def test_done_when_example():
    [j] = judge("参加党务干部人数≧100", "参加的党务干部140人次")
    assert j.met is True and j.ratio == Decimal("1.4000") and j.evidence == "value"
    assert "已达到目标" in zh(j.reasons[0])


def test_seed_project3_pairs_by_subject_and_order():
    m = match_cell("开展专题学习活动次数≧1；参加党务干部人数≧100；新建党组织个数≧10；"
                   "党群服务中心（活动室）新建或更新项目数≧3。",
                   "举办党务干部业务培训班组织专题学习活动1次；参加的党务干部140人次；新建党组织26个；"
                   "党群服务中心（活动室）新建或更新项目17个。")
    assert [j.actual.value for j in m.judgements] == [1, 140, 26, 17]
    assert all(j.met for j in m.judgements)


def test_pairing_follows_words_not_only_order():
    m = match_cell("培训人数≥100人；发放资料≥500份", "发放资料600份；培训人数120人")
    assert [j.actual.value for j in m.judgements] == [120, 600]


def test_bare_percentage_is_reported_complete_with_a_note():
    m = match_cell("电脑3台，办公桌椅1批", "100.00%")
    assert m.bare and all(j.met and j.evidence == "bare" for j in m.judgements)
    assert "没有写明实际完成值" in zh(m.notes[0])
    [j] = judge("设备运行稳定", "80%")
    assert j.met is False and j.ratio == Decimal("0.8000")


def test_restated_target_is_flagged_not_taken():
    m = match_cell("整理成本", "文书档案整理成本≤4.11万元。")
    assert m.restated and m.judgements[0].met is None and m.judgements[0].restated
    assert "复述" in zh(m.notes[0])
    m = match_cell("收、管、存、用满意度", "工作人员满意度≥99%")
    assert m.restated and m.judgements[0].evidence == "restated"
    # A completion that copies its target whole is a claim: met (as bureaus score it), marked
    # claimed and restated — see test_a_copied_target_is_a_claim.
    m = match_cell("培训人数≥100人", "培训人数≥100人")
    assert m.restated and m.judgements[0].met is True and m.judgements[0].claimed


def test_result_words_are_not_restatements():
    m = match_cell("满意度≥90%", "满意度达到98%以上")
    assert not m.restated and m.judgements[0].met is True


def test_completion_rate_against_money_and_others():
    m = match_cell("公务接待费5万元，购买服务1人10.44万元，法律顾问服务费3万元",
                   "公务接待费完成12%，其他项目完成100%")
    first, *rest = m.judgements
    assert first.met is False and first.ratio == Decimal("0.1200") and first.evidence == "rate"
    assert all(j.met for j in rest) and len(rest) == 3


@pytest.mark.parametrize("target,actual,met,ratio", [
    ("办结时间≤90天", "办结时间60天", True, "1.5000"),
    ("办结时间≤90天", "办结时间120天", False, "0.7500"),
    ("差错率<1%", "差错率1%", False, "1.0000"),
    ("重点培育5—6家", "培育4家", False, "0.8000"),
    ("重点培育5—6家", "培育5家", True, "1"),
    ("重点培育5—6家", "培育9家", True, "1.5000"),
    ("预算偏差±10%以内", "预算偏差8%", True, "1"),
    ("预算偏差±10%以内", "预算偏差20%", False, "0.5000"),
    ("投入资金≥50万元", "投入资金600000元", True, "1.2000"),
    ("购置电脑20台", "购置电脑18台", False, "0.9000"),
])
def test_quantitative_comparison(target, actual, met, ratio):
    [j] = judge(target, actual)
    assert j.met is met and j.ratio == Decimal(ratio)


def test_deadlines_compare_dates():
    m = match_cell("7月前完成电教片选材拍摄任务；12月前完成辖属党组织党员教育",
                   "6月底完成电教片选材拍摄；12月中旬完成辖属党组织党员教育报账")
    assert [j.met for j in m.judgements] == [True, False]
    assert "晚于时限" in zh(m.judgements[1].reasons[0])
    [j] = judge("2021年11月30日前完成验收", "2021年11月20日完成验收")
    assert j.met is True


@pytest.mark.parametrize("actual,tier,met", [
    ("已完成", 1, True), ("达成预期指标", 1, True), ("效果显著", 1, True), ("100%", 1, True),
    ("部分完成", 2, False), ("基本完成", 2, False), ("有所提高", 2, False),
    ("未完成", 3, False), ("未达成预期", 3, False), ("效果较差", 3, False),
])
def test_qualitative_tiers_from_completion_words(actual, tier, met):
    [j] = judge("有效提升服务水平", actual)
    assert j.tier == tier and j.met is met


def test_unclear_completion_is_unknown_with_reason():
    [j] = judge("培育新的党建品牌", "依托园区党建组织员采购项目，培育大运软件小镇党建品牌项目")
    assert j.met is None and "核实" in zh(j.reasons[0])


def test_blank_completion():
    [j] = judge("培训人数≥100人", "")
    assert j.met is None and j.evidence == "blank" and texts(j.reasons) == ["未填写完成情况。"]


def test_helpers():
    assert units_compatible("人", "人次") and units_compatible(None, "家")
    assert units_compatible("项", "个") and not units_compatible("人", "万元")
    assert not units_compatible("%", "个")
    assert subject_overlap("参加党务干部人数", "参加的党务干部") > Decimal("0.5")
    assert completion_tier("基本完成") == (2, "基本")
    assert describe_item(parse_cell("培育5—6家")[0]) == "5—6家"
    assert describe_item(parse_cell("偏差±10%以内")[0]) == "±10%以内"
    assert compare(parse_cell("人数≥0人")[0], Decimal(5), "人") == (True, None)


def test_pair_scores_order_as_the_exact_fractions():
    # _assign sorts float scores; they must order (and tie) exactly as the fractions they
    # stand for, which the exact mode computes with Fractions.
    from jixiao.core.matching import _pair_score
    cells = [("参加党务干部人数≥100人；开展专题学习次数≥2次；发放宣传资料≥500份",
              "参加的党务干部140人次；开展学习3次；发放资料600份；满意度98%"),
             ("道路改造12公里；维修设施8—9项；签约服务≥15户", "改造道路12公里；维修设施9项；签约服务17户"),
             ("6月底前完成采购；12月底前完成验收", "5月完成采购；11月底完成验收；完成率100%")]
    for target, actual in cells:
        ts, acs = parse_cell(target), parse_cell(actual)
        fast = sorted((-s, ti, ai) for ti, t in enumerate(ts) for ai, a in enumerate(acs)
                      if (s := _pair_score(t, a, ti, ai)) is not None)
        exact = sorted((-s, ti, ai) for ti, t in enumerate(ts) for ai, a in enumerate(acs)
                       if (s := _pair_score(t, a, ti, ai, exact=True)) is not None)
        assert [k[1:] for k in fast] == [k[1:] for k in exact]


def test_fast_builders_make_the_same_objects_as_the_dataclasses():
    # matching builds Judgement and CellMatch by setting their slots (_judgement, _cell_match):
    # a field added to either class, or reordered, must show here.
    import dataclasses

    from jixiao.core import matching

    t, a = parse_cell("培训≥100人")[0], parse_cell("培训120人")[0]
    values = {"target": t, "actual": a, "met": True, "ratio": Decimal("1.20"), "evidence": "value",
              "tier": 1, "restated": True, "reasons": ("x", "y"), "claimed": True}
    assert [f.name for f in dataclasses.fields(matching.Judgement)] == list(values)
    assert matching._judgement(*values.values()) == matching.Judgement(**values)
    assert matching._judgement(t, None, None, None, "none") == matching.Judgement(t, None, None, None, "none")
    cell = {"target_text": "培训≥100人", "actual_text": "培训120人", "targets": [t], "actuals": [a],
            "judgements": [matching.Judgement(**values)], "restated": False, "bare": True, "notes": ["n"]}
    assert [f.name for f in dataclasses.fields(matching.CellMatch)] == list(cell)
    assert matching._cell_match(*cell.values()) == matching.CellMatch(**cell)
    with pytest.raises(dataclasses.FrozenInstanceError):
        matching._judgement(*values.values()).met = False


# --- real published pairs (tests/fidelity/pairs.jsonl) -----------------------------------------

@pytest.mark.parametrize("text", ["29.5亩", "及时", "2021年12月31日", "通过", "90人", "95%", "≥90%", "合规"])
def test_a_completion_that_copies_its_target_is_met_as_a_claim(text):
    # A third of real completion cells copy the target; bureaus score them as achieved.
    # 95%/95% and 90人/90人 are judged alike.
    m = match_cell(text, text)
    assert m.restated and not m.bare
    assert texts(m.notes) == ["完成情况与年度指标内容相同，为声明而无实际数值，按已完成认定。"]
    for j in m.judgements:
        assert (j.met, j.claimed, j.evidence, j.ratio) == (True, True, "restated", None)
        assert texts(j.reasons) == ["完成情况与目标相同，为声明而无实际数值，按已完成认定。"]


@pytest.mark.parametrize("target,actual", [
    ("培训≥100人", "已完成"), ("有效提升服务水平", "达到"), ("合规", "达成预期指标"), ("效果明显", "完成"),
    ("及时", "按时完成"), ("12月底前完成", "已完成"), ("电脑3台", "100.00%"),
    ("至少全年完成2次宣传", "已完成100%"),  # sc-suining-daying-shuangxin-2020#1
    ("按质按量完成", "已完成100%"),
    ("补助标准260元/辆", "实际按该标准发放"), ("补助标准260元/辆", "按标准执行"),  # per the standard
])
def test_a_completion_that_asserts_the_target_in_words_is_met_as_a_claim(target, actual):
    [j] = judge(target, actual)
    assert j.met is True and j.claimed is True


@pytest.mark.parametrize("target,actual,met,tier", [
    ("合规", "好", True, 1), ("资金使用合规性合规", "资金使用合规性好", True, 1),  # js-suzhou-yuanlin-2017#1
    ("757万平方米养护全覆盖", "好", True, 1),  # js-suzhou-yuanlin-2017#14
    ("合规", "否", False, 3), ("有效提升", "不好", False, 3), ("合理", "差", False, 3),
])
def test_a_completion_that_is_only_a_verdict_is_judged_by_it(target, actual, met, tier):
    [j] = judge(target, actual)
    assert (j.met, j.tier, j.evidence) == (met, tier, "words")
    assert j.claimed is met  # 好 is a claim without a figure of its own


def test_the_name_written_before_both_cells_is_not_part_of_the_claim():
    # ah-chizhou-tangxi-2022-cunji#3: a MoF row read as 三级 name + cell.
    [j] = judge("补助资格合规性合规", "补助资格合规性达成预期指标")
    assert j.met is True and j.claimed is True


@pytest.mark.parametrize("target,actual", [
    ("培训≥100人", "培训120人"), ("满意度≥90%", "满意度95%"), ("=8个", "8"),
    ("7月前完成", "6月底完成"), ("有效提升服务水平", "服务水平明显提升，群众满意度提高"),
    ("设备运行稳定", "设备运行稳定，全年故障0次，合格率100%"),
    ("发放时间达标率", "100%"),  # the completion gives the rate the target names
])
def test_a_completion_with_its_own_figure_or_account_is_evidenced(target, actual):
    [j] = judge(target, actual)
    assert j.met is True and j.claimed is False


def test_an_unmet_or_unjudged_completion_is_never_claimed():
    for target, actual in [("培训≥100人", "未完成"), ("有效提升服务水平", "基本完成"), ("培训≥100人", "80%"),
                           ("无", "无"), ("培训人数", "培训人数≥100人")]:
        for j in judge(target, actual):
            assert j.met is not True and not j.claimed, (target, actual)


def test_a_copied_placeholder_is_no_claim():
    [j] = judge("无", "无")
    assert j.met is None and not j.claimed


def test_the_same_statement_without_its_subject_is_a_copy():
    [j] = judge("支出符合财务管理制度规定", "符合财务管理制度规定")
    assert (j.met, j.claimed) == (True, True)
    [j] = judge("高", "满意度高")  # a short answer the completion states
    assert (j.met, j.claimed) == (True, True)
    [j] = judge("完成", "未完成")  # negated: no copy
    assert j.met is False
    [j] = judge("未发生安全事故", "发生安全事故")
    assert not j.claimed and j.met is not True


def test_a_bare_wan_against_wan_yuan_is_money():
    [j] = judge("200万", "195.5万元")  # not a cost row: at least 200万元
    assert (j.met, j.ratio) == (False, Decimal("0.9775"))
    [j] = judge("195.5万元", "200万")
    assert (j.met, j.ratio) == (True, Decimal("1.0230"))
    [j] = match_cell("200万", "195.5万元", kind="cost").judgements
    assert (j.met, j.evidence, j.claimed) == (True, "value", False)


def test_a_cost_row_reads_an_amount_without_operator_as_a_ceiling():
    # ah-chizhou and yn-baoshan 成本指标 rows: spending below plan is the aim.
    [j] = match_cell("15万元", "按合同10.5万元", kind="cost").judgements
    assert (j.met, j.ratio) == (True, Decimal("1.4286"))
    [j] = match_cell("15万元", "按合同10.5万元").judgements
    assert j.met is False
    [j] = match_cell("15万元", "按合同16万元", kind="cost").judgements
    assert j.met is False


@pytest.mark.parametrize("target,actual,met,tier", [
    ("优良中低差", "优", True, 1), ("良好", "优", True, 1), ("优秀", "优", True, 1),
    ("优秀", "良好", False, 2), ("良好", "差", False, 3), ("服务质量优良中低差", "评价等级为良", True, 1),
    ("合格", "优秀", True, 1),
])
def test_a_grade_is_judged_against_the_grade_asked_for(target, actual, met, tier):
    [j] = judge(target, actual)
    assert (j.met, j.tier, j.evidence, j.claimed) == (met, tier, "grade", False)


def test_a_loose_operator_in_a_completion_is_a_result_not_a_restatement():
    m = match_cell("至少全年完成2次宣传", "全年至少开展宣传3次")
    assert not m.restated and m.judgements[0].met is True and m.judgements[0].actual.value == 3


def test_a_zero_target_means_none():
    [j] = judge("安全事故0起", "0起")
    assert j.met is True
    [j] = judge("安全事故0起", "发生安全事故2起")
    assert j.met is False
    for none in ("未发生安全事故", "全年无安全事故", "零事故"):
        [j] = judge("安全事故0起", none)
        assert (j.met, j.evidence, j.claimed) == (True, "words", False), none
    for unclear in ("未能统计", "无法统计", "零星发生"):  # tier 3; 无法 is "cannot"; 零星 "sporadic"
        [j] = judge("安全事故0起", unclear)
        assert j.met is not True, unclear


def test_a_completion_in_the_targets_own_words_is_a_claim():
    # sc-suining-daying-minzheng-2020#1, #4: nothing said that the target did not say.
    [j] = judge("改善养老服务基础条件改善条件", "改善养老服务基础条件明显改善")
    assert (j.met, j.claimed) == (True, True)
    [j] = judge("老年人日益增加的养老服务需求有所提升", "老年人日益增加的养老服务需求养老服务提升")
    assert (j.met, j.claimed) == (True, True)


def test_rate_units_compare_alike_and_convert_money():
    [j] = judge("<=5300元/户", "5830元/户")  # ah-huaibei-suixi-minzheng-2019#8: over the ceiling
    assert j.met is False
    [j] = judge("0.8万元/台", "7000元/台")
    assert j.ratio == Decimal("0.8750")
    assert units_compatible("元/辆", "元") and not units_compatible("元/人", "元/户")


def test_a_rate_kept_down_is_met_below_its_ceiling():
    [j] = judge("预算调整率3%", "0")  # cq-kexuecheng-rongmeiti-2021#4
    assert j.met is True
    [j] = judge("公用经费控制率100%", "97%")
    assert j.met is True


def test_the_kind_is_part_of_the_remembered_match():
    for _ in range(2):
        assert match_cell("15万元", "16万元", kind="cost").judgements[0].met is False
        assert match_cell("15万元", "16万元").judgements[0].met is True


def test_public_names_for_the_scorer():
    from jixiao.core import matching

    m = matching.match_cell_uncached("培训≥100人", "培训120人")
    assert m == match_cell("培训≥100人", "培训120人") and m is not matching.match_cell_uncached("培训≥100人", "培训120人")
    assert matching.match_cell_uncached("15万元", "16万元", "cost").judgements[0].met is False
    assert matching.percent_text(Decimal("1.4")) == "140.00%" and matching.percent_text(None) == "—"
    # the former private names stay as aliases while callers move
    assert matching._match is matching.match_cell_uncached and matching._pct is matching.percent_text
