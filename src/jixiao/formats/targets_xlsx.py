"""The 项目支出绩效目标表 as XLSX: one sheet per project, from the grid of :mod:`.target_grid`.

Laid out as the official form (title, 年度, then the grid), with the MoF self-evaluation XLSX's
cell styles, row heights fitted to the wrapped text and an A4 print set-up
(:mod:`.mof_xlsx`). Above the grid one line gives the department and the money unit; the
sheet's title and scoring profile, which the form does not print, are kept in the workbook's
document properties (title, keywords ``jixiao-profile:NAME``) so that
:func:`jixiao.formats.targets_read.read_targets_xlsx` reads back exactly what was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.target_sheet import TargetSheet
from .atomic import atomic_path
from .mof_grid import FormCell, clean_text, line_count
from .mof_xlsx import LINE_HEIGHT_PT, MAX_ROW_HEIGHT_PT, ROW_PADDING_PT, _merge, _named_styles, _set_text
from .target_grid import COLUMN_WIDTHS, N_COLS, TargetForm, build_forms

PROFILE_KEYWORD = "jixiao-profile:"
GRID_TOP = 4  # the grid's first row (1-based): title, 年度, department line above it


def row_heights(form: TargetForm) -> list[float]:
    heights = [LINE_HEIGHT_PT + ROW_PADDING_PT] * form.n_rows
    spans: list[FormCell] = []
    for cell in form.cells:
        width = sum(COLUMN_WIDTHS[cell.col:cell.col + cell.colspan])
        need = line_count(clean_text(cell.value), width) * LINE_HEIGHT_PT + ROW_PADDING_PT
        if cell.rowspan == 1:
            heights[cell.row] = max(heights[cell.row], need)
        else:
            spans.append(cell)
    for cell in spans:
        width = sum(COLUMN_WIDTHS[cell.col:cell.col + cell.colspan])
        need = line_count(clean_text(cell.value), width) * LINE_HEIGHT_PT + ROW_PADDING_PT
        rows = range(cell.row, cell.row + cell.rowspan)
        lack = need - sum(heights[r] for r in rows)
        for r in rows if lack > 0 else ():
            heights[r] += lack / cell.rowspan
    return [round(min(h, MAX_ROW_HEIGHT_PT), 1) for h in heights]


def write_targets_xlsx(sheet: TargetSheet, path: str | Path) -> None:
    """Write one 项目支出绩效目标表 sheet per project to ``path`` (atomically)."""
    from openpyxl import Workbook

    forms = build_forms(sheet)
    wb = Workbook()
    wb.remove(wb.active)
    for style in _named_styles():
        wb.add_named_style(style)
    wb.properties.title = sheet.title or None
    wb.properties.keywords = f"{PROFILE_KEYWORD}{sheet.profile}" if sheet.profile else None
    for form in forms:
        _write_sheet(wb.create_sheet(form.sheet_name), sheet, form)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _write_sheet(ws: Any, sheet: TargetSheet, form: TargetForm) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row, text, style, height in ((1, form.title, "jx-title", 30), (2, form.subtitle, "jx-subtitle", 20)):
        _merge(ws, row, 1, row, N_COLS)
        ws.cell(row, 1).style = style
        _set_text(ws.cell(row, 1), text)
        ws.row_dimensions[row].height = height
    _merge(ws, 3, 1, 3, 6)
    _merge(ws, 3, 7, 3, N_COLS)
    ws.cell(3, 1).style = ws.cell(3, 7).style = "jx-note"
    _set_text(ws.cell(3, 1), f"部门：{sheet.department}")
    _set_text(ws.cell(3, 7), f"金额单位：{sheet.money_unit}")
    for cell in form.cells:
        r0, c0 = GRID_TOP + cell.row, cell.col + 1
        if cell.rowspan > 1 or cell.colspan > 1:
            _merge(ws, r0, c0, r0 + cell.rowspan - 1, c0 + cell.colspan - 1)
        for r in range(r0, r0 + cell.rowspan):
            for c in range(c0, c0 + cell.colspan):
                ws.cell(r, c).style = "jx-" + cell.role
        _set_text(ws.cell(r0, c0), cell.value)  # text, even amounts: what was written round-trips
    for r, height in enumerate(row_heights(form)):
        ws.row_dimensions[GRID_TOP + r].height = height
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{GRID_TOP + form.indicator_header_row}:{GRID_TOP + form.indicator_header_row}"
    ws.print_area = f"A1:{get_column_letter(N_COLS)}{GRID_TOP + form.n_rows - 1}"
