"""The scoring rules as the MoF form prints them: each rule's formula text under the current
settings (:func:`rules`), the formula of a scored cell (the rules its items used) and the
grade bands (:func:`grade`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..matching import CellMatch
from .config import DEFAULT_CONFIG, HUNDRED, SHARES_BY_TOKEN, ScoringConfig, Shares, shares_of


@dataclass(frozen=True)
class Rule:
    """A scoring rule: its key, Chinese name and the formula printed on the MoF form."""

    key: str
    name: str
    formula: str


def share_text(x: Decimal) -> str:
    return f"{(x * HUNDRED).normalize():f}%"


@lru_cache(maxsize=64)
def _cell_rules(c: Shares) -> dict[str, Rule]:
    over = (f"完成比例超过目标的{share_text(c.over_factor)}时提示“目标设定偏低”"
            + (f"，并按偏离度调减：得分 = 分值 ×（1 − min(完成比例 − {share_text(c.over_factor)}，"
               f"{share_text(c.over_reduction_cap)})）" if c.over_reduction else "（不调减分值）"))
    return {
        "quantity": Rule("quantity", "定量指标",
                         "定量指标：达到目标值得满分；未达到按“实际值 ÷ 目标值 × 分值”计分"
                         "（“≤”类指标按“目标值 ÷ 实际值 × 分值”）；" + over),
        "qualitative": Rule("qualitative", "定性指标",
                            f"定性指标：达成年度指标得分值的80%–100%（取{share_text(c.tier1_share)}），"
                            f"部分达成并具有一定效果得60%–80%（取{share_text(c.tier2_share)}），"
                            f"未达成且效果较差得0–60%（取{share_text(c.tier3_share)}）"),
        "deadline": Rule("deadline", "时效指标",
                         f"时效指标：按时完成得满分；未按时完成得分值的{share_text(c.late_share)}"),
        "unknown": Rule("unknown", "无法判断",
                        f"完成情况无法判断（复述目标、无对应数值）得分值的{share_text(c.unknown_share)}，"
                        f"未填写完成情况得{share_text(c.blank_share)}，待评价人核实"),
    }


def rules(config: ScoringConfig = DEFAULT_CONFIG) -> dict[str, Rule]:
    """The rules with their formula text for ``config`` (docs/scoring.md lists them)."""
    c = config
    th = c.grade_thresholds
    return {
        "execution": Rule("execution", "预算执行率",
                          f"预算执行率得分 = 预算执行率 × 分值（{c.execution_weight.normalize():f}分），最高不超过分值"),
        **_cell_rules(shares_of(c)),
        "grade": Rule("grade", "评价等级",
                      f"评价等级：总分≥{th['优']:f}为优，≥{th['良']:f}为良，≥{th['中']:f}为中，其余为差"),
    }


def grade(total: Decimal, config: ScoringConfig | None = None) -> str:
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (thresholds configurable)."""
    th = (config or DEFAULT_CONFIG).grade_thresholds
    for name in ("优", "良", "中"):
        if total >= th[name]:
            return name
    return "差"


@lru_cache(maxsize=64)
def execution_formula(w: Decimal) -> str:
    return f"预算执行率得分 = 预算执行率 × 分值（{w.normalize():f}分），最高不超过分值"


def cell_formula(match: CellMatch, token: int) -> str:
    keys = []
    for t in match.targets:
        key = _RULE_OF_KIND.get(t.kind, "qualitative")
        if key not in keys:
            keys.append(key)
    if any(j.met is None for j in match.judgements):
        keys.append("unknown")
    return _formula_text(tuple(keys), token)


_RULE_OF_KIND = {"quantity": "quantity", "deadline": "deadline"}


def items_formula(items: list, token: int) -> str:
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
def _formula_text(keys: tuple[str, ...], token: int) -> str:
    r = _cell_rules(SHARES_BY_TOKEN[token])
    return "；".join(r[k].formula for k in keys)


def grade_rule(g: str, cfg: ScoringConfig) -> str:
    th = cfg.grade_thresholds
    return {"优": f"≥{th['优']:f}分", "良": f"{th['良']:f}–{th['优']:f}分",
            "中": f"{th['中']:f}–{th['良']:f}分", "差": f"低于{th['中']:f}分"}[g]
