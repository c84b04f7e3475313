"""``jixiao generate -o OUT [--projects N] [--seed S] [--inconsistent 0.1] [--year Y]``.

``OUT.json`` → one department's table of N projects (table JSON).
``OUT.jsonl`` → a province-year: many departments' tables, N projects in all, one table
JSON per line (JSON lines). The output is written atomically; a progress bar on stderr
shows long work (it hides itself when stderr is not a terminal unless ``--progress``).
"""

from __future__ import annotations

import argparse
import json
import sys

from tqdm import tqdm

from ..errors import InputError
from ..formats import table_json
from ..formats.atomic import atomic_path, write_text_atomic
from ..generate import generate_province, generate_table

JSONL_SUFFIXES = (".jsonl", ".ndjson")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "generate", help="生成逼真的模拟自评表 / generate realistic synthetic tables",
        description="生成逼真的模拟自评表（可由随机种子复现）。OUT 以 .json 结尾：一个部门的一张表；"
                    "以 .jsonl 结尾：全省一个年度，每行一张表。 / Generate realistic synthetic tables, "
                    "reproducible from the seed. OUT.json: one department's table; OUT.jsonl: a province-year, "
                    "one table per line.")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="输出文件（.json 或 .jsonl）/ output file (.json or .jsonl)")
    parser.add_argument("--projects", type=int, default=None, metavar="N",
                        help="项目数（.json 默认 8，.jsonl 默认 200000）/ number of projects "
                             "(default 8 for .json, 200000 for .jsonl)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="随机种子，默认 0 / random seed (default 0)")
    parser.add_argument("--inconsistent", type=float, default=None, metavar="SHARE",
                        help="故意不一致的行所占比例 0–1（.json 默认 0，.jsonl 默认 0.05）/ share of deliberately "
                             "inconsistent rows, 0–1 (default 0 for .json, 0.05 for .jsonl)")
    parser.add_argument("--year", type=int, default=2019, metavar="Y", help="年度，默认 2019 / year (default 2019)")
    parser.add_argument("--department", default=None, help="部门名称（仅 .json）/ department name (.json only)")
    parser.add_argument("--progress", action="store_true",
                        help="即使 stderr 不是终端也显示进度条 / show the progress bar even when stderr is not a terminal")
    parser.set_defaults(func=run)


def _validate(args: argparse.Namespace, province: bool) -> tuple[int, float]:
    projects = args.projects if args.projects is not None else (200_000 if province else 8)
    share = args.inconsistent if args.inconsistent is not None else (0.05 if province else 0.0)
    if projects < 0:
        raise InputError("项目数不能为负数", "--projects must not be negative", path="--projects")
    if not 0 <= share <= 1:
        raise InputError("比例应在 0 到 1 之间", "--inconsistent must be between 0 and 1", path="--inconsistent")
    if not 1949 <= args.year <= 2200:
        raise InputError(f"年度不合理：{args.year}", f"implausible year: {args.year}", path="--year")
    if province and args.department:
        raise InputError("--department 只适用于 .json 输出", "--department applies to .json output only",
                         path="--department")
    return projects, share


def run(args: argparse.Namespace) -> int:
    out = args.output
    province = out.lower().endswith(JSONL_SUFFIXES)
    if not province and not out.lower().endswith(".json"):
        raise InputError("输出文件应以 .json 或 .jsonl 结尾", "the output must end in .json or .jsonl", source=out)
    projects, share = _validate(args, province)
    bar = tqdm(total=projects, unit="项目", desc="generate", file=sys.stderr,
               disable=None if not args.progress else False, dynamic_ncols=True)
    try:
        if province:
            tables = 0
            with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8") as fh:
                for table in generate_province(projects, seed=args.seed, inconsistent_share=share, year=args.year):
                    fh.write(json.dumps(table_json.to_document(table), ensure_ascii=False, separators=(",", ":")))
                    fh.write("\n")
                    tables += 1
                    bar.update(len(table.projects))
            summary = f"{tables} 张表 tables, {projects} 个项目 projects"
        else:
            table = generate_table(projects, seed=args.seed, inconsistent_share=share, year=args.year,
                                   department=args.department, progress=bar.update)
            write_text_atomic(out, table_json.dumps(table))
            summary = f"1 张表 table, {projects} 个项目 projects"
    finally:
        bar.close()
    sys.stderr.write(f"jixiao: 已写入 / wrote {out}: {summary}\n")
    return 0
