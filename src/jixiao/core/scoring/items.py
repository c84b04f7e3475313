"""One judged 三级 item's share of its weight (0–1) under the settings, with the sentences
saying why: met, proportional, over-achieved, late, a tier, cannot be judged or blank."""

from __future__ import annotations

from decimal import Decimal

from ..matching import TIER_NAMES, Judgement, percent_text
from .config import Shares
from .rules import share_text


def item_share(j: Judgement, config: Shares) -> tuple[Decimal, list[str], bool]:
    """Share of the item weight (0–1), the scoring reasons and the over-achievement flag."""
    c = config
    reasons: list[str] = []
    if j.met is None:
        if j.evidence == "blank":
            return c.blank_share, [f"未填写完成情况，得分值的{share_text(c.blank_share)}。"], False
        return c.unknown_share, [f"无法判断是否完成，暂按分值的{share_text(c.unknown_share)}建议，待评价人核实。"], False
    if j.evidence in ("value", "rate", "bare") and j.ratio is not None and j.target.kind == "quantity":
        if not j.met:
            return _ratio_share(j.ratio), [f"未达到目标，按完成比例{percent_text(j.ratio)}计分。"], False
        if j.ratio > c.over_factor:
            reasons.append(f"完成比例{percent_text(j.ratio)}，超过目标的{share_text(c.over_factor)}，"
                           "目标设定偏低，建议下一年度提高目标值。")
            if c.over_reduction:
                cut = min(j.ratio - c.over_factor, c.over_reduction_cap)
                reasons.append(f"按偏离度调减分值的{percent_text(cut)}。")
                return Decimal(1) - cut, reasons, True
            return Decimal(1), reasons, True
        return Decimal(1), reasons, False
    if j.evidence == "bare" and j.ratio is not None:
        return _ratio_share(j.ratio), ([] if j.met else [f"按完成比例{percent_text(j.ratio)}计分。"]), False
    if j.evidence == "date":
        if j.met:
            return Decimal(1), [], False
        return c.late_share, [f"未按时完成，得分值的{share_text(c.late_share)}。"], False
    if j.tier is not None:
        share = getattr(c, f"tier{j.tier}_share")
        return share, [f"{TIER_NAMES[j.tier]}，得分值的{share_text(share)}。"], False
    if j.met:
        return Decimal(1), [], False
    return Decimal(0), ["未完成。"], False


# Judgements that rest on a figure of the completion's own (matching.Judgement.evidence).
FIGURES = frozenset({"value", "rate", "bare", "date"})
ONE = Decimal(1)


def evidence_of(j: Judgement) -> str:
    """``figure`` (a number, rate or date of the completion's own), ``claimed`` (it copies or
    asserts the target without one: Judgement.claimed) or ``none`` (words, blank, unclear)."""
    if j.claimed:
        return "claimed"
    return "figure" if j.evidence in FIGURES else "none"


def claim_shares(c: Shares) -> tuple[Decimal, Decimal, list[str], bool]:
    """A claimed item: (suggested share, evidenced share, reasons, over). In practice a claim
    stands as met, as bureaus publish it; the evidenced (strict) reading gives it unknown_share."""
    u = c.unknown_share
    if c.strict:
        return u, u, [f"完成情况只复述或声称达到目标，没有自己的完成数值，按严格口径得分值的{share_text(u)}，"
                      "待评价人核实。"], False
    return ONE, u, [f"完成情况只复述或声称达到目标，没有自己的完成数值，按惯例认定为达成"
                    f"（严格口径得分值的{share_text(u)}）。"], False


def _ratio_share(ratio: Decimal) -> Decimal:
    """The share of an item's weight a completion ratio earns: the ratio, between 0 and 1. A
    negative completion (``±1``, a fall of −5 % against a growth target) earns nothing, never
    less than nothing."""
    return max(Decimal(0), min(ratio, Decimal(1)))
