"""The disclosure PDF laid out by Typst, a compiled typesetter (the ``typst`` wheel from PyPI).

Why a second engine: WeasyPrint (:mod:`.pdf_render`) lays tables out in Python and spends
≈ 1.7 ms of CPU per table cell, ~11× LibreOffice's time on a 1,000-project table
(docs/benchmarks/pdf-render.md). Typst's layout is Rust; the same table takes a few seconds.

What is shared with the WeasyPrint PDF, so the two cannot drift apart: the header grid
(:func:`headers.header_cells`), the body columns and their texts, the computed 合计 row, the
column widths balanced to the content and the estimate of which rows are too tall to keep
on one page (:mod:`.html`), and the CJK font lookup (:mod:`.pdf_render`). The page itself is
``templates/disclosure.typ``, written to the geometry of ``templates/print.css``.

No text is ever Typst markup: the table goes to the compiler as JSON in ``sys.inputs`` and
the template places each value as a string, so ``#``, ``*``, ``$``, ``[``, ``//`` … print as
themselves (the tests put every one of them in every field).

Memory: Typst memoizes its work in a process-wide cache that the ``typst`` wheel never empties
(messense/typst-py#104), so every compile in a long-running process (``jixiao serve``) would
keep its memory: +80 MB per 200-project table here. Each compile therefore runs in a
short-lived child Python process (``python -c`` with only ``typst`` imported: ~30 ms to
start), and its memory is returned when it exits.

Fonts: Typst is given a private folder holding links to exactly the CJK font files found
(regular and, when the font has one, bold), system fonts are switched off and the template
sets ``fallback: false``, so a glyph can come from nowhere else; a family Typst does not find
is an error, never a PDF in Typst's bundled Latin fonts.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..core.model import Table
from ..errors import InputError, OutputError
from . import headers
from .atomic import write_bytes_atomic
from .headers import AMOUNT, BOOL, RATE, SEQ
# html owns the print geometry (it matches templates/print.css, which disclosure.typ follows
# too): the column widths, the line estimate and its constants are used as they are, so the
# two engines balance columns and split rows alike.
from .html import (
    _CELL_PADDING_MM, _LATIN_WIDTH_MM, _PRINT_TABLE_WIDTH_MM, MAX_UNSPLIT_LINES, STAMP_LABEL,
    UNIT_LABEL, _attachment_label, column_widths, estimated_lines,
)
from .pdf_render import CJKFont, find_cjk_bold_font, find_cjk_font_spec

# The PDF/A level Typst is asked for (``pdf_standards``); the same level as WeasyPrint's.
PDF_STANDARD_PDFA = "a-2b"

# Tagged PDF (a structure tree for screen readers) is off: for a 1,000-project table it made
# the file 9× larger (6.8 MB instead of 0.75 MB) and took ~15 % more CPU, and the accessible
# version of the table is the HTML page (semantic thead/th scope markup). The WeasyPrint PDF
# is not tagged either.
PDF_TAGS = False

# Horizontal alignment per column kind, as the HTML's classes: numbers right, codes centred.
_ALIGN = {SEQ: "c", BOOL: "c", AMOUNT: "n", RATE: "n"}

# Horizontal padding of the body's text cells (left-aligned columns), on each side, at most;
# number and code cells and the header keep print.css's 0.6 mm. Researchers read published
# PDFs with ``pdftotext -layout``, which sets the lines of neighbouring cells that share a
# baseline one space apart, left of their column, and shifts narrow columns' cells by whole
# columns: more room between two text cells' lines keeps them apart (docs/import-text.md,
# "Measured"). A column is padded so only while its line keeps room for its widest unbroken
# run (``100.00%`` is never cut) and for ``TEXT_MIN_CHARS`` CJK characters; a narrower one
# keeps the 0.6 mm.
TEXT_INSET_MM = 2.0
TEXT_MIN_CHARS = 5
_BASE_INSET_MM = _CELL_PADDING_MM / 2


def _text_inset(width_percent: float, texts: list[str]) -> float:
    """The horizontal padding of one text column's cells, in mm (see ``TEXT_INSET_MM``)."""
    runs = [_run_units(m.group()) for t in texts for m in _UNBROKEN_RUN.finditer(t)]
    need = max([2.0 * TEXT_MIN_CHARS, *runs]) + _RUN_MARGIN  # half-ems
    spare = (_PRINT_TABLE_WIDTH_MM * width_percent / 100 - need * _LATIN_WIDTH_MM) / 2
    return round(min(TEXT_INSET_MM, max(_BASE_INSET_MM, spare)), 2)

# A run of characters with no line-break opportunity in it: no space, no CJK (wide)
# character, between which lines may always break, and no en or em dash, around which
# Unicode line breaking breaks too ("1000—1003" breaks after the dash, not inside 1003).
_UNBROKEN_RUN = re.compile(r"[^\s\u2013\u2014\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
                           r"\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+")
# ASCII advances in Noto Sans CJK SC, in thousandths of an em (its hmtx; Source Han Sans has
# the same metrics): a run is wrapped inside its column when it is wider than the column at
# these widths. A run that is not boxed and turns out wider cannot break — Typst prints it over
# the next column (counting every Latin character as half an em, digits at 0.555 em were);
# one boxed that would have fitted breaks at the column edge instead of moving down a line.
# Other characters count as an em (CJK; “ ” and the like are set full width).
_ASCII_ADVANCES = dict(zip(
    "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (323, 474, 555, 555, 921, 680, 278, 338, 338, 467, 555, 278, 347, 278, 392, 555, 555, 555, 555, 555,
     555, 555, 555, 555, 555, 278, 278, 555, 555, 555, 474, 946, 608, 657, 638, 688, 589, 552, 689, 728,
     293, 535, 646, 543, 812, 723, 742, 633, 742, 635, 596, 599, 721, 575, 878, 573, 531, 603, 338, 392,
     338, 555, 559, 606, 563, 618, 510, 620, 554, 325, 564, 607, 275, 275, 552, 284, 926, 610, 606, 620,
     620, 388, 468, 377, 607, 521, 802, 498, 521, 475, 338, 270, 338, 555)))
# Half-ems of a column's text width not counted on for a run (rounding of positions).
_RUN_MARGIN = 0.2

# Control characters that print nothing but that Typst would set as the font's .notdef glyph,
# which a PDF extractor reads as "(cid:0)" (and jixiao's importer then refuses the page).
# Tab, line feed, vertical tab, form feed and carriage return are whitespace or line breaks.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

_log = logging.getLogger(__name__)


def template() -> str:
    """The Typst source of the page (``formats/templates/disclosure.typ``)."""
    return (resources.files(__package__) / "templates" / "disclosure.typ").read_text(encoding="utf-8")


# --- fonts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Fonts:
    folder: Path  # links to the font files, the only folder Typst searches
    family: str  # the family the template names


_fonts_lock = threading.Lock()
_fonts_cache: dict[tuple[Path, ...], _Fonts] = {}


@atexit.register
def _remove_font_folders() -> None:
    for fonts in _fonts_cache.values():
        shutil.rmtree(fonts.folder, ignore_errors=True)


def _family(font: CJKFont, folder: Path) -> str:
    """The family Typst knows the regular file by: fontconfig's family when Typst has it,
    else (a file named by ``$JIXIAO_CJK_FONT``) the Simplified Chinese face of a collection,
    else its first face."""
    import typst

    faces = [f for f in typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                                    font_paths=[str(folder)]).fonts()
             if f.path and Path(f.path).resolve() == font.path.resolve()]
    families = [f.family for f in sorted(faces, key=lambda f: f.index)]
    if not families:
        raise OutputError(f"字体文件无法使用：{font.path}",
                          f"the font file cannot be used (not a font Typst can read): {font.path}")
    if font.family in families:
        return font.family
    return next((f for f in families if f.endswith(" SC")), families[0])


def _font_setup() -> _Fonts:
    """The font folder and family for the CJK font found (made once per font per process)."""
    font = find_cjk_font_spec()  # raises the clear "install fonts-noto-cjk" error
    bold = find_cjk_bold_font(font)
    files = (font.path,) + ((bold,) if bold else ())
    with _fonts_lock:
        cached = _fonts_cache.get(files)
        if cached is not None:
            return cached
        folder = Path(tempfile.mkdtemp(prefix="jixiao-typst-fonts-"))
        for i, path in enumerate(files):
            # Links, not copies: CJK fonts are 20 MB. The index keeps two files of the same
            # name (a regular and a bold from different folders) apart.
            (folder / f"{i}-{path.name}").symlink_to(path.resolve())
        try:
            fonts = _Fonts(folder, _family(CJKFont(folder / f"0-{font.path.name}", font.family),
                                           folder))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _fonts_cache[files] = fonts
        return fonts


def clear_font_cache() -> None:
    """Forget the font folders made (after installing a font, or in tests)."""
    with _fonts_lock:
        _remove_font_folders()
        _fonts_cache.clear()


# --- the document as data ---------------------------------------------------------------------

def _capacity(width_percent: float) -> int:
    """Latin character widths that fit on one line of a column (as :func:`html.estimated_lines`)."""
    return max(int((_PRINT_TABLE_WIDTH_MM * width_percent / 100 - _CELL_PADDING_MM)
                   / _LATIN_WIDTH_MM), 2)


def _room(width_percent: float) -> float:
    """A column's text width in half-ems, not rounded down (to compare a run's width with)."""
    return (_PRINT_TABLE_WIDTH_MM * width_percent / 100 - _CELL_PADDING_MM) / _LATIN_WIDTH_MM


def _cell_value(text: str, room: float) -> str | list[str]:
    """The text, or [text, run, text, run, …] where each run has no break opportunity and
    may be wider than the column (the template lets such a run break between any characters)."""
    if not text.isprintable():  # rare: line breaks, tabs, control characters
        text = _INVISIBLE.sub("", text)
    # 2 units a character bound every run's width (_run_units): most cells need no count.
    if 2 * len(text) <= room:
        return text
    parts: list[str] = []
    last = 0
    for m in _UNBROKEN_RUN.finditer(text):
        run = m.group()
        if _run_units(run) > room - _RUN_MARGIN:
            parts += [text[last:m.start()], run]
            last = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return parts


def _run_units(run: str) -> float:
    """The run's width in half-ems (the unit of :func:`_room`)."""
    return sum(_ASCII_ADVANCES.get(c, 1000) for c in run) / 500


def _may_be_tall(text: str, capacity: int) -> bool:
    """False when ``text`` surely takes at most :data:`MAX_UNSPLIT_LINES` lines (a bound
    from its length, so the exact estimate runs only for long cells)."""
    return text.count("\n") + 1 + 2 * len(text) // capacity > MAX_UNSPLIT_LINES


def document_data(table: Table) -> dict:
    """Everything the template prints, as JSON-ready data."""
    if not table.projects:
        raise InputError("表中没有项目，无法导出公开表", "the table has no projects; nothing to export")
    columns = headers.body_columns(table)
    widths = column_widths(table, columns)
    texts_by_row = [[headers.column_text(p, c) for c in columns] for p in table.projects]
    insets = [_BASE_INSET_MM if c.kind in _ALIGN else _text_inset(w, [row[i] for row in texts_by_row])
              for i, (c, w) in enumerate(zip(columns, widths))]
    # the text columns' lines are narrower by their wider padding (html's estimates count 0.6 mm)
    widths_in = [w - 2 * (inset - _BASE_INSET_MM) / _PRINT_TABLE_WIDTH_MM * 100 for w, inset in zip(widths, insets)]
    capacities = [_capacity(w) for w in widths_in]
    rows, tall = [], []
    for texts in texts_by_row:
        rows.append([_cell_value(t, _room(w)) for t, w in zip(texts, widths_in)])
        tall.append(any(_may_be_tall(t, cap) and estimated_lines(t, w) > MAX_UNSPLIT_LINES
                        for t, w, cap in zip(texts, widths_in, capacities)))
    totals = headers.totals_text(table, columns)
    label_span = next((i for i, c in enumerate(columns) if c.kind == AMOUNT), 1) or 1
    return {
        "title": table.display_title,
        "attachment": _attachment_label(table),
        "stamp": f"{STAMP_LABEL}{table.department}",
        "unit": f"{UNIT_LABEL}{table.money_unit.value}",
        "widths": [round(w, 4) for w in widths],
        "aligns": [_ALIGN.get(c.kind, "t") for c in columns],
        "insets": insets,
        "header": [[h.row, h.col, h.rowspan, h.colspan, h.text] for h in headers.header_cells(table)],
        "rows": rows,
        "tall": tall,
        "total_label": headers.TOTAL_LABEL,
        "label_span": label_span,
        "totals": [totals[c.key] if c.kind in (AMOUNT, RATE) else "" for c in columns[label_span:]],
    }


# --- compiling ---------------------------------------------------------------------------------

# The child process that compiles: reads one request (JSON) on stdin, writes one JSON line
# (the warnings, or the error) and then the PDF bytes on stdout. Only ``typst`` is imported.
_COMPILE_CHILD = r"""
import json, sys
import typst
request = json.loads(sys.stdin.buffer.read())
try:
    pdf, warnings = typst.compile_with_warnings(
        request["source"].encode("utf-8"), font_paths=request["font_paths"],
        ignore_system_fonts=True, sys_inputs={"data": request["data"]},
        pdf_standards=request["pdf_standards"], pdf_tags=request["pdf_tags"])
except Exception as exc:
    sys.stdout.buffer.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode() + b"\n")
else:
    sys.stdout.buffer.write(json.dumps({"warnings": [str(w) for w in warnings]}).encode() + b"\n")
    sys.stdout.buffer.write(pdf)
"""

# A compile that has not finished after this many seconds is stopped (1,000 projects take ~4).
COMPILE_TIMEOUT_S = 600


def _layout_failed(detail: str) -> OutputError:
    return OutputError("PDF 排版失败", f"PDF layout failed (typst: {detail})")


def _compile(request: dict) -> tuple[bytes, list[str]]:
    """Compile in a child process (see "Memory" above); the PDF and Typst's warnings."""
    try:
        done = subprocess.run([sys.executable, "-c", _COMPILE_CHILD],
                              input=json.dumps(request, ensure_ascii=False).encode("utf-8"),
                              capture_output=True, timeout=COMPILE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise _layout_failed(f"no result after {COMPILE_TIMEOUT_S} s") from None
    except OSError as exc:
        raise _layout_failed(f"cannot start {sys.executable}: {exc}") from None
    head, _, pdf = done.stdout.partition(b"\n")
    try:
        answer = json.loads(head)
    except ValueError:
        _log.debug("typst child: exit %s, stderr %s", done.returncode, done.stderr[-2000:])
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise _layout_failed(last[0]) from None
    if "error" in answer:
        raise _layout_failed(answer["error"])
    return pdf, answer["warnings"]


def compile_pdf(source: str, data: dict, pdfa: bool = False) -> bytes:
    """Compile the Typst ``source`` with ``data`` (JSON-ready; the template reads it as
    ``json(bytes(sys.inputs.data))``, with the CJK family Typst knows added as ``font``) in a
    child process, with only the CJK font available; the PDF bytes. Shared by every Typst PDF
    jixiao makes (the disclosure table here, the MoF form in :mod:`.mof_typst`)."""
    if importlib.util.find_spec("typst") is None:
        raise OutputError("PDF 排版引擎 typst 未安装（pip install typst）",
                          "the typst PDF engine is not installed (pip install typst)")
    fonts = _font_setup()
    pdf, warnings = _compile({
        "source": source, "data": json.dumps({**data, "font": fonts.family}, ensure_ascii=False),
        "font_paths": [str(fonts.folder)], "pdf_standards": [PDF_STANDARD_PDFA] if pdfa else [],
        "pdf_tags": PDF_TAGS})
    for message in warnings:
        # A family Typst cannot find would print nothing (fallback is off): refuse the file.
        if "font" in message.lower():
            raise OutputError(f"PDF 字体不可用：{message}", f"the PDF font is not usable: {message}")
        _log.debug("typst warning: %s", message)
    return pdf


def render_typst_pdf_bytes(table: Table, pdfa: bool = False) -> bytes:
    """The 附件2-3 disclosure table as PDF bytes laid out by Typst, the CJK font embedded;
    ``pdfa=True`` makes a PDF/A-2b file."""
    return compile_pdf(template(), document_data(table), pdfa=pdfa)


def write_disclosure_pdf_typst(table: Table, path, pdfa: bool = False) -> None:
    """Write the 附件2-3 disclosure table of ``table`` as a PDF at ``path`` (atomically)."""
    write_bytes_atomic(path, render_typst_pdf_bytes(table, pdfa=pdfa))
