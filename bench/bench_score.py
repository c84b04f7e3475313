"""Benchmark: parse, match and score the ~1.4 M indicator cells of a generated province-year
(200,000 projects) on one core. Not a test: run it by hand and copy the figures into
docs/benchmarks/score.md.

    .venv/bin/python bench/bench_score.py [--projects 200000] [--seed 0] [--profile] [--no-gc-freeze] [--repeat N]

The province is generated first with ``jixiao.generate.generate_province`` and kept in
memory (as after loading a province's tables); only ``score_table`` is timed, which parses
every target and completion cell, matches and judges every item and scores every project
under the default rules. Before timing, the generated tables are moved out of the garbage
collector's view (``gc.freeze()``): they live for the whole run, and re-scanning a few
million long-lived objects on every collection is not work the scorer does
(``--no-gc-freeze`` measures it anyway). Peak memory is the process's maximum resident set
size (``resource.getrusage``), after generation and after scoring.

``--repeat N`` times the first pass N times on the same province, every cache of the core
emptied before each (``scoring.clear_caches()``), and reports each run with the median and the
best: on a shared or virtual machine single runs spread widely (docs/benchmarks/score.md).
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import platform
import resource
import statistics
import sys
import time

from jixiao.core import matching, scoring, targets
from jixiao.generate import generate_province


def maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux, bytes on macOS
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


def steal_seconds() -> float:
    """CPU time the hypervisor gave to others while this machine wanted it (all CPUs, /proc/stat):
    on a virtual machine a run with much steal is slowed by its neighbours, not by the code."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="profile scoring with cProfile (CPU time)")
    ap.add_argument("--no-gc-freeze", action="store_true", help="leave the generated tables to the GC")
    ap.add_argument("--second-pass", action="store_true",
                    help="score everything again with every cell remembered (the cost of the warm path alone)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time the first pass N times, the core's caches emptied before each")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    t0 = time.perf_counter()
    tables = list(generate_province(args.projects, seed=args.seed))
    gen_s = time.perf_counter() - t0
    projects = sum(len(t.projects) for t in tables)
    cells = sum(len(p.indicators) for t in tables for p in t.projects)
    pairs = len({(c.target, c.actual) for t in tables for p in t.projects for c in p.indicators.values()})
    rss_gen = maxrss_mb()
    print(f"generated {len(tables)} tables, {projects} projects, {cells} indicator cells "
          f"({pairs} distinct target/actual pairs) in {gen_s:.1f} s; max RSS {rss_gen:.0f} MB")
    if not args.no_gc_freeze:
        gc.collect()
        gc.freeze()

    gc_cpu = [0.0, 0.0]  # CPU seconds inside the garbage collector, collections

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            gc_cpu.append(time.process_time())
        else:
            gc_cpu[0] += time.process_time() - gc_cpu.pop()
            gc_cpu[1] += 1
    gc.callbacks.append(on_gc)

    runs: list[float] = []
    for run in range(args.repeat):
        if run:
            scoring.clear_caches()
            gc.collect()
            gc_cpu[0] = gc_cpu[1] = 0
        grades: collections.Counter[str] = collections.Counter()
        met: collections.Counter[str] = collections.Counter()
        items = 0
        if args.profile:
            import cProfile
            import pstats
            prof = cProfile.Profile(time.process_time)
            prof.enable()
        steal0 = steal_seconds()
        t0, c0 = time.perf_counter(), time.process_time()
        for t in tables:
            for ps in scoring.score_table(t):
                grades[ps.grade] += 1
                for c in ps.categories:
                    for ind in c.indicators:
                        items += len(ind.items)
                        for it in ind.items:
                            met[str(it.met)] += 1
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        steal = steal_seconds() - steal0
        runs.append(cpu)
        if args.profile:
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        print(f"{'run ' + str(run + 1) + ': ' if args.repeat > 1 else ''}"
              f"scored in {cpu:.2f} s CPU, {wall:.2f} s wall ({cpu / cells * 1e6:.1f} µs CPU per cell, "
              f"{cpu / projects * 1e6:.0f} µs per project); max RSS {maxrss_mb():.0f} MB; "
              f"load average {os.getloadavg()[0]:.2f}; steal {steal:.2f} s")
        print(f"garbage collector: {gc_cpu[0]:.2f} s CPU in {gc_cpu[1]:.0f} collections")
        print(f"三级 items judged: {items}; met: {dict(met)}; grades: {dict(sorted(grades.items()))}")
    if args.repeat > 1:
        print(f"{args.repeat} runs: median {statistics.median(runs):.2f} s CPU, best {min(runs):.2f} s, "
              f"worst {max(runs):.2f} s")
    if args.second_pass:
        c0 = time.process_time()
        for t in tables:
            scoring.score_table(t)
        cpu2 = time.process_time() - c0
        print(f"second pass (every cell remembered): {cpu2:.2f} s CPU ({cpu2 / cells * 1e6:.1f} µs per cell)")
    print("caches:", "parse", targets._parse_cached.cache_info(), "| segments", targets._segment_rows.cache_info(),
          "| match", matching._match_cached.cache_info(), "| weighted cells", len(scoring.cells.WEIGHTED))
    print(f"load average: {os.getloadavg()}; python {platform.python_version()}, {platform.machine()}, "
          f"cpus {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
