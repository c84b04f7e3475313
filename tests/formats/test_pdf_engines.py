"""What every PDF engine's disclosure table must be, checked the same way for WeasyPrint and
Typst with real clients: poppler's pdfinfo (A3 landscape, page numbers, PDF/A-2b), pdfplumber
(the heading lines, the header on every page, the table read back cell by cell) and the
writer's refusals. What only one engine does is tested in test_pdf_render.py (WeasyPrint) and
test_pdf_typst.py (Typst)."""

from __future__ import annotations

import re
from dataclasses import replace

import pdfplumber
import pytest

from jixiao.errors import InputError, OutputError
from jixiao.formats import headers

from .pdf_checks import A3_LANDSCAPE, WRITERS, assert_rows_equal, body_rows, run, same

# Every test renders with a real engine and reads the PDF back: 2–100 s each on 2 cores.
pytestmark = pytest.mark.slow


@pytest.fixture(params=sorted(WRITERS))
def engine(request):
    return request.param


@pytest.fixture
def seed_pdf(engine, engine_pdf):
    return engine_pdf(engine, "seed")


def test_a3_landscape_one_page_with_page_number(seed_pdf):
    info = run("pdfinfo", str(seed_pdf))
    assert re.search(r"Pages:\s+1\b", info)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert (float(size.group(1)), float(size.group(2))) == pytest.approx(A3_LANDSCAPE, abs=1)
    with pdfplumber.open(seed_pdf) as doc:
        text = doc.pages[0].extract_text()
    assert text.splitlines()[-1].strip() == "1 / 1"


def test_the_engine_asked_for_made_the_pdf(engine, seed_pdf):
    creator = {"weasyprint": "WeasyPrint", "typst": "Typst"}[engine]
    assert creator in run("pdfinfo", str(seed_pdf))


def test_heading_lines_are_printed(seed_pdf):
    with pdfplumber.open(seed_pdf) as doc:
        lines = doc.pages[0].extract_text().splitlines()
    assert lines[0] == "附件2-3："
    assert lines[1] == "2019年度区工商联部门预算项目绩效自评情况公开表"
    assert re.fullmatch(r"部门名称（盖章）：\s*深圳市龙岗区工商业联合会\s*单位：万元", lines[2])


def test_seed_reads_back_cell_by_cell(seed_pdf, seed_table):
    rows, pages = body_rows(seed_pdf)
    assert_rows_equal(rows, seed_table)
    totals = next(r for r in pages[0] if r[0] == "合计")
    text = headers.totals_text(seed_table)
    columns = headers.body_columns(seed_table)
    assert totals[4:10] == [text[c.key] for c in columns[4:10]]


def test_header_cells_are_printed_as_in_the_seed(seed_pdf, seed_table):
    _, pages = body_rows(seed_pdf)
    header_rows = pages[0][:next(i for i, r in enumerate(pages[0]) if r[0].strip().isdigit())]
    printed = {"".join(c.split("\n")) for row in header_rows for c in row if c}
    for h in headers.header_cells(seed_table):
        assert h.text in printed, h.text


def test_many_projects_span_pages_with_the_header_on_each(engine, engine_pdf, big_tables):
    big_pdf, big_table = engine_pdf(engine, "big"), big_tables[engine]
    rows, pages = body_rows(big_pdf)
    assert len(pages) >= len(big_table.projects) // 30  # 60 projects: 3 pages and more; 300: 10
    for number, page_rows in enumerate(pages, start=1):
        flat = {"".join(c.split("\n")) for row in page_rows for c in row}
        assert {"实际支出金额", "其中：财政拨款", "数量指标", "年度指标内容", "整改情况"} <= flat, number
    with pdfplumber.open(big_pdf) as doc:
        footers = [p.extract_text().splitlines()[-1].strip() for p in doc.pages]
    assert footers == [f"{i} / {len(pages)}" for i in range(1, len(pages) + 1)]
    assert_rows_equal(rows, big_table)  # every project once, in order, every cell equal


def test_a_row_taller_than_a_page_splits_and_stays_on_the_paper(engine, tmp_path, seed_table):
    end = "（目标结束）"
    huge = replace(seed_table.projects[1], annual_goal="年初绩效目标很长的一句话，" * 350 + end)
    table = replace(seed_table, projects=[seed_table.projects[0], huge, seed_table.projects[2]])
    path = tmp_path / "tall.pdf"
    WRITERS[engine](table, path)
    with pdfplumber.open(path) as doc:
        assert len(doc.pages) >= 2
        for page in doc.pages:  # nothing runs off the page (a kept-whole row would)
            assert all(0 <= ch["top"] and ch["bottom"] <= page.height for ch in page.chars)
    rows, pages = body_rows(path)
    goal = next(i for i, c in enumerate(headers.body_columns(table)) if c.key == "annual_goal")
    # The split row's goal cell, read in page order, is the whole text.
    parts = [row[goal] for page in pages for row in page if "很长的一句话" in row[goal]]
    assert len(parts) >= 2
    assert same("".join(parts), huge.annual_goal)
    assert [r[2].replace("\n", "") for r in rows] == ["办公设备购置", huge.name, "党建事务"]


def test_pdfa_2b(engine, tmp_path, seed_table):
    path = tmp_path / "a.pdf"
    WRITERS[engine](seed_table, path, pdfa=True)
    meta = run("pdfinfo", "-meta", str(path))
    assert re.search(r"pdfaid:part(>|=\")2", meta) and re.search(r"pdfaid:conformance(>|=\")B", meta)
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # every font embedded


def test_zero_projects_writes_nothing(engine, tmp_path, seed_table):
    path = tmp_path / "empty.pdf"
    with pytest.raises(InputError) as err:
        WRITERS[engine](replace(seed_table, projects=[]), path)
    assert err.value.message_zh and err.value.message_en
    assert list(tmp_path.iterdir()) == []


def test_unwritable_path_is_an_output_error(engine, tmp_path, seed_table):
    with pytest.raises(OutputError) as err:
        WRITERS[engine](seed_table, tmp_path / "no" / "such" / "dir" / "x.pdf")
    assert err.value.message_zh and err.value.message_en
