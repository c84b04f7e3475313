"""Bad input never crashes the parser or the matcher, and work grows linearly with input.

Linear time is checked without clocks: the number of Python function calls (profiler
events, which include every str method and regex call) for an input repeated 8 times must
stay within ~8× the count for the input itself. Quadratic loops — one pass over the cell per
item — show up as a 64× growth. The regular expressions themselves have no nested
quantifiers (see targets.py), so a single regex call cannot backtrack catastrophically.
"""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.core import matching, targets
from jixiao.core.matching import match_cell
from jixiao.core.scoring import score_cell
from jixiao.core.targets import KINDS, OPS, parse_cell

VOCAB = ["≥", "≧", "≤", "≦", ">=", "<=", "＞", "＜", "=", "＝", "﹦", "═", "不少于", "不超过", "以上",
         "以内", "以下", "达到", "多", "余", "—", "-", "~", "至", "±", "%", "％", "(百分比)", "人次", "万元",
         "亿元", "个月", "年", "月", "日", "底", "前", "中旬", "第", "；", ";", "，", "、", "。", "\n", "\r",
         "（1）", "(2)", "①", "1、", "2.", "满意度", "率", "人数", "及时", "完成", "未完成", "基本", "其他",
         "100.00%", "2021年11月30日前", "12月底前", "5—6家", "2000多名", "1,000", "0", "9" * 30,
         "１２３", "．", "\x00", "\x1b", "\u200b", "\ufeff", "é", "Ω", "ع", "א", "😀", "㎡", "Ⅻ", "٣"]

tokens = st.one_of(st.sampled_from(VOCAB), st.characters(), st.text(min_size=1, max_size=3))
cells = st.lists(tokens, max_size=80).map("".join)


@st.composite
def nested(draw):
    opens, closes = zip(*draw(st.lists(st.sampled_from(["()", "（）", "【】", "[]", "《》", "“”", "{}"]),
                                       min_size=1, max_size=40)))
    inner = draw(cells)
    return "".join(opens) + inner + "".join(reversed(closes))


def check_items(text: str) -> None:
    items = parse_cell(text)
    last_end = 0
    for it in items:
        assert it.kind in KINDS
        assert it.op is None or it.op in OPS
        a, b = it.span
        assert last_end <= a < b <= len(text) and text[a:b] == it.text
        last_end = b
        if it.kind == "unknown":
            assert it.reason
        if it.kind == "quantity":
            assert it.value is not None and it.op is not None
        if it.op == "range":
            assert it.upper is not None and it.value <= it.upper


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells, cells)
def test_any_text_parses_matches_and_scores(target, actual):
    check_items(target)
    check_items(actual)
    m = match_cell(target, actual)
    assert len(m.judgements) == len(m.targets)
    cost = match_cell(target, actual, kind="cost")  # the money context reads the same cells
    assert len(cost.judgements) == len(cost.targets)
    assert all(j.met is True for j in m.judgements + cost.judgements if j.claimed)
    ind = score_cell("quantity", target, actual, Decimal(10))
    assert 0 <= ind.score <= 10


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells)
def test_segments_read_alone_equal_segments_read_in_place(text):
    # parse_cell reads each segment on its own and remembers it (targets._parse): that must
    # give exactly what reading every segment inside the whole cell gives.
    for ctx in (None, targets.MONEY, targets.COST):
        assert targets._parse(text, ctx) == targets._parse_in_place(text, ctx)


@settings(max_examples=60, deadline=None)
@given(nested())
def test_nested_brackets(text):
    check_items(text)
    match_cell(text, text)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(tokens, min_size=1, max_size=40).map("".join).filter(bool))
def test_100k_character_cells(chunk):
    text = (chunk * (100_000 // len(chunk) + 1))[:100_000]
    check_items(text)
    m = match_cell(text, text[::-1])
    assert len(m.judgements) == len(m.targets)


@pytest.mark.slow
def test_adversarial_shapes():
    for text in ["1,000月", "完成2,212月底前", "１，０００月", "1" * 100_000, "1," * 50_000, "1" + " " * 99_998 + "人", "共" * 100_000, "第 " * 50_000,
                 "(" * 50_000 + ")" * 50_000, "12月" * 33_333, "≥1人，" * 25_000, "\x00" * 100_000]:
        check_items(text)


def calls(fn) -> int:
    count = 0

    def profiler(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profiler)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def work(text: str) -> int:
    # Forget remembered cells first: a cache hit would make the small input look free.
    targets._parse_cached.cache_clear()
    targets._segment_rows.cache_clear()
    matching._match_cached.cache_clear()
    matching._bigrams.cache_clear()
    # A palindrome (``≧≥≥≥≧``) would be its own completion: the short text's second reading
    # would come from the cache the first one filled (the long one is never cached), and the
    # small input would look half as costly as it is.
    actual = text[::-1] if text[::-1] != text else text[::-1] + "。"
    return calls(lambda: match_cell(text, actual))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tokens, min_size=1, max_size=30).map("".join).filter(lambda s: len(s) >= 5))
def test_work_grows_linearly(chunk):
    base = chunk * (1000 // len(chunk) + 1)
    small, large = work(base), work(base * 8)
    assert large <= 8.8 * small + 2000, (small, large)
