"""Claimed and evidenced: a completion that copies or asserts its target without a figure of its
own (matching.Judgement.claimed) counts as met in the suggested (practice) score and gets the
unknown share in the evidenced (strict) one; both totals are kept, the difference is the gap."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from jixiao.core import matching, scoring
from jixiao.core.model import IndicatorCell, Project, ScoreOverride
from jixiao.core.scoring import ScoringConfig, score_cell, score_project, to_dict
from jixiao.core.reasons import texts

D = Decimal


def claimed_match(target: str, actual: str) -> matching.CellMatch:
    m = matching.match_cell(target, actual)
    return dataclasses.replace(m, judgements=[dataclasses.replace(j, claimed=True) for j in m.judgements])


def test_a_claim_counts_as_met_in_practice_and_as_unknown_when_strict():
    m = claimed_match("29.5亩", "29.5亩")
    ind = score_cell("quantity", "29.5亩", "29.5亩", D(10), match=m)
    it = ind.items[0]
    assert it.evidence == "claimed" and it.met is True
    assert ind.score == D("10.00") and ind.evidenced == D("6.00") and it.evidenced == D("6.00")
    assert any("按惯例认定为达成" in r for r in texts(it.reasons))
    strict = score_cell("quantity", "29.5亩", "29.5亩", D(10), ScoringConfig.from_dict({"evidence": "strict"}), match=m)
    assert strict.score == D("6.00") and strict.evidenced == D("6.00") and strict.items[0].met is None


def test_items_say_whether_they_rest_on_a_figure():
    ind = score_cell("quantity", "培训人数≥100人；及时", "培训人数120人；已完成", D(10))
    assert [it.evidence for it in ind.items] == ["figure", "none"]
    assert [it.basis for it in ind.items] == ["value", "words"]


@pytest.fixture
def claims(monkeypatch):
    """Matching that marks every restated completion as a claim (the parser's rule)."""
    real = scoring.cells.match_cell_uncached

    def marked(target, actual, *args, **kw):
        m = real(target, actual, *args, **kw)
        return dataclasses.replace(m, judgements=[dataclasses.replace(j, claimed=True) if j.evidence == "restated"
                                                  else j for j in m.judgements])
    scoring.clear_caches()
    monkeypatch.setattr(scoring.cells, "match_cell_uncached", marked)
    yield
    scoring.clear_caches()


def project(**kw) -> Project:
    cells = {"quantity": IndicatorCell("培训人数≥100人", "培训人数120人"),
             "quality": IndicatorCell("验收合格率100%", "验收合格率100%"),
             "social": IndicatorCell("有效提升服务水平", "服务水平明显提升，群众满意度提高"),  # words of its own
             "satisfaction": IndicatorCell("满意度≥90%", "满意度95%")}
    return Project(seq=1, unit_name="单位", name="项目", budget=D(100), actual_total=D(100), indicators=cells, **kw)


def test_every_project_carries_both_totals_and_the_gap(claims):
    ps = score_project(project())
    # 产出 50 over two cells: 25 + 25; the copied 合格率 is 25 in practice, 15 when strict.
    assert ps.total == D("100.00") and ps.evidenced_total == D("90.00") and ps.evidence_gap == D("10.00")
    assert ps.evidence_mode == "practice"
    assert any("只复述或声称达到目标" in r for r in texts(ps.reasons))
    data = to_dict(ps)
    assert (data["total"], data["evidenced_total"], data["evidence_gap"]) == ("100.00", "90.00", "10.00")
    strict = score_project(project(), ScoringConfig.from_dict({"profile": "strict"}))
    assert strict.total == strict.evidenced_total == D("90.00") and strict.evidence_mode == "strict"


def test_an_override_counts_alike_in_both_readings(claims):
    ov = ScoreOverride(item="quality", score=D("20"), reason="核实")
    ps = score_project(project(overrides=[ov]))
    assert ps.total == D("95.00") and ps.evidenced_total == D("95.00")
    tov = ScoreOverride(item="total", score=D("88"), reason="核实")
    ps = score_project(project(overrides=[tov]))
    assert ps.total == ps.evidenced_total == D("88.00")


def test_a_score_once_returned_holds_only_tuples_so_requests_sharing_it_cannot_change_it():
    from jixiao.generate import generate_table

    for ps in scoring.score_table(generate_table(6, seed=3)):
        assert isinstance(ps.categories, tuple) and isinstance(ps.reasons, tuple)
        for cs in ps.categories:
            assert isinstance(cs.indicators, tuple) and isinstance(cs.reasons, tuple)
            for ind in cs.indicators:
                assert isinstance(ind.items, tuple) and isinstance(ind.reasons, tuple)
                assert all(isinstance(it.reasons, tuple) for it in ind.items)
