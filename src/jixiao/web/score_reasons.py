"""The core's score reasons in English, for the English UI.

``jixiao.core.scoring`` and ``jixiao.core.matching`` write their reasons as Chinese sentences
(they are printed on the MoF form and in ``jixiao score``, and the core stays one language and
fast). The English UI shows them through :func:`to_english`: an ordered table of
(regular expression over one Chinese sentence template, English template) — one entry per
sentence template the scorer can produce. Whatever the templates fill in stays as it is, since
it is data: quoted user text (“…”), numbers, units, the evaluator's name and reason. Only the
core's own fixed words inside a sentence are translated by the named groups' converters below
(grades, tier names, indicator names, deadlines such as ``12月底前``).

A sentence no template matches is returned unchanged — never an exception — so a new reason
added to the core shows in Chinese until a template is added here; tests/web/test_score_reasons.py
harvests every reason the scorer emits over a broad set of tables and fails on any sentence left
untranslated (docs/i18n.md, "Score reasons").

Pure: no Django, no I/O; the English is fixed here (not in the gettext catalogue) because the
sentences are built at run time from data and a catalogue only holds fixed strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jixiao.core.taxonomy import CATEGORIES, KINDS

# The grades as the UI labels them (language.grade_label in English; a test keeps them equal).
GRADES_EN = {"优": "Excellent", "良": "Good", "中": "Fair", "差": "Poor"}

# 二级 and 一级 indicator names → the UI's English (language.indicator_name: "Quantity indicators").
NAMES_EN = {k.name: f"{k.name_en} indicators" for k in KINDS}
NAMES_EN.update({c.name: f"{c.name_en} indicators" for c in CATEGORIES})
# One indicator of a kind, as the project summary lists them: Quantity indicator “…”.
ITEM_NAMES_EN = {k.name: f"{k.name_en} indicator" for k in KINDS}
# Subjects of an override reason besides the indicators (scoring.overrides.override_reason's ``what``).
WHAT_EN = {**NAMES_EN, "预算执行率": "Budget execution rate", "总分": "Total"}

TIERS_EN = {
    "达成年度指标（第一档）": "tier 1 (annual target achieved)",
    "部分达成并具有一定效果（第二档）": "tier 2 (partly achieved, with some effect)",
    "未达成且效果较差（第三档）": "tier 3 (not achieved, poor effect)",
}

# Fixed alternatives inside a sentence (groups named w…): each Chinese choice → its English.
WORDS_EN = {
    "已完成": "completed", "未完成": "not completed",
    "已达到目标": "the target is met", "未达到目标": "the target is not met",
    "已达到": "reached", "未达到": "not reached",
    "不晚于": "not later than", "晚于": "later than",
    "按时完成": "completed on time", "未按时完成": "not completed on time",
    "（已封顶）": " (capped)",
}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

_DEADLINE = re.compile(r"(?:(?P<y>\d+)年)?(?P<m>\d+)月(?:(?P<end>底)|(?P<d>\d+)日)?前")
_GRADE_RULE = re.compile(r"(?P<low>低于)?(?P<rest>[\d.–≥]+)分")


def _deadline(text: str) -> str:
    """``describe_deadline``'s text: 12月底前 → by the end of December, 2024年6月前 → before
    June 2024, 6月15日前 → by 15 June, 及时 → in time."""
    if text == "及时":
        return "in time"
    m = _DEADLINE.fullmatch(text)
    if m is None or not 1 <= int(m["m"]) <= 12:
        return text
    month = MONTHS[int(m["m"]) - 1] + (f" {m['y']}" if m["y"] else "")
    if m["end"]:
        return f"by the end of {month}"
    if m["d"]:
        return f"by {m['d']} {month}"
    return f"before {month}"


def _measure(text: str) -> str:
    """``describe_item``'s text of a quantity: symbols, numbers and units stay; ±10%以内 → within ±10%."""
    if text.startswith("±") and text.endswith("以内"):
        return "within " + text[:-2]
    return text


def _items(text: str) -> str:
    """A summary's list ``数量指标“…”；质量指标“…”`` → ``Quantity indicator “…”; Quality indicator “…”``."""
    return _ITEM_START.sub(lambda m: ("; " if m[1] else "") + ITEM_NAMES_EN[m[2]] + " “", text)


_ITEM_START = re.compile(r"(^|；)(" + "|".join(sorted(map(re.escape, ITEM_NAMES_EN), key=len, reverse=True)) + ")“")


def _counts(text: str) -> str:
    """``“8人”、“3场”等`` (matching's evidence list) → ``“8人”, “3场” etc.``."""
    etc = text.endswith("等")
    body = text[:-1] if etc else text
    return body.replace("”、“", "”, “") + (" etc." if etc else "")


def _grade_rule(text: str) -> str:
    m = _GRADE_RULE.fullmatch(text)
    if m is None:
        return text
    return ("below " if m["low"] else "") + m["rest"] + " points"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# Converters by group name (the part before any digits); a group not listed is data, kept as is.
CONVERT: dict[str, Callable[[str], str]] = {
    "w": lambda s: WORDS_EN.get(s, s),
    "tier": lambda s: TIERS_EN.get(s, s),
    "Tier": lambda s: _capital(TIERS_EN.get(s, s)),
    "grade": lambda s: GRADES_EN.get(s, s),
    "rule": _grade_rule,
    "name": lambda s: NAMES_EN.get(s, s),
    "What": lambda s: WHAT_EN.get(s, s),
    "deadline": _deadline,
    "measure": _measure,
    "items": _items,
    "counts": _counts,
    "etc": lambda s: " etc.",
    "ratio": lambda s: f" (completion ratio {s})",
}

_NUM = r"-?[\d.]+"
_Q = r"“[^”]*”"  # a quoted text without a closing quote inside
_LABEL = r"(?P<label>“.*”)"  # matching._label: “subject” (greedy: a subject may hold quotes)
_TIER = "(?P<{}>" + "|".join(map(re.escape, TIERS_EN)) + ")"
_RATIO = r"(?:（完成比例(?P<ratio>[^）]*)）)?"

# (Chinese template, English template); the Chinese is a regular expression matched against the
# whole sentence (in this order: the first match wins, so the more specific comes first).
_TABLE: tuple[tuple[str, str], ...] = (
    # --- jixiao.core.matching: cell notes -------------------------------------------------------
    (r"未填写完成情况。", "No completion was reported."),
    (r"完成情况与年度指标内容相同，为声明而无实际数值，按已完成认定。",
     "The completion is the same as the annual target: a claim without a figure of its own, "
     "taken as achieved."),
    (r"完成情况“(?P<a>.*)”使用了目标比较符号“(?P<op>[^”]*)”，是复述目标而不是实际完成值，需填写实际完成数。",
     "The completion “{a}” uses the target's comparison sign “{op}”: it restates the target instead of "
     "giving an achieved value; the achieved figure must be entered."),
    (r"完成情况仅填写了“(?P<a>.*)”，没有写明实际完成值。",
     "The completion gives only “{a}”, not the value actually achieved."),
    # --- matching: judgements ---------------------------------------------------------------------
    (r"按“(?P<o>.*)”计，" + _LABEL + r"(?P<w>已完成|未完成)。",
     "Counted by “{o}”, {label} is {w}."),
    (r"完成情况与目标相同，为声明而无实际数值，按已完成认定。",
     "The completion is the same as the target: a claim without a figure of its own, taken as achieved."),
    (r"完成情况为等级“(?P<g>[^”]*)”，" + _LABEL + r"要求“(?P<need>[^”]*)”，(?P<w>已达到|未达到)，判断为"
     + _TIER.format("tier") + "。",
     "The completion is the grade “{g}”; {label} asks for “{need}”: {w}, judged {tier}."),
    (_LABEL + r"要求(?P<deadline>.+?)完成，实际“(?P<a>.*)”，(?P<w1>不晚于|晚于)时限，(?P<w2>按时完成|未按时完成)。",
     "{label} is due {deadline}; done “{a}”, {w1} the deadline: {w2}."),
    (r"目标单位“(?P<tu>[^”]*)”与完成单位“(?P<au>[^”]*)”不同，按数值直接比较。",
     "The target's unit “{tu}” differs from the completion's unit “{au}”; the numbers are compared as they are."),
    (_LABEL + r"目标(?P<measure>[^，]*)，实际(?P<v>" + _NUM + r")(?P<unit>[^，]*)，(?P<w>已达到目标|未达到目标)"
     + _RATIO + "。",
     "{label}: target {measure}, achieved {v}{unit}: {w}{ratio}."),
    (_LABEL + r"无法比较目标与实际。", "{label}: the target and the achieved value cannot be compared."),
    (_LABEL + r"目标(?P<measure>[^，]*)，完成情况“(?P<none>[^”]*)”，已达到目标。",
     "{label}: target {measure}; the completion says “{none}”: the target is met."),
    (_LABEL + r"目标(?P<measure>[^，]*)，完成情况为完成率(?P<v>" + _NUM + r")%，(?P<w>已完成|未完成)" + _RATIO + "。",
     "{label}: target {measure}, reported as a completion rate of {v}%: {w}{ratio}."),
    (r"完成情况只填写了“(?P<a>.*)”，没有写明实际完成值，按“已全部完成”的报告认定，建议补充实际完成值。",
     "The completion gives only “{a}”, not the value actually achieved; taken as the report "
     "“all completed”. The achieved value should be added."),
    (_LABEL + r"目标(?P<measure>[^，]*)，完成情况仅填写“(?P<a>.*)”，按此数值(?P<w>已达到目标|未达到目标)。",
     "{label}: target {measure}; the completion gives only “{a}”, by which {w}."),
    (r"完成情况只填写了“(?P<a>.*)”，按完成比例(?P<pct>[^，]*)认定" + _LABEL + r"未全部完成。",
     "The completion gives only “{a}”: at a completion ratio of {pct}, {label} is taken as not fully completed."),
    (r"完成情况“(?P<a>.*)”使用了目标比较符号“(?P<op>[^”]*)”，是复述目标而不是实际完成值，无法判断是否完成，"
     r"请填写实际完成数。",
     "The completion “{a}” uses the target's comparison sign “{op}”: it restates the target instead of "
     "giving an achieved value, so whether it was achieved cannot be judged. Please enter the achieved figure."),
    (r"完成情况中找不到与" + _LABEL + r"（目标(?P<measure>[^）]*)）对应的数值，按完成情况中的“(?P<cue>[^”]*)”"
     r"判断为第(?P<n>\d)档。",
     "The completion has no figure for {label} (target {measure}); judged tier {n} from “{cue}” in the completion."),
    (r"完成情况中找不到与" + _LABEL + r"（目标(?P<measure>[^）]*)）对应的数值，无法判断是否完成。",
     "The completion has no figure for {label} (target {measure}): whether it was achieved cannot be judged."),
    (r"完成情况含“(?P<cue>[^”]*)”，" + _LABEL + r"判断为" + _TIER.format("tier") + "。",
     "The completion says “{cue}”: {label} is judged {tier}."),
    (r"完成情况“(?P<a>.*)”，" + _LABEL + r"判断为" + _TIER.format("tier") + "。",
     "The completion reports “{a}”: {label} is judged {tier}."),
    (r"完成情况列出了实际完成数(?P<counts>“.*”等?)，" + _LABEL + r"判断为" + _TIER.format("tier") + "。",
     "The completion lists achieved figures {counts}: {label} is judged {tier}."),
    (r"完成情况没有说明" + _LABEL + r"是否达成（没有数值、时间或“完成”“达成”等用语），无法判断，请评价人核实。",
     "The completion does not say whether {label} was achieved (no figure, date or words such as "
     "“completed” or “achieved”): it cannot be judged; the evaluator should check."),
    # --- jixiao.core.scoring: budget execution ----------------------------------------------------
    (r"没有预算金额或预算为0，无法计算预算执行率，执行率得0分。",
     "No budget amount (or a budget of 0): the budget execution rate cannot be computed and scores 0 points."),
    (r"表中填报的执行率为(?P<t>.*)，按实际支出与预算重新计算为(?P<r>" + _NUM + r")%。",
     "The table reports an execution rate of {t}; recomputed from actual spending and the budget it is {r}%."),
    (r"预算执行率(?P<r>" + _NUM + r")%，得分 = (?P<r2>" + _NUM + r")% × (?P<wt>" + _NUM + r") = (?P<s>" + _NUM
     + r")分(?P<w>（已封顶）)?。",
     "Budget execution rate {r}%: score = {r2}% × {wt} = {s} points{w}."),
    # --- scoring: items --------------------------------------------------------------------------
    (r"未填写完成情况，得分值的(?P<p>[^。]*)。", "No completion was reported: {p} of the weight."),
    (r"完成情况只复述或声称达到目标，没有自己的完成数值，按惯例认定为达成（严格口径得分值的(?P<p>[^）]*)）。",
     "The completion only restates or claims the target, without a figure of its own: taken as achieved, "
     "as in practice ({p} of the weight in the strict reading)."),
    (r"完成情况只复述或声称达到目标，没有自己的完成数值，按严格口径得分值的(?P<p>[^，]*)，待评价人核实。",
     "The completion only restates or claims the target, without a figure of its own: {p} of the weight "
     "in the strict reading, for the evaluator to check."),
    (r"无法判断是否完成，暂按分值的(?P<p>[^建]*)建议，待评价人核实。",
     "Whether it was achieved cannot be judged: {p} of the weight suggested for now, for the evaluator to check."),
    (r"未达到目标，按完成比例(?P<pct>[^计]*)计分。", "Target not met: scored by the completion ratio {pct}."),
    (r"完成比例(?P<pct>[^，]*)，超过目标的(?P<p>[^，]*)，目标设定偏低，建议下一年度提高目标值。",
     "Completion ratio {pct}, beyond {p} of the target: the target looks set too low; "
     "raising it next year is suggested."),
    (r"按偏离度调减分值的(?P<pct>[^。]*)。", "Reduced by {pct} of the weight for the deviation."),
    (r"按完成比例(?P<pct>[^计]*)计分。", "Scored by the completion ratio {pct}."),
    (r"未按时完成，得分值的(?P<p>[^。]*)。", "Not completed on time: {p} of the weight."),
    (_TIER.format("Tier") + r"，得分值的(?P<p>[^。]*)。", "{Tier}: {p} of the weight."),
    (r"未完成。", "Not completed."),
    # --- scoring: cells, categories, overrides ----------------------------------------------------
    (r"共(?P<n>\d+)个三级指标，(?P<m>\d+)个已达成，得分(?P<s>" + _NUM + r")分（分值(?P<wt>" + _NUM + r")分）。",
     "{n} level-3 indicator(s), {m} achieved: {s} of {wt} points."),
    (r"(?P<name>.+?)没有填写任何指标，该项(?P<wt>" + _NUM + r")分无法得分。",
     "{name}: none filled in, so its {wt} points cannot be scored."),
    # one 三级 item (scoring.overrides.override_items): “数量指标第2项“…”得分经评价人调整为…”
    (r"(?P<What>[^第“]+?)第(?P<n>\d+)项(?P<item>“.*”)得分经评价人调整为(?P<s>" + _NUM + r")分（系统建议(?P<g>" + _NUM
     + r")分）(?P<who>（[^）]*）)?，理由：(?P<why>.*)",
     "{What}, item {n} {item}: score adjusted by the evaluator to {s} points (suggested by the system: {g} "
     "points){who}; reason: {why}"),
    (r"(?P<What>.+?)得分经评价人调整为(?P<s>" + _NUM + r")分（系统建议(?P<g>" + _NUM + r")分）"
     r"(?P<who>（[^）]*）)?，理由：(?P<why>.*)",
     "{What}: score adjusted by the evaluator to {s} points (suggested by the system: {g} points){who}; "
     "reason: {why}"),
    (r"评分调整“(?P<key>[^”]*)”针对的三级指标(?P<was>“.*”)已改为(?P<now>“.*”)，未采用，请重新评分（理由：(?P<why>.*)）。",
     "The score override “{key}” was made for the level-3 indicator {was}, which now reads {now}: not applied, "
     "please score it again (reason: {why})."),
    (r"评分调整“(?P<key>[^”]*)”没有对应的评分项，未采用（理由：(?P<why>.*)）。",
     "The score override “{key}” names no score of this project and was not applied (reason: {why})."),
    # --- scoring: the project summary -------------------------------------------------------------
    (r"未完全达成的指标(?P<n>\d+)个：(?P<items>.*?)(?P<etc>等)?。",
     "{n} indicator(s) not fully achieved: {items}{etc}."),
    (r"无法判断是否完成的指标(?P<n>\d+)个：(?P<items>.*?)(?P<etc>等)?，待评价人核实。",
     "{n} indicator(s) whose achievement cannot be judged: {items}{etc}; for the evaluator to check."),
    (r"有(?P<n>\d+)个指标的完成情况只复述或声称达到目标，没有自己的完成数值（按惯例计为达成，严格口径不计，见证据差）。",
     "{n} indicator(s) only restate or claim the target without a figure of their own (achieved in practice, "
     "not in the strict reading: see the evidence gap)."),
    (r"有(?P<n>\d+)个指标的完成情况复述了目标，不是实际完成值。",
     "{n} indicator(s) restate the target as their completion instead of an achieved value."),
    (r"有(?P<n>\d+)个二级指标的完成情况只填写了百分比（如“100.00%”），没有写明实际完成值。",
     "{n} level-2 indicator(s) report only a percentage (such as “100.00%”), not the value actually achieved."),
    (r"完成比例远超目标（目标设定偏低）的指标(?P<n>\d+)个：(?P<items>.*)。",
     "{n} indicator(s) far beyond the target (the target looks set too low): {items}."),
    (r"各项权重合计为(?P<x>" + _NUM + r")分，不是100分。", "The weights add up to {x} points, not 100."),
    (r"总分(?P<t>" + _NUM + r")分，评价等级为“(?P<grade>[优良中差])”（(?P<rule>[^）]*)）。",
     "Total {t} points, grade “{grade}” ({rule})."),
)

TABLE: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(zh, re.S), en) for zh, en in _TABLE)


def _who(text: str) -> str:
    """（张三，2020-03-01） → " (张三, 2020-03-01)", （，2020-03-01） → " (2020-03-01)": the name
    and the date are data (scoring.overrides.override_reason writes the comma even without a name)."""
    return " (" + ", ".join(x for x in text[1:-1].split("，") if x) + ")"


CONVERT["who"] = _who


def _convert(name: str, value: str | None) -> str:
    # A group that is absent (an optional part of the sentence) adds nothing.
    if value is None:
        return ""
    convert = CONVERT.get(name.rstrip("0123456789"))
    return convert(value) if convert else value


def _sentence(text: str) -> str | None:
    for pattern, english in TABLE:
        m = pattern.fullmatch(text)
        if m is not None:
            return english.format(**{k: _convert(k, v) for k, v in m.groupdict().items()})
    return None


# scoring.cells._cell_core's suggested deviation analysis: the first reason of each item not met (or
# over-achieved) without its full stop, joined by ；, then this request.
DEVIATION_TAIL = "。请说明偏差原因并提出改进措施。"
DEVIATION_TAIL_EN = ". Please explain the reasons for the deviations and the measures to improve."


def _deviation(text: str) -> str | None:
    """The deviation analysis sentence by sentence. A quoted text may hold a ； itself, so the
    pieces between ； are joined until they make a sentence a template knows."""
    out: list[str] = []
    buf = None
    for piece in text[:-len(DEVIATION_TAIL)].split("；"):
        buf = piece if buf is None else buf + "；" + piece
        english = _sentence(buf + "。")
        if english is not None:
            out.append(english[:-1] if english.endswith(".") else english)
            buf = None
    if buf is not None or not out:
        return None
    return "; ".join(out) + DEVIATION_TAIL_EN


def to_english(reason: str) -> str:
    """The English of one reason sentence of the core's scoring (or of a cell's suggested
    deviation analysis); the sentence itself when no template matches (never an exception)."""
    if not isinstance(reason, str):
        return reason
    english = _sentence(reason)
    if english is None and reason.endswith(DEVIATION_TAIL):
        english = _deviation(reason)
    return reason if english is None else english


# --- rule formulas ------------------------------------------------------------------------------
# The formula texts of jixiao.core.scoring's rules (``rules()``; a cell's ``formula`` is the
# rules of its items joined by ；). The Chinese is what the MoF form prints; the English UI
# shows this. The percentages and weights in them are settings: kept as written.
_PCT = r"[\d.]+%"
_FORMULAS: tuple[tuple[str, str], ...] = (
    (r"预算执行率得分 = 预算执行率 × 分值（(?P<w>[\d.]+)分），最高不超过分值",
     "Execution-rate score = execution rate × weight ({w} points), at most the weight"),
    (r"定量指标：达到目标值得满分；未达到按“实际值 ÷ 目标值 × 分值”计分（“≤”类指标按“目标值 ÷ 实际值 × 分值”）；"
     rf"完成比例超过目标的(?P<f>{_PCT})时提示“目标设定偏低”"
     rf"(?:，并按偏离度调减：得分 = 分值 ×（1 − min\(完成比例 − (?P<f2>{_PCT})，(?P<cap>{_PCT})\)）|（不调减分值）)",
     "Quantitative indicators: full score when the target is met; otherwise actual ÷ target × weight "
     "(for “≤” targets: target ÷ actual × weight); a completion ratio above {f} of the target is flagged "
     "“target set too low”{reduce}"),
    (rf"定性指标：达成年度指标得分值的80%–100%（取(?P<a>{_PCT})），部分达成并具有一定效果得60%–80%（取(?P<b>{_PCT})），"
     rf"未达成且效果较差得0–60%（取(?P<c>{_PCT})）",
     "Qualitative indicators: annual target achieved 80%–100% of the weight (here {a}), partly achieved "
     "with some effect 60%–80% (here {b}), not achieved with poor effect 0–60% (here {c})"),
    (rf"时效指标：按时完成得满分；未按时完成得分值的(?P<l>{_PCT})",
     "Timeliness indicators: full score when completed on time; {l} of the weight when late"),
    (rf"完成情况无法判断（复述目标、无对应数值）得分值的(?P<u>{_PCT})，未填写完成情况得(?P<bl>{_PCT})，待评价人核实",
     "Completion that cannot be judged (a restated target, no matching value): {u} of the weight; "
     "no completion reported: {bl}; to be checked by the evaluator"),
    (r"评价等级：总分≥(?P<a>[\d.]+)为优，≥(?P<b>[\d.]+)为良，≥(?P<c>[\d.]+)为中，其余为差",
     "Grades: total ≥ {a} Excellent, ≥ {b} Good, ≥ {c} Fair, otherwise Poor"),
)
FORMULAS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(zh), en) for zh, en in _FORMULAS)


def _formula_english(m: re.Match[str], english: str) -> str:
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    if "cap" in groups:
        groups["reduce"] = (f", and the score is reduced by the deviation: score = weight × "
                            f"(1 − min(completion ratio − {groups['f2']}, {groups['cap']}))")
    elif "f" in groups:
        groups["reduce"] = " (the score is not reduced)"
    return english.format(**groups)


def formula_to_english(formula: str) -> str:
    """The English of a rule formula, or of a cell's formula (its rules joined by ；); the text
    itself when any part of it is not a known rule (never an exception)."""
    if not isinstance(formula, str) or not formula:
        return formula
    out: list[str] = []
    pos = 0
    while True:
        for pattern, english in FORMULAS:  # noqa: B007 - the matching pattern's english, after the break
            m = pattern.match(formula, pos)
            if m is not None:
                break
        else:
            return formula
        out.append(_formula_english(m, english))
        pos = m.end()
        if pos == len(formula):
            return "; ".join(out)
        if formula[pos] != "；":
            return formula
        pos += 1
