"""A table whose every text starts like a spreadsheet formula, and readers that say whether any
cell of an exported XLSX or CSV would run as one. Shared by the format, command and web tests."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from jixiao.core.model import IndicatorCell, ScoreOverride, Table
from jixiao.core.taxonomy import FULL
from jixiao.formats.formula_guard import is_formula_like, is_plain_number

# Every start in the guarded set, ASCII and full-width, plus the evasions (tab, space first).
STARTS = ('=HYPERLINK("http://example.com/x","点此")', "=1+1", "+1+1", "-2+3", "@SUM(1)",
          "＝1+1", "＋1+1", "－2+3", "＠SUM(1)", "\t=1+1", " =1+1", "\r=1+1")


def hostile(i: int, text: str = "") -> str:
    return STARTS[i % len(STARTS)] + text


def hostile_table(seed: Table) -> Table:
    """The seed with every text field (header lines, names, cells, printed rates) formula-like."""
    projects = []
    n = 0
    for p in seed.projects:
        def h(text=""):
            nonlocal n
            n += 1
            return hostile(n, text)
        cells = {k: IndicatorCell(h(), h()) for k in FULL}
        projects.append(replace(
            p, unit_name=h(p.unit_name), name=h(p.name), execution_rate_text=STARTS[n % 5 + 1],
            annual_goal=h(p.annual_goal), overall_completion=h(), problems=h(), rectification=h(),
            indicators=cells, overrides=[ScoreOverride(item="execution", score=Decimal("5"), reason=h("理由"))]))
        n += 1
    return replace(seed, attachment=hostile(1, "附件2-3"), title=hostile(0, "标题"),
                   department=hostile(0, seed.department), department_short=hostile(3),
                   columns_note=hostile(4), layout=FULL, projects=projects)


def live_csv_cells(data: bytes | str) -> list[str]:
    """The cells of a CSV that a spreadsheet would read as a formula (a guarded cell starts
    with an apostrophe; a plain number such as -3.00 is a number)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    return [c for row in csv.reader(io.StringIO(text)) for c in row
            if is_formula_like(c) and not is_plain_number(c)]


def formula_cells(path_or_bytes: Path | bytes) -> list[str]:
    """Every formula cell of every sheet of an XLSX (openpyxl's data_type 'f')."""
    import openpyxl

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = openpyxl.load_workbook(source)
    found = [f"{ws.title}!{c.coordinate}={c.value!r}" for ws in wb.worksheets
             for row in ws.iter_rows() for c in row if c.data_type == "f"]
    return found


def string_cells(path_or_bytes: Path | bytes) -> list[str]:
    """The text of every string cell of every sheet (to check the hostile texts are there)."""
    import openpyxl

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = openpyxl.load_workbook(source)
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "s"]
