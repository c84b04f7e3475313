"""Login throttling: after N failed logins for a username (or from one address) within the
lockout window, further attempts are refused until the window passes.

A small cache-based counter instead of a library: the rule is three lines and the cache is
Django's (per process by default; set JIXIAO_CACHE_TABLE to share it between processes).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    digest = lambda s: hashlib.sha256(s.encode("utf-8", "replace")).hexdigest()[:32]  # noqa: E731
    return [f"jixiao:login:user:{digest(username.strip().lower())}", f"jixiao:login:addr:{digest(address)}"]


def is_locked(username: str, address: str) -> bool:
    limit = settings.JIXIAO_LOGIN_MAX_FAILURES
    return any((cache.get(k) or 0) >= limit for k in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    window = settings.JIXIAO_LOGIN_LOCKOUT_SECONDS
    for key in _keys(username, address):
        # add() starts the window on the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, window)


def reset(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
