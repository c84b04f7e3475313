"""Load benchmark of the web application on PostgreSQL (not a test; figures in docs/benchmarks/web.md).

1. Creates its own PostgreSQL database (default ``jixiao_bench`` on 127.0.0.1:5432, user
   postgres; dropped first if it exists, and again at the end unless ``--keep``).
2. Generates a province-year (``jixiao.generate.generate_province``, 200,000 projects) and loads
   it: departments and tables with ``bulk_create``, projects with PostgreSQL ``COPY`` (history
   rows are not written for this bulk load). A share of the tables is published through
   ``Publication.objects.create`` (so every index kept by signals — the API's, the portal's —
   is built the normal way), a share is submitted, the rest stay drafts. The dashboard's
   per-project figures are computed with its own ``dashboard_refresh --missing`` when that app exists.
3. Counts the SQL queries of each measured page in-process (Django test client +
   ``CaptureQueriesContext``), of different URLs ("miss") and of one URL again ("hit").
4. Starts ``jixiao serve`` (waitress) on a loopback port, requests every URL of the page once
   and once more per session (the warm-up: the state of a server that has been answering
   these pages; ``--cold`` skips it, and the "uncached" API page never has one), then runs
   ``wrk`` (50 connections, fixed duration) on each page with a Lua script that draws the URL
   from a list per request (different tables, API pages across the whole range) and logs in
   through session cookies (one session per connection slot, each with its CSRF cookie).
   Prints p50/p95/p99/max latency, requests/s, errors, the server's CPU per answer and peak
   memory. ``--after-write`` warms up as usual, then saves one project of a table no measured
   URL shows (a committed write, as a department's editor saving elsewhere) before wrk starts:
   the state of a server right after a write, which ``--cold`` (a fresh server) overstates.

Only 127.0.0.1 is contacted. Example::

    .venv/bin/python bench/bench_web.py                      # 200,000 projects, 50 clients, 20 s per page
    .venv/bin/python bench/bench_web.py --projects 20000 --duration 5 --keep
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = dict(host="127.0.0.1", port=5432, user="postgres")

LUA = r"""
local paths = {PATHS}
local cookies = {COOKIES}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local headers = {}
  if #cookies > 0 then headers["Cookie"] = cookies[math.random(#cookies)] end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.0f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


def lua_list(items: list[str]) -> str:
    return "{" + ", ".join(json.dumps(i) for i in items) + "}"


# --- database -----------------------------------------------------------------------------

def recreate_database(name: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(db_name: str, data_dir: str) -> dict:
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
        "JIXIAO_SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "JIXIAO_DATA_DIR": data_dir,
        "JIXIAO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "jixiao.web.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    return env


# --- loading ------------------------------------------------------------------------------

PROJECT_COLUMNS = ("table_id", "seq", "unit_name", "name", "gov_investment", "budget", "actual_total",
                   "actual_general_budget", "actual_gov_fund", "actual_non_fiscal", "execution_rate_text",
                   "annual_goal", "overall_completion", "indicators", "problems", "rectification", "overrides",
                   "version", "updated_at")


def load(projects: int, seed: int, published_share: float, submitted_share: float, year: int,
         dashboard_stats: str) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from jixiao.formats import table_json
    from jixiao.generate import generate_province
    from jixiao.web.entry import convert
    from jixiao.web.entry import models as m

    t0 = time.perf_counter()
    tables = list(generate_province(projects=projects, seed=seed, year=year))
    t_gen = time.perf_counter() - t0
    rng = random.Random(seed)
    statuses = []
    for _ in tables:
        r = rng.random()
        statuses.append(m.Status.PUBLISHED if r < published_share else
                        m.Status.SUBMITTED if r < published_share + submitted_share else m.Status.DRAFT)

    t0 = time.perf_counter()
    year_row = m.Year.objects.create(year=year)
    # Generated department names can repeat; the model wants them unique.
    names, depts = {}, []
    for core in tables:
        n = names.get(core.department, 0)
        names[core.department] = n + 1
        if n:
            core.department = f"{core.department}（{n + 1}）"
        depts.append(m.Department(name=core.department, short_name=core.department_short))
    m.Department.objects.bulk_create(depts, batch_size=5000)
    dept_ids = dict(m.Department.objects.values_list("name", "pk"))
    rows = [m.DisclosureTable(year=year_row, department_id=dept_ids[core.department], status=status,
                              attachment=core.attachment, title=core.title, department_short=core.department_short,
                              money_unit=core.money_unit.value, layout=convert.layout_value(core))
            for core, status in zip(tables, statuses)]
    m.DisclosureTable.objects.bulk_create(rows, batch_size=5000)
    table_ids = dict(m.DisclosureTable.objects.filter(year=year_row).values_list("department_id", "pk"))
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY entry_project ({', '.join(PROJECT_COLUMNS)}) FROM STDIN") as copy:
            for core in tables:
                tid = table_ids[dept_ids[core.department]]
                for p in core.projects:
                    f = convert.project_fields(p)
                    copy.write_row((tid, f["seq"], f["unit_name"], f["name"], f["gov_investment"], f["budget"],
                                    f["actual_total"], f["actual_general_budget"], f["actual_gov_fund"],
                                    f["actual_non_fiscal"], f["execution_rate_text"], f["annual_goal"],
                                    f["overall_completion"], json.dumps(f["indicators"], ensure_ascii=False),
                                    f["problems"], f["rectification"], json.dumps(f["overrides"]), 1, now))
    t_load = time.perf_counter() - t0

    # Submitted and published tables have a review round, as through the workflow.
    t0 = time.perf_counter()
    rounds = [m.ReviewRound(table_id=table_ids[dept_ids[core.department]], number=1, submitted_at=now,
                            decision=(m.ReviewRound.Decision.APPROVED if s == m.Status.PUBLISHED else ""),
                            decided_at=now if s == m.Status.PUBLISHED else None)
              for core, s in zip(tables, statuses) if s != m.Status.DRAFT]
    m.ReviewRound.objects.bulk_create(rounds, batch_size=5000)
    published = 0
    for core, s in zip(tables, statuses):
        if s != m.Status.PUBLISHED:
            continue
        with transaction.atomic():
            m.Publication.objects.create(table_id=table_ids[dept_ids[core.department]], number=1,
                                         snapshot=convert.jsonable(table_json.to_document(core)),
                                         published_at=now)
        published += 1
    t_publish = time.perf_counter() - t0

    t0 = time.perf_counter()
    dashboard = "none"
    if _has_app("dashboard") and dashboard_stats == "full":
        from django.core.management import call_command

        call_command("dashboard_refresh", "--missing")
        dashboard = "full"
    elif _has_app("dashboard"):
        dashboard_sampled(tables, table_ids, dept_ids, year, rng)
        dashboard = "sampled"
    t_dashboard = time.perf_counter() - t0
    sizes = sorted(len(c.projects) for c in tables)
    return {"tables": len(tables), "projects": sum(sizes), "published_tables": published,
            "submitted_tables": statuses.count(m.Status.SUBMITTED), "median_table": sizes[len(sizes) // 2],
            "largest_table": sizes[-1], "seconds_generate": round(t_gen, 1), "seconds_load": round(t_load, 1),
            "seconds_publish": round(t_publish, 1), "seconds_dashboard_stats": round(t_dashboard, 1),
            "dashboard_stats": dashboard}


SAMPLE_SCORED = 2000


def dashboard_sampled(tables, table_ids, dept_ids, year, rng) -> None:
    """The dashboard's per-project rows without scoring all 200,000 projects one by one.

    The dashboard's own path (``dashboard_refresh``: checks + scoring + five queries per project)
    takes over an hour for a province-year on this machine. Here amounts, rate, rate band and
    findings (the core's project checks) are computed for every project exactly as
    ``dashboard.stats.stat_fields`` does; the suggested score and grade are those of a project
    drawn at random among ``SAMPLE_SCORED`` scored for real. The dashboard's SQL then reads the
    same number of rows with realistic distributions. Rows are written with COPY.
    """
    from dataclasses import replace

    from django.db import connection, transaction
    from django.utils import timezone

    from jixiao.core import money
    from jixiao.core.checks import check_project
    from jixiao.core.scoring import score_project
    from jixiao.web.dashboard import stats

    everything = [(core, p) for core in tables for p in core.projects]
    scored = []
    for _core, p in rng.sample(everything, min(SAMPLE_SCORED, len(everything))):
        score = score_project(p)
        scored.append((int(money.round_half_up(score.total) * 100), score.grade))
    ids = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, table_id FROM entry_project ORDER BY table_id, id")
        for pk, tid in cursor.fetchall():
            ids.setdefault(tid, []).append(pk)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy("COPY dashboard_projectstat (project_id, table_id, year, department_id, money_unit, "
                                "budget_e4, actual_e4, execution_rate, rate_band, score_x100, grade, errors, "
                                "warnings, computed_at) FROM STDIN") as copy_stats:
            findings_rows = []
            for core in tables:
                dept = dept_ids[core.department]
                tid = table_ids[dept]
                single = replace(core, projects=[])
                for pk, p in zip(ids[tid], core.projects, strict=True):
                    single.projects = [p]
                    findings = check_project(p, table=single)
                    rate = p.execution_rate
                    score_x100, grade = scored[rng.randrange(len(scored))]
                    copy_stats.write_row((pk, tid, year, dept, core.money_unit.value,
                                          stats.to_e4(p.budget, core.money_unit),
                                          stats.to_e4(p.actual_total, core.money_unit), rate, stats.rate_band(rate),
                                          score_x100, grade, sum(1 for f in findings if f.severity == "error"),
                                          sum(1 for f in findings if f.severity == "warning"), now))
                    findings_rows += [(pk, tid, year, f.code, f.severity) for f in findings]
        with cursor.cursor.copy("COPY dashboard_findingstat (project_id, table_id, year, code, severity) "
                                "FROM STDIN") as copy_findings:
            for row in findings_rows:
                copy_findings.write_row(row)
    try:  # COPY sends no signals: the per-table figures the pages read are computed from the rows
        from jixiao.web.dashboard import table_figures
    except ImportError:  # a version of the dashboard without them
        return
    table_figures.rebuild()


def _has_app(label: str) -> bool:
    from django.apps import apps

    return apps.is_installed(f"jixiao.web.{label}")


# --- pages --------------------------------------------------------------------------------

def sessions(count: int) -> tuple[list[str], object]:
    """``count`` logged-in sessions of one finance-bureau reviewer (one per wrk connection slot),
    as the ``Cookie`` header a browser sends: the session and a CSRF cookie (a signed-in
    browser always has one, set by the login page)."""
    import secrets
    import string
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from jixiao.web import demo_data
    from jixiao.web.accounts import roles
    from jixiao.web.session_refresh import RENEWED_KEY

    from django.contrib.auth.models import User

    user = (User.objects.filter(username="bench_reviewer").first()
            or demo_data.create_user("bench_reviewer", "bench-reviewer-pw-123", roles.REVIEWER, None))
    keys = []
    for _ in range(count):
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s[RENEWED_KEY] = int(time.time())  # as a login does (jixiao.web.session_refresh)
        s.create()
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        keys.append(f"sessionid={s.session_key}; csrftoken={csrf}")
    return keys, user


def pages(year: int, rng: random.Random) -> dict[str, dict]:
    """Page name → URLs to draw from and whether a login is needed."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from jixiao.web.api.models import PublishedProject, PublishedTable
    from jixiao.web.entry import models as m

    def typical(status):
        # Tables of typical size (8–12 projects), as most departments' are.
        qs = (m.DisclosureTable.objects.filter(status=status).annotate(n=Count("projects"))
              .filter(n__gte=8, n__lte=12).values_list("pk", flat=True))
        ids = list(qs[:2000])
        return rng.sample(ids, min(50, len(ids)))

    submitted, published = typical(m.Status.SUBMITTED), typical(m.Status.PUBLISHED)
    large = list(m.DisclosureTable.objects.filter(status=m.Status.SUBMITTED).annotate(n=Count("projects"))
                 .filter(n__gte=100, n__lte=200).values_list("pk", flat=True)[:20])
    pubs = list(m.Publication.objects.filter(table_id__in=published).values_list("pk", flat=True))
    n_projects = PublishedProject.objects.filter(is_current=True, year=year).count()
    n_tables = PublishedTable.objects.filter(is_current=True, year=year).count()
    out = {}
    if _has_app("dashboard"):
        try:
            out["dashboard"] = {"urls": [reverse("dashboard:index") + f"?year={year}"], "login": True}
        except NoReverseMatch:
            pass
    out["department table page (8–12 projects)"] = {
        "urls": [reverse("entry:table", args=[pk]) for pk in submitted], "login": True}
    if large:
        out["department table page (100–200 projects)"] = {
            "urls": [reverse("entry:table", args=[pk]) for pk in large], "login": True}
    # The old /public/ pages are permanent redirects to the portal now (measured below).
    if _has_app("portal"):
        try:
            out["published table page /portal/"] = {
                "urls": [reverse("portal:publication", args=[pk]) for pk in pubs], "login": False}
        except NoReverseMatch:
            pass
    last_page = max(1, -(-n_projects // 50))
    out["API /api/projects/ (random page of all)"] = {
        "urls": [reverse("api:projects") + f"?year={year}&page={rng.randint(1, last_page)}" for _ in range(200)],
        "login": False}
    # Distinct URLs (page × page_size), so nearly every request misses the API's answer cache.
    out["API /api/projects/ (uncached: random page, page_size 40–60)"] = {
        "urls": [reverse("api:projects") + f"?year={year}&page={rng.randint(1, -(-n_projects // 60))}"
                 f"&page_size={rng.randint(40, 60)}" for _ in range(5000)], "login": False, "warm": False}
    out["API /api/tables/ (random page of all)"] = {
        "urls": [reverse("api:tables") + f"?year={year}&page={rng.randint(1, max(1, -(-n_tables // 50)))}"
                 for _ in range(200)], "login": False}
    return out


def count_queries(page_list: dict[str, dict], user, samples: int = 10) -> tuple[dict, dict]:
    """For each page: SQL queries of its first 3 URLs ("miss") and of the first URL again
    ("hit"); the
    median in-process time of ``samples`` requests made one after another (the service time,
    without any queueing), of different URLs (misses) and of one URL again (hits)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    anonymous = Client()
    counts, service = {}, {}

    def get(page, url):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = (client if page["login"] else anonymous).get(url)
        elapsed = time.perf_counter() - t0
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return elapsed, len(ctx.captured_queries)

    def median(times):
        return round(sorted(times)[len(times) // 2] * 1000, 1)

    for name, page in page_list.items():
        miss_counts, miss_times = [], []
        for i, url in enumerate((page["urls"] * samples)[:samples]):
            elapsed, n = get(page, url)
            miss_times.append(elapsed)
            if i < 3:
                miss_counts.append(n)
        hits = [get(page, page["urls"][0]) for _ in range(samples)]
        counts[name] = {"miss": miss_counts, "hit": hits[-1][1]}
        service[name] = {"miss": median(miss_times), "hit": median([t for t, _ in hits])}
    return counts, service


def warm(port: int, page: dict, cookies: list[str]) -> float:
    """Request every URL of the page once, and once more with every session: the state of a
    server that has been answering these pages (each page rendered once, each session seen
    once) before wrk starts. Returns the seconds it took."""
    t0 = time.perf_counter()
    sessions = cookies if page["login"] else [None]
    urls = page["urls"] + [page["urls"][i % len(page["urls"])] for i in range(len(sessions))]
    for i, url in enumerate(urls):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{url}")
        if sessions[i % len(sessions)] is not None:
            request.add_header("Cookie", sessions[i % len(sessions)])
        with urllib.request.urlopen(request, timeout=120) as r:
            r.read()
    return time.perf_counter() - t0


# --- serving and measuring ----------------------------------------------------------------

def write_elsewhere(page: dict) -> None:
    """One committed write that no measured page shows: a project of another table saved
    (its version bumped)."""
    from django.db import transaction
    from django.db.models import F

    from jixiao.web.entry import models as m
    shown = set("".join(page["urls"]).replace("?", "/").split("/"))
    project = next(p for p in m.Project.objects.order_by("pk").only("pk", "table_id")[:5000]
                   if str(p.table_id) not in shown)
    with transaction.atomic():
        m.Project.objects.filter(pk=project.pk).update(version=F("version") + 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict, port: int, threads: int, log: Path, workers: int = 1) -> subprocess.Popen:
    jixiao = shutil.which("jixiao", path=str(Path(sys.executable).parent)) or "jixiao"
    # The server's log goes to a file: a pipe nobody reads would block the server once full.
    proc = subprocess.Popen([jixiao, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads),
                             "--workers", str(workers)],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("jixiao serve exited: " + log.read_text(errors="replace")[-2000:]) from None
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("jixiao serve did not answer within 60 s")


def check_urls(port: int, page: dict, cookies: list[str], log: Path) -> None:
    for url in page["urls"][:3]:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{url}")
        if page["login"]:
            request.add_header("Cookie", cookies[0])
        try:
            with urllib.request.urlopen(request, timeout=120) as r:  # redirects are followed: compare the URL
                if r.status != 200 or r.url != request.full_url:
                    raise SystemExit(f"{url}: HTTP {r.status} at {r.url}")
        except urllib.error.HTTPError as exc:
            raise SystemExit(f"{url}: HTTP {exc.code}\n" + log.read_text(errors="replace")[-3000:]) from None


def run_wrk(port: int, page: dict, cookies: list[str], clients: int, duration: int, workdir: str) -> dict:
    script = Path(workdir) / "bench.lua"
    script.write_text(LUA.replace("{PATHS}", lua_list(page["urls"]))
                      .replace("{COOKIES}", lua_list(cookies if page["login"] else [])), encoding="utf-8")
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{duration}s", "--timeout", "10s", "-s", str(script),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    r = json.loads(line[len("RESULT "):])
    errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    return {"requests": r["requests"], "rps": round(r["requests"] / (r["duration_us"] / 1e6), 1),
            "p50_ms": r["p50"] / 1000, "p95_ms": r["p95"] / 1000, "p99_ms": r["p99"] / 1000,
            "max_ms": r["max"] / 1000, "errors": errors, "non_2xx_3xx": r["status"], "timeouts": r["timeout"]}


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of the server and its worker processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    total = 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def server_peak_rss_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of the server and its worker processes, MiB."""
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    peak = 0
    for p in pids:
        try:
            peak = max(peak, next(int(line.split()[1]) for line in Path(f"/proc/{p}/status").read_text().splitlines()
                                  if line.startswith("VmHWM")))
        except (OSError, StopIteration):
            continue
    return round(peak / 1024, 1)


def machine() -> dict:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    with psycopg.connect(dbname="postgres", **PG) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0:1]
    return {"cpus": os.cpu_count(), "cpu": model, "memory_gib": round(int(mem) / 1024 / 1024, 1),
            "python": platform.python_version(), "postgresql": pg, "wrk": (wrk_version or [""])[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, default=2019)
    parser.add_argument("--published-share", type=float, default=0.1)
    parser.add_argument("--dashboard-stats", choices=("sampled", "full"), default="sampled",
                        help="dashboard figures: 'full' runs dashboard_refresh (over an hour at 200,000 projects)")
    parser.add_argument("--submitted-share", type=float, default=0.3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per page")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (jixiao serve --threads)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (jixiao serve --workers)")
    parser.add_argument("--db", default="jixiao_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a database kept by --keep (skip loading)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--only", help="measure only the pages whose name contains this text")
    parser.add_argument("--skip-measure", action="store_true", help="only load (with --keep, for a later --reuse)")
    parser.add_argument("--cold", action="store_true",
                        help="no warm-up: wrk starts on a fresh server (every page rendered during the run)")
    parser.add_argument("--after-write", action="store_true",
                        help="warm up, then save a project of a table no measured URL shows, then measure "
                             "(the state right after a write)")
    args = parser.parse_args()
    if args.db in ("test", "postgres"):
        raise SystemExit("refusing to use that database")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    workdir = tempfile.mkdtemp(prefix="jixiao-bench-web-")
    if not args.reuse:
        recreate_database(args.db)
    env = setup_django(args.db, workdir)
    from django.core.management import call_command

    results: dict = {"machine": machine(), "args": vars(args)}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    results["seconds_migrate"] = round(time.perf_counter() - t0, 1)
    if not args.reuse:
        results["load"] = load(args.projects, args.seed, args.published_share, args.submitted_share, args.year,
                               args.dashboard_stats)
        print(json.dumps(results["load"], ensure_ascii=False), flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        # Planner statistics and the visibility map (index-only scans) after the bulk load.
        cursor.execute("VACUUM ANALYZE")
    if args.skip_measure:
        return 0
    cookies, user = sessions(args.clients)
    page_list = pages(args.year, random.Random(args.seed))
    if args.only:
        page_list = {k: v for k, v in page_list.items() if args.only in k}
    results["queries"], results["service_ms"] = count_queries(page_list, user)
    print(json.dumps(results["queries"], ensure_ascii=False), flush=True)
    print("in-process median ms:", json.dumps(results["service_ms"], ensure_ascii=False), flush=True)

    from django.db import connections

    connections.close_all()
    server = None
    try:
        results["pages"] = {}
        for name, page in page_list.items():
            # A fresh server per page: requests of a page that timed out must not queue into the next.
            port = free_port()
            server_log = Path(workdir) / "serve.log"
            server = serve(env, port, args.threads, server_log, args.workers)
            check_urls(port, page, cookies, server_log)
            # Not the "uncached" page: its point is answers rendered afresh.
            warm_seconds = None if args.cold or not page.get("warm", True) else round(warm(port, page, cookies), 1)
            if args.after_write:
                write_elsewhere(page)
                connections.close_all()
            load_before = os.getloadavg()[0]
            cpu_before = server_cpu_seconds(server.pid)
            r = run_wrk(port, page, cookies, args.clients, args.duration, workdir)
            # The server's own CPU per answer (PostgreSQL's is not in it): on a shared machine
            # this holds where the latencies do not.
            r["server_cpu_ms_per_request"] = round((server_cpu_seconds(server.pid) - cpu_before) * 1000
                                                   / max(1, r["requests"]), 2)
            r["queries"] = results["queries"][name]
            r["service_ms"] = results["service_ms"][name]
            r["loadavg_1min"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
            r["warm_up_seconds"] = warm_seconds
            r["server_peak_rss_mib"] = server_peak_rss_mib(server.pid)
            results["pages"][name] = r
            print(f"{name:45s} p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms  p99 {r['p99_ms']:8.1f} ms  "
                  f"max {r['max_ms']:8.1f} ms  {r['rps']:7.1f} req/s  errors {r['errors']}  queries {r['queries']}  "
                  f"in-process {r['service_ms']} ms  cpu/req {r['server_cpu_ms_per_request']} ms  load {r['loadavg_1min']}  "
                  f"rss {r['server_peak_rss_mib']} MiB",
                  flush=True)
            server.terminate()
            server.wait(timeout=30)
            server = None
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connections.close_all()
        if not args.keep:
            drop_database(args.db)
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
