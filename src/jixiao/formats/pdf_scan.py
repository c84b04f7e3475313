"""Cheap refusals of a PDF before pdfminer lays a page out.

Why: pdfminer inflates a stream whole (a 1 MB file can hold a stream of 1 GiB) and builds an
object for every glyph of a page (200,000 glyphs cost ~560 MB and 40 s); a page repeated 150
times is parsed 150 times. So before any page is parsed:

- :func:`check_streams` decodes every stream of the file as a stream of its own — found by the
  ``stream`` keyword in the bytes, not through the (possibly lying) cross-reference table or
  ``/Length`` — through its filters (Flate 64 KB at a time keeping nothing; LZW and run-length
  counting what they would write; ASCIIHex/ASCII85 as they shrink), and refuses one stream
  decoding past ``max_pdf_stream_bytes`` or all of them together past ``max_pdf_inflated_bytes``;
- :func:`check_glyphs` reads each page's content streams (now known to be bounded) and counts
  the bytes of the strings its text operators show — an upper bound of its glyphs (a CJK font
  uses two bytes a glyph, a Latin one one) — adding, for every form XObject the page draws
  (``/Name Do``, nested forms too), that form's text as many times as it is drawn; it refuses a
  page past ``max_page_glyphs`` or the pages together (pages × characters) past
  ``max_pdf_glyphs``.

Image filters (DCT, JPX, CCITT, JBIG2) are not decoded: text extraction never decodes images.
The child process of :mod:`jixiao.formats.sandbox` bounds whatever these checks cannot see.
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
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_DO = re.compile(rb"/([^\s/\[\]<>()]+)\s+Do\b")
# Filter names and their abbreviations (inline images use the short ones).
_FILTERS = {b"FlateDecode": "flate", b"Fl": "flate", b"LZWDecode": "lzw", b"LZW": "lzw",
            b"RunLengthDecode": "rl", b"RL": "rl", b"ASCIIHexDecode": "hex", b"AHx": "hex",
            b"ASCII85Decode": "a85", b"A85": "a85"}
_DICT_WINDOW = 8192  # how far before ``stream`` its dictionary is looked for
_FORM_DEPTH = 8  # form XObjects drawn inside form XObjects, at most this deep
_CHUNK = 65536
_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)", re.S)  # (text) — nested parentheses end a match early
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_SPACE = re.compile(rb"\s+")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def check_streams(data: bytes, limits: "ImportLimits", source: str) -> None:
    """Decode every stream of the PDF's bytes through its filters, bounded; refuse one too large."""
    total = 0
    for m in _STREAM.finditer(data):
        size = _decoded_size(data, m.end(), _filters_of(data, m.start()), limits.max_pdf_stream_bytes + 1)
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


def _filters_of(data: bytes, at: int) -> list[str]:
    """The filters of the stream whose ``stream`` keyword is at ``at``, from its dictionary
    (the text since the last ``obj`` before it): ``flate``, ``lzw``, ``rl``, ``hex``, ``a85``
    or the name as written for any other. No /Filter: ``[]``."""
    head = data[max(0, at - _DICT_WINDOW):at]
    start = head.rfind(b"obj")
    found = _FILTER.findall(head, start + 3 if start >= 0 else 0)
    if not found:
        return []
    # The last /Filter before ``stream`` is the stream's own.
    return [_FILTERS.get(n, n.decode("latin-1")) for n in _NAME.findall(found[-1])]


def _body(data: bytes, start: int) -> bytes:
    """A stream's raw bytes: up to ``endstream`` (its ``/Length`` may lie)."""
    end = data.find(b"endstream", start)
    return data[start:end if end >= 0 else len(data)]


def _decoded_size(data: bytes, start: int, filters: list[str], cap: int) -> int:
    """Bytes the stream at ``start`` decodes to through ``filters``, counted up to ``cap``.

    Without filters, or with only filters of another kind (images), the stream is not expanded
    by reading text: 0, as a stream that is not counted. The last expanding filter is counted
    without keeping its output; the ones before it keep theirs, up to ``cap`` (a stage that
    reaches ``cap`` is refused anyway)."""
    expanding = [f for f in filters if f in ("flate", "lzw", "rl", "hex", "a85")]
    if not filters:
        return _inflated_size(data, start, cap)  # no /Filter found: try Flate (the dictionary may be far)
    if not expanding:
        return 0
    body: bytes | None = None
    for i, f in enumerate(filters):
        last = i == len(filters) - 1 or all(g not in expanding for g in filters[i + 1:])
        if f == "flate":
            if last:
                return _inflated_size(data, start, cap) if body is None else _inflated_size(body, 0, cap)
            body = _inflate(data[start:] if body is None else body, cap)
        elif f in ("lzw", "rl"):
            source = _body(data, start) if body is None else body
            decode = _lzw if f == "lzw" else _run_length
            if last:
                return decode(source, cap, keep=False)[0]
            size, out = decode(source, cap, keep=True)
            if size >= cap:
                return size
            body = out
        elif f in ("hex", "a85"):
            body = _ascii(_body(data, start) if body is None else body, f)
        else:
            break  # an image filter: what follows is not decoded when reading text
        if len(body) >= cap:
            return len(body)
    return len(body or b"")


def _inflate(data: bytes, cap: int) -> bytes:
    """The zlib stream at the start of ``data`` inflated, at most ``cap`` bytes; what inflates
    before a damaged end (as pdfminer keeps it)."""
    d = zlib.decompressobj()
    try:
        return d.decompress(data, cap)
    except zlib.error:
        return b""


def _ascii(data: bytes, kind: str) -> bytes:
    """ASCIIHex or ASCII85 decoded (both shrink their input); what cannot be decoded: b""."""
    import base64
    import binascii

    try:
        if kind == "hex":
            text = _SPACE.sub(b"", data.split(b">", 1)[0])
            return binascii.unhexlify(text + b"0" * (len(text) % 2))
        text = _SPACE.sub(b"", data)
        text = text[2:] if text.startswith(b"<~") else text
        return base64.a85decode(text.split(b"~>", 1)[0])
    except (ValueError, binascii.Error):
        return b""


def _lzw(data: bytes, cap: int, keep: bool) -> tuple[int, bytes]:
    """PDF LZW (9–12-bit codes, early change): (bytes written, counted up to ``cap``; the bytes
    themselves when ``keep``). Counting needs only each table entry's length, so a stream that
    would write gigabytes is measured in the time it takes to read its codes."""
    size = 0
    out = bytearray() if keep else None
    lengths: list[int] = []
    entries: list[bytes] = []
    prev = -1
    width = 9
    bits = 0
    nbits = 0
    for byte in data:
        bits = (bits << 8) | byte
        nbits += 8
        while nbits >= width:
            nbits -= width
            code = (bits >> nbits) & ((1 << width) - 1)
            bits &= (1 << nbits) - 1
            if code == 256:  # clear table
                lengths, entries, prev, width = [], [], -1, 9
                continue
            if code == 257:  # end of data — pdfminer reads on past it, so counting does too
                continue
            table = 258 + len(lengths)
            if code < 256:
                n, piece = 1, (bytes((code,)) if keep else b"")
            elif code < table:
                n, piece = lengths[code - 258], (entries[code - 258] if keep else b"")
            elif code == table and prev >= 0:  # the entry being defined (KwKwK)
                n = _lzw_len(prev, lengths) + 1
                piece = (_lzw_entry(prev, entries) + _lzw_entry(prev, entries)[:1]) if keep else b""
            else:
                return size, bytes(out or b"")  # a code the table does not hold: damaged
            if prev >= 0 and table < 4096:
                lengths.append(_lzw_len(prev, lengths) + 1)
                if keep:
                    entries.append(_lzw_entry(prev, entries) + piece[:1])
                if 258 + len(lengths) >= (1 << width) - 1 and width < 12:
                    width += 1  # early change: one code before the table fills the width
            prev = code
            size += n
            if keep:
                out.extend(piece)
            if size >= cap:
                return size, bytes(out or b"")
    return size, bytes(out or b"")


def _lzw_len(code: int, lengths: list[int]) -> int:
    return 1 if code < 256 else lengths[code - 258]


def _lzw_entry(code: int, entries: list[bytes]) -> bytes:
    return bytes((code,)) if code < 256 else entries[code - 258]


def _run_length(data: bytes, cap: int, keep: bool) -> tuple[int, bytes]:
    """RunLengthDecode: (bytes written, counted up to ``cap``; the bytes when ``keep``)."""
    size = 0
    out = bytearray() if keep else None
    i = 0
    while i < len(data) and size < cap:
        n = data[i]
        if n == 128:
            break
        if n < 128:
            piece = data[i + 1:i + 2 + n]
            i += 2 + n
            size += len(piece)
        else:
            piece = data[i + 1:i + 2] * (257 - n)
            i += 2
            size += len(piece)
        if keep:
            out.extend(piece)
    return size, bytes(out or b"")


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

    counted: dict[int, int] = {}  # a content stream or form shared by many pages is read once
    total = 0
    for number, page in enumerate(pages, start=1):
        on_page = 0
        forms = _forms(page.page_obj.resources)
        for ref in page.page_obj.contents or []:
            key = getattr(ref, "objid", None)
            if key is None or key not in counted:
                stream = resolve1(ref)
                data = stream.get_data() if hasattr(stream, "get_data") else b""
                n = text_bytes(data) + _drawn(data, forms, counted, _FORM_DEPTH, limits.max_page_glyphs)
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


def _forms(resources) -> dict:
    """The form XObjects of a resource dictionary, by name (references, unresolved)."""
    from pdfminer.pdftypes import resolve1

    try:
        xobjects = resolve1((resolve1(resources) or {}).get("XObject")) or {}
        return {name.encode("latin-1") if isinstance(name, str) else name: ref
                for name, ref in dict(xobjects).items()}
    except (AttributeError, TypeError, ValueError):
        return {}


def _drawn(content: bytes, forms: dict, counted: dict, depth: int, cap: int) -> int:
    """Text bytes that the form XObjects drawn by ``content`` (``/Name Do``) show, each as many
    times as it is drawn, nested forms included down to ``depth``; counting stops past ``cap``
    (the caller refuses the page then). A form is read once (``counted``, by object id)."""
    from pdfminer.pdftypes import resolve1

    if depth <= 0 or not forms:
        return 0
    total = 0
    for m in _DO.finditer(content):
        ref = forms.get(m.group(1))
        if ref is None:
            continue
        key = getattr(ref, "objid", None)
        if key is not None and key in counted:
            n = counted[key]
        else:
            if key is not None:
                counted[key] = 0  # a form that draws itself counts nothing more
            stream = resolve1(ref)
            attrs = getattr(stream, "attrs", {}) or {}
            subtype = resolve1(attrs.get("Subtype"))
            if getattr(subtype, "name", subtype) != "Form" or not hasattr(stream, "get_data"):
                continue  # an image
            data = stream.get_data()
            inner = _forms(attrs.get("Resources")) or forms
            n = text_bytes(data) + _drawn(data, inner, counted, depth - 1, cap)
            if key is not None:
                counted[key] = n
        total += n
        if total > cap:
            break
    return total
