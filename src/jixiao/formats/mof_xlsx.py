"""The MoF 项目支出绩效自评表 as XLSX: one sheet per project, from the grid of :mod:`.mof_grid`.

openpyxl writes the cells with one named style per role, the merged ranges, row heights
fitted to the wrapped text (LibreOffice and WPS do not autofit rows openpyxl writes), the
footnote and an A4 print set-up. Text that a spreadsheet would read as a formula is stored
as a string.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.model import Table
from .atomic import atomic_path
from .formula_guard import set_xlsx_text
from .mof_grid import (
    COLUMN_WIDTHS, N_COLS, FormCell, MofForm, build_forms, clean_text, display_text, fit_row_heights, line_count,
)

FONT_NAME = "宋体"  # what Chinese government forms use; LibreOffice substitutes a CJK font
FONT_SIZE = 10
LINE_HEIGHT_PT = 13.5  # one line of 10 pt CJK text
ROW_PADDING_PT = 5
MAX_ROW_HEIGHT_PT = 409  # Excel's limit: a taller row makes Excel "repair" the file


def row_heights(form: MofForm, widths: tuple[float, ...] = COLUMN_WIDTHS) -> list[float]:
    """Row heights (pt) so every wrapped text fits: LibreOffice and WPS do not autofit
    rows written by openpyxl."""
    def needed(cell: FormCell) -> float:
        width = sum(widths[cell.col:cell.col + cell.colspan])
        return line_count(display_text(cell), width) * LINE_HEIGHT_PT + ROW_PADDING_PT

    heights = fit_row_heights(form, needed, LINE_HEIGHT_PT + ROW_PADDING_PT)
    return [round(min(h, MAX_ROW_HEIGHT_PT), 1) for h in heights]


def write_mof_xlsx(table: Table, path: str | Path, config: Any = None, changes: Any = ()) -> None:
    """Write one 项目支出绩效自评表 sheet per project to ``path`` (atomically)."""
    from openpyxl import Workbook

    forms = build_forms(table, config, changes)
    wb = Workbook()
    wb.remove(wb.active)
    for style in _named_styles():
        wb.add_named_style(style)
    for form in forms:
        _write_sheet(wb.create_sheet(form.sheet_name), form)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _named_styles() -> list[Any]:
    """One named style per cell role. Assigning a named style is cheap; assigning fonts,
    borders and alignments cell by cell makes openpyxl hash each one (10× slower)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT_NAME, size=FONT_SIZE)
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    fill = PatternFill("solid", fgColor="F2F2F2")

    def grid(role: str, font: Any, horizontal: str, number_format: str = "General", shaded: bool = False):
        return NamedStyle(name=f"jx-{role}", font=font, border=border, number_format=number_format,
                          fill=fill if shaded else PatternFill(),
                          alignment=Alignment(horizontal=horizontal, vertical="center", wrap_text=True))

    return [
        grid("label", bold, "center", shaded=True),
        grid("header", bold, "center", shaded=True),
        grid("text", body, "left"),
        grid("center", body, "center"),
        grid("money", body, "right", "0.00"),
        grid("score", body, "center", "0.00"),
        grid("rate", body, "center", "0.00%"),
        NamedStyle(name="jx-title", font=Font(name=FONT_NAME, size=16, bold=True),
                   alignment=Alignment(horizontal="center", vertical="center")),
        NamedStyle(name="jx-subtitle", font=Font(name=FONT_NAME, size=11),
                   alignment=Alignment(horizontal="center", vertical="center")),
        NamedStyle(name="jx-note", font=Font(name=FONT_NAME, size=9),
                   alignment=Alignment(horizontal="left", vertical="top", wrap_text=True)),
    ]


def _write_sheet(ws: Any, form: MofForm) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    last_col = get_column_letter(N_COLS)
    for i, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    # Title rows: 项目支出绩效自评表, （{year}年度）.
    for row, text, style, height in ((1, form.title, "jx-title", 30), (2, form.subtitle, "jx-subtitle", 20)):
        _merge(ws, row, 1, row, N_COLS)
        ws.cell(row, 1).style = style
        _set_text(ws.cell(row, 1), text)
        ws.row_dimensions[row].height = height
    top = 3  # first grid row (1-based)

    for cell in form.cells:
        r0, c0 = top + cell.row, cell.col + 1
        if cell.rowspan > 1 or cell.colspan > 1:
            _merge(ws, r0, c0, r0 + cell.rowspan - 1, c0 + cell.colspan - 1)
        style = "jx-" + cell.role
        # Every cell of a merged range gets the style (with its borders): LibreOffice and
        # WPS draw a merged range's border from its inner cells too.
        for r in range(r0, r0 + cell.rowspan):
            for c in range(c0, c0 + cell.colspan):
                ws.cell(r, c).style = style
        _set_value(ws.cell(r0, c0), cell)  # after the style: the formula guard adds to it
    for r, height in enumerate(row_heights(form)):
        ws.row_dimensions[top + r].height = height

    # The footnote: one merged, wrapped row per note.
    width = sum(COLUMN_WIDTHS)
    for i, note in enumerate(["注：", *form.notes]):
        r = top + form.n_rows + i
        _merge(ws, r, 1, r, N_COLS)
        target = ws.cell(row=r, column=1)
        target.style = "jx-note"
        _set_text(target, note)
        ws.row_dimensions[r].height = min(line_count(note, width) * 12 + 3, MAX_ROW_HEIGHT_PT)

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "&P / &N"
    ws.print_area = f"A1:{last_col}{top + form.n_rows + len(form.notes)}"


def _merge(ws: Any, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """Record a merged range. ``ws.merge_cells`` would also replace the inner cells with
    MergedCell objects and copy edge borders onto them, which costs a third of the writing
    time; here every inner cell is styled explicitly anyway, so the range is only recorded
    (Excel, WPS and LibreOffice accept styled empty cells inside a merge)."""
    from openpyxl.worksheet.cell_range import CellRange

    ws.merged_cells.add(CellRange(min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row))


def _set_value(target: Any, cell: FormCell) -> None:
    if cell.role in ("money", "score", "rate") and isinstance(cell.value, Decimal):
        target.value = cell.value  # the number format comes with the role's named style
    else:
        _set_text(target, cell.value)


def _set_text(target: Any, value: Any) -> None:
    # Never a formula: formula-like text is stored as a string with a quote prefix.
    set_xlsx_text(target, clean_text(value) if value is not None else "")
