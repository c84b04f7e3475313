"""The two ways a request reaches the page cache in the tests: Django's test client (the early
path, jixiao.web.pagecache.middleware) and a client whose handler puts the WSGI fast path
(jixiao.web.pagecache.fastpath) in front, as jixiao.web.wsgi.application does. test_pagecache.py
runs every test through both (its ``via`` fixture); test_pagecache_fastpath.py uses the second."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test import Client
from django.test.client import ClientHandler

from jixiao.web.pagecache import fastpath
from jixiao.web.pagecache.middleware import HEADER


def get(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r, r.content.decode()


def cached_twice(client, url):
    """Request ``url`` twice and check the second answer came from the cache."""
    first, _ = get(client, url)
    assert first[HEADER] == "miss"
    second, body = get(client, url)
    assert second[HEADER] == "hit"
    return body


def _response(answer, environ) -> HttpResponse:
    status, headers, body = answer
    response = HttpResponse(body, status=int(status[:3]))
    for name, value in headers:
        if name.lower() == "set-cookie":
            response.cookies.load(value)
        else:
            response[name] = value
    response.wsgi_request = WSGIRequest(environ)
    response.fast_path = True
    return response


class FastPathHandler(ClientHandler):
    """The test client's handler with the WSGI application's fast path in front (as
    jixiao.web.wsgi.application), learning from Django's answers as it does."""

    def __call__(self, environ):
        answer = fastpath.FAST.answer(environ)
        if answer is not None:
            return _response(answer, environ)
        response = super().__call__(environ)
        headers = [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())]
        fastpath.FAST.learn(environ, f"{response.status_code} {response.reason_phrase}", headers)
        response.fast_path = False
        return response


class FastPathClient(Client):
    def __init__(self, *args, enforce_csrf_checks=False, **kwargs):
        super().__init__(*args, enforce_csrf_checks=enforce_csrf_checks, **kwargs)
        self.handler = FastPathHandler(enforce_csrf_checks)


def cached_until_fast(client, url):
    """``cached_twice``, then until the fast path answers (the next request,
    or the one after when the session was renewed meanwhile and took the full path), so what
    the test checks next (a write, a logout, another user…) is checked against the fast path."""
    first, _ = get(client, url)
    second, body = get(client, url)
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    for _ in range(2):
        answer, body = get(client, url)
        assert answer[HEADER] == "hit"
        if answer.fast_path:
            return body
    raise AssertionError(f"{url} not answered by the fast path")


@dataclass(frozen=True)
class Via:
    """How a test's clients reach the cache: the client class and what "cached" means for it."""

    name: str
    Client: type
    cached_twice: Callable

    def client_for(self, user):
        c = self.Client()
        c.force_login(user)
        return c


EARLY = Via("early", Client, cached_twice)
FAST = Via("fast", FastPathClient, cached_until_fast)
