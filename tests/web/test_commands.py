"""``jixiao demo``, ``jixiao serve`` and ``jixiao worker`` as a user runs them (child processes)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "JIXIAO_SECRET_KEY", "JIXIAO_DATA_DIR",
                        "JIXIAO_ALLOWED_HOSTS")}
    env.update(extra)
    return env


def _jixiao(*args, env=None, timeout=180):
    return subprocess.run([sys.executable, "-m", "jixiao", *args], cwd=ROOT, env=env or _env(),
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_demo_sets_up_once_and_reuses_its_data(tmp_path):
    data = tmp_path / "data"
    first = _jixiao("demo", "--no-serve", "--data", str(data))
    assert first.returncode == 0, first.stderr
    for name in ("gsl_editor", "gsl_approver", "jd_editor", "jd_approver", "czj_reviewer", "admin"):
        assert name in first.stdout
    passwords = json.loads((data / "demo-users.json").read_text(encoding="utf-8"))
    assert passwords["czj_reviewer"] in first.stdout
    assert oct((data / "demo-users.json").stat().st_mode & 0o777) == "0o600"
    assert oct((data / "secret_key").stat().st_mode & 0o777) == "0o600"
    second = _jixiao("demo", "--no-serve", "--data", str(data))
    assert second.returncode == 0, second.stderr
    assert passwords["czj_reviewer"] in second.stdout  # same users, same passwords
    db = sqlite3.connect(data / "jixiao.sqlite3")
    rows = dict(db.execute("select d.name, t.status from entry_disclosuretable t "
                           "join entry_department d on d.id = t.department_id").fetchall())
    assert rows == {"深圳市龙岗区工商业联合会": "published", "深圳市龙岗区示范街道办事处": "submitted"}
    assert db.execute("select count(*) from entry_publication").fetchone()[0] == 1
    assert db.execute("select count(*) from entry_project p join entry_disclosuretable t on t.id = p.table_id "
                      "join entry_department d on d.id = t.department_id "
                      "where d.name = '深圳市龙岗区工商业联合会'").fetchone()[0] == 6
    assert db.execute("select count(*) from auth_user").fetchone()[0] == 6


def test_serve_needs_a_secret_key(tmp_path):
    r = _jixiao("serve", "--data", str(tmp_path))
    assert r.returncode == 2
    assert "JIXIAO_SECRET_KEY" in r.stderr and "未设置" in r.stderr and "Traceback" not in r.stderr


def test_worker_needs_a_broker(tmp_path):
    r = _jixiao("worker", "--data", str(tmp_path), env=_env(JIXIAO_SECRET_KEY="worker-test-" + "k" * 40))
    assert r.returncode == 2
    assert "JIXIAO_BROKER_URL" in r.stderr and "未设置" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_serve_refuses_a_short_or_low_entropy_secret_key(tmp_path):
    for key in ("abc", "a" * 60, "abcd" * 20, "django-insecure-" + "q1w2e3r4t5y6u7i8o9p0" * 3):
        r = _jixiao("serve", "--data", str(tmp_path), env=_env(JIXIAO_SECRET_KEY=key), timeout=60)
        assert r.returncode == 2, key
        assert "JIXIAO_SECRET_KEY 太弱" in r.stderr and "too weak" in r.stderr and "Traceback" not in r.stderr
        assert "secrets.token_urlsafe" in r.stderr  # how to make a good one
    assert not (tmp_path / "jixiao.sqlite3").exists()  # refused before anything else


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_runs_waitress_with_headers_and_static_files(tmp_path):
    port = _free_port()
    env = _env(JIXIAO_SECRET_KEY="serve-test-" + "k" * 40)
    proc = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--migrate", "--port", str(port),
                             "--data", str(tmp_path)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                response = urllib.request.urlopen(base + "/accounts/login/", timeout=5)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert response.status == 200
        assert response.headers["Server"] == "jixiao"  # waitress, not Django's runserver
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        body = response.read().decode()
        assert "csrfmiddlewaretoken" in body and "用户登录" in body
        css = urllib.request.urlopen(base + "/static/jixiao/app.css", timeout=5)
        assert css.status == 200 and "text/css" in css.headers["Content-Type"]
        assert (tmp_path / "jixiao.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.slow
def test_serve_with_workers_answers_from_several_processes_and_stops_cleanly(tmp_path):
    import signal

    assert _jixiao("demo", "--no-serve", "--data", str(tmp_path)).returncode == 0  # database ready
    port = _free_port()
    env = _env(JIXIAO_SECRET_KEY="serve-test-" + "k" * 40)
    proc = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--workers", "2", "--threads", "2",
                             "--port", str(port), "--data", str(tmp_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/", timeout=5)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        # Two listening sockets on the one port, each in its own process.
        out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
        pids = {part.split("pid=")[1].split(",")[0] for part in out.split() if "pid=" in part}
        assert len(pids) == 2, out
        for _ in range(20):
            assert urllib.request.urlopen(base + "/api/", timeout=5).status == 200
        # A second server on the same port is refused with a clear message, not a traceback.
        clash = _jixiao("serve", "--workers", "2", "--port", str(port), "--data", str(tmp_path), env=env, timeout=60)
        assert clash.returncode == 2 and "Traceback" not in clash.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
