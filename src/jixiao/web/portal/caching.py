"""The portal's pages are public: a browser or a reverse proxy may keep them, and asks again
cheaply.

What a portal page shows changes only when something is published or withdrawn (publications
are never edited or deleted: both models protect their rows; approved targets are published
with their approval), when the visitor's language
changes, or when a new version of the application is deployed. So every portal answer carries
an ``ETag`` made of exactly that — the number of publications and withdrawals, the newest time
of each (two aggregate queries on indexed columns, whatever the number of tables), the
language, the application's code (version, templates and message catalogues) and the viewer —
and a request whose ``If-None-Match`` names it is answered ``304 Not Modified`` without
rendering (Django's ``condition`` decorator). No ``Last-Modified``: a date alone would not
change with the language or a deployment, and a client that sent only ``If-Modified-Since``
could get a page in the wrong language.

``Cache-Control``: ``public, max-age=JIXIAO_PUBLIC_CACHE_SECONDS`` for an anonymous visitor
(``public, no-cache`` when it is 0: ask every time, 304 when unchanged), so that nginx keeps
one copy per URL and language (deploy/nginx.conf); ``private, no-store`` for a signed-in
visitor (the header names the user and carries a CSRF token for the logout button). ``Vary:
Cookie``: the language cookie chooses the language (language.py), the session cookie the
viewer. Anonymous portal pages set no cookie and carry no CSRF token (the language switch is a
link, not a form), so a shared cache may keep them.
"""

from __future__ import annotations

import hashlib
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

import jixiao
from jixiao.web.entry.models import Withdrawal

from jixiao.web.targets.models import PublishedTargets

from .models import PublishedTable

WEB_DIR = Path(__file__).resolve().parent.parent


@cache
def code_version() -> str:
    """The application's version and a digest of its templates and compiled catalogues: a
    deployment that changes how a page looks changes every ETag. The same on every host that
    runs the same code (file contents, not dates)."""
    digest = hashlib.sha256(jixiao.__version__.encode())
    for path in sorted([*WEB_DIR.rglob("templates/**/*.html"), *WEB_DIR.rglob("locale/**/*.mo")]):
        digest.update(path.relative_to(WEB_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def data_version() -> str:
    """What the portal shows, in three aggregate queries: publications (the portal's index, one
    row each, written in the publication's transaction), withdrawals, and published targets
    (approved 绩效目标表, whose ``changed_at`` moves when a newer approval retires one or an
    adjustment is started: targets/publication.py)."""
    published = PublishedTable.objects.aggregate(n=Count("pk"), newest=Max("published_at"))
    withdrawn = Withdrawal.objects.aggregate(n=Count("pk"), newest=Max("withdrawn_at"))
    targets = PublishedTargets.objects.aggregate(n=Count("pk"), newest=Max("changed_at"))
    return "{}.{}.{}.{}.{}.{}".format(
        published["n"], published["newest"] and published["newest"].timestamp(),
        withdrawn["n"], withdrawn["newest"] and withdrawn["newest"].timestamp(),
        targets["n"], targets["newest"] and targets["newest"].timestamp())


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def etag(request, *args, **kwargs) -> str:
    """Computed once per request (Django's ``condition`` asks before the view and again after)."""
    tag = request.__dict__.get("_jixiao_portal_etag")
    if tag is None:
        viewer = f"user{request.user.pk}" if _signed_in(request) else "anonymous"
        parts = (code_version(), data_version(), translation.get_language() or "", viewer)
        tag = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
        request.__dict__["_jixiao_portal_etag"] = tag
    return tag


def public_page(view):
    """Decorate a portal view (GET/HEAD only): ETag, 304, Cache-Control and Vary as above."""
    conditional = condition(etag_func=etag)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        elif settings.JIXIAO_PUBLIC_CACHE_SECONDS > 0:
            patch_cache_control(response, public=True, max_age=settings.JIXIAO_PUBLIC_CACHE_SECONDS)
        else:
            patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper
