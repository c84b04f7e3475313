"""HTTP methods: HEAD is answered wherever GET is, and the read-only API answers any other
method with 405 and an ``Allow`` header (docs/api.md), never the CSRF check's 403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import World


def _pages(world):
    from jixiao.web.entry.models import Publication

    table, project = world.tables["own"], world.projects["own"]
    publication = Publication.objects.get(table=table)
    signed_in = [reverse("entry:home"), reverse("entry:table", args=[table.pk]),
                 reverse("entry:project", args=[project.pk]), reverse("entry:project_history", args=[project.pk]),
                 reverse("entry:import"), reverse("review:project_scores", args=[project.pk]),
                 reverse("dashboard:index"), reverse("dashboard:projects")]
    anonymous = [reverse("accounts:login"), reverse("portal:index"),
                 reverse("portal:publication", args=[publication.pk]),
                 reverse("portal:project", args=[publication.pk, 1]),
                 reverse("api:root"), reverse("api:tables"), "/api/no-such-thing/"]
    return signed_in, anonymous


@pytest.mark.slow
@pytest.mark.django_db
def test_head_is_answered_wherever_get_is():
    world = World("published")
    signed_in, anonymous = _pages(world)
    admin = Client()
    admin.force_login(world.users["admin"])
    for client, urls in ((admin, signed_in), (Client(), anonymous)):
        for url in urls:
            get = client.get(url)
            head = client.head(url)
            assert get.status_code != 405, url
            assert head.status_code == get.status_code, (url, head.status_code, get.status_code)
            assert head.content == b"", url


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_answers_other_methods_with_405_and_allow(method):
    World("published")
    client = Client(enforce_csrf_checks=True)  # as a script would send them: no CSRF token
    for url in (reverse("api:root"), reverse("api:tables"), "/api/tables/1/", "/api/no-such-thing/"):
        r = getattr(client, method)(url)
        assert r.status_code == 405, (method, url, r.status_code)
        assert r["Allow"] == "GET, HEAD", url
    # Nothing changed: the API still reads the same.
    assert client.get(reverse("api:tables")).status_code == 200


@pytest.mark.django_db
def test_pages_that_take_posts_still_need_the_csrf_token():
    world = World("draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["editor"])
    r = client.post(reverse("entry:project_delete", args=[world.projects["own"].pk]))
    assert r.status_code == 403
    assert world.projects["own"].__class__.objects.filter(pk=world.projects["own"].pk).exists()
