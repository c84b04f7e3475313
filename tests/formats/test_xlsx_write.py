"""The disclosure XLSX: openpyxl reads it back to an equal table, and the workbook carries
the layout a department needs to print and stamp it."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from jixiao.core.model import IndicatorCell, Project, Table
from jixiao.core.taxonomy import FULL
from jixiao.errors import OutputError
from jixiao.formats import headers as H
from jixiao.formats import importer
from jixiao.formats import table_json
from jixiao.formats.xlsx_write import (
    FIRST_HEADER_ROW, estimate_lines, first_body_row, row_height, text_width, write_disclosure_xlsx,
    xlsx_columns,
)

CENT = Decimal("0.01")


def read_back(path, like: Table) -> Table:
    """Rebuild the table from the cells at the positions the writer uses."""
    ws = openpyxl.load_workbook(path).active
    columns = H.body_columns(like)
    projects = []
    row = first_body_row(like)
    while ws.cell(row=row, column=1).value not in (None, H.TOTAL_LABEL):
        values = {c.key: ws.cell(row=row, column=i).value for i, c in enumerate(columns, start=1)}
        projects.append(_project(values, columns))
        row += 1
    title = ws.cell(row=2, column=1).value
    department = ws.cell(row=3, column=1).value.removeprefix("部门名称（盖章）：")
    return replace(like, title=title, department=department, projects=projects)


def _project(values: dict, columns: list[H.Column]) -> Project:
    p = Project(seq=values["seq"], unit_name=values["unit_name"] or "", name=values["name"] or "")
    p.gov_investment = {"是": True, "否": False}.get(values["gov_investment"])
    for c in columns:
        v = values[c.key]
        if c.kind == H.AMOUNT:
            setattr(p, c.key, None if v is None else Decimal(repr(v)).quantize(CENT))
        elif c.kind == H.RATE:
            p.execution_rate_text = "" if v is None else f"{(Decimal(repr(v)) * 100).quantize(CENT)}%"
        elif c.key.startswith("indicators."):
            _, kind, side = c.key.split(".")
            setattr(p.indicators.setdefault(kind, IndicatorCell()), side, v or "")
        elif c.kind == H.TEXT and c.key not in ("unit_name", "name"):
            setattr(p, c.key, v or "")
    p.indicators = {k: cell for k, cell in p.indicators.items() if cell.target or cell.actual}
    return p


def _doc(table: Table) -> dict:
    return table_json.to_document(table)


@pytest.fixture
def seed_xlsx(seed_table, tmp_path):
    path = tmp_path / "seed.xlsx"
    write_disclosure_xlsx(seed_table, path)
    return path


def test_seed_reads_back_equal(seed_table, seed_xlsx):
    assert _doc(read_back(seed_xlsx, seed_table)) == _doc(seed_table)


def test_full_layout_reads_back_equal(seed_table, tmp_path):
    table = replace(seed_table, layout=FULL)
    table.projects[0].indicators["cost"] = IndicatorCell("成本≤3.80万元", "3.79万元")
    path = tmp_path / "full.xlsx"
    write_disclosure_xlsx(table, path)
    assert openpyxl.load_workbook(path).active.max_column == 32
    assert _doc(read_back(path, table)) == _doc(table)


def test_top_lines(seed_xlsx):
    ws = openpyxl.load_workbook(seed_xlsx).active
    assert ws["A1"].value == "附件2-3："
    assert ws["A2"].value == "2019年度区工商联部门预算项目绩效自评情况公开表"
    assert ws["A2"].font.bold
    assert ws["A3"].value == "部门名称（盖章）：深圳市龙岗区工商业联合会"
    assert ws.cell(row=3, column=26).value == "单位：万元"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A2:AB2" in merged


def test_header_is_merged_as_the_header_tree_says(seed_table, seed_xlsx):
    ws = openpyxl.load_workbook(seed_xlsx).active
    merged = {(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges}
    for h in H.header_cells(seed_table):
        r, c = FIRST_HEADER_ROW + h.row, 1 + h.col
        assert ws.cell(row=r, column=c).value == h.text
        span = (r, c, r + h.rowspan - 1, c + h.colspan - 1)
        if h.rowspan * h.colspan > 1:
            assert span in merged, h.text
    assert ws.cell(row=4, column=6).value == "实际支出金额"
    assert ws.cell(row=6, column=8).value == "政府性基金预算（含2019年政府专项债券资金）"


def _borders_as_written(path) -> dict[str, tuple]:
    """Cell → (left, right, top, bottom) border styles from the raw XML. openpyxl's reader
    re-derives borders of merged cells from the top-left cell, so it cannot be used here."""
    import xml.etree.ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as zf:
        styles = ET.fromstring(zf.read("xl/styles.xml"))
        sheet = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    borders = [tuple(b.find(f"m:{side}", ns).get("style") for side in ("left", "right", "top", "bottom"))
               for b in styles.find("m:borders", ns)]
    xf_border = [int(xf.get("borderId")) for xf in styles.find("m:cellXfs", ns)]
    return {c.get("r"): borders[xf_border[int(c.get("s", 0))]] for c in sheet.iter(f"{{{ns['m']}}}c")}


def test_every_cell_of_header_body_and_merged_ranges_has_four_borders(seed_table, seed_xlsx):
    written = _borders_as_written(seed_xlsx)
    last_row = first_body_row(seed_table) + len(seed_table.projects)  # the 合计 row
    for row in range(FIRST_HEADER_ROW, last_row + 1):
        for col in range(1, 29):
            ref = f"{openpyxl.utils.get_column_letter(col)}{row}"
            assert written.get(ref) == ("thin",) * 4, ref
    assert written.get("A2", (None,) * 4) == (None,) * 4  # the title has no frame


def test_numbers_are_numbers_with_formats(seed_xlsx):
    ws = openpyxl.load_workbook(seed_xlsx).active
    budget, rate, seq = ws["E7"], ws["J7"], ws["A7"]
    assert budget.data_type == "n" and budget.value == pytest.approx(3.80)
    assert budget.number_format == "0.00"
    assert rate.data_type == "n" and rate.value == pytest.approx(0.9974)
    assert rate.number_format == "0.00%"
    assert seq.value == 1
    assert ws["D7"].value == "否"


def test_totals_row_is_computed(seed_table, seed_xlsx):
    ws = openpyxl.load_workbook(seed_xlsx).active
    row = first_body_row(seed_table) + len(seed_table.projects)
    assert ws.cell(row=row, column=1).value == "合计"
    assert f"A{row}:D{row}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(row=row, column=5).value == pytest.approx(491.59)
    assert ws.cell(row=row, column=6).value == pytest.approx(489.20)
    assert ws.cell(row=row, column=10).value == pytest.approx(0.9951)
    assert ws.cell(row=row, column=10).number_format == "0.00%"


def test_a_reported_rate_that_differs_is_kept_with_a_comment(seed_table, tmp_path):
    seed_table.projects[0].execution_rate_text = "98.00%"  # recomputed: 99.74%
    path = tmp_path / "t.xlsx"
    write_disclosure_xlsx(seed_table, path)
    ws = openpyxl.load_workbook(path).active
    assert ws["J7"].value == pytest.approx(0.98)
    assert "99.74%" in ws["J7"].comment.text and "98.00%" in ws["J7"].comment.text
    assert ws["J8"].comment is None


def test_a_rate_that_is_not_a_percentage_stays_text(seed_table, tmp_path):
    seed_table.projects[0].execution_rate_text = "—"
    path = tmp_path / "t.xlsx"
    write_disclosure_xlsx(seed_table, path)
    ws = openpyxl.load_workbook(path).active
    assert ws["J7"].value == "—" and ws["J7"].data_type == "s"
    assert "99.74%" in ws["J7"].comment.text


def test_a_blank_rate_is_written_recomputed(seed_table, tmp_path):
    seed_table.projects[0].execution_rate_text = ""
    path = tmp_path / "t.xlsx"
    write_disclosure_xlsx(seed_table, path)
    assert openpyxl.load_workbook(path).active["J7"].value == pytest.approx(0.9974)


@pytest.mark.parametrize("text", ["=1+1", "+A1", "-2", "@SUM(A1:A2)", "=HYPERLINK(\"http://x\")"])
def test_text_that_looks_like_a_formula_is_written_as_text(seed_table, tmp_path, text):
    p = seed_table.projects[0]
    p.name = text
    p.indicators["quantity"] = IndicatorCell(text, text)
    path = tmp_path / "f.xlsx"
    write_disclosure_xlsx(seed_table, path)
    with zipfile.ZipFile(path) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = openpyxl.load_workbook(path).active
    for coordinate in ("C7", "M7", "N7"):
        assert ws[coordinate].data_type == "s" and ws[coordinate].value == text
        assert ws[coordinate].quotePrefix


def test_text_width_counts_cjk_as_two():
    assert text_width("中a１") == 5
    assert estimate_lines("", 10) == 1
    assert estimate_lines("中" * 10, 21.5) == 1
    assert estimate_lines("中" * 11, 21.5) == 2
    assert estimate_lines("a\nb", 20) == 2


def test_row_heights_follow_the_text(seed_table, tmp_path):
    seed_table.projects[0].annual_goal = "有效合理配备办公设备，" * 20
    seed_table.projects[1].annual_goal = "短"
    path = tmp_path / "h.xlsx"
    write_disclosure_xlsx(seed_table, path)
    ws = openpyxl.load_workbook(path).active
    columns = xlsx_columns(seed_table)
    for i, project in enumerate(seed_table.projects):
        row = first_body_row(seed_table) + i
        needed = max(estimate_lines(H.column_text(project, c), c.width + 1.5) for c in columns)
        assert ws.row_dimensions[row].height == pytest.approx(row_height(needed))
    assert ws.row_dimensions[7].height > ws.row_dimensions[8].height
    for r in range(FIRST_HEADER_ROW, first_body_row(seed_table)):
        assert ws.row_dimensions[r].height >= row_height(1)


def test_print_setup(seed_xlsx):
    ws = openpyxl.load_workbook(seed_xlsx).active
    assert int(ws.page_setup.paperSize) == 8  # A3
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$4:$6"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.freeze_panes == "D7"
    assert ws.print_area == "'附件2-3'!$A$1:$AB$13"


def test_wrapped_text(seed_xlsx):
    ws = openpyxl.load_workbook(seed_xlsx).active
    assert ws["K7"].alignment.wrap_text and ws["F5"].alignment.wrap_text


def test_control_characters_are_dropped(seed_table, tmp_path):
    seed_table.projects[0].problems = "无\x07问题\x00"
    path = tmp_path / "c.xlsx"
    write_disclosure_xlsx(seed_table, path)
    assert openpyxl.load_workbook(path).active["AA7"].value == "无问题"


def test_no_projects_writes_nothing(seed_table, tmp_path):
    path = tmp_path / "empty.xlsx"
    with pytest.raises(OutputError) as err:
        write_disclosure_xlsx(replace(seed_table, projects=[]), path)
    assert "没有项目" in err.value.message_zh and "no projects" in err.value.message_en
    assert list(tmp_path.iterdir()) == []


def test_an_overlong_cell_fails_cleanly(seed_table, tmp_path):
    seed_table.projects[0].annual_goal = "长" * 40000
    path = tmp_path / "long.xlsx"
    with pytest.raises(OutputError):
        write_disclosure_xlsx(seed_table, path)
    assert list(tmp_path.iterdir()) == []


def test_amount_columns_widen_for_long_numbers(seed_table, tmp_path):
    path = tmp_path / "w.xlsx"
    write_disclosure_xlsx(seed_table, path)
    normal = openpyxl.load_workbook(path).active.column_dimensions["E"].width
    seed_table.projects[0].budget = Decimal("123456789.01")
    write_disclosure_xlsx(seed_table, path)
    wide = openpyxl.load_workbook(path).active.column_dimensions["E"].width
    assert wide > normal and wide >= len("123456794.80") + 2  # the 合计 is longer still


# Any text a table can hold (XML-illegal control characters aside) survives the workbook.
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",),
                           blacklist_characters="".join(chr(c) for c in range(32) if c not in (9, 10, 13))),
    max_size=60)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_xml_text, target=_xml_text, actual=_xml_text)
def test_any_text_reads_back(seed_table, tmp_path, name, target, actual):
    seed_table.projects[0].name = name
    seed_table.projects[0].indicators["quality"] = IndicatorCell(target, actual)
    path = tmp_path / "h.xlsx"
    write_disclosure_xlsx(seed_table, path)
    ws = openpyxl.load_workbook(path).active
    assert (ws["C7"].value or "") == _lf(name)
    assert (ws["O7"].value or "") == _lf(target) and (ws["P7"].value or "") == _lf(actual)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")  # Excel's line break is LF


def test_the_importer_reads_the_workbook_back_to_the_same_table(seed_table, seed_xlsx):
    result = importer.import_file(seed_xlsx)
    assert result.kind == "xlsx"
    got, want = table_json.to_document(result.table), table_json.to_document(seed_table)
    assert got["projects"] == want["projects"]
    assert (got["title"], got["department"], got["year"]) == (want["title"], want["department"], want["year"])
