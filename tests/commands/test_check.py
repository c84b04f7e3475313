import io
import json
import subprocess
import sys

import pytest

from jixiao.cli import main

SEED_RATES = ["99.74%", "91.68%", "99.92%", "99.99%", "99.71%", "99.88%"]


def test_golden_human_output(golden_path, capsys):
    assert main(["check", str(golden_path), "--width", "100"]) == 0
    out = capsys.readouterr().out
    for rate in SEED_RATES:
        assert rate in out
    total_line = next(line for line in out.splitlines() if "合计" in line)
    assert "491.59" in total_line and "489.20" in total_line and "99.51%" in total_line
    assert "0 错误 errors" in out
    # findings are grouped under their project
    assert out.index("项目 2「其他一般管理事务」 / project 2") < out.index("JX204")


def test_golden_json(golden_path, capsys):
    assert main(["check", str(golden_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [p["execution_rate"] for p in doc["projects"]] == SEED_RATES
    assert doc["totals"]["budget"] == "491.59" and doc["totals"]["actual_total"] == "489.20"
    assert doc["totals"]["execution_rate"] == "99.51%"
    assert doc["counts"]["error"] == 0 and doc["counts"]["warning"] == len(doc["findings"])
    assert set(doc["findings"][0]) == {"code", "severity", "project_seq", "project_name", "column", "message_zh",
                                       "message_en"}


def _write(tmp_path, doc, name="t.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def test_errors_exit_1(golden_path, tmp_path, capsys):
    doc = json.loads(golden_path.read_text("utf-8"))
    doc["projects"][1]["actual_total"] = "21.59"
    assert main(["check", str(_write(tmp_path, doc))]) == 1
    out = capsys.readouterr().out
    assert "JX101" in out and "其他一般管理事务" in out


def test_stdin(golden_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(golden_path.read_bytes()), encoding="utf-8"))
    assert main(["check", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == "<stdin>"


def test_config(golden_path, tmp_path, capsys):
    cfg = _write(tmp_path, {"low_rate_threshold": "99.8", "severity": {"JX301": "error"}}, "c.json")
    assert main(["check", str(golden_path), "--config", str(cfg), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["project_seq"]) for f in doc["findings"] if f["severity"] == "error"] == [("JX301", 1), ("JX301", 5)]


def test_bad_config(golden_path, tmp_path, capsys):
    cfg = _write(tmp_path, {"low_rate_treshold": 95}, "c.json")
    assert main(["check", str(golden_path), "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "c.json" in err and "$.low_rate_treshold" in err and "unknown setting" in err


def test_jsonl(tmp_path, capsys):
    from jixiao.formats import table_json
    from jixiao.generate import generate_province
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(table_json.to_document(t), ensure_ascii=False) + "\n"
                            for t in generate_province(40, seed=1, inconsistent_share=0)), "utf-8")
    assert main(["check", str(path), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(path.read_text("utf-8").splitlines())
    assert json.loads(lines[0])["file"] == f"{path}:1"


BAD = [
    ("malformed", lambda d: None, '{"year": 2019,', "$", "malformed JSON"),
    ("wrong type", lambda d: d["projects"][0].__setitem__("seq", [1]), None, "$.projects[0].seq", "integer"),
    ("missing field", lambda d: d.pop("money_unit"), None, "$.money_unit", "missing required field"),
    ("unknown unit", lambda d: d.__setitem__("money_unit", "千元"), None, "$.money_unit", "unknown money unit"),
    ("text in money", lambda d: d["projects"][3].__setitem__("budget", "一百万"), None, "$.projects[3].budget",
     "not a number"),
    ("NaN amount", lambda d: None, '{"year": 2019, "department": "x", "money_unit": "万元", '
     '"projects": [{"seq": 1, "name": "a", "budget": NaN}]}', "$.projects[0].budget", "not a finite"),
    ("huge amount", lambda d: None, '{"year": 2019, "department": "x", "money_unit": "万元", '
     '"projects": [{"seq": 1, "name": "a", "actual_total": 1e400}]}', "$.projects[0].actual_total", "not a finite"),
    ("bad layout entry", lambda d: d.__setitem__("layout", [{}]), None, "$.layout[0]", "unknown indicator kind"),
    # The bounds every way in shares (jixiao.core.validation, docs/table-json.md "Limits").
    ("superscript seq", lambda d: d["projects"][0].__setitem__("seq", "²"), None, "$.projects[0].seq", "integer"),
    ("5,000-digit seq", lambda d: None, '{"year": 2019, "department": "x", "money_unit": "万元", '
     '"projects": [{"seq": 1' + "0" * 5000 + ', "name": "a"}]}', "$", "too long"),
    ("negative seq", lambda d: d["projects"][0].__setitem__("seq", -5), None, "$.projects[0].seq", "from 1 to 100000"),
    ("budget 1E-28", lambda d: None, '{"year": 2019, "department": "x", "money_unit": "万元", '
     '"projects": [{"seq": 1, "name": "a", "budget": 1E-28}]}', "$.projects[0].budget", "at most 4 decimals"),
    ("lone surrogate", lambda d: None, '{"year": 2019, "department": "x", "money_unit": "万元", '
     '"projects": [{"seq": 1, "name": "a\\ud800"}]}', "$.projects[0].name", "lone surrogate"),
    ("NUL in a name", lambda d: d["projects"][0].__setitem__("name", "a\x00"), None, "$.projects[0].name",
     "control character"),
    ("repeated layout key", lambda d: d.__setitem__("layout", ["quantity", "quantity"]), None, "$.layout[1]", "twice"),
    ("override of nothing", lambda d: d["projects"][0].__setitem__(
        "overrides", [{"item": "nonsense", "score": "1", "reason": "r"}]), None, "$.projects[0].overrides[0].item",
     "does not exist"),
]


@pytest.mark.parametrize("label, mutate, raw, path, words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_exit_2(golden_path, tmp_path, capsys, label, mutate, raw, path, words):
    doc = json.loads(golden_path.read_text("utf-8"))
    mutate(doc)
    file = tmp_path / "bad.json"
    file.write_text(raw if raw is not None else json.dumps(doc, ensure_ascii=False), "utf-8")
    for command in ("check", "show"):
        assert main([command, str(file)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert str(file) in captured.err and words in captured.err and "Traceback" not in captured.err
        if path != "$":
            assert path in captured.err


def test_bad_input_no_traceback_in_a_real_process(tmp_path):
    file = tmp_path / "bad.json"
    file.write_text('{"year": 2019, "department": "x", "money_unit": "万元", "projects": [{"seq": 1, "name": "a",'
                    ' "budget": "三千"}]}', "utf-8")
    proc = subprocess.run([sys.executable, "-m", "jixiao", "check", str(file)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "$.projects[0].budget" in proc.stderr and str(file) in proc.stderr


def test_missing_file(tmp_path, capsys):
    assert main(["check", str(tmp_path / "none.json")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_several_files_exit_1_when_any_has_errors(golden_path, tmp_path, capsys):
    bad = json.loads(golden_path.read_text("utf-8"))
    bad["projects"][1]["actual_total"] = "21.59"
    bad_path = tmp_path / "bad" / "t.json"
    bad_path.parent.mkdir()
    bad_path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(golden_path), "--json"]) == 0
    capsys.readouterr()
    assert main(["check", str(golden_path), str(tmp_path), "--json"]) == 1
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["file"] for d in docs] == [str(golden_path), str(bad_path)]
    assert main(["check", str(tmp_path / "nope.json"), str(golden_path)]) == 2
