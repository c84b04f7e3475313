"""The one formula guard: no text jixiao writes into an XLSX or CSV file ever runs as a formula.

Excel, WPS and LibreOffice read a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as
a formula ("CSV injection", "formula injection"): ``=HYPERLINK("http://…","点此")`` becomes a
live link in a public download, ``-2+3`` becomes ``1``. A tab or a carriage return in front
hides such a start from a reader's eye but not from every spreadsheet's import, and Chinese
input methods type the full-width forms ``＝ ＋ － ＠``, which some spreadsheets accept as a
formula start too. So the guarded set is :data:`FORMULA_STARTS`:

    ``=`` ``+`` ``-`` ``@`` tab CR LF ``＝`` ``＋`` ``－`` ``＠`` ``﹦`` ``﹢`` ``﹣``

(the last three are the "small" compatibility forms of ``= + -``). A text is *formula-like*
when its first character is in the set, or when its first character after leading spaces
(ASCII space, no-break space, ideographic space) is.

What the guard does to a formula-like text:

* **CSV**: a leading apostrophe ``'`` (:func:`csv_text`) — Excel, WPS and LibreOffice show
  the rest as plain text; a reader of the raw file sees the apostrophe, as OWASP recommends.
* **XLSX**: the cell is a string cell (``t="s"``/inline string, never ``<f>``) with the "quote
  prefix" style (:func:`set_xlsx_text`), so it also stays text when a user edits it.

Numbers stay numbers: amounts and scores are written as number cells (XLSX) or as plain
decimal text (CSV, ``-3.00``); a printed rate that is a plain number or percentage
(``-2.00%``, :func:`is_plain_number`) is left alone in CSV, where a spreadsheet reads it as a
number, and any other printed rate (``-2+3``) is guarded like text.

Used by every writer: the disclosure XLSX (title, attachment line, stamp line, headers,
body), the MoF form XLSX, the dashboard workbook, the table CSV and the many-table CSV, the
score CSV, the batch import summary, the portal's downloads and the API's year CSV.
"""

from __future__ import annotations

import re
from typing import Any

#: First characters that make a spreadsheet read a text as a formula (see the module docstring).
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠﹦﹢﹣")
#: Spaces skipped before looking at the first character.
LEADING_SPACES = " \u00a0\u3000"
#: The CSV guard: one apostrophe in front of a formula-like text.
CSV_PREFIX = "'"

# A plain decimal number or percentage as jixiao and real tables print them: -3.00, 1,234.50, -2.00%.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


def is_formula_like(text: Any) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    if not isinstance(text, str) or not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    rest = text.lstrip(LEADING_SPACES)
    return bool(rest) and rest[0] in FORMULA_STARTS


def is_plain_number(text: str) -> bool:
    """A plain decimal number or percentage (``-3.00``, ``1,234.50``, ``-2.00%``)."""
    return bool(_PLAIN_NUMBER.fullmatch(text))


def csv_text(text: Any) -> Any:
    """A text cell for CSV: formula-like text gets a leading apostrophe; anything else (and
    every non-string value: numbers, ``None``) is returned unchanged."""
    if is_formula_like(text):
        return CSV_PREFIX + text
    return text


def csv_number_text(text: Any) -> Any:
    """A cell that is a number when it is one (a printed rate): a plain number stays as it is,
    any other formula-like text is guarded as :func:`csv_text` does."""
    if isinstance(text, str) and is_plain_number(text):
        return text
    return csv_text(text)


def csv_row(values) -> list:
    """Every text of a CSV row guarded (numbers untouched)."""
    return [csv_text(v) for v in values]


def set_xlsx_text(cell: Any, text: str) -> Any:
    """Store ``text`` in an openpyxl ``cell`` as a string, never a formula. openpyxl turns a
    string starting with ``=`` into a formula cell; the type is forced back to string, and a
    formula-like text gets the quote-prefix style so Excel keeps it text when edited. Call it
    after the cell's style is set: the quote prefix is part of the style."""
    cell.value = text
    if isinstance(text, str) and is_formula_like(text):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def guard_xlsx_cell(cell: Any) -> Any:
    """Guard a cell already holding a value (a sheet filled with ``ws.append``): a string value
    is re-stored with :func:`set_xlsx_text`; numbers, dates and empty cells are left alone."""
    value = cell.value
    if isinstance(value, str):
        set_xlsx_text(cell, value)
    return cell
