"""What scoring returns — a project's, category's, 二级 cell's and 三级 item's score with
its weight, the suggestion an override replaced and the reasons — and the same as plain
JSON-ready data (:func:`to_dict`, shape in docs/cli-json.md).

Reasons, formulas and deviation analyses are held as data (jixiao.core.reasons: a code and its
parameters), in tuples; :func:`to_dict` gives them both as the Chinese sentences (``reasons``,
``formula``, ``deviation``, as always) and as data (``reason_codes``, ``formula_code``,
``deviation_code``).

What scoring returns is shared once it is computed (the table page keeps a version's analysis
per process and hands it to concurrent requests), so its collections are tuples — categories,
indicators, items, reasons — and nothing changes a result after the engine returns it (the
engine applies overrides before). The objects themselves are not frozen dataclasses: a frozen
dataclass is built through ``object.__setattr__`` field by field, about 10 % more scoring time
for a province's 1.4 million items."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import ScoreOverride
from ..reasons import Reason, to_data, zh
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
    reasons: tuple[Reason, ...]
    kind: str = ""  # quantity / deadline / qualitative / unknown (the parse)
    tier: int | None = None
    # What the judgement rests on (matching.Judgement.evidence): value, rate, bare, date,
    # words, restated, blank or none.
    basis: str = ""
    over: bool = False  # beyond over_factor: the target looks set too low
    restated: bool = False
    # "figure" (the completion's own number, rate or date), "claimed" (it copies or asserts the
    # target without one) or "none" (words, blank, unclear).
    evidence: str = ""
    # The score in the evidenced (strict) reading: a claim without a figure gets unknown_share.
    evidenced: Decimal | None = None
    # An evaluator's override of this one item (ScoreOverride.item "<kind>.<n>", n from 1) and
    # the computed score it replaced; ``suggested`` is None while ``score`` is the suggestion.
    override: ScoreOverride | None = None
    suggested: Decimal | None = None
    weight_given: bool = False  # the weight is the form's own 分值 (IndicatorItem.weight)
    published: Decimal | None = None  # 得分 as the published form printed it


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
    formula: Reason
    reasons: tuple[Reason, ...]
    # The suggested deviation analysis (code ``cell.deviation``): None when every item was met.
    deviation: Reason | None
    items: tuple[ItemScore, ...]
    evidenced: Decimal = ZERO  # the score in the evidenced (strict) reading
    weight_given: bool = False  # the weight is the form's own 分值 (IndicatorCell.weight)
    published: Decimal | None = None  # the sum of its items' published 得分, when all printed one


@dataclass(slots=True)
class CategoryScore:
    key: str
    name: str
    weight: Decimal
    score: Decimal
    indicators: tuple[IndicatorScore, ...]
    suggested: Decimal = ZERO
    override: ScoreOverride | None = None
    reasons: tuple[Reason, ...] = ()
    evidenced: Decimal = ZERO


@dataclass(slots=True)
class ExecutionScore:
    rate: Decimal | None
    weight: Decimal
    score: Decimal
    suggested: Decimal
    formula: Reason
    reasons: tuple[Reason, ...]
    override: ScoreOverride | None = None
    published: Decimal | None = None  # 得分 of the money block as the published form printed it


@dataclass(slots=True)
class ProjectScore:
    seq: int
    name: str
    execution: ExecutionScore
    categories: tuple[CategoryScore, ...]
    total: Decimal
    grade: str
    reasons: tuple[Reason, ...]
    suggested: Decimal = ZERO  # the computed total before a "total" override
    override: ScoreOverride | None = None
    # The total in the evidenced (strict) reading: every claim without a figure of its own
    # (ItemScore.evidence "claimed") at unknown_share. total − evidenced_total is the
    # evidence gap (an override counts in both readings alike).
    evidenced_total: Decimal = ZERO
    # What the published form printed (Project.published), kept beside the suggestion.
    published_total: Decimal | None = None
    published_grade: str = ""
    profile: str = ""  # the scoring profile used ("" = the settings' defaults)
    evidence_mode: str = "practice"  # which reading ``total`` is: practice or strict

    @property
    def evidence_gap(self) -> Decimal:
        return self.total - self.evidenced_total


def _d(x: Decimal | None) -> str | None:
    return None if x is None else str(x)


def _ov(o: ScoreOverride | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"item": o.item, "score": str(o.score), "reason": o.reason, "by": o.by, "at": o.at}


def _zh(reasons) -> list[str]:
    return [zh(r) for r in reasons]


def _codes(reasons) -> list:
    return [to_data(r) for r in reasons]


def to_dict(ps: ProjectScore) -> dict[str, Any]:
    """A ProjectScore as JSON-ready data (decimals as strings); shape in docs/cli-json.md."""
    ex = ps.execution
    return {
        "seq": ps.seq, "name": ps.name,
        "execution": {"rate": _d(ex.rate), "weight": _d(ex.weight), "score": _d(ex.score),
                      "suggested": _d(ex.suggested), "override": _ov(ex.override),
                      "formula": zh(ex.formula), "formula_code": to_data(ex.formula),
                      "reasons": _zh(ex.reasons), "reason_codes": _codes(ex.reasons),
                      "published": _d(ex.published)},
        "categories": [{
            "key": c.key, "name": c.name, "weight": _d(c.weight), "score": _d(c.score),
            "suggested": _d(c.suggested), "override": _ov(c.override),
            "reasons": _zh(c.reasons), "reason_codes": _codes(c.reasons),
            "evidenced": _d(c.evidenced),
            "indicators": [{
                "kind": i.kind, "name": i.name, "target_text": i.target_text, "actual_text": i.actual_text,
                "weight": _d(i.weight), "score": _d(i.score), "suggested": _d(i.suggested),
                "override": _ov(i.override), "formula": zh(i.formula), "formula_code": to_data(i.formula),
                "reasons": _zh(i.reasons), "reason_codes": _codes(i.reasons),
                "deviation": "" if i.deviation is None else zh(i.deviation),
                "deviation_code": to_data(i.deviation), "evidenced": _d(i.evidenced), "weight_given": i.weight_given,
                "published": _d(i.published),
                "items": [{"target": it.target, "actual": it.actual, "kind": it.kind,
                           "weight": _d(it.weight), "score": _d(it.score),
                           "suggested": _d(it.score if it.suggested is None else it.suggested),
                           "override": _ov(it.override), "met": it.met,
                           "ratio": _d(it.ratio), "tier": it.tier, "basis": it.basis,
                           "evidence": it.evidence, "evidenced": _d(it.evidenced),
                           "weight_given": it.weight_given, "published": _d(it.published),
                           "over": it.over, "restated": it.restated,
                           "reasons": _zh(it.reasons), "reason_codes": _codes(it.reasons)}
                          for it in i.items],
            } for i in c.indicators],
        } for c in ps.categories],
        "total": _d(ps.total), "suggested": _d(ps.suggested), "override": _ov(ps.override),
        "grade": ps.grade, "reasons": _zh(ps.reasons), "reason_codes": _codes(ps.reasons),
        "evidenced_total": _d(ps.evidenced_total), "evidence_gap": _d(ps.evidence_gap),
        "evidence_mode": ps.evidence_mode, "profile": ps.profile,
        "published_total": _d(ps.published_total), "published_grade": ps.published_grade,
    }
