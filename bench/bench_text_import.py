"""Benchmark: the text importer on large pdftotext-style inputs (not a test).

Builds inputs of the seed's form with N projects by repeating the seed's six rows
(renumbered), optionally deleting one blank line inside every tenth row so that those
rows go through the dynamic program, and times ``read_text`` on each. Prints one line
per size: projects, characters, seconds, the per-project time (so linearity is visible)
and the peak memory traced by tracemalloc in a second run (sizes up to 600, or all with
``--memory-all``).

    .venv/bin/python bench/bench_text_import.py [--sizes 60,600,6000]
"""

from __future__ import annotations

import argparse
import re
import time
import tracemalloc
from pathlib import Path

from jixiao.formats.text_read import read_text

SEED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "000_68657388ac173f3b.txt"


def build(projects: int, damaged: bool) -> str:
    text = SEED.read_text(encoding="utf-8")
    first = text.index("\n1\n区工\n")
    header, body = text[:first + 1], text[first + 1:]
    rows = re.split(r"\n(?=\d\n区工\n)", body)
    out = [header]
    for i in range(projects):
        row = rows[i % len(rows)]
        row = re.sub(r"^\d+\n", f"{i + 1}\n", row, count=1)
        if damaged and i % 10 == 5:
            # drop the first blank line after the number row: two cells share a block
            head, sep, tail = row.partition("%\n\n")
            cells = tail.split("\n\n", 2)
            if len(cells) == 3:
                row = head + sep + cells[0] + "\n" + cells[1] + "\n\n" + cells[2]
        out.append(row.rstrip("\n") + "\n\n")
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="60,600,6000")
    ap.add_argument("--memory-all", action="store_true", help="trace memory for every size (slow)")
    args = ap.parse_args()
    for damaged in (False, True):
        for n in (int(s) for s in args.sizes.split(",")):
            text = build(n, damaged)
            t0 = time.perf_counter()
            result = read_text(text)
            dt = time.perf_counter() - t0
            peak = 0
            if n <= 600 or args.memory_all:  # tracemalloc slows Python down several times
                tracemalloc.start()
                read_text(text)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            assert len(result.table.projects) == n
            inferred = sum(1 for line in result.report if "placed by inference" in line)
            print(f"{'damaged' if damaged else 'clean  '} projects={n:6d} chars={len(text):9d} "
                  f"seconds={dt:7.3f} per_project_ms={dt / n * 1000:6.2f} peak_MB={peak / 2**20 if peak else float('nan'):7.1f} "
                  f"rows_by_inference={inferred}")


if __name__ == "__main__":
    main()
