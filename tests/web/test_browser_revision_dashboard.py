"""Browser test: while a department edits a new revision of its published table, the finance
bureau's dashboard keeps the published figures — Playwright driving Debian's Chromium against
a live server loaded with the demo data."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def demo_site(transactional_db, live_server, tmp_path):
    from jixiao.web import demo_data

    users = {u: pw for u, pw, _role, _dept in demo_data.load(tmp_path)}
    return users, live_server.url


def signed_in(browser, base, username, password):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def dashboard(page, base) -> tuple[str, str]:
    page.goto(base + reverse("dashboard:index") + "?year=2019")
    return page.inner_text(".kpis"), page.inner_text("#department-table")


def test_dashboard_keeps_the_published_figures_while_a_revision_is_edited(browser, demo_site, shots):
    from jixiao.web import demo_data
    from jixiao.web.entry.models import DisclosureTable

    users, base = demo_site
    seed = demo_data.seed_table()
    table = DisclosureTable.objects.get(department__name=seed.department)
    reviewer = signed_in(browser, base, "czj_reviewer", users["czj_reviewer"])
    kpis_before, _rows = dashboard(reviewer, base)
    row_before = reviewer.locator("#department-table tr", has_text=seed.department).inner_text()

    approver = signed_in(browser, base, "gsl_approver", users["gsl_approver"])
    approver.goto(base + reverse("entry:table", args=[table.pk]))
    approver.click("#btn-reopen")
    approver.wait_for_load_state()
    editor = signed_in(browser, base, "gsl_editor", users["gsl_editor"])
    editor.goto(base + reverse("entry:project", args=[table.projects.order_by("seq").first().pk]))
    editor.fill("#id_actual_total", "1.00")
    editor.click("#btn-save")
    editor.wait_for_load_state()
    table.refresh_from_db()
    assert table.status == "draft" and table.projects.order_by("seq").first().actual_total == 1

    kpis_after, _rows = dashboard(reviewer, base)
    assert kpis_after == kpis_before  # 项目数, 金额, 总体执行率, 未报送部门: as published
    row = reviewer.locator("#department-table tr", has_text=seed.department)
    text = row.inner_text()
    assert "修订中" in text and "数据取自第" in text and "公开" in text
    # Every figure of the department's row is the published one.
    assert text.split("\t")[2:] == row_before.split("\t")[2:]
    shots(reviewer, "24-dashboard-revision")
