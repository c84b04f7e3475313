"""What scoring returns — a project's, category's, 二级 cell's and 三级 item's score with
its weight, the suggestion an override replaced and the reasons — and the same as plain
JSON-ready data (:func:`to_dict`, shape in docs/cli-json.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import ScoreOverride
from .config import ZERO


@dataclass(slots=True)
class ItemScore:
    """One 三级 indicator: its share of the cell's weight and its suggested score."""

    target: str
    actual: str
    weight: Decimal
    score: Decimal
    met: bool | None
    ratio: Decimal | None
    reasons: list[str]
    kind: str = ""  # quantity / deadline / qualitative / unknown (the parse)
    tier: int | None = None
    evidence: str = ""
    over: bool = False  # beyond over_factor: the target looks set too low
    restated: bool = False
    # An evaluator's override of this one item (ScoreOverride.item "<kind>.<n>", n from 1) and
    # the computed score it replaced; ``suggested`` is None while ``score`` is the suggestion.
    override: ScoreOverride | None = None
    suggested: Decimal | None = None


@dataclass(slots=True)
class IndicatorScore:
    """One 二级 cell (e.g. 数量指标)."""

    kind: str
    name: str
    target_text: str
    actual_text: str
    weight: Decimal
    score: Decimal
    suggested: Decimal
    override: ScoreOverride | None
    formula: str
    reasons: list[str]
    deviation: str
    items: list[ItemScore]


@dataclass(slots=True)
class CategoryScore:
    key: str
    name: str
    weight: Decimal
    score: Decimal
    indicators: list[IndicatorScore]
    suggested: Decimal = ZERO
    override: ScoreOverride | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ExecutionScore:
    rate: Decimal | None
    weight: Decimal
    score: Decimal
    suggested: Decimal
    formula: str
    reasons: list[str]
    override: ScoreOverride | None = None


@dataclass(slots=True)
class ProjectScore:
    seq: int
    name: str
    execution: ExecutionScore
    categories: list[CategoryScore]
    total: Decimal
    grade: str
    reasons: list[str]
    suggested: Decimal = ZERO  # the computed total before a "total" override
    override: ScoreOverride | None = None


def _d(x: Decimal | None) -> str | None:
    return None if x is None else str(x)


def _ov(o: ScoreOverride | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"item": o.item, "score": str(o.score), "reason": o.reason, "by": o.by, "at": o.at}


def to_dict(ps: ProjectScore) -> dict[str, Any]:
    """A ProjectScore as JSON-ready data (decimals as strings); shape in docs/cli-json.md."""
    ex = ps.execution
    return {
        "seq": ps.seq, "name": ps.name,
        "execution": {"rate": _d(ex.rate), "weight": _d(ex.weight), "score": _d(ex.score),
                      "suggested": _d(ex.suggested), "override": _ov(ex.override),
                      "formula": ex.formula, "reasons": ex.reasons},
        "categories": [{
            "key": c.key, "name": c.name, "weight": _d(c.weight), "score": _d(c.score),
            "suggested": _d(c.suggested), "override": _ov(c.override), "reasons": c.reasons,
            "indicators": [{
                "kind": i.kind, "name": i.name, "target_text": i.target_text, "actual_text": i.actual_text,
                "weight": _d(i.weight), "score": _d(i.score), "suggested": _d(i.suggested),
                "override": _ov(i.override), "formula": i.formula, "reasons": i.reasons,
                "deviation": i.deviation,
                "items": [{"target": it.target, "actual": it.actual, "kind": it.kind,
                           "weight": _d(it.weight), "score": _d(it.score),
                           "suggested": _d(it.score if it.suggested is None else it.suggested),
                           "override": _ov(it.override), "met": it.met,
                           "ratio": _d(it.ratio), "tier": it.tier, "evidence": it.evidence,
                           "over": it.over, "restated": it.restated, "reasons": it.reasons}
                          for it in i.items],
            } for i in c.indicators],
        } for c in ps.categories],
        "total": _d(ps.total), "suggested": _d(ps.suggested), "override": _ov(ps.override),
        "grade": ps.grade, "reasons": ps.reasons,
    }
