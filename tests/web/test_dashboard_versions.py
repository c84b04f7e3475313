"""The dashboard shows each department's latest submitted, approved or published version: a
table being revised (草稿 or 退回 after a submission) keeps the figures of the version it left,
labelled with that version, and never the rows being edited."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.web.dashboard import aggregate, versions
from jixiao.web.dashboard.models import ShownVersion
from jixiao.web.entry.models import DisclosureTable, Publication
from jixiao.web.review import workflow

from .conftest import make_project
from .helpers import queries_of_get

DASH = "/dashboard/"


@pytest.fixture
def demo(db, tmp_path):
    from django.contrib.auth.models import User

    from jixiao.web import demo_data

    demo_data.load(tmp_path)
    return {u.username: u for u in User.objects.all()}


def client_for(user, language: str | None = None) -> Client:
    c = Client()
    c.force_login(user)
    if language:
        c.cookies["django_language"] = language
    return c


def kpis(body: str) -> dict:
    return dict(re.findall(r'id="kpi-([a-z]+)">.*?class="kpi-value">([^<]*)<', body, re.S))


def published_table() -> DisclosureTable:
    return DisclosureTable.objects.get(status="published")


def start_revision(demo) -> DisclosureTable:
    table = published_table()
    r = client_for(demo["gsl_approver"]).post(reverse("review:reopen", args=[table.pk]))
    assert r.status_code in (200, 302)
    table.refresh_from_db()
    assert table.status == "draft"
    return table


SEED_DEPARTMENT = "深圳市龙岗区工商业联合会"


def seed_row(demo) -> dict:
    return {r["department"]: r for r in aggregate.DepartmentRows(demo["czj_reviewer"], 2019)}[SEED_DEPARTMENT]


def test_a_new_revision_keeps_the_published_figures_while_its_draft_is_edited(demo):
    reviewer = client_for(demo["czj_reviewer"])
    before_page = reviewer.get(DASH + "?year=2019").content.decode()
    before = aggregate.overview(demo["czj_reviewer"], 2019, aggregate.date(2020, 1, 1))
    dept = published_table().department.name
    before_row = {r["department"]: r for r in aggregate.DepartmentRows(demo["czj_reviewer"], 2019)}[dept]
    drill_before = reviewer.get(reverse("dashboard:projects") + "?year=2019").content.decode()

    table = start_revision(demo)
    first = table.projects.order_by("seq").first()
    first.actual_total = Decimal("1.00")  # what the editor typed into the draft
    first.save()
    table.projects.order_by("seq").last().delete()  # and a project removed from the draft

    after = aggregate.overview(demo["czj_reviewer"], 2019, aggregate.date(2020, 1, 1))
    assert (after.projects, after.budget, after.actual, after.rate) == \
        (before.projects, before.budget, before.actual, before.rate)
    assert after.bands == before.bands and after.grades == before.grades and after.findings == before.findings
    row = {r["department"]: r for r in aggregate.DepartmentRows(demo["czj_reviewer"], 2019)}[dept]
    for key in ("projects", "budget", "actual", "rate", "score", "gap", "excellent", "poor", "errors", "warnings"):
        assert row[key] == before_row[key], key
    publication = Publication.objects.get(table=table)
    assert row["state"] == "revision" and row["status"] == "修订中"
    assert row["version_kind"] == "published" and row["version_publication"] == publication.pk
    assert row["version_number"] == table.rounds.get(decision="approved").number

    page = reviewer.get(DASH + "?year=2019").content.decode()
    assert kpis(page) == kpis(before_page)  # 执行率, projects, 未报送部门: as published
    assert "修订中" in page and f"数据取自第 {row['version_number']} 版" in page and "公开）" in page
    outstanding = page[page.index('id="outstanding"'):]
    assert dept not in outstanding  # a published department is not "not submitted"
    # The drill-down lists the published projects, linked to their pages on the portal.
    drill = reviewer.get(reverse("dashboard:projects") + "?year=2019").content.decode()
    assert drill.count('class="drill-project"') == drill_before.count('class="drill-project"')
    assert reverse("portal:project", args=[publication.pk, 0]) in drill
    low = reviewer.get(reverse("dashboard:projects") + "?year=2019&band=lt60").content.decode()
    assert low.count('class="drill-project"') == dict((k, n) for k, _l, n in before.bands)["lt60"]
    # The XLSX: the same figures, and which version they come from.
    wb = load_workbook(BytesIO(reviewer.get(DASH + "?year=2019&format=xlsx").content))
    ws = wb["部门对比"]
    header = [c.value for c in ws[1]]
    xrow = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == dept)
    assert xrow[header.index("状态")] == "修订中" and xrow[header.index("数据来源版本")] == row["version"]
    assert Decimal(str(xrow[header.index("实际支出（万元）")])) == before_row["actual"]


def test_the_english_dashboard_says_revision_in_progress_and_the_version(demo):
    start_revision(demo)
    page = client_for(demo["czj_reviewer"], "en").get(DASH + "?year=2019").content.decode()
    assert "Revision in progress" in page
    assert re.search(r"figures from version \d+, published ", page)


def _submit(table, user):
    """Submit the demo's seed (published with its inconsistencies) as the demo loads it: nothing
    blocks, every finding explained (docs/web.md, submission gates)."""
    from jixiao.web.review import gates

    workflow.submit(table, user, explanations={w.key: "已核实" for w in gates.assess(table, blocking=()).warnings},
                    blocking=())


def test_resubmitting_a_revision_shows_its_figures_and_a_return_brings_back_the_published_ones(demo):
    dept = published_table().department.name
    published_actual = seed_row(demo)["actual"]
    table = start_revision(demo)
    first = table.projects.order_by("seq").first()
    first.actual_total = Decimal("1.00")
    first.save()
    _submit(table, demo["gsl_approver"])
    row = seed_row(demo)
    assert row["state"] == "submitted" and row["actual"] != published_actual and not row["version"]
    workflow.return_table(table, demo["czj_reviewer"], "请核对")
    row = seed_row(demo)
    assert row["state"] == "revision" and row["actual"] == published_actual
    _submit(table, demo["gsl_approver"])
    workflow.approve(table, demo["czj_reviewer"])
    workflow.publish(table, demo["czj_reviewer"])
    assert not ShownVersion.objects.filter(table=table).exists()
    row = {r["department"]: r for r in aggregate.DepartmentRows(demo["czj_reviewer"], 2019)}[dept]
    assert row["state"] == "published" and row["actual"] != published_actual and not row["version"]


def test_a_returned_first_submission_shows_the_figures_as_submitted_not_as_being_corrected(make_world):
    world = make_world("submitted")
    reviewer = world.users["reviewer"]
    before = {r["department"]: r for r in aggregate.DepartmentRows(reviewer, 2019)}["甲部门"]
    workflow.return_table(world.tables["own"], reviewer, "请补充")
    row = world.projects["own"]
    row.actual_total = Decimal("1.00")
    row.save()
    make_project(world.tables["own"], seq=2)
    after = {r["department"]: r for r in aggregate.DepartmentRows(reviewer, 2019)}["甲部门"]
    assert after["state"] == "returned" and after["status"] == "退回修改中"
    assert (after["projects"], after["actual"], after["rate"]) == (before["projects"], before["actual"], before["rate"])
    assert after["version_kind"] == "submitted" and "报送）" in after["version"]
    ov = aggregate.overview(reviewer, 2019, aggregate.date(2020, 1, 1))
    assert "甲部门" in [d["department"] for d in ov.outstanding]  # returned: still to be submitted again
    body = client_for(reviewer).get(reverse("dashboard:projects") + "?year=2019&department="
                                    f"{world.dept_a.pk}").content.decode()
    assert body.count('class="drill-project"') == 1
    assert reverse("entry:table", args=[world.tables["own"].pk]) in body


def test_a_table_only_ever_drafted_counts_as_not_submitted(make_world):
    world = make_world("draft")
    admin_rows = {r["department"]: r for r in aggregate.DepartmentRows(world.users["admin"], 2019)}
    assert admin_rows["甲部门"]["status"] == "未报送" and admin_rows["甲部门"]["projects"] == 0
    assert not ShownVersion.objects.exists()


def test_tables_in_revision_before_versions_were_kept_get_the_published_version_at_migrate(demo):
    dept = published_table().department.name
    published_actual = seed_row(demo)["actual"]
    table = start_revision(demo)
    ShownVersion.objects.all().delete()  # as stored before versions were kept
    assert versions.backfill() == 1
    assert versions.backfill() == 0
    first = table.projects.order_by("seq").first()
    first.actual_total = Decimal("1.00")
    first.save()
    row = {r["department"]: r for r in aggregate.DepartmentRows(demo["czj_reviewer"], 2019)}[dept]
    assert row["state"] == "revision" and row["actual"] == published_actual


def test_dashboard_refresh_recomputes_the_published_version_from_its_snapshot(demo):
    from io import StringIO

    from django.core.management import call_command

    before = seed_row(demo)
    table = start_revision(demo)
    ShownVersion.objects.update(number=99)  # a stale frozen version
    out = StringIO()
    call_command("dashboard_refresh", stdout=out)
    assert "1 published versions" in out.getvalue()
    after = seed_row(demo)
    assert after["version_number"] == table.rounds.get(decision="approved").number
    assert (after["projects"], after["actual"], after["score"]) == (before["projects"], before["actual"], before["score"])


def test_dashboard_queries_stay_the_same_with_a_table_in_revision(demo):
    c = client_for(demo["czj_reviewer"])

    def count() -> int:
        return queries_of_get(c, DASH + "?year=2019")

    before = count()
    table = start_revision(demo)
    make_project(table, seq=90, name="修订中新增的项目")
    assert count() == before
