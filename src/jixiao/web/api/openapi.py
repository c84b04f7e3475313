"""The OpenAPI 3.1 description of the open-data API — the one place it is written.

Served at ``/api/openapi.json``. ``tests/web/test_api.py`` validates every view's answers
against these schemas (``additionalProperties: false`` everywhere, so a field added to a view
but not here fails the tests), and ``tests/web/test_api_schemathesis.py`` lets schemathesis
call the running app with generated parameters and check status codes, content types and
bodies against it. Limits come from :mod:`.views` so the description cannot drift from them.
"""

from __future__ import annotations

import copy

from jixiao.core.taxonomy import CATEGORIES, KINDS

from .keyset import MAX_CURSOR_CHARS
from .limits import DEFAULT_PAGE_SIZE, MAX_ID, MAX_PAGE, MAX_PAGE_SIZE, YEAR_RANGE

VERSION = "2.1"  # 2.1: approved targets (/api/targets/)

_NULLABLE_STRING = {"type": ["string", "null"]}
_URL = {"type": "string", "format": "uri"}
_TABLE_DOCUMENT = {"type": "object", "required": ["year", "department", "money_unit", "projects"],
                   "description": "The frozen table JSON document (src/jixiao/schema/table.schema.json)."}
_AMOUNT = {"type": ["string", "null"], "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
           "description": "Exact decimal as text, in the table's money unit (元 or 万元); null when not filled."}


_NOT_APPLICABLE = {
    "not_applicable": {"type": "boolean", "description": "不适用: the department declared the indicator does not apply."},
    "na_reason": {"type": "string", "description": "Why it does not apply (empty unless not_applicable)."},
}


def _obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": list(properties) if required is None else required, **extra}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _schemas() -> dict:
    kind_keys = [k.key for k in KINDS]
    department = _obj({"id": {"type": "integer"}, "name": {"type": "string"}})
    return {
        "Error": _obj({"error": _obj({
            "code": {"type": "string", "enum": ["invalid_parameter", "not_found"]},
            "message": {"type": "string", "description": "In the request's language (Chinese by default)."},
            "parameter": {"type": "string", "description": "The query parameter at fault (400 only)."},
        }, required=["code", "message"])}),
        "Department": department,
        "Cell": _obj({"target": {"type": "string", "description": "年度指标内容, verbatim (empty when not applicable)."},
                      "actual": {"type": "string", "description": "完成情况, verbatim (empty when not applicable)."},
                      **_NOT_APPLICABLE}),
        "Root": _obj({
            "name": {"type": "string"}, "version": {"type": "string"}, "openapi": _URL,
            "documentation": {"type": "string"}, "years": _URL, "departments": _URL, "tables": _URL,
            "projects": _URL, "indicators": _URL, "targets": _URL, "max_page_size": {"type": "integer", "const": MAX_PAGE_SIZE},
        }),
        "YearList": _obj({"results": {"type": "array", "items": _obj({
            "year": {"type": "integer"}, "tables": {"type": "integer", "minimum": 1},
            "projects": {"type": "integer", "minimum": 0}, "tables_url": _URL,
            "downloads": _obj({"csv": _URL, "json": _URL}),
        })}}),
        "DepartmentSummary": _obj({
            "id": {"type": "integer"}, "name": {"type": "string"},
            "tables": {"type": "integer", "minimum": 1}, "projects": {"type": "integer", "minimum": 0},
            "tables_url": _URL,
        }),
        "TableSummary": _table_summary(department),
        "TableDetail": _table_detail(department),
        "Project": _project(department, kind_keys),
        "Indicator": _obj({
            "project": {"type": "integer"}, "project_url": _URL, "table": {"type": "integer"},
            "year": {"type": "integer"}, "department": _ref("Department"),
            "project_seq": {"type": "integer"}, "project_name": {"type": "string"},
            **_status_properties(),
            "kind": {"type": "string", "enum": kind_keys},
            "kind_name": {"type": "string", "enum": [k.name for k in KINDS]},
            "category": {"type": "string", "enum": [c.key for c in CATEGORIES]},
            "category_name": {"type": "string", "enum": [c.name for c in CATEGORIES]},
            "target": {"type": "string"}, "actual": {"type": "string"}, **_NOT_APPLICABLE,
        }),
        "YearTable": _obj({"id": {"type": "integer", "description": "The publication's id."}, "url": _URL,
                           **_status_properties(), "document": _TABLE_DOCUMENT}),
        "DepartmentPage": _page_of("DepartmentSummary"),
        "TablePage": _page_of("TableSummary"),
        "ProjectPage": _page_of("Project"),
        "IndicatorPage": _page_of("Indicator"),
        "TargetSheet": _target_sheet(department, kind_keys),
        "TargetPage": _page_of("TargetSheet"),
    }


def _target_sheet(department: dict, kind_keys: list[str]) -> dict:
    """An approved 绩效目标表: its projects and indicators in the targets JSON shape (docs/targets.md)."""
    text = {"type": "string"}
    indicator = _obj({
        "kind": {"type": "string", "enum": kind_keys, "description": "二级指标 (its 一级 follows)."},
        "name": text,
        "nature": {"enum": [">=", "<=", "=", "qualitative", None], "description": "指标性质; null when not read."},
        "value": text, "unit": text,
        "weight": {**_AMOUNT, "description": "分值, or null."},
        "basis": {"enum": ["plan", "industry", "history", "other", None], "description": "指标值设定依据."},
        "last_actual": text,
    })
    project = _obj({
        "name": text, "department": text, "unit": text,
        "funds": _obj({"total": _AMOUNT, "fiscal": _AMOUNT, "other": _AMOUNT}),
        "goal": text, "indicators": {"type": "array", "items": indicator},
    })
    return _obj({
        "id": {"type": "integer", "description": "The approval's id."}, "url": _URL, "page_url": _URL,
        "year": {"type": "integer", "description": "The budget year the targets are for."},
        "department": department, "title": text, "money_unit": {"type": "string", "enum": ["元", "万元"]},
        "approved_at": {"type": "string", "format": "date-time"},
        "is_current": {"type": "boolean", "description": "False once a later adjustment was approved."},
        "adjusting": {"type": "boolean", "description": "The department reopened the sheet for an adjustment "
                                                        "not approved yet; this is still the approved version."},
        "project_count": {"type": "integer", "minimum": 0}, "indicator_count": {"type": "integer", "minimum": 0},
        "downloads": _obj({"xlsx": _URL, "pdf": _URL, "json": _URL}),
        "projects": {"type": "array", "items": project},
    })


def _status_properties() -> dict:
    """A publication's status, in every record that comes from one (tables, projects,
    indicators, the year's tables.json)."""
    return {
        "status": {"type": "string", "enum": ["published", "withdrawn", "superseded"],
                   "description": "withdrawn (撤回, with a public reason) or superseded by a correction (更正); "
                                  "the snapshot itself never changes."},
        "withdrawal": {"oneOf": [{"type": "null"}, _obj({"withdrawn_at": {"type": "string", "format": "date-time"},
                                                          "reason": {"type": "string"}})]},
        "corrected_by": {"oneOf": [{"type": "null"}, _URL],
                         "description": "The publication that corrects this one, once there is one."},
    }


def _summary_properties(department: dict) -> dict:
    return {
        "id": {"type": "integer", "description": "The publication's id."},
        "url": _URL,
        "year": {"type": "integer"},
        "department": _obj({**department["properties"], "short_name": {"type": "string"}}),
        "title": {"type": "string"},
        "publication_number": {"type": "integer", "minimum": 1,
                               "description": "1 for the first publication of the table, 2 for its next, …"},
        "is_current": {"type": "boolean", "description": "False when the table has been published again since."},
        **_status_properties(),
        "published_at": {"type": "string", "format": "date-time"},
        "money_unit": {"type": "string", "enum": ["元", "万元"]},
        "layout": {"type": "array", "items": {"type": "string", "enum": [k.key for k in KINDS]}},
        "project_count": {"type": "integer", "minimum": 0},
        "totals": _obj({"budget": _AMOUNT, "actual_total": _AMOUNT,
                        "execution_rate": {"type": "string", "description": "Computed 合计 rate, e.g. 99.74%; "
                                                                             "empty when the budget is 0."}}),
        "projects_url": _URL,
        "page_url": _URL,
        "downloads": {"type": "object", "additionalProperties": _URL,
                      "propertyNames": {"enum": ["xlsx", "pdf", "html", "csv", "json"]}},
    }


def _table_summary(department: dict) -> dict:
    return _obj(_summary_properties(department))


def _table_detail(department: dict) -> dict:
    properties = {
        **_summary_properties(department),
        "current": {"type": ["string", "null"], "format": "uri",
                    "description": "The current publication of the same table when this one is older, else null."},
        "document": _TABLE_DOCUMENT,
    }
    return _obj(properties)


def _project(department: dict, kind_keys: list[str]) -> dict:
    text = {"type": "string"}
    return _obj({
        "id": {"type": "integer"}, "url": _URL, "table": {"type": "integer"}, "table_url": _URL,
        "year": {"type": "integer"}, "department": _ref("Department"), "is_current": {"type": "boolean"},
        **_status_properties(),
        "position": {"type": "integer", "minimum": 1, "description": "Row number in the published table."},
        "seq": {"type": "integer", "description": "序号 as printed."},
        "money_unit": {"type": "string", "enum": ["元", "万元"]},
        "gov_investment": {"type": ["boolean", "null"]},
        "execution_rate": {"type": "string", "description": "预算支出执行率 as printed (or computed when not printed)."},
        "indicators": {"type": "object", "additionalProperties": _ref("Cell"),
                       "propertyNames": {"enum": kind_keys}},
        "unit_name": text, "name": text, "annual_goal": text, "overall_completion": text,
        "problems": text, "rectification": text,
        "budget": _AMOUNT, "actual_total": _AMOUNT, "actual_general_budget": _AMOUNT,
        "actual_gov_fund": _AMOUNT, "actual_non_fiscal": _AMOUNT,
    })


def _page_of(item: str) -> dict:
    return _obj({
        "count": {"type": "integer", "minimum": 0},
        "page": {"type": ["integer", "null"], "minimum": 1,
                 "description": "The page number asked for with page= (1 without page or cursor); null on a "
                                "page asked for with cursor= (the next and previous links)."},
        "page_size": {"type": "integer", "minimum": 1},
        "next": {"type": ["string", "null"], "format": "uri",
                 "description": "The next page (a cursor= link), or null after the last row."},
        "previous": {"type": ["string", "null"], "format": "uri",
                     "description": "The page before (a cursor= link), or null on the first."},
        "results": {"type": "array", "items": _ref(item)},
    })


def _parameters() -> dict:
    def query(name, description, schema, required=False):
        return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}

    return {
        "page": query("page", "Page number, from 1 (the older way to page: a deep page costs more than a "
                      "cursor page; follow next instead). A page after the last answers 404.",
                      {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
        "cursor": query("cursor", "Where a page starts, exactly as the next or previous link of the page before "
                        "gives it (opaque). Not together with page. One that no link gave answers 404.",
                        {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "minLength": 1,
                         "maxLength": MAX_CURSOR_CHARS}),
        "page_size": query("page_size", f"Results per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
                           {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE,
                            "default": DEFAULT_PAGE_SIZE}),
        "year": query("year", "Only this budget year.",
                      {"type": "integer", "minimum": YEAR_RANGE[0], "maximum": YEAR_RANGE[1]}),
        "department": query("department", "Only this department (its id, see /api/departments/).",
                            {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
        "kind": query("kind", "The indicator column (二级指标) to list.",
                      {"type": "string", "enum": [k.key for k in KINDS]}, required=True),
        "id": {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1,
                                                                         "maximum": MAX_ID}},
        "year_path": {"name": "year", "in": "path", "required": True,
                      "schema": {"type": "integer", "minimum": YEAR_RANGE[0], "maximum": YEAR_RANGE[1]}},
    }


def _json_content(schema_name: str) -> dict:
    return {"application/json": {"schema": _ref(schema_name)}}


def _responses(ok: str, description: str, bad: bool = False, missing: bool = False) -> dict:
    responses = {"200": {"description": description, "content": _json_content(ok)}}
    if bad:
        responses["400"] = {"description": "A query parameter is not valid.", "content": _json_content("Error")}
    if missing:
        responses["404"] = {"description": "No such object, or a page after the last.",
                            "content": _json_content("Error")}
    return responses


def _get(operation_id: str, summary: str, ok: str, params: list[str], bad=False, missing=False) -> dict:
    return {"get": {
        "operationId": operation_id, "summary": summary,
        "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in params],
        "responses": _responses(ok, summary, bad, missing),
    }}


def _file(operation_id: str, summary: str, media_type: str, schema: dict | None = None) -> dict:
    return {"get": {
        "operationId": operation_id, "summary": summary,
        "parameters": [{"$ref": "#/components/parameters/year_path"}],
        "responses": {
            "200": {"description": summary, "content": {media_type: {"schema": schema or {"type": "string"}}}},
            "404": {"description": "No published table in that year.", "content": _json_content("Error")},
        },
    }}


def _paths() -> dict:
    paged = ["cursor", "page", "page_size"]
    return {
        "/api/": _get("root", "Links to everything the API offers.", "Root", []),
        "/api/years/": _get("listYears", "Years with published tables, newest first, with bulk downloads.",
                            "YearList", []),
        "/api/years/{year}/projects.csv": _file(
            "yearCsv", "Every current published project of the year as CSV (UTF-8 with BOM, one row per project).",
            "text/csv"),
        "/api/years/{year}/tables.json": _file(
            "yearJson", "Every current published table of the year with its publication status: a JSON list of "
                        "{id, url, status, withdrawal, corrected_by, document}.",
            # What the file is: schemathesis validates JSON answers, and "string" failed
            # whenever it drew a year with publications.
            "application/json", {"type": "array", "items": _ref("YearTable")}),
        "/api/departments/": _get("listDepartments", "Departments with a published table, by name.",
                                  "DepartmentPage", ["year", *paged], bad=True, missing=True),
        "/api/tables/": _get("listTables", "The current publication of every published table.", "TablePage",
                             ["year", "department", *paged], bad=True, missing=True),
        "/api/tables/{id}/": _get("getTable", "One publication (current or older) with its table JSON document.",
                                  "TableDetail", ["id"], missing=True),
        "/api/tables/{id}/projects/": _get("listTableProjects", "The projects of one publication, in printed order.",
                                           "ProjectPage", ["id", *paged], bad=True, missing=True),
        "/api/projects/": _get("listProjects", "Projects of the current publications.", "ProjectPage",
                               ["year", "department", *paged], bad=True, missing=True),
        "/api/projects/{id}/": _get("getProject", "One published project with its indicator cells.", "Project",
                                    ["id"], missing=True),
        "/api/indicators/": _get("listIndicators",
                                 "One indicator column of every current published project that fills it.",
                                 "IndicatorPage", ["kind", "year", "department", *paged], bad=True, missing=True),
        "/api/targets/": _get("listTargets", "The current approved 绩效目标表 (performance targets) of every department "
                              "and budget year, with projects and indicators.", "TargetPage",
                              ["year", "department", *paged], bad=True, missing=True),
        "/api/targets/{id}/": _get("getTargets", "One approved 绩效目标表 (current or an earlier approval).",
                                   "TargetSheet", ["id"], missing=True),
    }


def document() -> dict:
    """A fresh copy of the OpenAPI document (callers may change it)."""
    return copy.deepcopy({
        "openapi": "3.1.0",
        "info": {
            "title": "jixiao open data — 预算项目绩效自评公开数据",
            "version": VERSION,
            "description": ("Read-only JSON of published 预算项目绩效自评情况公开表: tables, projects and "
                            "indicators, taken only from frozen publications. See docs/api.md."),
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "paths": _paths(),
        "components": {"schemas": _schemas(), "parameters": _parameters()},
    })
