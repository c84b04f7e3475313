"""The whole hostile-input corpus through the CLI and the web upload (not a test; figures in
docs/reliability.md).

1. Writes the corpus (tests/hostile/make_corpus.py, ≥ 500 files) into ``--corpus``.
2. ``cli``: runs ``jixiao import FILE -o … --report …`` on every file (and ``jixiao check FILE``
   on every ``.json``), one process each, recording the exit code, whether a traceback or an
   internal error (exit 3) came out, the wall time, the peak memory of the parsing child process
   (``peak … MB`` of its ``JIXIAO_LOG_LEVEL=INFO`` line; the kernel's ``VmHWM``) and of the CLI
   process itself (``wait4``'s ``ru_maxrss``, which on Linux includes the bench's own memory
   at the fork — an upper bound).
3. ``web``: starts ``jixiao demo`` (waitress, a fresh SQLite data folder, 127.0.0.1, a free
   port), logs in as the demo department editor and uploads every file on ``/import/``,
   recording the HTTP status, the time, the parsing child's peak memory (from the server's
   log) and the server's resident memory (``VmRSS``) before, after every upload and at the end,
   then checks that the server still answers.
4. Writes the summary table and the worst cases into ``--out`` (docs/reliability.md) between
   its ``<!-- bench_hostile -->`` markers, and the raw rows as JSON next to the corpus.

Run each part under a memory limit (other processes share the machine)::

    prlimit --as=6000000000 .venv/bin/python bench/bench_hostile.py --phase cli
    prlimit --as=6000000000 .venv/bin/python bench/bench_hostile.py --phase web
    .venv/bin/python bench/bench_hostile.py --phase report

(``--phase all`` runs the three in turn.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
PY = sys.executable
PEAK = re.compile(r"import child for .*?: status (-?\d+|None), peak ([\d.]+) MB, CPU ([\d.na]+) s, wall ([\d.]+) s")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["JIXIAO_LOG_LEVEL"] = "INFO"
    return env


def make(corpus: Path) -> list[Path]:
    subprocess.run([PY, str(ROOT / "tests" / "hostile" / "make_corpus.py"), str(corpus)], check=True)
    import make_corpus

    # Families interleaved (bombs, JSON, truncations, … one of each in turn), so that a run cut
    # short by the machine's time still covers every family.
    families: dict[str, list[str]] = {}
    for name, _ in make_corpus.corpus():
        families.setdefault(name.split("-")[0], []).append(name)
    order = []
    while any(families.values()):
        for names in families.values():
            if names:
                order.append(names.pop(0))
    return [corpus / name for name in order]


def run_cli(path: Path, args: list[str], work: Path) -> dict:
    started = time.monotonic()
    with open(work / "stderr.txt", "wb") as err:
        proc = subprocess.Popen([PY, "-m", "jixiao", *args], stdout=subprocess.DEVNULL, stderr=err,
                                env=_env(), cwd=work)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    text = (work / "stderr.txt").read_text("utf-8", "replace")
    peaks = [float(m.group(2)) for m in PEAK.finditer(text)]
    message = [line for line in text.splitlines() if not PEAK.search(line)]
    return {"file": path.name, "command": args[0], "exit": proc.returncode, "seconds": round(elapsed, 2),
            "child_peak_mb": max(peaks) if peaks else None, "cli_peak_mb": round(usage.ru_maxrss / 1024, 1),
            "traceback": "Traceback" in text or proc.returncode not in (0, 1, 2),
            "message": (message[-1] if message else "")[:300]}


def phase_cli(files: list[Path], results: Path) -> None:
    work = results.parent / "cli-work"
    work.mkdir(exist_ok=True)
    rows = []
    for i, path in enumerate(files, 1):
        out = work / "out.json"
        out.unlink(missing_ok=True)
        rows.append(run_cli(path, ["import", str(path), "-o", str(out), "--report", str(work / "r.txt")], work))
        if path.suffix == ".json":
            rows.append(run_cli(path, ["check", str(path)], work))
        if i % 10 == 0 or i == len(files):  # kept as it goes: an interrupted run still reports
            results.write_text(json.dumps(rows, ensure_ascii=False, indent=0), "utf-8")
            print(f"cli: {i}/{len(files)}", file=sys.stderr, flush=True)


# --- web ---------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=600) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str]:
        req = urllib.request.Request(self.base + path, data=body, method="POST", headers={
            "Content-Type": content_type, "X-CSRFToken": self.csrf(), "Referer": self.base + path})
        try:
            with self.opener.open(req, timeout=600) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def login(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        body = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": self.csrf()}).encode()
        status, page = self.post("/accounts/login/", body, "application/x-www-form-urlencoded")
        assert status == 200 and any(c.name == "sessionid" for c in self.jar), f"login failed ({status})"

    def upload(self, path: Path, department: str) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{self.csrf()}\r\n',
            f'--{boundary}\r\nContent-Disposition: form-data; name="department"\r\n\r\n{department}\r\n',
        ]
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n")
        body = "".join(parts).encode() + head.encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        return self.post("/import/", body, f"multipart/form-data; boundary={boundary}")


def phase_web(files: list[Path], results: Path) -> None:
    data = results.parent / f"web-data-{os.getpid()}"
    port = _free_port()
    log_path = results.parent / "server.log"
    log = open(log_path, "wb")
    subprocess.run([PY, "-m", "jixiao", "demo", "--no-serve", "--data", str(data)], check=True,
                   stdout=subprocess.DEVNULL, env=_env())
    password = json.loads((data / "demo-users.json").read_text("utf-8"))["gsl_editor"]
    server = subprocess.Popen([PY, "-m", "jixiao", "demo", "--host", "127.0.0.1", "--port", str(port),
                               "--data", str(data)], stdout=subprocess.DEVNULL, stderr=log, env=_env())
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=120)
            break
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    browser = Browser(base)
    browser.login("gsl_editor", password)
    status, page = browser.get("/import/")
    department = re.search(r'name="department"[^>]*>\s*(?:<option value="">[^<]*</option>\s*)?<option value="(\d+)"',
                           page).group(1)
    rss_start = _rss_mb(server.pid)
    rows = []
    offset = log_path.stat().st_size
    for i, path in enumerate(files, 1):
        started = time.monotonic()
        status, page = browser.upload(path, department)
        elapsed = time.monotonic() - started
        time.sleep(0.02)
        with open(log_path, "rb") as fh:
            fh.seek(offset)
            new = fh.read().decode("utf-8", "replace")
            offset = fh.tell()
        peaks = [float(m.group(2)) for m in PEAK.finditer(new)]
        rows.append({"file": path.name, "status": status, "seconds": round(elapsed, 2),
                     "child_peak_mb": max(peaks) if peaks else None, "server_rss_mb": round(_rss_mb(server.pid), 1),
                     "traceback": "Traceback" in new or status >= 500})
        if i % 10 == 0 or i == len(files):  # kept as it goes: an interrupted run still reports
            status_after = browser.get("/import/")[0]  # the server still answers
            results.write_text(json.dumps({
                "rows": rows, "rss_start_mb": round(rss_start, 1), "rss_end_mb": round(_rss_mb(server.pid), 1),
                "rss_max_mb": max(r["server_rss_mb"] for r in rows), "answers_after": status_after},
                ensure_ascii=False, indent=0), "utf-8")
            print(f"web: {i}/{len(files)} rss {rows[-1]['server_rss_mb']} MB", file=sys.stderr, flush=True)
    server.terminate()
    server.wait(timeout=30)
    log.close()


# --- report ------------------------------------------------------------------------------

def _family(name: str) -> str:
    return name.split("-")[0]


def report(cli_path: Path, web_path: Path, out: Path, command: str) -> None:
    cli = json.loads(cli_path.read_text("utf-8")) if cli_path.exists() else []
    web = json.loads(web_path.read_text("utf-8")) if web_path.exists() else None
    lines = [f"Measured {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
             f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2 ** 30)} GB, "
             f"Python {platform.python_version()}, shared with other jobs (times are wall clock under load). "
             f"Command: `{command}`.", ""]
    if cli:
        files = {r["file"] for r in cli}
        lines += [f"### CLI: {len(files)} files, {len(cli)} runs (`jixiao import`, and `jixiao check` on every .json)",
                  "", "| family | runs | exit 0 | exit 1 | exit 2 | other exit / traceback | max child peak MB | "
                  "max CLI peak MB | max s | median s |", "|---|---|---|---|---|---|---|---|---|---|"]
        for fam in sorted({_family(r["file"]) for r in cli}) + ["all"]:
            rs = [r for r in cli if fam == "all" or _family(r["file"]) == fam]
            secs = sorted(r["seconds"] for r in rs)
            peaks = [r["child_peak_mb"] for r in rs if r["child_peak_mb"] is not None]
            lines.append(f"| {'**all**' if fam == 'all' else fam} | {len(rs)} | "
                         + " | ".join(str(sum(r["exit"] == c for r in rs)) for c in (0, 1, 2))
                         + f" | {sum(r['traceback'] for r in rs)} | {max(peaks) if peaks else '–'} | "
                         f"{max(r['cli_peak_mb'] for r in rs)} | {secs[-1]} | {secs[len(secs) // 2]} |")
        lines += ["", "Worst cases (CLI, by the parsing process's peak memory, then by time):", "",
                  "| file | command | exit | child peak MB | s | message |", "|---|---|---|---|---|---|"]
        worst = sorted(cli, key=lambda r: -(r["child_peak_mb"] or 0))[:8]
        worst += [r for r in sorted(cli, key=lambda r: -r["seconds"])[:6] if r not in worst]
        for r in worst:
            lines.append(f"| {r['file']} | {r['command']} | {r['exit']} | {r['child_peak_mb']} | {r['seconds']} | "
                         f"{r['message'][:160].replace('|', '/')} |")
        lines.append("")
    if web:
        rows = web["rows"]
        codes: dict[int, int] = {}
        for r in rows:
            codes[r["status"]] = codes.get(r["status"], 0) + 1
        peaks = [r["child_peak_mb"] for r in rows if r["child_peak_mb"] is not None]
        secs = sorted(r["seconds"] for r in rows)
        lines += [f"### Web: {len(rows)} uploads to a live `jixiao demo` (waitress, SQLite)", "",
                  "HTTP 200 is an accepted file: the 302 to its preview, followed. 422 is a refusal with its "
                  "reason on the file field (a wrong suffix or content, a malformed file, a limit).", "",
                  "| measure | value |", "|---|---|",
                  "| HTTP status | " + ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())) + " |",
                  f"| 5xx or traceback in the server log | {sum(r['traceback'] for r in rows)} |",
                  f"| parsing child's peak memory, max | {max(peaks) if peaks else '–'} MB |",
                  f"| upload time, median / max | {secs[len(secs) // 2]} s / {secs[-1]} s |",
                  f"| server RSS before → max → after | {web['rss_start_mb']} → {web['rss_max_mb']} → "
                  f"{web['rss_end_mb']} MB (after − before: {round(web['rss_end_mb'] - web['rss_start_mb'], 1)} MB) |",
                  f"| server still answers (GET /import/ after the run) | {web['answers_after']} |", "",
                  "Slowest uploads:", "", "| file | HTTP | s | child peak MB | server RSS MB |", "|---|---|---|---|---|"]
        for r in sorted(rows, key=lambda r: -r["seconds"])[:6]:
            lines.append(f"| {r['file']} | {r['status']} | {r['seconds']} | {r['child_peak_mb']} | {r['server_rss_mb']} |")
        lines.append("")
    text = out.read_text("utf-8")
    start, end = "<!-- bench_hostile -->", "<!-- /bench_hostile -->"
    i, j = text.index(start) + len(start), text.index(end)
    out.write_text(text[:i] + "\n" + "\n".join(lines) + "\n" + text[j:], "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/tmp/jixiao-hostile/corpus")
    parser.add_argument("--phase", choices=["cli", "web", "report", "all"], default="all")
    parser.add_argument("--only", default=None, help="a substring: only corpus files whose name holds it")
    parser.add_argument("--out", default=str(ROOT / "docs" / "reliability.md"))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    results = corpus.parent
    results.mkdir(parents=True, exist_ok=True)
    files = make(corpus) if args.phase != "report" else []
    if args.only:
        files = [f for f in files if args.only in f.name]
    if args.phase in ("cli", "all"):
        phase_cli(files, results / "cli.json")
    if args.phase in ("web", "all"):
        phase_web(files, results / "web.json")
    if args.phase in ("report", "all"):
        report(results / "cli.json", results / "web.json", Path(args.out),
               "prlimit --as=6000000000 python bench/bench_hostile.py --phase cli|web|report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
