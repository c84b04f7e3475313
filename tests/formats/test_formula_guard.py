"""No text jixiao writes into an XLSX or CSV runs as a formula: the guard's character set, and
every export of a table whose every text starts like a formula, read back cell by cell."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import uuid
from decimal import Decimal

import openpyxl
import pytest

from jixiao.formats import csv_table, export, formula_guard
from jixiao.formats.formula_guard import (FORMULA_STARTS, csv_number_text, csv_text, is_formula_like,
                                          set_xlsx_text)
from tests.formats.hostile import STARTS, formula_cells, hostile_table, live_csv_cells, string_cells


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_the_guarded_set_covers_ascii_and_full_width_formula_starts(start):
    assert start in FORMULA_STARTS
    assert is_formula_like(start + "1+1")
    assert csv_text(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("text", [" =1+1", "\u3000＝1+1", "\u00a0+1"])
def test_leading_spaces_do_not_hide_a_formula_start(text):
    assert is_formula_like(text) and csv_text(text) == "'" + text


@pytest.mark.parametrize("text", ["项目", "100%", "1+1", "", "'=already"])
def test_ordinary_text_is_left_as_it_is(text):
    assert not is_formula_like(text) and csv_text(text) == text


def test_numbers_and_none_pass_the_csv_guard_unchanged():
    assert csv_text(Decimal("-3")) == Decimal("-3") and csv_text(None) is None and csv_text(-2) == -2


@pytest.mark.parametrize("rate", ["-2.00%", "-3", "+5.5%", "1,234.50"])
def test_a_printed_rate_that_is_a_plain_number_stays_a_number(rate):
    assert csv_number_text(rate) == rate


@pytest.mark.parametrize("rate", ["-2+3", "+1+1", "@SUM(1)", "=1/0", "－2%"])
def test_a_printed_rate_that_is_not_a_plain_number_is_guarded(rate):
    assert csv_number_text(rate) == "'" + rate


def test_an_xlsx_text_cell_is_a_string_with_a_quote_prefix(tmp_path):
    wb = openpyxl.Workbook()
    cell = set_xlsx_text(wb.active["A1"], "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix
    wb.save(tmp_path / "a.xlsx")
    back = openpyxl.load_workbook(tmp_path / "a.xlsx").active["A1"]
    assert back.data_type == "s" and back.value == "=1+1"


# --- every export -----------------------------------------------------------------------

@pytest.fixture
def table(seed_table):
    return hostile_table(seed_table)


EXPORTS = [("disclosure", "xlsx"), ("disclosure", "csv"), ("disclosure", "html"), ("disclosure", "json"),
           ("mof-form", "xlsx"), ("mof-form", "html")]


@pytest.mark.parametrize("layout,fmt", EXPORTS)
def test_no_export_of_a_formula_like_table_holds_a_live_formula(table, tmp_path, layout, fmt):
    path = export.export(table, tmp_path / f"out.{fmt}", layout=layout)
    if fmt == "xlsx":
        assert formula_cells(path) == []
        texts = "\n".join(string_cells(path))
        # The header lines are there, as text: attachment (A1), title (A2), department.
        if layout == "disclosure":
            ws = openpyxl.load_workbook(path).active
            for ref in ("A1", "A2"):
                assert ws[ref].data_type == "s" and formula_guard.is_formula_like(ws[ref].value)
        assert table.projects[0].name.replace("\r", "\n") in texts
    elif fmt == "csv":
        assert live_csv_cells(path.read_bytes()) == []
    elif fmt == "json":
        assert json.loads(path.read_text("utf-8"))["title"] == table.title  # data, never guarded


@pytest.mark.parametrize("rate", ["=1+1", "+1+1", "@SUM(1)", "-2+3", "＝1", "\t-1"])
def test_the_printed_rate_column_of_every_csv_is_guarded(seed_table, tmp_path, rate):
    seed_table.projects[0].execution_rate_text = rate
    rows = csv_table.csv_rows(seed_table)
    column = rows[0].index("预算支出执行率")
    assert rows[1][column] == "'" + rate
    csv_table.write_many_csv([("=src.json", seed_table)], tmp_path / "all.csv")
    data = (tmp_path / "all.csv").read_bytes()
    assert live_csv_cells(data) == []
    assert "'" + rate in data.decode("utf-8-sig")


def test_many_table_csv_guards_department_source_and_every_cell(table, tmp_path):
    csv_table.write_many_csv([("=cmd|' /C calc'!A0", table), ("@x.json", table)], tmp_path / "all.csv")
    data = (tmp_path / "all.csv").read_bytes()
    assert live_csv_cells(data) == []
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][1] == "'" + table.department and rows[1][3] == "'=cmd|' /C calc'!A0"


def test_negative_amounts_stay_numbers_in_csv_and_xlsx(seed_table, tmp_path):
    seed_table.projects[0].actual_non_fiscal = Decimal("-3")
    rows = csv_table.csv_rows(seed_table)
    assert "-3.00" in rows[1]
    path = export.export(seed_table, tmp_path / "n.xlsx")
    values = [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row]
    assert Decimal("-3") in values or -3 in values


def test_the_guard_is_one_module_and_no_writer_keeps_its_own_set():
    from pathlib import Path

    import jixiao

    root = Path(jixiao.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "formula_guard.py":
            continue
        text = path.read_text("utf-8")
        assert "_FORMULA_START" not in text and "FORMULA_STARTS =" not in text, path


# --- LibreOffice: a real spreadsheet opens every export ------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_evaluates_no_formula_in_any_xlsx_or_csv_export(table, tmp_path):
    guarded = [export.export(table, tmp_path / "disclosure.xlsx"),
               export.export(table, tmp_path / "mof.xlsx", layout="mof-form"),
               export.export(table, tmp_path / "table.csv")]
    csv_table.write_many_csv([("=x.json", table)], tmp_path / "many.csv")
    guarded.append(tmp_path / "many.csv")
    # Controls: the same texts unguarded are live formulas in LibreOffice, so the check can fail.
    export.export(table, tmp_path / "control.csv", guard_formulas=False)
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=1+1"
    wb.save(tmp_path / "control.xlsx")
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    out = tmp_path / "lo"
    # LibreOffice opens each file (CSV as UTF-8, comma-separated) and saves it again as XLSX:
    # a text it read as a formula is an <f> cell in what it wrote.
    for files, infilter in (([p for p in guarded if p.suffix == ".xlsx"] + [tmp_path / "control.xlsx"], []),
                            ([p for p in guarded if p.suffix == ".csv"] + [tmp_path / "control.csv"],
                             ["--infilter=CSV:44,34,76,1"])):
        subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                        *infilter, "--convert-to", "xlsx", "--outdir", str(out / files[0].suffix[1:]),
                        *map(str, files)], check=True, capture_output=True, timeout=300)
    assert formula_cells(out / "xlsx" / "control.xlsx")
    assert len(formula_cells(out / "csv" / "control.xlsx")) >= 10
    for path in guarded:
        resaved = out / path.suffix[1:] / f"{path.stem}.xlsx"
        assert formula_cells(resaved) == [], path.name
        texts = string_cells(resaved)
        assert any(STARTS[0] in t for t in texts) and any(t.lstrip("'").startswith("-2+3") for t in texts), path.name
