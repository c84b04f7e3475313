"""Display width of text where a CJK character is as wide as two Latin ones.

One helper for every layout estimate in jixiao: terminal columns (``jixiao show``), XLSX
column widths and row heights (LibreOffice and WPS do not autofit rows), the HTML/PDF
column balance and the MoF form, and the pdftotext importer's wrap widths.

*Ambiguous* characters (East Asian Width ``A``: “ ” ‘ ’ … ° and Greek/Cyrillic letters)
are narrow in a terminal but set full width by CJK fonts in print; callers choose.
"""

from __future__ import annotations

import functools
import unicodedata


@functools.lru_cache(maxsize=8192)
def char_width(ch: str, ambiguous_wide: bool = False) -> int:
    """0 for a combining mark, 2 for a wide or full-width character, else 1."""
    if unicodedata.combining(ch):
        return 0
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F") or (ambiguous_wide and eaw == "A"):
        return 2
    return 1


def display_width(text: str, ambiguous_wide: bool = False) -> int:
    """Width of ``text`` in Latin character widths (a CJK character counts 2)."""
    if text.isascii():  # the common case for numbers; avoids a per-character lookup
        return len(text)
    return sum(char_width(c, ambiguous_wide) for c in text)
