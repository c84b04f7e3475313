"""Read a 附件2-3 disclosure table from a grid of cells (shared by the XLSX and PDF importers).

Both importers reduce their input to the same thing: a rectangular grid of text cells in
which every cell knows the top-left corner (*origin*) of the merged range it belongs to,
plus the lines printed above the table (title, stamp line, money unit). This module finds
the header **by its text** (序号, 项目名称, 实际支出金额 › 合计, 年度指标内容 …), never by
position, maps each column to a model field by its header path, and turns the body rows
into projects. Rules (docs/import.md):

* blank rows, repeated header rows (a header printed again on each PDF page or XLSX print
  page), 栏次 rows (1 2 3 …) and 合计/总计 rows are skipped; a 合计 row is compared with
  the computed totals and a disagreement is reported;
* a row whose 序号 is blank and whose 项目名称 is blank continues the project above (a row
  split across a page break, or a project written over several rows);
* a cell merged across several columns or rows counts once per project;
* amounts are exact decimals; a number that is not readable is reported and left blank;
* empty indicator cells (target and actual both blank) are not kept: blank and absent mean
  the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..core import money
from ..core.model import AMOUNT_FIELDS, COLUMN_NAMES, IndicatorCell, Project, Table, read_not_applicable
from ..core.money import MoneyUnit
from ..core.taxonomy import DISCLOSURE_2019, FULL, KINDS
from ..errors import InputError
from .import_result import ImportResult


@dataclass(frozen=True)
class GridCell:
    """A cell's text and the (row, col) of the top-left cell of the merge it belongs to."""

    text: str
    origin: tuple[int, int]


Grid = list[list[GridCell]]

_WS = re.compile(r"\s+")
_INT = re.compile(r"^\d{1,7}$")
_SEPARATORS = ("；", ";", "。", "，", "、")
_TOTAL_WORDS = {"合计", "总计", "小计"}
_FOOTNOTE = re.compile(r"^(注|说明|备注|填表人|审核人|制表人|负责人|联系电话|填报日期)")
_YEAR_TITLE = re.compile(r"((?:19|20|21)\d{2})\s*年度?")
_YEAR_FUND = re.compile(r"含\s*((?:19|20|21)\d{2})\s*年")
_DEPT = re.compile(r"部门(?:名称)?\s*[（(]\s*盖章\s*[)）]\s*[:：]\s*(.*?)\s*(?=(?:金额)?单位\s*[:：]|$)")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)")
_UNIT_IN_HEADER = re.compile(r"[（(]\s*(万元|元)\s*[)）]")
_ATTACHMENT = re.compile(r"^(附件\s*[0-9０-９]+(?:\s*[-－—–]\s*[0-9０-９]+)*)")
_SHORT_NAME = re.compile(r"\d{4}\s*年度?\s*(.+?)\s*(?:部门)?(?:预算)?项目(?:支出)?绩效")
_TITLE = re.compile(r"(绩效自评|公开表|绩效评价)")


def norm(text: str) -> str:
    """Header text without any whitespace (headers wrap at arbitrary points)."""
    return _WS.sub("", text or "")


# --- the header ------------------------------------------------------------------------

# Rules mapping a column's header path (texts top to bottom, whitespace removed, joined
# by "›") to a model field. First match wins, so specific rules come first.
_KIND_RULES: list[tuple[str, str]] = [
    ("数量指标", "quantity"), ("质量指标", "quality"), ("时效指标", "timeliness"),
    ("成本指标", "cost"), ("经济效益", "economic"), ("社会效益", "social"),
    ("生态效益", "ecological"), ("可持续影响", "sustainability"), ("满意度", "satisfaction"),
]


def column_field(path: str) -> str | None:
    """The model field a header path names, or None (see the rules above)."""
    if not path:
        return None
    leaf = path.rsplit("›", 1)[-1]
    if "序号" in leaf:
        return "seq"
    if "单位名称" in leaf or leaf == "单位":
        return "unit_name"
    if "项目名称" in leaf:
        return "name"
    if "政府投资" in path:
        return "gov_investment"
    if "执行率" in path:
        return "execution_rate"
    if "整体完成" in path:
        return "overall_completion"
    if "年初" in path and "目标" in leaf:
        return "annual_goal"
    if "问题" in leaf:
        return "problems"
    if "整改" in leaf:
        return "rectification"
    if "指标内容" in leaf or "指标值" in leaf or leaf in ("目标值", "年度指标"):
        side = "target"
    elif "完成" in leaf or "实际" in leaf:
        side = "actual"
    else:
        side = ""
    if side:
        for word, key in _KIND_RULES:
            if word in path:
                return f"indicators.{key}.{side}"
    if "一般公共预算" in leaf:
        return "actual_general_budget"
    if "政府性基金" in leaf:
        return "actual_gov_fund"
    if "非财政拨款" in leaf:
        return "actual_non_fiscal"
    if "实际支出" in path and ("合计" in leaf or leaf.startswith("实际支出")):
        return "actual_total"
    if "预算" in leaf and ("金额" in leaf or "年度" in leaf or "预算数" in leaf):
        return "budget"
    return None


def _is_header_row(row: list[GridCell]) -> bool:
    texts = [norm(c.text) for c in row]
    return any(t == "序号" for t in texts) and any("项目名称" in t for t in texts)


def find_header(grid: Grid) -> int | None:
    """Index of the first row holding both 序号 and 项目名称, or None."""
    for r, row in enumerate(grid):
        if _is_header_row(row):
            return r
    return None


def _seq_col(row: list[GridCell]) -> int:
    return next(c for c, cell in enumerate(row) if norm(cell.text) == "序号")


def _is_index_row(row: list[GridCell]) -> bool:
    """A 栏次 row (1 2 3 … under the header): every distinct cell is a consecutive number."""
    texts = [norm(c.text) for c, _ in _distinct(row)]
    nums = [t for t in texts if t]
    if len(nums) < 4 or not all(_INT.match(t) for t in nums):
        return False
    values = [int(t) for t in nums]
    return values == list(range(values[0], values[0] + len(values)))


def _distinct(row: list[GridCell]) -> list[tuple[GridCell, int]]:
    """Cells of a row with each merge counted once (first column it covers)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for c, cell in enumerate(row):
        if cell.origin not in seen:
            seen.add(cell.origin)
            out.append((cell, c))
    return out


def _body_start(grid: Grid, header: int, seq_col: int) -> int:
    for r in range(header + 1, len(grid)):
        cell = grid[r][seq_col]
        if cell.origin[0] == r and _INT.match(norm(cell.text)) and not _is_index_row(grid[r]):
            return r
        if cell.origin[0] == r and norm(cell.text) in _TOTAL_WORDS:
            return r
    return len(grid)


def column_paths(grid: Grid, header: int, body: int) -> list[str]:
    paths = []
    # Each row tested once, not once per column (a sheet with no body row makes every row a
    # header row: rows × columns² otherwise).
    index_rows = {r for r in range(header, body) if _is_index_row(grid[r])}
    for c in range(len(grid[header])):
        parts: list[str] = []
        for r in range(header, body):
            t = norm(grid[r][c].text)
            if t and (not parts or parts[-1] != t) and r not in index_rows:
                parts.append(t)
        paths.append("›".join(parts))
    return paths


# --- the lines above the table -----------------------------------------------------------

@dataclass
class Preamble:
    attachment: str = ""
    title: str = ""
    year: int | None = None
    department: str = ""
    unit: MoneyUnit | None = None


def parse_preamble(lines: list[str]) -> Preamble:
    """Attachment label, title (→ year), 部门名称（盖章）, 单位 from the lines above the table."""
    pre = Preamble()
    want_department = False  # the stamp label stood alone; the name is the next line
    for raw in (part for text in lines for part in text.split("\n")):
        line = raw.strip()
        if not line:
            continue
        if want_department and not _UNIT.match(line):
            pre.department = line
            want_department = False
            continue
        m = _ATTACHMENT.match(line)
        if m and not pre.attachment:
            pre.attachment = _WS.sub("", m.group(1))
            line = line[m.end():].lstrip("：: ")
            if not line:
                continue
        m = _DEPT.search(line)
        if m and not pre.department:
            pre.department = m.group(1).strip()
            want_department = not pre.department
        m = _UNIT.search(line)
        if m and pre.unit is None:
            pre.unit = MoneyUnit(m.group(1))
        if _TITLE.search(line) and not pre.title and not _DEPT.search(line):
            pre.title = line
            m = _YEAR_TITLE.search(line)
            if m:
                pre.year = int(m.group(1))
    return pre


# --- values --------------------------------------------------------------------------------

def to_amount(text: str) -> Decimal | None:
    """An amount with at least 2 decimals (``3.8`` → ``3.80``); ValueError if unreadable."""
    t = norm(text)
    if t in ("", "-", "—", "－", "/"):
        return None
    value = money.parse_amount(t)
    if value is not None and isinstance(value.as_tuple().exponent, int) and value.as_tuple().exponent > -2:
        value = value.quantize(money.CENT)
    return value


def to_rate_text(text: str) -> tuple[str, bool]:
    """The printed rate; a bare number is read as a fraction (≤ 2) or a percent and formatted.

    Returns (text, converted).
    """
    t = text.strip()
    if not t or "%" in t or "％" in t:
        return t, False
    try:
        value = Decimal(norm(t))
    except InvalidOperation:
        return t, False
    if value <= 2:
        value *= 100
    return f"{value.quantize(money.CENT, rounding=ROUND_HALF_UP)}%", True


def to_bool(text: str) -> bool | None:
    t = norm(text)
    if t in ("是", "Y", "y", "yes", "Yes", "√"):
        return True
    if t in ("否", "N", "n", "no", "No", "×"):
        return False
    if t == "":
        return None
    raise ValueError(t)


# --- the body ---------------------------------------------------------------------------------

@dataclass
class _Row:
    seq_text: str
    values: dict[str, str]  # field → text
    origins: dict[str, set[tuple[int, int]]]
    first_row: int


def read_grid(grid: Grid, preamble_lines: list[str], *, kind: str, source: str,
              joiner: str = "", report: list[str] | None = None) -> ImportResult:
    """Turn a grid into a table. ``joiner`` joins a project's text continued on a later row.

    Raises :class:`InputError` when no 附件2-3 header is found or no project row follows it.
    """
    report = list(report or [])
    header = find_header(grid)
    if header is None:
        raise InputError(
            "找不到预算项目绩效自评表的表头（需要“序号”“项目名称”等列）——这可能是另一种表格",
            "no 附件2-3 header found (needs columns such as 序号 and 项目名称); this looks like a different table",
            source=source)
    seq_col = _seq_col(grid[header])
    body = _body_start(grid, header, seq_col)
    paths = column_paths(grid, header, body)
    fields = [column_field(p) for p in paths]
    if "name" not in fields:
        raise InputError("表头中没有“项目名称”列", "the header has no 项目名称 column", source=source)
    for c, (path, f) in enumerate(zip(paths, fields)):
        if f is None and path:
            report.append(f"未识别的列（第{c + 1}列“{path}”），内容未导入 / "
                          f"column {c + 1} ({path}) not recognised; its cells were not imported")
    header_texts = [[norm(c.text) for c in row] for row in grid[header:body]]

    above = [cell.text for r in range(header) for cell, _ in _distinct(grid[r]) if cell.origin[0] == r]
    pre = parse_preamble(preamble_lines + above)
    rows: list[_Row] = []
    totals_rows: list[dict[str, str]] = []
    for r in range(body, len(grid)):
        row = grid[r]
        texts = [norm(c.text) for c in row]
        if not any(texts) or texts in header_texts or _is_index_row(row):
            continue
        first = next(t for t in texts if t)
        if any(texts[c] in _TOTAL_WORDS for c, f in enumerate(fields) if f in ("seq", "unit_name", "name")):
            totals_rows.append(_row_values(row, fields)[0])
            continue
        distinct_texts = [cell.text.strip() for cell, _ in _distinct(row) if cell.text.strip()]
        if len(distinct_texts) == 1 and _FOOTNOTE.match(first):
            report.append(f"表下注释未导入：{distinct_texts[0]} / note below the table not imported")
            continue
        values, origins = _row_values(row, fields)
        seq_cell = row[seq_col]
        prev = rows[-1] if rows else None
        same_seq_merge = prev is not None and seq_cell.origin in prev.origins.get("seq", set())
        if _INT.match(norm(values.get("seq", ""))) and not same_seq_merge:
            rows.append(_Row(norm(values["seq"]), values, origins, r))
        elif prev is None:
            if values.get("name"):
                rows.append(_Row("", values, origins, r))
            else:
                report.append(f"第{r + 1}行无法归入任何项目，未导入 / row {r + 1} belongs to no project; not imported")
        elif values.get("name") and not (origins["name"] & prev.origins.get("name", set())) and not same_seq_merge:
            rows.append(_Row(norm(values.get("seq", "")), values, origins, r))
        else:
            # One project over several rows (序号 merged down): each row is an entry of
            # its own, joined with "；". A row split at a page break continues the text.
            _continue_row(prev, values, origins, "；" if same_seq_merge else joiner)
    if not rows:
        raise InputError("表头下没有项目行", "no project rows below the header", source=source)

    kinds = {f.split(".")[1] for f in fields if f and f.startswith("indicators.")}
    layout = DISCLOSURE_2019 if kinds <= set(DISCLOSURE_2019) else tuple(k for k in FULL if k in kinds)
    year = pre.year
    if year is None:
        for p in paths:
            m = _YEAR_FUND.search(p)
            if m:
                year = int(m.group(1))
                report.append(f"标题中没有年度，取表头中的 {year} 年 / no year in the title; took {year} from the header")
                break
    if year is None:
        raise InputError("找不到表的年度（标题“XXXX年度…”或表头“含XXXX年…”）",
                         "cannot find the table's year (title 'XXXX年度…' or header '含XXXX年…')", source=source)
    unit = pre.unit
    if unit is None:
        for p, f in zip(paths, fields):
            m = _UNIT_IN_HEADER.search(p)
            if m and f in AMOUNT_FIELDS:
                unit = MoneyUnit(m.group(1))
                break
    if unit is None:
        unit = MoneyUnit.WAN_YUAN
        report.append("没有找到金额单位，按万元处理 / no money unit found; assumed 万元")

    confidence: dict[str, float] = {}
    projects = [_project(i, row, rows, report, confidence) for i, row in enumerate(rows)]
    department = pre.department
    if not department:
        m = _SHORT_NAME.search(pre.title)
        department = m.group(1) if m else next((p.unit_name for p in projects if p.unit_name), "")
        report.append(f"没有“部门名称（盖章）”行，部门取“{department}” / no 部门名称 line; department taken as {department!r}")
        if not department:
            raise InputError("找不到部门名称", "cannot find the department name", source=source)
    table = Table(year=year, department=department, projects=projects, money_unit=unit,
                  attachment=pre.attachment, title=pre.title, layout=layout)
    _check_totals(table, totals_rows, report)
    return ImportResult(table=table, kind=kind, report=report, confidence=confidence)


def _row_values(row: list[GridCell], fields: list[str | None]) -> tuple[dict[str, str], dict[str, set]]:
    """Field → text for one row; a field spread over several columns joins distinct cells."""
    values: dict[str, str] = {}
    origins: dict[str, set[tuple[int, int]]] = {}
    for cell, f in zip(row, fields):
        if f is None:
            continue
        seen = origins.setdefault(f, set())
        if cell.origin in seen:
            continue
        seen.add(cell.origin)
        text = cell.text.strip()
        if text:
            values[f] = values[f] + text if values.get(f) else text
    return values, origins


def _continue_row(prev: _Row, values: dict[str, str], origins: dict[str, set], joiner: str) -> None:
    for f, text in values.items():
        if origins[f] <= prev.origins.get(f, set()):
            continue  # the same merged cell, already taken
        old = prev.values.get(f, "")
        sep = "" if old.endswith(_SEPARATORS) else joiner
        prev.values[f] = old + sep + text if old else text
    for f, o in origins.items():
        prev.origins.setdefault(f, set()).update(o)


def _project(i: int, row: _Row, rows: list[_Row], report: list[str], confidence: dict[str, float]) -> Project:
    v = row.values
    base = f"projects[{i}]"
    if row.seq_text:
        seq = int(row.seq_text)
    else:
        seq = (int(rows[i - 1].seq_text) + 1) if i and rows[i - 1].seq_text else i + 1
        row.seq_text = str(seq)
        report.append(f"第{row.first_row + 1}行没有序号，按顺序记为 {seq} / row {row.first_row + 1} has no 序号; numbered {seq}")
    p = Project(seq=seq, unit_name=v.get("unit_name", ""), name=v.get("name", ""))
    confidence[f"{base}.seq"] = 1.0 if v.get("seq") else 0.5
    for f in ("unit_name", "name", "annual_goal", "overall_completion", "problems", "rectification"):
        if f in v:
            setattr(p, f, v[f])
            confidence[f"{base}.{f}"] = 1.0
    for f in AMOUNT_FIELDS:
        if f in v:
            try:
                setattr(p, f, to_amount(v[f]))
                confidence[f"{base}.{f}"] = 1.0
            except ValueError:
                confidence[f"{base}.{f}"] = 0.0
                report.append(f"项目 {seq} 的金额无法识别：{v[f]!r}（{f}），留空 / project {seq}: amount "
                              f"{v[f]!r} in {f} is not a number; left blank")
    if "gov_investment" in v:
        try:
            p.gov_investment = to_bool(v["gov_investment"])
            confidence[f"{base}.gov_investment"] = 1.0
        except ValueError:
            confidence[f"{base}.gov_investment"] = 0.0
            report.append(f"项目 {seq} 的“是否政府投资项目”无法识别：{v['gov_investment']!r} / project {seq}: "
                          f"gov_investment {v['gov_investment']!r} is not 是/否")
    if "execution_rate" in v:
        text, converted = to_rate_text(v["execution_rate"])
        p.execution_rate_text = text
        confidence[f"{base}.execution_rate"] = 1.0
        if converted:
            report.append(f"项目 {seq} 的执行率 {v['execution_rate']!r} 没有百分号，记为 {text} / project {seq}: "
                          f"rate {v['execution_rate']!r} had no % sign; read as {text}")
    for k in KINDS:
        target = v.get(f"indicators.{k.key}.target", "")
        actual = v.get(f"indicators.{k.key}.actual", "")
        if target or actual:
            # 「不适用（理由）」 as the writers print it is the mark (core.model.printed_texts)
            p.indicators[k.key] = read_not_applicable(IndicatorCell(target=target, actual=actual))
            confidence[f"{base}.indicators.{k.key}.target"] = 1.0
            confidence[f"{base}.indicators.{k.key}.actual"] = 1.0
    return p


def _check_totals(table: Table, totals_rows: list[dict[str, str]], report: list[str]) -> None:
    """合计 is computed; a printed 合计 that disagrees is reported, never used."""
    computed = table.totals()
    for printed in totals_rows:
        for f in AMOUNT_FIELDS:
            if not printed.get(f):
                continue
            try:
                value = to_amount(printed[f])
            except ValueError:
                continue
            if value is not None and value != getattr(computed, f):
                report.append(f"表中合计行的{COLUMN_NAMES[f]}为 {value}，逐项相加为 {getattr(computed, f)}（以计算值为准） / "
                              f"the printed 合计 of {f} is {value} but the projects add up to "
                              f"{getattr(computed, f)} (the computed total is kept)")
