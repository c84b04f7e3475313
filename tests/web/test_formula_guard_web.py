"""Every spreadsheet the web app hands out — the entry downloads, the portal's downloads, the
MoF forms, the API's year CSV and the dashboard workbook — holds no live formula, for a
published table whose every text (department name included) starts like one."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from jixiao.web.entry import convert
from jixiao.web.entry.models import Status
from tests.formats.hostile import formula_cells, hostile_table, live_csv_cells, string_cells

from .conftest import World, bring_to


@pytest.fixture
def published(db, seed_table):
    world = World("draft")
    table = hostile_table(seed_table)
    t = convert.save_table(table, status=Status.DRAFT)
    bring_to(t, "published", world.users["admin"], world.users["reviewer"])
    return world, table, t


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_entry_and_portal_downloads_hold_no_formula(published):
    world, table, t = published
    staff = Client()
    staff.force_login(world.users["admin"])
    pub = t.publications.get()
    for client, url in ((staff, f"/tables/{t.pk}/download/"), (Client(), f"/portal/publications/{pub.pk}/download/")):
        xlsx = _body(client.get(url + "xlsx/"))
        assert formula_cells(xlsx) == [] and table.title in string_cells(xlsx)
        assert live_csv_cells(_body(client.get(url + "csv/"))) == []
    project = t.projects.order_by("seq").first()
    for client, url in ((staff, f"/projects/{project.pk}/mof/xlsx/"),
                        (Client(), f"/portal/publications/{pub.pk}/projects/1/mof/xlsx/")):
        assert formula_cells(_body(client.get(url))) == []


def test_api_year_csv_guards_department_names_and_printed_rates(published):
    _world, table, _t = published
    data = _body(Client().get("/api/years/2019/projects.csv"))
    assert live_csv_cells(data) == []
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r[1] for r in rows[1:]} == {"'" + table.department}
    rate = rows[0].index("预算支出执行率")
    # every printed rate (=1+1, +1+1, -2+3, @SUM(1), …) is there, guarded
    assert [r[rate] for r in rows[1:]] == ["'" + p.execution_rate_text for p in table.projects]



def test_api_year_csv_guards_a_withdrawal_reason(published):
    from django.utils import timezone

    from jixiao.web.entry.models import Publication, Withdrawal

    Withdrawal.objects.create(publication=Publication.objects.get(), reason="=HYPERLINK(\"x\")数据有误",
                              withdrawn_at=timezone.now())
    data = _body(Client().get("/api/years/2019/projects.csv"))
    assert live_csv_cells(data) == []
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r[rows[0].index("撤回理由")] for r in rows[1:]} == {"'=HYPERLINK(\"x\")数据有误"}


def test_dashboard_workbook_writes_department_names_as_text(published):
    world, table, _t = published
    client = Client()
    client.force_login(world.users["reviewer"])
    data = _body(client.get("/dashboard/?year=2019&format=xlsx"))
    assert formula_cells(data) == []
    assert table.department in string_cells(data)
