"""The MoF 项目支出绩效自评表 PDF laid out by Typst, checked with real clients: poppler's
pdffonts/pdfinfo (only the CJK font, embedded, not Type 3; A4 portrait; made by Typst) and
pdfplumber, which reads every form's grid back and compares it, cell by cell, with the grid
``mof_grid.build_forms`` laid out (the same grid the XLSX and the WeasyPrint PDF print)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from jixiao.core import money, scoring
from jixiao.errors import InputError, OutputError
from jixiao.formats import mof_grid, mof_typst, pdf_typst
from jixiao.formats.export import export
from jixiao.formats.mof_typst import render_mof_typst_pdf_bytes, write_mof_pdf_typst
from jixiao.generate import generate_table

from .pdf_checks import HOSTILE, LONG_LATIN, run, same

A4_PORTRAIT = (595.28, 841.89)
INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施"]
BOTTOM_MARGIN_PT = 16 * 72 / 25.4


@pytest.fixture(scope="module")
def seed():
    from jixiao.formats import table_json
    from tests.conftest import GOLDEN

    return table_json.load(GOLDEN)


@pytest.fixture(scope="module")
def seed_pdf(seed, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("moftypst") / "seed-mof.pdf"
    write_mof_pdf_typst(seed, path)
    return path


@pytest.fixture(scope="module")
def generated():
    return generate_table(projects=40, seed=7)


@pytest.fixture(scope="module")
def generated_pdf(generated, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("moftypst") / "generated-mof.pdf"
    write_mof_pdf_typst(generated, path)
    return path


def _flat(text: str | None) -> str:
    return "".join((text or "").split("\n"))


def _pages_per_form(path: Path) -> list[list]:
    """Each form's pages: a form starts on a page whose first line is the title; a
    continuation page starts with the repeated 绩效指标 header."""
    with pdfplumber.open(path) as pdf:
        forms: list[list] = []
        for page in pdf.pages:
            first = (page.extract_text() or "").splitlines()[0]
            if first == mof_grid.FORM_TITLE:
                forms.append([page])
            else:
                assert forms, "the document does not start with a form title"
                forms[-1].append(page)
        return [[(p.extract_text() or "", p.extract_tables()) for p in pages] for pages in forms]


def _grid(pages) -> list[list[str | None]]:
    """A form's grid read back: its tables' rows page after page, the repeated header of a
    continuation page left out (and checked to be there)."""
    rows: list[list[str | None]] = []
    for number, (_, tables) in enumerate(pages):
        if not tables and number and number == len(pages) - 1:
            continue  # the form's last page may hold only its notes (说明, 评分规则)
        assert len(tables) == 1, f"page {number + 1} of the form: {len(tables)} tables"
        page_rows = tables[0]
        if number:
            assert [_flat(c) for c in page_rows[0]] == INDICATOR_HEADER
            page_rows = page_rows[1:]
        rows += page_rows
    return rows


def _assert_form_reads_back(form: mof_grid.MofForm, pages) -> None:
    """Every cell of the form at its place, with its text; no text in the merged area of a
    spanning cell (pdfplumber gives None there, or "" where a spanning cell continues on a
    new page)."""
    grid = _grid(pages)
    assert len(grid) == form.n_rows, (form.project.name, len(grid), form.n_rows)
    covered = set()
    for cell in form.cells:
        expected = mof_grid.clean_text(mof_grid.display_text(cell))
        got = grid[cell.row][cell.col]
        assert got is not None and same(got, expected), (form.project.name, cell, got)
        covered |= {(r, c) for r in range(cell.row, cell.row + cell.rowspan)
                    for c in range(cell.col, cell.col + cell.colspan)} - {(cell.row, cell.col)}
    for r, c in covered:
        assert not grid[r][c], (form.project.name, r, c, grid[r][c])
    text = "".join(_flat(t) for t, _ in pages)
    assert form.subtitle in text
    for note in form.notes:  # the footnote, after the table
        assert re.sub(r"\s", "", note) in re.sub(r"\s", "", text), note


# --- fonts and pages --------------------------------------------------------------------------

def test_only_the_cjk_font_embedded_none_type3(seed_pdf):
    lines = run("pdffonts", str(seed_pdf)).splitlines()[2:]
    assert lines
    for line in lines:
        assert "Type 3" not in line, line
        emb, sub, uni = line.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line
        assert "NotoSansCJKsc" in line.split()[0], line  # nothing from Typst's bundled fonts
    names = " ".join(line.split()[0] for line in lines)
    assert "Regular" in names and "Bold" in names  # labels and headers are bold


@pytest.mark.slow
def test_a4_portrait_made_by_typst_with_page_numbers(seed_pdf):
    info = run("pdfinfo", str(seed_pdf))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert (float(size.group(1)), float(size.group(2))) == pytest.approx(A4_PORTRAIT, abs=1)
    assert "Typst" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    with pdfplumber.open(seed_pdf) as pdf:
        footers = [(p.extract_text() or "").splitlines()[-1].strip() for p in pdf.pages]
    assert footers == [f"{i} / {pages}" for i in range(1, pages + 1)]


# --- the seed, form by form -------------------------------------------------------------------

@pytest.mark.slow
def test_one_form_per_project_each_starting_a_page(seed, seed_pdf):
    forms = _pages_per_form(seed_pdf)
    assert len(forms) == len(seed.projects)
    for project, pages in zip(seed.projects, forms):
        assert project.name in _flat(pages[0][0])


@pytest.mark.slow
def test_seed_forms_read_back_cell_by_cell(seed, seed_pdf):
    forms = mof_grid.build_forms(seed)
    for form, pages in zip(forms, _pages_per_form(seed_pdf)):
        _assert_form_reads_back(form, pages)


@pytest.mark.slow
def test_seed_key_figures_are_the_scores(seed, seed_pdf):
    """The figures a reader looks for, from the table and the scoring engine (not from the
    grid the other test compares with): 项目资金, 执行率, every 三级 target, actual and score,
    总分 and 评价等级."""
    scores = scoring.score_table(seed)
    for project, score, pages in zip(seed.projects, scores, _pages_per_form(seed_pdf)):
        rows = [[_flat(c) if c is not None else None for c in row] for row in _grid(pages)]
        funds = next(r for r in rows if r[1] == "年度资金总额")
        assert funds[3:] == [money.format_amount(project.budget), money.format_amount(project.actual_total),
                             money.format_amount(score.execution.weight),
                             money.format_rate(project.execution_rate),
                             money.format_amount(score.execution.score)]
        head = rows.index(INDICATOR_HEADER)
        total = next(i for i, r in enumerate(rows) if r[0] == "总分")
        items = [i for cat in score.categories for ind in cat.indicators for i in ind.items]
        body = [r for r in rows[head + 1:total] if r[2] not in (None, "（未设置指标）")]
        assert len(body) == len(items), project.name
        for row, item in zip(body, items):
            name, value = mof_grid.split_target(item.target)
            assert row[2:7] == [re.sub(r"\n", "", name), value, mof_grid.clean_text(item.actual) or "—",
                                money.format_amount(item.weight), money.format_amount(item.score)]
        assert rows[total][5:7] == [money.format_amount(sum(
            (c.weight for c in score.categories), Decimal(score.execution.weight))),
            money.format_amount(score.total)]
        assert rows[total + 1][0] == "评价等级" and rows[total + 1][5] == score.grade


@pytest.mark.slow
def test_a_continued_form_repeats_the_header_and_keeps_categories_whole(seed, seed_pdf):
    forms = mof_grid.build_forms(seed)
    continued = 0
    for form, pages in zip(forms, _pages_per_form(seed_pdf)):
        for _, tables in pages[1:]:
            continued += 1
            first = tables[0][1]  # the row under the repeated header
            labels = {mof_grid.clean_text(c.value) for c in form.cells if c.col == 0 and c.role == "label"}
            assert _flat(first[0]) in labels, first  # a 一级 category (or 总分) starts here, whole
    assert continued, "the seed has a form on two pages (project 3); none was found"


# --- generated tables ---------------------------------------------------------------------------

@pytest.mark.slow
def test_generated_forms_read_back_cell_by_cell(generated, generated_pdf):
    forms = mof_grid.build_forms(generated)
    read = _pages_per_form(generated_pdf)
    assert len(read) == len(forms) == 40
    for form, pages in zip(forms, read):
        _assert_form_reads_back(form, pages)


@pytest.mark.slow
def test_generated_table_in_yuan(tmp_path):
    from jixiao.core.money import MoneyUnit

    table = replace(generate_table(projects=5, seed=11), money_unit=MoneyUnit.YUAN)
    path = tmp_path / "yuan.pdf"
    write_mof_pdf_typst(table, path)
    forms = mof_grid.build_forms(table)
    read = _pages_per_form(path)
    for form, pages in zip(forms, read):
        _assert_form_reads_back(form, pages)
        assert _flat(_grid(pages)[2][0]) == "项目资金（元）"


@pytest.mark.slow
def test_overrides_print_the_stored_scores_merged_and_noted(seed, tmp_path):
    """An indicator override merges its 分值/得分 over the 二级 cell's rows (a spanning number
    cell) and an override of 总分 goes to the footnote; both read back in place."""
    from jixiao.core.model import ScoreOverride

    p = replace(seed.projects[2], overrides=[
        ScoreOverride(item="quantity", score=Decimal("10.00"), reason="活动记录不全#*", by="张三", at="2020-03-01"),
        ScoreOverride(item="total", score=Decimal("88.00"), reason="复核 $x$", by="李四", at="2020-03-02")])
    table = replace(seed, projects=[p])
    path = tmp_path / "override.pdf"
    write_mof_pdf_typst(table, path)
    form = mof_grid.build_forms(table)[0]
    assert any(c.role == "score" and c.rowspan > 1 for c in form.cells)
    pages = _pages_per_form(path)[0]
    _assert_form_reads_back(form, pages)
    rows = [[_flat(c) if c is not None else None for c in r] for r in _grid(pages)]
    assert next(r for r in rows if r[0] == "总分")[6] == "88.00"
    assert "活动记录不全#*" in next(r for r in rows if r[1] == "数量指标")[7]


# --- text that means something to Typst -----------------------------------------------------------

@pytest.mark.slow
def test_typst_markup_in_every_text_prints_as_itself(seed, tmp_path):
    projects = []
    for i, p in enumerate(seed.projects):
        evil = HOSTILE[i % len(HOSTILE)]
        projects.append(replace(p, name=evil + "项目", unit_name=HOSTILE[(i + 1) % len(HOSTILE)],
                                annual_goal=p.annual_goal + evil, overall_completion=evil,
                                problems="问题" + evil, rectification=LONG_LATIN if i == 2 else evil))
    table = replace(seed, department="#strong[部门] $1$ \\ // <a> @b", projects=projects)
    path = tmp_path / "hostile.pdf"
    write_mof_pdf_typst(table, path)
    info = run("pdfinfo", str(path))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert float(size.group(1)) == pytest.approx(A4_PORTRAIT[0], abs=1)  # "#set page" not run
    forms = mof_grid.build_forms(table)
    for form, pages in zip(forms, _pages_per_form(path)):
        _assert_form_reads_back(form, pages)
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:  # the long URL wrapped inside its column, nothing off the paper
            assert all(0 <= c["x0"] and c["x1"] <= page.width for c in page.chars)


@pytest.mark.slow
def test_every_special_character_alone(seed, tmp_path):
    special = "# * $ [ ] // _ @ < > \\ ` ~ = + -"
    project = replace(seed.projects[0], name=special, unit_name="\\", overall_completion="*粗*_斜_")
    path = tmp_path / "special.pdf"
    write_mof_pdf_typst(replace(seed, projects=[project]), path)
    rows = _grid(_pages_per_form(path)[0])
    assert rows[0][2] == special
    assert rows[1][7] == "\\"
    assert _flat(rows[8][5]) == "*粗*_斜_"


@pytest.mark.slow
def test_a_long_latin_run_wraps_inside_its_column(seed, tmp_path):
    project = replace(seed.projects[0], overall_completion=LONG_LATIN)
    path = tmp_path / "latin.pdf"
    write_mof_pdf_typst(replace(seed, projects=[project]), path)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if c["text"] in LONG_LATIN and c["x0"] > page.width / 2]
        right = max(e["x1"] for e in page.edges if e["orientation"] == "v")
    assert len({round(c["top"]) for c in chars}) > 2  # several lines
    assert all(c["x1"] <= right for c in chars)
    rows = _grid(_pages_per_form(path)[0])
    assert same(rows[8][5], LONG_LATIN)


# --- forms taller than a page -------------------------------------------------------------------

def _nothing_in_the_bottom_margin(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            low = "".join(c["text"] for c in page.chars if c["bottom"] > page.height - BOTTOM_MARGIN_PT + 2)
            assert set(low) <= set("0123456789/ "), low  # only the page number


@pytest.mark.slow
def test_a_cell_taller_than_a_page_flows_on_without_loss(seed, tmp_path):
    p = seed.projects[2]
    sentence = "以“巩固、创新、提质、增效”为主线，扎实推进非公党建工作。"
    path = tmp_path / "tall.pdf"
    write_mof_pdf_typst(replace(seed, projects=[replace(p, annual_goal=sentence * 100)]), path)
    _nothing_in_the_bottom_margin(path)
    pages = _pages_per_form(path)
    assert len(pages) == 1 and len(pages[0]) >= 3  # one form, continued
    assert "评价等级" in _flat(pages[0][-1][0])
    with pdfplumber.open(path) as pdf:
        # The 预期目标 cell's columns (1-4), read page by page above the page number (its
        # neighbour, vertically centred in the same row, would interleave in the page's text).
        head = next(w for w in pdf.pages[0].extract_words() if w["text"] == "预期目标")
        cell = next(c for c in pdf.pages[0].find_tables()[0].cells
                    if c[0] < head["x0"] < c[2] and c[1] < head["top"] < c[3])
        text = "".join(_flat(p.crop((cell[0], 0, cell[2], p.height - BOTTOM_MARGIN_PT)).extract_text())
                       for p in pdf.pages)
    assert text.count(sentence) == 100


@pytest.mark.slow
def test_a_category_taller_than_a_page_breaks_between_its_rows(seed, tmp_path):
    """A 一级 category is kept whole on a page when it fits; one taller than a page cannot be,
    and must break between rows rather than run off the paper."""
    p = seed.projects[2]
    long_actual = "每季度按规定标准发放党务干部补贴，累计发放补贴人数达325人。" * 6
    indicators = {kind: replace(cell, actual=long_actual) if kind in ("quantity", "quality", "timeliness")
                  else cell for kind, cell in p.indicators.items()}
    table = replace(seed, projects=[replace(p, indicators=indicators)])
    path = tmp_path / "tall-category.pdf"
    write_mof_pdf_typst(table, path)
    _nothing_in_the_bottom_margin(path)
    form = mof_grid.build_forms(table)[0]
    pages = _pages_per_form(path)[0]
    _assert_form_reads_back(form, pages)
    # 产出指标 starts on the first page and goes on on the second: it was broken, not moved.
    first, second = pages[0][1][0], pages[1][1][0]
    assert any(_flat(r[0]) == "产出指标" for r in first)
    assert _flat(second[1][0]) == "" and _flat(second[1][1]) in ("质量指标", "时效指标", "")


# --- errors, engine choice ----------------------------------------------------------------------

def test_zero_projects_writes_nothing(seed, tmp_path):
    with pytest.raises(InputError) as err:
        write_mof_pdf_typst(replace(seed, projects=[]), tmp_path / "x.pdf")
    assert err.value.message_zh and err.value.message_en
    assert list(tmp_path.iterdir()) == []


def test_a_typst_error_is_a_clear_error_and_no_file(monkeypatch, seed, tmp_path):
    monkeypatch.setattr(mof_typst, "template", lambda: "#let x = (")
    with pytest.raises(OutputError) as err:
        write_mof_pdf_typst(seed, tmp_path / "x.pdf")
    assert err.value.message_zh == "PDF 排版失败" and "typst" in err.value.message_en
    assert list(tmp_path.iterdir()) == []


def test_a_font_typst_cannot_find_is_an_error(monkeypatch, seed, tmp_path):
    real = pdf_typst._font_setup
    monkeypatch.setattr(pdf_typst, "_font_setup", lambda: pdf_typst._Fonts(real().folder, "No Such Family"))
    with pytest.raises(OutputError) as err:
        write_mof_pdf_typst(seed, tmp_path / "x.pdf")
    assert "font" in err.value.message_en
    assert list(tmp_path.iterdir()) == []


def test_config_reaches_the_scores(seed):
    data = mof_typst.document_data(seed, {"execution_weight": 20})
    funds = next(c for c in data["forms"][0]["head"] if c[5] == "年度资金总额")
    row = [c[5] for c in data["forms"][0]["head"] if c[0] == funds[0]]
    assert row[4] == "20.00"
    assert render_mof_typst_pdf_bytes(seed, {"execution_weight": 20}).startswith(b"%PDF-")


def test_typst_is_the_default_engine_of_the_mof_form(seed, tmp_path):
    path = export(seed, tmp_path / "m.pdf", layout="mof-form")
    assert "Typst" in run("pdfinfo", str(path))


@pytest.mark.slow
def test_weasyprint_engine_still_selectable(seed, tmp_path):
    path = export(seed, tmp_path / "w.pdf", layout="mof-form", pdf_engine="weasyprint")
    info = run("pdfinfo", str(path))
    assert "WeasyPrint" in info and "Typst" not in info
    with pdfplumber.open(path) as pdf:
        first = [(p.extract_text() or "").splitlines()[0] for p in pdf.pages]
    assert first.count(mof_grid.FORM_TITLE) == len(seed.projects)


@pytest.mark.slow
def test_cli_pdf_engine_with_the_mof_form(tmp_path, golden_path):
    def export(*args):
        return subprocess.run([sys.executable, "-m", "jixiao.cli", "export", str(golden_path),
                               "--layout", "mof-form", *args], capture_output=True, text=True, timeout=300)

    done = export("-o", str(tmp_path / "t.pdf"))
    assert done.returncode == 0, done.stderr
    assert "Typst" in run("pdfinfo", str(tmp_path / "t.pdf"))
    done = export("-o", str(tmp_path / "w.pdf"), "--pdf-engine", "weasyprint")
    assert done.returncode == 0, done.stderr
    assert "WeasyPrint" in run("pdfinfo", str(tmp_path / "w.pdf"))
    bad = export("-o", str(tmp_path / "x.pdf"), "--pdf-engine", "latex")
    assert bad.returncode != 0 and "unknown PDF engine" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.pdf").exists()
