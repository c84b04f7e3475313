"""How fresh an API answer is: its ETag and Last-Modified, and how long others may keep it.

Everything the API shows changes only when something is published (a new publication, a
correction, which also makes older ones not current), withdrawn, or when a 绩效目标表 is
approved or reopened (its ``changed_at``). So one cheap query — the
newest publication's id and time, the number of publications, the newest withdrawal's id and
time, the number of withdrawals — versions every answer: Django's ``condition`` decorator
answers ``304 Not Modified`` when a client's ``If-None-Match`` (or ``If-Modified-Since``)
still matches, before the view reads any rows. It is read once per request and kept nowhere
else: every app process reads the same database, so they all give the same validators.

The ETag also names what the answer's text depends on besides the data: the host and scheme
(absolute links), the language (error messages) and the API's version (the shapes).

``Cache-Control: public, max-age=JIXIAO_PUBLIC_CACHE_SECONDS`` lets browsers and shared
caches (a CDN, nginx: deploy/nginx.conf) keep a 200 that long and then revalidate it with the
ETag; ``0`` sends ``public, no-cache`` (keep, but ask every time), as the portal does
(portal/caching.py). The same for everyone, signed in or not: the API shows no viewer's data.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from django.conf import settings
from django.db import connection
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

import jixiao
from jixiao.web.entry.models import Withdrawal
from jixiao.web.targets.models import PublishedTargets

from . import openapi
from .models import PublishedTable

_ATTRIBUTE = "_jixiao_api_version"


def _sql() -> str:
    quote = connection.ops.quote_name
    tables, withdrawals = quote(PublishedTable._meta.db_table), quote(Withdrawal._meta.db_table)
    pk, published = quote(PublishedTable._meta.pk.column), quote(PublishedTable._meta.get_field("published_at").column)
    wpk, withdrawn = quote(Withdrawal._meta.pk.column), quote(Withdrawal._meta.get_field("withdrawn_at").column)
    targets = quote(PublishedTargets._meta.db_table)
    changed = quote(PublishedTargets._meta.get_field("changed_at").column)
    # Each part by an index (primary keys) or over small tables: publications are per table,
    # not per project, and withdrawals are rarer still.
    return (f"SELECT (SELECT {pk} FROM {tables} ORDER BY {pk} DESC LIMIT 1),"
            f" (SELECT {published} FROM {tables} ORDER BY {pk} DESC LIMIT 1),"
            f" (SELECT COUNT(*) FROM {tables}),"
            f" (SELECT {wpk} FROM {withdrawals} ORDER BY {wpk} DESC LIMIT 1),"
            f" (SELECT MAX({withdrawn}) FROM {withdrawals}),"
            f" (SELECT COUNT(*) FROM {withdrawals}),"
            f" (SELECT COUNT(*) FROM {targets}),"
            f" (SELECT MAX({changed}) FROM {targets})")


def version(request) -> tuple:
    """``(newest publication id, its time, publications, newest withdrawal id, newest
    withdrawal time, withdrawals, approved target sheets, their newest change)``, read once
    per request."""
    found = request.__dict__.get(_ATTRIBUTE)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(_sql())
            found = request.__dict__[_ATTRIBUTE] = tuple(cursor.fetchone())
    return found


def _aware(value):
    # SQLite gives the raw SQL's datetimes back as text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)  # stored in UTC (USE_TZ)
    return value


def etag(request, *args, **kwargs) -> str:
    newest, _at, count, withdrawn, _wat, withdrawals, targets, targets_at = version(request)
    text = "|".join(map(str, (newest, count, withdrawn, withdrawals, targets, _aware(targets_at), request.scheme,
                              request.get_host(), get_language(), openapi.VERSION, jixiao.__version__)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def last_modified(request, *args, **kwargs):
    """When the newest publication, withdrawal or approved sheet's change was made (None before any)."""
    _newest, published_at, _count, _withdrawn, withdrawn_at, _withdrawals, _targets, targets_at = version(request)
    times = [t for t in (_aware(published_at), _aware(withdrawn_at), _aware(targets_at)) if t is not None]
    return max(times) if times else None


def cache_control(response) -> None:
    seconds = settings.JIXIAO_PUBLIC_CACHE_SECONDS
    if seconds:
        patch_cache_control(response, public=True, max_age=seconds)
    else:
        patch_cache_control(response, public=True, no_cache=True)
