"""Pair the target items of an indicator cell with its completion items and judge each one.

A judgement is *met*, *not met* or *unknown* (``met`` True / False / None) with the
completion ratio where a number allows one, and the reasons a reviewer reads — as data, a code
and its parameters (jixiao.core.reasons), rendered in Chinese or English where they are shown.
The rules (docs/indicators.md, "Matching"):

* items pair by unit, by shared words of their subjects and by position — the best pair
  first; ``人`` and ``人次``, ``次`` and ``场次``, ``元`` and ``万元`` … are compatible units;
* a completion percentage against a target with another unit is a completion rate
  (``公务接待费完成12%`` against ``公务接待费5万元`` → 12%, not met); an item about
  ``其他/其余`` covers every target not matched otherwise;
* a bare ``100.00%`` as the whole completion cell means "reported fully completed": met,
  with a note that the only evidence is a bare percentage;
* a completion item written with a target operator (``工作人员满意度≥99%``,
  ``文书档案整理成本≤4.11万元``) restates the target: it is flagged and not taken as an
  achievement;
* a completion cell that copies its target (``29.5亩`` / ``29.5亩``, ``及时`` / ``及时``) or
  asserts it in words without a figure of its own (``已完成``, ``达成预期指标``, ``按标准执行``)
  is *claimed*: met, as bureaus score it, with ``claimed`` true so that a strict reading can
  tell it from an evidenced result;
* a grade (``优``) is judged against the grade the target asks for (``优良中低差``, ``良好``);
* deadlines compare dates (``6月底完成`` meets ``7月前完成``); qualitative targets take a
  tier from the completion text (:func:`completion_tier`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from .reasons import END_OF_MONTH, Reason, deadline, within
from .targets import (CACHE_MAX_CHARS, MONEY, MONEY_UNITS, STRICT_OPS, SUBJECT_UNITS, Item, context,
                      deadline_key, deadline_parts, describe_deadline, fold, has_digit, parse_in_context)

RATIO_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)

# Units that count the same thing; values compare directly (money converts exactly).
UNIT_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"人", "人次", "人日", "万人"}),
    frozenset({"次", "场", "场次", "期", "批", "轮", "届", "台次", "车次", "架次"}),
    frozenset({"天", "工作日"}),
    frozenset({"元", "万元", "亿元"}),
)
# 个 is the general classifier: it counts anything that is counted in pieces.
GENERIC_COUNT = "个"
MONEY_IN_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
PEOPLE = {"人": Decimal(1), "万人": Decimal(10000)}

# Completion words → tier (docs/scoring.md). Checked in this order: tier 3, 2, then 1.
TIER3_WORDS = ("未完成", "未达成", "未达到", "未实现", "没有完成", "未能", "尚未", "较差", "不合格",
               "未开展", "未启动", "滞后", "延期", "推迟", "取消", "差距较大")
TIER2_WORDS = ("部分", "基本", "有所", "一定", "初步", "大部分", "逐步", "较好", "稍有", "略有")
TIER1_WORDS = ("完成", "达成", "达到", "实现", "显著", "明显", "圆满", "全部", "均已", "已", "满意",
               "充分", "取得", "得到", "合格", "到位", "提升", "提高", "增强", "改善", "按规定", "按时",
               "如期", "获得", "100%")
# "Per the standard" (按标准执行, 实际按该标准发放, 按照规定标准): a tier-1 claim.
PER_STANDARD_RE = re.compile("按照?[^,，。;；、]{0,4}标准|符合[^,，。;；、]{0,4}标准")
# Words that only assert the target was reached (已完成, 达成预期指标, 按时完成, 通过): a
# completion made of nothing else is a claim without a figure of its own.
ASSERTION_WORDS = ("完成率", "达成率", "完成度", "已经", "已", "均", "全部", "全面", "圆满", "顺利", "按时",
                   "按期", "如期", "及时", "按",
                   "照", "完成", "达成", "达到", "达标", "实现", "通过", "预期", "年度", "绩效", "既定", "目标",
                   "指标", "任务", "要求", "计划", "是", "到位", "值", "明显", "显著", "有效", "大幅", "进一步",
                   "不断", "稳步", "持续", "切实", "好", "高", "优", "良", "强")
_ASSERTION_RE = re.compile("|".join(sorted(map(re.escape, ASSERTION_WORDS), key=len, reverse=True)))
ASSERTION_MAX_CHARS = 30  # a longer completion says more than an assertion
# Grades, best first (rank 4 … 1). A target names the grade it asks for (优良中低差: 优良;
# 良好; 优秀); a completion that is a grade (优, 评价等级为良) is judged against it.
GRADES: tuple[tuple[str, int], ...] = (
    ("优秀", 4), ("优等", 4), ("优良", 3), ("优", 4), ("良好", 3), ("良", 3), ("中等", 2), ("一般", 2),
    ("合格", 2), ("及格", 2), ("中", 2), ("不合格", 1), ("不及格", 1), ("较差", 1), ("差", 1), ("低", 1),
)
_GRADE = dict(GRADES)
_GRADE_WORDS = "|".join(sorted(map(re.escape, _GRADE), key=len, reverse=True))
# In a target only the grades that can be asked for count (中 and 低 are everywhere in prose).
_TARGET_GRADE_RE = re.compile("|".join(sorted(map(re.escape, ("优秀", "优等", "优良", "优", "良好", "良",
                                                              "合格")), key=len, reverse=True)))
_COMPLETION_GRADE_RE = re.compile(r"(?:[^,，。;；]{0,8}?(?:为|是|评为|:|：))?(" + _GRADE_WORDS + ")(?:等级|等|级)?")
NEGATIONS = frozenset("不未没无非")
# A completion that is only a verdict (好, 是 / 否, 差), alone or after the name both cells
# share, when no tier word says more: tier 1 or tier 3.
ANSWER_TIERS = {"好": 1, "是": 1, "高": 1, "强": 1, "优": 1, "良": 1, "很好": 1, "否": 3, "低": 3, "差": 3, "弱": 3}
_ANSWER_LAST = frozenset(w[-1] for w in ANSWER_TIERS)  # a verdict ends the completion: one test first
_ANSWER_TRIM = " \t\r\n\u3000。.；;，,！!"
# Words that report none happened, for a target of 0 (安全事故0起 / 未发生安全事故).
# 无 and 零 not in 无法 (cannot) or 零星 (sporadic).
NONE_WORDS = ("未发生", "未出现", "没有发生", "无", "零", "杜绝")
_NONE_RE = re.compile("未发生|未出现|没有发生|无(?!法)|零(?!星)|杜绝")
RATE_WORDS = tuple(w for w, unit in SUBJECT_UNITS if unit == "%")  # 满意度, 率, 比例 …
PLACEHOLDERS = frozenset({"无", "暂无", "没有", "/", "-", "—", "——", "空", "略"})
OTHERS_WORDS = ("其他", "其余", "其它", "剩余", "均", "全部")


@dataclass(frozen=True, slots=True)
class Judgement:
    """The judgement of one target item.

    ``evidence`` says what the judgement rests on: ``value`` (a matched number),
    ``rate`` (a completion percentage), ``bare`` (a bare percentage as the whole cell),
    ``date`` (a matched date), ``words`` (completion words: ``tier``), ``grade`` (a grade
    word against the grade asked for), ``restated`` (the completion restates or copies the
    target), ``blank`` (no completion text) or ``none`` (nothing usable).

    ``claimed`` is true for a met judgement that rests on a claim without a figure of its
    own: the completion copies the target (``90人`` / ``90人``) or only asserts it in words
    (``已完成``, ``达到``, ``按标准执行``). Bureaus score such items as achieved; a strict
    reading (evidence required) does not.
    """

    target: Item
    actual: Item | None
    met: bool | None
    ratio: Decimal | None
    evidence: str
    tier: int | None = None
    restated: bool = False
    reasons: tuple[Reason, ...] = ()
    claimed: bool = False

    @property
    def actual_text(self) -> str:
        return self.actual.text if self.actual is not None else ""


@dataclass(frozen=True, slots=True)
class CellMatch:
    """Target items, completion items and one judgement per target item."""

    target_text: str
    actual_text: str
    targets: list[Item]
    actuals: list[Item]
    judgements: list[Judgement]
    restated: bool  # the completion cell (or part of it) restates a target
    bare: bool  # the completion cell is only a percentage such as 100.00%
    notes: list[Reason] = field(default_factory=list)


# Judgements and cell matches are made a few hundred thousand times per province-year: built by
# setting their slots directly (a frozen dataclass's __init__ goes through object.__setattr__ by
# name for every field). Same objects, same field order (tests/core/test_matching.py checks).
_new = object.__new__
(_j_target, _j_actual, _j_met, _j_ratio, _j_evidence, _j_tier, _j_restated, _j_reasons, _j_claimed) = (
    Judgement.__dict__[f.name].__set__ for f in fields(Judgement))
(_m_target_text, _m_actual_text, _m_targets, _m_actuals, _m_judgements, _m_restated, _m_bare, _m_notes) = (
    CellMatch.__dict__[f.name].__set__ for f in fields(CellMatch))


def _judgement(target: Item, actual: Item | None, met: bool | None, ratio: Decimal | None, evidence: str,
               tier: int | None = None, restated: bool = False, reasons: tuple[Reason, ...] = (),
               claimed: bool = False) -> Judgement:
    j = _new(Judgement)
    _j_target(j, target), _j_actual(j, actual), _j_met(j, met), _j_ratio(j, ratio)
    _j_evidence(j, evidence), _j_tier(j, tier), _j_restated(j, restated), _j_reasons(j, reasons)
    _j_claimed(j, claimed)
    return j


def _cell_match(target_text: str, actual_text: str, targets: list[Item], actuals: list[Item],
                judgements: list[Judgement], restated: bool, bare: bool, notes: list[Reason]) -> CellMatch:
    m = _new(CellMatch)
    _m_target_text(m, target_text), _m_actual_text(m, actual_text), _m_targets(m, targets)
    _m_actuals(m, actuals), _m_judgements(m, judgements), _m_restated(m, restated), _m_bare(m, bare)
    _m_notes(m, notes)
    return m


def _q(ratio: Decimal) -> Decimal:
    return ratio.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def fmt_num(value: Decimal | None) -> str:
    """``Decimal('100.00')`` → ``100``, ``Decimal('4.110')`` → ``4.11`` (for messages)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def describe_item(item: Item) -> str:
    """Short Chinese rendering of an item's measure: ``≥100人``, ``5—6家``, ``12月底前``."""
    if item.kind == "deadline":
        return describe_deadline(item)
    if item.kind != "quantity":
        return item.text
    unit = item.unit or ""
    if item.op == "range":
        if item.value is not None and item.upper is not None and item.value == -item.upper:
            return f"±{fmt_num(item.upper)}{unit}以内"
        return f"{fmt_num(item.value)}—{fmt_num(item.upper)}{unit}"
    sym = _OP_SYMBOLS.get(item.op or "", "")
    return f"{sym}{fmt_num(item.value)}{unit}"


_OP_SYMBOLS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": ""}


def measure_of(item: Item) -> str | tuple:
    """:func:`describe_item` as a reason's parameter: the text where it is data (``≥100人``,
    ``5—6家``, a qualitative target's own words), a value where it holds the system's words
    (a deadline, a ± range: jixiao.core.reasons.deadline / within)."""
    if item.kind == "deadline":
        return deadline_of(item)
    if item.kind == "quantity" and item.op == "range" and item.value is not None and item.upper is not None \
            and item.value == -item.upper:
        return within(f"±{fmt_num(item.upper)}{item.unit or ''}")
    return describe_item(item)


def deadline_of(item: Item) -> tuple:
    """A deadline item's date as a reason's parameter (jixiao.core.reasons.deadline)."""
    y, m, d, end = deadline_parts(item)
    return deadline(y, m, END_OF_MONTH if end else d)


def _label(item: Item) -> str:
    return item.subject or item.text


# --- units and words -------------------------------------------------------------------------

def units_compatible(a: str | None, b: str | None) -> bool:
    """Whether values in units ``a`` and ``b`` compare (remembered: see :func:`clear_units_cache`)."""
    if a is None or b is None or a == b:
        return True
    known = _COMPATIBLE.get((a, b))
    if known is None:
        known = _units_compatible(a, b)
        if len(_COMPATIBLE) < 4096:  # units come from a small vocabulary; bounded anyway
            _COMPATIBLE[(a, b)] = known
    return known


def _units_compatible(a: str, b: str) -> bool:
    if "/" in a or "/" in b:
        # Rate units (元/人*月): compatible when the amounts are and the denominators agree,
        # or one side names none (260元/辆 against 260元).
        (an, _, ad), (bn, _, bd) = a.partition("/"), b.partition("/")
        return (not ad or not bd or ad == bd) and units_compatible(an, bn)
    if GENERIC_COUNT in (a, b) and "%" not in (a, b) and not ({a, b} & set(MONEY_IN_YUAN)):
        return True
    return any(a in g and b in g for g in UNIT_GROUPS)


_COMPATIBLE: dict[tuple[str, str], bool] = {}


def clear_units_cache() -> None:
    """Forget the remembered unit pairs of :func:`units_compatible` (scoring.clear_caches)."""
    _COMPATIBLE.clear()


def units_cache_size() -> int:
    """How many unit pairs :func:`units_compatible` remembers."""
    return len(_COMPATIBLE)


def _convert(value: Decimal, unit: str | None, to: str | None) -> Decimal:
    """Exact conversion between 元/万元/亿元 and 人/万人; other compatible units as they are."""
    if unit and to and unit != to:
        if "/" in unit or "/" in to:
            unit, to = unit.partition("/")[0], to.partition("/")[0]
        for table in (MONEY_IN_YUAN, PEOPLE):
            if unit in table and to in table:
                return value * table[unit] / table[to]
    return value


@lru_cache(maxsize=1 << 16)
def _bigrams(text: str) -> frozenset[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or c.isalnum()]
    return frozenset(chars[i] + chars[i + 1] for i in range(len(chars) - 1))


def subject_overlap(a: str, b: str) -> Decimal:
    """Shared character pairs of two subjects, 0–1 (of the smaller one)."""
    shared, of = _overlap_counts(a, b)
    return Decimal(shared) / Decimal(of) if shared else Decimal(0)


def _overlap_counts(a: str, b: str) -> tuple[int, int]:
    """(shared character pairs, pairs of the smaller subject); (0, 1) if either has none."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0, 1
    if len(x) > len(y):
        x, y = y, x
    return len(x & y), len(x)


@lru_cache(maxsize=1 << 16)
def _completion_tier_of(actual_text: str) -> tuple[int | None, str]:
    # By the cell's own text: the same completion texts repeat, and folding is not free.
    return completion_tier(fold(actual_text))


@lru_cache(maxsize=1 << 14)
def completion_tier(text: str) -> tuple[int | None, str]:
    """Tier 1/2/3 from completion words, with the word found; ``(None, "")`` if none."""
    # Remembered: completion texts repeat far more than targets (已完成, 达成预期指标).
    for tier, any_word, words in _TIERS:
        if any_word(text) is not None:  # one scan for "is any word of this tier here?"
            for w in words:  # then the first of them in the list's order, as before
                if w in text:
                    return tier, w
    m = PER_STANDARD_RE.search(text)
    if m is not None:
        return 1, m.group()
    return None, ""


_TIERS = tuple((tier, re.compile("|".join(map(re.escape, words))).search, words)
               for tier, words in ((3, TIER3_WORDS), (2, TIER2_WORDS), (1, TIER1_WORDS)))


# --- comparison -------------------------------------------------------------------------------

def compare(target: Item, value: Decimal, unit: str | None) -> tuple[bool | None, Decimal | None]:
    """Met and ratio of an achieved ``value`` against a quantitative target.

    ``≥ > =`` targets: ratio = actual / target (a plain number is read as "at least"; a
    plain 0 as "none": met only by 0).
    ``≤ <`` targets: the mirrored ratio target / actual. Ranges ``5—6家``: met from the
    lower bound up (ratio over the upper bound above it); a ``±`` range is met inside it.
    """
    if target.value is None:
        return None, None
    v = _convert(value, unit, target.unit)
    t = target.value
    op = target.op
    if op == "=" and t == 0:  # 安全事故0起: none is the target, not "at least none"
        return v <= 0, None
    if op in (">=", ">", "="):
        met = v > t if op == ">" else v >= t
        return met, (_q(v / t) if t > 0 else None)
    if op in ("<=", "<"):
        met = v < t if op == "<" else v <= t
        if v == 0:
            return met, None
        return met, (_q(t / v) if t > 0 and v > 0 else None)
    if op == "range" and target.upper is not None:
        lo, hi = t, target.upper
        if lo < 0:  # ±10%以内: a deviation must stay inside
            met = lo <= v <= hi
            return met, (Decimal(1) if met or v == 0 else _q(hi / abs(v)))
        if v < lo:
            return False, (_q(v / lo) if lo > 0 else None)
        return True, (_q(v / hi) if v > hi and hi > 0 else Decimal(1))
    return None, None


def _deadline_met(target: Item, actual: Item) -> bool:
    tk, ak = deadline_key(target), deadline_key(actual)
    if tk is None or ak is None:
        return True  # 及时 against a dated completion, or the reverse: done in time as reported
    if tk[0] and ak[0]:
        return ak <= tk
    return ak[1:] <= tk[1:]


# --- the cell -------------------------------------------------------------------------------

def is_bare_percentage(actuals: list[Item]) -> bool:
    return (len(actuals) == 1 and actuals[0].kind == "quantity" and actuals[0].unit == "%"
            and not actuals[0].subject and actuals[0].op == "=")


_NOT_COMPARED = re.compile(r"[^\w<>=≤≥%‰±~—.-]+")


def _same_text(target: str, actual: str, targets: list[Item], actuals: list[Item]) -> bool:
    if target == actual:
        return bool(target.strip())
    # Texts equal up to punctuation parse into the same values: compare those first (cheap).
    if len(targets) != len(actuals):
        return False
    for x, y in zip(targets, actuals):
        if x.value != y.value or x.kind != y.kind or x.unit != y.unit or x.deadline_month != y.deadline_month:
            return False
    nt = _norm(target)
    return bool(nt) and nt == _norm(actual)


def _norm(text: str) -> str:
    # Same text up to spacing, full-width forms and punctuation (operators and % count).
    return _NOT_COMPARED.sub("", fold(text)).replace("_", "")


def match_cell(target_text: str, actual_text: str, kind: str | None = None) -> CellMatch:
    """Parse both cells, pair their items and judge every target item.

    ``kind`` is the 二级 indicator's key (``"cost"``, ``"quantity"`` …) when known; it gives
    the cells their reading context (:func:`jixiao.core.targets.context`). Results of short
    cells are remembered (a province-year repeats most pairs); the returned
    :class:`CellMatch` is shared, so treat it and its lists as read-only.
    """
    ctx = context(kind)
    if len(target_text) + len(actual_text) <= 2 * CACHE_MAX_CHARS:
        return _match_cached(target_text, actual_text, ctx)
    return _match_in_context(target_text, actual_text, ctx)


def match_cell_uncached(target_text: str, actual_text: str, kind: str | None = None) -> CellMatch:
    """:func:`match_cell` without remembering the result (for a caller that remembers what it
    needs of it, such as the scorer's weighted cells). A new object each call."""
    return _match_in_context(target_text, actual_text, context(kind))


@lru_cache(maxsize=1 << 14)
def _match_cached(target_text: str, actual_text: str, ctx: str | None = None) -> CellMatch:
    return _match_in_context(target_text, actual_text, ctx)


def _match_in_context(target_text: str, actual_text: str, ctx: str | None) -> CellMatch:
    # A cost cell's completion is read as money too, but without the cost target's "at most".
    actual_ctx = MONEY if ctx is not None else None
    targets = parse_in_context(target_text, ctx)
    actuals = parse_in_context(actual_text, actual_ctx)
    # 200万 against 195.5万元: the other side in money makes a bare 万 mean 万元.
    if ctx is None and "万" in target_text and _has_money(actuals):
        targets = parse_in_context(target_text, MONEY)
    if actual_ctx is None and "万" in actual_text and _has_money(targets):
        actuals = parse_in_context(actual_text, MONEY)
    return match_items(target_text, actual_text, targets, actuals)


def _has_money(items: list[Item]) -> bool:
    return any(it.unit in MONEY_UNITS for it in items)


_match = match_cell_uncached  # the former private name (kept for callers not yet moved)


def match_items(target_text: str, actual_text: str, targets: list[Item],
                actuals: list[Item]) -> CellMatch:
    notes: list[Reason] = []
    if not actual_text.strip():
        js = [_judgement(t, None, None, None, "blank", reasons=BLANK_REASONS) for t in targets]
        return _cell_match(target_text, actual_text, targets, actuals, js, False, False, notes)
    tier, cue = _completion_tier_of(actual_text)
    if tier is None and actual_text.rstrip(_ANSWER_TRIM)[-1:] in _ANSWER_LAST and len(actual_text) <= len(target_text) + 4:
        tier, cue = _answer_tier(actual_text, target_text)
    if _copies(target_text, actual_text, targets, actuals, tier):
        # 29.5亩 / 29.5亩, 及时 / 及时: the target reported as reached, a claim without a figure
        # of its own — met, as bureaus score it, and marked claimed.
        notes.append(COPY_NOTE)
        same = len(actuals) == len(targets)
        js = [_judgement(t, actuals[i] if same else None, True, None, "restated", restated=True,
                         reasons=(COPY_REASON,), claimed=True) for i, t in enumerate(targets)]
        return _cell_match(target_text, actual_text, targets, actuals, js, True, False, notes)
    restated_items = [a for a in actuals if a.kind == "quantity" and a.op_text in STRICT_OPS]
    restated = bool(restated_items)
    for a in restated_items:
        notes.append(("cell.restated", a.text, a.op_text))
    usable = [a for a in actuals if not (a.kind == "quantity" and a.op_text in STRICT_OPS)]
    bare = is_bare_percentage(actuals)
    if bare:
        notes.append(("cell.bare", actuals[0].text))
    first_restated = restated_items[0] if restated_items else None
    texts = (actual_text, target_text)  # what assertion_only reads, where a judgement needs it
    judgements = _judge_all(targets, usable, actuals, bare, first_restated, texts, tier, cue)
    return _cell_match(target_text, actual_text, targets, actuals, judgements, restated, bare, notes)


def _answer_tier(actual_text: str, target_text: str) -> tuple[int | None, str]:
    """好 / 资金使用合规性好 against 合规 / 资金使用合规性合规: a verdict (ANSWER_TIERS)."""
    a = fold(actual_text)
    own = _norm(a[_common_prefix(a, fold(target_text)):])
    tier = ANSWER_TIERS.get(own)
    if tier is None and own[:1] in NEGATIONS and ANSWER_TIERS.get(own[1:]) == 1:
        tier = 3  # 不好, 不高
    return (tier, own) if tier is not None else (None, "")


COPY_NOTE: Reason = ("cell.copied",)
COPY_REASON: Reason = ("match.copied",)
BLANK_REASONS: tuple[Reason, ...] = (("match.blank",),)


def _copies(target_text: str, actual_text: str, targets: list[Item], actuals: list[Item],
            tier: int | None) -> bool:
    """The completion copies the target: the same text (up to spacing, full-width forms and
    punctuation), or — for cells without figures — the same statement, one inside the other
    (符合财务管理制度规定 / 支出符合财务管理制度规定; 高 / 满意度高), not negated. A
    placeholder (无, /) copied is no claim."""
    if _same_text(target_text, actual_text, targets, actuals):
        return _norm(target_text) not in PLACEHOLDERS
    # Only cells of words (no digit: no value, no date) can state the same thing in part.
    if (tier == 3 or len(target_text) + len(actual_text) > 2 * CACHE_MAX_CHARS
            or _HAS_DIGIT(target_text) is not None or _HAS_DIGIT(actual_text) is not None):
        return False
    return _same_statement(_norm(target_text), _norm(actual_text))


_HAS_DIGIT = re.compile("[0-9０-９]").search


def _same_statement(t: str, a: str) -> bool:
    if not t or not a or t in PLACEHOLDERS or a in PLACEHOLDERS:
        return False
    if has_digit(t) or has_digit(a):
        return False
    short, long = (a, t) if len(a) <= len(t) else (t, a)
    k = long.find(short)
    if k < 0 or (k > 0 and long[k - 1] in NEGATIONS):
        return False
    # Half of the longer text at least (及时 / 及时完成), or a short answer (高, 合规) that the
    # completion states (满意度高).
    return (len(short) >= 2 and 2 * len(short) >= len(long)) or (short is t and len(t) <= 2)


def _pair_score(t: Item, a: Item, ti: int, ai: int, rank: bool = True, exact: bool = False):
    """How well completion item ``a`` answers target item ``t`` (higher is better); None if
    it cannot.

    The score is unit fit (3, 2 or 1) + 2 × shared words of the subjects + 0.5 for the same
    position. Only the order of scores matters (_assign sorts them), and a float keeps the
    order of the exact fractions: shared words are a fraction k/n with n the character pairs
    of a subject, so two different scores differ by at least 1/(2·n1·n2), far above float
    rounding (~1e-15) while n < 10^6; ``exact`` (a subject that long) uses Fractions.
    With ``rank`` false only "can it" is answered (the shared words are computed only where
    they decide that: a completion rate must be about the target).
    """
    tk, ak = t.kind, a.kind
    if tk == "quantity":
        if ak != "quantity":
            return None
        tu, au = t.unit, a.unit
        compatible = units_compatible(tu, au)
        rate = au == "%" and tu not in ("%", None)
        if not compatible and not rate:
            return None
        if rate or rank:
            shared, of = _overlap_counts(t.subject, a.subject)
        else:
            shared, of = 0, 1
        if rate:
            if not shared:
                return None  # a percentage about something else
            unit_score = 1
        else:
            unit_score = 3 if (tu and au and (tu == au or compatible)) else 1
    elif tk == "deadline":
        if ak != "deadline" or a.deadline_month is None:
            return None
        unit_score = 2
        shared, of = _overlap_counts(t.subject, a.subject) if rank else (0, 1)
    else:
        return None
    if exact:
        return unit_score + Fraction(2 * shared, of) + (Fraction(1, 2) if ti == ai else 0)
    return unit_score + 2 * shared / of + (0.5 if ti == ai else 0.0)


_EXACT_SUBJECT = 10 ** 6  # subjects at least this long are scored with Fractions (see _pair_score)


def _assign(targets: list[Item], usable: list[Item]) -> dict[int, int]:
    """Greedy best-first pairing; a very large cell pairs by order to stay linear."""
    if len(targets) == 1 and len(usable) == 1:  # the common cell: one target, one result
        return {0: 0} if _pair_score(targets[0], usable[0], 0, 0, rank=False) is not None else {}
    if len(targets) * len(usable) > 4096:
        return {i: i for i in range(min(len(targets), len(usable)))
                if _pair_score(targets[i], usable[i], i, i) is not None}
    exact = any(len(x.subject) >= _EXACT_SUBJECT for x in targets) or any(
        len(x.subject) >= _EXACT_SUBJECT for x in usable)
    scored = []
    for ti, t in enumerate(targets):
        for ai, a in enumerate(usable):
            s = _pair_score(t, a, ti, ai, exact=exact)
            if s is not None:
                scored.append((-s, ti, ai))
    scored.sort()
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _s, ti, ai in scored:
        if ti not in pairs and ai not in used:
            pairs[ti] = ai
            used.add(ai)
    return pairs


def _judge_all(targets, usable, actuals, bare, restated_item, texts, tier, cue) -> list[Judgement]:
    """``texts``: (completion, target) — whether the completion only asserts the target was
    reached (:func:`assertion_only`) is read from them where a judgement needs it: what a
    rate, a 100% or a tier word meets is then claimed, not shown."""
    pairs = _assign(targets, usable)
    if len(pairs) == len(targets):  # every target has its completion item (the common cell)
        return [_judge_pair(t, usable[pairs[ti]], texts) for ti, t in enumerate(targets)]
    used = set(pairs.values())
    # 其他项目完成100%: a completion rate about "the others" covers every unmatched target.
    others = next((a for i, a in enumerate(usable) if i not in used and a.kind == "quantity"
                   and a.unit == "%" and any(w in a.subject for w in OTHERS_WORDS)), None)
    # Computed once per cell (not per target item): a long cell must stay linear.
    full = next((a for a in usable if a.kind == "quantity" and a.unit == "%" and a.value is not None
                 and a.value >= HUNDRED), None)
    counts = [a for a in usable if a.kind == "quantity" and a.unit not in (None, "%")][:3]
    out = []
    for ti, t in enumerate(targets):
        if ti in pairs:
            out.append(_judge_pair(t, usable[pairs[ti]], texts))
        elif bare:
            out.append(_judge_bare(t, actuals[0]))
        elif others is not None and t.kind == "quantity":
            j = _judge_rate(t, others, texts)
            out.append(_judgement(t, others, j.met, j.ratio, "rate", claimed=j.claimed,
                                 reasons=(("match.others", others.text, _label(t), j.met),)))
        else:
            out.append(_judge_words(t, usable, restated_item, tier, cue, full, counts, texts))
    return out


def _judge_pair(t: Item, a: Item, texts: tuple[str, str] = ("", "")) -> Judgement:
    if t.kind == "deadline":
        met = _deadline_met(t, a)
        return _judgement(t, a, met, None, "date", reasons=(
            ("match.deadline", _label(t), deadline_of(t), a.text, met),))
    if a.unit == "%" and t.unit not in ("%", None):
        return _judge_rate(t, a, texts)
    met, ratio = compare(t, a.value, a.unit)
    if met is None:
        first: Reason = ("match.incomparable", _label(t))
    else:
        first = ("match.value", _label(t), measure_of(t), fmt_num(a.value), a.unit or "", met,
                 percent_text(ratio) if ratio is not None else None)
    tu, au = t.unit, a.unit
    if tu and au and tu != au and not (
            (tu in MONEY_IN_YUAN and au in MONEY_IN_YUAN) or (tu in PEOPLE and au in PEOPLE)):
        reasons: tuple[Reason, ...] = (first, ("match.units", tu, au))
    else:
        reasons = (first,)
    return _judgement(t, a, met, ratio, "value", reasons=reasons)


def _judge_rate(t: Item, a: Item, texts: tuple[str, str] = ("", "")) -> Judgement:
    ratio = _q(a.value / HUNDRED)
    met = ratio >= 1
    # 已完成100% against 2次: a completion rate in place of the target's own figure.
    return _judgement(t, a, met, ratio, "rate", claimed=met and assertion_only(*texts), reasons=(
        ("match.rate", _label(t), measure_of(t), fmt_num(a.value), met, percent_text(ratio)),))


def _judge_bare(t: Item, a: Item) -> Judgement:
    if t.kind == "quantity" and t.unit == "%":
        met, ratio = compare(t, a.value, "%")
        return _judgement(t, a, met, ratio, "bare", reasons=(
            ("match.bare_value", _label(t), measure_of(t), a.text, met),))
    ratio = _q(a.value / HUNDRED)
    if ratio >= 1:  # reported complete, the target's own figure not given: a claim — unless
        # the target names a rate (发放时间达标率) and the percentage is that rate's value
        claimed = not any(w in t.text for w in RATE_WORDS)
        return _judgement(t, a, True, ratio, "bare", tier=1, claimed=claimed, reasons=(("match.bare_full", a.text),))
    return _judgement(t, a, False, ratio, "bare", tier=2, reasons=(
        ("match.bare_part", a.text, percent_text(ratio), _label(t)),))


def _restated_reason(r: Item) -> Reason:
    return ("match.restated", r.text, r.op_text)


def _judge_words(t: Item, usable: list[Item], restated: Item | None, tier: int | None, cue: str,
                 full: Item | None, counts: list[Item], texts: tuple[str, str]) -> Judgement:
    actual_text = texts[0]
    if restated is not None and not usable:
        return _judgement(t, restated, None, None, "restated", restated=True, reasons=(_restated_reason(restated),))
    # A 100% completion/pass/satisfaction rate in the text supports tier 1 for a qualitative
    # target (``full``); concrete results (累计发放补贴人数达325人) are evidence too (``counts``).
    if t.kind == "quantity":
        if t.value == 0 and t.op in ("=", "<=") and tier != 3:
            none = _NONE_RE.search(actual_text)
            if none is not None:  # 安全事故0起 / 未发生安全事故: none, said in words
                return _judgement(t, None, True, None, "words", tier=1, reasons=(
                    ("match.none_happened", _label(t), measure_of(t), none.group()),))
        if tier is not None:
            # Met in words only: the target's figure is claimed, not shown.
            return _judgement(t, None, tier == 1, None, "words", tier=tier, claimed=tier == 1,
                             reasons=(("match.no_value_words", _label(t), measure_of(t), cue, tier),))
        return _judgement(t, None, None, None, "none", reasons=(("match.no_value", _label(t), measure_of(t)),))
    graded = _judge_grade(t, actual_text)
    if graded is not None:
        return graded
    if tier == 3 or tier == 2:
        return _judgement(t, None, False, None, "words", tier=tier, reasons=(("match.words", cue, _label(t), tier),))
    if full is not None:
        return _judgement(t, full, True, None, "words", tier=1, claimed=assertion_only(*texts), reasons=(
            ("match.full_rate", full.text, _label(t), 1),))
    if tier == 1:
        # A claim when the target has a date the completion does not show, when the cue is
        # "per the standard", or when the completion says nothing but that it is done.
        claimed = t.has_date or PER_STANDARD_RE.fullmatch(cue) is not None or assertion_only(*texts)
        return _judgement(t, None, True, None, "words", tier=1, claimed=claimed, reasons=(
            ("match.words", cue, _label(t), 1),))
    if restated is not None:
        return _judgement(t, restated, None, None, "restated", restated=True, reasons=(_restated_reason(restated),))
    if counts:
        return _judgement(t, counts[0], True, None, "words", tier=1, reasons=(
            ("match.counts", tuple(a.text for a in counts[:2]), len(counts) > 2, _label(t), 1),))
    return _judgement(t, None, None, None, "none", reasons=(("match.unclear", _label(t)),))


def _judge_grade(t: Item, actual_text: str) -> Judgement | None:
    """A completion that is a grade (优, 评价等级为良好) against the grade the target asks for
    (the first it names: 优良中低差 → 优良, 良好, 优秀); None if either is missing."""
    if len(actual_text) > ASSERTION_MAX_CHARS:
        return None
    a = _norm(actual_text)
    m = _COMPLETION_GRADE_RE.fullmatch(a)
    if m is None:
        return None
    asked = _TARGET_GRADE_RE.search(fold(t.text))
    if asked is None:
        return None
    got, need = _GRADE[m.group(1)], _GRADE[asked.group()]
    met = got >= need
    tier = 1 if met else (3 if got == 1 else 2)
    return _judgement(t, None, met, None, "grade", tier=tier, reasons=(
        ("match.grade", m.group(1), _label(t), asked.group(), met, tier),))


@lru_cache(maxsize=1 << 14)
def assertion_only(actual_text: str, target_text: str = "") -> bool:
    """True when the completion only asserts the target was reached — it says nothing of its
    own: once the words it shares at its start with the target (the indicator's name written
    before both: 补助资格合规性合规 / 补助资格合规性达成预期指标), the assertion words (已完成,
    达到, 达成预期指标, 按时完成, 通过, 明显), completion percentages and punctuation are taken
    out, every character left is one of the target's (改善条件 / 明显改善, 需求有所提升 /
    养老服务提升), and no digit is left."""
    if len(actual_text) > ASSERTION_MAX_CHARS + len(target_text):
        return False
    a = fold(actual_text)
    t = fold(target_text)
    if t:
        a = a[_common_prefix(a, t):]
    if len(a) > ASSERTION_MAX_CHARS:
        return False
    rest = _norm(_PERCENT_RE.sub("", _ASSERTION_RE.sub("", a)))
    return not rest or (not has_digit(rest) and all(c in t for c in rest))


_PERCENT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?%")


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def percent_text(ratio: Decimal | None) -> str:
    """A ratio as a percentage with 2 decimals, half-up (``Decimal("1.4")`` → ``140.00%``);
    ``—`` for none."""
    if ratio is None:
        return "—"
    return f"{(ratio * HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)}%"


_pct = percent_text  # the former private name (kept for callers not yet moved)


_CENT = Decimal("0.01")
