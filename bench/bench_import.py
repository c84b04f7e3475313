"""Benchmark: importing a ~100-page disclosure PDF — jixiao vs pdfplumber's bare
``extract_tables`` (the floor) vs camelot's lattice mode (the peer).

The PDF is jixiao's own export of a generated table (``generate_table(projects, seed)``), so
the ground truth is known cell by cell: every body cell as the export prints it
(``formats.headers.column_text``). Each tool runs in a fresh interpreter so its time and peak
memory are its own. Accuracy = body cells exact / all body cells, after the one
normalisation every user of a raw extractor applies: a cell's line breaks removed (jixiao
does this itself). Each project is compared with the tool's best-matching row (see
``score``); a project whose row a tool loses counts all its cells as wrong. camelot is not a jixiao dependency; install it for the benchmark only:

    .venv/bin/pip install camelot-py opencv-python-headless ghostscript
    .venv/bin/python bench/bench_import.py                       # 1500 projects ≈ 100 pages
    .venv/bin/python bench/bench_import.py --projects 150 --tools jixiao,pdfplumber
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def truth_rows(table) -> list[list[str]]:
    from jixiao.formats.headers import body_columns, column_text

    columns = body_columns(table)
    return [[column_text(p, c) for c in columns] for p in table.projects]


def _norm(text) -> str:
    return "".join(str(text or "").split("\n")).strip()


# --- the tools: each returns body rows (lists of cell text) -------------------------------------

def run_jixiao(pdf: Path) -> list[list[str]]:
    from jixiao.formats.importer import ImportLimits, import_file

    result = import_file(pdf, ImportLimits(time_budget_seconds=3600))
    return truth_rows(result.table)


def run_pdfplumber(pdf: Path) -> list[list[str]]:
    import pdfplumber

    tables = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            tables += page.extract_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
            page.close()
    return [[_norm(c) for c in row] for t in tables for row in t]


def run_camelot(pdf: Path) -> list[list[str]]:
    import camelot

    tables = camelot.read_pdf(str(pdf), flavor="lattice", pages="all")
    return [[_norm(c) for c in row] for t in tables for row in t.df.values.tolist()]


TOOLS = {"jixiao": run_jixiao, "pdfplumber": run_pdfplumber, "camelot": run_camelot}


def score(rows: list[list[str]], truth: list[list[str]]) -> tuple[int, int]:
    """(cells exact, cells in all). Each project is matched to the tool's row that agrees with
    it on the most cells, among the rows sharing its 序号, 项目名称 or budget — lenient to
    the raw tools (a row whose 序号 landed in the wrong cell still counts its other cells).
    A raw row with extra columns from stray rules has its always-empty columns dropped."""
    ncols = len(truth[0])
    index: dict[tuple[int, str], list[list[str]]] = {}
    for row in rows:
        row = [_norm(c) for c in row]
        if len(row) > ncols:
            filled = [c for c in row if c]
            row = filled if len(filled) == ncols else row[:ncols]
        for col in (0, 2, 4):  # 序号, 项目名称, 项目年度预算金额
            if col < len(row) and row[col]:
                index.setdefault((col, row[col]), []).append(row)
    exact = 0
    for want in truth:
        want = [_norm(w) for w in want]
        candidates = [r for col in (0, 2, 4) for r in index.get((col, want[col]), [])]
        exact += max((sum(1 for i, w in enumerate(want) if i < len(r) and r[i] == w) for r in candidates), default=0)
    return exact, len(truth) * ncols


def make_pdf(projects: int, seed: int, path: Path) -> None:
    from jixiao.formats.pdf_render import write_disclosure_pdf
    from jixiao.generate import generate_table

    write_disclosure_pdf(generate_table(projects=projects, seed=seed), path)


def _peak_mb() -> float:
    """Peak resident memory of this process image. VmHWM, not ru_maxrss: Linux keeps
    ru_maxrss across exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(tool: str, pdf: Path) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    rows = TOOLS[tool](pdf)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _peak_mb()
    json.dump({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "rows": rows}, sys.stdout, ensure_ascii=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--projects", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=100)
    ap.add_argument("--pdf", type=Path, help="PDF to use (made from the generated table if missing)")
    ap.add_argument("--tools", default="jixiao,pdfplumber,camelot")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    pdf = args.pdf or Path(f"/tmp/jixiao-bench-import-{args.projects}-{args.seed}.pdf")
    if args.child:
        child(args.child, pdf)
        return
    from jixiao.generate import generate_table

    if not pdf.exists():  # in a child too, so this process stays small
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); "
                        f"import bench_import as b; from pathlib import Path; "
                        f"b.make_pdf({args.projects}, {args.seed}, Path({str(pdf)!r}))"], check=True)
        print(f"made {pdf} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    truth = truth_rows(generate_table(projects=args.projects, seed=args.seed))
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages")), "?")
    print(f"PDF: {pdf} ({pages} pages, {args.projects} projects, {len(truth) * len(truth[0])} body cells)")
    print(f"{'tool':<12}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}{'cells exact':>13}{'accuracy':>10}")
    results = {}
    for tool in args.tools.split(","):
        proc = subprocess.run([sys.executable, __file__, "--child", tool, "--pdf", str(pdf),
                               "--projects", str(args.projects), "--seed", str(args.seed)],
                              capture_output=True, text=True)
        if proc.returncode:
            print(f"{tool:<12} failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
            continue
        data = json.loads(proc.stdout)
        exact, total = score(data["rows"], truth)
        results[tool] = data
        print(f"{tool:<12}{data['seconds']:>9.1f}{data['cpu']:>9.1f}{data['peak_mb']:>9.0f}{exact:>13}"
              f"{exact / total:>10.2%}")
    if "jixiao" in results and "pdfplumber" in results:
        j, p = results["jixiao"], results["pdfplumber"]
        print(f"jixiao / pdfplumber: wall {j['seconds'] / p['seconds']:.2f}×, CPU {j['cpu'] / p['cpu']:.2f}×")


if __name__ == "__main__":
    main()
