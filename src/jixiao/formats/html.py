"""The 附件2-3 disclosure table as one standalone, printable HTML page.

The page is also the source of the PDF (:mod:`jixiao.formats.pdf_render`), so its CSS is
print CSS first: A3 landscape, the header (``thead``) repeated on every page, page
``x / y`` in the footer. It loads nothing: the CSS is inline and fonts are named by their
system names (the PDF renderer adds the embedded font).

Markup is semantic for screen readers: ``caption`` (title, stamp line, unit), ``colgroup``
per top-level header, ``th scope="col|colgroup"`` in the merged multi-level header from
:mod:`jixiao.formats.headers` (the one definition of the header), ``th scope="row"`` for
the project name, and the computed 合计 row in ``tfoot``.

Every text is escaped with :func:`html.escape`; nothing from the table reaches the page
unescaped (the tests put ``<script>`` in every field).
"""

from __future__ import annotations

from html import escape
from importlib import resources

from ..core.model import Table
from ..errors import InputError
from ..textwidth import display_width
from . import headers
from .headers import AMOUNT, BOOL, RATE, SEQ, TEXT, Column

# The project name heads its row for screen readers (th scope="row").
ROW_HEADER_KEY = "name"

# CSS classes per column kind: amounts and rates right-aligned, short codes centred.
_KIND_CLASS = {SEQ: "c", BOOL: "c", AMOUNT: "n", RATE: "n"}

STAMP_LABEL = "部门名称（盖章）："
UNIT_LABEL = "单位："


def _e(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def print_css() -> str:
    """The page's CSS (``formats/templates/print.css``), inlined into every page."""
    return (resources.files(__package__) / "templates" / "print.css").read_text(encoding="utf-8")


def _attachment_label(table: Table) -> str:
    label = table.attachment.strip()
    if label and not label.endswith(("：", ":")):
        label += "："
    return label


# Print geometry (must match templates/print.css): A3 landscape 420 mm less 2 × 8 mm margins,
# 7pt text (a Latin width is half an em ≈ 1.235 mm), 1.22 line height ≈ 3.0 mm a line.
_PRINT_TABLE_WIDTH_MM = 404.0
_LATIN_WIDTH_MM = 7 * 0.3528 / 2
_CELL_PADDING_MM = 1.2
# Latin character widths across the printed table (≈ 327).
_TABLE_UNITS = _PRINT_TABLE_WIDTH_MM / _LATIN_WIDTH_MM
# Number columns (amounts, rate, 序号) are as wide as their longest value (the 合计 row
# included) plus this allowance for padding, rules and the bold 合计 digits, and at least
# the minimum below (so "一般公共" fits a header line); 是/否 and 单位名称 keep their hint.
_NUMBER_ALLOWANCE = 2.0
_MIN_FIXED_WIDTH = {RATE: 9.0, AMOUNT: 9.0}
# Text columns share the rest in proportion to the square root of their mean text width
# (this minimises the summed cell heights), shaped within these multiples of their hint.
_TEXT_WIDTH_RANGE = (0.8, 2.5)
# Rows sampled to measure text: enough to be representative, cheap for 200 000 rows.
_WIDTH_SAMPLE_ROWS = 500


def text_width(text: str) -> int:
    """Display width in Latin character widths: a CJK (wide) character counts 2."""
    return display_width(text)


def _is_text(column: Column) -> bool:
    return column.kind == TEXT and column.key != "unit_name"


def _fixed_width(table: Table, sample: list, column: Column, totals: dict[str, str]) -> float:
    if column.kind not in (AMOUNT, RATE, SEQ):
        return column.width
    values = [headers.column_text(p, column) for p in sample]
    if column.kind in (AMOUNT, RATE):
        values.append(totals[column.key])
    longest = max((text_width(v) for v in values), default=0)
    return max(_MIN_FIXED_WIDTH.get(column.kind, column.width), longest + _NUMBER_ALLOWANCE)


def column_widths(table: Table, columns: list[Column]) -> list[float]:
    """Column widths in percent of the table width, adapted to the table's content.

    Number columns get the room their longest number needs (so "4464.68" never wraps, in
    any layout); the text columns share the rest, more for columns holding more text, so a
    project with long indicator cells takes fewer lines (the seed's six projects fit on one
    A3 page).
    """
    sample = table.projects[:_WIDTH_SAMPLE_ROWS]
    totals = headers.totals_text(table, columns)
    widths = [0.0 if _is_text(c) else _fixed_width(table, sample, c, totals) for c in columns]
    text_cols = [i for i, c in enumerate(columns) if _is_text(c)]
    if text_cols:
        room = max(_TABLE_UNITS - sum(widths), 1.0)
        lo, hi = _TEXT_WIDTH_RANGE
        wants = {}
        for i in text_cols:
            mean = sum(text_width(headers.column_text(p, columns[i])) for p in sample) / len(sample)
            wants[i] = max(mean, 1.0) ** 0.5
        scale = room / sum(wants.values())
        for i in text_cols:
            hint = columns[i].width
            widths[i] = min(max(wants[i] * scale, hint * lo), hint * hi)
        # The clamps shape the proportions; the text columns then fill the room exactly.
        shaped = sum(widths[i] for i in text_cols)
        for i in text_cols:
            widths[i] *= room / shaped
    total = sum(widths)
    return [w / total * 100 for w in widths]


def _colgroups(table: Table, columns: list[Column], widths: list[float]) -> str:
    """One ``colgroup`` per top-level header cell (the units ``scope="colgroup"`` names)."""
    out = []
    col = 0
    for cell in (h for h in headers.header_cells(table) if h.row == 0):
        cols = "".join(
            f'<col class="k-{_e(columns[i].kind)}" style="width:{widths[i]:.3f}%">'
            for i in range(col, col + cell.colspan))
        out.append(f"<colgroup>{cols}</colgroup>")
        col += cell.colspan
    return "".join(out)


def _thead(table: Table) -> str:
    rows: dict[int, list[str]] = {}
    for h in headers.header_cells(table):
        scope = "colgroup" if h.colspan > 1 else "col"
        spans = (f' rowspan="{h.rowspan}"' if h.rowspan > 1 else "") + \
                (f' colspan="{h.colspan}"' if h.colspan > 1 else "")
        rows.setdefault(h.row, []).append(
            f'<th scope="{scope}"{spans} data-key="{_e(h.key)}">{_e(h.text)}</th>')
    return "<thead>" + "".join(f"<tr>{''.join(rows[r])}</tr>" for r in sorted(rows)) + \
        "</thead>"


def _cell(column: Column, text: str, tag: str = "td") -> str:
    cls = _KIND_CLASS.get(column.kind, "t")
    scope = ' scope="row"' if tag == "th" else ""
    return f'<{tag}{scope} class="{cls}">{_e(text)}</{tag}>'


# A row estimated taller than this many lines may split across pages. Shorter rows are kept
# whole (CSS break-inside: avoid); WeasyPrint would let a kept-whole row taller than the
# page run off the page instead of splitting it, so very tall rows must be allowed to split.
# About 80 lines fit below the repeated header on an A3 landscape page; 60 leaves a margin
# for the estimate's error.
MAX_UNSPLIT_LINES = 60


def estimated_lines(text: str, width_percent: float) -> int:
    """How many printed lines ``text`` takes in a column of ``width_percent`` (an estimate)."""
    capacity = max((_PRINT_TABLE_WIDTH_MM * width_percent / 100 - _CELL_PADDING_MM)
                   / _LATIN_WIDTH_MM, 2.0)
    return sum(max(1, -(-text_width(line) // int(capacity))) for line in text.split("\n"))


def _tbody(table: Table, columns: list[Column], widths: list[float]) -> str:
    rows = []
    for project in table.projects:
        texts = [headers.column_text(project, c) for c in columns]
        cells = "".join(
            _cell(c, text, "th" if c.key == ROW_HEADER_KEY else "td")
            for c, text in zip(columns, texts))
        lines = max(estimated_lines(t, w) for t, w in zip(texts, widths))
        attrs = ' class="tall"' if lines > MAX_UNSPLIT_LINES else ""
        rows.append(f"<tr{attrs}>{cells}</tr>")
    return "<tbody>" + "".join(rows) + "</tbody>"


def _tfoot(table: Table, columns: list[Column]) -> str:
    """The computed 合计 row; the label spans the columns before the first amount."""
    text = headers.totals_text(table, columns)
    label_span = next((i for i, c in enumerate(columns) if c.kind == AMOUNT), 1) or 1
    cells = [f'<th scope="row" colspan="{label_span}" class="c">{_e(headers.TOTAL_LABEL)}</th>']
    cells += [_cell(c, text[c.key] if c.kind in (AMOUNT, RATE) else "")
              for c in columns[label_span:]]
    return f'<tfoot><tr class="totals">{"".join(cells)}</tr></tfoot>'


def render_disclosure_html(table: Table) -> str:
    """The standalone HTML page of the 附件2-3 table (title, stamp line, header, rows, 合计)."""
    if not table.projects:
        raise InputError("表中没有项目，无法导出公开表", "the table has no projects; nothing to export")
    columns = headers.body_columns(table)
    widths = column_widths(table, columns)
    title = table.display_title
    attachment = _attachment_label(table)
    attachment_html = f'<p class="attachment">{_e(attachment)}</p>' if attachment else ""
    caption = (
        f'<caption><span class="title">{_e(title)}</span>'
        f'<span class="meta"><span class="stamp">{_e(STAMP_LABEL)}{_e(table.department)}</span>'
        f'<span class="unit">{_e(UNIT_LABEL)}{_e(table.money_unit.value)}</span></span>'
        "</caption>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        f'<meta name="description" content="{_e(title)}">\n'
        f"<style>\n{print_css()}\n</style>\n</head>\n<body>\n"
        f"{attachment_html}\n"
        f'<table class="disclosure">{caption}{_colgroups(table, columns, widths)}'
        f"{_thead(table)}{_tbody(table, columns, widths)}{_tfoot(table, columns)}</table>\n"
        "</body>\n</html>\n")
