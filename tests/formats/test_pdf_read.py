"""PDF import: LibreOffice prints of official-layout workbooks (several pages, wrapped cells,
merged spans), jixiao's own PDF export, and the PDFs that must be refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jixiao.errors import InputError
from jixiao.formats import table_json
from jixiao.formats.importer import import_file
from jixiao.formats.pdf_read import CellLine, cell_lines, dedupe_chars, direct_break, join_lines, spaced_breaks

from .cells import compare

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed-wan", "yuan-cost", "multipage", "latin-wrap"])
def test_libreoffice_pdfs_import_every_cell_exactly(name):
    expected = table_json.load(FIXTURES / "xlsx" / f"{name}.expected.json")
    result = import_file(FIXTURES / "pdf" / f"{name}.pdf")
    share, bad = compare(result.table, expected)
    print(f"{name}.pdf (LibreOffice): {share:.2%} of cells exact")
    assert bad == [] and share == 1.0
    assert result.kind == "pdf"


@pytest.mark.slow
def test_multipage_table_is_stitched_and_repeated_headers_dropped():
    path = FIXTURES / "pdf" / "multipage.pdf"
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in pages.split("\f") if p.strip()]
    assert len(pages) >= 3 and all("序号" in p for p in pages)  # the header is printed on every page
    table = import_file(path).table
    assert [p.seq for p in table.projects] == list(range(1, 41))


@pytest.mark.slow
def test_title_year_department_and_unit_come_from_the_page_text():
    t = import_file(FIXTURES / "pdf" / "seed-wan.pdf").table
    assert (t.attachment, t.title, t.year, t.department, t.money_unit.value) == (
        "附件2-3", "2019年度区工商联部门预算项目绩效自评情况公开表", 2019, "深圳市龙岗区工商业联合会", "万元")


@pytest.mark.parametrize(("text", "spaced", "joined"), [
    ("电脑3台，\n办公桌椅1批", [False], "电脑3台，办公桌椅1批"),
    ("参加党务干部人数≧\n100；新建党组织", [False], "参加党务干部人数≧100；新建党组织"),
    ("width: 10mm and\nmore words", [True], "width: 10mm and more words"),
    ("https://www.exa\nmple.gov.cn", [False], "https://www.example.gov.cn"),
    ("  \n100.00%\n", [], "100.00%"),
])
def test_lines_join_with_a_space_only_where_one_was_measured(text, spaced, joined):
    assert join_lines(text, spaced) == joined


# --- where a wrap stands for a space (spaced_breaks) ----------------------------------------------
# A cell from x=0 to x=100 with 2 pt padding: 96 pt of text width, a 10 pt font; Latin
# glyphs 5 pt wide, CJK 10 pt. _line lays a line of text out from the left edge.

def _line(text: str, x0: float = 2.0, glyph: float = 5.0, gap: float = 2.5) -> CellLine:
    widths = [glyph * (2 if ord(c) >= 0x2000 else 1) for c in text if c != " "]
    words = text.split(" ")
    width = sum(widths) + gap * (len(words) - 1)

    def run(word: str) -> float:
        n = 0
        for c in word:
            if ord(c) >= 0x2000:
                break
            n += 1
        return n * glyph

    return CellLine(text, x0, x0 + width, 10.0, widths[0], run(words[0]), run(words[-1][::-1]),
                    gap if len(words) > 1 else None)


def test_a_wrap_at_a_space_is_restored():
    a = _line("width: 10mm and")  # 13 glyphs and 2 spaces: 70 pt, 26 pt left
    a.x1 = 2 + 80  # as if 10 pt wider: 16 pt left; "more" and a space need 22.5 pt
    assert spaced_breaks([a, _line("more latin")], 0, 100) == [True]


def test_a_wrap_after_a_colon_is_a_space():
    a = _line("see width:")  # 45 + 2.5 = 47.5 pt
    a.x1 = 2 + 80  # the line took 80 pt: 16 pt left, the next word "10mm" + space needs 22.5
    assert spaced_breaks([a, _line("10mm and more")], 0, 100) == [True]


def test_a_long_run_broken_at_the_edge_stays_joined():
    a = _line("https://www.example.gov.cn/")  # one run, 27 glyphs = 135 pt: wider than the line
    a.x1 = 2 + 94  # it filled the line: 2 pt left, less than the next glyph (5 pt)
    a.tail_run = 94
    b = _line("abcdefghij")
    assert spaced_breaks([a, b], 0, 100) == [False]


def test_a_filled_line_before_a_long_word_is_a_space_when_its_last_run_did_not_begin_it():
    """"#set page(width:" + "100000mm)" is wider than the line and filled it to within a glyph,
    yet it is no long run broken at the edge: such a run begins a line of its own (CSS
    overflow-wrap, LibreOffice, jixiao's Typst templates), and this line begins with "#set"."""
    a = _line("#set page(width:")  # "page(width:" is 11 glyphs, 55 pt; the line 77.5 pt
    a.x1 = 2 + 94  # as set in a narrower font: 2 pt left, less than the next glyph
    b = _line("100000mm) *粗体*")  # "100000mm)" 45 pt: 55 + 45 > 96
    assert spaced_breaks([a, b], 0, 100) == [True]


def test_a_word_that_would_have_fitted_means_a_line_break_in_the_source():
    a = _line("first line")  # 45 + 2.5 = 47.5 pt: 48.5 pt left, "next" needs 22.5
    assert spaced_breaks([a, _line("next line")], 0, 100) == [False]


def test_filled_line_before_a_short_word_is_a_space():
    """Filled to the edge but the run across the break ("the"+"cell,") fits on a line: the
    engine would not have broken it, so the line ended at a space."""
    a = _line("lines of the")
    a.x1 = 2 + 95
    assert spaced_breaks([a, _line("cell, see")], 0, 100) == [True]


@pytest.mark.parametrize(("end", "start"), [("资金", "ABC"), ("ABC", "资金"), ("甲—", "10")])
def test_no_space_next_to_cjk(end, start):
    a = _line("x " + end)
    a.x1 = 2 + 90
    assert spaced_breaks([a, _line(start + " more")], 0, 100) == [False]


@pytest.mark.parametrize(("x", "y", "direct"), [
    ("/", "w", True), ("-", "a", True), ("-", "5", False), ("/", "2", False), ("}", "(", True),
    (";", "(", True), (")", "a", False), ("a", "(", False), (":", "1", False), ("a", "b", False),
    ("?", "n", False), (",", "a", False),
])
def test_direct_break_follows_unicode_line_breaking(x, y, direct):
    assert direct_break(x, y) is direct


def test_no_space_after_a_slash_or_hyphen():
    a = _line("see https://")
    a.x1 = 2 + 90
    assert spaced_breaks([a, _line("www.example.gov.cn")], 0, 100) == [False]


def test_runs_are_measured_through_quotation_marks():
    """A closing quote never breaks from what follows it: “引号”~& is one run from the quote
    on, so the forced-break test sees its full width."""
    def ch(text, x, w):
        return {"text": text, "x0": x, "x1": x + w, "top": 10, "bottom": 17, "fontname": "F", "size": 7,
                "upright": True, "doctop": 10, "y0": 0, "y1": 7}

    chars = [ch("号", 0, 7), ch("\u201d", 7, 7), ch("~", 14, 3.9), ch("&", 17.9, 4.8)]
    (line,) = cell_lines(chars)
    assert line.text == "号\u201d~&"
    assert line.tail_run == pytest.approx(15.7)  # ” ~ &, not the CJK character
    assert line.lead_run == 0  # it starts with CJK


def test_centred_cell_takes_the_widest_line_as_full():
    """Centred lines: the padding is unknown, so the widest line (15 pt margins) is taken as
    full. After it "more" did not fit (a space); after "more" the room (50 pt) would have
    held "words" (a line break of the source, no space)."""
    wide, short, last = _line("width: 10mm and"), _line("more"), _line("words")
    wide.x0, wide.x1 = 15.0, 85.0
    short.x0, short.x1 = 40.0, 60.0
    last.x0, last.x1 = 37.5, 62.5
    assert spaced_breaks([wide, short, last], 0, 100) == [True, False]


def test_glyphs_repeated_in_small_print_are_kept():
    """"ll" in a 3 pt font (a wide sheet scaled to fit the page) is 0.85 pt apart."""
    ll = [{"text": "l", "x0": x, "x1": x + 0.85, "top": 10, "bottom": 13, "fontname": "F1", "size": 3.0}
          for x in (218.91, 219.8)]
    assert len(dedupe_chars(ll)) == 2


def test_doubled_glyphs_are_dropped():
    def ch(text, x, top, font="F1"):
        return {"text": text, "x0": x, "x1": x + 9, "top": top, "bottom": top + 9, "fontname": font, "size": 9}

    chars = [ch("项", 10, 10), ch("项", 10.4, 10.3), ch("目", 19, 10), ch("目", 19, 30), ch("目", 19.2, 10, "F2")]
    assert [(c["text"], c["top"], c["fontname"]) for c in dedupe_chars(chars)] == [
        ("项", 10, "F1"), ("目", 10, "F1"), ("目", 30, "F1"), ("目", 10, "F2")]


# --- jixiao's own PDF export ----------------------------------------------------------------------

def _export_pdf(table, path):
    from jixiao.formats.pdf_render import write_disclosure_pdf

    write_disclosure_pdf(table, path)
    return path


@pytest.mark.slow
def test_round_trip_seed_through_jixiao_pdf(seed_table, tmp_path):
    share, bad = compare(import_file(_export_pdf(seed_table, tmp_path / "seed.pdf")).table, seed_table)
    print(f"seed PDF round trip: {share:.2%} of cells exact")
    assert bad == []


@pytest.mark.slow
def test_round_trip_generated_through_jixiao_pdf(tmp_path):
    from jixiao.core.money import MoneyUnit
    from jixiao.generate import generate_table

    table = generate_table(projects=14, seed=11, inconsistent_share=0.3).converted(MoneyUnit.YUAN)
    share, bad = compare(import_file(_export_pdf(table, tmp_path / "gen.pdf")).table, table)
    print(f"generated PDF round trip: {share:.2%} of cells exact")
    assert bad == []


@pytest.mark.slow
def test_row_split_across_pages_is_joined(tmp_path):
    """A cell too long for one page: the export splits the row; the import joins it again."""
    from dataclasses import replace

    from jixiao.generate import generate_table

    table = generate_table(projects=3, seed=2)
    long = "".join(f"第{i}项工作按计划推进，完成情况良好；" for i in range(1, 260))
    table.projects[1] = replace(table.projects[1], annual_goal=long, overall_completion=long[:1500])
    path = _export_pdf(table, tmp_path / "split.pdf")
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert int(pages.split("Pages:")[1].split()[0]) >= 2
    share, bad = compare(import_file(path).table, table)
    assert bad == []


# Latin text in wrapped cells, through both engines: wraps at spaces (the space comes back),
# inside a URL and a long number (no space), CJK with Latin words.
LATIN_TEXTS = [
    "width: 10mm and more latin words that wrap across several lines of the cell, see section 4.2 (b) for details",
    "The project delivered 12 training sessions for 340 staff; satisfaction was 96.5 percent in the survey",
    "https://www.example.gov.cn/" + "abcdefghij" * 12,
    "1234567890" * 8,
    "完成ISO 9001认证并通过复审，发放补贴资金共计1200万元，覆盖ABC program phase two的全部站点，"
    "and more text here党建工作持续推进",
    "党建工作持续推进组织建设不断加强" * 6,
]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_latin_text_wrapped_in_cells_reads_back_equal(engine, tmp_path):
    from dataclasses import replace

    from jixiao.formats.export import export
    from jixiao.generate import generate_table

    table = generate_table(projects=6, seed=5)
    n = len(LATIN_TEXTS)
    table = replace(table, projects=[
        replace(p, annual_goal=LATIN_TEXTS[i % n], problems=LATIN_TEXTS[(i + 1) % n],
                rectification=LATIN_TEXTS[(i + 2) % n], overall_completion=LATIN_TEXTS[(i + 3) % n],
                name=LATIN_TEXTS[(i + 4) % n][:40].strip())
        for i, p in enumerate(table.projects)])
    path = export(table, tmp_path / f"latin-{engine}.pdf", pdf_engine=engine)
    # The spaced texts did wrap at their spaces: many word pairs are split over two lines.
    pairs = {f"{x}\n{y}" for t in LATIN_TEXTS[:2] for x, y in zip(t.split(), t.split()[1:])}
    printed = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    assert sum(printed.count(pair) for pair in pairs) >= 10
    share, bad = compare(import_file(path).table, table)
    assert bad == []


# --- refused ------------------------------------------------------------------------------------------

def _html_pdf(html: str, path: Path) -> Path:
    from jixiao.formats.pdf_render import render_pdf_bytes

    path.write_bytes(render_pdf_bytes(html))
    return path


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as err:
        import_file(path)
    assert err.value.message_zh and err.value.message_en  # both languages, always
    return err.value


def test_encrypted_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(FIXTURES / "pdf" / "seed-wan.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    err = _refused(path)
    assert "加密" in err.message_zh and "encrypted" in err.message_en


def test_truncated_pdf_is_refused(tmp_path):
    data = (FIXTURES / "pdf" / "seed-wan.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    err = _refused(path)
    assert "截断" in err.message_zh and "truncated" in err.message_en


def test_image_only_pdf_needs_ocr(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 500), "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, 800, 100):
        draw.line([(x, 0), (x, 500)], fill="black")
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF", resolution=100)
    err = _refused(path)
    assert "OCR" in err.message_zh and "OCR" in err.message_en


@pytest.mark.slow
def test_text_without_unicode_mapping_needs_ocr(tmp_path):
    """A PDF whose fonts lost their ToUnicode maps: pdfminer can only say (cid:…)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    from jixiao.formats.html import render_disclosure_html
    from jixiao.generate import generate_table

    source = _html_pdf(render_disclosure_html(generate_table(projects=2, seed=1)), tmp_path / "ok.pdf")
    reader = PdfReader(source)
    writer = PdfWriter()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if NameObject("/ToUnicode") in font:
                del font[NameObject("/ToUnicode")]
        writer.add_page(page)
    path = tmp_path / "cid.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    err = _refused(path)
    assert "(cid:" in err.message_zh and "OCR" in err.message_en


def test_prose_pdf_is_refused(tmp_path):
    path = _html_pdf("<html><body><h1>2019年度部门决算说明</h1><p>" + "本部门主要职能是……" * 40 + "</p></body></html>",
                     tmp_path / "prose.pdf")
    err = _refused(path)
    assert "no ruled table" in err.message_en


@pytest.mark.slow
def test_pdf_with_two_unrelated_tables_is_refused(tmp_path):
    from jixiao.formats.html import render_disclosure_html
    from jixiao.generate import generate_table

    html = render_disclosure_html(generate_table(projects=2, seed=4))
    other = ("<table style='border-collapse:collapse;margin-top:2em' border='1'><tr><th>科目编码</th><th>科目名称</th>"
             "<th>决算数</th></tr><tr><td>201</td><td>一般公共服务支出</td><td>9.00</td></tr>"
             "<tr><td>208</td><td>社会保障和就业支出</td><td>3.00</td></tr></table>")
    path = _html_pdf(html.replace("</body>", other + "</body>"), tmp_path / "two.pdf")
    err = _refused(path)
    assert "另一张" in err.message_zh and "another table" in err.message_en


@pytest.mark.slow
def test_pdf_with_another_table_before_ours_is_refused(tmp_path):
    from jixiao.formats.html import render_disclosure_html
    from jixiao.generate import generate_table

    html = render_disclosure_html(generate_table(projects=2, seed=4))
    other = ("<table style='border-collapse:collapse;margin-bottom:2em' border='1'><tr><th>科目编码</th>"
             "<th>科目名称</th><th>决算数</th></tr><tr><td>201</td><td>一般公共服务支出</td><td>9.00</td></tr></table>")
    body = html.index(">", html.index("<body")) + 1
    err = _refused(_html_pdf(html[:body] + other + html[body:], tmp_path / "two.pdf"))
    assert "another table" in err.message_en


def test_pdf_of_a_different_table_is_refused(tmp_path):
    other = ("<html><body><h2>2019年度一般公共预算财政拨款支出决算表</h2><table border='1' style='border-collapse:collapse'>"
             "<tr><th>科目编码</th><th>科目名称</th><th>决算数</th></tr>"
             "<tr><td>201</td><td>一般公共服务支出</td><td>9.00</td></tr></table></body></html>")
    err = _refused(_html_pdf(other, tmp_path / "other.pdf"))
    assert "different table" in err.message_en


def test_pdf_with_too_many_pages_is_refused():
    from jixiao.formats.importer import ImportLimits

    with pytest.raises(InputError, match="too many pages"):
        import_file(FIXTURES / "pdf" / "multipage.pdf", ImportLimits(max_pages=2))

