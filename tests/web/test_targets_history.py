"""JX612 in the web app: the department's earlier approved 绩效目标表 and earlier self-evaluation
tables, read from the database in two queries, flag a new target that asks for less — on the
sheet page the bureau reviews, in the preview of an imported sheet and in the stored quality
figures; another department's record does not count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.core.target_sheet import TargetProject, indicator_from_text
from jixiao.core.target_sheet import TargetSheet as CoreSheet

pytestmark = pytest.mark.django_db

f = indicator_from_text


def core_sheet(year, mileage="≥120公里", projects=1):
    return CoreSheet(year, "甲部门", projects=[TargetProject(
        f"{year}年农村道路养护" if n == 0 else f"道路项目{n}", "甲部门", "甲单位", Decimal(100), Decimal(100), None,
        "完成农村道路日常养护，路况优良率达到90%以上",
        [f("quantity", "养护里程", mileage), f("quality", "路况优良率", "≥90%"), f("cost", "养护成本", "≤100万元"),
         f("satisfaction", "群众满意度", "≥90%")]) for n in range(projects)])


def stored_sheet(world, year, **kw):
    from jixiao.web.targets import convert

    return convert.save_sheet(core_sheet(year, **kw), department=world.dept_a)


def approved(world, year, **kw):
    from jixiao.web.targets import workflow

    sheet = stored_sheet(world, year, **kw)
    workflow.submit(sheet, world.users["approver"])
    workflow.approve(sheet, world.users["reviewer"])
    return sheet


def self_evaluation(dept, year, actual="完成养护130公里", projects=1):
    from jixiao.web.entry.models import DisclosureTable, Year

    from .conftest import make_project

    table = DisclosureTable.objects.create(year=Year.objects.get_or_create(year=year)[0], department=dept)
    for n in range(projects):
        make_project(table, seq=n + 1, name="农村道路养护" if n == 0 else f"道路项目{n}", indicators={
            "quantity": {"target": "养护里程≥100公里", "actual": actual},
            "quality": {"items": [{"name": "路况优良率", "target": "≥90%", "actual": "93%"}]}})
    return table


def submitted(world, year=2025, **kw):
    from jixiao.web.targets import workflow

    sheet = stored_sheet(world, year, **kw)
    workflow.submit(sheet, world.users["approver"])
    return sheet


def test_an_earlier_years_completion_flags_the_new_target_on_the_review_page(client, world):
    self_evaluation(world.dept_a, 2023)
    sheet = submitted(world)
    client.force_login(world.users["reviewer"])
    page = client.get(f"/targets/{sheet.pk}/").content.decode()
    assert "JX612" in page
    assert "“养护里程”的目标≥120公里低于本部门2023年自评表所报实际完成值「完成养护130公里」" in page
    assert "路况优良率" in page and page.count("JX612") >= 2  # ≥90% below the 93% reported as well
    client.cookies["django_language"] = "en"
    english = client.get(f"/targets/{sheet.pk}/").content.decode()
    assert "below the department&#x27;s actual reported in the self-evaluation of 2023" in english


def test_the_import_preview_flags_a_target_below_an_earlier_years_completion_as_the_sheet_page_does(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jixiao.formats import targets_json

    self_evaluation(world.dept_a, 2023)
    client.force_login(world.users["approver"])
    upload = SimpleUploadedFile("2025.json", targets_json.dumps(core_sheet(2025)).encode())
    assert client.post("/targets/import/", {"file": upload, "department": world.dept_a.pk}).status_code == 302
    preview = client.get("/targets/import/preview/").content.decode()
    assert "“养护里程”的目标≥120公里低于本部门2023年自评表所报实际完成值「完成养护130公里」" in preview
    client.force_login(world.users["approver_b"])
    upload = SimpleUploadedFile("2025.json", targets_json.dumps(core_sheet(2025)).encode())
    assert client.post("/targets/import/", {"file": upload, "department": world.dept_b.pk}).status_code == 302
    assert "JX612" not in client.get("/targets/import/preview/").content.decode()  # another department's


def test_an_earlier_approved_target_flags_a_lower_one_and_the_stored_figures_count_it(world):
    from jixiao.web.targets.models import TargetQuality

    approved(world, 2024, mileage="≥125公里")
    sheet = submitted(world)
    quality = TargetQuality.objects.get(sheet=sheet)
    assert quality.codes.get("JX612") == 1


def test_another_departments_record_and_years_outside_the_window_do_not_count(client, world):
    self_evaluation(world.dept_b, 2024, actual="完成养护500公里")
    self_evaluation(world.dept_a, 2021, actual="完成养护500公里")  # four years before 2025
    self_evaluation(world.dept_a, 2025, actual="完成养护500公里")  # not earlier
    sheet = submitted(world)
    client.force_login(world.users["approver"])
    assert "JX612" not in client.get(f"/targets/{sheet.pk}/").content.decode()


def test_the_history_takes_two_queries_and_the_page_the_same_number_whatever_the_history(client, world):
    from jixiao.web.targets import convert, workflow
    from jixiao.web.targets.history import department_history

    def page_queries(sheet):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/targets/{sheet.pk}/").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(world.users["approver"])
    sheet = stored_sheet(world, 2025, projects=3)
    empty = page_queries(sheet)
    for year in (2022, 2023, 2024):
        earlier = approved(world, year, projects=3)
        workflow.reopen(earlier, world.users["approver"])
        workflow.submit(earlier, world.users["approver"])
        workflow.approve(earlier, world.users["reviewer"])  # two approved rounds: the newest counts
        self_evaluation(world.dept_a, year, projects=8)
    assert page_queries(sheet) == empty
    core = convert.sheet_to_core(sheet)
    with CaptureQueriesContext(connection) as ctx:
        history = department_history(sheet, core)
    assert len(ctx.captured_queries) == 2
    assert {(y, s) for y, s, _ in history.summary()} == {(y, s) for y in (2022, 2023, 2024)
                                                          for s in ("target", "completion")}
