"""Checks: a catalogue of findings about a self-evaluation table.

Each check is a small function registered under a stable code with a severity:

* ``JX1xx`` amounts and rates (arithmetic that must reconcile),
* ``JX2xx`` indicator cells (年度指标内容 / 完成情况),
* ``JX3xx`` text columns (问题, 整改情况, goals),
* ``JX4xx`` the table as a whole (duplicates, numbering, title),
* ``JX5xx`` scoring: a form's own 分值 that do not add up, claims without a figure,
* ``JX6xx`` the targets of a 绩效目标表 (set with the budget; defined in :mod:`.target_checks`,
  registered and run here: :func:`check_target_sheet`).

A check yields ``(column, detail_zh, detail_en)``; the runner turns that into a
:class:`Finding` that names the project and the column in Chinese and English.
Thresholds live in :class:`CheckConfig`; every check and setting is documented in
docs/checks.md (a test fails when one is not). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import InputError
from . import money
from .model import AMOUNT_FIELDS, COLUMN_NAMES, Project, Table
from .taxonomy import CATEGORIES, DISCLOSURE_2019, KIND_BY_KEY, KINDS

from .target_checks import DEFAULT_HISTORY_YEARS, DEFAULT_MIN_SATISFACTION, DEFAULT_VAGUE_WORDS, TARGET_CHECKS
from .target_checks import column_label as target_column_label
from .target_history import TargetHistory
from .target_sheet import TargetSheet
from .targets import parse_cell

SEVERITIES = ("error", "warning", "info")

COLUMN_NAMES_EN: dict[str, str] = {
    "seq": "No.",
    "unit_name": "unit name",
    "name": "project name",
    "gov_investment": "government investment project",
    "budget": "annual budget",
    "actual_total": "actual spending (total)",
    "actual_general_budget": "actual spending (general public budget)",
    "actual_gov_fund": "actual spending (government fund budget)",
    "actual_non_fiscal": "actual spending (non-fiscal funds)",
    "execution_rate": "budget execution rate",
    "annual_goal": "annual performance goal",
    "overall_completion": "overall goal completion",
    "problems": "problems in execution",
    "rectification": "rectification",
}


# ---------------------------------------------------------------------------
# Findings and configuration


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" | "warning" | "info"
    project_seq: int | None
    project_name: str
    column: str  # model field name: "budget", "indicators.quantity.target", "" for the whole row
    message_zh: str
    message_en: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "project_seq": self.project_seq,
                "project_name": self.project_name, "column": self.column,
                "message_zh": self.message_zh, "message_en": self.message_en}


DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "无", "暂无", "/", "／", "\\", "-", "--", "—", "——", "－", "–", "空", "略", "不适用", "N/A", "NA", "n/a",
)


@dataclass(frozen=True)
class CheckConfig:
    """Thresholds and switches of the checks (defaults documented in docs/checks.md)."""

    # JX301: a project below this execution rate (percent) must state its problems.
    low_rate_threshold: Decimal = Decimal("90")
    # JX203: "every indicator 100% complete" is doubtful below this execution rate.
    all_complete_rate_threshold: Decimal = Decimal("90")
    # JX104: execution rate above this (percent) is an error.
    max_rate: Decimal = Decimal("100")
    # JX101: allowed |合计 − (一般公共预算 + 政府性基金 + 非财政拨款)| in the table's money unit.
    sum_tolerance: Decimal = Decimal("0")
    # JX102: allowed |reported − recomputed| execution rate, in percentage points.
    rate_tolerance: Decimal = Decimal("0")
    # JX201, JX3xx: cell texts that mean "nothing written" (compared after trimming spaces and 。).
    placeholders: tuple[str, ...] = DEFAULT_PLACEHOLDERS
    # JX401: "table" flags the same project name anywhere in the table, "unit" only within one 单位.
    duplicate_scope: str = "table"
    # JX602: phrases that make an output target unmeasurable (有效提升, 进一步加强 …).
    vague_words: tuple[str, ...] = DEFAULT_VAGUE_WORDS
    # JX607: a satisfaction target below this percentage is too low.
    min_satisfaction: Decimal = DEFAULT_MIN_SATISFACTION
    # JX612: how many years before the sheet's year the department's history counts (3: for 2025, 2022–2024).
    history_years: int = DEFAULT_HISTORY_YEARS
    # Codes of checks to skip, e.g. ["JX202"].
    disabled: tuple[str, ...] = ()
    # Severity overrides by code, e.g. {"JX202": "info"}.
    severity: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any, source: str | None = None) -> "CheckConfig":
        """Build from a parsed JSON object; unknown keys and bad values raise InputError."""

        def fail(path: str, zh: str, en: str) -> InputError:
            return InputError(zh, en, source=source, path=path)

        if not isinstance(data, dict):
            raise fail("$", "检查配置应为 JSON 对象", "check configuration must be a JSON object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise fail(f"$.{unknown[0]}", "未知的配置项（拼写错误？）",
                       f"unknown setting (a typo?); known: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for name in ("low_rate_threshold", "all_complete_rate_threshold", "max_rate", "sum_tolerance",
                     "rate_tolerance", "min_satisfaction"):
            if name in data:
                values[name] = _decimal_setting(data[name], f"$.{name}", fail)
        if "history_years" in data:
            n = data["history_years"]
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise fail("$.history_years", "应为非负整数（年数）", "expected a non-negative whole number of years")
            values["history_years"] = n
        if "placeholders" in data:
            values["placeholders"] = tuple(_string_list(data["placeholders"], "$.placeholders", fail))
        if "vague_words" in data:
            values["vague_words"] = tuple(w for w in _string_list(data["vague_words"], "$.vague_words", fail) if w)
        if "duplicate_scope" in data:
            if data["duplicate_scope"] not in ("table", "unit"):
                raise fail("$.duplicate_scope", "应为 table 或 unit", "must be \"table\" or \"unit\"")
            values["duplicate_scope"] = data["duplicate_scope"]
        if "disabled" in data:
            codes = _string_list(data["disabled"], "$.disabled", fail)
            for i, code in enumerate(codes):
                if code not in CHECKS:
                    raise fail(f"$.disabled[{i}]", f"未知的检查代码：{code}", f"unknown check code {code!r}")
            values["disabled"] = tuple(codes)
        if "severity" in data:
            sev = data["severity"]
            if not isinstance(sev, dict):
                raise fail("$.severity", "应为对象（检查代码 → 级别）", "expected an object (code → severity)")
            for code, level in sev.items():
                if code not in CHECKS:
                    raise fail(f"$.severity.{code}", f"未知的检查代码：{code}", f"unknown check code {code!r}")
                if level not in SEVERITIES:
                    raise fail(f"$.severity.{code}", "级别应为 error、warning 或 info",
                               "severity must be error, warning or info")
            values["severity"] = dict(sev)
        return cls(**values)


def _decimal_setting(value: Any, path: str, fail: Callable[..., InputError]) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise fail(path, "应为数字", "expected a number")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise fail(path, f"不是数字：{value!r}", f"not a number: {value!r}") from None
    if not result.is_finite() or result < 0:
        raise fail(path, "应为非负数", "expected a non-negative number")
    return result


def _string_list(value: Any, path: str, fail: Callable[..., InputError]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(path, "应为文本数组", "expected an array of strings")
    return value


# ---------------------------------------------------------------------------
# The catalogue


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    scope: str  # "project" or "table"
    title_zh: str
    title_en: str
    func: Callable[..., Iterable[tuple]]


CHECKS: dict[str, Check] = {}


def _register(code: str, severity: str, scope: str, title_zh: str, title_en: str):
    def deco(func):
        assert code not in CHECKS and severity in SEVERITIES
        CHECKS[code] = Check(code, severity, scope, title_zh, title_en, func)
        return func
    return deco


def project_check(code, severity, title_zh, title_en):
    return _register(code, severity, "project", title_zh, title_en)


def table_check(code, severity, title_zh, title_en):
    return _register(code, severity, "table", title_zh, title_en)


for _spec in TARGET_CHECKS:  # JX6xx: the 绩效目标表's checks, defined in target_checks
    _register(_spec.code, _spec.severity, _spec.scope, _spec.title_zh, _spec.title_en)(_spec.func)


class _Context:
    """What the project checks share: config, layout, and values computed once per project
    (the checks run over a province's 200 000 projects, so nothing is computed twice)."""

    __slots__ = ("config", "table", "layout", "is_blank", "rate", "parts", "reported", "cells", "na")

    def __init__(self, table: Table | None, config: CheckConfig):
        self.config = config
        self.table = table
        self.layout = table.layout if table is not None else DISCLOSURE_2019
        self.is_blank = _blank_test(frozenset(config.placeholders))
        self.rate: Decimal | None = None
        self.parts: Decimal | None = None
        self.reported: Decimal | None = None
        # (key, cell, target is blank, actual is blank) for each applicable indicator cell of the
        # project; the keys of the cells marked not applicable (never blank, never scored)
        self.cells: list[tuple[str, Any, bool, bool]] = []
        self.na: frozenset[str] = frozenset()

    def load(self, p: Project) -> None:
        self.rate = p.execution_rate
        self.parts = p.actual_parts_sum
        self.reported = p.reported_execution_rate
        blank = self.is_blank
        self.cells = [(k, c, blank(c.target), blank(c.actual)) for k, c in p.indicators.items()
                      if not c.not_applicable]
        self.na = frozenset(k for k, c in p.indicators.items() if c.not_applicable)


def _blank_test(placeholders: frozenset[str]) -> Callable[[str], bool]:
    """A fast "empty or placeholder (无, /, —)?" test; called ~17 times per project."""
    longest = max((len(x) for x in placeholders), default=0) + 1

    def is_blank(text: str) -> bool:
        if len(text) > longest:  # fast path: most cells are long prose
            text = text.strip()
            if len(text) > longest:
                return False
        t = text.strip().rstrip("。.").strip()
        return t == "" or t in placeholders

    return is_blank


# --------------------------- JX1xx amounts and rates ------------------------


def _fmt(v: Decimal) -> str:
    return money.format_amount(v)


@project_check("JX101", "error", "实际支出合计不等于各来源之和",
               "actual total differs from the sum of its sources")
def check_actual_sum(p: Project, ctx: _Context):
    parts = ctx.parts
    if parts is None or p.actual_total is None:
        return
    diff = p.actual_total - parts
    if abs(diff) > ctx.config.sum_tolerance:
        yield ("actual_total",
               f"合计 {_fmt(p.actual_total)} ≠ 一般公共预算 + 政府性基金 + 非财政拨款 = {_fmt(parts)}（差 {_fmt(diff)}）",
               f"total {_fmt(p.actual_total)} ≠ general budget + government fund + non-fiscal = {_fmt(parts)} "
               f"(difference {_fmt(diff)})")


@project_check("JX102", "error", "填报的执行率与重算值不符",
               "reported execution rate differs from the recomputed one")
def check_reported_rate(p: Project, ctx: _Context):
    if ctx.rate is None or not p.execution_rate_text.strip():
        return
    reported = ctx.reported
    if reported is not None and abs(reported - ctx.rate) > ctx.config.rate_tolerance:
        yield ("execution_rate",
               f"填报 {p.execution_rate_text.strip()}，按 实际支出合计 ÷ 预算 重算为 {money.format_rate(ctx.rate)}",
               f"reported {p.execution_rate_text.strip()}, recomputed actual ÷ budget = {money.format_rate(ctx.rate)}")


@project_check("JX103", "warning", "执行率无法识别", "execution rate is not a readable percentage")
def check_rate_readable(p: Project, ctx: _Context):
    text = p.execution_rate_text.strip()
    if text and ctx.reported is None:
        yield ("execution_rate", f"「{text}」不是百分数（应形如 99.74%）",
               f"{text!r} is not a percentage (expected e.g. 99.74%)")


@project_check("JX104", "error", "执行率超过上限", "execution rate above the maximum")
def check_rate_above_max(p: Project, ctx: _Context):
    if ctx.rate is not None and ctx.rate > ctx.config.max_rate:
        yield ("execution_rate",
               f"执行率 {money.format_rate(ctx.rate)} 超过 {ctx.config.max_rate}%（支出超预算）",
               f"execution rate {money.format_rate(ctx.rate)} exceeds {ctx.config.max_rate}% (spent over budget)")


@project_check("JX105", "error", "金额为负数", "negative amount")
def check_negative(p: Project, ctx: _Context):
    for f in AMOUNT_FIELDS:
        v = getattr(p, f)
        if v is not None and v < 0:
            yield (f, f"金额为负数：{_fmt(v)}", f"negative amount: {_fmt(v)}")


@project_check("JX106", "error", "缺少预算或实际支出", "budget or actual spending missing")
def check_missing(p: Project, ctx: _Context):
    for f in ("budget", "actual_total"):
        if getattr(p, f) is None:
            yield (f, "金额缺失（空白）", "amount missing (blank)")


@project_check("JX107", "warning", "缺少实际支出的资金来源", "sources of actual spending missing")
def check_parts_missing(p: Project, ctx: _Context):
    if p.actual_total is not None and p.actual_total != 0 and ctx.parts is None:
        yield ("actual_general_budget",
               "一般公共预算、政府性基金、非财政拨款均为空，无法核对合计",
               "general budget, government fund and non-fiscal columns are all blank; the total cannot be verified")


@project_check("JX108", "error", "预算为零却有支出", "spending with a zero budget")
def check_zero_budget(p: Project, ctx: _Context):
    if p.budget is not None and p.budget == 0 and p.actual_total is not None and p.actual_total > 0:
        yield ("budget", f"预算为 0，实际支出 {_fmt(p.actual_total)}，执行率无法计算",
               f"budget is 0 but {_fmt(p.actual_total)} was spent; the execution rate is undefined")


# --------------------------- JX2xx indicators -------------------------------


def _kind_label(key: str) -> tuple[str, str]:
    k = KIND_BY_KEY.get(key)
    return (k.name, k.name_en.lower() + " indicator") if k else (key, key)


@project_check("JX201", "warning", "指标单元格为空或占位", "indicator cell empty or a placeholder")
def check_blank_indicators(p: Project, ctx: _Context):
    state = {key: (cell, tb, ab) for key, cell, tb, ab in ctx.cells}
    for key in ctx.layout:
        if key in ctx.na:
            continue  # declared not applicable: nothing is missing
        cell, target_blank, actual_blank = state.get(key, (None, True, True))
        if cell is not None and reads_not_applicable(cell.target):
            continue  # JX207 offers 不适用 instead
        if target_blank and actual_blank:
            yield (f"indicators.{key}", "年度指标内容与完成情况均为空或占位（无、/、—）",
                   "both the annual target and the completion are blank or a placeholder (无, /, —)")
        elif target_blank:
            yield (f"indicators.{key}.target", f"年度指标内容为空或占位「{cell.target.strip()}」",
                   f"annual target is blank or a placeholder {cell.target.strip()!r}")
        elif actual_blank:
            yield (f"indicators.{key}.actual", f"完成情况为空或占位「{cell.actual.strip()}」",
                   f"completion is blank or a placeholder {cell.actual.strip()!r}")


# A target that says the indicator does not apply: 「无」「不涉及」「不适用」「无（本项目不涉及生态效益）」
# (not 「无污染」: a bare 无 only on its own or before a bracketed 不涉及/不适用).
_NA_CORE = r"(?:本项目|该项目)?(?:不涉及|不适用)[^\d%％；;，,（()）]{0,20}"
_NA_TEXT_RE = re.compile(rf"(?:无|暂无|不适用)\s*(?:[（(]\s*{_NA_CORE}\s*[）)])?|[（(]?\s*{_NA_CORE}\s*[）)]?")


def reads_not_applicable(text: str) -> bool:
    """Whether a 年度指标内容 only says the indicator does not apply (JX207)."""
    if len(text) > 40:
        return False
    t = text.strip().rstrip("。.").strip()
    return bool(t) and _NA_TEXT_RE.fullmatch(t) is not None


def not_applicable_reason(text: str) -> str:
    """The reason a target such as 「无（本项目不涉及生态效益）」 gives (the bracketed words, or the
    text itself when it is more than 无/不适用): what marking the cell 不适用 records."""
    t = text.strip().rstrip("。.").strip()
    m = re.search(r"[（(]\s*([^（()）]+?)\s*[）)]", t)
    if m:
        return m.group(1)
    return "" if t in ("无", "暂无", "不适用", "不涉及") else t


@project_check("JX206", "error", "指标标记为不适用但未说明理由", "indicator marked not applicable without a reason")
def check_not_applicable_reason(p: Project, ctx: _Context):
    for key in sorted(ctx.na):
        if not p.indicators[key].na_reason.strip():
            yield (f"indicators.{key}", "标记为不适用，但未说明理由（如「本项目不涉及生态效益」）",
                   "marked not applicable without a reason (such as 本项目不涉及生态效益, the project has no "
                   "ecological effect)")


@project_check("JX207", "warning", "年度指标内容写明不涉及，应标记为不适用",
               "annual target says the indicator does not apply: mark it not applicable")
def check_not_applicable_text(p: Project, ctx: _Context):
    for key, cell, _, _ in ctx.cells:
        if reads_not_applicable(cell.target):
            yield (f"indicators.{key}.target",
                   f"年度指标内容「{cell.target.strip()}」表示该指标不适用，会按未完成计分；建议标记为不适用并说明理由",
                   f"the annual target {cell.target.strip()!r} says the indicator does not apply and is scored "
                   f"as not achieved; mark it not applicable, with the reason")


# A measurable value: a number (Arabic or Chinese numerals, as in 「电脑3台」「两次」) or a deadline.
_MEASURABLE_KINDS = frozenset({"quantity", "deadline"})
_OUTPUT_KINDS = frozenset({"quantity", "quality", "timeliness", "cost"})
_measurable_cache: dict[str, tuple[str, ...]] = {}
_CACHE_LIMIT = 200_000


def unmeasurable_items(target: str) -> tuple[str, ...]:
    """The 三级 items of a target cell that carry no number and no deadline.

    Read by :func:`jixiao.core.targets.parse_cell`: an item of kind quantity or deadline
    is measurable. Memoised by text: real and generated tables repeat the same target
    texts many times.
    """
    hit = _measurable_cache.get(target)
    if hit is not None:
        return hit
    items = parse_cell(target)
    result = tuple(it.text for it in items if it.kind not in _MEASURABLE_KINDS) if items else (target.strip(),)
    if len(_measurable_cache) >= _CACHE_LIMIT:
        _measurable_cache.clear()
    _measurable_cache[target] = result
    return result


@project_check("JX202", "warning", "产出指标目标没有可衡量的值",
               "output target has no measurable value")
def check_measurable_targets(p: Project, ctx: _Context):
    for key, cell, target_blank, _ in ctx.cells:
        if target_blank or key not in _OUTPUT_KINDS:
            continue
        vague = unmeasurable_items(cell.target)
        if vague:
            shown = "；".join(vague)
            if len(shown) > 60:
                shown = shown[:59] + "…"
            yield (f"indicators.{key}.target",
                   f"目标没有数值或时限：「{shown}」",
                   f"target has no number or deadline: {shown!r}")


# A completion cell that claims 100%: bare 「100%」「100.00%」, or 完成率/满意度/合格率… 100% with no other percentage.
_BARE_100_RE = re.compile(r"\s*100(?:\.0+)?\s*[%％]\s*[。.]?\s*")
_CLAIM_100_RE = re.compile(r"(?:率|满意度|完成|达成|达标)\s*(?:为|达到|达|是|均为)?\s*100(?:\.0+)?\s*[%％]")
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")


def claims_full_completion(actual: str) -> bool:
    if _BARE_100_RE.fullmatch(actual):
        return True
    if not _CLAIM_100_RE.search(actual):
        return False
    return all(Decimal(n) == 100 for n in _PERCENT_RE.findall(actual))


@project_check("JX203", "warning", "全部指标称100%完成但执行率偏低",
               "every indicator claimed 100% complete while the execution rate is low")
def check_all_complete_low_rate(p: Project, ctx: _Context):
    if ctx.rate is None or ctx.rate >= ctx.config.all_complete_rate_threshold:
        return
    filled = [c.actual for _, c, _, actual_blank in ctx.cells if not actual_blank]
    if filled and all(claims_full_completion(a) for a in filled):
        yield ("indicators",
               f"全部 {len(filled)} 项指标填报 100% 完成，但执行率仅 {money.format_rate(ctx.rate)}"
               f"（低于 {ctx.config.all_complete_rate_threshold}%）",
               f"all {len(filled)} indicators claim 100% completion but the execution rate is only "
               f"{money.format_rate(ctx.rate)} (below {ctx.config.all_complete_rate_threshold}%)")


# Completion written as a target: a comparison operator in the 完成情况 cell (「满意度≥99%」).
_TARGET_OP_RE = re.compile(r"[≥≧≤≦＞＜<>]|>=|<=|不低于|不少于|不小于|不超过|不高于")
# Target written as a completion: a part of the 年度指标内容 cell opens in the past tense
# (「已完成…」「已按时…」). Only at the start of a part: 「对已完成项目进行验收」 is a fine target.
_DONE_RE = re.compile(r"(?:^|[；;。，,])\s*已经?(?:完成|全部|按时|按期|如期|实现|达到|达成)")
_TRIM_CHARS = " \t\r\n\u3000。.；;，,"
_TRIM_RE = re.compile(r"[\s。.；;，,]+")


@project_check("JX204", "warning", "年度指标内容与完成情况互相照抄或错位",
               "target restates the completion or vice versa")
def check_restated(p: Project, ctx: _Context):
    for key, cell, target_blank, actual_blank in ctx.cells:
        if target_blank or actual_blank:
            continue
        t, a = cell.target, cell.actual
        # Equal after trimming implies equal first significant characters: a cheap filter first.
        if t.lstrip(_TRIM_CHARS)[:1] == a.lstrip(_TRIM_CHARS)[:1] and _TRIM_RE.sub("", t) == _TRIM_RE.sub("", a):
            yield (f"indicators.{key}", "完成情况与年度指标内容完全相同（照抄目标）",
                   "the completion repeats the annual target word for word")
        elif _TARGET_OP_RE.search(a):
            yield (f"indicators.{key}.actual", f"完成情况写成了目标值「{a.strip()}」，应写实际完成值",
                   f"the completion states a target {a.strip()!r}; write the value actually achieved")
        elif _DONE_RE.search(t):
            yield (f"indicators.{key}.target", f"年度指标内容写成了完成情况「{t.strip()}」，应写年初目标",
                   f"the annual target states a completion {t.strip()!r}; write the target set at the start of the year")


@project_check("JX205", "info", "版式之外的指标列有内容", "indicator outside the table's layout")
def check_outside_layout(p: Project, ctx: _Context):
    for key, _cell, target_blank, actual_blank in ctx.cells:
        if key not in ctx.layout and not (target_blank and actual_blank):
            yield (f"indicators.{key}", "该指标列不在本表版式中，公开表不会显示",
                   "this indicator column is not in the table's layout and will not be shown in the disclosure")


# --------------------------- JX3xx text and problems ------------------------


@project_check("JX301", "warning", "执行率偏低却未说明问题", "low execution rate with no problem stated")
def check_low_rate_no_problem(p: Project, ctx: _Context):
    if ctx.rate is not None and ctx.rate < ctx.config.low_rate_threshold and ctx.is_blank(p.problems):
        yield ("problems",
               f"执行率 {money.format_rate(ctx.rate)} 低于 {ctx.config.low_rate_threshold}%，但“项目执行中存在的问题”为空或“无”",
               f"execution rate {money.format_rate(ctx.rate)} is below {ctx.config.low_rate_threshold}% "
               "but no problem is stated")


@project_check("JX302", "warning", "有问题却无整改情况", "problems stated but no rectification")
def check_problem_no_rectification(p: Project, ctx: _Context):
    if not ctx.is_blank(p.problems) and ctx.is_blank(p.rectification):
        yield ("rectification", "已列出存在的问题，但整改情况为空或“无”",
               "problems are stated but the rectification is blank or 无")


@project_check("JX303", "warning", "年初绩效目标或整体完成情况为空",
               "annual goal or overall completion blank")
def check_goals(p: Project, ctx: _Context):
    for f in ("annual_goal", "overall_completion"):
        if ctx.is_blank(getattr(p, f)):
            yield (f, "为空或占位", "blank or a placeholder")


@project_check("JX304", "error", "项目名称为空", "project name blank")
def check_name(p: Project, ctx: _Context):
    if not p.name.strip():
        yield ("name", "项目名称为空", "the project name is blank")


# --------------------------- JX4xx table-level ------------------------------


@table_check("JX401", "warning", "项目名称重复", "duplicate project name")
def check_duplicate_names(table: Table, config: CheckConfig):
    seen: dict[tuple[str, str], Project] = {}
    by_unit = config.duplicate_scope == "unit"
    for p in table.projects:
        name = "".join(p.name.split())
        if not name:
            continue
        key = (p.unit_name.strip() if by_unit else "", name)
        first = seen.get(key)
        if first is None:
            seen[key] = p
        else:
            yield (p, "name", f"与序号 {first.seq} 的项目名称重复",
                   f"same name as project No. {first.seq}")


@table_check("JX402", "warning", "序号重复或不连续", "numbering (序号) duplicated or out of sequence")
def check_numbering(table: Table, config: CheckConfig):
    for i, p in enumerate(table.projects, start=1):
        if p.seq != i:
            yield (p, "seq", f"第 {i} 行的序号为 {p.seq}（应为 {i}）",
                   f"row {i} is numbered {p.seq} (expected {i})")
            return  # one finding is enough: every later row would repeat it


_TITLE_YEAR_RE = re.compile(r"(\d{4})\s*年")


@table_check("JX403", "warning", "标题年度与表格年度不一致", "title year differs from the table year")
def check_title_year(table: Table, config: CheckConfig):
    m = _TITLE_YEAR_RE.search(table.title or "")
    if m and int(m.group(1)) != table.year:
        yield (None, "title", f"标题写 {m.group(1)} 年，表格年度为 {table.year}",
               f"the title says {m.group(1)}, the table year is {table.year}")


@table_check("JX404", "warning", "表格没有项目", "table has no projects")
def check_not_empty(table: Table, config: CheckConfig):
    if not table.projects:
        yield (None, "projects", "表格没有任何项目", "the table has no projects")


# --------------------------- JX5xx scoring weights and evidence ------------------------


def _profile_of(ctx: _Context):
    from .scoring.profiles import PROFILES  # the scoring package imports nothing from here
    name = ctx.table.profile if ctx.table is not None else ""
    return PROFILES.get(name or "central", PROFILES["central"])


def _pts(v: Decimal) -> str:
    return f"{v.normalize():f}"


def _own_weight(cell) -> Decimal | None:
    """A cell's 分值 as its form gives it: its own, else its items' when every item has one."""
    if cell.weight is not None:
        return cell.weight
    if cell.items and all(i.weight is not None for i in cell.items):
        return sum((i.weight for i in cell.items), Decimal(0))
    return None


def _form_weighted(p: Project) -> bool:
    return any(c.weight is not None or c.items for c in p.indicators.values())


@project_check("JX501", "warning", "三级指标分值合计与二级指标分值不符",
               "level-3 weights do not add up to their level-2 cell's weight")
def check_item_weights(p: Project, ctx: _Context):
    for key, cell in p.indicators.items():
        if cell.weight is None or not cell.items or any(i.weight is None for i in cell.items):
            continue
        total = sum((i.weight for i in cell.items), Decimal(0))
        if total != cell.weight:
            yield (f"indicators.{key}", f"各三级指标分值合计{_pts(total)}分，二级指标分值为{_pts(cell.weight)}分",
                   f"its level-3 weights add up to {_pts(total)}, the cell's weight is {_pts(cell.weight)}")


@project_check("JX502", "warning", "二级指标分值合计与一级指标分值不符",
               "level-2 weights do not add up to their level-1 weight")
def check_cell_weights(p: Project, ctx: _Context):
    if not _form_weighted(p):
        return
    printed = p.published.category_weights if p.published is not None else {}
    prof = _profile_of(ctx)
    for cat in CATEGORIES:
        if cat.key in printed:
            expected = printed[cat.key]
        elif not prof.form_split:
            expected = prof.category_weights.get(cat.key, Decimal(0))
        else:
            continue  # the profile leaves the split to the form
        here = [(k.key, p.indicators[k.key]) for k in KINDS
                if k.category == cat and k.key in p.indicators and p.indicators[k.key].filled]
        weights = [_own_weight(c) for _, c in here]
        if not here or any(w is None for w in weights):
            continue
        total = sum(weights, Decimal(0))
        if total != expected:
            yield ("indicators", f"{cat.name}的二级指标分值合计{_pts(total)}分，一级指标分值为{_pts(expected)}分",
                   f"the {cat.name_en} cells' weights add up to {_pts(total)}, the level's weight is {_pts(expected)}")


@project_check("JX503", "warning", "预算执行率与各一级指标分值合计不是100分",
               "execution and level-1 weights do not add up to 100")
def check_total_weight(p: Project, ctx: _Context):
    pub = p.published
    printed = pub.category_weights if pub is not None else {}
    if not _form_weighted(p) and not printed and (pub is None or pub.execution_weight is None):
        return
    prof = _profile_of(ctx)
    execution = pub.execution_weight if pub is not None and pub.execution_weight is not None else prof.execution_weight
    filled = {k: c for k, c in p.indicators.items() if c.filled}
    whole = bool(filled) and all(_own_weight(c) is not None for c in filled.values())
    total = execution
    for cat in CATEGORIES:
        if cat.key in printed:
            total += printed[cat.key]
        elif whole:
            total += sum((_own_weight(c) for k, c in filled.items()
                          if k in KIND_BY_KEY and KIND_BY_KEY[k].category == cat), Decimal(0))
        else:
            total += prof.category_weights.get(cat.key, Decimal(0))
    if total != 100:
        yield ("", f"预算执行率{_pts(execution)}分与各一级指标分值合计为{_pts(total)}分，不是100分",
               f"the execution weight {_pts(execution)} and the level-1 weights add up to {_pts(total)}, not 100")


@_register("JX504", "info", "score", "完成情况只复述或声称达到目标，没有完成数值",
           "completion copies or asserts the target without a figure")
def claimed_items(p: Project, ps) -> Iterator[tuple]:
    """From a project's score (``jixiao score``, the review score page), not ``jixiao check``:
    judging a claim needs the matching that scoring does anyway."""
    for cat in ps.categories:
        for ind in cat.indicators:
            for it in ind.items:
                if it.evidence == "claimed":
                    gap = it.score - (it.evidenced if it.evidenced is not None else it.score)
                    yield (f"indicators.{ind.kind}",
                           f"“{it.target}”的完成情况“{it.actual}”没有自己的完成数值，按惯例计为达成；"
                           f"严格口径少{_pts(gap)}分",
                           f"the completion “{it.actual}” of “{it.target}” has no figure of its own: counted as "
                           f"met in practice, {_pts(gap)} point(s) less when evidence is required")


def score_findings(project: Project, ps, config: CheckConfig | None = None) -> list[Finding]:
    """The findings of the checks that read a project's score (scope "score": JX504)."""
    config = config or CheckConfig()
    return [_finding(code, severity, project, column, zh, en)
            for code, severity, func in _active(config, "score")
            for column, zh, en in func(project, ps)]


# ---------------------------------------------------------------------------
# Running


def column_label(column: str) -> tuple[str, str]:
    """Chinese and English names of a finding's column (``indicators.quantity.target`` → 数量指标·年度指标内容)."""
    if column.startswith("indicators"):
        parts = column.split(".")
        if len(parts) == 1:
            return "绩效指标", "indicators"
        zh, en = _kind_label(parts[1])
        if len(parts) == 3:
            side_zh, side_en = (("年度指标内容", "annual target") if parts[2] == "target"
                                else ("完成情况", "completion"))
            return f"{zh}·{side_zh}", f"{en}, {side_en}"
        return zh, en
    if column == "title":
        return "标题", "title"
    if column == "projects":
        return "项目", "projects"
    return COLUMN_NAMES.get(column, column), COLUMN_NAMES_EN.get(column, column)


def _finding(code: str, severity: str, p: Project | None, column: str, zh: str, en: str) -> Finding:
    col_zh, col_en = column_label(column)
    if p is None:
        return Finding(code, severity, None, "", column, f"{col_zh}：{zh}", f"{col_en}: {en}")
    name = p.name.strip()
    return Finding(code, severity, p.seq, p.name, column,
                   f"项目 {p.seq}「{name}」{col_zh}：{zh}",
                   f"project {p.seq} “{name}”, {col_en}: {en}")


def _active(config: CheckConfig, scope: str) -> list[tuple[str, str, Callable]]:
    return [(c.code, config.severity.get(c.code, c.severity), c.func)
            for c in CHECKS.values() if c.scope == scope and c.code not in config.disabled]


def _run_project(p: Project, ctx: _Context, active: list) -> Iterator[Finding]:
    ctx.load(p)
    for code, severity, func in active:
        for column, zh, en in func(p, ctx):
            yield _finding(code, severity, p, column, zh, en)


def check_project(project: Project, table: Table | None = None, config: CheckConfig | None = None) -> list[Finding]:
    """Findings of the project-level checks (JX1xx–JX3xx) for one project."""
    config = config or CheckConfig()
    return list(_run_project(project, _Context(table, config), _active(config, "project")))


def check_table(table: Table, config: CheckConfig | None = None) -> list[Finding]:
    """Every finding for the table: project checks in row order, then table-level checks."""
    config = config or CheckConfig()
    ctx = _Context(table, config)
    active = _active(config, "project")
    findings: list[Finding] = []
    for p in table.projects:
        findings.extend(_run_project(p, ctx, active))
    for code, severity, func in _active(config, "table"):
        for p, column, zh, en in func(table, config):
            findings.append(_finding(code, severity, p, column, zh, en))
    return findings


def check_target_sheet(sheet: TargetSheet, config: CheckConfig | None = None,
                       history: TargetHistory | None = None) -> list[Finding]:
    """Every finding of the target-quality checks (JX6xx) for a 绩效目标表, in project order.

    ``history``: the department's earlier years (:mod:`.target_history`); JX612 runs only when
    one is given. A finding's ``project_seq`` is the project's position in the sheet (1-based: a
    绩效目标表 has no 序号), its messages rendered from the reasons catalogue in Chinese and English."""
    from .reasons import render

    config = config or CheckConfig()
    runs = [(code, severity, func, (sheet, config)) for code, severity, func in _active(config, "targets")]
    if history is not None:
        runs += [(code, severity, func, (sheet, history, config)) for code, severity, func in _active(config, "history")]
    found: list[tuple[int, int, Finding]] = []
    for order, (code, severity, func, args) in enumerate(runs):
        for pi, column, reason in func(*args):
            p = sheet.projects[pi] if pi is not None else None
            col_zh, col_en = target_column_label(p, column)
            zh, en = render(reason, "zh"), render(reason, "en")
            if p is None:
                f = Finding(code, severity, None, "", column, f"{col_zh}：{zh}", f"{col_en}: {en}")
            else:
                name = p.name.strip()
                f = Finding(code, severity, pi + 1, p.name, column, f"项目 {pi + 1}「{name}」{col_zh}：{zh}",
                            f"project {pi + 1} “{name}”, {col_en}: {en}")
            found.append((pi if pi is not None else len(sheet.projects), order, f))
    found.sort(key=lambda t: (t[0], t[1]))
    return [f for _, _, f in found]


@_register("JX611", "warning", "approval", "目标在审核通过后被改变", "target changed after approval")
def check_changed_targets(changes, config: CheckConfig):
    """JX611: each approved target stated otherwise (or dropped) later: in a later version of
    the 绩效目标表 or in the self-evaluation (jixiao.core.prefill.target_changes)."""
    for c in changes:
        column = f"indicators.{c.indicator}"
        if c.now is None:
            yield c.project, column, ("target.dropped", c.approved)
        else:
            yield c.project, column, ("target.changed", c.approved, c.now)


def check_target_changes(approved: TargetSheet, current, config: CheckConfig | None = None) -> list[Finding]:
    """JX611 findings for ``current`` (a later TargetSheet or the self-evaluation Table) against
    the approved sheet; a finding's ``project_seq`` is the project's place in the approved sheet."""
    from .prefill import target_changes
    from .reasons import render

    config = config or CheckConfig()
    found = []
    for code, severity, func in _active(config, "approval"):
        for pi, column, reason in func(target_changes(approved, current), config):
            p = approved.projects[pi]
            col_zh, col_en = target_column_label(p, column)
            name = p.name.strip()
            found.append(Finding(code, severity, pi + 1, p.name, column,
                                 f"项目 {pi + 1}「{name}」{col_zh}：{render(reason, 'zh')}",
                                 f"project {pi + 1} “{name}”, {col_en}: {render(reason, 'en')}"))
    return found


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] += 1
    return counts
