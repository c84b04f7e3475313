"""The page cache's WSGI fast path (jixiao.web.pagecache.fastpath): it only repeats answers the
early path gave to requests that looked the same, so every guarantee of the page cache holds
through it too — test_pagecache.py's tests run a second time with a client that goes through
the fast path first (its ``via`` fixture) — and its answers are the early path's, byte for byte apart from what
Django makes afresh per request (the CSRF token and cookie)."""

from __future__ import annotations

import io
import re
import sys
from http.cookies import SimpleCookie

import pytest
from django.core import signals
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.web.entry.models import DisclosureTable
from jixiao.web.pagecache import fastpath
from jixiao.web.pagecache.middleware import HEADER, PLACEHOLDER, clear
from jixiao.web.pagecache.store import PageStore
from jixiao.web.review import workflow

from .pagecache_clients import FAST, FastPathClient

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_store(monkeypatch):
    # The fast path answers nothing on a connection due to be closed (CONN_MAX_AGE, 60 s). A
    # server renews it through Django's request signals, which the test client switches off,
    # so a test process keeps its first connection: without this, every test here failed when
    # it ran more than 60 s after the process first touched the database.
    from django.db import connections

    monkeypatch.setattr(connections["default"], "close_at", None)
    clear()
    yield
    clear()


def client_for(user):
    return FAST.client_for(user)


def _three_times(client, url):
    """Miss (rendered), hit through the early path (learned), hit through the fast path."""
    answers = [client.get(url) for _ in range(3)]
    assert [a.status_code for a in answers] == [200] * 3
    assert [a[HEADER] for a in answers] == ["miss", "hit", "hit"]
    assert [a.fast_path for a in answers] == [False, False, True]
    return answers


# --- the fast path's own behaviour -----------------------------------------------------------

@pytest.mark.django_db
def test_a_fast_answer_is_the_early_paths_answer(make_world):
    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    reviewer = client_for(world.users["reviewer"])
    miss, early, fast = _three_times(reviewer, url)
    early_headers = [(k, v) for k, v in early.items()]
    fast_headers = [(k, v) for k, v in fast.items()]
    assert fast_headers == early_headers  # same headers, same order, same Content-Length
    token_early, token_fast = set(TOKEN.findall(early.content.decode())), set(TOKEN.findall(fast.content.decode()))
    assert len(token_fast) == 1 and token_fast != token_early  # one token per page, masked afresh
    assert TOKEN.sub("", fast.content.decode()) == TOKEN.sub("", early.content.decode())
    secret = reviewer.cookies["csrftoken"].value
    assert _unmask_cipher_token(token_fast.pop()) == secret == _unmask_cipher_token(token_early.pop())
    # The CSRF cookie renewed exactly as Django renews it (same attributes; expiry from now).
    cookie_early, cookie_fast = early.cookies["csrftoken"], fast.cookies["csrftoken"]
    assert cookie_fast.value == cookie_early.value == secret
    def without_date(cookie):
        return re.sub(r"expires=[^;]+; ", "", cookie.OutputString())

    assert "Max-Age=" in cookie_fast.OutputString() and "SameSite=Lax" in cookie_fast.OutputString()
    assert without_date(cookie_fast) == without_date(cookie_early)


@pytest.mark.django_db
def test_a_fast_answer_costs_one_query_and_an_unknown_request_none(make_world):
    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    reviewer = client_for(world.users["reviewer"])
    _three_times(reviewer, url)
    with CaptureQueriesContext(connection) as ctx:
        assert reviewer.get(url).fast_path
    assert len(ctx.captured_queries) == 1  # the generation: writes by other processes count
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": url, "QUERY_STRING": "never=asked", "HTTP_HOST": "testserver"}
    with CaptureQueriesContext(connection) as ctx:
        assert fastpath.FAST.answer(environ) is None
    assert ctx.captured_queries == []  # a miss goes to Django without a query of its own


@pytest.mark.django_db
def test_anonymous_visitors_without_a_csrf_cookie_get_a_new_one(make_world):
    make_world("published")
    url = reverse("portal:index")
    visitor = FastPathClient()
    answers = []
    for _ in range(3):
        visitor.cookies.clear()  # a client that keeps no cookies (wrk, a crawler)
        answers.append(visitor.get(url))
    assert [a.fast_path for a in answers] == [False, False, True]
    secrets = set()
    for answer in answers:
        secret = answer.cookies["csrftoken"].value
        assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
        for token in TOKEN.findall(answer.content.decode()):
            assert _unmask_cipher_token(token) == secret
        secrets.add(secret)
    assert len(secrets) == 3  # each visitor their own


@pytest.mark.django_db
def test_requests_that_differ_are_not_answered_from_another_ones_answer(make_world):
    world = make_world("published")
    url = reverse("portal:index")
    visitor = FastPathClient()
    _three_times(visitor, url)
    # Another query string, host, language, scheme or session: Django answers (a miss or the
    # early path), never the fast path with the first request's page.
    assert not visitor.get(url, {"q": "x"}).fast_path
    assert not visitor.get(url, HTTP_HOST="localhost").fast_path
    assert not visitor.get(url, HTTP_ACCEPT_LANGUAGE="en").fast_path
    assert not visitor.get(url, secure=True).fast_path
    english = FastPathClient()
    english.cookies["django_language"] = "en"
    r = english.get(url)
    assert not r.fast_path and '<html lang="en">' in r.content.decode()
    reviewer = client_for(world.users["reviewer"])
    r = reviewer.get(url)
    assert not r.fast_path and "reviewer" in r.content.decode()
    # A CSRF cookie Django would replace (wrong length) or unmask (an old masked one): Django.
    for bad in ("short", "a" * 64):
        visitor.cookies["csrftoken"] = bad
        assert not visitor.get(url).fast_path
    # A messages cookie: Django (the page shows the messages, and is not kept).
    visitor.cookies["csrftoken"] = "b" * 32
    visitor.cookies["messages"] = "x"
    assert not visitor.get(url).fast_path


@pytest.mark.django_db
def test_a_write_or_a_new_session_state_ends_the_fast_answers(make_world):
    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    reviewer = client_for(world.users["reviewer"])
    _three_times(reviewer, url)
    workflow.approve(DisclosureTable.objects.get(pk=world.tables["own"].pk), world.users["reviewer"])
    r = reviewer.get(url)
    assert not r.fast_path and r[HEADER] == "miss"  # rendered again from the new rows
    _, _, fast = [reviewer.get(url) for _ in range(3)]
    assert fast.fast_path
    # The session is due for renewal: the full path renews it (the fast path never does).
    from jixiao.web.pagecache.middleware import VIEWERS

    key = reviewer.cookies["sessionid"].value
    viewer, gen, renewed = VIEWERS[key]
    VIEWERS[key] = (viewer, gen, renewed - 3600)
    assert not reviewer.get(url).fast_path


@pytest.mark.django_db
def test_settings_that_turn_the_fast_path_off(make_world):
    make_world("published")
    url = reverse("portal:index")
    for override in ({"JIXIAO_PAGE_CACHE": False}, {"DISALLOWED_USER_AGENTS": [re.compile("bot")]},
                     {"CSRF_USE_SESSIONS": True}):
        clear()
        visitor = FastPathClient()
        with override_settings(**override):
            assert not any(visitor.get(url).fast_path for _ in range(3)), override
    clear()
    assert _three_times(FastPathClient(), url)[2].fast_path


@pytest.mark.django_db
def test_the_wsgi_application_answers_through_the_fast_path(make_world, monkeypatch):
    from jixiao.web import wsgi

    make_world("published")
    url = reverse("portal:index")
    # As the test client does: Django's request signals would close the test's connection.
    monkeypatch.setattr(signals.request_started, "receivers", [])
    monkeypatch.setattr(signals.request_finished, "receivers", [])
    monkeypatch.setattr(signals.request_started, "sender_receivers_cache", {})
    monkeypatch.setattr(signals.request_finished, "sender_receivers_cache", {})
    calls = []
    django_app = wsgi.application.django_app
    monkeypatch.setattr(wsgi.application, "django_app", lambda e, s: calls.append(1) or django_app(e, s))
    results = []
    for _ in range(3):
        environ = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": url, "QUERY_STRING": "",
                   "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
                   "HTTP_HOST": "testserver", "HTTP_COOKIE": "csrftoken=" + "c" * 32, "wsgi.url_scheme": "http",
                   "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}
        seen = {}
        body = b"".join(wsgi.application(environ, lambda status, headers, exc_info=None, seen=seen: seen.update(
            status=status, headers=headers)))
        results.append((seen["status"], dict(seen["headers"]), body))
    assert len(calls) == 2  # the third answer did not reach Django
    status, headers, body = results[2]
    assert status == "200 OK" and headers[HEADER] == "hit" and int(headers["Content-Length"]) == len(body)
    assert headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    cookie = SimpleCookie(headers["Set-Cookie"])
    assert cookie["csrftoken"].value == "c" * 32
    assert PLACEHOLDER.encode() not in body


def test_masked_tokens_are_djangos():
    secret = "a1B2" * 8
    tokens = {fastpath.mask_secret(secret) for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    # Every character turns up in the masks (uniform draw, not a biased subset).
    assert set("".join(t[:32] for t in tokens)) == set(CSRF_ALLOWED_CHARS)
    assert fastpath.valid_secret(fastpath.new_secret())
    assert not fastpath.valid_secret("é" * 32) and not fastpath.valid_secret("a" * 31)


def test_decompressed_copies_are_bounded_and_follow_the_stored_page():
    store = PageStore(4000, 60)  # a quarter, 1000 bytes, kept decompressed
    body = b"x" * 300 + b"MARK" + b"y" * 300
    store.put("a", [], body)
    page = store.get("a")
    assert store.parts(page, b"MARK") == [b"x" * 300, b"y" * 300]
    assert store.parts(page, b"MARK") is store.parts(page, b"MARK")  # kept
    store.put("a", [], b"new")  # replaced: the old copy goes with it
    assert store.parts(store.get("a"), b"MARK") == [b"new"]
    for i in range(5):
        store.put(f"p{i}", [], bytes([65 + i]) * 400)
        store.parts(store.get(f"p{i}"), b"MARK")
    assert store._hot_bytes <= 1000 and len(store._hot) == 2


@pytest.mark.django_db
def test_the_token_on_a_fast_answer_is_good_for_the_requesters_post(make_world):
    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    browser = FastPathClient(enforce_csrf_checks=True)
    browser.force_login(world.users["reviewer"])
    fast = _three_times(browser, url)[2]
    token = set(TOKEN.findall(fast.content.decode()))
    assert len(token) == 1 and PLACEHOLDER not in fast.content.decode()
    r = browser.post(reverse("review:approve", args=[world.tables["own"].pk]), {"csrfmiddlewaretoken": token.pop()})
    assert r.status_code == 302
    assert DisclosureTable.objects.get(pk=world.tables["own"].pk).status == "approved"


def test_the_csrf_cookie_is_written_as_django_writes_it():
    import time as clock
    from types import SimpleNamespace

    from django.middleware.csrf import CsrfViewMiddleware

    secret = "d" * 32
    for _ in range(5):  # Django's cookie and ours made within the same second
        second = int(clock.time())
        response = HttpResponse()
        CsrfViewMiddleware(lambda r, response=response: response)._set_csrf_cookie(SimpleNamespace(META={"CSRF_COOKIE": secret}), response)
        ours, kept = fastpath.csrf_cookie_header(secret), fastpath._csrf_cookie_header(secret, fastpath.FAST.conf)
        if int(clock.time()) == second:
            break
    djangos = response.cookies["csrftoken"].output(header="")
    assert ours == djangos and kept == djangos
