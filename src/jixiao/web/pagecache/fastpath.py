"""Cached pages answered at the WSGI level, before Django builds a request.

Even the early path (:class:`~.middleware.CachedPageMiddleware`) costs ~0.8 ms of CPU per
cached answer in-process: Django's request object, nine middlewares on the way in and out, the
request signals, and for every page with a form a CSRF token masked with 32 calls to the
system's random source. A page answered from memory needs none of that. This module answers a
request as the early path *did* for a request that looked the same, without running Django:

1. **Learning.** When the early path serves a page (it marks the WSGI environ with what it
   used: generation, viewer, cache key, whether the page carries a CSRF token), the final
   status and headers — after every middleware around it — are kept under the request's
   *fingerprint*: the generation, the viewer, and every part of the request those middlewares
   read (:data:`FINGERPRINT_KEYS`: scheme, host and the proxy headers, script name, path,
   query string, Accept-Language; from the cookies the session and the language).
2. **Answering.** A later GET with the same fingerprint is answered with those headers and
   the cached page, checked as the early path checks it: the generation is read again (one
   query: writes by other processes count), the session must be one this process knows in
   that generation and not due for renewal (:data:`~.middleware.VIEWERS`), no messages
   cookie, the page still in the store. What differs per request is made per request: the
   CSRF token on the page (masked afresh from the requester's own CSRF cookie), the CSRF
   cookie Django would renew (``Set-Cookie`` with a new expiry date) and ``Content-Length``.
   Anything else — an unknown fingerprint, a session not known or due for renewal, a CSRF
   cookie Django would replace — goes to Django, unchanged.

So the fast path can only repeat an answer Django's own early path gave for the same inputs.
What this relies on, and is tested (tests/web/pagecache/test_fastpath.py): the middlewares above
``CachedPageMiddleware`` decide their headers from the parts of the request in the
fingerprint only. A middleware added there that reads anything else (a header, a cookie)
must add it to :data:`FINGERPRINT_KEYS` / :data:`FINGERPRINT_COOKIES`. ``DISALLOWED_USER_AGENTS``
and ``CSRF_USE_SESSIONS`` turn the fast path off; so does ``JIXIAO_PAGE_CACHE=0``.

Used by :func:`jixiao.web.wsgi.application` (``jixiao serve``); the test client goes through
Django only, except in the tests that run the page cache's guarantees through this path.
"""

from __future__ import annotations

import os
import threading
import time
from http.cookies import SimpleCookie
from types import SimpleNamespace

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.http import HttpResponseBase
from django.http.cookie import parse_cookie
from django.utils.http import http_date
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

from . import generation

# Set by CachedPageMiddleware._early in the WSGI environ (request.META) of a request it served:
# (generation, viewer, key, page carries a CSRF token).
EARLY_MARK = "jixiao.pagecache.early"
# Environ entries read by the middlewares above CachedPageMiddleware (SecurityMiddleware:
# scheme and host; LanguageMiddleware: Accept-Language when JIXIAO_LANGUAGE_FROM_BROWSER;
# request.get_host(): the host and forwarded headers), and the page cache's own key.
FINGERPRINT_KEYS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO",
                    "QUERY_STRING", "HTTP_ACCEPT_LANGUAGE", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                    "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_SSL", "HTTP_X_SCHEME")
# Answers kept per generation (a new generation starts afresh).
MAX_ANSWERS = 20_000

_PLACEHOLDER: bytes | None = None


def _placeholder() -> bytes:
    global _PLACEHOLDER
    if _PLACEHOLDER is None:
        from .middleware import _PLACEHOLDER_BYTES

        _PLACEHOLDER = _PLACEHOLDER_BYTES
    return _PLACEHOLDER


# --- CSRF ---------------------------------------------------------------------------------

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {c: i for i, c in enumerate(_CHARS)}
_N = len(_CHARS)
# Random bytes below this are used (b % 62 is then uniform); the rest are drawn again.
_LIMIT = 256 - 256 % _N


# _SUMS[i + j] is the character at (i + j) mod 62: the cipher without a modulo per character.
_SUMS = _CHARS * 2


def _random_chars(count: int) -> list[int]:
    out: list[int] = []
    while len(out) < count:
        out += [b % _N for b in os.urandom(count + 8) if b < _LIMIT]
    return out[:count]


def mask_secret(secret: str) -> str:
    """Django's ``_mask_cipher_secret`` with one read of the system's random source instead of
    32 (``get_random_string`` draws a character at a time): a uniformly random mask of
    CSRF_ALLOWED_CHARS, then each character of the secret shifted by the mask's. Django's
    ``_unmask_cipher_token`` gives the secret back (tested)."""
    mask = _random_chars(CSRF_SECRET_LENGTH)
    index = _INDEX
    return "".join([_CHARS[m] for m in mask]) + "".join([_SUMS[index[c] + m] for c, m in zip(secret, mask)])


def new_secret() -> str:
    """A new CSRF secret, as Django's ``_get_new_csrf_string`` (uniform over CSRF_ALLOWED_CHARS)."""
    return "".join(_CHARS[m] for m in _random_chars(CSRF_SECRET_LENGTH))


def valid_secret(value: str | None) -> bool:
    """A CSRF cookie Django keeps as it is (an unmasked secret of the right length and
    characters); anything else Django replaces or unmasks, so the fast path leaves it to Django.
    (CSRF_ALLOWED_CHARS is exactly the ASCII letters and digits.)"""
    return value is not None and len(value) == CSRF_SECRET_LENGTH and value.isascii() and value.isalnum()


def csrf_cookie_header(secret: str, conf=None, now: int | None = None) -> str:
    """The ``Set-Cookie`` value Django's CsrfViewMiddleware sends to (re)set the CSRF cookie at
    ``now`` (a whole second; default the current one), built by Django's own ``set_cookie``:
    the expiry date it writes for ``max_age`` is that of now + max_age, to the second."""
    conf = conf or _Settings()
    now = int(time.time()) if now is None else now
    args = dict(conf.csrf_cookie_args)
    args["expires"] = http_date(now + args["max_age"])
    holder = SimpleNamespace(cookies=SimpleCookie())
    HttpResponseBase.set_cookie(holder, conf.csrf_cookie, secret, **args)
    return holder.cookies[conf.csrf_cookie].output(header="")


_cookie_headers: dict[tuple[str, int], str] = {}


def _csrf_cookie_header(secret: str, conf) -> str:
    """:func:`csrf_cookie_header`, made once per secret and second: the expiry date is written
    to the second (``max_age`` is whole seconds), so the text is the same within a second."""
    key = (secret, int(time.time()))
    header = _cookie_headers.get(key)
    if header is None:
        if len(_cookie_headers) >= 1000:
            _cookie_headers.clear()
        header = _cookie_headers[key] = csrf_cookie_header(secret, conf, key[1])
    return header


# --- learning and answering -----------------------------------------------------------------

class Answer:
    __slots__ = ("viewer", "key", "status", "headers", "has_token")

    def __init__(self, viewer, key, status, headers, has_token):
        self.viewer, self.key, self.status, self.headers, self.has_token = viewer, key, status, headers, has_token


class _Settings:
    """The settings the fast path reads on every request, read once (``settings.X`` goes
    through Django's lazy object: 17 of them were ~10 % of an answer); again when a test
    changes a setting."""

    def __init__(self):
        self.enabled = (settings.JIXIAO_PAGE_CACHE and not settings.DISALLOWED_USER_AGENTS
                        and not settings.CSRF_USE_SESSIONS)
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.language_cookie = settings.LANGUAGE_COOKIE_NAME
        self.csrf_cookie = settings.CSRF_COOKIE_NAME
        self.refresh_seconds = settings.JIXIAO_SESSION_REFRESH_SECONDS
        # CsrfViewMiddleware._set_csrf_cookie's arguments
        self.csrf_cookie_args = dict(
            max_age=settings.CSRF_COOKIE_AGE, domain=settings.CSRF_COOKIE_DOMAIN, path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE, httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE)


class FastPath:
    def __init__(self):
        self._answers: dict[tuple, Answer] = {}
        self._generation = None
        self._lock = threading.Lock()
        self._settings: _Settings | None = None

    def clear(self) -> None:
        with self._lock:
            self._answers = {}
            self._generation = None
            self._settings = None
            _cookie_headers.clear()

    @property
    def conf(self) -> _Settings:
        conf = self._settings
        if conf is None:
            conf = self._settings = _Settings()
        return conf

    def __len__(self) -> int:
        return len(self._answers)

    @staticmethod
    def _fingerprint(environ, cookies, conf) -> tuple:
        get = environ.get
        return (tuple([get(k) for k in FINGERPRINT_KEYS]), cookies.get(conf.session_cookie),
                cookies.get(conf.language_cookie))

    def learn(self, environ, status: str, headers) -> None:
        """After Django answered: keep the answer if the early path gave it."""
        mark = environ.get(EARLY_MARK)
        conf = self.conf
        if mark is None or not status.startswith("200 ") or not conf.enabled:
            return
        gen, viewer, key, has_token = mark
        kept = []
        for name, value in headers:
            lower = name.lower()
            if lower == "content-length":
                kept.append((name, None))  # filled in per answer, in the same place
                continue
            if lower == "set-cookie":
                # The CSRF cookie's renewal is made afresh per answer; any other cookie (or a
                # CSRF cookie Django replaced) means this answer is not one to repeat.
                if has_token and value.lstrip().startswith(conf.csrf_cookie + "="):
                    continue
                return
            kept.append((name, value))
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        secret = cookies.get(conf.csrf_cookie)
        if secret is not None and not valid_secret(secret):
            return  # Django replaced or unmasked it: not an answer the fast path repeats
        fingerprint = self._fingerprint(environ, cookies, conf)
        with self._lock:
            if self._generation != gen:
                self._answers, self._generation = {}, gen
            if len(self._answers) >= MAX_ANSWERS:
                self._answers = {}
            self._answers[fingerprint] = Answer(viewer, key, status, tuple(kept), has_token)

    def answer(self, environ) -> tuple[str, list, bytes] | None:
        """(status, headers, body) for a request the early path answered before, else None."""
        if environ.get("REQUEST_METHOD") != "GET" or not self._answers:
            return None
        conf = self.conf
        if not conf.enabled:
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if cookies.get("messages"):
            return None
        answer = self._answers.get(self._fingerprint(environ, cookies, conf))
        if answer is None:
            return None  # no query for requests that were never answered early (misses)
        secret = None
        secret = cookies.get(conf.csrf_cookie)
        if secret is not None and not valid_secret(secret):
            return None  # Django replaces (or unmasks) such a cookie: its answer differs
        close_at = connection.close_at
        if close_at is not None and time.monotonic() >= close_at:
            return None  # due to be closed (CONN_MAX_AGE): Django's request signals do it
        gen = generation.current()
        if gen is None or gen != self._generation:
            return None
        session_key = cookies.get(conf.session_cookie)
        if session_key is None:
            if answer.viewer != "anonymous":
                return None
        else:
            from .middleware import VIEWERS

            known = VIEWERS.get(session_key)
            if known is None:
                return None
            viewer, seen_in, renewed = known
            if (viewer != answer.viewer or seen_in != gen
                    or time.time() - renewed >= conf.refresh_seconds):
                return None
        from .middleware import STORE

        page = STORE.get(answer.key)
        if page is None:
            return None
        parts = STORE.parts(page, _placeholder())
        if answer.has_token:
            if secret is None:
                secret = new_secret()  # no CSRF cookie yet: Django makes one (get_token)
            body = mask_secret(secret).encode("ascii").join(parts)
        else:
            body = parts[0]
        length = str(len(body))
        headers = [(name, length if value is None else value) for name, value in answer.headers]
        if answer.has_token:
            headers.append(("Set-Cookie", _csrf_cookie_header(secret, conf)))
        return answer.status, headers, body


FAST = FastPath()


def _settings_changed(**kwargs) -> None:
    FAST.clear()  # tests: answers learned under other settings are not repeated


setting_changed.connect(_settings_changed)


class FastPathApplication:
    """WSGI application: the fast path in front of Django's handler (jixiao.web.wsgi)."""

    def __init__(self, django_app):
        self.django_app = django_app

    def __call__(self, environ, start_response):
        answer = FAST.answer(environ)
        if answer is not None:
            status, headers, body = answer
            start_response(status, headers)
            return [body]

        def learning_start_response(status, headers, exc_info=None):
            FAST.learn(environ, status, headers)
            return start_response(status, headers, exc_info)

        return self.django_app(environ, learning_start_response)
