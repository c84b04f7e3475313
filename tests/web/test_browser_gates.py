"""Browser walk through the gates, confirmations, withdrawal and correction, in Chromium against
a live server: an empty table cannot be submitted; the seed's draft is refused for its error
(JX102), fixed through the finding's link, submitted with an explanation per warning, returned,
resubmitted, approved and published on confirmation pages; then withdrawn with a reason and
published again as a correction. The portal shows each state."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .browser import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _explain_and_submit(page, text):
    page.wait_for_selector("#submit-form")
    for box in page.query_selector_all("#submit-form textarea"):
        box.fill(text)
    page.click("#confirm-submit")
    page.wait_for_selector("#table-status")


def test_draft_blocked_fixed_explained_returned_approved_published_withdrawn_and_corrected(browser, site):
    from jixiao.web.entry.models import DisclosureTable, Year

    world, base = site
    table = world.tables["own"]
    table_url = base + reverse("entry:table", args=[table.pk])
    empty = DisclosureTable.objects.create(year=Year.objects.create(year=2100), department=world.dept_a)
    # An error to be refused for: spending twice the budget (execution rate above 100 %, JX104).
    broken = table.projects.order_by("seq").first()
    budget = broken.budget
    broken.budget = broken.actual_total / 2
    broken.save()

    approver = login(browser, base, "approver")
    # An empty table: the submit page says why and offers no button.
    approver.goto(base + reverse("entry:table", args=[empty.pk]))
    approver.click("#btn-submit")
    approver.wait_for_selector("#refused-empty")
    assert approver.query_selector("#confirm-submit") is None

    # The seed's draft: refused for its error, which links to the project's field.
    approver.goto(table_url)
    approver.click("#btn-submit")
    approver.wait_for_selector("#blocking-findings")
    assert "JX104" in approver.inner_text("#blocking-findings")
    assert approver.query_selector("#confirm-submit") is None
    approver.click("#blocking-findings li:has-text('JX104') a.finding-link")
    approver.wait_for_selector("#id_execution_rate_text")
    assert f"/projects/{broken.pk}/#id_execution_rate_text" in approver.url
    approver.fill("#id_budget", f"{budget:f}")
    approver.click("#btn-save")
    approver.wait_for_selector(".msg-success")
    approver.goto(table_url)
    approver.click("#btn-submit")
    assert approver.query_selector("#blocking-findings") is None
    _explain_and_submit(approver, "原表如此填报，已核实。")
    assert approver.inner_text("#table-status") == "已提交"

    # The bureau reads the explanations, returns; the department resubmits.
    reviewer = login(browser, base, "reviewer")
    reviewer.goto(table_url)
    assert "原表如此填报，已核实。" in reviewer.inner_text("main")
    reviewer.fill("form[action$='/return/'] textarea", "请核对执行率。")
    reviewer.click("#btn-return")
    assert reviewer.inner_text("#table-status") == "退回"
    approver.goto(table_url)
    approver.click("#btn-submit")
    _explain_and_submit(approver, "执行率已按金额核对。")
    assert approver.inner_text("#table-status") == "已提交"

    # Approve and publish on their confirmation pages.
    reviewer.goto(table_url)
    reviewer.click("#btn-approve")
    reviewer.wait_for_selector("#open-warnings")
    assert "执行率已按金额核对。" in reviewer.inner_text("#open-warnings")
    reviewer.click("#confirm-approve")
    assert reviewer.inner_text("#table-status") == "已审核"
    reviewer.click("#btn-publish")
    assert "深圳市龙岗区工商业联合会" in reviewer.inner_text("#publish-summary")
    reviewer.click("#confirm-publish")
    assert reviewer.inner_text("#table-status") == "已公开"
    first = table.publications.get()

    public = browser.new_page()
    public.goto(base + reverse("portal:index"))
    assert public.query_selector(f"a[href='{reverse('portal:publication', args=[first.pk])}']") is not None
    assert "2100" not in public.inner_text("main")  # the empty table never reached the portal

    # Withdraw with a reason: the portal keeps the snapshot, marked.
    reviewer.goto(table_url)
    reviewer.click("#btn-withdraw")
    reviewer.fill("#id_reason", "执行率口径有误，撤回更正。")
    reviewer.click("#confirm-withdraw")
    assert reviewer.inner_text("#table-status") == "草稿"
    public.goto(base + reverse("portal:publication", args=[first.pk]))
    assert "执行率口径有误，撤回更正。" in public.inner_text("#publication-withdrawn")
    public.goto(base + reverse("portal:index"))
    assert "已撤回" in public.inner_text("main")

    # The correction: resubmitted, approved, published with its reason.
    approver.goto(table_url)
    approver.click("#btn-submit")
    _explain_and_submit(approver, "更正后再次核实。")
    reviewer.goto(table_url)
    reviewer.click("#btn-approve")
    reviewer.click("#confirm-approve")
    reviewer.click("#btn-publish")
    reviewer.wait_for_selector("#publish-correction")
    reviewer.fill("#id_reason", "更正执行率口径。")
    reviewer.click("#confirm-publish")
    assert reviewer.inner_text("#table-status") == "已公开"
    second = table.publications.order_by("-number").first()
    assert second.corrects_id == first.pk
    public.goto(base + reverse("portal:publication", args=[first.pk]))
    assert public.query_selector(f"#publication-withdrawn a[href='{reverse('portal:publication', args=[second.pk])}']")
    public.goto(base + reverse("portal:publication", args=[second.pk]))
    assert "更正执行率口径。" in public.inner_text("#publication-corrects")
    public.goto(base + reverse("portal:index"))
    assert public.query_selector(f"a[href='{reverse('portal:publication', args=[second.pk])}']") is not None
    for page in (approver, reviewer):
        page.context.close()
    public.close()
