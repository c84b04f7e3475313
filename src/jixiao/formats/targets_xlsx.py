"""The 项目支出绩效目标表 as XLSX: one sheet per project, from the grid of :mod:`.target_grid`.

Laid out as the official form (title, 年度, then the grid) with the workbook set-up of the MoF
self-evaluation form (:mod:`.form_xlsx`: cell styles, row heights fitted to the wrapped text,
A4 one page wide, the indicator header repeated on every page). Above the grid one line gives
the department and the money unit; the sheet's title and scoring profile, which the form does
not print, are kept in the workbook's document properties (title, keywords
``jixiao-profile:NAME``) so that :func:`jixiao.formats.targets_read.read_targets_xlsx` reads back
exactly what was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.target_sheet import TargetSheet
from .form_xlsx import merge, new_workbook, save, set_print, set_text, start_sheet, write_cells
from .target_grid import COLUMN_WIDTHS, N_COLS, TargetForm, build_forms

PROFILE_KEYWORD = "jixiao-profile:"
GRID_TOP = 4  # the grid's first row (1-based): title, 年度, department line above it


def write_targets_xlsx(sheet: TargetSheet, path: str | Path) -> None:
    """Write one 项目支出绩效目标表 sheet per project to ``path`` (atomically)."""
    forms = build_forms(sheet)
    wb = new_workbook()
    wb.properties.title = sheet.title or None
    wb.properties.keywords = f"{PROFILE_KEYWORD}{sheet.profile}" if sheet.profile else None
    for form in forms:
        _write_sheet(wb.create_sheet(form.sheet_name), sheet, form)
    save(wb, path)


def _write_sheet(ws: Any, sheet: TargetSheet, form: TargetForm) -> None:
    start_sheet(ws, COLUMN_WIDTHS, form.title, form.subtitle)
    merge(ws, 3, 1, 3, 6)
    merge(ws, 3, 7, 3, N_COLS)
    ws.cell(3, 1).style = ws.cell(3, 7).style = "jx-note"
    set_text(ws.cell(3, 1), f"部门：{sheet.department}")
    set_text(ws.cell(3, 7), f"金额单位：{sheet.money_unit}")
    write_cells(ws, form, GRID_TOP, COLUMN_WIDTHS)  # text, even amounts: what was written round-trips
    set_print(ws, N_COLS, GRID_TOP + form.n_rows - 1, title_row=GRID_TOP + form.indicator_header_row)
