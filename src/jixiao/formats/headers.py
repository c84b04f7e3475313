"""The 附件2-3 disclosure table's header and body columns, as data.

One description of the table shape serves every writer (XLSX, HTML/PDF, CSV) and the
importers, so the header printed in each format is the same and a reader can locate a cell
by its column key. Pure: no I/O, no presentation beyond text and a width hint.

The header is a tree (DOMAIN.md, "The disclosure table of the seed")::

    序号 · 单位名称 · 项目名称 · 是否政府投资项目（是/否） · 项目年度预算金额
    实际支出金额 ─┬ 合计
                 ├ 其中：财政拨款 ─┬ 一般公共预算
                 │                └ 政府性基金预算（含{year}年政府专项债券资金）
                 └ 非财政拨款资金
    预算支出执行率 · 年初绩效目标 · 绩效目标整体完成情况
    产出目标 ─ 数量指标 … ─┬ 年度指标内容      (one 二级 group per kind in ``table.layout``)
    效益目标 ─ …           └ 完成情况
    满意度指标 ─ 服务对象满意度指标 ─ …
    项目执行中存在的问题 · 整改情况

:func:`header_cells` lays the tree out as a grid with row and column spans (leaves span
down to the last header row); :func:`body_columns` lists the leaf columns left to right
with a key naming the model field (``"budget"``, ``"indicators.quantity.target"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..core import money
from ..core.model import COLUMN_NAMES, Project, Table, Totals, printed_texts
from ..core.taxonomy import CATEGORIES, kind, kinds_of

TOTAL_LABEL = "合计"  # first cell of the computed totals row
TARGET_LABEL = "年度指标内容"
ACTUAL_LABEL = "完成情况"

# Column kinds: how a writer formats the value.
SEQ, TEXT, BOOL, AMOUNT, RATE = "seq", "text", "bool", "amount", "rate"

# Width hints in Latin character widths (a CJK character counts 2). Chosen so that the
# seed's longest cells wrap to a similar number of lines as in the published PDF.
WIDTHS: dict[str, float] = {
    SEQ: 5, BOOL: 7, AMOUNT: 10, RATE: 9,
    "unit_name": 9, "name": 12, "annual_goal": 26, "overall_completion": 24,
    "problems": 12, "rectification": 10, "indicator": 13,
}


@dataclass(frozen=True)
class HeaderCell:
    """One printed header cell; ``row``/``col`` are 0-based within the header block."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    key: str  # stable id: "actual", "actual.fiscal", "output", "indicators.quantity", or a column key


@dataclass(frozen=True)
class Column:
    """One body column, left to right."""

    key: str  # model field, or "indicators.<kind>.target|actual"
    label: str  # flat Chinese name: 实际支出金额_合计, 数量指标_年度指标内容
    kind: str  # seq | text | bool | amount | rate
    width: float  # hint, in Latin character widths


@dataclass(frozen=True)
class _Node:
    text: str
    key: str
    children: tuple["_Node", ...] = field(default_factory=tuple)

    @property
    def leaves(self) -> int:
        return sum(c.leaves for c in self.children) if self.children else 1

    @property
    def depth(self) -> int:
        return 1 + max((c.depth for c in self.children), default=0)


def gov_fund_header(year: int) -> str:
    return f"政府性基金预算（含{year}年政府专项债券资金）"


def _tree(table: Table) -> tuple[_Node, ...]:
    leaf = _Node
    nodes: list[_Node] = [
        leaf("序号", "seq"),
        leaf("单位名称", "unit_name"),
        leaf("项目名称", "name"),
        leaf("是否政府投资项目（是/否）", "gov_investment"),
        leaf("项目年度预算金额", "budget"),
        _Node("实际支出金额", "actual", (
            leaf("合计", "actual_total"),
            _Node("其中：财政拨款", "actual.fiscal", (
                leaf("一般公共预算", "actual_general_budget"),
                leaf(gov_fund_header(table.year), "actual_gov_fund"),
            )),
            leaf("非财政拨款资金", "actual_non_fiscal"),
        )),
        leaf("预算支出执行率", "execution_rate"),
        leaf("年初绩效目标", "annual_goal"),
        leaf("绩效目标整体完成情况", "overall_completion"),
    ]
    for category in CATEGORIES:
        kinds = kinds_of(category, table.layout)
        if not kinds:
            continue
        nodes.append(_Node(category.short, category.key, tuple(
            _Node(k.name, f"indicators.{k.key}", (
                leaf(TARGET_LABEL, f"indicators.{k.key}.target"),
                leaf(ACTUAL_LABEL, f"indicators.{k.key}.actual"),
            ))
            for k in kinds
        )))
    nodes += [leaf("项目执行中存在的问题", "problems"), leaf("整改情况", "rectification")]
    return tuple(nodes)


def header_depth(table: Table) -> int:
    """Number of header rows (3 for the 2019 layout: 实际支出金额 › 其中：财政拨款 › 一般公共预算)."""
    return max(n.depth for n in _tree(table))


def header_cells(table: Table) -> list[HeaderCell]:
    """The header as grid cells in row-major order (row, then column)."""
    depth = header_depth(table)
    cells: list[HeaderCell] = []

    def place(node: _Node, row: int, col: int) -> None:
        if node.children:
            cells.append(HeaderCell(row, col, 1, node.leaves, node.text, node.key))
            c = col
            for child in node.children:
                place(child, row + 1, c)
                c += child.leaves
        else:
            cells.append(HeaderCell(row, col, depth - row, 1, node.text, node.key))

    col = 0
    for node in _tree(table):
        place(node, 0, col)
        col += node.leaves
    return sorted(cells, key=lambda h: (h.row, h.col))


_KINDS_BY_FIELD = {
    "seq": SEQ, "gov_investment": BOOL, "budget": AMOUNT, "actual_total": AMOUNT,
    "actual_general_budget": AMOUNT, "actual_gov_fund": AMOUNT, "actual_non_fiscal": AMOUNT,
    "execution_rate": RATE,
}


def body_columns(table: Table) -> list[Column]:
    """The leaf columns, left to right, with flat labels (used as CSV column names)."""
    columns: list[Column] = []

    def walk(node: _Node) -> None:
        if node.children:
            for child in node.children:
                walk(child)
        else:
            columns.append(_column(node.key))

    for node in _tree(table):
        walk(node)
    return columns


def _column(key: str) -> Column:
    if key.startswith("indicators."):
        _, kind_key, side = key.split(".")
        label = f"{kind(kind_key).name}_{TARGET_LABEL if side == 'target' else ACTUAL_LABEL}"
        return Column(key, label, TEXT, WIDTHS["indicator"])
    ckind = _KINDS_BY_FIELD.get(key, TEXT)
    width = WIDTHS.get(key, WIDTHS.get(ckind, 10))
    return Column(key, COLUMN_NAMES[key], ckind, width)


# --- values -------------------------------------------------------------------------

def column_value(project: Project, column: Column):
    """The cell's value for a writer: ``int`` (序号), ``Decimal | None`` (amounts), ``str``.

    For the rate it is the *printed* rate in percent when it parses (the table says what it
    says), else the recomputed one; :func:`rate_text` gives the text.
    """
    key = column.key
    if key.startswith("indicators."):
        _, kind_key, side = key.split(".")
        target, actual = printed_texts(project.indicators.get(kind_key))  # 不适用 printed as such
        return target if side == "target" else actual
    if column.kind == RATE:
        return reported_or_computed_rate(project)
    if column.kind == BOOL:
        return bool_text(project.gov_investment)
    return getattr(project, key)


def column_text(project: Project, column: Column) -> str:
    """The cell as printed text: amounts with 2 decimals, the rate as the table prints it."""
    value = column_value(project, column)
    if column.kind == AMOUNT:
        return money.format_amount(value)
    if column.kind == RATE:
        return rate_text(project)
    if column.kind == SEQ:
        return "" if value is None else str(value)
    return value or ""


def bool_text(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def rate_text(project: Project) -> str:
    """The printed rate verbatim, or the recomputed rate when the table printed none."""
    return project.execution_rate_text or money.format_rate(project.execution_rate)


def reported_or_computed_rate(project: Project) -> Decimal | None:
    """Rate in percent: the printed one if it parses, else the recomputed; ``None`` if neither."""
    if project.execution_rate_text.strip():
        return project.reported_execution_rate
    return project.execution_rate


def rate_differs(project: Project) -> bool:
    """True when the printed rate parses but is not what 实际支出合计/预算 gives."""
    reported, computed = project.reported_execution_rate, project.execution_rate
    return reported is not None and computed is not None and reported != computed


def totals_values(table: Table, columns: list[Column] | None = None) -> dict[str, object]:
    """The computed 合计 row by column key: amounts and the rate (percent); other keys absent."""
    totals: Totals = table.totals()
    values: dict[str, object] = {}
    for c in columns or body_columns(table):
        if c.kind == AMOUNT:
            values[c.key] = getattr(totals, c.key)
        elif c.kind == RATE:
            values[c.key] = totals.execution_rate
    return values


def totals_text(table: Table, columns: list[Column] | None = None) -> dict[str, str]:
    """The 合计 row as printed text; the first column holds :data:`TOTAL_LABEL`."""
    columns = columns or body_columns(table)
    text = {c.key: "" for c in columns}
    text[columns[0].key] = TOTAL_LABEL
    for key, value in totals_values(table, columns).items():
        kind_ = next(c.kind for c in columns if c.key == key)
        text[key] = money.format_rate(value) if kind_ == RATE else money.format_amount(value)
    return text
