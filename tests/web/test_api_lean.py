"""Anonymous API reads without the session/auth/messages/history middlewares (api_reads.py),
project records kept as JSON until the next publication (api/rows.py), and the page links
made once per request (views._page_url)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test import Client, RequestFactory, override_settings

from jixiao.web.api import views as api_views
from jixiao.web.api.rows import RowTexts
from jixiao.web.api.views import clear_caches

from .conftest import World
from .helpers import api_get as get
from .helpers import publish_generated

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    clear_caches()
    return Client()


@pytest.fixture
def world():
    w = World("draft")
    publish_generated(w, projects=7, seed=31, department="戊部门")
    publish_generated(w, projects=5, seed=32, department="己部门")
    return w


def _request(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


def test_anonymous_api_reads_skip_the_session_user_and_messages(client, world):
    request = _request(client, "/api/projects/?page_size=3").wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "user") and not hasattr(request, "_messages")
    # Any other page, or the API with a session cookie (a signed-in browser), goes through them.
    assert hasattr(_request(client, "/portal/").wsgi_request, "session")
    signed_in = Client()
    signed_in.force_login(world.users["reviewer"])
    request = _request(signed_in, "/api/projects/?page_size=4").wsgi_request
    assert request.user.is_authenticated and hasattr(request, "_messages")
    # A write to the API is not a read: every middleware (and a 405, as before).
    response = client.post("/api/projects/")
    assert response.status_code == 405 and hasattr(response.wsgi_request, "session")
    with override_settings(JIXIAO_API_LEAN=False):
        assert hasattr(_request(client, "/api/projects/?page_size=5").wsgi_request, "session")


def test_lean_api_answers_are_those_of_the_full_stack(client, world):
    # Same status, headers (security, CSP, Vary, language) and body, in both languages and for
    # errors; each URL asked once, so the API's answers are not reused.
    urls = ["/api/projects/?page_size=2&page={}", "/api/tables/?x={}", "/api/projects/?page=9{}",
            "/api/nowhere/{}", "/api/projects/?year=abc&n={}"]
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        for n, url in enumerate(urls):
            answers = []
            for lean in (True, False):
                with override_settings(JIXIAO_API_LEAN=lean):
                    clear_caches()
                    r = client.get(url.format(n + 1))
                answers.append((r.status_code, sorted((k, v) for k, v in r.items()),
                                r.content))
                assert hasattr(r.wsgi_request, "session") is not lean
            assert answers[0] == answers[1]


@override_settings(ALLOWED_HOSTS=["data.example.org"])
def test_page_links_are_those_of_urlencode():
    factory = RequestFactory()
    for query in ("", "page=3", "year=2019&page=2", "page_size=7&page=2&year=2019", "a=1&a=2&z=%E4%B8%AD&page=4",
                  "b=x+y&page=2&page_size=3&department=5", "%E7%AC%AC=1&page=2", "page=2&page=3", "pagex=1&pag=2"):
        request = factory.get("/api/projects/?" + query, HTTP_HOST="data.example.org")
        for page in (1, 2, 10):
            rest = [(name, values) for name, values in request.GET.lists() if name != "page"]
            expected = request.build_absolute_uri(
                request.path + "?" + urlencode(sorted([*rest, ("page", [str(page)])]), doseq=True))
            assert api_views._page_url(request, page) == expected, query


def test_kept_records_give_the_same_pages(client, world):
    urls = [f"/api/projects/?page={p}&page_size={s}" for s, pages in ((1, 12), (5, 3), (4, 3)) for p in range(1, pages + 1)]
    fresh = {}
    for url in urls:
        api_views.RESPONSE_CACHE.clear()
        api_views.ROWS.clear()
        fresh[url] = _request(client, url).content
    clear_caches()
    for url in urls:  # now most rows come from api_views.ROWS
        api_views.RESPONSE_CACHE.clear()
        assert _request(client, url + "&again=1").content.replace(b"again=1&", b"").replace(b"&again=1", b"") == fresh[url]
    assert len(api_views.ROWS) == 12


def test_kept_records_follow_the_host(client, world):
    # The links in a record name the host it was asked on.
    for host in ("a.example.org", "b.example.org"):
        with override_settings(ALLOWED_HOSTS=["a.example.org", "b.example.org"]):
            data = json.loads(client.get("/api/projects/?page_size=3", HTTP_HOST=host).content)
        assert all(r["url"].startswith(f"http://{host}/api/projects/") for r in data["results"])
        assert all(r["table_url"].startswith(f"http://{host}/api/tables/") for r in data["results"])


def test_a_publication_retires_kept_records(client, world):
    first = get(client, "/api/projects/", page_size=100)
    assert first["count"] == 12 and len(api_views.ROWS) == 12
    # A publication is a new generation: the records kept are dropped, the page read afresh.
    publish_generated(world, projects=2, seed=33, department="庚部门")
    again = get(client, "/api/projects/", page_size=100, n=1)
    assert again["count"] == 14 and len(api_views.ROWS) == 14


def test_row_texts_bounds():
    rows = RowTexts(max_bytes=10)
    rows.put("g1", ("l",), {1: b"aaaa", 2: b"bbbb"})
    assert rows.get("g1", ("l",), [1, 2, 3]) == ({1: b"aaaa", 2: b"bbbb"}, [3])
    assert rows.get("g1", ("other",), [1]) == ({}, [1])  # other links (host): not the same record
    rows.put("g1", ("l",), {3: b"cccc"})  # over 10 bytes: the oldest goes
    assert rows.get("g1", ("l",), [1, 2, 3]) == ({2: b"bbbb", 3: b"cccc"}, [1])
    rows.put("g1", ("l",), {4: b"x" * 11})  # larger than the bound: not kept, nothing dropped
    assert len(rows) == 2
    assert rows.get("g2", ("l",), [2]) == ({}, [2])  # another generation: nothing kept for it
    rows.put("g2", ("l",), {5: b"e"})
    assert len(rows) == 1 and rows.get("g1", ("l",), [2]) == ({}, [2])
    off = RowTexts(max_bytes=0)
    off.put("g1", ("l",), {1: b"a"})
    assert len(off) == 0


def test_api_generation_is_read_once_per_answer_and_sees_every_publication(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts(url):
        with CaptureQueriesContext(connection) as ctx:
            _request(client, url)
        return sum('COUNT(*) FROM "api_publishedtable"' in q["sql"] for q in ctx.captured_queries)

    assert counts("/api/projects/?page=1&page_size=2") == 1
    assert counts("/api/projects/?page=2&page_size=2") == 1
    publish_generated(world, projects=1, seed=34, department="辛部门")
    assert counts("/api/projects/?page=3&page_size=2") == 1
    assert get(client, "/api/projects/", page_size=50)["count"] == 13
