"""How fresh a public answer is — a portal page's or the open-data API's: its validators, and
who may keep it how long.

Everything public changes only when something is published (a new publication, a correction,
which also makes older ones not current), withdrawn, or when a 绩效目标表 is approved or
reopened (its ``changed_at`` moves: targets/publication.py); publications and withdrawals are
never edited or deleted (their models protect their rows). So one cheap query versions every
public answer (:func:`published`) — the newest publication's time and the number of
publications (the portal's index, one row each, written in the publication's transaction), the
same of withdrawals, and the number of approved sheets and their newest
change — each part by an index or over a small table, never the projects. It is read once per
request and kept nowhere else: every app process reads the same database, so they all give the
same validators, and Django's ``condition`` decorator answers ``304 Not Modified`` from them
before the view reads any rows.

Each validator also names what the answer's text depends on besides the data. A portal page's
``ETag``: the language, the viewer and the application's code (:func:`code_version`); no
``Last-Modified``, since a date alone would not change with the language or a deployment, and a
client that sent only ``If-Modified-Since`` could get a page in the wrong language. An API
answer's ``ETag``: the host and scheme (absolute links), the language (error messages) and the
API's and the application's versions; its ``Last-Modified`` is the newest of the three times.

``Cache-Control: public, max-age=JIXIAO_PUBLIC_CACHE_SECONDS`` lets browsers and shared caches
(a CDN; nginx keeps one copy per URL and language: deploy/nginx.conf) keep an answer that long
and then revalidate it; ``0`` sends ``public, no-cache`` (keep, but ask every time). A
signed-in visitor's portal page is ``private, no-store`` (the header names the user and carries
a CSRF token for the logout button); the API shows no viewer's data, so its answers are public
for everyone. Portal pages carry ``Vary: Cookie``: the language cookie chooses the language
(language.py), the session cookie the viewer. Anonymous portal pages set no cookie and carry no
CSRF token (the language switch is a link, not a form), so a shared cache may keep them.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from functools import cache, wraps
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

import jixiao
from jixiao.web.api import openapi
from jixiao.web.entry.models import Withdrawal
from jixiao.web.portal.models import PublishedTable
from jixiao.web.targets.models import PublishedTargets

WEB_DIR = Path(__file__).resolve().parent


class Published(NamedTuple):
    """What is public, in one query (times aware; None before the first of each)."""

    published_at: datetime | None  # the newest publication time
    publications: int
    withdrawn_at: datetime | None
    withdrawals: int
    targets_at: datetime | None  # the approved target sheets' newest change
    targets: int


def _sql() -> str:
    quote, parts = connection.ops.quote_name, []
    for model, field in ((PublishedTable, "published_at"), (Withdrawal, "withdrawn_at"), (PublishedTargets, "changed_at")):
        table, column = quote(model._meta.db_table), quote(model._meta.get_field(field).column)
        parts += [f"(SELECT MAX({column}) FROM {table})", f"(SELECT COUNT(*) FROM {table})"]
    return "SELECT " + ", ".join(parts)


def _aware(value):
    if isinstance(value, str):  # SQLite gives the raw SQL's datetimes back as text
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)  # stored in UTC (USE_TZ)
    return value


def published(request) -> Published:
    """What is public now, read once per request."""
    found = request.__dict__.get("_jixiao_published")
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(_sql())
            row = cursor.fetchone()
        found = request.__dict__["_jixiao_published"] = Published(*map(_aware, row))  # counts pass as they are
    return found


@cache
def code_version() -> str:
    """The application's version and a digest of its templates and compiled catalogues: a
    deployment that changes how a page looks changes every portal ETag. The same on every host
    that runs the same code (file contents, not dates)."""
    digest = hashlib.sha256(jixiao.__version__.encode())
    for path in sorted([*WEB_DIR.rglob("templates/**/*.html"), *WEB_DIR.rglob("locale/**/*.mo")]):
        digest.update(path.relative_to(WEB_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _tag(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _signed_in(request) -> bool:
    return getattr(getattr(request, "user", None), "is_authenticated", False)


def page_etag(request, *args, **kwargs) -> str:
    viewer = f"user{request.user.pk}" if _signed_in(request) else "anonymous"
    return _tag(code_version(), *published(request), get_language() or "", viewer)


def api_etag(request, *args, **kwargs) -> str:
    return _tag(*published(request), request.scheme, request.get_host(), get_language(), openapi.VERSION,
                jixiao.__version__)


def last_modified(request, *args, **kwargs) -> datetime | None:
    """When the newest publication, withdrawal or approved sheet's change was made (None before any)."""
    p = published(request)
    return max((t for t in (p.published_at, p.withdrawn_at, p.targets_at) if t is not None), default=None)


def cache_control(response) -> None:
    seconds = settings.JIXIAO_PUBLIC_CACHE_SECONDS
    if seconds:
        patch_cache_control(response, public=True, max_age=seconds)
    else:
        patch_cache_control(response, public=True, no_cache=True)


def public_page(view):
    """Decorate a portal view (GET/HEAD only): ETag, 304, Cache-Control and Vary as above."""
    conditional = condition(etag_func=page_etag)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if not _signed_in(request):  # else private, no-store like any other answer (middleware.py)
            cache_control(response)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper
