"""Anonymous reads of the open-data API skip the middlewares that only serve signed-in pages.

The API (``/api/``, docs/api.md) is anonymous and read-only: its views never look at the
session, the user, messages or the history's request (they read the publication index only,
and answer in the language of the ``django_language`` cookie, which LanguageMiddleware decides
without the session). For a GET or HEAD under ``/api/`` *without a session cookie* the
session, authentication, messages and simple-history middlewares therefore only cost CPU:
building a session store, a lazy user, a message storage and the history's context per request
(~7 % of an uncached API answer; docs/benchmarks/web.md, run of 2026-11-28 06:24 UTC). The classes here are those
middlewares, passing such a request straight on; every other request goes through them as
before. With a session cookie (a signed-in browser reading the API) nothing is skipped, so the
session is still renewed as on any page.

``request.session``, ``request.user`` and ``request._messages`` are then not set: code that may
see an API request asks with ``getattr``.
``JIXIAO_API_LEAN=0`` turns this off (docs/web.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from simple_history.middleware import HistoryRequestMiddleware as _history

PREFIX = "/api/"


def lean(request) -> bool:
    """Whether ``request`` is an anonymous API read."""
    return (settings.JIXIAO_API_LEAN and request.method in ("GET", "HEAD") and request.path_info.startswith(PREFIX)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES)


class _PassLeanReads:
    """Put before a Django middleware class: an anonymous API read goes straight on."""

    def __call__(self, request):
        if lean(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_PassLeanReads, _Session):
    pass


class AuthenticationMiddleware(_PassLeanReads, _Authentication):
    pass


class MessageMiddleware(_PassLeanReads, _Messages):
    pass


class HistoryRequestMiddleware:
    """simple_history's middleware (a function factory, synchronous here as every middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.inner = _history(get_response)

    def __call__(self, request):
        if lean(request):
            return self.get_response(request)
        return self.inner(request)
