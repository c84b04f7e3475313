"""A cell marked not applicable prints 「不适用（理由）」 as its target and 「不适用」 as its
completion in every disclosure output, and the importers read that text back as the mark."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest

from jixiao.core.model import IndicatorCell, printed_texts
from jixiao.formats import headers as H
from jixiao.formats import importer
from jixiao.formats.csv_table import dumps_csv
from jixiao.formats.html import render_disclosure_html
from jixiao.formats.xlsx_write import first_body_row, write_disclosure_xlsx

from .pdf_checks import WRITERS, body_rows

REASON = "本项目不涉及生态效益"
TARGET, ACTUAL = f"不适用（{REASON}）", "不适用"


@pytest.fixture
def marked_table(seed_table):
    first = seed_table.projects[0]
    cells = dict(first.indicators)
    cells["ecological"] = IndicatorCell(not_applicable=True, na_reason=REASON)
    return replace(seed_table, projects=[replace(first, indicators=cells), *seed_table.projects[1:]])


def test_printed_texts_say_not_applicable_with_the_reason():
    cell = IndicatorCell(target="ignored", actual="ignored", not_applicable=True, na_reason=REASON)
    assert printed_texts(cell) == (TARGET, ACTUAL)
    assert printed_texts(cell, "en") == (f"Not applicable ({REASON})", "Not applicable")
    assert printed_texts(IndicatorCell(not_applicable=True)) == ("不适用", "不适用")
    assert printed_texts(IndicatorCell(target="≥8人", actual="8人")) == ("≥8人", "8人")
    assert printed_texts(None) == ("", "")


def _columns(table):
    columns = H.body_columns(table)
    return (columns.index(next(c for c in columns if c.key == "indicators.ecological.target")),
            columns.index(next(c for c in columns if c.key == "indicators.ecological.actual")))


def test_xlsx_prints_not_applicable_and_imports_back_marked(tmp_path, marked_table):
    path = tmp_path / "na.xlsx"
    write_disclosure_xlsx(marked_table, path)
    ws = openpyxl.load_workbook(path).active
    t, a = _columns(marked_table)
    row = first_body_row(marked_table)
    assert (ws.cell(row=row, column=t + 1).value, ws.cell(row=row, column=a + 1).value) == (TARGET, ACTUAL)
    back = importer.import_file(path).table.projects[0].indicators["ecological"]
    assert (back.not_applicable, back.na_reason, back.target, back.actual) == (True, REASON, "", "")


def test_html_and_csv_print_not_applicable(marked_table):
    html = render_disclosure_html(marked_table)
    assert f">{TARGET}<" in html and f">{ACTUAL}<" in html
    assert f"{TARGET},{ACTUAL}" in dumps_csv(marked_table)


@pytest.mark.slow
@pytest.mark.parametrize("engine", sorted(WRITERS))
def test_pdf_prints_not_applicable_and_imports_back_marked(tmp_path, marked_table, engine):
    path = tmp_path / f"na-{engine}.pdf"
    WRITERS[engine](marked_table, path)
    rows, _ = body_rows(path)
    t, a = _columns(marked_table)
    assert (rows[0][t].replace("\n", ""), rows[0][a].replace("\n", "")) == (TARGET, ACTUAL)
    back = importer.import_file(path).table.projects[0].indicators["ecological"]
    assert (back.not_applicable, back.na_reason) == (True, REASON)


def test_text_import_reads_not_applicable(tmp_path, marked_table):
    path = tmp_path / "na.txt"
    columns = H.body_columns(marked_table)
    lines = ["\t".join(H.column_text(p, c) for c in columns) for p in marked_table.projects]
    header = "\t".join(c.label for c in columns)
    path.write_text(f"{marked_table.title}\n{header}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    back = importer.import_file(path).table.projects[0].indicators["ecological"]
    assert (back.not_applicable, back.na_reason) == (True, REASON)


def _form_rows(form):
    rows: dict[int, dict[int, object]] = {}
    for c in form.cells:
        rows.setdefault(c.row, {})[c.col] = c.value
    return rows


def test_mof_form_has_a_not_applicable_row_and_no_empty_level(marked_table):
    from jixiao.core import scoring
    from jixiao.formats import mof_grid

    project = marked_table.projects[0]
    form = mof_grid.build_form(marked_table, project, scoring.score_project(project))
    row = next(r for r in _form_rows(form).values() if r.get(1) == "生态效益指标")
    assert (row[2], row[3], row[4]) == ("—", TARGET, ACTUAL)
    assert 5 not in row and 6 not in row  # no 分值 or 得分 of its own


def test_mof_xlsx_and_html_print_not_applicable(tmp_path, marked_table):
    from jixiao.formats import mof_html, mof_xlsx

    one = replace(marked_table, projects=marked_table.projects[:1])
    path = tmp_path / "mof.xlsx"
    mof_xlsx.write_mof_xlsx(one, path)
    values = [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row]
    assert TARGET in values and ACTUAL in values
    assert TARGET in mof_html.render_mof_html(one)
