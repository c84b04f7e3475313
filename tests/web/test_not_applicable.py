"""The project form's 不适用 mark per indicator cell: stored with its reason, required reason,
the one-click mark a JX207 finding offers, and the score that leaves the cell out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.entry import convert

from .conftest import World
from .helpers import project_post


@pytest.fixture
def editor(db):
    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    return world, client


def _post(world, client, **fields):
    project = world.projects["own"]
    data = {**project_post(world, "own"), "ind_social_target": "会员覆盖率≥90%", "ind_social_actual": "会员覆盖率95%",
            **fields}
    return client.post(reverse("entry:project", args=[project.pk]), data)


def test_an_indicator_marked_not_applicable_is_stored_with_its_reason_and_its_texts_ignored(editor):
    world, client = editor
    r = _post(world, client, ind_ecological_target="生态修复≥10亩", ind_ecological_na="on",
              ind_ecological_na_reason="本项目不涉及生态效益")
    assert r.status_code == 302
    project = world.projects["own"]
    project.refresh_from_db()
    assert project.indicators["ecological"] == {"target": "", "actual": "", "not_applicable": True,
                                                "na_reason": "本项目不涉及生态效益"}
    page = client.get(reverse("entry:project", args=[project.pk])).content.decode()
    assert 'name="ind_ecological_na" id="id_ind_ecological_na" checked' in page
    assert "本项目不涉及生态效益" in page


def test_the_users_case_ecological_not_applicable_scores_outcome_30_of_30_with_no_warning_on_the_cell(editor):
    world, client = editor
    _post(world, client, ind_ecological_na="on", ind_ecological_na_reason="本项目不涉及生态效益")
    project = world.projects["own"]
    project.refresh_from_db()
    r = client.get(reverse("entry:project", args=[project.pk]))
    outcome = r.context["analysis"].score.categories[1]
    assert (outcome.key, outcome.score, outcome.weight) == ("outcome", Decimal("30.00"), Decimal("30"))
    assert not [f for f in r.context["analysis"].findings if f.column.startswith("indicators.ecological")]


def test_marking_not_applicable_without_a_reason_is_a_field_error_and_nothing_is_saved(editor):
    world, client = editor
    r = _post(world, client, ind_ecological_na="on", ind_ecological_na_reason=" ")
    assert r.status_code == 200
    assert "ind_ecological_na_reason" in r.context["form"].errors
    project = world.projects["own"]
    project.refresh_from_db()
    assert project.version == 1


def test_a_target_that_says_it_does_not_apply_offers_a_one_click_mark_that_takes_the_reason_from_it(editor):
    world, client = editor
    assert _post(world, client, ind_ecological_target="无（本项目不涉及生态效益）").status_code == 302
    project = world.projects["own"]
    project.refresh_from_db()
    page = client.get(reverse("entry:project", args=[project.pk])).content.decode()
    assert 'name="ind_ecological_na" value="on" data-mark-na="ecological"' in page
    assert "标记为不适用" in page
    # the button posts the form with the mark on and no reason typed
    data = {**project_post(world, "own"), "version": project.version, "ind_social_target": "会员覆盖率≥90%",
            "ind_social_actual": "会员覆盖率95%", "ind_ecological_target": "无（本项目不涉及生态效益）",
            "ind_ecological_na": "on"}
    assert client.post(reverse("entry:project", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    cell = convert.indicators_to_core(project.indicators)["ecological"]
    assert (cell.not_applicable, cell.na_reason) == (True, "本项目不涉及生态效益")


def test_the_english_form_labels_the_mark_not_applicable(editor):
    world, client = editor
    client.cookies["django_language"] = "en"
    page = client.get(reverse("entry:project", args=[world.projects["own"].pk]), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Not applicable" in page and b"Reason it does not apply" in page


@pytest.fixture
def published_marked(db):
    """A published table whose first project has 生态效益 marked not applicable."""
    from dataclasses import replace

    from jixiao.core.model import IndicatorCell
    from jixiao.generate import generate_table
    from jixiao.web.entry.models import Status
    from jixiao.web.portal.models import PublishedTable

    from .conftest import bring_to

    world = World("draft")
    core = generate_table(projects=2, seed=5)
    first = core.projects[0]
    cells = {**first.indicators, "ecological": IndicatorCell(not_applicable=True, na_reason="本项目不涉及生态效益")}
    core = replace(core, projects=[replace(first, indicators=cells), *core.projects[1:]])
    table = convert.save_table(core, status=Status.DRAFT)
    bring_to(table, "published", world.users["admin"], world.users["reviewer"])
    entry = PublishedTable.objects.get(table_id_ref=table.pk)
    entry.publication_pk = table.publications.get().pk  # the API's id of the table
    return entry


def test_the_portal_pages_print_not_applicable_with_the_reason(published_marked):
    visitor = Client()
    project = visitor.get(reverse("portal:project", args=[published_marked.pk, 0])).content.decode()
    assert "不适用（本项目不涉及生态效益）" in project
    table = visitor.get(reverse("portal:publication", args=[published_marked.pk])).content.decode()
    assert '<div>不适用（本项目不涉及生态效益）</div><div class="actual">不适用</div>' in table


def test_the_english_portal_says_not_applicable(published_marked):
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    page = visitor.get(reverse("portal:project", args=[published_marked.pk, 0]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Not applicable (本项目不涉及生态效益)" in page.content.decode()


def test_the_api_says_which_indicators_are_not_applicable_and_why(published_marked):
    from .helpers import api_get

    client = Client()
    detail = api_get(client, f"/api/tables/{published_marked.publication_pk}/")
    first = next(p for p in api_get(client, detail["projects_url"])["results"] if p["position"] == 1)
    assert first["indicators"]["ecological"] == {"target": "", "actual": "", "not_applicable": True,
                                                 "na_reason": "本项目不涉及生态效益"}
    one = api_get(client, first["url"])
    assert one["indicators"]["ecological"]["not_applicable"] is True
    marked = api_get(client, "/api/indicators/", kind="ecological")["results"]
    assert [(r["not_applicable"], r["na_reason"]) for r in marked if r["project"] == first["id"]] == [
        (True, "本项目不涉及生态效益")]
