"""Security basics: CSRF, login throttling, session expiry, headers, secrets, upload limits."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import World


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


def _login(client, username, password, address="10.0.0.1", **headers):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, **headers)


def _locked(response) -> bool:
    return response.status_code == 429 and "登录失败次数过多" in response.content.decode()


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures():
    from axes.utils import reset

    World("draft")
    client = Client()
    for _ in range(settings.JIXIAO_LOGIN_MAX_FAILURES - 1):
        r = _login(client, "admin", "wrong-password")
        assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()
    assert _locked(_login(client, "admin", "wrong-password"))  # the last allowed failure
    assert _locked(_login(client, "admin", "pw-admin-123"))  # even with the right password
    assert "_auth_user_id" not in client.session
    reset()  # the window passes (axes' failure records are gone)
    r = _login(client, "admin", "pw-admin-123")
    assert r.status_code == 302 and client.session["_auth_user_id"]


@pytest.mark.django_db
def test_failures_against_an_account_from_one_address_do_not_lock_it_out_from_another():
    World("draft")
    for _ in range(settings.JIXIAO_LOGIN_MAX_FAILURES + 3):
        _login(Client(), "admin", "wrong-password", address="198.51.100.7")
    assert _locked(_login(Client(), "admin", "pw-admin-123", address="198.51.100.7"))
    # Another letter case is the same account, not five more attempts.
    assert _locked(_login(Client(), " ADMIN ", "pw-admin-123", address="198.51.100.7"))
    assert _login(Client(), "admin", "pw-admin-123", address="203.0.113.20").status_code == 302


@pytest.mark.django_db
def test_invented_user_names_from_one_address_lock_out_no_known_account():
    World("draft")
    for n in range(4 * settings.JIXIAO_LOGIN_MAX_FAILURES):
        _login(Client(), f"nobody-{n % 4}", "guess", address="198.51.100.7")
    for name, password in (("admin", "pw-admin-123"), ("reviewer", "pw-reviewer-123")):
        assert _login(Client(), name, password, address="198.51.100.7").status_code == 302, name


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_is_counted_by_the_address_the_proxy_saw(settings):
    settings.JIXIAO_TRUSTED_PROXIES = 1
    World("draft")
    proxy = "10.0.0.9"  # every request reaches the application from the proxy

    def via_proxy(client, username, password, header):
        return _login(client, username, password, address=proxy, HTTP_X_FORWARDED_FOR=header)

    for n in range(settings.JIXIAO_LOGIN_MAX_FAILURES):
        # The client writes its own X-Forwarded-For entries; the proxy appends the real address.
        via_proxy(Client(), "admin", "wrong", f"192.0.2.{n}, 198.51.100.7")
    assert _locked(via_proxy(Client(), "admin", "pw-admin-123", "198.51.100.7"))
    # Another client behind the same proxy is not locked out (the limit is not per proxy).
    assert via_proxy(Client(), "admin", "pw-admin-123", "203.0.113.20").status_code == 302


def test_the_client_address_is_the_entry_the_outermost_trusted_proxy_wrote(settings):
    from django.test import RequestFactory

    from jixiao.web.accounts.throttle import client_address

    def address(remote, header=None, name="HTTP_X_FORWARDED_FOR"):
        extra = {name: header} if header is not None else {}
        return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))

    settings.JIXIAO_TRUSTED_PROXIES = 0
    assert address("10.0.0.9", "198.51.100.7") == "10.0.0.9"  # no proxy trusted: the header is ignored
    settings.JIXIAO_TRUSTED_PROXIES = 1
    assert address("10.0.0.9", "198.51.100.7") == "198.51.100.7"
    assert address("10.0.0.9", "6.6.6.6, 198.51.100.7") == "198.51.100.7"
    assert address("10.0.0.9") == "10.0.0.9"  # not through the proxy
    assert address("10.0.0.9", "not-an-address") == "10.0.0.9"
    settings.JIXIAO_TRUSTED_PROXIES = 2
    assert address("10.0.0.9", "6.6.6.6, 198.51.100.7, 10.0.0.8") == "198.51.100.7"
    assert address("10.0.0.9", "198.51.100.7") == "10.0.0.9"
    settings.JIXIAO_TRUSTED_PROXIES, settings.JIXIAO_CLIENT_IP_HEADER = 1, "X-Real-IP"
    assert address("10.0.0.9", "198.51.100.7", name="HTTP_X_REAL_IP") == "198.51.100.7"


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
    assert r.status_code == 422  # the upload page again, with the reason on the file field
    errors = " ".join(r.context["form"].errors.get("file", []))
    assert errors and message in errors


@pytest.mark.django_db
def test_department_cannot_import_into_another_department(client, golden_path):
    world = World("draft")
    client.force_login(world.users["editor"])
    with golden_path.open("rb") as f:
        r = client.post(reverse("entry:import"), {"file": f, "department": world.dept_b.pk})
    assert r.status_code == 200 and "department" in r.context["form"].errors
