"""The dashboard cache's generation token: the year's figures are kept in Django's cache under
it (aggregate.py), and every change that could alter them replaces it (signals.py, and
stats.py after a bulk load). Its own module because both the figures and the statistics they
are computed from use it, and neither should import the other for it."""

from __future__ import annotations

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

# The year's figures scan every project of the province (200 000 rows, 0.1–0.3 s of SQL per
# query); the answers are kept in Django's cache under a generation token that every save of
# a project, table, review round, publication, department or year replaces (signals.py), so
# a page view after a change computes afresh. CACHE_SECONDS bounds how old an answer can be
# where a change cannot replace the token everywhere (several server processes with the
# per-process cache, or rows written without signals, e.g. a bulk load).
CACHE_SECONDS = 60
_GENERATION_KEY = "jixiao:dashboard:generation"


def generation() -> str:
    token = cache.get(_GENERATION_KEY)
    if token is None:
        # A fresh random token (not a counter): an evicted token can never bring back old answers.
        token = uuid4().hex
        if not cache.add(_GENERATION_KEY, token, timeout=None):
            token = cache.get(_GENERATION_KEY) or token
    return token


def invalidate() -> None:
    """Forget every cached figure: now, and again once the current transaction commits (so
    a page computed meanwhile from the old rows is not kept under the new token)."""
    def renew():
        cache.set(_GENERATION_KEY, uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew)
