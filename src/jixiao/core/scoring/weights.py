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
