"""Bad input in forms: field errors, never a 500; markup shown escaped everywhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.entry.forms import CELL_MAX, ProjectForm
from jixiao.web.entry.models import Project

from .conftest import World
from .helpers import project_post

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'
TEXT_FIELDS = ("unit_name", "name", "execution_rate_text", "annual_goal", "overall_completion", "problems",
               "rectification", "ind_quantity_target", "ind_quantity_actual", "ind_satisfaction_target",
               "ind_satisfaction_actual")


@pytest.fixture
def editor(db):
    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    return world, client


@pytest.mark.parametrize("field,value,message", [
    ("budget", "三千元", "请输入数字金额"),
    ("actual_total", "12.3.4", "请输入数字金额"),
    ("actual_general_budget", "-5", "金额不能为负数"),
    ("actual_gov_fund", "-0.01", "金额不能为负数"),
    ("actual_non_fiscal", "1e5", "请输入数字金额"),
    ("budget", "1.23456", "最多保留 4 位小数"),
    ("budget", "9" * 30, "金额"),
    ("seq", "第一", "整数"),
    ("name", "", "必填"),
])
def test_bad_values_are_field_errors(editor, field, value, message):
    world, client = editor
    project = world.projects["own"]
    r = client.post(reverse("entry:project", args=[project.pk]), {**project_post(world, "own"), field: value})
    assert r.status_code == 200
    form = r.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    project.refresh_from_db()
    assert project.version == 1  # nothing saved


def test_ten_megabytes_in_a_cell_is_a_field_error(editor):
    world, client = editor
    project = world.projects["own"]
    huge = "很" * (10 * 1024 * 1024 // 3)  # 10 MB of UTF-8 text (the form posts multipart)
    r = client.post(reverse("entry:project", args=[project.pk]),
                    {**project_post(world, "own"), "ind_quantity_target": huge})
    assert r.status_code == 200
    assert "ind_quantity_target" in r.context["form"].errors
    assert str(CELL_MAX) in " ".join(r.context["form"].errors["ind_quantity_target"])
    project.refresh_from_db()
    assert project.version == 1


def test_a_body_over_the_form_limit_is_refused_with_a_message(editor, settings):
    world, client = editor
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    r = client.post(reverse("entry:project", args=[world.projects["own"].pk]),
                    {**project_post(world, "own"), "annual_goal": "x" * (2 * 1024 * 1024)})
    assert r.status_code == 413
    assert "提交的内容过大" in r.content.decode()


def test_nul_characters_are_a_field_error(editor):
    world, client = editor
    r = client.post(reverse("entry:project", args=[world.projects["own"].pk]),
                    {**project_post(world, "own"), "name": "a\x00b"})
    assert r.status_code == 200 and "name" in r.context["form"].errors


def test_markup_in_every_text_field_is_stored_verbatim_and_shown_escaped(editor):
    world, client = editor
    project = world.projects["own"]
    data = {**project_post(world, "own"), **{f: f"{f}{SCRIPT}" for f in TEXT_FIELDS}}
    data["execution_rate_text"] = "<b>9</b>"  # short field
    r = client.post(reverse("entry:project", args=[project.pk]), data)
    assert r.status_code == 302
    project.refresh_from_db()
    assert project.name == f"name{SCRIPT}"  # verbatim, never rewritten
    assert project.indicators["quantity"]["target"] == f"ind_quantity_target{SCRIPT}"
    client.post(reverse("review:comment", args=[world.tables["own"].pk]), {"text": SCRIPT})
    pages = [
        reverse("entry:home"), reverse("entry:table", args=[world.tables["own"].pk]),
        reverse("entry:project", args=[project.pk]), reverse("entry:project_history", args=[project.pk]),
        reverse("entry:table_download", args=[world.tables["own"].pk, "html"]),
        reverse("entry:project_mof", args=[project.pk, "html"]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url
        assert "<b>9</b>" not in body, url
    body = client.get(reverse("entry:project", args=[project.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_markup_is_escaped_on_the_public_page_and_in_the_live_check(editor):
    world, client = editor
    project = world.projects["own"]
    data = {**project_post(world, "own"), "name": SCRIPT, "ind_quantity_target": SCRIPT}
    r = client.post(reverse("entry:project_check", args=[world.tables["own"].pk]), data)
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    assert client.post(reverse("entry:project", args=[project.pk]), data).status_code == 302
    from .conftest import bring_to

    bring_to(world.tables["own"], "published", world.users["approver"], world.users["reviewer"])
    pub = world.tables["own"].publications.get()
    body = Client().get(reverse("portal:publication", args=[pub.pk])).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body


def test_new_project_with_bad_input_keeps_what_was_typed(editor):
    world, client = editor
    table = world.tables["own"]
    data = {**project_post(world, "own"), "version": "", "seq": 5, "name": "新项目", "budget": "abc"}
    r = client.post(reverse("entry:project_new", args=[table.pk]), data)
    assert r.status_code == 200 and "budget" in r.context["form"].errors
    assert 'value="新项目"' in r.content.decode()
    assert not Project.objects.filter(name="新项目").exists()
    data["budget"] = "1,234.50"
    r = client.post(reverse("entry:project_new", args=[table.pk]), data)
    assert r.status_code == 302
    assert str(Project.objects.get(name="新项目").budget) == "1234.5000"


def test_form_keeps_cells_outside_the_layout():
    form = ProjectForm(data={"seq": 1, "name": "x", "ind_quantity_target": "a"}, layout=("quantity",))
    assert form.is_valid(), form.errors
    core = form.to_core(keep_indicators={"cost": {"target": "成本≤10万元", "actual": "9万元"}})
    assert set(core.indicators) == {"quantity", "cost"}
