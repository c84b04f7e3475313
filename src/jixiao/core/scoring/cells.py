"""One 二级 cell scored: its items judged (``matching``), shared and weighted, and the result
remembered.

A province repeats the same cells, so the weighted result of each distinct (target, actual,
settings, weight) is kept in a :class:`~jixiao.core.memo.Memo` as one flat tuple of strings,
numbers and Decimals (the garbage collector stops walking it; see memo.py), and every
caller gets fresh result objects built from it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..matching import CellMatch, match_cell, match_cell_uncached
from ..memo import Memo
from ..targets import context
from ..taxonomy import KIND_BY_KEY
from .config import CENT, DEFAULT_CONFIG, SHARES_BY_TOKEN, ZERO, ScoringConfig, Shares, shares_of, token_of
from .items import claim_shares, evidence_of, item_share
from .results import IndicatorScore, ItemScore
from .rules import cell_formula
from .weights import split_cached


def score_cell(kind: str, target: str, actual: str, weight: Decimal,
               config: ScoringConfig | Shares | int = DEFAULT_CONFIG,
               match: CellMatch | None = None) -> IndicatorScore:
    """Score one 二级 cell worth ``weight`` points (``config`` may also be a settings token)."""
    if isinstance(config, int):
        token = config
    else:
        token = token_of(config if isinstance(config, Shares) else shares_of(config))
    done = weighted(target, actual, weight, str(weight), token, match, kind)
    return _indicator(kind, kind_name(kind), target, actual, weight, done)


def weighted(target: str, actual: str, weight: Decimal, wkey: str, token: int,
             match: CellMatch | None, kind: str | None = None) -> tuple:
    """The cell's judgement (_cell_core) with ``weight`` applied (_apply_weight).

    A province repeats the same cells, and a cell's weight takes only a few values (the
    category weight split among 1–5 cells), so the weighted results are remembered per
    cell and weight; a repeated cell then costs one lookup and the result objects.
    They are keyed by the weight's digits ``wkey`` (``str(weight)``): equal decimals may
    print differently (10 and 10.00), and the reasons print the weight. ``kind`` is the 二级
    kind the cell is read in (matching.match_cell's context: a cost cell reads ≤)."""
    if match is None and len(target) + len(actual) <= 4000:
        key = (target, actual, token, wkey, context(kind))  # kinds that read alike share entries
        done = WEIGHTED.get(key)
        if done is None:
            # The match itself is not remembered (match_cell would): the weighted result
            # holds everything scoring needs from it. A cell seen again under another
            # weight is matched again (rare: 851 of 169 593 cells of a province).
            done = _apply_weight(_cell_core(target, actual, token, match_cell_uncached(target, actual, kind)),
                                 weight)
            WEIGHTED.put(key, done)
        return done
    return _apply_weight(_cell_core(target, actual, token, match, kind), weight)


# Everything remembered holds only strings, numbers, Decimals and tuples of them, in a Memo:
# the garbage collector then stops walking a province's few hundred thousand entries.
WEIGHTED = Memo(1 << 19)


# Scores, totals and the cell sentence repeat across a province (16.67, 50.00, “共1个三级
# 指标，1个已达成…”): remembered cells share one object each instead of a copy per cell.
_SHARED = Memo(1 << 16)


def _shared(key: Any, value: Any) -> Any:
    got = _SHARED.get(key)
    if got is None:
        _SHARED.put(key, value)  # bounded; sharing is only a saving, never needed for correctness
        got = value
    return got


def _shared_decimal(x: Decimal) -> Decimal:
    # Keyed by the text: same value *and* digits (16.67 ≠ 16.670 in print), and a string
    # key keeps the memo out of the garbage collector's view (see memo.py).
    return _shared(str(x), x)


def _apply_weight(core: tuple, weight: Decimal) -> tuple:
    """The cell with ``weight`` applied, as one flat tuple: (cell total, cell reasons,
    weight, formula, deviation, project-summary facts, evidenced cell total, then
    ITEM_FIELDS fields per item — exactly the first arguments of its :class:`ItemScore`,
    the reasons as a tuple).

    Flat on purpose: the garbage collector untracks a tuple only once the tuples inside it
    are untracked, one level per collection, and a remembered cell must drop out of its
    view quickly (see memo.py). Nothing is nested deeper than one tuple of strings."""
    rows, notes, deviation, formula, met, facts = core
    weights = split_cached(weight, len(rows))
    fields: list[Any] = []
    total = evidenced = ZERO
    for r, w in zip(rows, weights):
        score = _shared_decimal((w * r[2]).quantize(CENT, rounding=ROUND_HALF_UP))
        strict = score if r[12] is r[2] else _shared_decimal((w * r[12]).quantize(CENT, rounding=ROUND_HALF_UP))
        total += score
        evidenced += strict
        fields += (r[0], r[1], w, score, r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], strict)
    total = _shared_decimal(total)
    evidenced = total if evidenced == total else _shared_decimal(evidenced)
    reasons = notes
    if rows:
        line = ("cell.items", len(rows), met, str(total), str(weight))
        reasons = _shared(("reasons", notes, line), notes + (line,))
    return (total, reasons, weight, formula, deviation, facts, evidenced, *fields)


HEAD = 7  # the cell's fields at the start of _apply_weight's tuple
ITEM_FIELDS = 14  # per item in _apply_weight's tuple, from index HEAD


def kind_name(kind: str) -> str:
    kind_def = KIND_BY_KEY.get(kind)
    return kind_def.name if kind_def is not None else kind


def _indicator(kind: str, name: str, target: str, actual: str, weight: Decimal,
               done: tuple) -> IndicatorScore:
    # Fresh result objects every time (callers may change them, e.g. an override); only
    # the immutable strings, decimals and tuples inside are shared, the reasons among them.
    items = tuple([ItemScore(*done[i:i + ITEM_FIELDS]) for i in range(HEAD, len(done), ITEM_FIELDS)])
    total = done[0]
    return IndicatorScore(kind, name, target, actual, weight, total, total, None, done[3], done[1],
                          done[4], items, done[6])


def _cell_core(target: str, actual: str, token: int, match: CellMatch | None, kind: str | None = None) -> tuple:
    match = match or match_cell(target, actual, kind)
    shares = SHARES_BY_TOKEN[token]
    rows = []
    deviation: list[str] = []
    met = 0
    for j in match.judgements:
        if j.claimed:
            # A claim without a figure: met in practice, cannot be judged in the strict reading.
            share, strict, why, over = claim_shares(shares)
            j_met = None if shares.strict else True
        else:
            share, why, over = item_share(j, shares)
            strict, j_met = share, j.met
        met += 1 if j_met else 0
        shown_actual = j.actual.text if j.actual is not None else (
            actual if j.evidence in ("words", "restated", "none") else "")
        rows.append((j.target.text, shown_actual, share, j_met, j.ratio, tuple(j.reasons) + tuple(why),
                     j.target.kind, j.tier, j.evidence, over, j.restated, evidence_of(j), strict))
        if j_met is not True or over:
            deviation.append(j.reasons[0] if j.reasons else j.target.text)
    dev = ("cell.deviation", tuple(deviation)) if deviation else None
    return (tuple(rows), tuple(match.notes), dev, cell_formula(match, token), met, facts_of(rows))


def facts_of(rows: list[tuple]) -> tuple | None:
    """What the project summary needs from a cell (None when the cell adds nothing to it),
    flat (see _apply_weight): all items bare percentages, the number of restated items, the
    number of claimed items, the numbers of targets not met and not judged, then the texts of
    the targets not met, not judged and over-achieved. ``rows`` are _cell_core's rows or the
    leading fields of ItemScores (the same order)."""
    if all(r[3] is True and not r[9] and not r[10] and r[8] != "bare" and r[11] != "claimed" for r in rows):
        return None  # the common case: everything met from real values
    bare = bool(rows) and all(r[8] == "bare" for r in rows)
    restated = sum(1 for r in rows if r[10])
    claimed = sum(1 for r in rows if r[11] == "claimed")
    not_met = [r[0] for r in rows if r[3] is False]
    unknown = [r[0] for r in rows if r[3] is None]
    over = [r[0] for r in rows if r[9]]
    return (bare, restated, claimed, len(not_met), len(unknown), *not_met, *unknown, *over)
