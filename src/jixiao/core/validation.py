"""One set of bounds for every way a table enters jixiao (docs/table-json.md, "Limits").

The project form, the table JSON reader, the XLSX/PDF/text importers, the web import's
preview and confirm, and the API all ask this module, so they admit the same values — and
every value admitted fits the database columns that will hold it (``Project`` amounts are
``DECIMAL(20, 4)``, 序号 a 32-bit integer, names ``VARCHAR``). A value outside the bounds is
a :class:`Problem`: the field's path, a code and its parameters, rendered in Chinese and
English — a field-level message, never a crash further down (an ``InvalidOperation`` in a
rate, an ``OverflowError`` in a statistic, an ``IntegrityError`` at save).

Bounds (each documented with its reason in docs/table-json.md):

* amounts: finite, ``-10^15 < amount < 10^15`` in the table's unit (the project form's
  limit), at most :data:`AMOUNT_PLACES` (4) decimals (the column's scale) and at most
  :data:`AMOUNT_DIGITS` (15) significant digits (SQLite keeps a decimal as a double:
  ``123456789012.3456`` would come back as ``123456789012.346``);
* 序号: a whole number from :data:`SEQ_MIN` to :data:`SEQ_MAX` (the project form's range,
  far inside the column's 2^31 − 1);
* text: at most :data:`TEXT_LIMITS` characters per field, no control characters other than
  tab, line feed and carriage return (NUL, ESC, …), no lone UTF-16 surrogates (they cannot be
  encoded as UTF-8, so no page, file or database could hold them);
* a layout names each indicator kind once;
* a score override names an item the project's score has and lies between 0 and that
  item's weight (预算执行率 10, a category 50/30/10, a cell its share, the total 100 — as the
  scoring configuration in use says).

Standard library only (the core): the web layer renders :meth:`Problem.message` in the page's
language and the CLI prints both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import InputError

AMOUNT_MAX = Decimal(10) ** 15  # exclusive, in the table's unit (the project form's limit)
AMOUNT_PLACES = 4  # decimals the database keeps (DecimalField(max_digits=20, decimal_places=4))
AMOUNT_DIGITS = 15  # significant digits SQLite keeps of a decimal (it stores a double)
SEQ_MIN = 1
SEQ_MAX = 100_000  # the project form's range; the column (PositiveIntegerField) holds 2^31 − 1
MAX_PROBLEMS = 20  # problems listed at most for one table (the first ones, in document order)

# Characters per field. Short fields are the web columns' lengths: 部门 200, 简称 100, 附件编号
# 50, 标题 300, 项目名称 300, 单位名称 200, 执行率 30. Long texts (goals, problems, indicator
# cells) are stored unbounded; their limit is the most one XLSX cell holds, so every table
# admitted can be exported (real cells run to a few thousand characters).
XLSX_CELL_MAX = 32767
TEXT_LIMITS: dict[str, int] = {
    "department": 200,
    "department_short": 100,
    "attachment": 50,
    "title": 300,
    "columns_note": XLSX_CELL_MAX,
    "name": 300,
    "unit_name": 200,
    "execution_rate": 30,
    "annual_goal": XLSX_CELL_MAX,
    "overall_completion": XLSX_CELL_MAX,
    "problems": XLSX_CELL_MAX,
    "rectification": XLSX_CELL_MAX,
    "indicator": XLSX_CELL_MAX,  # a 年度指标内容 or 完成情况 cell, and each text of a 三级 item
    "override_item": 40,
    "override_reason": 2000,
    "override_by": 150,
    "override_at": 40,
    "grade": 20,
    "total_text": 50,
}

# Field names for messages: (Chinese, English).
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "department": ("部门名称", "department"),
    "department_short": ("部门简称", "department short name"),
    "attachment": ("附件编号", "attachment label"),
    "title": ("标题", "title"),
    "columns_note": ("栏目说明", "columns note"),
    "seq": ("序号", "number (序号)"),
    "name": ("项目名称", "project name"),
    "unit_name": ("单位名称", "unit name"),
    "execution_rate": ("预算支出执行率", "execution rate"),
    "annual_goal": ("年初绩效目标", "annual goal"),
    "overall_completion": ("绩效目标整体完成情况", "overall completion"),
    "problems": ("项目执行中存在的问题", "problems"),
    "rectification": ("整改情况", "rectification"),
    "indicator": ("指标内容", "indicator text"),
    "budget": ("项目年度预算金额", "budget"),
    "actual_total": ("实际支出金额合计", "actual total"),
    "actual_general_budget": ("一般公共预算", "general public budget"),
    "actual_gov_fund": ("政府性基金预算", "government fund budget"),
    "actual_non_fiscal": ("非财政拨款资金", "non-fiscal funds"),
    "initial_budget": ("年初预算数", "initial budget"),
    "amount": ("金额", "amount"),
    "layout": ("指标栏目", "layout"),
    "override_item": ("评分调整的项目", "override item"),
    "override_score": ("调整后的分数", "override score"),
    "override_reason": ("调整理由", "override reason"),
    "override_by": ("调整人", "overridden by"),
    "override_at": ("调整时间", "override time"),
    "grade": ("评价等级", "grade"),
    "total_text": ("总分", "total"),
}

# Messages by code; parameters are filled in by name. Both languages say the same.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_a_number": ("{zh}不是数字：{value}", "{en} is not a number: {value}"),
    "not_finite": ("{zh}不是有限数值：{value}", "{en} is not a finite number: {value}"),
    "amount_range": ("{zh}超出范围：{value}（绝对值应小于 10^15）",
                     "{en} is out of range: {value} (its size must be below 10^15)"),
    "amount_places": ("{zh}最多保留 {places} 位小数：{value}",
                      "{en} may have at most {places} decimals: {value}"),
    "amount_digits": ("{zh}的有效数字超过 {digits} 位：{value}（数据库只能精确保存 {digits} 位）",
                      "{en} has more than {digits} significant digits: {value} (the database keeps {digits} exactly)"),
    "seq_range": ("{zh}应为 {low} 到 {high} 之间的整数：{value}",
                  "{en} must be a whole number from {low} to {high}: {value}"),
    "too_long": ("{zh}过长：{length} 字（上限 {limit} 字）",
                 "{en} is too long: {length} characters (limit {limit})"),
    "control_char": ("{zh}含有不可见的控制字符（{char}，第 {position} 个字符）",
                     "{en} contains a control character ({char} at character {position})"),
    "surrogate": ("{zh}含有无效字符（孤立的代理项 {char}，第 {position} 个字符）",
                  "{en} contains an invalid character (a lone surrogate {char} at character {position})"),
    "repeated_key": ("{zh}中的指标类别重复：{key}", "{en} names the indicator kind {key} twice"),
    "override_unknown": ("{zh}不存在：{item}（可调整：{known}）",
                         "{en} does not exist: {item} (overridable: {known})"),
    "override_range": ("{zh}应在 0 到 {weight} 之间（{item} 的分值）：{value}",
                       "{en} must lie between 0 and {weight} (the weight of {item}): {value}"),
    "override_repeated": ("{zh}重复：{item} 被调整了两次", "{en} repeated: {item} is overridden twice"),
}


@dataclass(frozen=True)
class Problem:
    """One value outside the bounds: where (a JSON path such as ``$.projects[2].name``), which
    field (a key of :data:`FIELD_NAMES`), the code of :data:`MESSAGES` and its parameters."""

    path: str
    field: str
    code: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def _render(self, lang: int) -> str:
        names = FIELD_NAMES.get(self.field, (self.field, self.field))
        return MESSAGES[self.code][lang].format(zh=names[0], en=names[1], **self.params)

    @property
    def message_zh(self) -> str:
        return self._render(0)

    @property
    def message_en(self) -> str:
        return self._render(1)

    def message(self, language: str = "zh") -> str:
        return self.message_en if language.startswith("en") else self.message_zh


def _shown(value: Any, limit: int = 40) -> str:
    """A value for a message: short, and printable whatever it holds."""
    text = str(value)
    text = text if len(text) <= limit else text[:limit] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# --- single values -------------------------------------------------------------------------

def amount_problem(value: Any, path: str = "", field_name: str = "amount",
                   negative_ok: bool = True) -> Problem | None:
    """An amount (``Decimal``, ``int``, or ``None`` for blank) outside the bounds."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return Problem(path, field_name, "not_a_number", {"value": _shown(value)})
    d = Decimal(value)
    if not d.is_finite():
        return Problem(path, field_name, "not_finite", {"value": _shown(value)})
    try:
        too_big = abs(d) >= AMOUNT_MAX or (not negative_ok and d < 0)
    except InvalidOperation:  # pragma: no cover - comparison of finite decimals never fails
        too_big = True
    if too_big:
        return Problem(path, field_name, "amount_range", {"value": _shown(value)})
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -AMOUNT_PLACES and d != d.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)):
        return Problem(path, field_name, "amount_places", {"value": _shown(value), "places": AMOUNT_PLACES})
    if significant_digits(d) > AMOUNT_DIGITS:
        return Problem(path, field_name, "amount_digits", {"value": _shown(value), "digits": AMOUNT_DIGITS})
    return None


def significant_digits(amount: Decimal) -> int:
    """Digits from the first non-zero one to the last non-zero decimal: 3.80 → 2, 100 → 3,
    123456789012.3456 → 16 (trailing zeros of a whole number count: they are its size)."""
    if not amount:
        return 0
    sign, digits, exponent = amount.normalize().as_tuple()
    return len(digits) + max(int(exponent), 0)


def seq_problem(value: Any, path: str = "") -> Problem | None:
    """A 序号 that is not a whole number from SEQ_MIN to SEQ_MAX."""
    if isinstance(value, bool) or not isinstance(value, int) or not SEQ_MIN <= value <= SEQ_MAX:
        return Problem(path, "seq", "seq_range", {"value": _shown(value), "low": SEQ_MIN, "high": SEQ_MAX})
    return None


# Control characters other than tab, LF and CR; DEL and the C1 controls; the two non-characters
# XML cannot hold. (A line break is text; a NUL or an ESC is not.)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problem(value: Any, path: str = "", field_name: str = "name", limit: int | None = None) -> Problem | None:
    """A text too long for its field, or holding a control character or a lone surrogate."""
    if value is None:
        return None
    text = str(value)
    limit = TEXT_LIMITS.get(field_name, XLSX_CELL_MAX) if limit is None else limit
    if len(text) > limit:
        return Problem(path, field_name, "too_long", {"length": len(text), "limit": limit})
    m = _SURROGATE.search(text)
    if m:
        return Problem(path, field_name, "surrogate", {"char": f"U+{ord(m.group()):04X}", "position": m.start() + 1})
    m = _CONTROL.search(text)
    if m:
        return Problem(path, field_name, "control_char", {"char": f"U+{ord(m.group()):04X}", "position": m.start() + 1})
    return None


def layout_problem(layout: Any, path: str = "$.layout") -> Problem | None:
    """An indicator kind named twice in a layout."""
    seen: set = set()
    for i, key in enumerate(layout or ()):
        if key in seen:
            return Problem(f"{path}[{i}]", "layout", "repeated_key", {"key": _shown(key)})
        seen.add(key)
    return None


# --- a whole table -------------------------------------------------------------------------

_TABLE_TEXTS = ("department", "department_short", "attachment", "title", "columns_note")
_PROJECT_TEXTS = (("unit_name", "unit_name"), ("name", "name"), ("execution_rate_text", "execution_rate"),
                  ("annual_goal", "annual_goal"), ("overall_completion", "overall_completion"),
                  ("problems", "problems"), ("rectification", "rectification"))
_AMOUNTS = ("budget", "actual_total", "actual_general_budget", "actual_gov_fund", "actual_non_fiscal",
            "initial_budget")


def table_problems(table: Any, config: Any = None, limit: int = MAX_PROBLEMS) -> list[Problem]:
    """Every problem of ``table`` (a :class:`~jixiao.core.model.Table`), the first ``limit``,
    in document order. ``config`` is the :class:`~jixiao.core.scoring.ScoringConfig` that
    weighs the overrides (default: the table's profile under the default settings)."""
    out: list[Problem] = []

    def add(problem: Problem | None) -> bool:
        if problem is not None:
            out.append(problem)
        return len(out) >= limit

    for name in _TABLE_TEXTS:
        if add(text_problem(getattr(table, name, ""), f"$.{name}", name)):
            return out
    if add(layout_problem(getattr(table, "layout", ()))):
        return out
    for i, p in enumerate(table.projects):
        for problem in project_problems(p, f"$.projects[{i}]", table=table, config=config):
            if add(problem):
                return out
    return out


def project_problems(project: Any, path: str = "$", table: Any = None, config: Any = None) -> list[Problem]:
    """Every problem of one project (``path`` is its JSON path)."""
    out: list[Problem | None] = [seq_problem(project.seq, f"{path}.seq")]
    for attr, name in _PROJECT_TEXTS:
        out.append(text_problem(getattr(project, attr, ""), f"{path}.{'execution_rate' if attr == 'execution_rate_text' else attr}", name))
    for name in _AMOUNTS:
        out.append(amount_problem(getattr(project, name, None), f"{path}.{name}", name))
    for key, cell in sorted((getattr(project, "indicators", None) or {}).items()):
        cpath = f"{path}.indicators.{key}"
        out.append(text_problem(cell.target, f"{cpath}.target", "indicator"))
        out.append(text_problem(cell.actual, f"{cpath}.actual", "indicator"))
        for j, item in enumerate(getattr(cell, "items", None) or []):
            for attr in ("name", "target", "actual", "note"):
                out.append(text_problem(getattr(item, attr, ""), f"{cpath}.items[{j}].{attr}", "indicator"))
    published = getattr(project, "published", None)
    if published is not None:
        out.append(text_problem(published.grade, f"{path}.published.grade", "grade"))
        out.append(text_problem(published.total_text, f"{path}.published.total_text", "total_text"))
    out.extend(override_problems(project, path, table=table, config=config))
    return [p for p in out if p is not None]


def override_problems(project: Any, path: str = "$", table: Any = None, config: Any = None) -> list[Problem]:
    """Overrides that name no item of the project's score, repeat an item, or lie outside
    0…the item's weight; and their texts' bounds."""
    overrides = list(getattr(project, "overrides", None) or [])
    if not overrides:
        return []
    out: list[Problem | None] = []
    for i, ov in enumerate(overrides):
        opath = f"{path}.overrides[{i}]"
        out.append(text_problem(ov.item, f"{opath}.item", "override_item"))
        out.append(text_problem(ov.reason, f"{opath}.reason", "override_reason"))
        out.append(text_problem(ov.by, f"{opath}.by", "override_by"))
        out.append(text_problem(ov.at, f"{opath}.at", "override_at"))
        out.append(text_problem(ov.target, f"{opath}.target", "indicator"))
    problems = [p for p in out if p is not None]
    if problems:
        return problems
    weights = overridable_weights(project, table=table, config=config)
    seen: set[str] = set()
    for i, ov in enumerate(overrides):
        opath = f"{path}.overrides[{i}]"
        if ov.item not in weights:
            problems.append(Problem(f"{opath}.item", "override_item", "override_unknown",
                                    {"item": _shown(ov.item), "known": ", ".join(weights)}))
            continue
        if ov.item in seen:
            problems.append(Problem(f"{opath}.item", "override_item", "override_repeated", {"item": ov.item}))
            continue
        seen.add(ov.item)
        score = ov.score
        weight = weights[ov.item]
        if not isinstance(score, Decimal) or not score.is_finite() or not 0 <= score <= weight:
            problems.append(Problem(f"{opath}.score", "override_score", "override_range",
                                    {"value": _shown(score), "weight": weight, "item": ov.item}))
    return problems


def overridable_weights(project: Any, table: Any = None, config: Any = None) -> dict[str, Decimal]:
    """Every score of ``project`` an evaluator may override (ScoreOverride.item) and its weight,
    in the order of the MoF form: 预算执行率, each 二级 cell (and each 三级 item of a cell with
    several), each 一级 category, the total."""
    from dataclasses import replace

    from . import scoring

    bare = replace(project, overrides=[])
    if table is not None and getattr(table, "profile", ""):
        score = scoring.score_table(replace(table, projects=[bare]), config)[0]
    else:
        score = scoring.score_project(bare, config)
    weights = {"execution": score.execution.weight}
    for cat in score.categories:
        for ind in cat.indicators:
            weights[ind.kind] = ind.weight
            if len(ind.items) > 1:
                for n, it in enumerate(ind.items, 1):
                    weights[scoring.item_key(ind.kind, n)] = it.weight
        weights[cat.key] = cat.weight
    weights["total"] = score.execution.weight + sum((c.weight for c in score.categories), Decimal(0))
    return weights


def first_problem_error(problems: list[Problem], source: str | None = None):
    """The :class:`~jixiao.errors.InputError` for a list of problems: the first one's message
    and path, and how many more there are."""
    first = problems[0]
    more_zh = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
    more_en = f" ({len(problems) - 1} more)" if len(problems) > 1 else ""
    return InputError(first.message_zh + more_zh, first.message_en + more_en, source=source, path=first.path)


def check_table(table: Any, source: str | None = None, config: Any = None) -> None:
    """Raise :class:`~jixiao.errors.InputError` for the first problem of ``table``."""
    problems = table_problems(table, config)
    if problems:
        raise first_problem_error(problems, source)


def round_amounts(table: Any) -> list[tuple[str, Decimal, Decimal]]:
    """Round every finite amount with more than :data:`AMOUNT_PLACES` decimals half-up to that
    many, in place — for readers of printed documents and spreadsheets, whose cells hold binary
    floats (``267.09999999999997``), not for typed input. Returns (path, old, new) per change."""
    from decimal import ROUND_HALF_UP

    step = Decimal(1).scaleb(-AMOUNT_PLACES)
    changes = []
    for i, p in enumerate(table.projects):
        for name in _AMOUNTS:
            value = getattr(p, name, None)
            if not isinstance(value, Decimal) or not value.is_finite() or abs(value) >= AMOUNT_MAX:
                continue
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and exponent < -AMOUNT_PLACES:
                new = value.quantize(step, rounding=ROUND_HALF_UP)
                if new != value:
                    setattr(p, name, new)
                    changes.append((f"$.projects[{i}].{name}", value, new))
    return changes
