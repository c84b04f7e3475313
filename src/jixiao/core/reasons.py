"""Score reasons as data — a code and its parameters — and the one catalogue that renders them
in Chinese or English.

Matching and scoring say why an item, a cell or a project scored what it did. They do not
write sentences: they record a :data:`Reason`, the code of the sentence and the values that
fill it, and whoever shows it renders it in the reader's language with :func:`render`: the MoF
form, ``jixiao score`` and the ``reasons`` of the score JSON in Chinese (byte for byte the
sentences the scorer has always printed), the English web pages in English. Rendering is lazy:
scoring a province only builds the small tuples.

A reason is a plain tuple ``(code, *params)``, the parameters in the order the catalogue lists
them. A plain tuple of strings, numbers and small tuples is immutable, hashable and — unlike
an instance of a class — untracked by Python's garbage collector once a collection has seen it,
which the scorer's remembered cells rely on (jixiao.core.memo).

What is data stays data in every language: the quoted target and completion texts, numbers
(already printed as the scorer prints them, ``16.67``, ``140.00%``), units, the evaluator's
name and reason. What is the system's own vocabulary is a parameter the catalogue renders per
language: a tier is its number (1–3), an indicator kind or category its key (``quantity``,
``output``), a grade its name (优良中差, the keys of the grade scale), a deadline a small value
(:func:`deadline`), met or not a boolean, optional parts a value or None.

Templates are ``str``-like: ``{name}`` is a parameter (converted per language where the
catalogue's converters say so), ``{name?A|B}`` is A when the parameter is true and B otherwise,
where ``{}`` inside A or B is the parameter's own value. The rule formulas (jixiao.core.scoring
.rules) are reasons too, so the formula the MoF form prints and the one the English page shows
come from the same entry. docs/i18n.md, "Score reasons", describes the catalogue; pure, standard
library only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .taxonomy import CATEGORIES, KINDS

Reason = tuple  # (code, *params): see the module docstring
LANGUAGES = ("zh", "en")

# --- the vocabulary inside sentences ------------------------------------------------------------

TIER_NAMES = {1: "达成年度指标（第一档）", 2: "部分达成并具有一定效果（第二档）", 3: "未达成且效果较差（第三档）"}
TIER_NAMES_EN = {1: "tier 1 (annual target achieved)", 2: "tier 2 (partly achieved, with some effect)",
                 3: "tier 3 (not achieved, poor effect)"}
# The grades as the UI labels them (language.grade_label in English; a test keeps them equal).
GRADES_EN = {"优": "Excellent", "良": "Good", "中": "Fair", "差": "Poor"}
# 二级 indicator kinds by key, and the other subjects of an override (parameter ``kind``); the
# categories by key (parameter ``category``: a key may name both, satisfaction).
NAMES_ZH = {k.key: k.name for k in KINDS} | {"execution": "预算执行率", "total": "总分"}
NAMES_EN = {k.key: f"{k.name_en} indicators" for k in KINDS} | {"execution": "Budget execution rate", "total": "Total"}
CATEGORY_NAMES_ZH = {c.key: c.name for c in CATEGORIES}
CATEGORY_NAMES_EN = {c.key: f"{c.name_en} indicators" for c in CATEGORIES}
# One indicator of a kind, as the project summary lists them: Quantity indicator “…”.
ITEM_NAMES_EN = {k.key: f"{k.name_en} indicator" for k in KINDS}
# Where an earlier value of an indicator comes from (jixiao.core.target_history, JX612).
SOURCE_NAMES_ZH = {"target": "经审核通过的绩效目标", "completion": "自评表所报实际完成值"}
SOURCE_NAMES_EN = {"target": "approved target", "completion": "actual reported in the self-evaluation"}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")

END_OF_MONTH = -1  # deadline(): the day of "by the end of the month" (月底前)


def deadline(year: int | None, month: int | None, day: int | None) -> tuple:
    """A deadline as a parameter: ``("deadline", year or 0, month or 0, day)`` with day
    ``END_OF_MONTH`` (月底前), 0 (before the month: 6月前) or the day; month 0 is "in time" (及时)."""
    return ("deadline", year or 0, month or 0, day)


def within(text: str) -> tuple:
    """A ± range as a parameter (``±10%`` → ±10%以内, within ±10%)."""
    return ("within", text)


def _deadline_zh(v: tuple) -> str:
    _, y, m, d = v
    if not m:
        return "及时"
    year = f"{y}年" if y else ""
    if d == 0:
        return f"{year}{m}月前"
    if d == END_OF_MONTH:
        return f"{year}{m}月底前"
    return f"{year}{m}月{d}日前"


def _deadline_en(v: tuple) -> str:
    _, y, m, d = v
    if not m:
        return "in time"
    month = MONTHS_EN[m - 1] + (f" {y}" if y else "")
    if d == 0:
        return f"before {month}"
    if d == END_OF_MONTH:
        return f"by the end of {month}"
    return f"by {d} {month}"


def _measure(lang: str) -> Callable[[Any], str]:
    """A target's measure: its own text (``≥100人``, ``5—6家``: symbols, numbers, units) or a
    deadline or ± range value."""
    def convert(v: Any) -> str:
        if isinstance(v, str):
            return v
        if v[0] == "deadline":
            return _deadline_zh(v) if lang == "zh" else _deadline_en(v)
        return f"{v[1]}以内" if lang == "zh" else f"within {v[1]}"
    return convert


def _quoted(sep: str) -> Callable[[tuple], str]:
    return lambda texts: sep.join(f"“{t}”" for t in texts)


def _items_zh(items: tuple) -> str:
    return "；".join(f"{NAMES_ZH.get(k, k)}“{t}”" for k, t in items)


def _items_en(items: tuple) -> str:
    return "; ".join(f"{ITEM_NAMES_EN.get(k, k)} “{t}”" for k, t in items)


def _parts(lang: str) -> Callable[[tuple], str]:
    """A cell's deviation analysis: the first reason of each item not met (or over-achieved)
    without its full stop — or the target's text when it has none."""
    if lang == "zh":
        return lambda parts: "；".join(p if isinstance(p, str) else render(p, "zh").rstrip("。") for p in parts)

    def en(parts: tuple) -> str:
        out = []
        for p in parts:
            text = p if isinstance(p, str) else render(p, "en")
            out.append(text[:-1] if text.endswith(".") else text)
        return "; ".join(out)
    return en


# Converters of a parameter's value by its name, per language; a name not listed is data.
CONVERT: dict[str, dict[str, Callable[[Any], str]]] = {
    "zh": {
        "tier": TIER_NAMES.__getitem__, "kind": lambda k: NAMES_ZH.get(k, k), "measure": _measure("zh"),
        "category": lambda k: CATEGORY_NAMES_ZH.get(k, k), "source": lambda k: SOURCE_NAMES_ZH.get(k, k),
        "deadline": _deadline_zh, "counts": _quoted("、"), "items": _items_zh, "parts": _parts("zh"),
        "rules": lambda rs: "；".join(render(r, "zh") for r in rs),
    },
    "en": {
        "tier": TIER_NAMES_EN.__getitem__, "kind": lambda k: NAMES_EN.get(k, k), "measure": _measure("en"),
        "category": lambda k: CATEGORY_NAMES_EN.get(k, k), "source": lambda k: SOURCE_NAMES_EN.get(k, k),
        "deadline": _deadline_en, "counts": _quoted(", "), "items": _items_en, "parts": _parts("en"),
        "rules": lambda rs: "; ".join(render(r, "en") for r in rs), "grade": lambda g: GRADES_EN.get(g, g),
    },
}


def _who_zh(p: dict) -> str:
    by, at = p["by"], p["at"]
    return f"（{by}{'，' + at if at else ''}）" if by or at else ""


def _who_en(p: dict) -> str:
    names = [x for x in (p["by"], p["at"]) if x]
    return f" ({', '.join(names)})" if names else ""


def _band_zh(p: dict) -> str:
    low, high = p["low"], p["high"]
    if low and high:
        return f"{low}–{high}分"
    return f"≥{low}分" if low else f"低于{high}分"


def _band_en(p: dict) -> str:
    low, high = p["low"], p["high"]
    if low and high:
        return f"{low}–{high} points"
    return f"≥{low} points" if low else f"below {high} points"


# Fields a template may use that several parameters make: name → (the parameters, zh, en).
DERIVED: dict[str, tuple[tuple[str, ...], Callable[[dict], str], Callable[[dict], str]]] = {
    "who": (("by", "at"), _who_zh, _who_en),  # the evaluator's name and date, when given
    "band": (("low", "high"), _band_zh, _band_en),  # a grade's band of totals
}

# --- the catalogue ------------------------------------------------------------------------------
# code: (parameters in order, Chinese template, English template). Grouped by where the reason
# is made; docs/i18n.md lists the groups.

_ENTRIES: dict[str, tuple[tuple[str, ...], str, str]] = {
    # jixiao.core.matching: notes on a whole cell
    "cell.copied": (
        (), "完成情况与年度指标内容相同，为声明而无实际数值，按已完成认定。",
        "The completion is the same as the annual target: a claim without a figure of its own, taken as achieved."),
    "cell.restated": (
        ("actual", "op"), "完成情况“{actual}”使用了目标比较符号“{op}”，是复述目标而不是实际完成值，需填写实际完成数。",
        "The completion “{actual}” uses the target's comparison sign “{op}”: it restates the target instead of "
        "giving an achieved value; the achieved figure must be entered."),
    "cell.bare": (
        ("actual",), "完成情况仅填写了“{actual}”，没有写明实际完成值。",
        "The completion gives only “{actual}”, not the value actually achieved."),
    # matching: the judgement of one target item
    "match.blank": ((), "未填写完成情况。", "No completion was reported."),
    "match.name_only": (
        ("name",), "该行只填写了指标名称“{name}”，年度指标值和实际完成值均为空，按声明认定为达成。",
        "The row gives only the indicator's name “{name}”, with no annual target value and no completion: "
        "taken as a claim that it was achieved."),
    "match.copied": (
        (), "完成情况与目标相同，为声明而无实际数值，按已完成认定。",
        "The completion is the same as the target: a claim without a figure of its own, taken as achieved."),
    "match.others": (
        ("others", "label", "met"), "按“{others}”计，“{label}”{met?已完成|未完成}。",
        "Counted by “{others}”, “{label}” is {met?completed|not completed}."),
    "match.grade": (
        ("got", "label", "asked", "met", "tier"),
        "完成情况为等级“{got}”，“{label}”要求“{asked}”，{met?已达到|未达到}，判断为{tier}。",
        "The completion is the grade “{got}”; “{label}” asks for “{asked}”: {met?reached|not reached}, "
        "judged {tier}."),
    "match.deadline": (
        ("label", "deadline", "actual", "met"),
        "“{label}”要求{deadline}完成，实际“{actual}”，{met?不晚于|晚于}时限，{met?按时完成|未按时完成}。",
        "“{label}” is due {deadline}; done “{actual}”, {met?not later than|later than} the deadline: "
        "{met?completed on time|not completed on time}."),
    "match.units": (
        ("target_unit", "actual_unit"), "目标单位“{target_unit}”与完成单位“{actual_unit}”不同，按数值直接比较。",
        "The target's unit “{target_unit}” differs from the completion's unit “{actual_unit}”; the numbers "
        "are compared as they are."),
    "match.value": (
        ("label", "measure", "value", "unit", "met", "ratio"),
        "“{label}”目标{measure}，实际{value}{unit}，{met?已达到目标|未达到目标}{ratio?（完成比例{}）|}。",
        "“{label}”: target {measure}, achieved {value}{unit}: {met?the target is met|the target is not met}"
        "{ratio? (completion ratio {})|}."),
    "match.incomparable": (
        ("label",), "“{label}”无法比较目标与实际。", "“{label}”: the target and the achieved value cannot be compared."),
    "match.none_happened": (
        ("label", "measure", "words"), "“{label}”目标{measure}，完成情况“{words}”，已达到目标。",
        "“{label}”: target {measure}; the completion says “{words}”: the target is met."),
    "match.rate": (
        ("label", "measure", "value", "met", "ratio"),
        "“{label}”目标{measure}，完成情况为完成率{value}%，{met?已完成|未完成}（完成比例{ratio}）。",
        "“{label}”: target {measure}, reported as a completion rate of {value}%: {met?completed|not completed} "
        "(completion ratio {ratio})."),
    "match.bare_full": (
        ("actual",), "完成情况只填写了“{actual}”，没有写明实际完成值，按“已全部完成”的报告认定，建议补充实际完成值。",
        "The completion gives only “{actual}”, not the value actually achieved; taken as the report "
        "“all completed”. The achieved value should be added."),
    "match.bare_value": (
        ("label", "measure", "actual", "met"),
        "“{label}”目标{measure}，完成情况仅填写“{actual}”，按此数值{met?已达到目标|未达到目标}。",
        "“{label}”: target {measure}; the completion gives only “{actual}”, by which "
        "{met?the target is met|the target is not met}."),
    "match.bare_part": (
        ("actual", "ratio", "label"), "完成情况只填写了“{actual}”，按完成比例{ratio}认定“{label}”未全部完成。",
        "The completion gives only “{actual}”: at a completion ratio of {ratio}, “{label}” is taken as not "
        "fully completed."),
    "match.restated": (
        ("actual", "op"),
        "完成情况“{actual}”使用了目标比较符号“{op}”，是复述目标而不是实际完成值，无法判断是否完成，请填写实际完成数。",
        "The completion “{actual}” uses the target's comparison sign “{op}”: it restates the target instead of "
        "giving an achieved value, so whether it was achieved cannot be judged. Please enter the achieved figure."),
    "match.no_value_words": (
        ("label", "measure", "cue", "tier_number"),
        "完成情况中找不到与“{label}”（目标{measure}）对应的数值，按完成情况中的“{cue}”判断为第{tier_number}档。",
        "The completion has no figure for “{label}” (target {measure}); judged tier {tier_number} from “{cue}” "
        "in the completion."),
    "match.no_value": (
        ("label", "measure"), "完成情况中找不到与“{label}”（目标{measure}）对应的数值，无法判断是否完成。",
        "The completion has no figure for “{label}” (target {measure}): whether it was achieved cannot be "
        "judged."),
    "match.words": (
        ("cue", "label", "tier"), "完成情况含“{cue}”，“{label}”判断为{tier}。",
        "The completion says “{cue}”: “{label}” is judged {tier}."),
    "match.full_rate": (
        ("actual", "label", "tier"), "完成情况“{actual}”，“{label}”判断为{tier}。",
        "The completion reports “{actual}”: “{label}” is judged {tier}."),
    "match.counts": (
        ("counts", "more", "label", "tier"), "完成情况列出了实际完成数{counts}{more?等|}，“{label}”判断为{tier}。",
        "The completion lists achieved figures {counts}{more? etc.|}: “{label}” is judged {tier}."),
    "match.unclear": (
        ("label",), "完成情况没有说明“{label}”是否达成（没有数值、时间或“完成”“达成”等用语），无法判断，请评价人核实。",
        "The completion does not say whether “{label}” was achieved (no figure, date or words such as "
        "“completed” or “achieved”): it cannot be judged; the evaluator should check."),
    # jixiao.core.scoring.execution
    "execution.no_budget": (
        (), "没有预算金额或预算为0，无法计算预算执行率，执行率得0分。",
        "No budget amount (or a budget of 0): the budget execution rate cannot be computed and scores 0 points."),
    "execution.reported": (
        ("reported", "rate"), "表中填报的执行率为{reported}，按实际支出与预算重新计算为{rate}%。",
        "The table reports an execution rate of {reported}; recomputed from actual spending and the budget it "
        "is {rate}%."),
    "execution.score": (
        ("rate", "weight", "score", "capped"), "预算执行率{rate}%，得分 = {rate}% × {weight} = {score}分{capped?（已封顶）|}。",
        "Budget execution rate {rate}%: score = {rate}% × {weight} = {score} points{capped? (capped)|}."),
    # jixiao.core.scoring.items: one item's share of its weight
    "item.blank": (("share",), "未填写完成情况，得分值的{share}。", "No completion was reported: {share} of the weight."),
    "item.claimed": (
        ("share",), "完成情况只复述或声称达到目标，没有自己的完成数值，按惯例认定为达成（严格口径得分值的{share}）。",
        "The completion only restates or claims the target, without a figure of its own: taken as achieved, "
        "as in practice ({share} of the weight in the strict reading)."),
    "item.claimed_strict": (
        ("share",), "完成情况只复述或声称达到目标，没有自己的完成数值，按严格口径得分值的{share}，待评价人核实。",
        "The completion only restates or claims the target, without a figure of its own: {share} of the weight "
        "in the strict reading, for the evaluator to check."),
    "item.unknown": (
        ("share",), "无法判断是否完成，暂按分值的{share}建议，待评价人核实。",
        "Whether it was achieved cannot be judged: {share} of the weight suggested for now, for the evaluator "
        "to check."),
    "item.not_met": (
        ("ratio",), "未达到目标，按完成比例{ratio}计分。", "Target not met: scored by the completion ratio {ratio}."),
    "item.over": (
        ("ratio", "factor"), "完成比例{ratio}，超过目标的{factor}，目标设定偏低，建议下一年度提高目标值。",
        "Completion ratio {ratio}, beyond {factor} of the target: the target looks set too low; raising it next "
        "year is suggested."),
    "item.reduced": (
        ("cut",), "按偏离度调减分值的{cut}。", "Reduced by {cut} of the weight for the deviation."),
    "item.ratio": (("ratio",), "按完成比例{ratio}计分。", "Scored by the completion ratio {ratio}."),
    "item.late": (("share",), "未按时完成，得分值的{share}。", "Not completed on time: {share} of the weight."),
    "item.tier": (("tier", "share"), "{tier}，得分值的{share}。", "{tier}: {share} of the weight."),
    "item.not_done": ((), "未完成。", "Not completed."),
    # jixiao.core.scoring.cells and engine: a cell, a category, the weights
    "cell.items": (
        ("count", "achieved", "score", "weight"), "共{count}个三级指标，{achieved}个已达成，得分{score}分（分值{weight}分）。",
        "{count} level-3 indicator(s), {achieved} achieved: {score} of {weight} points."),
    "cell.deviation": (
        ("parts",), "{parts}。请说明偏差原因并提出改进措施。",
        "{parts}. Please explain the reasons for the deviations and the measures to improve."),
    "category.empty": (
        ("category", "weight"), "{category}没有填写任何指标，该项{weight}分无法得分。",
        "{category}: none filled in, so its {weight} points cannot be scored."),
    "category.shared": (
        ("category", "weight"), "{category}没有填写任何指标，该项{weight}分按比例计入有指标的其他一级指标。",
        "{category}: none filled in, so its {weight} points are shared in proportion among the other levels."),
    "category.not_applicable": (
        ("category", "weight"), "{category}的指标均标记为不适用，不考核该项，其{weight}分按比例计入适用的其他一级指标。",
        "{category}: every indicator marked not applicable, so the level is not assessed and its {weight} points "
        "are shared in proportion among the applicable levels."),
    "cell.not_applicable": (
        ("kind", "reason"), "{kind}标记为不适用{reason?（{}）|}，不考核该指标，按适用指标得分计分。",
        "{kind}: marked not applicable{reason? ({})|}; not assessed, scored on the applicable indicators."),
    "weights.sum": (("total",), "各项权重合计为{total}分，不是100分。", "The weights add up to {total} points, not 100."),
    "project.grade": (
        ("total", "grade", "low", "high"), "总分{total}分，评价等级为“{grade}”（{band}）。",
        "Total {total} points, grade “{grade}” ({band})."),
    # jixiao.core.scoring.overrides
    "override": (
        ("kind", "score", "suggested", "by", "at", "why"),
        "{kind}得分经评价人调整为{score}分（系统建议{suggested}分）{who}，理由：{why}",
        "{kind}: score adjusted by the evaluator to {score} points (suggested by the system: {suggested} "
        "points){who}; reason: {why}"),
    "override.category": (
        ("category", "score", "suggested", "by", "at", "why"),
        "{category}得分经评价人调整为{score}分（系统建议{suggested}分）{who}，理由：{why}",
        "{category}: score adjusted by the evaluator to {score} points (suggested by the system: {suggested} "
        "points){who}; reason: {why}"),
    "override.item": (
        ("kind", "number", "item", "score", "suggested", "by", "at", "why"),
        "{kind}第{number}项“{item}”得分经评价人调整为{score}分（系统建议{suggested}分）{who}，理由：{why}",
        "{kind}, item {number} “{item}”: score adjusted by the evaluator to {score} points (suggested by the "
        "system: {suggested} points){who}; reason: {why}"),
    "override.changed": (
        ("key", "was", "now", "why"), "评分调整“{key}”针对的三级指标“{was}”已改为“{now}”，未采用，请重新评分（理由：{why}）。",
        "The score override “{key}” was made for the level-3 indicator “{was}”, which now reads “{now}”: not "
        "applied, please score it again (reason: {why})."),
    "override.unused": (
        ("key", "why"), "评分调整“{key}”没有对应的评分项，未采用（理由：{why}）。",
        "The score override “{key}” names no score of this project and was not applied (reason: {why})."),
    # jixiao.core.scoring.summary: the project's summary
    "summary.not_met": (
        ("count", "items", "more"), "未完全达成的指标{count}个：{items}{more?等|}。",
        "{count} indicator(s) not fully achieved: {items}{more? etc.|}."),
    "summary.unknown": (
        ("count", "items", "more"), "无法判断是否完成的指标{count}个：{items}{more?等|}，待评价人核实。",
        "{count} indicator(s) whose achievement cannot be judged: {items}{more? etc.|}; for the evaluator to "
        "check."),
    "summary.restated": (
        ("count",), "有{count}个指标的完成情况复述了目标，不是实际完成值。",
        "{count} indicator(s) restate the target as their completion instead of an achieved value."),
    "summary.claimed": (
        ("count",), "有{count}个指标的完成情况只复述或声称达到目标，没有自己的完成数值（按惯例计为达成，严格口径不计，见证据差）。",
        "{count} indicator(s) only restate or claim the target without a figure of their own (achieved in "
        "practice, not in the strict reading: see the evidence gap)."),
    "summary.bare": (
        ("count",), "有{count}个二级指标的完成情况只填写了百分比（如“100.00%”），没有写明实际完成值。",
        "{count} level-2 indicator(s) report only a percentage (such as “100.00%”), not the value actually "
        "achieved."),
    "summary.over": (
        ("count", "items"), "完成比例远超目标（目标设定偏低）的指标{count}个：{items}。",
        "{count} indicator(s) far beyond the target (the target looks set too low): {items}."),
    # jixiao.core.scoring.rules: the rule formulas (a cell's formula joins the rules it used)
    "rules": (("rules",), "{rules}", "{rules}"),
    "rule.execution": (
        ("weight",), "预算执行率得分 = 预算执行率 × 分值（{weight}分），最高不超过分值",
        "Execution-rate score = execution rate × weight ({weight} points), at most the weight"),
    "rule.quantity": (
        ("factor", "reduce", "cap"),
        "定量指标：达到目标值得满分；未达到按“实际值 ÷ 目标值 × 分值”计分（“≤”类指标按“目标值 ÷ 实际值 × 分值”）；"
        "完成比例超过目标的{factor}时提示“目标设定偏低”"
        "{reduce?，并按偏离度调减：得分 = 分值 ×（1 − min(完成比例 − {factor}，{cap})）|（不调减分值）}",
        "Quantitative indicators: full score when the target is met; otherwise actual ÷ target × weight "
        "(for “≤” targets: target ÷ actual × weight); a completion ratio above {factor} of the target is flagged "
        "“target set too low”{reduce?, and the score is reduced by the deviation: score = weight × "
        "(1 − min(completion ratio − {factor}, {cap}))| (the score is not reduced)}"),
    "rule.qualitative": (
        ("tier1", "tier2", "tier3"),
        "定性指标：达成年度指标得分值的80%–100%（取{tier1}），部分达成并具有一定效果得60%–80%（取{tier2}），"
        "未达成且效果较差得0–60%（取{tier3}）",
        "Qualitative indicators: annual target achieved 80%–100% of the weight (here {tier1}), partly achieved "
        "with some effect 60%–80% (here {tier2}), not achieved with poor effect 0–60% (here {tier3})"),
    "rule.deadline": (
        ("late",), "时效指标：按时完成得满分；未按时完成得分值的{late}",
        "Timeliness indicators: full score when completed on time; {late} of the weight when late"),
    "rule.unknown": (
        ("unknown", "blank"), "完成情况无法判断（复述目标、无对应数值）得分值的{unknown}，未填写完成情况得{blank}，待评价人核实",
        "Completion that cannot be judged (a restated target, no matching value): {unknown} of the weight; "
        "no completion reported: {blank}; to be checked by the evaluator"),
    "rule.grade": (
        ("excellent", "good", "fair"), "评价等级：总分≥{excellent}为优，≥{good}为良，≥{fair}为中，其余为差",
        "Grades: total ≥ {excellent} Excellent, ≥ {good} Good, ≥ {fair} Fair, otherwise Poor"),
    # jixiao.core.target_checks: the quality of a 绩效目标表's targets (JX6xx), each saying why it
    # matters and how to fix it
    "target.no_value": (
        ("name",), "“{name}”没有指标值：年末无法对照完成值评分。请填写指标值（定量指标写数值，如 95；定性指标写达到的程度）。",
        "“{name}” has no target value: the completion cannot be scored against it at the year's end. Enter the "
        "value (a number such as 95 for a quantitative indicator, the level to reach for a qualitative one)."),
    "target.not_number": (
        ("name", "value"), "定量指标“{name}”的指标值“{value}”不是数值：无法与完成值比较。请只填写数值，比较符号写入指标性质，单位写入度量单位。",
        "The quantitative indicator “{name}” has the value “{value}”, which is not a number: it cannot be compared "
        "with the completion. Enter the number alone, the comparison as the indicator's nature and the unit as its unit."),
    "target.no_unit": (
        ("name", "value"), "定量指标“{name}”的指标值{value}没有度量单位：不知道数的是什么，无法与完成值比较。请填写度量单位（如 %、个、人次、万元）。",
        "The quantitative indicator “{name}” has the value {value} without a unit: what is counted is unknown, so "
        "it cannot be compared with the completion. Enter the unit (%, 个, 人次, 万元 …)."),
    "target.vague": (
        ("name", "words"), "“{name}”的目标使用了不可衡量的表述“{words}”：年末无法判断是否达成。请改写为数值或时限（如“≥95%”“12月31日前”）。",
        "The target of “{name}” uses the unmeasurable wording “{words}”: whether it was reached cannot be judged "
        "at the year's end. Rewrite it as a number or a deadline (≥95%, by 31 December)."),
    "target.no_cost": (
        (), "没有成本指标：绩效目标应包括达到预期产出所需的成本。请增加成本指标（如“项目总成本 ≤ 预算数（万元）”）。",
        "There is no cost indicator: a performance target should state the cost of the expected outputs. Add a "
        "cost indicator (such as total project cost ≤ the budget, in 万元)."),
    "target.below_last": (
        ("name", "value", "last", "ceiling"),
        "“{name}”的目标{value}{ceiling?高于|低于}上年实际完成值{last}：目标比上年已达到的水平{ceiling?更宽松|更低}，年末几乎必然“达成”。"
        "请以上年实际为基准设定目标，或在指标值设定依据中说明原因。",
        "The target {value} of “{name}” is {ceiling?above|below} last year's actual {last}: it asks for less than was "
        "already achieved, so it is all but certain to be “met”. Set it from last year's actual, or explain why in "
        "the basis of the value."),
    "target.below_history": (
        ("name", "value", "earlier", "year", "source", "ceiling"),
        "“{name}”的目标{value}{ceiling?高于|低于}本部门{year}年{source}「{earlier}」：{ceiling?上限比本部门以往更宽松|要求比本部门以往更低}，"
        "年末几乎必然“达成”。请参照以往年度的水平设定目标，或在指标值设定依据中说明原因。",
        "The target {value} of “{name}” is {ceiling?above|below} the department's {source} of {year}, “{earlier}”: it "
        "asks for less than the department's own earlier level, so it is all but certain to be “met”. Set it from "
        "the earlier years' level, or explain why in the basis of the value."),
    "target.weights_partial": (
        ("missing", "total"), "{total}个三级指标中有{missing}个没有分值：分值不全，自评时无法按分值计分。请为每个三级指标填写分值，或都不填写（按评分口径分配）。",
        "{missing} of the {total} level-3 indicators have no weight: with weights missing the self-evaluation "
        "cannot score by them. Give every level-3 indicator a weight, or none (the profile then shares the points)."),
    "target.weights_category": (
        ("category", "total", "expected"), "{category}的三级指标分值合计{total}分，评分口径为{expected}分：自评得分将无法按口径汇总。请调整该一级指标下各三级指标的分值。",
        "The level-3 weights of {category} add up to {total} points; the scoring profile gives {expected}: the "
        "self-evaluation would not add up. Adjust the weights under this level."),
    "target.weights_total": (
        ("total", "expected"), "各三级指标分值合计{total}分，加上预算执行率应为100分，即指标合计应为{expected}分。请调整分值。",
        "The level-3 weights add up to {total} points; with the budget execution rate they should make 100, so "
        "{expected}. Adjust the weights."),
    "target.duplicate": (
        ("value", "other"), "目标“{value}”与项目“{other}”的完全相同：不同项目照搬同一目标，难以反映本项目的产出和效果。请按本项目的内容设定。",
        "The target “{value}” is word for word that of the project “{other}”: a target copied across projects "
        "says little about this project's outputs and effects. Set it from this project's work."),
    "target.low_satisfaction": (
        ("name", "value", "threshold"), "满意度目标“{name}”为{value}%，低于{threshold}%：目标过低，达成也不能说明服务对象满意。请设定不低于{threshold}%的目标，或说明理由。",
        "The satisfaction target “{name}” is {value}%, below {threshold}%: reaching it would not show that the "
        "people served are satisfied. Set at least {threshold}%, or explain why."),
    "target.late": (
        ("name", "value", "year"), "“{name}”的时限“{value}”晚于{year}年年底：年度目标应在本年度内完成。请改为本年度内的时限，跨年的部分列入下一年度的目标。",
        "The deadline “{value}” of “{name}” is after the end of {year}: an annual target must be reached within "
        "the year. Set a date within the year and move what runs on into next year's targets."),
    "target.funds_sum": (
        ("total", "parts"), "年度资金总额{total}不等于财政拨款与其他资金之和{parts}：资金来源与总额不符。请核对三个金额。",
        "The year's total funds {total} differ from fiscal plus other funds {parts}: the sources do not make the "
        "total. Check the three amounts."),
    "target.no_goal": (
        (), "没有填写年度总体目标：审核和自评都以它为依据。请概括本年度要完成的产出和达到的效果。",
        "The annual overall goal is missing: review and self-evaluation both rest on it. Summarise the outputs "
        "and effects to be reached this year."),
    "target.no_indicators": (
        (), "没有绩效指标：无法审核目标，也无法在年末自评。请至少设置产出、效益和满意度指标。",
        "There are no performance indicators: the targets cannot be reviewed nor the year self-evaluated. Set "
        "at least output, outcome and satisfaction indicators."),
    # JX611 (jixiao.core.prefill.target_changes): a target stated otherwise after the bureau approved it
    "target.changed": (
        ("approved", "now"), "审核通过的目标为“{approved}”，现为“{now}”：目标在审核通过后被改变。请恢复审核通过的目标，或说明调整理由并重新报财政部门审核。",
        "The approved target was “{approved}” and is now “{now}”: the target was changed after approval. Restore "
        "the approved target, or explain the adjustment and submit it to the finance bureau again."),
    "target.dropped": (
        ("approved",), "审核通过的目标“{approved}”已不再列出：目标在审核通过后被删除。请恢复该指标，或说明理由并重新报财政部门审核。",
        "The approved target “{approved}” is no longer listed: it was removed after approval. Restore the "
        "indicator, or explain why and submit it to the finance bureau again."),
    # The notes of the MoF 项目支出绩效自评表 (jixiao.formats.mof_grid): each approved target the
    # self-evaluation states otherwise (jixiao.core.prefill.changed_targets)
    "target.changed_note": (
        ("year", "name", "approved", "now"),
        "绩效目标表（{year}年，经财政局审核通过）中“{name}”为「{approved}」，自评表改为「{now}」。",
        "The performance target sheet ({year}, approved by the finance bureau) set “{name}” at “{approved}”; "
        "the self-evaluation states “{now}”."),
    "target.dropped_note": (
        ("year", "name", "approved"),
        "绩效目标表（{year}年，经财政局审核通过）中“{name}”为「{approved}」，自评表未列出该指标。",
        "The performance target sheet ({year}, approved by the finance bureau) set “{name}” at “{approved}”; "
        "the self-evaluation does not list the indicator."),
}


# --- templates ------------------------------------------------------------------------------------
# A compiled template is a tuple of parts: a literal string, or (field, yes, no) where yes and
# no are compiled templates (None for a plain field).

def _compile(text: str, pos: int = 0, stop: str = "") -> tuple[tuple, int]:
    parts: list = []
    buf: list[str] = []
    while pos < len(text):
        c = text[pos]
        if c in stop:
            break
        if c != "{":
            buf.append(c)
            pos += 1
            continue
        if buf:
            parts.append("".join(buf))
            buf = []
        end = pos + 1
        while end < len(text) and text[end] not in "?}":
            end += 1
        name = text[pos + 1:end]
        if end >= len(text):
            raise ValueError(f"unclosed field in {text!r}")
        if text[end] == "}":
            parts.append((name, None, None))
            pos = end + 1
            continue
        yes, pos = _compile(text, end + 1, "|")
        no, pos = _compile(text, pos + 1, "}")
        parts.append((name, yes, no))
        pos += 1
    if buf:
        parts.append("".join(buf))
    return tuple(parts), pos


def fields_of(template: str) -> set[str]:
    """The field names a template uses (``{}`` inside an alternative excluded)."""
    def walk(parts: tuple) -> set[str]:
        out: set[str] = set()
        for p in parts:
            if isinstance(p, tuple):
                if p[0]:
                    out.add(p[0])
                for alt in p[1:]:
                    if alt:
                        out |= walk(alt)
        return out
    return walk(_compile(template)[0])


@dataclass(frozen=True, slots=True)
class Entry:
    """One code of the catalogue: its parameters in order and its template per language."""

    code: str
    params: tuple[str, ...]
    zh: str
    en: str
    compiled: tuple[tuple, tuple]


CATALOGUE: dict[str, Entry] = {
    code: Entry(code, params, zh, en, (_compile(zh)[0], _compile(en)[0]))
    for code, (params, zh, en) in _ENTRIES.items()}


def _fill(parts: tuple, values: dict, lang: str, own: str = "") -> str:
    out = []
    convert = CONVERT[lang]
    for p in parts:
        if type(p) is str:
            out.append(p)
            continue
        name, yes, no = p
        if not name:  # {} inside an alternative: that parameter's value
            name = own
        if name in values:
            value = values[name]
        else:
            derived = DERIVED[name]
            value = (derived[1] if lang == "zh" else derived[2])(values)
        if yes is None:
            if value is None:
                continue
            conv = convert.get(name)
            out.append(conv(value) if conv is not None else str(value))
        else:
            out.append(_fill(yes if value else no, values, lang, name))
    return "".join(out)


def render(reason: Reason | str | None, lang: str = "zh") -> str:
    """The sentence of ``reason`` in ``lang`` (``zh`` or ``en``). A string is returned as it is
    (the texts a reason carries in its place, e.g. a deviation's target text), None as ``""``."""
    if reason is None:
        return ""
    if type(reason) is str:
        return reason
    if lang == "zh":
        return zh(reason)
    return _render(reason, lang)


def _render(reason: Reason, lang: str) -> str:
    entry = CATALOGUE[reason[0]]
    values = dict(zip(entry.params, reason[1:]))
    text = _fill(entry.compiled[0 if lang == "zh" else 1], values, lang)
    if lang != "zh" and text[:1].islower():
        text = text[0].upper() + text[1:]  # a sentence that starts with a tier: Tier 2 (…)
    return text


@lru_cache(maxsize=1 << 16)
def zh(reason: Reason) -> str:
    """The Chinese sentence (remembered: the same reasons recur across a province's output)."""
    if type(reason) is str:
        return reason
    return _render(reason, "zh")


def texts(reasons, lang: str = "zh") -> list[str]:
    """Every reason of a sequence rendered."""
    return [render(r, lang) for r in reasons]


def code_of(reason: Reason | str | None) -> str:
    """The code of a reason ("" for a string or None)."""
    return reason[0] if type(reason) is tuple else ""


def _data(value: Any, name: str) -> Any:
    if name in ("parts", "rules"):
        return [to_data(r) if type(r) is tuple else r for r in value]
    if type(value) is tuple:
        return [list(v) if type(v) is tuple else v for v in value]
    return value


def to_data(reason: Reason | str | None) -> dict[str, Any] | str | None:
    """A reason as plain JSON-ready data: ``{"code": …, "params": {name: value}}`` (tuples as
    lists, a deviation's or formula's inner reasons likewise); a string or None as it is."""
    if type(reason) is not tuple:
        return reason
    entry = CATALOGUE[reason[0]]
    return {"code": reason[0], "params": {n: _data(v, n) for n, v in zip(entry.params, reason[1:])}}
