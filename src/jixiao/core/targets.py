"""Read one indicator cell (年度指标内容 or 完成情况) into measurable items.

A cell such as 「开展专题学习活动次数≧1；参加党务干部人数≧100。」 holds several 三级
indicators. :func:`parse_cell` splits it and reads each one as

* ``quantity`` — an operator, a value (and an upper bound for ranges such as ``5—6家``)
  and a normalised unit (``参加党务干部人数≧100``, ``140人次``, ``98%以上``, ``2000多名``);
* ``deadline`` — a date to finish by (``7月前完成…``, ``12月底前``, ``2021年11月30日前``,
  ``6月底完成``) or the word ``及时``/``按时`` without a date;
* ``qualitative`` — an evaluative phrase without a number (``有效``, ``合格``, ``效果明显``);
* ``unknown`` — anything else, with the reason in Chinese (``整理成本``: only a topic).

The rules, every operator, word and unit are listed in docs/indicators.md.

Why a hand-written scanner rather than one big regular expression: published cells are
free text up to thousands of characters, and a parser that must never take more than
linear time cannot use patterns that backtrack. Every number is found by one linear
``finditer`` pass; everything else looks at a bounded window around each number.
"""

from __future__ import annotations

import bisect
import calendar
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

KINDS = ("quantity", "deadline", "qualitative", "unknown")
OPS = (">=", "<=", "=", ">", "<", "range")


# The characters str.isdigit() accepts: decimal digits (\d) and the other digits (², ①, ⑴ …).
# One regular-expression search instead of a Python loop over the characters: a long cell is
# scanned in C, so the parser's work stays linear in the text (tests/core/test_targets_fuzz.py).
_DIGIT = re.compile("[\\d\U000000b2-\U000000b3\U000000b9\U00001369-\U00001371\U000019da\U00002070\U00002074-\U00002079\U00002080-\U00002089\U00002460-\U00002468\U00002474-\U0000247c\U00002488-\U00002490\U000024ea\U000024f5-\U000024fd\U000024ff\U00002776-\U0000277e\U00002780-\U00002788\U0000278a-\U00002792\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a]")


def has_digit(text: str) -> bool:
    """Whether any character of ``text`` is a digit in the sense of ``str.isdigit``."""
    return _DIGIT.search(text) is not None


class Item(NamedTuple):
    """One 三级 indicator read from a cell.

    ``text`` is the item's text exactly as in the cell (numbering and end punctuation
    trimmed). ``span`` is its ``(start, end)`` offset in the cell. Deadlines carry the
    latest allowed date: ``deadline_day`` 0 means "before the month begins"
    (``7月前``), 1–31 the last allowed day (``12月底前`` → 31).

    Immutable, compared and hashed by its fields. A named tuple rather than a frozen
    dataclass: a province-year makes ~400,000 of them from remembered readings (_item), and a
    tuple is made in one step where a frozen dataclass sets its 14 fields one by one.
    """

    text: str
    kind: str
    op: str | None = None
    value: Decimal | None = None
    upper: Decimal | None = None
    unit: str | None = None
    subject: str = ""
    reason: str = ""
    op_text: str = ""  # the operator word or symbol found, folded: "≥" (for ≧ ≥ >=…), "不少于", "以上", "多"
    unit_inferred: bool = False  # unit taken from the subject (人数 → 人), not written
    deadline_year: int | None = None
    deadline_month: int | None = None
    deadline_day: int | None = None
    span: tuple[int, int] = (0, 0)

    @property
    def has_date(self) -> bool:
        return self.deadline_month is not None

    @property
    def strict_operator(self) -> bool:
        """True when the operator is one that states a target (≥, 不少于…), not a result (以上, 多)."""
        return self.op_text in STRICT_OPS


# --- folding -------------------------------------------------------------------------------

def _fold_table() -> dict[int, str]:
    # Full-width ASCII (ＡＢＣ１２３＞＝；（）) and the small forms (﹦﹤﹥) fold to ASCII
    # through NFKC. Only single-character results are kept so that every offset in the
    # folded text is the offset in the original: items keep their verbatim text. NFKC is
    # not applied to the whole cell because it would also turn ① into 1 and ㎡ into m2.
    table: dict[int, str] = {}
    for cp in list(range(0xFF01, 0xFF5F)) + list(range(0xFE50, 0xFE6C)):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if len(folded) == 1 and folded != chr(cp):
            table[cp] = folded
    table.update({0x3000: " ", 0x00A0: " ", 0x2550: "=", 0xFF5E: "~", 0x301C: "~",
                  0x2266: "≤", 0x2267: "≥", 0x2A7D: "≤", 0x2A7E: "≥"})
    # ≦ ≧ ⩽ ⩾ mean ≤ ≥ (both forms occur in published tables).
    return table


_FOLD = _fold_table()
_FOLD_CHARS = {chr(cp): folded for cp, folded in _FOLD.items()}
# str.translate looks every character up in the table (a dict miss per CJK character);
# most cells have no foldable character at all, and one regex search finds out.
_FOLDABLE_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_FOLD_CHARS)) + "]")


def _fold_match(m: re.Match) -> str:
    return _FOLD_CHARS[m.group()]


def fold(text: str) -> str:
    """Full-width digits, letters and operators to ASCII; same length as ``text``."""
    if _FOLDABLE_RE.search(text) is None:
        return text
    return _FOLDABLE_RE.sub(_fold_match, text)


def fold_key(text: str) -> str:
    """``text`` folded (:func:`fold`) with its white space dropped: the key by which a project's or
    an indicator's name, or a target's text, is the same as another (pre-fill and JX611, JX612)."""
    return "".join(fold(text).split())


# --- vocabulary ----------------------------------------------------------------------------

# Operators written before the number. Order matters: longest first.
PREFIX_OPS: tuple[tuple[str, str], ...] = (
    (">=", ">="), ("=>", ">="), ("<=", "<="), ("=<", "<="), ("≥", ">="), ("≤", "<="),
    ("大于等于", ">="), ("大于或等于", ">="), ("小于等于", "<="), ("小于或等于", "<="),
    ("不少于", ">="), ("不低于", ">="), ("不小于", ">="), ("不得少于", ">="), ("不得低于", ">="),
    ("不超过", "<="), ("不高于", "<="), ("不大于", "<="), ("不多于", "<="), ("不得超过", "<="),
    ("不得高于", "<="), ("至少", ">="), ("最少", ">="), ("最多", "<="), ("最高", "<="),
    ("大于", ">"), ("高于", ">"), ("多于", ">"), ("超过", ">"), ("小于", "<"), ("低于", "<"),
    ("少于", "<"), ("等于", "="), ("达到", ">="), ("达", ">="), (">", ">"), ("<", "<"), ("=", "="), ("≈", "="),
    ("约", "="), ("控制在", "<="),
)
# Soft operator words: a word after the unit (以上, 以内) overrides them (达到98%以上).
SOFT_OPS = frozenset({"达到", "达", "约", "控制在"})
# Operators whose presence marks a *target* statement; seen in a 完成情况 cell they mean the
# target was restated instead of an achievement being reported.
STRICT_OPS = frozenset({
    ">=", "=>", "<=", "=<", "≥", "≤", "≧", "≦", "⩾", "⩽", ">", "<", "＞", "＜",
    "大于等于", "大于或等于", "小于等于", "小于或等于", "不少于", "不低于", "不小于",
    "不得少于", "不得低于", "不超过", "不高于", "不大于", "不多于", "不得超过", "不得高于",
    "至少", "最少", "最多", "最高",
})
# Operators written after the number (and unit).
SUFFIX_OPS: tuple[tuple[str, str], ...] = (
    ("及以上", ">="), ("以上", ">="), ("之上", ">="), ("及以下", "<="), ("以下", "<="),
    ("以内", "<="), ("之内", "<="), ("内", "<="), ("左右", "="),
)
# Between number and unit: 2000多名, 2000余人 (more than), 约 handled as prefix.
APPROX_OVER = ("多", "余", "来")

# Units as written → normalised unit. Matched longest first right after the number.
UNITS: dict[str, str] = {
    "%(百分比)": "%", "(百分比)": "%", "百分比": "%", "%": "%", "‰": "‰",
    "个百分点": "百分点", "百分点": "百分点",
    "万元": "万元", "元": "元", "亿元": "亿元", "千元": "千元",
    "人次": "人次", "人日": "人日", "人天": "人日", "人": "人", "名": "人", "位": "人",
    "场次": "场次", "场": "场", "台次": "台次", "车次": "车次", "架次": "架次",
    "次": "次", "期": "期", "批次": "批", "批": "批", "轮": "轮", "届": "届",
    "个月": "月", "个工作日": "工作日", "工作日": "工作日", "个": "个",
    "项": "项", "家": "家", "户": "户", "亩": "亩", "例": "例", "件": "件", "篇": "篇",
    "份": "份", "种": "种", "组": "组", "台": "台", "所": "所", "座": "座", "辆": "辆",
    "套": "套", "本": "本", "册": "册", "条": "条", "处": "处", "间": "间", "张": "张",
    "株": "株", "棵": "棵", "吨": "吨", "千克": "千克", "公斤": "千克", "kg": "千克",
    "公里": "公里", "千米": "公里", "km": "公里", "平方米": "平方米", "㎡": "平方米",
    "立方米": "立方米", "米": "米", "天": "天", "日": "天", "小时": "小时", "分钟": "分钟",
    "周岁": "岁", "周": "周", "年": "年", "床": "床", "班": "班", "部": "部", "首": "首", "幅": "幅",
    "栋": "栋", "盏": "盏", "宗": "宗", "笔": "笔", "门": "门", "课时": "课时", "学时": "学时",
    "节": "节", "支": "支", "队": "队", "点": "点", "分": "分", "岁": "岁", "万人": "万人",
}


def _by_length(words) -> tuple[int, ...]:
    return tuple(sorted({len(w) for w in words}, reverse=True))


def _words(table, edge: int) -> tuple:
    """A vocabulary for _word_at (``edge`` 0: the words' first characters) or _word_before
    (``edge`` -1: their last characters): (table, word lengths longest first, edge characters).
    Most positions start (or end) no word: one set test then answers instead of a slice and a
    lookup per word length."""
    return table, _by_length(table), frozenset(w[edge] for w in table)


# Vocabulary lookups try each word length once (longest first) instead of every word:
# a handful of dict probes per number keeps the scanner fast on long cells.
_UNIT_WORDS = _words(UNITS, 0)
_PREFIX = dict(PREFIX_OPS)
_PREFIX_WORDS = _words(_PREFIX, -1)
_SUFFIX = dict(SUFFIX_OPS)
_SUFFIX_WORDS = _words(_SUFFIX, 0)

# When no unit is written, the subject often names it: 参加党务干部人数≧100 counts people.
SUBJECT_UNITS: tuple[tuple[str, str], ...] = (
    ("满意度", "%"), ("满意率", "%"), ("率", "%"), ("比例", "%"), ("占比", "%"), ("比重", "%"),
    ("人次", "人次"), ("人数", "人"), ("次数", "次"), ("场次", "场次"), ("个数", "个"),
    ("项目数", "项"), ("项数", "项"), ("户数", "户"), ("家数", "家"), ("天数", "天"),
    ("件数", "件"), ("篇数", "篇"), ("期数", "期"),
)

# Parts of the year named without digits → (month, last allowed day).
YEAR_PART_DEADLINES: tuple[tuple[str, tuple[int, int]], ...] = (
    ("上半年", (6, 30)), ("年底", (12, 31)), ("年末", (12, 31)), ("年内", (12, 31)),
    ("年度内", (12, 31)),
)
DEADLINE_WORDS = ("及时", "按时", "准时", "如期", "按期", "限期")
QUALITATIVE_WORDS = (
    "有效", "合格", "明显", "显著", "达成", "达到", "达标", "满意", "提升", "提高", "改善",
    "增强", "加强", "促进", "推动", "推进", "保障", "确保", "完善", "规范", "稳定", "正常",
    "顺利", "良好", "优良", "优质", "符合", "实现", "完成", "落实", "扩大", "培育", "发挥",
    "降低", "减少", "节约", "持续", "可持续", "标准化", "信息化", "得到", "取得", "成效",
    "效果", "效益", "影响", "作用", "安全", "准确", "无差错", "全面", "充分", "按规定", "规定",
    "标准", "要求", "不合格", "未完成", "未达", "较差", "基本", "部分", "有所",
    "合规", "合法", "优秀", "高效", "指导", "支持", "支撑", "带动", "引导", "满足", "覆盖", "通过",
    "做好", "美化", "绿化", "净化", "优化",
    # the values of the common 定性 indicators (制度健全性, 结构合理性, 产权明确性 …)
    "健全", "合理", "明确", "完整", "健康", "整洁", "清晰", "齐全", "完备", "科学", "透明", "严格", "到位",
)
# A whole item this short (at most 2 characters, all Chinese: 高, 好, 是, 优, 合规) is an
# answer to its indicator's question — a qualitative target — unless it says there is none.
SHORT_ANSWER_MAX = 2
PLACEHOLDERS = frozenset({"无", "暂无", "没有", "空", "略"})
# An item ending in one of these answers its indicator's name written before it
# (管理制度健全性高, 种薯采购价格不高于市场价是).
ANSWER_ENDINGS = ("是", "否", "高", "好", "优", "良", "强")
# Modal, causative and comparative words make a statement of what is to be, not a name
# (资源采购期以当年为主, 查询范围可扩展到省图, 使读者更方便快捷查找检阅).
STATEMENT_MARKERS = ("可", "能", "使", "让", "更", "以", "为主")

_NUM_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)?")
_MAX_DIGITS = 24  # longer digit runs are not indicator values (ids, garbage)
_STRONG_SEP_RE = re.compile(r"[;\n\r。]+")
_WEAK_SEPS = frozenset(",、")
_WEAK_SEP_RE = re.compile("[,、]")
# A list marker at the start of an item: (1) 1、 1. ① 一、
_MARKER_RE = re.compile(r"\s*(?:\([0-9]{1,2}\)|[0-9]{1,2}、|[0-9]{1,2}\.(?![0-9])|[①-⑳]|[一二三四五六七八九十]{1,2}[、是])\s*")
# A list marker in the middle of a line, after a space or comma: starts a new item (at the
# match's end). The space or comma is matched rather than looked behind for: the scan then
# stops only at those characters.
_INLINE_MARKER_RE = re.compile(r"[\s,](?=\([0-9]{1,2}\)|[0-9]{1,2}、|[0-9]{1,2}\.(?![0-9])|[①-⑳])")
# Characters a list marker (_MARKER_RE) can start with, besides white space.
_MARKER_FIRST = frozenset("(0123456789一二三四五六七八九十" + "".join(chr(c) for c in range(ord("①"), ord("⑳") + 1)))
_RANGE_SEPS = ("——", "—", "–", "-", "~", "至", "到", "－")
_RANGE_FIRST = frozenset(sep[0] for sep in _RANGE_SEPS)
_TRIM = " \t\u3000,、.:;。，；：“”\"'‘’"
_SUBJECT_TRAIL = frozenset({"控制在", "累计达", "共计", "合计", "累计", "达到", "完成", "实现", "共", "达",
                            "为", "是", "在", "约", "近", ":", "有"})
_TRAIL_WORDS = _words(_SUBJECT_TRAIL, -1)


def _word_at(s: str, i: int, b: int, words: tuple) -> str | None:
    """The longest word of ``words`` (see _words) starting at ``i`` (not past ``b``)."""
    table, lengths, firsts = words
    if i >= b or s[i] not in firsts:
        return None
    for n in lengths:
        if i + n <= b and s[i:i + n] in table:
            return s[i:i + n]
    return None


def _word_before(s: str, j: int, floor: int, words: tuple) -> str | None:
    """The longest word of ``words`` (see _words) ending at ``j`` (not before ``floor``)."""
    table, lengths, lasts = words
    if j <= floor or s[j - 1] not in lasts:
        return None
    for n in lengths:
        if j - n >= floor and s[j - n:j] in table:
            return s[j - n:j]
    return None


@dataclass(slots=True)
class _Anchor:
    """A number that is an indicator value or a date, with the span it covers."""

    start: int  # where the operator (or number) begins
    end: int  # after the unit and suffix operator
    kind: str  # "quantity" | "deadline"
    op: str | None = None
    op_text: str = ""
    value: Decimal | None = None
    upper: Decimal | None = None
    unit: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    wan: bool = False  # a bare 万 after the number, no unit: 万元 in a money context (_anchor_item)
    op_at: int = -1  # where a loose operator word (至少 …) stands, when not right before the number


# --- public API ----------------------------------------------------------------------------

CACHE_SIZE = 1 << 18  # distinct cell texts remembered (a province-year repeats most of them)
CACHE_MAX_CHARS = 2000  # longer texts are parsed every time rather than kept in memory


# The reading contexts a 二级 kind gives (docs/indicators.md §3, "Context"): None (no context),
# MONEY (a bare 万 is 万元) and COST (money, and a money value with no operator is "at most").
MONEY = "money"
COST = "cost"
_CONTEXT_OF_KIND = {"cost": COST}


def context(kind: str | None) -> str | None:
    """The reading context of a 二级 kind key (``"cost"`` → COST); other kinds read alike
    and share one context (None), so they share their remembered readings too."""
    return _CONTEXT_OF_KIND.get(kind) if kind else None


def parse_cell(text: str, kind: str | None = None) -> list[Item]:
    """Split a cell into its indicators and read each one. Blank cell → ``[]``.

    ``kind`` is the 二级 indicator's key (``"cost"``, ``"quantity"`` …) when known: a cost
    cell reads a bare ``万`` as 万元 and a money value without an operator as "at most"."""
    return parse_in_context(text, context(kind))


def parse_in_context(text: str, ctx: str | None) -> list[Item]:
    """:func:`parse_cell` with the context given directly (None, MONEY or COST)."""
    if not text or not text.strip():
        return []
    if len(text) <= CACHE_MAX_CHARS:
        return [_item(row) for row in _parse_cached(text, ctx)]
    return list(_parse(text, ctx))


# Remembered readings are kept as flat tuples of the items' fields (_row), not as Item
# objects: tuples of strings, numbers and Decimals drop out of the garbage collector's view
# once it has seen them (one nesting level per collection, hence flat), Item objects never
# do, and a province keeps a few hundred thousand of them — every full collection would
# walk them all. An Item is rebuilt on each call instead (about a microsecond).
@lru_cache(maxsize=CACHE_SIZE)
def _parse_cached(text: str, ctx: str | None = None) -> tuple[tuple, ...]:
    return _parse_rows(text, ctx)


def _parse(text: str, ctx: str | None = None) -> tuple[Item, ...]:
    return tuple(_item(row) for row in _parse_rows(text, ctx))


def _parse_rows(text: str, ctx: str | None = None) -> tuple[tuple, ...]:
    """The items' fields (:func:`_row`), segment by segment, each segment remembered by its
    own text (:func:`_segment_rows`).

    A province's cells are made of far fewer distinct segments than distinct cells
    (``发布信息＝50条；开展培训达到15场次`` shares its parts with many other cells): 198 350
    distinct cell texts hold 79 073 distinct segments. Reading a segment depends on
    almost nothing outside it — every look at the text is bounded by the segment, and the
    few unbounded ``startswith`` tests right at its end could only match characters (元, 于,
    m, g, —) that never follow a segment, which ends at a separator, a trimmed character or
    a list marker; a number opening the segment never looks before it (_read_number) — so a
    segment read alone and moved to its offset is exactly the segment read in place
    (``tests/core/test_targets.py`` and ``test_targets_fuzz.py`` check this)."""
    if len(text) <= CACHE_MAX_CHARS and _is_one_segment(text):
        return _segment_rows(text, ctx)
    s = fold(text)
    rows: list[tuple] = []
    for seg_start, seg_end in _segments(s):
        if seg_end - seg_start > CACHE_MAX_CHARS:
            rows.extend(_parse_segment(text, s, seg_start, seg_end, ctx))
            continue
        seg_rows = _segment_rows(text[seg_start:seg_end], ctx)
        if seg_start:
            rows.extend([r[:-2] + (r[-2] + seg_start, r[-1] + seg_start) for r in seg_rows])
        else:
            rows.extend(seg_rows)
    return tuple(rows)


def _is_one_segment(text: str) -> bool:
    """True when _segments would return the whole cell as its only segment, found without
    folding or scanning it in Python: nothing in it cuts (a strong separator), no white space
    or comma (so no list marker inside), and its ends are neither a list marker nor a trimmed
    character. Most cells of a province (one indicator each) are like that."""
    if not text or _CUTTING_RE.search(text) is not None:
        return False
    first, last = fold(text[0]), fold(text[-1])
    return first not in _MARKER_FIRST and first not in _TRIM and last not in _TRIM


# Characters that (once folded) separate segments, or may precede an inline list marker.
_CUTTING = {";", ",", "。"} | {c for c, folded in _FOLD_CHARS.items() if folded in ";," or folded.isspace()}
_CUTTING_RE = re.compile(r"[\s" + "".join(re.escape(c) for c in sorted(_CUTTING)) + "]")


def _parse_in_place(text: str, ctx: str | None = None) -> tuple[Item, ...]:
    """The cell read segment by segment in place, nothing remembered (the reference for
    :func:`_parse`; used by the tests)."""
    s = fold(text)
    items: list[Item] = []
    for seg_start, seg_end in _segments(s):
        items.extend([_item(row) for row in _parse_segment(text, s, seg_start, seg_end, ctx)])
    return tuple(items)


@lru_cache(maxsize=CACHE_SIZE)
def _segment_rows(segment: str, ctx: str | None = None) -> tuple[tuple, ...]:
    """The items of one segment read on its own (spans from 0), as field tuples."""
    return tuple(_parse_segment(segment, fold(segment), 0, len(segment), ctx))


def _item(row: tuple) -> Item:
    """The Item of a remembered row (:func:`_row`): ``Item(*row[:-2], row[-2:])``, made
    without the keyword machinery of ``Item(...)``."""
    return _new_tuple(Item, row[:-2] + (row[-2:],))


_new_tuple = tuple.__new__


def _row(item: Item) -> tuple:
    """Every field of ``item`` in order, the span (last) as its two offsets:
    ``Item(*row[:-2], row[-2:]) == item``."""
    return (*item[:-1], *item.span)


def deadline_key(item: Item) -> tuple[int, int, int] | None:
    """A sortable (year or 0, month, day) for a dated deadline item."""
    if item.deadline_month is None:
        return None
    return (item.deadline_year or 0, item.deadline_month, item.deadline_day or 0)


@lru_cache(maxsize=4096)
def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]  # computes the weekday too: remember it


def describe_deadline(item: Item) -> str:
    """``12月底前`` style Chinese text for a deadline item."""
    year, month, day, end = deadline_parts(item)
    if month is None:
        return "及时"
    y = f"{year}年" if year else ""
    if end:
        return f"{y}{month}月底前"
    if day == 0:
        return f"{y}{month}月前"
    return f"{y}{month}月{day}日前"


def deadline_parts(item: Item) -> tuple[int | None, int | None, int | None, bool]:
    """(year, month, day, end of month) of a deadline item: day 0 is "before the month begins"
    (6月前), ``end`` true "by the month's last day" (6月底前, or a day on or after it); month
    None is "in time" (及时)."""
    month = item.deadline_month
    if month is None:
        return item.deadline_year, None, None, False
    day = item.deadline_day
    if day == 0:
        return item.deadline_year, month, 0, False
    if day is None or day >= _month_days(item.deadline_year or 2001, month):
        return item.deadline_year, month, None, True
    return item.deadline_year, month, day, False


# --- segmentation ---------------------------------------------------------------------------

def _segments(s: str) -> list[tuple[int, int]]:
    """Strong separators (；;。line breaks) and list markers cut the cell into segments.

    One pass of each regular expression over the whole cell, then a merge of the cut points.
    """
    markers = [m.end() for m in _INLINE_MARKER_RE.finditer(s)]
    pieces: list[tuple[int, int]] = []
    pos = 0
    mi = 0
    for m in _STRONG_SEP_RE.finditer(s):
        while mi < len(markers) and markers[mi] < m.start():
            if markers[mi] > pos:
                pieces.append((pos, markers[mi]))
                pos = markers[mi]
            mi += 1
        pieces.append((pos, m.start()))
        pos = m.end()
    for x in markers[mi:]:
        if x > pos:
            pieces.append((pos, x))
            pos = x
    pieces.append((pos, len(s)))
    out: list[tuple[int, int]] = []
    for x, y in pieces:
        if x >= y:
            continue
        c = s[x]
        if c in _MARKER_FIRST or c.isspace():  # else _MARKER_RE cannot match: skip it
            m = _MARKER_RE.match(s, x, y)
            if m:
                x = m.end()
        if x < y and (s[x] in _TRIM or s[y - 1] in _TRIM):
            x, y = _strip_span(s, x, y)
        if x < y:
            out.append((x, y))
    return out


def _strip_span(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a] in _TRIM:
        a += 1
    while b > a and s[b - 1] in _TRIM:
        b -= 1
    return a, b


def _parse_segment(original: str, s: str, a: int, b: int, ctx: str | None = None) -> list[tuple]:
    """The items of the segment ``s[a:b]`` as field tuples (:func:`_row`; :func:`_item` makes
    the Item). Tuples, not Items: most of them go straight into the memo of segments, and a
    frozen dataclass's keyword ``__init__`` costs several times a tuple."""
    anchors = _anchors(s, a, b)
    if not anchors:
        return [_wordy_item(original, s, a, b)]
    if len(anchors) == 1:  # the common case: the item is the whole segment
        x, y = _strip_span(s, a, b)
        return [_anchor_item(original, s, x, y, anchors[0], ctx)]
    # Several values in one segment (电脑3台，办公桌椅1批): one item per value. An item ends
    # at the first comma/、 after its value (or right after the value if there is none), so
    # words that follow belong to the next value, whose subject they usually are.
    weak = [m.start() for m in _WEAK_SEP_RE.finditer(s, a, b)]
    bounds = [a]
    for prev, _cur in zip(anchors, anchors[1:]):
        k = bisect.bisect_left(weak, prev.end)
        cut = weak[k] if k < len(weak) and weak[k] < _cur.start else prev.end
        bounds.append(max(cut, bounds[-1]))
    bounds.append(b)
    items = []
    for anchor, x, y in zip(anchors, bounds, bounds[1:]):
        x, y = _strip_span(s, x, y)
        items.append(_anchor_item(original, s, x, y, anchor, ctx))
    return items


# The rows below list every field of Item in order (_row): text, kind, op, value, upper, unit,
# subject, reason, op_text, unit_inferred, deadline_year, deadline_month, deadline_day, span.

def _wordy_item(original: str, s: str, a: int, b: int) -> tuple:
    text = original[a:b]
    t = s[a:b]
    for word, (month, day) in YEAR_PART_DEADLINES:
        if word in t:  # 年底前完成, 上半年完成: a date without digits (the table's year)
            return (text, "deadline", "<=", None, None, None, _clean_subject(text), "",
                    "前" if "前" in t else "", False, None, month, day, a, b)
    if any(w in t for w in DEADLINE_WORDS):
        return (text, "deadline", None, None, None, None, _clean_subject(text), "", "", False, None, None, None,
                a, b)
    if (any(w in t for w in QUALITATIVE_WORDS) or _short_answer(t) or _all_who_qualify(t)
            or any(w in t for w in STATEMENT_MARKERS)):
        return (text, "qualitative", None, None, None, None, _clean_subject(text), "", "", False, None, None,
                None, a, b)
    if has_digit(t):
        reason = "含有数字，但不是可识别的指标值（缺少单位或比较符号）"
    elif len(t) <= 12:
        reason = "只写了指标名称，没有指标值、时限或定性要求"
    else:
        reason = "没有找到数值、时限或定性用语"
    return (text, "unknown", None, None, None, None, _clean_subject(text), reason, "", False, None, None, None,
            a, b)


def _short_answer(t: str) -> bool:
    """高, 好, 是, 合规: a short answer (SHORT_ANSWER_MAX Chinese characters at most), alone or
    after the indicator's name (预决算信息公开性高)."""
    if len(t) <= SHORT_ANSWER_MAX:
        return t not in PLACEHOLDERS and all("\u4e00" <= c <= "\u9fff" for c in t)
    return t.endswith(ANSWER_ENDINGS)


def _all_who_qualify(t: str) -> bool:
    """应保尽保, 应补尽补, 应收尽收: "every one who should be X is X" (应X尽X)."""
    i = t.find("应")
    while 0 <= i <= len(t) - 4:
        if t[i + 2] == "尽" and t[i + 1] == t[i + 3]:
            return True
        i = t.find("应", i + 1)
    return False


def _anchor_item(original: str, s: str, a: int, b: int, an: _Anchor, ctx: str | None = None) -> tuple:
    a = min(a, an.start)
    b = max(b, an.end)
    # The subject is read from the original text so that it keeps its full-width punctuation.
    if an.op_at >= a:  # 至少全年完成2次: the subject without the operator word
        word = len(an.op_text) - 1  # op_text is the word and "…"
        subject = _clean_subject(original[a:an.op_at] + original[an.op_at + word:an.start])
    else:
        subject = _clean_subject(original[a:an.start])
    if not subject:
        subject = _clean_subject(original[an.end:b])
    if an.kind == "deadline":
        op_text = "前" if "前" in s[an.start:an.end] else ""
        return (original[a:b], "deadline", "<=", None, None, None, subject, "", op_text, False,
                an.year, an.month, an.day, a, b)
    unit, inferred = an.unit, False
    value, upper, op = an.value, an.upper, an.op
    if an.wan and (ctx is not None or _MONEY_SUBJECT_RE.search(subject) is not None):
        # 200万 in a money context: 200 万元, not 2 000 000 of nothing.
        value, unit = value / _TEN_THOUSAND, "万元"
        upper = upper / _TEN_THOUSAND if upper is not None else None
    if unit is None:
        for word, u in SUBJECT_UNITS:
            if word in subject:
                unit, inferred = u, True
                break
    if op == "=" and not an.op_text:
        if ctx == COST and unit is not None and unit.partition("/")[0] in MONEY_UNITS and "标准" not in subject:
            # A cost written without an operator is a ceiling: spending less is the aim. A
            # standard (补助标准1000元/生.年) is a level paid as it is, not a ceiling.
            op = "<="
        elif unit == "%" and _CEILING_RATE_RE.search(subject) is not None:
            op = "<="  # 预算调整率3%, 公用经费控制率100%: a rate of something to keep down
    return (original[a:b], "quantity", op, value, upper, unit, subject, "", an.op_text, inferred,
            None, None, None, a, b)


MONEY_UNITS = frozenset({"元", "万元", "亿元"})
# Rates that are kept down (a ceiling when no operator is written): docs/indicators.md §3.
CEILING_RATE_WORDS = ("控制率", "调整率", "结余率", "偏差率", "差错率", "误差率", "投诉率", "发生率", "事故率",
                      "失误率", "超支率", "流失率", "返工率", "损耗率", "不合格率", "违规率", "闲置率", "空置率")
_CEILING_RATE_RE = re.compile("|".join(CEILING_RATE_WORDS))
# Subjects that make a bare 万 mean 万元 (docs/indicators.md §3).
MONEY_SUBJECT_WORDS = ("成本", "资金", "经费", "费", "预算", "金额", "投资", "支出", "补助", "补贴", "款")
_MONEY_SUBJECT_RE = re.compile("|".join(MONEY_SUBJECT_WORDS))
_TEN_THOUSAND = Decimal(10000)


def _clean_subject(t: str) -> str:
    """The words before a value, without trailing verbs (累计达, 完成, 为) and operators.

    Works on an end index and slices once: stripping by re-slicing in a loop would copy
    the text once per stripped word (quadratic on 共共共…共).
    """
    t = t.strip(_TRIM)
    end = len(t)
    while end:
        w = _word_before(t, end, 1, _TRAIL_WORDS)
        if w is None:
            break
        end -= len(w)
        while end and t[end - 1] in _TRIM:
            end -= 1
    w = _word_before(t, end, 0, _PREFIX_WORDS)
    if w is not None:
        end -= len(w)
        while end and t[end - 1] in _TRIM:
            end -= 1
    return t[:end]


# --- the number scanner ---------------------------------------------------------------------

def _anchors(s: str, a: int, b: int) -> list[_Anchor]:
    out: list[_Anchor] = []
    consumed = a
    for m in _NUM_RE.finditer(s, a, b):
        if m.start() < consumed:
            continue
        anchor = _read_number(s, m.start(), m.end(), a, b, consumed)
        if anchor is not None:
            out.append(anchor)
            consumed = anchor.end
    return out


def _skip_spaces(s: str, i: int, b: int) -> int:
    while i < b and s[i] in " \t":
        i += 1
    return i


def _decimal(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only passes digits
        return None


def _read_number(s: str, n0: int, n1: int, a: int, b: int, floor: int) -> _Anchor | None:
    token = s[n0:n1]
    if len(token) > _MAX_DIGITS:
        return None
    prev = s[n0 - 1] if n0 > a else ""
    if prev.isascii() and prev.isalpha():
        return None  # G20, APP2, 5G-style names are not values
    if n1 < b and s[n1].isascii() and s[n1].isalpha() and _LATIN_UNIT_RE.match(s, n1, b) is None:
        return None
    # (prev is "" at the segment's start, and "" in " \t" is true: without the guard the
    # look-back would wrap to s[-1], the cell's last character, and read 3人第 as an ordinal.)
    if prev == "第" or (prev and prev in " \t" and s[_back_skip(s, n0 - 1, a)] == "第"):
        return None  # 第2期: an ordinal
    if prev == "标" and n0 - 2 >= a and s[n0 - 2] == "指":
        return None  # 指标1: the indicator's number in its name
    i = _skip_spaces(s, n1, b)
    # Dates: 2021年11月30日前, 6月底完成, 2020年底前.
    if i < b and s[i] == "年" and len(token) == 4 and token[:2] in ("19", "20"):
        return _read_year(s, n0, i + 1, b, int(token))
    # A month is 1–12 written plainly ("1,000月" is not one; int() would refuse the comma).
    if i < b and s[i] == "月" and "." not in token and "," not in token and 1 <= int(token) <= 12:
        # The year may not reach back into the previous item (1,0002021年11月: "0002021年" is one).
        year = _year_before(s, n0, max(a, floor))
        start = n0 if year is None else year[1]
        return _read_month(s, start, i + 1, b, year[0] if year else None, int(token))
    value = _decimal(token)
    if value is None:
        return None
    upper = None
    op, op_text, start = _prefix_op(s, n0, max(a, floor))
    # ±10%以内: a symmetric range.
    if start == n0 and n0 > a and s[n0 - 1] == "±":
        op, op_text, start, upper, value = "range", "±", n0 - 1, value, -value
    # Ranges: 5—6家, 5-6家, 5至6家.
    for sep in (_RANGE_SEPS if i < b and s[i] in _RANGE_FIRST else ()):
        if s.startswith(sep, i):
            j = _skip_spaces(s, i + len(sep), b)
            m = _NUM_RE.match(s, j, b)
            if m and len(m.group()) <= _MAX_DIGITS:
                upper = _decimal(m.group())
                op, op_text = "range", sep
                i = _skip_spaces(s, m.end(), b)
                # 1-12月, 2021年3-6月份: months of the year, not a number range — done by the
                # last month's end (a date, read like 12月).
                if (i < b and s[i] == "月" and upper is not None and upper == upper.to_integral_value()
                        and "." not in token and "," not in token and 1 <= value <= upper <= 12):
                    year = _year_before(s, n0, max(a, floor))
                    return _read_month(s, n0 if year is None else year[1], i + 1, b,
                                       year[0] if year else None, int(upper))
            break
    approx = ""
    if i < b and s[i] in APPROX_OVER and not (s[i] == "多" and s.startswith("多于", i)):
        approx, i = s[i], i + 1
    unit = None
    wan = False
    if s.startswith("亿元", i):
        value, unit, i = value * 10000, "万元", i + 2
        upper = upper * 10000 if upper is not None else None
    elif i < b and s[i] == "万" and not s.startswith("万元", i):
        value, i, wan = value * 10000, i + 1, True
        upper = upper * 10000 if upper is not None else None
    elif (i < b and s[i] == "千" and _word_at(s, i, b, _UNIT_WORDS) is None and _METRIC_RE.match(s, i, b) is None
          and (_word_at(s, i + 1, b, _UNIT_WORDS) is not None or _measure_word(s, i + 1, b))):
        value, i = value * 1000, i + 1  # 3千人, 2千只 (千元, 千米, 千克, 千瓦 are units of their own)
        upper = upper * 1000 if upper is not None else None
    if unit is None:
        i = _skip_spaces(s, i, b)
        key = _word_at(s, i, b, _UNIT_WORDS)
        if key is not None:
            unit, i = UNITS[key], i + len(key)
        elif i < b and s[i].isascii():
            m = _LATIN_UNIT_RE.match(s, i, b)
            if m is not None:  # 25TB, 4.3m, 12kW
                unit, i = LATIN_UNITS.get(m.group(), m.group()), m.end()
        else:
            n = _measure_word(s, i, b)
            if n:
                if not wan and _SERVICE_NUMBER_RE.fullmatch(token):
                    return None  # 12345热线, 96333电梯: a service line's number, not a value
                unit, i = _MEASURE_NORMAL.get(s[i:i + n], s[i:i + n]), i + n
        if unit is not None:
            wan = False  # 5万只, 1万人: 万 only multiplied
    if unit is None and op is None and not wan:
        measure = _bracket_measure(s, n0, max(a, floor))
        if measure is not None:  # 公猪舍(≥**平方米)22.8: the name's bracket gives op and unit
            op, op_text, unit = measure
    if unit == "千元":
        value, unit = value * 1000, "元"
        upper = upper * 1000 if upper is not None else None
    if unit is not None and i < b and s[i] == "/":
        n = _per_unit(s, i + 1, b)
        if n:  # 530元/人*月, 5300元/户, 0.8万元/台: a rate unit, kept as written after the slash
            unit, i = unit + s[i:i + 1 + n], i + 1 + n
    if not approx and i < b and s[i] in APPROX_OVER and unit is not None and s[i] != "多":
        approx, i = s[i], i + 1  # 2000人余 (rare) — 多 after a unit is "more" only before it
    j = _skip_spaces(s, i, b)
    suffix_op = suffix_text = None
    word = _word_at(s, j, b, _SUFFIX_WORDS)
    if word is not None:
        suffix_op, suffix_text, i = _SUFFIX[word], word, j + len(word)
    if op is None or op_text in SOFT_OPS:
        if suffix_op is not None and op != "range":
            op, op_text = suffix_op, suffix_text
        elif approx and op is None:
            op, op_text = ">", approx
    op_at = -1
    if op is None:
        if unit is None and not wan and not _stands_alone(s, i, b):
            return None  # a stray number in prose (十九大 is not digits; 3D, 12345 ids are)
        op, op_text, op_at = _loose_op(s, n0, max(a, floor))
    if op == "range" and upper is not None and value > upper:
        value, upper = upper, value
    return _Anchor(start=start, end=i, kind="quantity", op=op, op_text=op_text, value=value,
                   upper=upper if op == "range" else None, unit=unit, wan=wan, op_at=op_at)


# A measure word outside UNITS: a metric compound (厘米, 平方公里, 千瓦时, 毫升) or any one CJK
# character right after the number (192只, 0起, 15头, 5粒) — except the characters and words
# below, which follow numbers without counting anything: operators and connectors (以上, 至,
# 和, 的), magnitudes and numerals (万, 千, 两), dates (年, 月, 号), negation and adverbs
# (不, 已, 均), verbs of change (增, 降, 提) and nouns that name what a number is part of
# (资金, 经费, 热线). docs/indicators.md §3 lists them.
_METRIC_RE = re.compile("(?:平方|立方)(?:[厘毫千公]?[米里])?|[厘毫千公微纳兆]?[米克升里斤顷吨瓦]时?")
_MEASURE_NORMAL = {"平方": "平方米", "立方": "立方米"}
NOT_MEASURE_CHARS = frozenset(
    "的地得了着过和与及或并且而但同跟向是为在于从自由被把将给让按以之至到达比左右内外上下前后中"
    "约近多余来万亿千百十零〇一二三四五六七八九两半几年月日号时不未无没非需要应可能会须必已正均都"
    "也还就才再又即每各共计合总全另其该此这那等增减降提占")
NOT_MEASURE_WORDS = ("资金", "经费", "费用", "热线", "工程", "平台")
_NOT_MEASURE_WORDS = _words(dict.fromkeys(NOT_MEASURE_WORDS), 0)
# Numbers of public service lines (12345 政务热线, 12315, 96333 …) are names.
_SERVICE_NUMBER_RE = re.compile("123[0-9]{2}|96[0-9]{3}")


def _measure_word(s: str, i: int, b: int) -> int:
    """Length of the measure word at ``i`` that UNITS does not know (0 if none)."""
    if i >= b:
        return 0
    c = s[i]
    if not "\u4e00" <= c <= "\u9fff":
        return 0
    m = _METRIC_RE.match(s, i, b)
    if m:  # before the stop characters: 千 starts 千瓦
        return m.end() - i
    if c in NOT_MEASURE_CHARS or _word_at(s, i, b, _NOT_MEASURE_WORDS) is not None:
        return 0
    return 1


# Units in Latin letters: a base unit with an optional SI prefix (25TB, 12kW, 4.3m, 100Mbps),
# not followed by another letter; a lone prefix (5G) or other letters (3D, 4A) name things.
_LATIN_UNIT_RE = re.compile("[kKMGTP]?(?:Wh|wh|bps|Hz|W|w|B|b|g|m[23²³]?|t|L|l)(?![A-Za-z0-9])")
LATIN_UNITS = {"km": "公里", "kg": "千克", "m": "米", "m2": "平方米", "m²": "平方米", "m3": "立方米",
               "m³": "立方米", "t": "吨", "g": "克", "kw": "kW", "kwh": "kWh", "KW": "kW", "KWh": "kWh"}
_PREFIX_START = _words(_PREFIX, 0)
BRACKET_MAX = 12  # characters inside a bracket that gives a bare number its operator and unit
_BRACKET_FILL = frozenset("*xX? \t")  # placeholders for the value: (≥**平方米), (≥X台)


def _bracket_measure(s: str, n0: int, floor: int) -> tuple[str | None, str, str | None] | None:
    """``(≥**平方米)`` or ``(人)`` right before a bare number — an indicator name that names the
    operator and the unit, its value left as ``**`` — gives them to the number: (op or None,
    op_text as ``(≥)``, unit or None). None when the bracket holds anything else."""
    j = n0
    while j > floor and s[j - 1] in " \t":
        j -= 1
    if j <= floor or s[j - 1] != ")":
        return None
    k = s.rfind("(", max(floor, j - 2 - BRACKET_MAX), j - 1)
    if k < 0:
        return None
    inner = "".join(c for c in s[k + 1:j - 1] if c not in _BRACKET_FILL)
    if not inner:
        return None
    word = _word_at(inner, 0, len(inner), _PREFIX_START)
    op, op_text = (_PREFIX[word], f"({word})") if word is not None else (None, "")
    rest = inner[len(word or ""):]
    unit = None
    if rest:
        if rest in UNITS:
            unit = UNITS[rest]
        elif _measure_word(rest, 0, len(rest)) == len(rest):
            unit = _MEASURE_NORMAL.get(rest, rest)
        else:
            return None
    if op is None and unit is None:
        return None
    return op, op_text, unit


PER_UNIT_MAX = 10  # characters of a rate unit's denominator (人*月, 生.年, 户·年, 10万公顷)
_PER_JOINERS = frozenset("*·.・×、")


def _per_unit(s: str, i: int, b: int) -> int:
    """Length of the denominator of a rate unit at ``i`` (after ``/``): measure words or periods
    (年 月 日 …) joined by ``*`` ``·`` ``.`` (人, 人*月, 生.年); 0 if there is none."""
    j = i
    stop = min(b, i + PER_UNIT_MAX)
    while True:
        n = _denominator_word(s, j, stop)
        if not n:
            return j - i if j > i and s[j - 1] not in _PER_JOINERS else max(0, j - i - 1)
        j += n
        if j < stop and s[j] in _PER_JOINERS:
            j += 1
            continue
        return j - i


_PERIODS = frozenset("年月日天周季时次")


def _denominator_word(s: str, j: int, stop: int) -> int:
    if j >= stop:
        return 0
    if s[j] in _PERIODS:
        return 1
    if s[j].isdigit():  # 次/10万公顷: a number of units
        k = j
        while k < stop and s[k].isdigit():
            k += 1
        while k < stop and s[k] in "万千百":
            k += 1
        n = _denominator_word(s, k, stop)  # s[k] is no digit: one level deep at most
        return k - j + n if n else 0
    key = _word_at(s, j, stop, _UNIT_WORDS)
    return len(key) if key is not None else _measure_word(s, j, stop)


# Operator words that bind a number even when words stand between them (至少全年完成2次宣传).
LOOSE_OPS: tuple[tuple[str, str], ...] = (
    ("至少", ">="), ("最少", ">="), ("不少于", ">="), ("不低于", ">="), ("不小于", ">="),
    ("不得少于", ">="), ("不得低于", ">="), ("不超过", "<="), ("不高于", "<="), ("不大于", "<="),
    ("不多于", "<="), ("不得超过", "<="), ("不得高于", "<="), ("最多", "<="),
)
_LOOSE = dict(LOOSE_OPS)
_LOOSE_RE = re.compile("|".join(sorted(map(re.escape, _LOOSE), key=len, reverse=True)))
LOOSE_WINDOW = 16  # characters looked back from the number, not past a comma or 、


def _loose_op(s: str, n0: int, floor: int) -> tuple[str, str, int]:
    """A loose operator word before the number in the same clause, else ``=``: (op, the word
    and "…", its offset or -1). The window is bounded: linear time on any cell."""
    lo = max(floor, n0 - LOOSE_WINDOW)
    cut = max(s.rfind(",", lo, n0), s.rfind("、", lo, n0))
    if cut >= 0:
        lo = cut + 1
    last = None
    for m in _LOOSE_RE.finditer(s, lo, n0):
        last = m
    if last is None:
        return "=", "", -1
    # op_text "至少…": the word, marked as not written at the number — not a strict operator, so a
    # completion saying 全年至少开展宣传3次 reports a result rather than restating a target.
    return _LOOSE[last.group()], last.group() + "…", last.start()


def _back_skip(s: str, i: int, a: int) -> int:
    while i > a and s[i] in " \t":
        i -= 1
    return i


def _stands_alone(s: str, i: int, b: int) -> bool:
    """A bare number counts as a value only at the end of its item (``完成数 100``)."""
    i = _skip_spaces(s, i, b)
    return i >= b or s[i] in _WEAK_SEPS or s[i] in _TRIM or s[i] in "()"


def _prefix_op(s: str, n0: int, floor: int) -> tuple[str | None, str, int]:
    j = n0
    while j > floor and s[j - 1] in " \t":
        j -= 1
    word = _word_before(s, j, floor, _PREFIX_WORDS)
    if word is not None:
        return _PREFIX[word], word, j - len(word)
    return None, "", n0


def _year_before(s: str, n0: int, a: int) -> tuple[int, int] | None:
    """``2021年`` right before a month number → (2021, start offset)."""
    k = n0 - 5
    if k >= a and s[n0 - 1] == "年" and s[k:n0 - 1].isdigit() and s[k:k + 2] in ("19", "20"):
        return int(s[k:n0 - 1]), k
    return None


def _read_year(s: str, n0: int, i: int, b: int, year: int) -> _Anchor | None:
    j = _skip_spaces(s, i, b)
    if j < b and s[j].isdigit():
        return None  # the month that follows carries the date
    for word in ("年底前", "年末前", "底前", "末前", "全年", "底", "末", "年底", "年末"):
        if s.startswith(word, j, b):
            return _Anchor(start=n0, end=_after_before_word(s, j + len(word), b), kind="deadline",
                           year=year, month=12, day=31)
    if s.startswith(("前", "以前", "之前"), j, b):
        return _Anchor(start=n0, end=_after_before_word(s, j, b), kind="deadline",
                       year=year - 1, month=12, day=31)
    end = j + 1 if s.startswith("度", j, b) else j
    if _skip_trimmed(s, end, b) >= b:  # 2020年, 2020年度 alone: within that year
        return _Anchor(start=n0, end=end, kind="deadline", year=year, month=12, day=31)
    return None  # 2019年共立项97项: a year named in passing


def _skip_trimmed(s: str, i: int, b: int) -> int:
    while i < b and s[i] in _TRIM:
        i += 1
    return i


_MONTH_PARTS: tuple[tuple[str, int | None], ...] = (
    ("上旬", 10), ("中旬", 20), ("下旬", 31), ("上半月", 15), ("下半月", 31),
    ("底", 31), ("末", 31), ("初", 10), ("中", 20),
)


def _after_before_word(s: str, j: int, b: int) -> int:
    for word in ("之前", "以前", "前"):
        if s.startswith(word, j, b):
            return j + len(word)
    return j


def _read_month(s: str, start: int, i: int, b: int, year: int | None, month: int) -> _Anchor:
    if s.startswith("份", i, b):
        i += 1
    # 1月-12月, 3月至6月: a span of months, done by the end of the last one.
    j = _skip_spaces(s, i, b)
    for sep in (_RANGE_SEPS if j < b and s[j] in _RANGE_FIRST else ()):
        if s.startswith(sep, j):
            m = _NUM_RE.match(s, _skip_spaces(s, j + len(sep), b), b)
            if (m and m.end() < b and s[m.end()] == "月" and m.group().isdigit()
                    and month <= int(m.group()) <= 12):
                month, i = int(m.group()), m.end() + 1
                if s.startswith("份", i, b):
                    i += 1
            break
    j = _skip_spaces(s, i, b)
    last = _month_days(year or 2001, month)
    m = _NUM_RE.match(s, j, b)
    if m and m.end() < b and s[m.end()] in "日号" and "." not in m.group() and len(m.group()) <= 2:
        day = min(int(m.group()), last)
        return _Anchor(start=start, end=_after_before_word(s, m.end() + 1, b), kind="deadline",
                       year=year, month=month, day=day)
    for word, day in _MONTH_PARTS:
        if s.startswith(word, j, b):
            d = last if day == 31 else day
            return _Anchor(start=start, end=_after_before_word(s, j + len(word), b), kind="deadline",
                           year=year, month=month, day=d)
    end = _after_before_word(s, j, b)
    if end > j:  # 7月前: before July begins
        return _Anchor(start=start, end=end, kind="deadline", year=year, month=month, day=0)
    return _Anchor(start=start, end=j, kind="deadline", year=year, month=month, day=last)
