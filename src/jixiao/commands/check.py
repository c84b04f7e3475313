"""``jixiao check FILE [--json] [--config CONFIG.json] [--history FILE]…``: recompute and check a table.

Human output: each project's recomputed 预算支出执行率 beside the printed one, the
computed 合计 row, then the findings grouped by project. ``--json`` prints one object
(documented in docs/cli.md). Exit codes: 0 no error-severity finding, 1 errors found,
2 unusable input (bad JSON, bad config…). FILE may be ``-`` (stdin), a ``.jsonl``
file of one table per line, several files or a folder (every table JSON in it); with more than
one table ``--json`` prints one object per line. One 绩效目标表 (targets JSON or XLSX) is checked
with the target-quality checks JX6xx (:mod:`.targets_doc`); ``--history`` gives it the
department's earlier years — their approved targets and self-evaluations — for JX612.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

from tqdm import tqdm

from ..core import money
from ..core.checks import CheckConfig, Finding, check_table, check_target_sheet, count_by_severity
from ..core.target_history import TargetHistory
from ..core.target_sheet import TargetSheet
from ..core.model import Table
from ..errors import InputError
from .settings_file import read_settings
from .targets_doc import load_history, targets_of
from .targets_doc import report as targets_report
from ..textwidth import display_width
from .show import FILES_HELP, grid, iter_many, many_inputs, one_pretty_document, terminal_width, wrap

SEVERITY_LABEL = {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"}


def load_config(path: str | None) -> CheckConfig:
    if not path:
        return CheckConfig()
    return CheckConfig.from_dict(read_settings(path, "检查配置", "check settings"), source=path)


# ---------------------------------------------------------------------------
# The report as data (the --json object)


def report(table: Table, findings: list[Finding], source: str) -> dict[str, Any]:
    totals = table.totals()
    amt = money.format_amount
    return {
        "file": source,
        "department": table.department,
        "year": table.year,
        "title": table.display_title,
        "money_unit": table.money_unit.value,
        "projects": [{
            "seq": p.seq, "name": p.name,
            "budget": amt(p.budget) or None, "actual_total": amt(p.actual_total) or None,
            "execution_rate": money.format_rate(p.execution_rate) or None,
            "reported_execution_rate": p.execution_rate_text.strip() or None,
        } for p in table.projects],
        "totals": {
            "budget": amt(totals.budget), "actual_total": amt(totals.actual_total),
            "actual_general_budget": amt(totals.actual_general_budget),
            "actual_gov_fund": amt(totals.actual_gov_fund),
            "actual_non_fiscal": amt(totals.actual_non_fiscal),
            "execution_rate": money.format_rate(totals.execution_rate) or None,
        },
        "counts": count_by_severity(findings),
        "findings": [f.to_dict() for f in findings],
    }


# ---------------------------------------------------------------------------
# Human output


def rates_table(table: Table, width: int) -> list[str]:
    amt = money.format_amount
    totals = table.totals()
    rows = [[str(p.seq), p.name, amt(p.budget), amt(p.actual_total), money.format_rate(p.execution_rate),
             p.execution_rate_text.strip(),
             "" if not p.execution_rate_text.strip() or p.execution_rate_text.strip() == money.format_rate(p.execution_rate)
             else "≠"] for p in table.projects]
    total_row = ["", "合计", amt(totals.budget), amt(totals.actual_total), money.format_rate(totals.execution_rate), "", ""]
    header = ["序号", "项目名称", "预算", "实际支出", "执行率(重算)", "填报", ""]
    widths = [max([display_width(r[i]) for r in rows + [total_row, header]] + [1]) for i in range(7)]
    fixed = sum(widths) - widths[1] + 2 * 6
    widths[1] = max(8, min(widths[1], width - fixed))
    aligns = ["right", "left", "right", "right", "right", "right", "left"]
    rule = "-" * min(width, sum(widths) + 12)
    return (grid([header], widths, ["left"] * 7) + [rule] + grid(rows, widths, aligns) + [rule]
            + grid([total_row], widths, aligns))


def _strip_project_prefix(f: Finding, text: str, zh: bool) -> str:
    prefix = f"项目 {f.project_seq}「{f.project_name.strip()}」" if zh else \
        f"project {f.project_seq} “{f.project_name.strip()}”, "
    return text[len(prefix):] if f.project_seq is not None and text.startswith(prefix) else text


def findings_text(findings: list[Finding], width: int, table: Table | None = None) -> list[str]:
    lines: list[str] = []
    groups: dict[Any, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.project_seq, f.project_name), []).append(f)
    # Groups follow the rows of the table (序号 may be out of order: JX402); the whole table last.
    row: dict[Any, int] = {}
    for i, p in enumerate(table.projects if table is not None else []):
        row.setdefault((p.seq, p.name), i)
    order = sorted(groups, key=lambda k: (k[0] is None, row.get(k, k[0] or 0)))
    for seq, name in order:
        lines.append(f"项目 {seq}「{name.strip()}」 / project {seq}" if seq is not None else "整表 / whole table")
        for f in groups[(seq, name)]:
            head = f"  [{SEVERITY_LABEL[f.severity]}] {f.code} "
            indent = " " * display_width(head)
            body_w = max(20, width - len(indent))
            for i, text in enumerate((_strip_project_prefix(f, f.message_zh, True),
                                      _strip_project_prefix(f, f.message_en, False))):
                for j, part in enumerate(wrap(text, body_w)):
                    lines.append((head if i == 0 and j == 0 else indent) + part)
    return lines


def human(table: Table, findings: list[Finding], source: str, width: int) -> str:
    counts = count_by_severity(findings)
    lines = [f"检查 / check: {source}", *wrap(f"{table.display_title} — {table.department}（单位：{table.money_unit.value}）", width), ""]
    lines += rates_table(table, width)
    lines.append("")
    if findings:
        lines.append("发现的问题 / Findings:")
        lines += findings_text(findings, width, table)
    else:
        lines.append("未发现问题 / No findings.")
    lines.append("")
    lines.append(f"小结 / Summary: {counts['error']} 错误 errors, {counts['warning']} 警告 warnings, "
                 f"{counts['info']} 提示 info")
    return "\n".join(lines) + "\n"


SOURCE_LABEL = {"target": "绩效目标 targets", "completion": "自评 self-evaluation"}


def targets_human(sheet: TargetSheet, findings: list[Finding], source: str, width: int,
                  history: TargetHistory | None = None) -> str:
    """The human report of a 绩效目标表's check: its projects, then the findings by project."""
    counts = count_by_severity(findings)
    lines = [f"检查绩效目标表 / check targets: {source}",
             *wrap(f"{sheet.display_title} — {sheet.department}（{len(sheet.projects)} 个项目 / projects）", width), ""]
    for i, p in enumerate(sheet.projects, start=1):
        lines += wrap(f"{i}. {p.name}（{len(p.indicators)} 个三级指标 / indicators）", width)
    if history is not None:
        given = "；".join(f"{y} {SOURCE_LABEL[s]} {n}" for y, s, n in history.summary()) or "—"
        lines += ["", *wrap(f"以往年度的指标值 / earlier years' values (JX612): {given}", width)]
    lines.append("")
    if findings:
        lines.append("发现的问题 / Findings:")
        lines += findings_text(findings, width)
    else:
        lines.append("未发现问题 / No findings.")
    lines += ["", f"小结 / Summary: {counts['error']} 错误 errors, {counts['warning']} 警告 warnings, "
                  f"{counts['info']} 提示 info"]
    return "\n".join(lines) + "\n"


def run_targets_check(sheet: TargetSheet, path: str, config: CheckConfig, as_json: bool, width: int,
                      history: TargetHistory | None = None) -> int:
    """``jixiao check`` of one 绩效目标表: the JX6xx checks (JX612 with a history); exit 1 on an
    error-severity finding."""
    findings = check_target_sheet(sheet, config, history)
    if as_json:
        sys.stdout.write(json.dumps(targets_report(sheet, findings, path, history), ensure_ascii=False, indent=1)
                         + "\n")
    else:
        sys.stdout.write(targets_human(sheet, findings, path, width, history))
    return 1 if any(f.severity == "error" for f in findings) else 0


# ---------------------------------------------------------------------------
# CLI


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check", help="检查表格的金额、执行率和指标 / check amounts, rates and indicators",
        description="重算执行率和合计行并检查表格。退出码：0 无错误，1 发现错误，2 输入无法使用。"
                    " / Recompute rates and totals and check the table. Exit 0: no errors, 1: errors found, "
                    "2: unusable input.")
    parser.add_argument("file", metavar="FILE", nargs="+", help=FILES_HELP)
    parser.add_argument("--json", action="store_true", help="输出 JSON 对象 / print a JSON object")
    parser.add_argument("--config", metavar="CONFIG.json", help="检查配置（阈值等）/ check settings (thresholds…)")
    parser.add_argument("--width", type=int, default=None, metavar="N",
                        help="输出宽度，默认为终端宽度 / output width (default: the terminal's)")
    parser.add_argument("--history", action="append", default=None, metavar="FILE",
                        help="仅用于绩效目标表：本部门以往年度的绩效目标表（经审核通过）或自评表（表格 JSON、XLSX…），"
                             "可重复；指标值低于以往水平时提示 JX612 / targets form only: an earlier year's approved "
                             "target sheet or self-evaluation table (table JSON, XLSX…) of the department, repeatable; "
                             "targets below the earlier level are flagged JX612")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    width = terminal_width(args.width)
    sheet = targets_of(args.file[0]) if len(args.file) == 1 else None
    if sheet is not None:  # a 绩效目标表: checks JX6xx
        history = load_history(args.history) if args.history else None
        return run_targets_check(sheet, args.file[0], config, args.json, width, history)
    if args.history:
        raise InputError("--history 只用于绩效目标表的检查", "--history is for the check of a targets form, not "
                         "of a self-evaluation table")
    any_error = False
    out = sys.stdout
    tables: Iterable = iter_many(args.file)
    if many_inputs(args.file):
        # Many tables (a province-year): show progress on stderr when it is a terminal.
        tables = tqdm(tables, unit="表", desc="check", file=sys.stderr, disable=None, dynamic_ncols=True)
    for i, (source, table) in enumerate(tables):
        findings = check_table(table, config)
        any_error = any_error or any(f.severity == "error" for f in findings)
        if args.json:
            out.write(json.dumps(report(table, findings, source), ensure_ascii=False,
                                 indent=1 if one_pretty_document(args.file, source) else None) + "\n")
        else:
            if i:
                out.write("\n" + "#" * min(width, 40) + "\n\n")
            out.write(human(table, findings, source, width))
    return 1 if any_error else 0
