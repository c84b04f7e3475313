"""The whole-page cache (jixiao.web.pagecache): every change is visible on the next request, a
user's cached page never reaches another user or an anonymous visitor, drafts never reach the
portal, and cached pages carry the requester's own CSRF token."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from jixiao.web.entry import convert, editing
from jixiao.web.entry.models import DisclosureTable, Project, Publication
from jixiao.web.pagecache import generation
from jixiao.web.pagecache.middleware import HEADER, PLACEHOLDER, STORE, clear
from jixiao.web.pagecache.store import PageStore
from jixiao.web.review import workflow

from .conftest import bring_to
from .pagecache_clients import EARLY, FAST, get

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_store():
    clear()
    yield
    clear()


@pytest.fixture(params=[EARLY, FAST], ids=lambda via: via.name)
def via(request, monkeypatch):
    """Each test that makes clients runs twice: through the early path and through the fast path
    in front of it (whose answers must keep every guarantee of the early path)."""
    if request.param is FAST:
        # The fast path answers nothing on a connection due to be closed (CONN_MAX_AGE); a
        # server renews it through the request signals the test client switches off.
        from django.db import connections

        monkeypatch.setattr(connections["default"], "close_at", None)
    return request.param


# --- what counts as a change ----------------------------------------------------------------

@pytest.mark.parametrize("sql, change", [
    ('SELECT "entry_project"."id" FROM "entry_project"', False),
    ("  select 1", False),
    ('SAVEPOINT "s1"', False),
    ('DECLARE "c" NO SCROLL CURSOR WITH HOLD FOR SELECT 1', False),
    ('UPDATE "django_session" SET "session_data" = %s', False),
    ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
    ("UPDATE pagecache_generation SET value = value + 1 WHERE id = 1", False),
    ('INSERT INTO "entry_project" ("seq") VALUES (%s)', True),
    ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', False),
    ('UPDATE "auth_user" SET "last_login" = %s, "is_active" = %s WHERE "auth_user"."id" = %s', True),
    ('UPDATE "auth_user" SET "password" = %s WHERE "auth_user"."id" = %s', True),
    ('UPDATE "entry_disclosuretable" SET "status" = %s WHERE "id" = %s', True),
    ('DELETE FROM "portal_publishedtable" WHERE "publication_id" = %s', True),
    ('ALTER TABLE "entry_project" ADD COLUMN "x" integer', True),
    ("WITH x AS (DELETE FROM entry_comment RETURNING id) SELECT count(*) FROM x", True),
    ('WITH u AS (UPDATE "entry_project" SET "seq" = 1 RETURNING id) SELECT 1', True),
    ('WITH vis(id) AS (SELECT DISTINCT "t"."id" FROM "entry_disclosuretable" "t") SELECT count(*) FROM vis', False),
    # A UNION as Django writes it on PostgreSQL (the dashboard's figures): each part in brackets.
    ('(SELECT "s"."grade" FROM "dashboard_projectstat" "s") UNION ALL (SELECT "f"."grade" FROM "x" "f")', False),
    ("( (SELECT 1) UNION ALL (SELECT 2))", False),
    ('(INSERT INTO "entry_project" ("seq") VALUES (%s))', True),
])
def test_which_statements_count_as_changes(sql, change):
    assert generation.is_change(sql) is change


def test_a_database_cache_table_is_ignored_like_sessions():
    generation._ignored = None
    try:
        with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                                   "LOCATION": "jixiao_cache"}}):
            assert not generation.is_change('UPDATE "jixiao_cache" SET "value" = %s')
    finally:
        generation._ignored = None
    assert generation.is_change('UPDATE "jixiao_cache" SET "value" = %s')


@pytest.mark.django_db
def test_the_dashboard_reads_without_renewing_the_generation(make_world, via):
    world = make_world("submitted")
    reviewer = via.client_for(world.users["reviewer"])
    before = generation.current()
    via.cached_twice(reviewer, reverse("dashboard:index") + "?year=2019")
    assert generation.current() == before


@pytest.mark.django_db
def test_a_login_keeps_the_cached_pages(make_world, via):
    make_world("published")
    visitor = via.Client()
    via.cached_twice(visitor, reverse("portal:index"))
    # A login through the login page writes last_login and a new session, nothing else.
    r = via.Client().post(reverse("accounts:login"), {"username": "editor_a", "password": "pw-editor-a-123"})
    assert r.status_code == 302
    assert visitor.get(reverse("portal:index"))[HEADER] == "hit"


@pytest.mark.django_db
def test_a_queryset_update_without_signals_renews_the_generation(world):
    before = generation.current()
    Project.objects.filter(pk=world.projects["own"].pk).update(name="改名")
    after = generation.current()
    assert after is not None and after != before


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_renews_the_database_counter_once():
    """The database part is what other processes see: one increase per committed transaction,
    none for a rolled-back one."""
    from django.db import transaction

    from jixiao.web.entry.models import Department

    db_value = generation.current()[0]
    with transaction.atomic():
        for i in range(5):
            Department.objects.create(name=f"部门{i}")
    assert generation.current()[0] == db_value + 1
    try:
        with transaction.atomic():
            Department.objects.create(name="回滚部门")
            raise RuntimeError
    except RuntimeError:
        pass
    assert generation.current()[0] == db_value + 1
    Department.objects.filter(name="部门0").update(short_name="零")  # autocommit
    assert generation.current()[0] == db_value + 2


@pytest.mark.django_db
def test_a_write_by_another_process_retires_the_cached_pages(world, via):
    """Another process (a second worker, `jixiao import`) only moves the database counter."""
    bring_to(world.tables["own"], "published", world.users["approver"], world.users["reviewer"])
    visitor = via.Client()
    url = reverse("portal:index")
    via.cached_twice(visitor, url)
    with connection.cursor() as cursor:  # what the other process's commit does
        cursor.execute(f"UPDATE {generation.TABLE} SET value = value + 1 WHERE id = 1")
    assert visitor.get(url)[HEADER] == "miss"


# --- changes are visible at once ------------------------------------------------------------

@pytest.mark.django_db
def test_a_publication_is_on_the_portal_at_once(make_world, via):
    world = make_world("approved")
    visitor = via.Client()
    url = reverse("portal:index")
    body = via.cached_twice(visitor, url)
    assert "甲部门" not in body
    r = via.client_for(world.users["reviewer"]).post(reverse("review:publish", args=[world.tables["own"].pk]))
    assert r.status_code == 302
    r, body = get(visitor, url)
    assert r[HEADER] == "miss" and "甲部门" in body


@pytest.mark.django_db
def test_an_edit_is_on_the_table_page_at_once_and_drafts_never_reach_the_portal(make_world, via):
    world = make_world("published")
    table = world.tables["own"]
    editor = via.client_for(world.users["editor"])
    visitor = via.Client()
    pub = Publication.objects.filter(table=table).latest("number")
    portal_url = reverse("portal:publication", args=[pub.portal_entry.pk])
    assert "项目1" in via.cached_twice(visitor, portal_url)
    # A new revision: the department edits its live table through the editing module (a
    # conditional UPDATE without signals, then a save) and the table page shows it at once;
    # the portal keeps showing the publication.
    workflow.reopen(DisclosureTable.objects.get(pk=table.pk), world.users["reviewer"])
    table_url = reverse("entry:table", args=[table.pk])
    assert "项目1" in via.cached_twice(editor, table_url)
    row = Project.objects.get(pk=world.projects["own"].pk)
    core = replace(convert.project_to_core(row), name="草稿中的新名称")
    assert editing.save_project(row.table, core, world.users["editor"], row, row.version).saved
    r, body = get(editor, table_url)
    assert r[HEADER] == "miss" and "草稿中的新名称" in body
    r, body = get(visitor, portal_url)
    assert "草稿中的新名称" not in body and "项目1" in body


@pytest.mark.django_db
def test_a_review_step_is_visible_at_once(make_world, via):
    world = make_world("submitted")
    table = world.tables["own"]
    url = reverse("entry:table", args=[table.pk])
    approver, reviewer = via.client_for(world.users["approver"]), via.client_for(world.users["reviewer"])
    body = via.cached_twice(approver, url)
    assert 'id="table-status"' in body and "btn-approve" not in body
    assert "btn-approve" in via.cached_twice(reviewer, url)
    r = reviewer.post(reverse("review:approve", args=[table.pk]), follow=True)  # shows its message
    assert r.status_code == 200
    for client in (approver, reviewer):
        r, body = get(client, url)
        assert r[HEADER] == "miss" and "btn-approve" not in body
        assert DisclosureTable.objects.get(pk=table.pk).get_status_display() in body


@pytest.mark.django_db
def test_a_language_switch_is_visible_at_once(make_world, via):
    make_world("published")
    visitor = via.Client()
    url = reverse("portal:index")
    body = via.cached_twice(visitor, url)
    assert '<html lang="zh-hans">' in body
    r = visitor.post(reverse("set_language"), {"language": "en", "next": url})
    assert r.status_code == 302
    r, body = get(visitor, url)
    assert '<html lang="en">' in body
    assert r[HEADER] == "miss"
    assert '<html lang="en">' in get(visitor, url)[1]
    visitor.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    r, body = get(visitor, url)
    assert r[HEADER] == "hit" and '<html lang="zh-hans">' in body  # the Chinese page kept its entry


# --- one user's page is never another's -------------------------------------------------------

@pytest.mark.django_db
def test_a_users_cached_page_is_never_shown_to_another_user_or_an_anonymous_visitor(make_world, via):
    world = make_world("submitted")
    own = reverse("entry:table", args=[world.tables["own"].pk])
    editor_a = via.client_for(world.users["editor"])
    body = via.cached_twice(editor_a, own)
    assert "editor_a" in body
    # Another department's editor: the table is not theirs (404), cached or not.
    assert via.client_for(world.users["editor_b"]).get(own).status_code == 404
    # The finance bureau's reviewer sees the table, with their own name and actions.
    r, body = get(via.client_for(world.users["reviewer"]), own)
    assert r[HEADER] == "miss" and "editor_a" not in body and "btn-approve" in body
    # Anonymous: the login page, not the cached table.
    r = via.Client().get(own)
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]
    # A public page cached for a signed-in user does not carry their name to anyone else.
    workflow.approve(world.tables["own"], world.users["reviewer"])
    workflow.publish(DisclosureTable.objects.get(pk=world.tables["own"].pk), world.users["reviewer"])
    portal = reverse("portal:index")
    assert "editor_a" in via.cached_twice(editor_a, portal)
    r, body = get(via.Client(), portal)
    assert r[HEADER] == "miss" and "editor_a" not in body
    r, body = get(via.client_for(world.users["editor_b"]), portal)
    assert r[HEADER] == "miss" and "editor_b" in body and "editor_a" not in body


@pytest.mark.django_db
def test_cached_pages_carry_the_requesters_own_csrf_token(make_world, via):
    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    first = via.Client(enforce_csrf_checks=True)
    first.force_login(world.users["reviewer"])
    second = via.Client(enforce_csrf_checks=True)
    second.force_login(world.users["reviewer"])  # same user, another browser: same cache entry
    r1, body1 = get(first, url)
    r2, body2 = get(second, url)
    assert (r1[HEADER], r2[HEADER]) == ("miss", "hit")
    assert PLACEHOLDER not in body1 and PLACEHOLDER not in body2
    tokens1, tokens2 = set(TOKEN.findall(body1)), set(TOKEN.findall(body2))
    assert len(tokens1) == 1 and len(tokens2) == 1 and tokens1 != tokens2
    assert "csrftoken" in r2.cookies  # the second browser got its CSRF cookie with the page
    # The token on the cached page is good for the second browser's post.
    r = second.post(reverse("review:approve", args=[world.tables["own"].pk]),
                    {"csrfmiddlewaretoken": tokens2.pop()})
    assert r.status_code == 302
    assert DisclosureTable.objects.get(pk=world.tables["own"].pk).status == "approved"


@pytest.mark.django_db
def test_pages_with_messages_are_neither_served_from_nor_kept_in_the_cache(make_world, via):
    world = make_world("submitted")
    reviewer = via.client_for(world.users["reviewer"])
    url = reverse("entry:table", args=[world.tables["own"].pk])
    via.cached_twice(reviewer, url)
    r = reviewer.post(reverse("review:approve", args=[world.tables["own"].pk]), follow=True)
    shown = [m for m in r.context["messages"]] if r.context else []
    assert shown, "the approve view reports its result as a message"
    assert HEADER not in r or r[HEADER] != "hit"
    text = str(shown[0])
    assert text in r.content.decode()
    r, body = get(reviewer, url)
    assert text not in body  # shown once, not kept with the page


# --- settings and the store -----------------------------------------------------------------

@pytest.mark.django_db
def test_the_cache_can_be_turned_off(make_world, via):
    make_world("published")
    with override_settings(JIXIAO_PAGE_CACHE=False):
        visitor = via.Client()  # a new client builds its middleware chain under the setting
        for _ in range(2):
            r, _body = get(visitor, reverse("portal:index"))
            assert HEADER not in r
    assert len(STORE) == 0


@pytest.mark.django_db
def test_downloads_and_other_pages_are_not_cached(make_world, via):
    world = make_world("submitted")
    reviewer = via.client_for(world.users["reviewer"])
    r = reviewer.get(reverse("entry:table_download", args=[world.tables["own"].pk, "csv"]))
    assert r.status_code == 200 and HEADER not in r
    r = reviewer.get(reverse("dashboard:index") + "?year=2019&format=xlsx")
    assert r.status_code == 200 and HEADER not in r
    r = reviewer.get(reverse("entry:project", args=[world.projects["own"].pk]))
    assert HEADER not in r  # a form page
    assert len(STORE) == 0


def test_the_store_is_bounded_in_bytes_and_in_age(monkeypatch):
    import os
    import time

    store = PageStore(max_bytes=3000, seconds=60)
    pages = {f"k{i}": os.urandom(1000) for i in range(5)}  # random bytes do not compress
    for key, body in pages.items():
        store.put(key, [("Content-Type", "text/html")], body)
    assert store.bytes <= 3000 and len(store) == 2
    assert store.get("k0") is None and store.get("k4").content() == pages["k4"]
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 61)
    assert store.get("k4") is None and len(store) == 1


# --- the early path (no session or user loaded) ------------------------------------------------

def _queries(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    return r, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_a_known_session_is_served_without_loading_the_session_or_the_user(make_world, via):
    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    reviewer = via.client_for(world.users["reviewer"])
    via.cached_twice(reviewer, url)  # the second answer, from the cache, also notes whose session it is
    r, sql = _queries(reviewer, url)
    assert r[HEADER] == "hit" and len(sql) == 1 and generation.TABLE in sql[0]
    # Anonymous visitors without a session cookie: the same single query.
    workflow.approve(world.tables["own"], world.users["reviewer"])
    workflow.publish(DisclosureTable.objects.get(pk=world.tables["own"].pk), world.users["reviewer"])
    visitor = via.Client()
    via.cached_twice(visitor, reverse("portal:index"))
    r, sql = _queries(visitor, reverse("portal:index"))
    assert r[HEADER] == "hit" and len(sql) == 1


@pytest.mark.django_db
def test_a_logged_out_session_is_never_served_a_cached_page(make_world, via):
    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    reviewer = via.client_for(world.users["reviewer"])
    via.cached_twice(reviewer, url)
    assert reviewer.get(url)[HEADER] == "hit"
    old_key = reviewer.cookies["sessionid"].value
    assert reviewer.post(reverse("accounts:logout")).status_code == 302
    # Someone replays the old cookie: the session is gone, so is the page.
    replay = via.Client()
    replay.cookies["sessionid"] = old_key
    r = replay.get(url)
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


@pytest.mark.django_db
def test_a_password_change_elsewhere_ends_the_early_path_for_old_sessions(make_world, via):
    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    reviewer = via.client_for(world.users["reviewer"])
    via.cached_twice(reviewer, url)
    assert reviewer.get(url)[HEADER] == "hit"
    user = world.users["reviewer"]
    user.set_password("a-new-password-456")
    user.save()  # the session's auth hash no longer matches: Django logs the session out
    r = reviewer.get(url)
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


@pytest.mark.django_db
def test_a_session_due_for_renewal_takes_the_full_path(make_world, via):
    from jixiao.web.session_refresh import RENEWED_KEY

    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    reviewer = via.client_for(world.users["reviewer"])
    via.cached_twice(reviewer, url)
    session = reviewer.session
    session[RENEWED_KEY] -= 3600
    session.save()
    clear()  # as after a restart: the process knows neither pages nor sessions
    via.cached_twice(reviewer, url)
    r, sql = _queries(reviewer, url)  # renewed by the first of these requests: early path again
    assert r[HEADER] == "hit" and len(sql) == 1
    assert reviewer.session[RENEWED_KEY] > session[RENEWED_KEY] + 3000


def test_requests_for_a_page_being_rendered_wait_for_that_render():
    import threading

    from jixiao.web.pagecache.store import Renders

    renders = Renders()
    assert renders.claim("page") is None  # this caller renders
    waiting = renders.claim("page")
    assert waiting is not None and not waiting.is_set()
    assert renders.claim("other") is None  # other pages are not held up
    done = []
    waiter = threading.Thread(target=lambda: done.append(waiting.wait(5)))
    waiter.start()
    renders.release("page")
    waiter.join(5)
    assert done == [True]
    assert renders.claim("page") is None  # released: the next miss renders again


@pytest.mark.django_db
def test_a_failed_render_releases_the_page(make_world, monkeypatch, via):
    from jixiao.web.pagecache import middleware

    world = make_world("submitted")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    reviewer = via.client_for(world.users["reviewer"])
    reviewer.raise_request_exception = False

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr("jixiao.web.entry.views.render", boom)
    assert reviewer.get(url).status_code == 500
    monkeypatch.undo()
    assert middleware.RENDERS._events == {}
    assert get(reviewer, url)[0][HEADER] == "miss"


@pytest.mark.django_db
def test_the_counter_row_comes_back_after_a_flush(world, via):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {generation.TABLE}")
    gen = generation.current()
    assert gen is not None and gen[0] > 1_600_000_000_000  # restarted above any old count
    visitor = via.Client()
    assert visitor.get(reverse("api:root"))[HEADER] == "miss"
    assert visitor.get(reverse("api:root"))[HEADER] == "hit"


@pytest.mark.django_db
def test_api_answers_with_a_query_string_are_kept_from_their_second_request(make_world, via):
    world = make_world("submitted")
    visitor = via.Client()
    url = reverse("api:projects") + "?page_size=7"
    # The first request for the URL: the API answers (and keeps its own answer); the page cache
    # neither looks it up nor keeps it. From the second on, as any cached page.
    assert HEADER not in visitor.get(url)
    assert [visitor.get(url)[HEADER] for _ in range(2)] == ["miss", "hit"]
    assert visitor.get(reverse("api:root"))[HEADER] == "miss"  # no query string: from the first
    # After a write the URLs are new again (and their pages retired, as every page).
    workflow.approve(world.tables["own"], world.users["reviewer"])
    assert HEADER not in visitor.get(url)
    assert visitor.get(url)[HEADER] == "miss"
