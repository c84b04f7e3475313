"""One judged 三级 item's share of its weight (0–1) under the settings, with the reasons
saying why (jixiao.core.reasons codes ``item.*``): met, proportional, over-achieved, late, a
tier, cannot be judged or blank."""

from __future__ import annotations

from decimal import Decimal

from ..matching import Judgement, percent_text
from ..reasons import Reason
from .config import Shares
from .rules import share_text


def item_share(j: Judgement, config: Shares) -> tuple[Decimal, tuple[Reason, ...], bool]:
    """Share of the item weight (0–1), the scoring reasons and the over-achievement flag."""
    c = config
    if j.met is None:
        if j.evidence == "blank":
            return c.blank_share, (("item.blank", share_text(c.blank_share)),), False
        return c.unknown_share, (("item.unknown", share_text(c.unknown_share)),), False
    if j.evidence in ("value", "rate", "bare") and j.ratio is not None and j.target.kind == "quantity":
        if not j.met:
            return _ratio_share(j.ratio), (("item.not_met", percent_text(j.ratio)),), False
        if j.ratio > c.over_factor:
            over: Reason = ("item.over", percent_text(j.ratio), share_text(c.over_factor))
            if c.over_reduction:
                cut = min(j.ratio - c.over_factor, c.over_reduction_cap)
                return Decimal(1) - cut, (over, ("item.reduced", percent_text(cut))), True
            return Decimal(1), (over,), True
        return Decimal(1), (), False
    if j.evidence == "bare" and j.ratio is not None:
        return _ratio_share(j.ratio), (() if j.met else (("item.ratio", percent_text(j.ratio)),)), False
    if j.evidence == "date":
        if j.met:
            return Decimal(1), (), False
        return c.late_share, (("item.late", share_text(c.late_share)),), False
    if j.tier is not None:
        share = getattr(c, f"tier{j.tier}_share")
        return share, (("item.tier", j.tier, share_text(share)),), False
    if j.met:
        return Decimal(1), (), False
    return Decimal(0), NOT_DONE, False


NOT_DONE: tuple[Reason, ...] = (("item.not_done",),)


# Judgements that rest on a figure of the completion's own (matching.Judgement.evidence).
FIGURES = frozenset({"value", "rate", "bare", "date"})
ONE = Decimal(1)


def evidence_of(j: Judgement) -> str:
    """``figure`` (a number, rate or date of the completion's own), ``claimed`` (it copies or
    asserts the target without one: Judgement.claimed) or ``none`` (words, blank, unclear)."""
    if j.claimed:
        return "claimed"
    return "figure" if j.evidence in FIGURES else "none"


def claim_shares(c: Shares) -> tuple[Decimal, Decimal, tuple[Reason, ...], bool]:
    """A claimed item: (suggested share, evidenced share, reasons, over). In practice a claim
    stands as met, as bureaus publish it; the evidenced (strict) reading gives it unknown_share."""
    u = c.unknown_share
    if c.strict:
        return u, u, (("item.claimed_strict", share_text(u)),), False
    return ONE, u, (("item.claimed", share_text(u)),), False


def _ratio_share(ratio: Decimal) -> Decimal:
    """The share of an item's weight a completion ratio earns: the ratio, between 0 and 1. A
    negative completion (``±1``, a fall of −5 % against a growth target) earns nothing, never
    less than nothing."""
    return max(Decimal(0), min(ratio, Decimal(1)))
