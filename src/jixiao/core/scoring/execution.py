"""预算执行率得分: the recomputed execution rate × the weight, capped at the weight, with its
reasons (jixiao.core.reasons codes ``execution.*``)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..model import Project
from ..money import parse_rate, round_half_up
from .config import DEFAULT_CONFIG, HUNDRED, ZERO, ScoringConfig
from .results import ExecutionScore
from .rules import execution_formula


def score_execution(project: Project, config: ScoringConfig = DEFAULT_CONFIG) -> ExecutionScore:
    w = config.execution_weight
    rate = project.execution_rate
    formula = execution_formula(w)
    if rate is None:
        reasons: tuple = NO_BUDGET
        score = ZERO
    else:
        score, reason = _execution_reason(rate, w)
        reasons = (reason,)
        text = project.execution_rate_text
        reported = _reported_rate(text) if type(text) is str else project.reported_execution_rate
        if reported is not None and reported != rate:
            reasons = (reason, ("execution.reported", f"{project.execution_rate_text}", str(rate)))
    return ExecutionScore(rate, w, score, score, formula, reasons)


NO_BUDGET = (("execution.no_budget",),)


@lru_cache(maxsize=1 << 14)
def _reported_rate(text: str) -> Decimal | None:
    """``Project.reported_execution_rate`` remembered by text (the printed rates repeat)."""
    try:
        return parse_rate(text)
    except ValueError:
        return None


@lru_cache(maxsize=1 << 14)
def _execution_reason(rate: Decimal, w: Decimal) -> tuple[Decimal, tuple]:
    # Rates repeat (two decimals) and are always quantized to 0.01, so equal rates print
    # alike; the weight is printed normalized. Safe to remember by value.
    raw = rate / HUNDRED * w
    score = round_half_up(min(raw, w))
    return score, ("execution.score", str(rate), f"{w.normalize():f}", str(score), raw > w)
