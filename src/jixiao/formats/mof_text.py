"""The MoF 项目支出绩效自评表 from pdftotext ``-layout`` text: lines back into rows of cells.

``pdftotext -layout`` keeps each glyph near its horizontal place, so a form's columns are
still columns of characters — but a cell's wrapped lines stand on lines of their own, a merged
cell's label sits once in the middle of its rows, and pdftotext squeezes long cells, so a
position is only approximate. The rows are rebuilt block by block, each under its header line
(the money block's, the goal's, the indicators'):

* a line is cut into chunks at two or more spaces, and at a single space between two CJK
  characters (Chinese cells hold no spaces; pdftotext leaves one where a long cell touches
  the next);
* the chunks of a line go to the block's header columns in order, each to the nearest header
  column that keeps them left to right (a small dynamic programme); chunks left of the first
  header column are the block's row labels (and the section label left of them);
* a block's rows are its *anchor* lines — lines with a number or "—" in a number column
  (分值, 得分, the money columns); every other line joins the nearest anchor (a cell's wrapped
  lines stand around its row's middle line); a 一级/二级 label is given to the run of rows it
  is centred on;
* the rows go to the same header-driven parser as XLSX and PDF (:mod:`.mof_read`).

Text without ``-layout`` is refused: its lines follow pdftotext's reading order, which tears a
form's rows and columns apart (a column's cells, then the next, merged cells at the end), so
no reading of it can be told from a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from .import_result import ImportResult
from .mof_read import (
    _IND_HEADERS, _MONEY_HEADERS, _GOAL_DONE, _GOAL_TARGET, Row, Seg, _norm, _role, kind_of, one_table, parse_forms,
)

_CHUNK = re.compile(r"\S+(?: \S+)*")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?分?$|^[—\-－/]$")
_PAGE_NUMBER = re.compile(r"^\s*(第\s*\d+\s*页(\s*/?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|-\s*\d+\s*-)\s*$")
_TERMINATORS = ("总分", "合计", "总计", "评价等级", "自评等级", "注", "说明", "其他需要说明", "评价结论", "存在问题",
                "改进措施", "项目负责人", "偏差大或")
_BREAKS = ("项目名称", "项目支出绩效自评表", "自评表")


@dataclass
class Chunk:
    start: int
    end: int
    text: str

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


def chunks(line: str) -> list[Chunk]:
    """The line's cell texts with their character positions."""
    out = []
    for m in _CHUNK.finditer(line):
        text, start = m.group(0), m.start()
        parts = re.split(r"(?<=[\u2e80-\u9fff\uff00-\uffef]) (?=[\u2e80-\u9fff\uff00-\uffef])", text)
        for part in parts:
            out.append(Chunk(start, start + len(part), part))
            start += len(part) + 1
    return out


def is_layout_text(text: str) -> bool:
    """Whether text looks like ``pdftotext -layout`` output: many lines hold cells apart by runs of
    spaces (without ``-layout`` a line is one cell's text)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    spaced = sum(1 for line in lines if re.search(r"\S {2,}\S", line))
    return spaced / len(lines) >= 0.25


@dataclass
class _Header:
    kind: str  # "money" | "goal" | "indicators"
    columns: list[Chunk]  # the header chunks, left to right
    roles: list[str]
    spans: list[tuple[float, float]] | None = None  # the columns' extents, once a block was read
    scales: dict[int, float] | None = None  # page → the factor onto the header's grid


def _header(line_chunks: list[Chunk], around: list[list[Chunk]]) -> _Header | None:
    """The block header a line is, if any (with header words of the lines just above and below
    that stand in its gaps: 执行率 over （B/A）)."""
    texts = [_norm(c.text) for c in line_chunks]
    roles = [_role(c.text, _IND_HEADERS) for c in line_chunks]
    if "l3" in roles and ({"l1", "l2"} & set(roles)):
        return _Header("indicators", line_chunks, [r or "" for r in roles])
    money = [_role(c.text, _MONEY_HEADERS) if "万元" not in c.text else None for c in line_chunks]
    if len({r for r in money if r}) >= 3 and ({"budget", "actual"} <= set(money) or {"budget", "rate"} <= set(money)):
        first = min(c.start for c, r in zip(line_chunks, money) if r)
        # Every header word right of the first money column is a column (原因 too: its text
        # must not fall into 得分).
        cols = [c for c, r in zip(line_chunks, money) if r or c.start > first]
        for other in around:
            for c in other:
                role = _role(c.text, _MONEY_HEADERS)
                if role and role not in {_role(x.text, _MONEY_HEADERS) for x in cols} and not any(
                        x.start <= c.center <= x.end for x in cols):
                    cols.append(c)
        cols.sort(key=lambda c: c.start)
        return _Header("money", cols, [_role(c.text, _MONEY_HEADERS) or "" for c in cols])
    target = [c for c, t in zip(line_chunks, texts) if t in _GOAL_TARGET]
    done = [c for c, t in zip(line_chunks, texts) if t in _GOAL_DONE]
    if target and done:
        return _Header("goal", [target[0], done[0]], ["goal", "done"])
    return None


def _assign(line_chunks: list[Chunk], header: _Header,
            spans: list[tuple[float, float]] | None = None) -> list[tuple[int, Chunk]]:
    """Each chunk's column: 0/1 for the label area left of the header (section label, row
    label), 2 + k for header column k, chosen left to right at least cost. The cost is the
    distance to the header word's centre, or — given ``spans``, the columns' extents as the
    block's lines fill them — the distance to that extent less the overlap with it (a
    left-aligned cell starts left of its centred header word)."""
    if header.kind == "goal":
        edge = header.columns[0].start if spans is None else spans[0][0]
        labels = [c for c in line_chunks if c.end <= edge - 1
                  or _norm(c.text) in ("年度总体目标", "总体目标", "年度目标", "绩效目标")]
    else:
        first = header.columns[0].start
        labels = [c for c in line_chunks if c.end <= first - 1]
    rest = [c for c in line_chunks if c not in labels]
    out = [(1 if i == len(labels) - 1 else 0, c) for i, c in enumerate(labels)]
    m = len(header.columns)

    def cost(c: Chunk, k: int) -> float:
        # A piece of a 二级 name (服务对象满意度指 — a name wrapped in its merged cell) belongs
        # in the 二级 column wherever pdftotext squeezed it.
        bonus = 4.0 if header.roles[k] == "l2" and _kind_piece(c.text) else 0.0
        if spans is None or spans[k] is None:
            return abs(header.columns[k].center - c.center) - bonus
        lo, hi = spans[k]
        gap = max(0.0, lo - c.end, c.start - hi)
        overlap = max(0.0, min(c.end, hi) - max(c.start, lo))
        return gap - overlap + 0.01 * abs(header.columns[k].center - c.center) - bonus

    n = len(rest)
    if n == 0:
        return out
    if n > m:  # more cells than columns: each to its nearest column
        return out + [(2 + min(range(m), key=lambda k: cost(c, k)), c) for c in rest]
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    took = [[False] * (m + 1) for _ in range(n + 1)]
    for k in range(m + 1):
        best[0][k] = 0.0
    for i in range(1, n + 1):
        for k in range(i, m + 1):
            take = best[i - 1][k - 1] + cost(rest[i - 1], k - 1)
            skip = best[i][k - 1]
            best[i][k], took[i][k] = (take, True) if take <= skip else (skip, False)
    picks = []
    i, k = n, m
    while i > 0:
        if took[i][k]:
            picks.append((2 + k - 1, rest[i - 1]))
            i -= 1
        k -= 1
    return out + picks[::-1]


def _kind_piece(text: str) -> bool:
    """Whether a chunk reads as a 二级 name or the first part of one (it names a kind and ends
    as such names do: 指标, 指标等, or cut inside 指标)."""
    n = _norm(text)
    return (kind_of(n) is not None and len(n) <= 12 and not re.search(r"[\d:]", n)
            and (n.endswith(("指标", "指标等", "指")) or n in ("数量", "质量", "时效", "成本")))


def _spans(lines: list[list[Chunk]], header: _Header) -> list[tuple[float, float] | None]:
    """Each header column's extent as a first assignment of the block's fullest lines fills it."""
    found: dict[int, list[Chunk]] = {}
    most = max((len(cs) for cs in lines), default=0)
    for cs in lines:
        if cs and len(cs) >= max(2, most - 2):
            for col, c in _assign(cs, header):
                found.setdefault(col - 2, []).append(c)
    spans: list[tuple[float, float] | None] = []
    for k, head in enumerate(header.columns):
        cs = found.get(k)
        if cs:  # the cells' typical extent, joined with the header word's
            starts = sorted(c.start for c in cs)
            ends = sorted(c.end for c in cs)
            spans.append((min(starts[len(starts) // 2], head.start), max(ends[len(ends) // 2], head.end)))
        else:
            spans.append((head.start, head.end))
    return spans


def _terminator(line_chunks: list[Chunk]) -> bool:
    return bool(line_chunks) and any(_norm(line_chunks[0].text).startswith(w) for w in _TERMINATORS)


def _breaks(line_chunks: list[Chunk]) -> bool:
    return bool(line_chunks) and any(w in _norm(line_chunks[0].text) for w in _BREAKS)


def _rescaled(lines: list[list[Chunk]], pages: list[int], header: _Header, header_page: int) -> list[list[Chunk]]:
    """Lines of a page the header is not on, in the header's character grid: pdftotext lays
    each page out on its own grid, so a form that flows onto the next page without its header
    printed again has its columns at other positions there. The scale is read from the page's
    rows: their last number stands in the 得分 column (or the last number column)."""
    roles = header.roles
    target = next((header.columns[k].center for k in range(len(roles) - 1, -1, -1)
                   if roles[k] in ("score", "weight", "rate")), None)
    if target is None:
        return lines
    out = list(lines)
    header.scales = header.scales or {}
    for page in sorted(set(pages) - {header_page}):
        ratios = sorted(target / cs[-1].center for cs, p in zip(lines, pages)
                        if p == page and cs and _NUMBER.match(cs[-1].text) and cs[-1].center > 0)
        if not ratios and page not in header.scales:
            continue
        scale = ratios[len(ratios) // 2] if ratios else header.scales[page]
        header.scales[page] = scale
        for i, (cs, p) in enumerate(zip(lines, pages)):
            if p == page:
                out[i] = [Chunk(round(c.start * scale), round(c.end * scale), c.text) for c in cs]
    return out


def _rows_of_block(lines: list[list[Chunk]], header: _Header, pages: list[int] | None = None,
                   header_page: int = 0) -> list[Row]:
    """The block's lines as rows: anchors and the lines that join them (the column extents used
    are kept on the header, for the 总分 line after the block)."""
    if pages and any(p != header_page for p in pages):
        lines = _rescaled(lines, pages, header, header_page)
    spans = _spans(lines, header) if header.kind == "indicators" else None
    header.spans = spans
    if header.kind == "goal":  # the goal column starts where its text's first line starts
        texts = [c for cs in lines for c in cs if len(c.text) >= 8
                 and _norm(c.text) not in ("年度总体目标", "总体目标")]
        if texts:
            spans = [(min(texts[0].start, header.columns[0].start), header.columns[0].end),
                     (header.columns[1].start, header.columns[1].end)]
    placed = [_assign(cs, header, spans) for cs in lines]
    if header.kind == "money":  # a label left of the rows' labels is the section's (项目资金（万元）)
        edges = [c.start for line in placed for col, c in line if col == 1 and any(
            k >= 2 and _NUMBER.match(x.text) for k, x in line)]
        if edges:
            edge = min(edges)
            placed = [[(0 if col == 1 and c.end <= edge else col, c) for col, c in line] for line in placed]
    number_cols = {2 + k for k, r in enumerate(header.roles)
                   if r in ("weight", "score", "initial", "budget", "actual", "rate")}
    if header.kind == "goal":
        cells: dict[int, list[str]] = {}
        for line in placed:
            for col, c in line:
                cells.setdefault(col, []).append(c.text)
        return [[Seg("".join(cells[k]), k, k + 1) for k in sorted(cells)]] if cells else []
    anchors = [i for i, line in enumerate(placed) if any(col in number_cols and _NUMBER.match(c.text)
                                                         for col, c in line)]
    if not anchors:
        l3 = {2 + k for k, r in enumerate(header.roles) if r == "l3"}
        anchors = [i for i, line in enumerate(placed) if any(col in l3 for col, _ in line)]
    if not anchors:
        return []
    merged_cols = {2 + k for k, r in enumerate(header.roles) if r in ("l1", "l2")} | {0}
    rows: list[dict[int, list[str]]] = [{} for _ in anchors]
    labels: dict[int, list[tuple[int, int, str]]] = {}  # col -> [(first line, last line, text)]
    for i, line in enumerate(placed):
        nearest = min(range(len(anchors)), key=lambda a: (abs(anchors[a] - i), -anchors[a]))
        for col, c in line:
            if col in merged_cols and header.kind == "indicators":
                runs = labels.setdefault(col, [])
                if runs and runs[-1][1] == i - 1 and not _complete_label(runs[-1][2]):
                    runs[-1] = (runs[-1][0], i, runs[-1][2] + c.text)
                else:
                    runs.append((i, i, c.text))
            else:
                rows[nearest].setdefault(col, []).append(c.text)
    for col, runs in labels.items():
        for a, text in _spread(runs, anchors):
            rows[a].setdefault(col, []).append(text)
    out = []
    for row in rows:
        out.append([Seg("".join(row[k]), k, k + 1) for k in sorted(row)])
    return out


def _complete_label(text: str) -> bool:
    """A 一级/二级 label that is whole (ends in 指标 or a weight), so a label on the next line
    is another cell's."""
    n = _norm(text)
    return n.endswith("指标") or n.endswith("分)") or n.endswith("指标等")


def _spread(runs: list[tuple[int, int, str]], anchors: list[int]) -> list[tuple[int, str]]:
    """The row each label goes to: the first row of the run of rows it is centred on (a merged
    cell prints its label in its middle), runs taken top down, each starting after the last."""
    def nearest(center: float) -> int:
        return min(range(len(anchors)), key=lambda k: (abs(anchors[k] - center), anchors[k]))

    out = []
    start = 0
    for j, (first, last, text) in enumerate(runs):
        center = (first + last) / 2
        start = min(start, len(anchors) - 1)
        limit = len(anchors) - 1
        if j + 1 < len(runs):
            limit = max(start, nearest((runs[j + 1][0] + runs[j + 1][1]) / 2) - 1)
        low = max(start, min(nearest(center), limit))
        end = min(range(low, limit + 1), key=lambda e: abs(_mid(anchors, start, e) - center))
        if abs(_mid(anchors, start, end) - center) > 0.5:
            # No run from ``start`` is centred on it: the rows between were printed without
            # this column's label, and the label is its own row's (or its run's from there).
            start = max(start, min(nearest(center), limit))
            end = min(range(start, limit + 1), key=lambda e: abs(_mid(anchors, start, e) - center))
        out.append((start, text))
        start = end + 1
    return out


def _mid(anchors: list[int], a: int, b: int) -> float:
    return (anchors[a] + anchors[b]) / 2


def text_rows(text: str) -> list[Row]:
    """The form text as rows of segments, block by block."""
    lines: list[str] = []
    page_of: list[int] = []
    for page, page_text in enumerate(text.split("\f")):
        for line in page_text.splitlines():
            if not _PAGE_NUMBER.match(line):
                lines.append(line)
                page_of.append(page)
    all_chunks = [chunks(line) for line in lines]
    rows: list[Row] = []
    i = 0
    header: _Header | None = None
    header_page = 0
    block: list[list[Chunk]] = []
    block_pages: list[int] = []

    def flush() -> None:
        nonlocal block, block_pages
        if header is not None and block:
            rows.extend(_rows_of_block(block, header, block_pages, header_page))
        block, block_pages = [], []

    while i < len(all_chunks):
        cs = all_chunks[i]
        if not cs:
            if header is not None and block:
                block.append(cs)  # blank lines keep the distances between a block's lines
                block_pages.append(page_of[i])
            i += 1
            continue
        found = _header(cs, [all_chunks[j] for j in (i - 1, i + 1) if 0 <= j < len(all_chunks)])
        if found is not None:
            flush()
            header, header_page = found, page_of[i]
            if found.kind == "money":
                used = {id(c) for c in found.columns}
                first = found.columns[0].start
                for j in (i - 1, i + 1):  # header words printed above or below (执行率 / （B/A）)
                    if 0 <= j < len(all_chunks):
                        all_chunks[j] = [c for c in all_chunks[j] if id(c) not in used and not (
                            c.start >= first - 1 and len(c.text) <= 6 and not re.search(r"\d", c.text)
                            and not _NUMBER.match(c.text))]
            rows.append([Seg(c.text, 0, 1) for c in cs if c.end <= found.columns[0].start - 1]
                        + [Seg(c.text, 2 + k, 3 + k) for k, c in enumerate(found.columns)])
            i += 1
            continue
        if _breaks(cs) or (header is None):
            flush()
            header = None
            rows.append([Seg(c.text, k, k + 1) for k, c in enumerate(cs)])
            i += 1
            continue
        if _terminator(cs):
            flush()
            if page_of[i] != header_page:
                cs = _rescaled([cs], [page_of[i]], header, header_page)[0]
            placed = _assign(cs, header, header.spans)
            rows.append([Seg(c.text, col, col + 1) for col, c in placed])
            if any(_norm(cs[0].text).startswith(w) for w in ("注", "说明")):
                header = None
            i += 1
            continue
        block.append(cs)
        block_pages.append(page_of[i])
        i += 1
    flush()
    return rows


def read_forms_text(text: str, source: str = "<text>"):
    if not is_layout_text(text):
        raise InputError(
            "这是不带 -layout 选项的 pdftotext 文本：自评表的行和栏已被打乱，无法可靠读取；"
            "请用 pdftotext -layout 重新转换，或直接导入 PDF",
            "this is pdftotext output without -layout: the form's rows and columns are torn apart "
            "and cannot be read reliably; convert again with pdftotext -layout, or import the PDF itself",
            source=source)
    return parse_forms([("文本", text_rows(text))])


def read_mof_text(text: str, source: str = "<text>") -> ImportResult:
    result = one_table(read_forms_text(text, source), source, "text")
    result.report.insert(1, "从 pdftotext 文本读取：折行的单元格按位置拼回，请与原件核对 / read from pdftotext text: "
                            "wrapped cells were put back together by position; check against the original")
    return result
