"""``jixiao import``: every kind to table JSON; bad input exits 2 with both languages and
leaves no output file and no report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.formats import table_json

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.parametrize("source", [
    "xlsx/yuan-cost.xlsx", pytest.param("pdf/seed-wan.pdf", marks=pytest.mark.slow), "000_68657388ac173f3b.txt",
    "selfeval-2019-longgang-gsl.golden.json",
])
def test_import_writes_table_json_and_report(tmp_path, capsys, source):
    out, report = tmp_path / "t.json", tmp_path / "r.txt"
    assert main(["import", str(FIXTURES / source), "-o", str(out), "--report", str(report)]) == 0
    table = table_json.load(out)
    assert len(table.projects) == 6
    assert report.read_text(encoding="utf-8").startswith("# jixiao import:")
    assert "已导入 / imported" in capsys.readouterr().out


def test_report_goes_to_stderr_without_report_option(tmp_path, capsys):
    assert main(["import", str(FIXTURES / "xlsx" / "yuan-cost.xlsx"), "-o", str(tmp_path / "t.json")]) == 0
    assert "合计" in capsys.readouterr().err


@pytest.mark.slow
def test_imported_table_passes_to_check(tmp_path):
    out = tmp_path / "t.json"
    assert main(["import", str(FIXTURES / "pdf" / "multipage.pdf"), "-o", str(out)]) == 0
    assert main(["check", str(out)]) in (0, 1)  # runs; findings are the check's business


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    files = {}
    files["empty"] = tmp / "empty.pdf"
    files["empty"].write_bytes(b"")
    files["truncated"] = tmp / "cut.pdf"
    data = (FIXTURES / "pdf" / "seed-wan.pdf").read_bytes()
    files["truncated"].write_bytes(data[: len(data) // 3])
    files["huge"] = tmp / "huge.xlsx"
    with files["huge"].open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(200 * 1024 * 1024)
    files["prose"] = tmp / "notes.txt"
    files["prose"].write_text("会议纪要\n今天讨论了明年的工作安排。\n", encoding="utf-8")
    files["binary"] = tmp / "x.dat"
    files["binary"].write_bytes(bytes(range(256)) * 4)
    return files


@pytest.mark.parametrize("name", ["empty", "truncated", "huge", "prose", "binary"])
def test_bad_input_exits_2_with_both_languages_and_writes_nothing(tmp_path, capsys, name):
    src = _bad_inputs(tmp_path)[name]
    out, report = tmp_path / "out" / "t.json", tmp_path / "out" / "r.txt"
    out.parent.mkdir()
    assert main(["import", str(src), "-o", str(out), "--report", str(report)]) == 2
    err = capsys.readouterr().err
    line = err.strip().splitlines()[-1]
    assert " / " in line and any("\u4e00" <= ch <= "\u9fff" for ch in line)  # Chinese, then English
    assert "Traceback" not in err
    assert list(out.parent.iterdir()) == []  # no output, no report, no temporary file


def test_limits_file_with_unknown_key_exits_2(tmp_path, capsys):
    limits = tmp_path / "limits.json"
    limits.write_text(json.dumps({"max_pagez": 3}), encoding="utf-8")
    out = tmp_path / "t.json"
    assert main(["import", str(FIXTURES / "pdf" / "seed-wan.pdf"), "-o", str(out), "--limits", str(limits)]) == 2
    assert "max_pagez" in capsys.readouterr().err
    assert not out.exists()


def test_limits_file_applies(tmp_path, capsys):
    limits = tmp_path / "limits.json"
    limits.write_text(json.dumps({"max_pages": 1}), encoding="utf-8")
    out = tmp_path / "t.json"
    assert main(["import", str(FIXTURES / "pdf" / "multipage.pdf"), "-o", str(out), "--limits", str(limits)]) == 2
    assert "too many pages" in capsys.readouterr().err
    assert not out.exists()
