"""Browser tests of the dashboard and the portal: Playwright driving Debian's Chromium against a
live server loaded with the demo data.

The finance bureau's reviewer opens the dashboard, sees the charts drawn (ECharts, vendored,
under the strict CSP), clicks a bar and lands on exactly the projects behind it, and sorts the
department table from the keyboard. An anonymous visitor goes from the home page to the portal,
searches by part of a Chinese name, opens the table and a project, downloads the XLSX, and
prints the table on A3 landscape. Screenshots go to $JIXIAO_SCREENSHOT_DIR when set
(docs/screenshots is made that way).
"""

from __future__ import annotations

import re
import subprocess

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.slow]



@pytest.fixture
def demo_site(transactional_db, live_server, tmp_path):
    from jixiao.web import demo_data

    users = {u: pw for u, pw, _role, _dept in demo_data.load(tmp_path)}
    return users, live_server.url


def new_page(browser, errors):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    # Any script error or CSP refusal (a vendored file blocked, an inline style) fails the test.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def test_reviewer_drills_down_from_a_chart_and_sorts_by_keyboard(browser, demo_site, shots):
    from jixiao.web import demo_data

    users, base = demo_site
    errors: list[str] = []
    page = new_page(browser, errors)
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", "czj_reviewer")
    page.fill("#id_password", users["czj_reviewer"])
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    page.click("#nav-dashboard")
    page.wait_for_selector("#chart-bands canvas")
    page.wait_for_selector("#chart-departments canvas")
    body = page.inner_text("#department-table")
    assert demo_data.SECOND_DEPARTMENT in body and demo_data.seed_table().department in body
    shots(page, "20-dashboard")

    # Click the tallest bar of the execution-rate chart: the list shows exactly its projects.
    target = page.evaluate("""() => {
        const el = document.getElementById('chart-bands');
        const chart = echarts.getInstanceByDom(el);
        const counts = chart.getOption().series[0].data.map(Number);
        const i = counts.indexOf(Math.max(...counts));
        const [x, y] = chart.convertToPixel({seriesIndex: 0}, [i, counts[i] / 2]);
        const box = el.getBoundingClientRect();
        return {x: box.left + x, y: box.top + y, count: counts[i], url: JSON.parse(
            document.getElementById('dashboard-data').textContent).bands.urls[i]};
    }""")
    assert target["count"] > 0
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(re.compile(r".*/dashboard/projects/\?.*band=.*"))
    assert page.url.endswith(target["url"])
    assert page.locator("#drill-table tbody .drill-project").count() == target["count"]
    assert f"共 {target['count']} 个项目" in page.inner_text("#drill-summary")
    shots(page, "21-dashboard-drilldown")

    # Back on the dashboard, sort the department table by budget with the keyboard only.
    page.go_back()
    page.wait_for_selector("#department-table")
    page.focus("#sort-budget")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*sort=budget.*"))
    assert page.get_attribute("#department-table th[aria-sort]", "aria-sort") == "descending"
    page.keyboard.press("Tab")  # focus moves on from the page's first focusable element
    # A department's name drills down to its projects.
    page.click(f"#department-table >> text={demo_data.SECOND_DEPARTMENT}")
    page.wait_for_url(re.compile(r".*department=.*"))
    assert page.locator("#drill-table tbody .drill-project").count() == len(demo_data.second_table().projects)
    errors = [e for e in errors if "favicon" not in e and "404 (Not Found)" not in e]
    assert not errors, "\n".join(errors)
    page.context.close()


def test_visitor_searches_the_portal_opens_a_project_downloads_and_prints(browser, demo_site, shots, tmp_path):
    from jixiao.web import demo_data

    _users, base = demo_site
    seed = demo_data.seed_table()
    errors: list[str] = []
    page = new_page(browser, errors)
    page.goto(base + "/")
    page.click("#nav-portal")
    page.wait_for_selector(".portal-hero")
    assert seed.department in page.inner_text("main")
    assert demo_data.SECOND_DEPARTMENT not in page.inner_text("main")  # under review, not published
    shots(page, "22-portal-index")

    # Type part of a name and press Enter: a substring of the department name finds it.
    page.fill("#portal-q", "工商业")
    page.press("#portal-q", "Enter")
    page.wait_for_url(re.compile(r".*q=.*"))
    assert seed.department in page.inner_text("#search-tables")
    page.fill("#portal-q", "管理事务")  # in both departments' project names; only the published one shows
    page.press("#portal-q", "Enter")
    page.wait_for_selector("#search-projects")
    names = page.locator("#search-projects .portal-project-link").all_inner_texts()
    assert names == ["其他一般管理事务"]
    shots(page, "23-portal-search")

    page.click("#search-projects >> text=" + seed.department)
    page.wait_for_selector("#portal-table")
    assert "公开日期" in page.inner_text("#publication-date")
    shots(page, "24-portal-publication")
    with page.expect_download() as info:
        page.click("#portal-dl-xlsx")
    saved = tmp_path / "download.xlsx"
    info.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"

    # Print the table: A3 landscape from the print stylesheet.
    page.emulate_media(media="print")
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    info_text = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info_text).groups())
    assert abs(width - 1190.55) < 2 and abs(height - 841.89) < 2, info_text  # A3 landscape in points
    page.emulate_media(media="screen")

    page.click("#portal-table >> text=" + seed.projects[2].name)
    page.wait_for_selector("#score-reasons")
    assert "建议总分" in page.inner_text("#score-reasons")
    shots(page, "25-portal-project")
    errors = [e for e in errors if "favicon" not in e and "404 (Not Found)" not in e]
    assert not errors, "\n".join(errors)
    page.context.close()
