"""The 附件2-3 disclosure table as an XLSX workbook (openpyxl), ready to print and stamp.

Layout (rows are 1-based as Excel shows them)::

    1   附件2-3：
    2   {title}                                   (merged across the table, bold)
    3   部门名称（盖章）：{department}      …      单位：万元
    4–6 the merged header of :mod:`jixiao.formats.headers`
    7…  one row per project, then the computed 合计 row

Amounts are numbers formatted ``0.00``; the rate is a fraction formatted ``0.00%``
(99.74% is stored as 0.9974). The printed rate is what the table says: when it differs
from 实际支出合计/预算 the cell keeps the printed value and carries a comment with the
recomputed one. Text never becomes a formula. Row heights are computed from the text
because LibreOffice and WPS do not re-fit rows that openpyxl wrote (see docs/outputs.md).
"""

from __future__ import annotations

import math
from copy import copy
import weakref
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..core.model import Table
from ..errors import OutputError
from ..textwidth import display_width
from . import headers as H
from .atomic import atomic_path
from .formula_guard import set_xlsx_text

FIRST_HEADER_ROW = 4  # rows 1–3 hold the attachment label, the title and the stamp line
FONT_NAME = "宋体"  # what Chinese government tables use; LibreOffice substitutes a CJK font
BODY_SIZE = 10
TITLE_SIZE = 18
LABEL_SIZE = 11  # the attachment label and the stamp line
LINE_HEIGHT = 15.0  # points per wrapped line at 10 pt, with room for CJK ascenders (Noto CJK)
ROW_PADDING = 4.0  # points above and below the text of a row
CELL_PADDING = 1.5  # Latin widths lost to cell margins in each column
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
MAX_ROW_HEIGHT = 409.0  # Excel's limit, in points
AMOUNT_FORMAT = "0.00"
RATE_FORMAT = "0.00%"

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")


def first_body_row(table: Table) -> int:
    """The worksheet row (1-based) of the first project."""
    return FIRST_HEADER_ROW + H.header_depth(table)


def write_disclosure_xlsx(table: Table, path: str | Path, *, font_name: str = FONT_NAME) -> None:
    """Write the disclosure table to ``path`` atomically (no partial file on error)."""
    workbook = build_workbook(table, font_name=font_name)
    with atomic_path(path) as tmp:
        workbook.save(tmp)


def build_workbook(table: Table, *, font_name: str = FONT_NAME) -> Workbook:
    if not table.projects:
        raise OutputError("表中没有项目，无法导出", "the table has no projects; nothing to export")
    fonts = _Fonts(font_name)
    workbook = Workbook()
    ws = workbook.active
    ws.title = _sheet_title(table)
    workbook.properties.title = table.display_title
    workbook.properties.creator = "jixiao"
    columns = xlsx_columns(table)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width + CELL_PADDING
    _write_top(ws, table, columns, fonts)
    _write_header(ws, table, columns, fonts)
    row = first_body_row(table)
    for project in table.projects:
        _write_project(ws, row, project, columns, fonts)
        row += 1
    _write_totals(ws, row, table, columns, fonts)
    _print_setup(ws, table, columns, last_row=row)
    return workbook


# Column widths of the workbook, in Latin character widths (a CJK character counts 2), by
# column key or kind; narrower than the shared hints of `headers` because the sheet is printed
# fit to one A3 width: every width unit saved makes the printed text larger.
XLSX_WIDTHS: dict[str, float] = {
    H.SEQ: 4, H.BOOL: 6, H.AMOUNT: 8, H.RATE: 9,
    "unit_name": 7, "name": 9, "annual_goal": 20, "overall_completion": 18,
    "indicator": 11, "problems": 8, "rectification": 7,
}


def xlsx_columns(table: Table) -> list[H.Column]:
    """The body columns with the workbook's widths; an amount column whose longest number (the
    合计 included) would not fit is widened, because a number does not wrap (Excel shows ###).
    Bold totals need about one more width."""
    columns = H.body_columns(table)
    totals = H.totals_text(table, columns)
    fitted = []
    for col in columns:
        key = "indicator" if col.key.startswith("indicators.") else col.key
        col = replace(col, width=XLSX_WIDTHS.get(key, XLSX_WIDTHS.get(col.kind, col.width)))
        if col.kind == H.AMOUNT:
            longest = max([len(H.column_text(p, col)) for p in table.projects] + [len(totals[col.key])])
            col = replace(col, width=max(col.width, longest + 2))
        fitted.append(col)
    return fitted


class _Fonts:
    """The sheet's fonts, in the chosen face."""

    def __init__(self, name: str):
        self.body = Font(name=name, size=BODY_SIZE)
        self.bold = Font(name=name, size=BODY_SIZE, bold=True)
        self.title = Font(name=name, size=TITLE_SIZE, bold=True)
        self.label = Font(name=name, size=LABEL_SIZE)


# --- text measure ---------------------------------------------------------------------

def text_width(text: str) -> int:
    """Width in Latin character widths: a CJK (wide or full-width) character counts 2."""
    return display_width(text)


def estimate_lines(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` Latin widths needs for ``text`` (at least 1)."""
    usable = max(width - CELL_PADDING, 1.0)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def row_height(lines: int) -> float:
    return min(lines * LINE_HEIGHT + ROW_PADDING, MAX_ROW_HEIGHT)


# --- cells ----------------------------------------------------------------------------

def _apply(cell, font: Font, align: Alignment, fmt: str | None, cache: dict) -> None:
    """Style a cell. Setting font/alignment/border hashes style objects on every call
    (most of openpyxl's time for a large table), so the resulting style is cached and
    copied to the next cell with the same look."""
    key = (id(font), id(align), fmt)  # ids: hashing openpyxl style objects is slow
    style = cache.get(key)
    if style is not None:
        cell._style = copy(style)
        return
    cell.font, cell.alignment, cell.border = font, align, _BORDER
    if fmt:
        cell.number_format = fmt
    cache[key] = copy(cell._style)


def _text(ws: Worksheet, row: int, col: int, text: str, font: Font, align: Alignment):
    """Write ``text`` as a string cell, never a formula, whatever it starts with."""
    cell = ws.cell(row=row, column=col)
    _apply(cell, font, align, None, _cache(ws))
    # openpyxl turns "=…" into a formula: the guard stores it as a string with a quote prefix.
    return set_xlsx_text(cell, _clean(text))


def _clean(text: str) -> str:
    text = "" if text is None else str(text)
    if len(text) > MAX_CELL_CHARS:
        raise OutputError(f"单元格文字超过 Excel 上限 {MAX_CELL_CHARS} 字",
                          f"a cell is longer than Excel's limit of {MAX_CELL_CHARS} characters")
    # A line break inside an Excel cell is LF; a CR would be lost by every XML reader anyway.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # XML 1.0 cannot carry control characters other than tab and newline: drop them.
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _number(ws: Worksheet, row: int, col: int, value: Decimal | None, fmt: str, font: Font):
    cell = ws.cell(row=row, column=col)
    cell.value = value
    _apply(cell, font, _CENTER, fmt, _cache(ws))
    return cell


# Styles are indexes into one workbook's style tables: each sheet has its own cache.
_STYLE_CACHES: "weakref.WeakKeyDictionary[Worksheet, dict]" = weakref.WeakKeyDictionary()


def _cache(ws: Worksheet) -> dict:
    return _STYLE_CACHES.setdefault(ws, {})


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, border: bool = True) -> None:
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    if border:
        # Excel draws a merged range's border from each covered cell, not the top-left one.
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).border = _BORDER


def _write_top(ws: Worksheet, table: Table, columns: list[H.Column], fonts: _Fonts) -> None:
    n = len(columns)
    # The header lines carry imported or typed text too: every one goes through the guard.
    if table.attachment:
        cell = ws.cell(row=1, column=1)
        cell.font = fonts.label
        set_xlsx_text(cell, _clean(f"{table.attachment}："))
    title = ws.cell(row=2, column=1)
    title.font, title.alignment = fonts.title, Alignment(horizontal="center", vertical="center")
    set_xlsx_text(title, _clean(table.display_title))
    _merge(ws, 2, 1, 2, n, border=False)
    ws.row_dimensions[2].height = 36
    unit_cols = 3
    dept = ws.cell(row=3, column=1)
    dept.font, dept.alignment = fonts.label, Alignment(horizontal="left", vertical="center")
    set_xlsx_text(dept, _clean(f"部门名称（盖章）：{table.department}"))
    _merge(ws, 3, 1, 3, n - unit_cols, border=False)
    unit = ws.cell(row=3, column=n - unit_cols + 1)
    unit.font, unit.alignment = fonts.label, _RIGHT
    set_xlsx_text(unit, f"单位：{table.money_unit.value}")
    _merge(ws, 3, n - unit_cols + 1, 3, n, border=False)
    ws.row_dimensions[3].height = 22


def _write_header(ws: Worksheet, table: Table, columns: list[H.Column], fonts: _Fonts) -> None:
    depth = H.header_depth(table)
    needs: list[tuple[int, int, float]] = []  # (first row, rowspan, points needed)
    for h in H.header_cells(table):
        r, c = FIRST_HEADER_ROW + h.row, 1 + h.col
        _text(ws, r, c, h.text, fonts.bold, _CENTER)
        _merge(ws, r, c, r + h.rowspan - 1, c + h.colspan - 1)
        width = sum(col.width + CELL_PADDING for col in columns[h.col:h.col + h.colspan])
        needs.append((h.row, h.rowspan, row_height(estimate_lines(h.text, width))))
    heights = [row_height(1)] * depth
    for first, span, need in sorted(needs, key=lambda t: t[1]):
        have = sum(heights[first:first + span])
        if have < need:  # grow the last row the cell covers
            heights[first + span - 1] += need - have
    for i, height in enumerate(heights):
        ws.row_dimensions[FIRST_HEADER_ROW + i].height = height


def _write_project(ws: Worksheet, row: int, project, columns: list[H.Column], fonts: _Fonts) -> None:
    lines = 1
    for i, col in enumerate(columns, start=1):
        if col.kind == H.AMOUNT:
            _number(ws, row, i, H.column_value(project, col), AMOUNT_FORMAT, fonts.body)
        elif col.kind == H.RATE:
            _write_rate(ws, row, i, project, fonts)
        elif col.kind == H.SEQ:
            cell = _number(ws, row, i, None, "0", fonts.body)
            cell.value = project.seq
        else:
            text = H.column_value(project, col) or ""
            align = _CENTER if col.kind == H.BOOL else _LEFT
            _text(ws, row, i, text, fonts.body, align)
            lines = max(lines, estimate_lines(text, col.width + CELL_PADDING))
    ws.row_dimensions[row].height = row_height(lines)


def _write_rate(ws: Worksheet, row: int, col: int, project, fonts: _Fonts) -> None:
    rate = H.reported_or_computed_rate(project)
    computed = project.execution_rate
    if rate is None:
        # Printed text that is not a percentage ("—", "未执行"): keep it verbatim.
        cell = _text(ws, row, col, project.execution_rate_text, fonts.body, _CENTER)
        if computed is not None and project.execution_rate_text.strip():
            cell.comment = _comment(
                f"按实际支出合计/预算计算为 {computed}%",
                f"recomputed from actual total / budget: {computed}%")
        return
    _number(ws, row, col, rate / 100, RATE_FORMAT, fonts.body)
    if H.rate_differs(project):
        ws.cell(row=row, column=col).comment = _comment(
            f"表中填报 {project.execution_rate_text.strip()}，按实际支出合计/预算计算为 {computed}%",
            f"reported {project.execution_rate_text.strip()}, recomputed {computed}%")


def _comment(zh: str, en: str) -> Comment:
    comment = Comment(f"{zh}\n{en}", "jixiao")
    comment.width, comment.height = 240, 80
    return comment


def _write_totals(ws: Worksheet, row: int, table: Table, columns: list[H.Column], fonts: _Fonts) -> None:
    values = H.totals_values(table, columns)
    label_span = next(i for i, c in enumerate(columns) if c.kind == H.AMOUNT)  # 序号…是否政府投资
    _text(ws, row, 1, H.TOTAL_LABEL, fonts.bold, _CENTER)
    _merge(ws, row, 1, row, label_span)
    for i, col in enumerate(columns, start=1):
        if i <= label_span:
            continue
        if col.kind == H.AMOUNT:
            _number(ws, row, i, values[col.key], AMOUNT_FORMAT, fonts.bold)
        elif col.kind == H.RATE:
            rate = values[col.key]
            _number(ws, row, i, None if rate is None else rate / 100, RATE_FORMAT, fonts.bold)
        else:
            ws.cell(row=row, column=i).border = _BORDER
    ws.row_dimensions[row].height = row_height(1)


def _print_setup(ws: Worksheet, table: Table, columns: list[H.Column], last_row: int) -> None:
    last_header = first_body_row(table) - 1
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_title_rows = f"{FIRST_HEADER_ROW}:{last_header}"
    ws.print_area = f"A1:{get_column_letter(len(columns))}{last_row}"
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    ws.oddFooter.center.size = 10
    # Keep 序号/单位名称/项目名称 and the header in view while scrolling.
    ws.freeze_panes = ws.cell(row=last_header + 1, column=4).coordinate


def _sheet_title(table: Table) -> str:
    title = table.attachment or "绩效自评公开表"
    for ch in "[]:*?/\\":
        title = title.replace(ch, "-")
    return title[:31]
