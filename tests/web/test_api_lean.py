"""Anonymous API reads without the session/auth/messages/history middlewares (api_reads.py),
project records whose links follow the host, and the page links made once per request
(views._page_link)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test import Client, RequestFactory, override_settings

from jixiao.web.api import views as api_views

from .conftest import World
from .helpers import api_get as get
from .helpers import publish_generated

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
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
    # errors.
    urls = ["/api/projects/?page_size=2&page={}", "/api/tables/?x={}", "/api/projects/?page=9{}",
            "/api/nowhere/{}", "/api/projects/?year=abc&n={}"]
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        for n, url in enumerate(urls):
            answers = []
            for lean in (True, False):
                with override_settings(JIXIAO_API_LEAN=lean):
                    r = client.get(url.format(n + 1))
                answers.append((r.status_code, sorted(r.items()),
                                r.content))
                assert hasattr(r.wsgi_request, "session") is not lean
            assert answers[0] == answers[1]


@override_settings(ALLOWED_HOSTS=["data.example.org"])
def test_page_links_are_those_of_urlencode():
    factory = RequestFactory()
    for query in ("", "page=3", "year=2019&page=2", "page_size=7&cursor=WyJh&year=2019", "a=1&a=2&z=%E4%B8%AD&page=4",
                  "b=x+y&page=2&page_size=3&department=5", "%E7%AC%AC=1&page=2", "cursor=x&cursor=y", "cursorx=1&cur=2"):
        request = factory.get("/api/projects/?" + query, HTTP_HOST="data.example.org")
        for cursor in ("WyJhIiwyMDE5XQ", "WyJiIiwxXQ"):
            rest = [(name, values) for name, values in request.GET.lists() if name not in ("page", "cursor")]
            expected = request.build_absolute_uri(
                request.path + "?" + urlencode(sorted([*rest, ("cursor", [cursor])]), doseq=True))
            assert api_views._page_link(request)(cursor) == expected, query


def test_record_links_follow_the_host(client, world):
    # The links in a record name the host it was asked on.
    for host in ("a.example.org", "b.example.org"):
        with override_settings(ALLOWED_HOSTS=["a.example.org", "b.example.org"]):
            data = json.loads(client.get("/api/projects/?page_size=3", HTTP_HOST=host).content)
        assert all(r["url"].startswith(f"http://{host}/api/projects/") for r in data["results"])
        assert all(r["table_url"].startswith(f"http://{host}/api/tables/") for r in data["results"])


def test_a_publication_shows_on_the_next_request(client, world):
    # Nothing is kept between requests: any process answers with what the database holds.
    assert get(client, "/api/projects/", page_size=100)["count"] == 12
    publish_generated(world, projects=2, seed=33, department="庚部门")
    again = get(client, "/api/projects/", page_size=100)
    assert again["count"] == 14 and len(again["results"]) == 14
