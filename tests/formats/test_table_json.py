import json

import pytest

from jixiao.errors import InputError
from jixiao.formats import table_json


def test_golden_round_trip(golden_path):
    table = table_json.load(golden_path)
    assert json.loads(table_json.dumps(table)) == json.loads(golden_path.read_text("utf-8"))


def _doc(golden_path):
    return json.loads(golden_path.read_text("utf-8"))


@pytest.mark.parametrize(
    "mutate, path, words",
    [
        (lambda d: d.pop("department"), "$.department", "missing"),
        (lambda d: d.__setitem__("money_unit", "美元"), "$.money_unit", "unknown money unit"),
        (lambda d: d["projects"][2].__setitem__("budget", "两百万"), "$.projects[2].budget", "not a number"),
        (lambda d: d["projects"][0].__setitem__("budget", [1]), "$.projects[0].budget", "an array"),
        (lambda d: d.__setitem__("projects", {}), "$.projects", "expected an array"),
        (lambda d: d["projects"][1].__setitem__("name", 5), "$.projects[1].name", "expected a string"),
        (lambda d: d["projects"][1].__setitem__("buget", "1"), "$.projects[1].buget", "unknown field"),
        (lambda d: d["projects"][0]["indicators"].__setitem__("foo", {}), "$.projects[0].indicators.foo", "unknown indicator"),
        (lambda d: d.__setitem__("year", "二〇一九"), "$.year", "integer"),
    ],
)
def test_bad_documents_name_the_path(golden_path, mutate, path, words):
    doc = _doc(golden_path)
    mutate(doc)
    with pytest.raises(InputError) as exc:
        table_json.loads(json.dumps(doc, ensure_ascii=False), source="t.json")
    assert exc.value.path == path
    assert words in exc.value.message_en
    assert exc.value.message_zh
    assert "t.json" in exc.value.describe()


def test_malformed_json_reports_line():
    with pytest.raises(InputError) as exc:
        table_json.loads('{\n "year": 2019,\n', source="x.json")
    assert "line" in exc.value.message_en and "行" in exc.value.message_zh


def test_not_utf8():
    with pytest.raises(InputError):
        table_json.loads("年度".encode("gbk"))


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as exc:
        table_json.load(tmp_path / "none.json")
    assert "not found" in exc.value.message_en


def test_dump_is_atomic(tmp_path, seed_table, monkeypatch):
    out = tmp_path / "t.json"
    table_json.dump(seed_table, out)
    assert table_json.load(out).totals() == seed_table.totals()
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]



def test_overrides_round_trip_with_an_item_target_and_validate_against_the_schema(golden_path):
    from importlib.resources import files

    import jsonschema

    doc = _doc(golden_path)
    doc["projects"][2]["overrides"] = [
        {"item": "quantity.2", "score": "1.50", "reason": "签到表不全", "by": "王五", "at": "2020-03-02",
         "target": "参加党务干部人数≧100"},
        {"item": "total", "score": "90.00", "reason": "综合评定"}]
    schema = json.loads((files("jixiao") / "schema/table.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    table = table_json.loads(json.dumps(doc, ensure_ascii=False))
    first, second = table.projects[2].overrides
    assert (first.item, first.target, second.target) == ("quantity.2", "参加党务干部人数≧100", "")
    assert json.loads(table_json.dumps(table))["projects"][2]["overrides"] == doc["projects"][2]["overrides"]


def _mof_project_doc(golden_path):
    doc = _doc(golden_path)
    doc["profile"] = "hubei"
    p = doc["projects"][0]
    p["initial_budget"] = "3.50"
    p["indicators"]["quantity"] = {
        "target": "电脑3台；办公桌椅1批", "actual": "3台；1批", "weight": "20.5",
        "items": [{"name": "电脑", "target": "3台", "actual": "3台", "weight": "10", "published_score": "10"},
                  {"name": "办公桌椅", "target": "1批", "actual": "1批", "weight": "10.5", "published_score": "9.5",
                   "note": "部分延期交付"}]}
    p["published"] = {"execution_weight": "20", "execution_score": "19.95", "category_weights": {"output": "40"},
                      "total": "99.55", "total_text": "99.55分", "grade": "优"}
    return doc


def test_version_2_fields_round_trip_and_mark_the_document_version_2(golden_path):
    doc = _mof_project_doc(golden_path)
    table = table_json.loads(json.dumps(doc, ensure_ascii=False))
    p = table.projects[0]
    cell = p.indicators["quantity"]
    assert table.profile == "hubei" and str(p.initial_budget) == "3.50" and str(cell.weight) == "20.5"
    assert [(i.name, str(i.weight), str(i.published_score), i.note) for i in cell.items] == [
        ("电脑", "10", "10", ""), ("办公桌椅", "10.5", "9.5", "部分延期交付")]
    assert (str(p.published.total), p.published.total_text, p.published.grade) == ("99.55", "99.55分", "优")
    assert str(p.published.category_weights["output"]) == "40"
    written = json.loads(table_json.dumps(table))
    assert written.pop("version") == 2
    assert written == doc


def test_a_table_without_version_2_fields_is_written_as_version_1(seed_table):
    assert "version" not in json.loads(table_json.dumps(seed_table))


def test_every_older_fixture_loads_unchanged():
    from pathlib import Path

    fixtures = Path(__file__).parents[1] / "fixtures"
    documents = [p for p in fixtures.rglob("*.json") if "expected" in p.name or p.parent.name == "text"
                 or p.name.endswith("golden.json")]
    assert len(documents) >= 10
    for path in documents:
        doc = json.loads(path.read_text("utf-8"))
        if "projects" not in doc:
            continue
        table = table_json.load(path)
        assert not table_json.uses_version_2(table), path
        assert json.loads(table_json.dumps(table))["projects"][0]["name"] == doc["projects"][0]["name"]


def test_a_newer_format_version_is_refused_with_a_clear_message(golden_path):
    doc = _doc(golden_path)
    doc["version"] = table_json.VERSION + 1
    with pytest.raises(InputError) as exc:
        table_json.loads(json.dumps(doc, ensure_ascii=False))
    assert exc.value.path == "$.version" and "upgrade jixiao" in exc.value.message_en


def _with_ecological(golden_path, cell):
    doc = json.loads(golden_path.read_text("utf-8"))
    doc["projects"][0]["indicators"]["ecological"] = cell
    return doc


def test_a_not_applicable_cell_round_trips_with_its_reason_as_version_3(golden_path):
    doc = _with_ecological(golden_path, {"target": "", "actual": "", "not_applicable": True,
                                         "na_reason": "本项目不涉及生态效益"})
    table = table_json.loads(json.dumps(doc, ensure_ascii=False))
    cell = table.projects[0].indicators["ecological"]
    assert (cell.not_applicable, cell.na_reason) == (True, "本项目不涉及生态效益")
    written = json.loads(table_json.dumps(table))
    assert written.pop("version") == 3
    assert written["projects"][0]["indicators"]["ecological"] == doc["projects"][0]["indicators"]["ecological"]


def test_a_version_2_document_still_loads_and_a_table_without_the_mark_is_not_written_as_version_3(golden_path):
    doc = _mof_project_doc(golden_path)
    doc["version"] = 2
    table = table_json.loads(json.dumps(doc, ensure_ascii=False))
    assert not any(c.not_applicable for c in table.projects[0].indicators.values())
    assert json.loads(table_json.dumps(table))["version"] == 2


@pytest.mark.parametrize("target, actual, reason", [
    ("不适用", "", ""),
    ("不适用（本项目不涉及生态效益）", "", "本项目不涉及生态效益"),
    ("不适用", "本项目不涉及生态效益", "本项目不涉及生态效益"),
    ("", "不适用：本项目不涉及生态效益", "本项目不涉及生态效益"),
])
def test_a_cell_that_reads_bushiyong_loads_as_not_applicable(golden_path, target, actual, reason):
    doc = _with_ecological(golden_path, {"target": target, "actual": actual})
    cell = table_json.loads(json.dumps(doc, ensure_ascii=False)).projects[0].indicators["ecological"]
    assert (cell.not_applicable, cell.na_reason, cell.target, cell.actual) == (True, reason, "", "")


def test_a_sentence_that_starts_with_bushiyong_is_not_the_mark(golden_path):
    doc = _with_ecological(golden_path, {"target": "不适用于农村地区的设施≤2处", "actual": "1处"})
    cell = table_json.loads(json.dumps(doc, ensure_ascii=False)).projects[0].indicators["ecological"]
    assert not cell.not_applicable and cell.target == "不适用于农村地区的设施≤2处"


def test_not_applicable_must_be_true_or_false(golden_path):
    doc = _with_ecological(golden_path, {"target": "", "actual": "", "not_applicable": "是"})
    with pytest.raises(InputError) as e:
        table_json.loads(json.dumps(doc, ensure_ascii=False))
    assert e.value.path.endswith(".not_applicable")
