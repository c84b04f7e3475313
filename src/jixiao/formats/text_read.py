"""Import a 附件2-3 table from plain text in the form pdftotext (without ``-layout``) makes.

What the text looks like (see docs/import-text.md): a row's cells come out left to right,
each cell's wrapped lines together, cells separated by a blank line — except cells that
share a baseline, which pdftotext puts on one line separated by a space
(``展各项工作 100.00%``, ``无 无``, ``党建事务 否 267.10 …``).

How we read it:

1. **Number rows anchor the projects.** ``否 3.80 3.79 3.79 0.00 0.00 99.74%`` — 是/否 then
   five amounts then a percentage, in consecutive pieces whatever separates them — is
   unambiguous; every project has exactly one.
2. **序号, 单位名称, 项目名称** lie between the previous project and the number row: the
   nearest integer piece at the start of a line (preferring previous 序号 + 1), then the
   unit name (the next group of lines), then the project name (the rest, joined without
   spaces). When the two names share baselines and their lines interleave, every way to
   deal the lines into two cells is scored by raggedness and the rows vote for the unit
   name they share.
3. **The 18 text cells** after the number row (年初绩效目标, 绩效目标整体完成情况, 14
   indicator cells, 问题, 整改) are the pieces between blank lines and spaces. When a row
   yields exactly 18 such pieces they are taken in column order. Otherwise a dynamic
   program places the pieces: it may split a piece at a line break or join pieces
   across a break, each at a cost, and prefers cells whose wrapped lines fit the width
   that column shows in the rows that did come out as 18 pieces, bare ``100.00%`` in a
   完成情况 column and sentence ends at cell ends. Lines above or below a line that holds
   several cells go to the cell whose column width they fit.

Every placed cell gets a confidence in [0, 1]; the report lists what was unsure or could
not be placed. Text that is not such a table raises :class:`~jixiao.errors.InputError`.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..core import money
from ..core.model import IndicatorCell, Project, Table, read_not_applicable
from ..core.money import MoneyUnit
from ..core.taxonomy import DISCLOSURE_2019
from ..errors import InputError
from . import text_grid
from .text_header import HEADER_WORDS as _HEADER_WORDS
from .text_header import check_totals, read_header_fragments
from .import_result import ImportResult
from .text_layout import BLOCK, LINE, SPACE, Fragment, display_width, fragments

# Longest text accepted (characters). A province's worth of tables is a few MB of text;
# this only guards against feeding something unrelated and huge. See docs/import-text.md.
COLUMN_RUN = 3  # this many 是/否 lines in a row, each on its own line: the text runs column by column
MAX_LOW_SHARE = 0.05  # more than this share of text cells below confidence 0.5: the reading is refused
DEFAULT_MAX_CHARS = 50_000_000

# The 18 text cells after the number row, in column order.
CELL_FIELDS: tuple[str, ...] = (
    ("annual_goal", "overall_completion")
    + tuple(f"indicators.{k}.{part}" for k in DISCLOSURE_2019 for part in ("target", "actual"))
    + ("problems", "rectification")
)
N_CELLS = len(CELL_FIELDS)

_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_RATE = re.compile(r"^-?\d+(\.\d+)?[%％]$")
_INT = re.compile(r"^\d{1,6}$")
_SENTENCE_END = re.compile(r"[。；;！!？?]$")
# Words typical of a column whatever the project: weak evidence for where a cell belongs when
# a row's pieces do not match the columns one to one (an empty cell, a lost blank line).
_AFFINITY = {
    "satisfaction": re.compile(r"满意"),
    "timeliness": re.compile(r"\d+月|\d+日|年底|月底|前完成|及时|按时|按期|时间|时限|周期|进度"),
}
_TOTAL = re.compile(r"^(合\s*计|总\s*计|小\s*计)")
_PAGE_NUMBER = re.compile(r"^([-—–]\s*\d+\s*[-—–]|第\d+页(共\d+页)?|\d+/\d+)$")



@dataclass
class _Row:
    """One project as found in the text, before it becomes a :class:`Project`."""

    seq: int
    seq_sure: bool
    unit_name: str
    name: str
    preamble_note: str
    gov: bool | None
    amounts: list[Decimal]
    rate_text: str
    body: list[Fragment]
    name_candidates: list[tuple[float, str, str]] = field(default_factory=list)
    names_confidence: float = 0.95
    unplaced: str = ""  # text after the 整改 cell that fits no column
    cells: list[str] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- entry point


def read_text(text: str, source: str = "<text>", max_chars: int = DEFAULT_MAX_CHARS) -> ImportResult:
    """Read a 附件2-3 table from pdftotext-style text; never raises anything but InputError."""
    if not isinstance(text, str):
        raise InputError("输入不是文本", "the input is not text", source=source)
    if len(text) > max_chars:
        raise InputError(f"文本过长（{len(text)} 字符，上限 {max_chars}）",
                         f"text too long ({len(text)} characters, limit {max_chars})", source=source)
    if not text.strip():
        raise InputError("文本为空", "the text is empty", source=source)
    if text_grid.is_layout_text(text):
        return text_grid.read_layout_text(text, source)
    frags = fragments(text)
    totals: list[int] = []
    anchors = _number_rows(frags, totals)
    if not anchors:
        if _looks_like_header(frags):
            raise InputError(
                "找到了附件2-3的表头，却找不到项目的数字行（是/否、五个金额、执行率）；"
                "文本可能是按列而不是按行抽取的，请改为导入 PDF 文件",
                "found the 附件2-3 header but no project number rows (是/否, five amounts, a rate); "
                "the text may have been extracted column by column rather than row by row — import the PDF instead",
                source=source)
        raise InputError("这不是预算项目绩效自评情况公开表的文本：找不到项目的数字行",
                         "this is not the text of a 预算项目绩效自评情况公开表: no project number rows found",
                         source=source)
    rows = _rows(frags, anchors, totals)
    check_totals([_total_budget(frags, t) for t in totals], [r.amounts[0] for _, r in rows], source)
    first_seq_at = rows[0][0]
    report: list[str] = []
    if totals:
        report.append("合计行已跳过（合计由程序计算）/ the 合计 (totals) row was skipped: totals are computed")
    header = read_header_fragments(frags[:first_seq_at], report)
    projects_rows = [r for _, r in rows]
    _choose_names(projects_rows)
    _place_all(projects_rows)
    if not any(any(c for c in r.cells) for r in projects_rows):
        raise InputError(
            "找到了项目的数字行，却没有一个项目有文字单元格：文本可能是按列而不是按行抽取的；"
            "请改为导入 PDF 文件，或用 pdftotext -layout 抽取的文本",
            "found number rows but no project has any text cell: the text may have been extracted column by "
            "column rather than row by row — import the PDF itself, or text extracted with pdftotext -layout",
            source=source)
    _refuse_unreadable(frags, anchors, projects_rows, source)
    return _result(header, projects_rows, report, source)


def _refuse_unreadable(frags: list[Fragment], anchors: list[tuple[int, int]], rows: list[_Row], source: str) -> None:
    """Refuse a reading that the text itself shows to be wrong, rather than return it.

    Three signs, all absent from row-by-row text (the seed, every fixture in its form):
    the 是否政府投资项目 column read top to bottom (``COLUMN_RUN`` or more 是/否 lines in a row,
    each a line of its own: pdftotext took the page column by column); a 是/否 line followed by an
    amount outside every number row (a project whose number row is not in one piece: it would
    be missed); more than
    ``MAX_LOW_SHARE`` of the text cells placed with low confidence (< 0.5: the pieces between
    the number rows do not make up the rows' cells, so the cells that did come out are shuffled too).
    """
    run = longest = 0
    for f in frags:
        run = run + 1 if f.text in ("是", "否") and f.ncols == 1 else 0
        longest = max(longest, run)
    used = {i for a, b in anchors for i in range(a, b)}
    orphans = sum(1 for i, f in enumerate(frags[:-1]) if f.text in ("是", "否") and f.ncols == 1 and i not in used
                  and _AMOUNT.match(frags[i + 1].text))
    if orphans:
        raise InputError(
            f"文本不是逐行抽取的：有 {orphans} 个“是/否”之后的金额不在完整的数字行中，会漏掉项目，因此不予导入；"
            "请改为导入 PDF 文件，或用 pdftotext -layout 抽取的文本",
            f"the text was not extracted row by row: {orphans} 是/否 followed by amounts are not part of a whole "
            "number row, so projects would be missed; it is refused — import the PDF itself, or text extracted "
            "with pdftotext -layout", source=source)
    cells = [c for r in rows for c in r.confidence]
    low = sum(c < 0.5 for c in cells)
    if longest >= COLUMN_RUN or (cells and low > MAX_LOW_SHARE * len(cells)):
        why_zh = (f"“是否政府投资项目”一列连续 {longest} 行单独成行" if longest >= COLUMN_RUN
                  else f"{low}/{len(cells)} 个文字单元格无法可靠归属")
        why_en = (f"{longest} 是/否 lines in a row, each on its own" if longest >= COLUMN_RUN
                  else f"{low} of {len(cells)} text cells could not be placed reliably")
        raise InputError(
            f"文本不是逐行抽取的（{why_zh}）：按此读取会得到错位的单元格，因此不予导入；"
            "请改为导入 PDF 文件，或用 pdftotext -layout 抽取的文本",
            f"the text was not extracted row by row ({why_en}): reading it would give misplaced cells, so it "
            "is refused — import the PDF itself, or text extracted with pdftotext -layout", source=source)


# ---------------------------------------------------------------- number rows


def _number_rows(frags: list[Fragment], totals: list[int] | None = None) -> list[tuple[int, int]]:
    """(start, end) fragment ranges of every 是/否 + 5 amounts + rate run, in order.

    A run right after 合计/总计/小计 is the totals row: its start goes to ``totals``.
    """
    out = []
    i = 0
    n = len(frags)
    while i + 5 < n:
        j = i
        if frags[j].text in ("是", "否"):
            j += 1
        k = j
        while k < n and k - j < 5 and _AMOUNT.match(frags[k].text):
            k += 1
        rate_end = k + 1
        if k - j == 5 and k + 1 < n and _AMOUNT.match(frags[k].text) and frags[k + 1].text in ("%", "％"):
            rate_end = k + 2  # "99.74 %": the sign set apart
        if k - j == 5 and k < n and (_RATE.match(frags[k].text) or rate_end == k + 2) and \
                (j > i or _starts_row(frags, i)):
            if j == i and i > 0 and _TOTAL.search(frags[i - 1].text):
                if totals is not None:  # the 合计 row: computed, never imported
                    totals.append(i - 1)
                i = rate_end
                continue
            out.append((i, rate_end))
            i = rate_end
        else:
            i += 1
    return out


def _total_budget(frags: list[Fragment], at: int) -> Decimal | None:
    """The 项目年度预算金额 of the 合计 row whose label is fragment ``at``."""
    try:
        return Decimal(frags[at + 1].text.replace(",", ""))
    except (IndexError, ArithmeticError, ValueError):
        return None


def _starts_row(frags: list[Fragment], i: int) -> bool:
    """Without a 是/否 piece, the first amount must at least not continue a word."""
    return frags[i].sep != LINE or i == 0


def _looks_like_header(frags: list[Fragment]) -> bool:
    hits = sum(1 for f in frags[:2000] if f.text in _HEADER_WORDS)
    return hits >= 5 or any("绩效自评" in f.text for f in frags[:200])


# ---------------------------------------------------------------- rows


def _rows(frags: list[Fragment], anchors: list[tuple[int, int]], totals: list[int]) -> list[tuple[int, _Row]]:
    """Cut the fragments into projects: (index where the project starts, row)."""
    found = []
    prev_end = 0
    prev_seq = 0
    for start, end in anchors:
        row_at, pre_at, seq, sure = _find_seq(frags, prev_end, start, prev_seq + 1)
        found.append((row_at, pre_at, seq, sure, start, end))
        prev_end, prev_seq = end, seq
    rows = []
    for idx, (row_at, pre_at, seq, sure, start, end) in enumerate(found):
        body_end = found[idx + 1][0] if idx + 1 < len(found) else len(frags)
        body_end = min([body_end] + [t for t in totals if end <= t < body_end])
        unit, name, note, candidates = _unit_and_name(frags[pre_at:start])
        nums = [f.text for f in frags[start:end]]
        gov = None
        if nums[0] in ("是", "否"):
            gov = nums[0] == "是"
            nums = nums[1:]
        amounts = [money.parse_amount(t) for t in nums[:5]]
        if len(nums) == 7:  # the rate's % sign came as a piece of its own
            nums[5:] = [nums[5] + "%"]
        rows.append((row_at, _Row(seq=seq, seq_sure=sure, unit_name=unit, name=name, preamble_note=note,
                                  name_candidates=candidates, gov=gov, amounts=amounts, rate_text=nums[5].replace("％", "%"),
                                  body=_clean_body(frags[end:body_end]))))
    return rows


def _find_seq(frags: list[Fragment], lo: int, start: int, expected: int) -> tuple[int, int, int, bool]:
    """Find the 序号 before the number row at ``start``.

    Returns (where the project starts, where its names start, 序号, found as expected).
    """
    fallback = None
    for i in range(start - 1, max(lo, start - 60) - 1, -1):
        f = frags[i]
        if f.sep == SPACE or not _INT.match(f.text):
            continue
        if int(f.text) == expected:
            return i, i + 1, expected, True
        if fallback is None and f.sep == BLOCK:
            fallback = i
    if fallback is not None:
        return fallback, fallback + 1, int(frags[fallback].text), False
    # No 序号 at all: the project starts with the group of lines just before the numbers.
    i = start
    while i > lo and frags[i - 1].sep == LINE:
        i -= 1
    i = max(i - 1, lo) if i > lo else i
    return i, i, expected, False


def _groups(frags: list[Fragment]) -> list[str]:
    """Join fragments into groups: a blank line or a space starts a new group."""
    out: list[str] = []
    for f in frags:
        if f.sep == LINE and out:
            out[-1] += f.text
        else:
            out.append(f.text)
    return out


def _unit_and_name(pre: list[Fragment]) -> tuple[str, str, str, list[tuple[float, str, str]]]:
    """单位名称 and 项目名称 from the pieces between the 序号 and the number row.

    Clean case: two groups (blank line or space between them). When the two cells share
    baselines pdftotext interleaves their lines (``深圳市龙岗|区城市管理 文体活动经费|和综合执法|
    项目|局``); then we return the plausible ways to untangle them as candidates, and
    :func:`_choose_names` picks one using the other rows.
    """
    groups = _groups(pre)
    lines = _text_lines(pre)
    tangled = any(len(line) > 1 for line in lines) or (len(groups) == 1 and len(lines) >= 2)
    if tangled and len(lines) <= 12:
        candidates = _untangle(lines)
        if candidates:
            penalty, unit, name = candidates[0]
            return unit, name, "", candidates
    if not groups:
        return "", "", "单位名称和项目名称都找不到 / neither unit name nor project name found", []
    if len(groups) == 1:
        return "", groups[0], "只找到一个名称，当作项目名称 / only one name found, taken as the project name", []
    note = ""
    if len(groups) > 2:
        note = "项目名称由多段拼成 / project name joined from several pieces"
    return groups[0], "".join(groups[1:]), note, []


def _text_lines(frs: list[Fragment]) -> list[list[str]]:
    """Lines as lists of their space-separated pieces."""
    out: list[list[str]] = []
    for f in frs:
        if f.sep == SPACE and out:
            out[-1].append(f.text)
        else:
            out.append([f.text])
    return out


def _untangle(lines: list[list[str]]) -> list[tuple[float, str, str]]:
    """Every way to deal the lines into two cells (unit left, name right), best first.

    A line with several pieces gives its first piece to the unit and the rest to the name;
    a line with one piece may belong to either. A cell's wrapped lines are all about as
    wide as its column except the last: the penalty is how far its other lines fall short
    of its widest one. Only candidates within 1.5 of the best are kept.
    """
    free = [i for i, line in enumerate(lines) if len(line) == 1]
    if len(free) > 10:
        return []
    found: dict[tuple[str, str], float] = {}
    for mask in range(1 << len(free)):
        to_name = {free[j] for j in range(len(free)) if mask >> j & 1}
        unit_lines, name_lines = [], []
        for i, line in enumerate(lines):
            if len(line) > 1:
                unit_lines.append(line[0])
                name_lines.append("".join(line[1:]))
            elif i in to_name:
                name_lines.append(line[0])
            else:
                unit_lines.append(line[0])
        if not unit_lines or not name_lines:
            continue
        penalty = _ragged(unit_lines) + _ragged(name_lines)
        key = ("".join(unit_lines), "".join(name_lines))
        found[key] = min(penalty, found.get(key, penalty))
    ranked = sorted((p, u, n) for (u, n), p in found.items())
    if not ranked:
        return []
    return [c for c in ranked if c[0] <= ranked[0][0] + 1.5]


def _ragged(lines: list[str]) -> float:
    widths = [display_width(t) for t in lines]
    top = max(widths)
    return sum(top - w for w in widths[:-1])


_ORG_END = re.compile(r"(局|委|委员会|办|办公室|会|联|馆|院|所|站|中心|处|队|校|学|园|部|室|厅|协|团|机关|政府|街道|社区)$")


def _is_org(name: str) -> bool:
    return bool(_ORG_END.search(name))


def _choose_names(rows: list[_Row]) -> None:
    """Untangle each interleaved 单位名称/项目名称 using what the other rows say.

    A department's rows mostly share a few unit names. A candidate unit name gets two
    votes for every row where it came out clean and one for every tangled row that
    allows it; each tangled row takes its best-voted candidate (fewest ragged lines on a
    tie, where a unit name that ends like an organisation — 局, 委员会, 中心 … — is
    preferred: weak evidence, but the only one left when two names wrap alike).
    """
    votes: dict[str, int] = {}
    for r in rows:
        if r.name_candidates:
            for u in {c[1] for c in r.name_candidates}:
                votes[u] = votes.get(u, 0) + 1
        elif r.unit_name:
            votes[r.unit_name] = votes.get(r.unit_name, 0) + 2
    for r in rows:
        if not r.name_candidates:
            continue
        best = max(r.name_candidates,
                   key=lambda c: (votes.get(c[1], 0), -c[0] + 0.8 * _is_org(c[1]) - 0.8 * _is_org(c[2])))
        r.unit_name, r.name = best[1], best[2]
        r.names_confidence = 0.9 if len(r.name_candidates) == 1 else 0.7


def _clean_body(body: list[Fragment]) -> list[Fragment]:
    """Drop a repeated page header and page numbers that fall between two projects."""
    body = [f for f in body if not _PAGE_NUMBER.match(f.text)]
    marks = [i for i, f in enumerate(body) if f.text in _HEADER_WORDS]
    if len(marks) < 4:
        return body
    first, last = marks[0], marks[-1]
    breaks = [i for i, f in enumerate(body[:first + 1]) if f.page_break]
    if breaks:
        first = breaks[-1]
    else:  # the header starts at the block holding its first word
        while first > 0 and body[first].sep != BLOCK:
            first -= 1
    return body[:first] + body[last + 1:]


# ---------------------------------------------------------------- header


# ---------------------------------------------------------------- placing the text cells


@dataclass
class _Merge:
    """A line on which pdftotext put several cells (they shared a baseline).

    The lines of its block above it (``above``) and below it (``below``) belong to one of
    the cells on it. The plain reading gives ``above`` to the first cell and ``below`` to
    the last (the seed's ``设备运行稳|…|展各项工作 100.00%`` and ``整理成本 文书档案整理成本≤|
    4.11万元。``); top-aligned cells come out the other way round (``举办活动≥20场 100.00%|次。``).
    """

    first: int  # index of the piece holding the line's first cell
    last: int  # index of the piece holding its last cell
    above: list[Fragment]
    head: list[Fragment]  # the first cell's piece on the merged line
    tail: list[Fragment]  # the last cell's piece on the merged line
    below: list[Fragment]


def _pieces(body: list[Fragment]) -> tuple[list[list[Fragment]], list[_Merge], set[int]]:
    """Cut at every blank line and space: the cell candidates of the plain reading.

    Also returns the merged lines whose neighbours could belong elsewhere, and the
    indices of pieces that came from blocks with merged lines (not used to learn widths).
    """
    out: list[list[Fragment]] = []
    merges: list[_Merge] = []
    touched: set[int] = set()
    i = 0
    n = len(body)
    while i < n:
        j = i + 1
        while j < n and body[j].sep != BLOCK:
            j += 1
        block = body[i:j]
        lines: list[list[Fragment]] = []
        for f in block:
            if f.sep == SPACE and lines:
                lines[-1].append(f)
            else:
                lines.append([f])
        multi = [r for r, line in enumerate(lines) if len(line) > 1]
        start = len(out)
        for f in block:
            if f.sep == LINE and out and len(out) > start:
                out[-1].append(f)
            else:
                out.append([f])
        if multi:
            touched.update(range(start, len(out)))
        if len(multi) == 1:
            r = multi[0]
            above = [f for line in lines[:r] for f in line]
            below = [f for line in lines[r + 1:] for f in line]
            if above or below:
                merges.append(_Merge(first=start, last=start + len(lines[r]) - 1, above=above,
                                     head=[lines[r][0]], tail=[lines[r][-1]], below=below))
        i = j
    return out, merges, touched


def _as_line(f: Fragment) -> Fragment:
    return f if f.sep == LINE else replace(f, sep=LINE)


def _settle_merges(pieces: list[list[Fragment]], merges: list[_Merge], widths: list[float | None]) -> None:
    """For each merged line, give the lines above and below to the cells they fit best.

    Only for rows whose pieces are already one per column, so each piece's column (and so
    its wrap width) is known. A bare percentage or 无 never takes extra lines.
    """
    for m in merges:
        best = None
        for above_to_first in (True, False):
            for below_to_last in (True, False):
                if not m.above and not above_to_first or not m.below and not below_to_last:
                    continue
                first = (m.above if above_to_first else []) + m.head + ([] if below_to_last else m.below)
                last = ([] if above_to_first else m.above) + m.tail + (m.below if below_to_last else [])
                if m.first == m.last:
                    continue
                cost = _cell_cost(first, m.head[0], widths[m.first]) + _cell_cost(last, m.tail[0], widths[m.last])
                # the plain reading wins ties
                cost += 0.0 if (above_to_first and below_to_last) else 0.01
                if best is None or cost < best[0]:
                    best = (cost, first, last)
        if best is None:
            continue
        _, first, last = best
        pieces[m.first] = [first[0]] + [_as_line(f) for f in first[1:]]
        pieces[m.last] = [last[0]] + [_as_line(f) for f in last[1:]]


_WHOLE = re.compile(r"^(-?\d+(\.\d+)?[%％]|无|/|—|-)$")


def _cell_cost(frs: list[Fragment], anchor: Fragment, width: float | None) -> float:
    """How badly ``frs`` fits as one cell; ``anchor`` is its piece on the merged line."""
    lines = [f.width for f in frs]
    cost = _width_cost(lines, width)
    if len(frs) > 1 and _WHOLE.match(anchor.text):
        cost += 3.0
    return cost


def _lines_of(frs: list[Fragment]) -> list[float]:
    widths: list[float] = []
    for f in frs:
        if f.sep == LINE or not widths:
            widths.append(f.width)
        else:
            widths[-1] += f.width + 0.5
    return widths


def _place_all(rows: list[_Row]) -> list[float | None]:
    """Place the text cells of every row; returns the column wrap widths it learned."""
    cut = [_pieces(r.body) for r in rows]
    exact = [[None if k in touched else p for k, p in enumerate(pieces)]
             for pieces, _, touched in cut if len(pieces) == N_CELLS]
    widths = _learn_widths(exact)
    for row, (pieces, merges, _) in zip(rows, cut):
        if len(pieces) == N_CELLS:
            _settle_merges(pieces, merges, widths)
            row.cells = [_join(p) for p in pieces]
            row.confidence = [_fit_confidence(p, widths[k], k) for k, p in enumerate(pieces)]
        else:
            # Column unknown here: settle merged lines on content alone (a bare 无 or
            # percentage is a whole cell), then let the dynamic program place the pieces.
            _settle_merges(pieces, merges, [None] * len(pieces))
            _place_dp(row, widths, [f for piece in pieces for f in piece])
    return widths


def _learn_widths(exact: list[list[list[Fragment] | None]]) -> list[float | None]:
    """Per column, the typical width of a wrapped cell's longest line."""
    out: list[float | None] = []
    for k in range(N_CELLS):
        seen = [max(_lines_of(p[k])) for p in exact if p[k] and len(_lines_of(p[k])) >= 2]
        out.append(statistics.median(seen) if seen else None)
    known = [w for w in out if w]
    default = statistics.median(known) if known else None
    return [w if w else default for w in out]


def _join(frs: list[Fragment]) -> str:
    """A cell's text: wrapped lines joined without spaces (CJK), merged pieces with one.

    A line or block break between two Latin letters was a space between words; any
    other break adds nothing (CJK text wraps anywhere, numbers are never split at a space).
    """
    text = ""
    for f in frs:
        if not text:
            text = f.text
        elif f.sep == SPACE or (text[-1].isascii() and text[-1].isalpha() and f.text[0].isascii()
                                and f.text[0].isalpha()):
            text += " " + f.text
        else:
            text += f.text
    return text


def _fit_confidence(frs: list[Fragment], width: float | None, k: int) -> float:
    """High when a piece that came out whole also fits its column's width and content."""
    conf = 0.95
    lines = _lines_of(frs)
    if width and len(lines) >= 2 and max(lines) > width * 1.3 + 1:
        conf -= 0.25
    text = _join(frs)
    if _RATE.match(text) and not CELL_FIELDS[k].endswith("actual"):
        conf -= 0.3
    if any(f.sep == SPACE for f in frs[1:]):
        conf -= 0.2
    return round(max(conf, 0.05), 2)


# Costs of the dynamic program (see docs/import-text.md for what each one means).
COST_SPLIT_LINE = 2.0  # a cell boundary at a line break inside a block
COST_SPLIT_SENTENCE = 0.8  # ... when the line before ends a sentence
COST_SPLIT_SHORT = 1.0  # ... when the line before is clearly shorter than the block's lines above it
COST_SPLIT_WHOLE = 0.5  # ... when the line is a bare percentage or 无 after such a short line
COST_SPLIT_WHOLE_ONLY = 1.5  # ... when it is a bare percentage or 无 after a full line
COST_JOIN_BLOCK = 1.6  # one cell across a blank line
COST_JOIN_SPACE = 3.0  # one cell across a space
COST_EMPTY = 2.0  # an empty cell
COST_RATE_MISPLACED = 2.5  # a bare percentage outside a 完成情况 column
COST_WIDTH = 1.5  # per line, times the relative misfit to the column's wrap width
COST_WHOLE_JOINED = 2.0  # a bare percentage or 无 joined with other text
COST_AFFINITY = 0.6  # bonus: the cell holds a word typical of its column (满意 in 满意度指标 …)
COST_UNPLACED = 2.5  # per piece of text left unplaced after the 整改 cell
MAX_CELL_FRAGMENTS = 60


def _place_dp(row: _Row, widths: list[float | None], body: list[Fragment]) -> None:
    n = len(body)
    if n == 0:
        row.cells = [""] * N_CELLS
        row.confidence = [0.0] * N_CELLS
        row.notes.append("本行没有文字单元格 / this row has no text cells")
        return
    INF = float("inf")
    # Piece index of every fragment: column k may only start near the k-th piece of the
    # plain reading (a band as wide as the surplus or shortfall of pieces, plus 2), which
    # keeps the program linear in the row's length.
    piece_of, p = [], -1
    for f in body:
        p += f.sep != LINE
        piece_of.append(p)
    piece_of.append(p + 1)
    # a piece that is exactly one bare percentage or 无: a whole cell by itself
    whole_piece = [bool(_WHOLE.match(f.text)) and f.sep != LINE and (i + 1 == n or body[i + 1].sep != LINE)
                   for i, f in enumerate(body)]
    band = abs(p + 1 - N_CELLS) + 2
    starts = _boundary_costs(body)
    best = [[INF] * (n + 1) for _ in range(N_CELLS + 1)]
    back = [[-1] * (n + 1) for _ in range(N_CELLS + 1)]
    best[0][0] = 0.0
    for k in range(N_CELLS):
        is_actual = CELL_FIELDS[k].endswith("actual")
        width = widths[k]
        affinity = _AFFINITY.get(CELL_FIELDS[k].split(".")[1] if "." in CELL_FIELDS[k] else "")
        prev, cur, bk = best[k], best[k + 1], back[k + 1]
        for a in range(n + 1):
            base = prev[a]
            if base == INF or abs(piece_of[a] - k) > band:
                continue
            if base + COST_EMPTY < cur[a]:
                cur[a] = base + COST_EMPTY
                bk[a] = a
            if a == n:
                continue
            fixed = base + starts[a]  # start + joins + misfit of finished lines
            last = 0.0  # width of the cell's current (last) line
            whole = False
            hit = False
            for b in range(a + 1, min(n, a + MAX_CELL_FRAGMENTS) + 1):
                f = body[b - 1]
                if piece_of[b - 1] > k + band:  # the cell would run past the band
                    break
                if b - 1 == a:
                    last = f.width
                elif f.sep == LINE:
                    if width:
                        fixed += COST_WIDTH * min(abs(last - width) / width, 1.0)
                    last = f.width
                else:
                    fixed += COST_JOIN_BLOCK if f.sep == BLOCK else COST_JOIN_SPACE
                    if f.sep == SPACE:
                        last += f.width + 0.5
                    else:
                        if width:
                            fixed += COST_WIDTH * min(abs(last - width) / width, 1.0)
                        last = f.width
                whole = whole or whole_piece[b - 1]
                cost = fixed
                if width and last > width * 1.3 + 1:
                    cost += COST_WIDTH
                if b == a + 1:
                    if not is_actual and _RATE.match(f.text):
                        cost += COST_RATE_MISPLACED
                elif whole:
                    cost += COST_WHOLE_JOINED
                if affinity is not None:
                    hit = hit or bool(affinity.search(f.text))
                    if hit:
                        cost -= COST_AFFINITY
                if cost < cur[b]:
                    cur[b] = cost
                    bk[b] = a
    # Text after the 整改 cell may stay unplaced (a footnote under the table, a stamp), at a
    # cost per piece; it is reported verbatim.
    tail = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        tail[i] = tail[i + 1] + (COST_UNPLACED if body[i].sep != LINE else 0.0)
    end = min(range(n + 1), key=lambda b: best[N_CELLS][b] + tail[b] + (starts[b] if b < n else 0.0))
    if best[N_CELLS][end] == INF:  # cannot happen (empty cells are always possible); be safe
        row.cells = [""] * N_CELLS
        row.confidence = [0.0] * N_CELLS
        row.unplaced = _join(body)
        return
    if end < n:
        row.unplaced = _join(body[end:])
    bounds = []
    b = end
    for k in range(N_CELLS, 0, -1):
        a = back[k][b]
        bounds.append((a, b))
        b = a
    bounds.reverse()
    row.cells, row.confidence = [], []
    for k, (a, b) in enumerate(bounds):
        frs = body[a:b]
        row.cells.append(_join(frs))
        conf = 0.75
        if not frs:
            conf = 0.3
        else:
            if a > 0 and body[a].sep == LINE:
                conf -= 0.25
            conf -= 0.2 * sum(1 for f in frs[1:] if f.sep != LINE)
            if widths[k] and len(_lines_of(frs)) >= 2 and max(_lines_of(frs)) > widths[k] * 1.3 + 1:
                conf -= 0.2
        row.confidence.append(round(max(conf, 0.05), 2))
    row.notes.append(f"本行文字块数（{len(_pieces(body)[0])}）与列数（{N_CELLS}）不符，已按列宽推断 / "
                     f"this row has {len(_pieces(body)[0])} text pieces for {N_CELLS} columns; placed by inference")


def _boundary_costs(body: list[Fragment]) -> list[float]:
    """Cost of a cell starting at each fragment: 0 after a blank line or a space.

    At a line break it is COST_SPLIT_LINE, less when the text says a cell may end there:
    the line before ends a sentence, or is clearly shorter than the lines above it in its
    block (a wrapped cell's last line), or the line itself is a whole cell (``100.00%``,
    ``无``) that pdftotext stacked under its left neighbour.
    """
    costs = []
    widest = 0.0  # widest line so far in the current block, before the previous line
    for i, f in enumerate(body):
        if f.sep != LINE:
            costs.append(0.0)
            widest = 0.0
            continue
        prev = body[i - 1]
        cost = COST_SPLIT_LINE
        if _SENTENCE_END.search(prev.text):
            cost = min(cost, COST_SPLIT_SENTENCE)
        short = bool(widest) and prev.width <= widest - 1.5
        whole = bool(_WHOLE.match(f.text)) and (i + 1 == len(body) or body[i + 1].sep != LINE)
        if short:
            cost = min(cost, COST_SPLIT_SHORT)
        if whole:
            # "系统可用率|99.9%" is one cell, "…服务不少于20|户|100.00%" two: a lone
            # percentage after a full line is weak evidence, after a short line strong
            cost = min(cost, COST_SPLIT_WHOLE if short else COST_SPLIT_WHOLE_ONLY)
        costs.append(cost)
        widest = max(widest, prev.width)
    return costs


def _width_cost(lines: list[float], width: float | None) -> float:
    """Wrapped lines of one cell are about as wide as the column; none is much wider."""
    if not width or len(lines) < 1:
        return 0.0
    cost = 0.0
    for w in lines[:-1]:
        cost += COST_WIDTH * min(abs(w - width) / width, 1.0)
    if lines[-1] > width * 1.3 + 1:
        cost += COST_WIDTH
    return cost


# ---------------------------------------------------------------- result


def _result(header: dict, rows: list[_Row], report: list[str], source: str) -> ImportResult:
    confidence: dict[str, float] = {}
    projects = []
    for i, r in enumerate(rows):
        p = f"projects[{i}]"
        budget, total, general, fund, nonfiscal = r.amounts
        cells = dict(zip(CELL_FIELDS, r.cells))
        indicators = {k: read_not_applicable(IndicatorCell(target=cells[f"indicators.{k}.target"],
                                                           actual=cells[f"indicators.{k}.actual"]))
                      for k in DISCLOSURE_2019}
        projects.append(Project(
            seq=r.seq, unit_name=r.unit_name, name=r.name, gov_investment=r.gov,
            budget=budget, actual_total=total, actual_general_budget=general, actual_gov_fund=fund,
            actual_non_fiscal=nonfiscal, execution_rate_text=r.rate_text,
            annual_goal=cells["annual_goal"], overall_completion=cells["overall_completion"],
            indicators=indicators, problems=cells["problems"], rectification=cells["rectification"]))
        confidence[f"{p}.seq"] = 1.0 if r.seq_sure else 0.6
        for f in ("gov_investment", "budget", "actual_total", "actual_general_budget", "actual_gov_fund",
                  "actual_non_fiscal", "execution_rate"):
            confidence[f"{p}.{f}"] = 1.0 if (f != "gov_investment" or r.gov is not None) else 0.0
        name_conf = r.names_confidence if not r.preamble_note else 0.5
        confidence[f"{p}.unit_name"] = name_conf if r.unit_name else 0.0
        confidence[f"{p}.name"] = name_conf if r.name else 0.0
        for f, c in zip(CELL_FIELDS, r.confidence):
            confidence[f"{p}.{f}"] = c
        label = f"第{i + 1}行（序号 {r.seq}，{r.name or '?'}）/ row {i + 1} (seq {r.seq})"
        if not r.seq_sure:
            report.append(f"{label}：序号不是上一行加一或找不到 / seq is not the previous one plus one, or missing")
        if r.preamble_note:
            report.append(f"{label}：{r.preamble_note}")
        if r.gov is None:
            report.append(f"{label}：缺少“是否政府投资项目” / no 是/否 for government investment")
        for note in r.notes:
            report.append(f"{label}：{note}")
        if r.unplaced:
            report.append(f"{label}：未能放入任何单元格的文字 / text not placed in any cell: {r.unplaced}")
        low = [f for f, c in zip(CELL_FIELDS, r.confidence) if c < 0.5]
        if low:
            report.append(f"{label}：置信度低的单元格 / low-confidence cells: {', '.join(low)}")
    money_unit = header["money_unit"] or MoneyUnit.WAN_YUAN
    year = header["year"]
    if year is None:
        raise InputError("表头中找不到年度（如“2019年度…公开表”）",
                         "no year found in the header (such as “2019年度…公开表”)", source=source)
    table = Table(year=year, department=header["department"] or "未注明", projects=projects,
                  money_unit=money_unit, attachment=header["attachment"], title=header["title"])
    return ImportResult(table=table, kind="text", report=report, confidence=confidence)
