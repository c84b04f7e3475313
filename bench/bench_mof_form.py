"""Benchmark: the MoF 项目支出绩效自评表 of a generated department table (one form per
project) to XLSX and to PDF, and the XLSX converted to PDF by LibreOffice headless. Not a
test: run it by hand and copy the figures into docs/benchmarks/mof-form.md.

    .venv/bin/python bench/bench_mof_form.py [--projects 1000] [--seed 0] [--no-libreoffice]

Wall and CPU seconds are both printed. Scoring is timed on its own (it is shared by both outputs); each writer's time includes it
again, since that is what a user waits for. Peak memory is the process's maximum resident
set size, which only grows, so the figure after each step bounds that step.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from jixiao.core import scoring
from jixiao.formats import mof_form
from jixiao.generate import generate_table


def maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of finished children (LibreOffice): on a shared,
    loaded machine wall time overstates the work, CPU time does not."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, fn) -> float:
    t0, c0 = time.perf_counter(), cpu_seconds()
    fn()
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    print(f"{label:<34} {seconds:8.1f} s wall {cpu:8.1f} s CPU   max RSS {maxrss_mb():6.0f} MB", flush=True)
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-libreoffice", action="store_true")
    args = ap.parse_args(argv)

    table = generate_table(args.projects, seed=args.seed)
    cells = sum(len(p.indicators) for p in table.projects)
    print(f"table: {len(table.projects)} projects, {cells} indicator cells")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timed("score_table", lambda: scoring.score_table(table))
        timed("build_forms (score + layout)", lambda: mof_form.build_forms(table))
        timed("write_mof_xlsx", lambda: mof_form.write_mof_xlsx(table, out / "forms.xlsx"))
        timed("write_mof_pdf", lambda: mof_form.write_mof_pdf(table, out / "forms.pdf"))
        pages = subprocess.run(["pdfinfo", str(out / "forms.pdf")], capture_output=True, text=True).stdout
        print("jixiao PDF:", next((line for line in pages.splitlines() if line.startswith("Pages")), "?"),
              f"{(out / 'forms.pdf').stat().st_size / 1e6:.1f} MB;",
              f"XLSX {(out / 'forms.xlsx').stat().st_size / 1e6:.1f} MB")
        if not args.no_libreoffice and shutil.which("soffice"):
            profile = Path(f"/tmp/lo-bench-{uuid.uuid4().hex}")
            lo = out / "lo"
            lo.mkdir()
            try:
                timed("LibreOffice XLSX → PDF", lambda: subprocess.run(
                    ["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                     "pdf", "--outdir", str(lo), str(out / "forms.xlsx")], check=True, capture_output=True))
            finally:
                shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
