"""The production layout of docs/deploy.md, end to end: two ``jixiao serve`` processes (two
ports, as on two hosts) and one ``jixiao worker`` on one PostgreSQL database, one Redis (the
cache and the job broker) and one shared data folder, the migrations applied once (``jixiao
serve --migrate`` on the first; the second and the worker started after it). A user signed in
through one server is signed in on the other; a project saved through one is read through the
other at once; a public page is the same answer, with the same ETag, from either; a file
uploaded through one is imported by the worker and its preview read through the other; and
deploy/nginx.conf in front of both keeps the public pages, per language, and never a signed-in
one (skipped only when nginx is not installed).

Needs the PostgreSQL server of JIXIAO_TEST_DATABASE_URL (this test creates and drops its own
database there) and Redis on 127.0.0.1:6379 (two database numbers claimed for the run — tests/web/redis_claim.py — for the cache and the
broker, both emptied first; JIXIAO_TEST_REDIS_URL names a server and database number instead); skipped only
when either does not answer.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from ..nginx_proxy import HOST, NGINX, Proxy
from . import redis_claim
from .html_form import form_fields

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "selfeval-2019-longgang-gsl.golden.json"
pytestmark = pytest.mark.slow  # two servers, a worker and a PostgreSQL database: ~30 s on 2 cores
REDIS_URL = os.environ.get("JIXIAO_TEST_REDIS_URL")  # unset: database numbers claimed per run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _redis_urls():
    """The cache's URL and the broker's, both emptied: JIXIAO_TEST_REDIS_URL and the next
    database number when set, else two database numbers claimed for this run (redis_claim.py);
    skips when Redis does not answer."""
    import redis

    if REDIS_URL is None:
        with ExitStack() as stack:
            try:
                cache_url, broker_url = stack.enter_context(redis_claim.claimed(2))
            except redis.RedisError as exc:
                pytest.skip(f"Redis does not answer at 127.0.0.1:6379: {exc}")
            yield cache_url, broker_url
        return
    parts = urlsplit(REDIS_URL)
    number = int(parts.path.strip("/") or 0)
    broker = urlunsplit(parts._replace(path=f"/{number + 1}"))
    try:
        for url in (REDIS_URL, broker):
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
            client.flushdb()
            client.close()
    except redis.RedisError as exc:
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {exc}")
    yield REDIS_URL, broker


@pytest.fixture(scope="module")
def database_url():
    """A fresh database on the server of JIXIAO_TEST_DATABASE_URL; its URL; dropped afterwards."""
    import psycopg

    base = os.environ.get("JIXIAO_TEST_DATABASE_URL")
    if not base:
        pytest.skip("JIXIAO_TEST_DATABASE_URL not set (a PostgreSQL server)")
    parts = urlsplit(base)
    name = f"{(parts.path.strip('/') or 'jixiao')}_deployment_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL does not answer at {admin_url}: {exc}")
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Process:
    """A ``jixiao`` command in a child process, its log in a file."""

    def __init__(self, env: dict, args: list[str], log: Path):
        self.log = log
        self.proc = subprocess.Popen([sys.executable, "-m", "jixiao", *args], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=log.open("wb"))

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> str:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.text()


class Server(Process):
    def __init__(self, env: dict, log: Path, migrate: bool = False):
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        super().__init__(env, ["serve", "--port", str(port), "--threads", "4"] + (["--migrate"] if migrate else []),
                         log)
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(self.base + "/accounts/login/", timeout=5)
                return
            except requests.ConnectionError:
                assert self.proc.poll() is None, self.text()[-3000:]
                assert time.monotonic() < deadline, "server did not start: " + self.text()[-3000:]
                time.sleep(0.3)


@pytest.fixture(scope="module")
def redis_urls():
    with _redis_urls() as urls:
        yield urls


@pytest.fixture(scope="module")
def deployment(database_url, tmp_path_factory, redis_urls):
    cache_url, broker_url = redis_urls
    shared = {k: v for k, v in os.environ.items()
              if not k.startswith("JIXIAO_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    # What every process of the deployment shares (docs/deploy.md, "Settings").
    shared.update(JIXIAO_SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=database_url,
                  JIXIAO_CACHE_URL=cache_url, JIXIAO_BROKER_URL=broker_url,
                  JIXIAO_ALLOWED_HOSTS=f"127.0.0.1,localhost,{HOST}",
                  PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]))

    # The data folder is one shared volume (uploads and exports are files there, web.md
    # "Background jobs"); each process logs to a file of its own.
    data, logs = tmp_path_factory.mktemp("shared-data"), tmp_path_factory.mktemp("logs")
    shared["JIXIAO_DATA_DIR"] = str(data)
    processes = []
    try:
        a = Server(shared, logs / "serve-a.log", migrate=True)  # the migrations, once
        processes.append(a)
        world = subprocess.run([sys.executable, "-m", "tests.web.deployment_world", str(data)], cwd=ROOT,
                               env={**shared, "DJANGO_SETTINGS_MODULE": "jixiao.web.settings"},
                               capture_output=True, text=True, timeout=300)
        assert world.returncode == 0, world.stderr[-3000:]
        b = Server(shared, logs / "serve-b.log")
        processes.append(b)
        worker = Process(shared, ["worker", "--concurrency", "1"], logs / "worker.log")
        processes.append(worker)
        yield {"a": a, "b": b, "worker": worker, "world": json.loads(world.stdout.strip().splitlines()[-1])}
    finally:
        texts = [p.stop() for p in processes]
    for text in texts:  # Django logs every 5xx as "Internal Server Error: <path>"
        assert "Internal Server Error" not in text and "Traceback" not in text, text[-3000:]


def _login(server: Server, username: str, password: str) -> requests.Session:
    s = requests.Session()
    page = s.get(server.base + "/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = s.post(server.base + "/accounts/login/", data={"username": username, "password": password,
                                                       "csrfmiddlewaretoken": token},
               allow_redirects=False, timeout=30)
    assert r.status_code == 302, (username, r.status_code)
    return s


def _saved_fields(html: str) -> dict:
    fields = form_fields(html, "project-form")
    fields.pop("csrfmiddlewaretoken")  # a new mask on every page
    # The values the form was rendered from, signed with the time of signing: the same
    # values, but the stamp and signature change from one second to the next.
    fields["base"] = fields["base"].rsplit(":", 2)[0]
    return fields


def test_the_second_server_needs_no_migration_of_its_own(deployment):
    """Started without --migrate after the first applied them: it serves the pages."""
    assert requests.get(deployment["b"].base + "/portal/", timeout=60).status_code == 200


def test_a_session_from_one_server_is_signed_in_on_the_other(deployment):
    world, a, b = deployment["world"], deployment["a"], deployment["b"]
    s = _login(a, world["editor"], world["password"])
    r = s.get(f"{b.base}/tables/{world['draft_table']}/", allow_redirects=False, timeout=60)
    assert r.status_code == 200
    assert world["editor"] in r.text


def test_a_project_saved_through_one_server_is_read_through_the_other_at_once(deployment):
    world, a, b = deployment["world"], deployment["a"], deployment["b"]
    s = _login(a, world["editor"], world["password"])
    url = f"/projects/{world['project']}/"
    page = s.get(a.base + url, timeout=60)
    assert page.status_code == 200
    post = form_fields(page.text, "project-form")
    post["name"] = "经由甲服务器保存的名称"
    # As the browser posts the form: multipart, with its CSRF token and version fields.
    r = s.post(a.base + url, files={k: (None, v) for k, v in post.items()}, allow_redirects=False,
               headers={"Referer": a.base + url}, timeout=60)
    assert r.status_code == 302, r.text[:2000]
    assert s.get(a.base + r.headers["Location"], timeout=60).status_code == 200

    through_b = s.get(b.base + url, timeout=60)
    through_a = s.get(a.base + url, timeout=60)
    assert through_b.status_code == through_a.status_code == 200
    assert _saved_fields(through_b.text)["name"] == "经由甲服务器保存的名称"
    assert _saved_fields(through_b.text) == _saved_fields(through_a.text)
    assert int(_saved_fields(through_b.text)["version"]) == int(post["version"]) + 1
    table = s.get(f"{b.base}/tables/{world['draft_table']}/", timeout=60)
    assert "经由甲服务器保存的名称" in table.text


def test_a_public_page_is_the_same_answer_from_either_server(deployment):
    world, a, b = deployment["world"], deployment["a"], deployment["b"]
    portal = (f"/portal/publications/{world['publication']}/", "/portal/", "/portal/?year=2019",
              f"/portal/publications/{world['publication']}/download/csv/")
    for path in (*portal, "/api/tables/"):
        for cookies in ({}, {"django_language": "en"}):
            # Through the proxy both are asked for the one host name (absolute URLs name it).
            from_a = requests.get(a.base + path, cookies=cookies, headers={"Host": HOST}, timeout=60)
            from_b = requests.get(b.base + path, cookies=cookies, headers={"Host": HOST}, timeout=60)
            assert from_a.status_code == from_b.status_code == 200, path
            assert from_a.content == from_b.content, path
            assert "Set-Cookie" not in from_a.headers and "Set-Cookie" not in from_b.headers, path
            assert from_a.headers.get("ETag") == from_b.headers.get("ETag"), path
            assert from_a.headers.get("Cache-Control") == from_b.headers.get("Cache-Control"), path
            if path in portal:
                assert from_a.headers["Cache-Control"].startswith("public"), path
                # Revalidating with one server's ETag on the other: nothing to send again.
                again = requests.get(b.base + path, cookies=cookies, timeout=60,
                                     headers={"Host": HOST, "If-None-Match": from_a.headers["ETag"]})
                assert again.status_code == 304, path


def test_a_file_uploaded_through_one_server_is_imported_by_the_worker_and_read_through_the_other(deployment):
    world, a, b = deployment["world"], deployment["a"], deployment["b"]
    s = _login(a, world["editor"], world["password"])
    page = s.get(a.base + "/import/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = s.post(a.base + "/import/", data={"csrfmiddlewaretoken": token, "department": world["department"], "year": ""},
               files={"file": ("区工商联.json", GOLDEN.read_bytes(), "application/json")},
               headers={"Referer": a.base + "/import/"}, allow_redirects=False, timeout=60)
    # With a broker the server only queues the job and answers with the job's page.
    assert r.status_code == 302 and re.fullmatch(r"/jobs/\d+/", r.headers["Location"]), (r.status_code, r.text[:500])
    job_url = r.headers["Location"]

    deadline = time.monotonic() + 120
    while True:  # the job's page, followed through the other server
        job_page = s.get(b.base + job_url, timeout=60)
        assert job_page.status_code == 200
        state = re.search(r'id="job" data-state="([a-z]+)"', job_page.text).group(1)
        if state in ("succeeded", "failed"):
            break
        assert time.monotonic() < deadline, f"job still {state}: " + deployment["worker"].text()[-3000:]
        time.sleep(0.5)
    assert state == "succeeded", job_page.text[-2000:]
    result = re.search(r'id="job-result" href="([^"]+)"', job_page.text).group(1)
    preview = s.get(b.base + result, timeout=60)
    assert preview.status_code == 200
    first = json.loads(GOLDEN.read_text("utf-8"))["projects"][0]["name"]
    assert first in preview.text


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/setup.sh --dev)")
def test_nginx_in_front_of_both_keeps_public_pages_per_language_and_never_a_signed_in_one(deployment, tmp_path):
    world, a, b = deployment["world"], deployment["a"], deployment["b"]
    proxy = Proxy(tmp_path, (urlsplit(a.base).port, urlsplit(b.base).port))
    try:
        path = f"/portal/publications/{world['publication']}/"
        status, chinese, headers = proxy.get(path)
        assert status == 200 and headers["X-Cache-Status"] == "MISS"
        status, again, headers = proxy.get(path)
        assert headers["X-Cache-Status"] == "HIT" and again == chinese
        status, english, headers = proxy.get(path, "django_language=en")
        assert status == 200 and headers["X-Cache-Status"] == "MISS" and english != chinese
        status, again, headers = proxy.get(path, "django_language=en")
        assert headers["X-Cache-Status"] == "HIT" and again == english

        s = _login(a, world["editor"], world["password"])
        cookie = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
        status, signed_in, headers = proxy.get(path, cookie)
        assert status == 200 and headers["X-Cache-Status"] == "BYPASS"
        assert world["editor"].encode() in signed_in and world["editor"].encode() not in chinese
        status, after, headers = proxy.get(path)  # the signed-in page was not kept
        assert headers["X-Cache-Status"] == "HIT" and after == chinese

        status, table, headers = proxy.get(f"/tables/{world['draft_table']}/", cookie)
        assert status == 200 and headers["X-Cache-Status"] == "BYPASS"
        for _ in range(2):  # private pages are never kept, signed in or not
            status, _body, headers = proxy.get("/accounts/login/")
            assert status == 200 and headers["X-Cache-Status"] == "MISS"
    finally:
        proxy.stop()
