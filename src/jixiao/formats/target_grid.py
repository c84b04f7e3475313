"""The 项目支出绩效目标表 laid out as a grid of cells: what the XLSX and the PDF both print.

Why one grid: as for the MoF self-evaluation form (:mod:`.mof_grid`), the spreadsheet and the
PDF must not drift apart, so both render these cells with their spans and roles. The layout is
the MoF template's as regional forms print it (tests/fidelity/targets, docs/targets.md): 项目名称;
主管部门 and 实施单位; 项目资金 with 年度资金总额, 其中：财政拨款, 其他资金; 年度总体目标; then one row
per 三级 indicator under 一级指标 · 二级指标 · 三级指标 · 指标性质 · 指标值 · 度量单位 · 分值 ·
指标值设定依据 · 上年实际完成值, the 一级 and 二级 labels spanning their rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..core.target_sheet import BASIS_NAMES, NATURE_SYMBOLS, TargetProject, TargetSheet
from ..core.taxonomy import KIND_BY_KEY
from ..errors import InputError
from .mof_grid import FormCell

HEADERS: tuple[str, ...] = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值",
                            "指标值设定依据", "上年实际完成值")
N_COLS = len(HEADERS)
COLUMN_WIDTHS: tuple[float, ...] = (9, 11, 18, 8, 12, 8, 6, 13, 12)
TITLE = "项目支出绩效目标表"


@dataclass
class TargetForm:
    """One project's form laid out."""

    project: TargetProject
    title: str
    subtitle: str
    sheet_name: str
    cells: list[FormCell] = field(default_factory=list)
    n_rows: int = 0
    indicator_header_row: int = 0
    notes: list[str] = field(default_factory=list)


def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, none of []:*?/\\), unique in the workbook."""
    base = "".join("_" if c in "[]:*?/\\" else c for c in name.strip()).strip("'") or "项目"
    base = base[:28]
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base[:26]}({n})"
        n += 1
    taken.add(candidate)
    return candidate


def amount_text(v: Decimal | None) -> str:
    return "" if v is None else f"{v:f}"


def build_form(sheet: TargetSheet, project: TargetProject, taken: set[str]) -> TargetForm:
    form = TargetForm(project, TITLE, f"（{sheet.year}年度）", sheet_name(project.name, taken))
    cells = form.cells

    def put(row, col, value, role="text", rowspan=1, colspan=1):
        cells.append(FormCell(row, col, value, role, rowspan, colspan))

    put(0, 0, "项目名称", "label", colspan=2)
    put(0, 2, project.name, colspan=7)
    put(1, 0, "主管部门", "label", colspan=2)
    put(1, 2, project.department, colspan=2)
    put(1, 4, "实施单位", "label", colspan=2)
    put(1, 6, project.unit, colspan=3)
    put(2, 0, f"项目资金（{sheet.money_unit}）", "label", rowspan=3, colspan=2)
    for i, (label, value) in enumerate((("年度资金总额", project.shown_total), ("其中：财政拨款", project.fiscal),
                                        ("其他资金", project.other))):
        put(2 + i, 2, label, "label", colspan=2)
        put(2 + i, 4, amount_text(value), "center", colspan=5)
    put(5, 0, "年度总体目标", "label", colspan=2)
    put(5, 2, project.goal, colspan=7)
    header = 6
    for col, text in enumerate(HEADERS):
        put(header, col, text, "header")
    row = header + 1
    inds = project.indicators  # in the project's order: a form read back keeps it
    for start, end in _runs(inds, lambda i: i.category.key):
        put(row + start, 0, inds[start].category.name, "label", rowspan=end - start)
    for start, end in _runs(inds, lambda i: (i.category.key, i.kind)):
        put(row + start, 1, KIND_BY_KEY[inds[start].kind].name, "label", rowspan=end - start)
    for j, ind in enumerate(inds):
        r = row + j
        put(r, 2, ind.name)
        put(r, 3, NATURE_SYMBOLS.get(ind.nature or "", ""), "center")
        put(r, 4, ind.value, "center")
        put(r, 5, ind.unit, "center")
        put(r, 6, amount_text(ind.weight), "center")
        put(r, 7, BASIS_NAMES.get(ind.basis or "", ""), "center")
        put(r, 8, ind.last_actual, "center")
    row += len(inds)
    form.n_rows = row
    form.indicator_header_row = header
    return form


def _runs(items: list, key) -> list[tuple[int, int]]:
    """[start, end) of each run of consecutive items with the same key."""
    runs: list[tuple[int, int]] = []
    for i, item in enumerate(items):
        if runs and key(items[runs[-1][0]]) == key(item):
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def build_forms(sheet: TargetSheet) -> list[TargetForm]:
    """One form per project (an empty sheet cannot be printed: InputError)."""
    if not sheet.projects:
        raise InputError("绩效目标表没有项目，无法导出", "the targets sheet has no projects: nothing to export")
    taken: set[str] = set()
    return [build_form(sheet, p, taken) for p in sheet.projects]
