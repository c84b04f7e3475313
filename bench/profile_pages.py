"""CPU per answer of the benchmark's pages, in-process through the WSGI application (not a test;
figures in docs/benchmarks/web.md, run of 2026-11-28 05:37 UTC).

Against a database kept by ``bench_web.py --keep``: calls ``jixiao.web.wsgi.application``
directly with a WSGI environ per request (no HTTP server, no test client), as waitress would,
for each page of ``bench_web.pages()``: first every URL once with every session (the
benchmark's warm-up), then ``--requests`` requests drawing URL and session at random, and
prints the process CPU per answer (``time.process_time``: other jobs on the machine do not
count) and the answer's size. ``--profile`` adds a cProfile of as many
more requests (drawn the same way) on a CPU clock. Example::

    .venv/bin/python bench/bench_web.py --db jixiao_bench_perf --keep --skip-measure
    .venv/bin/python bench/profile_pages.py --db jixiao_bench_perf --only "100–200" --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_web  # noqa: E402  (the database settings and pages of the load benchmark)


def environ(url: str, cookie: str | None) -> dict:
    path, _, query = url.partition("?")
    env = {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0),
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def call(app, url: str, cookie: str | None) -> tuple[str, dict, int]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = app(environ(url, cookie), start_response)
    size = 0
    try:
        for chunk in body:
            size += len(chunk)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return seen["status"], seen["headers"], size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="jixiao_bench")
    parser.add_argument("--year", type=int, default=2019)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", help="only the pages whose name contains this text")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile (CPU clock)")
    args = parser.parse_args()
    if args.db in ("test", "postgres"):
        raise SystemExit("refusing to use that database")
    bench_web.setup_django(args.db, tempfile.mkdtemp(prefix="jixiao-profile-pages-"))
    from jixiao.web.wsgi import application

    cookies, _user = bench_web.sessions(50)
    page_list = bench_web.pages(args.year, random.Random(args.seed))
    if args.only:
        page_list = {k: v for k, v in page_list.items() if args.only in k}
    rng = random.Random(args.seed)
    for name, page in page_list.items():
        sessions = cookies if page["login"] else [None]
        if page.get("warm", True):
            for url in page["urls"]:
                for cookie in sessions:
                    status, _headers, _size = call(application, url, cookie)
                    if not status.startswith("200"):
                        raise SystemExit(f"{url}: {status}")
        draws = [(rng.choice(page["urls"]), rng.choice(sessions)) for _ in range(args.requests)]
        sizes = []
        cpu, wall = time.process_time(), time.perf_counter()
        for url, cookie in draws:
            status, _headers, size = call(application, url, cookie)
            sizes.append(size)
        per = (time.process_time() - cpu) / len(draws) * 1000
        print(f"{name:60s} CPU {per:.3f} ms per answer, wall {(time.perf_counter() - wall) / len(draws) * 1000:.3f} ms, "
              f"median size {sorted(sizes)[len(sizes) // 2]:,} B", flush=True)
        if args.profile:
            draws = [(rng.choice(page["urls"]), rng.choice(sessions)) for _ in range(args.requests)]
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for url, cookie in draws:
                call(application, url, cookie)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
