"""Benchmark: a 1,000-project disclosure table to PDF (jixiao, WeasyPrint), to XLSX (jixiao,
openpyxl), and that XLSX to PDF by LibreOffice headless — the route departments use today —
side by side in one run.

Goals (docs/benchmarks/export.md): jixiao's PDF no slower than LibreOffice's conversion;
XLSX under 5 s. Each step runs in its own Python process so its peak memory (max RSS) is
its own; generating the table is not timed. CPU seconds (user + system) are reported beside
wall seconds because a shared machine inflates wall time. LibreOffice is started once on a tiny file
first so its one-off profile creation is not counted (its cold start is reported apart).

    .venv/bin/python bench/bench_export.py [--projects 1000] [--seed 0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path


def _table(projects: int, seed: int):
    from jixiao.generate import generate_table

    return generate_table(projects=projects, seed=seed)


def child(step: str, projects: int, seed: int, out: Path) -> None:
    """Run one jixiao step in this (fresh) process and print seconds and peak RSS as JSON."""
    table = _table(projects, seed)
    if step == "xlsx":
        from jixiao.formats.xlsx_write import write_disclosure_xlsx as write
    elif step == "pdf":
        from jixiao.formats.pdf_render import write_disclosure_pdf as write
    else:
        raise SystemExit(f"unknown step {step}")
    before = _cpu(resource.getrusage(resource.RUSAGE_SELF))
    start = time.perf_counter()
    write(table, out)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu": _cpu(usage) - before, "peak_mb": usage.ru_maxrss / 1024,
                      "bytes": out.stat().st_size}))


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def run_child(step: str, projects: int, seed: int, out: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", step, "--projects", str(projects),
                             "--seed", str(seed), "--out", str(out)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def soffice_convert(soffice: str, xlsx: Path, outdir: Path, profile: Path) -> dict:
    """Convert with LibreOffice headless; wall time and the peak RSS of its processes."""
    start = time.perf_counter()
    proc = subprocess.Popen([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                             "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    pdf = outdir / (xlsx.stem + ".pdf")
    if os.waitstatus_to_exitcode(status) != 0 or not pdf.exists():
        return {"error": f"soffice exit {os.waitstatus_to_exitcode(status)}"}
    return {"seconds": seconds, "cpu": _cpu(usage), "peak_mb": usage.ru_maxrss / 1024, "bytes": pdf.stat().st_size,
            "pages": _pages(pdf)}


def _pages(pdf: Path) -> int | None:
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return next((int(line.split()[1]) for line in out.splitlines() if line.startswith("Pages:")), None)


def machine() -> str:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in
                      subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
                      if line.startswith("Model name")), "")
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    return f"{os.cpu_count()} CPUs ({model or platform.processor()}), {mem_gb:.0f} GB RAM, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the outputs here and keep them")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.projects, args.seed, args.out)
        return 0

    folder = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, dict] = {}
    rows["jixiao XLSX (openpyxl)"] = run_child("xlsx", args.projects, args.seed, folder / "table.xlsx")
    rows["jixiao PDF (WeasyPrint)"] = run_child("pdf", args.projects, args.seed, folder / "table.pdf")
    if "error" not in rows["jixiao PDF (WeasyPrint)"]:
        rows["jixiao PDF (WeasyPrint)"]["pages"] = _pages(folder / "table.pdf")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice and "error" not in rows["jixiao XLSX (openpyxl)"]:
        profile = folder / f"lo-{uuid.uuid4().hex}"
        lo_out = folder / "libreoffice"
        lo_out.mkdir(exist_ok=True)
        tiny = folder / "tiny.xlsx"
        from jixiao.formats.xlsx_write import write_disclosure_xlsx

        write_disclosure_xlsx(_table(1, args.seed), tiny)
        rows["LibreOffice cold start (1-project XLSX → PDF)"] = soffice_convert(soffice, tiny, lo_out, profile)
        rows["LibreOffice XLSX → PDF"] = soffice_convert(soffice, folder / "table.xlsx", lo_out, profile)
    else:
        rows["LibreOffice XLSX → PDF"] = {"error": "soffice not found"}

    print(f"# export benchmark: {args.projects} projects, seed {args.seed}")
    print(f"machine: {machine()}")
    print(f"command: {sys.executable} {' '.join(sys.argv)}")
    print()
    print("| step | wall s | CPU s | peak RSS (MB) | output | pages |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        if "error" in r:
            print(f"| {name} | error: {r['error']} | | | | |")
            continue
        print(f"| {name} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['peak_mb']:.0f} | {r['bytes'] / 1024:.0f} KB | "
              f"{r.get('pages') or ''} |")
    xlsx, pdf, lo = (rows.get(k, {}) for k in ("jixiao XLSX (openpyxl)", "jixiao PDF (WeasyPrint)",
                                                "LibreOffice XLSX → PDF"))
    print()
    if "seconds" in xlsx:
        print(f"goal XLSX < 5 s: {'met' if xlsx['seconds'] < 5 else 'NOT met'} ({xlsx['seconds']:.2f} s)")
    if "seconds" in pdf and "seconds" in lo:
        print(f"goal jixiao PDF no slower than LibreOffice: {'met' if pdf['seconds'] <= lo['seconds'] else 'NOT met'} "
              f"({pdf['seconds']:.2f} s vs {lo['seconds']:.2f} s)")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"outputs kept in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
