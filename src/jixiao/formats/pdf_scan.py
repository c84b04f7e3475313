"""Cheap refusals of a PDF before pdfminer lays a page out.

Why: pdfminer inflates a stream whole (a 1 MB file can hold a stream of 1 GiB) and builds an
object for every glyph of a page (200,000 glyphs cost ~560 MB and 40 s); a page repeated 150
times is parsed 150 times. So before any page is parsed:

- :func:`check_streams` inflates every Flate stream of the file as a stream of its own — found
  by the ``stream`` keyword in the bytes, not through the (possibly lying) cross-reference
  table or ``/Length`` — 64 KB at a time, keeping nothing, and refuses one stream inflating
  past ``max_pdf_stream_bytes`` or all of them together past ``max_pdf_inflated_bytes``;
- :func:`check_glyphs` reads each page's content streams (now known to be bounded) and counts
  the bytes of the strings its text operators show — an upper bound of its glyphs (a CJK font
  uses two bytes a glyph, a Latin one one) — and refuses a page past ``max_page_glyphs`` or
  the pages together (pages × characters) past ``max_pdf_glyphs``.

Other filters (LZW, run-length) and text drawn through form XObjects are not counted here;
the child process of :mod:`jixiao.formats.sandbox` bounds them.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from .importer import ImportLimits

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_CHUNK = 65536
_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)", re.S)  # (text) — nested parentheses end a match early
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_SPACE = re.compile(rb"\s+")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def check_streams(data: bytes, limits: "ImportLimits", source: str) -> None:
    """Inflate every Flate stream of the PDF's bytes, bounded; refuse one too large."""
    total = 0
    for m in _STREAM.finditer(data):
        size = _inflated_size(data, m.end(), limits.max_pdf_stream_bytes + 1)
        if size > limits.max_pdf_stream_bytes:
            raise InputError(
                f"PDF 中有一个数据流解压后超过 {_mb(limits.max_pdf_stream_bytes)}（max_pdf_stream_bytes，"
                f"位于字节 {m.start()}），可能是压缩炸弹",
                f"a stream of the PDF inflates past {_mb(limits.max_pdf_stream_bytes)} (max_pdf_stream_bytes, "
                f"at byte {m.start()}); possibly a decompression bomb", source=source)
        total += size
        if total > limits.max_pdf_inflated_bytes:
            raise InputError(
                f"PDF 的数据流解压后合计超过 {_mb(limits.max_pdf_inflated_bytes)}（max_pdf_inflated_bytes），"
                "可能是压缩炸弹",
                f"the PDF's streams inflate past {_mb(limits.max_pdf_inflated_bytes)} together "
                "(max_pdf_inflated_bytes); possibly a decompression bomb", source=source)


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    """Bytes the zlib stream at ``start`` inflates to, counting up to ``cap``; 0 if the bytes
    there are not a zlib stream (another filter, or no filter)."""
    d = zlib.decompressobj()
    size = 0
    pos = start
    try:
        while size < cap and not d.eof:
            if d.unconsumed_tail:  # output was capped: what is pending comes first
                given = d.unconsumed_tail
            elif pos < len(data):
                given = data[pos:pos + _CHUNK]
                pos += _CHUNK
            else:
                break
            piece = d.decompress(given, _CHUNK)
            size += len(piece)
            if not piece and d.unconsumed_tail == given:
                break  # no progress (cannot happen with zlib, but never loop on it)
    except zlib.error:
        return size
    return size


def text_bytes(content: bytes) -> int:
    """Bytes of the strings in a content stream — at least the glyphs it can show."""
    n = sum(len(m.group()) - 2 for m in _LITERAL.finditer(content))
    n += sum(len(_SPACE.sub(b"", m.group(1))) // 2 for m in _HEX.finditer(content))
    return n


def check_pdf(path: Path, limits: "ImportLimits", source: str) -> None:
    """:func:`check_streams`, then the page count and :func:`check_glyphs` — everything a
    reader (the 附件2-3 table's or the MoF form's) may do to a PDF comes after this. A file
    pdfplumber cannot open is left for the reader to describe."""
    from .sandbox import out_of_memory

    check_streams(path.read_bytes(), limits, source)  # the file is at most max_file_bytes
    try:
        import pdfplumber

        pdf = pdfplumber.open(path)
    except Exception as exc:  # noqa: BLE001 - damaged or encrypted: the reader says which
        if out_of_memory(exc):
            raise MemoryError from exc
        return
    try:
        pages = pdf.pages
        if len(pages) > limits.max_pages:
            raise InputError(f"PDF 页数过多（{len(pages)} 页，上限 {limits.max_pages}）",
                             f"too many pages ({len(pages)}, limit {limits.max_pages})", source=source)
        check_glyphs(pages, limits, source)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged: the reader says so
        if out_of_memory(exc):
            raise MemoryError from exc
    finally:
        pdf.close()


def check_glyphs(pages, limits: "ImportLimits", source: str) -> None:
    """Refuse a page, or the pages together, showing too much text (pdfplumber pages)."""
    from pdfminer.pdftypes import resolve1

    counted: dict[int, int] = {}  # a content stream shared by many pages is read once
    total = 0
    for number, page in enumerate(pages, start=1):
        on_page = 0
        for ref in page.page_obj.contents or []:
            key = getattr(ref, "objid", None)
            if key is None or key not in counted:
                stream = resolve1(ref)
                data = stream.get_data() if hasattr(stream, "get_data") else b""
                n = text_bytes(data)
                if key is not None:
                    counted[key] = n
            else:
                n = counted[key]
            on_page += n
        if on_page > limits.max_page_glyphs:
            raise InputError(
                f"PDF 第 {number} 页的文字过多（约 {on_page} 个字符，上限 {limits.max_page_glyphs}，max_page_glyphs）",
                f"page {number} of the PDF shows too much text (about {on_page} characters, limit "
                f"max_page_glyphs {limits.max_page_glyphs})", source=source)
        total += on_page
        if total > limits.max_pdf_glyphs:
            raise InputError(
                f"PDF 的文字过多（前 {number} 页约 {total} 个字符，上限 {limits.max_pdf_glyphs}，max_pdf_glyphs）",
                f"the PDF shows too much text (about {total} characters in its first {number} pages, limit "
                f"max_pdf_glyphs {limits.max_pdf_glyphs})", source=source)
