"""Races against a live server (``jixiao serve``: waitress threads, each request on its own
database connection), on SQLite and — with JIXIAO_TEST_DATABASE_URL — on PostgreSQL.

- 20 tables under review, each approved and returned at the same moment by two reviewers;
- tables in draft whose projects are edited and deleted while the approver submits them.

Barriers start the two (or four) requests together; the assertions are invariants that hold
whichever side wins: no 5xx; exactly one decision per table, matching the status, the round
and the one success message; the loser told that the state has changed; no edit or deletion
committed after the submission; every answer true to what the database holds.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
# Each database gets a live server (jixiao serve in a child process, migrated and seeded) and
# dozens of racing requests: about 45 s per database on 2 cores.
pytestmark = pytest.mark.slow
PAIRS = 20
EDIT_TABLES = 8
BATCH = 5  # pairs (or edit tables) raced at once; the server has 8 threads
STATE_CHANGED = "表的状态已改变"  # the 403 page and the edit refusals
STALE = "表的状态已被他人改变"  # a transition that lost in its transaction
DONE = {"approve": "已审核通过。", "return": "已退回部门修改。"}


def _env(database_url: str | None, data: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "JIXIAO_SECRET_KEY", "JIXIAO_DATA_DIR",
                        "JIXIAO_ALLOWED_HOSTS")}
    env.update(JIXIAO_SECRET_KEY=secrets.token_urlsafe(50), JIXIAO_DATA_DIR=str(data),
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")]),
               # The race tables carry findings on purpose; nothing blocks their submission here
               # (the gates have their own tests: test_gates.py).
               JIXIAO_SUBMIT_BLOCKING="")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _child(env, *args) -> dict:
    r = subprocess.run([sys.executable, "-m", "tests.web.race_world", *args], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, database_url: str | None, data: Path):
        self.env = _env(database_url, data)
        self.world = _child(self.env, "build", str(PAIRS), str(EDIT_TABLES))
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--port", str(port), "--threads", "8"],
                                     cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.base + "/accounts/login/", timeout=5)
                break
            except requests.ConnectionError:
                assert self.proc.poll() is None, self.proc.stderr.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        self.cookies = {name: self._login(name) for name in ("reviewer_a", "reviewer_b", "approver", "editor")}

    def _login(self, username):
        s = requests.Session()
        page = s.get(self.base + "/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        r = s.post(self.base + "/accounts/login/", data={"username": username, "password": self.world["password"],
                                                         "csrfmiddlewaretoken": token},
                   allow_redirects=False, timeout=30)
        assert r.status_code == 302, (username, r.status_code)
        return s.cookies

    def session(self, user) -> requests.Session:
        """A browser of ``user`` with its own connection (and its own messages cookie)."""
        s = requests.Session()
        s.cookies.update(self.cookies[user])
        return s

    def post(self, s, path, data=None):
        body = {**(data or {}), "csrfmiddlewaretoken": s.cookies["csrftoken"]}
        return s.post(self.base + path, data=body, allow_redirects=False, timeout=120)

    def after(self, s, response) -> str:
        """The text the user reads after the answer: the page a redirect leads to, or the answer."""
        if response.status_code != 302:
            return response.text
        return s.get(self.base + response.headers["Location"], timeout=120).text

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        log = self.proc.stderr.read()  # Django logs every 5xx as "Internal Server Error: <path>"
        assert "Internal Server Error" not in log and "database is locked" not in log, log[-3000:]


def _postgres_database():
    """A fresh database on the server of JIXIAO_TEST_DATABASE_URL; yields its URL, drops it."""
    import psycopg

    base = os.environ["JIXIAO_TEST_DATABASE_URL"]
    parts = urlsplit(base)
    name = f"{(parts.path.strip('/') or 'jixiao')}_race_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    data = tmp_path_factory.mktemp(f"race-{request.param}")
    if request.param == "postgresql":
        if not os.environ.get("JIXIAO_TEST_DATABASE_URL"):
            pytest.skip("JIXIAO_TEST_DATABASE_URL not set")
        databases = _postgres_database()
        url = next(databases)
    else:
        databases, url = None, None
    live = Server(url, data)
    try:
        yield live
    finally:
        live.stop()
        if databases is not None:
            databases.close()


def _race(jobs):
    """Run the callables at once (a barrier releases them together); their results in order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def run(i, job):
        try:
            barrier.wait(timeout=120)
            results[i] = job()
        except BaseException as exc:  # reported below, with the job's position
            errors.append((i, exc))

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    return results


def _in_batches(items, make_jobs):
    out = []
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        jobs = [job for item in batch for job in make_jobs(item)]
        results = _race(jobs)
        size = len(jobs) // len(batch)
        out += [results[i * size:(i + 1) * size] for i in range(len(batch))]
    return out


def test_approve_and_return_at_once_one_wins_and_the_other_is_told_the_state_changed(server):
    def jobs(pk):
        def approve():
            s = server.session("reviewer_a")
            r = server.post(s, f"/tables/{pk}/approve/")
            return "approve", r.status_code, server.after(s, r)

        def return_():
            s = server.session("reviewer_b")
            r = server.post(s, f"/tables/{pk}/return/", {"text": "请补充整改情况"})
            return "return", r.status_code, server.after(s, r)

        return [approve, return_]

    outcomes = _in_batches(server.world["decide"], jobs)
    held = _child(server.env, "inspect")
    print("approve/return losers' answers:", sorted(
        code for pair in outcomes for _a, code, text in pair if STALE in text or STATE_CHANGED in text))
    for pk, pair in zip(server.world["decide"], outcomes):
        statuses = [code for _action, code, _text in pair]
        assert all(code < 500 for code in statuses), (pk, statuses)
        winners = [action for action, _code, text in pair if DONE[action] in text]
        losers = [action for action, _code, text in pair if STALE in text or STATE_CHANGED in text]
        assert len(winners) == 1 and len(losers) == 1, (pk, pair)
        table = held[str(pk)]
        assert table["status"] == {"approve": "approved", "return": "returned"}[winners[0]], (pk, table)
        (round_,) = table["rounds"]
        assert round_["decision"] == table["status"], (pk, round_)
        assert round_["comments"] == (1 if winners[0] == "return" else 0), (pk, round_)
        # One transition after the submission, never two.
        assert table["statuses"][-2:] == ["submitted", table["status"]] and table["statuses"].count("submitted") == 1


def test_edits_racing_a_submission_are_committed_before_it_or_refused(server):
    def jobs(item):
        def submit():
            # As a user does: the submit page, an explanation for each open warning it lists,
            # then the submission — again when a racing edit changed the warnings meanwhile
            # (the gates answer 400 and nothing changes).
            s = server.session("approver")
            for _ in range(20):
                page = s.get(f"{server.base}/tables/{item['table']}/submit/", timeout=120).text
                explained = {name: "并发测试的说明" for name in re.findall(r'<textarea[^>]*name="([^"]+)"', page)}
                r = server.post(s, f"/tables/{item['table']}/submit/", explained)
                if r.status_code != 400:
                    break
            return "submit", None, r.status_code, server.after(s, r)

        def edit(e):
            def run():
                s = server.session("editor")
                r = server.post(s, f"/projects/{e['project']}/", e["post"])
                return "edit", e["project"], r.status_code, server.after(s, r)
            return run

        def delete():
            s = server.session("editor")
            r = server.post(s, f"/projects/{item['delete']}/delete/")
            return "delete", item["delete"], r.status_code, server.after(s, r)

        return [submit, *(edit(e) for e in item["edits"]), delete]

    outcomes = _in_batches(server.world["edit"], jobs)
    held = _child(server.env, "inspect")
    late = 0
    for item, results in zip(server.world["edit"], outcomes):
        table = held[str(item["table"])]
        assert all(code < 500 for _k, _p, code, _t in results), results
        assert table["status"] == "submitted" and "已提交财政局审核" in results[0][3]
        submitted_at = datetime.fromisoformat(table["rounds"][0]["submitted_at"])
        names = {e["project"]: e["name"] for e in item["edits"]}
        for kind, pk, code, text in results[1:]:
            history = table["projects"][str(pk)]
            late += sum(1 for h in history if datetime.fromisoformat(h["at"]) >= submitted_at)
            if kind == "edit":
                saved = code == 302 and "已保存为草稿" in text
                assert saved or (code in (403, 409) and STATE_CHANGED in text), (pk, code, text[-500:])
                # The answer tells the truth: saved exactly when the database has the new name.
                assert saved == (table["live"][str(pk)] == names[pk]), (pk, code)
            else:
                deleted = code == 302 and "项目已删除" in text
                assert deleted or (code in (302, 403) and STATE_CHANGED in text), (pk, code, text[-500:])
                assert deleted == (str(pk) not in table["live"]), (pk, code)
    print("edit/delete answers:", sorted((k, code) for results in outcomes for k, _p, code, _t in results[1:]))
    assert late == 0, f"{late} edits or deletions committed after the table was submitted"


def test_head_is_answered_by_the_server_without_a_body(server):
    for path in ("/portal/", "/api/", "/accounts/login/"):
        r = requests.head(server.base + path, timeout=30)
        assert r.status_code == 200 and r.content == b"", path
    r = requests.delete(server.base + "/api/tables/", timeout=30)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"
