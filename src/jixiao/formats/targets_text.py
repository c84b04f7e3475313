"""Read a 绩效目标表 from the text ``pdftotext -layout`` makes of its PDF, or plain text laid out alike.

Why: many forms reach the finance bureau, or the public, only as text — copied out of a PDF with
poppler's ``pdftotext -layout``, pasted from a web page, saved from a viewer. ``-layout`` keeps
each printed line as one line of text and every piece of text near its place on the page, so a
form's fields and columns are still there, by position. This module rebuilds the rows of cells
the XLSX and PDF readers see (:class:`.targets_read._Grid`) and hands them to the same
label-driven reading (:func:`.targets_read._sheet_of`): the same labels, the same 长期/年度 block
choice, the same one-cell targets. What is specific to text is only how rows and cells come back:

1. **Forms.** A title line (绩效目标 … 表) after a form's indicator block starts the next form;
   page numbers (``1/4``, ``- 2 -``, ``第1页``) are dropped; a form feed ends a page. A review
   or signature line at the block's left edge (财政部门审核意见, 填表人 …, or the first line of
   such a label wrapped in its cell) ends the block; a line naming the department or the money
   unit (``部门：…  金额单位：万元`` under jixiao's form) is read as the form's first row.
2. **Head** (the lines above the indicator header). A line is cut into cells at two or more
   spaces, and around a label the form prints written with single spaces about it (项目名称,
   主管部门, 项目属性 …: ``镇域内基础设施建设 项目属性``, ``年度本级 预算金额 250万``); a label wrapped
   in its cell is joined (``该项目支出上级资`` / ``金``). A piece that is neither a label nor the
   value beside one continues the value of a label line at most ``HEAD_REACH`` lines away — a
   label ending left of it, starting where that value starts (within ``ALIGN``), no other cell
   in between; a value's lines share their left edge. On a tie the label without a value of its
   own takes it (a 年度总体目标 centred among its lines), else the line above (below in a
   bottom-aligned form); a line with a piece no value continues stays a row (合计 814 …).
   Group labels (项目资金（万元）, 年度资金总额及构成, 项目绩效目标) take no value of their own.
3. **Indicator header**: a line with 二级指标 and 三级指标 (or 一级指标) among its cells. Header words
   wrapped in their cells stand on the lines just above and below (``上年实际完成`` / ``值``,
   ``当年预期实现`` / ``值``); pieces there that line up and make a header word are joined into it.
   A header repeated at the top of a page gives that page's column positions (pdftotext lays
   out each page on its own grid); a page without one gets its own from its fullest lines,
   read by what their pieces are and their order more than by their places (after a first
   rescaling that puts the pages' rightmost cells in the same column).
4. **Columns.** A line of the block is cut at two spaces and at one space beside a CJK
   character or before an operator (``楼运行保障的满意 ≥90%``); its pieces go to the header's
   columns left to right at the least cost: the distance to the column's extent (learnt from the
   block's fullest lines), plus what the column may hold — 指标性质 only ``≥ ≤ = 定性`` and the
   like, 分值 only a number, 度量单位 a short unit, 一级/二级 the names of indicator levels (or the
   start or end of one), a bare target (``≥90%``) not a 三级指标 or 指标值设定依据 (``COST_*``
   below). Pieces left of the first column are the block's own label (``本年度 绩效指标``) and
   are not kept.
5. **Rows.** The block's lines are cut into rows by a dynamic programme over the line breaks: in
   a row each column's lines are one run (``COST_RUN_BREAK`` per extra run), 指标性质, 度量单位 and
   分值 stand on one line (``COST_SINGLE``), a line followed by another line of its cell is as wide
   as its column's widest (``COST_NOT_FULL``), the cells sit at the same height
   (``COST_MISALIGNED`` per line between their middles, tops or bottoms), a row holds a 三级指标
   or a 指标值 (``COST_NO_KEY``), a 三级指标 where the block's rows have them (``COST_NO_NAME``)
   and more than one column when they usually do (``COST_SPARSE``), and a row does not start
   right under lines that fill two or more of its columns (``COST_CUT_FULL``: those cells go on).
6. **Merged labels.** 一级 and 二级 labels are printed once, in the middle (or at the top, or the
   bottom) of the rows they span, sometimes wrapped around the row they sit on
   (``服务对象满意`` / ``度指标``). A label's wrapped pieces are joined; taken top down, each label
   takes the run of rows it is centred on — among whose lines it stands (``LABEL_OUTSIDE``),
   nearest by lines and then by the rows' share of the space between them — or, top- or
   bottom-aligned, the rows from or to its line. A label above the rows left is an empty row's
   (湘潭's 经济效益指标) and takes none; the 一级 labels count those empty rows. Rows at the top of
   a page before its first label continue the previous page's label (a merged cell cut by the
   page break). The alignment is the one (centre, top, bottom) whose rows cost least, the
   labels' misplacement counting a quarter (``LABEL_WEIGHT``).

A cell's wrapped lines are joined without a space (CJK text wraps anywhere), with one only
between two Latin letters or digits; pieces of one line in one cell keep the single space that
separated them.

Text without ``-layout`` is refused (its reading order tears a form's rows and columns apart),
as is text without an indicator header. Every failure is an :class:`~jixiao.errors.InputError`
in Chinese and English. Untrusted files are read in the bounded child process (:mod:`.sandbox`),
whose importer (:func:`.importer.read_file`) checks the size, decodes the text as the table
import does and asks :func:`looks_like_targets_text` before it calls :func:`read_targets_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from ..core.target_sheet import TargetSheet, read_nature
from ..errors import InputError
from .mof_text import _PAGE_NUMBER, is_layout_text
from .mof_text import Chunk as Piece  # a cell text with its character positions, as the MoF text reader cuts them
from .targets_read import COLUMN_LABELS, PROJECT_LABELS, _Grid, _norm, _sheet_of, kind_of
from .text_layout import display_width

# --- what the form prints ---------------------------------------------------------------------

ROLE_OF: dict[str, str] = {_norm(name): key for key, names in COLUMN_LABELS.items() for name in names}
# Indicator header words that name no field jixiao keeps: still columns, so that their text
# does not run into a neighbour's.
OTHER_HEADERS: tuple[str, ...] = ("备注", "保障绩效目标实现措施", "评分标准", "指标解释", "指标说明", "指标值说明")
HEADER_WORDS: frozenset[str] = frozenset(ROLE_OF) | frozenset(OTHER_HEADERS)
# Labels of the head (a single space next to one is a cell boundary; a line with none holds a
# wrapped value). The fields jixiao reads (targets_read.PROJECT_LABELS) and what else real
# forms print beside them (tests/fidelity/targets).
HEAD_LABELS: frozenset[str] = frozenset(_norm(w) for names in PROJECT_LABELS.values() for w in names) | frozenset((
    "项目属性", "项目类别", "项目性质", "立项依据", "主管部门编码", "项目负责人", "联系电话", "项目起止时间", "项目概况",
    "项目支出实施期", "实施期绩效目标", "长期目标", "项目绩效目标", "填报单位", "年度资金总额及构成", "项目预算成本构成",
    "自有资金", "事业收入", "经营性收入", "其他", "项目立项情况", "单位职能概述", "项目实施进度计划", "项目资金申请",
))
_HEAD_PREFIXES = ("项目资金", "填报单位", "部门", "单位", "金额单位")
# Labels over rows of labels of their own: what stands right of them is a sub-label's value.
GROUP_LABELS = ("项目资金", "年度资金总额及构成", "项目预算成本构成", "项目绩效目标", "项目立项情况", "项目资金申请")
# Lines that end an indicator block: the signature and review rows under the form.
_BLOCK_END = ("审核意见", "财政部门审核", "主管部门审核", "部门审核", "财政部门意见", "填表人", "填报人", "单位负责人",
              "其他说明", "联系电话", "单位公章", "填报日期")
# A label of an indicator level that is whole (its wrapped pieces are joined until it is).
_LEVEL_NAMES = ("社会公众或服务对象满意度指标", "服务对象满意度指标", "满意度指标", "可持续影响指标", "经济效益指标",
                "社会效益指标", "生态效益指标", "环境效益指标", "产出指标", "效益指标", "数量指标", "质量指标",
                "时效指标", "成本指标")
_LEVEL_WORDS = frozenset(("产出", "效益", "满意度", "数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益",
                          "环境效益", "可持续影响", "服务对象满意度"))
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
# A piece that is a target and nothing else: an operator, a number and a short unit (≥90%, 2280次).
_TARGET = re.compile(r"(>=|<=|≥|≤|>|<|=|＞|＜|≧|≦)?\s*\d+(?:\.\d+)?\s*[^\s\d]{0,3}")
HEAD_LINES = 12  # non-blank lines that must say 绩效目标 (and not 自评) for text to be a targets form
HEAD_REACH = 3  # lines between a wrapped value's line and its label's
ALIGN = 3  # characters between the left edges of a value's wrapped lines
HEADER_BAND = 2  # lines above and below the indicator header its wrapped words may stand on
MAX_ROW_LINES = 16  # lines of one indicator row
MAX_LINES = 50_000  # lines of text read at all (a department's forms are a few thousand)
GROUP_SEARCH = 300  # rows searched for the start of a page's first label group

# Costs of placing pieces in columns (step 4); see the docstring.
COST_JOIN = 1.0  # two pieces of one line in one column
COST_WRONG_KIND = 20.0  # a piece a typed column cannot hold (指标性质 not a nature, 分值 not a number)
COST_LONG_UNIT = 3.0  # a 度量单位 wider than 4 characters or with a digit
COST_LEVEL_BONUS = -4.0  # the name of an indicator level in the 一级/二级 column (half for what may begin one)
COST_LEVEL_ELSEWHERE = 4.0  # … in another column
COST_NOT_LEVEL = 4.0  # a long or numeric piece in the 一级/二级 column
COST_NOT_LEVEL_SOFT = 1.5  # … any other piece that is neither a level's name nor the end of one
COST_TARGET_ELSEWHERE = 5.0  # a bare target (≥90%, 2280次) in the 三级指标 or 指标值设定依据 column
PAGE_WEIGHT = 0.2  # how much places count in reading the fullest lines of a page without its own header
COST_TOO_WIDE = 2.0  # … a piece there wider than any its column held on the header's page
COST_RARE_COLUMN = 2.0  # … a column there that under one in ten of the header page's lines filled

# Costs of cutting rows (step 5) and of placing labels (step 6).
COST_RUN_BREAK = 4.0  # a column of a row whose lines are not one run (more than one line apart)
COST_SINGLE = 4.0  # per extra line of 指标性质, 度量单位 or 分值 in one row
COST_NOT_FULL = 2.0  # (at most) a line followed by another of its cell, narrower than its column's widest
COST_MISALIGNED = 1.0  # per line between the row's cells' middles (tops, bottoms)
COST_NO_KEY = 3.0  # a row with neither 三级指标 nor 指标值
COST_SPARSE = 1.5  # a row filling one column where the block's rows fill more
COST_NO_NAME = 2.0  # a row without a 三级指标 in a block whose rows have them
COST_CUT_FULL = 1.0  # per column, a row starting right under lines that fill two or more columns
WRAP_WIDTH = 6  # display width a column's widest line needs for a full line to say "wrapped"
BONUS_ROW = 0.01  # a row more, on a tie
LABEL_EMPTY = 0.5  # a 一级/二级 label taking no row (an empty row's)
LABEL_OUTSIDE = 1.0  # … for a label above or below all the lines of the rows it is given
LABEL_MISPLACED_MAX = 2.0  # lines a label counts at most for standing off its rows (a label printed twice)
LABEL_WEIGHT = 0.25  # how much the labels' misplacement counts beside the rows' cost in choosing the alignment

LABEL_COLUMNS = ("level1", "level2")
SINGLE_LINE = ("nature", "unit", "weight")
MODES = ("center", "top", "bottom")


# --- the text ---------------------------------------------------------------------------------

@dataclass
class _Line:
    page: int
    text: str
    pieces: list[Piece] = field(default_factory=list)  # cut for the indicator block (step 4)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    if text.count("\n") + text.count("\r") + text.count("\f") > 2 * MAX_LINES + 1:
        raise InputError(f"文本过长（超过 {MAX_LINES} 行）", f"the text is too long (over {MAX_LINES} lines)")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").lstrip("\ufeff")
    out: list[_Line] = []
    for page, page_text in enumerate(text.split("\f")):
        for raw in page_text.split("\n"):
            if _PAGE_NUMBER.match(raw):
                continue
            if len(out) == MAX_LINES:
                raise InputError(f"文本过长（超过 {MAX_LINES} 行）", f"the text is too long (over {MAX_LINES} lines)")
            out.append(_Line(page, raw.rstrip(), split_pieces(raw)))
    return out


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPLIT = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}≥≤<>=])")


def split_pieces(line: str) -> list[Piece]:
    """A block line's pieces: cut at two spaces, and at one space beside a CJK character or
    before an operator (pdftotext leaves one space where two cells nearly touch:
    ``楼运行保障的满意 ≥90%``); Latin words keep their spaces."""
    out: list[Piece] = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        start = m.start()
        for part in _SPLIT.split(m.group()):
            out.append(Piece(start, start + len(part), part))
            start += len(part) + 1
    return out


def _is_head_label(text: str) -> bool:
    n = _norm(text)
    return bool(n) and (n in HEAD_LABELS or (len(n) <= 16 and n.startswith(_HEAD_PREFIXES)))


def head_cells(line: str) -> list[Piece]:
    """A head line's cells: cut at two spaces, and around a label written with single spaces
    about it (``年度本级 预算金额 250万``, ``镇域内基础设施建设 项目属性``)."""
    out: list[Piece] = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        words, pos = [], m.start()
        for w in m.group().split(" "):
            words.append(Piece(pos, pos + len(w), w))
            pos += len(w) + 1
        value: Piece | None = None
        j = 0
        while j < len(words):
            k = next((k for k in range(len(words), j, -1)
                      if _is_head_label("".join(w.text for w in words[j:k]))), None)
            if k is None:
                w = words[j]
                value = w if value is None else Piece(value.start, w.end, f"{value.text} {w.text}")
                j += 1
                continue
            if value is not None:
                out.append(value)
                value = None
            out.append(Piece(words[j].start, words[k - 1].end, " ".join(w.text for w in words[j:k])))
            j = k
        if value is not None:
            out.append(value)
    return out


def looks_like_targets_text(text: str) -> bool:
    """Whether text is a 绩效目标表: its first ``HEAD_LINES`` non-blank lines say 绩效目标 and not
    自评 — what the XLSX reader asks of a sheet's first rows (a self-evaluation table's text
    says 自评 in its title; its column header's 年初绩效目标 comes later)."""
    head: list[str] = []
    for line in text[:20_000].splitlines():
        if line.strip():
            head.append(line)
            if len(head) == HEAD_LINES:
                break
    joined = "".join(head)
    return "绩效目标" in joined and "自评" not in joined


def _join_lines(parts: list[str]) -> str:
    """A cell's wrapped lines as one text: no space, except between two Latin letters or digits."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


# --- head (step 2) ----------------------------------------------------------------------------

def _takes_value(text: str) -> bool:
    """A label whose value stands beside it (not a group label over labels of its own rows:
    项目资金（万元）, 年度资金总额及构成, 项目绩效目标)."""
    return _is_head_label(text) and not _norm(text).startswith(GROUP_LABELS)


def _wrapped_labels(lines: list[_Line], cells: list[list[Piece]]) -> None:
    """Join a label wrapped in its cell (``该项目支出上级资`` / ``金``, ``年度资金总额`` / ``及构成``):
    two pieces at the same left edge on lines at most two apart that make a label; it stands on
    the line of the two (or between them) whose next cell is a value."""
    for i in range(len(cells)):
        for p in list(cells[i]):
            for j in (i + 1, i + 2):
                if j >= len(cells) or lines[j].page != lines[i].page:
                    continue
                q = next((q for q in cells[j] if abs(q.start - p.start) <= 1 and not _is_head_label(q.text)), None)
                if q is None or not _is_head_label(p.text + q.text) or _norm(p.text + q.text) == _norm(p.text):
                    continue
                if j == i + 2 and any(x.start <= p.end and p.start <= x.end for x in cells[i + 1]):
                    continue
                if _is_head_label(p.text) and _norm(p.text) in HEAD_LABELS and _norm(p.text + q.text) not in HEAD_LABELS:
                    continue
                joined = Piece(p.start, max(p.end, q.end), p.text + q.text)
                cells[j].remove(q)
                at = i
                if j == i + 2 and not _value_after(cells[i], p) and any(x.start > p.end for x in cells[i + 1]):
                    at = i + 1  # a label wrapped around its row's middle line
                cells[i].remove(p)
                cells[at].append(joined)
                cells[at].sort(key=lambda x: x.start)
                break


def _value_after(cells: list[Piece], label: Piece) -> Piece | None:
    after = [c for c in cells if c.start > label.start]
    return after[0] if after and not _is_head_label(after[0].text) else None


def _head_rows(lines: list[_Line], mode: str = "center") -> list[list[str]]:
    """The head's lines as rows of cell texts, wrapped values joined to their label's cell. On a
    tie between the label lines above and below a wrapped piece, the one without a value of its
    own takes it, else the one the form's alignment (``mode``, read from its indicator rows)
    says: a bottom-aligned cell wraps upwards from its label's line, any other downwards."""
    cells = [head_cells(line.text) for line in lines]
    _wrapped_labels(lines, cells)

    def own_value(i: int, n: int) -> bool:  # the cell right after a label that takes a value
        return n > 0 and _takes_value(cells[i][n - 1].text)

    loose = [(i, n) for i, cs in enumerate(cells) for n, c in enumerate(cs)
             if not _is_head_label(c.text) and not own_value(i, n)]
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # loose piece → (label line, label's cell)
    tied: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for i, n in loose:
        piece = cells[i][n]
        found = []
        for j in range(max(0, i - HEAD_REACH), min(len(lines), i + HEAD_REACH + 1)):
            if j == i or lines[j].page != lines[i].page:
                continue
            slot = _slot(cells[j], piece)
            if slot is not None:
                has_value = slot + 1 < len(cells[j]) and not _is_head_label(cells[j][slot + 1].text)
                found.append(((abs(j - i), has_value), (j > i) == (mode != "bottom"), j, slot))
        if not found:
            continue
        found.sort()
        near = [(j, slot) for key, _, j, slot in found if key == found[0][0]]
        if len(near) == 1:
            owner[i, n] = near[0]
        else:
            tied[i, n] = near
    for _ in range(HEAD_REACH):  # a tie goes with the aligned piece of the next line (a goal's lines)
        for (i, n), near in list(tied.items()):
            piece = cells[i][n]
            for (i2, n2), target in list(owner.items()):
                if abs(i2 - i) == 1 and abs(cells[i2][n2].start - piece.start) <= ALIGN and target in near:
                    owner[i, n] = target
                    del tied[i, n]
                    break
    for (i, n), near in tied.items():  # else as the alignment says (sorted so above)
        owner[i, n] = near[0]
    changed = True
    while changed:
        changed = False
        for i in {i for i, _ in loose}:  # a line with a piece no value continues is a row of its own (合计 814 …)
            if any((i, n) not in owner for i2, n in loose if i2 == i) and any((i, n) in owner for i2, n in loose
                                                                               if i2 == i):
                for i2, n in loose:
                    if i2 == i:
                        owner.pop((i2, n), None)
                changed = True
        for (i, n), (j, slot) in list(owner.items()):  # a value's lines stand together, not across another cell
            piece = cells[i][n]
            if any(c.start <= piece.end and piece.start <= c.end and owner.get((b, m)) != (j, slot)
                   for b in range(min(i, j) + 1, max(i, j)) for m, c in enumerate(cells[b])):
                del owner[i, n]
                changed = True
    by_slot: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key, target in owner.items():
        by_slot.setdefault(target, []).append(key)
    for (j, slot), keys in by_slot.items():  # a value's wrapped lines share their left edge: from the
        for side in (-1, 1):  # label's line outwards, a piece off the edge of the one before ends the value
            run = sorted((k for k in keys if (k[0] - j) * side > 0), key=lambda k: abs(k[0] - j))
            value = next((c for c in cells[j][slot + 1:slot + 2] if not _is_head_label(c.text)), None)
            edge = value.start if value is not None else None
            for k in run:
                start = cells[k[0]][k[1]].start
                if edge is not None and abs(start - edge) > ALIGN:
                    for rest in run[run.index(k):]:
                        owner.pop(rest, None)
                    break
                edge = start if edge is None else edge
    extra: dict[tuple[int, int], tuple[list[str], list[str]]] = {}
    for (i, n), (j, slot) in sorted(owner.items()):
        above, below = extra.setdefault((j, slot), ([], []))
        (above if i < j else below).append(cells[i][n].text)
    rows = []
    for i, cs in enumerate(cells):
        out: list[str] = []
        n = 0
        while n < len(cs):
            if (i, n) in owner:
                n += 1
                continue
            out.append(cs[n].text)
            if (i, n) in extra:
                above, below = extra[(i, n)]
                has_value = (n + 1 < len(cs) and not _is_head_label(cs[n + 1].text) and own_value(i, n + 1)
                             and (i, n + 1) not in owner)
                out.append(_join_lines(above + ([cs[n + 1].text] if has_value else []) + below))
                n += 2 if has_value else 1
                continue
            n += 1
        if out:
            rows.append(out)
    return rows


def _slot(cells: list[Piece], piece: Piece) -> int | None:
    """Which label of a label line a wrapped piece continues the value of (the label's index):
    the last label that takes a value ending left of the piece, with no other label between,
    whose value (if it has one on its line) starts where the piece does."""
    best = None
    for k, c in enumerate(cells):
        if not _takes_value(c.text) or c.end > piece.start:
            continue
        nxt = next((x for x in cells[k + 1:] if _is_head_label(x.text)), None)
        if nxt is not None and nxt.start <= piece.start:
            continue  # a later label stands between: its value, if any
        value = cells[k + 1] if k + 1 < len(cells) and not _is_head_label(cells[k + 1].text) else None
        if value is not None and abs(value.start - piece.start) > ALIGN:
            continue
        best = k
    return best


# --- indicator header (step 3) ----------------------------------------------------------------

@dataclass
class _Column:
    role: str  # a key of COLUMN_LABELS, or "" for a column jixiao does not read
    text: str
    start: float
    end: float
    lo: float = 0.0
    hi: float = 0.0

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


def _role(text: str) -> str | None:
    n = _norm(text)
    if n in ROLE_OF:
        return ROLE_OF[n]
    return "" if n in HEADER_WORDS else None


def _is_header(line: _Line) -> bool:
    roles = {_role(p.text) for p in line.pieces}
    return "level2" in roles and ("name" in roles or "level1" in roles)


def _band(lines: list[_Line], i: int, step: int) -> list[int]:
    """Up to ``HEADER_BAND`` lines next to the header line (above: step -1), stopping at a blank
    line or another header: where the header's wrapped words stand."""
    out = []
    j = i + step
    while len(out) < HEADER_BAND and 0 <= j < len(lines) and not lines[j].blank and not _is_header(lines[j]) \
            and lines[j].page == lines[i].page:
        out.append(j)
        j += step
    return out


def _aligned(q: Piece, ref: Piece) -> bool:
    return abs(q.start - ref.start) <= ALIGN + 1 or abs(q.center - ref.center) <= ALIGN


def _header(lines: list[_Line], i: int) -> tuple[list[_Column], list[tuple[int, Piece]]]:
    """The columns of the header on line ``i`` — its words, and words wrapped over the lines just
    above and below (``上年实际完成`` / ``值``; ``保障绩效`` / ``目标实现`` / ``措施``) joined by
    their place — and the pieces of those lines used up."""
    above, below = _band(lines, i, -1), _band(lines, i, 1)
    used: list[tuple[int, Piece]] = []
    taken: set[int] = set()

    def stack(ref: Piece, js: list[int]) -> list[tuple[int, Piece]]:
        out = []
        for j in js:  # outwards from the header line, each piece under the last (a line may hold none:
            q = next((q for q in lines[j].pieces if id(q) not in taken and _aligned(q, ref)), None)
            if q is not None:  # cells of 3 and 2 lines interleave theirs)
                out.append((j, q))
                ref = q
        return out

    def best_join(ups: list, middle: list, downs: list) -> tuple[str, list] | None:
        """The longest run of the vertical pieces (through ``middle`` when given) that makes a header word."""
        seq = [x for x in reversed(ups)] + middle + downs
        lo_limit = len(ups)
        hi_limit = len(ups) + len(middle)
        best = None
        for lo in range(0, lo_limit + 1):
            for hi in range(max(hi_limit, lo + 1), len(seq) + 1):
                if middle and not (lo <= lo_limit < hi):
                    continue
                part = seq[lo:hi]
                text = "".join(q.text for _, q in part)
                if _norm(text) in HEADER_WORDS and (best is None or len(part) > len(best[1])):
                    best = (text, part)
        return best

    cols: list[_Column] = []
    for p in lines[i].pieces:
        ups, downs = stack(p, above), stack(p, below)
        found = best_join(ups, [(i, p)], downs)
        text, part = found if found else (p.text, [(i, p)])
        for j, q in part:
            if j != i:
                used.append((j, q))
                taken.add(id(q))
        cols.append(_Column(_role(text) or "", text, min(q.start for _, q in part), max(q.end for _, q in part)))

    def free(q: Piece) -> bool:
        return id(q) not in taken and not any(q.start < c.end and c.start < q.end for c in cols)

    for j0 in above[:1] + below[:1]:  # words standing in a gap of the header line: 当年预期实 / 现值
        for q in [q for q in lines[j0].pieces if free(q)]:
            if not free(q):
                continue
            ups = [(j0, q)] + stack(q, above[1:]) if j0 in above else []
            downs = stack(q, below) if j0 in above else [(j0, q)] + stack(q, below[1:])
            found = best_join(ups, [], downs)
            if found is None:
                whole = [x for x in reversed(ups)] + downs
                text = "".join(x.text for _, x in whole)
                if not (ups and downs) or re.search(r"\d", text) or len(text) > 16:
                    continue  # a header word stands across the header line; this is something else
                found = (text, whole)
            text, part = found
            for j, x in part:
                used.append((j, x))
                taken.add(id(x))
            cols.append(_Column(_role(text) or "", text, min(x.start for _, x in part), max(x.end for _, x in part)))
    cols.sort(key=lambda c: c.start)
    for c in cols:
        c.lo, c.hi = c.start, c.end
    return cols, used


# --- columns (step 4) -------------------------------------------------------------------------

def _level_piece(text: str) -> int:
    """How surely a piece is an indicator level's label: 2 as printed whole (``数量指标``,
    ``服务对象满意度指标``), 1 as it may begin one (``社会公众或服务对象``, ``服务对象满意度``,
    ``可持续影响指`` — also a 三级 name can read so), 0 not."""
    n = _norm(text)
    if not n or len(n) > 16 or re.search(r"\d", n):
        return 0
    named = kind_of(n) is not None or any(w in n for w in ("产出", "效益", "满意"))
    if named and n.endswith(("指标", "指标等")):
        return 2
    if (len(n) >= 4 and any(name.startswith(n) for name in _LEVEL_NAMES)) or (
            named and (n.endswith("指") or n in _LEVEL_WORDS)):
        return 1
    return 0


def _piece_cost(p: Piece, col: _Column, spans: bool, weight: float, level: int) -> float:
    """The cost of piece ``p`` in column ``col``; ``level``: :func:`_level_piece` of its text
    (asked once per piece by :func:`_assign`, not once per column)."""
    if spans:
        gap = max(0.0, col.lo - p.end, p.start - col.hi)
        overlap = max(0.0, min(p.end, col.hi) - max(p.start, col.lo))
        cost = weight * (gap - overlap + 0.01 * abs(col.center - p.center))
    else:
        cost = weight * abs(col.center - p.center)
    role, text = col.role, p.text
    if role == "nature" and read_nature(text) is None:
        cost += COST_WRONG_KIND
    elif role == "weight" and not _NUMBER.fullmatch(text.strip()):
        cost += COST_WRONG_KIND
    elif role == "unit" and (display_width(text) > 4 or re.search(r"\d", text)):
        cost += COST_LONG_UNIT
    elif role in ("name", "basis") and _TARGET.fullmatch(text.strip()):
        cost += COST_TARGET_ELSEWHERE
    if role in LABEL_COLUMNS:
        if level:
            cost += COST_LEVEL_BONUS * level / 2
        elif re.search(r"\d", text) or display_width(text) > 12:
            cost += COST_NOT_LEVEL
        elif not _norm(text).endswith(("标", "等")):  # not the tail of a wrapped label (度指标, 标) either
            cost += COST_NOT_LEVEL_SOFT
    elif level == 2:
        cost += COST_LEVEL_ELSEWHERE
    return cost


def _assign(pieces: list[Piece], cols: list[_Column], spans: bool, weight: float = 1.0,
            rare: frozenset[int] = frozenset(), widest: dict[int, float] | None = None) -> list[int]:
    """Each piece's column, left to right (-1: the block's own label, left of the first column)."""
    n, m = len(pieces), len(cols)
    if n == 0:
        return []
    inf = float("inf")
    edge = cols[0].lo if spans else cols[0].start
    # best[i][k]: pieces 0..i placed, piece i in column k - 1 (k = 0: left of the columns)
    best = [[inf] * (m + 1) for _ in range(n)]
    back = [[0] * (m + 1) for _ in range(n)]
    for i, p in enumerate(pieces):
        level, width = _level_piece(p.text), display_width(p.text)
        costs = [0.0 if p.end <= edge - 1 else inf] + [
            _piece_cost(p, c, spans, weight, level) + (COST_RARE_COLUMN if k in rare else 0.0)
            + (COST_TOO_WIDE if widest is not None and width > widest.get(k, 0.0) + 1 else 0.0)
            for k, c in enumerate(cols)]
        if i == 0:
            best[0] = costs
            continue
        run_best, run_k = inf, 0
        for k in range(m + 1):
            same = best[i - 1][k] + (COST_JOIN if k else 0.0)
            if run_best <= same:
                best[i][k], back[i][k] = costs[k] + run_best, run_k
            else:
                best[i][k], back[i][k] = costs[k] + same, k
            if best[i - 1][k] < run_best:
                run_best, run_k = best[i - 1][k], k
    k = min(range(m + 1), key=lambda j: best[n - 1][j])
    out = [0] * n
    for i in range(n - 1, -1, -1):
        out[i] = k - 1
        k = back[i][k]
    return out


def _learn_spans(lines: list[list[Piece]], cols: list[_Column]) -> None:
    """Each column's extent as the block's fullest lines fill it (a left-aligned cell starts left
    of its centred header word)."""
    most = max((len(ps) for ps in lines), default=0)
    found: dict[int, list[Piece]] = {}
    for ps in lines:
        if ps and len(ps) >= max(2, most - 2):
            for p, k in zip(ps, _assign(ps, cols, spans=False)):
                if k >= 0:
                    found.setdefault(k, []).append(p)
    for k, c in enumerate(cols):
        ps = found.get(k)
        if ps:
            c.lo = min(median(p.start for p in ps), c.start)
            c.hi = max(median(p.end for p in ps), c.end)


# --- the indicator block (steps 4-6) ----------------------------------------------------------

@dataclass
class _BlockLine:
    page: int
    cells: dict[int, list[Piece]]  # column → pieces (left to right); -1: the block's own label
    widths: dict[int, float] = field(init=False)  # column → display width of its pieces (the row cut asks often)

    def __post_init__(self) -> None:
        self.widths = {k: sum(display_width(p.text) for p in ps) for k, ps in self.cells.items()}


@dataclass
class _Block:
    cols: list[_Column]
    header_row: list[str]
    title_rows: list[list[str]] = field(default_factory=list)
    lines: list[_BlockLine] = field(default_factory=list)
    mode: str = "center"  # the cells' vertical alignment, once the rows are read


def _rescale(page_lines: list[list[Piece]], cols: list[_Column], last_col: int | None) -> list[list[Piece]]:
    """Lines of a page without its own header, onto the header's grid: the rightmost piece of a
    line stands in the column the header's page's lines end in."""
    if last_col is None:
        return page_lines
    target = cols[last_col].center
    ratios = sorted(target / ps[-1].center for ps in page_lines if len(ps) >= 2 and ps[-1].center > 0)
    if not ratios:
        return page_lines
    scale = ratios[len(ratios) // 2]
    if abs(scale - 1) <= 0.05:
        return page_lines
    out = []
    for ps in page_lines:  # a piece's place is scaled, not its width (its characters are what they are)
        out.append([Piece(round(p.start * scale), round(p.start * scale) + p.end - p.start, p.text) for p in ps])
    return out


def _page_columns(lines: list[list[Piece]], cols: list[_Column], rare: frozenset[int],
                  widest: dict[int, float]) -> list[_Column]:
    """The columns of a page without its own header, from its own fullest lines: pdftotext lays
    out each page on its own grid, not a scaled copy of another's (a page of short names has
    its later columns further left). Those lines are placed by what their pieces are and their
    order, their places counting little (``PAGE_WEIGHT``), a column the header's page hardly
    filled costing more (``rare``), as does a piece wider than any its column held there
    (``widest``); each column then spans where its pieces stand on this page."""
    most = max((len(ps) for ps in lines), default=0)
    found: dict[int, list[Piece]] = {}
    for ps in lines:
        if ps and len(ps) >= max(3, most - 1):
            for p, k in zip(ps, _assign(ps, cols, spans=True, weight=PAGE_WEIGHT, rare=rare, widest=widest)):
                if k >= 0:
                    found.setdefault(k, []).append(p)
    out = []
    for k, c in enumerate(cols):
        ps = found.get(k)
        if ps:
            lo, hi = median(p.start for p in ps), median(p.end for p in ps)
            out.append(_Column(c.role, c.text, lo, hi, lo, hi))
        else:
            out.append(_Column(c.role, c.text, c.start, c.end, c.lo, c.hi))
    return out


def _place_lines(block_lines: list[tuple[int, list[Piece]]], cols: list[_Column]) -> list[_BlockLine]:
    """Block lines (page, pieces) under one header: their pieces in columns."""
    header_page = block_lines[0][0] if block_lines else 0
    by_page: dict[int, list[list[Piece]]] = {}
    for page, ps in block_lines:
        by_page.setdefault(page, []).append(ps)
    header_lines = by_page.get(header_page, [])
    _learn_spans(header_lines, cols)
    # The header's page placed once: its columns' ends, widths and fill, and its lines' cells.
    header_placed = [_assign(ps, cols, spans=True) for ps in header_lines]
    ends: dict[int, int] = {}
    filled: dict[int, int] = {}
    widest: dict[int, float] = {}
    full = 0  # lines of two or more pieces
    for ps, ks in zip(header_lines, header_placed):
        for p, k in zip(ps, ks):
            widest[k] = max(widest.get(k, 0.0), display_width(p.text))
        if len(ps) >= 2:
            full += 1
            if ks[-1] >= 0:
                ends[ks[-1]] = ends.get(ks[-1], 0) + 1
            for k in set(ks):
                filled[k] = filled.get(k, 0) + 1
    last_col = max(ends, key=lambda k: ends[k]) if ends else None
    rare = frozenset(k for k, c in enumerate(cols)
                     if c.role not in LABEL_COLUMNS and filled.get(k, 0) < 0.1 * full)
    out: list[_BlockLine] = []
    for page in by_page:
        page_lines = by_page[page]
        if page == header_page:
            placed = header_placed
        else:
            page_lines = _rescale(page_lines, cols, last_col)
            page_cols = _page_columns(page_lines, cols, rare, widest)
            placed = [_assign(ps, page_cols, spans=True) for ps in page_lines]
        for ps, ks in zip(page_lines, placed):
            cells: dict[int, list[Piece]] = {}
            for p, k in zip(ps, ks):
                cells.setdefault(k, []).append(p)
            out.append(_BlockLine(page, cells))
    return out


@dataclass
class _Row:
    first: int  # first and last line of the row's cells (not the labels)
    last: int
    cells: dict[int, list[tuple[int, Piece]]]  # column → (line, piece)


def _rows(lines: list[_BlockLine], cols: list[_Column], mode: str) -> tuple[list[_Row], float]:
    """The block's rows by the cheapest cut (step 5) under one alignment, and its cost."""
    row_cols = {k for k, c in enumerate(cols) if c.role not in LABEL_COLUMNS}
    key_cols = {k for k, c in enumerate(cols) if c.role in ("name", "value")}
    single = {k for k, c in enumerate(cols) if c.role in SINGLE_LINE}
    widths: dict[int, float] = {}
    for line in lines:
        for k in row_cols:
            if k in line.cells:
                widths[k] = max(widths.get(k, 0.0), line.widths[k])
    # How many columns a row usually fills: the upper quartile of the lines' counts (most lines
    # of a wrapped row hold one column; the row's middle line holds them all).
    counts = sorted(c for c in (sum(1 for k in row_cols if k in line.cells) for line in lines) if c)
    typical = counts[(3 * len(counts)) // 4] if counts else 0
    name_col = next((k for k, c in enumerate(cols) if c.role == "name"), None)
    value_col = next((k for k, c in enumerate(cols) if c.role == "value"), None)
    name_used = name_col is not None and sum(1 for line in lines if name_col in line.cells) >= \
        sum(1 for line in lines if value_col in line.cells) / 2
    n = len(lines)
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for e in range(1, n + 1):
        for s in range(max(0, e - MAX_ROW_LINES), e):
            if best[s] == float("inf") or lines[s].page != lines[e - 1].page:
                continue
            cost = best[s] + _row_cost(lines, s, e, mode, row_cols, key_cols, single, widths, typical, name_col,
                                       name_used)
            if cost < best[e]:
                best[e], back[e] = cost, s
    cuts, e = [], n
    while e > 0:
        cuts.append(e)
        e = back[e]
    cuts = [0] + cuts[::-1]
    rows = []
    for s, e in zip(cuts, cuts[1:]):
        cells: dict[int, list[tuple[int, Piece]]] = {}
        used = []
        for i in range(s, e):
            for k in row_cols:
                for p in lines[i].cells.get(k, []):
                    cells.setdefault(k, []).append((i, p))
                    used.append(i)
        if used:
            rows.append(_Row(min(used), max(used), cells))
    return rows, best[n]


def _width(line: _BlockLine, k: int) -> float:
    return line.widths.get(k, 0.0)


def _row_cost(lines, s, e, mode, row_cols, key_cols, single, widths, typical, name_col, name_used) -> float:
    per: dict[int, list[int]] = {}
    for i in range(s, e):
        for k in lines[i].cells:
            if k in row_cols:
                per.setdefault(k, []).append(i)
    if not per:
        return 0.0
    cost = -BONUS_ROW
    points = []
    for k, at in per.items():
        runs = 1 + sum(1 for a, b in zip(at, at[1:]) if b - a > 2)
        cost += COST_RUN_BREAK * (runs - 1)
        if k in single:
            cost += COST_SINGLE * (len(at) - 1)
        for a, b in zip(at, at[1:]):
            if b - a <= 2:
                deficit = widths.get(k, 0.0) - _width(lines[a], k) - 2
                if deficit > 0:
                    cost += COST_NOT_FULL * min(1.0, deficit / 4)
        points.append((at[0] + at[-1]) / 2 if mode == "center" else at[0] if mode == "top" else at[-1])
    cost += COST_MISALIGNED * (max(points) - min(points))
    if not key_cols & set(per):
        cost += COST_NO_KEY
    elif name_used and name_col not in per:
        cost += COST_NO_NAME
    if len(per) == 1 and typical >= 2:
        cost += COST_SPARSE
    first = min(at[0] for at in per.values())
    if first == s and s > 0 and lines[s - 1].page == lines[s].page:  # cut right under full lines
        full = sum(1 for k in per if first in per[k] and k in lines[s - 1].cells and widths.get(k, 0) >= WRAP_WIDTH
                   and _width(lines[s - 1], k) >= widths[k] - 1)
        if full >= 2:  # two cells going on below: one row's wrapped lines (one full line may end its cell)
            cost += COST_CUT_FULL * full
    return cost


@dataclass
class _Label:
    first: int
    last: int
    text: str
    page: int

    @property
    def center(self) -> float:
        return (self.first + self.last) / 2


def _complete(text: str) -> bool:
    n = _norm(text)
    return n.endswith(("指标", "指标等", "分)")) or n in _LEVEL_WORDS


def _labels(lines: list[_BlockLine], k: int) -> list[_Label]:
    """The 一级/二级 labels of column ``k``, their wrapped pieces joined."""
    out: list[_Label] = []
    for i, line in enumerate(lines):
        for p in line.cells.get(k, []):
            last = out[-1] if out else None
            if (last is not None and not _complete(last.text) and i - last.last <= 2 and last.page == line.page
                    and i != last.last):
                last.text, last.last = last.text + p.text, i
            elif last is not None and i == last.last:
                last.text += p.text
            else:
                out.append(_Label(i, i, p.text, line.page))
    return out


def _groups(labels: list[_Label], rows: list[_Row], mode: str, lines: list[_BlockLine],
            first_page: int) -> tuple[dict[int, tuple[int, str]], float, list[_Label]]:
    """Row index → (the row its label's group starts at, the label), page by page (step 6); how
    far the labels stand from where the alignment puts them (in lines, plus ``LABEL_EMPTY`` per
    label of an empty row); and those labels."""
    out: dict[int, tuple[int, str]] = {}
    error = 0.0
    given: set[int] = set()
    pages = sorted({lines[r.first].page for r in rows})
    for page in pages:
        idx = [j for j, r in enumerate(rows) if lines[r.first].page == page]
        labs = [lab for lab in labels if lab.page == page]
        if not idx or not labs:
            continue
        prs = [rows[j] for j in idx]
        # Where each row's cell begins and ends: halfway to its neighbours' lines (a row of several
        # lines is as tall as they are, plus its share of the space between the rows).
        top = [prs[0].first - 0.5] + [(x.last + y.first) / 2 for x, y in zip(prs, prs[1:])]
        bottom = top[1:] + [prs[-1].last + 0.5]
        a = 0  # next row (in prs) to give a label
        groups: list[tuple[int, int, _Label]] = []
        for t, lab in enumerate(labs):
            nxt = labs[t + 1] if t + 1 < len(labs) else None
            if a >= len(prs):
                error += LABEL_EMPTY
                continue
            if mode == "top":
                start = next((x for x in range(a, len(prs)) if prs[x].last >= lab.first), None)
                if start is None or (nxt is not None and prs[start].first >= nxt.first):
                    error += LABEL_EMPTY
                    continue  # an empty row's label
                if t == 0 and page == first_page:
                    start = a
                stop = next((x for x in range(start, len(prs)) if nxt is not None and prs[x].first >= nxt.first),
                            len(prs)) - 1
                error += min(LABEL_MISPLACED_MAX, abs(prs[start].first - lab.first))
            elif mode == "bottom":
                stop = max((x for x in range(a, len(prs)) if prs[x].first <= lab.last), default=None)
                if stop is None or prs[stop].last < lab.first - 1:
                    error += LABEL_EMPTY
                    continue
                start = a
                error += min(LABEL_MISPLACED_MAX, abs(prs[stop].last - lab.last))
            else:
                if lab.last < prs[a].first - 0.5 and not (t == 0 and page != first_page):
                    error += LABEL_EMPTY
                    continue  # above the rows left: an empty row's label
                limit = len(prs) - 1
                if nxt is not None:
                    limit = max((x for x in range(a, len(prs)) if prs[x].last < nxt.first), default=a - 1)
                if limit < a:
                    error += LABEL_EMPTY
                    continue
                starts = [a]
                if t == 0 and page != first_page:  # rows before it may continue the previous page's label
                    near = min(range(a, limit + 1), key=lambda x: abs((prs[x].first + prs[x].last) / 2 - lab.center))
                    starts = list(range(max(a, near - GROUP_SEARCH), near + 1))
                best = None
                for st in starts:
                    for stop in range(st, limit + 1):
                        err = abs((prs[st].first + prs[stop].last) / 2 - lab.center)
                        if lab.last < prs[st].first or lab.first > prs[stop].last:
                            err += LABEL_OUTSIDE  # a merged cell's label stands among its rows' lines
                        key = (err + 0.05 * (st - a), abs((top[st] + bottom[stop]) / 2 - lab.center), stop)
                        if best is None or key < best[0]:
                            best = (key, st, stop)
                        if prs[stop].last > 2 * lab.center - prs[st].first + 2:
                            break
                (err, _, _), start, stop = best
                error += min(LABEL_MISPLACED_MAX, err)
            groups.append((start, stop, lab))
            a = stop + 1
        if groups and mode != "top":  # rows after the last group: still its label's
            start, _, lab = groups[-1]
            groups[-1] = (start, len(prs) - 1, lab)
        for start, stop, lab in groups:
            given.add(id(lab))
            for x in range(start, stop + 1):
                out[idx[x]] = (idx[start], lab.text)
    return out, error, [lab for lab in labels if id(lab) not in given]


def _block_rows(block: _Block) -> list[list[tuple[str, tuple[int, int] | None]]]:
    """The block's rows for the grid: (text, the row its merged label starts at, or None) per
    cell, column 0 the block's own label (not kept)."""
    lines, cols = block.lines, block.cols
    first_page = lines[0].page if lines else 0
    labels = {k: _labels(lines, k) for k, c in enumerate(cols) if c.role in LABEL_COLUMNS}
    order = sorted(labels, key=lambda k: cols[k].role != "level2")  # 二级 first: its empty rows count for 一级
    best = None
    for mode in MODES:  # the alignment the rows and the labels fit best together
        rows, cost = _rows(lines, cols, mode)
        merged = {}
        empty: list[_Row] = []  # rows that hold only a 二级 label (湘潭's 经济效益指标): rows for the 一级 labels
        for k in order:
            if not empty:
                merged[k], error, left = _groups(labels[k], rows, mode, lines, first_page)
            else:
                both = sorted(rows + empty, key=lambda r: r.first)
                real = {id(r): j for j, r in enumerate(rows)}
                found, error, left = _groups(labels[k], both, mode, lines, first_page)
                at = {j: real[id(r)] for j, r in enumerate(both) if id(r) in real}
                merged[k] = {}
                for j, (start, text) in found.items():
                    if j in at:  # the group's first real row carries the label
                        first = next(at[x] for x in range(start, len(both)) if x in at)
                        merged[k][at[j]] = (first, text)
            if cols[k].role == "level2":
                empty = [_Row(lab.first, lab.last, {}) for lab in left]
            cost += LABEL_WEIGHT * error
        if best is None or cost < best[0]:
            best = (cost, rows, merged, mode)
    _, rows, merged, _ = best
    block.mode = best[3]
    out = []
    for j, row in enumerate(rows):
        cells: list[tuple[str, tuple[int, int] | None]] = [("", None)]
        for k in range(len(cols)):
            if k in merged:
                start, text = merged[k].get(j, (j, ""))
                cells.append((text if start == j else "", None if start == j else (start, k + 1)))
                continue
            by_line: dict[int, list[str]] = {}
            for i, p in row.cells.get(k, []):
                by_line.setdefault(i, []).append(p.text)
            cells.append((_join_lines([" ".join(by_line[i]) for i in sorted(by_line)]), None))
        out.append(cells)
    return out


# --- forms (step 1) ---------------------------------------------------------------------------

@dataclass
class _Form:
    facts: list[list[str]] = field(default_factory=list)  # lines that name the department or money unit
    parts: list = field(default_factory=list)  # head row lists and blocks, in order

    @property
    def has_block(self) -> bool:
        return any(isinstance(p, _Block) for p in self.parts)


def _is_title(line: _Line) -> bool:
    n = _norm(line.text)
    if "绩效目标" not in n or "表" not in n:
        return False
    cells = head_cells(line.text)
    return len(cells) <= 2 and not any(_is_head_label(c.text) for c in cells)


_FACTS = re.compile(r"^\s*(部门(名称)?|填报单位)\s*([(（]\s*盖章\s*[)）])?\s*[:：]|金额单位\s*[:：]")


def _is_facts(line: _Line) -> bool:
    """A line naming the department or the money unit (``部门：…  金额单位：万元`` under jixiao's form)."""
    return _FACTS.search(line.text) is not None


def _ends_block(line: _Line, cols: list[_Column]) -> bool:
    """A signature or review line under the form, at its left edge (``财政部门审核意见``, or its
    first line where the label wraps: ``主管部门审`` / ``核意见``)."""
    first = line.pieces[0] if line.pieces else None
    if first is None or first.start > cols[0].start + 2:
        return False
    n = _norm(first.text)
    return any(n.startswith(w) or (len(n) >= 4 and w.startswith(n)) for w in _BLOCK_END)


def _headers(lines: list[_Line]) -> dict[int, list[_Column]]:
    """Every indicator header line's columns; the pieces of wrapped header words it took from the
    lines around it are blanked there."""
    found: dict[int, list[_Column]] = {}
    for i, line in enumerate(lines):
        if line.pieces and _is_header(line):
            cols, took = _header(lines, i)
            found[i] = cols
            for j, q in took:
                lines[j].pieces = [p for p in lines[j].pieces if p is not q]
                lines[j].text = lines[j].text[:q.start] + " " * (q.end - q.start) + lines[j].text[q.end:]
    return found


def _forms(lines: list[_Line]) -> list[_Form]:
    headers = _headers(lines)
    forms: list[_Form] = [_Form()]
    head: list[_Line] = []
    block: _Block | None = None
    pending: list[tuple[int, list[Piece]]] = []  # the current header's lines: (page, pieces)
    cols: list[_Column] = []

    def flush_head() -> None:
        if head:
            forms[-1].parts.append(list(head))
            head.clear()

    def flush_lines() -> None:
        if block is not None and pending:
            block.lines += _place_lines(pending, cols)
            pending.clear()

    last_page = -1
    page_started = True  # no line of the page read yet
    ended = False  # the block was ended by a signature or review line
    for i, line in enumerate(lines):
        if line.page != last_page:
            page_started, last_page = True, line.page
        if line.blank:
            if block is not None and not ended:
                pending.append((line.page, []))
            continue
        if _is_title(line) and forms[-1].has_block:
            flush_lines()
            flush_head()
            forms.append(_Form())
            block, ended = None, False
        if i in headers:
            last = next((ps for _, ps in reversed(pending) if ps), None) if block is not None and not ended else None
            named = last is not None and len(last) == 1 and "指标" in last[0].text and not _level_piece(last[0].text)
            if block is not None and page_started and not ended and not named:  # repeated on a new page
                flush_lines()
                cols = headers[i]
                page_started = False
                continue
            titles: list[list[str]] = []
            if named:  # the line just above names the next block (年度绩效指标)
                while pending and not pending[-1][1]:
                    pending.pop()
                titles.append([pending.pop()[1][0].text])
            flush_lines()
            flush_head()
            cols = headers[i]
            block = _Block(cols, [c.text for c in cols], titles)
            forms[-1].parts.append(block)
            ended = page_started = False
            continue
        page_started = False
        if _is_facts(line):
            forms[-1].facts.append([c.text for c in head_cells(line.text)])
            continue
        if block is not None:
            if not ended and _ends_block(line, cols):
                flush_lines()
                ended = True
            elif not ended:
                pending.append((line.page, line.pieces))
            continue  # signature lines under the form are not read
        head.append(line)
    flush_lines()
    flush_head()
    return [f for f in forms if f.parts or f.facts]


def _grid(form: _Form) -> _Grid:
    rows: list[list[tuple[str, tuple[int, int]]]] = []

    def plain(texts: list[str]) -> None:
        r = len(rows)
        rows.append([(t, (r, c)) for c, t in enumerate(texts)])

    blocks = {id(part): _block_rows(part) for part in form.parts if isinstance(part, _Block)}
    mode = next((part.mode for part in form.parts if isinstance(part, _Block)), "center")
    for texts in form.facts:
        plain(texts)
    for part in form.parts:
        if not isinstance(part, _Block):
            for texts in _head_rows(part, mode):
                plain(texts)
            continue
        for texts in part.title_rows:
            plain(texts)
        plain([""] + part.header_row)
        base = len(rows)
        for row in blocks[id(part)]:
            r = len(rows)
            rows.append([(t, (r, c) if origin is None else (base + origin[0], origin[1]))
                         for c, (t, origin) in enumerate(row)])
    return _Grid.from_rows(rows)


# --- entry points -----------------------------------------------------------------------------

def read_targets_text(text: str, source: str = "<text>") -> TargetSheet:
    """The 绩效目标表 in ``pdftotext -layout`` text (InputError when it is not one or cannot be read)."""
    if not text.strip():
        raise InputError("文本为空", "the text is empty", source=source)
    try:
        forms = _forms(_lines(text))
    except InputError as exc:
        exc.source = exc.source or source
        raise
    if not any(f.has_block for f in forms) and not is_layout_text(text):
        raise InputError(
            "这是不带 -layout 选项的 pdftotext 文本（或没有按栏排列的文本）：绩效目标表的行和栏已被打乱，"
            "无法可靠读取；请用 pdftotext -layout 重新转换，或直接导入 PDF 或 XLSX",
            "this is pdftotext output without -layout (or text not laid out in columns): the targets form's rows "
            "and columns are torn apart and cannot be read reliably; convert again with pdftotext -layout, or "
            "import the PDF or XLSX itself", source=source)
    if not any(f.has_block for f in forms):
        raise InputError("文本中找不到绩效指标的表头（一级指标、二级指标、三级指标、指标值）",
                         "no indicator header in the text (一级指标, 二级指标, 三级指标, 指标值)", source=source)
    return _sheet_of([(f"第{i}张表", _grid(f)) for i, f in enumerate(forms, start=1)], "", "", source)


def head_is_targets_text(head: bytes) -> bool:
    """Whether the first bytes of a file are the text of a 绩效目标表 (:func:`looks_like_targets_text`)
    — asked before a child process is started for it; the child reads the whole file."""
    from .importer import wide_encoding

    if not head.strip() or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[", b"%PDF", b"PK")):
        return False
    wide = wide_encoding(head[:4])
    for encoding in ([wide] if wide else ["utf-8", "gb18030"]):
        try:
            text = head.decode(encoding, errors="strict")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not a character cut at the end of the head
                continue
            text = head[:exc.start].decode(encoding, errors="ignore")
        return looks_like_targets_text(text.lstrip("\ufeff"))
    return False
