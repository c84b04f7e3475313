"""Browser test of the reviewer's score override on the seed table (Playwright, Debian's Chromium).

The reviewer opens a project's score page, tries an override without a reason (a field error),
sets one, sees it beside the suggestion; the department's editor sees it read-only.
``JIXIAO_SCREENSHOT_DIR=docs/screenshots`` keeps review-score-override.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.web.entry.models import Project

from .conftest import bring_to
from .browser import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_reviewer_overrides_a_score_and_the_department_sees_it(browser, site, shots):
    world, base = site
    table = world.tables["own"]
    bring_to(table, "submitted", world.users["approver"], world.users["reviewer"])
    project = table.projects.order_by("seq").first()
    url = base + reverse("review:project_scores", args=[project.pk])

    page = login(browser, base, "reviewer")
    page.goto(base + reverse("entry:project", args=[project.pk]))
    page.click("#link-scores")
    page.wait_for_url(url)
    assert page.locator("#item-execution").is_visible()

    # No reason: a field error, nothing stored.
    page.click("#item-quantity summary")
    page.fill("#id_quantity-score", "12")
    page.click("#btn-override-quantity")
    assert page.locator("#item-quantity .errorlist").is_visible()
    assert Project.objects.get(pk=project.pk).overrides == []

    page.fill("#id_quantity-score", "12")
    page.fill("#id_quantity-reason", "抽查培训签到表，实际参训人数与填报不符，按核实人数调整。<b>不是标记</b>")
    page.click("#btn-override-quantity")
    page.wait_for_selector(".msg-success")
    [ov] = Project.objects.get(pk=project.pk).overrides
    assert ov["item"] == "quantity" and ov["score"] == "12.00" and ov["by"] == "reviewer"
    row = page.locator("#item-quantity")
    assert "调整为 12.00 分" in row.inner_text() and "<b>不是标记</b>" in row.inner_text()
    page.click("#item-output summary")  # an open form next to the override, for the screenshot
    shots(page, "review-score-override")
    page.context.close()

    editor = login(browser, base, "editor")
    editor.goto(base + reverse("entry:project", args=[project.pk]))
    panel = editor.locator("#score-overrides")
    assert "按核实人数调整" in panel.inner_text() and editor.locator("#link-scores").count() == 0
    editor.context.close()
