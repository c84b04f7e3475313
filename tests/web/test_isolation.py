"""Every web test starts from the state of a new server thread, whatever ran before it in its
process and whatever runs beside it: the default language active, an empty cache, and that
cache the process's own memory even when JIXIAO_CACHE_URL is set (tests/web/conftest.py).

Without that a test's outcome depended on the order xdist gave it: a label read outside a
request after an English page came out in English, and two workers sharing a Redis database
emptied each other's entries between two page views.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
KEY = "jixiao-test-isolation"


@pytest.mark.django_db
def test_a_page_in_english_leaves_english_active_in_its_thread():
    """What the next test must not inherit (Django's LocaleMiddleware activates the request's
    language and leaves it so)."""
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert visitor.get("/portal/").status_code == 200
    assert translation.get_language() == "en"
    cache.set(KEY, "left by the test before")


def test_the_next_test_starts_in_the_default_language_with_an_empty_cache():
    from jixiao.web.dashboard.aggregate import STATE_LABELS

    assert translation.get_language() == settings.LANGUAGE_CODE
    assert str(STATE_LABELS["returned"]) == "退回修改中"
    assert cache.get(KEY) is None


def test_the_cache_is_this_process_own_memory():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    cache.set(KEY, os.getpid())
    assert cache.get(KEY) == os.getpid()


@pytest.mark.slow
def test_the_cache_stays_the_process_own_when_jixiao_cache_url_names_redis():
    """A child pytest with JIXIAO_CACHE_URL pointing where nothing answers (port 1) and Django
    set up from the environment before this directory's conftest runs, as in an xdist worker:
    the cache answers from memory, so nothing reached for Redis."""
    env = {**os.environ, "JIXIAO_CACHE_URL": "redis://127.0.0.1:1/0", "DJANGO_SETTINGS_MODULE": "jixiao.web.settings",
           "JIXIAO_SECRET_KEY": "test-secret-key-not-for-production-" + "x" * 20}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "tests/web/test_isolation.py::test_the_cache_is_this_process_own_memory"]
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "1 passed" in r.stdout, r.stdout[-3000:] + r.stderr[-2000:]
