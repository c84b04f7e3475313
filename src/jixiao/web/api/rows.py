"""Project records as JSON bytes, kept per process until the next publication.

A client asking for a different page each time (random page and page size: crawlers,
researchers' scripts) misses every answer cache, yet its pages are made of the same rows again
and again: a province-year has some 20,000 published projects. Reading a page's 50 rows by id
and writing their JSON was half of such an answer's CPU in the server and most of PostgreSQL's
(docs/benchmarks/web.md, run of 2026-11-28 06:24 UTC). A row's JSON only changes with a publication (the index is
written only then: :mod:`.index`), and its links with the host the request was made for, so the
bytes of each record are kept under the API's publication generation (views._generation) and
the page's two link templates; a page reads from the database only the rows not kept yet.

Bounded by ``JIXIAO_API_ROWS_MB`` (docs/api.md; 0 keeps nothing): when a row would exceed it,
the rows kept longest go first. A new generation drops every row at once.
"""

from __future__ import annotations

import threading


class RowTexts:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        # (generation, rows) replaced together, so a reader never pairs one generation with
        # another's rows. rows: (links, id) → record, in insertion order (= age).
        self._state: tuple[str | None, dict[tuple, bytes]] = (None, {})
        self._bytes = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._state, self._bytes = (None, {}), 0

    def __len__(self) -> int:
        return len(self._state[1])

    def get(self, generation: str, links: tuple, ids: list[int]) -> tuple[dict[int, bytes], list[int]]:
        """The records of ``ids`` kept for ``generation`` and ``links``, and the ids not kept."""
        found: dict[int, bytes] = {}
        missing: list[int] = []
        kept_generation, rows = self._state
        if generation != kept_generation:
            return found, list(ids)
        get = rows.get
        for pk in ids:
            record = get((links, pk))
            if record is None:
                missing.append(pk)
            else:
                found[pk] = record
        return found, missing

    def put(self, generation: str, links: tuple, records: dict[int, bytes]) -> None:
        if not self.max_bytes:
            return
        with self._lock:
            if generation != self._state[0]:
                self._state, self._bytes = (generation, {}), 0
            rows = self._state[1]
            for pk, record in records.items():
                key = (links, pk)
                if key in rows:
                    continue
                size = len(record)
                if size > self.max_bytes:
                    continue
                while rows and self._bytes + size > self.max_bytes:
                    self._bytes -= len(rows.pop(next(iter(rows))))  # the row kept longest
                rows[key] = record
                self._bytes += size
