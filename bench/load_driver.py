"""The open-loop load of bench/bench_load.py (not a test), run by it in a child process:
``python bench/load_driver.py PLAN.json --rate 10 --duration 60 --think 2`` prints one JSON
line of results.

**Open loop.** User sessions arrive as a Poisson process at ``--rate`` sessions per second (the
gaps are exponential, drawn before the run) whatever the server answers: a slow answer does
not delay the next arrival, it only makes more sessions overlap — as in an entry week, where
editors do not wait for each other. (A closed loop — N clients each sending its next request
when the last one is answered, as wrk does — slows its own arrivals down exactly when the
server is slow and so hides queueing.) Within a session the user reads each page for an
exponential think time (mean ``--think`` seconds; three times as long on a form being
edited) before the next request. Every session is a gevent greenlet with its own connection
(requests, monkey-patched), so thousands may be open at once.

**Sessions** (shares of arrivals; the plan holds the users' session cookies and the ids):

- editor (57 %): their draft table, a project's form (one the form accepts as stored), the
  form posted back with 存在问题 changed (multipart, the CSRF token and the version fields as
  the page rendered them), then the page the save redirects to;
- approver (3 %): their draft table, its submit page, the submission (an explanation typed
  into every open warning), then the page it redirects to;
- reviewer (20 %): the dashboard, a submitted table, a project's score page, a review comment
  posted, then the page it redirects to;
- public (15 %, anonymous): portal index, a year, a published table, a search, a CSV download;
- API (5 %, anonymous): a project listing at a page in its second half, then its ``next`` page twice.

An answer is an error when it is not the status the step expects (200, or the 302 of a
successful post), or does not come within ``--timeout`` seconds. A session still running
``--drain`` seconds after the last arrival is stopped and counted as unfinished.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402  (after monkey-patching, as gevent requires)
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from gevent.queue import Empty, Queue  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_posts  # noqa: E402  (the forms each session posts)

SHARES = {"editor": 0.57, "approver": 0.03, "reviewer": 0.20, "public": 0.15, "api": 0.05}


class Run:
    def __init__(self, plan: dict, base: list[str], think: float, timeout: float, seed: int):
        self.plan, self.base, self.think_mean, self.timeout = plan, base, think, timeout
        self.rng = random.Random(seed)
        self.records: list[tuple[str, float, float, str, bool]] = []  # page, start, ms, outcome, write
        self.editors: Queue = Queue()
        for e in plan["editors"]:
            self.editors.put(e)
        self.approvers: Queue = Queue()
        for a in plan["approvers"]:
            self.approvers.put(a)
        self.sessions = {k: 0 for k in SHARES}
        self.sessions["approver_pool_empty"] = 0
        self.unfinished = 0
        self.error_samples: list[dict] = []
        self.counter = 0
        self._base_turn = 0

    def base_url(self) -> str:
        """Round-robin over the servers' base URLs (one, or one per process)."""
        self._base_turn += 1
        return self.base[self._base_turn % len(self.base)]

    def think(self, factor: float = 1.0) -> None:
        if self.think_mean > 0:
            gevent.sleep(self.rng.expovariate(1 / (self.think_mean * factor)))

    def request(self, s: requests.Session, page: str, method: str, path: str, expect: int,
                data: dict | None = None, write: bool = False) -> requests.Response | None:
        url = path if path.startswith("http") else self.base_url() + path
        t0 = time.perf_counter()
        try:
            if data is not None:
                r = s.request(method, url, files={k: (None, v) for k, v in data.items()}, allow_redirects=False,
                              timeout=self.timeout, headers={"Referer": url})
            else:
                r = s.request(method, url, allow_redirects=False, timeout=self.timeout)
            r.content  # noqa: B018  (the whole answer is part of the latency)
            outcome = "ok" if r.status_code == expect else f"HTTP {r.status_code}"
            if outcome != "ok" and len(self.error_samples) < 10:
                # What the page said: a form's error list, else the start of the answer.
                said = re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', r.text, re.S) or [r.text[:300]]
                self.error_samples.append({"page": page, "url": url, "status": r.status_code,
                                           "said": re.sub(r"<[^>]+>", " ", " ".join(said))[:500]})
        except requests.RequestException as exc:
            r, outcome = None, type(exc).__name__
        self.records.append((page, t0, (time.perf_counter() - t0) * 1000, outcome, write))
        return r if outcome == "ok" else None

    def browser(self, cookie: str | None) -> requests.Session:
        s = requests.Session()
        if cookie:
            for part in cookie.split("; "):
                name, _, value = part.partition("=")
                s.cookies.set(name, value)
        return s

    def follow(self, s, page: str, response) -> None:
        location = response.headers.get("Location", "")
        self.request(s, page, "GET", location, 200)

    # --- sessions ----------------------------------------------------------------------

    def editor(self) -> None:
        try:
            e = self.editors.get_nowait()
        except Empty:  # every editor busy: one of them in a second window
            e = self.rng.choice(self.plan["editors"])
            taken = False
        else:
            taken = True
        try:
            s = self.browser(e["cookie"])
            if self.request(s, "editor: table page", "GET", f"/tables/{e['table']}/", 200) is None:
                return
            self.think()
            project = self.rng.choice(e["projects"])
            form = self.request(s, "editor: project form", "GET", f"/projects/{project}/", 200)
            if form is None:
                return
            self.counter += 1
            post = load_posts.project_save(form.text, self.counter)
            self.think(3)
            saved = self.request(s, "editor: save project (POST)", "POST", f"/projects/{project}/", 302, post,
                                 write=True)
            if saved is not None:
                self.follow(s, "editor: page after save", saved)
        finally:
            if taken:
                self.editors.put(e)

    def approver(self) -> None:
        try:
            a = self.approvers.get_nowait()
        except Empty:  # every prepared table submitted: an editor arrives instead
            self.sessions["approver_pool_empty"] += 1
            return self.editor()
        s = self.browser(a["cookie"])
        if self.request(s, "approver: table page", "GET", f"/tables/{a['table']}/", 200) is None:
            return
        self.think()
        page = self.request(s, "approver: submit page", "GET", f"/tables/{a['table']}/submit/", 200)
        if page is None:
            return
        post = load_posts.submission(page.text)
        self.think(2)
        done = self.request(s, "approver: submit (POST)", "POST", f"/tables/{a['table']}/submit/", 302, post,
                            write=True)
        if done is not None:
            self.follow(s, "approver: page after submit", done)

    def reviewer(self) -> None:
        r = self.plan["reviewer"]
        s = self.browser(r["cookie"])
        if self.request(s, "reviewer: dashboard", "GET", self.plan["dashboard"], 200) is None:
            return
        self.think()
        table = self.rng.choice(r["tables"])
        page = self.request(s, "reviewer: submitted table page", "GET", f"/tables/{table['table']}/", 200)
        if page is None:
            return
        self.think()
        self.request(s, "reviewer: score page", "GET", f"/review/projects/{self.rng.choice(table['projects'])}/scores/",
                     200)
        self.counter += 1
        post = load_posts.comment(page.text, table["table"], self.counter)
        self.think(2)
        done = self.request(s, "reviewer: comment (POST)", "POST", f"/tables/{table['table']}/comment/", 302, post,
                            write=True)
        if done is not None:
            self.follow(s, "reviewer: page after comment", done)

    def public(self) -> None:
        p = self.plan["public"]
        s = self.browser(None)
        steps = [("public: portal index", "/portal/"), ("public: year", f"/portal/?year={p['year']}"),
                 ("public: published table", f"/portal/publications/{self.rng.choice(p['publications'])}/"),
                 ("public: search", "/portal/?q=" + requests.utils.quote(self.rng.choice(p['queries']))),
                 ("public: CSV download", f"/portal/publications/{self.rng.choice(p['publications'])}/download/csv/")]
        for i, (page, path) in enumerate(steps):
            if i:
                self.think()
            if self.request(s, page, "GET", path, 200) is None:
                return

    def api(self) -> None:
        s = self.browser(None)
        r = self.request(s, "API: projects, deep page", "GET", self.rng.choice(self.plan["api"]), 200)
        for _ in range(2):
            if r is None:
                return
            following = r.json().get("next")
            if not following:
                return
            self.think(0.25)  # a script, not a reader
            r = self.request(s, "API: projects, next page", "GET", following, 200)

    def session(self, kind: str) -> None:
        self.sessions[kind] += 1
        getattr(self, kind)()


def summary(records, started: float, ended: float, window: float) -> dict:
    pages: dict[str, dict] = {}
    for page, _t0, ms, outcome, write in records:
        p = pages.setdefault(page, {"ms": [], "errors": {}, "write": write})
        p["ms"].append(ms)
        if outcome != "ok":
            p["errors"][outcome] = p["errors"].get(outcome, 0) + 1
    out = {}
    for page, p in sorted(pages.items()):
        ms = sorted(p["ms"])

        def q(f, ms=ms):
            return round(ms[min(len(ms) - 1, int(f * len(ms)))], 1)

        out[page] = {"requests": len(ms), "p50_ms": q(0.50), "p95_ms": q(0.95), "p99_ms": q(0.99),
                     "max_ms": round(ms[-1], 1), "errors": sum(p["errors"].values()), "error_kinds": p["errors"],
                     "write": p["write"]}
    total = len(records)
    # Throughput: the requests sent while sessions were arriving, per second of arrivals (the
    # sessions' tails after the last arrival would only lengthen the denominator).
    in_window = sum(1 for _p, t0, _ms, _o, _w in records if t0 - started < window)
    return {"pages": out, "requests": total, "writes": sum(1 for r in records if r[4]),
            "errors": sum(v["errors"] for v in out.values()), "seconds": round(ended - started, 1),
            "requests_per_second": round(in_window / max(1e-9, window), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan")
    parser.add_argument("--base", action="append", required=True, help="server base URL (repeat: round-robin)")
    parser.add_argument("--rate", type=float, required=True, help="session arrivals per second")
    parser.add_argument("--duration", type=float, default=60, help="seconds of arrivals")
    parser.add_argument("--think", type=float, default=2.0, help="mean think time between a session's pages, s")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--drain", type=float, default=60.0, help="seconds allowed after the last arrival")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm-up", action="store_true", help="one session of each kind, one after another, first")
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text("utf-8"))
    run = Run(plan, args.base, args.think, args.timeout, args.seed)
    if args.warm_up:
        warm = Run(plan, args.base, 0, 60, args.seed + 1)
        warm.approvers = Queue()  # no submission during the warm-up
        for kind in SHARES:
            warm.session(kind)
        bad = [r for r in warm.records if r[3] != "ok"]
        if bad:
            print(json.dumps({"warm_up_errors": bad[:10]}), flush=True)
            return 1
    arrivals_rng = random.Random(args.seed)
    kinds, weights = list(SHARES), list(SHARES.values())
    started = time.perf_counter()
    greenlets = []
    at = 0.0
    while True:
        at += arrivals_rng.expovariate(args.rate)
        if at >= args.duration:
            break
        gevent.sleep(max(0.0, started + at - time.perf_counter()))
        greenlets.append(gevent.spawn(run.session, arrivals_rng.choices(kinds, weights)[0]))
    gevent.joinall(greenlets, timeout=args.drain)
    run.unfinished = sum(1 for g in greenlets if not g.ready())
    gevent.killall([g for g in greenlets if not g.ready()], timeout=5)
    ended = max([t0 + ms / 1000 for _p, t0, ms, _o, _w in run.records] or [time.perf_counter()])
    failed = [g for g in greenlets if g.ready() and g.exception is not None]
    result = summary(run.records, started, ended, args.duration)
    result.update(sessions=run.sessions, unfinished_sessions=run.unfinished,
                  session_exceptions=[repr(g.exception) for g in failed[:5]], failed_sessions=len(failed),
                  arrival_seconds=args.duration, rate=args.rate, error_samples=run.error_samples)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
