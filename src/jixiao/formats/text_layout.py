"""The pieces of pdftotext's plain-text output that the text importer reasons about.

``pdftotext`` without ``-layout`` writes a table as *blocks* (runs of lines, separated by
a blank line); each line may hold several cells that share a baseline, separated by a
space (``展各项工作 100.00%``). This module turns text into :class:`Fragment` objects —
one per space-separated piece of a line — each knowing what separated it from the one
before (a blank line, a line break or a space), its display width and where it came
from. Nothing here knows about the 附件2-3 table; see ``text_read``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BLOCK = "block"  # a blank line (or a form feed) before this fragment
LINE = "line"  # a line break before it, same block
SPACE = "space"  # a space before it, same line


@dataclass(slots=True)
class Fragment:
    text: str
    sep: str  # BLOCK | LINE | SPACE: what separated it from the previous fragment
    line_no: int  # 1-based line in the input
    block: int  # index of its block
    row: int  # index of its line within the block
    col: int  # index of the piece within its line (0 = first)
    ncols: int  # how many pieces its line has
    page_break: bool = False  # a form feed came before it
    width: float = 0.0  # display_width(text), computed once (the placer asks for it often)


def display_width(text: str) -> float:
    """Width in CJK character cells: ASCII ½, halfwidth forms ½, everything else 1.

    Ambiguous characters (“ ” ， …) are set full width by CJK fonts, as in the published
    tables; counting bytes this way is much faster than asking unicodedata per character.
    """
    ascii_count = len(text.encode("ascii", "ignore"))
    width = len(text) - 0.5 * ascii_count
    if not _HALFWIDTH.search(text):
        return width
    return width - 0.5 * len(_HALFWIDTH.findall(text))


_HALFWIDTH = re.compile(r"[\uff61-\uffdc\uffe8-\uffee]")


_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


def fragments(text: str) -> list[Fragment]:
    """Split pdftotext output into fragments, in reading order. Linear in the input size."""
    out: list[Fragment] = []
    sep = BLOCK
    block = -1
    row = 0
    page_break = False
    for line_no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if "\f" in raw:  # pdftotext ends each page with a form feed: a block break
            page_break = True
            sep = BLOCK
            raw = raw.replace("\f", "")
        pieces = [p for p in _SPACES.split(raw.strip()) if p]
        if not pieces:
            sep = BLOCK
            continue
        if sep == BLOCK:
            block += 1
            row = 0
        else:
            row += 1
        for col, piece in enumerate(pieces):
            out.append(Fragment(piece, sep if col == 0 else SPACE, line_no, block, row, col, len(pieces),
                                page_break and col == 0, display_width(piece)))
        page_break = False
        sep = LINE
    return out
