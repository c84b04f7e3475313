"""Generate the hostile-input corpus: files built to crash, exhaust or confuse the importers.

Why: a probe of 277 crafted files found XLSX and PDF bombs that took gigabytes, JSON the CLI
answered with a traceback, and malformed JSON handed to the text importer. This generator
makes those files and many more (every one deterministic, from a fixed seed), so that the
suite runs a sample of them (tests/hostile/test_hostile.py) and bench/bench_hostile.py runs
all of them through the CLI and the web upload (docs/reliability.md).

    python tests/hostile/make_corpus.py OUT_DIR          # every file (≥ 500)
    python tests/hostile/make_corpus.py OUT_DIR --list   # names only

Families: ``bomb-*`` (XLSX: one merge over the whole sheet, a lying ``<dimension>``, 480
sheets, zip-bomb entries, entities; PDF: a stream inflating to 1 GiB, 200,000 glyphs, one page
repeated 150 times, deep nesting), ``trunc-*`` (valid files cut at many offsets), ``flip-*``
(valid files with bytes changed), ``random-*`` (random bytes under every extension, with and
without the right magic bytes), ``json-*`` (malformed JSON, wrong encodings, deep nesting,
extreme numbers and texts), ``text-*`` (wrong encodings and odd text) and ``xlsx-*`` (extreme
cell values in an otherwise valid workbook).
"""

from __future__ import annotations

import io
import json
import random
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = FIXTURES / "selfeval-2019-longgang-gsl.golden.json"
VALID = {
    "seed.xlsx": FIXTURES / "xlsx" / "seed-wan.xlsx",
    "multipage.xlsx": FIXTURES / "xlsx" / "multipage.xlsx",
    "seed.pdf": FIXTURES / "pdf" / "seed-wan.pdf",
    "multipage.pdf": FIXTURES / "pdf" / "multipage.pdf",
    "seed.json": GOLDEN,
    "seed.txt": FIXTURES / "000_68657388ac173f3b.txt",
}
EXTENSIONS = (".xlsx", ".pdf", ".json", ".txt", ".csv", ".xls", ".bin", "")
GIB = 1024 ** 3

Maker = Callable[[], bytes]


# ---------------------------------------------------------------------------
# XLSX built by hand (openpyxl itself would expand a huge merge while writing it)

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>')
_CT_SHEET = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets>'
       '</workbook>')
_WB_SHEET = '<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>'
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            '</Relationships>')
_WB_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def sheet_xml(rows: str = "", dimension: str | None = "A1", merges: list[str] = (), head: str = SHEET_HEAD) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merged = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
              + "</mergeCells>") if merges else ""
    return f"{head}{dim}<sheetData>{rows}</sheetData>{merged}</worksheet>"


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = '<row r="1">' + inline("A1", "序号") + inline("B1", "项目名称") + "</row>"


def xlsx(sheets: list[str], extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(sheets="".join(_CT_SHEET.format(n=i + 1)
                                                                        for i in range(len(sheets)))))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB.format(sheets="".join(_WB_SHEET.format(n=i + 1)
                                                                 for i in range(len(sheets)))))
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.format(rels="".join(_WB_REL.format(n=i + 1)
                                                                                  for i in range(len(sheets)))))
        for i, s in enumerate(sheets):
            zf.writestr(f"xl/worksheets/sheet{i + 1}.xml", s)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def xlsx_streamed_member(name: str, size: int, chunk: bytes = b" ") -> bytes:
    """A workbook with one member of ``size`` bytes of ``chunk`` (deflated: a few KB per 10 MB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(sheets=_CT_SHEET.format(n=1)))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB.format(sheets=_WB_SHEET.format(n=1)))
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.format(rels=_WB_REL.format(n=1)))
        with zf.open(name, "w", force_zip64=True) as fh:
            block = chunk * (1024 * 1024 // len(chunk))
            for _ in range(size // len(block)):
                fh.write(block)
    return buf.getvalue()


def lying_sizes(data: bytes, factor: int = 1000) -> bytes:
    """The zip's directory declares every entry ``factor`` times smaller than it is."""
    out = bytearray(data)
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:  # central directory headers
        size = int.from_bytes(out[pos + 24:pos + 28], "little")
        out[pos + 24:pos + 28] = max(1, size // factor).to_bytes(4, "little")
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) >= 0:  # local headers
        size = int.from_bytes(out[pos + 22:pos + 26], "little")
        out[pos + 22:pos + 26] = max(1, size // factor).to_bytes(4, "little")
        pos += 4
    return bytes(out)


def bombs_xlsx() -> Iterator[tuple[str, Maker]]:
    yield "bomb-xlsx-merge-whole-sheet.xlsx", lambda: xlsx([sheet_xml(HEADER_ROW, "A1:B1", ["A1:XFD1048576"])])
    yield "bomb-xlsx-merge-whole-sheet-no-dimension.xlsx", lambda: xlsx(
        [sheet_xml(HEADER_ROW, None, ["A2:XFD1048576"])])
    yield "bomb-xlsx-merge-many-columns.xlsx", lambda: xlsx([sheet_xml(HEADER_ROW, "A1:B1", ["C1:XFD200"])])
    yield "bomb-xlsx-20000-merges.xlsx", lambda: xlsx(
        [sheet_xml(HEADER_ROW, "A1:B1", [f"A{r}:B{r}" for r in range(2, 20002)])])
    yield "bomb-xlsx-lying-dimension-far-cell.xlsx", lambda: xlsx(
        [sheet_xml(HEADER_ROW + '<row r="1048576">' + inline("XFD1048576", "x") + "</row>", "A1:B2")])
    yield "bomb-xlsx-lying-dimension-wide-rows.xlsx", lambda: xlsx([sheet_xml(
        HEADER_ROW + "".join(f'<row r="{r}">' + inline(f"A{r}", str(r)) + inline(f"XFD{r}", "x") + "</row>"
                             for r in range(2, 400)), "A1:B2")])
    yield "bomb-xlsx-lying-dimension-small.xlsx", lambda: xlsx([sheet_xml(
        HEADER_ROW + "".join(f'<row r="{r}">' + "".join(f'<c r="{_col(c)}{r}"><v>{c}</v></c>' for c in range(1, 120))
                             + "</row>" for r in range(2, 400)), "A1")])
    yield "bomb-xlsx-480-sheets.xlsx", lambda: xlsx([sheet_xml(
        "".join(f'<row r="{r}">' + "".join(f'<c r="{_col(c)}{r}"><v>{r * c}</v></c>' for c in range(1, 30))
                + "</row>" for r in range(1, 40)), "A1:AC39", [f"A{r}:B{r}" for r in range(1, 39)])
        for _ in range(480)])
    yield "bomb-xlsx-90-sheets-many-merges.xlsx", lambda: xlsx([sheet_xml(
        HEADER_ROW, "A1:B1", [f"A{r}:Z{r}" for r in range(2, 9000)]) for _ in range(90)])
    yield "bomb-xlsx-zip-member-64mb.xlsx", lambda: xlsx_streamed_member("xl/worksheets/sheet1.xml", 64 * 1024 ** 2)
    yield "bomb-xlsx-zip-member-1gb.xlsx", lambda: xlsx_streamed_member("xl/sharedStrings.xml", GIB)
    yield "bomb-xlsx-many-small-members.xlsx", lambda: xlsx(
        [sheet_xml(HEADER_ROW, "A1:B1")], {f"xl/media/pad{i}.xml": b" " * 900_000 for i in range(700)})
    yield "bomb-xlsx-lying-declared-sizes.xlsx", lambda: lying_sizes(
        xlsx([sheet_xml(HEADER_ROW + "".join(f'<row r="{r}">' + inline(f"A{r}", "x" * 200) + "</row>"
                                             for r in range(2, 5000)), "A1:A5000")]))
    yield "bomb-xlsx-billion-laughs.xlsx", lambda: xlsx([sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', "A1",
        head='<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
             + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                       for i in range(1, 10))
             + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')])
    yield "bomb-xlsx-huge-shared-string.xlsx", lambda: xlsx(
        [sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', "A1")],
        {"xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 b"<si><t>" + "序".encode() * 3_000_000 + b"</t></si></sst>"})
    yield "bomb-xlsx-deep-xml.xlsx", lambda: xlsx([SHEET_HEAD + "<sheetData>" + "<x>" * 200_000 + "</x>" * 200_000
                                                   + "</sheetData></worksheet>"])
    yield "bomb-xlsx-huge-row-number.xlsx", lambda: xlsx([sheet_xml(
        HEADER_ROW + '<row r="99999999999999"><c r="A99999999999999"><v>1</v></c></row>', "A1:B1")])
    yield "bomb-xlsx-huge-number-format.xlsx", lambda: _xlsx_value(3.8, "0." + "0" * 5000)


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _xlsx_value(value, number_format: str | None = None, cell: str = "E7") -> bytes:
    """The seed workbook with one cell changed (by default the first project's budget)."""
    import openpyxl

    wb = openpyxl.load_workbook(VALID["seed.xlsx"])
    ws = wb.worksheets[0]
    ws[cell] = value
    if number_format:
        ws[cell].number_format = number_format
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_raw_number(raw: str) -> bytes:
    """The seed workbook whose first budget cell holds ``raw`` as its stored number text."""
    src = zipfile.ZipFile(io.BytesIO(_xlsx_value(123456.789)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b">123456.789<", b">" + raw.encode() + b"<")
            out.writestr(info.filename, data)
    return buf.getvalue()


def extreme_xlsx() -> Iterator[tuple[str, Maker]]:
    values = {"1e27": 1e27, "1e308": 1e308, "neg": -5.0, "tiny": 1e-28,
              "inf-text": "inf", "nan-text": "NaN", "text-amount": "三千元", "surrogate-free-long": "名" * 40000,
              "date": __import__("datetime").datetime(2019, 1, 1)}
    for name, value in values.items():
        yield f"xlsx-amount-{name}.xlsx", (lambda v=value: _xlsx_value(v))
    for name, raw in {"5000-digit": "9" * 5000, "1e999999": "1e999999", "minus-1e-999999": "-1E-999999",
                      "nan": "nan", "inf": "inf", "hex": "0x10", "empty": ""}.items():
        yield f"xlsx-raw-amount-{name}.xlsx", (lambda r=raw: _xlsx_raw_number(r))
    yield "xlsx-seq-superscript.xlsx", lambda: _xlsx_value("²", cell="A7")
    yield "xlsx-seq-huge.xlsx", lambda: _xlsx_value(10 ** 30, cell="A7")
    yield "xlsx-seq-negative.xlsx", lambda: _xlsx_value(-5, cell="A7")
    yield "xlsx-formula-name.xlsx", lambda: _xlsx_value('=HYPERLINK("http://x","y")', cell="C7")


# ---------------------------------------------------------------------------
# PDF built by hand


def pdf(pages: list[bytes], *, compress: bool = True, shared: bool = False, extra_objects: list[bytes] = ()) -> bytes:
    """A PDF of ``pages`` content streams (Helvetica as F1); ``shared``: every page shows the
    first content stream (one object, many pages)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    first_content = None
    for content in pages:
        if shared and first_content is not None:
            cid = first_content
        else:
            data = zlib.compress(content, 9) if compress else content
            filt = b" /Filter /FlateDecode" if compress else b""
            cid = add(b"<< /Length %d%s >>\nstream\n" % (len(data), filt) + data + b"\nendstream")
            first_content = first_content or cid
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 842 595] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, cid, font)))
    for body in extra_objects:
        add(body)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                             + b"] /Count %d >>" % len(kids))
    return _assemble(objects, catalog)


def _assemble(objects: list[bytes], root: int) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _deflated_stream_object(size: int, chunk: bytes = b" ") -> bytes:
    """A content stream object whose data inflates to ``size`` bytes (compressed as it goes)."""
    comp = zlib.compressobj(9)
    block = chunk * (1024 * 1024 // len(chunk))
    parts = [comp.compress(block) for _ in range(size // len(block))]
    data = b"".join(parts) + comp.flush()
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"


def _pdf_with_stream(stream_object: bytes) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R >>",
               stream_object]
    return _assemble(objects, 1)


def glyphs(n: int, per_line: int = 400) -> bytes:
    lines = [b"BT /F1 2 Tf"]
    for i in range(n // per_line):
        y = 590 - (i % 290) * 2
        lines.append(b"1 0 0 1 5 %d Tm (%s) Tj" % (y, b"x" * per_line))
    lines.append(b"ET")
    return b"\n".join(lines)


def glyphs_positioned(n: int) -> bytes:
    """``n`` glyphs each placed on its own (the costly case for a layout engine)."""
    out = [b"BT /F1 3 Tf"]
    for i in range(n):
        out.append(b"1 0 0 1 %d %d Tm (%c) Tj" % (5 + (i % 400) * 2, 590 - (i // 400) % 290 * 2, 65 + i % 26))
    out.append(b"ET")
    return b"\n".join(out)


def table_page(rows: int = 40) -> bytes:
    """A ruled table of ``rows`` rows with text in its cells."""
    out = [b"0.5 w"]
    for r in range(rows + 1):
        out.append(b"20 %d m 820 %d l S" % (560 - r * 13, 560 - r * 13))
    for c in range(11):
        out.append(b"%d 560 m %d %d l S" % (20 + c * 80, 20 + c * 80, 560 - rows * 13))
    out.append(b"BT /F1 6 Tf")
    for r in range(rows):
        for c in range(10):
            out.append(b"1 0 0 1 %d %d Tm (cell %d %d text) Tj" % (24 + c * 80, 550 - r * 13, r, c))
    out.append(b"ET")
    return b"\n".join(out)


def repeated_seed_page(times: int) -> bytes:
    """The seed PDF's page shown ``times`` times: every page object shares its content stream."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(VALID["seed.pdf"])
    writer = PdfWriter()
    for _ in range(times):
        writer.add_page(reader.pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def bombs_pdf() -> Iterator[tuple[str, Maker]]:
    yield "bomb-pdf-stream-1gib.pdf", lambda: _pdf_with_stream(_deflated_stream_object(GIB))
    yield "bomb-pdf-stream-300mb.pdf", lambda: _pdf_with_stream(_deflated_stream_object(300 * 1024 ** 2))
    yield "bomb-pdf-200000-glyphs.pdf", lambda: pdf([glyphs_positioned(200_000)])
    yield "bomb-pdf-1m-glyphs-lines.pdf", lambda: pdf([glyphs(1_000_000)])
    yield "bomb-pdf-glyphs-over-40-pages.pdf", lambda: pdf([glyphs_positioned(20_000)] * 40, shared=True)
    yield "bomb-pdf-seed-page-150-times.pdf", lambda: repeated_seed_page(150)
    yield "bomb-pdf-table-page-150-times.pdf", lambda: pdf([table_page()] * 150, shared=True)
    yield "bomb-pdf-5000-pages.pdf", lambda: pdf([b"BT /F1 9 Tf 10 10 Td (x) Tj ET"] * 5000, shared=True)
    yield "bomb-pdf-deep-array.pdf", lambda: _pdf_with_stream(
        b"<< /Length 10 /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>\nstream\n0123456789\nendstream")
    yield "bomb-pdf-deep-dict.pdf", lambda: _pdf_with_stream(
        b"<< /Length 10 /X " + b"<< /A " * 50_000 + b">> " * 50_000 + b" >>\nstream\n0123456789\nendstream")
    yield "bomb-pdf-many-objects.pdf", lambda: pdf([b"BT /F1 9 Tf 10 10 Td (x) Tj ET"],
                                                    extra_objects=[b"[1 2 3 4 5 6 7 8]"] * 200_000)
    yield "bomb-pdf-xref-loop.pdf", lambda: _xref_loop()
    yield "bomb-pdf-page-tree-loop.pdf", lambda: _assemble([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"], 1)
    yield "bomb-pdf-lying-length.pdf", lambda: _pdf_with_stream(
        b"<< /Length 999999999 >>\nstream\nBT /F1 9 Tf (x) Tj ET\nendstream")
    yield "bomb-pdf-lzw-300mb.pdf", lambda: _pdf_with_stream(_stream_object(lzw_zero_bomb(300 * 1024 ** 2), b"/LZWDecode"))
    yield "bomb-pdf-runlength-300mb.pdf", lambda: _pdf_with_stream(
        _stream_object(bytes((129, 32)) * (300 * 1024 ** 2 // 128) + bytes((128,)), b"/RunLengthDecode"))
    yield "bomb-pdf-hex-then-flate-300mb.pdf", lambda: _pdf_with_stream(_hex_flate_object(300 * 1024 ** 2))
    yield "bomb-pdf-form-drawn-2000-times.pdf", lambda: _form_drawn(2000)


def _stream_object(data: bytes, filters: bytes) -> bytes:
    return b"<< /Length %d /Filter %s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"


def lzw_zero_bomb(size: int) -> bytes:
    """LZW codes (PDF's, early change) that decode to at least ``size`` spaces: after each clear,
    every code names the entry being defined, one byte longer than the last (≈ 7 MB per 3,838
    codes of 9–12 bits)."""
    codes: list[tuple[int, int]] = []
    written = 0
    width = 9
    while written < size:
        codes.append((256, width))  # a clear, in the width the decoder reads at this point
        width = 9
        codes.append((32, width))
        length, table = 1, 258
        written += 1
        while table < 4095 and written < size:
            codes.append((table, width))
            length += 1
            written += length
            table += 1
            if table in (511, 1023, 2047):
                width += 1
    codes.append((257, width))
    acc = n = 0
    out = bytearray()
    for code, width in codes:
        acc = (acc << width) | code
        n += width
        while n >= 8:
            n -= 8
            out.append((acc >> n) & 255)
            acc &= (1 << n) - 1
    if n:
        out.append((acc << (8 - n)) & 255)
    return bytes(out)


def _hex_flate_object(size: int) -> bytes:
    """A stream in ASCIIHex whose bytes are a Flate stream of ``size`` spaces: the hex layer
    hides the zlib header from a check that only tries to inflate the raw bytes."""
    inner = _deflated_stream_object(size)
    deflated = inner[inner.index(b"stream\n") + 7:inner.rindex(b"\nendstream")]
    return _stream_object(deflated.hex().encode() + b">", b"[/ASCIIHexDecode /FlateDecode]")


def _form_drawn(times: int) -> bytes:
    """One page drawing a form XObject of 1,000 glyphs ``times`` times (the page's own content
    shows no text at all)."""
    form = b"BT /F1 2 Tf 5 5 Td (" + b"x" * 1000 + b") Tj ET"
    form_obj = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 842 595] /Resources << /Font << /F1 5 0 R >> >> "
                b"/Length %d >>\nstream\n" % len(form) + form + b"\nendstream")
    content = b"\n".join(b"q 1 0 0 1 0 %d cm /X1 Do Q" % (i % 500) for i in range(times))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               form_obj]
    return _assemble(objects, 1)


def _xref_loop() -> bytes:
    base = pdf([b"BT /F1 9 Tf 10 10 Td (x) Tj ET"])
    xref = base.rindex(b"startxref")
    # A trailer whose /Prev points at itself.
    start = int(base[xref + 10:].split()[0])
    return base.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % start)


# ---------------------------------------------------------------------------
# JSON and text


def _golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def _with(change: Callable[[dict], None]) -> Maker:
    def make() -> bytes:
        doc = _golden()
        change(doc)
        return json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return make


def _set(path: tuple, value) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _raw_value(key: str, raw: str) -> Maker:
    """The golden file with the first project's ``key`` written as the raw JSON text ``raw``."""
    def make() -> bytes:
        text = json.dumps(_golden(), ensure_ascii=False)
        marker = "\"__RAW__\""
        doc = _golden()
        doc["projects"][0][key] = "__RAW__"
        return json.dumps(doc, ensure_ascii=False).replace(marker, raw, 1).encode("utf-8", "surrogatepass") \
            if text else b""
    return make


def json_cases() -> Iterator[tuple[str, Maker]]:
    golden = GOLDEN.read_bytes
    yield "json-trailing-garbage.json", lambda: golden() + b"\n}}}garbage"
    yield "json-two-documents.json", lambda: golden() + golden()
    yield "json-utf16.json", lambda: golden().decode("utf-8").encode("utf-16")
    yield "json-utf16-le-no-bom.json", lambda: golden().decode("utf-8").encode("utf-16-le")
    yield "json-utf32.json", lambda: golden().decode("utf-8").encode("utf-32")
    yield "json-gbk.json", lambda: golden().decode("utf-8").encode("gbk", "replace")
    yield "json-latin1-mojibake.json", lambda: golden().decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8")
    yield "json-deep-10000-arrays.json", lambda: b"[" * 10_000 + b"]" * 10_000
    yield "json-deep-10000-objects.json", lambda: b'{"a":' * 10_000 + b"1" + b"}" * 10_000
    yield "json-deep-100000-unclosed.json", lambda: b"[" * 100_000
    yield "json-deep-in-project.json", _raw_value("problems", "[" * 50_000 + "]" * 50_000)
    yield "json-empty-object.json", lambda: b"{}"
    yield "json-empty-array.json", lambda: b"[]"
    yield "json-array-of-tables.json", lambda: b"[" + golden() + b"]"
    yield "json-null.json", lambda: b"null"
    yield "json-brace-only.json", lambda: b"{"
    yield "json-nan.json", _raw_value("budget", "NaN")
    yield "json-infinity.json", _raw_value("budget", "Infinity")
    yield "json-seq-superscript.json", _with(_set(("projects", 0, "seq"), "²"))
    yield "json-seq-fullwidth.json", _with(_set(("projects", 0, "seq"), "１"))
    yield "json-seq-5000-digits.json", _raw_value("seq", "9" * 5000)
    yield "json-seq-10e30.json", _raw_value("seq", str(10 ** 30))
    yield "json-seq-negative.json", _with(_set(("projects", 0, "seq"), -5))
    yield "json-seq-zero.json", _with(_set(("projects", 0, "seq"), 0))
    yield "json-seq-float.json", _raw_value("seq", "1.5")
    yield "json-seq-exp.json", _raw_value("seq", "1e400")
    yield "json-budget-1e-28.json", _with(_set(("projects", 0, "budget"), "1E-28"))
    yield "json-budget-1e-28-number.json", _raw_value("budget", "0.0000000000000000000000000001")
    yield "json-budget-1e-999990.json", _with(_set(("projects", 0, "budget"), "1e-999990"))
    yield "json-budget-1e999990.json", _raw_value("budget", "1e999990")
    yield "json-budget-5000-digits.json", _raw_value("budget", "9" * 5000)
    yield "json-budget-5000-digit-string.json", _with(_set(("projects", 0, "budget"), "9" * 5000))
    yield "json-budget-negative.json", _with(_set(("projects", 0, "budget"), "-5.00"))
    yield "json-budget-10-decimals.json", _with(_set(("projects", 0, "budget"), "1.0123456789"))
    yield "json-budget-tiny-actual-huge.json", _with(lambda d: (d["projects"][0].update(
        budget="0.01", actual_total="999999999999999", actual_general_budget="999999999999999")))
    yield "json-budget-1e27.json", _raw_value("budget", "1e27")
    yield "json-budget-object.json", _raw_value("budget", '{"a": 1}')
    yield "json-budget-true.json", _raw_value("budget", "true")
    yield "json-year-huge.json", _with(_set(("year",), 10 ** 30))
    yield "json-year-negative.json", _with(_set(("year",), -2019))
    yield "json-year-string.json", _with(_set(("year",), "二〇一九"))
    yield "json-lone-surrogate-name.json", _raw_value("name", '"\\ud800"')
    yield "json-lone-surrogate-raw.json", lambda: golden().replace("党建".encode(), b"\xed\xa0\x80", 1)
    yield "json-lone-low-surrogate.json", _raw_value("unit_name", '"x\\udfff"')
    yield "json-nul-in-name.json", _raw_value("name", '"a\\u0000b"')
    yield "json-control-chars.json", _raw_value("name", '"' + "".join(f"\\u{c:04x}" for c in range(1, 32)) + '"')
    yield "json-name-1000000.json", _with(_set(("projects", 0, "name"), "名" * 1_000_000))
    yield "json-department-formula.json", _with(_set(("department",), '=HYPERLINK("http://x","y")'))
    yield "json-repeated-key.json", lambda: golden().replace(b'"year": 2019', b'"year": 2019, "year": 2020', 1)
    yield "json-repeated-indicator-key.json", lambda: golden().replace(
        b'"indicators": {', b'"indicators": {"quantity": {"target": "a", "actual": "b"}, ', 1)
    yield "json-unknown-layout.json", _with(_set(("layout",), ["quantity", "quantity", "nope"]))
    yield "json-layout-huge.json", _with(_set(("layout",), ["quantity"] * 100_000))
    yield "json-override-negative.json", _with(_set(("projects", 0, "overrides"),
                                                    [{"item": "total", "score": "-50", "reason": "x"}]))
    yield "json-override-unknown-item.json", _with(_set(("projects", 0, "overrides"),
                                                        [{"item": "nope", "score": "5", "reason": "x"}]))
    yield "json-override-huge-score.json", _with(_set(("projects", 0, "overrides"),
                                                      [{"item": "total", "score": "1e999999", "reason": "x"}]))
    yield "json-30000-projects.json", _with(lambda d: d.__setitem__("projects", [
        dict(d["projects"][0], seq=i + 1) for i in range(30_000)]))
    yield "json-projects-object.json", _with(_set(("projects",), {"a": 1}))
    yield "json-money-unit-odd.json", _with(_set(("money_unit",), "亿元"))
    yield "json-bom-twice.json", lambda: b"\xef\xbb\xbf\xef\xbb\xbf" + golden()
    yield "json-huge-whitespace.json", lambda: b" " * 5_000_000 + golden()
    yield "json-big-string-escapes.json", _raw_value("problems", '"' + "\\u4e00" * 300_000 + '"')
    for i, cut in enumerate((1, 2, 10, 100, 1000, 5000, 10000)):
        yield f"json-truncated-{i:02d}.json", (lambda c=cut: golden()[:c])


def text_cases() -> Iterator[tuple[str, Maker]]:
    seed = VALID["seed.txt"].read_bytes
    yield "text-gbk.txt", lambda: seed().decode("utf-8").encode("gb18030")
    yield "text-utf16.txt", lambda: seed().decode("utf-8").encode("utf-16")
    yield "text-big5.txt", lambda: seed().decode("utf-8").encode("big5", "replace")
    yield "text-nul.txt", lambda: seed()[:500] + b"\x00" + seed()[500:]
    yield "text-lone-surrogate.txt", lambda: seed()[:300] + b"\xed\xa0\x80" + seed()[300:]
    yield "text-one-long-line.txt", lambda: seed().replace(b"\n", b" ")
    yield "text-many-lines.txt", lambda: b"\n" * 5_000_000 + seed()
    yield "text-seq-rows-only.txt", lambda: "".join(f"{i} 项目{i} 1.00 1.00\n" for i in range(1, 50000)).encode()
    yield "text-huge-numbers.txt", lambda: seed().replace(b"12.00", b"9" * 5000, 3)
    yield "text-formula.txt", lambda: seed().replace("党建".encode(), b"=HYPERLINK(\"x\")", 1)
    yield "text-brace-start.txt", lambda: b"{" + seed()
    yield "text-bracket-start.txt", lambda: b"[" + seed()
    yield "text-whitespace.txt", lambda: b" \n\t\r\n " * 1000
    yield "text-empty.txt", lambda: b""
    yield "text-cr-only.txt", lambda: seed().replace(b"\n", b"\r")
    yield "text-tabs.txt", lambda: seed().replace(b" ", b"\t")
    yield "text-10000-columns.txt", lambda: ("1 " + "项目 " * 10000 + "\n").encode() * 20


# ---------------------------------------------------------------------------
# Damaged valid files and random bytes


def truncations() -> Iterator[tuple[str, Maker]]:
    for name, path in VALID.items():
        size = path.stat().st_size
        offsets = sorted({1, 2, 4, 10, 100, 512, 1024, size // 50, size // 10, size // 4, size // 3, size // 2,
                          2 * size // 3, 3 * size // 4, 9 * size // 10, size - 1024, size - 100, size - 22,
                          size - 10, size - 1, *(size * k // 29 for k in range(1, 29))} - {0})
        for off in offsets:
            if 0 < off < size:
                yield f"trunc-{name}-{off}{Path(name).suffix}", (lambda p=path, o=off: p.read_bytes()[:o])


def flips() -> Iterator[tuple[str, Maker]]:
    for name, path in VALID.items():
        for i in range(20):
            def make(p=path, seed=i) -> bytes:
                data = bytearray(p.read_bytes())
                rng = random.Random(f"{p.name}-{seed}")
                for _ in range(1 + seed * 3):
                    data[rng.randrange(len(data))] = rng.randrange(256)
                return bytes(data)
            yield f"flip-{name}-{i:02d}{Path(name).suffix}", make


MAGIC = {".xlsx": b"PK\x03\x04", ".pdf": b"%PDF-1.7\n", ".json": b"{", ".txt": b"", ".xls": b"\xd0\xcf\x11\xe0",
         ".csv": b"", ".bin": b"", "": b""}


def random_files() -> Iterator[tuple[str, Maker]]:
    for ext in EXTENSIONS:
        for i, size in enumerate((1, 7, 100, 1000, 4096, 65536, 300_000)):
            for magic in (False, True):
                if magic and not MAGIC[ext]:
                    continue
                def make(e=ext, n=size, m=magic, k=i) -> bytes:
                    rng = random.Random(f"{e}-{n}-{m}-{k}")
                    return (MAGIC[e] if m else b"") + rng.randbytes(n)
                label = "magic" if magic else "raw"
                yield f"random-{label}-{size}{ext or '.noext'}", make
        yield f"random-text-{ext.strip('.') or 'noext'}{ext}", (lambda e=ext: "".join(
            random.Random(e).choice("序号项目名称预算执行率0123456789.% \n") for _ in range(20000)).encode())


def zip_damage() -> Iterator[tuple[str, Maker]]:
    seed = VALID["seed.xlsx"].read_bytes

    def replace_member(name: str, data: bytes) -> Maker:
        def make() -> bytes:
            src = zipfile.ZipFile(io.BytesIO(seed()))
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
                for info in src.infolist():
                    out.writestr(info.filename, data if info.filename == name else src.read(info))
            return buf.getvalue()
        return make

    yield "zip-sheet-not-xml.xlsx", replace_member("xl/worksheets/sheet1.xml", b"not xml at all")
    yield "zip-sheet-empty.xlsx", replace_member("xl/worksheets/sheet1.xml", b"")
    yield "zip-workbook-garbage.xlsx", replace_member("xl/workbook.xml", b"<workbook><sheets><sheet/></sheets>")
    yield "zip-styles-garbage.xlsx", replace_member("xl/styles.xml", b"<styleSheet><x")
    yield "zip-shared-strings-bad-index.xlsx", replace_member("xl/sharedStrings.xml", b"<sst/>")
    yield "zip-only-workbook.xlsx", lambda: _only_workbook()
    yield "zip-encrypted-entry.xlsx", lambda: _flag_encrypted(seed())
    yield "zip-stored-unknown-method.xlsx", lambda: _unknown_method(seed())


def _only_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def _flag_encrypted(data: bytes) -> bytes:
    out = bytearray(data)
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:
        out[pos + 8] |= 1
        pos += 4
    return bytes(out)


def _unknown_method(data: bytes) -> bytes:
    out = bytearray(data)
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:
        out[pos + 10:pos + 12] = (99).to_bytes(2, "little")
        pos += 4
    return bytes(out)


def corpus() -> Iterator[tuple[str, Maker]]:
    """Every (file name, maker) of the corpus, in a fixed order; makers run only when called."""
    for family in (bombs_xlsx, bombs_pdf, extreme_xlsx, json_cases, text_cases, zip_damage, truncations, flips,
                   random_files):
        yield from family()


def is_bomb(name: str) -> bool:
    return name.startswith("bomb-")


def write(out: Path, names: set[str] | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in corpus():
        if names is not None and name not in names:
            continue
        path = out / name
        if not path.exists():
            path.write_bytes(make())
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    if "--list" in argv:
        for name, _ in corpus():
            print(name)
        return 0
    files = write(Path(argv[0]))
    print(f"{len(files)} files in {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
