"""Whole-page cache: a rendered GET page is kept and served again until the data changes.

Key: the data generation (generation.py: renewed by every committed write, by any process),
the viewer (the user's id, or anonymous), the language, scheme, host and full path with query.
A signed-in user's pages are therefore never shown to another user or to an anonymous
visitor, and the portal's pages only ever show what its views read (publications).

What a page may not carry from one request to the next is kept out of it:

- **CSRF token.** While a page is rendered for the cache, the tokens given to its templates
  are recorded (:func:`record_csrf_token`, a template context processor); the stored copy has
  them replaced by a placeholder, and an answer from the cache gets the requester's own token
  in its place (``get_token``, which also (re)sends the CSRF cookie as Django always does).
- **Messages** ("已保存" and the like): a request with pending messages bypasses the cache, and
  a page that showed messages is not stored.

Only the views in :data:`CACHEABLE` are cached (pages that only read; API answers with a query
string from the second request for the URL on, see :data:`SECOND_SIGHT`), only answers 200 of
HTML or JSON without cookies of their own, without ``Content-Disposition`` (downloads) and
without ``Cache-Control: private/no-store``; a request during which anything was written is
not stored either. Entries also expire after ``JIXIAO_PAGE_CACHE_SECONDS`` (pages that depend
on the date, e.g. overdue departments). Settings: docs/web.md ("Page cache").

Two middlewares (settings.MIDDLEWARE):

- :class:`PageCacheMiddleware`, last: looks a page up once the user is known (``process_view``)
  and stores what the view rendered. Requests for a page that another thread is rendering
  wait for that render (:class:`~.store.Renders`, at most ``WAIT_SECONDS``).
- :class:`CachedPageMiddleware`, after the session, language, CSRF and X-Frame-Options
  middlewares but before the session refresh and authentication: serves a page without
  loading the session or the user (two ORM queries, half of a hit's CPU) when the viewer is
  known without them — no session cookie (anonymous), or a session this process has already
  seen belong to a user (:data:`VIEWERS`) in the current generation and renewed less than
  ``JIXIAO_SESSION_REFRESH_SECONDS`` ago (so skipping the refresh changes nothing). Deleting a
  session (logout, or a login replacing it) renews the generation (generation.py), so a
  logged-out session is never recognised. Security headers, the language's headers and the
  CSRF cookie are still added by the middlewares around it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

from jixiao.web.session_refresh import RENEWED_KEY

from . import fastpath, generation
from .store import PageStore, Renders

# Pages that only read. Forms that write (project edit, import) are not here: their GET pages
# carry form state that must come from the request.
CACHEABLE = frozenset({
    "entry:home", "entry:table",
    "dashboard:index", "dashboard:projects",
    "portal:index", "portal:publication", "portal:project",
    "api:root", "api:openapi", "api:years", "api:departments", "api:tables", "api:table",
    "api:table_projects", "api:projects", "api:project", "api:indicators",
})
# API answers with a query string (listing pages: any page, page size and filter a script may
# ask for) are kept from the second request for the same URL on: the API keeps its own answers
# anyway, and a URL asked once (a crawler walking pages of random sizes) would only cost the
# page cache's lookup, compression and store (~0.5 ms of a ~3 ms answer; benchmarks/web.md,
# run of 2026-11-28 05:37 UTC). URLs seen are remembered by path until this process writes (the local part of
# the generation moves) or MAX_SEEN of them are, then forgotten all at once.
SECOND_SIGHT = "api:"
MAX_SEEN = 100_000
SEEN: dict[str, None] = {}
_seen_epoch = None
_seen_lock = threading.Lock()
# A page larger than this is served but not kept (bytes before compression).
MAX_PAGE_BYTES = 2 * 1024 * 1024
CACHEABLE_TYPES = ("text/html", "application/json")
HEADER = "X-Jixiao-Page-Cache"
# Sessions whose user this process knows (most recently used kept).
MAX_VIEWERS = 10_000

# Derived from the secret key: stable across restarts, and no one can type it into a field
# whose text then ends up on a page (where it would be replaced by the viewer's token).
PLACEHOLDER = "jxcsrf" + hashlib.sha256(("jixiao-pagecache-csrf:" + settings.SECRET_KEY).encode()).hexdigest()[:40]
_PLACEHOLDER_BYTES = PLACEHOLDER.encode("ascii")

STORE = PageStore(settings.JIXIAO_PAGE_CACHE_MB * 1024 * 1024, settings.JIXIAO_PAGE_CACHE_SECONDS)
RENDERS = Renders()
# How long a request waits for another thread's render of the same page before rendering it
# itself (a slow page must not hold the others hostage).
WAIT_SECONDS = 5

# session key → (viewer, generation it was seen in, renewal time of the session). The whole
# generation, local part included: a logout in this process deletes the session, which moves
# the local part at once (the database part follows at commit).
VIEWERS: OrderedDict[str, tuple[str, tuple[int, int], int]] = OrderedDict()
_viewers_lock = threading.Lock()


def clear() -> None:
    """Forget every page and every session (tests; a deployment never needs it)."""
    STORE.clear()
    fastpath.FAST.clear()
    with _seen_lock:
        SEEN.clear()
    with _viewers_lock:
        VIEWERS.clear()


def record_csrf_token(request) -> dict:
    """Template context processor (listed after Django's own ``csrf``, so its value wins):
    while a page is rendered for the cache, the requester's CSRF token is fixed and recorded,
    so the copy kept in the cache can have it replaced by the placeholder."""
    plan = getattr(request, "_jixiao_page", None)
    if plan is None:
        return {}
    token = get_token(request)
    plan["tokens"].append(token)
    return {"csrf_token": token}


@lru_cache(maxsize=4096)
def _view_name(path_info: str) -> str | None:
    try:
        return resolve(path_info).view_name
    except Resolver404:
        return None


def _has_messages(request, session_loaded: bool) -> bool:
    if request.COOKIES.get("messages"):  # the cookie storage (FallbackStorage's first choice)
        return True
    # An anonymous API read has no session at all (api_reads.py).
    session = getattr(request, "session", None) if session_loaded else None
    return session is not None and "_messages" in session


def _generation(request):
    # Read once per request, before anything the page shows (generation.current()).
    if not hasattr(request, "_jixiao_generation"):
        request._jixiao_generation = generation.current()
    return request._jixiao_generation


def _key(request, gen, viewer: str) -> str:
    raw = repr((gen, viewer, request.LANGUAGE_CODE, request.scheme, request.get_host(), request.get_full_path()))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _token(request) -> str:
    """Django's ``get_token`` (same effects on ``request.META``) with the cheaper random
    source of :func:`fastpath.mask_secret`."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        # No (usable) CSRF cookie: a new secret, as get_token makes (_add_new_csrf_cookie).
        secret = request.META["CSRF_COOKIE"] = fastpath.new_secret()
    elif not fastpath.valid_secret(secret):
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # (re)send the cookie, as get_token does
    return fastpath.mask_secret(secret)


def _serve(request, key: str) -> HttpResponse | None:
    """The cached page ``key`` as an answer to ``request``, or None. Sets ``request.
    _jixiao_token`` to whether the page carries the requester's CSRF token."""
    page = STORE.get(key)
    if page is None:
        return None
    parts = STORE.parts(page, _PLACEHOLDER_BYTES)
    request._jixiao_token = len(parts) > 1
    content = _token(request).encode("ascii").join(parts) if request._jixiao_token else parts[0]
    response = HttpResponse(content)
    for name, value in page.headers:
        response[name] = value
    response[HEADER] = "hit"
    return response


def _cacheable(request) -> bool:
    """Decided once per request (both middlewares ask)."""
    decided = getattr(request, "_jixiao_cacheable", None)
    if decided is None:
        name = _view_name(request.path_info) if request.method == "GET" else None
        decided = name in CACHEABLE
        if decided and name.startswith(SECOND_SIGHT) and request.META.get("QUERY_STRING"):
            decided = _seen_before(request.get_full_path())
        request._jixiao_cacheable = decided
    return decided


def _seen_before(path: str) -> bool:
    """Whether ``path`` was asked for before since this process last wrote anything (and note
    that it now has been)."""
    global _seen_epoch
    with _seen_lock:
        epoch = generation.local_value()
        if epoch != _seen_epoch or len(SEEN) >= MAX_SEEN:
            SEEN.clear()  # after a write, or a crawler's worth of one-off URLs: start again
            _seen_epoch = epoch
        if path in SEEN:
            return True
        SEEN[path] = None
        return False


class CachedPageMiddleware:
    """Serves cached pages before the session and the user are loaded (see the module doc)."""

    def __init__(self, get_response):
        if not settings.JIXIAO_PAGE_CACHE:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self._early(request) if _cacheable(request) else None
        return response if response is not None else self.get_response(request)

    @staticmethod
    def _early(request) -> HttpResponse | None:
        if _has_messages(request, session_loaded=False):
            return None
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        gen = _generation(request)
        if gen is None:
            return None
        if session_key is None:
            viewer = "anonymous"
        else:
            with _viewers_lock:
                known = VIEWERS.get(session_key)
            if known is None:
                return None
            viewer, seen_in, renewed = known
            if seen_in != gen or time.time() - renewed >= settings.JIXIAO_SESSION_REFRESH_SECONDS:
                return None  # a new generation, or time to renew the session: the full path
        key = _key(request, gen, viewer)
        response = _serve(request, key)
        if response is not None:
            # For the WSGI fast path (fastpath.py), which repeats this answer to requests
            # that look the same once the middlewares around this one have added theirs.
            request.META[fastpath.EARLY_MARK] = (gen, viewer, key, request._jixiao_token)
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        if not settings.JIXIAO_PAGE_CACHE:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _cacheable(request) or _has_messages(request, session_loaded=True):
            return None
        gen = _generation(request)
        if gen is None:
            return None
        viewer = self._viewer(request, gen)
        key = _key(request, gen, viewer)
        request._jixiao_page = {"key": key, "local": gen[1], "viewer": viewer, "tokens": [], "claimed": False}
        response = _serve(request, key)
        if response is None:
            rendering = RENDERS.claim(key)
            if rendering is None:
                request._jixiao_page["claimed"] = True  # released in __call__, whatever happens
            elif rendering.wait(WAIT_SECONDS):
                response = _serve(request, key)  # None if that page was not storable: render it
        return response

    def __call__(self, request):
        try:
            return self._after(request, self.get_response(request))
        finally:
            # After storing, so the requests waiting for this render find the page; and
            # whatever happened, so none of them waits for a render that failed.
            plan = getattr(request, "_jixiao_page", None)
            if plan is not None and plan["claimed"]:
                RENDERS.release(plan["key"])

    def _after(self, request, response):
        plan = getattr(request, "_jixiao_page", None)
        if plan is not None and not response.has_header(HEADER) and self._storable(request, response, plan):
            content = response.content
            for token in plan["tokens"]:
                content = content.replace(token.encode("ascii"), _PLACEHOLDER_BYTES)
            STORE.put(plan["key"], [(k, v) for k, v in response.items() if k != "Content-Length"], content)
            response[HEADER] = "miss"
        session = getattr(request, "session", None)
        if session is not None and session.modified and session.session_key:
            # Whatever changed in the session (messages added, a renewal, a logout), the early
            # path must look at it again before answering for it.
            with _viewers_lock:
                VIEWERS.pop(session.session_key, None)
        return response

    @staticmethod
    def _viewer(request, gen) -> str:
        if not hasattr(request, "user"):
            return "anonymous"  # an anonymous API read: no session cookie, no user (api_reads.py)
        user = request.user
        viewer = f"user:{user.pk}" if user.is_authenticated else "anonymous"
        session = request.session
        renewed = session.get(RENEWED_KEY) if session.session_key else None
        if renewed is not None:
            with _viewers_lock:
                VIEWERS[session.session_key] = (viewer, gen, renewed)
                VIEWERS.move_to_end(session.session_key)
                while len(VIEWERS) > MAX_VIEWERS:
                    VIEWERS.popitem(last=False)
        return viewer

    @staticmethod
    def _storable(request, response, plan) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if response.has_header("Content-Disposition") or not response.get("Content-Type", "").startswith(CACHEABLE_TYPES):
            return False
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        if len(response.content) > MAX_PAGE_BYTES:
            return False
        storage = getattr(request, "_messages", None)
        if storage is not None and len(storage):
            return False
        # Something was written meanwhile (by this request or another thread): render it
        # again next time rather than keep a page that may mix old and new rows.
        if generation.local_value() != plan["local"]:
            return False
        user = getattr(request, "user", None)  # none on an anonymous API read (api_reads.py)
        return (f"user:{user.pk}" if user is not None and user.is_authenticated else "anonymous") == plan["viewer"]
