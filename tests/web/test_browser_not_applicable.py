"""Browser test of a cell marked 不适用 (Playwright driving Debian's Chromium against a live
server): a department's editor ticks 不适用 on the first project's 生态效益 cell and writes the
reason, saves; the form shows the mark kept and no score for the cell; the finance bureau's score
page has no row for it; once published, the portal's table and project pages print
「不适用（reason）」. Runs on PostgreSQL too (test_browser_postgres.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .browser import login
from .test_browser_gates import _explain_and_submit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REASON = "本项目不涉及生态效益"


def test_a_cell_marked_not_applicable_is_saved_left_out_of_the_scores_and_published_as_such(browser, site):
    world, base = site
    table = world.tables["own"]
    project = table.projects.order_by("seq").first()
    assert project.indicators["ecological"]["target"]  # the seed's cell has texts: they are set aside

    editor = login(browser, base, "editor")
    editor.goto(base + reverse("entry:project", args=[project.pk]))
    assert not editor.is_checked("#id_ind_ecological_na")
    editor.check("#id_ind_ecological_na")
    editor.fill("#id_ind_ecological_na_reason", REASON)
    editor.click("#btn-save")
    editor.wait_for_selector(".msg-success")
    # The form again: marked, with its reason and the note that the cell is not scored.
    assert editor.is_checked("#id_ind_ecological_na")
    assert editor.input_value("#id_ind_ecological_na_reason") == REASON
    marked = editor.locator(".not-applicable.marked")
    assert marked.count() == 1 and "不计分" in marked.inner_text()
    project.refresh_from_db()
    assert project.indicators["ecological"] == {"target": "", "actual": "", "not_applicable": True,
                                                "na_reason": REASON}

    approver = login(browser, base, "approver")
    approver.goto(base + reverse("entry:table", args=[table.pk]))
    approver.click("#btn-submit")
    _explain_and_submit(approver, "已核实。")
    assert approver.inner_text("#table-status") == "已提交"

    # The bureau's score page scores the other indicators and leaves the marked one out.
    reviewer = login(browser, base, "reviewer")
    reviewer.goto(base + reverse("review:project_scores", args=[project.pk]))
    reviewer.wait_for_selector("#item-social")
    assert reviewer.query_selector("#item-ecological") is None
    assert reviewer.query_selector("#item-economic") is not None

    reviewer.goto(base + reverse("entry:table", args=[table.pk]))
    reviewer.click("#btn-approve")
    reviewer.click("#confirm-approve")
    reviewer.click("#btn-publish")
    reviewer.click("#confirm-publish")
    assert reviewer.inner_text("#table-status") == "已公开"
    pub = table.publications.get()

    public = browser.new_page()
    public.goto(base + reverse("portal:project", args=[pub.pk, 0]))
    assert f"不适用（{REASON}）" in public.inner_text("main")
    public.goto(base + reverse("portal:publication", args=[pub.pk]))
    assert f"不适用（{REASON}）" in public.inner_text("main")
    public.close()
    for page in (editor, approver, reviewer):
        page.context.close()
