"""The table, project and score pages run a small, fixed number of SQL queries: the same for a
table of one project as for one of forty with review rounds, comments and history, and however
many other departments and tables there are (no query per project, round, comment or table)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.web.review import workflow

from .conftest import explain_all, make_project

# The most queries any of these pages may run (session, user and role included).
MOST = 25


def queries(client, url) -> int:
    cache.clear()  # the table page's projects table is rendered afresh, not taken from the cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def pages(world) -> dict[str, tuple[object, str]]:
    table, project = world.tables["own"], world.projects["own"]
    editor, reviewer, admin = (Client() for _ in range(3))
    editor.force_login(world.users["approver"])
    reviewer.force_login(world.users["reviewer"])
    admin.force_login(world.users["admin"])
    return {
        "table (approver)": (editor, reverse("entry:table", args=[table.pk])),
        "table (reviewer)": (reviewer, reverse("entry:table", args=[table.pk])),
        "table (administrator)": (admin, reverse("entry:table", args=[table.pk])),
        "project (reviewer)": (reviewer, reverse("entry:project", args=[project.pk])),
        "project history": (reviewer, reverse("entry:project_history", args=[project.pk])),
        "scores (reviewer)": (reviewer, reverse("review:project_scores", args=[project.pk])),
        "entry home (approver)": (editor, reverse("entry:home")),
        "entry home (administrator)": (admin, reverse("entry:home")),
    }


def counts(world) -> dict[str, int]:
    return {name: queries(client, url) for name, (client, url) in pages(world).items()}


def grow(world) -> None:
    """Forty projects, two more review rounds with comments on projects, edits in the history,
    and more departments with tables of their own."""
    from jixiao.web.entry.models import Comment, Department, DisclosureTable, Year

    table = world.tables["own"]
    reviewer, approver = world.users["reviewer"], world.users["approver"]
    workflow.return_table(table, reviewer, "请补充")
    table.refresh_from_db()
    added = [make_project(table, seq=seq, name=f"追加项目{seq}") for seq in range(2, 41)]
    for p in [world.projects["own"], *added[:5]]:
        p.name += "（改）"
        p.version += 1
        p.save()
    workflow.submit(table, approver, explanations=explain_all(table), blocking=())
    table.refresh_from_db()
    rnd = table.rounds.order_by("-number").first()
    for p in added[:6]:
        Comment.objects.create(round=rnd, project=p, author=reviewer, text=f"请核实{p.seq}")
    year = Year.objects.get(year=2019)
    for i in range(6):
        dept = Department.objects.create(name=f"追加部门{i}", short_name=f"追{i}")
        t = DisclosureTable.objects.create(year=year, department=dept, department_short=dept.short_name)
        make_project(t)


def test_table_project_and_score_pages_run_the_same_few_queries_for_a_small_and_a_larger_table(make_world):
    world = make_world("submitted")
    small = counts(world)
    assert max(small.values()) <= MOST, small
    grow(world)
    assert counts(world) == small
