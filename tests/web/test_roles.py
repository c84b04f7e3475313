"""The role matrix: every view, form post and download, by every role, against its own and
another department's table, in every workflow state — asserting exactly who may do what.

Expected outcomes are written out below (not derived from jixiao.web.accounts.roles):
200/302 allowed, 403 visible but not allowed, 404 not visible (another department's object,
or a draft the finance bureau has never received), 302 to the login page for anonymous users.
Each POST runs inside a savepoint that is rolled back, so one world serves a whole row.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from jixiao.web.entry import downloads

from .conftest import World, explanation_post
from .helpers import project_post

STATUSES = ("draft", "submitted", "returned", "approved", "published")
USERS = ("editor", "approver", "reviewer", "admin", "nobody", "anonymous")
DEPT_ROLES = {"editor", "approver"}

EDIT = {"editor", "approver", "admin"}
FINANCE = {"reviewer", "admin"}
SUBMIT = {"approver", "admin"}
EVERYONE_WHO_SEES = {"editor", "approver", "reviewer", "admin"}

# Who may act (given they can see the table), per endpoint and status.
ALLOWED = {
    "table": {s: EVERYONE_WHO_SEES for s in STATUSES},
    "project": {s: EVERYONE_WHO_SEES for s in STATUSES},
    "history": {s: EVERYONE_WHO_SEES for s in STATUSES},
    "table_header": {"draft": EDIT, "returned": EDIT},
    "project_new": {"draft": EDIT, "returned": EDIT},
    "project_create": {"draft": EDIT, "returned": EDIT},
    "project_save": {"draft": EDIT, "returned": EDIT},
    "project_check": {"draft": EDIT, "returned": EDIT},
    "project_delete": {"draft": EDIT, "returned": EDIT},
    "submit": {"draft": SUBMIT, "returned": SUBMIT},
    "submit_page": {"draft": SUBMIT, "returned": SUBMIT},
    "approve_page": {"submitted": FINANCE},
    "publish_page": {"approved": FINANCE},
    "withdraw_page": {"published": FINANCE},
    "delete_table_page": {"draft": SUBMIT},
    "project_delete_page": {"draft": EDIT, "returned": EDIT},
    "comment": {"submitted": FINANCE},
    "return": {"submitted": FINANCE},
    "approve": {"submitted": FINANCE},
    "publish": {"approved": FINANCE},
    "reopen": {"published": SUBMIT},
    "scores": {s: FINANCE for s in STATUSES},
    "override": {"submitted": FINANCE},
    "override_remove": {"submitted": FINANCE},
}


ENDPOINTS = {
    # name: (method, url(world, key), data(world, key) or None, success status)
    "table": ("GET", lambda w, k: reverse("entry:table", args=[w.tables[k].pk]), None, 200),
    "project": ("GET", lambda w, k: reverse("entry:project", args=[w.projects[k].pk]), None, 200),
    "history": ("GET", lambda w, k: reverse("entry:project_history", args=[w.projects[k].pk]), None, 200),
    "table_header": ("POST", lambda w, k: reverse("entry:table_header", args=[w.tables[k].pk]),
                     lambda w, k: {"version": w.tables[k].version, "attachment": "附件2-3", "title": "",
                                   "department_short": "甲", "money_unit": "元"}, 302),
    "project_new": ("GET", lambda w, k: reverse("entry:project_new", args=[w.tables[k].pk]), None, 200),
    "project_create": ("POST", lambda w, k: reverse("entry:project_new", args=[w.tables[k].pk]),
                       lambda w, k: {**project_post(w, k), "seq": 9, "version": ""}, 302),
    "project_save": ("POST", lambda w, k: reverse("entry:project", args=[w.projects[k].pk]), project_post, 302),
    "project_check": ("POST", lambda w, k: reverse("entry:project_check", args=[w.tables[k].pk]), project_post, 200),
    "project_delete": ("POST", lambda w, k: reverse("entry:project_delete", args=[w.projects[k].pk]), None, 302),
    "submit": ("POST", lambda w, k: reverse("review:submit", args=[w.tables[k].pk]),
               lambda w, k: explanation_post(w.tables[k]), 302),
    "submit_page": ("GET", lambda w, k: reverse("review:submit", args=[w.tables[k].pk]), None, 200),
    "approve_page": ("GET", lambda w, k: reverse("review:approve", args=[w.tables[k].pk]), None, 200),
    "publish_page": ("GET", lambda w, k: reverse("review:publish", args=[w.tables[k].pk]), None, 200),
    "withdraw_page": ("GET", lambda w, k: reverse("review:withdraw", args=[w.tables[k].pk]), None, 200),
    "delete_table_page": ("GET", lambda w, k: reverse("review:delete_table", args=[w.tables[k].pk]), None, 200),
    "project_delete_page": ("GET", lambda w, k: reverse("entry:project_delete", args=[w.projects[k].pk]), None, 200),
    "comment": ("POST", lambda w, k: reverse("review:comment", args=[w.tables[k].pk]),
                lambda w, k: {"text": "请核对金额", "project": w.projects[k].pk}, 302),
    "return": ("POST", lambda w, k: reverse("review:return", args=[w.tables[k].pk]),
               lambda w, k: {"text": "请补充整改情况"}, 302),
    "approve": ("POST", lambda w, k: reverse("review:approve", args=[w.tables[k].pk]), None, 302),
    "publish": ("POST", lambda w, k: reverse("review:publish", args=[w.tables[k].pk]),
                lambda w, k: {"note": "公开"}, 302),
    "reopen": ("POST", lambda w, k: reverse("review:reopen", args=[w.tables[k].pk]), None, 302),
    "scores": ("GET", lambda w, k: reverse("review:project_scores", args=[w.projects[k].pk]), None, 200),
    "override": ("POST", lambda w, k: reverse("review:project_scores", args=[w.projects[k].pk]),
                 lambda w, k: {"item": "total", "version": w.projects[k].version, "total-score": "80",
                               "total-reason": "复核后调整"}, 302),
    "override_remove": ("POST", lambda w, k: reverse("review:project_scores", args=[w.projects[k].pk]),
                        lambda w, k: {"item": "total", "version": w.projects[k].version, "action": "remove"}, 302),
}


def visible(user: str, key: str, status: str) -> bool:
    if user in DEPT_ROLES:
        return key == "own"
    if user == "reviewer":
        return status != "draft"  # the finance bureau sees what was submitted at least once
    return user == "admin"


def expected(user: str, endpoint: str, key: str, status: str) -> int:
    method, _url, _data, success = ENDPOINTS[endpoint]
    if user == "anonymous":
        return 302
    if not visible(user, key, status):
        return 404
    return success if user in ALLOWED[endpoint].get(status, set()) else 403


def _client(client, world, user):
    if user == "nobody":
        client.force_login(world.nobody)
    elif user != "anonymous":
        client.force_login(world.users[user])
    return client


def _request(client, world, endpoint, key):
    method, url, data, _success = ENDPOINTS[endpoint]
    if method == "GET":
        return client.get(url(world, key))
    with transaction.atomic():
        response = client.post(url(world, key), data(world, key) if data else {})
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("user", USERS)
def test_role_matrix(client, status, user):
    world = World(status)
    _client(client, world, user)
    actual, wanted = {}, {}
    for endpoint in ENDPOINTS:
        for key in ("own", "other"):
            response = _request(client, world, endpoint, key)
            actual[endpoint, key] = response.status_code
            wanted[endpoint, key] = expected(user, endpoint, key, status)
            if user == "anonymous":
                assert reverse("accounts:login") in response["Location"]
    assert actual == wanted


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
def test_download_matrix(client, user):
    """Every download the exports provide, own and other department, on a submitted table."""
    world = World("submitted")
    _client(client, world, user)
    actual, wanted = {}, {}
    for fmt in downloads.available_formats("disclosure"):
        for key in ("own", "other"):
            r = client.get(reverse("entry:table_download", args=[world.tables[key].pk, fmt]))
            actual["table", fmt, key] = r.status_code
            wanted["table", fmt, key] = 302 if user == "anonymous" else (
                200 if visible(user, key, "submitted") else 404)
            if r.status_code == 200:
                assert r["Content-Type"] == downloads.CONTENT_TYPES[fmt]
                assert "attachment" in r["Content-Disposition"]
                assert len(r.content) > 100
    for fmt in downloads.available_formats("mof-form"):
        for key in ("own", "other"):
            r = client.get(reverse("entry:project_mof", args=[world.projects[key].pk, fmt]))
            actual["mof", fmt, key] = r.status_code
            wanted["mof", fmt, key] = 302 if user == "anonymous" else (
                200 if visible(user, key, "submitted") else 404)
    assert actual == wanted


def test_every_export_format_is_offered():
    """The downloads follow the exports: if this fails, an export landed or vanished."""
    assert downloads.available_formats("disclosure") == ("xlsx", "pdf", "html", "csv", "json")
    assert downloads.available_formats("mof-form") == ("xlsx", "pdf", "html")


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
def test_import_matrix(client, user, golden_path):
    """Upload and preview/confirm/cancel of import runs: department roles and admin only, own runs."""
    from jixiao.web.entry.models import ImportRun

    world = World("draft")
    runs = {key: ImportRun.objects.create(department=dept, year=2020, filename="x.json", kind="json",
                                          table_document={"year": 2020, "department": dept.name,
                                                          "money_unit": "万元", "projects": []})
            for key, dept in (("own", world.dept_a), ("other", world.dept_b))}
    _client(client, world, user)
    can_import = user in ("editor", "approver", "admin")
    r = client.get(reverse("entry:import"))
    assert r.status_code == (302 if user == "anonymous" else 200 if can_import else 403)
    for key in ("own", "other"):
        sees = user == "admin" or (user in DEPT_ROLES and key == "own")
        want = 302 if user == "anonymous" else 200 if sees else 404
        assert client.get(reverse("entry:import_preview", args=[runs[key].pk])).status_code == want
        for action in ("import_cancel", "import_confirm"):
            with transaction.atomic():
                r = client.post(reverse(f"entry:{action}", args=[runs[key].pk]))
                transaction.set_rollback(True)
            assert r.status_code == (302 if user == "anonymous" or sees else 404), (action, key)


@pytest.mark.django_db
def test_public_pages_need_no_login(client):
    world = World("published")
    pub = world.tables["own"].publications.get()
    assert client.get(reverse("review:public_index"), follow=True).status_code == 200  # → the portal
    assert client.get(reverse("review:publication", args=[pub.pk]), follow=True).status_code == 200
    r = client.get(reverse("review:publication_download", args=[pub.pk, "json"]))
    assert r.status_code == 200 and "甲部门" in r.content.decode("utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
def test_table_create_matrix(client, user):
    """Creating a table: department roles for their own department, admin for any."""
    from jixiao.web.entry.models import DisclosureTable

    world = World("draft")
    _client(client, world, user)
    actual, wanted = {}, {}
    for key, dept in (("own", world.dept_a), ("other", world.dept_b)):
        before = DisclosureTable.objects.count()
        r = client.post(reverse("entry:table_new"), {"year": 2020, "department": dept.pk})
        created = DisclosureTable.objects.count() - before
        actual[key] = (r.status_code, created)
        if user == "anonymous":
            wanted[key] = (302, 0)
        elif user in ("reviewer", "nobody"):
            wanted[key] = (403, 0)
        elif user == "admin" or key == "own":
            wanted[key] = (302, 1)
        else:
            wanted[key] = (404, 0)
    assert actual == wanted
