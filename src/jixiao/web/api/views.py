"""Read-only JSON views of published tables, projects and indicators (docs/api.md).

Everything here reads the publication index (:mod:`.models`), which is derived from the
frozen snapshots only: a draft, a table under review, or a change made after publishing
never appears until it is published. The response shapes are described in
:mod:`.openapi`; ``tests/web/test_api.py`` validates the views' answers against it.

Nothing is kept between requests in the process, so any number of app processes answer
alike: a listing's page is an index range found from its cursor (:mod:`.keyset`) with a
fixed number of queries whatever the page's depth or size, and every answer carries an ETag
and Last-Modified from the newest publication and withdrawal (web/freshness.py), so clients
and shared caches ask again cheaply (304) and keep answers ``JIXIAO_PUBLIC_CACHE_SECONDS``.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
from json.encoder import encode_basestring
from urllib.parse import urlencode

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import get_script_prefix, reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from jixiao.core import money
from jixiao.core.model import Table
from jixiao.core.taxonomy import FULL, KIND_BY_KEY
from jixiao.formats import headers as H
from jixiao.formats import table_json
from jixiao.formats.csv_table import project_cells
from jixiao.formats.formula_guard import csv_text
from jixiao.web import freshness
from jixiao.web.entry import downloads
from jixiao.web.entry.models import Publication
from jixiao.web.targets import exporting as target_export
from jixiao.web.targets.models import PublishedTargets

from . import keyset, openapi, records
from .keyset import Key, field
from .limits import DEFAULT_PAGE_SIZE, MAX_ID, MAX_PAGE, MAX_PAGE_SIZE, YEAR_RANGE
from .models import PublishedIndicator, PublishedProject, PublishedTable


class BadParameter(Exception):
    """A query parameter that is not valid: its name and what is wrong with it (a 400)."""


def _json(data, status=200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def api_view(func):
    """GET/HEAD only; a bad query parameter is a 400 and a missing object a 404, both as JSON.
    A 200 carries ETag and Last-Modified (web/freshness.py) and may be kept by any cache for
    ``JIXIAO_PUBLIC_CACHE_SECONDS``; a request whose validators match is answered 304 before
    the view runs."""

    def answer(request, *args, **kwargs):
        try:
            return func(request, *args, **kwargs)
        except BadParameter as exc:
            name, message = exc.args
            status, error = 400, {"code": "invalid_parameter", "message": message, "parameter": name}
        except Http404 as exc:
            status, error = 404, {"code": "not_found", "message": str(exc.args[0]) if exc.args else _("未找到")}
        return _json({"error": error}, status=status)

    conditional = condition(etag_func=freshness.api_etag, last_modified_func=freshness.last_modified)(answer)

    @require_safe
    @functools.wraps(func)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        # Open data: any web page may read it (no cookies are needed or honoured for it).
        response["Access-Control-Allow-Origin"] = "*"
        if response.status_code in (200, 304):
            freshness.cache_control(response)
        else:
            # An error is about this moment (a page not there yet), not about the data's version.
            del response["ETag"], response["Last-Modified"]
        return response
    # Read-only and anonymous: no form, no session, nothing a forged request could change. Exempt
    # from the CSRF check, which runs before the view and would answer POST/PUT/DELETE with 403;
    # require_safe answers them 405 with "Allow: GET, HEAD", as docs/api.md says.
    return csrf_exempt(wrapper)


# --- query parameters -----------------------------------------------------------------

def _one(request, name: str) -> str | None:
    """The parameter's value; given twice (``?year=2019&year=2020``) is an error, not a guess."""
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, _("参数 %(name)s 只能给一次") % {"name": name})
    return values[0] if values else None


def _int_param(request, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = _one(request, name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise BadParameter(name, _("参数 %(name)s 必须是整数") % {"name": name})
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(name, _("参数 %(name)s 必须在 %(low)s 与 %(high)s 之间") %
                           {"name": name, "low": low, "high": high})
    return value


def _filters(request) -> dict:
    """``year`` and ``department`` as the index rows' filters (column → value), when given."""
    found = {"year": _int_param(request, "year", None, *YEAR_RANGE),
             "department_id_live": _int_param(request, "department", None, 1, MAX_ID)}
    return {column: value for column, value in found.items() if value is not None}


def _place(request, keys: tuple[Key, ...], number: int | None) -> tuple[str, list] | None:
    """The ``cursor`` parameter as keyset.decode reads it. Text that is no cursor at all is a
    bad parameter (400); a cursor given with ``page``, or one no link of this listing gave,
    names no page (404)."""
    cursor = _one(request, "cursor")
    if cursor is None:
        return None
    try:
        place = keyset.decode(cursor, keys)
    except keyset.MalformedCursor:
        raise BadParameter("cursor", _("参数 cursor 应原样取自上一页的 next 或 previous 链接")) from None
    except keyset.BadCursor:
        place = None
    if number is not None:
        raise Http404(_("没有这一页：page 与 cursor 只能给一个"))
    if place is None:
        raise Http404(_("没有这一页：cursor 不是这个列表的链接给出的"))
    return place


def _listing(request, rows, keys: tuple[Key, ...], serialize, count, filters: dict, offset_ids: tuple | None = None,
             text: bool = False) -> HttpResponse:
    """A page of ``rows``, each through ``serialize``, in the paginated envelope: the rows after
    (or before) ``cursor`` in the order of ``keys``, or (``page=`` links) at ``(page - 1) ×
    page_size``. ``count`` gives the listing's length cheaply (from the tables' project counts
    where it can). A key a filter holds still (``filters``: column → value) is left out of the
    order: the index range then starts after the filter's columns (with a year, the tables run
    by department over the index that starts with the year). ``offset_ids``: keyset.page.
    ``text``: ``serialize`` writes JSON text."""
    keys = tuple(k for k in keys if k.column not in filters)
    size = _int_param(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    number = _int_param(request, "page", None, 1, MAX_PAGE)
    place = _place(request, keys, number)
    total = count()
    if number is not None:
        last = max(1, -(-total // size))
        if number > last:  # known without walking the listing
            raise Http404(_("没有第 %(page)s 页（共 %(last)s 页）") % {"page": number, "last": last})
    rows, after, before = keyset.page(rows, keys, size, place=place, offset=((number or 1) - 1) * size,
                                      offset_ids=offset_ids)
    link = _page_link(request) if after or before else None
    envelope = {
        "count": total,
        "page": None if place else number or 1,
        "page_size": size,
        "next": link(after) if after else None,
        "previous": link(before) if before else None,
    }
    results = [serialize(request, row) for row in rows]
    if not text:
        return _json({**envelope, "results": results})
    # The envelope as JsonResponse would write it, its closing brace replaced by the results.
    head = json.dumps(envelope, ensure_ascii=False)
    return _json_text("".join([head[:-1], ', "results": [', ", ".join(results), "]}"]).encode("utf-8"))


def _json_text(body: bytes) -> HttpResponse:
    """JSON already written (as ``_json`` would write it)."""
    return HttpResponse(body, content_type="application/json")


def _page_link(request):
    """A function giving the request's absolute URL with its query sorted by name, ``page``
    left out and ``cursor`` replaced: what ``build_absolute_uri(path + "?" +
    urlencode(sorted(query), doseq=True))`` gives (tested), the parts around the cursor made
    once for the next and the previous link."""
    # Names are unique in lists(), so sorting the pairs sorts by name.
    query = sorted((name, values) for name, values in request.GET.lists() if name not in ("page", "cursor"))
    before = urlencode([q for q in query if q[0] < "cursor"], doseq=True)
    after = urlencode([q for q in query if q[0] > "cursor"], doseq=True)
    head = request.build_absolute_uri(request.path) + "?" + (before + "&" if before else "") + "cursor="
    tail = "&" + after if after else ""
    return lambda cursor: f"{head}{cursor}{tail}"


def _url(request, name: str, *args) -> str:
    """The absolute URL of an API view (``name``) or another app's (``"portal:…"``): the view's
    URL with ``{0}``, ``{1}``… for its arguments (``str.format``) is kept per host (``reverse``
    costs more than a small page's rows) and per request (checking the host costs more than
    filling in a link; a table summary has eight), then filled in (a page has hundreds)."""
    links = request.__dict__.setdefault("_jixiao_api_links", {})
    template = links.get((name, len(args)))
    if template is None:
        if "host" not in links:
            # get_host() validates the host against ALLOWED_HOSTS on every call: once per request.
            links["host"] = request.get_host()
        viewname = name if ":" in name else f"api:{name}"
        template = links[name, len(args)] = _absolute_template(viewname, len(args), get_script_prefix(),
                                                                f"{request.scheme}://{links['host']}")
    return template.format(*args)


# What the URLconf says, not data, so every process makes the same. Hosts are those
# ALLOWED_HOSTS lets through; the bound only matters with a wildcard there.
@functools.lru_cache(maxsize=256)
def _absolute_template(viewname: str, arity: int, _script_prefix: str, scheme_host: str) -> str:
    # What build_absolute_uri makes of the path reverse() gives, which starts with the script
    # prefix (reverse reads it itself: here it is only a part of the key). iri_to_uri escapes
    # braces, so the only ones in the template are its own.
    marks = [f"987654321{i}" for i in range(arity)]
    template = iri_to_uri(scheme_host + reverse(viewname, args=marks))
    for i, mark in enumerate(marks):
        template = template.replace(mark, "{%d}" % i)
    return template


# --- serialisers ----------------------------------------------------------------------

def _amount(value) -> str | None:
    return None if value is None else format(money.at_least_cents(value), "f")


def _department(row) -> dict:
    return {"id": row.department_id_live, "name": row.department}


def with_status(queryset, via: str = ""):
    """The rows with their publication's status (a withdrawal; the first correction) as
    ``withdrawn_at``, ``withdrawal_reason`` and ``correction_id``: ``via`` is the path from
    the rows to their PublishedTable (``""`` for tables, ``"table__"`` for projects and
    indicators). Joined in the same query as the rows: a status changes after publication
    (a withdrawal, a correction), so it is never in the stored record text."""
    table_pk = "pk" if not via else "table_id"
    corrections = Publication.objects.filter(corrects_id=OuterRef(table_pk)).order_by("number").values("pk")[:1]
    return queryset.annotate(withdrawn_at=F(f"{via}publication__withdrawal__withdrawn_at"),
                             withdrawal_reason=F(f"{via}publication__withdrawal__reason"),
                             correction_id=Subquery(corrections))


def status_fields(request, row) -> dict:
    """The public status of a row read through :func:`with_status` (a model instance or a
    ``values()`` dict): ``published``; ``withdrawn`` (撤回, when and why); ``superseded`` by a
    correction (更正, which ``corrected_by`` links to); a withdrawn one also names its
    correction once there is one (entry.models.publication_status)."""
    withdrawn_at, correction_id = field(row, "withdrawn_at"), field(row, "correction_id")
    return {
        "status": "withdrawn" if withdrawn_at else "superseded" if correction_id else "published",
        "withdrawal": ({"withdrawn_at": withdrawn_at.isoformat(), "reason": field(row, "withdrawal_reason") or ""}
                       if withdrawn_at else None),
        "corrected_by": _url(request, "table", correction_id) if correction_id else None,
    }


def department_summary(request, r: dict) -> dict:
    pk = r["department_id_live"]
    return {"id": pk, "name": r["department"], "tables": r["tables"], "projects": r["projects"],
            "tables_url": _url(request, "tables") + f"?department={pk}"}


def table_summary(request, t: PublishedTable) -> dict:
    return {
        "id": t.pk,
        "url": _url(request, "table", t.pk),
        "year": t.year,
        "department": {**_department(t), "short_name": t.department_short},
        "title": t.title,
        "publication_number": t.number,
        "is_current": t.is_current,
        **status_fields(request, t),
        "published_at": t.published_at.isoformat(),
        "money_unit": t.money_unit,
        "layout": list(t.layout),
        "project_count": t.project_count,
        "totals": {"budget": _amount(t.budget), "actual_total": _amount(t.actual_total),
                   "execution_rate": t.execution_rate},
        "projects_url": _url(request, "table_projects", t.pk),
        "page_url": _url(request, "portal:publication", t.pk),
        "downloads": {fmt: _url(request, "portal:download", t.pk, fmt)
                      for fmt in downloads.available_formats("disclosure")},
    }


_PROJECT_FIELDS = ("id", "table_id", "year", "department_id_live", "department", "is_current", "position",
                   "record_json", "withdrawn_at", "withdrawal_reason", "correction_id")


def _project_rows(queryset):
    """The project rows :func:`_project_json` writes."""
    return with_status(queryset, via="table__").values(*_PROJECT_FIELDS)


def _project_json(request):
    """A function writing a project row (a ``values()`` dict of :data:`_PROJECT_FIELDS`) as
    the record's JSON text (records.record_json), on list pages and the detail alike. The links
    are JSON string literals still to be filled in with ``str.format``, encoded once per page
    instead of once per row (ids are digits, which JSON never escapes)."""
    project = encode_basestring(_url(request, "project", "{0}"))
    table = encode_basestring(_url(request, "table", "{0}"))

    def write(request, r) -> str:
        return records.record_json(r, project.format(r["id"]), table.format(r["table_id"]), status_fields(request, r))
    return write


def _project_page(request, queryset, keys, count, filters: dict) -> HttpResponse:
    """A page of project records written as JSON text (records.record_json)."""
    return _listing(request, _project_rows(queryset), keys, _project_json(request), count, filters,
                    offset_ids=(queryset, "id"), text=True)


def indicator_record(request, row: PublishedIndicator) -> dict:
    p, kind = row.project, KIND_BY_KEY[row.kind]
    cell = (p.document.get("indicators") or {}).get(row.kind) or {}
    return {
        "project": p.pk,
        "project_url": _url(request, "project", p.pk),
        "table": p.table_id,
        "year": p.year,
        "department": _department(p),
        "project_seq": p.seq,
        "project_name": p.name,
        **status_fields(request, row),
        "kind": kind.key,
        "kind_name": kind.name,
        "category": kind.category.key,
        "category_name": kind.category.name,
        **records.indicator_fields(cell),
    }


# --- views ----------------------------------------------------------------------------

def _current_tables():
    return PublishedTable.objects.filter(is_current=True)


def _found(queryset, pk: int, message: str):
    """Row ``pk`` of ``queryset``, else a 404 saying ``message`` (an id past MAX_ID is none)."""
    row = queryset.filter(pk=pk).first() if pk <= MAX_ID else None
    if row is None:
        raise Http404(message)
    return row


@api_view
def root(request):
    """What the API offers, with links."""
    return _json({"name": "jixiao open data", "version": openapi.VERSION, "openapi": _url(request, "openapi"),
                  "documentation": "docs/api.md", **{name: _url(request, name) for name in openapi.LINKS},
                  "max_page_size": MAX_PAGE_SIZE})


@api_view
def not_found(request):
    raise Http404(_("没有这个接口"))


@functools.cache
def _openapi_text() -> bytes:
    """The OpenAPI document as ``_json`` writes it: what the code says, not data, so built and
    encoded once per process (1.5 ms a request otherwise)."""
    return json.dumps(openapi.document(), ensure_ascii=False).encode("utf-8")


@api_view
def openapi_document(request):
    return _json_text(_openapi_text())


@api_view
def years(request):
    """Every year with a published table, newest first (not paginated: one row per year)."""
    rows = (_current_tables().values("year").order_by("-year")
            .annotate(tables=Count("pk"), projects=Sum("project_count")))
    return _json({"results": [{
        "year": r["year"], "tables": r["tables"], "projects": r["projects"],
        "tables_url": _url(request, "tables") + f"?year={r['year']}",
        "downloads": {"csv": _url(request, "year_csv", r["year"]), "json": _url(request, "year_json", r["year"])},
    } for r in rows]})


DEPARTMENT_KEYS = (Key("department", "department", text=True), Key("department_id_live", "department_id_live"))


@api_view
def departments(request):
    """Departments with a published table (filter by year), by name."""
    filters = _filters(request)
    named = _current_tables().filter(**filters).values("department_id_live", "department")
    return _listing(request, named.annotate(tables=Count("pk"), projects=Sum("project_count")), DEPARTMENT_KEYS,
                    department_summary, named.distinct().count, filters)


# Newest year first, then by department name; the id settles ties.
TABLE_KEYS = (Key("year", "year", descending=True), Key("department", "department", text=True),
              Key("pk", "publication_id"))


@api_view
def tables(request):
    """The current publication of each published table."""
    filters = _filters(request)
    current = _current_tables().filter(**filters)
    return _listing(request, with_status(current), TABLE_KEYS, table_summary, current.count, filters,
                    offset_ids=(current, "publication_id"))


@api_view
def table(request, pk):
    """One publication (current or older) with its frozen table JSON document."""
    row = _found(with_status(PublishedTable.objects.select_related("publication")), pk, _("没有这张公开表"))
    newest = None if row.is_current else (_current_tables().filter(table_id_live=row.table_id_live)
                                          .values_list("pk", flat=True).first())
    return _json({**table_summary(request, row),
                  "current": _url(request, "table", newest) if newest else None,
                  "document": row.publication.snapshot})


# A publication's rows in printed order (positions are 1, 2, … within a publication).
TABLE_PROJECT_KEYS = (Key("position", "position"),)
# Projects by year, department name, table, row; the id settles ties.
PROJECT_KEYS = (Key("year", "year"), Key("department", "department", text=True), Key("table_id", "table_id"),
                Key("position", "position"), Key("id", "id"))


@api_view
def table_projects(request, pk):
    """The projects of one publication, in printed order."""
    count = _found(PublishedTable.objects.values_list("project_count", flat=True), pk, _("没有这张公开表"))
    return _project_page(request, PublishedProject.objects.filter(table_id=pk), TABLE_PROJECT_KEYS, lambda: count, {})


@api_view
def projects(request):
    """Projects of the current publications (filter by year and department); counted from the
    tables' project counts (a table's rows, not its projects', are summed)."""
    filters = _filters(request)
    return _project_page(request, PublishedProject.objects.filter(is_current=True, **filters), PROJECT_KEYS,
                         lambda: _current_tables().filter(**filters).aggregate(n=Sum("project_count"))["n"] or 0,
                         filters)


@api_view
def project(request, pk):
    """One published project (of any publication), with its indicator cells: the record its
    list pages write."""
    row = _found(_project_rows(PublishedProject.objects.all()), pk, _("没有这个公开项目"))
    return _json_text(_project_json(request)(request, row).encode("utf-8"))


INDICATOR_KEYS = (Key("year", "year"), Key("department", "department", text=True), Key("table_id", "table_id"),
                  Key("position", "position"), Key("project_id", "project_id"))


@api_view
def indicators(request):
    """One indicator column (``kind``) of every current published project that fills it."""
    kind = _one(request, "kind") or ""
    if kind not in KIND_BY_KEY:
        raise BadParameter("kind", _("参数 kind 必须是以下之一：%(kinds)s") % {"kinds": ", ".join(KIND_BY_KEY)})
    filters = _filters(request)
    rows = PublishedIndicator.objects.filter(kind=kind, is_current=True, **filters)
    return _listing(request, with_status(rows.select_related("project"), via="table__"), INDICATOR_KEYS,
                    indicator_record, rows.count, filters, offset_ids=(rows, "project_id"))


# --- approved 绩效目标表 (targets/publication.py) -------------------------------------

# Newest budget year first, then by department name; the approval round's id settles ties.
TARGET_KEYS = (Key("year", "year", descending=True), Key("department", "department", text=True),
               Key("pk", "round_id"))


def target_record(request, row: PublishedTargets) -> dict:
    """An approved sheet: who and when, its public marks, and its projects and indicators as
    approved (the round's frozen targets JSON, in the targets JSON shape)."""
    document = row.round.approved or {}
    return {
        "id": row.pk, "url": _url(request, "target", row.pk),
        "page_url": _url(request, "portal:target_sheet", row.pk),
        "year": row.year, "department": _department(row), "title": row.title, "money_unit": row.money_unit,
        "approved_at": row.published_at.isoformat(), "is_current": row.current, "adjusting": row.adjusting,
        "project_count": row.project_count, "indicator_count": row.indicator_count,
        "downloads": {fmt: _url(request, "portal:target_download", row.pk, fmt) for fmt in target_export.FORMATS},
        "projects": document.get("projects", []),
    }


@api_view
def targets(request):
    """The current approved 绩效目标表 of every department and budget year."""
    filters = _filters(request)
    current = PublishedTargets.objects.filter(current=True, **filters)
    return _listing(request, current.select_related("round"), TARGET_KEYS, target_record, current.count, filters)


@api_view
def target(request, pk):
    """One approved sheet (current or an earlier approval)."""
    row = _found(PublishedTargets.objects.select_related("round"), pk, _("没有这张公开的绩效目标表"))
    return _json(target_record(request, row))


# --- bulk downloads -------------------------------------------------------------------

def _year_tables(year: int):
    queryset = _current_tables().filter(year=year)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1] or not queryset.exists():
        raise Http404(_("%(year)s 年没有公开的表") % {"year": year})
    return queryset


def _year_columns(queryset) -> list[H.Column]:
    """Columns of the year file: the union of the tables' indicator columns, in the FULL order."""
    used = {key for layout in queryset.values_list("layout", flat=True).distinct() for key in layout}
    return H.body_columns(Table(year=0, department="", layout=tuple(k for k in FULL if k in used)))


YEAR_CSV_LEADING = ("年度", "部门", "公开表编号", "金额单位", "公开状态", "撤回时间", "撤回理由")


def _csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def _csv_stream(year: int, columns: list[H.Column]):
    yield "\ufeff" + _csv_line([*YEAR_CSV_LEADING, *(c.label for c in columns)])
    rows = (PublishedProject.objects.filter(is_current=True, year=year)
            .order_by("department", "table_id", "position")
            .values_list("table_id", "department", "document", "table__money_unit",
                         "table__publication__withdrawal__withdrawn_at", "table__publication__withdrawal__reason")
            .iterator(chunk_size=2000))
    for table_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        group = list(group)
        # A current publication is never superseded (its correction would be current instead).
        _table, department, _document, money_unit, withdrawn_at, reason = group[0]
        status = "withdrawn" if withdrawn_at else "published"
        core = table_json.from_document({"year": year, "department": department or "-", "money_unit": money_unit,
                                         "projects": [r[2] for r in group]}, source=f"<publication {table_id}>")
        # The amounts are each table's own (元 or 万元), so the unit goes beside them; a
        # department name (or a withdrawal's reason) that starts like a formula is shown as
        # text, like every text cell.
        lead = [year, csv_text(department or ""), table_id, core.money_unit.value, status,
                withdrawn_at.isoformat() if withdrawn_at else "", csv_text(reason or "")]
        yield "".join([_csv_line([*lead, *project_cells(p, columns)]) for p in core.projects])


def _download(chunks, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((s.encode("utf-8") for s in chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@api_view
def year_csv(request, year):
    """Every current published project of ``year`` as one CSV (UTF-8 with BOM), streamed."""
    columns = _year_columns(_year_tables(year))
    return _download(_csv_stream(year, columns), "text/csv; charset=utf-8", f"jixiao-{year}-projects.csv")


def _json_stream(request, year: int):
    """The year's current publications, each with its status beside the frozen document."""
    rows = (with_status(_current_tables().filter(year=year)).order_by("department", "pk")
            .values("pk", "withdrawn_at", "withdrawal_reason", "correction_id", "publication__snapshot")
            .iterator(chunk_size=20))
    yield "["
    for i, row in enumerate(rows):
        item = {"id": row["pk"], "url": _url(request, "table", row["pk"]), **status_fields(request, row),
                "document": row["publication__snapshot"]}
        yield ("," if i else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


@api_view
def year_json(request, year):
    """Every current published table of ``year`` with its publication status, as a JSON list
    (``id``, ``url``, ``status``, ``withdrawal``, ``corrected_by``, ``document``), streamed."""
    _year_tables(year)
    return _download(_json_stream(request, year), "application/json; charset=utf-8", f"jixiao-{year}-tables.json")
