"""Whole numbers read from a request's query string or form (``?year=``, ``?department=``).

Why one reader: ``str.isdigit`` also accepts digits ``int`` refuses (``²``, ``①``), so a page
that tested with it and then called ``int`` answered such an address with a 500. Only ASCII
digits count here; anything else is "not given", and each page falls back as it documents.
"""

from __future__ import annotations


def query_int(value) -> int | None:
    """``value`` as a whole number when it is one to nine ASCII digits, else None."""
    text = str(value) if value is not None else ""
    return int(text) if text and len(text) < 10 and text.isascii() and text.isdigit() else None
