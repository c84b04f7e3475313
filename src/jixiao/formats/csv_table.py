"""The disclosure table as CSV: one row per project, flat column names, a final 合计 row.

UTF-8 with a byte-order mark so Excel (which otherwise assumes the ANSI code page) opens
the Chinese text correctly; CRLF line ends as RFC 4180 asks. Column names are the flat
labels of :func:`jixiao.formats.headers.body_columns` (``实际支出金额_合计``,
``数量指标_年度指标内容``). Amounts have 2 decimals, the rate is the printed text
(``99.74%``). The last row is the computed 合计 (序号 column = ``合计``).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
("CSV injection"); with ``guard_formulas`` (default on) such a *text* cell is written with a
leading apostrophe, which Excel, WPS and LibreOffice show as plain text. Number columns
are never changed (``-3.00`` stays a number).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..core.model import Table
from ..errors import OutputError
from . import headers as H
from .atomic import write_bytes_atomic

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(table: Table, guard_formulas: bool = True) -> list[list[str]]:
    """Header row, one row per project, then the 合计 row — all as text."""
    columns = H.body_columns(table)
    rows = [[c.label for c in columns]]
    for project in table.projects:
        rows.append([_guard(H.column_text(project, c), c, guard_formulas) for c in columns])
    totals = H.totals_text(table, columns)
    rows.append([totals[c.key] for c in columns])
    return rows


def _guard(text: str, column: H.Column, on: bool) -> str:
    if on and column.kind == H.TEXT and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def dumps_csv(table: Table, guard_formulas: bool = True) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(csv_rows(table, guard_formulas))
    return buffer.getvalue()


def write_csv(table: Table, path: str | Path, guard_formulas: bool = True) -> None:
    """Write atomically as UTF-8 with BOM."""
    if not table.projects:
        raise OutputError("表中没有项目，无法导出", "the table has no projects; nothing to export")
    write_bytes_atomic(path, dumps_csv(table, guard_formulas).encode("utf-8-sig"))
