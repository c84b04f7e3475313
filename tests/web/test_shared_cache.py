"""JIXIAO_CACHE_URL: Django's cache on Redis is one cache for every server process.

Each check starts its own Python processes, each configuring Django from the environment as
``jixiao serve`` does, so nothing is shared between them but what the setting names. Skipped
only when nothing answers on 127.0.0.1:6379.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A database number of its own, so the check never meets another program's keys.
REDIS_URL = os.environ.get("JIXIAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")

PROGRAM = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
action, key = sys.argv[1], sys.argv[2]
if action == "set":
    cache.set(key, {"written by": "first"}, timeout=60)
    seen = cache.get(key)
elif action == "get":
    seen = cache.get(key)
else:
    seen = cache.delete(key)
print(json.dumps({"backend": settings.CACHES["default"]["BACKEND"], "seen": seen}))
"""


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _run(action: str, key: str, cache_url: str | None, tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_CACHE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="jixiao.web.settings", JIXIAO_DATA_DIR=str(tmp_path),
               JIXIAO_SECRET_KEY="test-secret-key-not-for-production-" + "x" * 20,
               PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""))
    if cache_url is not None:
        env["JIXIAO_CACHE_URL"] = cache_url
    r = subprocess.run([sys.executable, "-c", PROGRAM, action, key], env=env, capture_output=True,
                       text=True, timeout=60, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_a_value_cached_by_one_process_is_seen_by_another_over_redis(tmp_path):
    key = f"jixiao-test-shared-{uuid.uuid4().hex}"
    try:
        first = _run("set", key, REDIS_URL, tmp_path)
        assert first == {"backend": "django.core.cache.backends.redis.RedisCache", "seen": {"written by": "first"}}
        second = _run("get", key, REDIS_URL, tmp_path)
        assert second["seen"] == {"written by": "first"}
    finally:
        _run("delete", key, REDIS_URL, tmp_path)
    assert _run("get", key, REDIS_URL, tmp_path)["seen"] is None


@pytest.mark.slow
def test_without_a_cache_url_each_process_has_its_own_memory_cache(tmp_path):
    key = f"jixiao-test-local-{uuid.uuid4().hex}"
    assert _run("set", key, None, tmp_path) == {"backend": "django.core.cache.backends.locmem.LocMemCache",
                                                 "seen": {"written by": "first"}}
    assert _run("get", key, None, tmp_path)["seen"] is None


def test_a_cache_url_that_is_not_redis_is_refused(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jixiao.web.settings", "JIXIAO_DATA_DIR": str(tmp_path),
           "JIXIAO_CACHE_URL": "memcached://127.0.0.1:11211",
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    r = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                       text=True, timeout=60, cwd=ROOT)
    assert r.returncode != 0 and "JIXIAO_CACHE_URL must be a redis:// URL" in r.stderr
