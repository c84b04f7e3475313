import collections
from decimal import Decimal

import pytest

from jixiao.core.checks import CHECKS, check_table
from jixiao.core.taxonomy import DISCLOSURE_2019, FULL
from jixiao.formats import table_json
from jixiao.generate import INCONSISTENCIES, department_sizes, generate_province, generate_table

# Checks that a consistent generated row must never trigger. JX202 (a qualitative
# 质量/时效 target) is realistic in consistent data, as in the seed, so it is allowed.
ALLOWED_IN_CONSISTENT = {"JX202"}


def test_reproducible_from_seed():
    a = table_json.dumps(generate_table(30, seed=7, inconsistent_share=0.3))
    b = table_json.dumps(generate_table(30, seed=7, inconsistent_share=0.3))
    c = table_json.dumps(generate_table(30, seed=8, inconsistent_share=0.3))
    assert a == b and a != c


def test_consistent_table_sums_and_rates():
    table = generate_table(400, seed=1)
    for p in table.projects:
        assert p.actual_total == p.actual_parts_sum
        assert p.execution_rate_text == f"{p.execution_rate}%"
        assert p.actual_total <= p.budget and all(isinstance(getattr(p, f), Decimal) for f in ("budget", "actual_total"))
    found = {f.code for f in check_table(table)}
    assert found <= ALLOWED_IN_CONSISTENT
    assert len({p.name for p in table.projects}) == 400


def test_each_inconsistency_is_caught():
    table = generate_table(600, seed=2, inconsistent_share=1.0)
    found = collections.Counter(f.code for f in check_table(table))
    for kind, code in INCONSISTENCIES.items():
        assert found[code] > 0, f"{kind} ({code}) never caught"
    assert set(INCONSISTENCIES.values()) <= set(CHECKS)


@pytest.mark.slow
def test_share_of_inconsistent_rows():
    table = generate_table(1000, seed=3, inconsistent_share=0.1)
    rows = {f.project_seq for f in check_table(table) if f.code not in ALLOWED_IN_CONSISTENT}
    assert 50 <= len(rows) <= 160  # ~10%, a few kinds (JX401 needs an earlier row) vary


def test_generated_tables_round_trip_through_json():
    table = generate_table(50, seed=4, inconsistent_share=0.5)
    again = table_json.loads(table_json.dumps(table))
    assert table_json.to_document(again) == table_json.to_document(table)


def test_styles_of_indicator_text():
    table = generate_table(500, seed=5)
    targets = " ".join(c.target for p in table.projects for c in p.indicators.values())
    actuals = " ".join(c.actual for p in table.projects for c in p.indicators.values())
    for piece in ("≥", "≧", ">=", "＞", ">", "≤", "≦", "<=", "＜", "<", "=", "＝", "﹦", "═", "不少于", "不低于",
                  "不小于", "达到", "不超过", "不高于", "以上", "以内", "以下", "±", "—", "月前", "月底前", "日前",
                  "及时", "；", "%", "亩", "公里", "人次"):
        assert piece in targets, piece
    for piece in ("100.00%", "满意度", "多", "余", "效果明显", "达成预期指标"):
        assert piece in actuals, piece


def test_year_department_and_layout():
    t = generate_table(3, seed=0, year=2021, department="深圳市龙岗区工商业联合会", layout=FULL)
    assert t.year == 2021 and t.department == "深圳市龙岗区工商业联合会" and t.display_title.startswith("2021年度深圳市")
    assert set(t.projects[0].indicators) == set(FULL)
    assert generate_table(1).layout == DISCLOSURE_2019


def test_bad_arguments():
    with pytest.raises(ValueError):
        generate_table(5, inconsistent_share=1.5)
    with pytest.raises(ValueError):
        generate_table(-1)


@pytest.mark.slow
def test_province():
    tables = list(generate_province(3000, seed=9))
    assert sum(len(t.projects) for t in tables) == 3000
    assert len(tables) > 50 and len({t.department for t in tables}) > 20
    first = [table_json.dumps(t) for t in generate_province(3000, seed=9)][:5]
    assert first == [table_json.dumps(t) for t in tables[:5]]


def test_department_sizes_sum():
    import random
    assert sum(department_sizes(random.Random(1), 12345)) == 12345
