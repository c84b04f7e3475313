"""The 绩效目标表 in the web app: entry with pasted targets read into fields, the finance
bureau's review (submit blocked by errors, return with reasons, approve), history, the
self-evaluation pre-filled from the approved targets, JX611 and the indicator's trace."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.target_sheet import TargetIndicator, TargetProject
from jixiao.core.target_sheet import TargetSheet as CoreSheet

pytestmark = pytest.mark.django_db


def management(n, initial=0):
    return {"ind-TOTAL_FORMS": str(n), "ind-INITIAL_FORMS": str(initial), "ind-MIN_NUM_FORMS": "0",
            "ind-MAX_NUM_FORMS": "100"}


def project_post(**extra):
    data = {"name": "农村道路养护", "department_name": "甲部门", "unit": "甲单位", "total": "100", "fiscal": "80",
            "other": "20", "goal": "完成120公里农村道路日常养护，路况优良率达到90%以上", **management(4)}
    rows = [("quantity", "养护里程", ">=", "120", "公里", "30"), ("quality", "路况优良率", ">=", "90", "%", "20"),
            ("cost", "养护成本", "<=", "100", "万元", "20"), ("satisfaction", "群众满意度", ">=", "90", "%", "10")]
    for i, (kind, name, nature, value, unit, weight) in enumerate(rows):
        data.update({f"ind-{i}-kind": kind, f"ind-{i}-name": name, f"ind-{i}-nature": nature,
                     f"ind-{i}-value": value, f"ind-{i}-unit": unit, f"ind-{i}-weight": weight,
                     f"ind-{i}-basis": "plan"})
    data.update(extra)
    return data


@pytest.fixture
def sheet(world):
    from jixiao.web.entry.models import Year
    from jixiao.web.targets.models import TargetSheet

    year = Year.objects.get_or_create(year=2024)[0]
    return TargetSheet.objects.create(year=year, department=world.dept_a)


def login(client, world, who):
    client.force_login(world.users[who])
    return client


def add_project(client, sheet, **extra):
    return client.post(f"/targets/{sheet.pk}/project/new/", project_post(**extra))


def test_a_sheet_stored_and_read_back_equals_the_core_sheet(world, sheet):
    from jixiao.web.targets import convert

    core = CoreSheet(2024, "甲部门", projects=[TargetProject(
        "项目", "甲部门", "甲单位", Decimal("10.50"), Decimal("10.50"), None, "目标",
        [TargetIndicator("quality", "合格率", ">=", "95", "%", Decimal("20"), "plan", "93"),
         TargetIndicator("timeliness", "完成时间", "qualitative", "2024年12月31日前")])])
    convert.save_sheet(core, department=world.dept_a, existing=sheet)
    assert convert.sheet_to_core(sheet) == core


def test_the_department_adds_a_project_and_sees_it_with_its_findings(client, world, sheet):
    login(client, world, "editor")
    response = add_project(client, sheet, **{"ind-1-value": "", "ind-1-nature": ""})
    assert response.status_code == 302
    page = client.get(f"/targets/{sheet.pk}/").content.decode()
    assert "农村道路养护" in page and "养护里程" in page and "JX601" in page  # 路况优良率 without a value


def test_a_pasted_target_is_read_into_its_fields_and_shown_for_confirmation(client, world, sheet):
    login(client, world, "editor")
    data = project_post(**{"ind-1-text": "≥95%", "ind-1-nature": "", "ind-1-value": "", "ind-1-unit": "",
                           "ind-2-text": "250万", "read": "1"})
    response = client.post(f"/targets/{sheet.pk}/project/new/", data)
    assert response.status_code == 200 and not sheet.projects.exists()  # shown, not saved
    form = response.context["formset"]
    assert (form.data["ind-1-nature"], form.data["ind-1-value"], form.data["ind-1-unit"]) == (">=", "95", "%")
    assert (form.data["ind-2-nature"], form.data["ind-2-value"], form.data["ind-2-unit"]) == ("<=", "250", "万元")


@pytest.mark.parametrize("extra", [
    {"ind-TOTAL_FORMS": "100000"}, {"ind-TOTAL_FORMS": "x"}, {"ind-0-kind": "nonsense"},
    {"ind-0-weight": "abc"}, {"ind-0-weight": "1e400"}, {"total": "-5"}, {"name": "x" * 100_000},
    {"ind-0-name": "y" * 5000}, {"ind-0-nature": "<>"}, {"ind-0-text": "≥" * 5000, "read": "1"},
])
def test_hostile_input_on_the_project_form_is_a_4xx_never_a_500(client, world, sheet, extra):
    login(client, world, "editor")
    response = add_project(client, sheet, **extra)
    assert 200 <= response.status_code < 500
    assert not sheet.projects.exists() or "read" in extra


def test_submission_is_refused_while_an_error_stands(client, world, sheet):
    login(client, world, "approver")
    add_project(client, sheet, goal="")  # JX610, an error
    client.post(f"/targets/{sheet.pk}/submit/")
    sheet.refresh_from_db()
    assert sheet.status == "draft"


def test_the_bureau_returns_a_project_with_a_reason_then_approves(client, world, sheet):
    login(client, world, "approver")
    add_project(client, sheet)
    project = sheet.projects.get()
    assert client.post(f"/targets/{sheet.pk}/submit/").status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "submitted"
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/return/", {"project": project.pk, "code": "JX602", "text": "目标表述不可衡量"})
    sheet.refresh_from_db()
    assert sheet.status == "returned"
    login(client, world, "approver")
    page = client.get(f"/targets/{sheet.pk}/").content.decode()
    assert "目标表述不可衡量" in page and "JX602" in page
    client.post(f"/targets/{sheet.pk}/submit/")
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/approve/")
    sheet.refresh_from_db()
    assert sheet.status == "approved" and sheet.rounds.get(number=2).approved["projects"][0]["name"] == "农村道路养护"
    history = client.get(f"/targets/{sheet.pk}/history/").content.decode()
    assert "reviewer" in history and "approver_a" in history and "目标表述不可衡量" in history


def approved_sheet(client, world, sheet):
    login(client, world, "approver")
    add_project(client, sheet)
    client.post(f"/targets/{sheet.pk}/submit/")
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/approve/")
    sheet.refresh_from_db()
    assert sheet.status == "approved"


def started_self_evaluation(client, world, sheet):
    """The sheet approved and the department's self-evaluation created from it: its table."""
    from jixiao.web.entry.models import DisclosureTable

    approved_sheet(client, world, sheet)
    login(client, world, "editor")
    client.post(f"/targets/{sheet.pk}/self-evaluation/")
    return DisclosureTable.objects.get(year=sheet.year, department=world.dept_a)


def change_target(project, kind, target):
    """The self-evaluation's first ``kind`` indicator given ``target``, as the department edits it."""
    cells = project.indicators
    cells[kind]["items"][0]["target"] = target
    project.indicators = cells
    project.save()


LOWERED = "绩效目标表（2024年，经财政局审核通过）中“路况优良率”为「≥90%」，自评表改为「≥80%」。"


def test_the_self_evaluation_is_created_pre_filled_from_the_approved_targets(client, world, sheet):
    from jixiao.web.entry.models import DisclosureTable

    approved_sheet(client, world, sheet)
    login(client, world, "editor")
    response = client.post(f"/targets/{sheet.pk}/self-evaluation/")
    table = DisclosureTable.objects.get(year=sheet.year, department=world.dept_a)
    assert response["Location"] == f"/tables/{table.pk}/"
    project = table.projects.get()
    assert project.name == "农村道路养护" and project.annual_goal.startswith("完成120公里")
    assert project.indicators["quality"]["items"][0]["target"] == "≥90%"
    assert project.actual_total is None  # completions are the department's to enter
    assert client.post(f"/targets/{sheet.pk}/self-evaluation/")["Location"] == response["Location"]  # opened


def test_a_target_changed_in_the_self_evaluation_is_flagged_beside_the_approved_one(client, world, sheet):
    project = started_self_evaluation(client, world, sheet).projects.get()
    cells = project.indicators
    cells["quality"]["items"][0]["target"] = "≥80%"
    cells["quality"]["items"][0]["actual"] = "85%"
    project.indicators = cells
    project.save()
    login(client, world, "reviewer")
    page = client.get(f"/targets/{sheet.pk}/").content.decode()
    assert "JX611" in page and "≥90%" in page and "≥80%" in page
    indicator = sheet.projects.get().indicators.get(kind="quality")
    trace = client.get(f"/targets/indicator/{indicator.pk}/").content.decode()
    assert "trace-changed" in trace and "85%" in trace and "trace-score" in trace


def test_departments_see_only_their_own_sheets_and_the_bureau_only_submitted_ones(client, world, sheet):
    login(client, world, "editor_b")
    assert client.get(f"/targets/{sheet.pk}/").status_code == 404
    assert client.post(f"/targets/{sheet.pk}/project/new/", project_post()).status_code == 404
    login(client, world, "reviewer")
    assert client.get(f"/targets/{sheet.pk}/").status_code == 404  # a draft is the department's
    assert client.post(f"/targets/{sheet.pk}/project/new/", project_post()).status_code == 404
    client.force_login(world.nobody)
    assert client.get(f"/targets/{sheet.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/targets/{sheet.pk}/").status_code == 302  # to the login page


def test_only_the_right_roles_move_the_sheet(client, world, sheet):
    login(client, world, "editor")
    add_project(client, sheet)
    assert client.post(f"/targets/{sheet.pk}/submit/").status_code == 403  # the approver submits
    login(client, world, "approver")
    client.post(f"/targets/{sheet.pk}/submit/")
    assert client.post(f"/targets/{sheet.pk}/approve/").status_code == 403
    assert client.post(f"/targets/{sheet.pk}/return/", {"text": "x"}).status_code == 403
    assert client.post(f"/targets/{sheet.pk}/project/new/", project_post()).status_code == 403  # submitted
    login(client, world, "reviewer")
    assert client.get(f"/targets/{sheet.pk}/").status_code == 200
    assert client.post(f"/targets/{sheet.pk}/project/new/", project_post()).status_code == 403
    assert client.post(f"/targets/{sheet.pk}/self-evaluation/").status_code == 403


def test_the_sheet_exports_to_xlsx_pdf_and_json_and_imports_back_with_a_preview(client, world, sheet, tmp_path):
    login(client, world, "editor")
    add_project(client, sheet)
    xlsx = client.get(f"/targets/{sheet.pk}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/targets/{sheet.pk}/export.json").json()["kind"] == "targets"
    assert client.get(f"/targets/{sheet.pk}/export.doc").status_code == 404
    path = tmp_path / "targets.xlsx"
    path.write_bytes(xlsx.content)
    with path.open("rb") as fh:
        response = client.post("/targets/import/", {"file": fh, "department": world.dept_a.pk})
    assert response.status_code == 302
    preview = client.get("/targets/import/preview/").content.decode()
    assert "农村道路养护" in preview and "路况优良率" in preview
    client.post("/targets/import/preview/", {"confirm": "1"})
    assert sheet.projects.get().indicators.count() == 4


@pytest.mark.slow
def test_the_sheet_exports_to_pdf(client, world, sheet):
    login(client, world, "editor")
    add_project(client, sheet)
    pdf = client.get(f"/targets/{sheet.pk}/export.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_an_upload_that_is_not_a_targets_sheet_is_refused_with_a_reason(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, world, "editor")
    bad = SimpleUploadedFile("x.xlsx", b"PK\x03\x04not a zip at all")
    response = client.post("/targets/import/", {"file": bad, "department": world.dept_a.pk})
    assert response.status_code == 422
    other = SimpleUploadedFile("x.xlsx", b"PK", content_type="application/octet-stream")
    assert client.post("/targets/import/", {"file": other, "department": world.dept_b.pk}).status_code == 422


def test_a_project_edited_keeps_its_indicators_and_skips_the_empty_extra_rows(client, world, sheet):
    login(client, world, "editor")
    add_project(client, sheet)
    project = sheet.projects.get()
    page = client.get(f"/targets/project/{project.pk}/")
    formset = page.context["formset"]
    data = project_post(**management(formset.total_form_count(), 4))
    data["ind-1-value"] = "95"
    assert client.post(f"/targets/project/{project.pk}/", data).status_code == 302
    quality = project.indicators.get(kind="quality")
    assert quality.value == "95" and project.indicators.count() == 4
    assert quality.history.count() == 2  # created, then changed: one record per real change


def test_the_self_evaluation_page_shows_the_changed_targets_to_the_bureau(client, world, sheet):
    from .conftest import bring_to

    table = started_self_evaluation(client, world, sheet)
    change_target(table.projects.get(), "cost", "≤120万元")
    bring_to(table, "submitted", world.users["approver"], world.users["reviewer"])
    login(client, world, "reviewer")
    page = client.get(f"/tables/{table.pk}/").content.decode()
    assert "JX611" in page and "≤100万元" in page and "≤120万元" in page and f"/targets/{sheet.pk}/" in page


def test_the_target_pages_speak_english(client, world, sheet):
    login(client, world, "editor")
    add_project(client, sheet)
    client.cookies["django_language"] = "en"
    page = client.get(f"/targets/{sheet.pk}/").content.decode()
    assert "Overall goal for the year" in page and "Quantity" in page and "at least" in page
    indicator = sheet.projects.get().indicators.first()
    assert "Declared target" in client.get(f"/targets/indicator/{indicator.pk}/").content.decode()
    form = client.get(f"/targets/project/{indicator.project.pk}/").content.decode()
    assert "Output · Quality" in form and "planned standard" in form


def test_the_administrator_sees_the_target_records_and_their_history_in_the_admin(client, world, sheet):
    login(client, world, "editor")
    add_project(client, sheet)
    login(client, world, "admin")
    assert client.get("/admin/targets/targetsheet/").status_code == 200
    indicator = sheet.projects.get().indicators.first()
    assert client.get(f"/admin/targets/targetindicator/{indicator.pk}/history/").status_code == 200


def test_an_adjustment_after_approval_goes_back_to_the_bureau_with_the_changed_target_flagged(client, world, sheet):
    approved_sheet(client, world, sheet)
    login(client, world, "editor")
    assert client.post(f"/targets/{sheet.pk}/reopen/").status_code == 403  # the approver reopens
    login(client, world, "approver")
    client.post(f"/targets/{sheet.pk}/reopen/")
    sheet.refresh_from_db()
    assert sheet.status == "draft"
    project = sheet.projects.get()
    data = project_post(**management(6, 4))
    data["ind-1-value"] = "85"
    assert client.post(f"/targets/project/{project.pk}/", data).status_code == 302
    client.post(f"/targets/{sheet.pk}/submit/")
    login(client, world, "reviewer")
    page = client.get(f"/targets/{sheet.pk}/").content.decode()
    assert "JX611" in page and "≥90%" in page and "≥85%" in page
    assert sheet.rounds.count() == 2 and sheet.rounds.get(number=1).approved is not None


def test_a_self_evaluation_workbook_is_not_taken_for_a_targets_sheet(client, world, tmp_path):
    from django.urls import reverse

    login(client, world, "editor")
    xlsx = client.get(reverse("entry:table_download", args=[world.tables["own"].pk, "xlsx"]))
    assert xlsx.status_code == 200
    path = tmp_path / "self-evaluation.xlsx"
    path.write_bytes(xlsx.content)
    with path.open("rb") as fh:
        response = client.post("/targets/import/", {"file": fh, "department": world.dept_a.pk})
    assert response.status_code == 422 and "绩效目标表" in response.content.decode()


@pytest.mark.slow
def test_the_sheet_exported_as_pdf_imports_back_through_the_preview(client, world, sheet, tmp_path):
    from jixiao.web.targets import convert

    login(client, world, "editor")
    add_project(client, sheet)
    path = tmp_path / "targets.pdf"
    path.write_bytes(client.get(f"/targets/{sheet.pk}/export.pdf").content)
    sheet.projects.all().delete()
    with path.open("rb") as fh:
        assert client.post("/targets/import/", {"file": fh, "department": world.dept_a.pk}).status_code == 302
    assert "路况优良率" in client.get("/targets/import/preview/").content.decode()
    client.post("/targets/import/preview/", {"confirm": "1"})
    indicators = convert.sheet_to_core(sheet).projects[0].indicators
    assert [i.target_text() for i in indicators] == ["≥120公里", "≥90%", "≤100万元", "≥90%"]


def test_a_blank_self_evaluation_is_filled_from_the_approved_targets_and_a_started_one_only_opened(client, world,
                                                                                                   sheet):
    from jixiao.web.entry.models import DisclosureTable

    blank = DisclosureTable.objects.create(year=sheet.year, department=world.dept_a, department_short="甲")
    approved_sheet(client, world, sheet)
    login(client, world, "editor")
    assert client.post(f"/targets/{sheet.pk}/self-evaluation/")["Location"] == f"/tables/{blank.pk}/"
    assert blank.projects.get().name == "农村道路养护"
    blank.refresh_from_db()
    assert blank.department_short == "甲"
    project = blank.projects.get()
    project.name = "农村道路养护（已填写）"
    project.save()
    client.post(f"/targets/{sheet.pk}/self-evaluation/")
    assert blank.projects.get().name == "农村道路养护（已填写）"  # the department's work is kept


def test_a_hand_laid_targets_workbook_imports_through_the_preview_with_every_value(client, world, tmp_path):
    """The 湘潭 2023 form written cell by cell with openpyxl (tests/formats), not jixiao's writer."""
    from jixiao.formats.targets_read import read_targets_xlsx
    from jixiao.web.targets import convert
    from tests.formats.targets_fixtures import xiangtan_2023

    from .helpers import confirm_the_xiangtan_2023_preview

    path = tmp_path / "xiangtan.xlsx"
    xiangtan_2023(path)
    login(client, world, "approver")
    with path.open("rb") as fh:
        response = client.post("/targets/import/", {"file": fh, "department": world.dept_a.pk})
    sheet = confirm_the_xiangtan_2023_preview(client, response, world.dept_a)
    assert convert.sheet_to_core(sheet).projects == read_targets_xlsx(path).projects


def test_the_mof_form_download_notes_a_target_lowered_after_approval(client, world, sheet):
    import io

    from openpyxl import load_workbook

    project = started_self_evaluation(client, world, sheet).projects.get()
    assert LOWERED not in client.get(f"/projects/{project.pk}/mof/html/").content.decode()  # nothing changed yet
    change_target(project, "quality", "≥80%")
    assert LOWERED in client.get(f"/projects/{project.pk}/mof/html/").content.decode()
    wb = load_workbook(io.BytesIO(client.get(f"/projects/{project.pk}/mof/xlsx/").content))
    assert LOWERED in [c.value for row in wb.active.iter_rows() for c in row]


def test_the_published_project_notes_a_target_changed_after_approval(client, world, sheet):
    from jixiao.web.portal.models import PublishedTable

    from .conftest import bring_to

    table = started_self_evaluation(client, world, sheet)
    change_target(table.projects.get(), "quality", "≥80%")
    bring_to(table, "published", world.users["approver"], world.users["reviewer"])
    entry = PublishedTable.objects.get(table_id_ref=table.pk, current=True)
    client.logout()
    assert LOWERED in client.get(f"/portal/publications/{entry.pk}/projects/0/").content.decode()
    assert LOWERED in client.get(f"/portal/publications/{entry.pk}/").content.decode()
    assert LOWERED in client.get(f"/portal/publications/{entry.pk}/projects/0/mof/html/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(f"/portal/publications/{entry.pk}/projects/0/").content.decode()
    assert "approved by the finance bureau" in english


def test_a_project_giving_only_its_sources_shows_their_sum_as_the_annual_total(client, world, sheet):
    from django.test import Client

    from jixiao.web.targets.models import PublishedTargets

    login(client, world, "approver")
    assert add_project(client, sheet, total="").status_code == 302
    assert "年度资金总额：100.00" in client.get(f"/targets/{sheet.pk}/").content.decode()
    client.post(f"/targets/{sheet.pk}/submit/")
    login(client, world, "reviewer")
    client.post(f"/targets/{sheet.pk}/approve/")
    pub = PublishedTargets.objects.get(sheet=sheet, current=True)
    assert "年度资金总额：100.00" in Client().get(f"/portal/targets/{pub.pk}/").content.decode()
