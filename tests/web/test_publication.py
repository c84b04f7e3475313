"""Publishing freezes a snapshot: the public page never changes except through a new,
recorded publication."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.entry.models import FrozenError, Publication
from jixiao.web.review import workflow

from .conftest import World, explain_all, explanation_post
from .helpers import project_post


@pytest.mark.django_db
def test_public_view_changes_only_through_a_new_publication():
    world = World("published")
    table = world.tables["own"]
    first = table.publications.get()
    public = Client()
    url = reverse("portal:publication", args=[first.pk])
    assert "项目1" in public.get(url).content.decode()
    # The old public addresses lead there for good (same publication id).
    old = public.get(reverse("review:publication", args=[first.pk]))
    assert old.status_code == 301 and old["Location"] == url
    old_index = public.get(reverse("review:public_index"))
    assert old_index.status_code == 301 and old_index["Location"] == reverse("portal:index")
    frozen = dict(first.snapshot)

    # The department starts a revision and edits: the public page stays as published.
    approver = Client()
    approver.force_login(world.users["approver"])
    assert approver.post(reverse("review:reopen", args=[table.pk])).status_code == 302
    project = world.projects["own"]
    data = {**project_post(world, "own"), "name": "修订后的项目"}
    assert approver.post(reverse("entry:project", args=[project.pk]), data).status_code == 302
    page = public.get(url).content.decode()
    assert "项目1" in page and "修订后的项目" not in page
    first.refresh_from_db()
    assert first.snapshot == frozen

    # Only a new publication changes what the public sees; the old one stays and points on.
    table.refresh_from_db()
    workflow.submit(table, world.users["approver"], explanations=explain_all(table))
    workflow.approve(table, world.users["reviewer"])
    reviewer = Client()
    reviewer.force_login(world.users["reviewer"])
    assert reviewer.post(reverse("review:publish", args=[table.pk]), {"note": "第二版"}).status_code == 400  # a correction needs its reason
    assert reviewer.post(reverse("review:publish", args=[table.pk]),
                         {"note": "第二版", "reason": "修订项目名称"}).status_code == 302
    second = table.publications.get(number=2)
    assert second.published_by == world.users["reviewer"]
    assert "修订后的项目" in public.get(reverse("portal:publication", args=[second.pk])).content.decode()
    old_page = public.get(url).content.decode()
    assert "项目1" in old_page and reverse("portal:publication", args=[second.pk]) in old_page
    index = public.get(reverse("review:public_index"), follow=True).content.decode()
    assert reverse("portal:publication", args=[second.pk]) in index
    assert reverse("portal:publication", args=[first.pk]) not in index


@pytest.mark.django_db
def test_a_publication_cannot_be_changed():
    world = World("published")
    pub = world.tables["own"].publications.get()
    pub.snapshot = {"tampered": True}
    with pytest.raises(FrozenError):
        pub.save()
    assert Publication.objects.get(pk=pub.pk).snapshot != {"tampered": True}


@pytest.mark.django_db
def test_workflow_records_rounds_and_comments_apart_from_the_departments_text():
    world = World("submitted")
    table = world.tables["own"]
    reviewer = Client()
    reviewer.force_login(world.users["reviewer"])
    project = world.projects["own"]
    reviewer.post(reverse("review:comment", args=[table.pk]), {"text": "预算执行率偏低", "project": project.pk})
    reviewer.post(reverse("review:return", args=[table.pk]), {"text": "请补充问题分析"})
    table.refresh_from_db()
    assert table.status == "returned"
    rnd = table.rounds.get(number=1)
    assert rnd.decision == "returned" and rnd.decided_by == world.users["reviewer"]
    assert [c.text for c in rnd.comments.order_by("pk")] == ["预算执行率偏低", "请补充问题分析"]
    project.refresh_from_db()
    assert project.problems == "无"  # the department's own text is untouched
    # Returning needs a reason; a second submission opens round 2.
    approver = Client()
    approver.force_login(world.users["approver"])
    assert approver.post(reverse("review:submit", args=[table.pk]), explanation_post(table)).status_code == 302
    assert table.rounds.count() == 2
    r = reviewer.post(reverse("review:return", args=[table.pk]), {"text": ""})
    table.refresh_from_db()
    assert r.status_code == 302 and table.status == "submitted"
    # The comment is shown on the project page for the department.
    editor = Client()
    editor.force_login(world.users["editor"])
    assert "预算执行率偏低" in editor.get(reverse("entry:project", args=[project.pk])).content.decode()


@pytest.mark.django_db
def test_a_stale_transition_is_refused():
    world = World("submitted")
    table = world.tables["own"]
    stale = type(table).objects.get(pk=table.pk)
    workflow.approve(table, world.users["reviewer"])
    with pytest.raises(workflow.TransitionError):
        workflow.return_table(stale, world.users["admin"], "晚了")
    table.refresh_from_db()
    assert table.status == "approved"
