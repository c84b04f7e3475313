"""The 绩效目标表: the targets a project sets with its budget, before the year begins.

Why a model of its own: the self-evaluation (:mod:`.model`) judges a year that is over —
target beside completion, scored. The 项目支出绩效目标表 is written a year earlier, with the
budget, and reviewed by the finance bureau (绩效目标审核) before any money is spent. It holds
what the self-evaluation later quotes as 年度指标值, and more: per 三级 indicator its 指标性质
(≥, ≤, =, 定性), value and unit in their own fields, its 分值, where the value comes from
(指标值设定依据: 计划/行业/历史标准) and last year's actual value, which tells an easy target
from a demanding one. Keeping these as fields — not as the free text a disclosure table
prints — is what lets the finance bureau check a target's quality, the self-evaluation be
pre-filled from it, and each indicator be traced target → completion → score.

Real forms (tests/fidelity/targets, docs/targets.md) write 指标性质, value and unit in one
cell (湘潭 2023: 「≥80M」「10辆」) or in three; :func:`indicator_from_text` reads the one-cell
kind with the cell parser of :mod:`.targets`, so ``≥95%`` becomes ``>=``, ``95``, ``%``.

Pure data and functions, standard library only. Money is :class:`~decimal.Decimal` in the
sheet's money unit (元 or 万元).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .targets import fold, parse_cell
from .taxonomy import KIND_BY_KEY, Category

# 指标性质: the comparison the value states, or 定性 for a target in words.
NATURES: tuple[str, ...] = (">=", "<=", "=", "qualitative")
NATURE_SYMBOLS: dict[str, str] = {">=": "≥", "<=": "≤", "=": "=", "qualitative": "定性"}
NATURE_NAMES_EN: dict[str, str] = {">=": "at least", "<=": "at most", "=": "equal to", "qualitative": "qualitative"}
QUANTITATIVE: frozenset[str] = frozenset({">=", "<=", "="})
# How the 指标性质 column is written in real forms (folded by targets.fold first).
_NATURE_WORDS: dict[str, str] = {
    "≥": ">=", ">=": ">=", ">": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "正向": ">=", "正向指标": ">=",
    "≤": "<=", "<=": "<=", "<": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=", "反向": "<=", "反向指标": "<=",
    "=": "=", "等于": "=", "定量": "=",
    "定性": "qualitative",
}

# 指标值设定依据 (the source of a target's value), as the MoF template and 湘潭's 绩效标准 column name them.
BASES: tuple[str, ...] = ("plan", "industry", "history", "other")
BASIS_NAMES: dict[str, str] = {"plan": "计划标准", "industry": "行业标准", "history": "历史标准", "other": "其他"}
BASIS_NAMES_EN: dict[str, str] = {"plan": "planned standard", "industry": "industry standard",
                                  "history": "historical standard", "other": "other"}
_BASIS_WORDS: tuple[tuple[str, str], ...] = (("计划", "plan"), ("行业", "industry"), ("历史", "history"),
                                             ("其他", "other"), ("财政部门", "other"))

MONEY_UNITS: tuple[str, ...] = ("元", "万元")


@dataclass
class TargetIndicator:
    """One 三级 indicator of a 绩效目标表.

    ``value`` is the 指标值 as written (``95``, ``2280``, ``及时``, ``2023年12月31日前``): text,
    so that what the unit wrote round-trips exactly; :attr:`number` reads it as a Decimal.
    ``last_actual`` is 上年实际完成值 as written (empty when the form gives none).
    """

    kind: str  # the 二级 key of jixiao.core.taxonomy: quantity, quality, … satisfaction
    name: str  # 三级指标
    nature: str | None = None  # one of NATURES; None when the form's text could not be read
    value: str = ""
    unit: str = ""
    weight: Decimal | None = None  # 分值
    basis: str | None = None  # one of BASES
    last_actual: str = ""

    @property
    def category(self) -> Category:
        return KIND_BY_KEY[self.kind].category

    @property
    def quantitative(self) -> bool:
        return self.nature in QUANTITATIVE

    @property
    def number(self) -> Decimal | None:
        return read_number(self.value)

    def target_text(self) -> str:
        """The target as one cell prints it: ``≥95%``, ``=10辆``, or the words of a 定性 target."""
        if self.nature in QUANTITATIVE:
            return f"{NATURE_SYMBOLS[self.nature]}{self.value}{self.unit}"
        return f"{self.value}{self.unit}"


@dataclass
class TargetProject:
    """One project's 项目支出绩效目标表."""

    name: str  # 项目名称
    department: str = ""  # 主管部门
    unit: str = ""  # 实施单位
    total: Decimal | None = None  # 年度资金总额
    fiscal: Decimal | None = None  # 其中：财政拨款
    other: Decimal | None = None  # 其他资金
    goal: str = ""  # 年度总体目标
    indicators: list[TargetIndicator] = field(default_factory=list)

    @property
    def funds_sum(self) -> Decimal | None:
        """财政拨款 + 其他资金, or None when neither is given."""
        if self.fiscal is None and self.other is None:
            return None
        return (self.fiscal or Decimal(0)) + (self.other or Decimal(0))

    @property
    def shown_total(self) -> Decimal | None:
        """年度资金总额 as the form and the pages show it: the total given, else the sum of the
        sources (a total is computed, never shown blank when its parts are known)."""
        return self.total if self.total is not None else self.funds_sum


@dataclass
class TargetSheet:
    """A department's 绩效目标表 for one budget year: one form per project."""

    year: int
    department: str = ""
    money_unit: str = "万元"
    title: str = ""
    profile: str = ""  # the scoring profile whose weights the 分值 should follow (central when empty)
    projects: list[TargetProject] = field(default_factory=list)

    @property
    def display_title(self) -> str:
        return self.title or f"{self.year}年度{self.department}项目支出绩效目标表"


# ---------------------------------------------------------------------------
# Reading the fields as real forms write them

_NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def read_number(text: str) -> Decimal | None:
    """The value as a Decimal when it is a number and nothing else (``95``, ``1,234.5``)."""
    t = fold(text or "").strip()
    if not _NUMBER_RE.fullmatch(t):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def read_nature(text: str) -> str | None:
    """The 指标性质 column (``≥``, ``≦``, ``定性``, ``正向指标``) as one of NATURES, None if unknown."""
    t = fold(text or "").strip().replace(" ", "")
    if not t:
        return None
    if t in NATURES:
        return t
    return _NATURE_WORDS.get(t)


def read_basis(text: str) -> str | None:
    """The 指标值设定依据 (``计划标准``, ``行业标准``…) as one of BASES; None when blank or when the
    text names no standard (鄂州 2022's 绩效标准 column describes what an indicator reflects:
    「反映办公大楼全年维修维护情况」 is not a basis)."""
    t = (text or "").strip()
    if not t:
        return None
    if t in BASES:
        return t
    for word, key in _BASIS_WORDS:
        if word in t:
            return key
    return "other" if ("标准" in t or "依据" in t) else None


# A target that is only an operator, a number and a unit (≥95%, 10辆, ≥80M, 250万): read as written,
# the unit kept verbatim (the cell parser below normalises units and needs a known one).
_SIMPLE_RE = re.compile(r"\s*(>=|<=|≥|≤|>|<|=)?\s*([0-9]+(?:\.[0-9]+)?)\s*([^\s0-9.,;:()]{0,6})\s*")


def indicator_from_text(kind: str, name: str, text: str, **fields) -> TargetIndicator:
    """A 三级 indicator from its target written in one cell (``≥95%``, ``10辆``, ``及时``).

    The cell parser (:func:`jixiao.core.targets.parse_cell`) finds the operator, value and unit;
    A cell that is only an operator, a number and a unit is read as written (the unit verbatim:
    ``≥80M``); otherwise ``>`` and ``<`` are read as ≥ and ≤ (the MoF form's 指标性质 has only these), a number
    without an operator as ``=`` — except under 成本指标, where an amount is a ceiling (≤). A
    deadline, a qualitative phrase or a range is kept as written under 定性 (deadlines and
    ranges) or with no 指标性质 (what the parser could not read). ``fields`` are the other
    fields of :class:`TargetIndicator` (weight, basis, last_actual).
    """
    KIND_BY_KEY[kind]  # raises KeyError for an unknown kind
    raw = (text or "").strip()
    if not raw:
        return TargetIndicator(kind, name, None, "", "", **fields)
    simple = _SIMPLE_RE.fullmatch(fold(raw))
    if simple and not (simple.group(3).startswith("年") and len(simple.group(2)) == 4):
        op, number, unit = simple.groups()
        op = {">": ">=", "≥": ">=", "<": "<=", "≤": "<=", None: "<=" if kind == "cost" else "="}.get(op, op)
        return TargetIndicator(kind, name, op, number, "万元" if unit == "万" else unit, **fields)
    items = parse_cell(raw, kind)
    if len(items) == 1:
        it = items[0]
        if it.kind == "quantity" and it.value is not None and it.op in (">=", "<=", "=", ">", "<", None):
            op = {">": ">=", "<": "<=", None: "="}.get(it.op, it.op)
            unit = it.unit or ""
            if it.unit_inferred:
                unit = ""  # a unit read from the subject (人数 → 人) is not the form's unit
            if unit == "万" or (unit == "" and raw.endswith("万")):
                unit = "万元"
            return TargetIndicator(kind, name, op, format(it.value, "f"), unit, **fields)
        if it.kind in ("qualitative", "deadline"):
            return TargetIndicator(kind, name, "qualitative", raw, "", **fields)
    return TargetIndicator(kind, name, None, raw, "", **fields)
