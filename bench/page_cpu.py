"""The server's CPU time per request of each page of the entry-week load, measured page by page
(not a test; run by bench/bench_load.py ``--page-cpu`` in a child process:
``python bench/page_cpu.py PLAN.json --samples 30`` prints one JSON line).

Why a separate measurement: under load, psutil gives the server processes' CPU over all pages
together, and a mix's average says nothing about which page to make cheaper, nor how many of
each page two cores can answer. Here every page kind of bench/load_driver.py is asked in turn,
in this process, through Django's test client (the whole middleware stack, the same settings
and environment as ``jixiao serve``, the same database and Redis cache database), with the
URLs, users (session cookies of the plan), CSRF tokens and posted bodies the load uses (the
forms posted back as the pages rendered them). Around each request: ``time.process_time()``
(user + system CPU of this process: Django, the templates, the database driver; not
PostgreSQL's own CPU, which the load's psutil figure does not count either, nor waitress'
HTTP parsing) and the number of SQL statements (``connection.execute_wrapper``).

Writes (save, submit, comment) run inside ``transaction.atomic()`` rolled back at the end
(``set_rollback(True)``), together with the page their redirect leads to, so the tables the
approvers submit stay drafts for the load and no comment or version is left behind. A job the
view starts runs in-process (no broker, as for the servers the load starts) and is counted.

The cache is the servers' Redis database, emptied by the caller before; two rounds of every
page are asked first and not counted (templates compiled, connection open, cache filled as
in a running server); it is not emptied between requests, so cached pages are measured as
the load meets them after its warm-up.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_posts  # noqa: E402  (the forms each session posts, as bench/load_driver.py posts them)

WARM_ROUNDS = 2


class Pages:
    """One round = one session of each kind, as bench/load_driver.py makes them (without the
    think times), each request timed."""

    def __init__(self, plan: dict, seed: int):
        self.plan = plan
        self.rng = random.Random(seed)
        self.cpu: dict[str, list[float]] = {}
        self.queries: dict[str, list[int]] = {}
        self.errors: dict[str, list[str]] = {}
        self.recording = False
        self.counter = 0

    def browser(self, cookie: str | None):
        from django.test import Client

        # As a browser meets it: the CSRF check runs; a server error is an answer (counted), not a raise.
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        for part in (cookie or "").split("; "):
            if part:
                name, _, value = part.partition("=")
                client.cookies[name] = value
        return client

    def request(self, client, page: str, method: str, path: str, expect: int, data: dict | None = None):
        from django.db import connection

        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            c0 = time.process_time()
            if data is None:
                r = client.get(path)
            else:  # multipart, as the load driver posts it
                r = client.post(path, data, headers={"Referer": "http://testserver" + path})
            used = time.process_time() - c0
        if self.recording:
            self.cpu.setdefault(page, []).append(used * 1000)
            self.queries.setdefault(page, []).append(count[0])
        if r.status_code != expect:
            self.errors.setdefault(page, []).append(f"{path}: HTTP {r.status_code}")
            return None
        return r

    def rolled_back(self, client, page: str, path: str, data: dict, after: str) -> None:
        """POST ``data`` and GET the page it redirects to, then undo both."""
        from django.db import transaction

        with transaction.atomic():
            done = self.request(client, page, "POST", path, 302, data)
            if done is not None:
                self.request(client, after, "GET", done.headers["Location"], 200)
            transaction.set_rollback(True)

    def editor(self, i: int) -> None:
        e = self.plan["editors"][i % len(self.plan["editors"])]
        s = self.browser(e["cookie"])
        if self.request(s, "editor: table page", "GET", f"/tables/{e['table']}/", 200) is None:
            return
        project = self.rng.choice(e["projects"])
        form = self.request(s, "editor: project form", "GET", f"/projects/{project}/", 200)
        if form is None:
            return
        self.counter += 1
        post = load_posts.project_save(form.content.decode(), self.counter)
        self.rolled_back(s, "editor: save project (POST)", f"/projects/{project}/", post, "editor: page after save")

    def approver(self, i: int) -> None:
        if not self.plan["approvers"]:
            return
        a = self.plan["approvers"][i % len(self.plan["approvers"])]
        s = self.browser(a["cookie"])
        if self.request(s, "approver: table page", "GET", f"/tables/{a['table']}/", 200) is None:
            return
        page = self.request(s, "approver: submit page", "GET", f"/tables/{a['table']}/submit/", 200)
        if page is None:
            return
        post = load_posts.submission(page.content.decode())
        self.rolled_back(s, "approver: submit (POST)", f"/tables/{a['table']}/submit/", post,
                         "approver: page after submit")

    def reviewer(self, i: int) -> None:
        r = self.plan["reviewer"]
        s = self.browser(r["cookie"])
        if self.request(s, "reviewer: dashboard", "GET", self.plan["dashboard"], 200) is None:
            return
        table = self.rng.choice(r["tables"])
        page = self.request(s, "reviewer: submitted table page", "GET", f"/tables/{table['table']}/", 200)
        if page is None:
            return
        self.request(s, "reviewer: score page", "GET",
                     f"/review/projects/{self.rng.choice(table['projects'])}/scores/", 200)
        self.counter += 1
        post = load_posts.comment(page.content.decode(), table["table"], self.counter)
        self.rolled_back(s, "reviewer: comment (POST)", f"/tables/{table['table']}/comment/", post,
                         "reviewer: page after comment")

    def public(self, i: int) -> None:
        p = self.plan["public"]
        s = self.browser(None)
        steps = [("public: portal index", "/portal/"), ("public: year", f"/portal/?year={p['year']}"),
                 ("public: published table", f"/portal/publications/{self.rng.choice(p['publications'])}/"),
                 ("public: search", "/portal/?q=" + quote(self.rng.choice(p["queries"]))),
                 ("public: CSV download", f"/portal/publications/{self.rng.choice(p['publications'])}/download/csv/")]
        for page, path in steps:
            if self.request(s, page, "GET", path, 200) is None:
                return

    def api(self, i: int) -> None:
        s = self.browser(None)
        r = self.request(s, "API: projects, deep page", "GET", self.rng.choice(self.plan["api"]), 200)
        for _ in range(2):
            if r is None:
                return
            following = r.json().get("next")
            if not following:
                return
            r = self.request(s, "API: projects, next page", "GET", following, 200)

    def round(self, i: int) -> None:
        for kind in ("editor", "approver", "reviewer", "public", "api"):
            getattr(self, kind)(i)


def quantile(values: list[float], f: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(f * len(ordered)))]


def measure(plan: dict, samples: int, seed: int) -> dict:
    pages = Pages(plan, seed)
    for i in range(WARM_ROUNDS):
        pages.round(i)
    pages.recording = True
    pages.errors = {}
    for i in range(samples):
        pages.round(WARM_ROUNDS + i)
    out = {}
    for page, cpu in pages.cpu.items():
        q = pages.queries[page]
        out[page] = {"requests": len(cpu), "median_ms": round(quantile(cpu, 0.5), 1),
                     "p95_ms": round(quantile(cpu, 0.95), 1), "mean_ms": round(sum(cpu) / len(cpu), 1),
                     "queries_min": min(q), "queries_median": quantile(q, 0.5), "queries_max": max(q),
                     "errors": len(pages.errors.get(page, [])), "error_samples": pages.errors.get(page, [])[:3]}
    return {"samples": samples, "warm_rounds": WARM_ROUNDS, "pages": out}


def markdown(result: dict) -> list[str]:
    out = ["| Page | Requests measured | Median ms | p95 ms | SQL queries |", "|---|---|---|---|---|"]
    for page, p in sorted(result["pages"].items()):
        queries = (f"{p['queries_min']}" if p["queries_min"] == p["queries_max"]
                   else f"{p['queries_median']} ({p['queries_min']}–{p['queries_max']})")
        errors = f" ({p['errors']} errors)" if p["errors"] else ""
        out.append(f"| {page} | {p['requests']}{errors} | {p['median_ms']:.1f} | {p['p95_ms']:.1f} | {queries} |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan")
    parser.add_argument("--samples", type=int, default=30, help="measured sessions of each kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    import django

    django.setup()  # DJANGO_SETTINGS_MODULE, DATABASE_URL, JIXIAO_CACHE_URL: the servers' environment
    plan = json.loads(Path(args.plan).read_text("utf-8"))
    result = measure(plan, args.samples, args.seed)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
