"""Fingerprint of scoring output: a SHA-256 that must not change when scoring is made faster.

    .venv/bin/python bench/score_fingerprint.py [--projects 4000] [--verbose]

Not a test and not a benchmark: a guard for optimisation work on ``jixiao.core.targets``,
``matching`` and ``scoring`` (docs/benchmarks/score.md). It scores generated projects plus the
golden seed table (/work/shared/seed/*.golden.json, or ``--seed-file``) under several
configurations and hashes everything a caller can see:

* ``to_dict()`` (the JSON of ``jixiao score --json``) **and** ``repr()`` of every
  ``ProjectScore`` — so a score printed ``16.67`` instead of ``16.670`` or a changed field
  order would show;
* configurations: defaults; ``over_reduction`` with ``tier2_share`` 0.65 and ``over_factor``
  1.2; ``indicator_weights`` plus per-project adjustments; odd shares (unknown/blank/late);
* evaluator overrides on every 97th project (execution, a 二级 cell, a category, the total);
* each table scored cold (``score_table``), then again warm (every cell remembered), then a
  sample of projects one by one (``score_project``), so the cached and uncached paths must
  agree with each other too;
* ``score_cell`` with equal weights written differently (``10`` / ``10.00``) and the rule texts;
* the ``jixiao target --json`` report of every distinct (target, completion) pair and of the
  labelled corpus strings (parse, match, judge).

Run it in a fresh process before and after every change: the printed ``all`` hash must be
identical (the per-part hashes say which part moved).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path

from jixiao.commands.target import report
from jixiao.core import scoring
from jixiao.core.model import ScoreOverride
from jixiao.formats import table_json
from jixiao.generate import generate_province

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "core" / "corpus" / "targets.jsonl"

CONFIGS: dict[str, dict] = {
    "defaults": {},
    "over_reduction": {"over_reduction": True, "tier2_share": "0.65", "over_factor": "1.2",
                       "over_reduction_cap": "0.15"},
    "indicator_weights": {"indicator_weights": {"quantity": 20, "satisfaction": "7.5"},
                          "projects": {"3": {"execution_weight": 20, "category_weights": {"output": 40}},
                                       "5": {"indicator_weights": {"quality": 12}}}},
    "odd_shares": {"unknown_share": "0.5", "blank_share": "0.1", "late_share": "0.75",
                   "tier1_share": "0.9", "tier3_share": "0.2", "execution_weight": "10.00",
                   "grade_thresholds": {"优": 95, "良": 85}},
}


def _tables(projects: int, seed_files: list[str]):
    tables = list(generate_province(projects, seed=0))
    tables += list(generate_province(max(projects // 4, 1), seed=7, inconsistent_share=0.5))
    tables += [table_json.load(f) for f in seed_files]
    n = 0
    for t in tables:
        for p in t.projects:
            n += 1
            if n % 97 == 0:
                which = (n // 97) % 4
                item = ("execution", "quantity", "output", "total")[which]
                p.overrides = [ScoreOverride(item=item, score=Decimal("7.345") + which,
                                             reason="评价人核实", by="张三" if which % 2 else "",
                                             at="2026-11-28" if which < 2 else "")]
    return tables


def _digest(h, ps) -> None:
    h.update(json.dumps(scoring.to_dict(ps), ensure_ascii=False).encode())
    h.update(repr(ps).encode())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=4000)
    ap.add_argument("--seed-file", action="append", help="golden table JSON (default: /work/shared/seed/*.golden.json)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    seed_files = args.seed_file or sorted(glob.glob("/work/shared/seed/*.golden.json"))
    tables = _tables(args.projects, seed_files)
    parts: dict[str, str] = {}

    # Parse/match/judge first, in a cold process state for the pairs it reads.
    h = hashlib.sha256()
    pairs = sorted({(c.target, c.actual) for t in tables for p in t.projects for c in p.indicators.values()})
    for target, actual in pairs:
        h.update(json.dumps(report(target, actual), ensure_ascii=False).encode())
    if CORPUS.exists():
        for line in CORPUS.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                h.update(json.dumps(report(text, None), ensure_ascii=False).encode())
                h.update(json.dumps(report(text, "已完成"), ensure_ascii=False).encode())
    parts["target_reports"] = h.hexdigest()

    for name, data in CONFIGS.items():
        cfg = scoring.ScoringConfig.from_dict(data)
        h = hashlib.sha256()
        for t in tables:
            for ps in scoring.score_table(t, cfg):
                _digest(h, ps)
        cold = h.hexdigest()
        for t in tables:  # warm: every cell remembered
            for ps in scoring.score_table(t, cfg):
                _digest(h, ps)
        for t in tables[::5]:
            for p in t.projects[::3]:
                _digest(h, scoring.score_project(p, cfg))
        parts[f"score:{name}"] = h.hexdigest()
        if args.verbose:
            print(f"  {name}: cold {cold}", file=sys.stderr)

    h = hashlib.sha256()
    cells = [(k, c.target, c.actual) for t in tables[:40] for p in t.projects for k, c in p.indicators.items()]
    for w in (Decimal("10"), Decimal("10.00"), Decimal("16.67"), Decimal("0"), Decimal("3.333")):
        for kind, target, actual in cells[:500]:
            h.update(repr(scoring.score_cell(kind, target, actual, w)).encode())
    for data in CONFIGS.values():
        h.update(repr(scoring.rules(scoring.ScoringConfig.from_dict(data))).encode())
    parts["cells_and_rules"] = h.hexdigest()

    total = hashlib.sha256("".join(f"{k}={v}\n" for k, v in parts.items()).encode()).hexdigest()
    projects = sum(len(t.projects) for t in tables)
    print(f"{projects} projects ({len(seed_files)} seed file(s)), {len(pairs)} distinct pairs, "
          f"{len(CONFIGS)} configurations")
    for k, v in parts.items():
        print(f"{k:28s} {v}")
    print(f"{'all':28s} {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
