"""The 项目支出绩效目标表 as PDF, laid out by Typst with the MoF form's template.

Why the same template (``templates/mof_form.typ``): it already prints a form of spanning cells
one per page, the 绩效指标 header repeated on a continued page, every text placed as data (never
Typst markup), with the one embedded CJK font (:func:`.pdf_typst.compile_pdf`). The cells are
:mod:`.target_grid`'s — the same the XLSX prints — with this form's nine column widths.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ..core.target_sheet import TargetSheet
from .atomic import write_bytes_atomic
from .mof_grid import clean_text
from .mof_typst import CONTENT_WIDTH_PT, PAD_X_PT, STROKE_PT, TEXT_PT
from .pdf_typst import _cell_value, compile_pdf
from .target_grid import COLUMN_WIDTHS, TargetForm, build_forms

_STYLE = {"label": "h", "header": "h", "center": "c"}


def _room(col: int, colspan: int) -> float:
    """A cell's text width in half-ems of the body text (the unit of pdf_typst._cell_value)."""
    total = sum(COLUMN_WIDTHS)
    width = sum(CONTENT_WIDTH_PT * w / total for w in COLUMN_WIDTHS[col:col + colspan])
    return (width - 2 * PAD_X_PT - STROKE_PT) / (TEXT_PT / 2)


def form_data(form: TargetForm, sheet: TargetSheet | None = None) -> dict[str, Any]:
    hr = form.indicator_header_row
    head, header, body = [], [], []
    for cell in sorted(form.cells, key=lambda c: (c.row, c.col)):
        value = _cell_value(clean_text(cell.value), _room(cell.col, cell.colspan))
        # A label spanning many indicator rows may break across pages (breakable: rowspan > 12).
        item = [cell.row, cell.col, cell.rowspan, cell.colspan, _STYLE.get(cell.role, "t"), value, cell.rowspan > 12]
        if cell.row < hr:
            head.append(item)
        else:
            item[0] -= hr
            (header if cell.row == hr else body).append(item)
    # Under the form, as the XLSX's line above it: the department and the money unit (read back
    # by targets_read.read_targets_pdf).
    notes = [f"部门：{clean_text(sheet.department)}　金额单位：{sheet.money_unit}"] if sheet is not None else []
    return {"title": form.title, "subtitle": form.subtitle, "head": head, "header": header, "body": body,
            "notes": notes}


def document_data(sheet: TargetSheet) -> dict[str, Any]:
    forms = build_forms(sheet)
    total = sum(COLUMN_WIDTHS)
    return {"title": sheet.display_title, "widths": [round(w / total * 100, 4) for w in COLUMN_WIDTHS],
            "forms": [form_data(f, sheet) for f in forms]}


def template() -> str:
    return (resources.files(__package__) / "templates" / "mof_form.typ").read_text(encoding="utf-8")


def render_targets_pdf_bytes(sheet: TargetSheet) -> bytes:
    return compile_pdf(template(), document_data(sheet))


def write_targets_pdf(sheet: TargetSheet, path: str | Path) -> None:
    """Write the forms, one A4 page (or more) per project, at ``path`` (atomically)."""
    write_bytes_atomic(path, render_targets_pdf_bytes(sheet))
