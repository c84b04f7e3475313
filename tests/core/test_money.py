from decimal import Decimal

import pytest

from jixiao.core import money
from jixiao.core.money import MoneyUnit


def test_execution_rate_half_up():
    assert money.execution_rate(Decimal("3.79"), Decimal("3.80")) == Decimal("99.74")
    # 1/8 = 12.5% exactly; 0.125 → half-up 2 decimals on the percent: 0.0125*100 = 1.25
    assert money.execution_rate(Decimal("1"), Decimal("80")) == Decimal("1.25")
    # a true half: 0.005% rounds up
    assert money.execution_rate(Decimal("0.00005"), Decimal("1")) == Decimal("0.01")


def test_execution_rate_undefined_without_budget():
    assert money.execution_rate(Decimal("1"), Decimal("0")) is None
    assert money.execution_rate(None, Decimal("1")) is None


def test_unit_conversion_exact_both_ways():
    assert money.convert(Decimal("3.80"), MoneyUnit.WAN_YUAN, MoneyUnit.YUAN) == Decimal("38000")
    assert money.convert(Decimal("38000.00"), MoneyUnit.YUAN, MoneyUnit.WAN_YUAN) == Decimal("3.8")
    assert money.convert(Decimal("1.23"), MoneyUnit.YUAN, MoneyUnit.WAN_YUAN) == Decimal("0.000123")


@pytest.mark.parametrize("text", ["万元", "单位：万元", "单位: 万元", " 万元 "])
def test_unit_parse(text):
    assert MoneyUnit.parse(text) is MoneyUnit.WAN_YUAN


def test_unit_parse_rejects_unknown():
    with pytest.raises(ValueError):
        MoneyUnit.parse("美元")


def test_parse_amount():
    assert money.parse_amount("1,234.50") == Decimal("1234.50")
    assert money.parse_amount("") is None
    assert money.parse_amount(None) is None
    for bad in ("三千", "1.2.3", "12元"):
        with pytest.raises(ValueError):
            money.parse_amount(bad)


def test_rates_text_round_trip():
    assert money.parse_rate("99.74%") == Decimal("99.74")
    assert money.format_rate(Decimal("99.7")) == "99.70%"
    with pytest.raises(ValueError):
        money.parse_rate("九成")
