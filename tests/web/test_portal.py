"""The public portal: reached from the home page by following links, searchable by substrings of
Chinese names, downloads in every format, a page per project with its score's reasons — and
never anything but frozen publications (drafts and unpublished changes stay invisible)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.core.scoring import score_project
from jixiao.web.entry import downloads
from jixiao.web.entry.models import DisclosureTable, Project, Publication
from jixiao.web.portal.models import PublishedProject, PublishedTable
from jixiao.web.review import workflow

from .conftest import explain_all
from jixiao.core.reasons import render


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(db, tmp_path):
    from django.contrib.auth.models import User

    from jixiao.web import demo_data

    demo_data.load(tmp_path)
    return {u.username: u for u in User.objects.all()}


def href(body: str, attr_pattern: str) -> str:
    """The href of the first <a> whose attributes match ``attr_pattern`` (either order)."""
    for tag in re.findall(r"<a\b[^>]*>", body):
        if re.search(attr_pattern, tag):
            return html.unescape(re.search(r'href="([^"]+)"', tag).group(1))
    raise AssertionError(f"no link matching {attr_pattern}")


def link_with_text(body: str, text: str) -> str:
    m = re.search(r'<a\b[^>]*href="([^"]+)"[^>]*>[^<]*' + re.escape(text), body)
    assert m, f"no link with text {text}"
    return html.unescape(m.group(1))


def test_anonymous_visitor_follows_links_from_home_to_the_published_seed_table_and_downloads_it(demo):
    from jixiao.web import demo_data

    seed = demo_data.seed_table()
    visitor = Client()
    home = visitor.get("/", follow=True)
    assert home.status_code == 200
    portal = visitor.get(href(home.content.decode(), r'id="nav-portal"'))
    assert portal.status_code == 200
    body = portal.content.decode()
    assert seed.department in body
    table_page = visitor.get(link_with_text(body, seed.department))
    assert table_page.status_code == 200
    page = table_page.content.decode()
    pub = Publication.objects.get(table__department__name=seed.department)
    assert pub.published_at.astimezone().strftime("%Y-%m-%d") in page and 'id="publication-date"' in page
    for p in seed.projects:
        assert html.escape(p.name) in page
    formats = downloads.available_formats("disclosure")
    assert set(formats) >= {"json", "xlsx", "pdf", "html", "csv"}
    for fmt in formats:
        r = visitor.get(href(page, rf'id="portal-dl-{fmt}"'))
        assert r.status_code == 200, fmt
        assert "attachment" in r["Content-Disposition"]
        data = b"".join(r.streaming_content) if r.streaming else r.content
        assert len(data) > 200, fmt
        if fmt == "json":
            doc = json.loads(data)
            assert [p["name"] for p in doc["projects"]] == [p.name for p in seed.projects]
        elif fmt == "xlsx":
            cells = " ".join(str(c) for row in load_workbook(BytesIO(data)).active.iter_rows(values_only=True)
                             for c in row if c is not None)
            assert seed.projects[2].name in cells
        elif fmt == "pdf":
            assert data.startswith(b"%PDF")


def test_each_year_links_its_whole_open_data_file(demo):
    """The portal's year sections link the API's year files: every published project as one CSV
    (for Excel) and every published table as JSON."""
    from jixiao.web import demo_data

    seed = demo_data.seed_table()
    visitor = Client()
    body = visitor.get("/portal/").content.decode()
    csv_file = visitor.get(href(body, rf'id="year-csv-{seed.year}"'))
    assert csv_file.status_code == 200 and csv_file["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(csv_file.streaming_content).decode("utf-8-sig")
    assert all(p.name in text for p in seed.projects)
    json_file = visitor.get(href(body, rf'id="year-json-{seed.year}"'))
    items = json.loads(b"".join(json_file.streaming_content))  # each snapshot with its status
    assert seed.department in [i["document"]["department"] for i in items]


def test_a_years_totals_add_up_past_the_64_bit_integers(world):
    """A province's year: 200 000 projects of up to 10^10 元 are 2 × 10^19 units of 0.0001 元,
    past 9.2 × 10^18 where SQLite's integer SUM fails ("integer overflow"); the index sums
    the amounts as the dashboard does (dashboard/amounts.py)."""
    from .helpers import publish_generated

    half = 5 * 10**18  # 50 000 projects of 10^10 元 in each of two tables: each fits, the sum does not
    for seed, department in ((1, "甲省财政厅"), (2, "乙省财政厅")):
        pub = publish_generated(world, projects=2, seed=seed, department=department)
        PublishedTable.objects.filter(publication=pub).update(budget_e4=half, actual_e4=half)
    r = Client().get(reverse("portal:index"))
    assert r.status_code == 200
    total = re.search(r'<tfoot>.*?</tfoot>', r.content.decode(), re.S).group(0)
    assert re.search(r">100,?000,?000,?000\.00<", total)  # 10^19 units = 10^11 万元
    assert "100.00%" in total


@pytest.mark.parametrize("query", ["工商", "工商业联合", "龙岗区工商", "党员教育", "教育", "办公设备"])
def test_search_matches_substrings_of_chinese_names(demo, query):
    from jixiao.web import demo_data

    seed = demo_data.seed_table()
    body = Client().get(reverse("portal:index"), {"q": query}).content.decode()
    found = re.findall(r'class="portal-project-link">([^<]+)<', body)
    expected = [p.name for p in seed.projects if query in p.name or query in seed.department]
    assert found == expected
    if query in seed.department:
        assert seed.department in body[body.index('id="search-tables"'):]


def test_search_finds_the_seed_table_and_opens_it(demo):
    from jixiao.web import demo_data

    seed = demo_data.seed_table()
    visitor = Client()
    portal = visitor.get(reverse("portal:index")).content.decode()
    form_action = re.search(r'<form method="get" action="([^"]+)" class="portal-search', portal).group(1)
    results = visitor.get(form_action, {"q": "工商业"}).content.decode()
    page = visitor.get(link_with_text(results, seed.department)).content.decode()
    assert seed.display_title in html.unescape(page)


def test_drafts_and_submitted_tables_are_never_visible(demo):
    from jixiao.web import demo_data

    second = demo_data.second_table()  # submitted, under review: not published
    visitor = Client()
    index = visitor.get(reverse("portal:index")).content.decode()
    assert second.department not in index
    for p in second.projects:
        body = visitor.get(reverse("portal:index"), {"q": p.name}).content.decode()
        assert p.name not in re.findall(r'class="portal-project-link">([^<]+)<', body)
    table = DisclosureTable.objects.get(department__name=second.department)
    assert not PublishedTable.objects.filter(table_id_ref=table.pk).exists()
    body = visitor.get(reverse("portal:index"), {"q": second.department[-5:]}).content.decode()
    assert second.department not in body


def test_unpublished_changes_stay_invisible_until_published_again(demo):
    from jixiao.web import demo_data

    seed = demo_data.seed_table()
    users = demo
    table = DisclosureTable.objects.get(department__name=seed.department)
    first = PublishedTable.objects.get(table_id_ref=table.pk)
    workflow.reopen(table, users["gsl_approver"])
    row = table.projects.get(seq=1)
    row.name = "修订中的秘密项目名称"
    row.save()
    visitor = Client()
    page = visitor.get(reverse("portal:publication", args=[first.pk])).content.decode()
    assert "修订中的秘密项目名称" not in page and seed.projects[0].name in page
    search = visitor.get(reverse("portal:index"), {"q": "秘密项目"}).content.decode()
    assert "修订中的秘密项目名称" not in search
    r = visitor.get(reverse("portal:download", args=[first.pk, "json"]))
    assert "修订中的秘密项目名称" not in r.content.decode()
    assert "修订中的秘密项目名称" not in visitor.get(reverse("portal:project", args=[first.pk, 0])).content.decode()

    workflow.submit(table, users["gsl_approver"], explanations=explain_all(table))
    workflow.approve(table, users["czj_reviewer"])
    workflow.publish(table, users["czj_reviewer"])
    second = PublishedTable.objects.get(table_id_ref=table.pk, number=2)
    first.refresh_from_db()
    assert second.current and not first.current
    search = visitor.get(reverse("portal:index"), {"q": "秘密项目"}).content.decode()
    assert "修订中的秘密项目名称" in search
    old = visitor.get(reverse("portal:publication", args=[first.pk])).content.decode()
    assert reverse("portal:publication", args=[second.pk]) in old  # the older page points to the newer
    index = visitor.get(reverse("portal:index")).content.decode()
    assert reverse("portal:publication", args=[second.pk]) in index
    assert reverse("portal:publication", args=[first.pk]) + '"' not in index


def test_project_page_shows_indicators_and_the_reasons_behind_the_score(demo):
    from jixiao.web import demo_data

    seed = demo_data.seed_table()
    entry = PublishedTable.objects.get(department=seed.department)
    visitor = Client()
    for position, p in enumerate(seed.projects):
        body = html.unescape(visitor.get(reverse("portal:project", args=[entry.pk, position])).content.decode())
        score = score_project(p)
        assert p.name in body
        for _key, cell in p.sorted_indicators():
            assert cell.target.split("\n")[0] in body
        assert f"建议总分 <strong>{score.total}</strong>" in body and score.grade in body
        for reason in score.reasons + score.execution.reasons:
            assert render(reason).split("\n")[0] in body
        for cat in score.categories:
            for ind in cat.indicators:
                for reason in ind.reasons:
                    assert render(reason).split("\n")[0] in body
    stored = PublishedProject.objects.get(entry=entry, position=0)
    assert stored.grade == score_project(seed.projects[0]).grade
    assert visitor.get(reverse("portal:project", args=[entry.pk, 99])).status_code == 404
    for fmt in downloads.available_formats("mof-form"):
        assert visitor.get(reverse("portal:project_mof", args=[entry.pk, 0, fmt])).status_code == 200


def test_unknown_objects_and_formats_are_404(demo):
    entry = PublishedTable.objects.first()
    visitor = Client()
    assert visitor.get(reverse("portal:publication", args=[999999])).status_code == 404
    assert visitor.get(reverse("portal:download", args=[entry.pk, "exe"])).status_code == 404
    assert visitor.get(reverse("portal:project_mof", args=[entry.pk, 0, "exe"])).status_code == 404
    assert visitor.post(reverse("portal:index")).status_code == 405


def test_search_input_is_escaped_and_bounded(demo):
    body = Client().get(reverse("portal:index"), {"q": "<script>alert(1)</script>" + "长" * 500}).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    assert Client().get(reverse("portal:index"), {"q": "%_'\""}).status_code == 200


def test_portal_markup_is_accessible_and_prints_on_a3_landscape(demo):
    entry = PublishedTable.objects.first()
    visitor = Client()
    for url in (reverse("portal:index"), reverse("portal:publication", args=[entry.pk]),
                reverse("portal:project", args=[entry.pk, 0]), reverse("portal:index") + "?q=党"):
        body = visitor.get(url).content.decode()
        assert '<th scope="col"' in body, url
        assert ('role="search"' in body) == (url.startswith(reverse("portal:index") + "?") or url == reverse(
            "portal:index")), url
        assert "<script>" not in body and " style=" not in body, url
        assert "/static/portal/portal.css" in body, url
    body = visitor.get(reverse("portal:publication", args=[entry.pk])).content.decode()
    assert '<th scope="row"' in body and '<th scope="colgroup"' in body and "<caption" in body
    index = visitor.get(reverse("portal:index")).content.decode()
    assert '<label for="portal-q">' in index
    import jixiao.web.portal as app

    css = (Path(app.__file__).parent / "static/portal/portal.css").read_text(encoding="utf-8")
    assert re.search(r"@media print\s*{\s*@page\s*{\s*size:\s*A3 landscape", css)


def test_publications_made_before_the_portal_are_indexed_after_migrate(demo):
    PublishedTable.objects.all().delete()
    from django.apps import apps

    from jixiao.web.portal import signals

    signals.backfill(sender=None, app_config=apps.get_app_config("portal"))
    assert PublishedTable.objects.count() == Publication.objects.count() == 1
    assert PublishedProject.objects.count() == 6


def test_project_rows_of_the_live_table_are_not_read_by_the_portal(demo):
    # Even deleting every live project leaves the public pages as published.
    from jixiao.web import demo_data

    seed = demo_data.seed_table()
    Project.objects.filter(table__department__name=seed.department).delete()
    entry = PublishedTable.objects.get(department=seed.department)
    body = Client().get(reverse("portal:publication", args=[entry.pk])).content.decode()
    assert html.escape(seed.projects[-1].name) in body


@pytest.mark.skipif(not os.environ.get("JIXIAO_TEST_DATABASE_URL") or os.environ.get("JIXIAO_WEB_TEST_DB") == "postgres",
                    reason="JIXIAO_TEST_DATABASE_URL not set (or already in the PostgreSQL run)")
def test_dashboard_and_portal_pass_on_postgresql():
    # The same pattern as test_postgres.py: a child pytest against PostgreSQL (icontains on
    # Chinese text, integer sums, the aggregates' SQL) in a test database of its own.
    env = {**os.environ, "JIXIAO_WEB_TEST_DB": "postgres", "DATABASE_URL": os.environ["JIXIAO_TEST_DATABASE_URL"]}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "-k", "not pass_on_postgresql",
           "tests/web/test_dashboard.py", "tests/web/test_dashboard_versions.py",
           "tests/web/test_dashboard_table_figures.py",  # the table's row lock against a lost update
           "tests/web/test_page_queries.py", "tests/web/test_portal.py",
           "tests/web/test_portal_queries.py", "tests/web/test_portal_caching.py",  # the stored search, LIKE, ETag
           "tests/web/test_postgres.py::test_running_on_postgresql"]
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert " passed" in r.stdout
