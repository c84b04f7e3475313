"""Read a 附件2-3 table from the text ``pdftotext -layout`` makes of its PDF.

Why a reader of its own: with ``-layout`` pdftotext keeps every text line of the page as one
line and places each piece at a column near its position on the page, so the cells of one
table row sit *side by side* on many lines instead of one after another (the plain reading
order ``text_read`` expects). Read in order, such text is a shuffle of all the row's cells.
Read by position, it is a grid:

1. **Number rows** anchor the projects: one line holding 是/否, five amounts and a percentage
   (the same pattern as the plain reader's, on one line here).
2. **Columns** come from the column header: the 18 text columns' header words (年初绩效目标,
   绩效目标整体完成情况, seven 年度指标内容/完成情况 pairs, 项目执行中存在的问题, 整改情况) give each
   column's position, and 项目名称's position tells 单位名称 from 项目名称. pdftotext positions every
   page on its own, so each page is read by the columns of the header repeated at its top.
3. **Stacks, rows, cells.** Header positions only approximate where a cell's text starts
   (pdftotext assigns positions per text block, proportionally where blocks overlap, so one
   column's cells start up to 10 characters apart from row to row), but the wrapped lines of
   one cell share their left edge. So the pieces of the text columns are chained into
   *stacks* (``_stack_up``: a piece continues the stack whose last line is at most three lines
   above it and starts within one character); each row's text ends at the line boundary
   between two number rows that the fewest links of stacks cross (``_cut_lines``); and a
   dynamic programme gives each row's stacks to the 18 columns jointly (``_place_row``): the
   stacks in the order of their left edges, each column taking a run of them that shares no
   line (several stacks of one cell: a line set off its edge, a piece merged with its
   neighbour's line), an empty column at a cost, a stack far from its column's header word at
   a small cost. Pieces on the number row that line up with no stack (pdftotext may set that
   line further right) are placed in the same order, less that line's shift. The lines of
   单位名称 and 项目名称 go to the row whose text they lie in, by the same line boundaries.
4. A cell's lines are joined without spaces (CJK text wraps anywhere), a space kept only
   between two Latin letters or digits.

Headers repeated at the top of each page (a form feed starts a page) are dropped: from a
page's first line, every line whose pieces are all parts of the 附件2-3 column header; so are
page numbers (``1/3``, ``- 2 -``, ``第1页/共1页``).

It reads only the 2019 layout (seven indicator pairs, ``DISCLOSURE_2019``); text whose header
has another number of columns is refused with a message saying what was found. A reading whose
projects' budgets do not add up to the table's own 合计 row is refused too (a project was missed).

Confidence is calibrated on what it achieves, not hoped for (``bench/text_fidelity.py``: the
-layout text of jixiao's and LibreOffice's PDF of 12 reference tables): a text cell whose column
took exactly one stack, not cut between two rows, has confidence 0.7 (all 4 596 such cells
right); one made of several stacks, cut between two rows, or left empty, 0.4 (468 of 480 right;
these cells are listed in the report). Every amount is exact or the row is not found
(confidence 1).
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
    cost: float = 0.0  # the cost of the placement of its text cells (``_place_row``)
    unsure: set = field(default_factory=set)  # text columns placed on weak evidence


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

    # right part: every piece after the rate column; left part: 单位名称 and 项目名称
    lefts: dict[str, list[tuple[int, str]]] = {"unit": [], "name": []}
    number_lines = {r.line: r for r in rows}
    pieces: list[_Piece] = []
    for line_toks in toks[body_start:]:
        if not line_toks or _is_totals(line_toks):
            continue
        page = pages[page_of[line_toks[0].line]]
        name_at = page.left.get("name")
        prev_end = -2
        for t in line_toks:
            squeezed = t.start - prev_end < 2  # one space after the previous piece: merged with it
            prev_end = t.start + len(t.text)
            if t.line in number_lines and t.start < number_lines[t.line].rate_end:
                continue
            # text columns: on a number row, what follows its rate; on other lines, what starts
            # past the rate column's left end (no other text lies right of 是/否 there, and
            # pdftotext may set a merged number line further right than the cells around it)
            if t.start >= (number_lines[t.line].rate_end if t.line in number_lines else page.text_from):
                pieces.append(_Piece(t.line, t.start, t.text, page_of[t.line], t.line in number_lines, squeezed))
            elif t.start < page.gov_start - TOLERANCE and name_at is not None:
                lefts["name" if t.start >= name_at - 2 - TOLERANCE else "unit"].append((t.line, t.text))
    cuts = _place_text_cells(pieces, rows, pages, page_of, toks, body_start)
    for r in rows:  # the pieces of the number row itself, left of 是/否
        name_at = pages[page_of[r.line]].left.get("name")
        for t in r.left:
            (lefts["name"] if name_at is not None and t.start >= name_at - 2 - TOLERANCE else lefts["unit"]).append(
                (t.line, t.text))
    for role in ("unit", "name"):  # each row's lines end where its text cells' do
        for e in lefts[role]:
            rows[bisect.bisect_right(cuts, e[0])].cells.setdefault(role, []).append(e)

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
            confidence[f"{p}.{f}"] = CUT_CONFIDENCE if c in r.unsure else CELL_CONFIDENCE
        unsure = [f for c, f in enumerate(CELL_FIELDS) if c in r.unsure]
        if unsure:
            report.append(f"第{i + 1}行（序号 {seq}）：按位置归属不确定的单元格，请核对 / row {i + 1} (seq {seq}): "
                          f"cells placed by an unsure position, check them: {', '.join(unsure)}")
        if r.seq is None:
            report.append(f"第{i + 1}行：找不到序号，按上一行加一 / row {i + 1}: no 序号, took the previous one plus one")
    table = Table(year=year, department=header["department"] or "未注明", projects=projects,
                  money_unit=header["money_unit"] or MoneyUnit.WAN_YUAN, attachment=header["attachment"],
                  title=header["title"])
    return ImportResult(table=table, kind="text", report=report, confidence=confidence)


# ---------------------------------------------------------------- placing by stacks

LINK_LINES = 3  # a cell's next line is at most this many text lines below (other cells' baselines interleave)
LINK_SHIFT = 1  # … and starts at most this many characters left or right
COST_EMPTY_COLUMN = 2.0  # a text column of a row left empty (an empty cell prints nothing)
COST_POSITION = 0.4  # per column pitch between a stack's start and its column's header word
COST_MISSED_LINE = 0.6  # a cell spanning the number row that takes no piece of it
COST_LOOSE_PIECE = 0.9  # a number-row piece that does not continue the cell's lines at their step
COST_GROUP = 0.3  # per extra stack in one cell
COST_SPREAD = 1.0  # per column pitch between the left edges of the stacks of one cell
MAX_STACKS = 5  # most stacks one cell is made of


@dataclass
class _Piece:
    line: int
    start: int
    text: str
    page: int
    number: bool = False  # on a number row, after its rate (pdftotext shifts that line right)
    squeezed: bool = False  # one space after the previous piece of its line (merged with it)


@dataclass
class _Stack:
    pieces: list
    split: bool = False  # cut from a stack that ran across two rows

    @property
    def first(self) -> int:
        return self.pieces[0].line

    @property
    def last(self) -> int:
        return self.pieces[-1].line

    @property
    def start(self) -> float:
        starts = sorted(p.start for p in self.pieces if not p.squeezed) or [self.pieces[0].start]
        return starts[len(starts) // 2]


def _stack_up(pieces: list[_Piece]) -> list[_Stack]:
    """Chain the pieces of the text columns into stacks: a piece continues the stack whose last
    piece is at most ``LINK_LINES`` lines above it, on the same page, and whose last piece off
    the number row starts within ``LINK_SHIFT`` characters of it (a cell's wrapped lines share
    their left edge). A squeezed piece, whose position pdftotext shifted, starts a stack of its
    own; so does a number-row piece that lines up with no stack (that line is often shifted)."""
    stacks: list[_Stack] = []
    open_: list[tuple[_Stack, _Piece]] = []  # (stack, its last piece off the number row)
    for p in sorted(pieces, key=lambda p: (p.line, p.start)):
        open_ = [(s, ref) for s, ref in open_ if p.line - s.last <= LINK_LINES and ref.page == p.page]
        best = None
        for s, ref in open_:
            if s.last < p.line and abs(ref.start - p.start) <= LINK_SHIFT:
                key = (p.line - s.last, abs(ref.start - p.start))
                if best is None or key < best[0]:
                    best = (key, s)
        if best is not None:
            s = best[1]
            s.pieces.append(p)
            if not p.number:
                open_ = [(t, p if t is s else ref) for t, ref in open_]
        else:
            s = _Stack([p])
            stacks.append(s)
            if not p.number:
                open_.append((s, p))
    return stacks


def _links(stacks: list[_Stack]) -> list[tuple[int, int, float]]:
    """Every link between two consecutive lines of a stack, (upper line, lower line, weight): 1
    for a link at the stack's usual step, less for a longer one (a cell's lines follow each
    other evenly; a longer link may join the cells of two rows that line up)."""
    out = []
    for s in stacks:
        lines = [p.line for p in s.pieces]
        steps = sorted(b - a for a, b in zip(lines, lines[1:]))
        if not steps:
            continue
        usual = steps[len(steps) // 2]
        out.extend((a, b, 1.0 if b - a <= usual else LONG_LINK) for a, b in zip(lines, lines[1:]))
    return out


LONG_LINK = 0.3


def _misfit(lines: list[int], line: int, align: int | None) -> float:
    """How far a cell's lines are from where the table's vertical alignment puts them around its
    number row's line: its first line at it (top, 0), its middle (1), its last line (2)."""
    if not lines or align is None:
        return 0.0
    return abs((lines[0], (lines[0] + lines[-1]) / 2, lines[-1])[align] - line)


def _alignment(stacks: list[_Stack], rows: list[_NumberRow], cuts: list[int]) -> int | None:
    """The table's vertical alignment of cells (0 top, 1 middle, 2 bottom): the one that puts
    the whole (uncut) multi-line stacks nearest their number row's line, by median distance."""
    fits: list[list[float]] = [[], [], []]
    for s in stacks:
        if s.split or len(s.pieces) < 2:
            continue
        row = rows[bisect.bisect_right(cuts, s.first)]
        lines = [p.line for p in s.pieces]
        for a in range(3):
            fits[a].append(_misfit(lines, row.line, a))
    if not fits[0]:
        return None
    medians = [sorted(f)[len(f) // 2] for f in fits]
    return medians.index(min(medians))


def _cut_lines(stacks: list[_Stack], rows: list[_NumberRow], blank: set[int], align: int | None = None) -> list[int]:
    """Where each row's text ends: between two number rows, the line boundary crossed by the
    fewest links of stacks (cells of two rows never share a line of text, a cell's lines follow
    each other at an even step: a longer link counts less); on a tie the one that puts the cells
    it cuts nearest where the table's vertical alignment (``align``) expects them, then the one
    inside the longest run of blank lines, then the one nearest the middle. Returns, per row,
    the first line of the next row (a large number for the last)."""
    links = sorted(_links(stacks))
    uppers = [u for u, _, _ in links]
    by_first = sorted(stacks, key=lambda st: st.first)
    firsts = [st.first for st in by_first]
    longest = max((st.last - st.first for st in stacks), default=0)
    cuts = []
    for a, b in zip(rows, rows[1:]):
        la, lb = a.line, b.line
        best = None
        near = [x for x in links[bisect.bisect_left(uppers, la - LINK_LINES):bisect.bisect_left(uppers, lb)]
                if x[1] > la]
        touching = [[p.line for p in st.pieces]
                    for st in by_first[bisect.bisect_left(firsts, la - longest):bisect.bisect_right(firsts, lb)]
                    if st.last > la] if align is not None else []
        for y in range(la + 1, lb + 1):  # cut above line y
            crossing = round(sum(w for u, v, w in near if u < y <= v), 6)
            misfit = sum(_misfit([ln for ln in lines if ln < y], la, align) +
                         _misfit([ln for ln in lines if ln >= y], lb, align) for lines in touching)
            run = 0
            k = y - 1
            while k > la and k in blank:
                run += 1
                k -= 1
            k = y
            while k < lb and k in blank:
                run += 1
                k += 1
            key = (crossing, round(misfit, 6), -run, abs(2 * y - la - lb))
            if best is None or key < best[0]:
                best = (key, y)
        cuts.append(best[1])
    cuts.append(10 ** 9)
    return cuts


def _split_at(stacks: list[_Stack], cuts: list[int]) -> list[_Stack]:
    """Cut the stacks that run across a row's end; their parts are marked (weak evidence)."""
    out = []
    for s in stacks:
        parts: list[list[_Piece]] = [[]]
        for p in s.pieces:
            if parts[-1] and bisect.bisect_right(cuts, parts[-1][-1].line) != bisect.bisect_right(cuts, p.line):
                parts.append([])
            parts[-1].append(p)
        out.extend(_Stack(part, split=len(parts) > 1) for part in parts)
    return out


def _meets(group: list[_Stack], line: int) -> tuple[bool, bool]:
    """Does a cell made of these stacks skip the number row's line (its lines run above and
    below it, at their own step, without one there), and would a piece on that line continue
    it (on its step, or one step beyond either end)?"""
    lines = sorted(p.line for s in group for p in s.pieces)
    if line in lines:
        return False, False
    steps = [b - a for a, b in zip(lines, lines[1:])]
    step = min(steps) if steps else 0
    if not step:
        return False, abs(lines[0] - line) <= 2
    on_step = (line - lines[0]) % step == 0
    return lines[0] < line < lines[-1] and on_step, on_step and lines[0] - step <= line <= lines[-1] + step


def _place_row(row: _NumberRow, stacks: list[_Stack], bounds: list[int], shift: int) -> float:
    """Give a row's stacks to its text columns jointly: a dynamic programme over the columns,
    each taking a run of the stacks ordered by their left edge (the stacks of one cell share no
    line of text). A piece of the number row that joined no stack is a stack of its own, placed
    by its start less ``shift`` (how far right pdftotext set this number row). Returns the cost
    of the placement: the evidence of how well the stacks make up the row's cells."""
    n = len(bounds)
    L = row.line

    def x(s: _Stack) -> float:
        return s.start - shift if len(s.pieces) == 1 and s.pieces[0].number else s.start

    items = sorted(stacks, key=lambda s: (x(s), s.first))
    lines = [{p.line for p in s.pieces} for s in items]
    pitch = max((bounds[-1] - bounds[0]) / max(n - 1, 1), 1.0)

    def cost_of(group: list[_Stack], c: int) -> tuple[float, bool]:
        """The cost of ``group`` as column ``c``'s cell, and whether that is weak evidence."""
        if not group:
            return COST_EMPTY_COLUMN, True
        big = max(group, key=lambda s: len(s.pieces))
        cost = COST_POSITION * abs(x(big) - bounds[c]) / pitch + COST_GROUP * (len(group) - 1) + \
            COST_SPREAD * sum(abs(x(s) - x(big)) for s in group) / pitch
        loose = [s for s in group if len(s.pieces) == 1 and s.pieces[0].number]
        solid = [s for s in group if s not in loose]
        weak = len(group) > 1 or any(s.split for s in group)
        if solid:
            spans, touches = _meets(solid, L)
            if not loose and spans:
                cost += COST_MISSED_LINE
                weak = True
            if loose and not touches:
                cost += COST_LOOSE_PIECE
        return cost, weak

    m = len(items)
    INF = float("inf")
    best = [[INF] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for c in range(n):
        for i in range(m + 1):
            base = best[c][i]
            if base == INF:
                continue
            if base + COST_EMPTY_COLUMN < best[c + 1][i]:
                best[c + 1][i] = base + COST_EMPTY_COLUMN
                back[c + 1][i] = i
            seen: set[int] = set()
            spans: list[tuple[int, int]] = []
            for i2 in range(i + 1, min(m, i + MAX_STACKS) + 1):
                s = items[i2 - 1]
                if lines[i2 - 1] & seen or (len(s.pieces) > 1 and any(
                        a <= s.last and s.first <= b for a, b in spans)):
                    break  # stacks with a line in common, or interleaved, are two cells
                seen |= lines[i2 - 1]
                if len(s.pieces) > 1:
                    spans.append((s.first, s.last))
                cost = base + cost_of(items[i:i2], c)[0]
                if cost < best[c + 1][i2]:
                    best[c + 1][i2] = cost
                    back[c + 1][i2] = i
    total = best[n][m]
    if total == INF:  # more side-by-side stacks than columns: by position alone, every cell unsure
        for st in items:
            c = min(range(n), key=lambda c: abs(x(st) - bounds[c]))
            row.cells.setdefault(c, []).extend((p.line, p.text, p.start) for p in st.pieces)
        row.unsure.update(range(n))
        return INF
    i = m
    for c in range(n, 0, -1):
        pi = back[c][i]
        entries = [(p.line, p.text, p.start) for s in items[pi:i] for p in s.pieces]
        if entries:
            row.cells[c - 1] = entries
        if cost_of(items[pi:i], c - 1)[1]:
            row.unsure.add(c - 1)
        i = pi
    return total



def _place_text_cells(pieces: list[_Piece], rows: list[_NumberRow], pages: list[_Page], page_of: list[int],
                      toks: list[list[_Tok]], body_start: int) -> list[int]:
    """The 18 text cells of every row: stacks of lines, cut into rows, placed over the columns.
    Returns where each row's text ends (``_cut_lines``)."""
    stacks = _stack_up(pieces)
    blank = {i for i in range(body_start, len(toks)) if not toks[i]}
    cuts = _cut_lines(stacks, rows, blank)
    align = _alignment(_split_at(stacks, cuts), rows, cuts)
    if align is not None:
        cuts = _cut_lines(stacks, rows, blank, align)
    stacks = _split_at(stacks, cuts)
    per_row: dict[int, list[_Stack]] = {}
    for s in stacks:
        per_row.setdefault(bisect.bisect_right(cuts, s.first), []).append(s)
    for k, r in enumerate(rows):
        page = pages[page_of[r.line]]
        r.cost = _place_row(r, per_row.get(k, []), page.bounds, r.rate_start - page.text_from)
    return cuts
