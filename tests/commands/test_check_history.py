"""``jixiao check TARGETS --history FILE…``: earlier years' approved targets (targets JSON) and
self-evaluations (table JSON or an XLSX) give JX612; the report says what they gave."""

import json
from decimal import Decimal

import pytest

from jixiao.cli import main
from jixiao.core.model import IndicatorCell, IndicatorItem, Project, Table
from jixiao.core.target_sheet import TargetProject, TargetSheet, indicator_from_text
from jixiao.formats import table_json, targets_json

f = indicator_from_text


def targets(year, *indicators):
    return TargetSheet(year, "甲部门", projects=[TargetProject(
        f"{year}年农村道路养护", goal="完成农村道路日常养护", total=Decimal(100), fiscal=Decimal(100),
        indicators=[*indicators, f("cost", "养护成本", "≤100万元")])])


def self_evaluation(year, cells):
    return Table(year, "甲部门", projects=[Project(1, "甲单位", "农村道路养护", budget=Decimal(100),
                                                   actual_total=Decimal(98), indicators=cells)])


@pytest.fixture
def files(tmp_path):
    current = tmp_path / "2025.json"
    targets_json.dump(targets(2025, f("quantity", "养护里程", "≥100公里"), f("quality", "路况优良率", "≥85%")), current)
    earlier = tmp_path / "2024-targets.json"
    targets_json.dump(targets(2024, f("quantity", "养护里程", "≥100公里"), f("quality", "路况优良率", "≥90%")), earlier)
    evaluated = tmp_path / "2023-自评.json"
    table_json.dump(self_evaluation(2023, {"quantity": IndicatorCell(items=[
        IndicatorItem(name="养护里程", target="≥100公里", actual="130公里")])}), evaluated)
    return current, earlier, evaluated


def test_history_files_flag_targets_below_the_earlier_years_with_year_and_source(files, capsys):
    current, earlier, evaluated = files
    assert main(["check", str(current), "--json", "--history", str(earlier), "--history", str(evaluated)]) == 0
    out = json.loads(capsys.readouterr().out)
    jx612 = [x for x in out["findings"] if x["code"] == "JX612"]
    assert [x["column"] for x in jx612] == ["indicators.0", "indicators.1"]
    assert "2023年自评表所报实际完成值「130公里」" in jx612[0]["message_zh"]
    assert "approved target of 2024, “≥90%”" in jx612[1]["message_en"]
    assert out["history"] == [{"year": 2023, "source": "completion", "values": 1},
                              {"year": 2024, "source": "target", "values": 3}]


def test_without_history_there_is_no_jx612_and_no_history_in_the_report(files, capsys):
    assert main(["check", str(files[0]), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "history" not in out and "JX612" not in {x["code"] for x in out["findings"]}


def test_the_human_report_names_what_the_history_gave(files, capsys):
    current, earlier, evaluated = files
    assert main(["check", str(current), "--width", "120", "--history", str(evaluated)]) == 0
    out = capsys.readouterr().out
    assert "以往年度的指标值 / earlier years' values (JX612): 2023 自评 self-evaluation 1" in out
    assert "[警告 warning] JX612" in out


def test_history_is_only_for_a_targets_form_and_a_bad_file_exits_2(files, golden_path, tmp_path, capsys):
    assert main(["check", str(golden_path), "--history", str(files[2])]) == 2
    assert "--history" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("{", "utf-8")
    assert main(["check", str(files[0]), "--history", str(tmp_path / "bad.json")]) == 2
    assert main(["check", str(files[0]), "--history", str(tmp_path / "missing.json")]) == 2


@pytest.mark.slow
def test_a_self_evaluation_workbook_is_history_too(files, tmp_path, capsys):
    table = self_evaluation(2023, {"quantity": IndicatorCell("养护里程≥100公里", "完成养护130公里")})
    table_json.dump(table, tmp_path / "t.json")
    assert main(["export", str(tmp_path / "t.json"), "-o", str(tmp_path / "2023-自评.xlsx")]) == 0
    capsys.readouterr()
    assert main(["check", str(files[0]), "--json", "--history", str(tmp_path / "2023-自评.xlsx")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["history"] == [{"year": 2023, "source": "completion", "values": 1}]
    assert any(x["code"] == "JX612" and "完成养护130公里" in x["message_zh"] for x in out["findings"])
