"""Shared fixtures for the browser tests: Playwright for Python driving Debian's Chromium.

No browser download is possible here, so the tests launch the system's ``chromium``; the
flags keep it from reaching for the network (this machine has none) and from needing a
sandbox when run as root. Screenshots go to ``$JIXIAO_SCREENSHOT_DIR`` when set (that is how
docs/screenshots is made; reduced to 256 colours with Pillow there, to stay small), otherwise to
the test's temporary folder.

conftest.py makes the fixtures (``browser``, ``shots``, and ``site``: the golden table with every
role's account) available to every web test module; ``login`` is imported where needed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh --dev installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (setting up data) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path):
    target = Path(os.environ.get("JIXIAO_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)

    def take(page, name, element=None, clip=None):
        """The whole page; or one element (a locator); or ``clip``, a box on the whole page."""
        path = target / f"{name}.png"
        if element is not None:
            element.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=True, clip=clip)
        if os.environ.get("JIXIAO_SCREENSHOT_DIR"):  # docs/'s: 256 colours, as the layout shots, to stay small
            from PIL import Image

            Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)
    return take


PASSWORDS = {"editor": "pw-editor-a-123", "approver": "pw-approver-a-123", "reviewer": "pw-reviewer-123",
             "admin": "pw-admin-123"}
USERNAMES = {"editor": "editor_a", "approver": "approver_a", "reviewer": "reviewer", "admin": "admin"}


@pytest.fixture
def site(transactional_db, live_server, golden_path):
    from jixiao.formats import table_json
    from jixiao.web.entry import convert

    from .conftest import World

    world = World("draft")
    seed = table_json.load(golden_path)
    # Real names, so the screenshots in docs/ look like the product in use.
    world.dept_a.name, world.dept_a.short_name = seed.department, "区工商联"
    world.dept_a.save()
    world.dept_b.name, world.dept_b.short_name = "深圳市龙岗区示范街道办事处", "示范街道办"
    world.dept_b.save()
    convert.save_table(seed, user=world.users["editor"], existing=world.tables["own"])
    world.tables["own"].refresh_from_db()
    return world, live_server.url


def login(browser, base, role):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", USERNAMES[role])
    page.fill("#id_password", PASSWORDS[role])
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def span(page, top, bottom, across=None) -> dict:
    """A box on the whole page (for ``shots(..., clip=)``) from locator ``top``'s upper edge to
    ``bottom``'s lower edge, as wide as ``across`` (else ``top``), with a margin of 8 px."""
    sx, sy = page.evaluate("[window.scrollX, window.scrollY]")
    a, b, w = top.bounding_box(), bottom.bounding_box(), (across or top).bounding_box()
    x, y = w["x"] + sx - 8, a["y"] + sy - 8
    return {"x": max(x, 0), "y": max(y, 0), "width": w["width"] + 16, "height": b["y"] + b["height"] - a["y"] + 16}
