"""Every real 项目支出绩效自评表 laid out by hand (tests/fixtures/mof, listed in manifest.json, made
by tests/fidelity/make_forms.py from the transcriptions in tests/fidelity/forms) imports from its
XLSX, from its LibreOffice PDF and from that PDF's ``pdftotext -layout`` text with 100 % of the values its transcription records: project,
主管部门, 实施单位, goal and completion, the money row, every indicator row (一级 label, 二级 kind,
三级, value, completion, 分值, 得分, 偏差原因), 总分 and 评价等级."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from jixiao.formats import mof_read, mof_text
from jixiao.formats.importer import Deadline, ImportLimits

TESTS = Path(__file__).resolve().parents[1]
MOF = TESTS / "fixtures" / "mof"
FORMS = TESTS / "fidelity" / "forms"
MANIFEST = json.loads((MOF / "manifest.json").read_text("utf-8"))
MONEY = {"年初预算数": "initial", "全年预算数": "budget", "全年执行数": "actual", "分值": "weight", "执行率": "rate",
         "得分": "score"}


def _number(text) -> Decimal | None:
    t = re.sub(r"\s+", "", str(text)).rstrip("分")
    percent = t.endswith("%")
    try:
        value = Decimal(t.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return None
    return value / 100 if percent else value


def same(got, want) -> bool:
    """Equal as printed, or as numbers (``20`` = ``20.00``; ``100%`` = ``100.00%`` = ``1``)."""
    got = "" if got is None else str(got).strip()
    want = "" if want is None else str(want).strip()
    if got == want:
        return True
    a, b = _number(got), _number(want)
    if a is not None and b is not None:
        return a == b or (b > 1 and a == b / 100) or (a > 1 and b == a / 100)
    return re.sub(r"\s+", "", got) == re.sub(r"\s+", "", want)


def compare(got: mof_read.FormRead, want: dict, layout: str, variants: list[str]) -> tuple[int, list[str]]:
    """(values compared, the ones that differ) for one form."""
    pairs = [("项目名称", got.name, want["project"]["name"]),
             ("实施单位", got.unit_name, want["project"]["实施单位"]),
             ("预期目标", got.goal, want["goal"]["预期目标"]),
             ("实际完成情况", got.completion, want["goal"]["实际完成情况"])]
    if want["project"]["主管部门"]:
        pairs.append(("主管部门", got.department, want["project"]["主管部门"]))
    total = got.money.get("total", {})
    for key, role in MONEY.items():
        if want["money"].get(key) is not None:
            pairs.append((f"money.{key}", total.get(role), want["money"][key]))
    rows = [item for item in want["indicators"]]
    if len(got.items) != len(rows):
        return len(pairs), [f"{len(got.items)} indicator rows read, {len(rows)} printed"]
    for n, ((kind, l1, item), row) in enumerate(zip(got.items, rows), 1):
        want_kind = mof_read.kind_of(row["二级"] or "") or mof_read.DEFAULT_KIND[mof_read.category_of(row["一级"])]
        pairs += [(f"row {n} 二级", kind, want_kind),
                  (f"row {n} 三级", item.name, row["三级"]),
                  (f"row {n} 年度指标值", item.target, row["年度指标值"]),
                  (f"row {n} 实际完成值", item.actual, row["实际完成值"]),
                  (f"row {n} 分值", item.weight, row["分值"]),
                  (f"row {n} 得分", item.published_score, row["得分"]),
                  (f"row {n} 偏差原因", item.note, row["偏差原因"])]
        if "weights-in-labels" not in variants:
            pairs.append((f"row {n} 一级", l1, row["一级_label"]))
    if want.get("总分") is not None:
        pairs.append(("总分", got.total_text, want["总分_text"] if "total-as-text" not in variants else f"{want['总分']}分"))
    if want.get("评价等级") and layout != "sichuan":  # the Sichuan layout has no place for it
        pairs.append(("评价等级", got.grade, want["评价等级"]))
    if want.get("合计"):
        pairs.append(("合计", got.total_weight_text, want["合计"]))
    return len(pairs), [f"{name}: read {a!r}, printed {b!r}" for name, a, b in pairs if not same(a, b)]


CASES = [(entry, suffix) for entry in MANIFEST for suffix in ("xlsx", "pdf", "layout-text")]

# What pdftotext -layout text still misreads (docs/import.md, "MoF forms"): on a page where
# pdftotext squeezes a line's columns (an empty 年度指标值 column, a money row without 得分), a
# cell lands in its neighbour's column. Listed exactly, so a fix — or a new misreading — fails.
TEXT_GAPS = {
    "hubei-several-on-one-sheet.xlsx": [
        "yn-shidian-2021-baoshanzhu: money.全年预算数: read None, printed '1500'",
        "yn-shidian-2021-baoshanzhu: money.全年执行数: read '1500', printed '0.00'",
    ],
}


def _read(entry: dict, suffix: str) -> list[mof_read.FormRead]:
    if suffix == "xlsx":
        return mof_read.read_forms_xlsx(MOF / entry["file"], ImportLimits(), Deadline(120))
    if suffix == "pdf":
        return mof_read.read_forms_pdf(MOF / entry["pdf"], ImportLimits(), Deadline(120))
    text = subprocess.run(["pdftotext", "-layout", str(MOF / entry["pdf"]), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    return mof_text.read_forms_text(text)


@pytest.mark.parametrize("entry, suffix", CASES, ids=[f"{e['file']}-{s}" for e, s in CASES])
def test_every_fixture_imports_with_every_value_of_its_transcription(entry, suffix):
    forms = _read(entry, suffix)
    listed = [(f, sheet["sheet"]) for sheet in entry["sheets"] for f in sheet["forms"]]
    assert [f.name for f in forms] == [json.loads((FORMS / f"{f['id']}.json").read_text("utf-8"))["project"]["name"]
                                      for f, _ in listed]
    problems = []
    compared = 0
    for got, (listed_form, _) in zip(forms, listed):
        want = json.loads((FORMS / f"{listed_form['id']}.json").read_text("utf-8"))
        n, wrong = compare(got, want, listed_form["layout"], listed_form["variants"])
        compared += n
        problems += [f"{listed_form['id']}: {w}" for w in wrong]
        assert got.year == want["source"]["year"]
    assert compared > 20
    assert problems == (TEXT_GAPS.get(entry["file"], []) if suffix == "layout-text" else [])
