"""A province-year in PostgreSQL for the web benchmarks (not a test): its own database, loaded
once and kept, so that every measurement of bench/bench_load.py runs on the same 200,000
projects without generating and loading them again (≈ 9 minutes on 2 cores).

``jixiao.generate.generate_province`` gives the departments' tables; departments and tables
are written with ``bulk_create``, projects with PostgreSQL ``COPY`` (no history rows for this
bulk load). A share of the tables is published through ``Publication.objects.create`` (so
every index kept by signals — the API's, the portal's — is built the normal way), a share is
submitted with a review round, the rest stay drafts. The dashboard's per-project figures are
written with COPY as ``dashboard.stats`` computes them (``dashboard_sampled``). A row in
``bench_province`` records what was loaded; ``loaded()`` reads it back, so a second run with
the same arguments reuses the database.
"""

from __future__ import annotations

import json
import os
import random
import time

import psycopg

PG = dict(host="127.0.0.1", port=5432, user="postgres")
MARKER = "bench_province"


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
                                         snapshot=table_json.to_document(core),
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


def database_exists(name: str) -> bool:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def loaded(name: str) -> dict | None:
    """What ``mark_loaded`` recorded in database ``name``, or None (no database, or a load that
    did not finish)."""
    if not database_exists(name):
        return None
    with psycopg.connect(dbname=name, autocommit=True, **PG) as conn:
        if conn.execute("SELECT to_regclass(%s)", (MARKER,)).fetchone()[0] is None:
            return None
        row = conn.execute(f"SELECT args, summary FROM {MARKER}").fetchone()
    return None if row is None else {"args": row[0], "summary": row[1]}


def mark_loaded(args: dict, summary: dict) -> None:
    """Record, in the loaded database, the arguments and the summary of the finished load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (args jsonb, summary jsonb)")
        cursor.execute(f"DELETE FROM {MARKER}")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s)", (json.dumps(args), json.dumps(summary)))


def bench_user(username: str, role: str, department):
    """A user of ``role`` without a usable password (no hashing: the sessions are made here)."""
    from django.contrib.auth.models import User

    from jixiao.web import demo_data
    from jixiao.web.accounts.models import Profile

    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.set([demo_data.ensure_groups()[role]])
        Profile.objects.update_or_create(user=user, defaults={"department": department})
    return user


def signed_in(user) -> str:
    """The Cookie header of a browser ``user`` has signed in with: a session as a login stores
    it, and a CSRF cookie."""
    import secrets
    import string

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from jixiao.web.session_refresh import RENEWED_KEY

    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s[RENEWED_KEY] = int(time.time())
    s.create()
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return f"sessionid={s.session_key}; csrftoken={csrf}"
