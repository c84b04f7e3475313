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
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from ..errors import InputError
from . import matching, targets
from .matching import TIER_NAMES, CellMatch, Judgement, _match, _pct, describe_item, match_cell
from .memo import Memo
from .model import Project, ScoreOverride, Table
from .money import parse_rate, round_half_up
from .taxonomy import CATEGORIES, KIND_BY_KEY, KINDS

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")

GRADES: tuple[tuple[str, str], ...] = (("优", "90"), ("良", "80"), ("中", "60"))


# --- configuration ------------------------------------------------------------------------

def _dec(value: Any, key: str) -> Decimal:
    if isinstance(value, bool):
        raise InputError(f"评分设置“{key}”应为数值", f"scoring setting {key!r} must be a number")
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InputError(f"评分设置“{key}”应为数值：{value!r}",
                         f"scoring setting {key!r} must be a number: {value!r}") from None


TIER_RANGES: dict[int, tuple[Decimal, Decimal]] = {
    1: (Decimal("0.80"), Decimal("1.00")), 2: (Decimal("0.60"), Decimal("0.80")),
    3: (Decimal("0.00"), Decimal("0.60")),
}


@dataclass
class ScoringConfig:
    """Every scoring setting with its default (docs/scoring.md)."""

    execution_weight: Decimal = Decimal(10)
    category_weights: dict[str, Decimal] = field(default_factory=lambda: {
        "output": Decimal(50), "outcome": Decimal(30), "satisfaction": Decimal(10)})
    # Fixed weights for some 二级 indicator kinds (e.g. {"quantity": 20}); the rest of the
    # category's weight is split equally among its other filled cells.
    indicator_weights: dict[str, Decimal] = field(default_factory=dict)
    over_factor: Decimal = Decimal("1.30")
    over_reduction: bool = False
    over_reduction_cap: Decimal = Decimal("0.20")
    tier1_share: Decimal = Decimal("1.00")
    tier2_share: Decimal = Decimal("0.70")
    tier3_share: Decimal = Decimal("0.30")
    late_share: Decimal = Decimal("0.70")  # a deadline missed: 部分达成 by default
    unknown_share: Decimal = Decimal("0.60")  # completion cannot be judged (restated, unclear)
    blank_share: Decimal = Decimal("0.00")  # no completion text at all
    grade_thresholds: dict[str, Decimal] = field(default_factory=lambda: {
        "优": Decimal(90), "良": Decimal(80), "中": Decimal(60)})
    # Per-project adjustments, keyed by 序号: {"3": {"category_weights": {...}}}.
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)

    PROJECT_KEYS = ("execution_weight", "category_weights", "indicator_weights")

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "ScoringConfig":
        """Build from plain data (JSON); unknown keys and out-of-range values are rejected."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(f"未知的评分设置：{', '.join(unknown)}",
                             f"unknown scoring setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        cfg = cls()
        for key, value in data.items():
            if key == "over_reduction":
                if not isinstance(value, bool):
                    raise InputError("评分设置“over_reduction”应为 true 或 false",
                                     "scoring setting 'over_reduction' must be true or false")
                cfg.over_reduction = value
            elif key == "category_weights":
                cfg.category_weights = {**cfg.category_weights,
                                        **_weights(value, key, {c.key for c in CATEGORIES})}
            elif key == "indicator_weights":
                cfg.indicator_weights = _weights(value, key, set(KIND_BY_KEY))
            elif key == "grade_thresholds":
                cfg.grade_thresholds = {**cfg.grade_thresholds, **_weights(value, key, {"优", "良", "中"})}
            elif key == "projects":
                cfg.projects = _projects(value)
            else:
                setattr(cfg, key, _dec(value, key))
        cfg.validate()
        return cfg

    def validate(self) -> None:
        for tier, (lo, hi) in TIER_RANGES.items():
            share = getattr(self, f"tier{tier}_share")
            if not (lo <= share <= hi):
                raise InputError(
                    f"第{tier}档得分比例应在{lo}–{hi}之间，实为{share}",
                    f"tier{tier}_share must be between {lo} and {hi}, got {share}")
        for key in ("late_share", "unknown_share", "blank_share", "over_reduction_cap"):
            v = getattr(self, key)
            if not (Decimal(0) <= v <= Decimal(1)):
                raise InputError(f"评分设置“{key}”应在0–1之间，实为{v}",
                                 f"scoring setting {key!r} must be between 0 and 1, got {v}")
        if self.over_factor < 1:
            raise InputError(f"超额阈值 over_factor 应不小于1，实为{self.over_factor}",
                             f"over_factor must be at least 1, got {self.over_factor}")
        th = self.grade_thresholds
        if not (th["优"] >= th["良"] >= th["中"] >= 0):
            raise InputError(f"等级分数线应满足 优 ≥ 良 ≥ 中 ≥ 0，实为 优{th['优']} 良{th['良']} 中{th['中']}",
                             "grade_thresholds must satisfy 优 ≥ 良 ≥ 中 ≥ 0")
        for key in ("execution_weight",):
            if getattr(self, key) < 0:
                raise InputError(f"评分设置“{key}”不能为负数", f"scoring setting {key!r} must not be negative")

    def for_project(self, project: Project) -> "ScoringConfig":
        """This configuration with the project's own adjustments (by 序号) applied."""
        adj = self.projects.get(str(project.seq))
        if not adj:
            return self
        cfg = ScoringConfig(**{f.name: getattr(self, f.name) for f in fields(self)})
        cfg.projects = {}
        if "execution_weight" in adj:
            cfg.execution_weight = adj["execution_weight"]
        if "category_weights" in adj:
            cfg.category_weights = {**self.category_weights, **adj["category_weights"]}
        if "indicator_weights" in adj:
            cfg.indicator_weights = {**self.indicator_weights, **adj["indicator_weights"]}
        return cfg


def _weights(value: Any, key: str, allowed: set[str]) -> dict[str, Decimal]:
    if not isinstance(value, dict):
        raise InputError(f"评分设置“{key}”应为对象", f"scoring setting {key!r} must be an object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InputError(f"评分设置“{key}”中有未知的键：{', '.join(unknown)}",
                         f"unknown key(s) in {key!r}: {', '.join(unknown)}; known: {', '.join(sorted(allowed))}")
    out = {k: _dec(v, f"{key}.{k}") for k, v in value.items()}
    for k, v in out.items():
        if v < 0:
            raise InputError(f"评分设置“{key}.{k}”不能为负数", f"scoring setting '{key}.{k}' must not be negative")
    return out


def _projects(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise InputError("评分设置“projects”应为以序号为键的对象",
                         "scoring setting 'projects' must be an object keyed by project 序号")
    out: dict[str, dict[str, Any]] = {}
    for seq, adj in value.items():
        if not isinstance(adj, dict):
            raise InputError(f"项目{seq}的评分设置应为对象", f"settings of project {seq} must be an object")
        unknown = sorted(set(adj) - set(ScoringConfig.PROJECT_KEYS))
        if unknown:
            raise InputError(f"项目{seq}的评分设置中有未知的键：{', '.join(unknown)}",
                             f"unknown key(s) in the settings of project {seq}: {', '.join(unknown)}; "
                             f"known: {', '.join(ScoringConfig.PROJECT_KEYS)}")
        parsed: dict[str, Any] = {}
        if "execution_weight" in adj:
            parsed["execution_weight"] = _dec(adj["execution_weight"], "execution_weight")
        if "category_weights" in adj:
            parsed["category_weights"] = _weights(adj["category_weights"], "category_weights",
                                                  {c.key for c in CATEGORIES})
        if "indicator_weights" in adj:
            parsed["indicator_weights"] = _weights(adj["indicator_weights"], "indicator_weights", set(KIND_BY_KEY))
        out[str(seq)] = parsed
    return out


@dataclass(frozen=True)
class Shares:
    """The settings that score one cell; hashable, so cell scores can be remembered."""

    tier1_share: Decimal
    tier2_share: Decimal
    tier3_share: Decimal
    late_share: Decimal
    unknown_share: Decimal
    blank_share: Decimal
    over_factor: Decimal
    over_reduction: bool
    over_reduction_cap: Decimal


def shares_of(config: ScoringConfig) -> Shares:
    return Shares(config.tier1_share, config.tier2_share, config.tier3_share, config.late_share,
                  config.unknown_share, config.blank_share, config.over_factor, config.over_reduction,
                  config.over_reduction_cap)


# Each distinct Shares gets a small number, so the cell cache hashes an int per lookup
# rather than nine Decimals.
_SHARES_TOKENS: dict[Shares, int] = {}
_SHARES_BY_TOKEN: list[Shares] = []


def _config_token(cfg: ScoringConfig) -> int:
    return _token(shares_of(cfg))


def _token(shares: Shares) -> int:
    tok = _SHARES_TOKENS.get(shares)
    if tok is None:
        tok = _SHARES_TOKENS[shares] = len(_SHARES_BY_TOKEN)
        _SHARES_BY_TOKEN.append(shares)
    return tok


DEFAULT_CONFIG = ScoringConfig()


# --- results --------------------------------------------------------------------------------

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


# --- rules ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A scoring rule: its key, Chinese name and the formula printed on the MoF form."""

    key: str
    name: str
    formula: str


def _share_text(x: Decimal) -> str:
    return f"{(x * HUNDRED).normalize():f}%"


@lru_cache(maxsize=64)
def _cell_rules(c: Shares) -> dict[str, Rule]:
    over = (f"完成比例超过目标的{_share_text(c.over_factor)}时提示“目标设定偏低”"
            + (f"，并按偏离度调减：得分 = 分值 ×（1 − min(完成比例 − {_share_text(c.over_factor)}，"
               f"{_share_text(c.over_reduction_cap)})）" if c.over_reduction else "（不调减分值）"))
    return {
        "quantity": Rule("quantity", "定量指标",
                         "定量指标：达到目标值得满分；未达到按“实际值 ÷ 目标值 × 分值”计分"
                         "（“≤”类指标按“目标值 ÷ 实际值 × 分值”）；" + over),
        "qualitative": Rule("qualitative", "定性指标",
                            f"定性指标：达成年度指标得分值的80%–100%（取{_share_text(c.tier1_share)}），"
                            f"部分达成并具有一定效果得60%–80%（取{_share_text(c.tier2_share)}），"
                            f"未达成且效果较差得0–60%（取{_share_text(c.tier3_share)}）"),
        "deadline": Rule("deadline", "时效指标",
                         f"时效指标：按时完成得满分；未按时完成得分值的{_share_text(c.late_share)}"),
        "unknown": Rule("unknown", "无法判断",
                        f"完成情况无法判断（复述目标、无对应数值）得分值的{_share_text(c.unknown_share)}，"
                        f"未填写完成情况得{_share_text(c.blank_share)}，待评价人核实"),
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


def split_exact(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` shares of whole cents that add up exactly (earlier ones larger)."""
    if parts <= 0:
        return []
    cents = int((total / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    base, extra = divmod(cents, parts)
    return [Decimal(base + (1 if i < extra else 0)) * CENT for i in range(parts)]


@lru_cache(maxsize=64)
def _execution_formula(w: Decimal) -> str:
    return f"预算执行率得分 = 预算执行率 × 分值（{w.normalize():f}分），最高不超过分值"


def score_execution(project: Project, config: ScoringConfig = DEFAULT_CONFIG) -> ExecutionScore:
    w = config.execution_weight
    rate = project.execution_rate
    formula = _execution_formula(w)
    if rate is None:
        reasons = ["没有预算金额或预算为0，无法计算预算执行率，执行率得0分。"]
        score = ZERO
    else:
        score, reason = _execution_reason(rate, w)
        reasons = [reason]
        text = project.execution_rate_text
        reported = _reported_rate(text) if type(text) is str else project.reported_execution_rate
        if reported is not None and reported != rate:
            reasons.append(f"表中填报的执行率为{project.execution_rate_text}，按实际支出与预算重新计算为{rate}%。")
    return ExecutionScore(rate, w, score, score, formula, reasons)


@lru_cache(maxsize=1 << 14)
def _reported_rate(text: str) -> Decimal | None:
    """``Project.reported_execution_rate`` remembered by text (the printed rates repeat)."""
    try:
        return parse_rate(text)
    except ValueError:
        return None


@lru_cache(maxsize=1 << 14)
def _execution_reason(rate: Decimal, w: Decimal) -> tuple[Decimal, str]:
    # Rates repeat (two decimals) and are always quantized to 0.01, so equal rates print
    # alike; the weight is printed normalized. Safe to remember by value.
    raw = rate / HUNDRED * w
    score = round_half_up(min(raw, w))
    return score, (f"预算执行率{rate}%，得分 = {rate}% × {w.normalize():f} = {score}分"
                   + ("（已封顶）。" if raw > w else "。"))


def _item_share(j: Judgement, config: Shares) -> tuple[Decimal, list[str], bool]:
    """Share of the item weight (0–1), the scoring reasons and the over-achievement flag."""
    c = config
    reasons: list[str] = []
    if j.met is None:
        if j.evidence == "blank":
            return c.blank_share, [f"未填写完成情况，得分值的{_share_text(c.blank_share)}。"], False
        return c.unknown_share, [f"无法判断是否完成，暂按分值的{_share_text(c.unknown_share)}建议，待评价人核实。"], False
    if j.evidence in ("value", "rate", "bare") and j.ratio is not None and j.target.kind == "quantity":
        if not j.met:
            share = min(j.ratio, Decimal(1))
            return share, [f"未达到目标，按完成比例{_pct(j.ratio)}计分。"], False
        if j.ratio > c.over_factor:
            reasons.append(f"完成比例{_pct(j.ratio)}，超过目标的{_share_text(c.over_factor)}，"
                           "目标设定偏低，建议下一年度提高目标值。")
            if c.over_reduction:
                cut = min(j.ratio - c.over_factor, c.over_reduction_cap)
                reasons.append(f"按偏离度调减分值的{_pct(cut)}。")
                return Decimal(1) - cut, reasons, True
            return Decimal(1), reasons, True
        return Decimal(1), reasons, False
    if j.evidence == "bare" and j.ratio is not None:
        share = min(j.ratio, Decimal(1))
        return share, ([] if j.met else [f"按完成比例{_pct(j.ratio)}计分。"]), False
    if j.evidence == "date":
        if j.met:
            return Decimal(1), [], False
        return c.late_share, [f"未按时完成，得分值的{_share_text(c.late_share)}。"], False
    if j.tier is not None:
        share = getattr(c, f"tier{j.tier}_share")
        return share, [f"{TIER_NAMES[j.tier]}，得分值的{_share_text(share)}。"], False
    if j.met:
        return Decimal(1), [], False
    return Decimal(0), ["未完成。"], False


def _formula(match: CellMatch, token: int) -> str:
    keys = []
    for t in match.targets:
        key = _RULE_OF_KIND.get(t.kind, "qualitative")
        if key not in keys:
            keys.append(key)
    if any(j.met is None for j in match.judgements):
        keys.append("unknown")
    return _formula_text(tuple(keys), token)


_RULE_OF_KIND = {"quantity": "quantity", "deadline": "deadline"}


@lru_cache(maxsize=256)
def _formula_text(keys: tuple[str, ...], token: int) -> str:
    r = _cell_rules(_SHARES_BY_TOKEN[token])
    return "；".join(r[k].formula for k in keys)


def score_cell(kind: str, target: str, actual: str, weight: Decimal,
               config: ScoringConfig | Shares | int = DEFAULT_CONFIG,
               match: CellMatch | None = None) -> IndicatorScore:
    """Score one 二级 cell worth ``weight`` points (``config`` may also be a settings token)."""
    if isinstance(config, int):
        token = config
    else:
        token = _token(config if isinstance(config, Shares) else shares_of(config))
    done = _weighted(target, actual, weight, str(weight), token, match)
    return _indicator(kind, _kind_name(kind), target, actual, weight, done)


def _weighted(target: str, actual: str, weight: Decimal, wkey: str, token: int,
              match: CellMatch | None) -> tuple:
    """The cell's judgement (_cell_core) with ``weight`` applied (_apply_weight).

    A province repeats the same cells, and a cell's weight takes only a few values (the
    category weight split among 1–5 cells), so the weighted results are remembered per
    cell and weight; a repeated cell then costs one lookup and the result objects.
    They are keyed by the weight's digits ``wkey`` (``str(weight)``): equal decimals may
    print differently (10 and 10.00), and the reasons print the weight."""
    if match is None and len(target) + len(actual) <= 4000:
        key = (target, actual, token, wkey)
        done = _WEIGHTED.get(key)
        if done is None:
            # The match itself is not remembered (match_cell would): the weighted result
            # holds everything scoring needs from it. A cell seen again under another
            # weight is matched again (rare: 851 of 169 593 cells of a province).
            done = _apply_weight(_cell_core(target, actual, token, _match(target, actual)), weight)
            _WEIGHTED.put(key, done)
        return done
    return _apply_weight(_cell_core(target, actual, token, match), weight)


# Everything remembered holds only strings, numbers, Decimals and tuples of them, in a Memo:
# the garbage collector then stops walking a province's few hundred thousand entries.
_WEIGHTED = Memo(1 << 19)


# Scores, totals and the cell sentence repeat across a province (16.67, 50.00, “共1个三级
# 指标，1个已达成…”): remembered cells share one object each instead of a copy per cell.
_SHARED = Memo(1 << 16)


def _shared(key: Any, value: Any) -> Any:
    got = _SHARED.get(key)
    if got is None:
        _SHARED.put(key, value)  # bounded; sharing is only a saving, never needed for correctness
        got = value
    return got


def _shared_decimal(x: Decimal) -> Decimal:
    # Keyed by the text: same value *and* digits (16.67 ≠ 16.670 in print), and a string
    # key keeps the memo out of the garbage collector's view (see memo.py).
    return _shared(str(x), x)


def _apply_weight(core: tuple, weight: Decimal) -> tuple:
    """The cell with ``weight`` applied, as one flat tuple: (cell total, cell reasons,
    weight, formula, deviation, project-summary facts, then 12 fields per item — exactly
    the arguments of its :class:`ItemScore`, the reasons as a tuple).

    Flat on purpose: the garbage collector untracks a tuple only once the tuples inside it
    are untracked, one level per collection, and a remembered cell must drop out of its
    view quickly (see memo.py). Nothing is nested deeper than one tuple of strings."""
    rows, notes, deviation, formula, met, facts = core
    weights = _split_cached(weight, len(rows))
    fields: list[Any] = []
    total = ZERO
    for r, w in zip(rows, weights):
        score = _shared_decimal((w * r[2]).quantize(CENT, rounding=ROUND_HALF_UP))
        total += score
        fields += (r[0], r[1], w, score, r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10])
    total = _shared_decimal(total)
    reasons = notes
    if rows:
        line = f"共{len(rows)}个三级指标，{met}个已达成，得分{total}分（分值{weight}分）。"
        reasons = _shared(("reasons", notes, line), notes + (line,))
    return (total, reasons, weight, formula, deviation, facts, *fields)


_ITEM_FIELDS = 12  # per item in _apply_weight's tuple, from index 6


def _kind_name(kind: str) -> str:
    kind_def = KIND_BY_KEY.get(kind)
    return kind_def.name if kind_def is not None else kind


def _indicator(kind: str, name: str, target: str, actual: str, weight: Decimal,
               done: tuple) -> IndicatorScore:
    # Fresh result objects every time (callers may change them, e.g. an override); only
    # the immutable strings, decimals and tuples inside are shared. The reasons arrive as
    # a tuple (shared) and become the item's own list.
    items = []
    for i in range(6, len(done), _ITEM_FIELDS):
        it = ItemScore(*done[i:i + _ITEM_FIELDS])
        it.reasons = list(it.reasons)
        items.append(it)
    total = done[0]
    return IndicatorScore(kind, name, target, actual, weight, total, total, None, done[3], list(done[1]),
                          done[4], items)


@lru_cache(maxsize=4096)
def _split_cached(weight: Decimal, parts: int) -> list[Decimal]:
    return split_exact(weight, parts)


def _cell_core(target: str, actual: str, token: int, match: CellMatch | None) -> tuple:
    match = match or match_cell(target, actual)
    shares = _SHARES_BY_TOKEN[token]
    rows = []
    deviation: list[str] = []
    met = 0
    for j in match.judgements:
        share, why, over = _item_share(j, shares)
        met += 1 if j.met else 0
        shown_actual = j.actual.text if j.actual is not None else (
            actual if j.evidence in ("words", "restated", "none") else "")
        rows.append((j.target.text, shown_actual, share, j.met, j.ratio, tuple(j.reasons) + tuple(why),
                     j.target.kind, j.tier, j.evidence, over, j.restated))
        if j.met is not True or over:
            deviation.append(j.reasons[0].rstrip("。") if j.reasons else j.target.text)
    dev_text = "；".join(deviation) + "。请说明偏差原因并提出改进措施。" if deviation else ""
    return (tuple(rows), tuple(match.notes), dev_text, _formula(match, token), met, _facts(rows))


def _facts(rows: list[tuple]) -> tuple | None:
    """What the project summary needs from a cell (None when the cell adds nothing to it),
    flat (see _apply_weight): all items bare percentages, the number of restated items,
    the numbers of targets not met and not judged, then the texts of the targets not met,
    not judged and over-achieved."""
    if all(r[3] is True and not r[9] and not r[10] and r[8] != "bare" for r in rows):
        return None  # the common case: everything met from real values
    bare = bool(rows) and all(r[8] == "bare" for r in rows)
    restated = sum(1 for r in rows if r[10])
    not_met = [r[0] for r in rows if r[3] is False]
    unknown = [r[0] for r in rows if r[3] is None]
    over = [r[0] for r in rows if r[9]]
    return (bare, restated, len(not_met), len(unknown), *not_met, *unknown, *over)


_KINDS_OF = {c.key: tuple(k.key for k in KINDS if k.category == c) for c in CATEGORIES}


def _category_weights(filled: set[str], category, config: ScoringConfig) -> list[tuple[str, Decimal]]:
    """(二级 kind, weight) of the filled cells of ``category``, in form order."""
    filled_here = [k for k in _KINDS_OF[category.key] if k in filled]
    total = config.category_weights.get(category.key, ZERO)
    if not config.indicator_weights:
        return list(zip(filled_here, _split_cached(total, len(filled_here))))
    fixed = {k: config.indicator_weights[k] for k in filled_here if k in config.indicator_weights}
    rest = [k for k in filled_here if k not in fixed]
    remaining = max(total - sum(fixed.values(), ZERO), ZERO)
    shares = dict(zip(rest, split_exact(remaining, len(rest))))
    return [(k, fixed.get(k, shares.get(k, ZERO))) for k in filled_here]


def item_key(kind: str, n: int) -> str:
    """The ScoreOverride.item of the ``n``-th 三级 item (from 1) of a 二级 cell: ``quantity.2``."""
    return f"{kind}.{n}"


def _override_items(ind: IndicatorScore, kind: str, name: str, overrides: dict[str, ScoreOverride]) -> None:
    """Apply the overrides of single 三级 items of a cell with several: the item's score is
    replaced (the suggestion kept beside it) and the cell's score becomes the sum of its items'.
    A cell of one item is overridden as the cell (``kind``), not as its item."""
    changed = False
    for n, it in enumerate(ind.items, 1):
        ov = overrides.get(item_key(kind, n))
        if ov is None or (ov.target and ov.target != it.target):
            continue  # a changed item keeps its suggestion (_unused_overrides says why)
        it.override, it.suggested = ov, it.score
        it.score = round_half_up(ov.score)
        note = _override_reason(f"{name}第{n}项“{it.target}”", ov, it.suggested)
        it.reasons.append(note)
        ind.reasons.append(note)
        changed = True
    if changed:
        total = ZERO
        for it in ind.items:
            total += it.score
        ind.score = total


def _override_reason(what: str, ov: ScoreOverride, suggested: Decimal) -> str:
    who = f"（{ov.by}{'，' + ov.at if ov.at else ''}）" if ov.by or ov.at else ""
    return f"{what}得分经评价人调整为{round_half_up(ov.score)}分（系统建议{suggested}分）{who}，理由：{ov.reason}"


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
    grade_rules = {g: _grade_rule(g, cfg) for g in ("优", "良", "中", "差")}
    return cfg, _config_token(cfg), cats, note, grade_rules, {}


def _layout(filled: tuple[str, ...], cfg: ScoringConfig, cats: tuple) -> tuple:
    """Per category: (category, weight, ((二级 kind, its name, its weight, str(weight)), ...)).

    Projects of a table mostly fill the same columns, so this is worked out once per set
    of filled cells (the weights are then the same Decimal objects project after project,
    which makes the remembered weighted cells an identity test away)."""
    keys = set(filled)
    return tuple((cat, cw, tuple((k, _kind_name(k), w, str(w)) for k, w in _category_weights(keys, cat, cfg)))
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
            execution.reasons.append(_override_reason("预算执行率", ov, execution.suggested))
    categories: list[CategoryScore] = []
    project_reasons: list[str] = [execution.reasons[0]]
    facts: list[tuple[str, tuple]] = []
    cells = project.indicators
    weighted_peek = _WEIGHTED.peek
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
            # _weighted's remembered path, inline (it runs for every cell of a province)
            if len(target) + len(actual) <= 4000:
                key4 = (target, actual, token, wkey)
                done = weighted_peek(key4) or _WEIGHTED.get(key4) or _weighted(target, actual, w, wkey, token, None)
            else:
                done = _weighted(target, actual, w, wkey, token, None)
            # _indicator, inline (fresh result objects; see there)
            if len(done) == 6 + _ITEM_FIELDS:  # the common cell: one 三级 item
                it = ItemScore(*done[6:])
                it.reasons = list(it.reasons)
                items = [it]
            else:
                items = []
                for i in range(6, len(done), _ITEM_FIELDS):
                    it = ItemScore(*done[i:i + _ITEM_FIELDS])
                    it.reasons = list(it.reasons)
                    items.append(it)
            ind = IndicatorScore(key, name, target, actual, w, done[0], done[0], None, done[3], list(done[1]),
                                 done[4], items)
            if done[5] is not None:
                facts.append((name, done[5]))
            if overrides:
                if len(items) > 1:
                    _override_items(ind, key, name, overrides)
                iov = overrides.get(key)
                if iov is not None:
                    ind.override = iov
                    ind.score = round_half_up(iov.score)
                    ind.reasons.append(_override_reason(name, iov, ind.suggested))
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
                cs.reasons.append(_override_reason(cat.name, cov, suggested))
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
            summary = tuple(_summary(facts))
            _SUMMARIES.put(key, summary)
        project_reasons.extend(summary)
    if weights_note is not None:
        project_reasons.append(weights_note)
    if tov is not None:
        project_reasons.append(_override_reason("总分", tov, suggested_total))
    if overrides:
        project_reasons.extend(_unused_overrides(overrides, categories))
    project_reasons.append(f"总分{total}分，评价等级为“{g}”（{grade_rules[g]}）。")
    return ProjectScore(project.seq, project.name, execution, categories, total, g, project_reasons,
                        suggested_total, tov)


def _unused_overrides(overrides: dict[str, ScoreOverride], categories: list[CategoryScore]) -> list[str]:
    """A sentence for every override that names no score of this project (a cell left blank,
    an item the cell does not have, a one-item cell's ``quantity.1``, a typing error in a
    file): it changes nothing, and the reader is told so instead of losing it silently."""
    known = {"execution", "total"}
    items: dict[str, str] = {}  # item key → the item's target text now
    for cat in categories:
        known.add(cat.key)
        for ind in cat.indicators:
            known.add(ind.kind)
            if len(ind.items) > 1:
                items.update((item_key(ind.kind, n), it.target) for n, it in enumerate(ind.items, 1))
    out = []
    for key, ov in overrides.items():
        if key in known:
            continue
        if key not in items:
            out.append(f"评分调整“{key}”没有对应的评分项，未采用（理由：{ov.reason}）。")
        elif ov.target and ov.target != items[key]:
            out.append(f"评分调整“{key}”针对的三级指标“{ov.target}”已改为“{items[key]}”，未采用，"
                       f"请重新评分（理由：{ov.reason}）。")
    return out


def _grade_rule(g: str, cfg: ScoringConfig) -> str:
    th = cfg.grade_thresholds
    return {"优": f"≥{th['优']:f}分", "良": f"{th['良']:f}–{th['优']:f}分",
            "中": f"{th['中']:f}–{th['良']:f}分", "差": f"低于{th['中']:f}分"}[g]


def _summary(facts: list[tuple[str, tuple]]) -> list[str]:
    """Project-level reasons a reviewer reads first: what was not met or cannot be judged.

    ``facts`` are (二级 name, _facts of the cell) for the cells that have any, in form order."""
    out: list[str] = []
    not_met: list[str] = []
    unknown: list[str] = []
    over: list[str] = []
    restated = bare = 0
    for name, cell in facts:
        bare += cell[0]
        restated += cell[1]
        n_not_met, n_unknown = cell[2], cell[3]
        # Most cells add only a flag or one text: test before building anything.
        if n_not_met:
            not_met.extend(f"{name}“{t}”" for t in cell[4:4 + n_not_met])
        if n_unknown:
            unknown.extend(f"{name}“{t}”" for t in cell[4 + n_not_met:4 + n_not_met + n_unknown])
        if len(cell) > 4 + n_not_met + n_unknown:
            over.extend(f"{name}“{t}”" for t in cell[4 + n_not_met + n_unknown:])
    if not_met:
        out.append(f"未完全达成的指标{len(not_met)}个：" + "；".join(not_met[:5]) + ("等。" if len(not_met) > 5 else "。"))
    if unknown:
        out.append(f"无法判断是否完成的指标{len(unknown)}个：" + "；".join(unknown[:5])
                   + ("等" if len(unknown) > 5 else "") + "，待评价人核实。")
    if restated:
        out.append(f"有{restated}个指标的完成情况复述了目标，不是实际完成值。")
    if bare:
        out.append(f"有{bare}个二级指标的完成情况只填写了百分比（如“100.00%”），没有写明实际完成值。")
    if over:
        out.append(f"完成比例远超目标（目标设定偏低）的指标{len(over)}个：" + "；".join(over[:5]) + "。")
    return out


# --- plain data -------------------------------------------------------------------------------

def clear_caches() -> None:
    """Forget everything the core remembers between calls (parsed texts and segments, matched
    and weighted cells, shared sentences and numbers): scoring then starts as in a fresh process.

    Nothing needs it for correctness — every cache is bounded, and results never depend on
    it — but a benchmark that times the first pass more than once does
    (``bench/bench_score.py --repeat``). Settings tokens are kept: remembered results refer to them.
    """
    for names in (vars(targets), vars(matching), globals()):
        for value in list(names.values()):
            if isinstance(value, Memo):
                value.clear()
            elif callable(getattr(value, "cache_clear", None)):  # an lru_cache
                value.cache_clear()
    matching._COMPATIBLE.clear()


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


__all__ = [
    "ScoringConfig", "ProjectScore", "CategoryScore", "IndicatorScore", "ItemScore", "ExecutionScore",
    "Rule", "rules", "grade", "split_exact", "clear_caches", "score_execution", "score_cell", "score_project",
    "score_table", "to_dict", "describe_item", "item_key",
]
