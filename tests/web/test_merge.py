"""Two editors save the same project from the same version: changes to different fields are
merged (both kept, no 409); only a field both changed differently is a conflict, listed by its
label, resolved per field on the 409 page (jixiao.web.entry.merging)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.entry.models import Project

from .conftest import World


def _form_values(page: str) -> dict:
    """The values a browser would post from the project form as rendered (inputs, textareas,
    selected options; no choice radios)."""
    form = page[page.index('id="project-form"'):]
    form = form[:form.index("</form>")]
    values = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        kind = re.search(r'type="([^"]*)"', tag)
        if name and (kind is None or kind.group(1) in ("hidden", "text", "number")):
            value = re.search(r'value="([^"]*)"', tag)
            values[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea\b[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', form, re.S):
        values[name] = unescape(text[1:] if text.startswith("\n") else text)
    for name, options in re.findall(r'<select\b[^>]*name="([^"]*)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        values[name] = unescape(chosen.group(1)) if chosen else ""
    values.pop("csrfmiddlewaretoken", None)
    return values


def _two_editors(world):
    project = world.projects["own"]
    url = reverse("entry:project", args=[project.pk])
    alice, bob = Client(), Client()
    alice.force_login(world.users["editor"])
    bob.force_login(world.users["approver"])
    return project, url, alice, bob, _form_values(alice.get(url).content.decode()), _form_values(
        bob.get(url).content.decode())


def _conflict_rows(page: str) -> list[str]:
    return re.findall(r'<tr data-conflict="([^"]*)">', page)


@pytest.mark.django_db
def test_edits_of_different_fields_from_the_same_version_are_both_kept_without_a_conflict():
    world = World("draft")
    project, url, alice, bob, alice_form, bob_form = _two_editors(world)
    assert alice.post(url, {**alice_form, "name": "爱丽丝的名称"}).status_code == 302
    second = bob.post(url, {**bob_form, "budget": "130.00", "ind_quantity_actual": "培训6次"}, follow=True)
    assert second.status_code == 200
    stored = Project.objects.get(pk=project.pk)
    assert stored.name == "爱丽丝的名称" and str(stored.budget) == "130.0000"
    assert stored.indicators["quantity"]["actual"] == "培训6次"
    assert stored.version == 3
    page = second.content.decode()
    assert "另一位编辑同时修改了以下栏目，其修改已保留：项目名称" in page
    assert stored.history.count() == 3  # created, alice's save, bob's save


@pytest.mark.django_db
def test_the_same_field_changed_differently_is_a_409_listing_only_that_field_by_its_label():
    world = World("draft")
    project, url, alice, bob, alice_form, bob_form = _two_editors(world)
    assert alice.post(url, {**alice_form, "ind_quantity_target": "培训≥6次", "problems": "经费到位晚"}).status_code == 302
    r = bob.post(url, {**bob_form, "ind_quantity_target": "培训≥8次", "name": "鲍勃的名称"})
    assert r.status_code == 409
    page = r.content.decode()
    assert _conflict_rows(page) == ["ind_quantity_target"]
    conflict = page[page.index('id="conflict"'):page.index('id="project-form"')]
    assert "数量指标 年度指标内容" in conflict and "培训≥8次" in conflict and "培训≥6次" in conflict
    assert "ind_quantity_target" not in re.sub(r'(data-conflict|name)="[^"]*"', "", conflict)  # no internal names
    stored = Project.objects.get(pk=project.pk)
    assert stored.name == "项目1" and stored.version == 2  # nothing of bob's was written
    # The form is based on the stored version: its version, alice's change where bob made none.
    based = _form_values(page)
    assert based["version"] == "2" and based["problems"] == "经费到位晚"
    assert based["name"] == "鲍勃的名称" and based["ind_quantity_target"] == "培训≥8次"


@pytest.mark.parametrize("choice, expected", [("mine", "培训≥8次"), ("theirs", "培训≥6次")])
@pytest.mark.django_db
def test_after_choosing_on_the_409_page_the_save_succeeds_and_a_further_save_does_not_409(choice, expected):
    world = World("draft")
    project, url, alice, bob, alice_form, bob_form = _two_editors(world)
    assert alice.post(url, {**alice_form, "ind_quantity_target": "培训≥6次"}).status_code == 302
    r = bob.post(url, {**bob_form, "ind_quantity_target": "培训≥8次", "name": "鲍勃的名称"})
    assert r.status_code == 409
    r = bob.post(url, {**_form_values(r.content.decode()), "keep_ind_quantity_target": choice})
    assert r.status_code == 302
    stored = Project.objects.get(pk=project.pk)
    assert stored.indicators["quantity"]["target"] == expected and stored.name == "鲍勃的名称"
    assert stored.version == 3
    # Saving again from the page that save led to is no conflict.
    again = _form_values(bob.get(url).content.decode())
    assert bob.post(url, {**again, "rectification": "已整改"}).status_code == 302
    assert Project.objects.get(pk=project.pk).rectification == "已整改"


@pytest.mark.django_db
def test_fields_the_editor_did_not_touch_never_appear_in_the_conflict_list():
    world = World("draft")
    project, url, alice, bob, alice_form, bob_form = _two_editors(world)
    changed = {"name": "爱丽丝的名称", "actual_total": "80.00", "annual_goal": "新目标", "gov_investment": "yes",
               "ind_satisfaction_actual": "满意度97%"}
    assert alice.post(url, {**alice_form, **changed}).status_code == 302
    r = bob.post(url, {**bob_form, "name": "鲍勃的名称", "budget": "100"})  # 100 = 100.00: not a change
    assert r.status_code == 409
    page = r.content.decode()
    assert _conflict_rows(page) == ["name"]
    for label in ("实际支出金额合计", "年初绩效目标", "是否政府投资项目", "项目年度预算金额"):
        assert f'<th scope="row">{label}</th>' not in page
    conflict = page[page.index('id="conflict"'):page.index('id="project-form"')]
    assert "实际支出金额_合计" not in conflict and "actual_total" not in conflict


@pytest.mark.django_db
def test_a_post_without_the_snapshot_is_merged_only_when_nothing_was_saved_meanwhile():
    world = World("draft")
    project, url, alice, bob, alice_form, bob_form = _two_editors(world)
    assert alice.post(url, {**alice_form, "name": "爱丽丝的名称"}).status_code == 302
    stale = {k: v for k, v in bob_form.items() if k != "base"}
    r = bob.post(url, {**stale, "budget": "130.00"})
    assert r.status_code == 409  # the base is unknown: every difference is shown, nothing undone
    assert _conflict_rows(r.content.decode()) == ["name", "budget"]
    assert Project.objects.get(pk=project.pk).name == "爱丽丝的名称"


@pytest.mark.django_db
def test_a_forged_snapshot_counts_as_none():
    from jixiao.web.entry import merging

    assert merging.read_snapshot("x" * 40) is None and merging.read_snapshot("") is None
    assert merging.read_snapshot(merging.snapshot({"name": "甲", "version": 3})) == {"name": "甲"}


@pytest.mark.django_db
def test_the_conflict_page_and_the_merge_message_are_in_english_with_the_english_labels():
    world = World("draft")
    project, url, alice, bob, alice_form, bob_form = _two_editors(world)
    bob.cookies["django_language"] = "en"
    assert alice.post(url, {**alice_form, "ind_quantity_target": "培训≥6次", "problems": "经费到位晚"}).status_code == 302
    r = bob.post(url, {**bob_form, "ind_quantity_target": "培训≥8次"})
    assert r.status_code == 409
    page = r.content.decode()
    conflict = page[page.index('id="conflict"'):page.index('id="project-form"')]
    for text in ("Keep mine", "Take theirs", "Save with these choices", "Quantity indicators"):
        assert text in conflict
    for chinese in ("保留我的", "采用对方的", "数量指标", "年度指标内容", "项目执行中存在的问题"):
        assert chinese not in conflict
    assert "Fields they changed and you did not now hold their values: Problems in implementation" in conflict
    # From a form loaded before alice's save, bob's save keeps her change and says so.
    stale = _form_values(bob.get(url).content.decode())
    assert alice.post(url, {**_form_values(alice.get(url).content.decode()), "name": "爱丽丝的名称"}).status_code == 302
    r = bob.post(url, {**stale, "rectification": "已整改"}, follow=True)
    assert "Another editor changed these fields meanwhile; their changes were kept: Project<" in r.content.decode()
