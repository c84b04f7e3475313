"""Shared fixtures for the browser tests: Playwright for Python driving Debian's Chromium.

No browser download is possible here, so the tests launch the system's ``chromium``; the
flags keep it from reaching for the network (this machine has none) and from needing a
sandbox when run as root. Screenshots go to ``$JIXIAO_SCREENSHOT_DIR`` when set (that is how
docs/screenshots is made), otherwise to the test's temporary folder.

Import the fixtures into a test module: ``from .browser import browser, shots  # noqa: F401``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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

    def take(page, name):
        page.screenshot(path=str(target / f"{name}.png"), full_page=True)
    return take
