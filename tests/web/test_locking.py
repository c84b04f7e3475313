"""Optimistic locking: two people edit the same project; the second save is refused, nothing
is overwritten, and the refusal shows the other person's version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.entry.models import Project

from .conftest import World, explain_all
from .helpers import in_threads
from .helpers import project_post as _project_post


@pytest.mark.django_db
def test_second_save_of_the_same_version_is_refused_and_shows_the_other_version():
    world = World("draft")
    project = world.projects["own"]
    url = reverse("entry:project", args=[project.pk])
    alice, bob = Client(), Client()
    alice.force_login(world.users["editor"])
    bob.force_login(world.users["approver"])
    assert alice.get(url).status_code == 200 and bob.get(url).status_code == 200
    started = _project_post(world, "own")  # both forms were loaded at version 1

    first = alice.post(url, {**started, "name": "爱丽丝的名称", "budget": "120.00"})
    assert first.status_code == 302
    second = bob.post(url, {**started, "name": "鲍勃的名称", "budget": "130.00"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "此项目已被他人修改" in page
    assert "editor_a" in page and "爱丽丝的名称" in page  # who saved, and their value
    assert "鲍勃的名称" in page  # bob's input is kept in the form, not lost
    stored = Project.objects.get(pk=project.pk)
    assert stored.name == "爱丽丝的名称" and str(stored.budget) == "120.0000"
    assert stored.version == 2

    # Reloading gives the current version, and saving from it works.
    retry = bob.post(url, {**started, "version": stored.version, "name": "鲍勃的名称"})
    assert retry.status_code == 302
    assert Project.objects.get(pk=project.pk).name == "鲍勃的名称"
    assert Project.objects.get(pk=project.pk).version == 3


@pytest.mark.django_db
def test_each_save_is_in_the_history_with_who_and_what():
    world = World("draft")
    project = world.projects["own"]
    client = Client()
    client.force_login(world.users["editor"])
    data = _project_post(world, "own")
    assert client.post(reverse("entry:project", args=[project.pk]), {**data, "name": "新名称"}).status_code == 302
    records = list(project.history.order_by("history_date"))
    assert records[-1].history_user == world.users["editor"]
    assert records[-1].name == "新名称" and records[0].name == "项目1"
    page = client.get(reverse("entry:project_history", args=[project.pk])).content.decode()
    assert "新名称" in page and "项目1" in page and "editor_a" in page
    assert "项目名称" in page  # the changed field is named


@pytest.mark.django_db
def test_table_header_is_saved_with_a_version_check():
    from jixiao.web.entry.models import DisclosureTable

    world = World("draft")
    table = world.tables["own"]
    client = Client()
    client.force_login(world.users["editor"])
    url = reverse("entry:table_header", args=[table.pk])
    data = {"version": table.version, "attachment": "附件2-3", "title": "", "department_short": "甲", "money_unit": "元"}
    assert client.post(url, data).status_code == 302
    stored = DisclosureTable.objects.get(pk=table.pk)
    assert stored.money_unit == "元" and stored.version == table.version + 1
    r = client.post(url, {**data, "money_unit": "万元"}, follow=True)  # stale version
    assert "此表已被他人修改" in r.content.decode()
    assert DisclosureTable.objects.get(pk=table.pk).money_unit == "元"


# --- the table's state is checked where the write happens (table_lock) -------------------------
# Each test loads the table as a request would (a draft, so the permission check passed), lets
# the table be submitted through another object, then writes through the stale one: the write
# must be refused, and nothing must change.

def _submitted_behind_our_back(world):
    from jixiao.web.entry.models import DisclosureTable
    from jixiao.web.review import workflow

    stale = DisclosureTable.objects.get(pk=world.tables["own"].pk)
    assert stale.status == "draft"
    fresh = DisclosureTable.objects.get(pk=stale.pk)
    workflow.submit(fresh, world.users["approver"], explanations=explain_all(fresh))
    return stale


@pytest.mark.django_db
def test_a_project_save_after_the_submission_is_refused_in_its_transaction():
    from jixiao.web.entry import convert, editing, table_lock

    world = World("draft")
    project = world.projects["own"]
    stale = _submitted_behind_our_back(world)
    core = convert.project_to_core(project)
    core.name = "提交后才保存的名称"
    with pytest.raises(table_lock.NotEditable):
        editing.save_merged(stale, project, world.users["editor"], lambda current: (None, core))
    with pytest.raises(table_lock.NotEditable):
        editing.add_project(stale, core, world.users["editor"])  # a new project
    with pytest.raises(table_lock.NotEditable):
        editing.delete_project(project)
    with pytest.raises(table_lock.NotEditable):
        editing.save_header(stale, stale.version, {"title": "提交后才改的标题"})
    project.refresh_from_db()
    assert project.name == "项目1" and project.version == 1
    assert Project.objects.filter(table=stale).count() == 1
    assert stale.__class__.objects.get(pk=stale.pk).title == ""


@pytest.mark.django_db
def test_the_project_form_answers_409_and_keeps_the_input_when_the_table_was_submitted_meanwhile(monkeypatch):
    from jixiao.web.accounts import roles

    world = World("draft")
    project = world.projects["own"]
    client = Client()
    client.force_login(world.users["editor"])
    _submitted_behind_our_back(world)
    # The request's permission check ran before the submission (as in a real race).
    monkeypatch.setattr(roles, "require", lambda user, action, table: None)
    data = {**_project_post(world, "own"), "name": "提交后才保存的名称"}
    r = client.post(reverse("entry:project", args=[project.pk]), data)
    assert r.status_code == 409
    page = r.content.decode()
    assert "表的状态已改变" in page and "提交后才保存的名称" in page
    r = client.post(reverse("entry:project_delete", args=[project.pk]))
    assert r.status_code == 302
    assert "表的状态已改变" in client.get(r["Location"]).content.decode()
    project.refresh_from_db()
    assert project.name == "项目1"


@pytest.mark.django_db
def test_a_late_workflow_post_is_told_the_state_has_changed():
    world = World("approved")
    client = Client()
    client.force_login(world.users["reviewer"])
    r = client.post(reverse("review:return", args=[world.tables["own"].pk]), {"text": "请补充"})
    assert r.status_code == 403 and "表的状态已改变" in r.content.decode()
    # Not the reviewer's role at all: the page does not claim a change of state.
    editor = Client()
    editor.force_login(world.users["editor"])
    r = editor.post(reverse("review:approve", args=[world.tables["own"].pk]))
    assert r.status_code == 403 and "表的状态已改变" not in r.content.decode()


@pytest.mark.django_db
def test_a_comment_or_override_after_the_decision_is_refused_in_its_transaction():
    from jixiao.web.entry.models import DisclosureTable
    from jixiao.web.review import overrides, workflow

    world = World("submitted")
    stale = DisclosureTable.objects.get(pk=world.tables["own"].pk)
    workflow.approve(DisclosureTable.objects.get(pk=stale.pk), world.users["reviewer"])
    with pytest.raises(workflow.TransitionError):
        workflow.comment(stale, world.users["reviewer"], "审核后才写的意见")
    with pytest.raises(workflow.TransitionError):
        workflow.return_table(stale, world.users["reviewer"], "审核后才退回")
    project = world.projects["own"]
    with pytest.raises(overrides.NotUnderReview):
        overrides.set_override(project, project.version, world.users["reviewer"], "total", 50, "审核后才调整")
    stale.refresh_from_db()
    assert stale.status == "approved" and stale.rounds.get().comments.count() == 0
    project.refresh_from_db()
    assert project.overrides == [] and project.version == 1


@pytest.mark.django_db(transaction=True)  # outside any transaction, as in a request
def test_a_transaction_that_finds_sqlite_still_locked_is_run_again_and_other_errors_are_not(monkeypatch):
    from django.db import OperationalError, connection, transaction

    from jixiao.web.entry import table_lock

    if connection.vendor != "sqlite":
        pytest.skip("the retry is SQLite's")
    monkeypatch.setattr(table_lock, "BUSY_RETRY_WAITS", (0, 0))
    calls = []

    def flaky(fail_times, message="database is locked"):
        @table_lock.atomic_retrying
        def write():
            calls.append(transaction.get_connection().in_atomic_block)
            if len(calls) <= fail_times:
                raise OperationalError(message)
            return "written"
        return write

    assert flaky(2)() == "written" and len(calls) == 3 and all(calls)
    calls.clear()
    with pytest.raises(OperationalError):
        flaky(3)()  # two retries, then the error goes up
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(OperationalError):
        flaky(1, "no such table: x")()  # not a busy database: no retry
    assert len(calls) == 1
    calls.clear()
    with transaction.atomic(), pytest.raises(OperationalError):
        flaky(1)()  # inside another transaction the error goes up to it
    assert calls == [True]


@pytest.mark.django_db
def test_a_project_saved_or_deleted_without_the_entry_views_locks_its_table_first():
    """The admin and scripts save a project with no table lock of their own; the save still
    locks the table's row before writing the project's (the order of the entry views), not
    after it, as the dashboard's figures would."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    world = World("draft")
    project = world.projects["own"]

    def writes(action):
        with CaptureQueriesContext(connection) as ctx, transaction.atomic():
            action()
        return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]

    project.problems = "管理后台修改"
    sql = writes(project.save)
    assert '"entry_disclosuretable"' in sql[0] and sql[0].startswith("SELECT")
    assert sql[1].startswith('UPDATE "entry_project"')
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in sql[0]
    sql = writes(Project.objects.get(pk=project.pk).delete)
    first_lock = next(i for i, q in enumerate(sql) if '"entry_disclosuretable"' in q)
    assert first_lock < next(i for i, q in enumerate(sql) if q.startswith('DELETE FROM "entry_project"'))


@pytest.mark.django_db
def test_an_entry_write_locks_the_table_once_before_the_project():
    """Adding, saving and deleting a project through the entry lock the table's row once, before
    the project's (the status check's lock): the project's own save or deletion, in the same
    transaction, knows the table is held and does not lock it again, and the dashboard's figures
    read it afterwards without a lock of their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.web.entry import convert, editing

    world = World("draft")
    table, project, user = world.tables["own"], world.projects["own"], world.users["editor"]
    core = convert.project_to_core(project)

    def table_reads_before(action, write):
        with CaptureQueriesContext(connection) as ctx:
            action()
        sql = [q["sql"] for q in ctx.captured_queries]
        table_locks = [q for q in sql if 'FROM "entry_disclosuretable"' in q and "FOR UPDATE" in q]
        assert len(table_locks) == (1 if connection.features.has_select_for_update else 0)
        written = next(i for i, q in enumerate(sql) if q.startswith(write))
        return sum('FROM "entry_disclosuretable"' in q for q in sql[:written])

    core.name = "只锁一次"
    assert table_reads_before(lambda: editing.save_merged(table, project, user, lambda current: (None, core)),
                              'UPDATE "entry_project"') == 1
    core.seq = 2
    assert table_reads_before(lambda: editing.add_project(table, core, user), 'INSERT INTO "entry_project"') == 1
    assert table_reads_before(lambda: editing.delete_project(project), 'DELETE FROM "entry_project"') == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_model_level_save_and_an_entry_save_of_one_project_never_deadlock():
    """PostgreSQL: the entry view locks the table, then the project; a save from the admin or a
    script, arriving in between, waits for the table's lock before taking the project's, so
    both finish (in the opposite order PostgreSQL would abort one as a deadlock)."""
    import threading
    import time

    from django.db import connection, connections, transaction

    from jixiao.web.entry import table_lock

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    world = World("draft")
    project, table = world.projects["own"], world.tables["own"]
    table_held, order = threading.Event(), []

    def waiting_for_a_lock() -> bool:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            return cursor.fetchone()[0] > 0

    def entry_view():
        with transaction.atomic():
            table_lock.locked(table.pk)
            table_held.set()
            deadline = time.monotonic() + 20
            while not waiting_for_a_lock() and time.monotonic() < deadline:
                time.sleep(0.05)  # until the other save waits behind this transaction
            current = Project.objects.select_for_update().get(pk=project.pk)
            current.name = "填报页面保存的名称"
            current.save()
            order.append("entry")

    def admin():
        table_held.wait(20)
        with transaction.atomic():
            other = Project.objects.get(pk=project.pk)
            other.problems = "管理后台修改"
            other.save()
            order.append("admin")

    with in_threads(entry_view, admin):
        pass
    assert order == ["entry", "admin"]
    project.refresh_from_db()
    assert project.problems == "管理后台修改"
