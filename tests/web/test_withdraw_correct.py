"""Deleting a draft, withdrawing a publication (撤回) and correcting it (更正) (docs/web.md,
"Workflow"; docs/portal.md; docs/api.md): each is confirmed on a page of its own, nothing
published is changed or lost, the portal and the API say what happened, when and why, and
the history records who did it."""

from __future__ import annotations

import csv
import json
import io

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.entry.models import DisclosureTable, Project, Publication, Withdrawal
from jixiao.web.review import workflow

from .conftest import World, bring_to, explanation_post
from .helpers import api_get


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_an_approver_deletes_a_never_submitted_draft_after_a_page_naming_it():
    world = World("draft")
    table = world.tables["own"]
    approver = _client(world.users["approver"])
    page = approver.get(reverse("entry:table", args=[table.pk])).content.decode()
    assert f'href="{reverse("review:delete_table", args=[table.pk])}" id="btn-delete-table"' in page
    confirm = approver.get(reverse("review:delete_table", args=[table.pk])).content.decode()
    summary = confirm[confirm.index('id="delete-summary"'):]
    assert "2019" in summary and "甲部门" in summary and "1 个项目" in summary
    assert DisclosureTable.objects.filter(pk=table.pk).exists()  # the GET deleted nothing
    r = approver.post(reverse("review:delete_table", args=[table.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("entry:home")
    assert not DisclosureTable.objects.filter(pk=table.pk).exists()
    assert not Project.objects.filter(table_id=table.pk).exists()
    deleted = DisclosureTable.history.filter(id=table.pk, history_type="-").get()
    assert deleted.history_user == world.users["approver"] and deleted.history_date is not None


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["submitted", "returned", "approved", "published"])
def test_a_table_once_submitted_is_never_deleted(status):
    world = World(status)
    table = world.tables["own"]
    for user in ("approver", "admin", "editor"):
        client = _client(world.users[user])
        assert client.get(reverse("review:delete_table", args=[table.pk])).status_code == 403
        assert client.post(reverse("review:delete_table", args=[table.pk])).status_code == 403
    if status == "published":  # a new revision is a draft again, but was submitted before
        workflow.reopen(table, world.users["approver"])
        assert _client(world.users["admin"]).post(reverse("review:delete_table", args=[table.pk])).status_code == 403
    with pytest.raises(workflow.TransitionError):
        workflow.delete_table(table, world.users["admin"])
    assert DisclosureTable.objects.filter(pk=table.pk).exists()


@pytest.mark.django_db
def test_an_editor_may_not_delete_a_table_and_the_reviewer_never_sees_a_draft():
    world = World("draft")
    table = world.tables["own"]
    assert _client(world.users["editor"]).post(reverse("review:delete_table", args=[table.pk])).status_code == 403
    assert _client(world.users["reviewer"]).post(reverse("review:delete_table", args=[table.pk])).status_code == 404
    assert _client(world.users["approver_b"]).post(reverse("review:delete_table", args=[table.pk])).status_code == 404
    assert DisclosureTable.objects.filter(pk=table.pk).exists()


@pytest.mark.django_db
def test_deleting_a_project_asks_first_naming_it_and_a_get_deletes_nothing():
    world = World("draft")
    project = world.projects["own"]
    editor = _client(world.users["editor"])
    form = editor.get(reverse("entry:project", args=[project.pk])).content.decode()
    assert f'href="{reverse("entry:project_delete", args=[project.pk])}"' in form
    assert f'action="{reverse("entry:project_delete", args=[project.pk])}"' not in form
    page = editor.get(reverse("entry:project_delete", args=[project.pk])).content.decode()
    summary = page[page.index('id="delete-summary"'):]
    assert "项目1" in summary and "甲部门" in summary and 'id="confirm-delete-project"' in page
    assert Project.objects.filter(pk=project.pk).exists()
    assert editor.post(reverse("entry:project_delete", args=[project.pk])).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()


def _withdraw(world, table, reason="金额单位填错，撤回更正"):
    reviewer = _client(world.users["reviewer"])
    return reviewer, reviewer.post(reverse("review:withdraw", args=[table.pk]), {"reason": reason})


@pytest.mark.django_db
def test_withdrawing_needs_a_public_reason_and_the_portal_keeps_the_snapshot_marked_withdrawn(client):
    world = World("published")
    table = world.tables["own"]
    pub = table.publications.get()
    reviewer = _client(world.users["reviewer"])
    page = reviewer.get(reverse("entry:table", args=[table.pk])).content.decode()
    assert f'href="{reverse("review:withdraw", args=[table.pk])}" id="btn-withdraw"' in page
    confirm = reviewer.get(reverse("review:withdraw", args=[table.pk])).content.decode()
    summary = confirm[confirm.index('id="withdraw-summary"'):]
    assert "2019" in summary and "甲部门" in summary and "第 1 次公开" in summary
    r = reviewer.post(reverse("review:withdraw", args=[table.pk]), {"reason": "  "})
    assert r.status_code == 400 and not Withdrawal.objects.exists()
    _, r = _withdraw(world, table)
    assert r.status_code == 302
    table.refresh_from_db()
    assert table.status == "draft"  # the department prepares the correction
    withdrawal = Withdrawal.objects.get(publication=pub)
    assert withdrawal.withdrawn_by == world.users["reviewer"] and withdrawal.reason == "金额单位填错，撤回更正"
    assert Withdrawal.history.get().history_user == world.users["reviewer"]
    assert Publication.objects.get(pk=pub.pk).snapshot == pub.snapshot  # never touched
    # The portal: still listed and reachable, marked withdrawn with the date and the reason.
    index = client.get(reverse("portal:index")).content.decode()
    assert "已撤回" in index and reverse("portal:publication", args=[pub.pk]) in index
    page = client.get(reverse("portal:publication", args=[pub.pk])).content.decode()
    notice = page[page.index('id="publication-withdrawn"'):]
    assert "金额单位填错，撤回更正" in notice[:600] and str(withdrawal.withdrawn_at.year) in notice[:600]
    # The API and the year's CSV carry the status.
    record = api_get(client, f"/api/tables/{pub.pk}/")
    assert record["status"] == "withdrawn" and record["withdrawal"]["reason"] == "金额单位填错，撤回更正"
    assert record["corrected_by"] is None
    listed = {t["id"]: t for t in api_get(client, "/api/tables/")["results"]}
    assert listed[pub.pk]["status"] == "withdrawn"
    other = world.tables["other"].publications.get()
    assert listed[other.pk]["status"] == "published" and listed[other.pk]["withdrawal"] is None
    raw = b"".join(client.get("/api/years/2019/projects.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows[0][4] == "公开状态" and {r[1]: r[4] for r in rows[1:]} == {"甲部门": "withdrawn", "乙部门": "published"}
    assert rows[0][5:7] == ["撤回时间", "撤回理由"]
    assert {r[1]: tuple(r[5:7]) for r in rows[1:]} == {"甲部门": (record["withdrawal"]["withdrawn_at"], withdrawal.reason),
                                                     "乙部门": ("", "")}
    # So do its project and indicator records and the year's tables.json, beside each snapshot.
    projects = api_get(client, f"/api/tables/{pub.pk}/projects/")["results"]
    assert projects and all(p["status"] == "withdrawn" and p["withdrawal"] == record["withdrawal"] for p in projects)
    assert api_get(client, projects[0]["url"])["withdrawal"] == record["withdrawal"]
    statuses = {p["department"]["name"]: p["status"] for p in api_get(client, "/api/projects/")["results"]}
    assert statuses == {"甲部门": "withdrawn", "乙部门": "published"}
    cells = api_get(client, "/api/indicators/", kind="quantity")["results"]
    assert {c["department"]["name"]: c["status"] for c in cells} == statuses
    year = json.loads(b"".join(client.get("/api/years/2019/tables.json").streaming_content))
    assert {i["id"]: (i["status"], i["withdrawal"]) for i in year} == {
        pub.pk: ("withdrawn", record["withdrawal"]), other.pk: ("published", None)}
    assert next(i for i in year if i["id"] == pub.pk)["document"] == pub.snapshot
    # Withdrawn once is enough: a second withdrawal is refused.
    assert reviewer.get(reverse("review:withdraw", args=[table.pk])).status_code == 403


@pytest.mark.django_db
def test_a_correction_names_what_it_corrects_and_why_and_the_old_snapshot_links_to_it(client):
    world = World("published")
    table = world.tables["own"]
    first = table.publications.get()
    _withdraw(world, table)
    project = world.projects["own"]
    old_name = project.name
    project.name = "更正后的项目名称"
    project.save()
    approver = _client(world.users["approver"])
    assert approver.post(reverse("review:submit", args=[table.pk]), explanation_post(table)).status_code == 302
    reviewer = _client(world.users["reviewer"])
    assert reviewer.post(reverse("review:approve", args=[table.pk])).status_code == 302
    page = reviewer.get(reverse("review:publish", args=[table.pk])).content.decode()
    assert 'id="publish-correction"' in page and "第 1 次公开" in page
    r = reviewer.post(reverse("review:publish", args=[table.pk]), {"note": "", "reason": ""})
    assert r.status_code == 400 and table.publications.count() == 1
    r = reviewer.post(reverse("review:publish", args=[table.pk]), {"note": "", "reason": "项目名称有误"})
    assert r.status_code == 302
    second = table.publications.order_by("-number").first()
    assert second.number == 2 and second.corrects == first and second.correction_reason == "项目名称有误"
    assert second.published_by == world.users["reviewer"]
    old = client.get(reverse("portal:publication", args=[first.pk])).content.decode()
    assert 'id="publication-withdrawn"' in old and reverse("portal:publication", args=[second.pk]) in old
    assert "更正后的项目名称" not in old  # the old snapshot as it was
    new = client.get(reverse("portal:publication", args=[second.pk])).content.decode()
    assert 'id="publication-corrects"' in new and "项目名称有误" in new and "更正后的项目名称" in new
    assert api_get(client, f"/api/tables/{first.pk}/")["corrected_by"].endswith(f"/api/tables/{second.pk}/")
    assert api_get(client, f"/api/tables/{second.pk}/")["status"] == "published"
    index = client.get(reverse("portal:index")).content.decode()
    assert reverse("portal:publication", args=[second.pk]) in index and "已撤回" not in index
    # The search looks in the current publication only: the corrected name, not the old one.
    found = client.get(reverse("portal:index"), {"q": "更正后"}).content.decode()
    assert reverse("portal:project", args=[second.pk, 0]) in found
    found = client.get(reverse("portal:index"), {"q": old_name}).content.decode()
    assert reverse("portal:project", args=[first.pk, 0]) not in found


@pytest.mark.django_db
def test_publishing_a_new_revision_supersedes_the_old_publication_with_a_reason(client):
    world = World("published")
    table = world.tables["own"]
    first = table.publications.get()
    workflow.reopen(table, world.users["approver"])
    bring_to(table, "approved", world.users["approver"], world.users["reviewer"])
    reviewer = _client(world.users["reviewer"])
    r = reviewer.post(reverse("review:publish", args=[table.pk]), {"reason": "补充整改情况"})
    assert r.status_code == 302
    old = client.get(reverse("portal:publication", args=[first.pk])).content.decode()
    notice = old[old.index('id="publication-superseded"'):]
    assert "补充整改情况" in notice[:800]
    record = api_get(client, f"/api/tables/{first.pk}/")
    assert record["status"] == "superseded" and record["withdrawal"] is None and record["corrected_by"]
    # The superseded publication's project records say so too, naming the correction.
    for project in api_get(client, f"/api/tables/{first.pk}/projects/")["results"]:
        assert (project["status"], project["corrected_by"]) == ("superseded", record["corrected_by"])
        assert project["is_current"] is False and api_get(client, project["url"]) == project


@pytest.mark.django_db
def test_a_withdrawal_meant_for_an_older_publication_is_refused():
    world = World("published")
    table = world.tables["own"]
    first = table.publications.get()
    workflow.reopen(table, world.users["approver"])
    bring_to(table, "approved", world.users["approver"], world.users["reviewer"])
    workflow.publish(table, world.users["reviewer"], reason="更正")
    with pytest.raises(workflow.TransitionError):
        workflow.withdraw(table, world.users["reviewer"], "迟到的撤回", publication=first.pk)
    table.refresh_from_db()
    assert table.status == "published" and not Withdrawal.objects.exists()
    reviewer = _client(world.users["reviewer"])
    r = reviewer.post(reverse("review:withdraw", args=[table.pk]), {"reason": "迟到的撤回", "publication": first.pk},
                      follow=True)
    assert "表的状态已被他人改变" in r.content.decode() and not Withdrawal.objects.exists()


@pytest.mark.django_db
def test_withdraw_and_publish_never_both_apply():
    # Approved and published are different states: whichever commits first, the other is refused.
    world = World("approved")
    table = world.tables["own"]
    with pytest.raises(workflow.TransitionError):
        workflow.withdraw(DisclosureTable.objects.get(pk=table.pk), world.users["reviewer"], "撤回")
    workflow.publish(DisclosureTable.objects.get(pk=table.pk), world.users["reviewer"])
    stale = DisclosureTable.objects.get(pk=table.pk)
    workflow.withdraw(stale, world.users["reviewer"], "撤回")
    with pytest.raises(workflow.TransitionError):
        workflow.publish(stale, world.users["reviewer"])  # its approval was used up
    assert table.publications.count() == 1 and Withdrawal.objects.count() == 1


def _reopened(status):
    """A published table reopened for a new revision, brought to ``status`` (its project edited)."""
    world = World("published")
    table = world.tables["own"]
    workflow.reopen(table, world.users["approver"])
    project = world.projects["own"]
    project.name = "修订中的项目名称"
    project.save()
    bring_to(table, status, world.users["approver"], world.users["reviewer"])
    return world, table


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "returned", "submitted", "approved"])
def test_a_publication_stays_withdrawable_while_a_new_revision_is_edited_and_the_revision_keeps_its_status(
        client, status):
    world, table = _reopened(status)
    pub = table.publications.get()
    reviewer = _client(world.users["reviewer"])
    page = reviewer.get(reverse("entry:table", args=[table.pk])).content.decode()
    assert f'href="{reverse("review:withdraw", args=[table.pk])}" id="btn-withdraw"' in page
    confirm = reviewer.get(reverse("review:withdraw", args=[table.pk])).content.decode()
    summary = confirm[confirm.index('id="withdraw-summary"'):]
    assert "第 1 次公开" in summary[:400] and "表回到草稿" not in summary[:400]
    assert 'id="withdraw-revision"' in confirm
    r = reviewer.post(reverse("review:withdraw", args=[table.pk]), {"reason": "原公开数据有误", "publication": pub.pk},
                      follow=True)
    assert "正在进行的修订不受影响" in r.content.decode()
    table.refresh_from_db()
    assert table.status == status  # the revision goes on as it was
    assert Project.objects.get(pk=world.projects["own"].pk).name == "修订中的项目名称"
    assert Withdrawal.objects.get(publication=pub).reason == "原公开数据有误"
    assert Publication.objects.get(pk=pub.pk).snapshot == pub.snapshot
    notice = client.get(reverse("portal:publication", args=[pub.pk])).content.decode()
    assert "原公开数据有误" in notice[notice.index('id="publication-withdrawn"'):][:600]
    assert api_get(client, f"/api/tables/{pub.pk}/")["status"] == "withdrawn"
    # Once withdrawn, no second withdrawal: the page and the action answer 403, the button is gone.
    assert reviewer.get(reverse("review:withdraw", args=[table.pk])).status_code == 403
    assert 'id="btn-withdraw"' not in reviewer.get(reverse("entry:table", args=[table.pk])).content.decode()


@pytest.mark.django_db
def test_the_revision_published_after_its_publication_was_withdrawn_is_the_correction_of_it():
    world, table = _reopened("approved")
    first = table.publications.get()
    workflow.withdraw(table, world.users["reviewer"], "原公开数据有误")
    second = workflow.publish(table, world.users["reviewer"], reason="修订后的数据")
    assert second.corrects == first and second.correction_reason == "修订后的数据"
    table.refresh_from_db()
    assert table.status == "published" and "修订中的项目名称" in str(second.snapshot)


@pytest.mark.django_db
def test_only_the_finance_bureau_withdraws_a_publication_under_revision():
    world, table = _reopened("draft")
    for user in ("editor", "approver"):
        assert _client(world.users[user]).post(reverse("review:withdraw", args=[table.pk]),
                                               {"reason": "部门撤回"}).status_code == 403
    assert _client(world.users["approver_b"]).get(reverse("review:withdraw", args=[table.pk])).status_code == 404
    assert not Withdrawal.objects.exists()
    # Withdrawn during its revision, a table has nothing left to withdraw, even for an administrator.
    draft = world.tables["other"]
    workflow.reopen(draft, world.users["approver_b"])
    workflow.withdraw(draft, world.users["reviewer"], "撤回")
    assert _client(world.users["admin"]).get(reverse("review:withdraw", args=[draft.pk])).status_code == 403


@pytest.mark.django_db
def test_the_dashboard_drops_a_withdrawn_publication_a_revision_showed():
    from jixiao.web.dashboard import versions
    from jixiao.web.dashboard.models import ShownVersion

    world, table = _reopened("returned")
    assert ShownVersion.objects.get(table=table).kind == ShownVersion.Kind.PUBLISHED
    workflow.withdraw(table, world.users["reviewer"], "原公开数据有误")
    # The returned revision now shows its submission as submitted; a draft would show none.
    assert ShownVersion.objects.get(table=table).kind == ShownVersion.Kind.SUBMITTED
    draft = world.tables["other"]
    workflow.reopen(draft, world.users["approver_b"])
    assert ShownVersion.objects.filter(table=draft).exists()
    workflow.withdraw(draft, world.users["reviewer"], "撤回")
    assert not ShownVersion.objects.filter(table=draft).exists()
    # Nor does the next migrate's backfill freeze the withdrawn publication again.
    assert versions.backfill() == 0 and not ShownVersion.objects.filter(table=draft).exists()
