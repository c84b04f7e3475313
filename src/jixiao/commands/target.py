"""``jixiao target "TEXT" [--actual "TEXT"] [--kind KEY] [--json]``: read one indicator cell.

Prints what the parser found in the cell — one line per 三级 indicator with its kind,
operator, value and unit — and, given the completion text, how each item was matched
and judged (met / not met / unknown, with the ratio and the reasons). ``--kind`` names the
二级 indicator (``cost`` reads an amount without an operator as a ceiling). The JSON shape is
documented in docs/cli-json.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..core.matching import Judgement, describe_item, fmt_num, match_cell
from ..core.reasons import to_data, zh
from ..core.targets import Item, parse_cell
from ..core.taxonomy import KIND_BY_KEY
from ..errors import InputError
from .show import terminal_width, wrap

KIND_ZH = {"quantity": "定量", "deadline": "时限", "qualitative": "定性", "unknown": "无法识别"}
MAX_CHARS = 1_000_000  # a cell is text; a megabyte of it is a mistake, not a cell


def _d(x) -> str | None:
    return None if x is None else str(x)


def item_dict(item: Item) -> dict[str, Any]:
    deadline = None
    if item.kind == "deadline":
        deadline = {"year": item.deadline_year, "month": item.deadline_month, "day": item.deadline_day}
    return {"text": item.text, "kind": item.kind, "op": item.op, "value": _d(item.value),
            "upper": _d(item.upper), "unit": item.unit, "subject": item.subject,
            "op_text": item.op_text, "unit_inferred": item.unit_inferred, "deadline": deadline,
            "reason": item.reason}


def judged_dict(j: Judgement) -> dict[str, Any]:
    d = item_dict(j.target)
    a = j.actual
    d.update({
        "actual_text": a.text if a is not None else None,
        "actual_value": _d(a.value) if a is not None and a.kind == "quantity" else None,
        "actual_unit": a.unit if a is not None and a.kind == "quantity" else None,
        "met": j.met, "ratio": _d(j.ratio), "evidence": j.evidence, "tier": j.tier,
        "restated": j.restated, "claimed": j.claimed, "reasons": [zh(r) for r in j.reasons],
        "reason_codes": [to_data(r) for r in j.reasons],
    })
    return d


def report(target: str, actual: str | None, kind: str | None = None) -> dict[str, Any]:
    if actual is None:
        return {"target": target, "actual": None, "items": [item_dict(i) for i in parse_cell(target, kind)]}
    m = match_cell(target, actual, kind)
    return {"target": target, "actual": actual, "items": [judged_dict(j) for j in m.judgements],
            "actual_items": [item_dict(i) for i in m.actuals], "restated": m.restated, "bare": m.bare,
            "notes": [zh(r) for r in m.notes], "note_codes": [to_data(r) for r in m.notes]}


def _measure(item: Item) -> str:
    if item.kind in ("quantity", "deadline") and (item.value is not None or item.deadline_month):
        return describe_item(item)
    if item.kind == "deadline":
        return "及时（无具体日期）"
    return "—"


def human(target: str, actual: str | None, width: int, kind: str | None = None) -> str:
    lines = [f"年度指标内容 / target: {target}"]
    if actual is None:
        items = parse_cell(target, kind)
        if not items:
            lines.append("（空白，没有指标 / blank: no indicators）")
        for n, it in enumerate(items, 1):
            lines.append(f"{n}. [{KIND_ZH[it.kind]} {it.kind}] {it.text}")
            if it.kind != "unknown":
                lines.append(f"   指标：{it.subject or '—'}　指标值：{_measure(it)}"
                             + (f"　单位：{it.unit}" + ("（由指标名称推断）" if it.unit_inferred else "")
                                if it.unit else ""))
            else:
                lines.append(f"   原因：{it.reason}")
        return "\n".join(lines) + "\n"
    m = match_cell(target, actual, kind)
    lines.append(f"完成情况 / actual: {actual}")
    for note in m.notes:
        lines.extend(wrap("注意：" + zh(note), width))
    for n, j in enumerate(m.judgements, 1):
        verdict = {True: "达成 met", False: "未达成 not met", None: "无法判断 unknown"}[j.met]
        ratio = f"，完成比例 {fmt_num(j.ratio * 100)}%" if j.ratio is not None else ""
        claim = "（声明，无实际数值 / claimed）" if j.claimed else ""
        lines.append(f"{n}. [{KIND_ZH[j.target.kind]}] {j.target.text} → {verdict}{ratio}{claim}")
        for r in j.reasons:
            lines.extend("   " + part for part in wrap(zh(r), max(20, width - 3)))
    return "\n".join(lines) + "\n"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "target", help="解析一个指标单元格并判断完成情况 / parse one indicator cell and judge completion",
        description="解析“年度指标内容”，给出完成情况时逐项匹配并判断是否达成。"
                    " / Parse a target cell; with --actual, match and judge each item.")
    parser.add_argument("text", metavar="TEXT", help="年度指标内容 / the target cell text")
    parser.add_argument("--actual", metavar="TEXT", default=None, help="完成情况 / the completion cell text")
    parser.add_argument("--kind", metavar="KEY", default=None, choices=sorted(KIND_BY_KEY),
                        help="二级指标（quantity、cost …），cost 把没有比较符号的金额读作上限"
                             " / the 二级 indicator key; cost reads an amount without operator as a ceiling")
    parser.add_argument("--json", action="store_true", help="输出 JSON 对象 / print a JSON object")
    parser.add_argument("--width", type=int, default=None, metavar="N",
                        help="输出宽度，默认为终端宽度 / output width (default: the terminal's)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for name, value in (("TEXT", args.text), ("--actual", args.actual)):
        if value is not None and len(value) > MAX_CHARS:
            raise InputError(f"{name} 过长（超过{MAX_CHARS}个字符），不是一个单元格",
                             f"{name} is too long (over {MAX_CHARS} characters) to be a cell")
    if args.json:
        sys.stdout.write(json.dumps(report(args.text, args.actual, args.kind), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(human(args.text, args.actual, terminal_width(args.width), args.kind))
    return 0
