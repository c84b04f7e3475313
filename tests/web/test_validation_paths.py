"""One set of bounds for every way in (jixiao.core.validation): a JSON, XLSX or text upload, the
preview and confirm of an import, the project form, the table header form — each value out of
bounds is a field-level message, never a 500; each value admitted is stored and every page and
statistic that shows it still answers (on SQLite, and on PostgreSQL in test_postgres.py)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.core.money import MoneyUnit
from jixiao.formats import export, table_json
from jixiao.web.entry.models import ImportRun

from .conftest import World, make_project

GOLDEN_DOC = None


def _doc(golden_path):
    return json.loads(golden_path.read_text("utf-8"))


def _first(doc):
    return doc["projects"][0]


# (case, how to spoil the golden document, the JSON path the message names, a word of the message)
JSON_CASES = [
    ("tiny budget", lambda d: _first(d).update(budget="0.0000000000000000000000000001"),
     "$.projects[0].budget", "4 位小数"),
    ("1e-999990", lambda d: _first(d).update(budget="1e-999990"), "$.projects[0].budget", "金额"),
    ("seq -5", lambda d: _first(d).update(seq=-5), "$.projects[0].seq", "序号"),
    ("seq 10**30", lambda d: _first(d).update(seq=10 ** 30), "$.projects[0].seq", "序号"),
    ("seq 0", lambda d: _first(d).update(seq=0), "$.projects[0].seq", "序号"),
    ("10 decimals", lambda d: _first(d).update(budget="1.0123456789"), "$.projects[0].budget", "4 位小数"),
    ("16 digits", lambda d: _first(d).update(budget="123456789012.3456"), "$.projects[0].budget", "15 位"),
    ("amount 10^15", lambda d: _first(d).update(actual_total="1000000000000000"),
     "$.projects[0].actual_total", "金额"),
    ("lone surrogate", lambda d: _first(d).update(name="项目\ud800名称"), "$.projects[0].name", "代理项"),
    ("1,000,000 characters", lambda d: _first(d).update(name="长" * 1_000_000), "$.projects[0].name", "过长"),
    ("NUL in a name", lambda d: _first(d).update(name="项目\x00名称"), "$.projects[0].name", "控制字符"),
    ("NUL in the department", lambda d: d.update(department="部门\x00"), "$.department", "控制字符"),
    ("repeated layout key", lambda d: d.update(layout=["quantity", "quality", "quantity"]), "$.layout[2]", "重复"),
    ("override −50", lambda d: _first(d).update(overrides=[{"item": "execution", "score": "-50", "reason": "r"}]),
     "$.projects[0].overrides[0].score", "0 到 10"),
    ("override above its weight", lambda d: _first(d).update(
        overrides=[{"item": "total", "score": "100.01", "reason": "r"}]), "$.projects[0].overrides[0].score", "0 到 100"),
    ("override of an unknown item", lambda d: _first(d).update(
        overrides=[{"item": "nonsense", "score": "5", "reason": "r"}]), "$.projects[0].overrides[0].item", "不存在"),
    ("override of an empty cell", lambda d: _first(d).update(
        overrides=[{"item": "cost", "score": "5", "reason": "r"}]), "$.projects[0].overrides[0].item", "不存在"),
]


def _upload_bytes(client, name, data, department):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("entry:import"), {"file": SimpleUploadedFile(name, data), "department": department.pk})


def _file_errors(response) -> str:
    assert response.status_code == 422, response.status_code
    return " ".join(response.context["form"].errors["file"])


@pytest.mark.django_db
@pytest.mark.parametrize("case,spoil,path,word", JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_a_json_upload_out_of_bounds_is_a_field_level_message(golden_path, case, spoil, path, word):
    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    doc = _doc(golden_path)
    spoil(doc)
    data = json.dumps(doc, ensure_ascii=True).encode()  # \ud800 travels as an escape, as in a real file
    errors = _file_errors(_upload_bytes(client, "t.json", data, world.dept_a))
    assert path in errors and word in errors, errors
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_the_bounds_are_the_same_through_the_cli_loader(golden_path):
    from jixiao.errors import InputError

    for case, spoil, path, word in JSON_CASES:
        doc = _doc(golden_path)
        spoil(doc)
        with pytest.raises(InputError) as info:
            table_json.loads(json.dumps(doc), source="t.json")
        assert info.value.path == path and word in info.value.message_zh, case


@pytest.mark.django_db
def test_an_xlsx_upload_with_a_name_over_its_limit_is_a_field_level_message(golden_path, tmp_path):
    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    table = table_json.load(golden_path)
    table.projects[1].name = "名" * 301
    export.export(table, tmp_path / "long.xlsx")
    errors = _file_errors(_upload_bytes(client, "long.xlsx", (tmp_path / "long.xlsx").read_bytes(), world.dept_a))
    assert "$.projects[1].name" in errors and "上限 300" in errors, errors


@pytest.mark.django_db
def test_an_xlsx_upload_with_a_seq_out_of_range_is_a_field_level_message(golden_path, tmp_path):
    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    table = table_json.load(golden_path)
    table.projects[0].seq = 100001
    export.export(table, tmp_path / "seq.xlsx")
    errors = _file_errors(_upload_bytes(client, "seq.xlsx", (tmp_path / "seq.xlsx").read_bytes(), world.dept_a))
    assert "$.projects[0].seq" in errors and "100000" in errors, errors


def _stuck_run(world, golden_path, spoil) -> ImportRun:
    """An import recorded before the bounds were checked at upload (the document as stored)."""
    doc = _doc(golden_path)
    spoil(doc)
    return ImportRun.objects.create(department=world.dept_a, year=2019, user=world.users["editor"], filename="old.json",
                                    kind="json", size=1, project_count=6, report=[], table_document=doc)


@pytest.mark.django_db
@pytest.mark.parametrize("case,spoil,path,word", [c for c in JSON_CASES if c[0] in (
    "lone surrogate", "seq -5", "seq 10**30", "1,000,000 characters", "NUL in a name", "1e-999990", "tiny budget")],
    ids=lambda v: v if isinstance(v, str) and not v.startswith("$") else "")
def test_a_stored_import_out_of_bounds_previews_explains_and_can_be_cancelled(golden_path, case, spoil, path, word):
    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    if case in ("lone surrogate", "NUL in a name"):  # jsonb holds neither: only SQLite kept such runs
        from django.db import connection

        if connection.vendor != "sqlite":
            pytest.skip("PostgreSQL's jsonb refuses lone surrogates and NUL")
    run = _stuck_run(world, golden_path, spoil)
    preview = client.get(reverse("entry:import_preview", args=[run.pk]))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert path in page and word in page
    r = client.post(reverse("entry:import_confirm", args=[run.pk]), follow=True)
    assert r.status_code == 200
    run.refresh_from_db()
    assert run.state == "preview" and world.tables["own"].projects.count() == 1
    client.post(reverse("entry:import_cancel", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == "cancelled"


# --- the project form ------------------------------------------------------------------

def _form_data(**extra):
    data = {"seq": "7", "unit_name": "甲单位", "name": "新项目", "gov_investment": "", "budget": "100",
            "actual_total": "90", "actual_general_budget": "90", "actual_gov_fund": "", "actual_non_fiscal": "",
            "execution_rate_text": "", "annual_goal": "", "overall_completion": "", "problems": "",
            "rectification": ""}
    data.update(extra)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("field,value,word", [
    ("seq", "-5", "1"), ("seq", str(10 ** 30), "100000"), ("seq", "0", "1"),
    ("name", "项目\x00", ""), ("name", "长" * 1_000_000, "300"), ("unit_name", "单位\x1b", "控制字符"),
    ("annual_goal", "目标\x07", "控制字符"), ("budget", "0.0000000000000000000000000001", "4"),
    ("budget", "1e-999990", ""), ("budget", "1000000000000000", ""), ("budget", "-1", ""),
    ("budget", "123456789012.3456", "15"),
])
def test_the_project_form_answers_a_field_error_for_each_bound(field, value, word):
    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    r = client.post(reverse("entry:project_new", args=[world.tables["own"].pk]), _form_data(**{field: value}))
    assert r.status_code in (200, 413), r.status_code
    if r.status_code == 200:
        errors = " ".join(r.context["form"].errors.get(field, []))
        assert errors and word in errors, r.context["form"].errors
    assert world.tables["own"].projects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("budget,actual", [("93000000000", "93000000000"), ("0.01", "999999999999999"),
                                           ("99999999999.9999", "999999999999999"), ("0.0001", "999999999999999")])
def test_the_largest_amounts_the_form_admits_are_stored_and_every_page_answers(budget, actual):
    world = World("draft")
    table = world.tables["own"]
    assert table.money_unit == MoneyUnit.WAN_YUAN.value
    client = Client()
    client.force_login(world.users["editor"])
    r = client.post(reverse("entry:project_new", args=[table.pk]),
                    _form_data(budget=budget, actual_total=actual, actual_general_budget=actual))
    assert r.status_code == 302, r.context["form"].errors if r.context else r.status_code
    project = table.projects.get(seq=7)
    assert project.budget == Decimal(budget)
    for url in (reverse("entry:table", args=[table.pk]), reverse("entry:project", args=[project.pk]),
                f"/tables/{table.pk}/download/xlsx/", f"/tables/{table.pk}/download/csv/"):
        assert client.get(url).status_code == 200, url
    reviewer = Client()
    reviewer.force_login(world.users["reviewer"])
    for url in ("/dashboard/?year=2019", "/dashboard/?year=2019&format=xlsx", "/dashboard/projects/?year=2019",
                "/dashboard/?year=2019&sort=rate&dir=desc", "/dashboard/?year=2019&sort=budget&dir=desc"):
        assert reviewer.get(url).status_code == 200, url
    stat = project.dashboard_stat
    assert stat.rate_band == "gt100" or stat.rate_band == "95-100"


@pytest.mark.django_db
def test_huge_amounts_in_many_projects_do_not_overflow_the_dashboard_sums():
    world = World("draft")
    table = world.tables["own"]
    for seq in range(2, 14):
        make_project(table, seq=seq, budget=Decimal("999999999999999"), actual_total=Decimal("999999999999999"))
    reviewer = Client()
    reviewer.force_login(world.users["reviewer"])
    for url in ("/dashboard/?year=2019", "/dashboard/?year=2019&format=xlsx", "/dashboard/?year=2019&sort=budget"):
        assert reviewer.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_huge_table_publishes_and_the_portal_answers():
    from .conftest import bring_to

    world = World("draft")
    table = world.tables["own"]
    for seq in range(2, 6):
        make_project(table, seq=seq, budget=Decimal("0.0001"), actual_total=Decimal("999999999999999"))
    bring_to(table, "published", world.users["approver"], world.users["reviewer"])
    pub = table.publications.get()
    anonymous = Client()
    for url in ("/portal/", f"/portal/publications/{pub.pk}/", f"/portal/publications/{pub.pk}/projects/2/",
                "/api/years/2019/projects.csv", f"/portal/publications/{pub.pk}/download/xlsx/"):
        assert anonymous.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("field,value", [("attachment", "附件\x00"), ("title", "标" * 301),
                                         ("department_short", "简\x07称")])
def test_the_table_header_form_answers_a_field_error(field, value):
    world = World("draft")
    table = world.tables["own"]
    client = Client()
    client.force_login(world.users["editor"])
    data = {"version": table.version, "attachment": "附件2-3", "title": "", "department_short": "甲", "money_unit": "万元"}
    data[field] = value
    r = client.post(reverse("entry:table_header", args=[table.pk]), data, follow=True)
    assert r.status_code == 200 and "表头未保存" in r.content.decode()
    table.refresh_from_db()
    assert getattr(table, field) != value
