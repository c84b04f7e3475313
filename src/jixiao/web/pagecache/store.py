"""A per-process store of rendered pages, bounded in bytes and in age.

Not Django's cache framework: LocMemCache bounds the number of entries, not their size (a
province's table page can be a megabyte), and pickles every value. Bodies are kept
zlib-compressed (level 1: ~0.1 ms for a typical page, 5–10× smaller); the pages served most
recently are also kept decompressed, up to a quarter of that size (decompressing an 80 KB page
on every answer cost ~0.15 ms, a third of a fast-path answer). Per process is enough
for correctness: keys carry the database generation (generation.py), so a write by any
process retires every process's entries; several processes only share fewer hits.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    headers: tuple[tuple[str, str], ...]
    body: bytes  # compressed
    expires: float

    def content(self) -> bytes:
        return zlib.decompress(self.body)


class PageStore:
    def __init__(self, max_bytes: int, seconds: int):
        self.max_bytes = max_bytes
        self.seconds = seconds
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        # Decompressed bodies of the pages served most recently, split at a marker (the CSRF
        # placeholder), keyed by the Page itself: a page replaced or dropped is not found again.
        self.max_hot_bytes = max_bytes // 4
        self._hot: OrderedDict[int, tuple[Page, list[bytes], int]] = OrderedDict()
        self._hot_bytes = 0

    def get(self, key: str) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.expires <= time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, headers, content: bytes) -> None:
        page = Page(tuple(headers), zlib.compress(content, 1), time.monotonic() + self.seconds)
        if len(page.body) > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))  # least recently used first

    def parts(self, page: Page, marker: bytes) -> list[bytes]:
        """The page's body split at ``marker`` (``marker.join(parts)`` is the body), from the
        decompressed copies when it was served lately."""
        with self._lock:
            hot = self._hot.get(id(page))
            if hot is not None and hot[0] is page:
                self._hot.move_to_end(id(page))
                return hot[1]
        parts = page.content().split(marker)
        size = sum(map(len, parts))
        if size <= self.max_hot_bytes:
            with self._lock:
                old = self._hot.pop(id(page), None)
                if old is not None:
                    self._hot_bytes -= old[2]
                self._hot[id(page)] = (page, parts, size)
                self._hot_bytes += size
                while self._hot_bytes > self.max_hot_bytes:
                    self._hot_bytes -= self._hot.popitem(last=False)[1][2]
        return parts

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0
            self._hot.clear()
            self._hot_bytes = 0

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def bytes(self) -> int:
        return self._bytes

    def _drop(self, key: str) -> None:
        page = self._pages.pop(key)
        self._bytes -= len(page.body)
        hot = self._hot.pop(id(page), None)
        if hot is not None:
            self._hot_bytes -= hot[2]


class Renders:
    """Pages being rendered right now, so that requests for the same page wait for the one
    render instead of all rendering it (after a write retires every page, 50 clients asking
    for the same 20 pages would otherwise render each several times over, on one GIL)."""

    def __init__(self):
        self._events: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def claim(self, key: str) -> threading.Event | None:
        """None when the caller is to render the page (and must :meth:`release` it); else the
        event that is set once the page being rendered by another thread is done."""
        with self._lock:
            event = self._events.get(key)
            if event is None:
                self._events[key] = threading.Event()
            return event

    def release(self, key: str) -> None:
        with self._lock:
            event = self._events.pop(key, None)
        if event is not None:
            event.set()
