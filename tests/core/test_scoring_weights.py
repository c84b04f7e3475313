"""Scoring with a form's own 分值 (per 二级 cell and per 三级 item) and named profiles."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.model import IndicatorCell, IndicatorItem, Project, Published, Table
from jixiao.core.scoring import PROFILES, ScoringConfig, score_project, score_table, to_dict
from jixiao.errors import InputError

D = Decimal


def form_project(cells: dict[str, IndicatorCell], budget="100.00", actual="100.00", published=None) -> Project:
    return Project(seq=1, unit_name="单位", name="表单项目", budget=D(budget), actual_total=D(actual),
                   indicators=cells, published=published)


def item(name, target, actual, weight=None, published=None) -> IndicatorItem:
    return IndicatorItem(name=name, target=target, actual=actual,
                         weight=None if weight is None else D(weight),
                         published_score=None if published is None else D(published))


def joined(*items: IndicatorItem) -> IndicatorCell:
    return IndicatorCell(target="；".join(i.target_text for i in items), actual="；".join(i.actual for i in items),
                         items=list(items))


def test_each_item_is_scored_on_its_own_with_its_own_weight():
    cell = joined(item("培训人数", "≥100人", "80人", "20"), item("举办讲座", "≥4场", "4场", "30"))
    ps = score_project(form_project({"quantity": cell}))
    ind = ps.categories[0].indicators[0]
    assert [it.weight for it in ind.items] == [D("20.00"), D("30.00")]
    assert [it.score for it in ind.items] == [D("16.00"), D("30.00")]
    assert ind.weight == D(50) and ind.score == D("46.00")
    assert all(it.weight_given for it in ind.items)


def test_items_without_a_weight_share_what_the_weighted_ones_leave_of_the_cell():
    cell = joined(item("培训人数", "≥100人", "120人", "20"), item("讲座", "≥4场", "4场"), item("简报", "≥2期", "2期"))
    cell.weight = D(50)
    ind = score_project(form_project({"quantity": cell})).categories[0].indicators[0]
    assert [it.weight for it in ind.items] == [D("20.00"), D("15.00"), D("15.00")]
    assert [it.weight_given for it in ind.items] == [True, False, False]


def test_a_cells_weight_is_kept_and_the_other_cells_share_the_rest_of_the_category():
    cells = {"quantity": IndicatorCell("培训人数≥100人", "培训人数120人", weight=D(30)),
             "quality": IndicatorCell("合格率≥95%", "合格率98%"),
             "timeliness": IndicatorCell("12月底前完成", "11月完成")}
    ps = score_project(form_project(cells))
    out = ps.categories[0]
    assert [i.weight for i in out.indicators] == [D(30), D("10.00"), D("10.00")]
    assert out.indicators[0].weight_given and not out.indicators[1].weight_given


def test_a_form_that_weighs_every_cell_sets_its_categories_and_leaves_unused_ones_at_zero():
    # Sichuan's form: 预算执行情况(10分), 产出 60 and 效益 30 by 权重, no 满意度.
    cells = {"quantity": joined(item("发放覆盖率", "=100%", "100%", "60")),
             "social": joined(item("足额保障率", "=100%", "100%", "30"))}
    ps = score_project(form_project(cells), ScoringConfig.from_dict({"profile": "sichuan"}))
    assert [(c.key, c.weight, c.score) for c in ps.categories] == [
        ("output", D(60), D("60.00")), ("outcome", D(30), D("30.00")), ("satisfaction", D(0), D("0.00"))]
    assert ps.total == D("100.00")
    assert not any("不是100分" in r or "无法得分" in r for r in ps.reasons)


def test_published_weights_take_precedence_over_the_profile():
    cells = {"quantity": IndicatorCell("培训人数≥100人", "培训人数120人")}
    pub = Published(execution_weight=D(20), category_weights={"output": D(60), "outcome": D(10)})
    ps = score_project(form_project(cells, actual="50.00", published=pub))
    assert ps.execution.weight == D(20) and ps.execution.score == D("10.00")
    assert [c.weight for c in ps.categories] == [D(60), D(10), D(10)]


def test_profiles_set_the_execution_weight_and_split():
    assert PROFILES["central"].execution_weight == 10
    assert dict(PROFILES["central"].category_weights) == {"output": 50, "outcome": 30, "satisfaction": 10}
    hubei = ScoringConfig.from_dict({"profile": "hubei"})
    assert hubei.execution_weight == 20
    assert hubei.execution_weight + sum(hubei.category_weights.values()) == 100
    for p in PROFILES.values():
        assert p.source, p.name


def test_a_tables_profile_chooses_the_weights_unless_the_settings_name_one():
    p = form_project({"quantity": IndicatorCell("培训人数≥100人", "培训人数120人")}, actual="50.00")
    table = Table(year=2023, department="部门", projects=[p], profile="hubei")
    assert score_table(table)[0].execution.weight == 20
    assert score_table(table)[0].profile == "hubei"
    central = ScoringConfig.from_dict({"profile": "central"})
    assert score_table(table, central)[0].execution.weight == 10
    # A settings file's own weight is kept under any profile.
    own = ScoringConfig.from_dict({"execution_weight": 15})
    assert score_table(table, own)[0].execution.weight == 15


def test_an_unknown_profile_is_refused_in_both_languages():
    with pytest.raises(InputError) as e:
        ScoringConfig.from_dict({"profile": "mars"})
    assert "mars" in e.value.message_zh and "central" in e.value.message_en
    with pytest.raises(InputError):
        ScoringConfig.from_dict({"evidence": "lenient"})


def test_a_project_without_form_weights_scores_as_before_under_central():
    cells = {"quantity": IndicatorCell("培训人数≥100人", "培训人数120人")}
    a = to_dict(score_project(form_project(cells)))
    b = to_dict(score_project(form_project(cells), ScoringConfig.from_dict({"profile": "central"})))
    a.pop("profile"), b.pop("profile")
    assert a == b


def test_published_item_scores_are_kept_beside_the_suggestion():
    cell = joined(item("培训人数", "≥100人", "80人", "20", published="20"), item("讲座", "≥4场", "4场", "30", "30"))
    pub = Published(total=D("100"), grade="优", execution_score=D("10"))
    ps = score_project(form_project({"quantity": cell}, published=pub))
    ind = ps.categories[0].indicators[0]
    assert [it.published for it in ind.items] == [D("20"), D("30")] and ind.published == D("50")
    assert ps.published_total == D("100") and ps.published_grade == "优" and ps.execution.published == D("10")
    data = to_dict(ps)
    assert data["published_total"] == "100" and data["categories"][0]["indicators"][0]["items"][0]["published"] == "20"


def codes(project, profile=""):
    from jixiao.core.checks import check_table
    return [f.code for f in check_table(Table(year=2023, department="部门", projects=[project], profile=profile))
            if f.code.startswith("JX5")]


def test_items_that_do_not_add_up_to_their_cell_are_reported():
    cell = joined(item("培训人数", "≥100人", "120人", "20"), item("讲座", "≥4场", "4场", "20"))
    cell.weight = D(50)
    assert "JX501" in codes(form_project({"quantity": cell}))
    cell.items[1].weight = D(30)
    assert "JX501" not in codes(form_project({"quantity": cell}))


def test_cells_that_do_not_add_up_to_their_level_are_reported_unless_the_profile_leaves_the_split_to_the_form():
    cells = {"quantity": joined(item("发放覆盖率", "=100%", "100%", "60")),
             "social": joined(item("足额保障率", "=100%", "100%", "30"))}
    assert "JX502" in codes(form_project(cells))  # central: 产出 50
    assert "JX502" not in codes(form_project(cells), "sichuan")
    assert "JX503" not in codes(form_project(cells), "sichuan")  # 10 + 60 + 30


def test_weights_that_do_not_add_up_to_100_are_reported():
    cells = {"quantity": joined(item("发放覆盖率", "=100%", "100%", "60")),
             "social": joined(item("足额保障率", "=100%", "100%", "40"))}
    assert "JX503" in codes(form_project(cells), "sichuan")
    plain = form_project({"quantity": IndicatorCell("培训人数≥100人", "培训人数120人")})
    assert codes(plain) == []


def test_claimed_items_are_a_finding_the_reviewer_sees():
    import dataclasses

    from jixiao.core import matching
    from jixiao.core.checks import score_findings
    from jixiao.core.scoring import score_cell
    m = matching.match_cell("及时", "及时")
    m = dataclasses.replace(m, judgements=[dataclasses.replace(j, claimed=True) for j in m.judgements])
    ind = score_cell("timeliness", "及时", "及时", D(10), match=m)
    p = form_project({"timeliness": IndicatorCell("及时", "及时")})
    ps = score_project(p)
    ps.categories[0].indicators = [ind]
    found = score_findings(p, ps)
    assert [f.code for f in found] == ["JX504"] and "4" in found[0].message_zh


# --- rows written as a statement, and completions that repeat the row's value ------------------


def test_a_row_with_only_a_name_is_a_claim_met_in_practice_and_unproven_when_strict():
    cell = joined(item("工程质量合格", "", "", "10"))
    practice = score_project(form_project({"quality": cell})).categories[0].indicators[0].items[0]
    assert (practice.score, practice.evidenced, practice.evidence) == (D("10.00"), D("6.00"), "claimed")
    assert practice.reasons[0] == ("match.name_only", "工程质量合格") and practice.actual == ""
    strict = score_project(form_project({"quality": cell}), ScoringConfig.from_dict({"evidence": "strict"}))
    assert strict.categories[0].indicators[0].items[0].score == D("6.00")


def test_a_row_with_a_target_value_and_no_completion_is_still_blank():
    cell = joined(item("工程质量", "合格", "", "10"))
    it = score_project(form_project({"quality": cell})).categories[0].indicators[0].items[0]
    assert it.score == D("0.00") and it.evidence != "claimed"


def test_a_completion_repeating_the_rows_value_is_a_copy_of_the_target():
    cell = joined(item("减轻贫困学生家庭经济负担", "有效", "有效", "10"))
    outcome = next(c for c in score_project(form_project({"social": cell})).categories if c.key == "outcome")
    it = outcome.indicators[0].items[0]
    assert (it.score, it.evidence, it.actual) == (D("10.00"), "claimed", "有效")


# --- levels with no indicator (absent_levels) ----------------------------------------------------


def test_share_out_gives_whole_cents_in_proportion_that_add_up_exactly():
    from jixiao.core.scoring.weights import share_out

    assert share_out(D(30), [D(40), D(10)]) == [D("24.00"), D("6.00")]
    parts = share_out(D(10), [D(1), D(1), D(1)])
    assert parts == [D("3.34"), D("3.33"), D("3.33")] and sum(parts) == D(10)
    assert share_out(D(5), [D(0), D(0)]) == [D("2.50"), D("2.50")]


def test_under_hubei_a_level_without_indicators_shares_its_points_with_the_others():
    cells = {"quality": joined(item("监测数据合格", "100%", "100%")),
             "satisfaction": joined(item("满意度", "≥90%", "95%"))}
    ps = score_project(form_project(cells), profile="hubei")
    weights = {c.key: c.weight for c in ps.categories}
    assert weights == {"output": D("64.00"), "outcome": D("0.00"), "satisfaction": D("16.00")}
    assert ps.total == D("100.00")
    outcome = next(c for c in ps.categories if c.key == "outcome")
    assert outcome.reasons == (("category.shared", "outcome", "30"),)


def test_under_central_a_level_without_indicators_is_lost_and_says_so():
    cells = {"quality": joined(item("监测数据合格", "100%", "100%")),
             "satisfaction": joined(item("满意度", "≥90%", "95%"))}
    ps = score_project(form_project(cells))
    outcome = next(c for c in ps.categories if c.key == "outcome")
    assert outcome.weight == D(30) and outcome.score == D(0)
    assert outcome.reasons[0][0] == "category.empty" and ps.total == D("70.00")


def test_a_level_weight_the_form_printed_is_never_shared():
    cells = {"quality": joined(item("监测数据合格", "100%", "100%"))}
    published = Published(category_weights={"outcome": D(30)})
    ps = score_project(form_project(cells, published=published), profile="hubei")
    weights = {c.key: c.weight for c in ps.categories}
    assert weights["outcome"] == D(30) and weights["output"] == D("50.00") and weights["satisfaction"] == D(0)


def test_absent_levels_is_a_setting_that_rejects_unknown_values():
    assert ScoringConfig.from_dict({"absent_levels": "shared"}).absent_levels == "shared"
    assert ScoringConfig.from_dict({"profile": "hubei"}).absent_levels == "shared"
    assert ScoringConfig.from_dict({"profile": "hubei", "absent_levels": "lost"}).absent_levels == "lost"
    with pytest.raises(InputError, match="absent_levels"):
        ScoringConfig.from_dict({"absent_levels": "spread"})
