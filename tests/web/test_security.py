"""Security basics: CSRF, login throttling, session expiry, headers, secrets, upload limits."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from .conftest import World


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_every_form_post_needs_the_csrf_token():
    world = World("submitted")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["reviewer"])
    r = client.post(reverse("review:approve", args=[world.tables["own"].pk]))
    assert r.status_code == 403
    world.tables["own"].refresh_from_db()
    assert world.tables["own"].status == "submitted"
    login = Client(enforce_csrf_checks=True)
    assert login.post(reverse("accounts:login"), {"username": "admin", "password": "pw-admin-123"}).status_code == 403
    # With the token from the page, the same post works.
    page = client.get(reverse("entry:table", args=[world.tables["own"].pk]))
    token = page.context["csrf_token"]
    r = client.post(reverse("review:approve", args=[world.tables["own"].pk]), {"csrfmiddlewaretoken": str(token)})
    assert r.status_code == 302


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures():
    World("draft")
    client = Client()
    url = reverse("accounts:login")
    for _ in range(settings.JIXIAO_LOGIN_MAX_FAILURES):
        r = client.post(url, {"username": "admin", "password": "wrong-password"})
        assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()
    r = client.post(url, {"username": "admin", "password": "pw-admin-123"})
    assert "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()  # the window passes
    r = client.post(url, {"username": "admin", "password": "pw-admin-123"})
    assert r.status_code == 302 and client.session["_auth_user_id"]


@pytest.mark.django_db
def test_login_works_and_pages_need_it():
    World("draft")
    client = Client()
    r = client.get(reverse("entry:home"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]
    r = client.post(reverse("accounts:login"), {"username": "editor_a", "password": "pw-editor-a-123"})
    assert r.status_code == 302
    assert client.get(reverse("entry:home")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("entry:home")).status_code == 302


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE == 7200
    # Inactivity expiry is renewed by session_refresh.py (at most once a minute), not by a save
    # on every request; tests/web/test_session_refresh.py checks the renewal itself.
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and not settings.SESSION_SAVE_EVERY_REQUEST
    assert "jixiao.web.session_refresh.SessionRefreshMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_security_headers(client):
    r = client.get(reverse("accounts:login"))
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


def test_templates_have_no_inline_script_or_style():
    """The CSP forbids inline code, so templates must not carry any."""
    from pathlib import Path

    import jixiao.web

    root = Path(jixiao.web.__file__).parent
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and "style=" not in text and "<style" not in text, path
        assert "onclick" not in text and "onchange" not in text, path


def test_settings_refuse_to_start_without_a_secret_key(tmp_path):
    code = "import jixiao.web.settings"
    env = {"PATH": "/usr/bin:/bin", "JIXIAO_DATA_DIR": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "JIXIAO_SECRET_KEY" in r.stderr


def test_https_settings_switch_on_secure_cookies(monkeypatch):
    import jixiao.web.settings as web_settings

    monkeypatch.setenv("JIXIAO_HTTPS", "1")
    try:
        reloaded = importlib.reload(web_settings)
        assert reloaded.SESSION_COOKIE_SECURE and reloaded.CSRF_COOKIE_SECURE and reloaded.SECURE_HSTS_SECONDS > 0
    finally:
        monkeypatch.delenv("JIXIAO_HTTPS")
        importlib.reload(web_settings)


@pytest.mark.django_db
def test_oversized_upload_is_refused_before_reading(client, settings):
    world = World("draft")
    client.force_login(world.users["editor"])
    settings.JIXIAO_UPLOAD_MAX_BYTES = 100 * 1024
    big = io.BytesIO(b"{" + b" " * (300 * 1024) + b"}")
    big.name = "big.json"
    r = client.post(reverse("entry:import"), {"file": big, "department": world.dept_a.pk})
    assert r.status_code == 413 and "文件过大" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name,content,message", [
    ("table.exe", b"MZ\x90\x00", "只接受"),
    ("table.json", b"%PDF-1.7 not json", "不符"),
    ("table.pdf", b"PK\x03\x04 zip", "不符"),
    ("table.xlsx", b"{\"year\": 2019}", "不符"),
    ("table.json", b"{\"year\": \"x\"}", "缺少必填字段"),
    ("table.json", b"{not json", ""),
    ("table.xlsx", b"PK\x03\x04 broken zip", ""),
])
def test_wrong_or_broken_uploads_are_field_errors(client, name, content, message):
    world = World("draft")
    client.force_login(world.users["editor"])
    f = io.BytesIO(content)
    f.name = name
    r = client.post(reverse("entry:import"), {"file": f, "department": world.dept_a.pk})
    assert r.status_code == 200
    errors = " ".join(r.context["form"].errors.get("file", []))
    assert errors and message in errors


@pytest.mark.django_db
def test_department_cannot_import_into_another_department(client, golden_path):
    world = World("draft")
    client.force_login(world.users["editor"])
    with golden_path.open("rb") as f:
        r = client.post(reverse("entry:import"), {"file": f, "department": world.dept_b.pk})
    assert r.status_code == 200 and "department" in r.context["form"].errors
