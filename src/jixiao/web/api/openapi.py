"""The OpenAPI 3.1 description of the open-data API — the one place it is written.

Served at ``/api/openapi.json``. ``tests/web/test_api.py`` validates every view's answers
against these schemas (``additionalProperties: false`` everywhere, so a field added to a view
but not here fails the tests), and ``tests/web/test_api_schemathesis.py`` lets schemathesis
call the running app with generated parameters and check status codes, content types and
bodies against it. Limits come from :mod:`.limits` and the project record's text and amount
fields from :mod:`.records`, so the description cannot drift from them.
"""

from __future__ import annotations

from jixiao.core.taxonomy import CATEGORIES, KINDS

from .keyset import CURSOR_PATTERN, MAX_CURSOR_CHARS
from .limits import DEFAULT_PAGE_SIZE, MAX_ID, MAX_PAGE, MAX_PAGE_SIZE, YEAR_RANGE
from .records import AMOUNT_KEYS, TEXT_KEYS

VERSION = "2.1"  # 2.1: approved targets (/api/targets/)
# What the root links to besides the document itself, in its order (views.root writes them).
LINKS = ("years", "departments", "tables", "projects", "indicators", "targets")
KIND_KEYS = [k.key for k in KINDS]


def _type(name, description: str | None = None, **extra) -> dict:
    """A schema of JSON type ``name`` (or names) with ``extra`` keywords, its description last."""
    return {"type": name, **extra, **({"description": description} if description else {})}


def _obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": list(properties) if required is None else required, **extra}


def _array(items: dict) -> dict:
    return _type("array", items=items)


def _link_or_null(description: str) -> dict:
    return _type(["string", "null"], description, format="uri")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


INT, TEXT, BOOL, COUNT = _type("integer"), _type("string"), _type("boolean"), _type("integer", minimum=0)
_URL = _type("string", format="uri")
_TIME = _type("string", format="date-time")
_MONEY_UNIT = _type("string", enum=["元", "万元"])
_PUBLICATION_ID = _type("integer", "The publication's id.")
_TABLE_DOCUMENT = _type("object", "The frozen table JSON document (src/jixiao/schema/table.schema.json).",
                        required=["year", "department", "money_unit", "projects"])
_AMOUNT = _type(["string", "null"], "Exact decimal as text, in the table's money unit (元 or 万元); null when not "
                "filled.", pattern=r"^-?[0-9]+(\.[0-9]+)?$")
_NOT_APPLICABLE = {
    "not_applicable": _type("boolean", "不适用: the department declared the indicator does not apply."),
    "na_reason": _type("string", "Why it does not apply (empty unless not_applicable)."),
}
# A department's or a year's published tables and projects, with the link to the tables.
_COUNTS = {"tables": _type("integer", minimum=1), "projects": COUNT, "tables_url": _URL}
_DEPARTMENT = _obj({"id": INT, "name": TEXT})
# A publication's status, in every record that comes from one (tables, projects, indicators,
# the year's tables.json).
_STATUS = {
    "status": _type("string", "withdrawn (撤回, with a public reason) or superseded by a correction (更正); the "
                              "snapshot itself never changes.", enum=["published", "withdrawn", "superseded"]),
    "withdrawal": {"oneOf": [{"type": "null"}, _obj({"withdrawn_at": _TIME, "reason": TEXT})]},
    "corrected_by": {"oneOf": [{"type": "null"}, _URL],
                     "description": "The publication that corrects this one, once there is one."},
}
_TABLE_SUMMARY = {
    "id": _PUBLICATION_ID, "url": _URL, "year": INT,
    "department": _obj({**_DEPARTMENT["properties"], "short_name": TEXT}),
    "title": TEXT,
    "publication_number": _type("integer", "1 for the first publication of the table, 2 for its next, …", minimum=1),
    "is_current": _type("boolean", "False when the table has been published again since."),
    **_STATUS,
    "published_at": _TIME, "money_unit": _MONEY_UNIT, "layout": _array(_type("string", enum=KIND_KEYS)),
    "project_count": COUNT,
    "totals": _obj({"budget": _AMOUNT, "actual_total": _AMOUNT,
                    "execution_rate": _type("string", "Computed 合计 rate, e.g. 99.74%; empty when the budget is 0.")}),
    "projects_url": _URL, "page_url": _URL,
    "downloads": _type("object", additionalProperties=_URL,
                       propertyNames={"enum": ["xlsx", "pdf", "html", "csv", "json"]}),
}


def _schemas() -> dict:
    return {
        "Error": _obj({"error": _obj({
            "code": _type("string", enum=["invalid_parameter", "not_found"]),
            "message": _type("string", "In the request's language (Chinese by default)."),
            "parameter": _type("string", "The query parameter at fault (400 only)."),
        }, required=["code", "message"])}),
        "Department": _DEPARTMENT,
        "Cell": _obj({"target": _type("string", "年度指标内容, verbatim (empty when not applicable)."),
                      "actual": _type("string", "完成情况, verbatim (empty when not applicable)."),
                      **_NOT_APPLICABLE}),
        "Root": _obj({"name": TEXT, "version": TEXT, "openapi": _URL, "documentation": TEXT,
                      **dict.fromkeys(LINKS, _URL), "max_page_size": _type("integer", const=MAX_PAGE_SIZE)}),
        "YearList": _obj({"results": _array(_obj({"year": INT, **_COUNTS,
                                                  "downloads": _obj({"csv": _URL, "json": _URL})}))}),
        "DepartmentSummary": _obj({"id": INT, "name": TEXT, **_COUNTS}),
        "TableSummary": _obj(_TABLE_SUMMARY),
        "TableDetail": _obj({**_TABLE_SUMMARY, "current": _link_or_null("The current publication of the same table "
                                                                        "when this one is older, else null."),
                             "document": _TABLE_DOCUMENT}),
        "Project": _obj({
            "id": INT, "url": _URL, "table": INT, "table_url": _URL, "year": INT, "department": _ref("Department"),
            "is_current": BOOL, **_STATUS,
            "position": _type("integer", "Row number in the published table.", minimum=1),
            "seq": _type("integer", "序号 as printed."), "money_unit": _MONEY_UNIT,
            "gov_investment": _type(["boolean", "null"]),
            "execution_rate": _type("string", "预算支出执行率 as printed (or computed when not printed)."),
            "indicators": _type("object", additionalProperties=_ref("Cell"), propertyNames={"enum": KIND_KEYS}),
            **dict.fromkeys(TEXT_KEYS, TEXT), **dict.fromkeys(AMOUNT_KEYS, _AMOUNT),
        }),
        "Indicator": _obj({
            "project": INT, "project_url": _URL, "table": INT, "year": INT, "department": _ref("Department"),
            "project_seq": INT, "project_name": TEXT, **_STATUS,
            "kind": _type("string", enum=KIND_KEYS), "kind_name": _type("string", enum=[k.name for k in KINDS]),
            "category": _type("string", enum=[c.key for c in CATEGORIES]),
            "category_name": _type("string", enum=[c.name for c in CATEGORIES]),
            "target": TEXT, "actual": TEXT, **_NOT_APPLICABLE,
        }),
        "YearTable": _obj({"id": _PUBLICATION_ID, "url": _URL, **_STATUS, "document": _TABLE_DOCUMENT}),
        "DepartmentPage": _page_of("DepartmentSummary"),
        "TablePage": _page_of("TableSummary"),
        "ProjectPage": _page_of("Project"),
        "IndicatorPage": _page_of("Indicator"),
        "TargetSheet": _target_sheet(),
        "TargetPage": _page_of("TargetSheet"),
    }


def _target_sheet() -> dict:
    """An approved 绩效目标表: its projects and indicators in the targets JSON shape (docs/targets.md)."""
    indicator = _obj({
        "kind": _type("string", "二级指标 (its 一级 follows).", enum=KIND_KEYS),
        "name": TEXT,
        "nature": {"enum": [">=", "<=", "=", "qualitative", None], "description": "指标性质; null when not read."},
        "value": TEXT, "unit": TEXT,
        "weight": {**_AMOUNT, "description": "分值, or null."},
        "basis": {"enum": ["plan", "industry", "history", "other", None], "description": "指标值设定依据."},
        "last_actual": TEXT,
    })
    project = _obj({"name": TEXT, "department": TEXT, "unit": TEXT,
                    "funds": _obj({"total": _AMOUNT, "fiscal": _AMOUNT, "other": _AMOUNT}),
                    "goal": TEXT, "indicators": _array(indicator)})
    return _obj({
        "id": _type("integer", "The approval's id."), "url": _URL, "page_url": _URL,
        "year": _type("integer", "The budget year the targets are for."),
        "department": _DEPARTMENT, "title": TEXT, "money_unit": _MONEY_UNIT, "approved_at": _TIME,
        "is_current": _type("boolean", "False once a later adjustment was approved."),
        "adjusting": _type("boolean", "The department reopened the sheet for an adjustment not approved yet; this "
                                      "is still the approved version."),
        "project_count": COUNT, "indicator_count": COUNT,
        "downloads": _obj({"xlsx": _URL, "pdf": _URL, "json": _URL}),
        "projects": _array(project),
    })


def _page_of(item: str) -> dict:
    return _obj({
        "count": COUNT,
        "page": _type(["integer", "null"], "The page number asked for with page= (1 without page or cursor); null on "
                                           "a page asked for with cursor= (the next and previous links).", minimum=1),
        "page_size": _type("integer", minimum=1),
        "next": _link_or_null("The next page (a cursor= link), or null after the last row."),
        "previous": _link_or_null("The page before (a cursor= link), or null on the first."),
        "results": _array(_ref(item)),
    })


def _parameter(name: str, schema: dict, description: str | None = None, where: str = "query",
               required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required,
            **({"description": description} if description else {}), "schema": schema}


def _parameters() -> dict:
    year = _type("integer", minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1])
    some_id = _type("integer", minimum=1, maximum=MAX_ID)
    return {
        "page": _parameter("page", _type("integer", minimum=1, maximum=MAX_PAGE, default=1),
                           "Page number, from 1 (the older way to page: a deep page costs more than a cursor page; "
                           "follow next instead). A page after the last answers 404."),
        "cursor": _parameter("cursor", _type("string", pattern=CURSOR_PATTERN, minLength=1,
                                             maxLength=MAX_CURSOR_CHARS),
                             "Where a page starts, exactly as the next or previous link of the page before gives it "
                             "(opaque). Not together with page. One that no link gave answers 404."),
        "page_size": _parameter("page_size", _type("integer", minimum=1, maximum=MAX_PAGE_SIZE,
                                                   default=DEFAULT_PAGE_SIZE),
                                f"Results per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE})."),
        "year": _parameter("year", year, "Only this budget year."),
        "department": _parameter("department", some_id, "Only this department (its id, see /api/departments/)."),
        "kind": _parameter("kind", _type("string", enum=KIND_KEYS), "The indicator column (二级指标) to list.",
                           required=True),
        "id": _parameter("id", some_id, where="path", required=True),
        "year_path": _parameter("year", year, where="path", required=True),
    }


_MISSING = "No such object, or a page after the last."


def _get(operation_id: str, summary: str, ok: dict, params=(), missing: str | None = None, bad: bool = False,
         media_type: str = "application/json") -> dict:
    """A GET operation answering ``ok`` (a schema), and an Error for a bad query parameter
    (``bad``) or for what is ``missing`` (its description), when it can."""
    errors = {"400": "A query parameter is not valid."} if bad else {}
    if missing:
        errors["404"] = missing
    return {"get": {
        "operationId": operation_id, "summary": summary,
        "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in params],
        "responses": {"200": {"description": summary, "content": {media_type: {"schema": ok}}},
                      **{code: {"description": text, "content": {"application/json": {"schema": _ref("Error")}}}
                         for code, text in errors.items()}},
    }}


def _list(operation_id: str, summary: str, page: str, params=("year", "department")) -> dict:
    return _get(operation_id, summary, _ref(page), [*params, "cursor", "page", "page_size"], _MISSING, bad=True)


def _paths() -> dict:
    no_year = "No published table in that year."
    return {
        "/api/": _get("root", "Links to everything the API offers.", _ref("Root")),
        "/api/years/": _get("listYears", "Years with published tables, newest first, with bulk downloads.",
                            _ref("YearList")),
        "/api/years/{year}/projects.csv": _get(
            "yearCsv", "Every current published project of the year as CSV (UTF-8 with BOM, one row per project).",
            TEXT, ["year_path"], no_year, media_type="text/csv"),
        # What the file is: schemathesis validates JSON answers, and "string" failed whenever
        # it drew a year with publications.
        "/api/years/{year}/tables.json": _get(
            "yearJson", "Every current published table of the year with its publication status: a JSON list of "
                        "{id, url, status, withdrawal, corrected_by, document}.",
            _array(_ref("YearTable")), ["year_path"], no_year),
        "/api/departments/": _list("listDepartments", "Departments with a published table, by name.",
                                   "DepartmentPage", ["year"]),
        "/api/tables/": _list("listTables", "The current publication of every published table.", "TablePage"),
        "/api/tables/{id}/": _get("getTable", "One publication (current or older) with its table JSON document.",
                                  _ref("TableDetail"), ["id"], _MISSING),
        "/api/tables/{id}/projects/": _list("listTableProjects", "The projects of one publication, in printed "
                                            "order.", "ProjectPage", ["id"]),
        "/api/projects/": _list("listProjects", "Projects of the current publications.", "ProjectPage"),
        "/api/projects/{id}/": _get("getProject", "One published project with its indicator cells.",
                                    _ref("Project"), ["id"], _MISSING),
        "/api/indicators/": _list("listIndicators", "One indicator column of every current published project that "
                                  "fills it.", "IndicatorPage", ["kind", "year", "department"]),
        "/api/targets/": _list("listTargets", "The current approved 绩效目标表 (performance targets) of every "
                               "department and budget year, with projects and indicators.", "TargetPage"),
        "/api/targets/{id}/": _get("getTargets", "One approved 绩效目标表 (current or an earlier approval).",
                                   _ref("TargetSheet"), ["id"], _MISSING),
    }


def document() -> dict:
    """The OpenAPI document. Its schemas share parts (``INT``, ``_STATUS``…): read it, do not change it."""
    return {
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
    }
