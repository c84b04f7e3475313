"""单位自评 scoring as commonly quoted from 财预〔2020〕10号: a suggested score with reasons.

Every rule is a small object carrying its formula in Chinese (printed on the MoF form) and
the settings it reads (:class:`ScoringConfig`, defaults in docs/scoring.md):

* 预算执行率 (default 10 points): rate × weight, capped at the weight (86.19% → 8.62);
* 产出 50 / 效益 30 / 满意度 10: a category's weight is split equally among its filled
  二级 cells (or fixed per indicator kind), a cell's weight equally among its 三级 items —
  in whole cents that add up exactly (50 / 3 → 16.67 + 16.67 + 16.66);
* quantitative items: met → full weight, not met → weight × ratio (the mirrored ratio for
  ≤ targets); beyond ``over_factor`` (130%) of the target a warning that the target looks
  set too low, and, when ``over_reduction`` is on, a reduction by the deviation;
* qualitative items: three tiers (80–100%, 60–80%, 0–60% of the weight), the tier chosen
  from the completion text, the share inside each tier configurable;
* grades 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.

A computed score is a suggestion: an evaluator's :class:`~jixiao.core.model.ScoreOverride`
(``project.overrides``) replaces it and the suggestion is kept beside it.

The modules, by what they hold: ``config`` (settings), ``results`` (the score objects and
their plain data), ``rules`` (formula texts, grades), ``weights`` (sharing a weight out),
``execution`` (预算执行率), ``profiles`` (named provincial weightings), ``items`` (one
judged item's share), ``cells`` (one 二级 cell,
weighted and remembered), ``overrides``, ``summary`` (project sentences) and ``engine``
(a project, a table). This package re-exports what callers use.
"""

from ..matching import describe_item
from .cells import score_cell
from .config import DEFAULT_CONFIG, GRADES, ScoringConfig, Shares, shares_of
from .engine import clear_caches, score_project, score_table
from .execution import score_execution
from .overrides import item_key
from .profiles import PROFILES, Profile, profile
from .results import CategoryScore, ExecutionScore, IndicatorScore, ItemScore, ProjectScore, to_dict
from .rules import Rule, grade, rules
from .weights import split_exact

__all__ = [
    "ScoringConfig", "ProjectScore", "CategoryScore", "IndicatorScore", "ItemScore", "ExecutionScore",
    "Rule", "rules", "grade", "split_exact", "clear_caches", "score_execution", "score_cell", "score_project",
    "score_table", "to_dict", "describe_item", "item_key", "DEFAULT_CONFIG", "GRADES", "Shares", "shares_of",
    "PROFILES", "Profile", "profile",
]
