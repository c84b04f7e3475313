"""Benchmark: the disclosure PDF of the seed table and of generated tables, by both engines
(WeasyPrint, and Typst: jixiao.formats.pdf_typst, the default).

Reports, per table: the first render in a fresh process (font registration included), the
best of ``--repeat`` warm renders (wall and CPU seconds), pages and size; and once, the
seed rendered with WeasyPrint's fontTools fallback (as if libharfbuzz-subset0 were not
installed) to show what that package saves. Figures go to docs/benchmarks/pdf-render.md.

    .venv/bin/python bench/bench_pdf_render.py [--projects 200] [--repeat 3]

Investigation modes (docs/benchmarks/pdf-render.md, "Where the time goes"):

    # CPU per WeasyPrint phase (parse, style + boxes + layout, draw + write), best of 3
    .venv/bin/python bench/bench_pdf_render.py --phases 100 --repeat 3
    # cProfile of one warm render, the top functions by cumulative and own time
    .venv/bin/python bench/bench_pdf_render.py --profile 100
    # one warm render with extra CSS appended to print.css (the variants tried)
    .venv/bin/python bench/bench_pdf_render.py --child 100 --repeat 3 --css "th, td { vertical-align: top; }"
    # the table split into K row chunks rendered by K worker processes and concatenated
    # with pypdf (a prototype: page numbers restart in every chunk, one part-filled page per
    # chunk boundary, the font subset embedded once per chunk)
    .venv/bin/python bench/bench_pdf_render.py --split 1000 --workers 2

The Typst engine (docs/benchmarks/pdf-render.md, "Typst"): the first render in a fresh
process (import, font folder, compile) and the best of ``--repeat`` warm renders split into
jixiao's part (the table as JSON data) and Typst's compile; ``--tags`` writes a tagged PDF:

    .venv/bin/python bench/bench_pdf_render.py --typst 1000 --repeat 3 [--tags]
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


def _append_css(extra: str) -> None:
    """Append ``extra`` to the page CSS (to measure a variant of print.css)."""
    from jixiao.formats import html

    base = html.print_css
    html.print_css = lambda: base() + "\n" + extra


def child(spec: str, repeat: int, no_hb_subset: bool, css: str = "") -> None:
    """Time renders of one table in this fresh process; print JSON."""
    if css:
        _append_css(css)
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


def _weasy_parts():
    """The stylesheet, font configuration and fetcher render_pdf_bytes uses (warm)."""
    from jixiao.formats.pdf_render import _font_only_fetcher, _renderer

    renderer = _renderer()
    return renderer, _font_only_fetcher(renderer.fonts)


def phases(spec: str, repeat: int) -> None:
    """CPU seconds of each WeasyPrint phase for one table (best of ``repeat``); print JSON."""
    from weasyprint import HTML

    from jixiao.formats.html import render_disclosure_html
    from jixiao.formats.pdf_render import render_pdf_bytes

    table = _table(spec)
    render_pdf_bytes(render_disclosure_html(_table("seed")))  # fonts, imports: not timed
    renderer, fetcher = _weasy_parts()
    best: dict[str, float] = {}
    for _ in range(max(repeat, 1)):
        times = {}
        c = time.process_time()
        html = render_disclosure_html(table)
        times["html_build"] = time.process_time() - c
        c = time.process_time()
        doc = HTML(string=html, url_fetcher=fetcher)
        times["html_parse"] = time.process_time() - c
        c = time.process_time()
        rendered = doc.render(stylesheets=[renderer.stylesheet], font_config=renderer.font_config)
        times["style_boxes_layout"] = time.process_time() - c
        c = time.process_time()
        data = rendered.write_pdf()
        times["draw_subset_write"] = time.process_time() - c
        for key, value in times.items():
            best[key] = min(best.get(key, value), value)
    print(json.dumps({"table": spec, "projects": len(table.projects), "pages": len(rendered.pages),
                      "kb": len(data) // 1024, **{k: round(v, 2) for k, v in best.items()},
                      "total": round(sum(best.values()), 2)}))


def profile(spec: str) -> None:
    """cProfile one warm render; print the top functions."""
    import cProfile
    import pstats

    from jixiao.formats.html import render_disclosure_html
    from jixiao.formats.pdf_render import render_pdf_bytes

    html = render_disclosure_html(_table(spec))
    render_pdf_bytes(render_disclosure_html(_table("seed")))
    profiler = cProfile.Profile()
    profiler.enable()
    render_pdf_bytes(html)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


def _render_chunk(args: tuple[str, int, int]) -> tuple[bytes, float]:
    from dataclasses import replace

    from jixiao.formats.html import render_disclosure_html
    from jixiao.formats.pdf_render import render_pdf_bytes

    spec, lo, hi = args
    start = time.process_time()
    table = _table(spec)
    data = render_pdf_bytes(render_disclosure_html(replace(table, projects=table.projects[lo:hi])))
    return data, time.process_time() - start


def split(spec: str, workers: int) -> None:
    """Render the table in ``workers`` row chunks in parallel and concatenate (prototype)."""
    import io
    from concurrent.futures import ProcessPoolExecutor

    from pypdf import PdfReader, PdfWriter

    n = len(_table(spec).projects)
    wall = time.perf_counter()
    chunks = [(spec, i * n // workers, (i + 1) * n // workers) for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_render_chunk, chunks))
    merge_cpu = time.process_time()
    writer = PdfWriter()
    for data, _ in results:
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "table": spec, "workers": workers, "wall_s": round(time.perf_counter() - wall, 2),
        "worker_cpu_s": [round(c, 2) for _, c in results],
        "merge_cpu_s": round(time.process_time() - merge_cpu, 2),
        "pages": _pages(out.getvalue()), "kb": len(out.getvalue()) // 1024,
        "peak_worker_mb": usage.ru_maxrss // 1024,
    }))


def typst_child(spec: str, repeat: int, tags: bool) -> None:
    """Time Typst renders of one table in this fresh process; print JSON. Typst compiles in a
    child process (pdf_typst: its memo cache would grow otherwise), so CPU and peak memory
    include the children's."""
    from jixiao.formats import pdf_typst

    def cpu() -> float:
        return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                     resource.getrusage(resource.RUSAGE_CHILDREN)))

    if tags:
        pdf_typst.PDF_TAGS = True
    table = _table(spec)
    start, c0 = time.perf_counter(), cpu()
    data = pdf_typst.render_typst_pdf_bytes(table)
    first = (time.perf_counter() - start, cpu() - c0)
    fonts = pdf_typst._font_setup()
    best: dict[str, float] = {}
    for _ in range(repeat):
        times = {}
        c = cpu()
        doc = pdf_typst.document_data(table)
        doc["font"] = fonts.family
        payload = json.dumps(doc, ensure_ascii=False)
        times["data_cpu_s"] = cpu() - c
        c, w = cpu(), time.perf_counter()
        pdf_typst._compile({"source": pdf_typst.template(), "data": payload,
                            "font_paths": [str(fonts.folder)], "pdf_standards": [],
                            "pdf_tags": pdf_typst.PDF_TAGS})
        times["compile_cpu_s"] = cpu() - c
        times["compile_wall_s"] = time.perf_counter() - w
        times["warm_cpu_s"] = times["data_cpu_s"] + times["compile_cpu_s"]
        if not best or times["warm_cpu_s"] < best["warm_cpu_s"]:
            best = times
    peak = max(resource.getrusage(r).ru_maxrss for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({
        "engine": "typst", "table": spec, "projects": len(table.projects), "tags": tags,
        "first_wall_s": round(first[0], 2), "first_cpu_s": round(first[1], 2),
        **{k: round(v, 2) for k, v in best.items()},
        "pages": _pages(data), "kb": len(data) // 1024, "peak_mb": peak // 1024,
    }))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", default=None)
    parser.add_argument("--no-hb-subset", action="store_true")
    parser.add_argument("--phases", metavar="TABLE", help="CPU per WeasyPrint phase for TABLE")
    parser.add_argument("--profile", metavar="TABLE", help="cProfile one render of TABLE")
    parser.add_argument("--split", metavar="TABLE", help="render TABLE in row chunks in parallel")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--css", default="", help="CSS appended to print.css (with --child)")
    parser.add_argument("--typst", metavar="TABLE", help="time the Typst engine on TABLE")
    parser.add_argument("--tags", action="store_true", help="with --typst: a tagged PDF")
    args = parser.parse_args()
    if args.typst:
        typst_child(args.typst, args.repeat, args.tags)
        return
    if args.phases:
        phases(args.phases, args.repeat)
        return
    if args.profile:
        profile(args.profile)
        return
    if args.split:
        split(args.split, args.workers)
        return
    if args.child:
        child(args.child, args.repeat, args.no_hb_subset, args.css)
        return
    runs = [("seed", False), ("60", False), (str(args.projects), False), ("seed", True)]
    for spec, no_hb in runs:
        cmd = [sys.executable, __file__, "--child", spec, "--repeat", str(args.repeat)]
        if no_hb:
            cmd.append("--no-hb-subset")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        print(out.strip().splitlines()[-1], flush=True)
    for spec in ("seed", "60", str(args.projects)):
        cmd = [sys.executable, __file__, "--typst", spec, "--repeat", str(args.repeat)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        print(out.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
