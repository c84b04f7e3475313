"""``jixiao show FILE``: the table readable in a terminal.

A money table (one row per project, aligned numbers, the computed 合计 row) followed by
one block per project with its goals, its indicator cells side by side and its
problems. CJK characters count as two columns (``jixiao.textwidth``), so
wrapped Chinese text lines up. Also home of the terminal helpers ``check`` uses, and of
:func:`iter_tables`, which reads FILE (``-`` = stdin; ``.jsonl`` = one table a line).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from ..core import money
from ..core.model import Project, Table
from ..core.taxonomy import KIND_BY_KEY
from ..errors import InputError
from ..formats import table_json
from ..textwidth import char_width, display_width

JSONL_SUFFIXES = (".jsonl", ".ndjson")

# ---------------------------------------------------------------------------
# Reading FILE


FILES_HELP = ("表格 JSON，可多个；文件夹中的 .json/.jsonl 全部读取（- 表示标准输入；.jsonl 每行一张表） / "
              "table JSON files; every .json/.jsonl in a folder (- = stdin; .jsonl = one table a line)")


def files_below(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    """The files below ``folder`` (recursively, sorted by path; hidden files and folders such as
    ``.git`` skipped), only those ending in one of ``suffixes`` when given. What a folder named
    on the command line stands for (here and in a batch ``jixiao import``)."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and (suffixes is None or p.suffix.lower() in suffixes)
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def many_inputs(paths: list[str]) -> bool:
    """Whether FILE arguments may hold more than one table: several, a folder or JSON lines."""
    return len(paths) > 1 or any(p.lower().endswith(JSONL_SUFFIXES) or Path(p).is_dir() for p in paths)


def expand_inputs(paths: list[str]) -> list[str]:
    """FILE arguments as files: a folder stands for every ``.json`` / ``.jsonl`` below it
    (:func:`files_below`) — e.g. the output folder of a batch ``jixiao import``, whose reports
    and summary are not tables — but targets JSON (a 绩效目标表 the batch found), which is left
    aside with a note on standard error naming the command that checks it. A folder without a
    table is an error."""
    from .sniff import is_targets_json

    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            found = []
            for p in map(str, files_below(path, (".json", *JSONL_SUFFIXES))):
                if is_targets_json(p):
                    sys.stderr.write(f"jixiao: {p}: 绩效目标表，未作为自评表读取（检查：jixiao check {p}） / a targets "
                                     f"form, not read as a table (check it with: jixiao check {p})\n")
                else:
                    found.append(p)
            if not found:
                raise InputError("文件夹中没有表格 JSON（.json / .jsonl）",
                                 "no table JSON (.json / .jsonl) in this folder", source=raw)
            out += found
        else:
            out.append(raw)
    return out


def iter_many(paths: list[str]) -> Iterator[tuple[str, Table]]:
    """:func:`iter_tables` over every input of :func:`expand_inputs`, in order."""
    for path in expand_inputs(paths):
        yield from iter_tables(path)


def one_pretty_document(paths: list[str], source: str) -> bool:
    """Whether ``--json`` prints this table's object indented: only when the whole input is one
    table file (or stdin); many tables are printed one object a line (JSON Lines)."""
    return len(paths) == 1 and source in (paths[0], "<stdin>") and not Path(paths[0]).is_dir()


def iter_tables(path: str) -> Iterator[tuple[str, Table]]:
    """Yield ``(source, table)``: one for a table JSON file or stdin, one per line for JSON lines."""
    if path == "-":
        data = sys.stdin.buffer.read()
        problem = not_table_json(data[:64], "<stdin>")
        if problem is not None:
            raise problem
        text = data.decode("utf-8-sig", errors="strict") if _is_utf8(data) else None
        if text is None:
            raise InputError("标准输入不是 UTF-8 文本", "standard input is not UTF-8 text", source="<stdin>")
        stripped = text.lstrip()
        if stripped.startswith("{") and "\n{" in stripped.rstrip() and _looks_like_jsonl(stripped):
            yield from _jsonl_lines(text.splitlines(), "<stdin>")
        else:
            yield "<stdin>", table_json.loads(text, source="<stdin>")
        return
    if path.lower().endswith(JSONL_SUFFIXES):
        p = Path(path)
        try:
            fh = p.open("r", encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError("文件不存在", "file not found", source=path) from None
        except IsADirectoryError:
            raise InputError("这是一个目录，不是文件", "is a directory, not a file", source=path) from None
        except PermissionError:
            raise InputError("没有读取权限", "permission denied", source=path) from None
        with fh:
            try:
                yield from _jsonl_lines(fh, path)
            except UnicodeDecodeError:
                raise InputError("文件不是 UTF-8 编码的文本", "file is not UTF-8 text", source=path) from None
        return
    _refuse_other_formats(path)
    yield path, table_json.load(path)


def not_table_json(head: bytes, source: str) -> InputError | None:
    """What a file given where table JSON is expected really is, when its first bytes tell:
    a workbook, a PDF or a text to import first, or JSON in the wrong encoding."""
    from ..formats.importer import detect_kind, wide_encoding

    name = source if source != "<stdin>" else "FILE"
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK"):
        what_zh, what_en = "XLSX 工作簿（或 ZIP 文件）", "an XLSX workbook (or a zip file)"
    elif first.startswith(b"%PDF"):
        what_zh, what_en = "PDF 文件", "a PDF file"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what_zh, what_en = "旧版 .xls 工作簿（请先另存为 .xlsx）", "an old .xls workbook (save it as .xlsx first)"
    elif detect_kind(Path(name), head) == "json-wide":
        encoding = wide_encoding(head).upper()
        return InputError(f"表格 JSON 应为 UTF-8 编码；此文件为 {encoding} 编码，请另存为 UTF-8",
                          f"table JSON must be UTF-8; this file is {encoding}: save it as UTF-8", source=source)
    elif first and not first.startswith((b"{", b"[")) and b"\x00" not in head:
        what_zh, what_en = "文本", "text"
    else:
        return None
    return InputError(f"这是{what_zh}，不是表格 JSON；请先导入：jixiao import {name} -o 表.json",
                      f"this is {what_en}, not table JSON; import it first: jixiao import {name} -o TABLE.json",
                      source=source)


def _refuse_other_formats(path: str) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return  # table_json.load says what is wrong (missing, a folder, no permission)
    problem = not_table_json(head, path)
    if problem is not None:
        raise problem


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_jsonl(text: str) -> bool:
    # A pretty-printed table never starts a line with "{" after its first line; JSON lines do.
    first, _, _ = text.partition("\n")
    return first.rstrip().endswith("}")


def _jsonl_lines(lines, source: str) -> Iterator[tuple[str, Table]]:
    for lineno, line in enumerate(lines, start=1):
        if line.strip():
            where = f"{source}:{lineno}"
            yield where, table_json.loads(line, source=where)


# ---------------------------------------------------------------------------
# Terminal width helpers




# Keep numbers, percentages and Latin words whole when wrapping; everything else breaks anywhere.
_TOKEN_RE = re.compile(r"[A-Za-z0-9.%％+\-]+|\s+|.", re.S)
# Chinese typesetting (禁则): these never start a line, so the character before them moves down too.
_NO_LINE_START = frozenset("，。、；：？！）」』》〉”’%％,.;:?!)]}")


def wrap(text: str, width: int) -> list[str]:
    """Wrap to ``width`` columns; explicit newlines are kept. Never returns an empty list."""
    width = max(2, width)
    out: list[str] = []
    for para in (text or "").split("\n"):
        line, used = "", 0
        for tok in _TOKEN_RE.findall(para):
            w = display_width(tok)
            if used + w <= width:
                line, used = line + tok, used + w
                continue
            if tok.isspace():
                out.append(line.rstrip())
                line, used = "", 0
                continue
            if tok in _NO_LINE_START and len(line) > 1:
                carry = line[-1]
                out.append(line[:-1])
                line, used = carry + tok, display_width(carry) + w
                continue
            if line and w <= width:
                out.append(line.rstrip())
                line, used = tok, w
                continue
            for ch in tok:  # a token wider than the column: break inside it
                cw = char_width(ch)
                if used + cw > width and line:
                    out.append(line)
                    line, used = "", 0
                line, used = line + ch, used + cw
        out.append(line.rstrip())
    return out or [""]


def pad(text: str, width: int, align: str = "left") -> str:
    gap = max(0, width - display_width(text))
    return " " * gap + text if align == "right" else text + " " * gap


def grid(rows: list[list[str]], widths: list[int], aligns: list[str], gap: str = "  ") -> list[str]:
    """Lay out rows of cells in fixed-width columns, wrapping each cell."""
    lines: list[str] = []
    for row in rows:
        wrapped = [wrap(cell, w) for cell, w in zip(row, widths)]
        height = max(len(c) for c in wrapped)
        for i in range(height):
            parts = [pad(c[i] if i < len(c) else "", w, a) for c, w, a in zip(wrapped, widths, aligns)]
            lines.append(gap.join(parts).rstrip())
    return lines


def terminal_width(requested: int | None) -> int:
    if requested:
        return max(40, requested)
    return max(40, shutil.get_terminal_size((100, 24)).columns)


# ---------------------------------------------------------------------------
# The money table


def _rate_cell(p: Project) -> str:
    """The recomputed rate; ``*`` marks a printed rate that differs (see ``jixiao check``)."""
    rate = money.format_rate(p.execution_rate)
    printed = p.execution_rate_text.strip()
    if printed and printed != rate:
        return f"{rate}*" if rate else f"({printed})"
    return rate


def money_table(table: Table, width: int) -> list[str]:
    """One row per project plus the computed 合计 row; the source columns go when space is short."""
    amt = money.format_amount
    totals = table.totals()
    full = [("序号", "right"), ("单位名称", "left"), ("项目名称", "left"), ("政府投资", "left"),
            ("预算", "right"), ("实际支出合计", "right"), ("一般公共预算", "right"), ("政府性基金", "right"),
            ("非财政拨款", "right"), ("执行率", "right")]
    rows = [[str(p.seq), p.unit_name, p.name, {True: "是", False: "否"}.get(p.gov_investment, ""),
             amt(p.budget), amt(p.actual_total), amt(p.actual_general_budget), amt(p.actual_gov_fund),
             amt(p.actual_non_fiscal), _rate_cell(p)] for p in table.projects]
    total_row = ["", "", "合计", "", amt(totals.budget), amt(totals.actual_total), amt(totals.actual_general_budget),
                 amt(totals.actual_gov_fund), amt(totals.actual_non_fiscal), money.format_rate(totals.execution_rate)]
    keep = list(range(len(full)))

    def need(cols: list[int]) -> tuple[list[int], int]:
        widths = []
        for c in cols:
            values = [r[c] for r in rows] + [total_row[c]]
            natural = max([display_width(v) for v in values] + [4])
            if c in (1, 2):  # text columns shrink and wrap, but not below their header
                widths.append(min(max(natural, display_width(full[c][0])), 24 if c == 2 else 16))
            elif c == 3:
                widths.append(4)
            else:  # numbers never wrap; the header may
                widths.append(max(natural, 4 if c == 0 else 6))
        return widths, sum(widths) + 2 * (len(cols) - 1)

    widths, total = need(keep)
    if total > width:  # drop the source breakdown and unit, then shrink text columns
        for drop in (6, 7, 8, 1, 3):
            keep.remove(drop)
            widths, total = need(keep)
            if total <= width:
                break
    text_cols = [i for i, c in enumerate(keep) if c in (1, 2)]
    spare = width - total
    for i in text_cols:  # give spare room to the names, shrink them if still too wide
        c = keep[i]
        natural = max(display_width(r[c]) for r in rows) if rows else 4
        if spare > 0:
            grow = min(spare, max(0, natural - widths[i]))
            widths[i] += grow
            spare -= grow
    if spare < 0 and text_cols:
        i = text_cols[-1]
        widths[i] = max(6, widths[i] + spare)
    aligns = [full[c][1] for c in keep]
    header = [full[c][0] for c in keep]
    pick = lambda row: [row[c] for c in keep]  # noqa: E731
    lines = grid([header], widths, ["left"] * len(keep))
    rule = "-" * min(width, sum(widths) + 2 * (len(keep) - 1))
    lines.append(rule)
    lines += grid([pick(r) for r in rows], widths, aligns)
    lines.append(rule)
    lines += grid([pick(total_row)], widths, aligns)
    if any(r[-1].endswith("*") or r[-1].startswith("(") for r in rows):
        lines.append("* 填报的执行率与重算值不同，见 jixiao check / the printed rate differs from the recomputed one")
    return lines


# ---------------------------------------------------------------------------
# Project blocks


def project_block(p: Project, table: Table, width: int) -> list[str]:
    amt = money.format_amount
    lines = [f"[{p.seq}] {p.name}", "=" * min(width, max(8, display_width(f"[{p.seq}] {p.name}")))]
    facts = [f"单位名称：{p.unit_name}", f"是否政府投资项目：{ {True: '是', False: '否'}.get(p.gov_investment, '') }",
             f"预算：{amt(p.budget)}", f"实际支出：{amt(p.actual_total)}（一般公共预算 {amt(p.actual_general_budget)}，"
             f"政府性基金 {amt(p.actual_gov_fund)}，非财政拨款 {amt(p.actual_non_fiscal)}）",
             f"预算支出执行率：{money.format_rate(p.execution_rate)}"
             + (f"（填报 {p.execution_rate_text.strip()}）"
                if p.execution_rate_text.strip() and p.execution_rate_text.strip() != money.format_rate(p.execution_rate)
                else "")]
    for fact in facts:
        lines += wrap(fact, width)
    label_w = 18 if width >= 70 else 12  # 服务对象满意度指标 is 18 columns
    body_w = width - label_w - 2
    for label, text in (("年初绩效目标", p.annual_goal), ("整体完成情况", p.overall_completion)):
        lines += grid([[label, text]], [label_w, body_w], ["left", "left"])
    keys = [k for k in table.layout] + [k for k in p.indicators if k not in table.layout]
    if keys:
        col = max(10, (width - label_w - 4) // 2)
        widths = [label_w, col, width - label_w - 4 - col]
        lines.append("")
        lines += grid([["绩效指标", "年度指标内容", "完成情况"]], widths, ["left"] * 3)
        lines.append("-" * min(width, sum(widths) + 4))
        for key in keys:
            cell = p.indicator(key)
            lines += grid([[KIND_BY_KEY[key].name, cell.target, cell.actual]], widths, ["left"] * 3)
    lines.append("")
    for label, text in (("存在的问题", p.problems), ("整改情况", p.rectification)):
        lines += grid([[label, text]], [label_w, body_w], ["left", "left"])
    return lines


def render(table: Table, width: int = 100, summary_only: bool = False) -> str:
    lines = []
    if table.attachment:
        lines.append(table.attachment)
    lines += wrap(table.display_title, width)
    lines += wrap(f"部门名称（盖章）：{table.department}    单位：{table.money_unit.value}", width)
    lines.append("")
    lines += money_table(table, width)
    if not summary_only:
        for p in table.projects:
            lines.append("")
            lines += project_block(p, table, width)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# CLI


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "show", help="在终端中显示表格 / show the table in a terminal",
        description="在终端中显示自评表：金额表（含合计行）和每个项目的指标。"
                    " / Show the table in a terminal: the money table with its totals row, then each project.")
    parser.add_argument("file", metavar="FILE", nargs="+", help=FILES_HELP)
    parser.add_argument("--width", type=int, default=None, metavar="N",
                        help="输出宽度（列），默认为终端宽度 / output width in columns (default: the terminal's)")
    parser.add_argument("--summary", action="store_true",
                        help="只显示金额表 / only the money table with its totals row")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    width = terminal_width(args.width)
    first = True
    for _, table in iter_many(args.file):
        if not first:
            sys.stdout.write("\n" + "#" * min(width, 40) + "\n\n")
        sys.stdout.write(render(table, width, args.summary))
        first = False
    return 0
