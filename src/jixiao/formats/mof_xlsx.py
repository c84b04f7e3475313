"""The MoF 项目支出绩效自评表 as XLSX: one sheet per project, from the grid of :mod:`.mof_grid`.

The workbook set-up — named styles per cell role, merged ranges, row heights fitted to the
wrapped text, the A4 print set-up one page wide, formula-like text kept as text — is the
forms' (:mod:`.form_xlsx`); this module adds the footnote under each project's grid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.model import Table
from .form_xlsx import MAX_ROW_HEIGHT_PT, merge, new_workbook, save, set_print, set_text, start_sheet, write_cells
from .mof_grid import COLUMN_WIDTHS, N_COLS, MofForm, build_forms, line_count

GRID_TOP = 3  # the grid's first row (1-based): title and year above it


def write_mof_xlsx(table: Table, path: str | Path, config: Any = None, changes: Any = ()) -> None:
    """Write one 项目支出绩效自评表 sheet per project to ``path`` (atomically)."""
    forms = build_forms(table, config, changes)
    wb = new_workbook()
    for form in forms:
        _write_sheet(wb.create_sheet(form.sheet_name), form)
    save(wb, path)


def _write_sheet(ws: Any, form: MofForm) -> None:
    start_sheet(ws, COLUMN_WIDTHS, form.title, form.subtitle)  # 项目支出绩效自评表, （{year}年度）
    write_cells(ws, form, GRID_TOP, COLUMN_WIDTHS)
    # The footnote: one merged, wrapped row per note.
    width = sum(COLUMN_WIDTHS)
    for i, note in enumerate(["注：", *form.notes]):
        r = GRID_TOP + form.n_rows + i
        merge(ws, r, 1, r, N_COLS)
        target = ws.cell(row=r, column=1)
        target.style = "jx-note"
        set_text(target, note)
        ws.row_dimensions[r].height = min(line_count(note, width) * 12 + 3, MAX_ROW_HEIGHT_PT)
    set_print(ws, N_COLS, GRID_TOP + form.n_rows + len(form.notes))
