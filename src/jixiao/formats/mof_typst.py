"""The MoF 项目支出绩效自评表 PDF laid out by Typst (``templates/mof_form.typ``).

Why: WeasyPrint (:func:`.mof_html.write_mof_pdf`) spends ≈ 0.24 s of CPU and ≈ 4 MB of
memory per form page (docs/benchmarks/mof-form.md), so a 1,000-project department needs
≈ 4 GB. Typst lays the same forms out in Rust, in a child process whose memory is returned.

What is shared with the WeasyPrint PDF and the XLSX, so they cannot drift apart: the grid of
cells with their spans and roles and the footnote (:func:`.mof_grid.build_forms`), the
printed texts (:func:`.mof_grid.display_text`, :func:`.mof_grid.clean_text`) and the column
proportions (:data:`.mof_form.COLUMN_WIDTHS`). The page follows ``templates/mof_form.html``:
A4 portrait, one form per page, the 绩效指标 header repeated when a form continues on a new
page, each 一级 category kept whole on a page when it fits.

Everything Typst-specific is :mod:`.pdf_typst`'s: the child-process compile, the private font
folder with only the CJK font, ``fallback: false``, and the data as JSON in ``sys.inputs`` (so
no text is ever Typst markup), and the wrapping of a run too long for its column.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.model import Table
from .atomic import write_bytes_atomic
from .mof_grid import COLUMN_WIDTHS, MofForm, build_forms, clean_text, display_text, fit_row_heights
from .pdf_typst import _cell_value, _run_units, compile_pdf

# The geometry of templates/mof_form.html, which mof_form.typ follows (points).
PAGE_HEIGHT_PT = 297 / 25.4 * 72
MARGINS_MM = (14, 12, 16, 12)  # top, right, bottom, left
TEXT_PT = 8.5  # body text; a line is 1.25 of it
LINE_PT = TEXT_PT * 1.25
PAD_X_PT, PAD_Y_PT = 3.0, 1.5
STROKE_PT = 0.6
CONTENT_WIDTH_PT = (210 - MARGINS_MM[1] - MARGINS_MM[3]) / 25.4 * 72
BODY_HEIGHT_PT = PAGE_HEIGHT_PT - (MARGINS_MM[0] + MARGINS_MM[2]) / 25.4 * 72

# A group of rows (a 一级 category, or a cell spanning rows) is kept whole on a page, as the
# HTML's ``break-inside: avoid``, unless its estimated height is more than this share of the
# room below the repeated header. Typst cannot do "whole if it fits": a group marked unbreakable
# that is taller than a page runs off the paper, so the estimate (an over-estimate: see
# _lines) decides. A group kept breakable still breaks only between its rows.
KEEP_SHARE = 0.9
# Line breaking wastes part of a line (a word moved down whole, punctuation that may not start a
# line): a paragraph's width is divided by this share of the column to count its lines.
FILL_SHARE = 0.88

# The roles of mof_grid.FormCell, as the template's styles: label/header bold on grey and
# centred, money right, numbers and short codes centred, prose left (as the HTML's classes).
_STYLE = {"label": "h", "header": "h", "money": "r", "score": "c", "rate": "c", "center": "c"}


def template() -> str:
    """The Typst source of the forms (``formats/templates/mof_form.typ``)."""
    return (resources.files(__package__) / "templates" / "mof_form.typ").read_text(encoding="utf-8")


def _column_rooms() -> list[float]:
    """Each column's text width in half-ems of the body text (the unit of pdf_typst._cell_value)."""
    total = sum(COLUMN_WIDTHS)
    return [(CONTENT_WIDTH_PT * w / total - 2 * PAD_X_PT - STROKE_PT) / (TEXT_PT / 2)
            for w in COLUMN_WIDTHS]


_ROOMS = _column_rooms()


def _room(col: int, colspan: int) -> float:
    """The text width of a cell spanning ``colspan`` columns from ``col`` (half-ems): the
    columns' text widths and the padding and rules between them."""
    return sum(_ROOMS[col:col + colspan]) + (colspan - 1) * (2 * PAD_X_PT + STROKE_PT) / (TEXT_PT / 2)


def _lines(text: str, room: float) -> int:
    """Lines ``text`` takes in a cell ``room`` half-ems wide (rounded up, FILL_SHARE kept)."""
    usable = max(room * FILL_SHARE, 1.0)
    return sum(max(1, math.ceil(_run_units(part) / usable)) for part in text.split("\n"))


def _row_heights(form: MofForm, texts: dict[tuple[int, int], str]) -> list[float]:
    """Estimated row heights (pt) in this page's geometry (mof_grid.fit_row_heights)."""
    def needed(cell) -> float:
        return _lines(texts[cell.row, cell.col], _room(cell.col, cell.colspan)) * LINE_PT + 2 * PAD_Y_PT + STROKE_PT

    return fit_row_heights(form, needed, LINE_PT + 2 * PAD_Y_PT + STROKE_PT)


def form_data(form: MofForm) -> dict[str, Any]:
    """One form as the template's data: its cells as ``[row, col, rowspan, colspan, style,
    value, breakable]`` (value a string, or the string cut around runs to wrap by character),
    the head block, the 绩效指标 header and the rows below it apart (rows renumbered from 0
    in each table)."""
    texts = {(c.row, c.col): clean_text(display_text(c)) for c in form.cells}
    heights = _row_heights(form, texts)
    hr = form.indicator_header_row
    limit = KEEP_SHARE * (BODY_HEIGHT_PT - heights[hr])
    head, header, body = [], [], []
    # A cell is breakable when the rows it spans are estimated taller than the limit. The 一级
    # label spans its category, so its flag is the category's: unbreakable keeps the category
    # on one page (mof_grid.MofForm.row_groups; the 总分 group has no spanning cell and may be
    # split from its 评价等级 row).
    for cell in sorted(form.cells, key=lambda c: (c.row, c.col)):
        room = _room(cell.col, cell.colspan)
        span_height = sum(heights[cell.row:cell.row + cell.rowspan])
        item = [cell.row, cell.col, cell.rowspan, cell.colspan, _STYLE.get(cell.role, "t"),
                _cell_value(texts[cell.row, cell.col], room), span_height > limit]
        if cell.row < hr:
            head.append(item)
        else:
            item[0] -= hr  # the 绩效指标 table's row 0 is its (repeated) header
            (header if cell.row == hr else body).append(item)
    return {"title": form.title, "subtitle": form.subtitle, "head": head, "header": header,
            "body": body, "notes": ["注：", *(_cell_value(n, _note_room()) for n in form.notes)]}


def _note_room() -> float:
    """The footnote's line width in half-ems of its 7.5 pt text."""
    return CONTENT_WIDTH_PT / (7.5 / 2)


def document_data(table: Table, config: Any = None, changes: Any = ()) -> dict[str, Any]:
    """Everything the template prints, as JSON-ready data."""
    forms = build_forms(table, config, changes)  # raises the InputError for a table with no projects
    total = sum(COLUMN_WIDTHS)
    return {
        "title": f"{table.year}年度{clean_text(table.department)}{forms[0].title}",
        "widths": [round(w / total * 100, 4) for w in COLUMN_WIDTHS],
        "forms": [form_data(f) for f in forms],
    }


def render_mof_typst_pdf_bytes(table: Table, config: Any = None, changes: Any = ()) -> bytes:
    """The forms of ``table`` (one per project, scored with ``config``) as PDF bytes."""
    return compile_pdf(template(), document_data(table, config, changes))


def write_mof_pdf_typst(table: Table, path: str | Path, config: Any = None, changes: Any = ()) -> None:
    """Write the forms as an A4 portrait PDF laid out by Typst at ``path`` (atomically)."""
    write_bytes_atomic(path, render_mof_typst_pdf_bytes(table, config, changes))
