"""Target-quality checks (JX6xx): what the finance bureau looks for in a 绩效目标表.

Why: the usual complaints about targets set with the budget are that they are vague (「有效提升」),
easy (below what was already achieved last year), copied from project to project, or do not
add up (分值). Found before the money is spent, each is one edit away; found at the
self-evaluation, each is a target "met" that proves nothing. Every finding says why it matters
and how to fix it.

The checks live in the one registry of :mod:`.checks` (codes, severities, ``CheckConfig``'s
``disabled`` and ``severity``); this module only defines them — :mod:`.checks` registers them
under the scope ``targets`` and runs them (``check_target_sheet``), so the two modules do not
import each other. JX612 needs more than the sheet: the department's earlier years
(:mod:`.target_history`); it is registered under the scope ``history`` and runs when the caller
passes a history. A check yields ``(project index or None, column, reason)``; the reason is
data (a code of :mod:`.reasons` and its parameters), rendered in Chinese and English from the
one catalogue. Every code, default and source is in docs/checks.md. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .reasons import Reason
from .target_history import EarlierValue, TargetHistory, in_common_unit, unit_key
from .target_sheet import TargetIndicator, TargetProject, TargetSheet
from .targets import fold, has_digit, parse_cell
from .taxonomy import CATEGORIES, KIND_BY_KEY

# JX602: wording that states a direction, not a level (documented in docs/checks.md).
DEFAULT_VAGUE_WORDS: tuple[str, ...] = (
    "有效提升", "有效提高", "有效改善", "有效保障", "进一步加强", "进一步提升", "进一步提高", "进一步完善", "进一步改善",
    "显著改善", "显著提升", "显著提高", "明显提高", "明显提升", "明显改善", "有所提高", "有所提升", "有所改善",
    "逐步完善", "逐步提高", "不断提高", "不断完善", "不断提升", "大幅提升", "大幅提高", "稳步提升", "稳步提高",
    "持续改善", "持续提升", "得到加强", "得到提升", "得到改善", "切实提高", "全面提升", "全面加强", "较大提升",
)
DEFAULT_MIN_SATISFACTION = Decimal(80)  # JX607, percent
DEFAULT_HISTORY_YEARS = 3  # JX612: the years before the sheet's that count
_OUTPUT_KINDS = frozenset({"quantity", "quality", "timeliness", "cost"})


@dataclass(frozen=True)
class TargetCheck:
    code: str
    severity: str
    title_zh: str
    title_en: str
    func: Callable[..., Iterator[tuple[int | None, str, Reason]]]
    scope: str = "targets"  # "targets": func(sheet, config); "history": func(sheet, history, config)


TARGET_CHECKS: list[TargetCheck] = []


def _check(code: str, severity: str, title_zh: str, title_en: str, scope: str = "targets"):
    def deco(func):
        TARGET_CHECKS.append(TargetCheck(code, severity, title_zh, title_en, func, scope))
        return func
    return deco


def _pts(v: Decimal) -> str:
    return f"{v.normalize():f}"


def _indicators(sheet: TargetSheet) -> Iterator[tuple[int, TargetProject, int, TargetIndicator]]:
    for pi, p in enumerate(sheet.projects):
        for ii, ind in enumerate(p.indicators):
            yield pi, p, ii, ind


def column_label(project: TargetProject | None, column: str) -> tuple[str, str]:
    """Chinese and English names of a finding's column (``indicators.2`` → 数量指标·三级 name)."""
    if column == "funds":
        return "项目资金", "project funds"
    if column == "goal":
        return "年度总体目标", "annual overall goal"
    if column.startswith("indicators.") and project is not None:
        ind = project.indicators[int(column.split(".")[1])]
        kind = KIND_BY_KEY[ind.kind]
        return f"{kind.name}“{ind.name}”", f"{kind.name_en} indicator “{ind.name}”"
    if column.startswith("category."):
        cat = column.split(".")[1]
        name = next(c for c in CATEGORIES if c.key == cat)
        return name.name, f"{name.name_en} indicators"
    return "绩效指标", "indicators"


# --------------------------- the checks --------------------------------------------------


@_check("JX601", "warning", "指标缺少指标值或度量单位",
        "indicator without a value or a unit")
def check_values(sheet: TargetSheet, config: Any):
    for pi, _, ii, ind in _indicators(sheet):
        col = f"indicators.{ii}"
        if not ind.value.strip():
            yield pi, col, ("target.no_value", ind.name)
        elif ind.quantitative and ind.number is None:
            yield pi, col, ("target.not_number", ind.name, ind.value)
        elif ind.quantitative and not ind.unit.strip():
            yield pi, col, ("target.no_unit", ind.name, ind.value)


def vague_words(text: str, words: tuple[str, ...]) -> list[str]:
    """The listed vague phrases found in ``text``, in the order of the list."""
    return [w for w in words if w in text]


@_check("JX602", "warning", "产出指标表述不可衡量", "output target in unmeasurable wording")
def check_vague(sheet: TargetSheet, config: Any):
    words = tuple(config.vague_words)
    for pi, _, ii, ind in _indicators(sheet):
        if ind.kind not in _OUTPUT_KINDS or has_digit(ind.value):
            continue
        found = vague_words(f"{ind.name} {ind.value}", words)
        if found:
            yield pi, f"indicators.{ii}", ("target.vague", ind.name, "”“".join(found))


@_check("JX603", "warning", "没有成本指标", "no cost indicator")
def check_cost(sheet: TargetSheet, config: Any):
    for pi, p in enumerate(sheet.projects):
        if p.indicators and not any(i.kind == "cost" for i in p.indicators):
            yield pi, "indicators", ("target.no_cost",)


def _last_value(ind: TargetIndicator) -> tuple[Decimal, str] | None:
    items = parse_cell(ind.last_actual, ind.kind) if ind.last_actual.strip() else []
    if len(items) != 1 or items[0].kind != "quantity" or items[0].value is None or items[0].op == "range":
        return None
    return items[0].value, (items[0].unit or "")


def _below_last(ind: TargetIndicator) -> Decimal | None:
    """Last year's actual (上年实际完成值) when the target asks for less than it (JX604), else None;
    in the unit the target's unit is compared in (``target_history.SCALES``: 公里 in 米), a
    value without a unit taken in the target's unit."""
    if not ind.quantitative or ind.number is None:
        return None
    last = _last_value(ind)
    if last is None:
        return None
    unit = unit_key(ind.unit)
    number, common = in_common_unit(ind.number, unit) if unit else (ind.number, "")
    value, last_common = in_common_unit(last[0], unit_key(last[1]) or unit) if unit else (last[0], "")
    if last_common != common:
        return None
    return value if _stricter(ind.nature == "<=", value, number) else None


@_check("JX604", "warning", "指标值低于上年实际完成值", "target below last year's actual")
def check_below_last(sheet: TargetSheet, config: Any):
    for pi, _, ii, ind in _indicators(sheet):
        if _below_last(ind) is not None:
            yield pi, f"indicators.{ii}", ("target.below_last", ind.name, ind.target_text(), ind.last_actual.strip(),
                                           ind.nature == "<=")


def _stricter(ceiling: bool, value: Decimal, than: Decimal) -> bool:
    """Whether ``value`` asks for more than ``than``: higher, or lower for a ceiling (≤)."""
    return value < than if ceiling else value > than


def _same_direction(ind: TargetIndicator, earlier: EarlierValue) -> bool:
    """A completion, or an earlier target of the same direction (a ceiling against a ceiling)."""
    return earlier.source != "target" or (earlier.nature == "<=") == (ind.nature == "<=")


@_check("JX612", "warning", "指标值低于本部门以往年度水平", "target below the department's own earlier years",
        scope="history")
def check_below_history(sheet: TargetSheet, history: TargetHistory, config: Any):
    first = sheet.year - config.history_years
    for pi, p, ii, ind in _indicators(sheet):
        number = ind.number
        if not ind.quantitative or number is None:
            continue
        ceiling = ind.nature == "<="
        unit = unit_key(ind.unit)
        number, common = in_common_unit(number, unit)
        # Flagged by JX604 already (the form's own 上年实际完成值): only a more demanding earlier value adds to it.
        floor = _below_last(ind) if "JX604" not in config.disabled else None
        earlier = []  # (the value in the common unit, the earlier value)
        for v in history.of(p.name, ind.name):
            value, v_common = in_common_unit(v.value, v.unit)
            if (first <= v.year < sheet.year and v_common == common and _same_direction(ind, v)
                    and _stricter(ceiling, value, number) and (floor is None or _stricter(ceiling, value, floor))):
                earlier.append((value, v))
        if not earlier:
            continue
        # The most demanding value; of equals, the latest year, a completion before a target.
        _, best = min(earlier, key=lambda e: (e[0] if ceiling else -e[0], -e[1].year, e[1].source != "completion"))
        yield pi, f"indicators.{ii}", ("target.below_history", ind.name, ind.target_text(), best.text, best.year,
                                       best.source, ceiling)


def _profile(sheet: TargetSheet):
    from .scoring.profiles import PROFILES  # the scoring package imports nothing from the checks
    return PROFILES.get(sheet.profile or "central", PROFILES["central"])


@_check("JX605", "warning", "分值合计与评分口径不符", "weights do not add up to the scoring profile")
def check_weights(sheet: TargetSheet, config: Any):
    prof = _profile(sheet)
    for pi, p in enumerate(sheet.projects):
        weights = [i.weight for i in p.indicators]
        given = [w for w in weights if w is not None]
        if not given:
            continue
        if len(given) != len(weights):
            yield pi, "indicators", ("target.weights_partial", str(len(weights) - len(given)), str(len(weights)))
            continue
        if not prof.form_split:
            for cat in CATEGORIES:
                expected = prof.category_weights.get(cat.key, Decimal(0))
                total = sum((i.weight for i in p.indicators if i.category == cat), Decimal(0))
                if total != expected:
                    yield pi, f"category.{cat.key}", ("target.weights_category", cat.key, _pts(total), _pts(expected))
        total = sum(given, Decimal(0))
        expected = Decimal(100) - prof.execution_weight
        if total != expected:
            yield pi, "indicators", ("target.weights_total", _pts(total), _pts(expected))


_SPACE_RE = re.compile(r"[\s。.；;，,]+")


def _same_text(text: str) -> str:
    return _SPACE_RE.sub("", fold(text))


@_check("JX606", "warning", "不同项目使用相同的目标表述", "the same target text in different projects")
def check_duplicates(sheet: TargetSheet, config: Any):
    goals: dict[str, str] = {}
    targets: dict[tuple[str, str], str] = {}
    for pi, p in enumerate(sheet.projects):
        goal = _same_text(p.goal)
        if goal:
            first = goals.setdefault(goal, p.name)
            if first != p.name:
                yield pi, "goal", ("target.duplicate", p.goal.strip(), first)
        seen_here: set[tuple[str, str]] = set()
        for ii, ind in enumerate(p.indicators):
            if ind.kind == "satisfaction" or not ind.value.strip():
                continue  # 满意度≥90% is the same everywhere by design
            key = (_same_text(ind.name), _same_text(ind.target_text()))
            if key in seen_here:
                continue
            seen_here.add(key)
            first = targets.setdefault(key, p.name)
            if first != p.name:
                yield pi, f"indicators.{ii}", ("target.duplicate", f"{ind.name} {ind.target_text()}", first)


def _is_satisfaction(ind: TargetIndicator) -> bool:
    return ind.kind == "satisfaction" or "满意" in ind.name


@_check("JX607", "warning", "满意度目标低于80%", "satisfaction target below 80 %")
def check_satisfaction(sheet: TargetSheet, config: Any):
    threshold = config.min_satisfaction
    for pi, _, ii, ind in _indicators(sheet):
        if not _is_satisfaction(ind) or ind.nature not in (">=", "=") or ind.unit != "%":
            continue
        n = ind.number
        if n is not None and n < threshold:
            yield pi, f"indicators.{ii}", ("target.low_satisfaction", ind.name, _pts(n), _pts(threshold))


# A year that is part of a date: 2024年…, 2024.01, 2024-01, 2024/01 (not 2024 on its own: 2024人次).
_DATE_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=\s*(?:年|[.\-/－—~至][0-9]))")


def deadline_year(text: str) -> int | None:
    """The latest year a target's text names as part of a date (``2023.07-2024.01`` → 2024)."""
    t = fold(text)
    years = [int(m.group(1)) for m in _DATE_YEAR_RE.finditer(t)]
    for it in parse_cell(text) if not years else ():
        if it.kind == "deadline" and it.deadline_year:
            years.append(it.deadline_year)
    return max(years) if years else None


@_check("JX608", "warning", "时限晚于年度末", "deadline after the year's end")
def check_late(sheet: TargetSheet, config: Any):
    for pi, _, ii, ind in _indicators(sheet):
        year = deadline_year(ind.value)
        if year is not None and year > sheet.year:
            yield pi, f"indicators.{ii}", ("target.late", ind.name, ind.value.strip(), str(sheet.year))


@_check("JX609", "error", "年度资金总额不等于各来源之和", "total funds differ from the sum of their sources")
def check_funds(sheet: TargetSheet, config: Any):
    for pi, p in enumerate(sheet.projects):
        parts = p.funds_sum
        if p.total is not None and parts is not None and p.total != parts:
            yield pi, "funds", ("target.funds_sum", f"{p.total:f}", f"{parts:f}")


@_check("JX610", "error", "缺少年度总体目标或绩效指标", "annual goal or indicators missing")
def check_missing(sheet: TargetSheet, config: Any):
    for pi, p in enumerate(sheet.projects):
        if not p.goal.strip():
            yield pi, "goal", ("target.no_goal",)
        if not p.indicators:
            yield pi, "indicators", ("target.no_indicators",)
