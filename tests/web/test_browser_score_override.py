"""Browser test of the reviewer's score override on the seed table (Playwright, Debian's Chromium).

The reviewer opens a project's score page, tries an override without a reason (a field error),
sets one, sees it beside the suggestion; the department's editor sees it read-only. A single
三级 item of a cell with several is overridden on its own and the cell becomes the sum of its items.
``JIXIAO_SCREENSHOT_DIR=docs/screenshots`` keeps review-score-override.png and
review-score-item-override.png.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.web.entry.models import Project

from .conftest import bring_to
from .browser import login, span

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def override(page, project, item, score, reason) -> dict:
    """Set ``item``'s score with its reason on the open score page; once the page says it is
    saved, the project's one override."""
    page.fill(f"[id='id_{item}-score']", score)
    page.fill(f"[id='id_{item}-reason']", reason)
    page.click(f"[id='btn-override-{item}']")
    page.wait_for_selector(".msg-success")
    [ov] = Project.objects.get(pk=project.pk).overrides
    return ov


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

    ov = override(page, project, "quantity", "12", "抽查培训签到表，实际参训人数与填报不符，按核实人数调整。<b>不是标记</b>")
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


def test_reviewer_overrides_one_level3_item_and_the_cell_sums_its_items(browser, site, shots):
    world, base = site
    table = world.tables["own"]
    bring_to(table, "submitted", world.users["approver"], world.users["reviewer"])
    # Seed project 4 (党员教育): two quantity items, 集中培训≧2 and 党组织开展活动≧20场次.
    project = table.projects.get(seq=4)
    page = login(browser, base, "reviewer")
    page.goto(base + reverse("review:project_scores", args=[project.pk]))
    cell, second = page.locator("#item-quantity"), page.locator("[id='item-quantity.2']")
    suggested = second.locator("td.num").nth(1).inner_text()
    cell_before = Decimal(cell.locator("td.num b").inner_text())

    second.locator("summary").click()
    ov = override(page, project, "quantity.2", "3", "抽查活动记录，10场次无签到表，按有记录的场次调整。")
    assert ov["item"] == "quantity.2" and ov["score"] == "3.00" and ov["target"] == "党组织开展活动≧20场次"
    assert "调整为 3.00 分" in second.locator("td.override").inner_text()
    # The cell is the sum of its items; its item table keeps the suggestion beside the override.
    assert Decimal(cell.locator("td.num b").inner_text()) == cell_before - Decimal(suggested) + Decimal(3)
    parts = cell.locator("table.parts tbody tr").filter(has_text="党组织开展活动")
    assert parts.locator("td.num").nth(1).inner_text() == suggested
    assert page.locator("#item-quantity details").count() == 1  # the cell's own form stays
    shots(page, "review-score-item-override", clip=span(page, cell, second, page.locator("table.scores")))
    page.context.close()
