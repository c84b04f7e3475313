"""Read a 附件2-3 table from an XLSX workbook as departments really fill it in.

openpyxl opens the workbook with ``read_only=False`` because only then are merged ranges
visible; ``data_only=True`` gives the values a spreadsheet program last calculated for
formulas. openpyxl expands every merged range into cells and believes the sheet, so before
it sees the file :func:`check_zip` refuses a workbook past the limits from the zip directory
(declared sizes, ratios) and from every entry inflated as a stream — its real size, the whole
zip's ratio, the number of worksheets and, scanned by expat on the way, each sheet's
``<dimension>``, merged ranges and cell extent — so memory stays bounded (the child process
of :mod:`jixiao.formats.sandbox` bounds it again). Each sheet becomes a grid of text cells
(numbers rendered through their number format: ``0.9974`` with ``0.00%`` → ``99.74%``)
and :mod:`jixiao.formats.disclosure_grid` does the rest. The first sheet holding the
header is read; other non-empty sheets are named in the report.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
import zlib
from xml.parsers import expat
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from .disclosure_grid import Grid, GridCell, find_header, read_grid
from .import_result import ImportResult

if TYPE_CHECKING:  # pragma: no cover
    from .importer import Deadline, ImportLimits

def _damaged(source: str, detail: str) -> InputError:
    return InputError("XLSX 文件已损坏或不完整", f"the XLSX file is damaged or truncated ({detail})", source=source)


def check_zip(path: Path, limits: "ImportLimits", source: str, deadline: "Deadline | None" = None) -> None:
    """Refuse a zip bomb and a sheet openpyxl would blow up, before openpyxl opens the file.

    From the zip directory: the declared total size and each large entry's compression ratio.
    Then every entry is inflated as a stream (64 KB at a time, nothing kept) counting what it
    really expands to — the total and the whole zip's ratio, so that many small entries cannot
    add up — and each worksheet's XML is scanned on that stream by :class:`_SheetScan`: its
    ``<dimension>``, its merged ranges and the extent of its cells, all bounded before openpyxl
    would expand them. The number of worksheets is bounded too."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_directory(infos, limits, source)
            sheets = [i for i in infos if _is_sheet(i.filename)]
            if len(sheets) > limits.max_sheets:
                raise InputError(f"工作簿的工作表过多（{len(sheets)} 个，上限 {limits.max_sheets}）",
                                 f"too many worksheets ({len(sheets)}, limit max_sheets {limits.max_sheets})",
                                 source=source)
            inflated = 0
            compressed = sum(i.compress_size for i in infos)
            book = _BookCount()
            for info in infos:
                if deadline is not None:
                    deadline.check(source)
                scan = _SheetScan(info.filename, limits, source, book) if _is_sheet(info.filename) else None
                with zf.open(info) as fh:
                    while chunk := fh.read(65536):
                        inflated += len(chunk)
                        if inflated > limits.max_xlsx_uncompressed_bytes:
                            raise _too_big(inflated, limits, source)
                        if scan is not None:
                            scan.feed(chunk)
                if scan is not None:
                    scan.close()
            if inflated >= limits.ratio_check_min_bytes and inflated / max(compressed, 1) > limits.max_compression_ratio:
                ratio = inflated / max(compressed, 1)
                raise InputError(
                    f"XLSX 整体压缩比 {ratio:.0f}:1 超过上限 {limits.max_compression_ratio:g}:1，可能是压缩炸弹",
                    f"the XLSX as a whole is compressed {ratio:.0f}:1, past the limit "
                    f"{limits.max_compression_ratio:g}:1; possibly a zip bomb", source=source)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted entry; NotImplementedError: an unknown compression method.
        raise _damaged(source, f"{type(exc).__name__}: {str(exc)[:200]}") from None


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _too_big(total: int, limits: "ImportLimits", source: str) -> InputError:
    return InputError(
        f"XLSX 解压后过大（{total} 字节，上限 {limits.max_xlsx_uncompressed_bytes}），可能是压缩炸弹",
        f"the XLSX would expand to {total} bytes (limit {limits.max_xlsx_uncompressed_bytes}); "
        "possibly a zip bomb", source=source)


def _check_directory(infos, limits: "ImportLimits", source: str) -> None:
    total = sum(i.file_size for i in infos)
    if total > limits.max_xlsx_uncompressed_bytes:
        raise _too_big(total, limits, source)
    for info in infos:
        if info.file_size < limits.ratio_check_min_bytes:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise InputError(
                f"XLSX 中 {info.filename} 的压缩比 {ratio:.0f}:1 超过上限 {limits.max_compression_ratio:g}:1，可能是压缩炸弹",
                f"{info.filename} in the XLSX is compressed {ratio:.0f}:1, past the limit "
                f"{limits.max_compression_ratio:g}:1; possibly a zip bomb", source=source)


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cell_ref(ref: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of ``"AB12"``; None if it is not a cell reference."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)), _col_number(m.group(1).upper())


def _range_cells(ref: str) -> int | None:
    """Cells of ``"A1:XFD1048576"`` (1 for a single cell); None if unreadable."""
    parts = ref.strip().split(":")
    if len(parts) > 2:
        return None
    corners = [_cell_ref(p) for p in parts]
    if any(c is None for c in corners):
        return None
    (r1, c1), (r2, c2) = corners[0], corners[-1]
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


class _BookCount:
    """What openpyxl would hold for the whole workbook (it loads every sheet): the cells of
    every sheet's extent, and every merged cell (each becomes an object)."""

    def __init__(self):
        self.extent = 0  # sum of the finished sheets' rows × columns
        self.merged_cells = 0


class _SheetScan:
    """A worksheet's XML read by expat as it inflates (no tree is built): refuses a sheet whose
    ``<dimension>``, merged ranges or cell extent is past the limits — the extent and the
    merged cells counted for the whole workbook — and any DTD or entity."""

    def __init__(self, name: str, limits: "ImportLimits", source: str, book: _BookCount | None = None):
        self.name, self.limits, self.source = name, limits, source
        self.book = book or _BookCount()
        self.merges = 0
        self.max_row = 0
        self.max_col = 0
        self.row = 0
        self.col = 0
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.StartDoctypeDeclHandler = self._dtd
        self.parser.EntityDeclHandler = self._dtd

    @property
    def title(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    def feed(self, data: bytes) -> None:
        try:
            self.parser.Parse(data, False)
        except expat.ExpatError as exc:
            raise _damaged(self.source, f"{self.name}: {exc}") from None

    def close(self) -> None:
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _damaged(self.source, f"{self.name}: {exc}") from None
        self.book.extent += self.max_row * self.max_col

    def _reach(self, row: int, col: int) -> None:
        if row > self.max_row or col > self.max_col:
            self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, col)
            extent = self.book.extent + self.max_row * self.max_col
            if extent > self.limits.max_cells:
                raise self._too_large("的单元格范围（行 × 列，整个工作簿）",
                                      "the extent of its cells (rows × columns, whole workbook)",
                                      extent, self.limits.max_cells, "max_cells")

    def _dtd(self, *args) -> None:
        raise InputError(f"XLSX 的 {self.name} 含有文档类型或实体定义（Excel 从不写入，可能是恶意文件）",
                         f"{self.name} in the XLSX declares a DTD or entities (Excel never writes them; "
                         "possibly a hostile file)", source=self.source)

    def _too_large(self, what_zh: str, what_en: str, n: int, limit: int, setting: str) -> InputError:
        return InputError(f"工作表 {self.title} {what_zh}过大（{n}，上限 {limit}）",
                          f"worksheet {self.title}: {what_en} too large ({n}, limit {setting} {limit})",
                          source=self.source)

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "c":
            at = _cell_ref(attrs.get("r", ""))
            if at is None:
                self.col += 1
                at = (self.row, self.col)
            self.row, self.col = at
            self._reach(*at)
        elif tag == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() and len(r) <= 7 else self.row + 1
            self.col = 0
        elif tag == "mergeCell":
            self.merges += 1
            if self.merges > self.limits.max_merged_ranges:
                raise self._too_large("的合并单元格区域数", "merged ranges", self.merges,
                                      self.limits.max_merged_ranges, "max_merged_ranges")
            ref = attrs.get("ref", "")
            cells = _range_cells(ref)
            if cells is None:
                raise _damaged(self.source, f"{self.name}: merged range {ref[:40]!r}")
            self.book.merged_cells += cells
            if self.book.merged_cells > self.limits.max_cells:
                raise self._too_large("的合并单元格（整个工作簿）", "merged cells (whole workbook)",
                                      self.book.merged_cells, self.limits.max_cells, "max_cells")
            corner = _cell_ref(ref.split(":")[-1])
            if corner:
                self._reach(*corner)  # openpyxl gives every merged cell a place in the sheet
        elif tag == "dimension":
            cells = _range_cells(attrs.get("ref", ""))
            if cells is not None and cells > self.limits.max_cells:
                raise self._too_large("（按其 <dimension>）", "by its <dimension>", cells,
                                      self.limits.max_cells, "max_cells")


def read_xlsx(path: str | Path, limits: "ImportLimits", deadline: "Deadline", source: str | None = None,
              checked: bool = False) -> ImportResult:
    """``checked``: :func:`check_zip` has passed already (the importer runs it first)."""
    import openpyxl

    path = Path(path)
    source = source or str(path)
    if not checked:
        check_zip(path, limits, source, deadline)
    try:
        # A file object, not the path: openpyxl refuses paths not ending in .xlsx, and
        # detection is by content (an upload may be named anything).
        with path.open("rb") as fh:
            wb = openpyxl.load_workbook(fh, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, XML errors)
        from .sandbox import out_of_memory

        if out_of_memory(exc):
            raise MemoryError from exc  # the limit, not a damaged file: the sandbox names it
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
        # Only the part inside the sheet's cells matters (and is all that fits in the grid).
        for r in range(rng.min_row - 1, min(rng.max_row, ws.max_row)):
            for c in range(rng.min_col - 1, min(rng.max_col, ws.max_column)):
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
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # inf/nan cannot be a spreadsheet value, but a file may say so
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not d.is_finite() or abs(d.adjusted()) > 30:
        return str(d)  # 1e27, 1E-300: shown as written; the amount check says what is wrong
    with localcontext(prec=80):  # 1e27 with 2 places is 30 digits, past the default 28
        return _formatted(d, number_format)


def _formatted(d: Decimal, number_format: str) -> str:
    fmt = number_format.split(";")[0]
    m = _DECIMALS.search(fmt)
    places = min(len(m.group(1)), 30) if m else None
    if "%" in fmt:
        d = d * 100
        places = places or 0
        return f"{d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"
    if places is not None:
        return str(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    if fmt in ("0", "#,##0") or d == d.to_integral_value():
        return str(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return format(d.normalize(), "f")
