"""Approved 绩效目标表 are public (部门预算公开 publishes the targets with the budget): the approval
publishes the frozen sheet on the portal — a page per department and year, anonymous and
cacheable, with XLSX, PDF and JSON downloads — and in the API; a sheet reopened for an
adjustment stays public as approved, marked, until the adjustment is approved."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .test_targets import add_project, approved_sheet, login, management, project_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(world):
    from jixiao.web.entry.models import Year
    from jixiao.web.targets.models import TargetSheet

    return TargetSheet.objects.create(year=Year.objects.get_or_create(year=2024)[0], department=world.dept_a)


def published(sheet):
    from jixiao.web.targets.models import PublishedTargets

    return PublishedTargets.objects.get(sheet=sheet, current=True)


def test_a_sheet_is_public_only_once_the_bureau_approved_it(client, world, sheet):
    from jixiao.web.targets.models import PublishedTargets

    login(client, world, "approver")
    add_project(client, sheet)
    client.post(f"/targets/{sheet.pk}/submit/")
    assert not PublishedTargets.objects.exists()
    assert "甲部门" not in Client().get("/portal/targets/").content.decode()
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/approve/")
    pub = published(sheet)
    assert (pub.year, pub.project_count, pub.indicator_count) == (2024, 1, 4)


def test_the_public_targets_page_lists_projects_and_indicators_anonymously_and_cacheably(client, world, sheet):
    approved_sheet(client, world, sheet)
    pub = published(sheet)
    visitor = Client()
    index = visitor.get("/portal/").content.decode()
    assert f"/portal/targets/?year={pub.year}" in index
    year = visitor.get("/portal/targets/", {"year": 2024}).content.decode()
    assert f"/portal/targets/{pub.pk}/" in year and world.dept_a.name in year
    response = visitor.get(f"/portal/targets/{pub.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "农村道路养护" in page and "养护里程" in page and "路况优良率" in page and "≥" in page and "120" in page
    assert "csrfmiddlewaretoken" not in page and "Set-Cookie" not in response.headers
    assert "public" in response["Cache-Control"] and response["ETag"]
    again = visitor.get(f"/portal/targets/{pub.pk}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_public_targets_page_runs_the_same_few_queries_however_many_projects(client, world, sheet):
    def count():
        pub = published(sheet)
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(f"/portal/targets/{pub.pk}/").status_code == 200
        with CaptureQueriesContext(connection) as year:
            assert Client().get("/portal/targets/").status_code == 200
        return len(ctx.captured_queries), len(year.captured_queries)

    approved_sheet(client, world, sheet)
    small = count()
    login(client, world, "approver")
    client.post(f"/targets/{sheet.pk}/reopen/")
    for n in range(3):
        add_project(client, sheet, name=f"项目{n}", goal=f"目标{n}")
    client.post(f"/targets/{sheet.pk}/submit/")
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/approve/")
    assert published(sheet).project_count == 4
    assert count() == small and max(small) <= 6, small


def test_the_public_sheet_downloads_as_xlsx_and_json(client, world, sheet):
    from jixiao.formats import targets_json

    approved_sheet(client, world, sheet)
    pub = published(sheet)
    data = Client().get(f"/portal/targets/{pub.pk}/download/json/")
    assert data.status_code == 200
    core = targets_json.loads(data.content)
    assert core.projects[0].name == "农村道路养护" and len(core.projects[0].indicators) == 4
    xlsx = Client().get(f"/portal/targets/{pub.pk}/download/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert Client().get(f"/portal/targets/{pub.pk}/download/exe/").status_code == 404


@pytest.mark.slow
def test_the_public_sheet_downloads_as_pdf(client, world, sheet):
    approved_sheet(client, world, sheet)
    response = Client().get(f"/portal/targets/{published(sheet).pk}/download/pdf/")
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"


def test_a_reopened_sheet_stays_public_as_approved_marked_until_the_adjustment_is_approved(client, world, sheet):
    approved_sheet(client, world, sheet)
    first = published(sheet)
    url = f"/portal/targets/{first.pk}/"
    etag = Client().get(url)["ETag"]
    login(client, world, "approver")
    client.post(f"/targets/{sheet.pk}/reopen/")
    project = sheet.projects.get()
    data = project_post(**management(6, 4))
    data["ind-1-value"] = "85"
    client.post(f"/targets/project/{project.pk}/", data)
    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200  # the mark changed the page
    page = response.content.decode()
    assert "调整审核中" in page and 'id="targets-adjusting"' in page
    assert ">90<" in page and ">85<" not in page  # the approved target, not the draft
    client.post(f"/targets/{sheet.pk}/submit/")
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/approve/")
    second = published(sheet)
    assert second.pk != first.pk and not second.adjusting
    new_page = Client().get(f"/portal/targets/{second.pk}/").content.decode()
    assert ">85<" in new_page and "调整审核中" not in new_page
    old_page = Client().get(url).content.decode()
    assert 'id="targets-superseded"' in old_page and f"/portal/targets/{second.pk}/" in old_page


def test_the_public_targets_pages_speak_english(client, world, sheet):
    approved_sheet(client, world, sheet)
    pub = published(sheet)
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    page = visitor.get(f"/portal/targets/{pub.pk}/").content.decode()
    assert "Approved by the finance bureau and published on" in page and "Overall goal for the year" in page
    assert "Published performance targets of departmental budget projects" in visitor.get("/portal/targets/").content.decode()


def test_the_stored_quality_figures_follow_the_sheet_through_review(client, world, sheet):
    from jixiao.web.targets.models import TargetQuality

    login(client, world, "approver")
    add_project(client, sheet, **{"ind-1-value": "", "ind-1-nature": ""})  # JX601, a warning
    assert not TargetQuality.objects.exists()  # a draft is not counted
    client.post(f"/targets/{sheet.pk}/submit/")
    row = TargetQuality.objects.get(sheet=sheet)
    assert row.status == "submitted" and row.codes.get("JX601") == 1 and row.errors == 0
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/approve/")
    row.refresh_from_db()
    assert row.status == "approved" and (row.year, row.department) == (2024, world.dept_a.name)
    assert json.dumps(row.codes)  # stored as JSON


def _json(response):
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_the_api_lists_approved_targets_with_projects_and_indicators_as_its_schema_says(client, world, sheet):
    from .test_api import check

    login(client, world, "approver")
    add_project(client, sheet)
    client.post(f"/targets/{sheet.pk}/submit/")
    assert _json(Client().get("/api/targets/"))["count"] == 0  # submitted, not approved
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/approve/")
    listing = _json(Client().get("/api/targets/"))
    check(listing, "TargetPage")
    (record,) = listing["results"]
    assert (record["year"], record["department"]["name"], record["adjusting"]) == (2024, world.dept_a.name, False)
    (project,) = record["projects"]
    assert project["name"] == "农村道路养护" and project["funds"]["total"] == "100.00"
    assert [(i["kind"], i["name"], i["nature"], i["value"], i["unit"]) for i in project["indicators"]][:2] == [
        ("quantity", "养护里程", ">=", "120", "公里"), ("quality", "路况优良率", ">=", "90", "%")]
    check(_json(Client().get(record["url"])), "TargetSheet")
    assert _json(Client().get("/api/targets/", {"year": 2025}))["count"] == 0
    assert Client().get("/api/targets/", {"year": "x"}).status_code == 400
    assert Client().get("/api/targets/999999/").status_code == 404
    check(_json(Client().get("/api/")), "Root")


def test_the_api_pages_targets_by_cursor_and_answers_unchanged_ones_with_304(client, world, sheet):
    from jixiao.web.entry.models import Year
    from jixiao.web.targets.models import TargetSheet

    approved_sheet(client, world, sheet)
    other = TargetSheet.objects.create(year=Year.objects.get_or_create(year=2025)[0], department=world.dept_a)
    approved_sheet(client, world, other)
    first = _json(Client().get("/api/targets/", {"page_size": 1}))
    assert first["count"] == 2 and first["results"][0]["year"] == 2025 and first["next"]
    second = _json(Client().get(first["next"]))
    assert second["results"][0]["year"] == 2024 and second["next"] is None and second["previous"]
    response = Client().get("/api/targets/")
    assert Client().get("/api/targets/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    login(client, world, "approver")
    client.post(f"/targets/{sheet.pk}/reopen/")
    changed = Client().get("/api/targets/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200
    assert [r["adjusting"] for r in json.loads(changed.content)["results"]] == [False, True]


def test_the_dashboard_shows_each_departments_target_findings_from_the_stored_rows(client, world, sheet):
    from jixiao.web.targets.models import TargetQuality

    login(client, world, "approver")
    add_project(client, sheet, **{"ind-1-value": "", "ind-1-nature": ""})  # JX601
    client.post(f"/targets/{sheet.pk}/submit/")
    login(client, world, "reviewer")
    page = client.get("/dashboard/", {"year": 2024}).content.decode()
    assert 'id="target-quality"' in page and f"/targets/{sheet.pk}/" in page and "JX601" in page
    # Read from the stored row, not recomputed: a changed row is what the page shows.
    TargetQuality.objects.filter(sheet=sheet).update(codes={"JX603": 7}, warnings=7)
    page = client.get("/dashboard/", {"year": 2024}).content.decode()
    assert "JX603</span>×7" in page and "JX601" not in page.split('id="target-quality"')[1]


def test_sheets_approved_before_publication_existed_are_published_by_the_migration(client, world, sheet):
    import importlib

    from django.apps import apps

    from jixiao.web.targets.models import PublishedTargets, TargetQuality

    approved_sheet(client, world, sheet)
    PublishedTargets.objects.all().delete()
    TargetQuality.objects.all().delete()
    migration = importlib.import_module("jixiao.web.targets.migrations.0003_publish_sheets_approved_before")
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # idempotent
    pub = published(sheet)
    assert (pub.year, pub.project_count, pub.indicator_count, pub.adjusting) == (2024, 1, 4, False)
    assert TargetQuality.objects.get(sheet=sheet).status == "approved"
    assert "农村道路养护" in Client().get(f"/portal/targets/{pub.pk}/").content.decode()
