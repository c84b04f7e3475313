"""The portal's pages are public and conditional (jixiao.web.freshness): no CSRF token and
no cookie for an anonymous visitor, an ETag that changes exactly when what the page shows can
change (a publication, a withdrawal, the language), 304 when it has not, ``Cache-Control:
public, max-age`` from JIXIAO_PUBLIC_CACHE_SECONDS and ``Vary: Cookie`` — so a reverse proxy
can keep them. Signed-in pages, forms and errors are ``private, no-store``."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from jixiao.web.review import workflow

from .helpers import publish_generated


def _directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


@pytest.fixture
def published(world):
    return publish_generated(world, projects=3, seed=7)


def _portal_urls(pub) -> list[str]:
    return [reverse("portal:index"), reverse("portal:index") + "?year=2019", reverse("portal:index") + "?q=%E9%A1%B9",
            reverse("portal:publication", args=[pub.pk]), reverse("portal:project", args=[pub.pk, 0]),
            reverse("portal:download", args=[pub.pk, "csv"]), reverse("portal:project_mof", args=[pub.pk, 0, "xlsx"])]


def test_anonymous_portal_pages_are_public_carry_no_csrf_token_and_set_no_cookie(published):
    visitor = Client(enforce_csrf_checks=True)
    for url in _portal_urls(published):
        r = visitor.get(url)
        assert r.status_code == 200, url
        assert _directives(r) == {"public", "max-age=60"}, url
        assert re.fullmatch(r'"[0-9a-f]{32}"', r["ETag"]), url
        assert "cookie" in _vary(r) and "accept-language" not in _vary(r), url
        assert not r.cookies, (url, r.cookies)  # neither csrftoken nor sessionid nor messages
        if r["Content-Type"].startswith("text/html"):
            body = r.content.decode()
            assert "csrfmiddlewaretoken" not in body and "<form method=\"post\"" not in body, url
    assert not visitor.cookies


def test_an_unchanged_page_is_answered_304_without_a_body(published):
    visitor = Client()
    for url in _portal_urls(published)[:5]:
        first = visitor.get(url)
        again = visitor.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304 and again.content == b"", url
        assert again["ETag"] == first["ETag"] and _directives(again) == {"public", "max-age=60"}, url
        assert "cookie" in _vary(again), url
        assert visitor.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_publication_and_a_withdrawal_change_every_portal_etag(world, published):
    visitor = Client()
    url = reverse("portal:index")
    before = visitor.get(url)["ETag"]
    assert visitor.get(url)["ETag"] == before  # nothing changed: the same tag
    publish_generated(world, projects=2, seed=8, department="辛部门")
    after_publication = visitor.get(url, headers={"If-None-Match": before})
    assert after_publication.status_code == 200 and "辛部门" in after_publication.content.decode()
    tag = after_publication["ETag"]
    workflow.withdraw(published.table, world.users["reviewer"], "数据有误")
    project_page = reverse("portal:project", args=[published.pk, 0])
    r = visitor.get(url, headers={"If-None-Match": tag})
    assert r.status_code == 200 and r["ETag"] != tag and "已撤回" in r.content.decode()
    assert visitor.get(project_page, headers={"If-None-Match": tag}).status_code == 200


def test_each_language_has_its_own_etag(published):
    chinese, english = Client(), Client()
    english.cookies["django_language"] = "en"
    url = reverse("portal:publication", args=[published.pk])
    zh, en = chinese.get(url), english.get(url)
    assert zh["ETag"] != en["ETag"] and zh["Content-Language"] == "zh-hans" and en["Content-Language"] == "en"
    # A copy in one language never answers a request in the other.
    assert english.get(url, headers={"If-None-Match": zh["ETag"]}).status_code == 200


def test_the_cache_lifetime_is_a_setting_and_0_means_ask_every_time(published):
    url = reverse("portal:index")
    with override_settings(JIXIAO_PUBLIC_CACHE_SECONDS=300):
        assert _directives(Client().get(url)) == {"public", "max-age=300"}
    with override_settings(JIXIAO_PUBLIC_CACHE_SECONDS=0):
        r = Client().get(url)
        assert _directives(r) == {"public", "no-cache"}
        assert Client().get(url, headers={"If-None-Match": r["ETag"]}).status_code == 304


def test_signed_in_visitors_get_private_answers(world, published):
    staff = Client()
    staff.force_login(world.users["reviewer"])
    for url in _portal_urls(published)[:5] + [reverse("entry:home")]:
        r = staff.get(url)
        assert r.status_code == 200 and {"private", "no-store"} <= _directives(r), url
        assert "public" not in _directives(r), url
    anonymous_tag = Client().get(reverse("portal:index"))["ETag"]
    assert staff.get(reverse("portal:index"), headers={"If-None-Match": anonymous_tag}).status_code == 200


def test_pages_that_say_nothing_are_private_and_not_stored(world):
    login = Client().get(reverse("accounts:login"))
    assert "csrfmiddlewaretoken" in login.content.decode() and "csrftoken" in login.cookies  # the login keeps CSRF
    assert {"private", "no-store"} <= _directives(login)
    missing = Client().get("/no-such-page/")
    assert missing.status_code == 404 and {"private", "no-store"} <= _directives(missing)
    assert Client().get(reverse("portal:publication", args=[999999])).status_code == 404
