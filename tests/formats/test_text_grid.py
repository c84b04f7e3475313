"""The -layout text importer (formats/text_grid.py) on pdftotext -layout output of real PDFs of
the seed table and of the ``lo-merges`` reference table: LibreOffice's PDF of jixiao's XLSX and
jixiao's own PDF; and of ``gen-a4-multipage``'s jixiao PDF (made once with
bench/text_fidelity.py --keep and kept under tests/fixtures/text/layout/).

What it must do: every amount exact, the text cells at least the measured figure (a floor, so
a change that reads worse fails), every text cell's confidence below 0.8 (its placement is by
position, which pdftotext only approximates: a reviewer must see it as unsure), and a reading
that cannot be right refused rather than guessed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.core.model import AMOUNT_FIELDS
from jixiao.errors import InputError
from jixiao.formats import table_json
from jixiao.formats.text_grid import CELL_FIELDS, is_layout_text, read_layout_text
from jixiao.formats.text_read import read_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LAYOUT = FIXTURES / "text" / "layout"
GOLDEN = table_json.load(FIXTURES / "selfeval-2019-longgang-gsl.golden.json")
MERGES = table_json.load(FIXTURES / "text" / "lo-merges.json")
MULTIPAGE = table_json.load(FIXTURES / "text" / "gen-a4-multipage.json")
# Text cells right (单位名称, 项目名称 and the 18 text cells), measured with bench/text_fidelity.py
# on these files: the seed's LibreOffice PDF 118/120, its jixiao PDF 120/120; lo-merges'
# LibreOffice PDF 240/240, its jixiao PDF 240/240 (placing each row's stacks of lines over the
# columns jointly; before, by each piece's position: 118, 114, 238, 228; before one cell per
# column and row was enforced: 112, 110, 215, 203). The jixiao texts are of the padded PDF
# (bench/text_fidelity.py --keep). gen-a4-multipage's jixiao PDF (24 projects over several A4
# pages, cells of neighbouring rows lined up in one column): 476/480 (474 with 单位名称/项目名称
# cut at their own widest gap; 451 before the rows' cuts followed the table's vertical alignment;
# 407 placing each piece by position). The goal is 95 %.
FLOORS = {"seed-libreoffice.layout.txt": (GOLDEN, 118), "seed-jixiao.layout.txt": (GOLDEN, 120),
          "lo-merges-libreoffice.layout.txt": (MERGES, 240), "lo-merges-jixiao.layout.txt": (MERGES, 240),
          "gen-a4-multipage-jixiao.layout.txt": (MULTIPAGE, 476)}


def _fold(s: str) -> str:
    return "".join(s.split())


def _text_cells(p):
    yield "unit_name", p.unit_name
    yield "name", p.name
    yield "annual_goal", p.annual_goal
    yield "overall_completion", p.overall_completion
    for k in GOLDEN.layout:  # the same 2019 layout in every reference table here
        yield f"indicators.{k}.target", p.indicator(k).target
        yield f"indicators.{k}.actual", p.indicator(k).actual
    yield "problems", p.problems
    yield "rectification", p.rectification


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_layout_text_of_published_pdfs_gives_every_amount_and_most_text(name):
    reference, floor = FLOORS[name]
    text = (LAYOUT / name).read_text(encoding="utf-8")
    assert is_layout_text(text)
    result = read_text(text, source=name)  # the dispatcher sends layout text to text_grid
    got = {p.seq: p for p in result.table.projects}
    assert sorted(got) == [p.seq for p in reference.projects]
    right = 0
    for p in reference.projects:
        q = got[p.seq]
        for f in AMOUNT_FIELDS:
            assert getattr(q, f) == getattr(p, f), (p.seq, f)
        assert q.execution_rate_text == p.execution_rate_text
        assert q.gov_investment == p.gov_investment
        want = dict(_text_cells(p))
        for field, have in _text_cells(q):
            right += _fold(have) == _fold(want[field])
    assert right >= floor
    assert (result.table.year, result.table.department) == (reference.year, reference.department)


@pytest.mark.parametrize(("name", "floor"), [("lo-merges-libreoffice.layout.txt", 30),
                                             ("lo-merges-jixiao.layout.txt", 32)])
def test_a_text_cell_line_that_begins_with_a_percentage_is_not_cut_after_it(name, floor):
    """``90%，成本控制在`` on a line of a text cell is one piece of that cell (a rate glued to the
    next cell's text is cut only where the cut completes a number row): of the 35 indicator
    cells of lo-merges holding a percentage followed by text, 30 / 32 are read whole (27 / 29
    when every such piece was cut; 33 in jixiao's PDF before its text cells were padded wider)."""
    result = read_text((LAYOUT / name).read_text(encoding="utf-8"), source=name)
    got = {p.seq: p for p in result.table.projects}
    cells = [(getattr(p.indicator(k), s), getattr(got[p.seq].indicator(k), s))
             for p in MERGES.projects for k in MERGES.layout for s in ("target", "actual")]
    glued = [(want, have) for want, have in cells if re.search(r"\d%[^\s\d%]", want)]
    assert len(glued) == 35
    assert sum(_fold(want) == _fold(have) for want, have in glued) >= floor


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_cell_placed_by_position_is_never_reported_as_certain(name):
    result = read_layout_text((LAYOUT / name).read_text(encoding="utf-8"), source=name)
    for i, _ in enumerate(result.table.projects):
        for f in CELL_FIELDS:
            assert result.confidence[f"projects[{i}].{f}"] < 0.8
        assert result.confidence[f"projects[{i}].budget"] == 1.0


def test_the_plain_seed_text_is_not_taken_for_layout_text():
    assert not is_layout_text((FIXTURES / "000_68657388ac173f3b.txt").read_text(encoding="utf-8"))


def test_column_by_column_text_is_refused_not_guessed():
    text = (LAYOUT / "seed-jixiao.raw.txt").read_text(encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_text(text, source="raw")
    assert "pdftotext -layout" in e.value.message_en


def test_a_header_without_all_eighteen_text_columns_is_refused():
    text = (LAYOUT / "seed-libreoffice.layout.txt").read_text(encoding="utf-8")
    broken = text.replace("整改情况", "　　　　", 1)
    with pytest.raises(InputError) as e:
        read_layout_text(broken, source="x")
    assert "found 17" in e.value.message_en


def test_projects_that_do_not_add_up_to_the_totals_row_are_refused():
    text = (LAYOUT / "seed-jixiao.layout.txt").read_text(encoding="utf-8")
    assert "491.59" in text
    with pytest.raises(InputError) as e:
        read_layout_text(text.replace("491.59", "591.59"), source="x")
    assert "合计" in e.value.message_zh and "591.59" in e.value.message_zh


def test_page_numbers_are_not_cell_text():
    result = read_layout_text((LAYOUT / "seed-jixiao.layout.txt").read_text(encoding="utf-8"))
    assert all("1/1" not in p.indicator("quality").target for p in result.table.projects)


def test_each_page_is_read_by_the_columns_of_its_own_header():
    """pdftotext positions every page on its own: a second page set 6 characters further right
    (its repeated header too) reads as it did in place."""
    text = (LAYOUT / "lo-merges-jixiao.layout.txt").read_text(encoding="utf-8")
    first, second = text.split("\f", 1)
    assert "序号" in second and "整改" in second
    shifted = first + "\f" + "\n".join(" " * 6 + ln if ln.strip() else ln for ln in second.split("\n"))
    want, got = read_layout_text(text).table, read_layout_text(shifted).table
    assert len(got.projects) == len(want.projects) == 12
    assert got.projects == want.projects



@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_cell_placed_on_clear_evidence_is_right_and_the_others_are_named(name):
    """Confidence says what the placement knows: on these five texts every text cell given 0.7
    (its column took one stack of lines, not cut between two rows) is right; the cells given 0.4
    (made of several stacks, cut between rows, or left empty) are listed in the report."""
    reference, _ = FLOORS[name]
    result = read_layout_text((LAYOUT / name).read_text(encoding="utf-8"), source=name)
    want = {p.seq: dict(_text_cells(p)) for p in reference.projects}
    for i, p in enumerate(result.table.projects):
        got = dict(_text_cells(p))
        for f in CELL_FIELDS:
            key = f"projects[{i}].{f}"
            if result.confidence[key] == 0.7:
                assert _fold(got[f]) == _fold(want[p.seq][f]), (p.seq, f)
            else:
                assert result.confidence[key] == 0.4
                assert any(f"row {i + 1} " in line and f in line for line in result.report), (p.seq, f)


def test_a_row_with_more_side_by_side_stacks_than_columns_is_read_with_every_cell_unsure():
    """Thirty stacks of lines side by side in one row cannot be 18 cells: the row is still read
    (by position alone) and every text cell of it carries 0.4 and is named in the report."""
    lines = (LAYOUT / "seed-jixiao.layout.txt").read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "99.74%" in line)
    extra = " " * 75 + "甲乙   " * 30
    lines[at + 1:at + 1] = [extra] * 3
    result = read_layout_text("\n".join(lines), source="x")
    assert len(result.table.projects) == 6
    assert all(result.confidence[f"projects[0].{f}"] == 0.4 for f in CELL_FIELDS)
    assert any("row 1 (seq 1)" in line and "rectification" in line for line in result.report)
