"""Read the MoF 项目支出绩效自评表 (财预〔2020〕10号) and its provincial variants back into a table.

Most departments publish one such form per project instead of the 附件2-3 table. The reader
is header-driven, not position-driven: every input (an XLSX sheet, a PDF page's ruled tables
and the lines around them, pdftotext output) becomes rows of cells with their column spans,
and one parser walks those rows looking for the form's labels — 项目名称, 主管部门, 实施单位,
the money block's column headers (年初预算数 · 全年预算数 · 全年执行数 · 分值 · 执行率 · 得分, or
年初预算 · 调整后预算数 · 预算执行数 · 权重 · 预算执行率), 年度总体目标 with 预期目标/实际完成情况, and
the indicator header (一级 · 二级 · 三级指标 · 年度指标值 or 指标性质/指标值/度量单位 · 实际完成值 or
全年实际值/完成值 · 分值/权重 · 得分 · 偏差原因…) — and maps each column by what its header says,
so column order, 分值 before 年度指标值, a header repeated on a second page and several forms on
one sheet all read the same way.

What maps where (docs/import.md, "MoF forms"): 主管部门 → the table's department, 实施单位 →
``unit_name``, 年初预算数 → ``initial_budget``, 全年预算数 → ``budget``, 全年执行数 → ``actual_total``
(其中 当年财政拨款 → ``actual_general_budget``, 其他资金 → ``actual_non_fiscal``), 执行率 verbatim,
分值/得分 of the money block, the 一级 weights printed in labels (``产出指标(50分)``), 总分 and
评价等级 → ``Published``; every indicator row → an ``IndicatorItem`` in the cell of its 二级 kind.

Never guessed silently: a form without 项目名称, year or indicator rows, forms of several
departments or years in one file, or a file that is not such a form is refused with a
bilingual message; anything else missing or unread is a line of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..core import money
from ..core.model import IndicatorCell, IndicatorItem, Project, Published, Table
from ..core.money import MoneyUnit
from ..core.taxonomy import FULL, KIND_BY_KEY
from ..errors import InputError
from .import_result import ImportResult

if TYPE_CHECKING:  # pragma: no cover
    from .disclosure_grid import Grid
    from .importer import Deadline, ImportLimits

# ---------------------------------------------------------------------------------------
# Rows of segments: what every input becomes
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seg:
    """A run of cells of one row that belong to one (possibly merged) cell: its text, its
    columns ``[c0, c1)`` and whether this row is the merge's first (its own value) or a row
    the merge covers from above (the same text repeated)."""

    text: str
    c0: int
    c1: int
    first: bool = True


Row = list[Seg]


def grid_rows(grid: "Grid", row_offset: int = 0) -> list[Row]:
    """A :data:`~jixiao.formats.disclosure_grid.Grid` (XLSX sheet, PDF table) as rows of segments."""
    rows: list[Row] = []
    for r, cells in enumerate(grid):
        segs: Row = []
        c = 0
        while c < len(cells):
            origin = cells[c].origin
            c1 = c + 1
            while c1 < len(cells) and cells[c1].origin == origin:
                c1 += 1
            segs.append(Seg(_clean(cells[c].text), c, c1, first=origin[0] == r + row_offset))
            c = c1
        rows.append(segs)
    return rows


def _clean(text: str) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


# Traditional characters of the form's labels (some forms, such as 黄冈's, are printed in them),
# mapped to the simplified ones the labels are matched on. Only labels are compared so; every
# value keeps its characters.
_TRADITIONAL = "預數執況萬績標質進產項費總額計際實級經濟會態續響滿務對時單門資設監測評價稱達與報財撥結轉據"
_SIMPLIFIED = "预数执况万绩标质进产项费总额计际实级经济会态续响满务对时单门资设监测评价称达与报财拨结转据"
_LABEL_CHARS = str.maketrans("（）：【】" + _TRADITIONAL, "():[]" + _SIMPLIFIED)


def _norm(text: str) -> str:
    """A label as compared: no whitespace, half-width brackets and colons, simplified characters."""
    return re.sub(r"\s+", "", text or "").translate(_LABEL_CHARS)


# ---------------------------------------------------------------------------------------
# Labels and column headers
# ---------------------------------------------------------------------------------------

_TITLE = re.compile(r"自评表")
_YEAR = re.compile(r"((?:19|20|21)\d{2})\s*年")
_YEAR_LINE = re.compile(r"^[(]?((?:19|20|21)\d{2})年度?[)]?$")
_UNIT = re.compile(r"[(]\s*(万元|元)\s*[)]|单位:\s*(万元|元)")
_POINTS_IN_LABEL = re.compile(r"(\d+(?:\.\d+)?)\s*分")
_GRADE_INLINE = re.compile(r"(?:评价|自评)等级[:]?(.+)$")

_HEAD_LABELS = {"name": ("项目名称",), "department": ("主管部门",), "unit": ("实施单位", "项目实施单位")}
_ALL_LABELS = ("项目名称", "主管部门", "实施单位", "项目实施单位", "项目资金", "资金情况", "年度总体目标",
               "一级指标", "总分", "评价等级", "项目负责人", "财务负责人")

MONEY_ROLES = ("initial", "budget", "actual", "weight", "rate", "score")
_MONEY_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("initial", ("年初预算",)),
    ("budget", ("全年预算", "调整后预算", "预算数(A)")),
    ("actual", ("全年执行", "预算执行数", "执行数")),
    ("rate", ("执行率",)),
    ("weight", ("分值", "权重")),
    ("score", ("得分",)),
)
_MONEY_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("total", ("年度资金总额", "资金总额", "年度财政资金总额", "总额", "合计")),
    ("fiscal", ("财政拨款", "财政资金")),
    ("carryover", ("上年结转",)),
    ("other", ("其他资金",)),
    ("special", ("财政专户", "单位资金")),
)

IND_ROLES = ("l1", "l2", "l3", "op", "value", "unit", "actual", "weight", "score", "note")
_IND_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("l1", ("一级指标",)),
    ("l2", ("二级指标",)),
    ("l3", ("三级指标",)),
    ("op", ("指标性质",)),
    ("unit", ("度量单位", "计量单位", "单位")),
    ("actual", ("实际完成值", "全年实际值", "实际值", "完成值", "全年完成值", "实际完成")),
    ("value", ("年度指标值", "指标值", "年度目标值", "目标值", "预期值")),
    ("weight", ("分值", "权重")),
    ("score", ("得分",)),
    ("note", ("偏差原因", "原因分析", "未完成原因", "改进措施", "偏差")),
)
_GOAL_TARGET = ("预期目标", "项目年度目标", "年度目标", "年初设定目标")
_GOAL_DONE = ("实际完成情况", "年度目标完成情况", "年度总体目标完成情况", "总体目标完成情况", "完成情况")
_TOTAL = ("总分", "合计", "总计")
_IGNORED = ("注", "说明", "填表人", "填报人", "审核人", "项目负责人", "财务负责人", "联系电话", "填报日期",
            "其他需要说明", "评价结论", "2.项目实施内容")

# 二级 names → kind keys: the word that names the kind, wherever it stands.
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("数量", "quantity"), ("质量", "quality"), ("时效", "timeliness"), ("时间", "timeliness"), ("进度", "timeliness"),
    ("成本", "cost"), ("经济", "economic"), ("社会", "social"), ("生态", "ecological"),
    ("可持续", "sustainability"), ("满意", "satisfaction"),
)
_CATEGORY_WORDS = (("产出", "output"), ("效益", "outcome"), ("满意", "satisfaction"))
# A row printed with its 一级 but no 二级 goes to its category's most common kind, with a
# report line (the form does not say which; the row is kept rather than dropped).
DEFAULT_KIND = {"output": "quantity", "outcome": "social", "satisfaction": "satisfaction"}
_NOT_GIVEN = {"", "—", "-", "－", "/", "／", "——", "--", "无"}


def _role(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The role a header or row label names: the first whose word starts it, else the first
    whose word (three characters or more) it contains (``得分(20分*执行率)`` is 得分, not 执行率)."""
    n = _norm(text)
    if not n or len(n) > 16:
        return None
    for role, words in table:
        if any(n.startswith(w) for w in words):
            return role
    for role, words in table:
        if any(len(w) > 2 and w in n for w in words):
            return role
    return None


def _is_label(text: str, words: Iterable[str]) -> bool:
    n = _norm(text)
    return bool(n) and len(n) <= 12 and any(n.startswith(w) for w in words)


def kind_of(name: str) -> str | None:
    """The 二级 kind key a printed 二级 name stands for (``服务对象满意度指标等`` → satisfaction)."""
    n = _norm(name)
    for word, key in _KIND_WORDS:
        if word in n:
            return key
    return None


def category_of(name: str) -> str | None:
    n = _norm(name)
    for word, key in _CATEGORY_WORDS:
        if word in n:
            return key
    return None


def points(text: str) -> Decimal | None:
    """A 分值/得分 as printed (``10``, ``99.55分``, ``—``) → a number, or None when blank.
    Raises ValueError for text that is not one."""
    t = _norm(text).rstrip("分").strip()
    if t in _NOT_GIVEN:
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        raise ValueError(text) from None


def amount(text: str) -> Decimal | None:
    t = _norm(text)
    for unit in ("万元", "元"):
        if t.endswith(unit):
            t = t[: -len(unit)]
    if t in _NOT_GIVEN:
        return None
    return money.parse_amount(t)


# ---------------------------------------------------------------------------------------
# One form as read
# ---------------------------------------------------------------------------------------


@dataclass
class FormRead:
    """One 自评表 as read, before it becomes a project: every field as printed."""

    where: str  # sheet name or page, for messages
    title: str = ""
    year: int | None = None
    name: str = ""
    department: str = ""
    unit_name: str = ""
    money_unit: MoneyUnit | None = None
    money: dict[str, dict[str, str]] = field(default_factory=dict)  # row → role → text
    execution_label_weight: Decimal | None = None  # 预算执行情况(20分)
    goal: str = ""
    completion: str = ""
    items: list[tuple[str, str, IndicatorItem]] = field(default_factory=list)  # (kind, 一级 label, item)
    own_l1: list[str] = field(default_factory=list)  # per item: the 一级 text its own row printed
    category_weights: dict[str, Decimal] = field(default_factory=dict)
    total_weight_text: str = ""
    total_text: str = ""
    grade: str = ""
    problems: str = ""
    rectification: str = ""
    sichuan: bool = False  # 权重/完成值/合计 wording of the Sichuan 部门预算项目支出绩效自评表
    report: list[str] = field(default_factory=list)
    seen_money: bool = False
    seen_indicators: bool = False

    @property
    def started(self) -> bool:
        return bool(self.name or self.items or self.seen_money or self.seen_indicators)

    def note(self, zh: str, en: str) -> None:
        self.report.append(f"{self.where}：{zh} / {self.where}: {en}")


class _Parser:
    """Walks rows and collects forms. ``feed`` may be called several times (sheets, pages):
    a form continues across calls until a new title or 项目名称 starts the next."""

    def __init__(self) -> None:
        self.forms: list[FormRead] = []
        self.cur: FormRead | None = None
        self.state = "head"
        self.money_cols: dict[int, str] = {}
        self.ind_cols: dict[int, str] = {}
        self.goal_cols: dict[int, str] = {}
        self.carry: dict[str, str] = {}
        self.pending_title = ""
        self.pending_year: int | None = None

    # -- form boundaries ------------------------------------------------------------------
    def _new(self, where: str) -> FormRead:
        self.cur = FormRead(where=where, title=self.pending_title, year=self.pending_year)
        self.pending_title, self.pending_year = "", None
        self.forms.append(self.cur)
        self.state = "head"
        self.money_cols, self.ind_cols, self.goal_cols, self.carry = {}, {}, {}, {}
        return self.cur

    def _form(self, where: str) -> FormRead:
        return self.cur if self.cur is not None else self._new(where)

    def feed(self, rows: list[Row], where: str) -> None:
        i = 0
        while i < len(rows):
            i = self._row(rows, i, where)

    def _row(self, rows: list[Row], i: int, where: str) -> int:
        segs = [s for s in rows[i] if s.text]
        if not segs:
            return i + 1
        texts = _distinct(segs)
        first = _norm(texts[0])
        # A title: 项目支出绩效自评表, 2022年度项目支出绩效自评表, 部门预算项目支出绩效自评表(2023年度).
        if len(texts) == 1 and _TITLE.search(first) and len(first) <= 40 and not self.state == "indicators":
            if self.cur is not None and self.cur.started:
                self.cur = None
            self.pending_title = texts[0]
            year = _YEAR.search(first)
            if year:
                self.pending_year = int(year.group(1))
            return i + 1
        if len(texts) == 1 and _YEAR_LINE.match(first):
            year = int(_YEAR_LINE.match(first).group(1))
            if self.cur is not None and not self.cur.started:
                self.cur.year = year
            else:
                self.pending_year = year
            return i + 1
        if any(_is_label(s.text, _HEAD_LABELS["name"]) for s in segs):
            if self.cur is not None and self.cur.name:
                self.cur = None
            form = self._form(where)
            self._head(form, segs)
            self.state = "head"
            return i + 1
        form = self._form(where)
        if any(_is_label(s.text, _HEAD_LABELS["department"] + _HEAD_LABELS["unit"]) for s in segs):
            self._head(form, segs)
            return i + 1
        if self._indicator_header(form, rows, i):
            self.state = "indicators"
            return i + 2 if self._sub_header(rows, i + 1) else i + 1
        if self._money_header(form, segs):
            self.state = "money"
            return i + 1
        if self.state == "money" and self._money_row(form, segs):
            return i + 1
        if self.state == "notes":
            return i + 1  # the footnote, to the next form
        consumed = self._goal(form, rows, i)
        if consumed:
            return i + consumed
        if form.seen_indicators and any(_norm(s.text) in _TOTAL or _norm(s.text).startswith("总分") for s in segs):
            self._total(form, segs)
            self.state = "after"
            return i + 1
        if self._after(form, segs):
            if self.state == "indicators":
                self.state = "after"
            return i + 1
        if self.state == "indicators":
            self._item(form, rows[i])
            return i + 1
        form.note(f"未读取的行：{' | '.join(texts)[:120]}", f"row not read: {' | '.join(texts)[:120]}")
        return i + 1

    # -- head -----------------------------------------------------------------------------
    def _head(self, form: FormRead, segs: list[Seg]) -> None:
        for k, s in enumerate(segs):
            for key, words in _HEAD_LABELS.items():
                if _is_label(s.text, words):
                    value = _value_after(segs, k)
                    if key == "name":
                        form.name = value
                    elif key == "department":
                        form.department = value
                    else:
                        form.unit_name = value
        self._unit(form, segs)

    def _unit(self, form: FormRead, segs: list[Seg]) -> None:
        for s in segs:
            m = _UNIT.search(_norm(s.text))
            if m and form.money_unit is None:
                form.money_unit = MoneyUnit.parse(m.group(1) or m.group(2))

    # -- money ----------------------------------------------------------------------------
    def _money_header(self, form: FormRead, segs: list[Seg]) -> bool:
        cols: dict[int, str] = {}
        for s in segs:
            if "万元" in s.text or "(元)" in _norm(s.text):
                continue  # a unit label (年度预算数(万元)), not a column
            role = _role(s.text, _MONEY_HEADERS)
            if role and role not in cols.values():
                for c in range(s.c0, s.c1):
                    cols[c] = role
        roles = set(cols.values())
        if not ({"budget", "actual"} <= roles or {"budget", "rate"} <= roles) or len(roles) < 3:
            return False
        self.money_cols = cols
        form.seen_money = True
        self._unit(form, segs)
        for s in segs:
            n = _norm(s.text)
            if ("预算执行" in n or "项目资金" in n or "资金情况" in n) and _POINTS_IN_LABEL.search(n):
                form.execution_label_weight = Decimal(_POINTS_IN_LABEL.search(n).group(1))
            if n.startswith("权重") or n.startswith("预算执行情况"):
                form.sichuan = True
        return True

    def _money_row(self, form: FormRead, segs: list[Seg]) -> bool:
        labels = [s for s in segs if not any(c in self.money_cols for c in range(s.c0, s.c1))]
        label = next((s.text for s in reversed(labels) if _role(s.text, _MONEY_ROWS)), "")
        if not label:
            return False
        key = _role(label, _MONEY_ROWS)
        values = {}
        for s in segs:
            role = self.money_cols.get(s.c0)
            if role and s.first and role not in values:
                values[role] = s.text
        if key in form.money:
            key = f"{key}+"
        form.money[key] = values
        self._unit(form, segs)  # 项目资金（万元） beside the rows
        return True

    # -- goal -----------------------------------------------------------------------------
    def _goal(self, form: FormRead, rows: list[Row], i: int) -> int:
        """Rows taken by 年度总体目标: a header row (预期目标 · 实际完成情况) and the row of texts
        under it, or a label row with its text beside it; 0 when row ``i`` is neither."""
        segs = [s for s in rows[i] if s.text]
        target = [s for s in segs if _norm(s.text) in _GOAL_TARGET]
        done = [s for s in segs if _norm(s.text) in _GOAL_DONE]
        if target and done:  # a header row: the texts are in the next row with text under these headers
            self.goal_cols = {c: "goal" for c in range(target[0].c0, target[0].c1)}
            self.goal_cols.update({c: "done" for c in range(done[0].c0, done[0].c1)})
            self.state = "goal"
            return 1
        if self.goal_cols and self.state == "goal":
            found = False
            for s in segs:
                role = self.goal_cols.get(s.c0)
                if role == "goal" and not form.goal:
                    form.goal, found = s.text, True
                elif role == "done" and not form.completion:
                    form.completion, found = s.text, True
            if found:
                self.goal_cols = {}
                return 1
            if all(_norm(s.text) in ("年度总体目标", "总体目标", "年度总体", "目标") for s in segs):
                return 1  # the block's label on a row of its own (a merged cell cut by a page break)
        for k, s in enumerate(segs):
            n = _norm(s.text)
            if n in ("年度总体目标", "总体目标", "年度目标", "绩效目标") and k + 1 < len(segs):
                form.goal = form.goal or _value_after(segs, k, stop=_GOAL_DONE)
                for j in range(k + 1, len(segs)):
                    if _norm(segs[j].text) in _GOAL_DONE:
                        form.completion = _value_after(segs, j)
                self.state = "goal"
                return 1
            if n in _GOAL_DONE and k + 1 < len(segs):
                form.completion = form.completion or _value_after(segs, k)
                self.state = "goal"
                return 1
        return 0

    # -- indicators -----------------------------------------------------------------------
    def _indicator_header(self, form: FormRead, rows: list[Row], i: int) -> bool:
        segs = [s for s in rows[i] if s.text]
        cols: dict[int, str] = {}
        for s in segs:
            role = _role(s.text, _IND_HEADERS)
            if role:
                for c in range(s.c0, s.c1):
                    cols.setdefault(c, role)
        if "l3" not in cols.values() or not ({"l1", "l2"} & set(cols.values())):
            return False
        sub = self._sub_header(rows, i + 1)
        if sub:
            cols.update(sub)
        self.ind_cols = cols
        form.seen_indicators = True
        if any(_norm(s.text).startswith(("权重", "完成值")) for s in segs):
            form.sichuan = True
        return True

    def _sub_header(self, rows: list[Row], i: int) -> dict[int, str] | None:
        """A second header row (指标性质 · 指标值 · 度量单位 under 年度指标值)."""
        if i >= len(rows):
            return None
        segs = [s for s in rows[i] if s.text]
        if not segs:
            return None
        cols = {}
        for s in segs:
            if not s.first:
                continue  # a merged cell from the row above
            role = _role(s.text, _IND_HEADERS)
            if role is None:
                return None
            for c in range(s.c0, s.c1):
                cols[c] = role
        return cols or None

    def _cell(self, row: Row, role: str, carry: bool = False) -> str:
        """The text of the cell that starts in a column of ``role``: its own text, or (``carry``,
        for 一级/二级) the text of a merge from above. A lone "—" is a blank cell."""
        for s in row:
            if self.ind_cols.get(s.c0) == role and s.text:
                if s.first or carry:
                    return "" if s.text in ("—", "-") and role not in ("l1", "l2") else s.text
        return ""

    def _item(self, form: FormRead, row: Row) -> None:
        own_l1 = self._cell(row, "l1", carry=True)
        if own_l1 and not category_of(own_l1) and not _POINTS_IN_LABEL.search(_norm(own_l1)) and self.carry.get("l1"):
            # Not a 一级 name: the rest of a merged cell cut by a page break, printed where the
            # page's shorter grid puts it ("等" of 服务对象满意度指标等).
            form.note(f"一级指标栏的“{own_l1}”不是一级指标名称，按上一页的续行处理",
                      f"{own_l1!r} in the 一级 column is no 一级 name; read as the rest of a cell from the page before")
            own_l1 = ""
        l1 = own_l1 or self.carry.get("l1", "")
        l2 = self._cell(row, "l2", carry=True)
        if not l2 and (not own_l1 or own_l1 == self.carry.get("l1")):
            l2 = self.carry.get("l2", "")  # a 二级 cell left blank under the same 一级
        l3 = self._cell(row, "l3")
        parts = [self._cell(row, r) for r in ("op", "value", "unit")]
        target = "".join(p for p in parts if p)
        actual = self._cell(row, "actual")
        weight_text, score_text = self._cell(row, "weight"), self._cell(row, "score")
        note = self._cell(row, "note")
        texts = _distinct([s for s in row if s.text])
        if not (l3 or target or actual):
            if weight_text or score_text:
                form.note(f"有分值或得分而没有三级指标的行未导入：{' | '.join(texts)[:120]}",
                          f"a row with points but no 三级 indicator was not imported: {' | '.join(texts)[:120]}")
            elif l2 and l2 != self.carry.get("l2"):
                form.note(f"“{l2}”一行没有三级指标，未导入", f"the {l2!r} row has no 三级 indicator; skipped")
            self.carry.update(l1=l1, l2=l2)
            return
        key = kind_of(l2)
        if key is None and l2 and kind_of(self.carry.get("l2", "")):
            # The rest of a merged 二级 cell cut by a page break ("等" of 服务对象满意度指标等).
            key = kind_of(self.carry["l2"])
            form.note(f"二级指标“{l2}”读作上一页“{self.carry['l2']}”的续行",
                      f"二级 text {l2!r} read as the rest of {self.carry['l2']!r} from the page before")
            l2 = self.carry["l2"]
        self.carry.update(l1=l1, l2=l2)
        if key is None and not l2 and category_of(l1):
            key = DEFAULT_KIND[category_of(l1)]
            form.note(f"“{l3}”没有二级指标，按一级“{l1}”记入{KIND_BY_KEY[key].name}",
                      f"{l3!r} has no 二级 indicator; filed under {KIND_BY_KEY[key].name} for its 一级 {l1!r}")
        if key is None:
            form.note(f"二级指标“{l2}”无法归类，此行未导入：{' | '.join(texts)[:120]}",
                      f"二级 indicator {l2!r} is not a known kind; row not imported: {' | '.join(texts)[:120]}")
            return
        try:
            weight = points(weight_text)
        except ValueError:
            weight = None
            form.note(f"“{l3}”的分值不是数字：{weight_text!r}", f"the 分值 of {l3!r} is not a number: {weight_text!r}")
        try:
            score = points(score_text)
        except ValueError:
            score = None
            form.note(f"“{l3}”的得分不是数字：{score_text!r}", f"the 得分 of {l3!r} is not a number: {score_text!r}")
        form.own_l1.append(own_l1)
        form.items.append((key, l1, IndicatorItem(name=l3, target=target, actual=actual, weight=weight,
                                                   published_score=score, note=note)))

    def _total(self, form: FormRead, segs: list[Seg]) -> None:
        weight_cols = [c for c, r in self.ind_cols.items() if r == "weight"]
        score_cols = [c for c, r in self.ind_cols.items() if r == "score"]
        rest = []
        for s in segs:
            n = _norm(s.text)
            if n in _TOTAL or n.startswith("总分"):
                continue
            grade = _GRADE_INLINE.search(n)
            if grade:
                form.grade = grade.group(1)
                continue
            if any(c in weight_cols for c in range(s.c0, s.c1)) and not form.total_weight_text:
                form.total_weight_text = s.text
            elif any(c in score_cols for c in range(s.c0, s.c1)) and not form.total_text:
                form.total_text = s.text
            else:
                rest.append(s.text)
        if not form.total_text:
            numeric = [t for t in rest if re.search(r"\d", t)]
            if numeric:
                form.total_text = numeric[-1]

    def _after(self, form: FormRead, segs: list[Seg]) -> bool:
        """评价等级, 存在问题, 改进措施 and the footnotes after the indicators."""
        n0 = _norm(segs[0].text)
        grade = _GRADE_INLINE.search(n0)
        if grade and grade.group(1).strip(":"):
            form.grade = grade.group(1).strip(":")
            return True
        if n0 in ("评价等级", "自评等级", "等级"):
            form.grade = _value_after(segs, 0)
            return True
        if n0.startswith("存在问题") or n0.startswith("问题"):
            form.problems = _value_after(segs, 0)
            return True
        if n0.startswith("改进措施") or n0.startswith("整改"):
            form.rectification = _value_after(segs, 0)
            return True
        if n0.startswith(("注", "说明")) and self.state in ("indicators", "after"):
            self.state = "notes"
            return True
        return any(n0.startswith(w) for w in _IGNORED)


def settle_categories(form: FormRead) -> None:
    """Give every run of rows of one 一级 category its printed 一级 label, and read the
    category weights from those labels (``产出指标(50分)``, ``(30分)``).

    A merged 一级 cell prints its label once, in the middle of its rows; in a PDF whose merge
    the reader sees as separate cells, or one cut by a page break, the label sits on one row
    (or a row of its own) and carrying it down leaves the rows above with the previous
    category's label. The 二级 kind of each row says which category it is in, so the label
    of a run is the one its own rows print (and agrees with that category)."""
    runs: list[list[int]] = []
    for n, (key, _, _) in enumerate(form.items):
        category = KIND_BY_KEY[key].category.key
        if runs and KIND_BY_KEY[form.items[runs[-1][0]][0]].category.key == category:
            runs[-1].append(n)
        else:
            runs.append([n])
    form.category_weights = {}
    for run in runs:
        category = KIND_BY_KEY[form.items[run[0]][0]].category.key
        own = [form.own_l1[n] for n in run if n < len(form.own_l1) and form.own_l1[n]
               and category_of(form.own_l1[n]) in (None, category)]
        label = own[0] if own else form.items[run[0]][1]
        for n in run:
            key, _, item = form.items[n]
            form.items[n] = (key, label, item)
        m = _POINTS_IN_LABEL.search(_norm(label))
        if m and category not in form.category_weights:
            form.category_weights[category] = Decimal(m.group(1))


def _distinct(segs: list[Seg]) -> list[str]:
    out: list[str] = []
    for s in segs:
        if s.text and (not out or out[-1] != s.text):
            out.append(s.text)
    return out


def _value_after(segs: list[Seg], k: int, stop: Iterable[str] = ()) -> str:
    """The text of the first cell after the label ``segs[k]`` that is not itself a label."""
    stop = tuple(stop)
    label = segs[k].text
    for s in segs[k + 1:]:
        if not s.text or s.text == label:
            continue
        n = _norm(s.text)
        if _is_label(s.text, _ALL_LABELS) or (stop and n in stop):
            return ""
        return s.text
    return ""


# ---------------------------------------------------------------------------------------
# Forms → table
# ---------------------------------------------------------------------------------------


def _project(form: FormRead, seq: int) -> Project:
    total = form.money.get("total", {})
    fiscal = form.money.get("fiscal", {})
    other = form.money.get("other", {})

    def amt(row: dict[str, str], role: str, label: str) -> Decimal | None:
        text = row.get(role, "")
        try:
            return amount(text)
        except ValueError:
            form.note(f"{label}不是金额：{text!r}", f"{label} is not an amount: {text!r}")
            return None

    def pts(row: dict[str, str], role: str, label: str) -> Decimal | None:
        text = row.get(role, "")
        try:
            return points(text)
        except ValueError:
            form.note(f"{label}不是数字：{text!r}", f"{label} is not a number: {text!r}")
            return None

    cells: dict[str, list[IndicatorItem]] = {}
    for key, _label, item in form.items:
        cells.setdefault(key, []).append(item)
    rate = total.get("rate", "")
    published = Published(
        execution_weight=pts(total, "weight", "预算执行率分值") if total.get("weight") else form.execution_label_weight,
        execution_score=pts(total, "score", "预算执行率得分"),
        category_weights=dict(form.category_weights),
        total_text=form.total_text,
        grade=form.grade,
    )
    try:
        published.total = points(form.total_text)
    except ValueError:
        form.note(f"总分不是数字：{form.total_text!r}", f"总分 is not a number: {form.total_text!r}")
    return Project(
        seq=seq, unit_name=form.unit_name, name=form.name,
        initial_budget=amt(total, "initial", "年初预算数"), budget=amt(total, "budget", "全年预算数"),
        actual_total=amt(total, "actual", "全年执行数"),
        actual_general_budget=amt(fiscal, "actual", "当年财政拨款执行数"),
        actual_non_fiscal=amt(other, "actual", "其他资金执行数"),
        execution_rate_text="" if _norm(rate) in _NOT_GIVEN else rate,
        annual_goal=form.goal, overall_completion=form.completion,
        indicators={k: IndicatorCell.of_items(items) for k, items in cells.items()},
        problems=form.problems, rectification=form.rectification, published=published,
    )


def _check(form: FormRead, source: str) -> None:
    """Refuse a form that cannot be a project; report what else is missing, field by field."""
    missing_zh, missing_en = [], []
    if not form.name:
        missing_zh.append("项目名称")
        missing_en.append("项目名称 (project name)")
    if not form.seen_indicators:
        missing_zh.append("绩效指标表头（一级指标、二级指标、三级指标）")
        missing_en.append("the indicator header (一级指标, 二级指标, 三级指标)")
    elif not form.items:
        missing_zh.append("三级指标行")
        missing_en.append("indicator rows")
    if missing_zh:
        raise InputError(f"{form.where}：不是完整的项目支出绩效自评表，缺少{'、'.join(missing_zh)}",
                         f"{form.where}: not a whole 项目支出绩效自评表; missing {', '.join(missing_en)}",
                         source=source)
    for ok, zh, en in (
        (form.department, "主管部门为空", "主管部门 (department) is blank"),
        (form.unit_name, "实施单位为空", "实施单位 (implementing unit) is blank"),
        (form.seen_money, "没有项目资金（全年预算数、全年执行数）一栏", "no money block (全年预算数, 全年执行数)"),
        ("total" in form.money, "项目资金没有“年度资金总额”一行", "the money block has no 年度资金总额 row"),
        (form.goal, "年度总体目标（预期目标）为空", "年度总体目标 (预期目标) is blank"),
        (form.completion, "年度总体目标的实际完成情况为空", "the goal's 实际完成情况 is blank"),
        (form.total_text, "没有总分", "no 总分"),
    ):
        if not ok:
            form.note(zh, en)
    _check_sums(form)


def _check_sums(form: FormRead) -> None:
    """Report a form whose printed 分值 or 得分 do not add up to its printed 总分 (forms do
    not always add up; a misread row does not either): kept as printed, said once."""
    total = form.money.get("total", {})
    for label, role, printed, per_item in (
            ("分值", "weight", form.total_weight_text, [i.weight for _, _, i in form.items]),
            ("得分", "score", form.total_text, [i.published_score for _, _, i in form.items])):
        try:
            want = points(printed)
            execution = points(total.get(role, "")) or Decimal(0)
        except ValueError:
            continue
        if want is None or all(v is None for v in per_item):
            continue
        got = sum((v for v in per_item if v is not None), Decimal(0)) + execution
        if got != want:
            form.note(f"{label}合计 {got}（含预算执行率）与总分栏的 {want} 不符（按原样保留）",
                      f"the {label} add up to {got} (with the execution rate), not to the {want} printed as 总分 (kept as printed)")


def _profile(forms: list[FormRead], published: list[Published]) -> str:
    weights = {p.execution_weight for p in published if p.execution_weight is not None}
    if any(f.sichuan for f in forms):
        return "sichuan"
    if weights == {Decimal(20)}:
        return "hubei"
    if weights == {Decimal(10)}:
        return "central"
    return ""


def forms_to_tables(forms: list[FormRead], source: str) -> list[tuple[Table, list[str]]]:
    """Group the forms by (主管部门, year) into tables, each with its report lines."""
    groups: dict[tuple[str, int], list[FormRead]] = {}
    for form in forms:
        _check(form, source)
        if form.year is None:
            raise InputError(f"{form.where}：找不到年度（如“（2022年度）”）", f"{form.where}: no year found (such as （2022年度）)",
                             source=source)
        department = form.department
        if not department:
            department = form.unit_name
            if not department:
                raise InputError(f"{form.where}：主管部门和实施单位都为空，无法确定部门",
                                 f"{form.where}: both 主管部门 and 实施单位 are blank; the department is unknown",
                                 source=source)
            form.note(f"主管部门为空，以实施单位“{department}”作为部门",
                      f"主管部门 is blank; the 实施单位 {department!r} is taken as the department")
        groups.setdefault((department, form.year), []).append(form)
    tables = []
    for (department, year), group in groups.items():
        units = [f.money_unit for f in group if f.money_unit is not None]
        unit = units[0] if units else MoneyUnit.WAN_YUAN
        report: list[str] = []
        if not units:
            report.append("金额单位未注明，按万元读取 / no money unit printed; amounts read as 万元")
        projects = []
        for n, form in enumerate(group, 1):
            project = _project(form, n)
            if form.money_unit is not None and form.money_unit is not unit:
                project = Table(year=year, department=department, projects=[project],
                                money_unit=form.money_unit).converted(unit).projects[0]
                form.note(f"金额由{form.money_unit.value}换算为{unit.value}",
                          f"amounts converted from {form.money_unit.value} to {unit.value}")
            projects.append(project)
            report.extend(form.report)
        table = Table(year=year, department=department, projects=projects, money_unit=unit, layout=FULL,
                      profile=_profile(group, [p.published for p in projects if p.published]))
        report.insert(0, f"读作项目支出绩效自评表：{len(group)} 张 / read as 项目支出绩效自评表: {len(group)} form(s)")
        tables.append((table, report))
    return tables


def one_table(forms: list[FormRead], source: str, kind: str) -> ImportResult:
    """The forms as one table, or a refusal naming every department and year found."""
    if not forms:
        raise InputError("没有找到项目支出绩效自评表", "no 项目支出绩效自评表 found", source=source)
    tables = forms_to_tables(forms, source)
    if len(tables) > 1:
        listing_zh = "；".join(f"{t.year}年度 {t.department}（{len(t.projects)} 张）" for t, _ in tables)
        listing_en = "; ".join(f"{t.year} {t.department} ({len(t.projects)} form(s))" for t, _ in tables)
        raise InputError(f"文件中有多个部门或年度的自评表：{listing_zh}。一张表格只能是一个部门一个年度，请分开导入",
                         f"the file holds forms of several departments or years: {listing_en}. A table is one "
                         f"department and one year; import them separately", source=source)
    table, report = tables[0]
    return ImportResult(table=table, kind=kind, report=report)


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------

_FORM_WORDS = ("三级指标", "项目支出绩效自评表", "年度总体目标", "全年预算数", "全年执行数", "项目资金")


def looks_like_mof(text: str) -> bool:
    """Whether text (cells, a page, a file) carries the form's labels: 项目名称, 主管部门 or
    实施单位, and one of the form's own words (三级指标, 项目支出绩效自评表, 年度总体目标,
    全年预算数…) — the 附件2-3 table prints 单位名称, never 主管部门/实施单位 with these."""
    n = _norm(text)
    return "项目名称" in n and ("主管部门" in n or "实施单位" in n) and any(w in n for w in _FORM_WORDS)


def is_mof_xlsx(path: Path, max_bytes: int = 64 * 1024 * 1024) -> bool:
    """Cheap test on the workbook's strings (shared strings and inline strings of sheets)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            text = ""
            for info in zf.infolist():
                name = info.filename
                if name == "xl/sharedStrings.xml" or (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    with zf.open(info) as fh:
                        text += fh.read(max_bytes).decode("utf-8", "replace")
                    if looks_like_mof(re.sub(r"<[^>]+>", "", text)):
                        return True
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return False
    return False


def parse_forms(chunks: Iterable[tuple[str, list[Row]]]) -> list[FormRead]:
    """Forms from ``(where, rows)`` chunks read in order (sheets, pages)."""
    parser = _Parser()
    for where, rows in chunks:
        parser.feed(rows, where)
    forms = [f for f in parser.forms if f.started]
    for form in forms:
        settle_categories(form)
    return forms


def read_forms_xlsx(path: str | Path, limits: "ImportLimits", deadline: "Deadline",
                    source: str | None = None) -> list[FormRead]:
    import openpyxl

    from .xlsx_read import check_zip, sheet_grid

    path = Path(path)
    source = source or str(path)
    check_zip(path, limits, source)
    try:
        with path.open("rb") as fh:
            wb = openpyxl.load_workbook(fh, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputError("无法读取 XLSX 文件（文件损坏或不是 Excel 工作簿）",
                         f"cannot read the XLSX file (damaged, or not an Excel workbook: {type(exc).__name__})",
                         source=source) from None
    chunks = []
    for ws in wb.worksheets:
        cells = ws.max_row * ws.max_column
        if cells > limits.max_cells:
            raise InputError(f"工作表“{ws.title}”过大（{cells} 个单元格，上限 {limits.max_cells}）",
                             f"worksheet {ws.title!r} too large ({cells} cells, limit {limits.max_cells})",
                             source=source)
        chunks.append((f"工作表“{ws.title}”", grid_rows(sheet_grid(ws))))
        deadline.check(source)
    wb.close()
    forms = []
    for where, rows in chunks:  # one parser per sheet: a form never continues onto another sheet
        forms.extend(parse_forms([(where, rows)]))
    return forms


def read_mof_xlsx(path: str | Path, limits: "ImportLimits", deadline: "Deadline",
                  source: str | None = None) -> ImportResult:
    source = source or str(path)
    return one_table(read_forms_xlsx(path, limits, deadline, source), source, "xlsx")


class _Edges:
    """Column edges of a PDF's tables in points, shared by all its pages: a segment's columns
    are the x positions of its edges (snapped to an edge seen before within 2 pt), so the same
    column has the same number on every page even when a page's table lacks a column (a
    merged cell cut by the page break) and the grid indices shift."""

    def __init__(self) -> None:
        self.known: list[float] = []

    def snap(self, x: float) -> int:
        for k in self.known:
            if abs(k - x) <= 2.0:
                return int(round(k))
        self.known.append(x)
        return int(round(x))


def pdf_page_rows(page, chars: list[dict], offset: int, edges: _Edges | None = None) -> list[tuple[float, Row]]:
    """A page's ruled tables (as rows with spans, columns numbered by their x position) and the
    lines of text outside them (titles, the year line, footnotes), each with its top position,
    in reading order."""
    edges = edges or _Edges()
    from pdfplumber.utils import cluster_objects

    from .pdf_read import TABLE_SETTINGS, cell_grid, fill_grid, joined_grid

    out: list[tuple[float, Row]] = []
    boxes = []
    for t in page.find_tables(TABLE_SETTINGS):
        if len(t.cells) <= 1:
            continue
        xs, ys, cells = cell_grid(t)
        spaces: dict = {}
        grid = joined_grid(fill_grid(xs, ys, cells, chars, offset, spaces), spaces)
        at = [edges.snap(x) for x in xs]
        for r, row in enumerate(grid_rows(grid, offset)):
            out.append((ys[r], [Seg(s.text, at[s.c0], at[s.c1], s.first) for s in row]))
        offset += len(ys)
        boxes.append(t.bbox)

    def inside(ch: dict) -> bool:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    loose = [c for c in chars if not inside(c)]
    for line in cluster_objects(loose, "top", 3):
        text = "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])).strip()
        if text:
            out.append((min(c["top"] for c in line), [Seg(text, 0, 1)]))
    out.sort(key=lambda item: item[0])
    return out


def read_forms_pdf(path: str | Path, limits: "ImportLimits", deadline: "Deadline",
                   source: str | None = None) -> list[FormRead]:
    from .pdf_read import check_trailer, dedupe_chars, open_pdf, refuse_unreadable

    path = Path(path)
    source = source or str(path)
    check_trailer(path, source)
    pdf = open_pdf(path, source)
    chunks = []
    try:
        pages = pdf.pages
        if len(pages) > limits.max_pages:
            raise InputError(f"PDF 页数过多（{len(pages)} 页，上限 {limits.max_pages}）",
                             f"too many pages ({len(pages)}, limit {limits.max_pages})", source=source)
        offset = 0
        edges = _Edges()
        for number, page in enumerate(pages, 1):
            deadline.check(source)
            chars = dedupe_chars(page.chars)
            refuse_unreadable(page, chars, number, source)
            rows = [row for _, row in pdf_page_rows(page, chars, offset, edges)]
            offset += len(rows) + 1000
            chunks.append((f"第 {number} 页", rows))
            page.close()
    finally:
        pdf.close()
    return parse_forms(chunks)


def read_mof_pdf(path: str | Path, limits: "ImportLimits", deadline: "Deadline",
                 source: str | None = None) -> ImportResult:
    source = source or str(path)
    return one_table(read_forms_pdf(path, limits, deadline, source), source, "pdf")


def is_mof_pdf(path: Path, pages: int = 3) -> bool:
    """Whether the first pages' text carries the form's labels."""
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            text = "".join((p.extract_text() or "") for p in pdf.pages[:pages])
    except Exception:  # a damaged PDF is the PDF reader's to report
        return False
    return looks_like_mof(text)
