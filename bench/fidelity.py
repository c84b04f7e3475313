"""Fidelity on real published indicator rows: how often jixiao reads a target and judges a
completion the way a careful reviewer does.

The corpus is tests/fidelity/pairs.jsonl — (target, completion) pairs copied from self-evaluation
forms that Chinese governments published, each labelled by hand before jixiao was run on it
(tests/fidelity/README.md). This script runs ``targets.parse_cell`` and ``matching.match_cell``
over every pair and prints, over the *sure* pairs, the share where jixiao agrees with the label:

- kind      quantity / deadline / qualitative of the target's main item (``unknown`` never agrees);
- operator  over pairs labelled quantity;
- value     value, upper bound and unit over pairs labelled quantity, and the date over dated
            deadlines;
- met       the judgement of the main item (true / false / cannot be judged);
- claimed   the completion copies the target or asserts it in words (only when ``Judgement`` has
            a ``claimed`` field).

    PYTHONPATH=src .venv/bin/python bench/fidelity.py [--all] [--disagreements FILE] [--markdown] [--corpus DIR]

``--corpus DIR`` reads DIR/pairs.jsonl and DIR/sources.jsonl instead of tests/fidelity (e.g. the
held-out set tests/fidelity/holdout, gathered after the parser was tuned); the comparison is the same.

How a row is given to jixiao: a MoF form's 三级指标 name is the subject its 年度指标值 and 实际完成值
lack (`合格率` / `≥95%` / `98%`), so both cells are read as ``name + cell`` unless the cell already
contains the name; the 二级 kind (``cost`` …) is passed as ``kind=`` when the installed
``parse_cell`` and ``match_cell`` accept it (detected with ``inspect.signature``).
The *main item* of a target is, among its items that reach into the target cell's own text (not
wholly inside the prefixed name, such as ``指标1:``), the first with a value or a date, else the first.
"""

from __future__ import annotations

import argparse
import calendar
import inspect
import json
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jixiao.core import matching, targets

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fidelity"
FIELDS = ("kind", "operator", "value", "met", "claimed")

_PARSE_TAKES_KIND = "kind" in inspect.signature(targets.parse_cell).parameters
_MATCH_TAKES_KIND = "kind" in inspect.signature(matching.match_cell).parameters
HAS_CLAIMED = "claimed" in {f for f in getattr(matching.Judgement, "__dataclass_fields__", {})}


def load(path: Path = CORPUS) -> tuple[list[dict], dict[str, dict]]:
    pairs = [json.loads(line) for line in (path / "pairs.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    sources = {}
    for line in (path / "sources.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            s = json.loads(line)
            sources[s["id"]] = s
    return pairs, sources


def disclosures(sources: dict[str, dict]) -> set[tuple]:
    """Distinct sources in the corpus's sense: one department × region × year disclosure (two
    excerpts of one disclosure, e.g. two forms of the same department and year, count once)."""
    return {(s["province"], s["region"], s["department"], s["year"]) for s in sources.values()}


def fold(text: str) -> str:
    """Whitespace and table rules removed: what 'the excerpt contains the cell' compares."""
    return re.sub(r"[\s|]+", "", text)


def cell_text(name: str, cell: str) -> str:
    """The text jixiao reads for one cell of a row: the 三级 name gives the subject."""
    if not cell.strip() or not name or fold(name) in fold(cell):
        return cell
    return name + cell


def parse(text: str, kind: str | None) -> list:
    return targets.parse_cell(text, kind=kind) if _PARSE_TAKES_KIND else targets.parse_cell(text)


def match(target: str, actual: str, kind: str | None):
    return matching.match_cell(target, actual, kind=kind) if _MATCH_TAKES_KIND else matching.match_cell(target, actual)


def main_item(items: list, start: int = 0):
    """The item a row's label describes: among the items that reach into the target cell's own
    text (at ``start`` and after, past a prefixed name), the first with a value or a date, else the
    first; items read wholly inside the name (``指标1:``) are not the target's."""
    own = [it for it in items if it.span[1] > start] or items
    for it in own:
        if it.kind in ("quantity", "deadline"):
            return it
    return own[0] if own else None


def _date_of(item) -> tuple | None:
    """(year or None, month, day) of a jixiao deadline item; 'before month m' is the day before it."""
    if item.deadline_month is None:
        return None
    y, m, d = item.deadline_year, item.deadline_month, item.deadline_day
    if d == 0:
        m = m - 1 if m > 1 else 12
        d = calendar.monthrange(y or 2001, m)[1]
    return (y, m, d)


def _label_date(text: str | None) -> tuple | None:
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    return (None, *parts) if len(parts) == 2 else tuple(parts)


def _dec(x) -> Decimal | None:
    return None if x is None else Decimal(str(x))


@dataclass
class Row:
    pair: dict
    jixiao: dict
    agree: dict = field(default_factory=dict)  # field → True/False; absent when the field does not apply


def judge(pair: dict) -> Row:
    name, kind = pair["name"], pair["kind"]
    ttext, atext = cell_text(name, pair["target"]), cell_text(name, pair["actual"])
    items = parse(ttext, kind)
    item = main_item(items, len(ttext) - len(pair["target"]))
    cm = match(ttext, atext, kind)
    j = None
    if item is not None:
        for cand in cm.judgements:
            if cand.target.span == item.span and cand.target.text == item.text:
                j = cand
                break
    got = {
        "kind": item.kind if item else None,
        "op": item.op if item else None,
        "value": str(item.value) if item is not None and item.value is not None else None,
        "upper": str(item.upper) if item is not None and item.upper is not None else None,
        "unit": item.unit if item else None,
        "date": _date_of(item) if item is not None and item.kind == "deadline" else None,
        "met": j.met if j else None,
        "claimed": getattr(j, "claimed", None) if j else None,
        "evidence": j.evidence if j else None,
        "items": len(items),
    }
    lab = pair["label"]
    row = Row(pair, got)
    row.agree["kind"] = got["kind"] == lab["kind"]
    if lab["kind"] == "quantity":
        row.agree["operator"] = got["kind"] == "quantity" and got["op"] == lab["op"]
        row.agree["value"] = (got["kind"] == "quantity" and _dec(got["value"]) == _dec(lab["value"])
                              and _dec(got["upper"]) == _dec(lab["upper"]) and got["unit"] == lab["unit"])
    elif lab["kind"] == "deadline" and lab.get("date"):
        want = _label_date(lab["date"])
        have = got["date"]
        row.agree["value"] = have is not None and have[1:] == want[1:] and (want[0] is None or have[0] == want[0])
    row.agree["met"] = got["met"] == lab["met"]
    if HAS_CLAIMED:
        row.agree["claimed"] = bool(got["claimed"]) == bool(lab["claimed"])
    return row


def measure(pairs: list[dict], sure_only: bool = True) -> tuple[dict, list[Row]]:
    rows = [judge(p) for p in pairs if p["sure"] or not sure_only]
    figures = {}
    for f in FIELDS:
        counted = [r.agree[f] for r in rows if f in r.agree]
        if counted:
            figures[f] = (sum(counted), len(counted))
    return figures, rows


def pct(agree: int, total: int) -> str:
    return f"{Decimal(100 * agree) / Decimal(total):.2f}" if total else "-"


def _show(row: Row, f: str) -> tuple[str, str]:
    lab, got = row.pair["label"], row.jixiao
    if f == "kind":
        return lab["kind"], str(got["kind"])
    if f == "operator":
        return str(lab["op"]), f"{got['kind']} {got['op']}"
    if f == "value":
        if lab["kind"] == "deadline":
            return lab.get("date") or "", str(got["date"])
        return (f"{lab['value']}{'–' + lab['upper'] if lab['upper'] else ''} {lab['unit']}",
                f"{got['value']}{'–' + got['upper'] if got['upper'] else ''} {got['unit']}")
    if f == "met":
        return str(lab["met"]), f"{got['met']} ({got['evidence']})"
    return str(lab["claimed"]), str(got["claimed"])


def disagreements(rows: list[Row]) -> list[dict]:
    out = []
    for r in rows:
        for f, ok in r.agree.items():
            if not ok:
                want, have = _show(r, f)
                d = {"id": r.pair["id"], "field": f, "label": want, "jixiao": have,
                     "name": r.pair["name"], "target": r.pair["target"], "actual": r.pair["actual"]}
                d["cause"] = cause(d, r.pair, r.jixiao)
                out.append(d)
    return out


_OPS = re.compile(r"[≥≤≧≦<>＜＞=＝﹦]|不少于|不低于|不超过|不高于|以上|以下|以内|至少")
_MEASURE = re.compile(r"\d\s*([^\d\s%％.,，、;；()（）≥≤<>=]{1,2})")


def cause(d: dict, pair: dict, got: dict) -> str:
    """A short name for why jixiao and the label differ (for grouping the list in docs)."""
    lab, f = pair["label"], d["field"]
    name, target = pair["name"], pair["target"]
    if f in ("met", "claimed") and got["evidence"] == "restated":
        return "completion copies or restates the target: jixiao cannot tell (restated); bureaus count it met"
    if got["kind"] == "unknown" and lab["kind"] == "quantity":
        return "measure word outside jixiao's unit list (只, 头, 厘米 …): no value read"
    if lab["kind"] == "quantity" and re.search(r"[≥≤]\s*\*{0,2}\s*[^\d\s]*[)）]", name) and not _OPS.search(target):
        return "operator and unit written in the 三级 name (≥**平方米), the target a bare number"
    if pair["kind"] == "cost" and lab["op"] == "<=" and not _OPS.search(target):
        return "cost target without an operator: a cap (≤), read as ="
    if lab["kind"] == "deadline" and got["kind"] != "deadline":
        return "deadline not read as a deadline"
    if lab["kind"] == "quantity" and f == "value" and got["unit"] is None and lab["unit"]:
        return "unit not read"
    return "other (see the row)"


def report(figures: dict) -> str:
    lines = []
    for f in FIELDS:
        if f in figures:
            a, n = figures[f]
            lines.append(f"{f:9} {pct(a, n):>6} %  ({a}/{n})")
        else:
            lines.append(f"{f:9}    n/a    (this jixiao has no Judgement.claimed)" if f == "claimed" else f"{f:9} n/a")
    return "\n".join(lines)


def markdown(dis: list[dict]) -> str:
    """The disagreements grouped by cause, largest group first, as Markdown."""
    groups: dict[str, list[dict]] = {}
    for d in dis:
        groups.setdefault(d["cause"], []).append(d)
    out = []
    for c, rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(f"\n#### {c} ({len(rows)})\n\n| id | field | label | jixiao | name | target | completion |\n"
                   "|---|---|---|---|---|---|---|")
        for d in rows:
            cells = [d[k].replace("|", "\\|").replace("\n", " ") for k in
                     ("id", "field", "label", "jixiao", "name", "target", "actual")]
            out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--all", action="store_true", help="count unsure pairs too")
    ap.add_argument("--disagreements", type=Path, help="write every disagreement as JSON lines here")
    ap.add_argument("--markdown", action="store_true", help="print the disagreements as a Markdown table")
    ap.add_argument("--corpus", type=Path, default=CORPUS,
                    help="directory holding pairs.jsonl and sources.jsonl (default tests/fidelity)")
    args = ap.parse_args(argv)
    pairs, sources = load(args.corpus)
    figures, rows = measure(pairs, sure_only=not args.all)
    print(f"{len(rows)} {'' if args.all else 'sure '}pairs of {len(pairs)}, {len(disclosures(sources))} sources "
          f"({len(sources)} excerpts), "
          f"{len({s['province'] for s in sources.values()})} provinces; parse_cell kind={_PARSE_TAKES_KIND}, "
          f"match_cell kind={_MATCH_TAKES_KIND}")
    print(report(figures))
    dis = disagreements(rows)
    if args.disagreements:
        args.disagreements.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dis), encoding="utf-8")
    if args.markdown:
        print(markdown(dis))
    else:
        print(f"{len(dis)} disagreements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
