"""``jixiao import FILE -o TABLE.json [--report REPORT.txt]``: any supported input → table JSON.

The input kind is detected from the file's content (XLSX, PDF, table JSON, pdftotext-form
text). Bad input exits 2 with a Chinese and English message and writes nothing; the table
JSON and the report are written atomically, the report only after the table.
"""

from __future__ import annotations

import argparse
import sys

from .settings_file import read_settings
from ..formats import table_json
from ..formats.atomic import write_text_atomic
from ..formats.importer import ImportLimits, import_file


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="导入 XLSX、PDF、文本或 JSON 公开表 / import a table from XLSX, PDF, text or JSON",
        description="按内容识别输入（XLSX、PDF、表格 JSON、pdftotext 文本），写出表格 JSON，并报告无法归位的内容。 / "
                    "Detect the input by content (XLSX, PDF, table JSON, pdftotext text), write table JSON and "
                    "report what could not be placed.")
    parser.add_argument("file", metavar="FILE", help="输入文件 / input file")
    parser.add_argument("-o", "--output", required=True, metavar="TABLE.json",
                        help="输出的表格 JSON / table JSON to write")
    parser.add_argument("--report", metavar="REPORT.txt",
                        help="把导入报告写入文件（默认打印到标准错误） / write the import report to a file "
                             "(default: standard error)")
    parser.add_argument("--limits", metavar="LIMITS.json",
                        help="导入限制设置（JSON 对象，见 docs/import.md） / import limits as a JSON object "
                             "(see docs/import.md)")
    parser.set_defaults(func=run)


def _limits(path: str | None) -> ImportLimits:
    if not path:
        return ImportLimits()
    return ImportLimits.from_dict(read_settings(path, "导入限制设置", "import limits"))


def report_text(result) -> str:
    lines = [f"# jixiao import: {result.kind}, {len(result.table.projects)} 个项目 / projects"]
    lines += result.report or ["（无需说明的内容） / nothing to report"]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    result = import_file(args.file, limits=_limits(args.limits))
    # Validate by a round trip through table JSON before writing: what we write must load.
    text = table_json.dumps(result.table)
    table_json.loads(text, source=f"{args.file} (imported)")
    write_text_atomic(args.output, text)
    if args.report:
        write_text_atomic(args.report, report_text(result))
    else:
        for line in result.report:
            sys.stderr.write(f"jixiao import: {line}\n")
    print(f"已导入 / imported: {args.output} ({result.kind}, {len(result.table.projects)} 个项目 / projects, "
          f"{len(result.report)} 条说明 / notes)")
    return 0
