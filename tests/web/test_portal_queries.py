"""Every portal page runs the same small number of SQL queries however many tables and projects
are published (jixiao.web.portal.views: one grouped query for the years, one page of rows,
the ETag's query, the years of published targets on the index) — counted on a small and on a larger portal."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.web.review import workflow

from .helpers import publish_generated

# The most queries any portal page may run (anonymous visitor, no session).
MOST = 6  # the table page (docs/portal.md); 8 while the ETag read three aggregates instead of one query


def _pages(pub) -> dict[str, str]:
    index = reverse("portal:index")
    return {
        "index": index,
        "year": index + "?year=2019",
        "year, second page": index + "?year=2019&page=2",
        "search": index + "?q=%E9%A1%B9%E7%9B%AE",  # 项目: matches every project
        "search in a year": index + "?q=%E9%A1%B9%E7%9B%AE&year=2019&page=2",
        "table": reverse("portal:publication", args=[pub.pk]),
        "project": reverse("portal:project", args=[pub.pk, 1]),
        "download": reverse("portal:download", args=[pub.pk, "json"]),
        "project download": reverse("portal:project_mof", args=[pub.pk, 1, "xlsx"]),
    }


def _counts(pub) -> dict[str, int]:
    visitor = Client()
    counts = {}
    for name, url in _pages(pub).items():
        with CaptureQueriesContext(connection) as ctx:
            assert visitor.get(url).status_code == 200, url
        counts[name] = len(ctx.captured_queries)
    return counts


@pytest.mark.slow
def test_portal_pages_run_the_same_few_queries_however_much_is_published(world):
    first = publish_generated(world, projects=3, seed=21)
    small = _counts(first)
    assert max(small.values()) <= MOST, small
    # More tables in two years, more projects per table, a withdrawal, and enough rows for a
    # second page of search results (50 a page).
    for n in range(5):
        publish_generated(world, projects=14, seed=30 + n, year=2019 + n % 2)
    workflow.withdraw(first.table, world.users["reviewer"], "数据有误")
    larger = _counts(first)
    assert larger == small


def test_the_search_ignores_the_case_of_latin_letters(world):
    from .conftest import bring_to, make_project

    table = world.tables["own"]
    make_project(table, seq=2, name="LED照明改造", unit_name="Street Office")
    bring_to(table, "published", world.users["admin"], world.users["reviewer"])
    for query in ("led", "LED照明", "street office", "Led照"):
        body = Client().get(reverse("portal:index"), {"q": query}).content.decode()
        assert "LED照明改造" in body, query
    assert "LED照明改造" not in Client().get(reverse("portal:index"), {"q": "led%"}).content.decode()
