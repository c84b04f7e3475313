"""Sessions are renewed (saved with a new expiry) at most once per
JIXIAO_SESSION_REFRESH_SECONDS instead of on every request (jixiao.web.session_refresh)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.web.session_refresh import RENEWED_KEY


def _session_writes(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and
            not q["sql"].lstrip().upper().startswith("SELECT")]


@pytest.mark.django_db
def test_a_session_is_written_only_when_its_renewal_is_due(world):
    client = Client()
    assert client.login(username="editor_a", password="pw-editor-a-123")
    url = reverse("entry:table", args=[world.tables["own"].pk])
    assert _session_writes(client, url) == []  # the login counts as a renewal
    assert _session_writes(client, url) == []
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    before = Session.objects.get(session_key=key).expire_date
    session = client.session
    session[RENEWED_KEY] -= settings.JIXIAO_SESSION_REFRESH_SECONDS
    session.save()
    writes = _session_writes(client, url)
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE")
    assert Session.objects.get(session_key=key).expire_date >= before
    assert _session_writes(client, url) == []


@pytest.mark.django_db
def test_the_renewal_moves_the_expiry(world):
    from datetime import timedelta

    client = Client()
    assert client.login(username="editor_a", password="pw-editor-a-123")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = client.session
    session[RENEWED_KEY] -= 3600
    session.save()
    old = Session.objects.get(session_key=key)
    Session.objects.filter(session_key=key).update(expire_date=old.expire_date - timedelta(hours=1))
    client.get(reverse("entry:home"))
    assert Session.objects.get(session_key=key).expire_date > old.expire_date - timedelta(minutes=1)


@pytest.mark.django_db
def test_anonymous_visitors_get_no_session(world):
    client = Client()
    client.get(reverse("portal:index"))
    client.get(reverse("accounts:login"))
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_a_stale_session_cookie_creates_nothing(world):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert client.get(reverse("portal:index")).status_code == 200
    assert Session.objects.count() == 0


def test_the_refresh_interval_must_be_shorter_than_the_session():
    import subprocess
    import sys

    env = {"JIXIAO_SECRET_KEY": "k" * 50, "JIXIAO_SESSION_SECONDS": "60", "JIXIAO_SESSION_REFRESH_SECONDS": "60",
           "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", "import jixiao.web.settings"], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "JIXIAO_SESSION_REFRESH_SECONDS must be below JIXIAO_SESSION_SECONDS" in r.stderr
