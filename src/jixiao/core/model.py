"""The disclosure table (附件2-3) as data.

Every cell keeps its original text verbatim (strings are never rewritten); amounts are
:class:`~decimal.Decimal` in the table's money unit; what can be computed (actual total
checks, execution rates, the 合计 row) is computed, never typed. The reported
execution rate is kept as the text the table printed, beside the recomputed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import money
from .money import MoneyUnit
from .taxonomy import DISCLOSURE_2019, KIND_ORDER

AMOUNT_FIELDS: tuple[str, ...] = (
    "budget", "actual_total", "actual_general_budget", "actual_gov_fund", "actual_non_fiscal",
)

# Chinese column names of the 附件2-3 layout, keyed by model field (used by checks, exports, UI).
COLUMN_NAMES: dict[str, str] = {
    "seq": "序号",
    "unit_name": "单位名称",
    "name": "项目名称",
    "gov_investment": "是否政府投资项目",
    "budget": "项目年度预算金额",
    "actual_total": "实际支出金额_合计",
    "actual_general_budget": "实际支出金额_一般公共预算",
    "actual_gov_fund": "实际支出金额_政府性基金预算",
    "actual_non_fiscal": "实际支出金额_非财政拨款资金",
    "execution_rate": "预算支出执行率",
    "annual_goal": "年初绩效目标",
    "overall_completion": "绩效目标整体完成情况",
    "problems": "项目执行中存在的问题",
    "rectification": "整改情况",
}


@dataclass
class IndicatorItem:
    """One 三级 indicator row as a form lays it out (the MoF 项目支出绩效自评表 and its
    provincial variants): its own name, value, completion, 分值 and, for an imported form,
    the 得分 the form printed. Texts are verbatim."""

    name: str = ""  # 三级指标: 培训人数
    target: str = ""  # 年度指标值: ≥100人 (an operator/unit column of the form is folded in)
    actual: str = ""  # 实际完成值 / 全年实际值
    weight: Decimal | None = None  # 分值 of this 三级 indicator, when the form gives one
    published_score: Decimal | None = None  # 得分 as the published form printed it
    note: str = ""  # 偏差原因分析及改进措施

    @property
    def target_text(self) -> str:
        """Name and value as one parseable target (``培训人数≥100人``)."""
        if self.name and self.target and not self.target.startswith(self.name):
            return f"{self.name}{self.target}"
        return self.target or self.name


@dataclass
class IndicatorCell:
    """One 二级 indicator of a project: 年度指标内容 (target) and 完成情况 (actual), verbatim.

    A cell from the 附件2-3 table holds its 三级 items as free text (several separated by
    ``；``). A cell from a MoF form also has ``items``, one per 三级 row, with per-item
    分值 (``IndicatorItem.weight``); then ``target``/``actual`` are the items' texts joined
    by ``；`` for the disclosure layout, and scoring uses the items as the form gave them.
    ``weight`` is the 二级 cell's own 分值 when one is given.

    ``not_applicable`` records that the department declared the indicator does not apply to
    the project (不适用, with ``na_reason``: 本项目不涉及生态效益). Such a cell is not scored:
    its weight goes to the applicable cells of its 一级 level (docs/scoring.md, "Not
    applicable indicators"); its target and completion, if any, are ignored.
    """

    target: str = ""
    actual: str = ""
    weight: Decimal | None = None
    items: list[IndicatorItem] = field(default_factory=list)
    not_applicable: bool = False
    na_reason: str = ""

    @property
    def filled(self) -> bool:
        """Scored: applicable, with a non-blank target or a form's 三级 rows."""
        return not self.not_applicable and (bool(self.target and not self.target.isspace()) or bool(self.items))

    @classmethod
    def of_items(cls, items: list[IndicatorItem], weight: Decimal | None = None) -> "IndicatorCell":
        """A cell made of 三级 rows: its texts are the items' targets (name and value) and
        completions joined by ``；``, as the disclosure layout shows them."""
        return cls(target="；".join(i.target_text for i in items), actual="；".join(i.actual for i in items),
                   weight=weight, items=list(items))


_NOT_APPLICABLE = "不适用"
_NA_BRACKETS = "（(【[：:，, "
_NO_REASON = ("", "无", "/", "／", "-", "—", "——", "不涉及")


def not_applicable_marker(text: str) -> str | None:
    """The reason when a cell's text marks it 不适用 — 「不适用」, 「不适用（本项目不涉及生态效益）」,
    「不适用：…」 — else ``None`` (what importers read as ``IndicatorCell.not_applicable``)."""
    t = text.strip().rstrip("。.").strip()
    if not t.startswith(_NOT_APPLICABLE):
        return None
    rest = t[len(_NOT_APPLICABLE):].strip()
    if not rest:
        return ""
    if rest[0] not in _NA_BRACKETS:
        return None  # 「不适用于…」 is a sentence, not the mark
    return rest.strip(_NA_BRACKETS + "）)】]").strip()


NOT_APPLICABLE_TEXT = {"zh": _NOT_APPLICABLE, "en": "Not applicable"}


def printed_texts(cell: IndicatorCell | None, lang: str = "zh") -> tuple[str, str]:
    """A cell's (年度指标内容, 完成情况) as every output prints them: the texts themselves, or for
    a cell marked not applicable 「不适用（本项目不涉及生态效益）」 and 「不适用」 (English:
    "Not applicable (…)" and "Not applicable"), which the importers read back as the mark
    (:func:`read_not_applicable`)."""
    if cell is None:
        return "", ""
    if not cell.not_applicable:
        return cell.target, cell.actual
    word = NOT_APPLICABLE_TEXT.get(lang, NOT_APPLICABLE_TEXT["zh"])
    reason = cell.na_reason.strip()
    if not reason:
        return word, word
    return (f"{word}（{reason}）" if lang == "zh" else f"{word} ({reason})"), word


def read_not_applicable(cell: IndicatorCell) -> IndicatorCell:
    """``cell`` marked not applicable when its target (or, with a blank target, its completion)
    reads 「不适用」 (:func:`not_applicable_marker`); the cell itself otherwise."""
    if cell.not_applicable or cell.items:
        return cell
    reason = not_applicable_marker(cell.target)
    if reason is None and not cell.target.strip():
        reason = not_applicable_marker(cell.actual)
    if reason is None:
        return cell
    if not reason:  # the completion may say why: 「不适用」 / 「本项目不涉及生态效益」
        said = not_applicable_marker(cell.actual)
        actual = cell.actual.strip().rstrip("。.")
        reason = said if said is not None else ("" if actual in _NO_REASON else actual)
    return IndicatorCell(weight=cell.weight, not_applicable=True, na_reason=reason)


@dataclass
class Published:
    """Scores a published form printed (MoF 自评表): kept as data, never recomputed and
    distinct from a reviewer's :class:`ScoreOverride`. ``None`` where the form left it out."""

    execution_weight: Decimal | None = None  # 预算执行率 分值 (10 central, 20 in Hubei forms)
    execution_score: Decimal | None = None
    # 一级 weights printed in labels or rows ("产出指标(50分)"), by category key.
    category_weights: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None  # 总分 (parsed from "99.55分")
    grade: str = ""  # 评价等级 as printed (优/良/中/差, or a province's wording)
    total_text: str = ""  # 总分 verbatim


@dataclass
class ScoreOverride:
    """An evaluator's score that replaces the computed suggestion, with who and why.

    ``item`` names what is overridden: ``"execution"`` (预算执行率), an indicator kind key
    (``"quantity"``…), one 三级 item of a cell that has several (``"quantity.2"``: the kind and
    the item's place in the cell, from 1), a category key (``"output"``…) or ``"total"``.
    """

    item: str
    score: Decimal
    reason: str
    by: str = ""
    at: str = ""  # ISO date or datetime, as text
    # For a 三级 item ("quantity.2"): the item's target text when the override was made. The
    # item is named by its place, so if the cell is edited afterwards (a table returned to the
    # department) the override applies only while that place still holds this item.
    target: str = ""


@dataclass
class Project:
    """One row of the disclosure table."""

    seq: int
    unit_name: str
    name: str
    gov_investment: bool | None = None
    budget: Decimal | None = None
    actual_total: Decimal | None = None
    actual_general_budget: Decimal | None = None
    actual_gov_fund: Decimal | None = None
    actual_non_fiscal: Decimal | None = None
    execution_rate_text: str = ""  # the 预算支出执行率 as printed ("99.74%"), verbatim
    annual_goal: str = ""
    overall_completion: str = ""
    indicators: dict[str, IndicatorCell] = field(default_factory=dict)
    problems: str = ""
    rectification: str = ""
    overrides: list[ScoreOverride] = field(default_factory=list)
    # From a MoF form: 年初预算数 (the table's ``budget`` is 全年预算数) and what it printed.
    initial_budget: Decimal | None = None
    published: Published | None = None

    @property
    def execution_rate(self) -> Decimal | None:
        """The recomputed 预算支出执行率 (percent, 2 decimals half-up)."""
        return money.execution_rate(self.actual_total, self.budget)

    @property
    def reported_execution_rate(self) -> Decimal | None:
        """The printed rate parsed, or ``None`` if blank or unreadable."""
        try:
            return money.parse_rate(self.execution_rate_text)
        except ValueError:
            return None

    @property
    def actual_parts_sum(self) -> Decimal | None:
        """一般公共预算 + 政府性基金预算 + 非财政拨款资金 (missing parts count as 0; all missing → None)."""
        parts = [self.actual_general_budget, self.actual_gov_fund, self.actual_non_fiscal]
        if all(p is None for p in parts):
            return None
        return sum((p for p in parts if p is not None), Decimal(0))

    def indicator(self, key: str) -> IndicatorCell:
        return self.indicators.get(key) or IndicatorCell()

    def sorted_indicators(self) -> list[tuple[str, IndicatorCell]]:
        return sorted(self.indicators.items(), key=lambda kv: KIND_ORDER.get(kv[0], 99))


@dataclass(frozen=True)
class Totals:
    """The computed 合计 row."""

    budget: Decimal
    actual_total: Decimal
    actual_general_budget: Decimal
    actual_gov_fund: Decimal
    actual_non_fiscal: Decimal

    @property
    def execution_rate(self) -> Decimal | None:
        return money.execution_rate(self.actual_total, self.budget)


@dataclass
class Table:
    """A department's 预算项目绩效自评情况公开表 for one year."""

    year: int
    department: str
    projects: list[Project] = field(default_factory=list)
    money_unit: MoneyUnit = MoneyUnit.WAN_YUAN
    attachment: str = ""  # "附件2-3"
    title: str = ""  # verbatim; see default_title()
    department_short: str = ""  # "区工商联" — used for the default title
    columns_note: str = ""
    layout: tuple[str, ...] = DISCLOSURE_2019  # indicator columns this table shows
    # The scoring profile the table's forms follow ("central", "hubei", "sichuan";
    # "" = the configured default), recorded by the importer when it recognises one.
    profile: str = ""

    def default_title(self) -> str:
        short = self.department_short or self.department
        return f"{self.year}年度{short}部门预算项目绩效自评情况公开表"

    @property
    def display_title(self) -> str:
        return self.title or self.default_title()

    def moved_to_year(self, year: int) -> "Table":
        """The same table as the given year's (importing last year's file as this year's draft):
        its year, and the year in its title and column note where they name it
        (「2019年度…公开表」 → 「2025年度…」, 「含2019年政府专项债券资金」 → 2025). A new object;
        the projects are shared."""
        if year == self.year:
            return self
        old, new = f"{self.year}年", f"{year}年"
        return replace(self, year=year, title=self.title.replace(old, new),
                       columns_note=self.columns_note.replace(old, new))

    def totals(self) -> Totals:
        """Sum each amount column over all projects (missing amounts count as 0)."""
        sums = {f: Decimal("0.00") for f in AMOUNT_FIELDS}
        for p in self.projects:
            for f in AMOUNT_FIELDS:
                v = getattr(p, f)
                if v is not None:
                    sums[f] += v
        return Totals(**sums)

    def converted(self, unit: MoneyUnit) -> "Table":
        """A copy of the table with every amount converted exactly to ``unit``."""
        if unit is self.money_unit:
            return self
        projects = []
        for p in self.projects:
            changes = {f: money.convert(getattr(p, f), self.money_unit, unit)
                       for f in (*AMOUNT_FIELDS, "initial_budget") if getattr(p, f) is not None}
            projects.append(replace(p, **changes))
        return replace(self, projects=projects, money_unit=unit)
