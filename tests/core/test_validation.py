"""The bounds every way in shares (jixiao.core.validation), value by value, in both languages."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core import validation as v
from jixiao.core.model import IndicatorCell, ScoreOverride
from jixiao.errors import InputError


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("3.80"), Decimal("-3"), Decimal("999999999999999"),
                                    Decimal("99999999999.9999"), Decimal("1.00000000"), 12])
def test_amounts_inside_the_bounds_pass(amount):
    assert v.amount_problem(amount) is None


@pytest.mark.parametrize("amount,code", [
    (Decimal("1E15"), "amount_range"), (Decimal("-1E15"), "amount_range"), (Decimal("NaN"), "not_finite"),
    (Decimal("Infinity"), "not_finite"), (Decimal("1E-28"), "amount_places"), (Decimal("1e-999990"), "amount_places"),
    (Decimal("1.23456"), "amount_places"), (Decimal("123456789012.3456"), "amount_digits"), (1.5, "not_a_number"),
    ("3", "not_a_number"), (True, "not_a_number"),
])
def test_amounts_outside_the_bounds_name_the_rule(amount, code):
    problem = v.amount_problem(amount, "$.projects[0].budget", "budget")
    assert problem.code == code and problem.path == "$.projects[0].budget"
    assert problem.message_zh.startswith("项目年度预算金额") and problem.message_en.startswith("budget")


def test_a_negative_amount_is_refused_only_where_asked():
    assert v.amount_problem(Decimal("-1"), negative_ok=False).code == "amount_range"


@pytest.mark.parametrize("seq,ok", [(1, True), (100_000, True), (0, False), (-5, False), (10 ** 30, False),
                                    (100_001, False), (True, False), ("1", False)])
def test_seq_runs_from_one_to_the_documented_maximum(seq, ok):
    assert (v.seq_problem(seq) is None) is ok


def test_the_seq_maximum_fits_a_32_bit_column():
    assert v.SEQ_MAX < 2 ** 31 - 1


@pytest.mark.parametrize("text,code", [("a" * 301, "too_long"), ("项目\x00", "control_char"), ("\x1b[31m", "control_char"),
                                       ("\x7f", "control_char"), ("\ud800", "surrogate"), ("a\udfff", "surrogate"),
                                       ("\ufffe", "control_char")])
def test_texts_too_long_or_unprintable_are_refused(text, code):
    problem = v.text_problem(text, "$.projects[0].name", "name")
    assert problem.code == code
    problem.message_zh.encode("utf-8")  # a message can always be sent, whatever the text held
    problem.message_en.encode("utf-8")


@pytest.mark.parametrize("text", ["", "项目名称", "第一行\n第二行", "a\tb", "a\r\nb", "a" * 300, "emoji 😀"])
def test_ordinary_texts_pass(text):
    assert v.text_problem(text, field_name="name") is None


def test_every_field_has_a_limit_and_a_name_in_both_languages():
    for field in v.TEXT_LIMITS:
        assert field in v.FIELD_NAMES and all(v.FIELD_NAMES[field])
    assert all(zh and en for zh, en in v.MESSAGES.values())


def test_a_layout_names_each_kind_once():
    assert v.layout_problem(("quantity", "quality")) is None
    assert v.layout_problem(("quantity", "quality", "quantity")).path == "$.layout[2]"


def test_overrides_must_name_a_real_item_within_its_weight(seed_table):
    project = seed_table.projects[0]
    weights = v.overridable_weights(project)
    assert weights["execution"] == 10 and weights["total"] == 100 and "cost" not in weights
    good = replace(project, overrides=[ScoreOverride("execution", Decimal("10"), "r")])
    assert v.override_problems(good) == []
    for item, score, code in (("execution", Decimal("-50"), "override_range"), ("execution", Decimal("10.01"), "override_range"),
                              ("nonsense", Decimal("1"), "override_unknown"), ("cost", Decimal("1"), "override_unknown")):
        bad = replace(project, overrides=[ScoreOverride(item, score, "r")])
        assert [p.code for p in v.override_problems(bad, "$.projects[0]")] == [code], item
    twice = replace(project, overrides=[ScoreOverride("total", Decimal("90"), "r")] * 2)
    assert [p.code for p in v.override_problems(twice)] == ["override_repeated"]


def test_check_table_raises_the_first_problem_with_its_path_and_the_count(seed_table):
    seed_table.projects[0].seq = -5
    seed_table.projects[1].name = "x" * 400
    seed_table.projects[2].indicators["quantity"] = IndicatorCell("\x00", "")
    with pytest.raises(InputError) as info:
        v.check_table(seed_table, source="t.json")
    assert info.value.path == "$.projects[0].seq" and "另有 2 处问题" in info.value.message_zh
    assert "2 more" in info.value.message_en


def test_the_seed_is_inside_every_bound(seed_table):
    assert v.table_problems(seed_table) == []


def test_round_amounts_fits_spreadsheet_floats_to_four_decimals(seed_table):
    seed_table.projects[0].budget = Decimal("267.09999999999997")
    changes = v.round_amounts(seed_table)
    assert changes == [("$.projects[0].budget", Decimal("267.09999999999997"), Decimal("267.1000"))]
    assert seed_table.projects[0].budget == Decimal("267.1000")
