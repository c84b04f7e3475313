"""The MoF 项目支出绩效自评表 as a printable HTML page (one ``<section>`` per project, a page
break between) from the grid of :mod:`.mof_grid`, and its PDF through WeasyPrint (the
``weasyprint`` engine; the default PDF engine is :mod:`.mof_typst`). The 绩效指标 block is its
own table so its header repeats when it flows onto a new page.
"""

from __future__ import annotations

import html
import string
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.model import Table
from .atomic import write_bytes_atomic
from .mof_grid import COLUMN_WIDTHS, FORM_TITLE, FormCell, MofForm, build_forms, clean_text, display_text

def _template() -> string.Template:
    text = resources.files("jixiao.formats").joinpath("templates/mof_form.html").read_text("utf-8")
    return string.Template(text)


def render_mof_html(table: Table, config: Any = None, changes: Any = ()) -> str:
    """A standalone printable HTML page: one form per project, a page break between."""
    forms = build_forms(table, config, changes)
    total = sum(COLUMN_WIDTHS)
    colgroup = "<colgroup>" + "".join(
        f'<col style="width:{w / total * 100:.2f}%">' for w in COLUMN_WIDTHS) + "</colgroup>"
    sections = "\n".join(_form_html(f, colgroup) for f in forms)
    title = f"{table.year}年度{clean_text(table.department)}{FORM_TITLE}"
    return _template().substitute(title=html.escape(title), forms=sections)


def _form_html(form: MofForm, colgroup: str) -> str:
    sid = f"form-{form.project.seq}"
    hr = form.indicator_header_row
    parts = [
        f'<section class="mof-form" id="{sid}" aria-labelledby="{sid}-title">',
        f'<h1 id="{sid}-title">{html.escape(form.title)}</h1>',
        f'<p class="year">{html.escape(form.subtitle)}</p>',
        f'<table class="form head">{colgroup}<tbody>{_rows_html(form, 0, hr)}</tbody></table>',
        # The indicator block is its own table so its header repeats if it flows onto a new page.
        f'<table class="form indicators">{colgroup}<thead>{_rows_html(form, hr, hr + 1)}</thead>'
        + "".join(f"<tbody>{_rows_html(form, a, b)}</tbody>" for a, b in form.row_groups) + "</table>",
        '<div class="notes">' + "".join(f"<p>{_html_text(n)}</p>" for n in ["注：", *form.notes]) + "</div>",
        "</section>",
    ]
    return "\n".join(parts)


def _rows_html(form: MofForm, start: int, end: int) -> str:
    by_row: dict[int, list[FormCell]] = {}
    for cell in form.cells:
        if start <= cell.row < end:
            by_row.setdefault(cell.row, []).append(cell)
    out = []
    for r in range(start, end):
        cells = sorted(by_row.get(r, []), key=lambda c: c.col)
        out.append("<tr>" + "".join(_cell_html(c) for c in cells) + "</tr>")
    return "".join(out)


def _cell_html(cell: FormCell) -> str:
    span = ""
    if cell.rowspan > 1:
        span += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        span += f' colspan="{cell.colspan}"'
    text = _html_text(display_text(cell))
    if cell.role == "header":
        return f'<th scope="col"{span}>{text}</th>'
    if cell.role == "label":
        return f'<th scope="row"{span}>{text}</th>'
    css = {"money": "num", "score": "center", "rate": "center", "center": "center"}.get(cell.role, "text")
    return f'<td class="{css}"{span}>{text}</td>'


def _html_text(text: str) -> str:
    return html.escape(clean_text(text)).replace("\n", "<br>")


def write_mof_pdf(table: Table, path: str | Path, config: Any = None, changes: Any = ()) -> None:
    """Write the forms as an A4 portrait PDF with an embedded CJK font (atomically)."""
    # pdf_render owns the font lookup and embedding (one place for every PDF jixiao makes).
    from .pdf_render import render_pdf_bytes

    data = render_pdf_bytes(render_mof_html(table, config, changes))
    write_bytes_atomic(path, data)
