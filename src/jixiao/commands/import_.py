"""``jixiao import FILE -o TABLE.json [--report REPORT.txt]``: any supported input → table JSON.

The input kind is detected from the file's content (XLSX, PDF, table JSON, pdftotext-form
text); a 绩效目标表 (targets JSON, or an XLSX, PDF or text that says 绩效目标, :mod:`.targets_doc`) is
written as targets JSON. The file is told and parsed in one child process bounded by the
operating system (:mod:`jixiao.formats.sandbox`). Bad input, or a limit reached, exits 2 with a Chinese and
English message and writes nothing; the table JSON and the report are written atomically, the
report only after the table.

``jixiao import FILE_OR_FOLDER... -o FOLDER [--jobs N]`` imports many inputs at once
(:mod:`.import_batch`).
"""

from __future__ import annotations

import argparse
import sys

import os
from pathlib import Path

from .import_batch import run_batch, write_import
from .settings_file import read_settings
from .targets_doc import read_input, run_import
from ..core.target_sheet import TargetSheet
from ..errors import InputError
from ..formats.importer import ImportLimits


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="导入 XLSX、PDF、文本或 JSON 公开表 / import a table from XLSX, PDF, text or JSON",
        description="按内容识别输入（XLSX、PDF、表格 JSON、pdftotext 文本），写出表格 JSON，并报告无法归位的内容。 / "
                    "Detect the input by content (XLSX, PDF, table JSON, pdftotext text), write table JSON and "
                    "report what could not be placed.")
    parser.add_argument("file", metavar="FILE", nargs="+",
                        help="输入文件；多个文件或文件夹时批量导入 / input file; several files or folders: "
                             "a batch import")
    parser.add_argument("-o", "--output", required=True, metavar="TABLE.json",
                        help="输出的表格 JSON；批量导入时为输出文件夹 / table JSON to write; for a batch, "
                             "the output folder")
    parser.add_argument("--report", metavar="REPORT.txt",
                        help="把导入报告写入文件（默认打印到标准错误） / write the import report to a file "
                             "(default: standard error)")
    parser.add_argument("--limits", metavar="LIMITS.json",
                        help="导入限制设置（JSON 对象，见 docs/import.md） / import limits as a JSON object "
                             "(see docs/import.md)")
    parser.add_argument("--year", type=int, metavar="YEAR",
                        help="写出为该年度的表（年度及标题、栏目说明中的年度），不论文件中写的年度 / write the "
                             "table as this year's (its year, and the year in its title and column note), "
                             "whatever year the file names")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="批量导入时同时处理的文件数（默认 1） / files imported at the same time in a batch "
                             "(default 1)")
    parser.set_defaults(func=run)


def _limits(path: str | None) -> ImportLimits:
    if not path:
        return ImportLimits()
    return ImportLimits.from_dict(read_settings(path, "导入限制设置", "import limits"))


def _is_batch(args: argparse.Namespace) -> bool:
    return (len(args.file) > 1 or Path(args.file[0]).is_dir() or Path(args.output).is_dir()
            or args.output.endswith(("/", os.sep)))


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise InputError("--jobs 至少为 1", "--jobs must be at least 1")
    if _is_batch(args):
        return _run_batch(args)
    args.file = args.file[0]
    limits = _limits(args.limits)
    result = read_input(args.file, limits)
    if isinstance(result, TargetSheet):  # a 绩效目标表 (targets set with the budget): docs/targets.md
        if args.year is not None:
            raise InputError("--year 只用于自评表的导入", "--year is for a self-evaluation table's import, not a "
                             "targets form's")
        return run_import(result, args.file, args.output, args.report)
    if args.year is not None and args.year != result.table.year:
        result.report.append(f"文件中的年度为 {result.table.year}，已按 --year 写为 {args.year} 年度 / the file says "
                             f"{result.table.year}; written as {args.year} (--year)")
        result.table = result.table.moved_to_year(args.year)
    write_import(result, args.file, args.output, args.report)
    if not args.report:
        for line in result.report:
            sys.stderr.write(f"jixiao import: {line}\n")
    print(f"已导入 / imported: {args.output} ({result.kind}, {len(result.table.projects)} 个项目 / projects, "
          f"{len(result.report)} 条说明 / notes)")
    return 0


def _run_batch(args: argparse.Namespace) -> int:
    if args.year is not None:
        raise InputError("--year 只用于导入单个文件", "--year is for a single file's import")
    if args.report:
        raise InputError("批量导入时每个文件的报告写在输出文件夹中，不能使用 --report",
                         "in a batch each file's report is written in the output folder; --report is for one file")
    outcomes = run_batch(args.file, args.output, _limits(args.limits), jobs=args.jobs)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        if o.ok:
            print(f"已导入 / imported: {o.file} → {o.output} ({o.kind}, {o.projects} 个项目 / projects, "
                  f"{o.notes} 条说明 / notes)")
        else:
            sys.stderr.write(f"jixiao import: {o.message}\n")
    print(f"共 {len(outcomes)} 个文件，{len(outcomes) - len(failed)} 个已导入，{len(failed)} 个失败；"
          f"汇总见 {Path(args.output) / 'import-summary.csv'} / {len(outcomes)} files, "
          f"{len(outcomes) - len(failed)} imported, {len(failed)} failed")
    return 2 if failed else 0
