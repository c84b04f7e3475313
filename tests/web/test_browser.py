"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

One walk through the product: every role logs in; an editor enters a project and sees a
finding appear as they type; the approver submits, the finance bureau returns with a comment,
the approver resubmits, the bureau approves and publishes; the PDF and XLSX download.
Screenshots go to $JIXIAO_SCREENSHOT_DIR when set (docs/screenshots is made that way).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from .browser import USERNAMES, login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def explain_and_submit(page, text="已核实，按实际情况填报。"):
    """On the submit page: an explanation for every open warning, then submit."""
    for box in page.query_selector_all("#submit-form textarea"):
        box.fill(text)
    page.click("#confirm-submit")


def test_every_role_logs_in_and_sees_its_tables(browser, site, shots):
    world, base = site
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.goto(base + reverse("accounts:login"))
    shots(page, "01-login")
    page.close()
    seen = {}
    for role in ("editor", "approver", "reviewer", "admin"):
        page = login(browser, base, role)
        assert USERNAMES[role] in page.inner_text(".userbox")
        seen[role] = page.inner_text("main")
        page.context.close()
    a, b = world.dept_a.name, world.dept_b.name
    assert a in seen["editor"] and b not in seen["editor"]
    assert a in seen["approver"] and b not in seen["approver"]
    assert "暂无可查看的自评表" in seen["reviewer"]  # nothing submitted yet
    assert a in seen["admin"] and b in seen["admin"]


def test_enter_submit_return_resubmit_approve_publish_download(browser, site, shots):
    world, base = site
    table = world.tables["own"]
    table_url = base + reverse("entry:table", args=[table.pk])

    # The editor enters a project; amounts and rate are computed as they type, and the
    # check's finding appears beside the field before saving.
    editor = login(browser, base, "editor")
    shots(editor, "02-home-editor")
    editor.goto(table_url)
    editor.click("text=新增项目")
    editor.fill("#id_name", "非公经济人士培训")
    editor.fill("#id_unit_name", "区工商联")
    editor.fill("#id_problems", "培训场地<script>alert(1)</script>紧张")
    editor.fill("#id_budget", "100")
    editor.fill("#id_actual_total", "90")
    editor.fill("#id_actual_general_budget", "80")
    assert editor.inner_text("#computed-rate") == "90.00%"
    assert editor.inner_text("#computed-parts") == "80.00"
    finding = editor.locator('[data-findings-for="actual_total"] li')
    finding.first.wait_for()
    assert "JX101" in finding.first.inner_text()
    editor.fill("#id_annual_goal", "组织非公经济人士理想信念教育培训，提升政治素质。")
    editor.fill("#id_overall_completion", "全年举办培训5期，参训人员320人次。")
    editor.fill("#id_ind_quantity_target", "举办培训≥4期；参训人员≥300人次")
    editor.fill("#id_ind_quantity_actual", "举办培训5期；参训人员320人次")
    editor.fill("#id_ind_satisfaction_target", "参训人员满意度≥90%")
    editor.fill("#id_ind_satisfaction_actual", "参训人员满意度96%")
    editor.click("#btn-save")
    editor.wait_for_selector(".msg-success")
    assert "JX101" in editor.inner_text('[data-findings-for="actual_total"]')  # still shown after saving
    shots(editor, "03-project-form")
    editor.fill("#id_actual_general_budget", "90")
    editor.click("#btn-save")
    editor.wait_for_selector(".msg-success")
    assert "JX101" not in editor.inner_text("main")
    editor.click("text=修改历史")
    editor.wait_for_selector(".history-entry")
    diff = editor.inner_text(".diff")
    assert "一般公共预算" in diff and "80.00" in diff and "90.00" in diff
    shots(editor, "04-project-history")
    editor.context.close()

    # The approver submits.
    approver = login(browser, base, "approver")
    approver.goto(table_url)
    approver.click("#btn-submit")
    explain_and_submit(approver)
    assert approver.inner_text("#table-status") == "已提交"
    approver.context.close()

    # The finance bureau comments and returns it.
    reviewer = login(browser, base, "reviewer")
    reviewer.goto(table_url)
    reviewer.fill("form[action$='/comment/'] textarea", "项目2 公务接待费执行偏低，请说明原因。")
    reviewer.click("#btn-comment")
    reviewer.fill("form[action$='/return/'] textarea", "请补充项目2的问题与整改情况。")
    reviewer.click("#btn-return")
    assert reviewer.inner_text("#table-status") == "退回"
    reviewer.context.close()

    # The approver sees the comments and resubmits.
    approver = login(browser, base, "approver")
    approver.goto(table_url)
    assert "请补充项目2的问题与整改情况" in approver.inner_text("main")
    approver.click("#btn-submit")
    explain_and_submit(approver)
    assert approver.inner_text("#table-status") == "已提交"
    approver.context.close()

    # The bureau approves and publishes, then downloads.
    reviewer = login(browser, base, "reviewer")
    shots(reviewer, "05-home-reviewer")
    reviewer.goto(table_url)
    shots(reviewer, "06-table-review")
    reviewer.click("#btn-approve")
    reviewer.click("#confirm-approve")
    assert reviewer.inner_text("#table-status") == "已审核"
    reviewer.click("#btn-publish")
    reviewer.fill("#id_note", "2019年度自评结果公开")
    reviewer.click("#confirm-publish")
    assert reviewer.inner_text("#table-status") == "已公开"
    shots(reviewer, "07-table-published")
    for fmt, magic in (("pdf", b"%PDF-"), ("xlsx", b"PK\x03\x04")):
        with reviewer.expect_download() as info:
            reviewer.click(f"#dl-{fmt}")
        path = info.value.path()
        assert Path(path).read_bytes()[:len(magic)] == magic, fmt
        assert info.value.suggested_filename.endswith(f".{fmt}")
    reviewer.click("text=第 1 次公开")  # the publication's page on the public portal
    reviewer.wait_for_selector("#portal-table")
    body = reviewer.inner_text("#portal-table")
    assert "培训场地<script>alert(1)</script>紧张" in body  # shown as text, never run
    shots(reviewer, "08-public-publication")
    reviewer.context.close()


def test_import_preview_page(browser, site, shots, golden_path):
    world, base = site
    page = login(browser, base, "approver")
    page.goto(base + reverse("entry:import"))
    page.set_input_files("#id_file", str(golden_path))
    page.click("#btn-upload")
    page.wait_for_selector("#btn-confirm")
    assert "党建事务" in page.inner_text("main")
    shots(page, "09-import-preview")
    page.click("#btn-confirm")
    page.wait_for_selector(".msg-success")
    assert "6 个项目" in page.inner_text(".messages")
    page.context.close()
