"""The disclosure PDF, checked with real clients: poppler's pdffonts/pdfinfo (is the CJK font
embedded? A3 landscape? PDF/A?) and pdfplumber (read the table back cell by cell).

Text extraction alone cannot tell whether a font is embedded: a PDF without the font still
extracts correct Chinese but prints boxes, hence pdffonts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from jixiao.errors import InputError, OutputError
from jixiao.formats import headers, pdf_render
from jixiao.formats.pdf_render import (
    find_cjk_font, harfbuzz_subset_available, render_pdf_bytes, write_disclosure_pdf,
)
from jixiao.generate import generate_table

A3_LANDSCAPE = (1190.55, 841.89)  # points
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _run(*cmd: str) -> str:
    assert shutil.which(cmd[0]), f"{cmd[0]} is needed (Debian package poppler-utils)"
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def _fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table as dicts (name, type, emb, …)."""
    lines = _run("pdffonts", str(pdf)).splitlines()
    rows = []
    for line in lines[2:]:
        parts = line.split()
        # name type... encoding emb sub uni objectID gen: read the fixed tail from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def _body_rows(pdf: Path) -> tuple[list[list[str]], list[list[list[str]]]]:
    """Body rows (first cell a number) of the ruled table on every page, and each page's rows."""
    body, pages = [], []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            rows = [[c or "" for c in row]
                    for t in page.find_tables(LINES) for row in t.extract()]
            pages.append(rows)
            body += [r for r in rows if r[0].strip().isdigit()]
    return body, pages


def _same(extracted: str, expected: str) -> bool:
    """Wrapped lines joined without spaces (CJK has none between characters); whitespace is
    ignored only where the input itself has some."""
    joined = "".join(extracted.split("\n"))
    if not re.search(r"\s", expected):
        return re.sub(r"\s", "", joined) == expected
    return re.sub(r"\s", "", joined) == re.sub(r"\s", "", expected)


def _assert_rows_equal(rows: list[list[str]], table) -> None:
    columns = headers.body_columns(table)
    assert len(rows) == len(table.projects)
    for row, project in zip(rows, table.projects):
        assert len(row) == len(columns)
        for cell, column in zip(row, columns):
            expected = headers.column_text(project, column)
            assert _same(cell, expected), (project.seq, column.key, cell, expected)


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    from jixiao.formats import table_json
    from tests.conftest import GOLDEN

    path = tmp_path_factory.mktemp("pdf") / "seed.pdf"
    write_disclosure_pdf(table_json.load(GOLDEN), path)
    return path


@pytest.fixture(scope="module")
def big_table():
    return generate_table(projects=60, seed=3)


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory, big_table) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "big.pdf"
    write_disclosure_pdf(big_table, path)
    return path


def test_cjk_font_is_embedded(seed_pdf):
    fonts = _fonts(seed_pdf)
    assert fonts, "no fonts in the PDF"
    assert all(f["emb"] == "yes" for f in fonts), fonts
    names = [f["name"].split("+")[-1] for f in fonts]
    assert "Noto-Sans-CJK-SC" in names, names  # the Simplified Chinese face, by fontconfig
    assert "Noto-Sans-CJK-SC-Bold" in names, names  # the header uses the real bold face
    assert all(f["uni"] == "yes" for f in fonts)  # ToUnicode maps: text stays extractable


def test_a3_landscape_one_page_with_page_number(seed_pdf):
    info = _run("pdfinfo", str(seed_pdf))
    assert re.search(r"Pages:\s+1\b", info)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert (float(size.group(1)), float(size.group(2))) == pytest.approx(A3_LANDSCAPE, abs=1)
    with pdfplumber.open(seed_pdf) as doc:
        text = doc.pages[0].extract_text()
    assert "1 / 1" in text.splitlines()[-1]


def test_heading_lines_are_printed(seed_pdf):
    with pdfplumber.open(seed_pdf) as doc:
        lines = doc.pages[0].extract_text().splitlines()
    assert lines[0] == "附件2-3："
    assert lines[1] == "2019年度区工商联部门预算项目绩效自评情况公开表"
    assert re.fullmatch(r"部门名称（盖章）：\s*深圳市龙岗区工商业联合会\s*单位：万元", lines[2])


def test_seed_reads_back_cell_by_cell(seed_pdf, seed_table):
    rows, pages = _body_rows(seed_pdf)
    _assert_rows_equal(rows, seed_table)
    totals = next(r for r in pages[0] if r[0] == "合计")
    text = headers.totals_text(seed_table)
    columns = headers.body_columns(seed_table)
    assert [t for t in totals[4:10]] == [text[c.key] for c in columns[4:10]]


def test_header_cells_are_printed_as_in_the_seed(seed_pdf, seed_table):
    _, pages = _body_rows(seed_pdf)
    header_rows = pages[0][:next(i for i, r in enumerate(pages[0]) if r[0].strip().isdigit())]
    printed = {"".join(c.split("\n")) for row in header_rows for c in row if c}
    for h in headers.header_cells(seed_table):
        assert h.text in printed, h.text


def test_sixty_projects_span_pages_with_the_header_on_each(big_pdf, big_table):
    rows, pages = _body_rows(big_pdf)
    assert len(pages) >= 3
    for number, page_rows in enumerate(pages, start=1):
        flat = {"".join(c.split("\n")) for row in page_rows for c in row}
        assert {"实际支出金额", "数量指标", "年度指标内容", "整改情况"} <= flat, number
    with pdfplumber.open(big_pdf) as doc:
        footers = [p.extract_text().splitlines()[-1].strip() for p in doc.pages]
    assert footers == [f"{i} / {len(pages)}" for i in range(1, len(pages) + 1)]
    _assert_rows_equal(rows, big_table)  # every project once, in order, every cell equal


def test_a_row_taller_than_a_page_splits_and_stays_on_the_paper(tmp_path, seed_table):
    end = "（目标结束）"
    huge = replace(seed_table.projects[1], annual_goal="年初绩效目标很长的一句话，" * 350 + end)
    table = replace(seed_table, projects=[seed_table.projects[0], huge, seed_table.projects[2]])
    path = tmp_path / "tall.pdf"
    write_disclosure_pdf(table, path)
    with pdfplumber.open(path) as doc:
        assert len(doc.pages) >= 2
        for page in doc.pages:  # nothing runs off the page (a kept-whole row would)
            assert all(0 <= ch["top"] and ch["bottom"] <= page.height for ch in page.chars)
    rows, pages = _body_rows(path)
    goal = headers.body_columns(table).index(
        next(c for c in headers.body_columns(table) if c.key == "annual_goal"))
    # The split row's goal cell, read in page order, is the whole text.
    parts = [row[goal] for page in pages for row in page if "很长的一句话" in row[goal]]
    assert len(parts) >= 2
    assert _same("".join(parts), huge.annual_goal)
    assert [r[2].replace("\n", "") for r in rows] == ["办公设备购置", huge.name, "党建事务"]


def test_pdfa_2b_metadata(tmp_path, seed_table):
    path = tmp_path / "a.pdf"
    write_disclosure_pdf(seed_table, path, pdfa=True)
    meta = _run("pdfinfo", "-meta", str(path))
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="B"' in meta
    assert all(f["emb"] == "yes" for f in _fonts(path))


def test_harfbuzz_subsetting_is_available():
    # Without libharfbuzz-subset0 WeasyPrint falls back to fontTools, ~20x slower on CJK fonts.
    assert harfbuzz_subset_available(), "install the Debian package libharfbuzz-subset0"


def test_rendering_loads_no_external_resource(tmp_path):
    secret = tmp_path / "pixel.png"
    import base64
    secret.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="))
    html = (f'<html lang="zh-CN"><body><p>中文</p><img src="{secret.as_uri()}">'
            f'<div style="background: url({secret.as_uri()})">x</div></body></html>')
    data = render_pdf_bytes(html)
    assert b"/Image" not in data
    control = render_pdf_bytes('<html><body><img src="data:image/png;base64,'
                               'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAF'
                               'BQIAX8jx0gAAAABJRU5ErkJggg=="></body></html>')
    assert b"/Image" in control  # the check above can fail: inline images do render


def test_zero_projects_writes_nothing(tmp_path, seed_table):
    path = tmp_path / "empty.pdf"
    with pytest.raises(InputError):
        write_disclosure_pdf(replace(seed_table, projects=[]), path)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_path_is_an_output_error(tmp_path, seed_table):
    with pytest.raises(OutputError) as err:
        write_disclosure_pdf(seed_table, tmp_path / "no" / "such" / "dir" / "x.pdf")
    assert err.value.message_zh and err.value.message_en


class TestFontLookup:
    @pytest.fixture(autouse=True)
    def _fresh_cache(self, monkeypatch):
        monkeypatch.delenv(pdf_render.FONT_ENV, raising=False)
        pdf_render.clear_font_cache()
        yield
        pdf_render.clear_font_cache()

    def test_finds_a_debian_cjk_font(self):
        path = find_cjk_font()
        assert path.is_file()
        assert any(name in path.name.lower() for name in ("notosanscjk", "wqy"))

    def test_missing_font_names_the_package_to_install(self, monkeypatch, tmp_path):
        # fontconfig answers every query with some font (here: a Latin one) …
        monkeypatch.setattr(pdf_render, "_fc_match",
                            lambda pattern: (Path("/usr/share/fonts/x/DejaVuSans.ttf"), "DejaVu Sans"))
        # … and the known Debian paths do not exist.
        monkeypatch.setattr(pdf_render, "_CANDIDATES", tuple(
            (family, package, (str(tmp_path / "missing.ttc"),))
            for family, package, _ in pdf_render._CANDIDATES))
        with pytest.raises(OutputError) as err:
            find_cjk_font()
        assert "fonts-noto-cjk" in err.value.message_zh and "fonts-noto-cjk" in err.value.message_en
        with pytest.raises(OutputError):
            render_pdf_bytes("<p>中文</p>")

    def test_environment_variable_chooses_the_font(self, monkeypatch, tmp_path, seed_table):
        wqy = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
        if not wqy.is_file():
            pytest.skip("fonts-wqy-microhei not installed")
        monkeypatch.setenv(pdf_render.FONT_ENV, str(wqy))
        assert find_cjk_font() == wqy
        path = tmp_path / "wqy.pdf"
        write_disclosure_pdf(seed_table, path)
        fonts = _fonts(path)
        assert all(f["emb"] == "yes" for f in fonts)
        # declared with @font-face under jixiao's family name: the file itself is embedded
        assert {f["name"].split("+")[-1] for f in fonts} <= {
            pdf_render.PDF_FONT_FAMILY, pdf_render.PDF_FONT_FAMILY + "-Bold"}

    def test_environment_variable_naming_no_file_is_an_error(self, monkeypatch, tmp_path):
        monkeypatch.setenv(pdf_render.FONT_ENV, str(tmp_path / "nope.ttf"))
        with pytest.raises(OutputError) as err:
            find_cjk_font()
        assert pdf_render.FONT_ENV in err.value.message_en


def test_a_run_leaves_no_font_copies_behind(tmp_path):
    # WeasyPrint copies the 20 MB CJK font into a temporary folder per font configuration;
    # the process must remove it on exit (TMPDIR isolates this run's folder).
    import os
    import sys

    code = ("from jixiao.formats.pdf_render import render_pdf_bytes\n"
            "assert render_pdf_bytes('<html lang=\"zh-CN\"><p>中文</p></html>').startswith(b'%PDF')\n")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert list(tmp_path.glob("weasyprint-*")) == []
