"""Benchmark: generate a province-year (200,000 projects, ~1.4 M indicator cells) and time
checking alone, on one core. Not a test: run it by hand and copy the figures into
docs/benchmarks/check.md.

    .venv/bin/python bench/bench_check.py [--projects 200000] [--seed 0] [--inconsistent 0.05]

Generation is done first and kept in memory (as after loading a province's tables);
only the ``check_table`` calls are timed. Peak memory is the process's maximum resident
set size (``resource.getrusage``), reported after generation and after checking.
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import resource
import sys
import time

from jixiao.core import checks
from jixiao.generate import generate_province


def maxrss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--inconsistent", type=float, default=0.05)
    ap.add_argument("--profile", action="store_true", help="profile the checks with cProfile")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    t0 = time.perf_counter()
    tables = list(generate_province(args.projects, seed=args.seed, inconsistent_share=args.inconsistent))
    gen_s = time.perf_counter() - t0
    projects = sum(len(t.projects) for t in tables)
    cells = sum(len(p.indicators) for t in tables for p in t.projects)
    rss_gen = maxrss_mb()
    print(f"generated {len(tables)} tables, {projects} projects, {cells} indicator cells in {gen_s:.1f} s; "
          f"max RSS {rss_gen:.0f} MB")

    counts: collections.Counter[str] = collections.Counter()
    severities: collections.Counter[str] = collections.Counter()
    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
    t0, c0 = time.perf_counter(), time.process_time()
    for t in tables:
        for f in checks.check_table(t):
            counts[f.code] += 1
            severities[f.severity] += 1
    check_s, check_cpu = time.perf_counter() - t0, time.process_time() - c0
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    print(f"checked in {check_s:.2f} s wall, {check_cpu:.2f} s CPU ({check_s / projects * 1e6:.1f} µs per project); "
          f"max RSS {maxrss_mb():.0f} MB")
    print(f"distinct output targets parsed: "
          f"{len(checks._measurable_cache)} (memo)")
    print(f"load average: {os.getloadavg()}")
    print("findings by severity:", dict(severities))
    print("findings by code:", dict(sorted(counts.items())))
    print(f"python {platform.python_version()}, {platform.machine()}, cpus {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
