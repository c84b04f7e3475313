"""The ordered ids of each project listing, kept per process until the next publication.

A page of ``/api/projects/`` used to need two queries before its rows: ``COUNT(*)`` over the
listing (20,000 rows of the index for a province-year) and the page's ids at an ``OFFSET``
(the index walked up to the page). Clients that walk the list page by page, or ask for any
page with any page size (crawlers, researchers' scripts), miss every answer cache, so both
were paid on almost every request. The listing only changes when something is published,
so its ids are read once per publication generation (one index-only scan) and kept as an
``array('q')`` (8 bytes an id: 160 KB for 20,000 projects); the count is its length and a
page is a slice.

Bounds (docs/api.md, "Performance"): at most :data:`MAX_IDS` ids and :data:`MAX_ENTRIES`
listings kept in all (the least recently used go first); a listing longer than
:data:`MAX_LISTING` keeps only its count and its pages are read with ``OFFSET`` as before.
Listings of an older generation are dropped as soon as one of a newer generation is stored.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict

# At most this many ids kept per process (8 bytes each: 16 MB).
MAX_IDS = 2_000_000
# A listing with more ids than this keeps only its count (its pages read with OFFSET).
MAX_LISTING = 500_000
# At most this many listings kept (any department id may be asked for, each a listing).
MAX_ENTRIES = 10_000


class Listings:
    def __init__(self, max_ids: int = MAX_IDS, max_listing: int = MAX_LISTING, max_entries: int = MAX_ENTRIES):
        self.max_ids, self.max_listing, self.max_entries = max_ids, min(max_listing, max_ids), max_entries
        self._entries: OrderedDict[tuple, tuple[int, array | None]] = OrderedDict()
        self._held = 0  # ids in self._entries
        self._lock = threading.Lock()
        # One listing read at a time: right after a publication, 50 clients asking for pages
        # of the same listing wait for one scan instead of making 50.
        self._build = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._held = 0

    def page(self, generation: str, key: tuple, queryset, offset: int, size: int) -> tuple[int, list[int]]:
        """The listing's length and the ids of ``[offset, offset + size)``. ``queryset()`` gives
        the ordered listing (called only when it is read: building a queryset costs more than
        slicing a kept listing); ``generation`` must change whenever its rows may have."""
        entry = self._get((generation, key))
        if entry is None:
            with self._build:
                entry = self._get((generation, key))
                if entry is None:
                    entry = self._read(queryset())
                    self._put(generation, key, entry)
        count, ids = entry
        if offset >= count:
            return count, []  # past the end (the caller answers 404): nothing to read
        if ids is None:
            return count, list(queryset().values_list("pk", flat=True)[offset:offset + size])
        return count, ids[offset:offset + size].tolist()

    def _read(self, queryset) -> tuple[int, array | None]:
        count = queryset.count()
        if count > self.max_listing:
            return count, None
        ids = array("q", queryset.values_list("pk", flat=True))
        return len(ids), ids  # the ids as read (a publication may have come between the two queries)

    def _get(self, k: tuple):
        with self._lock:
            entry = self._entries.get(k)
            if entry is not None:
                self._entries.move_to_end(k)
            return entry

    def _put(self, generation: str, key: tuple, entry: tuple[int, array | None]) -> None:
        size = 0 if entry[1] is None else len(entry[1])
        with self._lock:
            for old in [k for k in self._entries if k[0] != generation]:
                self._drop(old)
            while self._entries and (self._held + size > self.max_ids or len(self._entries) >= self.max_entries):
                self._drop(next(iter(self._entries)))  # the least recently used
            self._entries[(generation, key)] = entry
            self._held += size

    def _drop(self, k: tuple) -> None:
        _count, ids = self._entries.pop(k)
        self._held -= 0 if ids is None else len(ids)
