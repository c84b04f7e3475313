"""Pairing target items with completion items, and the judgements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.matching import (compare, completion_tier, describe_item, match_cell,
                                  subject_overlap, units_compatible)
from jixiao.core.targets import parse_cell


def judge(target: str, actual: str):
    return match_cell(target, actual).judgements


def test_done_when_example():
    [j] = judge("参加党务干部人数≧100", "参加的党务干部140人次")
    assert j.met is True and j.ratio == Decimal("1.4000") and j.evidence == "value"
    assert "已达到目标" in j.reasons[0]


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
    assert "没有写明实际完成值" in m.notes[0]
    [j] = judge("设备运行稳定", "80%")
    assert j.met is False and j.ratio == Decimal("0.8000")


def test_restated_target_is_flagged_not_taken():
    m = match_cell("整理成本", "文书档案整理成本≤4.11万元。")
    assert m.restated and m.judgements[0].met is None and m.judgements[0].restated
    assert "复述" in m.notes[0]
    m = match_cell("收、管、存、用满意度", "工作人员满意度≥99%")
    assert m.restated and m.judgements[0].evidence == "restated"
    m = match_cell("培训人数≥100人", "培训人数≥100人")
    assert m.restated and m.judgements[0].met is None


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
    assert "晚于时限" in m.judgements[1].reasons[0]
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
    assert j.met is None and "核实" in j.reasons[0]


def test_blank_completion():
    [j] = judge("培训人数≥100人", "")
    assert j.met is None and j.evidence == "blank" and j.reasons == ("未填写完成情况。",)


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
