"""Pre-fill and trace: the targets set with the budget become the self-evaluation's 年度指标值
with their 分值, and each indicator can be followed to its completion, a changed target shown."""

from decimal import Decimal

from jixiao.core.prefill import self_evaluation_table, trace
from jixiao.core.scoring import score_project
from jixiao.core.target_sheet import TargetIndicator, TargetProject, TargetSheet


def sheet() -> TargetSheet:
    d = Decimal
    p = TargetProject("党务干部培训", "某区委组织部", "某区委党校", d("38.5"), d("30"), d("8.5"), "全年培训党务干部不少于100人次", [
        TargetIndicator("quantity", "参训人数", ">=", "100", "人次", d(30)),
        TargetIndicator("quantity", "培训期数", "=", "4", "期", d(10)),
        TargetIndicator("quality", "培训合格率", ">=", "95", "%", d(10)),
        TargetIndicator("cost", "人均培训成本", "<=", "0.385", "万元", d(0)),
        TargetIndicator("social", "党务工作能力", "qualitative", "明显提升", "", d(30)),
        TargetIndicator("satisfaction", "参训人员满意度", ">=", "90", "%", d(10)),
    ])
    return TargetSheet(2024, "某区委组织部", projects=[p], profile="central")


def test_the_self_evaluation_is_pre_filled_with_every_target_and_weight():
    table = self_evaluation_table(sheet())
    [p] = table.projects
    assert (table.year, p.seq, p.name, p.unit_name, p.budget, p.annual_goal) == (
        2024, 1, "党务干部培训", "某区委党校", Decimal("38.5"), "全年培训党务干部不少于100人次")
    assert [(i.name, i.target, i.weight) for i in p.indicators["quantity"].items] == [
        ("参训人数", "≥100人次", Decimal(30)), ("培训期数", "=4期", Decimal(10))]
    assert p.indicators["quantity"].target == "参训人数≥100人次；培训期数=4期"
    assert all(i.actual == "" for c in p.indicators.values() for i in c.items)


def test_a_pre_filled_project_scores_once_completions_are_entered():
    table = self_evaluation_table(sheet())
    p = table.projects[0]
    p.actual_total = p.actual_general_budget = Decimal("38.5")
    for cell in p.indicators.values():
        for item in cell.items:
            item.actual = {"参训人数": "120人次", "培训期数": "4期", "培训合格率": "98%", "人均培训成本": "0.32万元",
                           "党务工作能力": "明显提升", "参训人员满意度": "96%"}[item.name]
    score = score_project(p)
    assert score.total is not None and score.total > 90


def test_the_trace_shows_a_target_changed_before_the_self_evaluation():
    s = sheet()
    p = self_evaluation_table(s).projects[0]
    p.indicators["quality"].items[0].target = "≥90%"  # quietly lowered
    p.indicators["quality"].items[0].actual = "92%"
    p.indicators["satisfaction"].items.clear()  # dropped
    rows = trace(s.projects[0], p)
    assert [(r.name, r.changed) for r in rows] == [("参训人数", False), ("培训期数", False), ("培训合格率", True),
                                                  ("人均培训成本", False), ("党务工作能力", False), ("参训人员满意度", True)]
    assert (rows[2].target, rows[2].evaluated_target, rows[2].actual) == ("≥95%", "≥90%", "92%")
    assert rows[5].evaluated_target is None


def test_a_target_changed_after_approval_is_jx611_in_a_later_sheet_and_in_the_self_evaluation():
    from jixiao.core.checks import check_target_changes
    from jixiao.core.prefill import self_evaluation_table, target_changes
    from jixiao.core.target_sheet import TargetIndicator, TargetProject, TargetSheet

    def sheet(value, extra=True):
        inds = [TargetIndicator("quality", "合格率", ">=", value, "%")]
        if extra:
            inds.append(TargetIndicator("quantity", "培训人次", ">=", "100", "人次"))
        return TargetSheet(2024, "甲部门", projects=[TargetProject("培训项目", goal="完成培训", indicators=inds)])

    approved = sheet("95")
    assert target_changes(approved, sheet("95")) == []
    changes = target_changes(approved, sheet("90", extra=False))
    assert [(c.approved, c.now) for c in changes] == [("≥95%", "≥90%"), ("≥100人次", None)]
    findings = check_target_changes(approved, sheet("90"))
    assert [f.code for f in findings] == ["JX611"] and "≥95%" in findings[0].message_zh
    assert "≥90%" in findings[0].message_en and findings[0].project_seq == 1
    table = self_evaluation_table(approved)
    assert check_target_changes(approved, table) == []
    table.projects[0].indicators["quality"].items[0].target = "≥90%"
    assert [f.column for f in check_target_changes(approved, table)] == ["indicators.0"]
