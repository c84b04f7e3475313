"""Server time of the dashboard's pages on PostgreSQL (not a test; figures in docs/dashboard.md).

Loads a generated province-year into its own database with bench/province_db.py's loader
(``generate_province`` + ``COPY``; the dashboard's per-project rows sampled as there), then
times, in process (Django test client, a finance-bureau reviewer), each page ``--repeat``
times and prints the median server time, the median time spent in SQL, the query count, and
the 8 KB buffers the page's queries touch with their execution time (``EXPLAIN (ANALYZE,
BUFFERS)`` of each: the buffers are the same however busy the machine is):

- ``overview``: ``/dashboard/?year=Y`` (summary, bands, grades, findings, the first 50
  departments, the chart's 20 largest budgets, the outstanding list);
- ``comparison``: the department comparison sorted by budget, descending, page 2;
- ``drilldown``: the year's projects, page 2 (the one page that lists per-project rows);
- ``table_<n>_projects``: the largest and the median table's page, as an administrator.

Every request is answered afresh: Django's cache is emptied before each one (where a version of
the dashboard kept its figures there, that is its state after any save). ``--keep`` keeps the
database; ``--skip-load`` measures an existing one (e.g. after migrating it to newer code).

    .venv/bin/python bench/bench_dashboard.py --projects 20000 --keep
    .venv/bin/python bench/bench_dashboard.py --skip-load --migrate
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import province_db  # noqa: E402


def explain(captured) -> tuple[int, float]:
    """(8 KB buffers touched, execution ms) of a page view's SELECTs, by EXPLAIN (ANALYZE,
    BUFFERS): the buffers do not depend on how busy the machine is, as times do."""
    from django.db import connection

    blocks, executed = 0, 0.0
    with connection.cursor() as cursor:
        for q in captured:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            top = plan["Plan"]
            blocks += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
            executed += plan.get("Execution Time", 0.0)
    return blocks, round(executed, 1)


def measure(repeat: int, year: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jixiao.web.accounts import roles

    user = province_db.bench_user("bench_reviewer", roles.REVIEWER, None)
    client = Client()
    client.force_login(user)
    pages = {"overview": f"/dashboard/?year={year}",
             "comparison": f"/dashboard/?year={year}&sort=budget&dir=desc&dpage=2",
             "drilldown": f"/dashboard/projects/?year={year}&page=2"}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics of the loaded rows, as autovacuum would have
    out = {}
    for name, url in pages.items():
        times, sql = [], []
        for _ in range(repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t0)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries))
            assert response.status_code == 200, (url, response.status_code)
        blocks, executed = explain(queries.captured_queries)
        out[name] = {"median_ms": round(statistics.median(times) * 1000, 1), "sql_blocks": blocks,
                     "sql_execution_ms": executed,
                     "min_ms": round(min(times) * 1000, 1), "sql_median_ms": round(statistics.median(sql) * 1000, 1),
                     "queries": len(queries)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="jx_dash_bench")
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--migrate", action="store_true", help="migrate an existing database first (timed)")
    args = parser.parse_args()
    if not args.skip_load:
        province_db.recreate_database(args.db)
    province_db.setup_django(args.db, tempfile.mkdtemp(prefix="jixiao-bench-dash-"))
    from django.core.management import call_command

    import os
    import platform

    result: dict = {"machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                                "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}}
    if not args.skip_load or args.migrate:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        result["seconds_migrate"] = round(time.perf_counter() - t0, 1)
    if not args.skip_load:
        result["load"] = province_db.load(args.projects, args.seed, 0.3, 0.4, args.year, "sampled")
    result["pages"] = measure(args.repeat, args.year)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.keep:
        province_db.drop_database(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
