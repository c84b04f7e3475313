"""The last week of entry, as a load on ``jixiao serve`` over PostgreSQL and Redis (not a test;
figures in docs/benchmarks/web.md).

1. A province-year in PostgreSQL (bench/province_db.py: ``generate_province``, 200,000 projects
   by default, COPY), loaded once into ``--db`` and **kept**: a later run with the same
   ``--projects``, ``--seed`` and ``--year`` reuses it; a database holding anything else stops
   the run (``--reload`` drops and loads it again, ``--drop`` drops it at the end).
2. The actors: editors of draft tables (one user per department), approvers of draft tables
   that nothing blocks, a finance-bureau reviewer, each with a signed-in session (a session row
   and a CSRF cookie, as a login leaves them; logging in is not part of the load), and the ids
   the public and API sessions read.
3. For each number of server processes (``--processes``, default 1 and 2: ``jixiao serve
   --workers N`` on one port — the kernel spreads connections over the N processes) and each
   arrival rate (``--rates``, session arrivals per second): a fresh server, Redis' cache database
   emptied, a warm-up session of each kind, then bench/load_driver.py — open-loop Poisson
   arrivals of editor, approver, reviewer, public and API sessions with think times, for
   ``--duration`` seconds. Reported per page: p50/p95/p99 latency, errors; requests/s achieved;
   the servers' CPU per request (psutil, user + system of every server process, divided by the
   requests answered) and their peak memory (sum of the processes' resident memory, sampled
   every 0.5 s). A rate *passes* when every page's p95 is at most ``--p95-goal`` ms (300) with
   zero errors and no unfinished session; the rates of one process count stop at the first
   that fails (``--all-rates`` runs them all).
4. ``--page-cpu`` (or ``--page-cpu-only``, which skips the load): the server's CPU per request
   of each page of the load, page by page (bench/page_cpu.py: the same URLs, users and posted
   bodies, in-process through Django's test client with the servers' environment, writes
   rolled back; ``--page-cpu-samples`` sessions of each kind), for the table "Server CPU per
   request, by page" — what tells, where two cores cannot hold a rate, which page costs what.
5. Prints a markdown block for docs/benchmarks/web.md (and ``--json`` writes everything).

Only 127.0.0.1 is contacted (PostgreSQL :5432 user postgres, Redis :6379). Example::

    .venv/bin/python bench/bench_load.py --projects 200000 --rates 5,10,20,40 --duration 60
    .venv/bin/python bench/bench_load.py --projects 5000 --rates 2,4 --duration 30 --db jixiao_bench_small
    .venv/bin/python bench/bench_load.py --projects 200000 --page-cpu-only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import page_cpu as page_cpu_module  # noqa: E402  (the per-page CPU table)
import province_db  # noqa: E402  (the loaded province-year)

ROOT = Path(__file__).resolve().parent.parent
EDITORS = 400  # editor accounts (one per draft table) the editor sessions take turns with
APPROVER_TABLES = 600  # draft tables prepared for submission (each submitted once, then used up)
REVIEWED_TABLES = 200  # submitted tables the reviewer sessions open and comment on


# --- actors ---------------------------------------------------------------------------------

def plan(year: int, seed: int) -> dict:
    """Who does what in this run: users, their sessions and the ids they open. Draft tables
    still in draft, submitted ones still submitted (earlier runs submitted some)."""
    import random

    from django.db.models import Count

    from jixiao.web.accounts import roles
    from jixiao.web.entry import models as m
    from jixiao.web.review import gates

    rng = random.Random(seed)

    def typical(status, limit):
        ids = list(m.DisclosureTable.objects.filter(year__year=year, status=status).annotate(n=Count("projects"))
                   .filter(n__gte=5, n__lte=15).order_by("pk").values_list("pk", flat=True))
        rng.shuffle(ids)
        return ids[:limit]

    def projects_of(table_ids):
        out: dict[int, list[int]] = {}
        for pk, tid in m.Project.objects.filter(table_id__in=table_ids).values_list("pk", "table_id"):
            out.setdefault(tid, []).append(pk)
        return out

    def saveable(table_ids):
        """The projects whose form, posted back as rendered, saves: the generated data's
        deliberate inconsistencies include values the form refuses (an empty name, a negative
        amount; ~1 % of projects), which an editor would have to correct first."""
        from jixiao.web.entry.forms import ProjectForm

        out: dict[int, list[int]] = {}
        for p in m.Project.objects.filter(table_id__in=table_ids).select_related("table"):
            data = {k: ("" if v is None else str(v)) for k, v in ProjectForm.initial_from(p).items()}
            for key in p.table.layout_keys:
                data.setdefault(f"ind_{key}_target", "")
                data.setdefault(f"ind_{key}_actual", "")
            if ProjectForm(data, layout=p.table.layout_keys).is_valid():
                out.setdefault(p.table_id, []).append(p.pk)
        return out

    drafts = typical(m.Status.DRAFT, EDITORS + 2 * APPROVER_TABLES)
    # Editors get at most half of the drafts: the others are for the approvers to submit.
    editor_tables = drafts[:min(EDITORS, len(drafts) // 2)]
    candidates = drafts[len(editor_tables):]
    tables = {t.pk: t for t in m.DisclosureTable.objects.filter(pk__in=drafts).select_related("department")}
    projects = saveable(editor_tables)
    editors = [{"cookie": province_db.signed_in(province_db.bench_user(f"bench_editor_{tables[t].department_id}",
                                                                       roles.EDITOR, tables[t].department)),
                "table": t, "projects": projects[t]} for t in editor_tables if projects.get(t)]
    approvers = []
    for t in candidates:
        if len(approvers) >= APPROVER_TABLES:
            break
        if gates.assess(tables[t]).blocking:
            continue  # the submit page would refuse it (an error in the generated data)
        approvers.append({"cookie": province_db.signed_in(province_db.bench_user(f"bench_approver_{tables[t].department_id}", roles.APPROVER,
                                                     tables[t].department)), "table": t})
    submitted = typical(m.Status.SUBMITTED, REVIEWED_TABLES)
    reviewed = projects_of(submitted)
    reviewer = {"cookie": province_db.signed_in(province_db.bench_user("bench_reviewer", roles.REVIEWER, None)),
                "tables": [{"table": t, "projects": reviewed[t]} for t in submitted]}
    publications = list(m.Publication.objects.filter(table__year__year=year).order_by("pk")
                        .values_list("pk", flat=True))
    names = list(m.Project.objects.filter(table__year__year=year, table__status=m.Status.PUBLISHED)
                 .values_list("name", flat=True)[:2000])
    queries = sorted({n[:2] for n in names if len(n) >= 2})[:200] or ["项目"]
    return {"editors": editors, "approvers": approvers, "reviewer": reviewer,
            "dashboard": f"/dashboard/?year={year}",
            "public": {"year": year, "publications": rng.sample(publications, min(200, len(publications))),
                       "queries": queries},
            "api": api_urls(year, rng)}


def still_draft(the_plan: dict) -> dict:
    """The plan with only the approvers' tables that are still drafts (earlier rates submitted some)."""
    from django.db import connections

    from jixiao.web.entry import models as m

    ids = set(m.DisclosureTable.objects.filter(pk__in=[a["table"] for a in the_plan["approvers"]],
                                               status=m.Status.DRAFT).values_list("pk", flat=True))
    connections.close_all()
    return {**the_plan, "approvers": [a for a in the_plan["approvers"] if a["table"] in ids]}


def api_urls(year: int, rng) -> list[str]:
    """Project listings deep in the year: random page numbers in the second half when the API
    pages by number; else the pages its ``next`` links lead to, walked here once, from the
    second half of the walk (a cursor cannot be made up)."""
    from urllib.parse import urlsplit

    from django.test import Client

    client = Client()
    first = f"/api/projects/?year={year}"
    answer = client.get(first).json()
    count, size = answer.get("count"), len(answer.get("results") or []) or 50
    if "page" in answer and count:
        last = max(1, -(-count // size))
        return [f"{first}&page={rng.randint(max(1, last // 2), last)}" for _ in range(500)]
    walked = [first]
    while answer.get("next") and len(walked) < 2000:
        parts = urlsplit(answer["next"])
        walked.append(parts.path + ("?" + parts.query if parts.query else ""))
        answer = client.get(walked[-1]).json()
    return walked[len(walked) // 2:]


# --- servers ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads),
                             "--workers", str(workers)],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("jixiao serve exited: " + log.read_text(errors="replace")[-2000:]) from None
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("jixiao serve did not answer within 60 s")


class Watch:
    """CPU time and resident memory of a server and its worker processes, sampled every 0.5 s."""

    def __init__(self, pid: int):
        self.root = psutil.Process(pid)
        self.peak_mib = 0.0
        self.cpu0 = self.cpu()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def processes(self):
        return [self.root, *self.root.children(recursive=True)]

    def cpu(self) -> float:
        total = 0.0
        for p in self.processes():
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def _sample(self):
        while not self._stop.wait(0.5):
            rss = 0
            for p in self.processes():
                try:
                    rss += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_mib = max(self.peak_mib, rss / 2**20)

    def stop(self) -> tuple[float, float]:
        """CPU seconds since the start, peak MiB."""
        cpu = self.cpu() - self.cpu0
        self._stop.set()
        self._thread.join()
        return cpu, round(self.peak_mib, 1)


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    client.flushdb()
    client.close()


def measure(env: dict, the_plan: dict, workers: int, rate: float, args, workdir: Path) -> dict:
    plan_path = workdir / f"plan-{workers}-{rate}.json"
    plan_path.write_text(json.dumps(still_draft(the_plan), ensure_ascii=False), encoding="utf-8")
    flush_redis(args.redis_url)
    port = free_port()
    log = workdir / f"serve-{workers}-{rate}.log"
    server = serve(env, port, workers, args.threads, log)
    try:
        base = [f"--base=http://127.0.0.1:{port}"]
        warm = subprocess.run([sys.executable, str(ROOT / "bench" / "load_driver.py"), str(plan_path), *base,
                               "--rate", "1", "--duration", "0", "--warm-up"], capture_output=True, text=True)
        if warm.returncode != 0:
            raise SystemExit("warm-up failed: " + warm.stdout[-2000:] + warm.stderr[-2000:]
                             + log.read_text(errors="replace")[-2000:])
        watch = Watch(server.pid)
        load0 = os.getloadavg()[0]
        driver = subprocess.run([sys.executable, str(ROOT / "bench" / "load_driver.py"), str(plan_path), *base,
                                 "--rate", str(rate), "--duration", str(args.duration), "--think", str(args.think),
                                 "--seed", str(args.seed + int(rate * 1000) + workers)],
                                capture_output=True, text=True)
        cpu, peak = watch.stop()
        if driver.returncode != 0:
            raise SystemExit("load driver failed: " + driver.stderr[-3000:])
        r = json.loads(driver.stdout.strip().splitlines()[-1])
        r["server_cpu_ms_per_request"] = round(cpu * 1000 / max(1, r["requests"]), 2)
        r["server_cpu_seconds"] = round(cpu, 1)
        r["server_peak_rss_mib"] = peak
        r["loadavg_1min"] = [round(load0, 1), round(os.getloadavg()[0], 1)]
        r["workers"] = workers
        r["passes"] = (r["errors"] == 0 and r["unfinished_sessions"] == 0 and r["failed_sessions"] == 0
                       and all(p["p95_ms"] <= args.p95_goal for p in r["pages"].values()))
        server_errors = log.read_text(errors="replace").count("Internal Server Error")
        r["server_5xx_logged"] = server_errors
        return r
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def page_cpu(env: dict, the_plan: dict, args, workdir: Path) -> dict:
    """bench/page_cpu.py in a child process with the servers' environment (settings, cache)."""
    plan_path = workdir / "plan-page-cpu.json"
    plan_path.write_text(json.dumps(still_draft(the_plan), ensure_ascii=False), encoding="utf-8")
    flush_redis(args.redis_url)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    child = subprocess.run([sys.executable, str(ROOT / "bench" / "page_cpu.py"), str(plan_path),
                            "--samples", str(args.page_cpu_samples), "--seed", str(args.seed + 1)],
                           env={**os.environ, **env}, capture_output=True, text=True)
    if child.returncode != 0:
        raise SystemExit("page CPU measurement failed: " + child.stdout[-2000:] + child.stderr[-3000:])
    r = json.loads(child.stdout.strip().splitlines()[-1])
    r["seconds"] = round(time.perf_counter() - t0, 1)
    r["loadavg_1min"] = [round(load0, 1), round(os.getloadavg()[0], 1)]
    return r


# --- report -----------------------------------------------------------------------------------

def machine() -> dict:
    free = subprocess.run(["free", "-m"], capture_output=True, text=True).stdout.strip()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import psycopg

    with psycopg.connect(dbname="postgres", **province_db.PG) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {"nproc": nproc, "cpu": model, "free_m": free, "python": platform.python_version(), "postgresql": pg,
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def line(name: str, p: dict) -> str:
    errors = p["errors"] if not p["error_kinds"] else f"{p['errors']} ({', '.join(f'{k}: {v}' for k, v in p['error_kinds'].items())})"
    return (f"| {name} | {p['requests']} | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['p99_ms']:.0f} | "
            f"{errors} |")


def markdown(results: dict, command: str) -> str:
    m = results["machine"]
    out = [f"### {m['date']}: {results['load']['projects']:,} projects, "
           + (f"{results['args']['duration']:.0f} s per rate" if results["runs"] else "server CPU by page"), "",
           f"Command: `{command}`", "",
           f"Machine: `nproc` = {m['nproc']} ({m['cpu']}), Python {m['python']}, PostgreSQL {m['postgresql']}; "
           "`free -m`:", "", "```", m["free_m"], "```", ""]
    for workers, runs in results["runs"].items():
        best = max((r["rate"] for r in runs if r["passes"]), default=None)
        out += [f"**{workers} server process{'es' if workers != '1' else ''}** (`jixiao serve --workers {workers} "
                f"--threads {results['args']['threads']}`): highest arrival rate with every page's p95 ≤ "
                f"{results['args']['p95_goal']:.0f} ms and no error: "
                + (f"**{best:g} sessions/s**" if best is not None else "**none of the rates tried**") + ".", ""]
        out += ["| Rate (sessions/s) | Requests/s | Requests (writes) | Errors | Server CPU per request | "
                "Peak memory (all processes) | Load avg | Passes |", "|---|---|---|---|---|---|---|---|"]
        for r in runs:
            out.append(f"| {r['rate']:g} | {r['requests_per_second']} | {r['requests']} ({r['writes']}, "
                       f"{100 * r['writes'] / max(1, r['requests']):.0f} %) | {r['errors']} "
                       f"(unfinished sessions {r['unfinished_sessions']}) | {r['server_cpu_ms_per_request']} ms | "
                       f"{r['server_peak_rss_mib']} MiB | {r['loadavg_1min'][0]}→{r['loadavg_1min'][1]} | "
                       f"{'yes' if r['passes'] else 'no'} |")
        out.append("")
        for r in runs:
            out += [f"{workers} process(es), {r['rate']:g} sessions/s — per page (ms):", "",
                    "| Page | Requests | p50 | p95 | p99 | Errors |", "|---|---|---|---|---|---|"]
            out += [line(name, p) for name, p in r["pages"].items()]
            out.append("")
    if results.get("page_cpu"):
        pc = results["page_cpu"]
        out += ["#### Server CPU per request, by page", "",
                f"Each page of the load asked in-process (bench/page_cpu.py: Django's test client, the servers' "
                f"settings and Redis cache database, the plan's users, URLs and posted forms) in "
                f"{pc['samples']} sessions of each kind after {pc['warm_rounds']} unmeasured rounds; "
                "CPU = `time.process_time()` around each request (Django, templates, database driver; not "
                "PostgreSQL's own CPU); the cache emptied once before, not between requests; the save, submit "
                "and comment POSTs and the page each redirects to run in a transaction rolled back afterwards. "
                f"{pc['seconds']:.0f} s, load average {pc['loadavg_1min'][0]}→{pc['loadavg_1min'][1]}.", ""]
        out += page_cpu_module.markdown(pc)
        out.append("")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, default=2019)
    parser.add_argument("--published-share", type=float, default=0.1)
    parser.add_argument("--submitted-share", type=float, default=0.3)
    parser.add_argument("--rates", default="5,10,20,40", help="session arrivals per second, comma-separated")
    parser.add_argument("--processes", default="1,2", help="server process counts (jixiao serve --workers)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of arrivals per rate")
    parser.add_argument("--think", type=float, default=2.0, help="mean think time between a session's pages, s")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads per process")
    parser.add_argument("--p95-goal", type=float, default=300.0, help="ms")
    parser.add_argument("--all-rates", action="store_true", help="go on after a rate that fails")
    parser.add_argument("--db", default="jixiao_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7",
                        help="the servers' cache (JIXIAO_CACHE_URL); emptied before every rate")
    parser.add_argument("--reload", action="store_true",
                        help="drop --db and load the province again (needed when --db holds anything else)")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--load-only", action="store_true", help="load (or check the loaded database) and stop")
    parser.add_argument("--page-cpu", action="store_true",
                        help="also measure the server's CPU per request of each page (bench/page_cpu.py)")
    parser.add_argument("--page-cpu-only", action="store_true", help="measure --page-cpu and skip the load")
    parser.add_argument("--page-cpu-samples", type=int, default=30, help="measured sessions of each kind")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args()
    if args.db in ("test", "postgres"):
        raise SystemExit("refusing to use that database")

    workdir = Path(tempfile.mkdtemp(prefix="jixiao-bench-load-"))
    wanted = {"projects": args.projects, "seed": args.seed, "year": args.year,
              "published_share": args.published_share, "submitted_share": args.submitted_share}
    previous = None if args.reload else province_db.loaded(args.db)
    reuse = previous is not None and previous["args"] == wanted
    if not reuse and not args.reload and province_db.database_exists(args.db):
        # Never drop a database loaded with other arguments (or by something else) unasked:
        # a 200,000-project load is minutes of work, perhaps someone else's.
        held = previous["args"] if previous else "no finished load of this benchmark"
        raise SystemExit(f"database {args.db} holds {held}, not {wanted}: "
                         "--reload replaces it, --db names another")
    if not reuse:
        province_db.recreate_database(args.db)
    env = province_db.setup_django(args.db, str(workdir))
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    if reuse:
        summary = previous["summary"]
        print(f"reusing database {args.db}: {json.dumps(summary, ensure_ascii=False)}", flush=True)
    else:
        summary = province_db.load(args.projects, args.seed, args.published_share, args.submitted_share, args.year,
                                   "sampled")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        province_db.mark_loaded(wanted, summary)
        print(json.dumps(summary, ensure_ascii=False), flush=True)
    if args.load_only:
        return 0
    t0 = time.perf_counter()
    the_plan = plan(args.year, args.seed)
    print(f"plan: {len(the_plan['editors'])} editors, {len(the_plan['approvers'])} tables to submit, "
          f"{len(the_plan['reviewer']['tables'])} submitted tables to review "
          f"({time.perf_counter() - t0:.1f} s)", flush=True)
    connections.close_all()
    env = {**env, "JIXIAO_CACHE_URL": args.redis_url}
    results = {"machine": machine(), "args": vars(args), "load": summary, "runs": {}}
    rates = [] if args.page_cpu_only else [float(r) for r in args.rates.split(",") if r.strip()]
    try:
        if args.page_cpu or args.page_cpu_only:
            results["page_cpu"] = page_cpu(env, the_plan, args, workdir)
            worst = max(results["page_cpu"]["pages"].items(), key=lambda kv: kv[1]["median_ms"])
            print(f"page CPU: {len(results['page_cpu']['pages'])} pages in {results['page_cpu']['seconds']} s, "
                  f"dearest {worst[0]} (median {worst[1]['median_ms']} ms)", flush=True)
        for workers in ([int(w) for w in args.processes.split(",")] if rates else []):
            runs = results["runs"].setdefault(str(workers), [])
            for rate in rates:
                r = measure(env, the_plan, workers, rate, args, workdir)
                runs.append(r)
                worst = max(r["pages"].items(), key=lambda kv: kv[1]["p95_ms"])
                print(f"{workers} process(es) {rate:g} sessions/s: {r['requests_per_second']} req/s, "
                      f"{r['requests']} requests ({r['writes']} writes), errors {r['errors']}, "
                      f"unfinished {r['unfinished_sessions']}, sessions {r['sessions']}, worst p95 {worst[1]['p95_ms']} ms ({worst[0]}), "
                      f"cpu/req {r['server_cpu_ms_per_request']} ms, peak {r['server_peak_rss_mib']} MiB, "
                      f"load {r['loadavg_1min']} → {'pass' if r['passes'] else 'FAIL'}", flush=True)
                if not r["passes"] and not args.all_rates:
                    break
    finally:
        if args.drop:
            province_db.drop_database(args.db)
        shutil.rmtree(workdir, ignore_errors=True)
    command = ".venv/bin/python bench/bench_load.py " + " ".join(sys.argv[1:])
    print()
    print(markdown(results, command))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
