"""How a weight is shared out: in whole cents that add up exactly (50 / 3 → 16.67 + 16.67 +
16.66), a category's among its filled 二级 cells (some fixed per kind by the settings)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ..taxonomy import CATEGORIES, KINDS
from .config import CENT, ZERO, ScoringConfig


def split_exact(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` shares of whole cents that add up exactly (earlier ones larger)."""
    if parts <= 0:
        return []
    cents = int((total / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    base, extra = divmod(cents, parts)
    return [Decimal(base + (1 if i < extra else 0)) * CENT for i in range(parts)]


@lru_cache(maxsize=4096)
def split_cached(weight: Decimal, parts: int) -> list[Decimal]:
    return split_exact(weight, parts)


_KINDS_OF = {c.key: tuple(k.key for k in KINDS if k.category == c) for c in CATEGORIES}


def cell_weights(filled: set[str], category, config: ScoringConfig) -> list[tuple[str, Decimal]]:
    """(二级 kind, weight) of the filled cells of ``category``, in form order."""
    filled_here = [k for k in _KINDS_OF[category.key] if k in filled]
    total = config.category_weights.get(category.key, ZERO)
    if not config.indicator_weights:
        return list(zip(filled_here, split_cached(total, len(filled_here))))
    fixed = {k: config.indicator_weights[k] for k in filled_here if k in config.indicator_weights}
    rest = [k for k in filled_here if k not in fixed]
    remaining = max(total - sum(fixed.values(), ZERO), ZERO)
    shares = dict(zip(rest, split_exact(remaining, len(rest))))
    return [(k, fixed.get(k, shares.get(k, ZERO))) for k in filled_here]


def form_layout(cells: dict, filled: tuple[str, ...], config: ScoringConfig,
                printed: dict[str, Decimal]) -> tuple:
    """The weights of a project whose form gives some of its own 分值 (a 二级 cell's
    ``IndicatorCell.weight``, its 三级 items' ``IndicatorItem.weight``): per category
    ``(category, weight, ((kind, weight, item weights or None, weight given), ...))``.

    * A cell weighs its own 分值, else the sum of its items' when every item has one.
    * A category weighs what the form printed for it (``printed``: Published.category_weights),
      else — when the form weighs every filled cell itself — the sum of its cells (a category
      the form does not use then weighs 0), else the settings' weight.
    * Cells without a 分值 share what is left of their category's weight (a settings'
      ``indicator_weights`` first), and items without one what is left of their cell's,
      equally in whole cents (never below 0).
    """
    own: dict[str, Decimal] = {}
    for k in filled:
        c = cells[k]
        if c.weight is not None:
            own[k] = c.weight
        elif c.items and all(i.weight is not None for i in c.items):
            own[k] = sum((i.weight for i in c.items), ZERO)
    whole = len(own) == len(filled)
    out = []
    for cat in CATEGORIES:
        here = [k for k in _KINDS_OF[cat.key] if k in filled]
        if cat.key in printed:
            cw = printed[cat.key]
        elif whole:
            cw = sum((own[k] for k in here), ZERO)
        else:
            cw = config.category_weights.get(cat.key, ZERO)
        fixed = {k: own[k] for k in here if k in own}
        for k in here:
            if k not in fixed and k in config.indicator_weights:
                fixed[k] = config.indicator_weights[k]
        rest = [k for k in here if k not in fixed]
        shares = dict(zip(rest, split_exact(max(cw - sum(fixed.values(), ZERO), ZERO), len(rest))))
        kinds = []
        for k in here:
            w = fixed.get(k, shares.get(k, ZERO))
            cell = cells[k]
            kinds.append((k, w, item_weights(cell.items, w) if cell.items else None, k in own))
        out.append((cat, cw, tuple(kinds)))
    return tuple(out)


def item_weights(items: list, cell_weight: Decimal) -> tuple[Decimal, ...]:
    """Each 三级 item's weight: its own 分值, or an equal share of what the given ones leave of
    the cell's weight (whole cents, never below 0)."""
    given = [i.weight for i in items if i.weight is not None]
    left = max(cell_weight - sum(given, ZERO), ZERO)
    shares = iter(split_exact(left, len(items) - len(given)))
    return tuple(i.weight if i.weight is not None else next(shares) for i in items)


def share_out(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``amount`` in whole cents in proportion to ``weights``, adding up exactly (the largest
    remainders get the spare cents, earlier ones first on a tie); equal shares when every
    weight is 0."""
    if not weights:
        return []
    total = sum(weights, ZERO)
    cents = int((amount / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    if total <= 0:
        return split_exact(amount, len(weights))
    exact = [Decimal(cents) * w / total for w in weights]
    floors = [int(x) for x in exact]
    spare = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:spare]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]


def shared_absent(weights: dict[str, Decimal], present: set[str], fixed: set[str]) -> dict[str, Decimal]:
    """The 一级 levels' weights with those of levels without any indicator (not in ``present``)
    shared among the levels that have one, in proportion to their weights (``absent_levels:
    shared``); a ``fixed`` level — its weight printed by the form, or lost by the profile —
    neither gives nor takes. The changed levels only; empty when nothing moves."""
    donors = [k for k, w in weights.items() if k not in present and k not in fixed and w > 0]
    takers = [k for k in weights if k in present and k not in fixed]
    if not donors or not takers:
        return {}
    moved = sum((weights[k] for k in donors), ZERO)
    out = {k: ZERO for k in donors}
    for k, extra in zip(takers, share_out(moved, [weights[k] for k in takers])):
        out[k] = weights[k] + extra
    return out
