"""Keep a signed-in session alive without writing it on every request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` renews a session's expiry by saving it on every page
view — a database UPDATE in a transaction per request, most of them changing nothing but the
expiry date by a few seconds. Here a session is saved (so its expiry moves to now +
``SESSION_COOKIE_AGE``) only when its last renewal is at least ``JIXIAO_SESSION_REFRESH_SECONDS``
old. A session therefore ends between ``JIXIAO_SESSION_SECONDS - JIXIAO_SESSION_REFRESH_SECONDS``
and ``JIXIAO_SESSION_SECONDS`` after the last request (docs/web.md). With
``SESSION_EXPIRE_AT_BROWSER_CLOSE`` the cookie has no expiry of its own, so nothing else
needs renewing.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.deprecation import MiddlewareMixin

RENEWED_KEY = "_jixiao_renewed"


class SessionRefreshMiddleware(MiddlewareMixin):
    """After ``SessionMiddleware`` in ``MIDDLEWARE``."""

    def process_request(self, request):
        # Only sessions the browser already has: anonymous visitors get none created here.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            session = request.session
            renewed = session.get(RENEWED_KEY, 0)  # loads the session (authentication does anyway)
            now = int(time.time())
            # session_key is None when the cookie named no live session (expired, logged out).
            if session.session_key is not None and now - renewed >= settings.JIXIAO_SESSION_REFRESH_SECONDS:
                session[RENEWED_KEY] = now  # modified: SessionMiddleware saves it, renewing the expiry


def mark_renewed(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: a login saves the session anyway, so it counts as a renewal
    (the first page after a login does not write the session again)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[RENEWED_KEY] = int(time.time())
