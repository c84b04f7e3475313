"""Read a 附件2-3 table from a text PDF (a published table, jixiao's export, LibreOffice's print).

pdfplumber finds each page's table from its ruling lines (the *lines* strategy) and gives
the box of every cell; a merged cell is one box spanning several grid columns or rows. Here
the boxes are laid on the grid of all distinct edges to recover each cell's row and column
span, every character is dropped into the cell under its centre (one pass per page, not one
scan per cell), and a cell's lines are joined **without** a space — CJK text breaks between
any two characters — unless the glyph positions show the line was wrapped at a space
(:func:`spaced_breaks`: Latin on both sides, and the line ended early because the next
word did not fit; a long word broken at the cell edge stays joined).
Tables continue across pages when they have the same columns; a header printed again on a
later page is dropped by :mod:`jixiao.formats.disclosure_grid`, which also reads the body.

Refused with a message (OCR is out of scope): pages whose text is ``(cid:…)`` glyph ids
with no Unicode mapping, and pages that are only images. Also refused: encrypted PDFs, a
file without the ``%%EOF`` trailer (truncated), and a second table with other columns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pdfplumber.utils import cluster_objects, extract_text
from pdfplumber.utils.text import WordExtractor

from ..errors import InputError
from .disclosure_grid import Grid, GridCell, find_header, read_grid
from .import_result import ImportResult
from .pdf_scan import check_glyphs, check_streams

if TYPE_CHECKING:  # pragma: no cover
    from .importer import Deadline, ImportLimits

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# Text tolerances relative to the font size: a space is inferred from a gap of 0.2 em
# (a word space is ~0.25–0.33 em), lines are told apart at 0.5 em.
TEXT_SETTINGS = {"x_tolerance_ratio": 0.2, "y_tolerance_ratio": 0.5}
EDGE_TOLERANCE = 1.5  # points: two cell edges closer than this are the same grid line
# A glyph drawn again within this share of its font size of itself is a duplicate (fake
# bold offsets by a few hundredths of an em; the narrowest glyphs, l i . ,, advance ~0.2 em).
DEDUPE_EM = 0.15
# pdfplumber's extract_text clusters words into lines with its default 3-point tolerance
# (the ratio settings above apply to words only); cell lines are clustered the same way.
LINE_TOLERANCE = 3
# Measuring slack for "did it fit?", in em of the font size: glyph positions are exact to
# ~0.01 pt, the right padding is taken equal to the left one (true of all three engines).
FIT_TOLERANCE = 0.02
# Points: lines whose left ends are this close start at the same x (a left-aligned cell).
ALIGN_TOLERANCE = 0.5
# Space width assumed when the cell shows no gap between two words to measure one: the
# smallest gap pdfplumber itself reads as a space (x_tolerance_ratio).
SPACE_EM = 0.2


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
        _reraise_memory(exc)
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise InputError("PDF 已加密（需要密码），无法读取", "the PDF is encrypted (password protected)",
                             source=source) from None
        raise InputError("PDF 文件已损坏，无法解析", f"the PDF is damaged and cannot be parsed ({type(exc).__name__})",
                         source=source) from None


def read_pdf(path: str | Path, limits: "ImportLimits", deadline: "Deadline", source: str | None = None,
             checked: bool = False) -> ImportResult:
    """``checked``: :func:`jixiao.formats.pdf_scan.check_pdf` has passed already (the importer
    runs it first)."""
    path = Path(path)
    source = source or str(path)
    check_trailer(path, source)
    if not checked:
        check_streams(path.read_bytes(), limits, source)  # the file is at most max_file_bytes
    deadline.check(source)
    pdf = _open(path, source)
    try:
        try:
            pages = pdf.pages
        except Exception as exc:
            _reraise_memory(exc)
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
        if not checked:
            try:
                check_glyphs(pages, limits, source)
            except InputError:
                raise
            except Exception as exc:
                _reraise_memory(exc)
                raise InputError("PDF 文件已损坏，无法解析",
                                 f"the PDF is damaged and cannot be parsed ({type(exc).__name__})",
                                 source=source) from None
        deadline.check(source)
        return _read_pages(pages, deadline, source)
    finally:
        pdf.close()


def _read_pages(pages, deadline: "Deadline", source: str) -> ImportResult:
    grid: Grid = []
    preamble: list[str] = []
    columns: list[float] | None = None  # x edges of the disclosure table
    report: list[str] = []
    others: list[int] = []  # pages with a table before the disclosure table
    spaces: dict[tuple[int, int], list[bool]] = {}  # cell origin -> a space at each line break?
    for number, raw in enumerate(pages, start=1):
        deadline.check(source)
        try:
            chars = dedupe_chars(raw.chars)
            _refuse_unreadable(raw, chars, number, source)
            tables = raw.find_tables(TABLE_SETTINGS)
        except InputError:
            raise
        except Exception as exc:
            _reraise_memory(exc)
            raise InputError(f"第 {number} 页无法解析（PDF 损坏）",
                             f"page {number} cannot be parsed (damaged PDF: {type(exc).__name__})",
                             source=source) from None
        tables = [t for t in tables if len(t.cells) > 1]
        if columns is None and tables:
            preamble = _text_above(chars, tables[0].bbox[1])
        for t in tables:
            xs, ys, cells = _cell_grid(t)
            rows = _fill(xs, ys, cells, chars, len(grid), spaces)
            if columns is None:
                header = find_header(_joined(rows, spaces))
                if header is None:
                    others.append(number)  # a table before ours: refused below if ours follows
                    continue
                columns = xs
                # Rows above the header (a title block drawn inside the frame) keep their
                # line breaks: each line is a title, stamp or unit line of its own.
                rows = rows[:header] + _joined(rows[header:], spaces)
            elif _same_columns(columns, xs):
                rows = _joined(rows, spaces)
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


def _reraise_memory(exc: Exception) -> None:
    """An allocation refused at the memory limit is not a damaged file: let it reach the
    sandbox, which names the limit."""
    from .sandbox import out_of_memory

    if out_of_memory(exc):
        raise MemoryError from exc


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


def _fill(xs, ys, cells, chars, row_offset: int, spaces: dict[tuple[int, int], list[bool]]) -> Grid:
    """The page's grid of cell texts (lines separated by ``\n``); for every cell, whether a
    space goes at each of its line breaks is stored in ``spaces`` under the cell's origin."""
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
    boxes = {(r0, c0): (xs[c0], xs[c1]) for r0, c0, r1, c1 in cells}
    texts: dict[tuple[int, int], str] = {}
    for o, chs in buckets.items():
        lines = cell_lines(chs)
        texts[o] = "\n".join(line.text for line in lines)
        box = boxes.get(o, (xs[o[1]], xs[o[1] + 1]))
        spaces[(o[0] + row_offset, o[1])] = spaced_breaks(lines, *box)
    grid: Grid = []
    for r in range(nrows):
        row = []
        for c in range(ncols):
            o = owner[r][c] or (r, c)
            row.append(GridCell(texts.get(o, ""), (o[0] + row_offset, o[1])))
        grid.append(row)
    return grid


def _joined(rows: Grid, spaces: dict[tuple[int, int], list[bool]]) -> Grid:
    return [[GridCell(join_lines(c.text, spaces.get(c.origin, ())), c.origin) for c in row] for row in rows]


def dedupe_chars(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """Drop a glyph drawn again on top of itself (fake bold, some exporters' doubled text).

    Same effect as pdfplumber's ``Page.dedupe_chars()`` (same text and font, position within
    ``tolerance`` points) in one pass over a hash of positions, which keeps big pages fast.
    In small print the tolerance shrinks to :data:`DEDUPE_EM` of the font size: a table
    printed scaled down to fit the page sets "ll" in a 3-point font 0.9 points apart.
    """
    kept: list[dict] = []
    seen: dict[tuple, list[dict]] = {}
    for ch in chars:
        key = (ch["text"], ch.get("fontname"), round(ch.get("size", 0), 1))
        near = min(tolerance, DEDUPE_EM * ch.get("size", 0)) if ch.get("size") else tolerance
        gx, gy = int(ch["x0"] // tolerance), int(ch["top"] // tolerance)
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in seen.get((*key, gx + dx, gy + dy), ()):
                    if abs(other["x0"] - ch["x0"]) <= near and abs(other["top"] - ch["top"]) <= near:
                        duplicate = True
                        break
        if not duplicate:
            kept.append(ch)
            seen.setdefault((*key, gx, gy), []).append(ch)
    return kept


def _latin(ch: str) -> bool:
    """Latin (or Greek, Cyrillic…) letters, digits and punctuation: everything below the
    General Punctuation block. CJK text and the symbols set full width in it (“ ” ≧ …) are
    above it; a line break next to them never stands for a space."""
    return ch < "\u2000" and not ch.isspace()


# Unicode line breaking (UAX #14) for two ASCII characters with no space between them,
# reduced to what the engines (Typst, Pango in WeasyPrint, LibreOffice) agree on.
_NO_BREAK_BEFORE = frozenset("!?,.:;)]}|-/\"'")  # EX IS CP CL BA HY SY QU (LB13, LB19, LB21)
_NO_BREAK_AFTER = frozenset("([{\"'")  # OP QU (LB14, LB19)
_OPENING = frozenset("([{")
_AL_SYMBOLS = frozenset("#&*<=>@^_`~")
# Quotation marks (QU) never break from what touches them (LB19): part of a run's width.
_QUOTES = frozenset("\u2018\u2019\u201c\u201d")
# A space does not let a line break before these (LB13, "even after spaces"): the word after
# the space belongs to the one before, e.g. "`code` //", "( ) ;".
_HELD_AFTER_SPACE = frozenset(")]}!?,.:;/")


def direct_break(x: str, y: str) -> bool:
    """May a line break between ``x`` and ``y`` with no space between them? Then a wrap
    there is no evidence of a space: after a hyphen or slash (``2019-``/``https://``), ``|``
    or ``}``, and before an opening bracket that follows punctuation.

    Unicode also allows a break after ``!`` and ``?``; that is not followed here, because
    in text a space after them ("why? Next") is far more common than a URL's ``?q=``.
    """
    if y in _NO_BREAK_BEFORE or x in _NO_BREAK_AFTER or not x.isascii() or not y.isascii():
        return False
    if x in "-/":  # HY, SY: no break before a digit (a number: -5, 1/2)
        return not y.isdigit()
    if x in "|}":  # BA, CL
        return True
    if y in _OPENING:  # only letters, digits and AL symbols hold on to "(" (LB30)
        return not (x.isalnum() or x in _AL_SYMBOLS)
    return False  # letters, digits and the other symbols (AL, NU, PR, PO, IS, CP) hold together


@dataclass(slots=True)
class CellLine:
    """One printed line of a cell, with what :func:`spaced_breaks` measures on it (points)."""

    text: str
    x0: float
    x1: float
    size: float  # font size of its first glyph
    first_glyph: float  # width of its first glyph
    lead_run: float  # width of what it starts with up to a break opportunity (_lead_width)
    tail_run: float  # width of the Latin run it ends with
    gap: float | None  # the narrowest space between two Latin words on the line, if any


_WORDS = WordExtractor(**TEXT_SETTINGS)


def _run_width(chars: list[dict], from_end: bool) -> float:
    seq = chars[::-1] if from_end else chars
    end = 0
    while end < len(seq) and (_latin(seq[end]["text"][:1]) or seq[end]["text"] in _QUOTES):
        end += 1
    if not from_end and 0 < end < len(seq) and seq[end - 1]["text"] in _NO_BREAK_AFTER:
        end += 1  # an opening quote or bracket holds on to the CJK character after it
    if not end:
        return 0.0
    return max(c["x1"] for c in seq[:end]) - min(c["x0"] for c in seq[:end])


def cell_lines(chars: list[dict]) -> list[CellLine]:
    """The cell's lines, in the words and order of pdfplumber's ``extract_text`` (same
    settings), so the text is exactly what ``extract_text`` would give."""
    words = _WORDS.extract_words(chars, return_chars=True)
    out = []
    for line in cluster_objects(words, "top", LINE_TOLERANCE):
        gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])
                if _latin(a["text"][-1]) and _latin(b["text"][0])]
        first = line[0]["chars"][0]
        out.append(CellLine(" ".join(w["text"] for w in line), line[0]["x0"], line[-1]["x1"],
                            first.get("size", 0.0), first["x1"] - first["x0"], _lead_width(line),
                            _run_width(line[-1]["chars"], True), min(gaps) if gaps else None))
    return out


def _lead_width(line: list[dict]) -> float:
    """Width of what the line starts with up to its first break opportunity: the first
    word's Latin run, and across a space when the next word may not be broken from it
    (after an opening bracket, before a closing one or punctuation — LB13, LB14)."""
    width = _run_width(line[0]["chars"], False)
    for word, after in zip(line, line[1:]):
        whole = width >= word["x1"] - line[0]["x0"] - 0.01
        if not (whole and (after["text"][0] in _HELD_AFTER_SPACE or word["text"][-1] in _OPENING)):
            break
        width = after["x0"] - line[0]["x0"] + _run_width(after["chars"], False)
    return width


def spaced_breaks(lines: Sequence[CellLine], left: float, right: float) -> list[bool]:
    """For each line break of a cell between ``left`` and ``right`` (its ruling lines):
    was the line wrapped at a space? Yes only when all of these hold:

    * Latin on both sides (:func:`_latin`), where a line may not break without a space
      (:func:`direct_break`);
    * the next line's first word would not have fitted in the room left on this line (plus
      a space) — the line ended early because of it, not at a line break of the source;
    * it was not a long word broken at the edge: that happens only to a run longer than the
      line, which begins a line of its own (CSS ``overflow-wrap: anywhere``, LibreOffice, and
      jixiao's Typst templates alike) and fills it so that not even the next glyph would fit.

    The room is the text width minus the line's width. The text width is the cell's width
    less twice its padding. In a left-aligned cell (all lines start together) the padding is
    the gap between the text and the left ruling line — not the right one: full-width closing
    punctuation may hang into the right padding. Otherwise it is the smallest gap on either
    side, the widest line's margin in a centred cell, which under-estimates the room and so
    restores a space more rarely.
    """
    if len(lines) < 2:
        return []
    start = min(ln.x0 for ln in lines)
    pad = start - left
    if any(ln.x0 - start > ALIGN_TOLERANCE for ln in lines):  # not left-aligned
        pad = min(pad, right - max(ln.x1 for ln in lines))
    pad = max(pad, 0.0)
    width = right - left - 2 * pad
    gaps = [ln.gap for ln in lines if ln.gap is not None]
    out = []
    for a, b in zip(lines, lines[1:]):
        em = b.size or a.size
        slack = FIT_TOLERANCE * em
        room = width - (a.x1 - a.x0)
        space = min(gaps) if gaps else SPACE_EM * em
        latin = _latin(a.text[-1]) and _latin(b.text[0]) and not direct_break(a.text[-1], b.text[0])
        pushed = room < space + b.lead_run + slack  # the next word did not fit here
        began = a.tail_run >= a.x1 - a.x0 - slack  # the run across the break began the line
        forced = began and a.tail_run + b.lead_run > width - slack and room < b.first_glyph + slack
        out.append(latin and pushed and not forced)
    return out


def join_lines(text: str, spaced: Sequence[bool] = ()) -> str:
    """A cell's lines joined; ``spaced[i]`` puts a space at the i-th line break."""
    out = ""
    for i, line in enumerate(text.split("\n")):
        line = line.strip()
        if not line:
            continue
        if out and i - 1 < len(spaced) and spaced[i - 1]:
            out += " "
        out += line
    return out


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3 * EDGE_TOLERANCE for x, y in zip(a, b))


# The page-reading steps under public names, for the MoF form reader (mof_read), which lays
# the same ruled tables out as rows of its own.
open_pdf = _open
refuse_unreadable = _refuse_unreadable
cell_grid = _cell_grid
fill_grid = _fill
joined_grid = _joined
