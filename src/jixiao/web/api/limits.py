"""The API's bounds on what a request may ask for: page sizes, ids, page numbers and years.
The views refuse values outside them (400) and the OpenAPI document states them as the
parameters' schemas, so both read them from here rather than one from the other."""

from __future__ import annotations

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_ID = 10**12 - 1  # ids and other integers have at most 12 digits
MAX_PAGE = 10**9
YEAR_RANGE = (1949, 2200)
