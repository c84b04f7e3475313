"""Benchmark: the wall and CPU time of ``jixiao import`` and ``jixiao check`` on one file, and how
many bounded child processes parse it. Not a test: run it by hand and copy the figures into the
commit message or docs.

    .venv/bin/python bench/bench_one_child.py [--runs 7] [--src NAME=SRC_FOLDER]…

Each ``--src`` is a folder holding the ``jixiao`` package (default: this checkout's ``src``):
two of them — the code before and after a change — are run turn about, file by file, so that
the load of a shared machine falls on both alike. The files: the seed table as XLSX, PDF and
pdftotext text (tests/fixtures), and the two-project 绩效目标表 of tests/formats as XLSX, PDF
(exported by jixiao) and its hand-laid pdftotext -layout text; ``jixiao import`` and ``jixiao check``
on each, and ``jixiao check targets.json --history`` on each self-evaluation file. Each command runs in a fresh
``python -m jixiao`` with ``JIXIAO_LOG_LEVEL=INFO``; the children counted are the sandbox's
log lines (one per parse), the CPU is the command's and its children's (``RUSAGE_CHILDREN``).
Medians over ``--runs``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def make_files(folder: Path) -> dict[str, Path]:
    """The sample files, written into ``folder``."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from jixiao.formats import targets_json
    from jixiao.formats.targets_typst import write_targets_pdf
    from jixiao.formats.targets_xlsx import write_targets_xlsx
    from tests.formats.targets_fixtures import sample_sheet

    files = {"table.xlsx": FIXTURES / "xlsx" / "seed-wan.xlsx", "table.pdf": FIXTURES / "pdf" / "seed-wan.pdf",
             "table.txt": FIXTURES / "000_68657388ac173f3b.txt",
             "targets.txt": FIXTURES / "targets-text" / "xiangtan-lo.txt"}
    out = {name: shutil.copy(path, folder / name) for name, path in files.items()}
    sheet = sample_sheet()
    targets_json.dump(sheet, folder / "targets.json")
    write_targets_xlsx(sheet, folder / "targets.xlsx")
    write_targets_pdf(sheet, folder / "targets.pdf")
    out.update({name: folder / name for name in ("targets.xlsx", "targets.pdf")})
    return {name: Path(p) for name, p in sorted(out.items())}


def run_once(src: Path, args: list[str], cwd: Path) -> tuple[float, float, int, int]:
    """(wall s, CPU s, parsing children, exit status) of ``python -m jixiao ARGS``."""
    env = dict(os.environ, PYTHONPATH=str(src), JIXIAO_LOG_LEVEL="INFO", PYTHONDONTWRITEBYTECODE="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "jixiao", *args], cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stderr.count("import child for"), proc.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--src", action="append", default=None, metavar="NAME=FOLDER")
    args = ap.parse_args(argv)
    sources = [tuple(s.split("=", 1)) for s in args.src] if args.src else [("this", str(ROOT / "src"))]
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        files = make_files(folder)
        print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"load average {os.getloadavg()[0]:.1f} at the start; medians of {args.runs} runs")
        print("| command | file | " + " | ".join(f"{n} wall s | {n} CPU s | {n} children" for n, _ in sources) + " |")
        print("|---|---|" + "---:|---:|---:|" * len(sources))
        out = str(folder / "out.json")
        cases = [(command, name, [command, str(path)] + (["-o", out] if command == "import" else []))
                 for command in ("import", "check") for name, path in files.items()]
        cases += [("check targets.json --history", name, ["check", str(folder / "targets.json"), "--history", str(path)])
                  for name, path in files.items() if name.startswith("table.")]
        for command, name, cmd in cases:
            runs: dict[str, list[tuple[float, float, int, int]]] = {n: [] for n, _ in sources}
            for _ in range(args.runs):
                for n, src in sources:  # turn about: the machine's load falls on each alike
                    runs[n].append(run_once(Path(src), cmd, folder))
            cells = []
            for n, _ in sources:
                walls, cpus, kids, codes = zip(*runs[n])
                cells += [f"{statistics.median(walls):.2f}", f"{statistics.median(cpus):.2f}",
                          f"{max(kids)} (exit {max(codes)})"]
            print(f"| {command} | {name} | " + " | ".join(cells) + " |", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
