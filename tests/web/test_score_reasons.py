"""Score reasons rendered from one catalogue (jixiao.core.reasons): every code has a Chinese and
an English template over the same parameters; every reason the scorer emits over a broad set of
tables, configurations, overrides and the labelled corpus renders in English with the data kept
(quoted text, numbers, units, the evaluator's words) and nothing else Chinese; the Chinese is
the sentences the scorer has always printed; the pages show the page's language."""

from __future__ import annotations

import copy
import glob
import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jixiao.core import scoring
from jixiao.core.scoring.items import item_share
from jixiao.core.matching import match_cell, match_items
from jixiao.core.model import IndicatorCell, IndicatorItem, Project, ScoreOverride, Table
from jixiao.core.targets import _METRIC_RE, NOT_MEASURE_CHARS, UNITS, Item
from jixiao.formats import table_json
from jixiao.generate import generate_table
from jixiao.core.reasons import CATALOGUE, DERIVED, GRADES_EN, deadline, fields_of, render, within
from jixiao.web import language

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "core" / "corpus" / "targets.jsonl"

# The configurations of bench/score_fingerprint.py plus the extremes of the settings that change
# which sentences appear (over_reduction on and off, a non-100 weight sum, tier shares, grades).
CONFIGS = [
    {},
    {"over_reduction": True, "tier2_share": "0.65", "over_factor": "1.2", "over_reduction_cap": "0.15"},
    {"indicator_weights": {"quantity": 20, "satisfaction": "7.5"},
     "projects": {"3": {"execution_weight": 20, "category_weights": {"output": 40}},
                  "5": {"indicator_weights": {"quality": 12}}}},
    {"unknown_share": "0.5", "blank_share": "0.1", "late_share": "0.75", "tier1_share": "0.9",
     "tier3_share": "0.2", "execution_weight": "10.00", "grade_thresholds": {"优": 95, "良": 85}},
    {"over_reduction": True, "over_factor": "1", "category_weights": {"satisfaction": 0, "outcome": 25}},
    {"evidence": "strict"},  # claims scored as unknown (matching.Judgement.claimed)
]

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
QUOTED = re.compile(r"“[^“”]*”")
# A unit right after a number (100人次, 5—6家, 4.11万元, 15起, 30厘米): data. Units are the
# parser's vocabulary, its metric compounds and any other measure word (targets._measure_word).
UNIT_AFTER_NUMBER = re.compile(r"(?<=[\d%])(?:" + "|".join(sorted(
    {re.escape(u) for u in UNITS.values() if CJK.search(u)}, key=len, reverse=True))
    + "|" + _METRIC_RE.pattern + "|[^" + "".join(sorted(NOT_MEASURE_CHARS)) + r"\W\d])")


def residue(english: str, data: tuple[str, ...] = ()) -> str:
    """What is left of an English reason once the data is taken out: the project's own texts
    given in ``data`` (the evaluator's name and reason, the printed execution rate, the quoted
    items of its cells), every
    quoted “…” part (innermost first, so nested quotes go too) and a unit word directly after a
    number. No Chinese character may remain in it."""
    for d in sorted(data, key=len, reverse=True):
        if d:
            english = english.replace(d, "")
    while QUOTED.search(english):
        english = QUOTED.sub("", english)
    return UNIT_AFTER_NUMBER.sub("", english)


def _tables():
    tables = [generate_table(24, seed=s) for s in (0, 1, 2, 3, 5, 8, 13)]
    tables += [generate_table(24, seed=s, inconsistent_share=0.5) for s in (21, 34)]
    tables += [table_json.load(f) for f in sorted(glob.glob("/work/shared/seed/*.golden.json"))]
    # A project with a category left blank: "产出指标没有填写任何指标…".
    blank = copy.deepcopy(tables[0].projects[0])
    for key in ("satisfaction", "quantity", "quality", "timeliness", "cost"):
        if key in blank.indicators:
            blank.indicators[key].target = ""
    tables[0].projects.append(blank)
    n = 0
    for t in tables:
        for p in t.projects:
            n += 1
            if n % 7 == 0:  # overrides of every level, with and without name and date
                which = (n // 7) % 6
                item = ("execution", "quantity", "output", "total", "quantity.2", "quantity.9")[which]
                p.overrides = [ScoreOverride(item=item, score=Decimal("7.345") + which,
                                             reason="评价人核实，抽查发现问题" if which % 2 else "checked",
                                             by="张三" if which % 2 else "",
                                             at="2026-11-28" if which < 2 else "")]
    # Indicators marked not applicable, one cell and a whole level: "…标记为不适用…".
    marked = copy.deepcopy(tables[1].projects[2])
    marked.indicators["ecological"] = IndicatorCell(not_applicable=True, na_reason="本项目不涉及生态效益")
    marked.indicators["satisfaction"] = IndicatorCell(not_applicable=True, na_reason="")
    tables[-1].projects.append(marked)
    # An item override made before its cell was edited: "…针对的三级指标“…”已改为“…”，未采用…".
    edited = copy.deepcopy(tables[0].projects[1])
    edited.indicators["quantity"] = IndicatorCell("培训人数≥100人；举办讲座≥4场", "培训人数120人；举办讲座4场")
    edited.overrides = [ScoreOverride(item="quantity.2", score=Decimal("3"), reason="讲座未按计划举办",
                                      target="发放资料≥500份")]
    tables[0].projects.append(edited)
    # A MoF form under the 湖北 profile: a row with only a name (a claim), no 效益 row (its points
    # shared among the other levels).
    row = IndicatorItem(name="工程质量合格", target="", actual="")
    form = Project(seq=1, unit_name="水利局", name="水毁修复", budget=Decimal(10), actual_total=Decimal(10),
                   indicators={"quality": IndicatorCell(target=row.target_text, actual="", items=[row])})
    tables.append(Table(year=2022, department="水利局", projects=[form], profile="hubei"))
    return tables


def quoted_items(m) -> tuple[str, ...]:
    """The items of a matched cell as the reasons quote them (“subject” or “text”). Given as data because a user's text may hold an unbalanced quote of its own
    (“会员企业增强“获得感”), which the generic quoted-part rule cannot take out."""
    return tuple(f"“{x}”" for it in m.targets + m.actuals for x in (it.subject, it.text) if x)


def cell_texts(p) -> tuple[str, ...]:
    return tuple(x for c in p.indicators.values() if c.target and not c.target.isspace()
                 for x in quoted_items(match_cell(c.target, c.actual))) + tuple(
        c.na_reason for c in p.indicators.values() if c.na_reason)


def _project_reasons(ps):
    yield from ps.reasons
    yield from ps.execution.reasons
    for c in ps.categories:
        yield from c.reasons
        for ind in c.indicators:
            yield from ind.reasons
            if ind.deviation is not None:
                yield ind.deviation
            for it in ind.items:
                yield from it.reasons


def harvest() -> dict[tuple, tuple[str, ...]]:
    """Every distinct reason → the data of its project (texts the English may keep)."""
    found: dict[tuple, tuple[str, ...]] = {}
    tables = _tables()
    for data in CONFIGS:
        cfg = scoring.ScoringConfig.from_dict(data)
        for t in tables:
            for p, ps in zip(t.projects, scoring.score_table(t, cfg)):
                own = tuple(x for o in p.overrides for x in (o.reason, o.by, o.at)) + (
                    str(p.execution_rate_text or ""),) + cell_texts(p)
                for r in _project_reasons(ps):
                    found.setdefault(r, own)
    # The labelled corpus: each target against its own completion, a plain "已完成", a blank
    # completion and itself (restated); each completion against a deadline and a quantity target.
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_source = {r["source"]: r["text"] for r in rows}
    pairs = set()
    for source, text in by_source.items():
        if source.endswith(".target"):
            pairs.add((text, by_source.get(source[:-len("target")] + "actual", "")))
            pairs.update({(text, "已完成"), (text, ""), (text, text), (text, "部分完成"), (text, "100.00%")})
        else:
            pairs.update({("12月底前完成", text), ("培训人数≥100人", text), ("满意度≥90%", text)})
    pairs.update(RARE_PAIRS)
    for target, actual in pairs:
        m = match_cell(target, actual)
        ind = scoring.score_cell("quantity", target, actual, Decimal(10))  # + the scoring sentences
        for r in [*m.notes, *(r for j in m.judgements for r in j.reasons), *ind.reasons,
                  *(r for it in ind.items for r in it.reasons), *([ind.deviation] if ind.deviation else [])]:
            found.setdefault(r, quoted_items(m))
    # A quantity target the parser never gives (no operator): the "cannot compare" sentence.
    odd = Item("培训若干人", "quantity", op=None, value=Decimal(5), unit="人", subject="培训")
    done = Item("培训7人", "quantity", op="=", value=Decimal(7), unit="人", subject="培训")
    m = match_items(odd.text, done.text, [odd], [done])
    for j in m.judgements:
        found.setdefault(j.reasons[0], quoted_items(m))
        for r in item_share(j, scoring.shares_of(scoring.DEFAULT_CONFIG))[1]:
            found.setdefault(r, ())
    return found


# Reasons the generated tables and the corpus do not happen to contain.
RARE_PAIRS = {
    ("投诉≤0次", "投诉2次"),  # not met with no ratio (a zero target): "未完成。"
    ("培训质量较好", "80%"),  # a bare percentage below 100% for a qualitative target
    ("培训100人", "80%"),  # … and for a quantity target
    ("服务质量优良中低差", "优"),  # a grade against the grade asked for
    ("安全事故0起", "未发生安全事故"),  # none, in words, for a zero target
}


@pytest.fixture(scope="module")
def reasons():
    return harvest()


def test_every_code_has_a_chinese_and_an_english_template_over_the_same_parameters():
    for code, entry in CATALOGUE.items():
        assert entry.zh and entry.en, code
        used = {}
        for lang, template in (("zh", entry.zh), ("en", entry.en)):
            names = set()
            for name in fields_of(template):
                names |= set(DERIVED[name][0]) if name in DERIVED else {name}
            used[lang] = names
        assert used["zh"] == used["en"] == set(entry.params), code


def test_every_reason_the_scorer_emits_renders_in_english_with_no_chinese_outside_the_data(reasons):
    assert len(reasons) > 300  # a broad harvest, not a handful
    chinese_left = sorted((render(r), render(r, "en")) for r, data in reasons.items()
                          if CJK.search(residue(render(r, "en"), data)))
    assert not chinese_left, "Chinese left outside the data:\n" + "\n".join(
        f"{zh}\n  → {en}" for zh, en in chinese_left[:20])


def test_every_reason_has_its_catalogues_parameters_and_every_sentence_code_is_emitted(reasons):
    for r in reasons:
        assert len(r) == 1 + len(CATALOGUE[r[0]].params), r
    # A code no harvested reason uses is either dead or a reason the harvest misses (the rule
    # formulas are harvested by the formula test below).
    # The target checks (JX6xx, "target.*") are not the scorer's: tests/core/test_target_checks.py renders them.
    unused = {c for c in CATALOGUE if not c.startswith(("rule", "target."))} - {r[0] for r in reasons}
    assert not unused, unused


EXAMPLES = [
    (("match.value", "参加人数", "≥100人次", "140", "人次", True, "140.00%"),
     "“参加人数”目标≥100人次，实际140人次，已达到目标（完成比例140.00%）。",
     "“参加人数”: target ≥100人次, achieved 140人次: the target is met (completion ratio 140.00%)."),
    (("execution.score", "99.74", "10", "9.97", False), "预算执行率99.74%，得分 = 99.74% × 10 = 9.97分。",
     "Budget execution rate 99.74%: score = 99.74% × 10 = 9.97 points."),
    (("execution.score", "120.00", "10", "10.00", True), "预算执行率120.00%，得分 = 120.00% × 10 = 10.00分（已封顶）。",
     "Budget execution rate 120.00%: score = 120.00% × 10 = 10.00 points (capped)."),
    (("project.grade", "95.99", "优", "90", ""), "总分95.99分，评价等级为“优”（≥90分）。",
     "Total 95.99 points, grade “Excellent” (≥90 points)."),
    (("project.grade", "55.00", "差", "", "60"), "总分55.00分，评价等级为“差”（低于60分）。",
     "Total 55.00 points, grade “Poor” (below 60 points)."),
    (("project.grade", "85.00", "良", "80", "90"), "总分85.00分，评价等级为“良”（80–90分）。",
     "Total 85.00 points, grade “Good” (80–90 points)."),
    (("summary.over", 2, (("quantity", "培训100人"), ("social", "受益群众≥1万人"))),
     "完成比例远超目标（目标设定偏低）的指标2个：数量指标“培训100人”；社会效益指标“受益群众≥1万人”。",
     "2 indicator(s) far beyond the target (the target looks set too low): Quantity indicator “培训100人”; "
     "Social benefit indicator “受益群众≥1万人”."),
    (("override", "quantity", "15.00", "16.67", "张三", "2020-03-01", "培训质量一般"),
     "数量指标得分经评价人调整为15.00分（系统建议16.67分）（张三，2020-03-01），理由：培训质量一般",
     "Quantity indicators: score adjusted by the evaluator to 15.00 points (suggested by the system: "
     "16.67 points) (张三, 2020-03-01); reason: 培训质量一般"),
    (("override", "total", "79.00", "98.62", "", "", "抽查发现问题"),
     "总分得分经评价人调整为79.00分（系统建议98.62分），理由：抽查发现问题",
     "Total: score adjusted by the evaluator to 79.00 points (suggested by the system: 98.62 points); "
     "reason: 抽查发现问题"),
    (("override", "total", "79.00", "98.62", "", "2026-11-28", "复核"),
     "总分得分经评价人调整为79.00分（系统建议98.62分）（，2026-11-28），理由：复核",
     "Total: score adjusted by the evaluator to 79.00 points (suggested by the system: 98.62 points) "
     "(2026-11-28); reason: 复核"),
    (("override.category", "satisfaction", "9.00", "10.00", "", "", "复核"),
     "满意度指标得分经评价人调整为9.00分（系统建议10.00分），理由：复核",
     "Satisfaction indicators: score adjusted by the evaluator to 9.00 points (suggested by the system: "
     "10.00 points); reason: 复核"),
    (("match.deadline", "验收", deadline(None, 12, -1), "11月15日完成", True),
     "“验收”要求12月底前完成，实际“11月15日完成”，不晚于时限，按时完成。",
     "“验收” is due by the end of December; done “11月15日完成”, not later than the deadline: completed on time."),
    (("match.deadline", "验收", deadline(2024, 6, 0), "5月完成", True),
     "“验收”要求2024年6月前完成，实际“5月完成”，不晚于时限，按时完成。",
     "“验收” is due before June 2024; done “5月完成”, not later than the deadline: completed on time."),
    (("match.deadline", "验收", deadline(None, 6, 15), "7月完成", False),
     "“验收”要求6月15日前完成，实际“7月完成”，晚于时限，未按时完成。",
     "“验收” is due by 15 June; done “7月完成”, later than the deadline: not completed on time."),
    (("item.tier", 2, "70%"), "部分达成并具有一定效果（第二档），得分值的70%。",
     "Tier 2 (partly achieved, with some effect): 70% of the weight."),
    (("match.words", "部分", "培训质量", 2), "完成情况含“部分”，“培训质量”判断为部分达成并具有一定效果（第二档）。",
     "The completion says “部分”: “培训质量” is judged tier 2 (partly achieved, with some effect)."),
    (("summary.unknown", 6, (("quantity", "甲"), ("quantity", "乙"), ("quantity", "丙"), ("quality", "丁"),
                             ("timeliness", "戊")), True),
     "无法判断是否完成的指标6个：数量指标“甲”；数量指标“乙”；数量指标“丙”；质量指标“丁”；时效指标“戊”等，待评价人核实。",
     "6 indicator(s) whose achievement cannot be judged: Quantity indicator “甲”; Quantity indicator “乙”; "
     "Quantity indicator “丙”; Quality indicator “丁”; Timeliness indicator “戊” etc.; for the evaluator to check."),
    (("match.value", "误差率", within("±5%"), "7", "%", False, "71.43%"),
     "“误差率”目标±5%以内，实际7%，未达到目标（完成比例71.43%）。",
     "“误差率”: target within ±5%, achieved 7%: the target is not met (completion ratio 71.43%)."),
    (("match.counts", ("8人", "3场"), True, "培训", 1),
     "完成情况列出了实际完成数“8人”、“3场”等，“培训”判断为达成年度指标（第一档）。",
     "The completion lists achieved figures “8人”, “3场” etc.: “培训” is judged tier 1 (annual target achieved)."),
    (("cell.deviation", (("match.value", "参加人数", "≥100人次", "80", "人次", False, "80.00%"),
                         ("match.words", "部分", "培训；质量", 2), "安全事故0起")),
     "“参加人数”目标≥100人次，实际80人次，未达到目标（完成比例80.00%）；"
     "完成情况含“部分”，“培训；质量”判断为部分达成并具有一定效果（第二档）；安全事故0起。请说明偏差原因并提出改进措施。",
     "“参加人数”: target ≥100人次, achieved 80人次: the target is not met (completion ratio 80.00%); "
     "The completion says “部分”: “培训；质量” is judged tier 2 (partly achieved, with some effect); 安全事故0起. "
     "Please explain the reasons for the deviations and the measures to improve."),
    (("rule.execution", "10"), "预算执行率得分 = 预算执行率 × 分值（10分），最高不超过分值",
     "Execution-rate score = execution rate × weight (10 points), at most the weight"),
    (("rules", (("rule.deadline", "70%"), ("rule.unknown", "60%", "0%"))),
     "时效指标：按时完成得满分；未按时完成得分值的70%；完成情况无法判断（复述目标、无对应数值）得分值的60%，"
     "未填写完成情况得0%，待评价人核实",
     "Timeliness indicators: full score when completed on time; 70% of the weight when late; Completion that "
     "cannot be judged (a restated target, no matching value): 60% of the weight; no completion reported: 0%; "
     "to be checked by the evaluator"),
]


@pytest.mark.parametrize("reason, zh, en", EXAMPLES)
def test_a_reason_renders_the_known_chinese_sentence_and_its_english(reason, zh, en):
    assert render(reason) == render(reason, "zh") == zh
    assert render(reason, "en") == en


def test_the_scorer_writes_the_known_chinese_sentences():
    ps = scoring.score_project(generate_table(1, seed=0).projects[0])
    assert render(ps.execution.formula) == "预算执行率得分 = 预算执行率 × 分值（10分），最高不超过分值"
    assert render(ps.reasons[-1]) == f"总分{ps.total}分，评价等级为“{ps.grade}”（≥90分）。" or ps.grade != "优"
    cell = scoring.score_cell("quantity", "参加人数≥100人次", "参加人数140人次", Decimal(10))
    assert [render(r) for r in cell.items[0].reasons] == [
        "“参加人数”目标≥100人次，实际140人次，已达到目标（完成比例140.00%）。",
        "完成比例140.00%，超过目标的130%，目标设定偏低，建议下一年度提高目标值。"]
    assert render(cell.reasons[-1]) == "共1个三级指标，1个已达成，得分10.00分（分值10分）。"
    assert render(cell.deviation).startswith("“参加人数”目标≥100人次，实际140人次，已达到目标（完成比例140.00%）。"[:-1])


def test_strings_and_none_render_as_they_are():
    for x in ("这是一句新的理由。", "", "理由："):
        assert render(x) == render(x, "en") == x
    assert render(None) == render(None, "en") == ""


def test_grades_are_the_ui_grade_labels():
    with translation.override("en"):
        for zh, en in GRADES_EN.items():
            assert language.grade_label(zh) == en


@pytest.fixture
def demo(db, tmp_path):
    from jixiao.web import demo_data

    demo_data.load(tmp_path)


def test_portal_project_page_shows_reasons_in_the_pages_language(demo):
    from jixiao.web import demo_data
    from jixiao.web.portal.models import PublishedTable

    seed = demo_data.seed_table()
    entry = PublishedTable.objects.get(department=seed.department)
    deviations = 0
    for position in (0, 1):  # the first project has no deviation analysis, the second three
        url = reverse("portal:project", args=[entry.pk, position])
        score = scoring.score_project(seed.projects[position])
        indicators = [i for c in score.categories for i in c.indicators]
        shown = [*score.reasons, *score.execution.reasons, *(r for i in indicators for r in i.reasons)]
        shown += [i.deviation for i in indicators if i.deviation]
        deviations += sum(1 for i in indicators if i.deviation)
        visitor = Client()
        zh = html.unescape(visitor.get(url).content.decode())
        visitor.cookies["django_language"] = "en"
        en = html.unescape(visitor.get(url).content.decode())
        assert 'lang="en"' in en
        for r in shown:
            assert render(r) in zh and render(r) not in en
            assert render(r, "en") in en and render(r, "en") not in zh
    assert deviations > 0


def test_project_form_shows_the_deviation_analysis_in_the_pages_language(world):
    from .conftest import make_project

    # 培训3次 against ≥4: not met, so the cell carries a suggested deviation analysis.
    p = make_project(world.tables["own"], seq=2, indicators={
        "quantity": {"target": "培训≥4次", "actual": "培训3次"},
        "satisfaction": {"target": "满意度≥90%", "actual": "满意度95%"}})
    deviation = scoring.score_cell("quantity", "培训≥4次", "培训3次", Decimal(50)).deviation
    assert deviation is not None
    c = Client()
    c.force_login(world.users["editor"])
    url = reverse("entry:project", args=[p.pk])
    assert render(deviation) in html.unescape(c.get(url).content.decode())
    c.cookies["django_language"] = "en"
    en = html.unescape(c.get(url).content.decode())
    assert render(deviation, "en") in en and render(deviation) not in en


def test_review_scores_page_shows_reasons_in_english_with_the_evaluators_words_escaped(db):
    from jixiao.web.entry.convert import project_to_core
    from jixiao.web.entry.models import Project
    from jixiao.web.review import overrides

    from .conftest import World

    world = World("submitted")
    project = world.projects["own"]
    script = '<script>alert("x")</script>培训质量一般'
    overrides.set_override(project, project.version, world.users["reviewer"], "quantity", Decimal("40.5"), script)
    score = scoring.score_project(project_to_core(Project.objects.get(pk=project.pk)))
    c = Client()
    c.force_login(world.users["reviewer"])
    c.cookies["django_language"] = "en"
    raw = c.get(reverse("review:project_scores", args=[project.pk])).content.decode()
    assert "<script>alert" not in raw  # the evaluator's reason is still escaped in English
    page = html.unescape(raw)
    quantity = score.categories[0].indicators[0]
    sentences = [*score.reasons, *score.execution.reasons, *quantity.reasons,
                 *(r for it in quantity.items for r in it.reasons)]
    assert any(r[0] == "override" for r in quantity.reasons)
    for r in sentences:
        assert render(r, "en") in page and render(r) not in page
    assert "reason: " + script in page
    # The rule formulas too (the MoF form keeps the Chinese).
    assert render(quantity.formula, "en") in page and render(quantity.formula) not in page


def harvest_formulas() -> set[tuple]:
    """Every distinct formula the scorer gives: each rule of every configuration, and the
    formula of every scored cell (its rules) and of every execution score."""
    found: set[tuple] = set()
    tables = _tables()
    for data in CONFIGS:
        cfg = scoring.ScoringConfig.from_dict(data)
        found.update(r.formula for r in scoring.rules(cfg).values())
        for t in tables:
            for ps in scoring.score_table(t, cfg):
                found.add(ps.execution.formula)
                found.update(i.formula for c in ps.categories for i in c.indicators)
    return found


def test_every_rule_formula_renders_in_english_and_every_rule_is_used():
    formulas = harvest_formulas()
    assert len(formulas) > 20
    untranslated = sorted(render(f) for f in formulas if CJK.search(render(f, "en")))
    assert not untranslated, "formulas with Chinese in English:\n" + "\n".join(untranslated[:10])
    used = {f[0] for f in formulas} | {r[0] for f in formulas if f[0] == "rules" for r in f[1]}
    assert used >= {c for c in CATALOGUE if c.startswith("rule")}


def test_portal_project_page_shows_the_execution_formula_in_the_pages_language(demo):
    from jixiao.web import demo_data
    from jixiao.web.portal.models import PublishedTable

    seed = demo_data.seed_table()
    entry = PublishedTable.objects.get(department=seed.department)
    url = reverse("portal:project", args=[entry.pk, 0])
    formula = scoring.score_project(seed.projects[0]).execution.formula
    visitor = Client()
    assert render(formula) in html.unescape(visitor.get(url).content.decode())
    visitor.cookies["django_language"] = "en"
    en = html.unescape(visitor.get(url).content.decode())
    assert render(formula, "en") in en and render(formula) not in en
