"""CPU per uncached API page, in-process (not a test; figures in docs/benchmarks/web.md, run of 2026-11-28 03:27 UTC).

Against a database kept by ``bench_web.py --keep``: requests ``/api/projects/`` pages with a
random page and page size (every URL different, so no answer cache helps), through Django's
test client in this one process, and prints the SQL of one request, then the process CPU
per request (``time.process_time``: other jobs on the machine do not count) and, with
``--profile``, a cProfile of as many more requests on a CPU clock. Example::

    .venv/bin/python bench/bench_web.py --db jixiao_bench_perf --keep --skip-measure
    .venv/bin/python bench/profile_api.py --db jixiao_bench_perf --requests 300 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_web  # noqa: E402  (the database settings of the load benchmark)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="jixiao_bench")
    parser.add_argument("--year", type=int, default=2019)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile (CPU clock)")
    args = parser.parse_args()
    if args.db in ("test", "postgres"):
        raise SystemExit("refusing to use that database")
    bench_web.setup_django(args.db, tempfile.mkdtemp(prefix="jixiao-profile-api-"))
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jixiao.web.api.models import PublishedProject

    projects = PublishedProject.objects.filter(is_current=True, year=args.year).count()
    if not projects:
        raise SystemExit(f"no published project in {args.year}: load the database with bench_web.py --keep")
    rng = random.Random(args.seed)
    # Distinct URLs, as the benchmark's "uncached" page: pages across the whole listing.
    urls = list(dict.fromkeys(f"/api/projects/?year={args.year}&page={rng.randint(1, -(-projects // 60))}"
                              f"&page_size={rng.randint(40, 60)}" for _ in range(3 * args.requests + 20)))
    client = Client()
    for url in urls[:5]:  # connection, listing, link templates: the state of a running server
        client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(urls[5])
    if response.status_code != 200:
        raise SystemExit(f"{urls[5]}: HTTP {response.status_code}")
    for query in ctx.captured_queries:
        print(query["time"], query["sql"][:160])
    batch = urls[6:6 + args.requests]
    cpu, wall = time.process_time(), time.perf_counter()
    for url in batch:
        client.get(url)
    print(f"{len(batch)} requests: CPU {(time.process_time() - cpu) / len(batch) * 1000:.2f} ms per request, "
          f"wall {(time.perf_counter() - wall) / len(batch) * 1000:.2f} ms")
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for url in urls[6 + args.requests: 6 + 2 * args.requests]:
            client.get(url)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
