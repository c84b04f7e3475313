"""The open-data API: published snapshots only, pagination, filters, 404s, bulk downloads,
and every answer valid against the OpenAPI description the app serves."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from importlib import resources

import jsonschema
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.formats import csv_table, table_json
from jixiao.web.api import openapi
from jixiao.web.api.index import index_publication
from jixiao.web.api.models import PublishedProject, PublishedTable
from jixiao.web.api.limits import MAX_PAGE_SIZE
from jixiao.web.entry import convert
from jixiao.web.entry.models import Department, Publication, Status
from jixiao.web.review import workflow

from .conftest import World, bring_to, explain_all, make_project
from .helpers import api_get as get
from .helpers import publish_generated

pytestmark = pytest.mark.django_db

OPENAPI = openapi.document()
TABLE_SCHEMA = json.loads((resources.files("jixiao") / "schema/table.schema.json").read_text(encoding="utf-8"))


def check(data, schema_name: str):
    """Validate against a component schema of the served OpenAPI document (formats checked too)."""
    schema = {**OPENAPI, "$ref": f"#/components/schemas/{schema_name}"}
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


def publish(world, table):
    bring_to(table, "published", world.users["approver"] if table.department == world.dept_a
             else world.users["approver_b"], world.users["reviewer"])
    return table.publications.order_by("-number").first()


@pytest.fixture
def client():
    return Client()


def test_openapi_is_served_and_valid(client):
    doc = get(client, "/api/openapi.json")
    assert doc == OPENAPI and doc["openapi"] == "3.1.0"
    # Every component schema is itself a valid JSON Schema (OpenAPI 3.1 = draft 2020-12).
    for schema in doc["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    # Every path in the document resolves to a view, and every API URL is in the document.
    from jixiao.web.api import urls

    served = {"/api/" + str(p.pattern).replace("<int:pk>", "{id}").replace("<int:year>", "{year}")
              for p in urls.urlpatterns if p.name != "not_found"} - {"/api/openapi.json"}
    assert served == set(doc["paths"])
    check(get(client, "/api/"), "Root")


def test_only_published_snapshots_appear_never_drafts_or_later_changes(client):
    world = World("draft")
    own, other = world.tables["own"], world.tables["other"]
    workflow.submit(other, world.users["approver_b"], explanations=explain_all(other))  # under review: not public either
    make_project(other, seq=2, name="乙部门草稿项目")
    assert get(client, "/api/tables/")["count"] == 0
    assert get(client, "/api/projects/")["count"] == 0

    first = publish(world, own)
    tables = get(client, "/api/tables/")
    check(tables, "TablePage")
    assert [t["id"] for t in tables["results"]] == [first.pk]
    assert tables["results"][0]["department"]["name"] == "甲部门"
    projects = get(client, "/api/projects/")
    check(projects, "ProjectPage")
    assert [p["name"] for p in projects["results"]] == ["项目1"]
    assert "乙部门草稿项目" not in json.dumps(get(client, "/api/indicators/", kind="quantity"), ensure_ascii=False)

    # A new revision edited after publishing changes nothing in the API …
    workflow.reopen(own, world.users["approver"])
    live = world.projects["own"]
    live.name, live.budget = "修订后的项目", Decimal("5.00")
    live.save()
    make_project(own, seq=2, name="新增草稿项目")
    body = json.dumps([get(client, "/api/projects/"), get(client, f"/api/tables/{first.pk}/"),
                       get(client, "/api/indicators/", kind="satisfaction")], ensure_ascii=False)
    assert "修订后的项目" not in body and "新增草稿项目" not in body
    assert get(client, "/api/projects/")["results"][0]["budget"] == "100.00"

    # … until it is published again; the first publication stays reachable and points on.
    second = publish(world, own)
    names = [p["name"] for p in get(client, "/api/projects/")["results"]]
    assert names == ["修订后的项目", "新增草稿项目"]
    assert [t["id"] for t in get(client, "/api/tables/")["results"]] == [second.pk]
    old = get(client, f"/api/tables/{first.pk}/")
    check(old, "TableDetail")
    assert old["is_current"] is False and old["current"].endswith(f"/api/tables/{second.pk}/")
    assert [p["name"] for p in old["document"]["projects"]] == ["项目1"]
    assert [p["name"] for p in get(client, f"/api/tables/{first.pk}/projects/")["results"]] == ["项目1"]
    new = get(client, f"/api/tables/{second.pk}/")
    assert new["is_current"] is True and new["current"] is None and new["publication_number"] == 2


def test_table_document_is_the_frozen_snapshot(client, seed_doc):
    world = World("draft")
    core = table_json.from_document(seed_doc)
    t = convert.save_table(core, status=Status.DRAFT)
    bring_to(t, "published", world.users["admin"], world.users["reviewer"])
    pub = t.publications.get()
    detail = get(client, f"/api/tables/{pub.pk}/")
    check(detail, "TableDetail")
    assert detail["document"] == pub.snapshot
    jsonschema.validate(detail["document"], TABLE_SCHEMA)
    assert table_json.from_document(detail["document"]) == core
    totals = core.totals()
    assert detail["totals"]["budget"] == f"{totals.budget:.2f}"
    assert detail["project_count"] == len(core.projects)
    assert detail["downloads"]["json"].endswith(f"/portal/publications/{pub.pk}/download/json/")
    assert client.get(detail["downloads"]["json"]).status_code == 200
    # Each project record says what the snapshot says.
    records = get(client, detail["projects_url"], page_size=MAX_PAGE_SIZE)["results"]
    for record, project in zip(records, core.projects, strict=True):
        check(record, "Project")
        assert record["name"] == project.name and record["seq"] == project.seq
        assert record["budget"] == (None if project.budget is None else str(project.budget))
        assert record["execution_rate"] == (project.execution_rate_text or record["execution_rate"])
        assert record["indicators"] == {k: {"target": c.target, "actual": c.actual, "not_applicable": c.not_applicable,
                                            "na_reason": c.na_reason} for k, c in project.indicators.items()}
        one = get(client, record["url"])
        check(one, "Project")
        assert one == record


def test_pagination_links_and_limits(client):
    world = World("draft")
    pub = publish_generated(world, projects=7, seed=3)
    first = get(client, "/api/projects/", page_size=3)
    check(first, "ProjectPage")
    assert (first["count"], first["page"], first["page_size"], first["previous"]) == (7, 1, 3, None)
    seen = [r["id"] for r in first["results"]]
    pages = [first]
    while pages[-1]["next"]:
        assert "page_size=3" in pages[-1]["next"] and "cursor=" in pages[-1]["next"]
        pages.append(get(client, pages[-1]["next"]))
        check(pages[-1], "ProjectPage")
        assert pages[-1]["page"] is None and pages[-1]["count"] == 7
        seen += [r["id"] for r in pages[-1]["results"]]
    assert len(pages) == 3 and len(pages[-1]["results"]) == 1
    every = list(PublishedProject.objects.filter(table_id=pub.pk).order_by("position").values_list("pk", flat=True))
    assert seen == every
    # previous links walk back over the same pages, the first one without a previous.
    back = get(client, pages[-1]["previous"])
    assert [r["id"] for r in back["results"]] == every[3:6]
    back = get(client, back["previous"])
    assert [r["id"] for r in back["results"]] == every[:3] and back["previous"] is None
    assert [r["id"] for r in get(client, back["next"])["results"]] == every[3:6]
    # The older page= links still answer the same rows, and lead on with cursors.
    second = get(client, "/api/projects/", page=2, page_size=3)
    assert second["page"] == 2 and [r["id"] for r in second["results"]] == every[3:6]
    assert [r["id"] for r in get(client, second["next"])["results"]] == every[6:]
    assert [r["id"] for r in get(client, second["previous"])["results"]] == every[:3]
    # A cursor no link gave names no page; one that is not a cursor at all is refused.
    for cursor in ("abc", "WyJhIiwxXQ", "WyJ4IiwxLDIsMywgNF0"):
        check(get(client, "/api/projects/", status=404, cursor=cursor), "Error")
    check(get(client, "/api/projects/", status=404, page=1, cursor=first["next"].split("cursor=")[1].split("&")[0]),
          "Error")
    for cursor in ("", "a b", "中文", "x" * 2001):
        assert get(client, "/api/projects/", status=400, cursor=cursor)["error"]["parameter"] == "cursor"
    assert get(client, "/api/projects/")["page_size"] == 50
    assert len(get(client, "/api/projects/", page_size=MAX_PAGE_SIZE)["results"]) == 7

    for params in ({"page": 0}, {"page": "abc"}, {"page": "-1"}, {"page_size": 0}, {"page_size": MAX_PAGE_SIZE + 1},
                   {"page_size": "1.5"}, {"year": "二〇一九"}, {"year": 1800}, {"department": "x"}, {"year": ""},
                   {"year": [2019, 2020]},
                   {"page": "９"}):
        error = get(client, "/api/projects/", status=400, **params)
        check(error, "Error")
        assert error["error"]["code"] == "invalid_parameter"
        assert error["error"]["parameter"] == next(iter(params))
    error = get(client, "/api/projects/", status=404, page=4, page_size=3)
    check(error, "Error")
    # A page past the end is known from the count: the listing is not walked to find it empty.
    with CaptureQueriesContext(connection) as ctx:
        get(client, "/api/projects/", status=404, page=10**9, page_size=MAX_PAGE_SIZE)
    assert len(ctx.captured_queries) == 2  # the data's version and the count
    # An empty list has one (empty) page.
    empty = get(client, "/api/projects/", year=2030)
    assert empty["count"] == 0 and empty["results"] == [] and empty["next"] is None


def test_a_cursor_is_refused_by_its_text_before_it_is_read():
    # keyset.decode itself tells text no cursor has (the API's 400) from a cursor that names
    # no place in the listing (its 404).
    from jixiao.web.api import keyset, views

    keys = views.PROJECT_KEYS
    good = keyset.encode("a", [2019, "部门", 1, 1, 1])
    assert keyset.decode(good, keys) == ("a", [2019, "部门", 1, 1, 1])
    for text in ("", "a b", "中文", "ａ", good + "\n", good + "=", "a+b/c", "x" * (keyset.MAX_CURSOR_CHARS + 1)):
        with pytest.raises(keyset.MalformedCursor):
            keyset.decode(text, keys)
    for text in ("a", "abc", "x" * keyset.MAX_CURSOR_CHARS, keyset.encode("x", [2019, "部门", 1, 1, 1]),
                 keyset.encode("a", [2019, "部门", 1, 1]), keyset.encode("a", [2019, 1, 1, 1, 1]),
                 keyset.encode("a", [2019, "部门", 1, 1, -1]), keyset.encode("a", [2019, "部门" * 201, 1, 1, 1])):
        with pytest.raises(keyset.BadCursor) as refused:
            keyset.decode(text, keys)
        assert not isinstance(refused.value, keyset.MalformedCursor), text


def test_filters_by_year_and_department(client):
    world = World("draft")
    a = publish(world, world.tables["own"])
    b = publish(world, world.tables["other"])
    c = publish_generated(world, projects=4, seed=5, year=2020, department="丙部门")
    dept_c = Department.objects.get(name="丙部门")

    def ids(url, **params):
        page = get(client, url, **params)
        check(page, {"/api/tables/": "TablePage", "/api/projects/": "ProjectPage",
                     "/api/departments/": "DepartmentPage"}[url])
        return page

    assert [t["id"] for t in ids("/api/tables/")["results"]] == [c.pk, b.pk, a.pk]  # newest year first, then by name
    assert [t["id"] for t in ids("/api/tables/", year=2019)["results"]] == [b.pk, a.pk]
    assert [t["id"] for t in ids("/api/tables/", department=world.dept_b.pk)["results"]] == [b.pk]
    assert ids("/api/tables/", year=2020, department=world.dept_b.pk)["count"] == 0
    assert ids("/api/projects/", year=2020)["count"] == 4
    assert {p["department"]["name"] for p in ids("/api/projects/", department=dept_c.pk)["results"]} == {"丙部门"}
    assert ids("/api/projects/", year=2019)["count"] == 2
    departments = ids("/api/departments/")["results"]
    assert [(d["name"], d["tables"], d["projects"]) for d in departments] == [
        ("丙部门", 1, 4), ("乙部门", 1, 1), ("甲部门", 1, 1)]
    assert [d["name"] for d in ids("/api/departments/", year=2020)["results"]] == ["丙部门"]
    years = get(client, "/api/years/")
    check(years, "YearList")
    assert [(y["year"], y["tables"], y["projects"]) for y in years["results"]] == [(2020, 1, 4), (2019, 2, 2)]

    cells = get(client, "/api/indicators/", kind="quantity", year=2019)
    check(cells, "IndicatorPage")
    assert [(i["department"]["name"], i["target"], i["kind_name"]) for i in cells["results"]] == [
        ("乙部门", "培训≥4次", "数量指标"), ("甲部门", "培训≥4次", "数量指标")]
    assert get(client, "/api/indicators/", kind="cost", year=2019)["count"] == 0
    for params in ({}, {"kind": "数量指标"}, {"kind": "Quantity"}):
        check(get(client, "/api/indicators/", status=400, **params), "Error")


def test_unknown_objects_are_404_json(client):
    world = World("published")
    for url in ("/api/tables/999999/", "/api/projects/999999/", "/api/tables/999999/projects/",
                "/api/tables/99999999999999999999/", "/api/projects/99999999999999999999/",
                "/api/years/2030/projects.csv", "/api/years/2030/tables.json", "/api/years/99999999999/tables.json",
                "/api/nothing-here/", "/api/tables/-1/", "/api/tables/%0A1/", "/api/%0D%0Ax"):
        check(get(client, url, status=404), "Error")
    assert client.post("/api/tables/").status_code == 405  # read-only
    assert world.tables["own"].publications.count() == 1


def test_year_csv_is_one_row_per_project_with_csv_table_columns(client, seed_doc):
    world = World("draft")
    seed = table_json.from_document(seed_doc)
    t = convert.save_table(seed, status=Status.DRAFT)
    bring_to(t, "published", world.users["admin"], world.users["reviewer"])
    gen = publish_generated(world, projects=5, seed=9, year=2019, department="=HYPERLINK(\"x\")部门")
    response = client.get("/api/years/2019/projects.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    seed_rows = csv_table.csv_rows(seed)
    assert rows[0] == ["年度", "部门", "公开表编号", "金额单位", "公开状态", "撤回时间", "撤回理由", *seed_rows[0]]
    assert len(rows) == 1 + len(seed.projects) + 5
    by_department = {}
    for row in rows[1:]:
        by_department.setdefault(row[1], []).append(row)
    # The seed's rows are exactly csv_table's rows (without its 合计 row).
    assert [r[7:] for r in by_department[seed.department]] == seed_rows[1:-1]
    assert {tuple(r[4:7]) for r in by_department[seed.department]} == {("published", "", "")}
    assert {r[3] for r in by_department[seed.department]} == {seed.money_unit.value}
    assert {r[2] for r in by_department[seed.department]} == {str(t.publications.get().pk)}
    # a department name that starts like a formula is written as text (CSV injection)
    assert {r[2] for r in by_department['\'=HYPERLINK("x")部门']} == {str(gen.pk)}
    assert len(by_department['\'=HYPERLINK("x")部门']) == 5
    # Drafts never appear: a draft 2019 table of another department adds nothing.
    make_project(world.tables["own"], seq=2, name="草稿里的项目")
    assert "草稿里的项目" not in b"".join(client.get("/api/years/2019/projects.csv").streaming_content).decode()


def test_year_json_is_a_list_of_the_published_documents(client):
    world = World("draft")
    a = publish(world, world.tables["own"])
    b = publish_generated(world, projects=3, seed=11, year=2019, department="丙部门")
    publish_generated(world, projects=2, seed=12, year=2020, department="丁部门")
    response = client.get("/api/years/2019/tables.json")
    assert response.status_code == 200 and response.streaming
    items = json.loads(b"".join(response.streaming_content))
    # Each frozen snapshot as it is, with its publication's status beside it.
    docs = [item["document"] for item in items]
    assert docs == [Publication.objects.get(pk=b.pk).snapshot, Publication.objects.get(pk=a.pk).snapshot]
    assert [(i["id"], i["status"], i["withdrawal"], i["corrected_by"]) for i in items] == [
        (b.pk, "published", None, None), (a.pk, "published", None, None)]
    assert items[0]["url"].endswith(f"/api/tables/{b.pk}/")
    # The file is what the OpenAPI document says it is (schemathesis validates it too).
    ok = {**OPENAPI, **OPENAPI["paths"]["/api/years/{year}/tables.json"]["get"]["responses"]["200"]
          ["content"]["application/json"]["schema"]}
    jsonschema.Draft202012Validator(ok, format_checker=jsonschema.FormatChecker()).validate(items)
    for doc in docs:
        jsonschema.validate(doc, TABLE_SCHEMA)
        table_json.from_document(doc)


LISTINGS = (("/api/projects/", {}), ("/api/projects/", {"year": 2019}), ("/api/tables/", {}),
            ("/api/tables/", {"year": 2019}), ("/api/departments/", {}), ("/api/indicators/", {"kind": "quantity"}),
            ("/api/indicators/", {"kind": "quantity", "year": 2019}))


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        page = get(client, url, **params)
    return page, len(ctx.captured_queries)


def _walk_costs(client, url, params, size):
    """The queries of the first page, of the last page reached by next links, and of a
    page= page; and the pages walked."""
    first, cost_first = _queries(client, url, page_size=size, **params)
    page, cost_deep, walked = first, cost_first, 1
    while page["next"]:
        with CaptureQueriesContext(connection) as ctx:
            page = get(client, page["next"])
        cost_deep, walked = len(ctx.captured_queries), walked + 1
    last = max(1, -(-first["count"] // size))
    _, cost_numbered = _queries(client, url, page=last, page_size=size, **params)
    return (cost_first, cost_deep, cost_numbered), walked


def test_list_pages_use_the_same_few_queries_whatever_the_page_its_size_or_the_data(client):
    # Three: the data's version (ETag), the listing's count, the page's rows (with their
    # publication status). No more on a deep page, a large page or a larger database.
    world = World("draft")
    publish_generated(world, projects=3, seed=20, department="部门0")
    table = PublishedTable.objects.get().pk
    small = {}
    for url, params in (*LISTINGS, (f"/api/tables/{table}/projects/", {})):
        small[url, tuple(params.items())] = _walk_costs(client, url, params, size=2)[0]
    for i in range(1, 6):
        publish_generated(world, projects=12, seed=20 + i, department=f"部门{i}", year=2019 + i % 2)
    for url, params in (*LISTINGS, (f"/api/tables/{table}/projects/", {})):
        for size in (MAX_PAGE_SIZE, 5, 1):
            costs, walked = _walk_costs(client, url, params, size)
            assert costs == small[url, tuple(params.items())] == (3, 3, 3), (url, params, size)
        assert walked >= 3, (url, params)  # with page_size=1: pages after the first were reached


def test_deep_pages_start_at_the_cursor_in_the_index():
    # PostgreSQL can read a page after a cursor as an index range from the cursor, in the
    # page's order (the index condition holds the row comparison; no sort). The tables here
    # are nearly empty, so other plans are turned off to see that this one exists.
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    from jixiao.web.api import keyset, views

    listings = (
        (PublishedProject.objects.filter(is_current=True), views.PROJECT_KEYS, [2019, "部门", 1, 1, 1]),
        (PublishedProject.objects.filter(is_current=True, year=2019), views.PROJECT_KEYS[1:], ["部门", 1, 1, 1]),
        (PublishedTable.objects.filter(is_current=True), views.TABLE_KEYS, [2019, "部门", 1]),
        (PublishedProject.objects.filter(is_current=True, department_id_live=3), views.PROJECT_KEYS,
         [2019, "部门", 1, 1, 1]),
    )
    with connection.cursor() as cursor:
        for plan in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{plan} = off")
        for queryset, keys, values in listings:
            query = keyset._ordered(keyset._after(queryset, keys, values, ">"), keys, False)[:51]
            plan = query.explain()
            assert "Index" in plan and "Sort Key" not in plan and ") > ROW(" in plan.split("Index Cond:")[1], plan


def test_answers_carry_validators_and_unchanged_ones_are_not_sent_again(client, settings):
    world = World("draft")
    publish(world, world.tables["own"])
    urls = ["/api/", "/api/projects/", "/api/tables/", "/api/years/", "/api/departments/",
            "/api/indicators/?kind=quantity", "/api/years/2019/tables.json", "/api/years/2019/projects.csv"]
    tags = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=60"
        assert response["ETag"] and response["Last-Modified"]
        tags[url] = response["ETag"]
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again.content == b"" and len(ctx.captured_queries) == 1
        assert again["Cache-Control"] == "public, max-age=60" and again["ETag"] == response["ETag"]
        # Open data: every answer, a 304 too, may be read by any web page (docs/api.md).
        assert response["Access-Control-Allow-Origin"] == again["Access-Control-Allow-Origin"] == "*"
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert since.status_code == 304
    # Errors are not versioned: no validators, and no cache may keep them.
    error = client.get("/api/projects/", {"page": 0})
    assert error.status_code == 400 and not error.has_header("ETag") and "public" not in error["Cache-Control"]
    missing = client.get("/api/tables/999999/")
    assert error["Access-Control-Allow-Origin"] == missing["Access-Control-Allow-Origin"] == "*"
    # A publication changes every answer's ETag; so does a withdrawal (a status changes).
    publish(world, world.tables["other"])
    after = {url: client.get(url, HTTP_IF_NONE_MATCH=tags[url]) for url in urls}
    assert all(r.status_code == 200 and r["ETag"] != tags[url] for url, r in after.items())
    tags = {url: r["ETag"] for url, r in after.items()}
    from jixiao.web.entry.models import Withdrawal
    from django.utils import timezone

    Withdrawal.objects.create(publication=Publication.objects.order_by("pk").first(), reason="数据有误",
                              withdrawn_at=timezone.now())
    assert all(client.get(url, HTTP_IF_NONE_MATCH=tags[url]).status_code == 200 for url in urls)
    # The answers' text depends on the host (links) and the language (messages): so does the tag.
    settings.ALLOWED_HOSTS = ["a.example.org", "b.example.org", "testserver"]
    assert (client.get("/api/", HTTP_HOST="a.example.org")["ETag"]
            != client.get("/api/", HTTP_HOST="b.example.org")["ETag"])
    settings.JIXIAO_PUBLIC_CACHE_SECONDS = 0
    assert client.get("/api/")["Cache-Control"] == "public, no-cache"


def test_project_pages_write_the_records_the_detail_computes(client):
    # List pages and the detail join the text stored at indexing (records.py). Same record, and
    # the page is exactly what JsonResponse would write.
    world = World("draft")
    publish(world, world.tables["own"])
    publish_generated(world, projects=9, seed=31, department="丙部门")
    publish_generated(world, projects=4, seed=32, year=2020, department="丁部门")
    tables = PublishedTable.objects.values_list("pk", flat=True)
    for url in ("/api/projects/", *(f"/api/tables/{pk}/projects/" for pk in tables)):
        response = client.get(url, {"page_size": MAX_PAGE_SIZE})
        page = response.json()
        check(page, "ProjectPage")
        assert response.content == json.dumps(page, ensure_ascii=False).encode("utf-8")
        assert page["results"]
        for record in page["results"]:
            assert get(client, record["url"]) == record
    # A table published again: its older records say so (is_current is not in the stored text).
    own = world.tables["own"]
    first = own.publications.get()
    workflow.reopen(own, world.users["approver"])
    publish(world, own)
    old = get(client, f"/api/tables/{first.pk}/projects/")["results"]
    assert old and all(r["is_current"] is False for r in old)
    assert all(get(client, r["url"]) == r for r in old)


def test_migration_writes_the_records_the_index_writes(client):
    from django.apps import apps
    from importlib import import_module

    world = World("draft")
    publish_generated(world, projects=5, seed=33)
    publish(world, world.tables["own"])
    indexed = dict(PublishedProject.objects.values_list("pk", "record_json"))
    assert all(indexed.values())
    PublishedProject.objects.update(record_json="")
    import_module("jixiao.web.api.migrations.0004_project_record_json").write_records(apps, None)
    assert dict(PublishedProject.objects.values_list("pk", "record_json")) == indexed


def test_project_listing_follows_publications(client):
    world = World("draft")
    publish_generated(world, projects=5, seed=34, department="丙部门")
    walk = [r["id"] for n in (1, 2, 3) for r in get(client, "/api/projects/", page=n, page_size=2)["results"]]
    assert walk == list(PublishedProject.objects.order_by("department", "position").values_list("pk", flat=True))
    publish_generated(world, projects=3, seed=35, department="乙乙部门")
    page = get(client, "/api/projects/", page_size=8)  # a new URL: read from the kept listing
    assert page["count"] == 8 and page["next"] is None
    assert [r["department"]["name"] for r in page["results"]] == ["丙部门"] * 5 + ["乙乙部门"] * 3
    assert get(client, "/api/projects/", page=2, page_size=4)["results"][-1]["department"]["name"] == "乙乙部门"


def test_index_is_idempotent_and_backfills_like_the_signal(client):
    world = World("published")
    pub = world.tables["own"].publications.get()
    before = list(PublishedProject.objects.filter(table_id=pub.pk).values("seq", "name", "document"))
    index_publication(pub)  # the migration calls this for every publication; twice changes nothing
    assert list(PublishedProject.objects.filter(table_id=pub.pk).values("seq", "name", "document")) == before
    PublishedTable.objects.filter(pk=pub.pk).delete()
    index_publication(Publication.objects.get(pk=pub.pk))
    assert list(PublishedProject.objects.filter(table_id=pub.pk).values("seq", "name", "document")) == before


def test_docs_describe_every_endpoint_and_limit():
    from pathlib import Path

    from jixiao.web.api import views

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    for path in OPENAPI["paths"]:
        assert f"`GET {path}`" in doc or f"`GET {path}" in doc, path
    for parameter in OPENAPI["components"]["parameters"].values():
        assert f"`{parameter['name']}`" in doc, parameter["name"]
    assert f"default **{views.DEFAULT_PAGE_SIZE}**, at most **{views.MAX_PAGE_SIZE}**" in doc
    assert f"{views.YEAR_RANGE[0]}–{views.YEAR_RANGE[1]}" in doc


def test_indicator_rows_are_the_filled_columns_and_follow_publications(client):
    from django.apps import apps
    from importlib import import_module

    from jixiao.web.api.models import PublishedIndicator

    world = World("draft")
    publish_generated(world, projects=4, seed=36)
    first = publish(world, world.tables["own"])

    def expected():
        return sorted((p.pk, kind, p.is_current) for p in PublishedProject.objects.all()
                      for kind in p.document.get("indicators") or {})

    def rows():
        return sorted(PublishedIndicator.objects.values_list("project_id", "kind", "is_current"))

    assert rows() == expected() and rows()
    # Published again: the older publication's rows are no longer current, like its projects.
    workflow.reopen(world.tables["own"], world.users["approver"])
    publish(world, world.tables["own"])
    assert rows() == expected()
    assert not PublishedIndicator.objects.filter(table_id=first.pk, is_current=True).exists()
    # Migration api.0006 writes the rows of publications indexed before it, and only those.
    PublishedIndicator.objects.filter(table_id=first.pk).delete()
    import_module("jixiao.web.api.migrations.0006_listing_indexes").write_indicator_rows(apps, None)
    assert rows() == expected()
