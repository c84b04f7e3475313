"""Read a 附件2-3 table from an XLSX workbook as departments really fill it in.

openpyxl opens the workbook with ``read_only=False`` because only then are merged ranges
visible; ``data_only=True`` gives the values a spreadsheet program last calculated for
formulas. Before openpyxl sees the file, :func:`check_zip` reads the zip directory and
refuses a workbook whose declared uncompressed size or compression ratio is past the
limits (a zip bomb), so memory stays bounded. Each sheet becomes a grid of text cells
(numbers rendered through their number format: ``0.9974`` with ``0.00%`` → ``99.74%``)
and :mod:`jixiao.formats.disclosure_grid` does the rest. The first sheet holding the
header is read; other non-empty sheets are named in the report.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from .disclosure_grid import Grid, GridCell, find_header, read_grid
from .import_result import ImportResult

if TYPE_CHECKING:  # pragma: no cover
    from .importer import Deadline, ImportLimits

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def check_zip(path: Path, limits: "ImportLimits", source: str) -> None:
    """Refuse a zip bomb from the zip directory alone (declared sizes), before any inflate."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError("XLSX 文件已损坏或不完整（无法读取 ZIP 目录）",
                         f"the XLSX file is damaged or truncated (cannot read the zip directory: {exc})",
                         source=source) from None
    total = sum(i.file_size for i in infos)
    if total > limits.max_xlsx_uncompressed_bytes:
        raise InputError(
            f"XLSX 解压后过大（{total} 字节，上限 {limits.max_xlsx_uncompressed_bytes}），可能是压缩炸弹",
            f"the XLSX would expand to {total} bytes (limit {limits.max_xlsx_uncompressed_bytes}); "
            "possibly a zip bomb", source=source)
    for info in infos:
        if info.file_size < limits.ratio_check_min_bytes:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise InputError(
                f"XLSX 中 {info.filename} 的压缩比 {ratio:.0f}:1 超过上限 {limits.max_compression_ratio:g}:1，可能是压缩炸弹",
                f"{info.filename} in the XLSX is compressed {ratio:.0f}:1, past the limit "
                f"{limits.max_compression_ratio:g}:1; possibly a zip bomb", source=source)


def _declared_cells(path: Path) -> int:
    """Largest sheet size from the ``<dimension ref="A1:AB40">`` each sheet XML starts with."""
    biggest = 0
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with zf.open(name) as fh:
                head = fh.read(4096)
            m = _DIMENSION.search(head)
            if m and m.group(3):
                rows = int(m.group(4)) - int(m.group(2)) + 1
                cols = _col_number(m.group(3).decode()) - _col_number(m.group(1).decode()) + 1
                biggest = max(biggest, rows * cols)
    return biggest


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def read_xlsx(path: str | Path, limits: "ImportLimits", deadline: "Deadline", source: str | None = None) -> ImportResult:
    import openpyxl

    path = Path(path)
    source = source or str(path)
    check_zip(path, limits, source)
    declared = _declared_cells(path)
    if declared > limits.max_cells:
        raise InputError(f"工作表过大（{declared} 个单元格，上限 {limits.max_cells}）",
                         f"worksheet too large ({declared} cells, limit {limits.max_cells})", source=source)
    try:
        # A file object, not the path: openpyxl refuses paths not ending in .xlsx, and
        # detection is by content (an upload may be named anything).
        with path.open("rb") as fh:
            wb = openpyxl.load_workbook(fh, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, XML errors)
        raise InputError("无法读取 XLSX 文件（文件损坏或不是 Excel 工作簿）",
                         f"cannot read the XLSX file (damaged, or not an Excel workbook: {type(exc).__name__})",
                         source=source) from None
    deadline.check(source)
    report: list[str] = []
    chosen = None
    others: list[str] = []
    for ws in wb.worksheets:
        cells = ws.max_row * ws.max_column
        if cells > limits.max_cells:
            raise InputError(f"工作表“{ws.title}”过大（{cells} 个单元格，上限 {limits.max_cells}）",
                             f"worksheet {ws.title!r} too large ({cells} cells, limit {limits.max_cells})",
                             source=source)
        if chosen is None:
            grid = sheet_grid(ws)
            deadline.check(source)
            if find_header(grid) is not None:
                chosen = (ws.title, grid)
                continue
        if _has_content(ws):
            others.append(ws.title)
    wb.close()
    if chosen is None:
        raise InputError(
            "工作簿中没有预算项目绩效自评表（找不到“序号”“项目名称”表头）——这可能是另一种表格",
            "no sheet holds a 附件2-3 table (no header with 序号 and 项目名称); this looks like a different table",
            source=source)
    for title in others:
        report.append(f"工作表“{title}”未导入（只导入“{chosen[0]}”） / sheet {title!r} ignored "
                      f"(only {chosen[0]!r} was imported)")
    return read_grid(chosen[1], [], kind="xlsx", source=source, joiner="", report=report)


def _has_content(ws) -> bool:
    return any(v not in (None, "") for row in ws.iter_rows(values_only=True) for v in row)


def sheet_grid(ws) -> Grid:
    """The sheet as text cells; every cell of a merged range carries the top-left's text."""
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        top = (rng.min_row - 1, rng.min_col - 1)
        for r in range(rng.min_row - 1, rng.max_row):
            for c in range(rng.min_col - 1, rng.max_col):
                origin[(r, c)] = top
    rows = [[cell_text(cell) for cell in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row,
                                                                      max_col=ws.max_column)]
    grid: Grid = []
    for r, row in enumerate(rows):
        out = []
        for c, _ in enumerate(row):
            o = origin.get((r, c), (r, c))
            out.append(GridCell(rows[o[0]][o[1]], o))
        grid.append(out)
    return grid


_DECIMALS = re.compile(r"0\.(0+)")


def cell_text(cell) -> str:
    """A cell's value as the sheet shows it (numbers through their number format)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        return format_number(value, cell.number_format or "General")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def format_number(value: int | float | Decimal, number_format: str) -> str:
    """Render like a spreadsheet: ``0.9974`` + ``0.00%`` → ``99.74%``; ``3.8`` + ``0.00`` → ``3.80``.

    Floats go through ``repr`` (the shortest text that reads back the same), never through
    binary arithmetic, so 3.8 stays 3.8.
    """
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    fmt = number_format.split(";")[0]
    m = _DECIMALS.search(fmt)
    places = len(m.group(1)) if m else None
    if "%" in fmt:
        d = d * 100
        places = places or 0
        return f"{d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"
    if places is not None:
        return str(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    if fmt in ("0", "#,##0") or d == d.to_integral_value():
        return str(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return format(d.normalize(), "f")
