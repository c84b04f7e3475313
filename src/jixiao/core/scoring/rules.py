"""The scoring rules as the MoF form prints them: each rule's formula under the current
settings (:func:`rules`), the formula of a scored cell (the rules its items used) and the
grade bands (:func:`grade`). A formula is a reason (jixiao.core.reasons codes ``rule.*``; a
cell's formula ``rules``, the rules it used), rendered in Chinese on the MoF form and in English
on the English pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..matching import CellMatch
from ..reasons import Reason, zh
from .config import DEFAULT_CONFIG, HUNDRED, SHARES_BY_TOKEN, ScoringConfig, Shares, shares_of


@dataclass(frozen=True)
class Rule:
    """A scoring rule: its key, Chinese name and its formula (a reason: :attr:`text` is the
    Chinese the MoF form prints)."""

    key: str
    name: str
    formula: Reason

    @property
    def text(self) -> str:
        return zh(self.formula)


def share_text(x: Decimal) -> str:
    return f"{(x * HUNDRED).normalize():f}%"


@lru_cache(maxsize=64)
def _cell_rules(c: Shares) -> dict[str, Rule]:
    return {
        "quantity": Rule("quantity", "定量指标", ("rule.quantity", share_text(c.over_factor), c.over_reduction,
                                                  share_text(c.over_reduction_cap))),
        "qualitative": Rule("qualitative", "定性指标", ("rule.qualitative", share_text(c.tier1_share),
                                                        share_text(c.tier2_share), share_text(c.tier3_share))),
        "deadline": Rule("deadline", "时效指标", ("rule.deadline", share_text(c.late_share))),
        "unknown": Rule("unknown", "无法判断", ("rule.unknown", share_text(c.unknown_share),
                                                share_text(c.blank_share))),
    }


def rules(config: ScoringConfig = DEFAULT_CONFIG) -> dict[str, Rule]:
    """The rules with their formula text for ``config`` (docs/scoring.md lists them)."""
    c = config
    th = c.grade_thresholds
    return {
        "execution": Rule("execution", "预算执行率", execution_formula(c.execution_weight)),
        **_cell_rules(shares_of(c)),
        "grade": Rule("grade", "评价等级", ("rule.grade", f"{th['优']:f}", f"{th['良']:f}", f"{th['中']:f}")),
    }


def grade(total: Decimal, config: ScoringConfig | None = None) -> str:
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (thresholds configurable)."""
    th = (config or DEFAULT_CONFIG).grade_thresholds
    for name in ("优", "良", "中"):
        if total >= th[name]:
            return name
    return "差"


@lru_cache(maxsize=64)
def execution_formula(w: Decimal) -> Reason:
    return ("rule.execution", f"{w.normalize():f}")


def cell_formula(match: CellMatch, token: int) -> Reason:
    keys = []
    for t in match.targets:
        key = _RULE_OF_KIND.get(t.kind, "qualitative")
        if key not in keys:
            keys.append(key)
    if any(j.met is None for j in match.judgements):
        keys.append("unknown")
    return _formula_text(tuple(keys), token)


_RULE_OF_KIND = {"quantity": "quantity", "deadline": "deadline"}


def items_formula(items: list, token: int) -> Reason:
    """The formula of a cell scored item by item (ItemScores: their parse kind and verdict)."""
    keys = []
    for it in items:
        key = _RULE_OF_KIND.get(it.kind, "qualitative")
        if key not in keys:
            keys.append(key)
    if any(it.met is None for it in items):
        keys.append("unknown")
    return _formula_text(tuple(keys), token)


@lru_cache(maxsize=256)
def _formula_text(keys: tuple[str, ...], token: int) -> Reason:
    r = _cell_rules(SHARES_BY_TOKEN[token])
    return ("rules", tuple(r[k].formula for k in keys))


def grade_rule(g: str, cfg: ScoringConfig) -> tuple[str, str]:
    """The band of totals of grade ``g``: (lowest, highest) as printed, "" for none
    (project.grade's ``low`` and ``high``: ≥90分, 80–90分, 低于60分)."""
    th = cfg.grade_thresholds
    return {"优": (f"{th['优']:f}", ""), "良": (f"{th['良']:f}", f"{th['优']:f}"),
            "中": (f"{th['中']:f}", f"{th['良']:f}"), "差": ("", f"{th['中']:f}")}[g]
