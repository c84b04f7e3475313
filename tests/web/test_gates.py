"""Submission gates and the confirmation pages of submit, approve and publish (docs/web.md,
"Submission gates"): an empty table or one with blocking findings is never submitted; every
other open finding needs the department's explanation, which the reviewer reads beside it;
approving and publishing first show what will happen, and a GET changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from jixiao.web.entry.models import DisclosureTable, Publication, Year
from jixiao.web.review import gates

from .conftest import World, bring_to, explanation_post, make_project


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_an_empty_table_cannot_be_submitted_and_the_submit_page_says_why():
    world = World("draft")
    empty = DisclosureTable.objects.create(year=Year.objects.create(year=2100), department=world.dept_a)
    approver = _client(world.users["approver"])
    page = approver.get(reverse("review:submit", args=[empty.pk])).content.decode()
    assert 'id="refused-empty"' in page and 'id="confirm-submit"' not in page
    r = approver.post(reverse("review:submit", args=[empty.pk]))
    empty.refresh_from_db()
    assert r.status_code == 400 and 'id="refused-empty"' in r.content.decode()
    assert empty.status == "draft" and not empty.rounds.exists()
    # Not even with nothing configured to block.
    with override_settings(JIXIAO_SUBMIT_BLOCKING=()):
        assert approver.post(reverse("review:submit", args=[empty.pk])).status_code == 400
    assert not empty.rounds.exists() and not Publication.objects.filter(table=empty).exists()


@pytest.mark.django_db
def test_submission_is_refused_while_a_project_has_errors_each_listed_and_linked_to_its_field():
    world = World("draft")
    table, project = world.tables["own"], world.projects["own"]
    project.budget = Decimal("5.00")  # spending 90 of 5: execution rate above 100 % (JX104, an error)
    project.save()
    approver = _client(world.users["approver"])
    page = approver.get(reverse("review:submit", args=[table.pk])).content.decode()
    assert 'id="blocking-findings"' in page and "JX104" in page and 'id="confirm-submit"' not in page
    assert f'href="{reverse("entry:project", args=[project.pk])}#id_execution_rate_text"' in page
    r = approver.post(reverse("review:submit", args=[table.pk]), explanation_post(table))
    table.refresh_from_db()
    assert r.status_code == 400 and "JX104" in r.content.decode()
    assert table.status == "draft" and not table.rounds.exists()
    # Fixed, it goes through.
    project.budget = Decimal("100.00")
    project.save()
    assert approver.post(reverse("review:submit", args=[table.pk]), explanation_post(table)).status_code == 302
    table.refresh_from_db()
    assert table.status == "submitted"


@pytest.mark.django_db
def test_each_warning_needs_an_explanation_which_the_reviewer_reads_beside_it():
    world = World("draft")
    table = world.tables["own"]
    warnings = gates.assess(table).warnings
    assert warnings and all(w.finding.severity == "warning" for w in warnings)
    approver = _client(world.users["approver"])
    page = approver.get(reverse("review:submit", args=[table.pk])).content.decode()
    assert all(f'name="{w.field_name}"' in page for w in warnings) and 'id="confirm-submit"' in page
    # One left blank: refused, nothing recorded, the others' text kept in the form.
    data = explanation_post(table, "指标按原表填报")
    data[warnings[0].field_name] = "  "
    r = approver.post(reverse("review:submit", args=[table.pk]), data)
    table.refresh_from_db()
    assert r.status_code == 400 and table.status == "draft" and not table.rounds.exists()
    assert "请说明这条警告" in r.content.decode() and "指标按原表填报" in r.content.decode()
    data[warnings[0].field_name] = "质量指标原表未设"
    assert approver.post(reverse("review:submit", args=[table.pk]), data).status_code == 302
    rnd = table.rounds.get()
    assert {e["key"]: e["explanation"] for e in rnd.explanations}[warnings[0].key] == "质量指标原表未设"
    assert {e["code"] for e in rnd.explanations} == {w.finding.code for w in warnings}
    reviewer = _client(world.users["reviewer"])
    review = reviewer.get(reverse("entry:table", args=[table.pk])).content.decode()
    assert "质量指标原表未设" in review and warnings[0].finding.message_zh in review
    approve_page = reviewer.get(reverse("review:approve", args=[table.pk])).content.decode()
    assert 'id="open-warnings"' in approve_page and "质量指标原表未设" in approve_page
    assert 'id="confirm-approve"' in approve_page


@pytest.mark.django_db
def test_the_blocking_codes_are_a_setting():
    world = World("draft")
    table = world.tables["own"]
    with override_settings(JIXIAO_SUBMIT_BLOCKING=("JX201",)):
        gate = gates.assess(table)
        assert not gate.allowed and {o.finding.code for o in gate.blocking} == {"JX201"}
        r = _client(world.users["approver"]).post(reverse("review:submit", args=[table.pk]))
        assert r.status_code == 400
    world.projects["own"].budget = Decimal("5.00")
    world.projects["own"].save()
    with override_settings(JIXIAO_SUBMIT_BLOCKING=()):
        gate = gates.assess(table)  # an error let through needs an explanation like a warning
        assert gate.allowed and "JX104" in {o.finding.code for o in gate.warnings}


def test_an_unknown_blocking_code_stops_the_server_from_starting(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    from jixiao.web import settings

    try:
        monkeypatch.setenv("JIXIAO_SUBMIT_BLOCKING", "error, JX104")
        assert importlib.reload(settings).JIXIAO_SUBMIT_BLOCKING == ("error", "JX104")
        monkeypatch.setenv("JIXIAO_SUBMIT_BLOCKING", "error,JX999")
        with pytest.raises(ImproperlyConfigured, match="JX999"):
            importlib.reload(settings)
    finally:
        monkeypatch.delenv("JIXIAO_SUBMIT_BLOCKING")
        importlib.reload(settings)


@pytest.mark.django_db
def test_submit_approve_and_publish_are_links_to_pages_that_confirm_and_a_get_changes_nothing():
    world = World("draft")
    table = world.tables["own"]
    approver, reviewer = _client(world.users["approver"]), _client(world.users["reviewer"])
    page = approver.get(reverse("entry:table", args=[table.pk])).content.decode()
    assert f'href="{reverse("review:submit", args=[table.pk])}" id="btn-submit"' in page
    assert f'action="{reverse("review:submit", args=[table.pk])}"' not in page
    bring_to(table, "submitted", world.users["approver"], world.users["reviewer"])
    page = reviewer.get(reverse("entry:table", args=[table.pk])).content.decode()
    assert f'href="{reverse("review:approve", args=[table.pk])}" id="btn-approve"' in page
    assert reviewer.get(reverse("review:approve", args=[table.pk])).status_code == 200
    table.refresh_from_db()
    assert table.status == "submitted"
    assert reviewer.post(reverse("review:approve", args=[table.pk])).status_code == 302
    table.refresh_from_db()
    page = reviewer.get(reverse("review:publish", args=[table.pk])).content.decode()
    summary = page[page.index('id="publish-summary"'):]
    assert "2019" in summary and "甲部门" in summary and "附件2-3" in summary and "1 个项目" in summary
    assert 'id="confirm-publish"' in page and not Publication.objects.filter(table=table).exists()
    assert reviewer.post(reverse("review:publish", args=[table.pk]), {"note": ""}).status_code == 302
    assert Publication.objects.filter(table=table).count() == 1


@pytest.mark.django_db
def test_a_table_with_two_projects_needs_both_explained_and_keys_stay_stable():
    world = World("draft")
    table = world.tables["own"]
    make_project(table, seq=2)
    first = gates.assess(table)
    again = gates.assess(DisclosureTable.objects.get(pk=table.pk))
    assert [w.key for w in first.warnings] == [w.key for w in again.warnings]
    assert len({w.field_name for w in first.warnings}) == len(first.warnings)
    assert {w.finding.project_seq for w in first.warnings} == {1, 2}
