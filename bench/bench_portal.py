"""Server time and SQL queries of the public portal's pages on PostgreSQL (not a test; figures
in docs/benchmarks/web.md, "Portal pages").

Loads a province-year with ``province_db.load`` (every table published by default, so the
portal's index holds them all: ``--projects 20000`` gives ~2,000 published tables), then asks
each portal page in-process (Django's test client, an anonymous visitor, no conditional
headers, so every answer is rendered) ``--samples`` times with different URLs where the page
has them (years, search words, tables, projects), and prints for each the median and slowest
wall time, the median CPU time of the process and of the SQL queries, and the number of
queries. Example::

    .venv/bin/python bench/bench_portal.py --db jx_portal_bench --projects 20000 --keep
    .venv/bin/python bench/bench_portal.py --db jx_portal_bench --reuse
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import province_db  # noqa: E402  (the database helpers and the province loader)


def urls(rng: random.Random) -> dict[str, list[str]]:
    from django.urls import reverse

    from jixiao.web.portal.models import PublishedProject, PublishedTable

    index = reverse("portal:index")
    years = sorted(set(PublishedTable.objects.values_list("year", flat=True)))
    tables = list(PublishedTable.objects.filter(current=True).values_list("pk", flat=True))
    projects = list(PublishedProject.objects.order_by("?").values_list("entry_id", "position", "name")[:50])
    words = sorted({name[i:i + 2] for _e, _p, name in projects for i in (0, 2) if len(name) > i + 1})
    return {
        "index": [index],
        "year (first page)": [f"{index}?year={y}" for y in years],
        "year (a later page)": [f"{index}?year={years[0]}&page={p}" for p in (2, 5, 10)],
        "search (2 characters)": [f"{index}?q={w}" for w in rng.sample(words, min(10, len(words)))],
        "search, page 3": [f"{index}?q={w}&page=3" for w in rng.sample(words, min(5, len(words)))],
        "table": [reverse("portal:publication", args=[pk]) for pk in rng.sample(tables, min(10, len(tables)))],
        "project": [reverse("portal:project", args=[e, p]) for e, p, _n in projects[:10]],
    }


def measure(pages: dict[str, list[str]], samples: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    visitor = Client()
    out = {}
    for name, page_urls in pages.items():
        times, cpu, sql, queries = [], [], [], set()
        for i in range(samples):
            url = page_urls[i % len(page_urls)]
            with CaptureQueriesContext(connection) as ctx:
                t0, c0 = time.perf_counter(), time.process_time()
                r = visitor.get(url)
                elapsed, used = time.perf_counter() - t0, time.process_time() - c0
            if r.status_code != 200:
                raise SystemExit(f"{url}: HTTP {r.status_code}")
            times.append(elapsed * 1000)
            cpu.append(used * 1000)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
            queries.add(len(ctx.captured_queries))

        def median(values):
            return round(sorted(values)[len(values) // 2], 1)

        # wall: what the visitor waits for in-process (on a busy machine, mostly waiting for a
        # core); cpu: this process's CPU (Django, templates); sql: the queries' own time.
        out[name] = {"median_ms": median(times), "max_ms": round(max(times), 1), "cpu_median_ms": median(cpu),
                     "sql_median_ms": median(sql), "queries": sorted(queries), "example": page_urls[0]}
        print(f"{name:24s} wall median {out[name]['median_ms']:7.1f} ms  max {out[name]['max_ms']:7.1f} ms  "
              f"cpu {out[name]['cpu_median_ms']:6.1f} ms  sql {out[name]['sql_median_ms']:6.1f} ms  "
              f"queries {out[name]['queries']}", flush=True)
    return out


def machine() -> dict:
    import platform

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "postgresql": pg,
            "platform": platform.platform(), "loadavg": os.getloadavg()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, default=2019)
    parser.add_argument("--published-share", type=float, default=1.0)
    parser.add_argument("--samples", type=int, default=30, help="requests per page")
    parser.add_argument("--db", default="jixiao_portal_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a database kept by --keep (skip loading)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.db in ("test", "postgres"):
        raise SystemExit("refusing to use that database")
    if not args.reuse:
        province_db.recreate_database(args.db)
    province_db.setup_django(args.db, tempfile.mkdtemp(prefix="jixiao-bench-portal-"))
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    results: dict = {"machine": machine(), "args": vars(args)}
    if not args.reuse:
        t0 = time.perf_counter()
        results["load"] = province_db.load(args.projects, args.seed, args.published_share, 0.0, args.year, "sampled")
        results["load"]["seconds"] = round(time.perf_counter() - t0, 1)
        print(json.dumps(results["load"], ensure_ascii=False), flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    from jixiao.web.portal.models import PublishedProject, PublishedTable

    results["portal"] = {"tables": PublishedTable.objects.count(), "projects": PublishedProject.objects.count()}
    print(json.dumps(results["portal"]), flush=True)
    pages = urls(random.Random(args.seed))
    measure(pages, 3)  # warm: templates compiled, connections open
    results["pages"] = measure(pages, args.samples)
    results["loadavg_after"] = os.getloadavg()
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    if not args.keep:
        connection.close()
        province_db.drop_database(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
