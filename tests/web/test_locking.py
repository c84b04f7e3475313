"""Optimistic locking: two people edit the same project; the second save is refused, nothing
is overwritten, and the refusal shows the other person's version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.entry.models import Project

from .conftest import World
from .test_roles import _project_post


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
