"""Benchmark: the MoF 项目支出绩效自评表 of a generated department table (one form per
project) to XLSX and to PDF, and the XLSX converted to PDF by LibreOffice headless. Not a
test: run it by hand and copy the figures into docs/benchmarks/mof-form.md.

    .venv/bin/python bench/bench_mof_form.py [--projects 1000] [--seed 0] [--no-libreoffice]
        [--engines typst,weasyprint]

Wall and CPU seconds are both printed. Scoring is timed on its own (it is shared by both outputs); each writer's time includes it
again, since that is what a user waits for. Peak memory is the process's maximum resident
set size, which only grows, so the figure after each step bounds that step.

The PDF is written once per engine (``pdf_engine``: typst, weasyprint), each in a fresh
Python process that first builds the table (not timed), so one engine's memory does not hide
the other's. Its CPU includes the Typst compile's child process; "typst child max RSS" is that
child's peak (the compiler), which runs beside the parent's "max RSS".
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
from jixiao.formats import mof_grid, mof_html, mof_xlsx
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


def children_maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


def pdf_step(engine: str, projects: int, seed: int, out: Path) -> None:
    """Write the forms' PDF with one engine (run in a fresh process by main)."""
    table = generate_table(projects, seed=seed)
    if engine == "typst":
        from jixiao.formats.mof_typst import write_mof_pdf_typst as write
    else:
        write = mof_html.write_mof_pdf
    path = out / f"forms-{engine}.pdf"
    timed(f"write_mof_pdf ({engine})", lambda: write(table, path))
    # Read before pdfinfo runs: a child forked from this process counts its parent's pages.
    child = f"typst child max RSS {children_maxrss_mb():.0f} MB; " if engine == "typst" else ""
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    print(f"{'':<34} {child}"
          + next((" ".join(line.split()) for line in pages.splitlines() if line.startswith("Pages")), "?"),
          f"{path.stat().st_size / 1e6:.1f} MB", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-libreoffice", action="store_true")
    ap.add_argument("--engines", default="typst,weasyprint",
                    help="PDF engines to time, comma-separated (default: typst,weasyprint)")
    ap.add_argument("--pdf-step", metavar="ENGINE", help=argparse.SUPPRESS)  # internal
    ap.add_argument("--out", help=argparse.SUPPRESS)  # internal
    args = ap.parse_args(argv)
    if args.pdf_step:
        pdf_step(args.pdf_step, args.projects, args.seed, Path(args.out))
        return 0

    table = generate_table(args.projects, seed=args.seed)
    cells = sum(len(p.indicators) for p in table.projects)
    print(f"table: {len(table.projects)} projects, {cells} indicator cells")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timed("score_table", lambda: scoring.score_table(table))
        timed("build_forms (score + layout)", lambda: mof_grid.build_forms(table))
        timed("write_mof_xlsx", lambda: mof_xlsx.write_mof_xlsx(table, out / "forms.xlsx"))
        print(f"XLSX {(out / 'forms.xlsx').stat().st_size / 1e6:.1f} MB", flush=True)
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            subprocess.run([sys.executable, __file__, "--pdf-step", engine, "--projects", str(args.projects),
                            "--seed", str(args.seed), "--out", str(out)], check=True)
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
