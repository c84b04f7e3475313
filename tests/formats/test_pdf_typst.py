"""The disclosure PDF laid out by Typst (what every engine must do is in test_pdf_engines.py),
checked with real clients: poppler's pdffonts/pdfinfo (the CJK font embedded, not Type 3),
pdfplumber (Typst markup in cells prints as itself, long runs wrap inside their column, rows
that fit are never split) and jixiao's own PDF importer (an equal table)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from jixiao.errors import InputError, OutputError
from jixiao.formats import headers, pdf_render, pdf_typst
from jixiao.formats.export import DEFAULT_PDF_ENGINE, export
from jixiao.formats.importer import import_file
from jixiao.formats.pdf_typst import render_typst_pdf_bytes, write_disclosure_pdf_typst
from jixiao.generate import generate_table

from .cells import compare
from .pdf_checks import HOSTILE, LONG_CJK, LONG_LATIN, assert_rows_equal, body_rows, run


@pytest.fixture
def seed_pdf(engine_pdf) -> Path:
    return engine_pdf("typst", "seed")


@pytest.fixture
def big_table(big_tables):
    return big_tables["typst"]


@pytest.fixture
def big_pdf(engine_pdf) -> Path:
    return engine_pdf("typst", "big")


def _fonts(pdf: Path) -> list[str]:
    """pdffonts' rows (the whole line: the type column holds spaces, e.g. "CID Type 0C")."""
    return run("pdffonts", str(pdf)).splitlines()[2:]


@pytest.fixture(scope="module")
def hostile_table():
    table = generate_table(projects=8, seed=5)
    projects = []
    for i, p in enumerate(table.projects):
        evil = HOSTILE[i % len(HOSTILE)]
        projects.append(replace(
            p, name=evil, unit_name=HOSTILE[(i + 1) % len(HOSTILE)], problems=evil,
            rectification=LONG_LATIN if i == 2 else evil,
            annual_goal=LONG_CJK if i == 1 else p.annual_goal + evil))
    return replace(table, department="#strong[部门] $1$", projects=projects)


def test_cjk_font_is_embedded_and_nothing_else(seed_pdf):
    fonts = _fonts(seed_pdf)
    assert fonts, "no fonts in the PDF"
    for line in fonts:
        assert "Type 3" not in line, line  # glyph procedures, not a font (Chromium's failure)
        name, emb, sub, uni = line.split()[0], *line.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line  # embedded subset, ToUnicode map
        assert "NotoSansCJKsc" in name, line  # no Latin fallback font from Typst's own set
    names = {line.split()[0].split("+")[-1] for line in fonts}
    assert any("Regular" in n for n in names) and any("Bold" in n for n in names), names


@pytest.mark.slow
def test_hostile_text_prints_as_itself(tmp_path, hostile_table):
    path = tmp_path / "hostile.pdf"
    write_disclosure_pdf_typst(hostile_table, path)
    assert re.search(r"Page size:\s+1190", run("pdfinfo", str(path)))  # "#set page" not run
    rows, _ = body_rows(path)
    assert_rows_equal(rows, hostile_table)
    with pdfplumber.open(path) as doc:
        assert "#strong[部门] $1$" in doc.pages[0].extract_text()
        for page in doc.pages:  # the unbroken runs wrapped inside their columns
            assert all(0 <= ch["x0"] and ch["x1"] <= page.width for ch in page.chars)


def test_unbroken_latin_run_wraps_inside_its_column(tmp_path, seed_table):
    project = replace(seed_table.projects[0], rectification=LONG_LATIN)
    path = tmp_path / "latin.pdf"
    write_disclosure_pdf_typst(replace(seed_table, projects=[project]), path)
    columns = headers.body_columns(seed_table)
    last = len(columns) - 1
    with pdfplumber.open(path) as doc:
        page = doc.pages[0]
        table = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})[0]
        row = next(r for r in table.rows if r.cells[0] and page.crop(r.cells[0]).extract_text() == "1")
        x0, _, x1, _ = row.cells[last]
        chars = [c for c in page.chars if c["text"] in LONG_LATIN and c["top"] >= row.bbox[1]
                 and c["bottom"] <= row.bbox[3] and c["x0"] >= x0 - 1]
    assert len(chars) == len(LONG_LATIN)
    assert all(c["x1"] <= x1 + 0.5 for c in chars)  # nothing overflows the last column
    assert len({round(c["top"]) for c in chars}) > 3  # wrapped onto several lines


def _last_column_chars(path: Path, text: str):
    """The characters of ``text`` in project 1's last column, and the column's right edge."""
    with pdfplumber.open(path) as doc:
        page = doc.pages[0]
        table = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})[0]
        row = next(r for r in table.rows if r.cells[0] and page.crop(r.cells[0]).extract_text() == "1")
        x0, _, x1, _ = row.cells[-1]
        chars = [c for c in page.chars if c["text"] in text and c["top"] >= row.bbox[1]
                 and c["bottom"] <= row.bbox[3] and c["x0"] >= x0 - 1]
    return chars, x1


def test_a_digit_run_as_long_as_the_estimate_stays_in_its_column(tmp_path, seed_table):
    """Digits are 0.555 em: a run of as many digits as the column holds half-ems is wider
    than the column, cannot break by itself (Unicode keeps numbers whole) and used to be
    printed over the next column; it is wrapped inside its own."""
    columns = headers.body_columns(seed_table)
    capacity = int(pdf_typst._room(pdf_typst.column_widths(seed_table, columns)[-1]))
    digits = ("1234567890" * 20)[:capacity]
    project = replace(seed_table.projects[0], rectification=digits)
    path = tmp_path / "digits.pdf"
    write_disclosure_pdf_typst(replace(seed_table, projects=[project]), path)
    chars, right = _last_column_chars(path, digits)
    assert len(chars) == len(digits)
    assert all(c["x1"] <= right + 0.5 for c in chars)
    assert len({round(c["top"]) for c in chars}) == 2


def test_a_range_breaks_after_its_dash_not_inside_a_number(tmp_path, seed_table):
    columns = headers.body_columns(seed_table)
    capacity = int(pdf_typst._room(pdf_typst.column_widths(seed_table, columns)[-1]))
    first = "1" * (capacity * 2 // 3)  # each number fits on a line, the range does not
    text = f"{first}—{first}"
    project = replace(seed_table.projects[0], rectification=text)
    path = tmp_path / "range.pdf"
    write_disclosure_pdf_typst(replace(seed_table, projects=[project]), path)
    chars, _ = _last_column_chars(path, text)
    lines: dict[int, str] = {}
    for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        lines[round(c["top"])] = lines.get(round(c["top"]), "") + c["text"]
    assert list(lines.values()) == [first + "—", first]


def test_newlines_in_a_cell_are_line_breaks(tmp_path, seed_table):
    project = replace(seed_table.projects[0], problems="第一行\n第二行\n第三行")
    path = tmp_path / "lines.pdf"
    write_disclosure_pdf_typst(replace(seed_table, projects=[project]), path)
    rows, _ = body_rows(path)
    assert rows[0][-2].split("\n")[:3] == ["第一行", "第二行", "第三行"]


@pytest.mark.slow
def test_control_characters_print_nothing_and_nothing_unmapped(tmp_path, seed_table):
    project = replace(seed_table.projects[0], name="办公\x00设备\x1b购置\x7f", problems="无\t问题")
    path = tmp_path / "control.pdf"
    write_disclosure_pdf_typst(replace(seed_table, projects=[project]), path)
    rows, _ = body_rows(path)
    assert rows[0][2].replace("\n", "") == "办公设备购置"
    with pdfplumber.open(path) as doc:
        assert not any(c["text"].startswith("(cid:") for c in doc.pages[0].chars)
    assert import_file(path).table.projects[0].name == "办公设备购置"


@pytest.mark.slow
def test_rows_that_fit_are_not_split(big_pdf, big_table):
    # Every project's 序号 cell is on the page with its whole row: the import sees each
    # project exactly once and no row continued on the next page.
    _, pages = body_rows(big_pdf)
    seqs = [r[0] for page in pages for r in page if r[0].strip().isdigit()]
    assert seqs == [str(p.seq) for p in big_table.projects]
    for page in pages:
        first = next(i for i, r in enumerate(page) if r[0].strip().isdigit())  # below the header
        continued = [r for r in page[first:] if not r[0].strip().isdigit() and r[0] != "合计"]
        assert continued == []


# --- jixiao import of the Typst PDF -----------------------------------------------------------

@pytest.mark.slow
def test_import_reads_the_seed_back_equal(seed_pdf, seed_table):
    share, bad = compare(import_file(seed_pdf).table, seed_table)
    assert bad == [] and share == 1.0


@pytest.mark.slow
def test_import_reads_a_generated_table_back_equal(tmp_path):
    from jixiao.core.money import MoneyUnit

    table = generate_table(projects=14, seed=11, inconsistent_share=0.3).converted(MoneyUnit.YUAN)
    path = tmp_path / "gen.pdf"
    write_disclosure_pdf_typst(table, path)
    share, bad = compare(import_file(path).table, table)
    assert bad == []


@pytest.mark.slow
def test_import_of_many_pages_is_equal(big_pdf, big_table):
    share, bad = compare(import_file(big_pdf).table, big_table)
    assert bad == []


# The import of the hostile text. The importer restores a space at a wrap only where the glyph
# positions prove one (docs/import.md, "Joining a cell's wrapped lines"); it cannot where a
# line may break without a space (after "/", "-", "}"; next to CJK), so the spaced strings
# keep those away from their spaces, and the unspaced ones have none to lose.
HOSTILE_SPACED = [
    "#set page(width: 10mm) *粗体* _斜体_ $x^2$ @ref <label> [brackets] \\backslash `code` //注释",
    "=SUM(A1:A9) and +86 755 1234 in @all cells",
    "-5% or less for @everyone, see ( ) ; : 'x' \"quote\" ~ & % /* not a comment */",
    "#(1 + 2) and #let x = 1 then #{\"a\" + \"b\"}",
]
HOSTILE_UNSPACED = [
    "#*粗体*_斜体_$x^2$@引用<标签>[方括号]\\反斜杠`代码`//注释",
    "=求和(甲:乙)", "+八六", "-5%以内", "@所有人", "/*不是注释*/“引号”~&%{}();:", "#{甲+乙}#(一+二)",
]


@pytest.mark.slow
def test_import_of_hostile_text_is_equal(tmp_path):
    table = generate_table(projects=8, seed=5)
    projects = []
    for i, p in enumerate(table.projects):
        evil = HOSTILE_UNSPACED[i % len(HOSTILE_UNSPACED)]
        spaced = HOSTILE_SPACED[i % len(HOSTILE_SPACED)]
        projects.append(replace(p, name=evil + p.name, problems=spaced, rectification=evil,
                                overall_completion=HOSTILE_SPACED[(i + 1) % len(HOSTILE_SPACED)],
                                annual_goal=LONG_CJK if i == 1 else p.annual_goal + spaced))
    table = replace(table, department="#strong[部门]$1$", projects=projects)
    path = tmp_path / "hostile.pdf"
    write_disclosure_pdf_typst(table, path)
    share, bad = compare(import_file(path).table, table)
    assert bad == []


@pytest.mark.slow
def test_import_joins_a_row_split_across_pages(tmp_path):
    table = generate_table(projects=3, seed=2)
    long = "".join(f"第{i}项工作按计划推进，完成情况良好；" for i in range(1, 260))
    table.projects[1] = replace(table.projects[1], annual_goal=long, overall_completion=long[:1500])
    path = tmp_path / "split.pdf"
    write_disclosure_pdf_typst(table, path)
    assert int(run("pdfinfo", str(path)).split("Pages:")[1].split()[0]) >= 2
    share, bad = compare(import_file(path).table, table)
    assert bad == []


# --- bad input ------------------------------------------------------------------------------------

def test_a_font_typst_cannot_find_is_an_error_not_a_fallback(monkeypatch, tmp_path, seed_table):
    real = pdf_typst._font_setup
    monkeypatch.setattr(pdf_typst, "_font_setup",
                        lambda: pdf_typst._Fonts(real().folder, "No Such Family"))
    with pytest.raises(OutputError) as err:
        write_disclosure_pdf_typst(seed_table, tmp_path / "x.pdf")
    assert "font" in err.value.message_en
    assert list(tmp_path.iterdir()) == []


def test_a_typst_error_is_a_clear_error_and_no_file(monkeypatch, tmp_path, seed_table):
    monkeypatch.setattr(pdf_typst, "template", lambda: "#let x = (")
    with pytest.raises(OutputError) as err:
        write_disclosure_pdf_typst(seed_table, tmp_path / "x.pdf")
    assert err.value.message_zh == "PDF 排版失败" and "typst" in err.value.message_en
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_compiling_does_not_grow_this_process():
    # Typst's memo cache is process-wide and never emptied by the wheel: compiled here, each
    # 100-project table would keep ~40 MB. The compile runs in a child process instead.
    def rss_mb() -> float:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024

    render_typst_pdf_bytes(generate_table(projects=5, seed=0))  # font folder, imports
    before = rss_mb()
    for seed in range(3):
        assert render_typst_pdf_bytes(generate_table(projects=100, seed=seed)).startswith(b"%PDF-")
    assert rss_mb() - before < 30


class TestFonts:
    @pytest.fixture(autouse=True)
    def _fresh_cache(self, monkeypatch):
        monkeypatch.delenv(pdf_render.FONT_ENV, raising=False)
        pdf_render.clear_font_cache()
        pdf_typst.clear_font_cache()
        yield
        pdf_render.clear_font_cache()
        pdf_typst.clear_font_cache()

    def test_missing_font_is_the_same_clear_error_and_no_file(self, monkeypatch, tmp_path, seed_table):
        monkeypatch.setattr(pdf_render, "_fc_match",
                            lambda pattern: (Path("/usr/share/fonts/x/DejaVuSans.ttf"), "DejaVu Sans"))
        monkeypatch.setattr(pdf_render, "_CANDIDATES", tuple(
            (family, package, (str(tmp_path / "missing.ttc"),))
            for family, package, _ in pdf_render._CANDIDATES))
        out = tmp_path / "out"
        out.mkdir()
        with pytest.raises(OutputError) as err:
            write_disclosure_pdf_typst(seed_table, out / "x.pdf")
        assert "fonts-noto-cjk" in err.value.message_zh and "fonts-noto-cjk" in err.value.message_en
        assert list(out.iterdir()) == []

    @pytest.mark.slow
    def test_environment_variable_chooses_the_font(self, monkeypatch, tmp_path, seed_table):
        wqy = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
        if not wqy.is_file():
            pytest.skip("fonts-wqy-microhei not installed")
        monkeypatch.setenv(pdf_render.FONT_ENV, str(wqy))
        path = tmp_path / "wqy.pdf"
        write_disclosure_pdf_typst(seed_table, path)
        fonts = _fonts(path)
        assert fonts and all("WenQuanYi" in line and " yes " in line for line in fonts), fonts
        rows, _ = body_rows(path)
        assert_rows_equal(rows, seed_table)

    def test_font_folder_holds_only_the_cjk_files(self):
        fonts = pdf_typst._font_setup()
        files = sorted(p.resolve().name for p in fonts.folder.iterdir())
        assert files == ["NotoSansCJK-Bold.ttc", "NotoSansCJK-Regular.ttc"]
        assert fonts.family == "Noto Sans CJK SC"

    def test_a_run_leaves_no_font_folder_behind(self, tmp_path):
        import os

        code = ("from jixiao.formats import pdf_typst\n"
                "pdf_typst._font_setup()\n")
        env = {**os.environ, "TMPDIR": str(tmp_path)}
        subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
        assert list(tmp_path.glob("jixiao-typst-fonts-*")) == []


# --- the engine choice in export and the CLI ---------------------------------------------------

def _creator(path: Path) -> str:
    return run("pdfinfo", str(path))


def test_typst_is_the_default_engine(tmp_path, seed_table):
    assert DEFAULT_PDF_ENGINE == "typst"
    path = export(seed_table, tmp_path / "t.pdf")
    assert "Typst" in _creator(path)


@pytest.mark.slow
def test_weasyprint_engine_on_request(tmp_path, seed_table):
    path = export(seed_table, tmp_path / "w.pdf", pdf_engine="weasyprint", pdfa=True)
    info = _creator(path)
    assert "WeasyPrint" in info and "Typst" not in info
    assert 'pdfaid:part="2"' in run("pdfinfo", "-meta", str(path))


def test_unknown_engine_and_misplaced_engine_are_refused(tmp_path, seed_table):
    with pytest.raises(InputError) as err:
        export(seed_table, tmp_path / "t.pdf", pdf_engine="latex")
    assert "typst" in err.value.message_zh and "unknown PDF engine" in err.value.message_en
    with pytest.raises(InputError):
        export(seed_table, tmp_path / "t.xlsx", pdf_engine="typst")
    with pytest.raises(InputError):
        export(seed_table, tmp_path / "m.xlsx", layout="mof-form", pdf_engine="typst")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_cli_pdf_engine(tmp_path, golden_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "jixiao.cli", "export", str(golden_path), *args],
                              capture_output=True, text=True, timeout=300)

    done = run("-o", str(tmp_path / "w.pdf"), "--pdf-engine", "weasyprint")
    assert done.returncode == 0, done.stderr
    assert "WeasyPrint" in _creator(tmp_path / "w.pdf")
    done = run("-o", str(tmp_path / "t.pdf"), "--pdf-engine", "typst", "--pdfa")
    assert done.returncode == 0, done.stderr
    assert "Typst" in _creator(tmp_path / "t.pdf")
    bad = run("-o", str(tmp_path / "x.pdf"), "--pdf-engine", "latex")
    assert bad.returncode != 0 and "unknown PDF engine" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_render_bytes_is_a_pdf(seed_table):
    assert render_typst_pdf_bytes(seed_table).startswith(b"%PDF-")


@pytest.mark.parametrize("before", ["see ", "网址"])
def test_a_long_run_after_other_text_starts_its_own_line_and_imports_as_itself(tmp_path, seed_table, before):
    """A run wider than its column begins a line of its own, as in CSS: the PDF reader then
    tells the run broken at the edge (no space) from a line filled by words (a space)."""
    text = before + LONG_LATIN + " and more"
    project = replace(seed_table.projects[0], rectification=text)
    table = replace(seed_table, projects=[project])
    path = tmp_path / "run.pdf"
    write_disclosure_pdf_typst(table, path)
    chars, _ = _last_column_chars(path, before + "h")
    h = min((c for c in chars if c["text"] == "h"), key=lambda c: (c["top"], c["x0"]))  # https' h
    assert h["x0"] == pytest.approx(min(c["x0"] for c in chars), abs=0.1)  # it begins a line
    assert h["top"] > min(c["top"] for c in chars)  # below the text before it
    assert import_file(path).table.projects[0].rectification == text


def test_text_cells_are_padded_wider_only_while_their_widest_run_still_fits(seed_table):
    """Text columns are padded up to ``TEXT_INSET_MM`` (pdftotext -layout keeps neighbouring
    cells' lines apart), never so far that a percentage or a short name would wrap; number
    cells keep 0.6 mm."""
    data = pdf_typst.document_data(seed_table)
    columns = headers.body_columns(seed_table)
    insets = dict(zip((c.key for c in columns), data["insets"]))
    assert insets["budget"] == insets["execution_rate"] == 0.6
    text_insets = [i for c, i in zip(columns, data["insets"]) if c.kind not in pdf_typst._ALIGN]
    assert max(text_insets) == pdf_typst.TEXT_INSET_MM
    assert all(0.6 <= i <= pdf_typst.TEXT_INSET_MM for i in text_insets)
    for c, w, inset in zip(columns, data["widths"], data["insets"]):
        room = (pdf_typst._PRINT_TABLE_WIDTH_MM * w / 100 - 2 * inset) / pdf_typst._LATIN_WIDTH_MM
        for p in seed_table.projects:
            for piece in pdf_typst._UNBROKEN_RUN.findall(headers.column_text(p, c)):
                if inset > 0.6:
                    assert pdf_typst._run_units(piece) <= room, (c.key, piece)
