"""Scoring a project or a table: 执行率, each category's filled cells with their weights, the
overrides, the total, the grade and the reasons; and :func:`clear_caches`."""

from __future__ import annotations

import re
from decimal import Decimal

from .. import matching, reasons, targets
from ..memo import Memo
from ..model import Project, ScoreOverride, Table
from ..money import round_half_up
from ..reasons import Reason
from ..targets import context
from ..taxonomy import CATEGORIES, KIND_BY_KEY
from . import cells, config, execution, items, profiles, rules, summary, weights
from .cells import HEAD, ITEM_FIELDS, WEIGHTED, facts_of, kind_name, weighted
from .config import DEFAULT_CONFIG, HUNDRED, ZERO, ScoringConfig, config_token
from .execution import score_execution
from .overrides import override_items, override_reason, unused_overrides
from .results import CategoryScore, IndicatorScore, ItemScore, ProjectScore
from .rules import grade, grade_rule, items_formula
from .summary import summary_reasons
from .weights import cell_weights, form_layout


def score_project(project: Project, config: ScoringConfig | None = None, profile: str = "") -> ProjectScore:
    """Suggested scores for one project, with overrides applied and kept beside. ``profile``
    is the project's table's (Table.profile): it applies when ``config`` names none."""
    base = config or DEFAULT_CONFIG
    if profile and not base.profile:
        base = base.with_profile(profile)
    return _score_project(project, base, None)


def score_table(table: Table, config: ScoringConfig | None = None) -> list[ProjectScore]:
    """Every project of ``table``, under ``config`` — or, when ``config`` names no profile,
    under the table's own (Table.profile)."""
    base = config or DEFAULT_CONFIG
    if table.profile and not base.profile:
        base = base.with_profile(table.profile)
    plan = _plan(base)  # the same for every project without its own adjustments
    return [_score_project(p, base, plan) for p in table.projects]


_LAYOUTS_MAX = 4096


def _plan(cfg: ScoringConfig) -> tuple:
    """What scoring a project needs from a configuration, worked out once per table:
    the settings token, the category weights, the weight-sum note, the grade rule texts and
    (filled as projects come) the cell weights per set of filled cells."""
    note = _weights_note(cfg.execution_weight + sum(cfg.category_weights.values(), ZERO))
    cats = tuple((cat, cfg.category_weights.get(cat.key, ZERO)) for cat in CATEGORIES)
    grade_rules = {g: grade_rule(g, cfg) for g in ("优", "良", "中", "差")}  # (low, high) per grade
    return cfg, config_token(cfg), cats, note, grade_rules, {}


def _weights_note(weight_sum) -> Reason | None:
    return None if weight_sum == HUNDRED else ("weights.sum", f"{weight_sum.normalize():f}")


def _layout(filled: tuple[str, ...], cfg: ScoringConfig, cats: tuple) -> tuple:
    """Per category: (category, weight, ((二级 kind, its name, its weight, str(weight), None,
    False, reading context), ...)) — None and False are a form's item weights and "weight
    given" (_form_layout); the context (targets.context: cost or None) keys the remembered cells.

    Projects of a table mostly fill the same columns, so this is worked out once per set
    of filled cells (the weights are then the same Decimal objects project after project,
    which makes the remembered weighted cells an identity test away)."""
    keys = set(filled)
    return tuple((cat, cw, tuple((k, kind_name(k), w, str(w), None, False, context(k))
                                 for k, w in cell_weights(keys, cat, cfg)))
                 for cat, cw in cats)


def _form_layout(cells: dict, filled: tuple[str, ...], cfg: ScoringConfig, printed: dict) -> tuple:
    """_layout for a project whose form gives its own 分值 (weights.form_layout); per project."""
    return tuple((cat, cw, tuple((k, kind_name(k), w, str(w), iw, given, context(k)) for k, w, iw, given in kinds))
                 for cat, cw, kinds in form_layout(cells, filled, cfg, printed))


_NO_OVERRIDES: dict[str, ScoreOverride] = {}
_NO_WEIGHTS: dict = {}
_SUMMARIES = Memo(1 << 16)


def _score_project(project: Project, base: ScoringConfig, base_plan: tuple | None) -> ProjectScore:
    cfg = base.for_project(project) if base.projects else base
    published = project.published
    if published is not None:  # the form's own weights first
        cfg = cfg.for_published(published.execution_weight, published.category_weights)
    shared: dict[str, Decimal] = {}
    na_levels = _not_applicable_levels(project)
    if cfg.absent_levels == "shared" or na_levels:
        # A level the department declared not applicable shares its weight under every
        # profile (docs/scoring.md, "Not applicable indicators").
        cfg, shared = _share_absent(project, cfg, None if cfg.absent_levels == "shared" else na_levels)
    plan = base_plan if base_plan is not None and cfg is base else _plan(cfg)
    _, token, cats, weights_note, grade_rules, layouts = plan
    overrides = {o.item: o for o in project.overrides} if project.overrides else _NO_OVERRIDES
    execution = score_execution(project, cfg)
    if published is not None:
        execution.published = published.execution_score
    if overrides:
        ov = overrides.get("execution")
        if ov is not None:
            execution.override = ov
            execution.score = round_half_up(ov.score)
            execution.reasons += (override_reason("execution", ov, execution.suggested),)
    categories: list[CategoryScore] = []
    project_reasons: list[Reason] = [execution.reasons[0]]
    facts: list[tuple[str, tuple]] = []
    cells = project.indicators
    weighted_peek = WEIGHTED.peek
    # The filled cells (a non-blank target, or a form's 三级 rows); isspace() tells the same
    # as strip() without a copy. A form that gives its own 分值 is weighed per project.
    # A cell declared not applicable is never filled (IndicatorCell.filled).
    filled = tuple([k for k, c in cells.items()
                    if ((c.target and not c.target.isspace()) or c.items) and not c.not_applicable])
    form = False
    for k in filled:
        c = cells[k]
        if c.weight is not None or c.items:
            form = True
            break
    if form:
        layout = _form_layout(cells, filled, cfg, published.category_weights if published else _NO_WEIGHTS)
        weights_note = _weights_note(cfg.execution_weight + sum((cw for _, cw, _ in layout), ZERO))
    else:
        layout = layouts.get(filled)
        if layout is None:
            if len(layouts) >= _LAYOUTS_MAX:
                layouts.clear()
            layout = layouts[filled] = _layout(filled, cfg, cats)
    evidenced_total = execution.score
    for cat, cw, weighted_kinds in layout:
        inds: list[IndicatorScore] = []
        suggested = evidenced = ZERO
        for key, name, w, wkey, item_ws, given, ctx in weighted_kinds:
            cell = cells[key]  # a filled cell (see _layout)
            if item_ws is not None:
                ind, fact = _items_indicator(key, name, cell, w, item_ws, given, token)
                if fact is not None:
                    facts.append((key, fact))
                items = ind.items
            else:
                target, actual = cell.target, cell.actual
                # weighted()'s remembered path, inline (it runs for every cell of a province)
                if len(target) + len(actual) <= 4000:
                    key5 = (target, actual, token, wkey, ctx)
                    done = (weighted_peek(key5) or WEIGHTED.get(key5)
                            or weighted(target, actual, w, wkey, token, None, key))
                else:
                    done = weighted(target, actual, w, wkey, token, None, key)
                # _indicator, inline (fresh result objects; see there)
                if len(done) == HEAD + ITEM_FIELDS:  # the common cell: one 三级 item
                    items = (ItemScore(*done[HEAD:]),)
                else:
                    items = tuple([ItemScore(*done[i:i + ITEM_FIELDS]) for i in range(HEAD, len(done), ITEM_FIELDS)])
                ind = IndicatorScore(key, name, target, actual, w, done[0], done[0], None, done[3], done[1],
                                     done[4], items, done[6], given)
                if done[5] is not None:
                    facts.append((key, done[5]))
            if overrides:
                if len(items) > 1:
                    override_items(ind, key, name, overrides)
                iov = overrides.get(key)
                if iov is not None:
                    ind.override = iov
                    ind.score = ind.evidenced = round_half_up(iov.score)
                    ind.reasons += (override_reason(key, iov, ind.suggested),)
            inds.append(ind)
            suggested += ind.score
            evidenced += ind.evidenced
        cat_reasons: tuple[Reason, ...] = ()
        if not inds and cw > 0:
            cat_reasons = (("category.empty", cat.key, f"{cw.normalize():f}"),)
        elif cat.key in shared:
            code = "category.not_applicable" if cat.key in na_levels else "category.shared"
            cat_reasons = ((code, cat.key, f"{shared[cat.key].normalize():f}"),)
        if na_levels is not _NO_LEVELS:
            cat_reasons += tuple(("cell.not_applicable", k, cells[k].na_reason) for k in _KINDS_OF[cat.key]
                                 if k in cells and cells[k].not_applicable)
        cs = CategoryScore(cat.key, cat.name, cw, suggested, tuple(inds), suggested, None, cat_reasons, evidenced)
        if overrides:
            cov = overrides.get(cat.key)
            if cov is not None:
                cs.override = cov
                cs.score = cs.evidenced = round_half_up(cov.score)
                cs.reasons += (override_reason(cat.key, cov, suggested, "override.category"),)
        categories.append(cs)
        evidenced_total += cs.evidenced
        if cs.reasons:
            project_reasons.extend(cs.reasons)
    categories_total = ZERO
    for c in categories:
        categories_total += c.score
    suggested_total = execution.score + categories_total
    total = suggested_total
    tov = overrides.get("total") if overrides else None
    if tov is not None:
        total = evidenced_total = round_half_up(tov.score)
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
        project_reasons.append(override_reason("total", tov, suggested_total))
    if overrides:
        project_reasons.extend(unused_overrides(overrides, categories))
    project_reasons.append(("project.grade", str(total), g, *grade_rules[g]))
    ps = ProjectScore(project.seq, project.name, execution, tuple(categories), total, g, tuple(project_reasons),
                      suggested_total, tov, evidenced_total, None, "", cfg.profile, cfg.evidence)
    if published is not None:
        ps.published_total, ps.published_grade = published.total, published.grade
    return ps


_NO_LEVELS: frozenset[str] = frozenset()
_KINDS_OF = {c.key: tuple(k.key for k in KIND_BY_KEY.values() if k.category == c) for c in CATEGORIES}


def _not_applicable_levels(project: Project) -> frozenset[str]:
    """The 一级 levels of ``project`` declared not applicable: at least one cell marked 不适用
    and no cell scored. ``_NO_LEVELS`` (the same object) when no cell is marked at all."""
    marked = [k for k, c in project.indicators.items() if c.not_applicable and k in KIND_BY_KEY]
    if not marked:
        return _NO_LEVELS
    scored = {KIND_BY_KEY[k].category.key for k, c in project.indicators.items() if k in KIND_BY_KEY and c.filled}
    levels = frozenset(KIND_BY_KEY[k].category.key for k in marked) - scored
    return levels or frozenset({""})  # not empty: some cell is marked (its reason is listed)


def _share_absent(project: Project, cfg: ScoringConfig,
                  only: frozenset[str] | None = None) -> tuple[ScoringConfig, dict[str, Decimal]]:
    """``cfg`` with the weight of 一级 levels that have no indicator in ``project`` shared among
    those that have (weights.shared_absent; ``absent_levels: shared``), and the weight each
    such level gave away. ``only``: share only these levels (those declared not applicable,
    under a profile whose absent levels are lost)."""
    present = {KIND_BY_KEY[k].category.key for k, c in project.indicators.items()
               if k in KIND_BY_KEY and c.filled}
    # Levels whose weight the form printed keep it; so do, when ``only`` is given, levels
    # neither scored nor declared not applicable (their weight is lost).
    fixed = set(project.published.category_weights) if project.published is not None else set()
    if only is not None:
        fixed |= {c.key for c in CATEGORIES if c.key not in present and c.key not in only}
    moved = weights.shared_absent(cfg.category_weights, present, fixed)
    if not moved:
        return cfg, {}
    given = {k: cfg.category_weights[k] for k, w in moved.items() if w == ZERO}
    out = cfg.copy()
    out.category_weights = {**cfg.category_weights, **moved}
    return out, given


_TEMPLATE_LABEL = re.compile(r"^\s*指标\s*\d+\s*[:：]\s*")


def row_text(row) -> str:
    """A 三级 row's name and value as one target (IndicatorItem.target_text) without a form
    template's row label (``指标1:完成中型灌区节水改造项目数量`` → ``完成中型灌区节水改造项目数量``)."""
    name = _TEMPLATE_LABEL.sub("", row.name)
    target = row.target
    if name and target and not target.startswith(name):
        return f"{name}{target}"
    return target or name


def _blank(text: str) -> bool:
    return not text or text.isspace()


def _items_indicator(key: str, name: str, cell, w, item_ws: tuple, given: bool, token: int):
    """A 二级 cell scored 三级 row by 三级 row (a MoF form's ``IndicatorCell.items``): each
    row's name and value (``target_text``) against its own completion, with its own weight —
    each a remembered one-row cell (cells.weighted). Returns the IndicatorScore and the
    project-summary facts of the cell (or None)."""
    items: list[ItemScore] = []
    notes: list[Reason] = []
    devs: list = []
    total = evidenced = ZERO
    published = ZERO
    for row, iw in zip(cell.items, item_ws):
        text = row_text(row)
        # A row written as a statement — only its name (``工程质量合格``), no 年度指标值 and no
        # 实际完成值 — reads as a claim that the statement holds, as bureaus score such rows
        # (docs/scoring.md, "Rows with only a name"): met in practice, unknown_share when evidenced.
        name_only = bool(text) and _blank(row.target) and _blank(row.actual)
        # A completion that repeats the row's 年度指标值 (``有效`` / ``有效``, ``≥95%`` / ``≥95%``)
        # copies the target the row states with its name: a copy, read as such (a claim).
        copied = not name_only and not _blank(row.actual) and row.actual.strip() == row.target.strip()
        done = weighted(text, text if name_only or copied else row.actual, iw, str(iw), token, None, key)
        if len(done) > HEAD + ITEM_FIELDS and row.target and row.target != text:
            # One 三级 row is one indicator: when its name and value read as several (a name
            # with its own number or separator), the value alone is the target.
            done = weighted(row.target, row.actual, iw, str(iw), token, None, key)
        first = len(items)
        for i in range(HEAD, len(done), ITEM_FIELDS):
            it = ItemScore(*done[i:i + ITEM_FIELDS])
            it.weight_given = row.weight is not None
            if copied:
                it.actual = row.actual
            if name_only:
                it.actual = ""
                it.reasons = (("match.name_only", text),) + tuple(r for r in it.reasons if r[0] != "match.copied")
            items.append(it)
        if len(items) - first == 1:
            items[first].published = row.published_score
        if published is not None:
            published = None if row.published_score is None else published + row.published_score
        total += done[0]
        evidenced += done[6]
        reasons = done[1]
        if name_only:
            reasons = tuple(r for r in reasons if r[0] != "cell.copied")
        notes.extend(reasons[:-1] if len(done) > HEAD else reasons)
        if done[4] is not None:
            devs.extend(done[4][1])  # the row's deviation parts (code cell.deviation)
    met = sum(1 for it in items if it.met)
    if items:
        notes.append(("cell.items", len(items), met, str(total), str(w)))
    deviation = ("cell.deviation", tuple(devs)) if devs else None
    ind = IndicatorScore(key, name, cell.target, cell.actual, w, total, total, None, items_formula(items, token),
                         tuple(notes), deviation, tuple(items), evidenced, given, published if cell.items else None)
    fact = facts_of([(it.target, it.actual, None, it.met, it.ratio, None, it.kind, it.tier, it.basis, it.over,
                      it.restated, it.evidence) for it in items])
    return ind, fact


def clear_caches() -> None:
    """Forget everything the core remembers between calls (parsed texts and segments, matched
    and weighted cells, shared reasons, rendered sentences and numbers): scoring then starts as in a
    fresh process.

    Nothing needs it for correctness — every cache is bounded, and results never depend on
    it — but a benchmark that times the first pass more than once does
    (``bench/bench_score.py --repeat``). Settings tokens are kept: remembered results refer to them.
    """
    for module in (targets, matching, reasons, cells, config, execution, items, profiles, rules, summary, weights):
        for value in list(vars(module).values()):
            if isinstance(value, Memo):
                value.clear()
            elif callable(getattr(value, "cache_clear", None)):  # an lru_cache
                value.cache_clear()
    _SUMMARIES.clear()
    matching.clear_units_cache()
