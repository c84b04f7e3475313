"""Layout in a real browser (Playwright driving Debian's Chromium): every main page fits a phone,
and wide screens are used, the public table's every column reachable.

At 390 px (an iPhone 12-14 in portrait) no main page (tests/web/main_pages.py) is wider than
the viewport: ``document.documentElement.scrollWidth <= window.innerWidth`` — wide tables
scroll inside their own container, forms are one column, the header's links fold into a menu.
At 1920 px the page is not held to a narrow column, and the portal's published table (28
columns in the seed) has a sticky header and first columns and a container no taller than the
window, so its horizontal scrollbar is in view: each header cell, scrolled to, is within the
viewport and is the element actually shown at its centre (not hidden under a sticky column).

With ``JIXIAO_SCREENSHOT_DIR`` set, window-sized screenshots at 390, 1366 and 1920 px go there
(``JIXIAO_SCREENSHOT_DIR=docs/screenshots pytest tests/web/test_browser_layout.py`` makes
docs/'s), reduced to 256 colours with Pillow to stay small.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from . import main_pages
from .browser import PASSWORDS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
WIDE = {"width": 1920, "height": 1080}
SHOT_PAGES = ("login", "home-editor", "table-review", "project-form", "history", "import-preview", "review-scores",
              "dashboard", "portal-index", "portal-publication", "portal-project")


@pytest.fixture
def layout_site(transactional_db, live_server, golden_path):
    world, pages = main_pages.build(golden_path, Client)
    return world, {p.name: p for p in pages}, live_server.url


def open_as(browser, base, world, role, viewport):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    if role:
        page.goto(base + reverse("accounts:login"))
        page.fill("#id_username", world.users[role].username)
        page.fill("#id_password", PASSWORDS[role])
        page.click("main button[type=submit]")
        page.wait_for_url(base + "/")
    return page


def snap(page, name):
    """A window-sized screenshot in $JIXIAO_SCREENSHOT_DIR (when set), in 256 colours."""
    target = os.environ.get("JIXIAO_SCREENSHOT_DIR")
    if not target:
        return
    from PIL import Image

    path = Path(target) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)


OVERFLOW = """() => {
    const w = window.innerWidth;
    const wide = [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.right > w + 0.5 && getComputedStyle(e).position !== 'fixed'
            && !(e.parentElement && e.parentElement.closest('.scroll, .table-scroll'));
    }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') +
        ' ' + Math.round(e.getBoundingClientRect().right));
    return {scroll: document.documentElement.scrollWidth, inner: w, wide};
}"""


def overflowing(browser, layout_site, viewport) -> tuple[dict, dict]:
    """Every main page at ``viewport`` (one signed-in tab per role, kept open): the pages wider
    than the window, and the tabs by role. Saves the screenshots of SHOT_PAGES."""
    world, pages, base = layout_site
    offenders = {}
    by_role: dict = {}
    for page in pages.values():
        if page.role not in by_role:
            by_role[page.role] = open_as(browser, base, world, page.role, viewport)
        tab = by_role[page.role]
        tab.goto(base + page.url)
        tab.wait_for_load_state("load")
        got = tab.evaluate(OVERFLOW)
        if got["scroll"] > got["inner"]:
            offenders[page.name] = got
        if page.name in SHOT_PAGES:
            snap(tab, f"layout-{viewport['width']}-{page.name}")
    return offenders, by_role


def test_every_main_page_fits_a_390_px_phone(browser, layout_site):
    world, pages, base = layout_site
    offenders, by_role = overflowing(browser, layout_site, PHONE)
    assert not offenders, offenders
    # The header's links are in a menu that opens and closes.
    tab = by_role["editor"]
    tab.goto(base + pages["home-editor"].url)
    assert not tab.is_visible("#nav-portal")
    tab.click("#menu-button")
    assert tab.is_visible("#nav-portal") and tab.is_visible("#langswitch a[hreflang=en]")
    assert tab.evaluate(OVERFLOW)["scroll"] <= PHONE["width"]
    snap(tab, "layout-390-menu-open")
    tab.click("#menu-button")
    assert not tab.is_visible("#nav-portal")
    for tab in by_role.values():
        tab.context.close()


HEADER_CELLS = """() => [...document.querySelectorAll('#portal-table thead th')].map((th, i) => i)"""
REACH = """(i) => {
    const th = document.querySelectorAll('#portal-table thead th')[i];
    const box = th.closest('.table-scroll');
    // Scroll the table's own container (not the page) until the cell is in view.
    const c = box.getBoundingClientRect(), r0 = th.getBoundingClientRect();
    const sticky = [...document.querySelectorAll('#portal-table tbody tr:first-child > .sticky-col')]
        .reduce((m, e) => Math.max(m, e.getBoundingClientRect().right), c.left);
    if (!th.classList.contains('sticky-col')) {
        if (r0.left < sticky) box.scrollLeft -= sticky - r0.left;
        else if (r0.right > c.right - 20) box.scrollLeft += r0.right - (c.right - 20);
    }
    const r = th.getBoundingClientRect();
    const x = (Math.max(r.left, c.left) + Math.min(r.right, c.right)) / 2, y = (r.top + r.bottom) / 2;
    const hit = document.elementFromPoint(x, y);
    return {text: th.innerText.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            shown: !!hit && th.contains(hit), vw: window.innerWidth, vh: window.innerHeight};
}"""


def test_public_table_shows_every_column_at_1920_px(browser, layout_site):
    world, pages, base = layout_site
    tab = open_as(browser, base, world, None, WIDE)
    tab.goto(base + pages["portal-publication"].url)
    tab.wait_for_selector("#portal-table")
    main_width = tab.evaluate("() => document.querySelector('main').getBoundingClientRect().width")
    assert main_width > 1800  # the page uses the screen
    box = tab.evaluate("""() => { const b = document.querySelector('#portal-table').closest('.table-scroll');
        const r = b.getBoundingClientRect();
        return {bottom: r.bottom, right: r.right, scrollWidth: b.scrollWidth, clientWidth: b.clientWidth}; }""")
    # The container (and so its horizontal scrollbar) ends inside the window.
    assert box["bottom"] <= WIDE["height"] and box["right"] <= WIDE["width"], box
    cells = tab.evaluate(HEADER_CELLS)
    texts = []
    for i in cells:
        got = tab.evaluate(REACH, i)
        texts.append(got["text"])
        assert got["shown"], got
        assert 0 <= got["left"] and got["right"] <= got["vw"] + 0.5 and 0 <= got["top"] and got["bottom"] <= got["vh"], got
    joined = "|".join(texts)
    assert all(w in joined for w in ("效益", "满意度", "存在的问题", "整改情况", "建议等级")), texts
    # Scrolled down inside the container, the header stays on top.
    tab.evaluate("() => { const b = document.querySelector('#portal-table').closest('.table-scroll'); b.scrollTop = 600; b.scrollLeft = 0; }")
    top = tab.evaluate("() => document.querySelector('#portal-table thead th').getBoundingClientRect().top")
    box_top = tab.evaluate("() => document.querySelector('#portal-table').closest('.table-scroll').getBoundingClientRect().top")
    assert abs(top - box_top) <= 2
    tab.evaluate("() => { const b = document.querySelector('#portal-table').closest('.table-scroll'); b.scrollTop = 0; }")
    snap(tab, "layout-1920-portal-publication")
    tab.context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, WIDE], ids=["1366", "1920"])
def test_main_pages_at_desktop_widths_do_not_overflow(browser, layout_site, viewport):
    offenders, by_role = overflowing(browser, layout_site, viewport)
    assert not offenders, offenders
    for tab in by_role.values():
        tab.context.close()
