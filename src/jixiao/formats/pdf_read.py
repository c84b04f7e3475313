"""Read a 附件2-3 table from a text PDF (a published table, jixiao's export, LibreOffice's print).

pdfplumber finds each page's table from its ruling lines (the *lines* strategy) and gives
the box of every cell; a merged cell is one box spanning several grid columns or rows. Here
the boxes are laid on the grid of all distinct edges to recover each cell's row and column
span, every character is dropped into the cell under its centre (one pass per page, not one
scan per cell), and a cell's lines are joined **without** a space between CJK characters
(a space is kept only between two Latin letters or digits, where a wrap replaced one).
Tables continue across pages when they have the same columns; a header printed again on a
later page is dropped by :mod:`jixiao.formats.disclosure_grid`, which also reads the body.

Refused with a message (OCR is out of scope): pages whose text is ``(cid:…)`` glyph ids
with no Unicode mapping, and pages that are only images. Also refused: encrypted PDFs, a
file without the ``%%EOF`` trailer (truncated), and a second table with other columns.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING

from pdfplumber.utils import extract_text

from ..errors import InputError
from .disclosure_grid import Grid, GridCell, find_header, read_grid
from .import_result import ImportResult

if TYPE_CHECKING:  # pragma: no cover
    from .importer import Deadline, ImportLimits

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# Text tolerances relative to the font size: a space is inferred from a gap of 0.2 em
# (a word space is ~0.25–0.33 em), lines are told apart at 0.5 em.
TEXT_SETTINGS = {"x_tolerance_ratio": 0.2, "y_tolerance_ratio": 0.5}
EDGE_TOLERANCE = 1.5  # points: two cell edges closer than this are the same grid line


def _ocr_needed(source: str, page: int, why_zh: str, why_en: str) -> InputError:
    return InputError(f"第 {page} 页{why_zh}，需要先做文字识别（OCR）再导入",
                      f"page {page} {why_en}; it needs OCR before it can be imported", source=source)


def check_trailer(path: Path, source: str) -> None:
    """A complete PDF ends with ``%%EOF`` (possibly followed by a newline or a little junk)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise InputError("PDF 文件不完整（缺少文件结尾，可能下载或复制时被截断）",
                         "the PDF is incomplete (no %%EOF trailer; truncated while downloading or copying?)",
                         source=source)


def _open(path: Path, source: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds on damaged files; pdfplumber wraps them
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise InputError("PDF 已加密（需要密码），无法读取", "the PDF is encrypted (password protected)",
                             source=source) from None
        raise InputError("PDF 文件已损坏，无法解析", f"the PDF is damaged and cannot be parsed ({type(exc).__name__})",
                         source=source) from None


def read_pdf(path: str | Path, limits: "ImportLimits", deadline: "Deadline", source: str | None = None) -> ImportResult:
    path = Path(path)
    source = source or str(path)
    check_trailer(path, source)
    pdf = _open(path, source)
    try:
        try:
            pages = pdf.pages
        except Exception as exc:
            if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
                raise InputError("PDF 已加密（需要密码），无法读取", "the PDF is encrypted (password protected)",
                                 source=source) from None
            raise InputError("PDF 文件已损坏，无法解析",
                             f"the PDF is damaged and cannot be parsed ({type(exc).__name__})", source=source) from None
        if not pages:
            raise InputError("PDF 没有页面", "the PDF has no pages", source=source)
        if len(pages) > limits.max_pages:
            raise InputError(f"PDF 页数过多（{len(pages)} 页，上限 {limits.max_pages}）",
                             f"too many pages ({len(pages)}, limit {limits.max_pages})", source=source)
        return _read_pages(pages, deadline, source)
    finally:
        pdf.close()


def _read_pages(pages, deadline: "Deadline", source: str) -> ImportResult:
    grid: Grid = []
    preamble: list[str] = []
    columns: list[float] | None = None  # x edges of the disclosure table
    report: list[str] = []
    others: list[int] = []  # pages with a table before the disclosure table
    for number, raw in enumerate(pages, start=1):
        deadline.check(source)
        try:
            chars = dedupe_chars(raw.chars)
            _refuse_unreadable(raw, chars, number, source)
            tables = raw.find_tables(TABLE_SETTINGS)
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"第 {number} 页无法解析（PDF 损坏）",
                             f"page {number} cannot be parsed (damaged PDF: {type(exc).__name__})",
                             source=source) from None
        tables = [t for t in tables if len(t.cells) > 1]
        if columns is None and tables:
            preamble = _text_above(chars, tables[0].bbox[1])
        for t in tables:
            xs, ys, cells = _cell_grid(t)
            rows = _fill(xs, ys, cells, chars, row_offset=len(grid))
            if columns is None:
                header = find_header(_joined(rows))
                if header is None:
                    others.append(number)  # a table before ours: refused below if ours follows
                    continue
                columns = xs
                # Rows above the header (a title block drawn inside the frame) keep their
                # line breaks: each line is a title, stamp or unit line of its own.
                rows = rows[:header] + _joined(rows[header:])
            elif _same_columns(columns, xs):
                rows = _joined(rows)
            else:
                raise InputError(
                    f"第 {number} 页有另一张列结构不同的表格；一次只能导入一张自评表",
                    f"page {number} holds another table with different columns; import one table at a time",
                    source=source)
            grid.extend(rows)
        raw.close()  # drop pdfplumber's per-page caches: memory stays bounded by one page
    if columns is None:
        raise InputError(
            "PDF 中没有找到带表头（序号、项目名称）的表格线表格——这可能是另一种表格或纯文字",
            "no ruled table with a 附件2-3 header (序号, 项目名称) found in the PDF; a different table, or plain text",
            source=source)
    if others:
        raise InputError(f"第 {others[0]} 页有另一张表格（不是自评表）；一次只能导入一张自评表",
                         f"page {others[0]} holds another table (not the 附件2-3 table); import one table at a time",
                         source=source)
    return read_grid(grid, preamble, kind="pdf", source=source, joiner="", report=report)


def _refuse_unreadable(page, chars, number: int, source: str) -> None:
    if any(c["text"].startswith("(cid:") for c in chars):
        raise _ocr_needed(source, number, "的文字没有字符映射（显示为 (cid:…)）",
                          "has text without a character mapping (shown as (cid:…))")
    if not chars and page.images:
        raise _ocr_needed(source, number, "只有图像、没有文字", "holds only images, no text")


def _text_above(chars, top: float) -> list[str]:
    """Lines printed above the table: attachment label, title, stamp line, unit."""
    above = [c for c in chars if c["bottom"] <= top + 0.5]
    text = extract_text(above, **TEXT_SETTINGS)
    return [line for line in text.split("\n") if line.strip()]


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    """Index of the grid line nearest ``v``."""
    i = bisect_right(edges, v)
    if i > 0 and (i == len(edges) or v - edges[i - 1] <= edges[i] - v):
        return i - 1
    return i


def _cell_grid(table) -> tuple[list[float], list[float], list[tuple[int, int, int, int]]]:
    """Grid lines and each cell box as (row0, col0, row1, col1), end exclusive."""
    boxes = table.cells
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    cells = []
    for x0, top, x1, bottom in boxes:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 > c0 and r1 > r0:
            cells.append((r0, c0, r1, c1))
    return xs, ys, cells


def _fill(xs, ys, cells, chars, row_offset: int) -> Grid:
    nrows, ncols = len(ys) - 1, len(xs) - 1
    owner: list[list[tuple[int, int] | None]] = [[None] * ncols for _ in range(nrows)]
    for r0, c0, r1, c1 in cells:
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[r][c] = (r0, c0)
    buckets: dict[tuple[int, int], list[dict]] = {}
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        if not (x_lo < cx < x_hi and y_lo < cy < y_hi):
            continue
        r = bisect_right(ys, cy) - 1
        c = bisect_right(xs, cx) - 1
        o = owner[r][c] or (r, c)
        buckets.setdefault(o, []).append(ch)
    texts = {o: extract_text(chs, **TEXT_SETTINGS) for o, chs in buckets.items()}
    grid: Grid = []
    for r in range(nrows):
        row = []
        for c in range(ncols):
            o = owner[r][c] or (r, c)
            row.append(GridCell(texts.get(o, ""), (o[0] + row_offset, o[1])))
        grid.append(row)
    return grid


def _joined(rows: Grid) -> Grid:
    return [[GridCell(join_lines(c.text), c.origin) for c in row] for row in rows]


def dedupe_chars(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """Drop a glyph drawn again on top of itself (fake bold, some exporters' doubled text).

    Same effect as pdfplumber's ``Page.dedupe_chars()`` (same text and font, position within
    ``tolerance`` points) in one pass over a hash of positions, which keeps big pages fast.
    """
    kept: list[dict] = []
    seen: dict[tuple, list[dict]] = {}
    for ch in chars:
        key = (ch["text"], ch.get("fontname"), round(ch.get("size", 0), 1))
        gx, gy = int(ch["x0"] // tolerance), int(ch["top"] // tolerance)
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in seen.get((*key, gx + dx, gy + dy), ()):
                    if abs(other["x0"] - ch["x0"]) <= tolerance and abs(other["top"] - ch["top"]) <= tolerance:
                        duplicate = True
                        break
        if not duplicate:
            kept.append(ch)
            seen.setdefault((*key, gx, gy), []).append(ch)
    return kept


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_lines(text: str) -> str:
    """A cell's wrapped lines joined: no space unless a Latin word was wrapped."""
    lines = [line.strip() for line in text.split("\n")]
    out = ""
    for line in lines:
        if not line:
            continue
        if out and _is_word_char(out[-1]) and _is_word_char(line[0]):
            out += " "
        out += line
    return out


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3 * EDGE_TOLERANCE for x, y in zip(a, b))
