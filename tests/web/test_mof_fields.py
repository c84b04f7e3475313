"""A MoF form's fields (per-cell and per-三级 分值, 年初预算数, printed scores, scoring profile)
survive the database both ways and the project form edits the 分值 and the 三级 rows."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.core.model import IndicatorCell, IndicatorItem, Published
from jixiao.formats import table_json
from jixiao.web.entry import convert
from jixiao.web.entry.forms import ProjectForm, items_text

from .conftest import World
from .helpers import project_post


def _mof_table(golden_path):
    table = table_json.load(golden_path)
    table.profile = "hubei"
    p = table.projects[0]
    p.initial_budget = Decimal("3.50")
    p.indicators["quantity"] = IndicatorCell.of_items(
        [IndicatorItem("电脑", "3台", "3台", Decimal("10"), Decimal("10")),
         IndicatorItem("办公桌椅", "1批", "1批", Decimal("10.5"), Decimal("9.5"), "部分延期交付")], weight=Decimal("20.5"))
    p.published = Published(execution_weight=Decimal("20"), execution_score=Decimal("19.95"),
                            category_weights={"output": Decimal("40")}, total=Decimal("99.55"), grade="优",
                            total_text="99.55分")
    return table


@pytest.mark.django_db
def test_a_saved_mof_table_reads_back_equal(golden_path):
    table = _mof_table(golden_path)
    stored = convert.save_table(table)
    assert stored.profile == "hubei"
    back = convert.table_to_core(stored)
    assert table_json.dumps(back) == table_json.dumps(table)
    assert json.loads(table_json.dumps(back))["version"] == 2


@pytest.mark.django_db
def test_the_project_form_edits_weights_and_items_and_keeps_printed_scores(golden_path):
    world = World("draft")
    client = Client()
    client.force_login(world.users["editor"])
    project = world.projects["own"]
    project.published = {"total": "95", "total_text": "95分", "grade": "优"}
    project.save()
    data = {**project_post(world, "own"), "initial_budget": "90", "ind_quantity_weight": "20",
            "ind_quantity_items": "培训次数 | ≥4次 | 5次 | 10 | 10\n培训人数 | ≥100人 | 120人 | 10 |  | 无偏差"}
    r = client.post(reverse("entry:project", args=[project.pk]), data)
    assert r.status_code == 302, r.context["form"].errors
    project.refresh_from_db()
    core = convert.project_to_core(project)
    cell = core.indicators["quantity"]
    assert (cell.target, cell.actual, cell.weight) == ("培训次数≥4次；培训人数≥100人", "5次；120人", Decimal("20"))
    assert [(i.name, i.weight, i.published_score, i.note) for i in cell.items] == [
        ("培训次数", Decimal("10"), Decimal("10"), ""), ("培训人数", Decimal("10"), None, "无偏差")]
    assert core.initial_budget == Decimal("90.00") and core.published.total_text == "95分"
    page = client.get(reverse("entry:project", args=[project.pk])).content.decode()
    assert "培训人数 | ≥100人 | 120人 | 10 |  | 无偏差" in page


@pytest.mark.parametrize("rows, words", [
    ("a | b | c | 十", "第 1 行的分值或得分"),
    ("a | b | c | 10 | 10 | x | y", "多于 6 栏"),
    ("ok | 1\n | | 5次", "第 2 行缺少"),
    ("a | b | c | 101", "0 到 100"),
])
def test_bad_item_rows_are_field_errors_naming_the_row(rows, words):
    form = ProjectForm(data={"seq": 1, "name": "x", "ind_quantity_items": rows}, layout=("quantity",))
    assert not form.is_valid()
    assert words in " ".join(form.errors["ind_quantity_items"])


def test_bad_cell_weight_is_a_field_error():
    form = ProjectForm(data={"seq": 1, "name": "x", "ind_quantity_weight": "二十"}, layout=("quantity",))
    assert not form.is_valid() and "ind_quantity_weight" in form.errors


def test_item_rows_are_shown_as_they_are_read():
    items = [IndicatorItem("培训人数", "≥100人", "120人", Decimal("10"), None, "无"), IndicatorItem("次数", "4次")]
    form = ProjectForm(data={"seq": 1, "name": "x", "ind_quantity_items": items_text(items)}, layout=("quantity",))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ind_quantity_items"] == items
