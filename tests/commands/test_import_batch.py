"""``jixiao import`` over several files or a folder: one table JSON and report per input, bad
inputs recorded and skipped, a summary CSV for Excel, exit 2 when any input failed."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.formats import table_json

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    (src / "2019" / "区属").mkdir(parents=True)
    shutil.copy(FIXTURES / "pdf" / "seed-wan.pdf", src / "2019" / "公开表.pdf")
    shutil.copy(FIXTURES / "xlsx" / "yuan-cost.xlsx", src / "2019" / "区属" / "公开表.xlsx")
    shutil.copy(FIXTURES / "000_68657388ac173f3b.txt", src / "pdftotext.txt")
    (src / "会议纪要.txt").write_text("会议纪要\n今天讨论了明年的工作安排。\n", encoding="utf-8")
    (src / ".DS_Store").write_bytes(b"\x00\x01")
    (src / ".git").mkdir()
    (src / ".git" / "x.pdf").write_bytes(b"%PDF-")
    return src


def _summary(out: Path) -> list[dict]:
    raw = (out / "import-summary.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel and WPS read UTF-8 only with the BOM
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


@pytest.mark.slow
def test_a_folder_is_imported_file_by_file_and_a_bad_file_does_not_stop_it(tmp_path, folder, capsys):
    out = tmp_path / "out"
    assert main(["import", str(folder), "-o", str(out)]) == 2  # one input failed
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err and "会议纪要.txt" in printed.err
    assert "4 files, 3 imported, 1 failed" in printed.out
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == sorted(["2019/区属/公开表.xlsx.json", "2019/区属/公开表.xlsx.report.txt",
                              "2019/公开表.pdf.json", "2019/公开表.pdf.report.txt",
                              "import-summary.csv", "pdftotext.txt.json", "pdftotext.txt.report.txt"])
    for name in ("2019/公开表.pdf.json", "2019/区属/公开表.xlsx.json", "pdftotext.txt.json"):
        assert len(table_json.load(out / name).projects) == 6
    assert (out / "2019/公开表.pdf.report.txt").read_text(encoding="utf-8").startswith("# jixiao import: pdf")
    rows = _summary(out)
    assert [(Path(r["file"]).name, r["status"], r["kind"], r["projects"]) for r in rows] == [
        ("公开表.pdf", "ok", "pdf", "6"), ("公开表.xlsx", "ok", "xlsx", "6"),
        ("pdftotext.txt", "ok", "text", "6"), ("会议纪要.txt", "error", "", "")]
    bad = rows[-1]
    assert bad["output"] == "" and " / " in bad["message"] and any("\u4e00" <= c <= "\u9fff" for c in bad["message"])
    assert rows[0]["output"] == "2019/公开表.pdf.json"


@pytest.mark.slow
def test_several_files_in_parallel_give_the_same_files(tmp_path, folder, capsys):
    files = [str(folder / "2019" / "公开表.pdf"), str(folder / "pdftotext.txt")]
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["import", *files, "-o", str(one)]) == 0
    assert main(["import", *files, "-o", str(two), "--jobs", "2"]) == 0
    for name in ("公开表.pdf.json", "pdftotext.txt.json", "公开表.pdf.report.txt", "import-summary.csv"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_one_file_into_an_existing_folder(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert main(["import", str(FIXTURES / "xlsx" / "yuan-cost.xlsx"), "-o", str(out)]) == 0
    assert len(table_json.load(out / "yuan-cost.xlsx.json").projects) == 6


@pytest.mark.parametrize("case", ["missing input", "empty folder", "output is a file", "report option",
                                  "same output twice", "jobs 0"])
def test_batch_refusals_exit_2_and_write_nothing(tmp_path, capsys, case):
    a = FIXTURES / "xlsx" / "yuan-cost.xlsx"
    out = tmp_path / "out"
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(a, other / a.name)
    (tmp_path / "empty").mkdir()
    args = {
        "missing input": [str(a), str(tmp_path / "nope.pdf"), "-o", str(out)],
        "empty folder": [str(tmp_path / "empty"), "-o", str(out)],
        "output is a file": [str(a), str(other / a.name), "-o", str(other / a.name)],
        "report option": [str(a), str(FIXTURES / "pdf" / "seed-wan.pdf"), "-o", str(out), "--report", "r.txt"],
        "same output twice": [str(a), str(other / a.name), "-o", str(out)],
        "jobs 0": [str(a), "-o", str(out), "--jobs", "0"],
    }[case]
    before = sorted(p.name for p in other.iterdir())
    assert main(["import", *args]) == 2
    err = capsys.readouterr().err
    assert " / " in err and "Traceback" not in err
    assert not out.exists() and sorted(p.name for p in other.iterdir()) == before


def test_a_targets_form_in_the_folder_is_imported_as_targets_json_beside_the_tables(tmp_path, capsys):
    from jixiao.formats import targets_json
    from jixiao.formats.targets_xlsx import write_targets_xlsx

    from ..formats.targets_fixtures import sample_sheet

    src, out = tmp_path / "公开文件", tmp_path / "导入结果"
    src.mkdir()
    shutil.copy(FIXTURES / "000_68657388ac173f3b.txt", src / "自评表.txt")
    shutil.copy(FIXTURES / "targets-text" / "xiangtan-lo.txt", src / "湘潭目标表.txt")
    write_targets_xlsx(sample_sheet(), src / "目标表.xlsx")
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert "3 files, 3 imported, 0 failed" in capsys.readouterr().out
    assert [(Path(r["file"]).name, r["status"], r["kind"], r["projects"], r["output"]) for r in _summary(out)] == [
        ("湘潭目标表.txt", "ok", "targets", "1", "湘潭目标表.txt.json"),
        ("目标表.xlsx", "ok", "targets", "2", "目标表.xlsx.json"),
        ("自评表.txt", "ok", "text", "6", "自评表.txt.json")]
    assert targets_json.load(out / "目标表.xlsx.json") == sample_sheet()
    assert (out / "目标表.xlsx.report.txt").read_text("utf-8") == \
        "# jixiao import: 绩效目标表 / targets form, 2 个项目 / projects, 13 个三级指标 / indicators\n"
    assert len(table_json.load(out / "自评表.txt.json").projects) == 6


def test_check_and_score_of_the_output_folder_read_its_tables_and_name_the_targets_forms_left_aside(tmp_path,
                                                                                                     capsys):
    from jixiao.formats import targets_json

    from ..formats.targets_fixtures import sample_sheet

    shutil.copy(FIXTURES / "selfeval-2019-longgang-gsl.golden.json", tmp_path / "自评表.pdf.json")
    targets_json.dump(sample_sheet(), tmp_path / "目标表.pdf.json")
    for command in ("check", "score"):
        assert main([command, str(tmp_path), "--json"]) == 0
        printed = capsys.readouterr()
        assert [json.loads(line)["file"] for line in printed.out.splitlines()] == [str(tmp_path / "自评表.pdf.json")]
        assert f"jixiao check {tmp_path / '目标表.pdf.json'}" in printed.err and " / " in printed.err
