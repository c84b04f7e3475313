"""Scoring a project or a table: 执行率, each category's filled cells with their weights, the
overrides, the total, the grade and the reasons; and :func:`clear_caches`."""

from __future__ import annotations

from .. import matching, targets
from ..memo import Memo
from ..model import Project, ScoreOverride, Table
from ..money import round_half_up
from ..taxonomy import CATEGORIES
from . import cells, config, execution, items, rules, summary, weights
from .cells import ITEM_FIELDS, WEIGHTED, kind_name, weighted
from .config import DEFAULT_CONFIG, HUNDRED, ZERO, ScoringConfig, config_token
from .execution import score_execution
from .overrides import override_items, override_reason, unused_overrides
from .results import CategoryScore, IndicatorScore, ItemScore, ProjectScore
from .rules import grade, grade_rule
from .summary import summary_reasons
from .weights import cell_weights


def score_project(project: Project, config: ScoringConfig | None = None) -> ProjectScore:
    """Suggested scores for one project, with overrides applied and kept beside."""
    return _score_project(project, config or DEFAULT_CONFIG, None)


def score_table(table: Table, config: ScoringConfig | None = None) -> list[ProjectScore]:
    base = config or DEFAULT_CONFIG
    plan = _plan(base)  # the same for every project without its own adjustments
    return [_score_project(p, base, plan) for p in table.projects]


_LAYOUTS_MAX = 4096


def _plan(cfg: ScoringConfig) -> tuple:
    """What scoring a project needs from a configuration, worked out once per table:
    the settings token, the category weights, the weight-sum note, the grade rule texts and
    (filled as projects come) the cell weights per set of filled cells."""
    weight_sum = cfg.execution_weight + sum(cfg.category_weights.values(), ZERO)
    note = None if weight_sum == HUNDRED else f"各项权重合计为{weight_sum.normalize():f}分，不是100分。"
    cats = tuple((cat, cfg.category_weights.get(cat.key, ZERO)) for cat in CATEGORIES)
    grade_rules = {g: grade_rule(g, cfg) for g in ("优", "良", "中", "差")}
    return cfg, config_token(cfg), cats, note, grade_rules, {}


def _layout(filled: tuple[str, ...], cfg: ScoringConfig, cats: tuple) -> tuple:
    """Per category: (category, weight, ((二级 kind, its name, its weight, str(weight)), ...)).

    Projects of a table mostly fill the same columns, so this is worked out once per set
    of filled cells (the weights are then the same Decimal objects project after project,
    which makes the remembered weighted cells an identity test away)."""
    keys = set(filled)
    return tuple((cat, cw, tuple((k, kind_name(k), w, str(w)) for k, w in cell_weights(keys, cat, cfg)))
                 for cat, cw in cats)


_NO_OVERRIDES: dict[str, ScoreOverride] = {}
_SUMMARIES = Memo(1 << 16)


def _score_project(project: Project, base: ScoringConfig, base_plan: tuple | None) -> ProjectScore:
    cfg = base.for_project(project) if base.projects else base
    plan = base_plan if base_plan is not None and cfg is base else _plan(cfg)
    _, token, cats, weights_note, grade_rules, layouts = plan
    overrides = {o.item: o for o in project.overrides} if project.overrides else _NO_OVERRIDES
    execution = score_execution(project, cfg)
    if overrides:
        ov = overrides.get("execution")
        if ov is not None:
            execution.override = ov
            execution.score = round_half_up(ov.score)
            execution.reasons.append(override_reason("预算执行率", ov, execution.suggested))
    categories: list[CategoryScore] = []
    project_reasons: list[str] = [execution.reasons[0]]
    facts: list[tuple[str, tuple]] = []
    cells = project.indicators
    weighted_peek = WEIGHTED.peek
    # The filled cells (a non-blank target); isspace() tells the same as strip() without a copy.
    filled = tuple([k for k, c in cells.items() if c.target and not c.target.isspace()])
    layout = layouts.get(filled)
    if layout is None:
        if len(layouts) >= _LAYOUTS_MAX:
            layouts.clear()
        layout = layouts[filled] = _layout(filled, cfg, cats)
    for cat, cw, weighted_kinds in layout:
        inds: list[IndicatorScore] = []
        suggested = ZERO
        for key, name, w, wkey in weighted_kinds:
            cell = cells[key]  # a filled cell (see _layout)
            target, actual = cell.target, cell.actual
            # weighted()'s remembered path, inline (it runs for every cell of a province)
            if len(target) + len(actual) <= 4000:
                key4 = (target, actual, token, wkey)
                done = weighted_peek(key4) or WEIGHTED.get(key4) or weighted(target, actual, w, wkey, token, None)
            else:
                done = weighted(target, actual, w, wkey, token, None)
            # _indicator, inline (fresh result objects; see there)
            if len(done) == 6 + ITEM_FIELDS:  # the common cell: one 三级 item
                it = ItemScore(*done[6:])
                it.reasons = list(it.reasons)
                items = [it]
            else:
                items = []
                for i in range(6, len(done), ITEM_FIELDS):
                    it = ItemScore(*done[i:i + ITEM_FIELDS])
                    it.reasons = list(it.reasons)
                    items.append(it)
            ind = IndicatorScore(key, name, target, actual, w, done[0], done[0], None, done[3], list(done[1]),
                                 done[4], items)
            if done[5] is not None:
                facts.append((name, done[5]))
            if overrides:
                if len(items) > 1:
                    override_items(ind, key, name, overrides)
                iov = overrides.get(key)
                if iov is not None:
                    ind.override = iov
                    ind.score = round_half_up(iov.score)
                    ind.reasons.append(override_reason(name, iov, ind.suggested))
            inds.append(ind)
            suggested += ind.score
        cat_reasons = []
        if not inds and cw > 0:
            cat_reasons.append(f"{cat.name}没有填写任何指标，该项{cw.normalize():f}分无法得分。")
        cs = CategoryScore(cat.key, cat.name, cw, suggested, inds, suggested, None, cat_reasons)
        if overrides:
            cov = overrides.get(cat.key)
            if cov is not None:
                cs.override = cov
                cs.score = round_half_up(cov.score)
                cs.reasons.append(override_reason(cat.name, cov, suggested))
        categories.append(cs)
        if cs.reasons:
            project_reasons.extend(cs.reasons)
    categories_total = ZERO
    for c in categories:
        categories_total += c.score
    suggested_total = execution.score + categories_total
    total = suggested_total
    tov = overrides.get("total") if overrides else None
    if tov is not None:
        total = round_half_up(tov.score)
    g = grade(total, cfg)
    if facts:
        # The same few facts recur project after project (bare percentages, one target set
        # too low): the summary sentences are remembered by them.
        key = tuple(facts)
        summary = _SUMMARIES.get(key)
        if summary is None:
            summary = tuple(summary_reasons(facts))
            _SUMMARIES.put(key, summary)
        project_reasons.extend(summary)
    if weights_note is not None:
        project_reasons.append(weights_note)
    if tov is not None:
        project_reasons.append(override_reason("总分", tov, suggested_total))
    if overrides:
        project_reasons.extend(unused_overrides(overrides, categories))
    project_reasons.append(f"总分{total}分，评价等级为“{g}”（{grade_rules[g]}）。")
    return ProjectScore(project.seq, project.name, execution, categories, total, g, project_reasons,
                        suggested_total, tov)


def clear_caches() -> None:
    """Forget everything the core remembers between calls (parsed texts and segments, matched
    and weighted cells, shared sentences and numbers): scoring then starts as in a fresh process.

    Nothing needs it for correctness — every cache is bounded, and results never depend on
    it — but a benchmark that times the first pass more than once does
    (``bench/bench_score.py --repeat``). Settings tokens are kept: remembered results refer to them.
    """
    for module in (targets, matching, cells, config, execution, items, rules, summary, weights):
        for value in list(vars(module).values()):
            if isinstance(value, Memo):
                value.clear()
            elif callable(getattr(value, "cache_clear", None)):  # an lru_cache
                value.cache_clear()
    _SUMMARIES.clear()
    matching._COMPATIBLE.clear()
