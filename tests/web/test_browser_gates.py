"""Browser walk through the gates, confirmations, withdrawal and correction, in Chromium against
a live server: an empty table cannot be submitted; the seed's draft is refused for its error
(JX102), fixed through the finding's link, submitted with an explanation per warning, returned,
resubmitted, approved and published on confirmation pages; then withdrawn with a reason and
published again as a correction; a new revision is started and, while it is edited, that
correction is withdrawn too.

At each state the same walk checks, side by side, what the public and the finance bureau see:
the portal (listed, marked 已撤回, or absent), the API (its JSON, fetched with the page's own
request context: the record's status, withdrawal and correction) and the dashboard (the
department's state and figures — never a draft's: a returned submission edited, and a new
revision edited, still show the figures submitted or published)."""

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


SEED_DEPARTMENT = "深圳市龙岗区工商业联合会"


def dashboard(page, base) -> tuple[str, list[str]]:
    """The department's row on the 2019 dashboard: its state and its figures (项目数, 预算, 支出,
    执行率)."""
    page.goto(base + reverse("dashboard:index") + "?year=2019")
    cells = page.locator("#department-table tbody tr", has_text=SEED_DEPARTMENT).locator("td")
    return cells.nth(0).locator(".state").inner_text(), [cells.nth(i).inner_text() for i in range(1, 5)]


def api_records(page, base) -> dict[int, dict]:
    """The API's table records (every publication listed), by id: JSON through the page's context."""
    answer = page.request.get(base + "/api/tables/")
    assert answer.ok and answer.headers["content-type"].startswith("application/json")
    return {t["id"]: t for t in answer.json()["results"]}


def api_record(page, base, pk) -> dict:
    answer = page.request.get(base + f"/api/tables/{pk}/")
    assert answer.ok, answer.status
    return answer.json()


def portal_lists(page, base, pub) -> bool:
    page.goto(base + reverse("portal:index"))
    return page.query_selector(f"a[href='{reverse('portal:publication', args=[pub.pk])}']") is not None


def test_draft_blocked_fixed_explained_returned_approved_published_withdrawn_and_corrected(browser, site, settings):
    from jixiao.web.entry.models import DisclosureTable, Year

    # The visitor's browser asks again each time (public, no-cache) instead of keeping a portal
    # page up to the default 60 s: each state's portal answer is revalidated by its ETag.
    settings.JIXIAO_PUBLIC_CACHE_SECONDS = 0
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
    public = browser.new_page()
    reviewer = login(browser, base, "reviewer")
    # A draft: nothing public, nothing in the API, on the dashboard 未报送 with no figures.
    public.goto(base + reverse("portal:index"))
    assert SEED_DEPARTMENT not in public.inner_text("main")
    assert all(t["department"]["name"] != SEED_DEPARTMENT for t in api_records(public, base).values())
    state, figures = dashboard(reviewer, base)
    assert state == "未报送" and figures[0] == "0", figures

    approver.goto(table_url)
    approver.click("#btn-submit")
    assert approver.query_selector("#blocking-findings") is None
    _explain_and_submit(approver, "原表如此填报，已核实。")
    assert approver.inner_text("#table-status") == "已提交"
    # Submitted: the dashboard has its figures; the portal and the API nothing yet.
    state, submitted = dashboard(reviewer, base)
    assert state == "已提交" and submitted[0] == "6", submitted
    assert all(t["department"]["name"] != SEED_DEPARTMENT for t in api_records(public, base).values())

    # The bureau reads the explanations, returns; the department edits a figure and resubmits.
    reviewer.goto(table_url)
    assert "原表如此填报，已核实。" in reviewer.inner_text("main")
    reviewer.fill("form[action$='/return/'] textarea", "请核对执行率。")
    reviewer.click("#btn-return")
    assert reviewer.inner_text("#table-status") == "退回"
    approver.goto(base + reverse("entry:project", args=[broken.pk]))
    approver.fill("#id_budget", "4.00")
    approver.fill("#id_execution_rate_text", "94.75%")  # 3.79 / 4.00
    approver.click("#btn-save")
    approver.wait_for_selector(".msg-success")
    # Returned and edited: the dashboard keeps the submission as submitted, not the draft's figures.
    state, figures = dashboard(reviewer, base)
    assert state == "退回修改中" and figures == submitted, (state, figures, submitted)
    approver.goto(table_url)
    approver.click("#btn-submit")
    _explain_and_submit(approver, "执行率已按金额核对。")
    assert approver.inner_text("#table-status") == "已提交"
    state, resubmitted = dashboard(reviewer, base)
    assert state == "已提交" and resubmitted[0] == "6" and resubmitted[1] != submitted[1], (resubmitted, submitted)

    # Approve and publish on their confirmation pages.
    reviewer.goto(table_url)
    reviewer.click("#btn-approve")
    reviewer.wait_for_selector("#open-warnings")
    assert "执行率已按金额核对。" in reviewer.inner_text("#open-warnings")
    reviewer.click("#confirm-approve")
    assert reviewer.inner_text("#table-status") == "已审核"
    assert dashboard(reviewer, base) == ("已审核", resubmitted)
    assert all(t["department"]["name"] != SEED_DEPARTMENT for t in api_records(public, base).values())
    reviewer.goto(table_url)
    reviewer.click("#btn-publish")
    assert "深圳市龙岗区工商业联合会" in reviewer.inner_text("#publish-summary")
    reviewer.click("#confirm-publish")
    assert reviewer.inner_text("#table-status") == "已公开"
    first = table.publications.get()

    # Published: listed on the portal, in the API as published, 已公开 on the dashboard.
    assert portal_lists(public, base, first)
    assert "2100" not in public.inner_text("main")  # the empty table never reached the portal
    record = api_records(public, base)[first.pk]
    assert record["status"] == "published" and record["withdrawal"] is None
    assert record["department"]["name"] == SEED_DEPARTMENT and record["year"] == 2019
    assert dashboard(reviewer, base) == ("已公开", resubmitted)

    # Withdraw with a reason: the portal keeps the snapshot, marked.
    reviewer.goto(table_url)
    reviewer.click("#btn-withdraw")
    reviewer.fill("#id_reason", "执行率口径有误，撤回更正。")
    reviewer.click("#confirm-withdraw")
    assert reviewer.inner_text("#table-status") == "草稿"
    public.goto(base + reverse("portal:publication", args=[first.pk]))
    assert "执行率口径有误，撤回更正。" in public.inner_text("#publication-withdrawn")
    assert portal_lists(public, base, first) and "已撤回" in public.inner_text("main")
    record = api_record(public, base, first.pk)
    assert record["status"] == "withdrawn" and record["withdrawal"]["reason"] == "执行率口径有误，撤回更正。"
    # Withdrawn, the table is a draft again: no figures on the dashboard.
    state, figures = dashboard(reviewer, base)
    assert state == "未报送" and figures[0] == "0", figures

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
    assert portal_lists(public, base, second)
    records = api_records(public, base)
    assert records[second.pk]["status"] == "published"
    assert api_record(public, base, first.pk)["corrected_by"].endswith(f"/api/tables/{second.pk}/")
    assert dashboard(reviewer, base) == ("已公开", resubmitted)

    # A new revision: its edits never reach the dashboard, which shows the publication (修订中).
    approver.goto(table_url)
    approver.click("#btn-reopen")
    approver.wait_for_selector(".msg-success")
    assert approver.inner_text("#table-status") == "草稿"
    approver.goto(base + reverse("entry:project", args=[broken.pk]))
    approver.fill("#id_budget", "5.00")
    approver.fill("#id_execution_rate_text", "75.80%")
    approver.click("#btn-save")
    approver.wait_for_selector(".msg-success")
    assert dashboard(reviewer, base) == ("修订中", resubmitted)
    assert portal_lists(public, base, second) and api_record(public, base, second.pk)["status"] == "published"
    # The publication is still withdrawn from the revision's table page; the revision goes on.
    reviewer.goto(table_url)
    reviewer.click("#btn-withdraw")
    assert "正在修订" in reviewer.inner_text("#withdraw-revision")
    reviewer.fill("#id_reason", "更正后仍有误，撤回。")
    reviewer.click("#confirm-withdraw")
    reviewer.wait_for_selector(".msg-success")
    assert reviewer.inner_text("#table-status") == "草稿"
    assert reviewer.query_selector("#btn-withdraw") is None
    public.goto(base + reverse("portal:publication", args=[second.pk]))
    assert "更正后仍有误，撤回。" in public.inner_text("#publication-withdrawn")
    assert api_record(public, base, second.pk)["status"] == "withdrawn"
    # Nothing published stands now, and the revision is a draft: no figures, not its own.
    state, figures = dashboard(reviewer, base)
    assert state == "未报送" and figures[0] == "0", figures
    for page in (approver, reviewer):
        page.context.close()
    public.close()
