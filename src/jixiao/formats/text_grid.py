"""Read a 附件2-3 table from the text ``pdftotext -layout`` makes of its PDF.

Why a reader of its own: with ``-layout`` pdftotext keeps every text line of the page as one
line and places each piece at a column near its position on the page, so the cells of one
table row sit *side by side* on many lines instead of one after another (the plain reading
order ``text_read`` expects). Read in order, such text is a shuffle of all the row's cells.
Read by position, it is a grid:

1. **Number rows** anchor the projects: one line holding 是/否, five amounts and a percentage
   (the same pattern as the plain reader's, on one line here).
2. **Columns** come from the column header: each header word (序号, 单位名称, 项目名称, 年初绩效目标,
   绩效目标整体完成情况, seven 年度指标内容/完成情况 pairs, 项目执行中存在的问题, 整改情况) starts
   at or to the right of its column's text, and after the previous column's header word, so
   a piece of text that starts after header word *c − 1* and no later than header word *c*
   belongs to column *c*. Positions are compared with a tolerance of one character: pdftotext
   rounds positions, and a piece that follows an overlong one on its line is pushed right.
   A piece only one space after the previous piece of its line was merged with it (cells
   sharing a baseline become one line): pdftotext then sets it right after that piece, left of
   its own column, so it goes to the column after the previous piece's when its position says
   the same column (two pieces of one line are two cells). pdftotext positions every page on
   its own, so each page is read by the columns of the header repeated at its top.
3. **Rows**: between two number rows, a column's lines belong to the upper project down to
   the widest vertical gap among them (see ``_assign``); whatever the cells' vertical
   alignment, cells of two rows are further apart than the lines of one cell.
   Then one cell per column and row (``_separate``): pdftotext places text per text block,
   so a cell may start left or right of its header word and land in a neighbour's column;
   two stacks of lines side by side in one column are two cells, and the cells up to the
   nearest empty column of the row move one column over to make room.
4. A cell's lines are joined without spaces (CJK text wraps anywhere), a space kept only
   between two Latin letters or digits.

Headers repeated at the top of each page (a form feed starts a page) are dropped: from a
page's first line, every line whose pieces are all parts of the 附件2-3 column header; so are
page numbers (``1/3``, ``- 2 -``, ``第1页/共1页``).

It reads only the 2019 layout (seven indicator pairs, ``DISCLOSURE_2019``); text whose header
has another number of columns is refused with a message saying what was found. A reading whose
projects' budgets do not add up to the table's own 合计 row is refused too (a project was missed).

Confidence is calibrated on what it achieves, not hoped for: on the -layout text of 24 PDFs
(jixiao's and LibreOffice's PDF of 12 reference tables, ``bench/text_fidelity.py``) 91–98 % of
text cells come out right and every amount; so a cell placed by position has confidence 0.7,
and 0.4 when it took a piece starting within two characters of a column's edge or its lines were
split between two projects without a clear gap (those cells are listed in the report). Every
amount is exact or the row is not found (confidence 1).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.model import IndicatorCell, Project, Table, read_not_applicable
from ..core.money import MoneyUnit
from ..core.taxonomy import DISCLOSURE_2019
from ..errors import InputError
from .import_result import ImportResult
from .text_header import check_totals, read_header

# Header words, exactly as pdftotext leaves them (a word may be cut where the cell wrapped).
_LEFT_WORDS = {"序号": "seq", "单位名称": "unit", "项目名称": "name"}
_RIGHT_WORDS = (  # each column's header word; a header cell that wrapped leaves a prefix of it
    ("goal", "年初绩效目标"), ("completion", "绩效目标整体完成情况"), ("target", "年度指标内容"),
    ("actual", "完成情况"), ("problems", "项目执行中存在的问题"), ("rectification", "整改情况"),
)
_MIN_PREFIX = 3


def _header_role(text: str) -> str | None:
    for role, word in _RIGHT_WORDS:
        if len(text) >= min(_MIN_PREFIX + (role == "problems"), len(word)) and word.startswith(text):
            return role
    return None


_HEADER_TEXT = ("附件 序号 单位名称 项目名称 是否政府投资项目（是/否） 项目年度预算金额 实际支出金额 合计 其中：财政拨款 "
                "一般公共预算 政府性基金预算（含年政府专项债券资金） 非财政拨款资金 预算支出执行率 年初绩效目标 "
                "绩效目标整体完成情况 产出目标 效益目标 满意度指标 数量指标 质量指标 时效指标 经济效益指标 社会效益指标 "
                "生态效益指标 服务对象满意度指标 年度指标内容 完成情况 项目执行中存在的问题 整改情况")
_HEADER_CHARS = "".join(_HEADER_TEXT.split())

_TOKEN = re.compile(r"\S+")
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_RATE = re.compile(r"-?\d+(?:\.\d+)?%")
_SEQ = re.compile(r"\d{1,4}")
TOLERANCE = 1
NEAR = 2  # a piece this near a column's edge is placed, but the cell is marked unsure
CELL_CONFIDENCE = 0.7
CUT_CONFIDENCE = 0.4

CELL_FIELDS: tuple[str, ...] = ("annual_goal", "overall_completion",
                                *(f"indicators.{k}.{s}" for k in DISCLOSURE_2019 for s in ("target", "actual")),
                                "problems", "rectification")


@dataclass
class _Tok:
    line: int
    start: int
    text: str


@dataclass
class _NumberRow:
    line: int
    seq: int | None
    left: list[_Tok]  # pieces left of 是/否 on the number row (序号, 单位名称, 项目名称)
    gov: bool
    amounts: list[Decimal]
    rate_text: str
    gov_start: int
    rate_start: int
    rate_end: int
    cells: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # column → (line, text)
    cut: set = field(default_factory=set)  # columns whose lines were split between two rows unsurely
    near: set = field(default_factory=set)  # columns that received a piece placed near a column's edge


def is_layout_text(text: str) -> bool:
    """Does this look like ``pdftotext -layout`` output (wide lines, pieces set apart by runs
    of spaces) rather than the plain reading order?"""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return False
    wide = sum(1 for ln in lines if len(ln) > 100 and "   " in ln.strip())
    return wide >= max(3, len(lines) // 4)


_GLUED = re.compile(r"(-?\d+(?:\.\d+)?%)(\D.*)")


def _tokens(lines: list[str]) -> list[list[_Tok]]:
    """The pieces of each line. A percentage glued to the text after it (``99.88%（协）会``, where
    the next cell's text came too close to the rate) is two pieces — but only where that cut
    completes a number row: in a text cell, ``90%，成本控制在`` is one piece of one cell."""
    out: list[list[_Tok]] = []
    for i, ln in enumerate(lines):
        toks = [_Tok(i, m.start(), m.group()) for m in _TOKEN.finditer(ln)]
        if _number_row(toks) is None:
            for k, t in enumerate(toks):
                g = _GLUED.fullmatch(t.text)
                if g is None:
                    continue
                cut = [*toks[:k], _Tok(i, t.start, g.group(1)),
                       _Tok(i, t.start + len(g.group(1)), g.group(2)), *toks[k + 1:]]
                if _number_row(cut) is not None:
                    toks = cut
                    break
        out.append(toks)
    return out


def _is_totals(toks: list[_Tok]) -> bool:
    """合计/总计/小计 followed by amounts and a rate: the totals row (computed, not read)."""
    texts = [t.text for t in toks]
    return bool(texts) and texts[0] in ("合计", "总计", "小计") and len(texts) >= 3 and \
        all(_AMOUNT.fullmatch(x) for x in texts[1:-1]) and bool(_RATE.fullmatch(texts[-1]))


def _number_row(toks: list[_Tok]) -> _NumberRow | None:
    for k, t in enumerate(toks):
        if t.text not in ("是", "否") or k + 6 >= len(toks) + 0 and k + 6 > len(toks) - 1:
            continue
        run = toks[k + 1:k + 7]
        if len(run) < 6 or not all(_AMOUNT.fullmatch(x.text) for x in run[:5]) or not _RATE.fullmatch(run[5].text):
            continue
        left = toks[:k]
        seq = int(left[0].text) if left and _SEQ.fullmatch(left[0].text) else None
        return _NumberRow(line=t.line, seq=seq, left=left[1:] if seq is not None else left, gov=t.text == "是",
                          amounts=[Decimal(x.text.replace(",", "")) for x in run[:5]], rate_text=run[5].text,
                          gov_start=t.start, rate_start=run[5].start, rate_end=run[5].start + len(run[5].text))
    return None


def _is_header_line(toks: list[_Tok]) -> bool:
    return bool(toks) and all(re.sub(r"\d{4}", "", t.text) in _HEADER_CHARS or t.text.startswith("附件")
                              for t in toks)


def _columns(header: list[list[_Tok]], source: str) -> tuple[dict[str, int], list[int]]:
    """Positions of the left header words and of the 18 text columns' header words."""
    left: dict[str, int] = {}
    right: list[tuple[int, str]] = []
    for toks in header:
        for t in toks:
            if t.text in _LEFT_WORDS:
                left.setdefault(_LEFT_WORDS[t.text], t.start)
            role = _header_role(t.text)
            if role:
                right.append((t.start, role))
    # one position per column: header words of one column stacked on several lines share it
    right.sort()
    merged: list[tuple[int, str]] = []
    for pos, role in right:
        if merged and merged[-1][1] == role and pos - merged[-1][0] <= 2:
            continue
        merged.append((pos, role))
    roles = [r for _, r in merged]
    expected = ["goal", "completion", *(["target", "actual"] * len(DISCLOSURE_2019)), "problems", "rectification"]
    if roles != expected:
        raise InputError(
            f"按版面抽取的文本（pdftotext -layout）中找不到附件2-3的18个文字列的表头（找到 {len(roles)} 个）；"
            "请改为导入 PDF 文件",
            f"in this layout text (pdftotext -layout) the column header of the 附件2-3 table's 18 text columns "
            f"was not found (found {len(roles)} of them); import the PDF itself instead", source=source)
    return left, [p for p, _ in merged]


def _column_of(start: int, bounds: list[int]) -> tuple[int, bool]:
    """Index of the text column whose header word is the first at or after ``start``, and
    whether the piece starts so near a column's edge that it may belong to the neighbour
    (pdftotext squeezes the pieces of a dense row to the left or pushes them to the right)."""
    for c, h in enumerate(bounds):
        if start <= h + TOLERANCE:
            return c, abs(start - h) <= NEAR or (c > 0 and start - bounds[c - 1] <= NEAR + TOLERANCE)
    return len(bounds) - 1, False


_PAGE_NUMBER = re.compile(r"[-－—]\s*\d+\s*[-－—]|第\s*\d+\s*页(?:\s*[/／，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+")


def _strip_page_headers(lines: list[str]) -> tuple[list[str], list[int], dict[int, list[int]]]:
    """Blank out the column header repeated at the top of each page and page-number lines.

    Also returns each line's page (a form feed starts a page) and, per page, the lines of the
    header blanked at its top: pdftotext positions each page on its own, so every page's
    columns are read from its own header."""
    out: list[str] = []
    pages: list[int] = []
    headers: dict[int, list[int]] = {}
    page = 0
    at_page_top = True
    for i, ln in enumerate(lines):
        if "\f" in ln:
            if out and ln.startswith("\f"):
                page += 1
            at_page_top = True
            ln = ln.replace("\f", "")
        pages.append(page)
        if _PAGE_NUMBER.fullmatch(ln.strip()):
            out.append("")
            continue
        if at_page_top and ln.strip():
            toks = [t.group() for t in _TOKEN.finditer(ln)]
            if all(re.sub(r"\d{4}", "", t) in _HEADER_CHARS for t in toks):
                out.append("")
                headers.setdefault(page, []).append(i)
                continue
            at_page_top = False
        out.append(ln)
    return out, pages, headers


@dataclass
class _Page:
    """Where a page's columns are: pdftotext sets every page's positions on its own."""
    left: dict[str, int]
    bounds: list[int]
    text_from: int = 0
    gov_start: int = 0


def _join(parts: list[str]) -> str:
    text = ""
    for p in parts:
        if text and re.match(r"[A-Za-z0-9]", p) and re.search(r"[A-Za-z0-9]$", text):
            text += " "
        text += p
    return text


def _assign(entries: list[tuple[int, str]], rows: list[_NumberRow], key) -> None:
    """Give each line of one column (``key``) to its project.

    Between two number rows, a column's lines belong to the upper project down to the widest
    vertical gap between them (the number rows themselves count as lines): cells are apart
    by at least their padding and borders, while the lines of one cell, even when pdftotext
    interleaves other columns' baselines with them, follow each other closely. Lines above
    the first number row go to the first project, below the last to the last. A gap that is
    not wider than two lines, or not the only widest one, makes the cut unsure (confidence)."""
    lines = [r.line for r in rows]
    by_gap: dict[int, list[tuple[int, str]]] = {}
    for e in entries:
        k = bisect.bisect_right(lines, e[0]) - 1  # the number row at or above this line
        if k < 0:
            rows[0].cells.setdefault(key, []).append(e)
        elif e[0] == lines[k] or k == len(lines) - 1:
            rows[k].cells.setdefault(key, []).append(e)
        else:
            by_gap.setdefault(k, []).append(e)
    for k, between in by_gap.items():
        between.sort()
        stops = [lines[k], *(e[0] for e in between), lines[k + 1]]
        gaps = [b - a for a, b in zip(stops, stops[1:])]
        widest = max(gaps)
        cut = gaps.index(widest)  # the widest gap follows stops[cut]: entries before it go up
        rows[k].cells.setdefault(key, []).extend(between[:cut])
        rows[k + 1].cells.setdefault(key, []).extend(between[cut:])
        if widest <= 2 or gaps.count(widest) > 1:
            rows[k].cut.add(key)
            rows[k + 1].cut.add(key)


STACK_GAP = 3  # pieces of one cell start within this many characters of each other


def _separate(row: _NumberRow, n: int) -> None:
    """One cell per column and row: where a column of this row holds two stacks of lines side by
    side (starts ``STACK_GAP`` or more apart, line ranges overlapping) and a neighbouring column
    of the row is empty, the stack on that side moves there (a cell that pdftotext set left or
    right of its column's header word); the moved cell is marked unsure."""
    for c in range(n):
        entries = row.cells.get(c)
        if not entries:
            continue
        starts = sorted({e[2] for e in entries})
        if len(starts) < 2:
            continue
        jumps = [(b - a, i) for i, (a, b) in enumerate(zip(starts, starts[1:]))]
        gap, i = max(jumps)
        if gap < STACK_GAP:
            continue
        left = [e for e in entries if e[2] <= starts[i]]
        right = [e for e in entries if e[2] > starts[i]]
        lo_l, hi_l = min(e[0] for e in left), max(e[0] for e in left)
        lo_r, hi_r = min(e[0] for e in right), max(e[0] for e in right)
        if hi_l < lo_r or hi_r < lo_l:
            continue
        empty_right = next((k for k in range(c + 1, n) if not row.cells.get(k)), None)
        empty_left = next((k for k in range(c - 1, -1, -1) if not row.cells.get(k)), None)
        if empty_right is not None and (empty_left is None or empty_right - c <= c - empty_left):
            for k in range(empty_right, c + 1, -1):  # the cells in between move one column right
                row.cells[k] = row.cells.pop(k - 1)
                row.near.add(k)
            row.cells[c], row.cells[c + 1] = left, right
            row.near.add(c + 1)
        elif empty_left is not None:
            for k in range(empty_left, c - 1):
                row.cells[k] = row.cells.pop(k + 1)
                row.near.add(k)
            row.cells[c - 1], row.cells[c] = left, right
            row.near.add(c - 1)


def _pages(first_header: list[list[_Tok]], raw: list[str], page_of: list[int],
           page_headers: dict[int, list[int]], rows: list[_NumberRow], body_start: int,
           source: str) -> list[_Page]:
    """Each page's columns: from its own repeated header where it has one that names the 18 text
    columns, else the previous page's (the first page's header must name them)."""
    left, bounds = _columns(first_header, source)
    first = page_of[body_start] if body_start < len(page_of) else 0
    out: list[_Page] = []
    for p in range(page_of[-1] + 1 if page_of else 1):
        if p > first and p in page_headers:
            try:
                left, bounds = _columns(_tokens([raw[i].replace("\f", "") for i in page_headers[p]]), source)
            except InputError:
                pass  # keep the previous page's columns
        page = _Page(dict(left), list(bounds))
        on_page = [r for r in rows if page_of[r.line] == p]
        if on_page:
            page.text_from = min(r.rate_start for r in on_page)
            page.gov_start = min(r.gov_start for r in on_page)
        elif out:
            page.text_from, page.gov_start = out[-1].text_from, out[-1].gov_start
        out.append(page)
    for k in range(len(out) - 2, -1, -1):  # pages before the first number row: the next page's
        if not any(page_of[r.line] <= k for r in rows):
            out[k].text_from, out[k].gov_start = out[k + 1].text_from, out[k + 1].gov_start
    return out


def read_layout_text(text: str, source: str = "<text>") -> ImportResult:
    """Read ``pdftotext -layout`` text of a 附件2-3 table; raises only InputError."""
    raw = text.split("\n")
    lines, page_of, page_headers = _strip_page_headers(raw)
    toks = _tokens(lines)
    rows: list[_NumberRow] = []
    for line_toks in toks:
        row = _number_row(line_toks)
        if row is not None:
            rows.append(row)
    if not rows:
        raise InputError("这不是预算项目绩效自评情况公开表的文本：找不到项目的数字行（是/否、五个金额、执行率）",
                         "this is not the text of a 预算项目绩效自评情况公开表: no project number rows "
                         "(是/否, five amounts, a rate) found", source=source)
    # the header: lines before the first number row that are header words only
    head_end = rows[0].line
    header_lines = [t for t in toks[:head_end] if _is_header_line(t)]
    body_start = max((i for i, t in enumerate(toks[:head_end]) if _is_header_line(t)), default=-1) + 1
    pages = _pages(header_lines, raw, page_of, page_headers, rows, body_start, source)

    # right part: every piece after the rate column, by column, then runs of lines
    per_col: dict[int, list[tuple[int, str]]] = {}
    lefts: dict[str, list[tuple[int, str]]] = {"unit": [], "name": []}
    number_lines = {r.line: r for r in rows}
    unsure: list[tuple[int, int]] = []
    for line_toks in toks[body_start:]:
        if not line_toks or _is_totals(line_toks):
            continue
        page = pages[page_of[line_toks[0].line]]
        bounds, name_at = page.bounds, page.left.get("name")
        prev_col, prev_end = -1, -2
        for t in line_toks:
            squeezed = t.start - prev_end < 2
            prev_end = t.start + len(t.text)
            if t.line in number_lines and t.start < number_lines[t.line].rate_end:
                continue
            # text columns: on a number row, what follows its rate; on other lines, what starts
            # past the rate column's left end (no other text lies right of 是/否 there, and
            # pdftotext may set a merged number line further right than the cells around it)
            if t.start >= (number_lines[t.line].rate_end if t.line in number_lines else page.text_from):
                c, near = _column_of(t.start, bounds)
                if squeezed and prev_col >= c:  # merged with its left neighbour's line: the next column
                    c, near = min(prev_col + 1, len(bounds) - 1), True  # inferred, so unsure
                prev_col = c
                per_col.setdefault(c, []).append((t.line, t.text, t.start))
                if near:
                    unsure.append((t.line, c))
            elif t.start < page.gov_start - TOLERANCE and name_at is not None:
                lefts["name" if t.start >= name_at - 2 - TOLERANCE else "unit"].append((t.line, t.text))
    n = len(pages[0].bounds)
    for c, entries in per_col.items():
        _assign(entries, rows, c)
    for r in rows:
        _separate(r, n)
    for line, c in unsure:  # the cell that received a piece placed near a column's edge
        for r in rows:
            if any(e[0] == line for e in r.cells.get(c, ())):
                r.near.add(c)
    for r in rows:  # the pieces of the number row itself, left of 是/否
        name_at = pages[page_of[r.line]].left.get("name")
        for t in r.left:
            (lefts["name"] if name_at is not None and t.start >= name_at - 2 - TOLERANCE else lefts["unit"]).append(
                (t.line, t.text))
    for role in ("unit", "name"):
        _assign(lefts[role], rows, role)

    printed = [Decimal(toks_[1].text.replace(",", "")) for toks_ in toks if _is_totals(toks_)]
    check_totals(printed, [r.amounts[0] for r in rows], source)
    report: list[str] = ["按版面（pdftotext -layout）逐列读取；单元格按位置归属，请核对 / read by position from "
                         "pdftotext -layout text; cells are placed by their position: check them"]
    header = read_header(text.split("\n")[:max(head_end, 1)], report)
    return _result(header, rows, report, source)


def _cell(row: _NumberRow, key) -> str:
    entries = sorted(row.cells.get(key, []), key=lambda e: e[0])
    return _join([e[1] for e in entries])


def _result(header: dict, rows: list[_NumberRow], report: list[str], source: str) -> ImportResult:
    year = header["year"]
    if year is None:
        raise InputError("表头中找不到年度（如“2019年度…公开表”）",
                         "no year found in the header (such as “2019年度…公开表”)", source=source)
    projects: list[Project] = []
    confidence: dict[str, float] = {}
    previous = 0
    for i, r in enumerate(rows):
        seq = r.seq if r.seq is not None else previous + 1
        previous = seq
        cells = {f: _cell(r, c) for c, f in enumerate(CELL_FIELDS)}
        budget, total, general, fund, nonfiscal = r.amounts
        projects.append(Project(
            seq=seq, unit_name=_cell(r, "unit"), name=_cell(r, "name"), gov_investment=r.gov,
            budget=budget, actual_total=total, actual_general_budget=general, actual_gov_fund=fund,
            actual_non_fiscal=nonfiscal, execution_rate_text=r.rate_text,
            annual_goal=cells["annual_goal"], overall_completion=cells["overall_completion"],
            indicators={k: read_not_applicable(IndicatorCell(target=cells[f"indicators.{k}.target"],
                                                             actual=cells[f"indicators.{k}.actual"]))
                        for k in DISCLOSURE_2019},
            problems=cells["problems"], rectification=cells["rectification"]))
        p = f"projects[{i}]"
        confidence[f"{p}.seq"] = 1.0 if r.seq is not None else 0.6
        for f in ("gov_investment", "budget", "actual_total", "actual_general_budget", "actual_gov_fund",
                  "actual_non_fiscal", "execution_rate"):
            confidence[f"{p}.{f}"] = 1.0
        for f in ("unit_name", "name"):
            confidence[f"{p}.{f}"] = CELL_CONFIDENCE
        for c, f in enumerate(CELL_FIELDS):
            confidence[f"{p}.{f}"] = CUT_CONFIDENCE if c in r.cut or c in r.near else CELL_CONFIDENCE
        unsure = [f for c, f in enumerate(CELL_FIELDS) if c in r.cut or c in r.near]
        if unsure:
            report.append(f"第{i + 1}行（序号 {seq}）：按位置归属不确定的单元格，请核对 / row {i + 1} (seq {seq}): "
                          f"cells placed by an unsure position, check them: {', '.join(unsure)}")
        if r.seq is None:
            report.append(f"第{i + 1}行：找不到序号，按上一行加一 / row {i + 1}: no 序号, took the previous one plus one")
    table = Table(year=year, department=header["department"] or "未注明", projects=projects,
                  money_unit=header["money_unit"] or MoneyUnit.WAN_YUAN, attachment=header["attachment"],
                  title=header["title"])
    return ImportResult(table=table, kind="text", report=report, confidence=confidence)
