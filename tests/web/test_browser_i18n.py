"""Browser tests of the English UI: Playwright for Python driving Debian's Chromium against a live
server. The language switch is used as a visitor would — by keyboard and by mouse, anonymous and
logged in — and each page comes back in the chosen language at the same address.
Screenshots of the main pages in English go to $JIXIAO_SCREENSHOT_DIR when set
(`JIXIAO_SCREENSHOT_DIR=docs/screenshots pytest tests/web/test_browser_i18n.py` makes docs/'s).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .browser import span
from .conftest import bring_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
VIEWPORT = {"width": 1360, "height": 900}


@pytest.fixture
def site(site):
    """The browser tests' site (tests/web/browser.py: the seed table as 区工商联's draft), with the
    seed table published and a second department's table under review."""
    from jixiao.web.entry.models import Publication

    world, url = site
    bring_to(world.tables["own"], "published", world.users["approver"], world.users["reviewer"])
    bring_to(world.tables["other"], "submitted", world.users["approver_b"], world.users["reviewer"])
    world.publication = Publication.objects.get(table=world.tables["own"])
    return world, url


PASSWORDS = {"editor_a": "pw-editor-a-123", "reviewer": "pw-reviewer-123"}


def new_page(browser, locale="en-US"):
    # An English-speaking browser: the site still starts in Chinese until English is chosen.
    page = browser.new_context(viewport=VIEWPORT, locale=locale).new_page()
    page.set_default_timeout(15000)
    return page


def login(page, base, username):
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("button[type=submit]")  # the page's own, never the language switch
    page.wait_for_url(base + "/")


def lang(page) -> str:
    return page.get_attribute("html", "lang")


def choose(page, code):
    """Click a language link with the mouse and wait for the page to come back."""
    before = page.url
    with page.expect_navigation():
        page.click(f"#langswitch a[hreflang='{code}']")
    assert page.url == before  # the same page, query string included
    assert lang(page) == code


def header_text(page) -> str:
    return page.inner_text("header.topbar")


def test_anonymous_visitor_switches_by_keyboard(browser, site, shots):
    world, base = site
    page = new_page(browser)
    page.goto(base + reverse("accounts:login"))
    assert lang(page) == "zh-hans" and "用户登录" in page.inner_text("main")
    # Reach the English button with Tab alone and press it with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.getAttribute('hreflang')") == "en":
            break
    else:
        raise AssertionError("the English button cannot be reached with the keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + reverse("accounts:login")
    assert lang(page) == "en"
    assert "Log in" in page.inner_text("main") and not CJK.search(page.inner_text("main"))
    assert page.get_attribute("#langswitch a[hreflang='en']", "aria-current") == "true"
    shots(page, "en-01-login")

    # The choice holds while browsing the public portal.
    page.click("#nav-portal")
    page.wait_for_load_state()
    assert lang(page) == "en" and "Public portal" in header_text(page)
    assert "Published budget project performance self-evaluations" in page.inner_text("main")
    shots(page, "en-06-portal")
    pub = world.publication
    page.goto(base + reverse("portal:publication", args=[pub.pk]))
    main = page.inner_text("main")
    assert lang(page) == "en" and "Download" in main and "Total" in main
    published = pub.published_at.astimezone()
    assert f"{published.day} {published.strftime('%b')} {published.year}" in main  # 12 May 2020
    shots(page, "en-07-portal-publication")

    # And back to Chinese on this very page.
    choose(page, "zh-hans")
    assert "下载" in page.inner_text("main")
    assert published.strftime("%Y-%m-%d") in page.inner_text("main")
    page.context.close()


def test_logged_in_editor_works_in_english(browser, site, shots):
    world, base = site
    page = new_page(browser, locale="zh-CN")
    login(page, base, "editor_a")
    assert lang(page) == "zh-hans" and "自评表" in header_text(page)
    choose(page, "en")
    assert "Self-evaluation tables" in header_text(page) and "Log out" in header_text(page)
    assert not CJK.search(header_text(page).replace("区工商联", "").replace("简体中文", "").replace("绩", ""))
    shots(page, "en-02-home")

    table = world.tables["own"]
    page.goto(base + reverse("entry:table", args=[table.pk]))
    main = page.inner_text("main")
    assert lang(page) == "en" and "Published" in main and "Download" in main
    assert re.search(r"\d{1,3}(,\d{3})+\.\d\d", main) or re.search(r"\b\d{1,3}\.\d\d\b", main)
    shots(page, "en-04-table")

    project = table.projects.order_by("seq").first()
    page.goto(base + reverse("entry:project", args=[project.pk]))
    main = page.inner_text("main")
    assert "Annual target" in main and "Achieved" in main and "Rectification" in main
    assert "Output indicators" in main and "Quantity indicators" in main
    shots(page, "en-03-project-form")

    # The choice survives logging out and in again within the browser session.
    page.click("header .userbox button[type=submit]")
    page.wait_for_load_state()
    assert lang(page) == "en"
    page.context.close()


def test_reviewer_dashboard_in_english(browser, site, shots):
    world, base = site
    page = new_page(browser, locale="zh-CN")
    login(page, base, "reviewer")
    page.goto(base + reverse("dashboard:index") + "?year=2019")
    assert "财政局看板" in page.inner_text("main")
    choose(page, "en")
    page.wait_for_load_state("networkidle")
    main = page.inner_text("main")
    assert "Finance Bureau dashboard" in main and "Department comparison" in main
    assert world.dept_a.name in main and world.dept_b.name in main
    shots(page, "en-05-dashboard")
    page.context.close()


def test_visitor_reads_a_published_projects_score_reasons_and_formula_in_english(browser, site, shots):
    world, base = site
    page = new_page(browser)
    # The seed table's second project (其他一般管理事务): one indicator not met, two not judgeable.
    page.goto(base + reverse("portal:project", args=[world.publication.pk, 1]))
    choose(page, "en")
    reasons = page.locator("#score-reasons")
    text = reasons.inner_text()
    assert "Suggested total score" in text and "Budget execution rate" in text
    assert "Analysis of deviations (suggested)" in text and "not completed" in text
    formula = reasons.locator("h3 + p.muted").first
    assert formula.inner_text().startswith("Execution-rate score = execution rate")
    assert not CJK.search(formula.inner_text())
    shots(page, "en-08-score-reasons", element=reasons)
    # The execution rate's formula under its heading, with the summary above it.
    shots(page, "en-09-score-formula",
          clip=span(page, reasons.locator(".score-total"), reasons.locator("h3 + p.muted + ul").first, reasons))
    page.context.close()
