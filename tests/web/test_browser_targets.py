"""Browser walk through the performance targets, in Chromium against a live server: the
department declares its 2024 targets by hand (one pasted as ``≥200人次`` and read into its
fields), the finance bureau returns the project for a vague quality target (JX602), the
department fixes it and submits again, the bureau approves, the self-evaluation opens
pre-filled with the approved targets, and a target changed there raises JX611 on the
bureau's page, approved and new value side by side; the approved sheet is public on the
portal for an anonymous visitor. Screenshots of the sheet, the trace page and the public
targets page at 1366 and 390 px (docs/screenshots with JIXIAO_SCREENSHOT_DIR).

And declaring by import: a department uploads a 绩效目标表 XLSX laid out by hand (the 湘潭 2023
form of tests/formats), checks the preview and confirms it; the stored sheet holds every value
of the file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .browser import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _fill_indicator(page, i, kind, name, text="", weight=""):
    page.select_option(f"#id_ind-{i}-kind", kind)
    page.fill(f"#id_ind-{i}-name", name)
    page.fill(f"#id_ind-{i}-text", text)
    if weight:
        page.fill(f"#id_ind-{i}-weight", weight)


def test_targets_declared_returned_fixed_approved_prefilled_and_a_change_flagged(browser, site, shots):
    from jixiao.web.entry.models import DisclosureTable
    from jixiao.web.targets.models import TargetSheet

    world, base = site
    page = login(browser, base, "approver")
    page.click("#nav-targets")
    page.fill("#id_year", "2024")
    page.click("#btn-new-sheet")
    page.wait_for_selector("#sheet-status")
    sheet = TargetSheet.objects.get(year__year=2024, department=world.dept_a)

    # Declared by hand: funds, goal and two indicators, the first pasted in one cell.
    page.click("#btn-add-project")
    page.fill("#id_name", "非公经济人士培训")
    page.fill("#id_total", "50")
    page.fill("#id_fiscal", "50")
    page.fill("#id_goal", "举办非公经济人士培训班，培训200人次以上")
    _fill_indicator(page, 0, "quantity", "培训人次", "≥200人次", "30")
    _fill_indicator(page, 1, "quality", "培训质量", "", "20")
    page.fill("#id_ind-1-value", "有效提升")
    page.click("#btn-read")
    page.wait_for_selector("#btn-save")
    assert page.input_value("#id_ind-0-nature") == ">="
    assert (page.input_value("#id_ind-0-value"), page.input_value("#id_ind-0-unit")) == ("200", "人次")
    shots(page, "targets-project-form-1366")
    page.click("#btn-save")
    page.wait_for_selector("#sheet-status")
    assert "JX602" in page.inner_text(".target-project")
    page.click("#btn-submit-targets")
    assert page.inner_text("#sheet-status") == "已提交"

    # The bureau returns the project for its quality finding.
    bureau = login(browser, base, "reviewer")
    bureau.goto(base + reverse("targets:sheet", args=[sheet.pk]))
    project = sheet.projects.get()
    bureau.select_option("#id_project", str(project.pk))
    bureau.select_option("#id_code", "JX602")
    bureau.fill("#id_text", "培训质量“有效提升”无法衡量，请改为合格率等可量化指标")
    bureau.click("#btn-return-targets")
    assert bureau.inner_text("#sheet-status") == "退回"

    # The department sees the reason beside the finding, fixes it and submits again.
    page.goto(base + reverse("targets:sheet", args=[sheet.pk]))
    assert "无法衡量" in page.inner_text(f"#project-{project.pk} .reasons")
    page.click("#edit-1")
    page.fill("#id_ind-1-name", "培训合格率")
    page.fill("#id_ind-1-text", "≥95%")
    page.click("#btn-read")
    page.wait_for_selector("#btn-save")
    page.click("#btn-save")
    page.wait_for_selector("#sheet-status")
    assert "JX602" not in page.inner_text(f"#project-{project.pk} .findings")  # the reason stays until resubmitted
    page.click("#btn-submit-targets")
    assert page.inner_text("#sheet-status") == "已提交"

    bureau.goto(base + reverse("targets:sheet", args=[sheet.pk]))
    bureau.click("#btn-approve-targets")
    assert bureau.inner_text("#sheet-status") == "已审核"
    bureau.click("#btn-targets-history")
    assert "培训质量" in bureau.inner_text("main") and "approver_a" in bureau.inner_text("main")

    # Approved is published: an anonymous visitor finds the sheet from the portal's index.
    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(base + reverse("portal:index"))
    visitor.click("#targets-year-2024")
    visitor.click(".portal-targets-link")
    assert "非公经济人士培训" in visitor.inner_text("main") and "培训合格率" in visitor.inner_text("main")
    assert visitor.is_visible("#targets-dl-xlsx") and not visitor.is_visible("#targets-adjusting")
    for width in (1366, 390):
        visitor.set_viewport_size({"width": width, "height": 900})
        shots(visitor, f"portal-targets-{width}")
        # Nothing wider than the window but the tables' own scroll boxes.
        assert visitor.evaluate("document.documentElement.scrollWidth") <= width + 1
    visitor.context.close()

    # The self-evaluation opens pre-filled from the approved targets.
    page.goto(base + reverse("targets:sheet", args=[sheet.pk]))
    page.click("#btn-prefill")
    page.wait_for_selector("#table-status")
    table = DisclosureTable.objects.get(year__year=2024, department=world.dept_a)
    assert page.url.endswith(reverse("entry:table", args=[table.pk]))
    assert "非公经济人士培训" in page.inner_text("main")
    row = table.projects.get()
    assert row.indicators["quality"]["items"][0]["target"] == "≥95%" and row.actual_total is None

    # The target changed in the self-evaluation: JX611 on the bureau's page, side by side.
    cells = row.indicators
    cells["quality"]["items"][0].update(target="≥90%", actual="92%")
    row.indicators = cells
    row.save()
    bureau.goto(base + reverse("targets:sheet", args=[sheet.pk]))
    flagged = bureau.inner_text("#target-changes")
    assert "JX611" in flagged and "≥95%" in flagged and "≥90%" in flagged
    for width in (1366, 390):
        bureau.set_viewport_size({"width": width, "height": 900})
        shots(bureau, f"targets-sheet-{width}")

    indicator = project.indicators.get(kind="quality")
    bureau.goto(base + reverse("targets:trace", args=[indicator.pk]))
    assert bureau.inner_text("#approved-target") == "≥95%"
    assert bureau.inner_text("#evaluated-target") == "≥90%" and bureau.is_visible("#trace-changed")
    assert bureau.inner_text("#trace-actual") == "92%"
    for width in (1366, 390):
        bureau.set_viewport_size({"width": width, "height": 900})
        shots(bureau, f"targets-trace-{width}")


def test_a_department_declares_its_targets_by_importing_a_workbook_and_confirming_the_preview(browser, site, tmp_path):
    from jixiao.formats.targets_read import read_targets_xlsx
    from jixiao.web.targets import convert
    from jixiao.web.targets.models import TargetSheet
    from tests.formats.targets_fixtures import xiangtan_2023

    world, base = site
    path = tmp_path / "2023年项目支出绩效目标申报表.xlsx"
    xiangtan_2023(path)
    page = login(browser, base, "approver")
    page.click("#nav-targets")
    page.click("#btn-targets-import")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_department", str(world.dept_a.pk))
    page.click("#btn-targets-upload")
    page.wait_for_selector("#btn-targets-confirm")
    preview = page.inner_text("main")
    assert "雾炮车降尘抑尘服务" in preview and "市民满意度" in preview and "JX608" in preview
    assert not TargetSheet.objects.filter(year__year=2023).exists()  # nothing saved before confirming
    page.click("#btn-targets-confirm")
    page.wait_for_selector("#sheet-status")
    sheet = TargetSheet.objects.get(year__year=2023, department=world.dept_a)
    assert convert.sheet_to_core(sheet).projects == read_targets_xlsx(path).projects
    assert "雾炮车风炮射程" in page.inner_text("main")
