"""Benchmark: the disclosure PDF of the seed table and of generated tables (WeasyPrint).

Reports, per table: the first render in a fresh process (font registration included), the
best of ``--repeat`` warm renders (wall and CPU seconds), pages and size; and once, the
seed rendered with WeasyPrint's fontTools fallback (as if libharfbuzz-subset0 were not
installed) to show what that package saves. Figures go to docs/benchmarks/pdf-render.md.

    .venv/bin/python bench/bench_pdf_render.py [--projects 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "selfeval-2019-longgang-gsl.golden.json"


def _table(spec: str):
    if spec == "seed":
        from jixiao.formats import table_json

        return table_json.load(GOLDEN)
    from jixiao.generate import generate_table

    return generate_table(projects=int(spec), seed=0)


def _pages(data: bytes) -> int | None:
    """Page count by pdfinfo (the page objects sit in compressed object streams)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    match = re.search(r"Pages:\s+(\d+)", info)
    return int(match.group(1)) if match else None


def child(spec: str, repeat: int, no_hb_subset: bool) -> None:
    """Time renders of one table in this fresh process; print JSON."""
    from jixiao.formats.html import render_disclosure_html
    from jixiao.formats.pdf_render import harfbuzz_subset_available, render_pdf_bytes

    if no_hb_subset:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None  # WeasyPrint then subsets with fontTools
    table = _table(spec)
    html = render_disclosure_html(table)
    start = time.perf_counter()
    data = render_pdf_bytes(html)
    first = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        render_pdf_bytes(html)
        warm.append((time.perf_counter() - w, time.process_time() - c))
    best = min(warm) if warm else (first, first)
    print(json.dumps({
        "table": spec, "projects": len(table.projects), "first_s": round(first, 2),
        "warm_wall_s": round(best[0], 2), "warm_cpu_s": round(best[1], 2),
        "pages": _pages(data),
        "kb": len(data) // 1024,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "hb_subset": harfbuzz_subset_available() and not no_hb_subset,
    }))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", default=None)
    parser.add_argument("--no-hb-subset", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat, args.no_hb_subset)
        return
    runs = [("seed", False), ("60", False), (str(args.projects), False), ("seed", True)]
    for spec, no_hb in runs:
        cmd = [sys.executable, __file__, "--child", spec, "--repeat", str(args.repeat)]
        if no_hb:
            cmd.append("--no-hb-subset")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        print(out.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
