from decimal import Decimal

from jixiao.core.money import MoneyUnit


def test_seed_totals_are_computed(seed_table):
    t = seed_table.totals()
    assert (t.budget, t.actual_total, t.execution_rate) == (Decimal("491.59"), Decimal("489.20"), Decimal("99.51"))


def test_seed_rates_recomputed(seed_table):
    assert [str(p.execution_rate) for p in seed_table.projects] == [
        "99.74", "91.68", "99.92", "99.99", "99.71", "99.88"]


def test_conversion_keeps_rates(seed_table):
    yuan = seed_table.converted(MoneyUnit.YUAN)
    assert yuan.projects[0].budget == Decimal("38000")
    assert [p.execution_rate for p in yuan.projects] == [p.execution_rate for p in seed_table.projects]
    assert yuan.converted(MoneyUnit.WAN_YUAN).totals().budget == Decimal("491.59")


def test_default_title(seed_table):
    seed_table.title = ""
    seed_table.department_short = "区工商联"
    assert seed_table.display_title == "2019年度区工商联部门预算项目绩效自评情况公开表"
