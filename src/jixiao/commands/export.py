"""``jixiao export TABLE.json -o OUT.{xlsx,pdf,html,csv,json} [--layout disclosure|mof-form] [--pdfa]
[--pdf-engine typst|weasyprint] [--targets TARGETS.json]``.

Several tables (files, a folder, JSON lines) go into one CSV, ``-o ALL.csv``
(:func:`jixiao.formats.csv_table.write_many_csv`): the data set a researcher wants from a folder
of imported tables.

A 绩效目标表 (targets JSON or XLSX) exports as its JSON, XLSX or PDF (:mod:`.targets_doc`)."""

from __future__ import annotations

import argparse
import sys

from pathlib import Path

from ..core.prefill import changed_targets
from ..errors import InputError
from ..formats import table_json
from ..formats.csv_table import write_many_csv
from .show import iter_many, many_inputs
from .targets_doc import run_export, targets_of
from ..formats.export import DEFAULT_PDF_ENGINE, FORMATS, LAYOUTS, PDF_ENGINES, export


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="导出公开表或自评表 / export the disclosure table or the MoF form",
        description="把表格 JSON 导出为 XLSX、PDF、HTML、CSV 或 JSON（按输出文件后缀）。 / "
                    "Export a table JSON as XLSX, PDF, HTML, CSV or JSON (chosen by the output suffix).")
    parser.add_argument("table", metavar="TABLE.json", nargs="+",
                        help="表格 JSON；- 表示标准输入；多个文件、文件夹或 .jsonl 时合并导出为一个 CSV / table JSON, - for "
                             "stdin; several files, a folder or .jsonl: one combined CSV")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help=f"输出文件 / output file (.{', .'.join(FORMATS)})")
    parser.add_argument("--layout", default="disclosure", metavar="LAYOUT",
                        help=f"版式 / layout: {' | '.join(LAYOUTS)} (默认 default: disclosure)")
    parser.add_argument("--format", dest="fmt", default=None, metavar="FMT",
                        help="覆盖后缀判断的格式 / format, overriding the suffix")
    parser.add_argument("--pdfa", action="store_true",
                        help="输出 PDF/A-2b（仅 PDF）/ write PDF/A-2b (PDF only)")
    parser.add_argument("--pdf-engine", dest="pdf_engine", default=None, metavar="ENGINE",
                        help=f"PDF 的排版引擎（公开表与自评表）/ engine for the PDF (both layouts): "
                             f"{' | '.join(PDF_ENGINES)} (默认 default: {DEFAULT_PDF_ENGINE})")
    parser.add_argument("--targets", default=None, metavar="TARGETS",
                        help="经审核通过的绩效目标表（JSON 或 XLSX）：自评表改变的目标在自评表注中说明（仅 mof-form）/ "
                             "the approved target sheet (JSON or XLSX): targets the self-evaluation changed are noted "
                             "on the MoF form (mof-form only)")
    parser.set_defaults(func=run)


def _run_many(args: argparse.Namespace) -> int:
    fmt = (args.fmt or Path(args.output).suffix.lstrip(".")).lower()
    if fmt != "csv" or args.layout != "disclosure" or args.pdfa or args.pdf_engine:
        raise InputError("多张表只能合并导出为一个 CSV（-o 全部.csv，公开表版式）；其他格式请逐表导出",
                         "several tables can only be exported together as one CSV (-o all.csv, disclosure "
                         "layout); export other formats table by table")
    tables, projects = write_many_csv(iter_many(args.table), args.output)
    print(f"已导出 / exported: {args.output} ({tables} 张表 / tables, {projects} 个项目 / projects)")
    return 0


def run(args: argparse.Namespace) -> int:
    if many_inputs(args.table):
        return _run_many(args)
    args.table = args.table[0]
    sheet = targets_of(args.table)
    if sheet is not None:  # a 绩效目标表: JSON, XLSX or PDF (docs/targets.md)
        refused = [name for name, used in (("--layout", args.layout != "disclosure"), ("--pdfa", args.pdfa),
                                           ("--pdf-engine", args.pdf_engine is not None)) if used]
        return run_export(sheet, args.output, args.fmt, refused)
    if args.table == "-":
        table = table_json.loads(sys.stdin.buffer.read(), source="<stdin>")
    else:
        table = table_json.load(args.table)
    options: dict[str, object] = {"pdfa": True} if args.pdfa else {}
    if args.pdf_engine is not None:  # only when asked: the option is an error for other outputs
        options["pdf_engine"] = args.pdf_engine
    if args.targets is not None:  # JX611 noted on the MoF form (docs/targets.md)
        approved = targets_of(args.targets)
        if approved is None:
            raise InputError(f"不是绩效目标表：{args.targets}", f"not a target sheet: {args.targets}")
        options["target_changes"] = changed_targets(approved, table)
    path = export(table, args.output, fmt=args.fmt, layout=args.layout, **options)
    print(f"已导出 / exported: {path} ({len(table.projects)} 个项目 / projects)")
    return 0
