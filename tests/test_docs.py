"""Documentation tests: what the code defines, docs/ must describe (a missing entry fails)."""

import dataclasses
import json
import re
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest

from jixiao.core.checks import CHECKS, CheckConfig

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (JX\d{3})\b", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.fixture(scope="module")
def checks_doc() -> str:
    return (DOCS / "checks.md").read_text("utf-8")


@pytest.mark.parametrize("code", list(CHECKS))
def test_every_check_is_documented(checks_doc, code):
    sections = _sections(checks_doc)
    assert code in sections, f"docs/checks.md has no section '## {code} …'"
    body = sections[code]
    check = CHECKS[code]
    assert check.title_zh in checks_doc.split(f"## {code}")[1].splitlines()[0]
    assert f"**Severity:** {check.severity}" in body
    for part in ("**What:**", "**Why:**", "**Default threshold:**", "**Example", "**How to fix:**"):
        assert part in body, f"{code}: section lacks {part}"


def test_no_documented_check_is_missing_from_code(checks_doc):
    assert set(_sections(checks_doc)) == set(CHECKS)


def _doc_default(value) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(CheckConfig)])
def test_every_setting_is_documented_with_its_default(checks_doc, field):
    default = getattr(CheckConfig(), field)
    rows = [line for line in checks_doc.splitlines() if line.startswith(f"| `{field}` |")]
    assert rows, f"docs/checks.md has no settings row for `{field}`"
    assert f"`{_doc_default(default)}`" in rows[0], f"default of {field} not documented as {_doc_default(default)}"


def test_documented_example_config_is_valid(checks_doc):
    block = re.search(r"```json\n(.*?)\n```", checks_doc, re.S).group(1)
    CheckConfig.from_dict(json.loads(block))


def test_table_json_doc_names_every_schema_key():
    schema = json.loads((files("jixiao") / "schema/table.schema.json").read_text("utf-8"))
    doc = (DOCS / "table-json.md").read_text("utf-8")
    keys = set(schema["properties"]) | set(schema["$defs"]["project"]["properties"])
    keys |= set(schema["$defs"]["kind"]["enum"]) | set(schema["$defs"]["override"]["properties"])
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"docs/table-json.md does not mention {missing}"


def test_cli_doc_names_every_json_report_key(seed_table):
    from jixiao.commands.check import report
    from jixiao.core.checks import check_table

    doc = (DOCS / "cli.md").read_text("utf-8")
    rep = report(seed_table, check_table(seed_table), "x.json")
    keys = set(rep) | set(rep["projects"][0]) | set(rep["totals"]) | set(rep["findings"][0])
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"docs/cli.md does not describe {missing}"
    for section in ("## jixiao check", "## jixiao show", "## jixiao generate"):
        assert section in doc


def test_rules_doc_states_the_seed_figures():
    doc = (DOCS / "rules.md").read_text("utf-8")
    for figure in ("99.74%", "91.68%", "99.92%", "99.99%", "99.71%", "99.88%", "491.59", "489.20", "99.51%",
                   "half-up"):
        assert figure in doc
