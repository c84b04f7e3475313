"""How much of a 附件2-3 table survives pdftotext: text cells and numbers, cell by cell.

For each reference table (table JSON) the script makes the PDFs a department would publish —
jixiao's own PDF (the default engine) and LibreOffice's PDF of jixiao's XLSX — runs poppler's
pdftotext on each, with and without ``-layout``, imports the text with ``jixiao.formats.text_read``
and compares every text cell and every amount with the reference. A refusal (an ``InputError``)
is reported as such: refusing is allowed, guessing is not.

    .venv/bin/python bench/text_fidelity.py [TABLE.json …] [--keep DIR] [--generated N]

Without arguments it uses the seed and the text fixtures' reference tables. ``--generated N``
uses N tables from ``jixiao.generate.generate_table`` instead (seeds 100, 101, …, 6, 9, 12 …
projects): tables the -layout reader was not developed on, a held-out check.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jixiao.core.model import AMOUNT_FIELDS
from jixiao.errors import InputError
from jixiao.formats import export, table_json, text_read
from jixiao.generate import generate_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "tests/fixtures/selfeval-2019-longgang-gsl.golden.json",
           *sorted((ROOT / "tests/fixtures/text").glob("*.json"))]
TEXT_FIELDS = ("unit_name", "name", "annual_goal", "overall_completion", "problems", "rectification")


def _fold(s: str) -> str:
    return "".join(s.split())


def compare(ref, got, confidence: dict[str, float]) -> tuple[int, int, int, int, int, list[str]]:
    """(text cells right, text cells, numbers right, numbers, wrong cells the importer was sure
    of (confidence ≥ 0.8), differences)."""
    diffs: list[str] = []
    t_ok = t_all = n_ok = n_all = sure_wrong = 0
    index = {p.seq: i for i, p in enumerate(got.projects)}
    by_seq = {p.seq: p for p in got.projects}
    for p in ref.projects:
        q = by_seq.get(p.seq)
        cells = [(f, getattr(p, f), getattr(q, f, None) if q else None) for f in TEXT_FIELDS]
        for k in ref.layout:
            a, b = p.indicator(k), q.indicator(k) if q else None
            cells.append((f"{k}.target", a.target, b.target if b else None))
            cells.append((f"{k}.actual", a.actual, b.actual if b else None))
        for name, want, have in cells:
            t_all += 1
            if have is not None and _fold(want) == _fold(have):
                t_ok += 1
            else:
                path = name if name in TEXT_FIELDS else f"indicators.{name}"
                conf = confidence.get(f"projects[{index.get(p.seq)}].{path}", 0.0)
                sure_wrong += conf >= 0.8
                diffs.append(f"  {p.seq} {name} ({conf}): {want!r} ≠ {have!r}")
        for f in AMOUNT_FIELDS:
            n_all += 1
            want, have = getattr(p, f), getattr(q, f, None) if q else None
            if want == have:
                n_ok += 1
            else:
                diffs.append(f"  {p.seq} {f}: {want} ≠ {have}")
    return t_ok, t_all, n_ok, n_all, sure_wrong, diffs


def variants(table_path: Path, work: Path) -> dict[str, Path]:
    """The pdftotext outputs of the PDFs made from one table."""
    table = table_json.load(table_path)
    stem = table_path.stem
    pdf = work / f"{stem}.pdf"
    xlsx = work / f"{stem}.xlsx"
    export.export(table, pdf)
    export.export(table, xlsx)
    lo = work / "lo"
    lo.mkdir(exist_ok=True)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(lo), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    out = {}
    for label, src in (("jixiao-pdf", pdf), ("libreoffice-pdf", lo / f"{stem}.pdf")):
        for mode, args in (("raw", []), ("layout", ["-layout"])):
            txt = work / f"{stem}.{label}.{mode}.txt"
            subprocess.run(["pdftotext", *args, str(src), str(txt)], check=True, timeout=120)
            out[f"{label} {mode}"] = txt
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tables", nargs="*", type=Path)
    ap.add_argument("--keep", type=Path, help="keep the PDFs and texts in this folder")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every difference")
    ap.add_argument("--generated", type=int, default=0, metavar="N",
                    help="measure N generated tables (held out) instead of the reference tables")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-textfid-"))
    work.mkdir(parents=True, exist_ok=True)
    for k in range(args.generated):
        path = work / f"generated-{100 + k}.json"
        table_json.dump(generate_table(projects=6 + 3 * k, seed=100 + k), path)
        args.tables.append(path)
    totals: dict[str, list[int]] = {}
    try:
        for path in args.tables or DEFAULT:
            ref = table_json.load(path)
            for label, txt in variants(path, work).items():
                acc = totals.setdefault(label, [0, 0, 0, 0, 0, 0, 0])
                try:
                    result = text_read.read_text(txt.read_text(encoding="utf-8"), source=str(txt))
                except InputError as e:
                    acc[4] += 1
                    print(f"{path.name} {label}: refused — {e.message_en}")
                    continue
                got = result.table
                t_ok, t_all, n_ok, n_all, sure_wrong, diffs = compare(ref, got, result.confidence)
                for i, v in enumerate((t_ok, t_all, n_ok, n_all)):
                    acc[i] += v
                acc[5] += 1
                acc[6] += sure_wrong
                print(f"{path.name} {label}: text {t_ok}/{t_all}, numbers {n_ok}/{n_all}, "
                      f"projects {len(got.projects)}/{len(ref.projects)}, wrong but sure {sure_wrong}")
                if args.verbose:
                    print("\n".join(diffs[:40]))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\nvariant: text cells right, numbers right, wrong cells with confidence ≥ 0.8, tables imported, refused")
    for label, (t_ok, t_all, n_ok, n_all, refused, imported, sure_wrong) in totals.items():
        tp = 100 * t_ok / t_all if t_all else 0
        np_ = 100 * n_ok / n_all if n_all else 0
        print(f"{label}: {t_ok}/{t_all} ({tp:.1f} %), {n_ok}/{n_all} ({np_:.1f} %), {sure_wrong}, {imported}, {refused}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
