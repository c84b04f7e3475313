import io
import json
import sys

import openpyxl
import pytest

from jixiao.cli import main
from jixiao.formats import pdf_render


def _files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "table.json")


def test_export_xlsx(golden_path, tmp_path, capsys):
    out = tmp_path / "公开表.xlsx"
    assert main(["export", str(golden_path), "-o", str(out)]) == 0
    assert openpyxl.load_workbook(out).active["A3"].value == "部门名称（盖章）：深圳市龙岗区工商业联合会"
    assert "公开表.xlsx" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", ["csv", "json", "html"])
def test_export_other_formats(golden_path, tmp_path, suffix):
    out = tmp_path / f"t.{suffix}"
    assert main(["export", str(golden_path), "-o", str(out)]) == 0
    assert "办公设备购置" in out.read_bytes().decode("utf-8-sig")


def test_export_reads_stdin(golden_path, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(golden_path.read_bytes())))
    out = tmp_path / "t.csv"
    assert main(["export", "-", "-o", str(out)]) == 0
    assert out.exists()


def _fails(argv, capsys, *needles):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    return err


def test_unknown_suffix(golden_path, tmp_path, capsys):
    _fails(["export", str(golden_path), "-o", str(tmp_path / "t.docx")], capsys,
           "不支持的输出格式", "unsupported output format")
    assert _files(tmp_path) == []


def test_unknown_layout(golden_path, tmp_path, capsys):
    _fails(["export", str(golden_path), "-o", str(tmp_path / "t.xlsx"), "--layout", "wide"], capsys,
           "未知的版式", "unknown layout")
    assert _files(tmp_path) == []


def test_pdfa_only_for_pdf(golden_path, tmp_path, capsys):
    _fails(["export", str(golden_path), "-o", str(tmp_path / "t.xlsx"), "--pdfa"], capsys, "pdfa")
    assert _files(tmp_path) == []


def test_unwritable_path(golden_path, tmp_path, capsys):
    _fails(["export", str(golden_path), "-o", str(tmp_path / "no" / "t.xlsx")], capsys,
           "输出目录不存在", "output folder does not exist")
    assert _files(tmp_path) == []


def test_zero_projects(golden_path, tmp_path, capsys):
    doc = json.loads(golden_path.read_text(encoding="utf-8"))
    doc["projects"] = []
    src = tmp_path / "table.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for suffix in ("xlsx", "csv", "json", "html", "pdf"):
        _fails(["export", str(src), "-o", str(tmp_path / f"t.{suffix}")], capsys,
               "没有项目", "no projects")
    assert _files(tmp_path) == []


def test_bad_table_json(tmp_path, capsys):
    src = tmp_path / "table.json"
    src.write_text("{", encoding="utf-8")
    _fails(["export", str(src), "-o", str(tmp_path / "t.xlsx")], capsys, "JSON")
    assert _files(tmp_path) == []


def test_missing_cjk_font_for_pdf(golden_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(pdf_render.FONT_ENV, str(tmp_path / "no-such-font.ttf"))
    pdf_render.clear_font_cache()
    try:
        _fails(["export", str(golden_path), "-o", str(tmp_path / "t.pdf")], capsys,
               "字体", "font")
    finally:
        monkeypatch.delenv(pdf_render.FONT_ENV)
        pdf_render.clear_font_cache()
    assert _files(tmp_path) == []


def test_a_folder_and_files_export_as_one_csv(golden_path, tmp_path, capsys):
    import csv
    import shutil

    from jixiao.formats import table_json
    from jixiao.generate import generate_table

    folder = tmp_path / "tables"
    folder.mkdir()
    shutil.copy(golden_path, folder / "seed.json")
    table_json.dump(generate_table(3, seed=1), folder / "gen.json")
    (folder / "seed.json.report.txt").write_text("not a table", encoding="utf-8")
    out = tmp_path / "all.csv"
    assert main(["export", str(folder), str(golden_path), "-o", str(out)]) == 0
    assert "3 张表 / tables, 15 个项目 / projects" in capsys.readouterr().out
    rows = list(csv.reader(out.read_bytes().decode("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["年度", "部门", "金额单位", "来源"]
    assert [r[3] for r in rows[1:]] == [str(folder / "gen.json")] * 3 + [str(folder / "seed.json")] * 6 + [str(golden_path)] * 6


@pytest.mark.parametrize("extra", [["-o", "all.xlsx"], ["-o", "all.csv", "--layout", "mof-form"],
                                   ["-o", "all.csv", "--pdf-engine", "typst"]])
def test_many_tables_only_as_one_csv(golden_path, tmp_path, capsys, monkeypatch, extra):
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(golden_path), str(golden_path), *extra]) == 2
    err = capsys.readouterr().err
    assert "只能合并导出为一个 CSV" in err and "one CSV" in err
    assert list(tmp_path.iterdir()) == []
