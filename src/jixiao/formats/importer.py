"""Import a disclosure table — or a 绩效目标表 — from a file of any supported kind, detected by content.

Detection looks at the bytes, never at the file name: ``PK`` + ``xl/workbook.xml`` in the
zip → XLSX; ``%PDF`` → PDF; text that parses as a JSON object → table JSON; other UTF-8 (or
GB 18030) text → the pdftotext-form text importer. An XLSX, PDF or text whose labels are
those of the MoF 项目支出绩效自评表 (项目名称, 主管部门/实施单位, 三级指标…) goes to
:mod:`.mof_read` (text: :mod:`.mof_text`) instead of the 附件2-3 readers. Everything is bounded by
:class:`ImportLimits` (file size, XLSX expansion, pages, cells, time), checked as early as
possible — the file size before a byte is read, a zip bomb from the zip directory before
anything is inflated. Any unusable input raises :class:`~jixiao.errors.InputError` with a
Chinese and an English message.

A 项目支出绩效目标表 is told here too (:func:`read_file`), after the same checks and by the
same opened file: an XLSX whose first sheet, a PDF whose first page, a text whose first lines
say 绩效目标 and not 自评. So one bounded child process (:mod:`.sandbox`) both tells what a file
is and reads it.
"""

from __future__ import annotations

import codecs
import os
import time
import zipfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .import_result import ImportResult

if TYPE_CHECKING:
    from ..core.target_sheet import TargetSheet

MB = 1024 * 1024

# What a read looks for (read_file): the self-evaluation table, the 绩效目标表, or whichever the file is.
TABLE, TARGETS, EITHER = "table", "targets", "either"

# The operating-system limits of the child process that parses a file
# (jixiao.formats.sandbox); environment variables set their defaults (docs/import.md).
MEMORY_ENV = "JIXIAO_IMPORT_MEMORY_MB"
CPU_ENV = "JIXIAO_IMPORT_CPU_SECONDS"
WALL_ENV = "JIXIAO_IMPORT_WALL_SECONDS"
DEFAULT_MEMORY_MB = 1024
DEFAULT_CPU_SECONDS = 120
DEFAULT_WALL_SECONDS = 180.0


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise InputError(f"环境变量 {name} 应为正数：{raw!r}", f"environment variable {name} must be a positive number: {raw!r}")
    return value


@dataclass(frozen=True)
class ImportLimits:
    """Limits on what an import may cost. Defaults are documented in docs/import.md."""

    max_file_bytes: int = 50 * MB  # larger files are refused before reading
    max_xlsx_uncompressed_bytes: int = 500 * MB  # sum of the zip's entry sizes, declared and inflated
    max_compression_ratio: float = 100.0  # per zip entry and for the whole zip: uncompressed / compressed
    ratio_check_min_bytes: int = 1 * MB  # small entries (styles) may compress well; skip them
    max_sheets: int = 100  # XLSX worksheets
    max_merged_ranges: int = 10_000  # merged ranges of one XLSX sheet
    max_pages: int = 2000  # PDF pages
    max_pdf_stream_bytes: int = 128 * MB  # one PDF stream, inflated
    max_pdf_inflated_bytes: int = 512 * MB  # all PDF streams together, inflated
    max_page_glyphs: int = 50_000  # bytes of text one PDF page shows (≥ its glyphs)
    max_pdf_glyphs: int = 400_000  # bytes of text all pages show together (pages × characters)
    max_cells: int = 1_000_000  # XLSX cells of the workbook's sheets (rows × columns), and merged cells
    time_budget_seconds: float = field(default_factory=lambda: _env_number(WALL_ENV, DEFAULT_WALL_SECONDS))
    max_memory_bytes: int = field(default_factory=lambda: int(_env_number(MEMORY_ENV, DEFAULT_MEMORY_MB) * MB))
    max_cpu_seconds: int = field(default_factory=lambda: max(1, int(_env_number(CPU_ENV, DEFAULT_CPU_SECONDS))))
    max_result_bytes: int = 256 * MB  # the parsed table sent back by the child process

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportLimits":
        """Build from settings; unknown keys are refused (a typo must not pass silently)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(f"未知的导入限制设置：{', '.join(unknown)}",
                             f"unknown import limit setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        for key, value in data.items():
            if (isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0
                    or value == float("inf")):
                raise InputError(f"导入限制 {key} 应为正数", f"import limit {key} must be a positive number")
        return cls(**data)


class Deadline:
    """The time budget of one import; readers call :meth:`check` between steps."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self, source: str | None = None) -> None:
        if time.monotonic() > self.end:
            raise InputError(f"导入超时（超过 {self.seconds:g} 秒的时间限制）",
                             f"import took longer than the time budget of {self.seconds:g} s", source=source)


# Byte-order marks of the wide encodings (UTF-32 first: its little-endian mark starts with
# UTF-16's).
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def wide_encoding(head: bytes) -> str | None:
    """"utf-16" / "utf-32" (or their -le/-be forms without a mark) when the bytes are text in a
    wide encoding — a JSON file saved as "Unicode" by Notepad — else None."""
    for bom, name in _WIDE_BOMS:
        if head.startswith(bom):
            return name
    if len(head) >= 4 and head[0] and not head[1] and not head[2] and not head[3]:
        return "utf-32-le"
    if len(head) >= 4 and not head[0] and not head[1] and not head[2] and head[3]:
        return "utf-32-be"
    if len(head) >= 2 and head[0] and not head[1] and head[0] < 0x80:
        return "utf-16-le"
    if len(head) >= 2 and not head[0] and head[1] and head[1] < 0x80:
        return "utf-16-be"
    return None


def detect_kind(path: Path, head: bytes) -> str:
    """"xlsx" | "pdf" | "json" | "json-wide" | "text" | "xls" | "zip" | "empty" from the first bytes."""
    if not head:
        return "empty"
    wide = wide_encoding(head)
    if wide:
        text = head.decode(wide, errors="ignore").lstrip("\ufeff \t\r\n")
        return "json-wide" if text.startswith(("{", "[")) else "text"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                return "xlsx" if "xl/workbook.xml" in zf.namelist() else "zip"
        except (zipfile.BadZipFile, OSError):
            return "xlsx-damaged"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return "json"
    return "text"


def import_file(path: str | Path, limits: ImportLimits | None = None) -> ImportResult:
    """Read ``path`` (XLSX, PDF, table JSON or pdftotext-form text) into a table."""
    return read_file(path, limits, TABLE)


def read_file(path: str | Path, limits: ImportLimits | None = None, want: str = EITHER,
              source: str | None = None) -> "ImportResult | TargetSheet | None":
    """Read ``path`` as ``want`` says: ``TABLE`` — the table (:func:`import_file`); ``TARGETS`` — the
    绩效目标表 in an XLSX, PDF or text, None when the file is not one; ``EITHER`` — the 绩效目标表
    when the file is one, else the table. The checks before a reader runs are the same for all
    three (size, kind, zip bombs, a PDF's streams, pages and glyphs, the text's encoding).
    ``source`` names the file in messages (default: ``path``)."""
    limits = limits or ImportLimits()
    deadline = Deadline(limits.time_budget_seconds)
    p = Path(path)
    source = source or str(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise InputError("这是一个目录，不是文件", "is a directory, not a file", source=source)
    except FileNotFoundError:
        raise InputError("文件不存在", "file not found", source=source) from None
    if size > limits.max_file_bytes:
        raise InputError(f"文件过大（{size} 字节，上限 {limits.max_file_bytes} 字节）",
                         f"file too large ({size} bytes, limit {limits.max_file_bytes} bytes)", source=source)
    try:
        with p.open("rb") as fh:
            head = fh.read(1024)
    except PermissionError:
        raise InputError("没有读取权限", "permission denied", source=source) from None
    kind = detect_kind(p, head)
    if kind == "empty" or not head.strip():
        raise InputError("文件为空", "the file is empty", source=source)
    if kind == "xlsx-damaged":
        raise InputError("XLSX/ZIP 文件已损坏或不完整", "the XLSX/zip file is damaged or truncated", source=source)
    if kind == "zip":
        raise InputError("这是 ZIP 文件，但不是 XLSX 工作簿", "this is a zip file but not an XLSX workbook",
                         source=source)
    if kind == "json-wide":
        encoding = wide_encoding(head).split("-")[0].upper() + "-" + wide_encoding(head).split("-")[1]
        raise InputError(f"表格 JSON 应为 UTF-8 编码；此文件为 {encoding} 编码，请另存为 UTF-8",
                         f"table JSON must be UTF-8; this file is {encoding}: save it as UTF-8", source=source)
    if kind == "xls":
        raise InputError("不支持旧版 .xls 格式，请在 Excel/WPS 中另存为 .xlsx",
                         "the old .xls format is not supported; save it as .xlsx first", source=source)
    if kind == "xlsx":
        from . import mof_read
        from .xlsx_read import check_zip

        check_zip(p, limits, source, deadline)  # before anything reads a sheet: bombs refused cheaply
        if want != TABLE:
            from .targets_read import looks_like_targets_xlsx, read_targets_xlsx

            if looks_like_targets_xlsx(p):
                return read_targets_xlsx(p, source, checked=True)
            if want == TARGETS:
                return None
        if mof_read.is_mof_xlsx(p):  # a MoF 项目支出绩效自评表, not the 附件2-3 table
            return mof_read.read_mof_xlsx(p, limits, deadline, source=source)
        from .xlsx_read import read_xlsx

        return _checked(read_xlsx(p, limits, deadline, source=source, checked=True), source)
    if kind == "pdf":
        from . import mof_read
        from .pdf_scan import check_pdf

        check_pdf(p, limits, source)  # before any page is laid out: bombs refused cheaply
        deadline.check(source)
        if want != TABLE:
            from .targets_read import pdf_says_targets, read_targets_pdf

            if pdf_says_targets(p, source):
                return read_targets_pdf(p, source, checked=True)
            if want == TARGETS:
                return None
        if mof_read.is_mof_pdf(p):
            return mof_read.read_mof_pdf(p, limits, deadline, source=source)
        from .pdf_read import read_pdf

        return _checked(read_pdf(p, limits, deadline, source=source, checked=True), source)
    if kind == "json" and want == TARGETS:
        return None  # targets JSON is read as JSON (targets_json), not here
    data = p.read_bytes()
    if kind == "json":
        return _read_json(data, source)  # table_json.loads checks the bounds itself
    text = _decode(data, source)
    if want != TABLE:
        from .targets_text import looks_like_targets_text, read_targets_text

        if looks_like_targets_text(text):
            return read_targets_text(text, source)
        if want == TARGETS:
            return None
    return _checked(_read_text(text, source), source)


def _checked(result: ImportResult, source: str) -> ImportResult:
    """A reader's table within the bounds every way in shares (:mod:`jixiao.core.validation`).
    Amounts a spreadsheet stored as binary floats (``0.30000000000000004``) are rounded to the
    4 decimals the database keeps, each noted in the report; anything else out of bounds is
    an InputError naming the field."""
    from ..core import validation

    for path, old, new in validation.round_amounts(result.table):
        result.report.append(f"{path}：金额 {old} 保留 4 位小数为 {new} / amount {old} rounded to 4 decimals: {new}")
    validation.check_table(result.table, source)
    return result


def _read_json(data: bytes, source: str) -> ImportResult:
    """A file starting with ``{`` or ``[`` is table JSON: malformed JSON (truncated, trailing
    garbage, nested too deeply, not UTF-8) is reported as such, never read as text."""
    from . import table_json

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(f"表格 JSON 不是 UTF-8 编码（第 {exc.start} 字节无效）",
                             f"table JSON is not UTF-8 (invalid byte at {exc.start})", source=source) from None
        raise InputError("表格 JSON 应为 UTF-8 编码；此文件像是 GBK/GB 18030 编码，请另存为 UTF-8",
                         "table JSON must be UTF-8; this file looks like GBK/GB 18030: save it as UTF-8",
                         source=source) from None
    return ImportResult(table=table_json.loads(text, source=source), kind="json")


def _decode(data: bytes, source: str) -> str:
    wide = wide_encoding(data[:4])
    if wide in ("utf-16", "utf-32"):  # text saved as "Unicode", with its byte-order mark
        try:
            return data.decode(wide)
        except UnicodeDecodeError:
            raise InputError(f"文本不是有效的 {wide.upper()} 编码", f"text is not valid {wide.upper()}",
                             source=source) from None
    if b"\x00" in data:
        raise InputError("不是可识别的文件格式（不是 XLSX、PDF、表格 JSON 或文本）",
                         "not a recognised format (not XLSX, PDF, table JSON or text)", source=source)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("文本不是 UTF-8 或 GB18030 编码", "text is neither UTF-8 nor GB 18030", source=source)


def _read_text(text: str, source: str) -> ImportResult:
    from . import mof_read

    if mof_read.looks_like_mof(text):  # pdftotext of a MoF 项目支出绩效自评表
        from .mof_text import read_mof_text

        return read_mof_text(text, source=source)
    from .text_read import read_text  # imported when needed: most imports are XLSX or PDF

    return read_text(text, source=source)
