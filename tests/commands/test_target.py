"""``jixiao target``: the parse and, with --actual, the judgement — text and JSON."""

from __future__ import annotations

import json

from jixiao.cli import main


def run_json(capsys, *argv):
    assert main(["target", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_done_when_example(capsys):
    doc = run_json(capsys, "参加党务干部人数≧100", "--actual", "参加的党务干部140人次")
    [item] = doc["items"]
    assert item["op"] == ">=" and item["value"] == "100" and item["met"] is True
    assert item["ratio"] == "1.4000" and item["actual_value"] == "140" and item["actual_unit"] == "人次"
    assert item["kind"] == "quantity" and item["upper"] is None
    assert doc["restated"] is False


def test_parse_only_shape(capsys):
    doc = run_json(capsys, "重点培育5—6家行业商（协）会；12月底前完成；及时；整理成本")
    assert doc["actual"] is None
    kinds = [i["kind"] for i in doc["items"]]
    assert kinds == ["quantity", "deadline", "deadline", "unknown"]
    rng = doc["items"][0]
    assert (rng["op"], rng["value"], rng["upper"], rng["unit"]) == ("range", "5", "6", "家")
    assert doc["items"][1]["deadline"] == {"year": None, "month": 12, "day": 31}
    assert doc["items"][3]["reason"]
    assert "met" not in rng


def test_restated_target_in_json(capsys):
    doc = run_json(capsys, "整理成本", "--actual", "文书档案整理成本≤4.11万元。")
    assert doc["restated"] is True and doc["items"][0]["met"] is None
    assert doc["items"][0]["restated"] is True and doc["notes"]


def test_human_output_in_chinese(capsys):
    assert main(["target", "公务接待费5万元，法律顾问服务费3万元", "--actual", "公务接待费完成12%，其他项目完成100%",
                 "--width", "80"]) == 0
    out = capsys.readouterr().out
    assert "未达成" in out and "完成比例 12%" in out and "其他项目完成100%" in out
    assert main(["target", "满意度≧９０％"]) == 0
    assert "≥90%" in capsys.readouterr().out


def test_too_long_text_is_a_clean_error(capsys):
    assert main(["target", "x" * 1_000_001]) == 2
    err = capsys.readouterr().err
    assert "过长" in err and "too long" in err and "Traceback" not in err


def test_a_copied_completion_is_a_claim_in_json(capsys):
    doc = run_json(capsys, "90人", "--actual", "90人")
    [item] = doc["items"]
    assert (item["met"], item["claimed"], item["evidence"]) == (True, True, "restated")
    doc = run_json(capsys, "培训≥100人", "--actual", "培训120人")
    assert doc["items"][0]["claimed"] is False


def test_kind_gives_the_reading_context(capsys):
    doc = run_json(capsys, "15万元", "--actual", "按合同10.5万元", "--kind", "cost")
    assert doc["items"][0]["op"] == "<=" and doc["items"][0]["met"] is True
    doc = run_json(capsys, "15万元", "--actual", "按合同10.5万元")
    assert doc["items"][0]["op"] == "=" and doc["items"][0]["met"] is False
    assert main(["target", "15万元", "--kind", "cost"]) == 0
    assert "≤15万元" in capsys.readouterr().out
