"""``jixiao score``: totals, grades and reasons for every project — text and JSON."""

from __future__ import annotations

import json

import pytest

from jixiao.cli import main


def test_seed_human_output(golden_path, capsys):
    assert main(["score", str(golden_path), "--width", "100"]) == 0
    out = capsys.readouterr().out
    for seq in range(1, 7):
        assert f"\n{seq}. " in out
    assert out.count("总分") >= 12 and "等级：优" in out
    assert "复述了目标" in out and "100.00%" in out and "公务接待费" in out


def test_seed_json(golden_path, capsys):
    assert main(["score", str(golden_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["projects"]) == 6
    for p in doc["projects"]:
        assert p["grade"] in ("优", "良", "中", "差") and p["total"] and p["reasons"]
        assert [c["key"] for c in p["categories"]] == ["output", "outcome", "satisfaction"]
    first = doc["projects"][0]
    assert first["total"] == "99.97" and first["execution"]["score"] == "9.97"
    item = first["categories"][0]["indicators"][0]["items"][0]
    assert set(item) >= {"target", "actual", "weight", "score", "met", "ratio", "reasons"}


def test_detail_lists_items(golden_path, capsys):
    assert main(["score", str(golden_path), "--detail", "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert "数量指标" in out and "· 公务接待费5万元 → 未达成" in out


def test_config_applies_and_rejects_unknown_keys(golden_path, tmp_path, capsys):
    cfg = tmp_path / "scoring.json"
    cfg.write_text(json.dumps({"over_reduction": True}), "utf-8")
    assert main(["score", str(golden_path), "--json", "--config", str(cfg)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["projects"][2]["total"] != "95.99"  # 党建事务 had over-achievements
    cfg.write_text(json.dumps({"over_factor": 1.3, "typo": 1}), "utf-8")
    assert main(["score", str(golden_path), "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "未知的评分设置" in err and "unknown scoring setting" in err and "scoring.json" in err


def test_bad_input_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    assert main(["score", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert main(["score", str(tmp_path / "missing.json")]) == 2


def test_a_folder_and_several_files_are_scored_one_json_object_a_line(golden_path, tmp_path, capsys):
    import shutil

    from jixiao.formats import table_json
    from jixiao.generate import generate_table

    folder = tmp_path / "tables"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(golden_path, folder / "a.json")
    table_json.dump(generate_table(5, seed=3), folder / "sub" / "b.json")
    (folder / "a.json.report.txt").write_text("# jixiao import: pdf\n", encoding="utf-8")  # not a table
    (folder / ".hidden.json").write_text("{", encoding="utf-8")
    assert main(["score", str(folder), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["file"] for d in docs] == [str(folder / "a.json"), str(folder / "sub" / "b.json")]
    assert [len(d["projects"]) for d in docs] == [6, 5]
    # named one by one: the same, in the given order
    assert main(["score", str(folder / "sub" / "b.json"), str(folder / "a.json"), "--json"]) == 0
    assert [json.loads(x)["file"] for x in capsys.readouterr().out.splitlines()] == [
        str(folder / "sub" / "b.json"), str(folder / "a.json")]


def test_a_folder_without_tables_exits_2(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert main(["score", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "没有表格 JSON" in err and "no table JSON" in err


def test_csv_has_a_row_of_scores_per_project(golden_path, tmp_path, capsys):
    import csv

    doc = json.loads(golden_path.read_text("utf-8"))
    doc["projects"][1]["overrides"] = [{"item": "quantity.2", "score": "1", "reason": "抽查"}]
    doc["department"] = "=1+1部门"
    adjusted = tmp_path / "t.json"
    adjusted.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "scores.csv"
    assert main(["score", str(golden_path), str(adjusted), "--json", "--csv", str(out)]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:5] == ["年度", "部门", "来源", "序号", "项目名称"] and rows[0][10:] == [
        "总分", "评价等级", "系统建议总分", "评分调整", "证据口径总分", "证据差", "公开总分"]
    assert len(rows) == 1 + 12
    by_doc = [(p["total"], p["grade"], p["execution"]["score"]) for d in printed for p in d["projects"]]
    assert [(r[10], r[11], r[6]) for r in rows[1:]] == by_doc
    assert rows[1][:6] == ["2019", "深圳市龙岗区工商业联合会", str(golden_path), "1", "办公设备购置", "99.74%"]
    assert [r[13] for r in rows[1:]] == ["否"] * 7 + ["是"] + ["否"] * 4  # the override is on project 2
    assert {r[1] for r in rows[7:]} == {"'=1+1部门"}  # a formula-like text is written as text
    by_doc = [(p["evidenced_total"], p["evidence_gap"]) for d in printed for p in d["projects"]]
    assert [(r[14], r[15], r[16]) for r in rows[1:]] == [(t, g, "") for t, g in by_doc]  # nothing published


def test_csv_into_a_missing_folder_exits_2_and_writes_nothing(golden_path, tmp_path, capsys):
    assert main(["score", str(golden_path), "--csv", str(tmp_path / "no" / "s.csv")]) == 2
    assert "output folder does not exist" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()


def _form_table(tmp_path, published_item="20", published_total="98"):
    """A table of one imported MoF form: two 三级 rows with their 分值 and printed 得分."""
    doc = {"version": 2, "year": 2020, "department": "新洲区楚剧团", "money_unit": "万元", "profile": "central",
           "projects": [{"seq": 1, "unit_name": "新洲区楚剧团", "name": "演出设备更新专项经费",
                         "budget": "30", "actual_total": "30",
                         "indicators": {"quantity": {"target": "设备≥50件", "actual": "50件", "weight": "45",
                                                     "items": [{"name": "设备", "target": "≥50件", "actual": "50件",
                                                                "weight": "45", "published_score": published_item}]},
                                        "satisfaction": {"target": "满意度≥90%", "actual": "满意度95%",
                                                         "weight": "45",
                                                         "items": [{"name": "满意度", "target": "≥90%",
                                                                    "actual": "95%", "weight": "45",
                                                                    "published_score": "45"}]}},
                         "published": {"execution_weight": "10", "execution_score": "10", "total": published_total,
                                       "total_text": published_total + "分", "grade": "优"}}]}
    path = tmp_path / "form.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_published_scores_are_shown_beside_the_suggested_ones(tmp_path, capsys):
    path = _form_table(tmp_path)
    assert main(["score", str(path), "--detail"]) == 0
    out = capsys.readouterr().out
    assert "总分 100.00 分，等级：优；公开总分 98 分，等级：优" in out
    assert "（公开得分 20 分）" in out and "预算执行率 100.00%：10.00 / 10 分（公开得分 10 分）" in out


def test_detail_lists_claims_without_a_figure_and_the_evidence_gap(tmp_path, capsys):
    doc = {"year": 2020, "department": "部门", "money_unit": "万元", "projects": [
        {"seq": 1, "unit_name": "单位", "name": "项目", "budget": "10", "actual_total": "10",
         "indicators": {"quantity": {"target": "改造面积29.5亩", "actual": "改造面积29.5亩"},
                        "social": {"target": "群众满意", "actual": "群众满意度提高"}}}]}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(path), "--detail"]) == 0
    out = capsys.readouterr().out
    assert "（声称达成，无完成数值）" in out and "JX504" in out and "证据差" in out


def test_diff_csv_lists_where_published_and_suggested_differ_with_the_reason(tmp_path, capsys):
    import csv

    path = _form_table(tmp_path)
    out = tmp_path / "diff.csv"
    assert main(["score", str(path), "--diff-csv", str(out), "--json"]) == 0
    rows = list(csv.reader(out.read_bytes().decode("utf-8-sig").splitlines()))
    assert rows[0] == ["年度", "部门", "来源", "序号", "项目名称", "层级", "指标", "分值", "公开得分", "建议得分", "差额", "原因"]
    assert [(r[5], r[6], r[8], r[9], r[10]) for r in rows[1:]] == [
        ("三级指标", "数量指标：设备≥50件", "20", "45.00", "25.00"), ("项目", "总分", "98", "100.00", "2.00")]
    assert "已达到目标" in rows[1][11]
    same = _form_table(tmp_path, published_item="45", published_total="100")
    assert main(["score", str(same), "--diff-csv", str(out)]) == 0
    assert len(list(csv.reader(out.read_bytes().decode("utf-8-sig").splitlines()))) == 1


def test_profile_and_evidence_options_choose_the_reading(golden_path, capsys):
    assert main(["score", str(golden_path), "--json", "--profile", "hubei"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["execution"]["weight"] for p in data["projects"]} == {"20"}
    assert {p["profile"] for p in data["projects"]} == {"hubei"}
    assert main(["score", str(golden_path), "--json", "--evidence", "strict"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["evidence_mode"] for p in data["projects"]} == {"strict"}
    assert all(p["evidence_gap"] == "0.00" for p in data["projects"])
    with pytest.raises(SystemExit) as e:
        main(["score", str(golden_path), "--profile", "mars"])
    assert e.value.code == 2 and "central" in capsys.readouterr().err
