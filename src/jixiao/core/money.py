"""Money and rates: always :class:`~decimal.Decimal`, never float.

Rules (see docs/rules.md):

* amounts are exact decimals in the table's money unit (元 or 万元);
* 1 万元 = 10 000 元, and conversion is exact in both directions;
* 预算支出执行率 (execution rate) = 实际支出合计 / 项目年度预算金额 × 100,
  rounded half-up to 2 decimals and shown as ``99.74%``.
"""

from __future__ import annotations

import enum
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class MoneyUnit(enum.Enum):
    """The money unit of a table, with its value in 元."""

    YUAN = "元"
    WAN_YUAN = "万元"

    @property
    def in_yuan(self) -> Decimal:
        return Decimal(1) if self is MoneyUnit.YUAN else Decimal(10000)

    @classmethod
    def parse(cls, text: str) -> "MoneyUnit":
        """Read a unit as written in a table header (``万元``, ``单位：万元``, ``元``)."""
        t = (text or "").strip()
        t = re.sub(r"^(金额)?单位[:：]\s*", "", t).strip()
        for unit in cls:
            if t == unit.value:
                return unit
        raise ValueError(f"unknown money unit {text!r}; expected 元 or 万元")


def convert(amount: Decimal, from_unit: MoneyUnit, to_unit: MoneyUnit) -> Decimal:
    """Convert exactly between units (万元 → 元 multiplies by 10 000)."""
    if from_unit is to_unit:
        return amount
    result = amount * from_unit.in_yuan / to_unit.in_yuan
    # Division by 10 000 is exact in decimal; normalise away spurious exponents
    # (e.g. 38000 元 → 3.8 万元, not 3.8000) but keep at least 2 decimals.
    return at_least_cents(result)


def at_least_cents(value: Decimal) -> Decimal:
    """``value`` without spurious trailing zeros but with at least 2 decimals (``3.8000`` → ``3.80``)."""
    value = value.normalize()
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return value.quantize(CENT)
    return value


_MONEY_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def parse_amount(text: str | int | Decimal | None) -> Decimal | None:
    """Parse a money cell. Blank → ``None``; thousands separators allowed.

    Raises :class:`ValueError` for text that is not a number (``"三千"``, ``"1.2.3"``).
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"not an amount: {text!r}")
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    t = str(text).strip().replace("，", ",").replace("－", "-")
    if t == "":
        return None
    if not _MONEY_RE.match(t):
        raise ValueError(f"not an amount: {text!r}")
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex already guards
        raise ValueError(f"not an amount: {text!r}") from exc


def format_amount(amount: Decimal | None) -> str:
    """Two decimals, as tables print money (``3.80``)."""
    if amount is None:
        return ""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    # Two places (money, rates) is nearly every call: its quantum is built once.
    return value.quantize(CENT if places == 2 else Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def execution_rate(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """预算支出执行率 in percent, half-up to 2 decimals; ``None`` when undefined (no or zero budget)."""
    if actual is None or budget is None or budget == 0:
        return None
    return round_half_up(actual / budget * HUNDRED)


_RATE_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*[%％]$")


def parse_rate(text: str | None) -> Decimal | None:
    """``"99.74%"`` → ``Decimal("99.74")``; blank → ``None``; anything else → ValueError."""
    if text is None:
        return None
    t = str(text).strip()
    if t == "":
        return None
    m = _RATE_RE.match(t)
    if not m:
        raise ValueError(f"not a percentage: {text!r}")
    return Decimal(m.group(1))


def format_rate(rate: Decimal | None) -> str:
    """``Decimal("99.7")`` → ``"99.70%"``."""
    if rate is None:
        return ""
    return f"{round_half_up(rate)}%"
