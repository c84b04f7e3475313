"""Scoring: weights, rules, tiers, over-achievement, grades, overrides, settings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.model import IndicatorCell, Project, ScoreOverride
from jixiao.core.scoring import (ScoringConfig, grade, rules, score_cell, score_project,
                                 score_table, split_exact, to_dict)
from jixiao.errors import InputError
from jixiao.core.reasons import texts, zh

D = Decimal


def project(cells: dict[str, tuple[str, str]], budget="100.00", actual="86.19", **kw) -> Project:
    return Project(seq=1, unit_name="区工商联", name="测试项目", budget=D(budget), actual_total=D(actual),
                   indicators={k: IndicatorCell(t, a) for k, (t, a) in cells.items()}, **kw)


ALL_MET = {
    "quantity": ("培训人数≥100人；举办讲座≥4场", "培训人数120人；举办讲座4场"),
    "quality": ("培训合格率≥95%", "培训合格率98%"),
    "timeliness": ("12月底前完成", "11月完成"),
    "economic": ("助力企业发展", "达成预期指标"),
    "social": ("党员素质能力得到有效提升", "已完成"),
    "satisfaction": ("满意度≥90%", "满意度95%"),
}


def test_all_met_at_86_19_scores_98_62():
    ps = score_project(project(ALL_MET))
    assert ps.execution.score == D("8.62")
    assert [c.score for c in ps.categories] == [D("50.00"), D("30.00"), D("10.00")]
    assert ps.total == D("98.62") and ps.grade == "优"
    assert "98.62" in zh(ps.reasons[-1]) and "优" in zh(ps.reasons[-1])


def test_execution_rate_is_linear_and_capped():
    assert score_project(project(ALL_MET, actual="100.00")).execution.score == D("10.00")
    assert score_project(project(ALL_MET, actual="120.00")).execution.score == D("10.00")
    assert score_project(project(ALL_MET, actual="50.00")).execution.score == D("5.00")
    ps = score_project(project(ALL_MET, budget="0"))
    assert ps.execution.score == D("0.00") and "无法计算" in zh(ps.execution.reasons[0])


def test_weights_split_in_exact_cents():
    assert split_exact(D(50), 3) == [D("16.67"), D("16.67"), D("16.66")]
    assert sum(split_exact(D("16.67"), 7)) == D("16.67")
    ps = score_project(project(ALL_MET))
    out = ps.categories[0]
    assert [i.weight for i in out.indicators] == [D("16.67"), D("16.67"), D("16.66")]
    assert [it.weight for it in out.indicators[0].items] == [D("8.34"), D("8.33")]


def test_quantitative_not_met_is_proportional_and_mirrored():
    ind = score_cell("quantity", "培训人数≥100人", "培训人数80人", D(20))
    assert ind.score == D("16.00") and ind.items[0].met is False
    assert "请说明偏差原因" in zh(ind.deviation)
    ind = score_cell("quantity", "办结时间≤90天", "办结时间120天", D(20))
    assert ind.score == D("15.00")


def test_over_achievement_warns_and_optionally_reduces():
    ind = score_cell("quantity", "新建党组织个数≧10", "新建党组织26个", D(10))
    assert ind.score == D("10.00") and ind.items[0].over
    assert any("目标设定偏低" in r for r in texts(ind.items[0].reasons))
    cfg = ScoringConfig.from_dict({"over_reduction": True})
    ind = score_cell("quantity", "新建党组织个数≧10", "新建党组织26个", D(10), cfg)
    assert ind.score == D("8.00")  # capped at 20%
    ind = score_cell("quantity", "培训人数≥100人", "培训人数140人", D(10), cfg)
    assert ind.score == D("9.00")  # 140% − 130% = 10%
    ind = score_cell("quantity", "培训人数≥100人", "培训人数125人", D(10), cfg)
    assert ind.score == D("10.00") and not ind.items[0].over


@pytest.mark.parametrize("actual,score", [("已完成", "10.00"), ("基本完成", "7.00"), ("未完成", "3.00")])
def test_qualitative_tiers(actual, score):
    assert score_cell("social", "有效提升服务水平", actual, D(10)).score == D(score)


def test_tier_shares_configurable_within_their_range():
    cfg = ScoringConfig.from_dict({"tier1_share": "0.9", "tier2_share": 0.65, "tier3_share": 0})
    # (an account of its own: 已完成 alone is a claim, met in full in practice)
    assert score_cell("social", "有效提升服务水平", "服务水平明显提升，群众满意度提高", D(10), cfg).score == D("9.00")
    assert score_cell("social", "有效提升服务水平", "部分完成", D(10), cfg).score == D("6.50")
    with pytest.raises(InputError):
        ScoringConfig.from_dict({"tier2_share": "0.9"})


def test_restated_and_bare_and_not_met_seed_facts(seed_table):
    ps = score_table(seed_table)[1]  # 其他一般管理事务
    econ = ps.categories[1].indicators[0]
    assert econ.items[0].restated and econ.items[0].met is None
    assert econ.score == D("6.00")  # unknown_share 60% of 10
    qty = ps.categories[0].indicators[0]
    assert qty.items[0].met is False and qty.items[0].ratio == D("0.1200")
    assert any("复述" in r for r in texts(ps.reasons))
    assert any("100.00%" in r for r in texts(ps.reasons))


def test_seed_totals_and_grades(seed_table):
    got = [(ps.total, ps.grade) for ps in score_table(seed_table)]
    assert len(got) == 6
    assert all(g in "优良中差" for _, g in got)
    assert got[0] == (D("99.97"), "优")


def test_overrides_replace_and_keep_the_suggestion():
    p = project(ALL_MET, overrides=[
        ScoreOverride("execution", D(9), "按整数评分", by="张三", at="2020-03-01"),
        ScoreOverride("quantity", D(15), "培训质量一般"),
    ])
    ps = score_project(p)
    assert ps.execution.score == D("9.00") and ps.execution.suggested == D("8.62")
    assert ps.execution.override.by == "张三"
    q = ps.categories[0].indicators[0]
    assert q.score == D("15.00") and q.suggested == D("16.67") and q.override is not None
    assert any("培训质量一般" in r for r in texts(q.reasons))
    assert ps.total == D("9.00") + D("48.33") + D("30.00") + D("10.00")
    ps = score_project(project(ALL_MET, overrides=[ScoreOverride("total", D(79), "抽查发现问题")]))
    assert ps.total == D("79.00") and ps.suggested == D("98.62") and ps.grade == "中"


def test_a_single_item_override_changes_its_cell_and_keeps_the_suggestion():
    ps = score_project(project(ALL_MET, overrides=[
        ScoreOverride("quantity.2", D("5"), "讲座内容与目标不符", by="李四", at="2020-03-02")]))
    q = ps.categories[0].indicators[0]
    first, second = q.items
    assert (first.weight, second.weight) == (D("8.34"), D("8.33"))
    assert first.override is None and first.suggested is None and first.score == D("8.34")
    assert second.score == D("5.00") and second.suggested == D("8.33") and second.override.by == "李四"
    note = "数量指标第2项“举办讲座≥4场”得分经评价人调整为5.00分（系统建议8.33分）（李四，2020-03-02），理由：讲座内容与目标不符"
    assert zh(second.reasons[-1]) == note and zh(q.reasons[-1]) == note
    # the cell is the sum of its items; its suggestion stays the computed one
    assert q.score == D("13.34") and q.suggested == D("16.67") and q.override is None
    assert ps.categories[0].score == D("46.67") and ps.total == D("95.29")
    items = to_dict(ps)["categories"][0]["indicators"][0]["items"]
    assert [(i["score"], i["suggested"]) for i in items] == [("8.34", "8.34"), ("5.00", "8.33")]
    assert items[0]["override"] is None and items[1]["override"]["reason"] == "讲座内容与目标不符"


def test_an_item_override_applies_only_while_its_item_reads_as_when_it_was_made():
    made = ScoreOverride("quantity.2", D("5"), "讲座未按计划举办", target="举办讲座≥4场")
    ps = score_project(project(ALL_MET, overrides=[made]))
    assert ps.categories[0].indicators[0].items[1].score == D("5.00")
    # the department edits the cell afterwards (the table returned): item 2 is another item now
    edited = dict(ALL_MET, quantity=("培训人数≥100人；培训满意度≥90%；举办讲座≥4场", "培训人数120人；满意度95%；讲座4场"))
    ps = score_project(project(edited, overrides=[made]))
    q = ps.categories[0].indicators[0]
    assert all(it.override is None for it in q.items) and q.score == q.suggested
    assert ("评分调整“quantity.2”针对的三级指标“举办讲座≥4场”已改为“培训满意度≥90%”，未采用，请重新评分"
            "（理由：讲座未按计划举办）。") in texts(ps.reasons)


def test_a_cell_override_wins_over_its_items_and_one_item_cells_take_none():
    ps = score_project(project(ALL_MET, overrides=[
        ScoreOverride("quantity.1", D(0), "x"), ScoreOverride("quantity", D(12), "整体调整"),
        ScoreOverride("quality.1", D(0), "单项指标按二级指标调整"), ScoreOverride("quantity.9", D(0), "没有这一项")]))
    q, quality = ps.categories[0].indicators[:2]
    assert q.items[0].score == D("0.00") and q.score == D("12.00") and q.suggested == D("16.67")
    # quality has one item: "quality.1" is not an item override (the cell is overridden as "quality")
    assert quality.score == quality.suggested and quality.items[0].override is None
    assert all(it.override is None for it in quality.items)
    # the overrides that name no score are said, not lost
    unused = [r for r in texts(ps.reasons) if r.startswith("评分调整“")]
    assert unused == ["评分调整“quality.1”没有对应的评分项，未采用（理由：单项指标按二级指标调整）。",
                      "评分调整“quantity.9”没有对应的评分项，未采用（理由：没有这一项）。"]
    assert zh(ps.reasons[-1]).startswith("总分")


def test_grades():
    assert [grade(D(x)) for x in ("90", "89.99", "80", "60", "59.99")] == ["优", "良", "良", "中", "差"]


def test_config_rejects_unknown_keys_and_bad_values():
    with pytest.raises(InputError) as e:
        ScoringConfig.from_dict({"execution_weigth": 10})
    assert "未知" in e.value.message_zh
    with pytest.raises(InputError):
        ScoringConfig.from_dict({"category_weights": {"outputs": 50}})
    with pytest.raises(InputError):
        ScoringConfig.from_dict({"projects": {"1": {"tier1_share": 1}}})
    with pytest.raises(InputError):
        ScoringConfig.from_dict({"over_reduction": "yes"})
    with pytest.raises(InputError):
        ScoringConfig.from_dict({"grade_thresholds": {"良": 95}})
    with pytest.raises(InputError):
        ScoringConfig.from_dict({"tier1_share": "abc"})
    assert grade(D(85), ScoringConfig.from_dict({"grade_thresholds": {"优": 85}})) == "优"


def test_per_project_and_per_indicator_weights():
    cfg = ScoringConfig.from_dict({"projects": {"1": {"category_weights": {"output": 40, "outcome": 40}}},
                                   "indicator_weights": {"quantity": 30}})
    ps = score_project(project(ALL_MET), cfg)
    out = ps.categories[0]
    assert out.weight == D(40) and [i.weight for i in out.indicators] == [D(30), D("5.00"), D("5.00")]
    assert any("不是100分" in r for r in texts(ps.reasons)) is False  # 10 + 40 + 40 + 10


def test_formulas_are_chinese_text():
    r = rules()
    assert "预算执行率 × 分值" in r["execution"].text
    assert "80%–100%" in r["qualitative"].text
    ind = score_cell("quantity", "培训人数≥100人", "培训人数120人", D(10))
    assert "实际值 ÷ 目标值" in zh(ind.formula)


def test_to_dict_is_plain_json():
    import json
    d = to_dict(score_project(project(ALL_MET)))
    text = json.dumps(d, ensure_ascii=False)
    assert d["total"] == "98.62" and d["grade"] == "优" and "定量指标" in text


def test_clear_caches_empties_every_cache_of_the_core_and_changes_no_result(seed_table):
    import functools
    import importlib
    import inspect

    import pkgutil

    from jixiao.core import matching, memo, reasons, scoring, targets

    parts = [importlib.import_module(f"jixiao.core.scoring.{m.name}") for m in pkgutil.iter_modules(scoring.__path__)]

    def caches():
        out = {}
        for module in (targets, matching, reasons, *parts):
            for name, value in vars(module).items():
                if isinstance(value, memo.Memo):
                    out[f"{module.__name__}.{name}"] = len(value)
                elif isinstance(value, functools._lru_cache_wrapper) and inspect.getmodule(value) is module:
                    out[f"{module.__name__}.{name}"] = value.cache_info().currsize
        out["matching.units_compatible"] = matching.units_cache_size()
        return out

    first = [scoring.to_dict(ps) for ps in scoring.score_table(seed_table)]
    scoring.score_cell("quantity", "培训≥100人；及时", "培训120人，6月底完成", Decimal(10))
    filled = caches()
    # The names that must be found (a cache renamed or turned into something else shows here).
    for name in ("jixiao.core.targets._parse_cached", "jixiao.core.targets._segment_rows",
                 "jixiao.core.scoring.cells.WEIGHTED", "jixiao.core.matching._completion_tier_of",
                 "jixiao.core.reasons.zh"):
        assert filled[name] > 0, name
    scoring.clear_caches()
    assert {k: v for k, v in caches().items() if v} == {}
    assert [scoring.to_dict(ps) for ps in scoring.score_table(seed_table)] == first


@pytest.mark.parametrize("target", ["≥1", "1", "≥90%", "100%", "5个"])
def test_a_negative_completion_scores_nothing_never_less(target):
    cell = score_cell("quantity", target, "±1、", Decimal(10))
    assert cell.score == Decimal("0.00")
    assert all(item.score >= 0 for item in cell.items)


# --- Not applicable indicators (docs/scoring.md, "Not applicable indicators") ---

def _na_project(ecological, satisfaction=None):
    from jixiao.core.model import IndicatorCell as Cell
    return Project(1, "区工商联", "会员服务", budget=Decimal("100"), actual_total=Decimal("100"),
                   actual_general_budget=Decimal("100"), indicators={
                       "quantity": Cell("培训会员≥100人次", "培训会员120人次"),
                       "social": Cell("会员覆盖率≥90%", "会员覆盖率95%"),
                       "ecological": ecological,
                       "satisfaction": satisfaction or Cell("会员满意度≥90%", "会员满意度95%")})


def _outcome(ps):
    return next(c for c in ps.categories if c.key == "outcome")


def test_ecological_marked_not_applicable_scores_outcome_30_of_30_as_when_blank():
    from jixiao.core.model import IndicatorCell as Cell
    from jixiao.core.scoring import score_project as score
    marked = score(_na_project(Cell(not_applicable=True, na_reason="本项目不涉及生态效益")))
    blank = score(_na_project(Cell()))
    written = score(_na_project(Cell("无（本项目不涉及生态效益）", "")))
    assert _outcome(marked).score == _outcome(blank).score == Decimal("30.00")
    assert _outcome(written).score < Decimal("30.00")
    assert [i.kind for i in _outcome(marked).indicators] == ["social"]
    assert _outcome(marked).indicators[0].weight == Decimal("30")


def test_a_not_applicable_cell_is_never_scored_whatever_its_texts_say():
    from jixiao.core.model import IndicatorCell as Cell
    from jixiao.core.scoring import score_project as score
    ps = score(_na_project(Cell("生态修复≥10亩", "0亩", not_applicable=True, na_reason="本项目不涉及生态效益")))
    assert _outcome(ps).score == Decimal("30.00")
    assert "ecological" not in [i.kind for i in _outcome(ps).indicators]


def test_the_reason_says_the_cell_was_left_out_as_not_applicable_in_both_languages():
    from jixiao.core.model import IndicatorCell as Cell
    from jixiao.core.reasons import render
    from jixiao.core.scoring import score_project as score
    ps = score(_na_project(Cell(not_applicable=True, na_reason="本项目不涉及生态效益")))
    [reason] = [r for r in _outcome(ps).reasons if r[0] == "cell.not_applicable"]
    assert render(reason, "zh") == "生态效益指标标记为不适用（本项目不涉及生态效益），不考核该指标，按适用指标得分计分。"
    assert render(reason, "en").startswith("Ecological benefit indicators: marked not applicable (本项目不涉及生态效益)")
    assert reason in ps.reasons


def test_a_whole_level_not_applicable_shares_its_weight_even_under_a_profile_that_loses_absent_levels():
    from jixiao.core.model import IndicatorCell as Cell
    from jixiao.core.scoring import score_project as score
    na = Cell(not_applicable=True, na_reason="本项目为内部管理事项，无服务对象")
    project = _na_project(Cell(not_applicable=True, na_reason="本项目不涉及生态效益"), satisfaction=na)
    ps = score(project)  # central: absent levels are lost
    sat = next(c for c in ps.categories if c.key == "satisfaction")
    assert sat.weight == 0 and sat.reasons[0] == ("category.not_applicable", "satisfaction", "10")
    out = next(c for c in ps.categories if c.key == "output")
    assert out.weight + _outcome(ps).weight == Decimal("90")  # 50 / 30 share 10 as 56.25 / 33.75
    assert ps.total == Decimal("100.00")


def test_a_level_left_blank_without_the_mark_is_still_lost_under_central():
    from jixiao.core.model import IndicatorCell as Cell
    from jixiao.core.scoring import score_project as score
    ps = score(_na_project(Cell(not_applicable=True, na_reason="本项目不涉及生态效益"), satisfaction=Cell()))
    sat = next(c for c in ps.categories if c.key == "satisfaction")
    assert sat.weight == Decimal("10") and sat.score == 0
    assert sat.reasons[0][0] == "category.empty"
