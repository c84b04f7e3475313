"""Cell-by-cell comparison of two tables, shared by the importer tests.

Every printed cell of the 附件2-3 table is one entry; an indicator cell that is blank on
both sides counts as absent (blank and missing mean the same). The title is compared as
printed (``display_title``), the rate as printed (``headers.rate_text``).
"""

from __future__ import annotations

from jixiao.core.model import AMOUNT_FIELDS, Table
from jixiao.formats.headers import rate_text

TEXT = ("unit_name", "name", "gov_investment", "annual_goal", "overall_completion", "problems", "rectification")


def table_cells(table: Table) -> dict[str, object]:
    cells: dict[str, object] = {
        "title": table.display_title, "year": table.year, "department": table.department,
        "money_unit": table.money_unit.value, "layout": table.layout,
    }
    for i, p in enumerate(table.projects):
        cells[f"projects[{i}].seq"] = p.seq
        for f in TEXT + AMOUNT_FIELDS:
            cells[f"projects[{i}].{f}"] = getattr(p, f)
        cells[f"projects[{i}].execution_rate"] = rate_text(p)
        for key, cell in p.indicators.items():
            if cell.target or cell.actual:
                cells[f"projects[{i}].indicators.{key}.target"] = cell.target
                cells[f"projects[{i}].indicators.{key}.actual"] = cell.actual
    return cells


def compare(got: Table, expected: Table) -> tuple[float, list[str]]:
    """(share of cells exact, the differing cells described)."""
    a, b = table_cells(got), table_cells(expected)
    keys = sorted(set(a) | set(b))
    bad = [f"{k}: got {a.get(k)!r}, expected {b.get(k)!r}" for k in keys if a.get(k) != b.get(k)]
    return (len(keys) - len(bad)) / len(keys), bad
