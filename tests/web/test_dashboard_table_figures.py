"""Each table's dashboard figures are kept in the database with the table, in the transaction of
the write that changes them; the dashboard's pages read them, not the per-project rows, and
keep their results in Django's cache only under the version of the dashboard's data
(dashboard/table_figures.py, dashboard/data_version.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.web.dashboard import aggregate, signals, table_figures
from jixiao.web.dashboard.models import ProjectStat, TableFigures, TableFindingCount

from .conftest import make_project
from .helpers import in_threads

DASH = "/dashboard/"


def figures(table) -> TableFigures:
    return TableFigures.objects.get(table=table)


def expected(table) -> dict:
    """The table's figures summed afresh from its per-project rows."""
    stats = list(ProjectStat.objects.filter(table=table))
    return {"projects": len(stats), "budget_e4": sum(s.budget_e4 for s in stats),
            "score_x100": sum(s.score_x100 for s in stats), "errors": sum(s.errors for s in stats)}


def test_every_table_has_its_figures_from_the_start_none_while_never_submitted(make_world):
    world = make_world("draft")
    row = figures(world.tables["own"])
    assert row.source == "none" and row.projects == 0 and row.budget_e4 is None
    assert row.year == 2019 and row.department_id == world.tables["own"].department_id


def test_a_submitted_tables_figures_follow_every_save_and_delete_of_its_projects(make_world):
    world = make_world("submitted")
    table = world.tables["own"]
    assert figures(table).source == "rows"
    added = make_project(table, seq=2, name="追加项目")
    row = figures(table)
    assert {k: getattr(row, k) for k in expected(table)} == expected(table) and row.projects == 2
    added.budget = Decimal("300.00")
    added.save()
    assert figures(table).budget_e4 == expected(table)["budget_e4"]
    added.delete()
    assert figures(table).projects == 1
    assert figures(table).budget_e4 == expected(table)["budget_e4"]


def test_the_figures_count_bands_grades_and_findings_per_table(make_world):
    world = make_world("submitted")
    table = world.tables["own"]
    stat = ProjectStat.objects.get(table=table)
    row = figures(table)
    band_column = {"lt60": "band_lt60", "60-80": "band_60_80", "80-90": "band_80_90", "90-95": "band_90_95",
                   "95-100": "band_95_100", "gt100": "band_gt100", "none": "band_none"}[stat.rate_band]
    assert getattr(row, band_column) == 1
    grade_column = {"优": "grade_excellent", "良": "grade_good", "中": "grade_fair", "差": "grade_poor"}[stat.grade]
    assert getattr(row, grade_column) == 1
    counted = {(c.code, c.severity): c.findings for c in TableFindingCount.objects.filter(table=table)}
    from jixiao.web.dashboard.models import FindingStat

    found = {}
    for code, severity in FindingStat.objects.filter(table=table).values_list("code", "severity"):
        found[(code, severity)] = found.get((code, severity), 0) + 1
    assert counted == found


def test_a_transition_changes_where_the_figures_come_from(make_world):
    from jixiao.web.review import workflow

    world = make_world("submitted")
    table = world.tables["own"]
    workflow.return_table(table, world.users["reviewer"], "请补充")
    assert figures(table).source == "version" and figures(table).projects == 1
    # Edits of the returned table change its rows, not the version the dashboard shows.
    make_project(table, seq=2, name="追加项目")
    assert figures(table).projects == 1


def test_the_overview_and_the_comparison_read_no_per_project_row(make_world):
    world = make_world("submitted")
    c = Client()
    c.force_login(world.users["admin"])
    for url in (DASH + "?year=2019", DASH + "?year=2019&sort=budget&dir=desc", DASH + "?year=2019&format=xlsx"):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "dashboard_projectstat" not in sql and "dashboard_shownprojectstat" not in sql, url
        assert "dashboard_findingstat" not in sql and "dashboard_tablefigures" in sql, url


def _reads_figures(client, url=DASH + "?year=2019") -> tuple[bool, str]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    return any("dashboard_tablefigures" in q["sql"] for q in ctx.captured_queries), page


def test_a_second_view_takes_the_years_figures_from_the_cache_until_what_the_dashboard_shows_changes(make_world):
    from jixiao.web.entry.models import Department
    from jixiao.web.review import workflow

    world = make_world("submitted")
    c = Client()
    c.force_login(world.users["admin"])
    assert _reads_figures(c)[0]
    assert not _reads_figures(c)[0]  # same version of the data: nothing summed again
    workflow.return_table(world.tables["own"], world.users["reviewer"], "请补充")
    read, page = _reads_figures(c)
    assert read and "退回修改中" in page
    assert not _reads_figures(c)[0]
    Department.objects.create(name="新设部门", short_name="新")
    read, page = _reads_figures(c)
    assert read and "新设部门" in page


def test_an_editors_save_in_a_draft_leaves_the_dashboards_version_as_it_was(make_world):
    from jixiao.web.dashboard import data_version

    world = make_world("draft")
    before = data_version.current()
    project = world.projects["own"]
    project.name = "改过的名称"
    project.save()
    assert data_version.current() == before


def test_every_change_of_the_figures_is_a_new_version_and_a_rolled_back_one_leaves_none(make_world):
    from django.db import transaction

    from jixiao.web.dashboard import data_version

    world = make_world("submitted")
    first = data_version.current()
    table_figures.refresh(world.tables["own"].pk)
    second = data_version.current()
    assert second != first and second[0] > first[0]
    with transaction.atomic():
        table_figures.refresh(world.tables["own"].pk)
        transaction.set_rollback(True)
    assert data_version.current() == second


def test_a_versions_id_may_come_back_after_a_rollback_its_token_never_does(make_world):
    """So a key names one state of one database: a test's rolled-back changes and the next
    test's start at the same ids on SQLite, and two databases on one Redis count alike."""
    from django.db import transaction

    from jixiao.web.dashboard import data_version

    world = make_world("submitted")
    with transaction.atomic():
        table_figures.refresh(world.tables["own"].pk)
        rolled_back = data_version.current()
        transaction.set_rollback(True)
    table_figures.refresh(world.tables["own"].pk)
    again = data_version.current()
    if connection.vendor == "sqlite":
        assert again[0] == rolled_back[0]  # the id is reused
    assert again[1] != rolled_back[1]


def test_while_no_change_is_recorded_the_figures_are_computed_on_every_view(make_world):
    """No version yet (rows loaded without signals, before dashboard_refresh) is the one every
    database can share: nothing is kept under it, so no other database's figures are read."""
    from jixiao.web.dashboard.models import DataChange

    world = make_world("submitted")
    DataChange.objects.all().delete()
    c = Client()
    c.force_login(world.users["admin"])
    assert _reads_figures(c)[0]
    assert _reads_figures(c)[0]


def test_the_finance_bureaus_reviewers_and_administrators_are_kept_apart_in_the_cache(make_world):
    world = make_world("draft")  # drafts: the administrator sees them, a reviewer does not
    admin, reviewer = Client(), Client()
    admin.force_login(world.users["admin"])
    reviewer.force_login(world.users["reviewer"])
    assert _reads_figures(admin)[0]
    assert _reads_figures(reviewer)[0]  # not the administrator's entry: one per visibility
    assert not _reads_figures(reviewer)[0] and not _reads_figures(admin)[0]


def test_a_write_without_signals_shows_after_dashboard_refresh(make_world):
    from django.core.management import call_command

    world = make_world("submitted")
    from io import StringIO

    from jixiao.web.entry.models import Project

    Project.objects.filter(table=world.tables["own"]).update(budget=Decimal("123.4500"))  # 万元
    TableFigures.objects.all().delete()
    call_command("dashboard_refresh", stdout=StringIO())
    assert figures(world.tables["own"]).budget_e4 == 123_4500 * 10000
    rows = {r["department"]: r for r in aggregate.DepartmentRows(world.users["admin"], 2019)}
    assert rows["甲部门"]["budget"] == Decimal("123.45")


def test_the_migration_backfills_every_tables_figures(make_world):
    world = make_world("submitted")
    before = {f.pk: f.budget_e4 for f in TableFigures.objects.all()}
    TableFigures.objects.all().delete()
    TableFindingCount.objects.all().delete()
    signals.backfill(sender=None, app_config=apps.get_app_config("dashboard"))  # the post-migrate hook
    assert {f.pk: f.budget_e4 for f in TableFigures.objects.all()} == before
    assert TableFindingCount.objects.exists() == bool(world.projects)


def test_refreshing_a_table_holds_its_row_lock(make_world):
    """The recomputation takes the table's lock first (SELECT … FOR UPDATE where supported), so
    concurrent saves to one table compute its figures one after the other."""
    world = make_world("submitted")
    with CaptureQueriesContext(connection) as ctx:
        table_figures.refresh(world.tables["own"].pk)
    reads = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert "entry_disclosuretable" in reads[0]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in reads[0]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_transactions_saving_projects_of_one_table_lose_no_update(make_world):
    """Each waits for the table's row lock, so the second computes the figures from what the
    first committed (PostgreSQL; SQLite's single writer serialises them anyway)."""
    import threading
    import time

    from django.db import transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    world = make_world("submitted")
    table = world.tables["own"]
    first_saved, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            make_project(table, seq=2, name="甲")
            first_saved.set()
            release.wait(20)  # holds the table's lock until the other has saved its project

    def second():
        first_saved.wait(20)
        make_project(table, seq=3, name="乙")  # waits for the lock, then counts 甲 as committed

    with in_threads(first, second, timeout=30):
        first_saved.wait(20)
        time.sleep(0.5)  # the second is now waiting for the lock
        release.set()
    assert figures(table).projects == 3 == ProjectStat.objects.filter(table=table).count()
