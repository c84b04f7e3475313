"""``jixiao score FILE [--json] [--config SCORING.json] [--detail]``: suggested scores.

For every project of a table: 预算执行率得分, each 一级 category's score, the total, the
grade and the reasons in Chinese; ``--detail`` adds every 二级 cell and 三级 item.
``--json`` prints one object per table (shape in docs/cli-json.md). FILE may be ``-``
(stdin), a ``.jsonl`` file of one table per line, several files or a folder (every table JSON
in it; then one object a line). ``--csv OUT.csv`` also writes a row of scores per project
(year, department, source, 执行率 and its score, the three categories, total, grade, the
suggestion and whether an evaluator adjusted it), for a spreadsheet. Settings: docs/scoring.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from contextlib import ExitStack
from typing import Any

from ..core.model import Table
from ..core.scoring import ProjectScore, ScoringConfig, score_table, to_dict
from ..errors import InputError
from ..formats.atomic import atomic_path
from ..formats.formula_guard import csv_text
from .settings_file import read_settings
from .show import FILES_HELP, iter_many, one_pretty_document, terminal_width, wrap


def load_config(path: str | None) -> ScoringConfig:
    if not path:
        return ScoringConfig()
    data = read_settings(path, "评分设置", "scoring settings")
    try:
        return ScoringConfig.from_dict(data)
    except InputError as exc:
        raise InputError(exc.message_zh, exc.message_en, source=path) from None


def report(table: Table, scores: list[ProjectScore], source: str) -> dict[str, Any]:
    return {"file": source, "department": table.department, "year": table.year,
            "title": table.display_title, "projects": [to_dict(s) for s in scores]}


def _indent(text: str, prefix: str, width: int) -> list[str]:
    return [prefix + part for part in wrap(text, max(20, width - len(prefix)))]


def human_project(ps: ProjectScore, width: int, detail: bool) -> list[str]:
    lines = [f"{ps.seq}. {ps.name} — 总分 {ps.total} 分，等级：{ps.grade}"
             + (f"（系统建议 {ps.suggested} 分）" if ps.override is not None else "")]
    ex = ps.execution
    rate = f"{ex.rate}%" if ex.rate is not None else "—"
    lines.append(f"   预算执行率 {rate}：{ex.score} / {ex.weight.normalize():f} 分")
    for c in ps.categories:
        lines.append(f"   {c.name}：{c.score} / {c.weight.normalize():f} 分")
        if detail:
            for ind in c.indicators:
                lines.append(f"     {ind.name}：{ind.score} / {ind.weight} 分")
                for it in ind.items:
                    verdict = {True: "达成", False: "未达成", None: "无法判断"}[it.met]
                    lines.extend(_indent(f"· {it.target} → {verdict}，{it.score} / {it.weight} 分", "       ", width))
                    for r in it.reasons:
                        lines.extend(_indent(r, "         ", width))
    lines.append("   理由：")
    for r in ps.reasons:
        lines.extend(_indent("- " + r, "     ", width))
    return lines


def human(table: Table, scores: list[ProjectScore], source: str, width: int, detail: bool) -> str:
    lines = [f"评分 / score: {source}", *wrap(f"{table.display_title} — {table.department}", width),
             "（系统建议分，评价人可调整 / suggested scores; an evaluator may override them）", ""]
    for ps in scores:
        lines.extend(human_project(ps, width, detail))
        lines.append("")
    return "\n".join(lines)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "score", help="按财预〔2020〕10号规则给出建议得分和等级 / suggested scores and grades",
        description="为表中每个项目计算预算执行率得分、各一级指标得分、总分和评价等级，并说明理由。"
                    " / Score every project: execution rate, categories, total, grade, reasons.")
    parser.add_argument("file", metavar="FILE", nargs="+", help=FILES_HELP)
    parser.add_argument("--json", action="store_true", help="输出 JSON 对象 / print a JSON object")
    parser.add_argument("--csv", metavar="OUT.csv",
                        help="另把每个项目的得分写成 CSV（UTF-8 带 BOM，一行一个项目）/ also write every project's "
                             "scores as CSV (UTF-8 with BOM, a row per project)")
    parser.add_argument("--config", metavar="SCORING.json", help="评分设置 / scoring settings (docs/scoring.md)")
    parser.add_argument("--detail", action="store_true", help="列出每个三级指标 / show every indicator item")
    parser.add_argument("--width", type=int, default=None, metavar="N",
                        help="输出宽度，默认为终端宽度 / output width (default: the terminal's)")
    parser.set_defaults(func=run)


CSV_COLUMNS = ("年度", "部门", "来源", "序号", "项目名称", "预算执行率", "预算执行率得分", "产出指标得分",
               "效益指标得分", "满意度指标得分", "总分", "评价等级", "系统建议总分", "评分调整")


def _overridden(ps: ProjectScore) -> bool:
    """Whether an evaluator's override replaced any score of the project (at any level)."""
    if ps.override is not None or ps.execution.override is not None:
        return True
    for c in ps.categories:
        if c.override is not None:
            return True
        for i in c.indicators:
            if i.override is not None or any(it.override is not None for it in i.items):
                return True
    return False


def csv_row(table: Table, source: str, ps: ProjectScore) -> list[Any]:
    """One project's scores as a CSV row (CSV_COLUMNS); the categories by key, blank if absent."""
    cats = {c.key: c.score for c in ps.categories}
    adjusted = _overridden(ps)
    return [table.year, csv_text(table.department), csv_text(source), ps.seq, csv_text(ps.name),
            "" if ps.execution.rate is None else f"{ps.execution.rate}%", ps.execution.score,
            cats.get("output", ""), cats.get("outcome", ""), cats.get("satisfaction", ""),
            ps.total, ps.grade, ps.suggested, "是" if adjusted else "否"]


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with ExitStack() as stack:
        writer = None
        if args.csv:  # written beside the printed output, atomically: complete or not at all
            tmp = stack.enter_context(atomic_path(args.csv))
            fh = stack.enter_context(tmp.open("w", encoding="utf-8-sig", newline=""))
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(CSV_COLUMNS)
        _print(args, config, writer)
    return 0


def _print(args: argparse.Namespace, config: ScoringConfig, writer) -> None:
    """Score every table and print it (human or JSON); its rows go to ``writer`` (the CSV) too."""
    width = terminal_width(args.width)
    out = sys.stdout
    for source, table in iter_many(args.file):
        scores = score_table(table, config)
        if writer is not None:
            writer.writerows(csv_row(table, source, ps) for ps in scores)
        if args.json:
            out.write(json.dumps(report(table, scores, source), ensure_ascii=False,
                                 indent=1 if one_pretty_document(args.file, source) else None) + "\n")
        else:
            out.write(human(table, scores, source, width, args.detail))
