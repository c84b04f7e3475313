"""An evaluator's overrides applied to single 三级 items, and the reasons for overrides that
were applied or could not be (a changed item, a name that scores nothing; jixiao.core.reasons
codes ``override*``)."""

from __future__ import annotations

from decimal import Decimal

from ..model import ScoreOverride
from ..money import round_half_up
from ..reasons import Reason
from .config import ZERO
from .results import CategoryScore, IndicatorScore


def item_key(kind: str, n: int) -> str:
    """The ScoreOverride.item of the ``n``-th 三级 item (from 1) of a 二级 cell: ``quantity.2``."""
    return f"{kind}.{n}"


def override_items(ind: IndicatorScore, kind: str, name: str, overrides: dict[str, ScoreOverride]) -> None:
    """Apply the overrides of single 三级 items of a cell with several: the item's score is
    replaced (the suggestion kept beside it) and the cell's score becomes the sum of its items'.
    A cell of one item is overridden as the cell (``kind``), not as its item."""
    changed = False
    for n, it in enumerate(ind.items, 1):
        ov = overrides.get(item_key(kind, n))
        if ov is None or (ov.target and ov.target != it.target):
            continue  # a changed item keeps its suggestion (unused_overrides says why)
        it.override, it.suggested = ov, it.score
        it.score = it.evidenced = round_half_up(ov.score)
        note = ("override.item", kind, n, it.target, str(it.score), str(it.suggested), ov.by, ov.at, ov.reason)
        it.reasons += (note,)
        ind.reasons += (note,)
        changed = True
    if changed:
        total = evidenced = ZERO
        for it in ind.items:
            total += it.score
            evidenced += it.evidenced
        ind.score, ind.evidenced = total, evidenced


def override_reason(what: str, ov: ScoreOverride, suggested: Decimal, code: str = "override") -> Reason:
    """``what`` is the key of what was overridden: ``execution``, ``total`` or a 二级 kind — or,
    with ``code`` ``override.category``, a category."""
    return (code, what, str(round_half_up(ov.score)), str(suggested), ov.by, ov.at, ov.reason)


def unused_overrides(overrides: dict[str, ScoreOverride], categories: list[CategoryScore]) -> list[Reason]:
    """A sentence for every override that names no score of this project (a cell left blank,
    an item the cell does not have, a one-item cell's ``quantity.1``, a typing error in a
    file): it changes nothing, and the reader is told so instead of losing it silently."""
    known = {"execution", "total"}
    items: dict[str, str] = {}  # item key → the item's target text now
    for cat in categories:
        known.add(cat.key)
        for ind in cat.indicators:
            known.add(ind.kind)
            if len(ind.items) > 1:
                items.update((item_key(ind.kind, n), it.target) for n, it in enumerate(ind.items, 1))
    out = []
    for key, ov in overrides.items():
        if key in known:
            continue
        if key not in items:
            out.append(("override.unused", key, ov.reason))
        elif ov.target and ov.target != items[key]:
            out.append(("override.changed", key, ov.target, items[key], ov.reason))
    return out
