"""The disclosure table as CSV: one row per project, flat column names, a final 合计 row.

UTF-8 with a byte-order mark so Excel (which otherwise assumes the ANSI code page) opens
the Chinese text correctly; CRLF line ends as RFC 4180 asks. Column names are the flat
labels of :func:`jixiao.formats.headers.body_columns` (``实际支出金额_合计``,
``数量指标_年度指标内容``). Amounts have 2 decimals, the rate is the printed text
(``99.74%``). The last row is the computed 合计 (序号 column = ``合计``).

Many tables in one CSV (:func:`write_many_csv`, ``jixiao export FOLDER -o ALL.csv``): a
researcher's data set — the columns 年度, 部门, 金额单位 (元 or 万元: the amounts are each
table's own, as printed), 来源 (the file, ``FILE:LINE`` for JSON lines) followed by the body columns of the ``full`` layout, so tables of any layout line up and the
columns are the same from one file, year or province to the next (a kind a table does not have
is blank); one row per project and no 合计 rows (each table's totals are sums of its rows).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
("CSV injection"); with ``guard_formulas`` (default on) every *text* cell — the body's text
columns, the printed rate unless it is a plain number (``-2+3`` is guarded, ``-2.00%`` is
not), the department and the source — goes through :mod:`.formula_guard` (a leading
apostrophe, which Excel, WPS and LibreOffice show as plain text; the character set is
documented there). Amount columns are numbers and never changed (``-3.00`` stays a number).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from collections.abc import Iterable

from ..core.model import Table
from ..core.taxonomy import FULL
from ..errors import OutputError
from . import headers as H
from .atomic import atomic_path, write_bytes_atomic
from .formula_guard import csv_number_text, csv_text


def csv_rows(table: Table, guard_formulas: bool = True) -> list[list[str]]:
    """Header row, one row per project, then the 合计 row — all as text."""
    columns = H.body_columns(table)
    rows = [[csv_text(c.label) for c in columns]]
    for project in table.projects:
        rows.append([_guard(H.column_text(project, c), c, guard_formulas) for c in columns])
    totals = H.totals_text(table, columns)
    rows.append([totals[c.key] for c in columns])
    return rows


def project_cells(project, columns: list[H.Column], guard_formulas: bool = True) -> list[str]:
    """One project's row of ``columns``, as text (formula-like text guarded)."""
    return [_guard(H.column_text(project, c), c, guard_formulas) for c in columns]


def _guard(text: str, column: H.Column, on: bool) -> str:
    if not on or column.kind in (H.AMOUNT, H.SEQ):  # numbers jixiao formats itself
        return text
    return csv_number_text(text) if column.kind == H.RATE else csv_text(text)


def dumps_csv(table: Table, guard_formulas: bool = True) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(csv_rows(table, guard_formulas))
    return buffer.getvalue()


def write_csv(table: Table, path: str | Path, guard_formulas: bool = True) -> None:
    """Write atomically as UTF-8 with BOM."""
    if not table.projects:
        raise OutputError("表中没有项目，无法导出", "the table has no projects; nothing to export")
    write_bytes_atomic(path, dumps_csv(table, guard_formulas).encode("utf-8-sig"))


MANY_LEADING = ("年度", "部门", "金额单位", "来源")


def many_columns() -> list[H.Column]:
    """The body columns of the ``full`` layout: every indicator kind (see the module docstring)."""
    return H.body_columns(Table(year=0, department="", layout=FULL))


def write_many_csv(tables: Iterable[tuple[str, Table]], path: str | Path,
                   guard_formulas: bool = True) -> tuple[int, int]:
    """Write ``(source, table)`` pairs as one CSV (UTF-8 with BOM), streaming, atomically.
    Returns (tables, projects) written; no project at all is an error and writes nothing."""
    columns = many_columns()
    n_tables = n_projects = 0
    with atomic_path(path) as tmp:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([*MANY_LEADING, *(c.label for c in columns)])
            for source, table in tables:
                n_tables += 1
                department, source_text = ((csv_text(table.department), csv_text(source))
                                           if guard_formulas else (table.department, source))
                lead = [table.year, department, table.money_unit.value, source_text]
                for project in table.projects:
                    writer.writerow([*lead, *project_cells(project, columns, guard_formulas)])
                n_projects += len(table.projects)
        if not n_projects:
            raise OutputError("表中没有项目，无法导出", "the tables have no projects; nothing to export")
    return n_tables, n_projects
