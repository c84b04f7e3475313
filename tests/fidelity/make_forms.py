"""Lay out the real published 项目支出绩效自评表 in ``tests/fidelity/forms/`` as XLSX the way a
finance officer would type them into Excel, print them to PDF with LibreOffice, and write
``tests/fixtures/mof/manifest.json`` saying which forms each file holds and in which layout.

Why by hand: the MoF-form importer must read forms people produce, not jixiao's own export, so
this is plain openpyxl code (no jixiao import) with the variations seen on government sites:

* ``central``        — 财预〔2020〕10号 附件 layout: 年度指标值 · 实际完成值 · 分值 · 得分 · 偏差原因.
* ``split-target``   — 年度指标值 split into 指标性质 · 指标值 · 度量单位 (Yunnan's 公开14表).
* ``weights-first``  — 分值 before 年度指标值, and 全年实际值 for 实际完成值.
* ``sichuan``        — 四川 部门预算项目支出绩效自评表: 预算执行情况(10分) with 年初预算 · 调整后预算数 ·
                       预算执行数 · 预算执行率 · 权重 · 得分, 绩效指标(90分) with 完成值 · 权重, a 合计 row,
                       评价结论 / 存在问题 / 改进措施.
Variants on top of a layout: the 一级 weight inside its label (``产出指标(40分)``, the sum of
the form's own 分值 for that level), 总分 as text (``96分``), amounts typed as text instead of
numbers, the rate as a fraction with a ``0.00%`` format, several forms on one sheet, one form
per sheet, and a form printed over two pages with its indicator header repeated.

Every value is the transcription's string (amounts and scores may be stored as numbers; the
test reads them back and compares as decimals). Only whole forms are laid out.

    PYTHONPATH=src /work/main/.venv/bin/python tests/fidelity/make_forms.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

HERE = Path(__file__).resolve().parent
FORMS = HERE / "forms"
OUT = HERE.parent / "fixtures" / "mof"

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
TITLE = Font(name="Noto Serif CJK SC", size=16, bold=True)
BODY = Font(name="Noto Serif CJK SC", size=9)
HEAD = Font(name="Noto Serif CJK SC", size=9, bold=True)

LEVEL1_WEIGHT_LABEL = "{name}({points}分)"


def load_forms() -> dict[str, dict]:
    forms = {}
    for path in sorted(FORMS.glob("*.json")):
        form = json.loads(path.read_text(encoding="utf-8"))
        if form.get("whole"):
            forms[form["id"]] = form
    return forms


def typed(text: str):
    """A number as a person types it into Excel, with a format that shows the printed digits
    (``0.00`` stays ``0.00``); text that is not a number stays text."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text, None
    if "." not in text:
        return int(value), "0"
    places = len(text.split(".", 1)[1])
    return float(value), "0." + "0" * places


def number_or_text(text, as_text: bool):
    """Mark a value to be typed as a number (unless the layout keeps text); see ``typed``."""
    if text is None or as_text:
        return text
    return Num(text)


class Num(str):
    """A transcribed string that the sheet writes as a number."""


class Sheet:
    """A cursor over a worksheet: rows are appended, cells boxed and wrapped like a form."""

    def __init__(self, ws, width: int):
        self.ws = ws
        self.width = width
        self.row = 1

    def put(self, col: int, value, *, span: int = 1, down: int = 1, font=BODY, align=WRAP,
            fmt: str | None = None, number: bool = False):
        if isinstance(value, Num) or (number and isinstance(value, str)):
            value, fmt = typed(str(value))
        cell = self.ws.cell(row=self.row, column=col, value=value)
        cell.font = font
        cell.alignment = align
        if fmt:
            cell.number_format = fmt
        if span > 1 or down > 1:
            self.ws.merge_cells(start_row=self.row, start_column=col,
                                end_row=self.row + down - 1, end_column=col + span - 1)
        for r in range(self.row, self.row + down):
            for c in range(col, col + span):
                self.ws.cell(row=r, column=c).border = BOX
        return cell

    def line(self, cells, height: float | None = None):
        """cells: list of (col, value, options)."""
        for col, value, opts in cells:
            self.put(col, value, **opts)
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def title(self, text: str, sub: str | None = None):
        self.put(1, text, span=self.width, font=TITLE, align=WRAP).border = Border()
        for c in range(1, self.width + 1):
            self.ws.cell(row=self.row, column=c).border = Border()
        self.ws.row_dimensions[self.row].height = 28
        self.row += 1
        if sub:
            self.put(1, sub, span=self.width, font=BODY)
            for c in range(1, self.width + 1):
                self.ws.cell(row=self.row, column=c).border = Border()
            self.row += 1


def level1_label(form, level1: str, in_label: bool) -> str:
    items = [i for i in form["indicators"] if i["一级"] == level1]
    if not in_label:
        return items[0]["一级_label"]
    points = sum(Decimal(i["分值"]) for i in items if i["分值"])
    return LEVEL1_WEIGHT_LABEL.format(name=level1, points=plain(points))


def plain(number: Decimal) -> str:
    """70 for 70.00, 7.5 for 7.50 — never 7E+1."""
    text = format(number.normalize(), "f")
    return text


def groups(indicators, key):
    """Consecutive runs of equal ``key`` (for merged 一级 / 二级 cells)."""
    runs = []
    for item in indicators:
        if runs and runs[-1][0] == item[key]:
            runs[-1][1].append(item)
        else:
            runs.append((item[key], [item]))
    return runs


# Column plans: (header, field) pairs after the three 指标 columns.
PLANS = {
    "central": [("年度指标值", "年度指标值"), ("实际完成值", "实际完成值"), ("分值", "分值"),
                ("得分", "得分"), ("偏差原因分析及改进措施", "偏差原因")],
    "split-target": [("指标性质", "指标性质"), ("指标值", "指标值"), ("度量单位", "度量单位"),
                     ("实际完成值", "实际完成值"), ("分值", "分值"), ("得分", "得分"),
                     ("偏差原因分析及改进措施", "偏差原因")],
    "weights-first": [("分值", "分值"), ("年度指标值", "年度指标值"), ("全年实际值", "实际完成值"),
                      ("得分", "得分"), ("偏差原因分析及改进措施", "偏差原因")],
}
SCORE_FIELDS = {"分值", "得分"}


def write_mof(sh: Sheet, form: dict, layout: str, *, weights_in_labels=False, total_as_text=False,
              amounts_as_text=False, rate_as_fraction=False, page_break_after: int | None = None):
    """One form in a MoF-style layout starting at ``sh.row``; returns the header row range."""
    plan = PLANS[layout]
    width = 3 + len(plan)
    src = form["source"]
    unit = form["money_unit"]
    sh.title("项目支出绩效自评表", f"（{src['year']}年度）")
    sh.line([(1, "项目名称", {"span": 2, "font": HEAD}), (3, form["project"]["name"], {"span": width - 2, "align": LEFT})])
    half = (width - 2) // 2
    sh.line([(1, "主管部门", {"span": 2, "font": HEAD}), (3, form["project"]["主管部门"], {"span": half, "align": LEFT}),
             (3 + half, "实施单位", {"font": HEAD}), (4 + half, form["project"]["实施单位"], {"span": width - 3 - half, "align": LEFT})])
    money = form["money"]
    money_cols = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    # the money block: label column spanning 2, then one column each (fits width >= 8)
    sh.put(1, f"项目资金（{unit}）", down=2 + len(form.get("money_sub", {})), font=HEAD)
    last = 3 + len(money_cols) - 1  # the money block uses columns 1..8; widen the last cell to the form
    sh.line([(2, None, {})] + [(3 + i, name, {"font": HEAD, "span": 1 + (width - last if i == 5 else 0)})
                               for i, name in enumerate(money_cols)], height=24)

    def money_cell(field, text):
        if text is None:
            return None
        if field == "执行率" and rate_as_fraction and text.endswith("%"):
            return float(Decimal(text[:-1]) / 100)
        if field in ("执行率",):
            return text
        return number_or_text(text, amounts_as_text)

    row = [(2, "年度资金总额", {})]
    for i, name in enumerate(money_cols):
        fmt = "0.00%" if (name == "执行率" and rate_as_fraction) else None
        row.append((3 + i, money_cell(name, money[name]), {"fmt": fmt, "span": 1 + (width - last if i == 5 else 0)}))
    sh.line(row, height=24)
    for label, values in form.get("money_sub", {}).items():
        sh.line([(2, label, {})] + [(3 + i, number_or_text(v, amounts_as_text), {"span": 1 + (width - last if i == 5 else 0)})
                                    for i, v in enumerate(values)], height=24)
    goal = form["goal"]
    sh.put(1, "年度总体目标", span=2, down=2, font=HEAD)
    half = (width - 2) // 2
    sh.line([(3, "预期目标", {"span": half, "font": HEAD}), (3 + half, "实际完成情况", {"span": width - 2 - half, "font": HEAD})])
    sh.line([(3, goal["预期目标"], {"span": half, "align": LEFT}),
             (3 + half, goal["实际完成情况"], {"span": width - 2 - half, "align": LEFT})], height=48)
    header_first = sh.row
    sh.line([(1, "一级指标", {"font": HEAD}), (2, "二级指标", {"font": HEAD}), (3, "三级指标", {"font": HEAD})]
            + [(4 + i, head, {"font": HEAD}) for i, (head, _) in enumerate(plan)], height=30)
    header_last = sh.row - 1
    count = 0
    for level1, items1 in groups(form["indicators"], "一级"):
        sh.put(1, level1_label(form, level1, weights_in_labels), down=len(items1), font=HEAD)
        for level2, items2 in groups(items1, "二级"):
            sh.put(2, level2, down=len(items2))
            for item in items2:
                cells = [(3, item["三级"], {"align": LEFT})]
                for i, (_, field) in enumerate(plan):
                    value = item.get(field)
                    if field in SCORE_FIELDS:
                        value = number_or_text(value, amounts_as_text)
                    cells.append((4 + i, value, {"align": LEFT if field == "偏差原因" else WRAP}))
                sh.line(cells, height=30)
                count += 1
                if page_break_after and count == page_break_after:
                    sh.ws.row_breaks.append(Break(id=sh.row - 1))
    if "其他需要说明事项" in form:
        sh.line([(1, "其他需要说明事项", {"span": 3, "font": HEAD}), (4, form["其他需要说明事项"], {"span": width - 3, "align": LEFT})])
    score_col = 4 + [f for _, f in plan].index("分值")
    got_col = 4 + [f for _, f in plan].index("得分")
    total = f"{form['总分']}分" if total_as_text else number_or_text(form["总分"], amounts_as_text)
    cells = [(1, "总分", {"span": score_col - 1, "font": HEAD}),
             (score_col, number_or_text(form.get("总分_分值", "100"), amounts_as_text), {})]
    if got_col > score_col + 1:
        cells.append((score_col + 1, None, {"span": got_col - score_col - 1}))
    cells.append((got_col, total, {}))
    grade = f"评价等级：{form['评价等级']}" if form.get("评价等级") else None
    cells.append((got_col + 1, grade, {"span": width - got_col}))
    sh.line(cells)
    sh.row += 2  # blank rows between stacked forms
    return header_first, header_last


SICHUAN_MONEY_LABELS = {"年初预算数": "年初预算", "全年预算数": "调整后预算数", "全年执行数": "预算执行数",
                        "分值": "权重", "执行率": "预算执行率", "得分": "得分"}
SICHUAN_SECTIONS = {"money": "预算执行情况(10分)", "indicators": "绩效指标(90分)"}


def write_sichuan(sh: Sheet, form: dict):
    """四川 部门预算项目支出绩效自评表 (10 columns + 原因)."""
    year = form["source"]["year"]
    sh.title(f"部门预算项目支出绩效自评表({year}年度)")
    p = form["project"]
    sh.line([(1, "项目名称", {"font": HEAD}), (2, p["name"], {"span": 10, "align": LEFT})])
    sh.line([(1, "主管部门", {"font": HEAD}), (2, p["主管部门"], {"span": 4, "align": LEFT}),
             (6, "实施单位 (盖章)", {"span": 2, "font": HEAD}), (8, p["实施单位"], {"span": 4, "align": LEFT})])
    sh.put(1, "项目基本情况", down=3, font=HEAD)
    sh.line([(2, "1.项目年度目标完成情况", {"span": 2}), (4, "项目年度目标", {"span": 4, "font": HEAD}),
             (8, "年度目标完成情况", {"span": 4, "font": HEAD})])
    sh.line([(2, None, {"span": 2}), (4, form["goal"]["预期目标"], {"span": 4, "align": LEFT}),
             (8, form["goal"]["实际完成情况"], {"span": 4, "align": LEFT})], height=48)
    sh.line([(2, "2.项目实施内容及过程概述", {"span": 2}), (4, form.get("实施内容"), {"span": 8, "align": LEFT})])
    labels = form.get("money_labels", SICHUAN_MONEY_LABELS)
    money = form["money"]
    sub = form.get("money_sub", {})
    sections = form.get("section_labels", SICHUAN_SECTIONS)
    sh.put(1, sections["money"], down=2 + len(sub), font=HEAD)
    heads = ["年度预算数(万元)", labels["年初预算数"], labels["全年预算数"], labels["全年执行数"],
             labels["执行率"], labels["分值"], labels["得分"], "原因"]
    sh.line([(2, heads[0], {"font": HEAD})] + [(3 + i, h, {"font": HEAD}) for i, h in enumerate(heads[1:-1])]
            + [(9, "原因", {"span": 3, "font": HEAD})])
    order = ["年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"]
    sh.line([(2, "总额", {})] + [(3 + i, number_or_text(money[k], k == "执行率"), {}) for i, k in enumerate(order)]
            + [(9, form.get("执行率说明"), {"span": 3, "align": LEFT})], height=64)
    for label, values in sub.items():  # canonical order 年初 全年 执行 分值 执行率 得分 -> this form's columns
        row = dict(zip(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), values))
        sh.line([(2, label, {})] + [(3 + i, number_or_text(row[k], k == "执行率"), {}) for i, k in enumerate(order)]
                + [(9, None, {"span": 3})])
    items = form["indicators"]
    sh.put(1, sections["indicators"], down=1 + len(items), font=HEAD)
    heads = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"]
    sh.line([(2 + i, h, {"font": HEAD}) for i, h in enumerate(heads)], height=30)
    for level1, items1 in groups(items, "一级"):
        sh.put(2, level1, down=len(items1))
        for level2, items2 in groups(items1, "二级"):
            sh.put(3, level2, down=len(items2))
            for item in items2:
                sh.line([(4, item["三级"], {"align": LEFT}), (5, item["指标性质"], {}), (6, item["指标值"], {}),
                         (7, item["度量单位"], {}), (8, item["实际完成值"], {}),
                         (9, number_or_text(item["分值"], False), {}), (10, number_or_text(item["得分"], False), {}),
                         (11, item["偏差原因"], {"align": LEFT})], height=30)
    sh.line([(1, "合计", {"span": 8, "font": HEAD}), (9, number_or_text(form.get("合计") or form.get("总分_分值"), False), {}),
             (10, number_or_text(form["总分"], False), {}), (11, None, {})])
    for label in ("评价结论", "存在问题", "改进措施"):
        sh.line([(1, label, {"font": HEAD}), (2, form.get(label), {"span": 10, "align": LEFT})], height=36)
    sh.line([(1, "项目负责人:" + (form.get("项目负责人") or ""), {"span": 5, "align": LEFT}),
             (6, "财务负责人:" + (form.get("财务负责人") or ""), {"span": 6, "align": LEFT})])
    sh.row += 2


def write_hubei(sh: Sheet, form: dict):
    """The 20/80 form (湖北's 项目绩效自评表, also used in 云南 保山): 预算执行情况(万元)(20分) with
    预算数(A) · 执行数(B) · 执行率(B/A) · 得分(20分*执行率); 年度绩效目标 (80分) with 年初目标值(A) ·
    实际完成值(B) · 得分 and no per-item 分值; a 总分 row; the 偏差 and 改进 paragraphs."""
    src = form["source"]
    sh.title(f"{src['year']}年度项目支出绩效自评表")
    sh.line([(1, f"单位名称:{src['department']}", {"span": 4, "align": LEFT, "font": BODY}),
             (5, None, {"span": 3})])
    p = form["project"]
    sh.line([(1, "项目名称", {"font": HEAD}), (2, p["name"], {"span": 6, "align": LEFT})])
    sh.line([(1, "主管部门", {"font": HEAD}), (2, p["主管部门"], {"span": 2, "align": LEFT}),
             (4, "项目实施单位", {"font": HEAD}), (5, p["实施单位"], {"span": 3, "align": LEFT})])
    labels = form["money_labels"]
    money = form["money"]
    sh.put(1, form["section_labels"]["money"], down=2, font=HEAD)
    sh.line([(2, None, {"span": 2}), (4, labels["全年预算数"], {"font": HEAD}), (5, labels["全年执行数"], {"font": HEAD}),
             (6, labels["执行率"], {"font": HEAD}), (7, labels.get("得分", "得分 (20分*执行率)"), {"font": HEAD})], height=30)
    sh.line([(2, "年度财政资金总额", {"span": 2}), (4, number_or_text(money["全年预算数"], False), {}),
             (5, number_or_text(money["全年执行数"], False), {}), (6, money["执行率"], {}),
             (7, number_or_text(money["得分"], False), {})])
    # one block per 年度绩效目标 (most forms have one; 黄冈 has two of 40 points each)
    blocks = groups(form["indicators"], "block") if "block" in form["indicators"][0] else \
        [(form["section_labels"]["indicators"], form["indicators"])]
    for block_label, items in blocks:
        sh.put(1, block_label, down=1 + len(items), font=HEAD)
        sh.line([(2, "一级指标", {"font": HEAD}), (3, "二级指标", {"font": HEAD}), (4, "三级指标", {"font": HEAD}),
                 (5, "年初目标值(A)", {"font": HEAD}), (6, "实际完成值(B)", {"font": HEAD}), (7, "得分", {"font": HEAD})])
        for _, items1 in groups(items, "一级"):
            sh.put(2, items1[0]["一级_label"], down=len(items1))
            for level2, items2 in groups(items1, "二级"):
                sh.put(3, level2, down=len(items2))
                for item in items2:
                    sh.line([(4, item["三级"], {"align": LEFT}), (5, number_or_text(item["年度指标值"], False), {}),
                             (6, number_or_text(item["实际完成值"], False), {}),
                             (7, number_or_text(item["得分"], False), {})], height=26)
    sh.line([(1, "总分", {"span": 6, "font": HEAD}), (7, number_or_text(form["总分"], False), {})])
    sh.line([(1, "偏差大或目标未完成原因分析", {"font": HEAD}), (2, form.get("偏差原因_text"), {"span": 6, "align": LEFT})], height=80)
    sh.row += 2


def setup(ws, widths, landscape=True):
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


WIDTHS = {
    "central": [13, 11, 22, 16, 16, 7, 7, 20],
    "split-target": [13, 11, 20, 7, 8, 7, 12, 7, 7, 16],
    "weights-first": [13, 11, 22, 7, 16, 16, 7, 20],
    "sichuan": [12, 12, 12, 20, 8, 8, 8, 10, 8, 8, 18],
    "hubei": [14, 11, 13, 26, 12, 12, 10],
}


def build(forms: dict[str, dict]) -> list[dict]:
    """Write every fixture workbook; return the manifest entries."""
    manifest = []
    OUT.mkdir(parents=True, exist_ok=True)

    def entry(wb, name, sheets, notes):
        wb.save(OUT / f"{name}.xlsx")
        manifest.append({"file": f"{name}.xlsx", "pdf": f"{name}.pdf", "sheets": sheets, "notes": notes})

    mof = [f for f in forms.values() if f["layout"] not in ("sichuan", "mof-hubei")]
    sichuan = [f for f in forms.values() if f["layout"] == "sichuan"]
    hubei = [f for f in forms.values() if f["layout"] == "mof-hubei"]

    # 1. each MoF-style form alone, in its own published layout
    for form in mof:
        own = {"mof-split-target": "split-target", "mof-weights-first": "weights-first"}.get(form["layout"], "central")
        wb = Workbook()
        ws = wb.active
        ws.title = "项目支出绩效自评表"
        setup(ws, WIDTHS[own])
        sh = Sheet(ws, len(WIDTHS[own]))
        write_mof(sh, form, own, rate_as_fraction=True)
        entry(wb, f"own-{form['id']}", [{"sheet": ws.title, "forms": [{"id": form["id"], "layout": own, "variants": ["rate-as-fraction"]}]}],
              "the form alone in the layout it was published in; amounts as numbers, 执行率 as a 0.00% fraction")

    # 2. all MoF-style forms stacked on one sheet, weights inside the 一级 labels
    if mof:
        wb = Workbook()
        ws = wb.active
        ws.title = "自评表"
        setup(ws, WIDTHS["central"])
        sh = Sheet(ws, len(WIDTHS["central"]))
        listed = []
        for form in mof:
            write_mof(sh, form, "central", weights_in_labels=True)
            listed.append({"id": form["id"], "layout": "central", "variants": ["weights-in-labels"]})
        entry(wb, "several-on-one-sheet", [{"sheet": ws.title, "forms": listed}],
              "every MoF-style form on one sheet, one below the other; 一级 labels carry the level's points, e.g. 产出指标(40分)")

    # 3. one form per sheet, 分值 before 年度指标值, 全年实际值, 总分 as text, amounts typed as text
    if mof:
        wb = Workbook()
        wb.remove(wb.active)
        sheets = []
        for n, form in enumerate(mof, start=1):
            ws = wb.create_sheet(f"表{n}")
            setup(ws, WIDTHS["weights-first"])
            sh = Sheet(ws, len(WIDTHS["weights-first"]))
            write_mof(sh, form, "weights-first", total_as_text=True, amounts_as_text=True)
            sheets.append({"sheet": ws.title, "forms": [{"id": form["id"], "layout": "weights-first",
                                                          "variants": ["total-as-text", "amounts-as-text"]}]})
        entry(wb, "one-per-sheet", sheets, "one form per sheet; 分值 before 年度指标值, 全年实际值 for 实际完成值, 总分 written as text (96分), every amount and score typed as text")

    # 4. a form printed over two pages, the indicator header repeated on the second page
    if mof:
        form = max(mof, key=lambda f: len(f["indicators"]))
        wb = Workbook()
        ws = wb.active
        ws.title = "项目支出绩效自评表"
        setup(ws, WIDTHS["central"])
        sh = Sheet(ws, len(WIDTHS["central"]))
        first, last = write_mof(sh, form, "central", page_break_after=max(1, len(form["indicators"]) // 2))
        ws.print_title_rows = f"{first}:{last}"
        entry(wb, "two-pages", [{"sheet": ws.title, "forms": [{"id": form["id"], "layout": "central",
                                                            "variants": ["two-pages", "repeated-header"]}]}],
              "one form with a page break inside its indicators; the PDF repeats the indicator header on page 2")

    # 5. forms with split targets (指标性质 · 指标值 · 度量单位) also in the 四川 layout: 权重, 完成值, 合计
    split = [f for f in mof if "指标性质" in f["indicators"][0]]
    for form in split:
        wb = Workbook()
        ws = wb.active
        ws.title = "项目自评表"
        setup(ws, WIDTHS["sichuan"])
        write_sichuan(Sheet(ws, 11), form)
        entry(wb, f"sichuan-layout-{form['id']}", [{"sheet": ws.title, "forms": [{"id": form["id"], "layout": "sichuan", "variants": ["re-laid"]}]}],
              "a split-target form re-laid in the 四川 layout (年初预算 · 调整后预算数 · 预算执行数 · 预算执行率 · 权重 · 得分; 完成值; 合计 row with Σ权重 and 总分)")

    # 6. 20/80 forms: each alone, then all of them on one sheet
    for form in hubei:
        wb = Workbook()
        ws = wb.active
        ws.title = "项目支出绩效自评表"
        setup(ws, WIDTHS["hubei"], landscape=False)
        write_hubei(Sheet(ws, 7), form)
        entry(wb, f"own-{form['id']}", [{"sheet": ws.title, "forms": [{"id": form["id"], "layout": "hubei", "variants": []}]}],
              "the 20/80 layout: 预算执行情况(万元)(20分), 年度绩效目标 (80分), 年初目标值(A) · 实际完成值(B) · 得分, no per-item 分值")
    if len(hubei) > 1:
        wb = Workbook()
        ws = wb.active
        ws.title = "自评表"
        setup(ws, WIDTHS["hubei"], landscape=False)
        sh = Sheet(ws, 7)
        for form in hubei:
            write_hubei(sh, form)
        entry(wb, "hubei-several-on-one-sheet",
              [{"sheet": ws.title, "forms": [{"id": f["id"], "layout": "hubei", "variants": []} for f in hubei]}],
              "the 20/80 forms one below the other on one portrait sheet (one scored, one not)")

    # 7. Sichuan forms in their own layout
    for form in sichuan:
        wb = Workbook()
        ws = wb.active
        ws.title = "项目自评表"
        setup(ws, WIDTHS["sichuan"])
        write_sichuan(Sheet(ws, 11), form)
        entry(wb, f"own-{form['id']}", [{"sheet": ws.title, "forms": [{"id": form["id"], "layout": "sichuan", "variants": []}]}],
              "四川 layout: 预算执行情况(10分), 绩效指标(90分), 指标性质/指标值/度量单位/完成值/权重, 合计")

    return manifest


def pdf(manifest: list[dict]) -> None:
    """Print every workbook with LibreOffice headless (a private profile, so it can run beside
    another soffice)."""
    if not shutil.which("soffice"):
        sys.exit("soffice (LibreOffice) is needed for the PDFs")
    with tempfile.TemporaryDirectory() as profile:
        files = [str(OUT / item["file"]) for item in manifest]
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(OUT), *files],
                       check=True, capture_output=True, timeout=300)


def main() -> int:
    forms = load_forms()
    if OUT.exists():
        for old in OUT.glob("*"):
            old.unlink()
    manifest = build(forms)
    pdf(manifest)
    (OUT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(manifest)} workbooks, {len(forms)} forms -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
