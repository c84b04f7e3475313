import csv
import io
from dataclasses import replace

import pytest

from jixiao.core.model import IndicatorCell
from jixiao.errors import OutputError
from jixiao.formats import headers as H
from jixiao.formats.csv_table import csv_rows, dumps_csv, write_csv


def _read(path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel reads Chinese"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_seed_csv_has_flat_header_one_row_per_project_and_totals(seed_table, tmp_path):
    path = tmp_path / "seed.csv"
    write_csv(seed_table, path)
    rows = _read(path)
    assert rows[0][:6] == ["序号", "单位名称", "项目名称", "是否政府投资项目", "项目年度预算金额",
                           "实际支出金额_合计"]
    assert "数量指标_年度指标内容" in rows[0] and "数量指标_完成情况" in rows[0]
    assert len(rows) == 1 + len(seed_table.projects) + 1
    header = rows[0]
    first = dict(zip(header, rows[1]))
    assert first["序号"] == "1" and first["项目名称"] == "办公设备购置"
    assert first["项目年度预算金额"] == "3.80" and first["预算支出执行率"] == "99.74%"
    assert first["是否政府投资项目"] == "否"
    assert first["数量指标_年度指标内容"] == "电脑3台，办公桌椅1批"
    totals = dict(zip(header, rows[-1]))
    assert totals["序号"] == "合计" and totals["项目年度预算金额"] == "491.59"
    assert totals["实际支出金额_合计"] == "489.20" and totals["预算支出执行率"] == "99.51%"
    assert totals["年初绩效目标"] == ""


def test_every_cell_reads_back_as_printed(seed_table, tmp_path):
    path = tmp_path / "seed.csv"
    write_csv(seed_table, path)
    rows = _read(path)
    columns = H.body_columns(seed_table)
    for project, row in zip(seed_table.projects, rows[1:]):
        assert row == [H.column_text(project, c) for c in columns]


def test_crlf_line_ends_and_quoting_survive_commas_quotes_newlines(seed_table, tmp_path):
    seed_table.projects[0].problems = '第一行,"引号"\n第二行'
    path = tmp_path / "q.csv"
    write_csv(seed_table, path)
    assert b"\r\n" in path.read_bytes()
    rows = _read(path)
    assert rows[1][rows[0].index("项目执行中存在的问题")] == '第一行,"引号"\n第二行'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_formula_like_text_is_guarded_by_default(seed_table, text):
    seed_table.projects[0].name = text
    seed_table.projects[0].indicators["quantity"] = IndicatorCell(text, "ok")
    rows = csv_rows(seed_table)
    assert rows[1][2] == "'" + text
    assert rows[1][rows[0].index("数量指标_年度指标内容")] == "'" + text
    raw = csv_rows(seed_table, guard_formulas=False)
    assert raw[1][2] == text


def test_numbers_are_never_guarded(seed_table):
    from decimal import Decimal

    seed_table.projects[0].actual_non_fiscal = Decimal("-3.00")
    rows = csv_rows(seed_table)
    assert rows[1][rows[0].index("实际支出金额_非财政拨款资金")] == "-3.00"


def test_dumps_matches_the_file(seed_table, tmp_path):
    path = tmp_path / "a.csv"
    write_csv(seed_table, path)
    assert path.read_bytes() == dumps_csv(seed_table).encode("utf-8-sig")


def test_no_projects_writes_nothing(seed_table, tmp_path):
    with pytest.raises(OutputError):
        write_csv(replace(seed_table, projects=[]), tmp_path / "e.csv")
    assert list(tmp_path.iterdir()) == []


def test_many_tables_in_one_csv_line_up_on_the_full_layout(seed_table, tmp_path):
    from jixiao.core.money import MoneyUnit
    from jixiao.core.taxonomy import FULL
    from jixiao.formats.csv_table import MANY_LEADING, many_columns, write_many_csv
    from jixiao.generate import generate_table

    other = replace(generate_table(4, seed=5), department="=cmd|' /C calc'!A0", money_unit=MoneyUnit.YUAN)
    path = tmp_path / "all.csv"
    assert write_many_csv([("a.json", seed_table), ("p.jsonl:2", other)], path) == (2, 10)
    rows = _read(path)
    columns = many_columns()
    assert rows[0] == [*MANY_LEADING, *(c.label for c in columns)]
    assert len(columns) == len(H.body_columns(replace(seed_table, layout=FULL)))
    assert len(rows) == 1 + 6 + 4  # no 合计 rows
    seed_rows = rows[1:7]
    assert {(r[0], r[1], r[2], r[3]) for r in seed_rows} == {(str(seed_table.year), seed_table.department, "万元", "a.json")}
    # each project's cells are the single-table CSV's, moved to the full layout's columns
    single = csv_rows(seed_table)
    by_label = [dict(zip(single[0], r)) for r in single[1:-1]]
    for row, expected in zip(seed_rows, by_label):
        got = dict(zip((c.label for c in columns), row[4:]))
        assert all(got[k] == v for k, v in expected.items())
        assert all(got[c.label] == "" for c in columns if c.label not in expected)
    # text outside the body that starts like a formula is shown as text; the unit is the table's
    assert {(r[1], r[2], r[3]) for r in rows[7:]} == {("'=cmd|' /C calc'!A0", "元", "p.jsonl:2")}


def test_many_tables_without_projects_write_nothing(seed_table, tmp_path):
    from jixiao.formats.csv_table import write_many_csv

    with pytest.raises(OutputError):
        write_many_csv([("a.json", replace(seed_table, projects=[]))], tmp_path / "all.csv")
    assert list(tmp_path.iterdir()) == []
