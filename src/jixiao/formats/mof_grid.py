"""The Ministry of Finance 项目支出绩效自评表 (财预〔2020〕10号) as a grid: one form per project.

The form is laid out once, as a grid of cells with their spans and roles (:func:`build_form`);
:mod:`.mof_xlsx` renders that grid to XLSX (one sheet per project), :mod:`.mof_html` to HTML
(and through WeasyPrint to PDF) and :mod:`.mof_typst` to the default PDF. Keeping one grid
means the spreadsheet and the PDFs cannot drift apart, and :mod:`.mof_read` reads back what
the grid prints.

What goes where (see docs/outputs.md, section "财政部项目支出绩效自评表"):

* 项目资金 — 全年预算数(A) is the table's 项目年度预算金额, 全年执行数(B) its 实际支出合计;
  当年财政拨款 = 一般公共预算 + 政府性基金预算, 其他资金 = 非财政拨款资金; 年初预算数 is the
  project's ``initial_budget`` when it has one (a table imported from a MoF form). The
  disclosure table has no 上年结转资金 and no budget split by source, so those cells show
  "—" rather than a guess.
* 绩效指标 — one row per 三级 indicator: the cell's own ``items`` when it has them (a form's
  rows with their 分值), else what the scoring engine found in the cell
  (``IndicatorScore.items``); the 一级 and 二级 cells span their rows.
* 分值/得分 come from :mod:`jixiao.core.scoring`; an evaluator's override is shown as the
  score, with the suggestion and the reason beside it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Sequence

from ..core import money, scoring, targets
from ..core.prefill import ChangedTarget, same_name
from ..core.model import IndicatorCell, Project, Table, printed_texts
from ..core.reasons import render
from ..core.taxonomy import FULL, KIND_BY_KEY
from ..errors import InputError
from ..textwidth import display_width

N_COLS = 8  # A..H: 一级 · 二级 · 三级 · 年度指标值 · 实际完成值 · 分值 · 得分 · 偏差原因
DASH = "—"
FORM_TITLE = "项目支出绩效自评表"

# Excel column widths (in widths of "0"); the PDF uses the same proportions.
COLUMN_WIDTHS: tuple[float, ...] = (8, 12, 20, 17, 22, 8, 9, 25)

# Text that says "nothing to report" in the 问题/整改 columns of real tables.
_NOTHING = {"", "无", "无。", "/", "／", "—", "-", "－", "无问题", "暂无", "没有"}

# Characters XML 1.0 (and so XLSX and the PDF's text layer) cannot hold.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FormCell:
    """One cell of the form; ``row``/``col`` are 0-based, spans count cells.

    ``role`` decides the rendering: ``label`` (a row label, bold), ``header`` (a column
    header, bold), ``text`` (wrapped prose), ``money`` / ``score`` (numbers, 0.00),
    ``rate`` (a percentage, 0.00%), ``center`` (short centred text such as the grade).
    """

    row: int
    col: int
    value: Any
    role: str = "text"
    rowspan: int = 1
    colspan: int = 1


@dataclass
class MofForm:
    """A laid-out form for one project."""

    project: Project
    title: str
    subtitle: str
    sheet_name: str
    cells: list[FormCell] = field(default_factory=list)
    n_rows: int = 0
    indicator_header_row: int = 0  # the header of the 绩效指标 block (repeated on a new page)
    # Row ranges [start, end) after that header: one per 一级 category, then 总分/评价等级.
    # The PDF keeps each together on a page when it fits (a rowspan cut by a page break
    # leaves its label on one page only).
    row_groups: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the footnote: overrides, rule formulas


class _Grid:
    def __init__(self) -> None:
        self.cells: list[FormCell] = []
        self.row = 0

    def put(self, col: int, value: Any, role: str = "text", rowspan: int = 1, colspan: int = 1,
            row: int | None = None) -> None:
        self.cells.append(FormCell(self.row if row is None else row, col, value, role, rowspan, colspan))


def clean_text(text: Any) -> str:
    """Text as printed: control characters XML cannot hold dropped, CR and CRLF made LF
    (as the disclosure XLSX does), outer whitespace trimmed."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("", text).strip()


def _meaningful(text: str) -> bool:
    return clean_text(text) not in _NOTHING


def _sum_or_none(*values: Decimal | None) -> Decimal | None:
    if all(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal("0.00"))


def _num(value: Decimal | None, role: str) -> tuple[Any, str]:
    """A number cell, or a dash when the value is unknown."""
    return (value, role) if value is not None else (DASH, "center")


def sheet_name(project: Project, taken: set[str] | None = None) -> str:
    """``{seq}-{project name}`` made legal for Excel: no ``[]:*?/\\``, at most 31 characters,
    not starting or ending with an apostrophe, unique among ``taken`` (case-insensitive)."""
    raw = f"{project.seq}-{clean_text(project.name)}"
    name = re.sub(r"[\[\]:*?/\\]", "_", raw).strip("'") or str(project.seq)
    name = name[:31]
    taken_lower = {t.lower() for t in (taken or set())}
    candidate, n = name, 2
    while candidate.lower() in taken_lower or candidate.lower() == "history":
        suffix = f"~{n}"
        candidate = name[:31 - len(suffix)] + suffix
        n += 1
    return candidate


def split_target(text: str) -> tuple[str, str]:
    """Split one 三级 target such as ``参加党务干部人数≧100`` into the 三级指标 name
    (``参加党务干部人数``) and the 年度指标值 (``≧100``), using the parser's ``subject``.

    When the parser finds no separate subject (a qualitative text like ``及时``), the whole
    text is the indicator and its value is shown as "—" rather than repeated.
    """
    text = clean_text(text)
    items = targets.parse_cell(text) if text else []
    if len(items) == 1:
        subject = clean_text(items[0].subject)
        if subject and subject != text and subject in text:
            rest = text.replace(subject, "", 1).strip(" ，,。；;：:")
            if rest:
                return subject, rest
    return text, DASH


def _override_note(name: str, obj: Any) -> str | None:
    ov = getattr(obj, "override", None)
    if ov is None:
        return None
    suggested = getattr(obj, "suggested", None)
    who = "，".join(x for x in (clean_text(ov.by), clean_text(ov.at)) if x)
    what = name if name.endswith("分") else f"{name}得分"  # 总分, not 总分得分
    parts = [f"{what}经评价人调整为 {money.format_amount(ov.score)}"]
    if suggested is not None:
        parts[0] += f"（系统建议 {money.format_amount(suggested)}）"
    parts.append(f"理由：{clean_text(ov.reason)}")
    if who:
        parts.append(f"调整人：{who}")
    return "；".join(parts) + "。"


def build_form(table: Table, project: Project, score: scoring.ProjectScore,
               taken_names: set[str] | None = None,
               config: scoring.ScoringConfig | None = None,
               changes: Sequence[ChangedTarget] = ()) -> MofForm:
    """Lay out the form of ``project`` from its ``ProjectScore`` (scored with ``config``).
    ``changes``: approved targets the self-evaluation states otherwise (JX611,
    :func:`jixiao.core.prefill.changed_targets`); those of this project are noted in the footnote."""
    form = MofForm(project=project, title=FORM_TITLE, subtitle=f"（{table.year}年度）",
                   sheet_name=sheet_name(project, taken_names))
    g = _Grid()

    # 项目名称 / 主管部门 / 实施单位
    g.put(0, "项目名称", "label", colspan=2)
    g.put(2, clean_text(project.name), "text", colspan=6)
    g.row += 1
    g.put(0, "主管部门", "label", colspan=2)
    g.put(2, clean_text(table.department), "text", colspan=3)
    g.put(5, "实施单位", "label", colspan=2)
    g.put(7, clean_text(project.unit_name), "text")
    g.row += 1

    # 项目资金
    ex = score.execution
    g.put(0, f"项目资金（{table.money_unit.value}）", "label", rowspan=5)
    for col, head in enumerate(("", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值",
                                "执行率（B/A）", "得分"), start=1):
        g.put(col, head, "header")
    g.row += 1
    fiscal = _sum_or_none(project.actual_general_budget, project.actual_gov_fund)
    rate = project.execution_rate
    rows = [
        ("年度资金总额", [_num(project.initial_budget, "money"), _num(project.budget, "money"), _num(project.actual_total, "money"),
                     _num(ex.weight, "score"), _num(rate / 100 if rate is not None else None, "rate"),
                     _num(ex.score, "score")]),
        ("其中：当年财政拨款", [(DASH, "center"), (DASH, "center"), _num(fiscal, "money")] + [(DASH, "center")] * 3),
        ("上年结转资金", [(DASH, "center")] * 6),
        ("其他资金", [(DASH, "center"), (DASH, "center"), _num(project.actual_non_fiscal, "money")]
         + [(DASH, "center")] * 3),
    ]
    for label, values in rows:
        g.put(1, label, "label")
        for col, (value, role) in enumerate(values, start=2):
            g.put(col, value, role)
        g.row += 1

    # 年度总体目标
    g.put(0, "年度总体目标", "label", rowspan=2)
    g.put(1, "预期目标", "header", colspan=4)
    g.put(5, "实际完成情况", "header", colspan=3)
    g.row += 1
    g.put(1, clean_text(project.annual_goal) or DASH, "text", colspan=4)
    g.put(5, clean_text(project.overall_completion) or DASH, "text", colspan=3)
    g.row += 1

    # 绩效指标
    form.indicator_header_row = g.row
    for col, head in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
                                "得分", "偏差原因分析及改进措施")):
        g.put(col, head, "header")
    g.row += 1

    unit_note = _unit_explanation(project)
    notes: list[str] = []
    for cat in score.categories:
        cat_start = g.row
        marked = [KIND_BY_KEY[k] for k in FULL if KIND_BY_KEY[k].category.key == cat.key
                  and (c := project.indicators.get(k)) is not None and c.not_applicable]
        if not cat.indicators and not marked:
            g.put(1, "（未设置指标）", "center", colspan=4)
            g.put(5, cat.weight, "score")
            g.put(6, cat.score, "score")
            g.put(7, "", "text")
            g.row += 1
        for ind in cat.indicators:
            cell = project.indicators.get(ind.kind)
            if cell is not None and cell.items:
                notes.extend(_form_item_rows(g, ind, cell))
            else:
                unit_note = _indicator_rows(g, ind, unit_note)
        for kind in marked:
            _not_applicable_row(g, kind.name, project.indicators[kind.key])
        if marked and not cat.indicators:  # the level gave its weight to the applicable ones
            g.put(5, cat.weight, "score", rowspan=g.row - cat_start, row=cat_start)
            g.put(6, cat.score, "score", rowspan=g.row - cat_start, row=cat_start)
        g.put(0, clean_text(cat.name), "label", rowspan=g.row - cat_start, row=cat_start)
        form.row_groups.append((cat_start, g.row))
        note = _override_note(clean_text(cat.name), cat)
        if note:
            notes.append(note)

    # 总分 / 评价等级
    form.row_groups.append((g.row, g.row + 2))
    weight_total = sum((c.weight for c in score.categories), Decimal(ex.weight))
    g.put(0, "总分", "label", colspan=5)
    g.put(5, weight_total, "score")
    g.put(6, score.total, "score")
    g.put(7, "", "text")
    g.row += 1
    g.put(0, "评价等级", "label", colspan=5)
    g.put(5, clean_text(score.grade), "center", colspan=3)
    g.row += 1

    form.cells, form.n_rows = g.cells, g.row
    project_config = (config or scoring.ScoringConfig()).for_project(project)
    changed = [render(c.reason(), "zh") for c in changes if same_name(c.project, project.name)]
    form.notes = _notes(project, score, notes + changed, unit_note, _rule_formulas(score, project_config))
    return form


def _unit_explanation(project: Project) -> str | None:
    """The unit's own 问题/整改 text, which explains the first deviating indicator."""
    if not _meaningful(project.problems) and not _meaningful(project.rectification):
        return None
    parts = []
    if _meaningful(project.problems):
        parts.append(f"存在问题：{clean_text(project.problems)}")
    if _meaningful(project.rectification):
        parts.append(f"改进措施：{clean_text(project.rectification)}")
    return "；".join(parts)


def _indicator_rows(g: _Grid, ind: Any, unit_note: str | None) -> str | None:
    """Rows of one 二级 cell; returns the unit note if it is still to be placed."""
    kind = KIND_BY_KEY.get(ind.kind)
    kind_name = kind.name if kind else clean_text(ind.kind)
    start = g.row
    items = list(ind.items)
    overridden = getattr(ind, "override", None) is not None

    dev = clean_text(render(ind.deviation))
    deviation = [dev] if dev else []
    if deviation and unit_note:
        deviation.append(unit_note)
        unit_note = None
    note = _override_note(kind_name, ind)
    if note:
        deviation.append(note)
    for n, item in enumerate(items, 1):  # single 三级 items overridden (scoring.overrides.override_items)
        note = _override_note(f"{kind_name}第{n}项", item)
        if note:
            deviation.append(note)

    if not items:  # a cell the engine could not split: show it whole
        name, value = split_target(ind.target_text)
        g.put(2, name or DASH)
        g.put(3, value, "center" if value == DASH else "text")
        g.put(4, clean_text(ind.actual_text) or DASH)
        g.put(5, ind.weight, "score")
        g.put(6, ind.score, "score")
        g.row += 1
    for item in items:
        name, value = split_target(item.target)
        g.put(2, name or DASH)
        g.put(3, value, "center" if value == DASH else "text")
        g.put(4, clean_text(item.actual) or DASH)
        if not overridden:
            g.put(5, item.weight, "score")
            g.put(6, item.score, "score")
        g.row += 1
    span = g.row - start
    if items and overridden:  # the stored score is for the whole cell
        g.put(5, ind.weight, "score", rowspan=span, row=start)
        g.put(6, ind.score, "score", rowspan=span, row=start)
    g.put(1, kind_name, "label", rowspan=span, row=start)
    g.put(7, "\n".join(deviation), "text", rowspan=span, row=start)
    return unit_note


def _not_applicable_row(g: _Grid, kind_name: str, cell: IndicatorCell) -> None:
    """The row of a 二级 cell marked not applicable: 「不适用（理由）」 and 「不适用」, no 分值 or
    得分 of its own (its weight went to the applicable cells, docs/scoring.md)."""
    target, actual = printed_texts(cell)
    g.put(1, kind_name, "label")
    g.put(2, DASH, "center")
    g.put(3, clean_text(target))
    g.put(4, clean_text(actual))
    g.put(7, "", "text")
    g.row += 1


def _form_item_rows(g: _Grid, ind: Any, cell: IndicatorCell) -> list[str]:
    """Rows of a 二级 cell that has its form's 三级 rows (``cell.items``), printed as the form
    gave them: name, value, completion, 分值 and 偏差原因 per row. 得分 is the suggestion per
    row when the engine scored the same rows, else the cell's score over all its rows; 分值 is
    per row when every row has one (its own, or the engine's share). The engine's deviation
    and override notes go to the footnote, so each row's note stays the form's own.
    Returns those footnote lines."""
    kind = KIND_BY_KEY.get(ind.kind)
    kind_name = kind.name if kind else clean_text(ind.kind)
    items = cell.items
    overridden = getattr(ind, "override", None) is not None
    scored = list(ind.items) if len(ind.items) == len(items) else []
    weights = [it.weight if it.weight is not None else (scored[n].weight if scored else None)
               for n, it in enumerate(items)]
    per_row_weight = all(w is not None for w in weights)
    per_row_score = bool(scored) and not overridden
    start = g.row
    for n, item in enumerate(items):
        g.put(2, clean_text(item.name) or DASH)
        value = clean_text(item.target) or DASH
        g.put(3, value, "center" if value == DASH else "text")
        g.put(4, clean_text(item.actual) or DASH)
        if per_row_weight:
            g.put(5, weights[n], "score")
        if per_row_score:
            g.put(6, scored[n].score, "score")
        g.put(7, clean_text(item.note))
        g.row += 1
    span = g.row - start
    if not per_row_weight:
        g.put(5, ind.weight, "score", rowspan=span, row=start)
    if not per_row_score:
        g.put(6, ind.score, "score", rowspan=span, row=start)
    g.put(1, kind_name, "label", rowspan=span, row=start)
    dev = clean_text(render(ind.deviation))
    notes = [f"{kind_name}：{dev}"] if dev else []
    note = _override_note(kind_name, ind)
    if note:
        notes.append(note)
    for n, item in enumerate(scored, 1):
        note = _override_note(f"{kind_name}第{n}项", item)
        if note:
            notes.append(note)
    return notes


def _rule_formulas(score: scoring.ProjectScore, config: scoring.ScoringConfig) -> list[str]:
    """The formula of every rule this form's scores used, each once, in the engine's rule
    order, and the grade rule. An indicator's formula joins the formulas of the rules its
    items used, so the rules are matched by their text inside it; a formula text no rule
    explains is printed as it is."""
    used = [clean_text(render(score.execution.formula))] + [
        clean_text(render(ind.formula)) for cat in score.categories for ind in cat.indicators]
    used = [u for u in used if u]
    out: list[str] = []
    for rule in scoring.rules(config).values():
        formula = clean_text(rule.text)
        if rule.key == "grade" or any(formula in u for u in used):
            out.append(formula)
    for u in used:
        rest = u
        for formula in out:
            rest = rest.replace(formula, "")
        if rest.strip("；;。 "):
            out.append(u)
    return _unique(out)


def _notes(project: Project, score: Any, category_notes: list[str], unit_note: str | None,
           formulas: list[str]) -> list[str]:
    notes: list[str] = []
    ex_note = _override_note("预算执行率", score.execution)
    if ex_note:
        notes.append(ex_note)
    notes.extend(category_notes)
    total_note = _override_note("总分", score)
    if total_note:
        notes.append(total_note)
    gap = getattr(score, "evidence_gap", 0)
    if gap:  # the evidenced (strict) reading beside the suggested one (docs/scoring.md)
        claimed = sum(1 for c in score.categories for i in c.indicators for it in i.items if it.evidence == "claimed")
        notes.append(f"证据口径总分{score.evidenced_total}分，证据差{gap}分：{claimed}个指标的完成情况只复述或声称达到目标，"
                     "没有自己的完成数值，建议分按惯例计为达成。")
    if unit_note:
        notes.append(f"项目执行中{unit_note}。")
    notes.append("年初预算数、上年结转资金及按来源划分的预算数未列入公开表，以“—”表示。")
    notes.extend(f"评分规则{i}：{f}" for i, f in enumerate(formulas, start=1))
    return [n for n in notes if n]


def _unique(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for t in texts:
        if t:
            seen.setdefault(t, None)
    return list(seen)


def build_forms(table: Table, config: scoring.ScoringConfig | dict | None = None,
                changes: Sequence[ChangedTarget] = ()) -> list[MofForm]:
    """Score the table and lay out one form per project. ``config`` is a ``ScoringConfig``,
    or a dict for ``ScoringConfig.from_dict`` (unknown keys rejected), or None for the defaults;
    ``changes`` the approved targets stated otherwise, noted on their project's form."""
    if not table.projects:
        raise InputError("表中没有项目，无法生成自评表", "the table has no projects; there is no form to write")
    if isinstance(config, dict):
        config = scoring.ScoringConfig.from_dict(config)
    scores = scoring.score_table(table, config)
    taken: set[str] = set()
    forms = []
    for project, score in zip(table.projects, scores):
        form = build_form(table, project, score, taken, config, changes)
        taken.add(form.sheet_name)
        forms.append(form)
    return forms


# Text fitting, shared by the XLSX row heights and the Typst PDF's page breaking.

def text_width(text: str) -> int:
    """Display width in Latin character widths: CJK (wide, full-width and ambiguous) count 2."""
    return display_width(text, ambiguous_wide=True)


def line_count(text: str, width_chars: float) -> int:
    """Lines ``text`` wraps to in a cell ``width_chars`` wide (one cell of padding kept)."""
    usable = max(1.0, width_chars - 1.5)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def fit_row_heights(form: MofForm, needed, least: float) -> list[float]:
    """Row heights so every cell's ``needed(cell)`` height fits, at least ``least`` each: the
    single-row cells first, then each cell spanning rows (shortest spans first, so an inner
    span has its share before the span around it) spreads what its rows lack evenly over them.
    Shared by the XLSX (:func:`row_heights`) and the Typst PDF's page breaking (mof_typst)."""
    heights = [least] * form.n_rows
    for cell in form.cells:
        if cell.rowspan == 1:
            heights[cell.row] = max(heights[cell.row], needed(cell))
    for cell in sorted((c for c in form.cells if c.rowspan > 1), key=lambda c: c.rowspan):
        rows = range(cell.row, cell.row + cell.rowspan)
        deficit = needed(cell) - sum(heights[r] for r in rows)
        if deficit > 0:
            for r in rows:
                heights[r] += deficit / cell.rowspan
    return heights


def display_text(cell: FormCell) -> str:
    """The cell as printed: amounts and scores with 2 decimals, rates as percentages."""
    if cell.role in ("money", "score") and isinstance(cell.value, Decimal):
        return money.format_amount(cell.value)
    if cell.role == "rate" and isinstance(cell.value, Decimal):
        return money.format_rate(cell.value * 100)
    return str(cell.value)
