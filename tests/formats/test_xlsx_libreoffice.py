"""A real client: LibreOffice headless turns the XLSX into a PDF (the route departments use
to publish), pdfplumber reads every body cell back from that PDF, and pdffonts shows the
CJK font embedded (text extraction alone cannot tell: a PDF without the font still extracts
correct Chinese but prints boxes)."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from dataclasses import replace
from decimal import Decimal

import pdfplumber
import pytest

from jixiao.core.model import IndicatorCell
from jixiao.core.taxonomy import FULL
from jixiao.formats import headers as H
from jixiao.formats.xlsx_write import write_disclosure_xlsx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def _tricky(seed_table):
    """Seed projects repeated over several pages, in the FULL layout, with text that is
    easy to get wrong: formula look-alikes, Latin words with spaces, a differing rate."""
    projects = []
    for i in range(24):
        p = replace(seed_table.projects[i % len(seed_table.projects)], seq=i + 1,
                    indicators=dict(seed_table.projects[i % len(seed_table.projects)].indicators))
        projects.append(p)
    projects[0] = replace(projects[0], name="=SUM(A1:A9)", problems="-5%以内",
                          rectification="@所有科室")
    projects[1] = replace(projects[1], annual_goal="通过 ISO 9001 质量管理体系认证", execution_rate_text="98.00%")
    projects[2].indicators["cost"] = IndicatorCell("成本≤267.10万元", "+0.5万元")
    projects[3] = replace(projects[3], budget=Decimal("1234567.89"), actual_total=Decimal("1234567.80"),
                          actual_general_budget=Decimal("1234567.80"), execution_rate_text="")
    return replace(seed_table, layout=FULL, projects=projects)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    from jixiao.formats import table_json
    from tests.conftest import GOLDEN

    seed = table_json.load(GOLDEN)
    folder = tmp_path_factory.mktemp("lo")
    tables = {"seed": seed, "tricky": _tricky(table_json.load(GOLDEN))}
    for name, table in tables.items():
        write_disclosure_xlsx(table, folder / f"{name}.xlsx")
    profile = tmp_path_factory.mktemp("lo-profile") / f"lo-{uuid.uuid4().hex}"
    # A private profile per run: two LibreOffice instances sharing one profile collide.
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *(str(folder / f"{n}.xlsx") for n in tables)],
                   check=True, capture_output=True, timeout=240)
    return {name: (table, folder / f"{name}.pdf") for name, table in tables.items()}


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _join(cell: str | None) -> str:
    """A wrapped PDF cell as one string: lines joined with a space only between two Latin
    words or numbers (LibreOffice wraps those at a space it drops); with nothing elsewhere —
    Chinese has no spaces, and a break may fall after a symbol such as ≥."""
    if not cell:
        return ""
    lines = [line.strip() for line in cell.split("\n")]
    text = lines[0]
    for line in lines[1:]:
        if not line:
            continue
        glue = " " if (text and _latin(text[-1]) and _latin(line[0])) else ""
        text = text + glue + line if text else line
    # pdfplumber may see a gap between two CJK glyphs as a space; none is in the data.
    return re.sub(r"(?<=[^\x00-\xff]) (?=[^\x00-\xff])", "", text)


_READ: dict = {}


def _body_rows(pdf_path, width: int) -> tuple[list[list[str]], int]:
    """Body rows (序号 is a number, or 合计) of every page, and how many pages show the header."""
    if pdf_path not in _READ:
        _READ[pdf_path] = _read_rows(pdf_path, width)
    return _READ[pdf_path]


def _read_rows(pdf_path, width: int) -> tuple[list[list[str]], int]:
    rows, header_pages = [], 0
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                for row in table.extract():
                    if len(row) != width:
                        continue
                    first = _join(row[0])
                    if first == "序号":
                        header_pages += 1
                    elif first.isdigit() or first == H.TOTAL_LABEL:
                        rows.append([_join(c) for c in row])
    return rows, header_pages


def _expected(table) -> list[list[str]]:
    columns = H.body_columns(table)
    rows = [[H.column_text(p, c) for c in columns] for p in table.projects]
    totals = H.totals_text(table, columns)
    rows.append([totals[c.key] for c in columns])
    return rows


@pytest.mark.parametrize("name", ["seed", "tricky"])
def test_every_body_cell_reads_back_from_libreoffice_pdf(converted, name):
    table, pdf = converted[name]
    columns = H.body_columns(table)
    rows, _ = _body_rows(pdf, len(columns))
    expected = _expected(table)
    # The 合计 label is merged over 序号…是否政府投资项目: its other cells read as empty.
    expected[-1] = [expected[-1][0]] + ["" if c.kind != H.AMOUNT and c.kind != H.RATE else v
                                        for c, v in zip(columns[1:], expected[-1][1:])]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert len(got) == len(columns)
        for column, g, w in zip(columns, got, want):
            assert g == w, f"{column.label}: {g!r} != {w!r}"


def test_seed_is_one_page_with_all_six_projects(converted):
    table, pdf = converted["seed"]
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0]
        assert round(page.width) == 1191 and round(page.height) == 842  # A3 landscape, points
        text = page.extract_text()
    assert "附件2-3" in text and "2019年度区工商联部门预算项目绩效自评情况公开表" in text
    assert "部门名称（盖章）：深圳市龙岗区工商业联合会" in text and "单位：万元" in text
    assert "第 1 页 / 共 1 页" in text


def test_header_repeats_on_every_printed_page(converted):
    table, pdf = converted["tricky"]
    _, header_pages = _body_rows(pdf, len(H.body_columns(table)))
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
        last = doc.pages[-1].extract_text()
    assert pages > 1
    assert header_pages == pages
    assert f"第 {pages} 页 / 共 {pages} 页" in last


def test_the_cjk_font_is_embedded(converted):
    _, pdf = converted["seed"]
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = [line.split() for line in out.splitlines()[2:] if line.strip()]
    cjk = [f for f in fonts if re.search(r"CJK|WenQuanYi|WQY|Hei|Song|Ming", f[0], re.I)]
    assert cjk, out
    for f in fonts:  # columns from the right: emb sub uni object-id generation
        assert f[-5] == "yes", f"font not embedded: {f[0]}"
