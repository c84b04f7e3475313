"""Server time of the open-data API's first and deepest list pages (keyset pagination).

Loads a province-year into its own PostgreSQL database (``province_db.load``: every table
published, so ``--projects`` projects are in the API), then asks, in this one process through
Django's test client, for each listing's first page, its last page reached by ``next``
(cursor) links, and the same last page by ``page=`` (the older links, an OFFSET), each
``--repeat`` times, and prints the median milliseconds per request (wall clock, and this
process's CPU) with the number of SQL queries, and the PostgreSQL plan of the deep cursor
page's row query. Not a test. Example (the figures of the commit that made pages keyset)::

    .venv/bin/python bench/bench_api_pages.py --db jx_api --projects 20000
    .venv/bin/python bench/bench_api_pages.py --db jx_api --reuse      # the database as loaded before
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import province_db  # noqa: E402  (the database settings and loader of the web benchmarks)

LISTINGS = ("/api/projects/?year={year}", "/api/projects/", "/api/indicators/?kind=quantity&year={year}",
            "/api/tables/")


def timed(client, url: str, repeat: int) -> dict:
    """Median wall and CPU ms of ``repeat`` requests, their SQL queries, and PostgreSQL's
    median execution time of the page's row query (its last), from EXPLAIN ANALYZE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus = [], []
    queries = []
    for i in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        if i == 0:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            queries = [q["sql"] for q in ctx.captured_queries]
        else:
            response = client.get(url)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        assert response.status_code == 200, (url, response.status_code)
    sql_ms = []
    with connection.cursor() as cursor:
        for _ in range(min(repeat, 10)):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + queries[-1])
            sql_ms.append(cursor.fetchone()[0][0]["Execution Time"])
    return {"ms_wall": round(statistics.median(walls) * 1000, 2), "ms_cpu": round(statistics.median(cpus) * 1000, 2),
            "queries": len(queries), "ms_pg_rows_query": round(statistics.median(sql_ms), 3)}


def machine() -> dict:
    from django.db import connection

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {"cpus": os.cpu_count(), "cpu": model, "postgresql": pg, "load_average": os.getloadavg()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=2019)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="use the database as an earlier run loaded it")
    args = parser.parse_args()
    if args.db in ("test", "postgres"):
        raise SystemExit("refusing to use that database")
    if not args.reuse:
        province_db.recreate_database(args.db)
    province_db.setup_django(args.db, tempfile.mkdtemp(prefix="jixiao-bench-api-"))
    from django.core.management import call_command
    from django.test import Client

    loaded = None
    if not args.reuse:
        call_command("migrate", verbosity=0)
        loaded = province_db.load(args.projects, 0, 1.0, 0.0, args.year, "none")
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum does soon after a load: statistics, visibility map
        cursor.execute("VACUUM ANALYZE")
    client = Client()
    results = {"loaded": loaded, "page_size": args.page_size, "listings": {}}
    for listing in LISTINGS:
        url = listing.format(year=args.year)
        sep = "&" if "?" in url else "?"
        first = client.get(f"{url}{sep}page_size={args.page_size}").json()
        page, pages, previous_cursor = first, 1, None
        while page["next"]:
            previous_cursor = page["next"]
            page = client.get(page["next"]).json()
            pages += 1
        deep = previous_cursor or f"{url}{sep}page_size={args.page_size}"
        results["listings"][url] = {
            "count": first["count"], "pages": pages,
            "first": timed(client, f"{url}{sep}page_size={args.page_size}", args.repeat),
            f"last by cursor (page {pages})": timed(client, deep, args.repeat),
            f"page={pages}": timed(client, f"{url}{sep}page={pages}&page_size={args.page_size}", args.repeat),
        }
        print(json.dumps({url: results["listings"][url]}, ensure_ascii=False), file=sys.stderr)
    results["machine"] = machine()
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
