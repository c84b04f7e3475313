"""``jixiao export TABLE.json -o OUT.{xlsx,pdf,html,csv,json} [--layout disclosure|mof-form] [--pdfa]
[--pdf-engine typst|weasyprint]``."""

from __future__ import annotations

import argparse
import sys

from ..formats import table_json
from ..formats.export import DEFAULT_PDF_ENGINE, FORMATS, LAYOUTS, PDF_ENGINES, export


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="导出公开表或自评表 / export the disclosure table or the MoF form",
        description="把表格 JSON 导出为 XLSX、PDF、HTML、CSV 或 JSON（按输出文件后缀）。 / "
                    "Export a table JSON as XLSX, PDF, HTML, CSV or JSON (chosen by the output suffix).")
    parser.add_argument("table", metavar="TABLE.json", help="表格 JSON；- 表示标准输入 / table JSON, - for stdin")
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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.table == "-":
        table = table_json.loads(sys.stdin.buffer.read(), source="<stdin>")
    else:
        table = table_json.load(args.table)
    options: dict[str, object] = {"pdfa": True} if args.pdfa else {}
    if args.pdf_engine is not None:  # only when asked: the option is an error for other outputs
        options["pdf_engine"] = args.pdf_engine
    path = export(table, args.output, fmt=args.fmt, layout=args.layout, **options)
    print(f"已导出 / exported: {path} ({len(table.projects)} 个项目 / projects)")
    return 0
