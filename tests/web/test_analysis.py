"""The table page's analysis (checks and suggested scores), computed from the table as stored
on each page view — nothing kept per process (web/entry/analysis.py)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from jixiao.web.entry import analysis, convert

from .conftest import World


def _analyse(table):
    table.refresh_from_db()
    rows = list(table.projects.order_by("seq", "pk"))
    return analysis.table_analysis(convert.table_to_core(table, rows))


@pytest.mark.django_db
def test_table_analysis_follows_every_save_of_a_project():
    world = World("draft")
    table = world.tables["own"]
    first = _analyse(table)
    assert len(first[1]) == 1, "one suggested score per project"
    project = world.projects["own"]
    project.actual_total = Decimal("10.00")  # an execution rate of 10 %: a different score
    project.version += 1
    project.save()
    changed = _analyse(table)
    assert changed[1][0].total != first[1][0].total
    assert changed == (analysis.table_findings(convert.table_to_core(table, list(table.projects.all()))),
                       analysis.table_scores(convert.table_to_core(table, list(table.projects.all()))))


def test_nothing_of_the_analysis_is_kept_in_process_memory():
    assert not [name for name in vars(analysis) if "cache" in name.lower() and not name.startswith("__")]


@pytest.mark.django_db
def test_an_analysis_cannot_be_changed_by_the_code_it_is_handed_to():
    world = World("draft")
    findings, scores = _analyse(world.tables["own"])
    assert isinstance(findings, tuple) and isinstance(scores, tuple)
    with pytest.raises(AttributeError):
        scores.append(None)  # a request's change would reach every other request of the version
    project = analysis.analyse_project(convert.project_to_core(world.projects["own"]))
    assert isinstance(project.findings, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        project.findings = ()


@pytest.mark.django_db
def test_table_page_shows_an_edit_at_once_although_its_projects_table_is_cached():
    from django.test import Client
    from django.urls import reverse

    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    url = reverse("entry:table", args=[world.tables["own"].pk])
    assert "项目1" in client.get(url).content.decode()
    project = world.projects["own"]
    project.name = "改名后的项目"
    project.version += 1
    project.save()
    body = client.get(url).content.decode()
    assert "改名后的项目" in body and ">项目1<" not in body
    assert client.get(url + "?lang=en").status_code == 200
