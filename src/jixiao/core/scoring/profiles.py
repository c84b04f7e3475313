"""Named scoring profiles: how a province's 项目支出绩效自评表 weighs 预算执行率 against the
indicators, each with the source it was taken from (docs/scoring.md, "Profiles").

A profile is only a default. A form that prints its own weights — the 分值 of the money block
(``Published.execution_weight``), of a 一级 level (``产出指标(50分)``, ``Published.category_weights``),
of a 二级 cell or 三级 item (``IndicatorCell.weight``, ``IndicatorItem.weight``) — is scored by
those; a profile fills in what the form leaves out.

``form_split``: whether the split of the indicators' points among 产出/效益/满意度 is the form's
own (Sichuan prints only 绩效指标(90分) and a 权重 per 三级 row) rather than fixed by the rules;
then the weight checks do not compare a level's cells with the profile's split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...errors import InputError


@dataclass(frozen=True)
class Profile:
    name: str
    title: str  # Chinese
    execution_weight: Decimal
    category_weights: dict[str, Decimal] = field(hash=False)
    form_split: bool = False
    evidence: str = "practice"
    absent_levels: str = "lost"  # ScoringConfig.absent_levels
    source: str = ""


def _w(output: int, outcome: int, satisfaction: int) -> dict[str, Decimal]:
    return {"output": Decimal(output), "outcome": Decimal(outcome), "satisfaction": Decimal(satisfaction)}


PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("central", "中央（财预〔2020〕10号）", Decimal(10), _w(50, 30, 10),
            source="财预〔2020〕10号's 项目支出绩效自评表, footnote reprinted on published forms: "
                   "“一级指标分值统一设置为:产出指标50分、效益指标30分、服务对象满意度指标10分、预算资金执行率10分” "
                   "(天长市水利局 2022; chacewang.com/newsdetail/news242266.html); tests/fidelity/profiles.md"),
    Profile("strict", "中央，严格证据口径", Decimal(10), _w(50, 30, 10), evidence="strict",
            source="central's weights; a completion that only copies or asserts its target counts as "
                   "unproven (unknown_share) — for bureaus that require evidence"),
    Profile("hubei", "湖北", Decimal(20), _w(40, 30, 10), absent_levels="shared",
            source="湖北 项目绩效自评表 header “预算执行情况(万元)(20分)…得分(20分*执行率)” (1wenmi.com/doc/330418.html; "
                   "blank template m.777doc.com/doc-4336759.html); the 80 indicator points “年度绩效目标(80分)” are "
                   "split 产出 40 / 效益 30 / 满意度 10 (黄石市图书馆 2022, hsslib.org.cn/info/72903.jspx; 施甸 2019's item "
                   "scores fit 20+20 / 20+10 / 10) and cover the indicators the form has: a level with no row "
                   "shares its points among the others (黄冈 2020: no 效益 row, 80 points over 产出 and 满意度)"),
    Profile("sichuan", "四川", Decimal(10), _w(50, 30, 10), form_split=True,
            source="四川 部门预算项目支出绩效自评表 (报表编号 510000_0013zp): “预算执行情况(10分)” and “绩效指标(90分)” with "
                   "a 权重 per 三级 indicator and a 合计 row (www.scqs.gov.cn/info/13206/211004.htm; "
                   "dyrmt.com/article-132779-22.html: four indicators of 22.5); without 权重, central's 50/30/10"),
)}


def profile(name: str) -> Profile:
    """The profile called ``name``; an InputError naming the known ones otherwise."""
    found = PROFILES.get(name)
    if found is None:
        known = ", ".join(PROFILES)
        raise InputError(f"未知的评分口径“{name}”，可用：{known}", f"unknown scoring profile {name!r}; known: {known}")
    return found
