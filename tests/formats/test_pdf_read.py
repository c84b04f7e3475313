"""PDF import: LibreOffice prints of official-layout workbooks (several pages, wrapped cells,
merged spans), jixiao's own PDF export, and the PDFs that must be refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jixiao.errors import InputError
from jixiao.formats import table_json
from jixiao.formats.importer import import_file
from jixiao.formats.pdf_read import dedupe_chars, join_lines

from .cells import compare

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.parametrize("name", ["seed-wan", "yuan-cost", "multipage"])
def test_libreoffice_pdfs_import_every_cell_exactly(name):
    expected = table_json.load(FIXTURES / "xlsx" / f"{name}.expected.json")
    result = import_file(FIXTURES / "pdf" / f"{name}.pdf")
    share, bad = compare(result.table, expected)
    print(f"{name}.pdf (LibreOffice): {share:.2%} of cells exact")
    assert bad == [] and share == 1.0
    assert result.kind == "pdf"


def test_multipage_table_is_stitched_and_repeated_headers_dropped():
    path = FIXTURES / "pdf" / "multipage.pdf"
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in pages.split("\f") if p.strip()]
    assert len(pages) >= 3 and all("序号" in p for p in pages)  # the header is printed on every page
    table = import_file(path).table
    assert [p.seq for p in table.projects] == list(range(1, 41))


def test_title_year_department_and_unit_come_from_the_page_text():
    t = import_file(FIXTURES / "pdf" / "seed-wan.pdf").table
    assert (t.attachment, t.title, t.year, t.department, t.money_unit.value) == (
        "附件2-3", "2019年度区工商联部门预算项目绩效自评情况公开表", 2019, "深圳市龙岗区工商业联合会", "万元")


@pytest.mark.parametrize(("text", "joined"), [
    ("电脑3台，\n办公桌椅1批", "电脑3台，办公桌椅1批"),
    ("参加党务干部人数≧\n100；新建党组织", "参加党务干部人数≧100；新建党组织"),
    ("完成ISO\n9001认证", "完成ISO 9001认证"),  # a Latin word wrap replaced a space
    ("  \n100.00%\n", "100.00%"),
])
def test_wrapped_lines_join_without_spaces_between_cjk(text, joined):
    assert join_lines(text) == joined


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


def test_round_trip_seed_through_jixiao_pdf(seed_table, tmp_path):
    share, bad = compare(import_file(_export_pdf(seed_table, tmp_path / "seed.pdf")).table, seed_table)
    print(f"seed PDF round trip: {share:.2%} of cells exact")
    assert bad == []


def test_round_trip_generated_through_jixiao_pdf(tmp_path):
    from jixiao.core.money import MoneyUnit
    from jixiao.generate import generate_table

    table = generate_table(projects=14, seed=11, inconsistent_share=0.3).converted(MoneyUnit.YUAN)
    share, bad = compare(import_file(_export_pdf(table, tmp_path / "gen.pdf")).table, table)
    print(f"generated PDF round trip: {share:.2%} of cells exact")
    assert bad == []


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

