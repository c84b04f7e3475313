"""An official form as XLSX — the MoF 项目支出绩效自评表 (:mod:`.mof_xlsx`) and the 项目支出绩效目标表
(:mod:`.targets_xlsx`): the workbook set-up both write their grid of cells with.

Why one module: both forms are one sheet per project, a grid of cells with spans and roles
(:class:`.mof_grid.FormCell`) under a title and a year, printed on A4 by the same offices; what
makes such a sheet print as the form — found once — holds for both. openpyxl writes the cells
with one named style per role (宋体 10 pt, thin borders on every cell of a merged range), the
merged ranges, column widths, row heights fitted to the wrapped text (LibreOffice and WPS do not
autofit rows openpyxl writes) and an A4 print set-up one page wide (fit to width: without it
LibreOffice prints the right-hand columns on pages of their own), page numbers in the footer.
Text that a spreadsheet would read as a formula is stored as a string.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .atomic import atomic_path
from .formula_guard import set_xlsx_text
from .mof_grid import FormCell, clean_text, display_text, fit_row_heights, line_count

FONT_NAME = "宋体"  # what Chinese government forms use; LibreOffice substitutes a CJK font
FONT_SIZE = 10
LINE_HEIGHT_PT = 13.5  # one line of 10 pt CJK text
ROW_PADDING_PT = 5
MAX_ROW_HEIGHT_PT = 409  # Excel's limit: a taller row makes Excel "repair" the file


def new_workbook() -> Any:
    """An empty workbook (no sheet) with the forms' named styles."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for style in _named_styles():
        wb.add_named_style(style)
    return wb


def save(wb: Any, path: str | Path) -> None:
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


def start_sheet(ws: Any, widths: Sequence[float], title: str, subtitle: str) -> None:
    """The column widths, and the title and the year (``subtitle``) across them in rows 1 and 2."""
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row, text, style, height in ((1, title, "jx-title", 30), (2, subtitle, "jx-subtitle", 20)):
        merge(ws, row, 1, row, len(widths))
        ws.cell(row, 1).style = style
        set_text(ws.cell(row, 1), text)
        ws.row_dimensions[row].height = height


def write_cells(ws: Any, form: Any, top: int, widths: Sequence[float]) -> None:
    """The form's cells (``form.cells``, ``form.n_rows`` rows) from sheet row ``top`` (1-based):
    merged, styled by role, numbers as numbers, the rows as tall as their text."""
    for cell in form.cells:
        r0, c0 = top + cell.row, cell.col + 1
        if cell.rowspan > 1 or cell.colspan > 1:
            merge(ws, r0, c0, r0 + cell.rowspan - 1, c0 + cell.colspan - 1)
        style = "jx-" + cell.role
        # Every cell of a merged range gets the style (with its borders): LibreOffice and
        # WPS draw a merged range's border from its inner cells too.
        for r in range(r0, r0 + cell.rowspan):
            for c in range(c0, c0 + cell.colspan):
                ws.cell(r, c).style = style
        _set_value(ws.cell(r0, c0), cell)  # after the style: the formula guard adds to it
    for r, height in enumerate(row_heights(form, widths)):
        ws.row_dimensions[top + r].height = height


def row_heights(form: Any, widths: Sequence[float]) -> list[float]:
    """Row heights (pt) so every wrapped text fits, as written (:func:`set_text`), in columns
    ``widths`` wide: LibreOffice and WPS do not autofit rows written by openpyxl."""
    def needed(cell: FormCell) -> float:
        width = sum(widths[cell.col:cell.col + cell.colspan])
        return line_count(clean_text(display_text(cell)), width) * LINE_HEIGHT_PT + ROW_PADDING_PT

    heights = fit_row_heights(form, needed, LINE_HEIGHT_PT + ROW_PADDING_PT)
    return [round(min(h, MAX_ROW_HEIGHT_PT), 1) for h in heights]


def set_print(ws: Any, n_cols: int, last_row: int, title_row: int | None = None) -> None:
    """A4 portrait, one page wide and as many tall as needed, centred, page numbers in the
    footer; the print area is columns 1 … ``n_cols`` down to ``last_row``, ``title_row`` (when
    given) printed again at the top of every page."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "&P / &N"
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
    ws.print_area = f"A1:{get_column_letter(n_cols)}{last_row}"


def merge(ws: Any, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
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
        set_text(target, cell.value)


def set_text(target: Any, value: Any) -> None:
    # Never a formula: formula-like text is stored as a string with a quote prefix.
    set_xlsx_text(target, clean_text(value) if value is not None else "")
