"""``jixiao import``, ``export`` and ``check`` on a 绩效目标表: the kind of document is told from
the file (JSON, XLSX, PDF or pdftotext text); exit 0/1/2 as for a table; bad input is one
bilingual line, exit 2, nothing written."""

import json
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.formats import targets_json

from ..formats.targets_fixtures import sample_sheet


@pytest.fixture
def targets(tmp_path):
    path = tmp_path / "targets.json"
    targets_json.dump(sample_sheet(), path)
    return path


def test_export_to_xlsx_then_import_gives_back_the_same_document(tmp_path, targets, capsys):
    assert main(["export", str(targets), "-o", str(tmp_path / "t.xlsx")]) == 0
    assert main(["import", str(tmp_path / "t.xlsx"), "-o", str(tmp_path / "back.json")]) == 0
    assert (tmp_path / "back.json").read_text("utf-8") == targets.read_text("utf-8")
    assert "2 个项目 / projects, 13 个三级指标 / indicators" in capsys.readouterr().out


def test_importing_targets_json_writes_it_normalised(tmp_path, targets):
    doc = json.loads(targets.read_text("utf-8"))
    doc["projects"][0]["funds"]["total"] = 250  # a number is accepted, written back as text
    (tmp_path / "in.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert main(["import", str(tmp_path / "in.json"), "-o", str(tmp_path / "out.json")]) == 0
    assert targets_json.load(tmp_path / "out.json") == sample_sheet()


def test_check_reports_the_target_findings_and_exits_0_without_errors(targets, capsys):
    assert main(["check", str(targets), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "targets" and out["year"] == 2023 and len(out["projects"]) == 2
    assert [f["code"] for f in out["findings"]] == ["JX604", "JX604", "JX605"]
    assert out["counts"] == {"error": 0, "warning": 3, "info": 0}


def test_check_exits_1_when_a_target_error_is_found(tmp_path, targets, capsys):
    doc = json.loads(targets.read_text("utf-8"))
    doc["projects"][1]["goal"] = ""
    (tmp_path / "bad.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert main(["check", str(tmp_path / "bad.json"), "--width", "100"]) == 1
    out = capsys.readouterr().out
    assert "JX610" in out and "没有填写年度总体目标" in out and "The annual overall goal is missing" in out


def test_check_takes_the_config_of_the_target_checks(tmp_path, targets):
    (tmp_path / "c.json").write_text('{"disabled": ["JX604", "JX605"]}', "utf-8")
    assert main(["check", str(targets), "--config", str(tmp_path / "c.json")]) == 0
    (tmp_path / "c.json").write_text('{"min_satisfaction": "很高"}', "utf-8")
    assert main(["check", str(targets), "--config", str(tmp_path / "c.json")]) == 2


def test_export_to_pdf_writes_a_pdf(tmp_path, targets):
    assert main(["export", str(targets), "-o", str(tmp_path / "t.pdf")]) == 0
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args, words", [
    (["export", "{t}", "-o", "{o}/t.csv"], "不支持「csv」"),
    (["export", "{t}", "-o", "{o}/t.pdf", "--pdfa"], "--pdfa"),
    (["import", "{t}", "-o", "{o}/t.xlsx"], ".json"),
    (["import", "{t}", "-o", "{o}/t.json", "--year", "2025"], "--year"),
])
def test_options_that_do_not_apply_exit_2_and_write_nothing(tmp_path, targets, capsys, args, words):
    out = tmp_path / "out"
    out.mkdir()
    assert main([a.format(t=targets, o=out) for a in args]) == 2
    err = capsys.readouterr().err
    assert words in err and " / " in err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("text, words", [
    ('{"kind": "targets", "year": 2023, "projects": [{"name": "x", "budget": 1}]}', "$.projects[0].budget"),
    ('{"kind": "targets", "year": 2023, "projects": [{"name": "x", "indicators": [{"kind": "speed", "name": "y"}]}]}',
     "未知的二级指标"),
    ('{"kind": "targets", "year": "明年", "projects": []}', "$.year"),
    ('{"kind": "targets", "year": 2023, "projects": [', "JSON 格式错误"),
])
@pytest.mark.parametrize("command", ["import", "export", "check"])
def test_a_bad_targets_document_exits_2_with_one_bilingual_line_and_writes_nothing(tmp_path, capsys, text, words,
                                                                                   command):
    bad = tmp_path / "bad.json"
    bad.write_text(text, "utf-8")
    assert_refused_in_one_bilingual_line(tmp_path, capsys, command, bad, words)


def assert_refused_in_one_bilingual_line(tmp_path, capsys, command, bad, words):
    """``command`` on the file ``bad`` exits 2 with one bilingual line holding ``words`` and writes nothing."""
    out = tmp_path / "out"
    out.mkdir()
    args = [command, str(bad)] + ([] if command == "check" else ["-o", str(out / "o.json")])
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and " / " in err and len(err.splitlines()) == 1
    assert list(out.iterdir()) == []


def test_a_damaged_targets_xlsx_exits_2(tmp_path, targets, capsys):
    assert main(["export", str(targets), "-o", str(tmp_path / "t.xlsx")]) == 0
    data = (tmp_path / "t.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    # A cut workbook no longer says 绩效目标 readably: it is handed to the table importer, which refuses it.
    assert main(["import", str(tmp_path / "cut.xlsx"), "-o", str(tmp_path / "o.json")]) == 2
    assert not (tmp_path / "o.json").exists()


def test_a_targets_pdf_imports_with_every_printed_field(tmp_path, targets, capsys):
    assert main(["export", str(targets), "-o", str(tmp_path / "t.pdf")]) == 0
    assert main(["import", str(tmp_path / "t.pdf"), "-o", str(tmp_path / "back.json")]) == 0
    back = targets_json.load(tmp_path / "back.json")
    # The sheet's title and scoring profile are not printed on the form; everything else is.
    sheet = sample_sheet()
    sheet.title, sheet.profile = "", ""
    assert back == sheet


def test_a_self_evaluation_xlsx_is_still_imported_as_a_table(tmp_path, golden_path):
    assert main(["export", str(golden_path), "-o", str(tmp_path / "t.xlsx")]) == 0
    assert main(["import", str(tmp_path / "t.xlsx"), "-o", str(tmp_path / "t.json")]) == 0
    assert "kind" not in json.loads((tmp_path / "t.json").read_text("utf-8"))


# --- one bounded child tells what a file is and reads it ------------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _children(caplog) -> list[str]:
    """The files the bounded child processes parsed (one log line each, formats/sandbox.py)."""
    return [r.getMessage() for r in caplog.records if "import child for" in r.getMessage()]


@pytest.mark.parametrize("kind", ["self-evaluation XLSX", "targets XLSX", "self-evaluation text", "targets text",
                                  pytest.param("self-evaluation PDF", marks=pytest.mark.slow),
                                  pytest.param("targets PDF", marks=pytest.mark.slow)])
def test_import_tells_what_a_file_is_and_reads_it_in_one_bounded_child_process(tmp_path, caplog, kind):
    from jixiao.formats.targets_typst import write_targets_pdf
    from jixiao.formats.targets_xlsx import write_targets_xlsx

    path = {"self-evaluation XLSX": FIXTURES / "xlsx" / "seed-wan.xlsx",
            "self-evaluation PDF": FIXTURES / "pdf" / "seed-wan.pdf",
            "self-evaluation text": FIXTURES / "000_68657388ac173f3b.txt",
            "targets text": TEXTS / "xiangtan-lo.txt"}.get(kind, tmp_path / f"targets.{kind[8:].lower()}")
    if kind == "targets XLSX":
        write_targets_xlsx(sample_sheet(), path)
    elif kind == "targets PDF":
        write_targets_pdf(sample_sheet(), path)
    caplog.set_level("INFO", logger="jixiao.formats.sandbox")
    assert main(["import", str(path), "-o", str(tmp_path / "out.json")]) == 0
    assert len(_children(caplog)) == 1
    written = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert (written.get("kind") == "targets") == kind.startswith("targets")


def test_check_history_reads_a_self_evaluation_workbook_in_one_bounded_child_process(tmp_path, targets, caplog,
                                                                                       capsys):
    caplog.set_level("INFO", logger="jixiao.formats.sandbox")
    main(["check", str(targets), "--history", str(FIXTURES / "xlsx" / "seed-wan.xlsx")])
    assert len(_children(caplog)) == 1 and "earlier years' values" in capsys.readouterr().out


# --- the form as pdftotext -layout text (formats/targets_text.py) -------------------------------

TEXTS = Path(__file__).resolve().parents[1] / "fixtures" / "targets-text"


def test_a_targets_form_s_layout_text_imports_as_targets_json_with_every_value(tmp_path, capsys):
    assert main(["import", str(TEXTS / "xiangtan-lo.txt"), "-o", str(tmp_path / "t.json")]) == 0
    assert targets_json.load(tmp_path / "t.json") == targets_json.load(TEXTS / "xiangtan-lo.targets.json")
    assert "1 个项目 / projects, 7 个三级指标 / indicators" in capsys.readouterr().out


def test_check_reads_a_targets_form_from_its_text_and_reports_its_findings(capsys):
    assert main(["check", str(TEXTS / "xiangtan-lo.txt"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["kind"], out["year"], [f["code"] for f in out["findings"]]) == ("targets", 2023, ["JX608"])


def test_a_self_evaluation_table_s_text_is_still_imported_as_a_table(tmp_path):
    seed_text = TEXTS.parent / "000_68657388ac173f3b.txt"
    assert main(["import", str(seed_text), "-o", str(tmp_path / "t.json")]) == 0
    assert "kind" not in json.loads((tmp_path / "t.json").read_text("utf-8"))


BAD_TEXTS = {
    "without -layout": ((TEXTS / "without-layout" / "xiangtan-lo.txt").read_bytes(), "pdftotext -layout"),
    "no indicator header": ("2024年项目支出绩效目标表\n\n项目名称    某项目\n".encode(), "表头"),
    "an unknown level": ((TEXTS / "xiangtan-lo.txt").read_text("utf-8").replace("数量指标", "速度指标").encode(),
                         "速度指标"),
    # Not text: the import says so as for any file (check reads tables as JSON only and says that).
    "binary after a title": ("项目支出绩效目标表\n".encode() + b"\x00\xff" * 500, "不是可识别的文件格式"),
    "empty": (b"", "文件为空"),
}


@pytest.mark.parametrize("case", list(BAD_TEXTS))
@pytest.mark.parametrize("command", ["import", "check"])
def test_unusable_targets_text_exits_2_with_one_bilingual_line_and_writes_nothing(tmp_path, capsys, case, command):
    content, words = BAD_TEXTS[case]
    if command == "check" and case in ("binary after a title", "empty"):
        words = "UTF-8" if case == "binary after a title" else "JSON"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert_refused_in_one_bilingual_line(tmp_path, capsys, command, bad, words)


def test_targets_text_over_the_import_s_size_limit_exits_2(tmp_path, capsys):
    (tmp_path / "limits.json").write_text('{"max_file_bytes": 1000}', "utf-8")
    assert main(["import", str(TEXTS / "xiangtan-lo.txt"), "-o", str(tmp_path / "o.json"),
                 "--limits", str(tmp_path / "limits.json")]) == 2
    assert "文件过大" in capsys.readouterr().err and not (tmp_path / "o.json").exists()
