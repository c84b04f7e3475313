"""The published JSON Schema accepts exactly what the table JSON loader accepts."""

import json
from importlib.resources import files

import jsonschema
import pytest

from jixiao.errors import InputError
from jixiao.formats import table_json
from jixiao.generate import generate_province, generate_table


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((files("jixiao") / "schema/table.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_golden_is_valid(validator, golden_path):
    validator.validate(json.loads(golden_path.read_text("utf-8")))


@pytest.mark.slow
def test_generated_tables_are_valid(validator):
    for table in [generate_table(60, seed=1, inconsistent_share=0.5), *generate_province(300, seed=2)]:
        validator.validate(json.loads(table_json.dumps(table)))


def _golden(golden_path):
    return json.loads(golden_path.read_text("utf-8"))


ACCEPTED = [
    lambda d: d.__setitem__("money_unit", "单位：元"),
    lambda d: d.__setitem__("layout", "full"),
    lambda d: d.__setitem__("layout", ["quantity", "satisfaction"]),
    lambda d: d.__setitem__("department_short", "区工商联"),
    lambda d: d.__setitem__("year", "2019"),
    lambda d: d["projects"][0].__setitem__("budget", 3.8),
    lambda d: d["projects"][0].__setitem__("budget", "1,234.50"),
    lambda d: d["projects"][0].__setitem__("budget", None),
    lambda d: d["projects"][0].__setitem__("gov_investment", "否"),
    lambda d: d["projects"][0].__setitem__("seq", "1"),
    lambda d: d["projects"][0].__setitem__("overrides", [{"item": "quantity", "score": "8.5", "reason": "抽查不足"}]),
    lambda d: d["projects"][0]["indicators"].__setitem__("cost", {"target": "成本≤3.8万元", "actual": None}),
    lambda d: d.__setitem__("version", 2),
    lambda d: d.__setitem__("version", 3),
    lambda d: d["projects"][0]["indicators"].__setitem__(
        "ecological", {"target": "", "actual": "", "not_applicable": True, "na_reason": "本项目不涉及生态效益"}),
    lambda d: d.__setitem__("profile", "hubei"),
    lambda d: d["projects"][0].__setitem__("initial_budget", "3.80"),
    lambda d: d["projects"][0]["indicators"]["quantity"].update(weight="20", items=[
        {"name": "电脑", "target": "3台", "actual": "3台", "weight": 10, "published_score": "10", "note": "无"},
        {"name": "办公桌椅", "target": "1批"}]),
    lambda d: d["projects"][0].__setitem__("published", {
        "execution_weight": "10", "execution_score": "9.97", "category_weights": {"output": "50"},
        "total": "99.55", "total_text": "99.55分", "grade": "优"}),
    lambda d: d["projects"][0].__setitem__("published", None),
]

REJECTED = [
    lambda d: d.pop("department"),
    lambda d: d.__setitem__("department", " "),
    lambda d: d.__setitem__("money_unit", "美元"),
    lambda d: d.__setitem__("year", "二〇一九"),
    lambda d: d.__setitem__("year", 1800),
    lambda d: d.__setitem__("layout", "wide"),
    lambda d: d.__setitem__("layout", []),
    lambda d: d.__setitem__("layout", [{}]),
    lambda d: d.__setitem__("extra", 1),
    lambda d: d.__setitem__("projects", {}),
    lambda d: d["projects"][2].__setitem__("budget", "两百万"),
    lambda d: d["projects"][0].__setitem__("budget", [1]),
    lambda d: d["projects"][0].__setitem__("budget", True),
    lambda d: d["projects"][0].__setitem__("budget", 1e16),
    lambda d: d["projects"][1].__setitem__("name", 5),
    lambda d: d["projects"][1].pop("seq"),
    lambda d: d["projects"][1].__setitem__("buget", "1"),
    lambda d: d["projects"][1].__setitem__("gov_investment", "不是"),
    lambda d: d["projects"][0]["indicators"].__setitem__("foo", {}),
    lambda d: d["projects"][0]["indicators"]["quantity"].__setitem__("value", "1"),
    lambda d: d["projects"][0].__setitem__("overrides", [{"item": "quantity", "score": "8.5", "reason": " "}]),
    lambda d: d["projects"][0].__setitem__("overrides", [{"item": "quantity", "score": "", "reason": "x"}]),
    lambda d: d.__setitem__("version", 4),
    lambda d: d["projects"][0]["indicators"]["quantity"].__setitem__("not_applicable", "是"),
    lambda d: d.__setitem__("profile", "Hubei Province"),
    lambda d: d["projects"][0].__setitem__("initial_budget", "三万"),
    lambda d: d["projects"][0]["indicators"]["quantity"].__setitem__("weight", -5),
    lambda d: d["projects"][0]["indicators"]["quantity"].__setitem__("items", {}),
    lambda d: d["projects"][0]["indicators"]["quantity"].__setitem__("items", [{"score": "5"}]),
    lambda d: d["projects"][0]["indicators"]["quantity"].__setitem__("items", [{"name": "电脑", "weight": "十"}]),
    lambda d: d["projects"][0].__setitem__("published", {"total": "99.55分"}),
    lambda d: d["projects"][0].__setitem__("published", {"category_weights": {"cost": "10"}}),
    lambda d: d["projects"][0].__setitem__("published", {"grade": "优", "rank": 1}),
]


@pytest.mark.parametrize("mutate", ACCEPTED)
def test_schema_and_loader_both_accept(validator, golden_path, mutate):
    doc = _golden(golden_path)
    mutate(doc)
    validator.validate(doc)
    table_json.from_document(doc)


@pytest.mark.parametrize("mutate", REJECTED)
def test_schema_and_loader_both_reject(validator, golden_path, mutate):
    doc = _golden(golden_path)
    mutate(doc)
    assert not validator.is_valid(doc)
    with pytest.raises(InputError):
        table_json.from_document(doc)
