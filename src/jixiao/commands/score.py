"""``jixiao score FILE [--json] [--config SCORING.json] [--detail]``: suggested scores.

For every project of a table: 预算执行率得分, each 一级 category's score, the total, the
grade and the reasons in Chinese; ``--detail`` adds every 二级 cell and 三级 item.
``--json`` prints one object per table (shape in docs/cli-json.md). FILE may be ``-``
(stdin), a ``.jsonl`` file of one table per line, several files or a folder (every table JSON
in it; then one object a line). ``--csv OUT.csv`` also writes a row of scores per project
(year, department, source, 执行率 and its score, the three categories, total, grade, the
suggestion and whether an evaluator adjusted it, the evidenced total and the evidence gap, the
published total), for a spreadsheet. ``--profile NAME`` scores under a named profile (central,
strict, hubei, sichuan) instead of the table's own; ``--evidence strict`` makes the evidenced
reading the suggested one. For imported MoF forms the published 得分 are shown next to the
suggested ones, and ``--diff-csv OUT.csv`` writes a row per item and project where they differ,
with the reason. Settings: docs/scoring.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from contextlib import ExitStack
from typing import Any

from ..core.checks import score_findings
from ..core.model import Table
from ..core.scoring import PROFILES, ProjectScore, ScoringConfig, score_table, to_dict
from ..core.reasons import code_of, zh
from ..core.scoring.summary import CODES as SUMMARY_CODES
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
    projects = []
    for p, s in zip(table.projects, scores):
        data = to_dict(s)
        data["findings"] = [f.to_dict() for f in score_findings(p, s)]
        projects.append(data)
    return {"file": source, "department": table.department, "year": table.year,
            "title": table.display_title, "projects": projects}


def _indent(text: str, prefix: str, width: int) -> list[str]:
    return [prefix + part for part in wrap(text, max(20, width - len(prefix)))]


def _published(value) -> str:
    return "" if value is None else f"（公开得分 {value} 分）"


def human_project(ps: ProjectScore, width: int, detail: bool) -> list[str]:
    lines = [f"{ps.seq}. {ps.name} — 总分 {ps.total} 分，等级：{ps.grade}"
             + (f"（系统建议 {ps.suggested} 分）" if ps.override is not None else "")
             + ("" if ps.published_total is None else
                f"；公开总分 {ps.published_total} 分" + (f"，等级：{ps.published_grade}" if ps.published_grade else ""))]
    if ps.evidence_gap:
        lines.append(f"   证据口径总分 {ps.evidenced_total} 分（证据差 {ps.evidence_gap} 分：有完成情况只复述或声称达到目标）")
    ex = ps.execution
    rate = f"{ex.rate}%" if ex.rate is not None else "—"
    lines.append(f"   预算执行率 {rate}：{ex.score} / {ex.weight.normalize():f} 分" + _published(ex.published))
    for c in ps.categories:
        lines.append(f"   {c.name}：{c.score} / {c.weight.normalize():f} 分")
        if detail:
            for ind in c.indicators:
                lines.append(f"     {ind.name}：{ind.score} / {ind.weight} 分" + _published(ind.published))
                for it in ind.items:
                    verdict = {True: "达成", False: "未达成", None: "无法判断"}[it.met]
                    claim = "（声称达成，无完成数值）" if it.evidence == "claimed" else ""
                    lines.extend(_indent(f"· {it.target} → {verdict}{claim}，{it.score} / {it.weight} 分"
                                         + _published(it.published), "       ", width))
                    for r in it.reasons:
                        lines.extend(_indent(zh(r), "         ", width))
    lines.append("   理由：")
    for r in ps.reasons:
        lines.extend(_indent("- " + zh(r), "     ", width))
    return lines


def human(table: Table, scores: list[ProjectScore], source: str, width: int, detail: bool) -> str:
    lines = [f"评分 / score: {source}", *wrap(f"{table.display_title} — {table.department}", width),
             "（系统建议分，评价人可调整 / suggested scores; an evaluator may override them）", ""]
    for project, ps in zip(table.projects, scores):
        lines.extend(human_project(ps, width, detail))
        if detail:  # the findings read from the score (JX504: claims without a figure)
            for f in score_findings(project, ps):
                lines.extend(_indent(f"{f.code} {f.message_zh}", "   ", width))
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
    parser.add_argument("--profile", choices=sorted(PROFILES), metavar="NAME",
                        help="评分口径（" + "、".join(sorted(PROFILES)) + "），代替表格自带的口径 / scoring profile "
                             "(" + ", ".join(sorted(PROFILES)) + "), instead of the table's own")
    parser.add_argument("--evidence", choices=("practice", "strict"),
                        help="建议分的证据口径：practice（默认，声称达成计为达成）或 strict / which reading the "
                             "suggested score is: practice (default: a claim counts as met) or strict")
    parser.add_argument("--diff-csv", metavar="OUT.csv",
                        help="把公开得分与建议得分不同的项目和指标写成 CSV（含原因）/ write a CSV row per item and "
                             "project whose published score differs from the suggested one, with the reason")
    parser.add_argument("--detail", action="store_true", help="列出每个三级指标 / show every indicator item")
    parser.add_argument("--width", type=int, default=None, metavar="N",
                        help="输出宽度，默认为终端宽度 / output width (default: the terminal's)")
    parser.set_defaults(func=run)


CSV_COLUMNS = ("年度", "部门", "来源", "序号", "项目名称", "预算执行率", "预算执行率得分", "产出指标得分",
               "效益指标得分", "满意度指标得分", "总分", "评价等级", "系统建议总分", "评分调整",
               "证据口径总分", "证据差", "公开总分")


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
            ps.total, ps.grade, ps.suggested, "是" if adjusted else "否",
            ps.evidenced_total, ps.evidence_gap, "" if ps.published_total is None else ps.published_total]


DIFF_COLUMNS = ("年度", "部门", "来源", "序号", "项目名称", "层级", "指标", "分值", "公开得分", "建议得分", "差额", "原因")


def diff_rows(table: Table, source: str, ps: ProjectScore) -> list[list[Any]]:
    """The rows of ``--diff-csv`` for one project: every item, the execution rate and the total
    whose published score (Project.published, IndicatorItem.published_score) differs from the
    suggested one, with the suggestion's reasons (what the reviewer reads to see why)."""
    head = [table.year, csv_text(table.department), csv_text(source), ps.seq, csv_text(ps.name)]
    rows = []

    def row(level, name, weight, published, score, reasons):
        rows.append([*head, level, csv_text(name), weight, published, score, score - published,
                     csv_text("".join(zh(r) for r in reasons))])

    ex = ps.execution
    if ex.published is not None and ex.published != ex.score:
        row("预算执行率", "预算执行率", ex.weight, ex.published, ex.score, ex.reasons)
    for cat in ps.categories:
        for ind in cat.indicators:
            for it in ind.items:
                if it.published is not None and it.published != it.score:
                    row("三级指标", f"{ind.name}：{it.target}", it.weight, it.published, it.score, it.reasons)
    if ps.published_total is not None and ps.published_total != ps.total:
        row("项目", "总分", ps.execution.weight + sum((c.weight for c in ps.categories), 0),
            ps.published_total, ps.total, [r for r in ps.reasons if code_of(r) in SUMMARY_CODES])
    return rows


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if args.profile:
        config = config.with_profile(args.profile)
    if args.evidence:
        config = config.copy()
        config.evidence = args.evidence
        config.given = config.given | {"evidence"}
    with ExitStack() as stack:
        writers = []
        for path, columns in ((args.csv, CSV_COLUMNS), (getattr(args, "diff_csv", None), DIFF_COLUMNS)):
            writer = None
            if path:  # written beside the printed output, atomically: complete or not at all
                tmp = stack.enter_context(atomic_path(path))
                fh = stack.enter_context(tmp.open("w", encoding="utf-8-sig", newline=""))
                writer = csv.writer(fh, lineterminator="\r\n")
                writer.writerow(columns)
            writers.append(writer)
        _print(args, config, *writers)
    return 0


def _print(args: argparse.Namespace, config: ScoringConfig, writer, diff_writer=None) -> None:
    """Score every table and print it (human or JSON); its rows go to ``writer`` (the CSV) too,
    and the published-vs-suggested differences to ``diff_writer``."""
    width = terminal_width(args.width)
    out = sys.stdout
    for source, table in iter_many(args.file):
        scores = score_table(table, config)
        if writer is not None:
            writer.writerows(csv_row(table, source, ps) for ps in scores)
        if diff_writer is not None:
            for ps in scores:
                diff_writer.writerows(diff_rows(table, source, ps))
        if args.json:
            out.write(json.dumps(report(table, scores, source), ensure_ascii=False,
                                 indent=1 if one_pretty_document(args.file, source) else None) + "\n")
        else:
            out.write(human(table, scores, source, width, args.detail))
