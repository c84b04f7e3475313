"""The scoring settings (:class:`ScoringConfig`, defaults and allowed values in docs/scoring.md)
and their hashable part that scores one cell (:class:`Shares`, numbered by a token so that
remembered cells are keyed by an int rather than nine Decimals)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from ...errors import InputError
from ..model import Project
from ..taxonomy import CATEGORIES, KIND_BY_KEY
from .profiles import profile as named_profile

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")

GRADES: tuple[tuple[str, str], ...] = (("优", "90"), ("良", "80"), ("中", "60"))


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
    # A named profile (profiles.PROFILES): its weights and evidence reading are the defaults of
    # this configuration; "" = none named (a table's own Table.profile then applies).
    profile: str = ""
    # "practice": a completion that only copies or asserts its target (Judgement.claimed) counts
    # as met, as bureaus publish it; "strict": it gets unknown_share. Both totals are always
    # computed (ProjectScore.total and .evidenced_total); this chooses the suggested one.
    evidence: str = "practice"
    # A 一级 level with no indicator at all (e.g. no 效益 row): "lost" — its weight cannot be
    # scored (a finding says so); "shared" — its weight goes to the levels that have indicators,
    # in proportion to their weights, for forms that print one sum for all indicators (湖北's
    # 年度绩效目标(80分); docs/scoring.md, "Levels with no indicator"). A level whose weight the
    # form printed keeps it either way.
    absent_levels: str = "lost"
    # The keys a settings file gave explicitly (a profile applied later does not replace them).
    given: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    PROJECT_KEYS = ("execution_weight", "category_weights", "indicator_weights")
    PROFILE_KEYS = ("execution_weight", "category_weights", "evidence", "absent_levels")
    EVIDENCE = ("practice", "strict")
    ABSENT_LEVELS = ("lost", "shared")

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "ScoringConfig":
        """Build from plain data (JSON); unknown keys and out-of-range values are rejected."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)} - {"given"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(f"未知的评分设置：{', '.join(unknown)}",
                             f"unknown scoring setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        cfg = cls()
        if "profile" in data:
            if not isinstance(data["profile"], str):
                raise InputError("评分设置“profile”应为口径名称", "scoring setting 'profile' must be a profile name")
            cfg = cfg.with_profile(data["profile"])
        for key, value in data.items():
            if key == "profile":
                continue
            if key == "evidence":
                if value not in cls.EVIDENCE:
                    raise InputError("评分设置“evidence”应为 practice 或 strict",
                                     f"scoring setting 'evidence' must be 'practice' or 'strict', got {value!r}")
                cfg.evidence = value
            elif key == "absent_levels":
                if value not in cls.ABSENT_LEVELS:
                    raise InputError("评分设置“absent_levels”应为 lost 或 shared",
                                     f"scoring setting 'absent_levels' must be 'lost' or 'shared', got {value!r}")
                cfg.absent_levels = value
            elif key == "over_reduction":
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
        cfg.given = frozenset(data) - {"profile"}
        cfg.validate()
        return cfg

    def copy(self) -> "ScoringConfig":
        return ScoringConfig(**{f.name: getattr(self, f.name) for f in fields(self)})

    def with_profile(self, name: str) -> "ScoringConfig":
        """This configuration under the profile ``name``: the profile's weights and evidence
        reading, except where this configuration's settings file gave its own."""
        p = named_profile(name)
        cfg = self.copy()
        cfg.profile = name
        if "execution_weight" not in self.given:
            cfg.execution_weight = p.execution_weight
        if "category_weights" not in self.given:
            cfg.category_weights = dict(p.category_weights)
        if "evidence" not in self.given:
            cfg.evidence = p.evidence
        if "absent_levels" not in self.given:
            cfg.absent_levels = p.absent_levels
        return cfg

    def for_published(self, execution_weight: Decimal | None,
                      category_weights: dict[str, Decimal]) -> "ScoringConfig":
        """This configuration with the weights a published form printed (the form's own
        分值 of 预算执行率 and of its 一级 levels) taking precedence."""
        if execution_weight is None and not category_weights:
            return self
        cfg = self.copy()
        if execution_weight is not None:
            cfg.execution_weight = execution_weight
        if category_weights:
            cfg.category_weights = {**self.category_weights, **category_weights}
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
        cfg = self.copy()
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
    strict: bool = False  # evidence == "strict": a claim without a figure gets unknown_share


def shares_of(config: ScoringConfig) -> Shares:
    return Shares(config.tier1_share, config.tier2_share, config.tier3_share, config.late_share,
                  config.unknown_share, config.blank_share, config.over_factor, config.over_reduction,
                  config.over_reduction_cap, config.evidence == "strict")


# Each distinct Shares gets a small number, so the cell cache hashes an int per lookup
# rather than nine Decimals.
_SHARES_TOKENS: dict[Shares, int] = {}
SHARES_BY_TOKEN: list[Shares] = []


def config_token(cfg: ScoringConfig) -> int:
    return token_of(shares_of(cfg))


def token_of(shares: Shares) -> int:
    tok = _SHARES_TOKENS.get(shares)
    if tok is None:
        tok = _SHARES_TOKENS[shares] = len(SHARES_BY_TOKEN)
        SHARES_BY_TOKEN.append(shares)
    return tok


DEFAULT_CONFIG = ScoringConfig()
