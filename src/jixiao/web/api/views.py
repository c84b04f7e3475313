"""Read-only JSON views of published tables, projects and indicators (docs/api.md).

Everything here reads the publication index (:mod:`.models`), which is derived from the
frozen snapshots only: a draft, a table under review, or a change made after publishing
never appears until it is published. The response shapes are described in
:mod:`.openapi`; ``tests/web/test_api.py`` validates the views' answers against it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from jixiao.core.model import Table
from jixiao.core.taxonomy import FULL, KIND_BY_KEY
from jixiao.formats import headers as H
from jixiao.formats import table_json
from jixiao.formats.csv_table import project_cells
from jixiao.formats.formula_guard import csv_text
from jixiao.web.entry.models import Publication, Withdrawal

from . import openapi, records
from .limits import DEFAULT_PAGE_SIZE, MAX_ID, MAX_PAGE, MAX_PAGE_SIZE, YEAR_RANGE
from .listings import Listings
from .rows import RowTexts
from .models import PublishedProject, PublishedTable



class BadParameter(Exception):
    def __init__(self, name: str, message: str):
        super().__init__(name)
        self.name, self.message = name, message


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    return _open(response)


def _open(response):
    # Open data: any web page may read it (no cookies are needed or honoured for it).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, code: str, message: str, parameter: str | None = None) -> JsonResponse:
    error = {"code": code, "message": message}
    if parameter is not None:
        error["parameter"] = parameter
    return _json({"error": error}, status=status)


# Answers change only when something is published, so a JSON answer is kept per URL (and
# host and language) until the next publication: the key holds the newest publication's id.
# A cache of its own, so these entries never crowd out the login throttle's in the default cache.
RESPONSE_CACHE = LocMemCache("jixiao-api", {"TIMEOUT": 600, "OPTIONS": {"MAX_ENTRIES": 2000}})
CACHEABLE_BYTES = 512 * 1024
# The ordered ids of the project listings, kept until the next publication (listings.py).
LISTINGS = Listings()
# The JSON of project records, kept until the next publication (rows.py).
ROWS = RowTexts(settings.JIXIAO_API_ROWS_MB * 1024 * 1024)


def clear_caches() -> None:
    """Forget every kept answer and listing (tests: ids are reused after a rollback)."""
    RESPONSE_CACHE.clear()
    LISTINGS.clear()
    ROWS.clear()


# Withdrawals count too: a withdrawal changes a publication's status, not the index's rows.
_GENERATION_SQL = "SELECT (SELECT COUNT(*) FROM {withdrawals}), MAX({pk}), COUNT(*) FROM {table}".format(
    pk=connection.ops.quote_name(PublishedTable._meta.pk.column),
    table=connection.ops.quote_name(PublishedTable._meta.db_table),
    withdrawals=connection.ops.quote_name(Withdrawal._meta.db_table))


def _generation(request) -> str:
    """Changes with every publication, withdrawal (and deletion of one); read once per request:
    the newest publication's id and the number of publications (plain SQL: the ORM's
    aggregate() cost more CPU than the query itself)."""
    if not hasattr(request, "_jixiao_api_generation"):
        with connection.cursor() as cursor:
            cursor.execute(_GENERATION_SQL)
            withdrawn, newest, count = cursor.fetchone()
        request._jixiao_api_generation = f"{newest or 0}.{count}.{withdrawn}"
    return request._jixiao_api_generation


def _host(request) -> str:
    """``request.get_host()``, checked once per request (it validates the host against
    ALLOWED_HOSTS on every call; a listing page asked for it five times)."""
    host = request.__dict__.get("_jixiao_api_host")
    if host is None:
        host = request._jixiao_api_host = request.get_host()
    return host


def api_view(func=None, *, cache=True):
    """GET/HEAD only; a bad query parameter is a 400 and a missing object a 404, both as JSON."""
    if func is None:
        return lambda f: api_view(f, cache=cache)

    @require_safe
    def wrapper(request, *args, **kwargs):
        key = None
        if cache:
            # Hashed: a query string is client-chosen and may be any length (memcached-safe keys).
            raw = f"{_generation(request)}|{get_language()}|{_host(request)}|{request.get_full_path()}"
            key = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
            hit = RESPONSE_CACHE.get(key)
            if hit is not None:
                status, body = hit
                return _open(HttpResponse(body, status=status, content_type="application/json"))
        try:
            response = func(request, *args, **kwargs)
        except BadParameter as exc:
            response = _error(400, "invalid_parameter", exc.message, exc.name)
        except Http404 as exc:
            response = _error(404, "not_found", str(exc.args[0]) if exc.args else _("未找到"))
        # Only successful answers: caching 400s would let arbitrary bad queries evict good entries.
        if (key is not None and response.status_code == 200 and not response.streaming
                and response["Content-Type"] == "application/json" and len(response.content) <= CACHEABLE_BYTES):
            RESPONSE_CACHE.set(key, (response.status_code, response.content))
        return response
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
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
    year = _int_param(request, "year", None, *YEAR_RANGE)
    department = _int_param(request, "department", None, 1, MAX_ID)
    filters = {}
    if year is not None:
        filters["year"] = year
    if department is not None:
        filters["department_id_live"] = department
    return filters


def _page_params(request) -> tuple[int, int]:
    return (_int_param(request, "page", 1, 1, MAX_PAGE),
            _int_param(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE))


def _check_page(page: int, size: int, count: int) -> int:
    """The last page's number; a page after it is a 404 (an empty list has one empty page)."""
    last = max(1, -(-count // size))
    if page > last:
        raise Http404(_("没有第 %(page)s 页（共 %(last)s 页）") % {"page": page, "last": last})
    return last


def _envelope(request, count: int, page: int, size: int, last: int) -> dict:
    """The paginated envelope's members before ``results``."""
    return {
        "count": count,
        "page": page,
        "page_size": size,
        "next": _page_url(request, page + 1) if page < last else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
    }


def _page(request, queryset, serialize) -> JsonResponse:
    """The paginated envelope: ``count``, ``page``, ``page_size``, ``next``, ``previous``, ``results``."""
    page, size = _page_params(request)
    count = queryset.count()
    last = _check_page(page, size, count)
    rows = list(queryset[(page - 1) * size: page * size])
    return _json({**_envelope(request, count, page, size, last), "results": [serialize(request, row) for row in rows]})


def _project_page_ids(request, listing: tuple, queryset) -> tuple[dict, list[int]]:
    """The envelope and the page's project ids, from the listing's ids kept until the next
    publication (listings.py): no COUNT and no OFFSET per request. ``queryset`` is a function
    giving the ordered listing (only called when it is read)."""
    page, size = _page_params(request)
    count, ids = LISTINGS.page(_generation(request), listing, queryset, (page - 1) * size, size)
    last = _check_page(page, size, count)
    return _envelope(request, count, page, size, last), ids


_ROW_FIELDS = ("id", "table", "year", "department_id_live", "department", "is_current", "record_json")


def _project_rows(ids: list[int]) -> list[tuple]:
    """The rows of ``ids`` in that order (plain SQL: the ORM's query building cost more CPU
    than reading 50 rows by primary key)."""
    if not ids:
        return []
    quote, meta = connection.ops.quote_name, PublishedProject._meta
    # The ids written into the SQL as integer literals ("%d": ints from the listing, never
    # request text): with 50 parameters the driver's parsing of the query cost more CPU than
    # the query.
    sql = "SELECT {} FROM {} WHERE {} IN ({})".format(
        ", ".join(quote(meta.get_field(name).column) for name in _ROW_FIELDS),
        quote(meta.db_table), quote(meta.pk.column), ", ".join("%d" % pk for pk in ids))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        found = {row[0]: row for row in cursor.fetchall()}
    # An id gone since the listing was read (a publication deleted meanwhile) is left out.
    return [found[pk] for pk in ids if pk in found]


def _project_page(request, listing: tuple, queryset) -> HttpResponse:
    """A page of project records, written as JSON (records.record_json); the records kept
    since an earlier page (rows.py) are not read or written again."""
    envelope, ids = _project_page_ids(request, listing, queryset)
    project = records.json_link(_link_template(request, "api:project", 1))
    table = records.json_link(_link_template(request, "api:table", 1))
    generation, links = _generation(request), (project, table)
    found, missing = ROWS.get(generation, links, ids)
    if missing:
        read = {
            pk: records.record_json(pk, project.format(pk), table_id, table.format(table_id), year, department_id,
                                    department, bool(is_current), stored).encode("utf-8")  # SQLite answers 0/1
            for pk, table_id, year, department_id, department, is_current, stored in _project_rows(missing)}
        ROWS.put(generation, links, read)
        found.update(read)
    # An id gone since the listing was read (a publication deleted meanwhile) is left out.
    results = b", ".join([found[pk] for pk in ids if pk in found])
    # The envelope as JsonResponse would write it, its closing brace replaced by the results.
    head = json.dumps(envelope, ensure_ascii=False)
    body = b"".join([head[:-1].encode("utf-8"), b', "results": [', results, b"]}"])
    return _open(HttpResponse(body, content_type="application/json"))


def _page_url(request, page: int) -> str:
    """The request's absolute URL with its query sorted by name and ``page`` replaced: what
    ``build_absolute_uri(path + "?" + urlencode(sorted(query), doseq=True))`` gives (tested),
    with everything but the page number made once per request (next and previous share it:
    urlencode was ~5 % of an uncached answer). urlencode's output is ASCII that
    build_absolute_uri's iri_to_uri leaves as it is, so it can be appended after the call."""
    parts = request.__dict__.get("_jixiao_api_page_url")
    if parts is None:
        # Names are unique in lists(), so sorting the pairs sorts by name: "page" goes between
        # the names before it and those after it.
        query = sorted((name, values) for name, values in request.GET.lists() if name != "page")
        before = urlencode([q for q in query if q[0] < "page"], doseq=True)
        after = urlencode([q for q in query if q[0] > "page"], doseq=True)
        parts = request._jixiao_api_page_url = (
            request.build_absolute_uri(request.path) + "?" + (before + "&" if before else "") + "page=",
            "&" + after if after else "")
    return f"{parts[0]}{page:d}{parts[1]}"


def _url(request, name: str, *args) -> str:
    return _link(request, f"api:{name}", *args)


def _link(request, viewname: str, *args) -> str:
    """An absolute URL; resolved once per request and view, then filled in (a page has hundreds)."""
    return _link_template(request, viewname, len(args)).format(*args)


# (view, arity, script prefix, scheme, host) → link template. Hosts are those ALLOWED_HOSTS
# lets through; the bound only matters with a wildcard there.
_LINK_TEMPLATES: dict[tuple, str] = {}
MAX_LINK_TEMPLATES = 256


def _link_template(request, viewname: str, arity: int) -> str:
    """The view's absolute URL with ``{0}``, ``{1}``… for its arguments (``str.format``),
    kept per host (``reverse`` and ``build_absolute_uri`` cost more than a small page's rows)
    and per request (checking the host costs more than filling in a link; a table summary
    has eight)."""
    per_request = request.__dict__.setdefault("_jixiao_api_links", {})
    template = per_request.get((viewname, arity))
    if template is not None:
        return template
    key = (viewname, arity, get_script_prefix(), request.scheme, _host(request))
    template = _LINK_TEMPLATES.get(key)
    if template is None:
        marks = [f"987654321{i}" for i in range(arity)]
        template = request.build_absolute_uri(reverse(viewname, args=marks)).replace("{", "{{").replace("}", "}}")
        for i, mark in enumerate(marks):
            template = template.replace(mark, "{%d}" % i)
        if len(_LINK_TEMPLATES) >= MAX_LINK_TEMPLATES:
            _LINK_TEMPLATES.clear()
        _LINK_TEMPLATES[key] = template
    per_request[(viewname, arity)] = template
    return template


# --- serialisers ----------------------------------------------------------------------

def _amount(value) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    whole, _dot, frac = text.partition(".")
    return f"{whole}.{(frac + '00')[:max(2, len(frac))]}"


def _department(row) -> dict:
    return {"id": row.department_id_live, "name": row.department}


def with_status(queryset):
    """The index rows with their publication's status (a withdrawal; the first correction)."""
    corrections = Publication.objects.filter(corrects_id=OuterRef("pk")).order_by("number").values("pk")[:1]
    return queryset.annotate(withdrawn_at=F("publication__withdrawal__withdrawn_at"),
                             withdrawal_reason=F("publication__withdrawal__reason"),
                             correction_id=Subquery(corrections))


def status_fields(request, t) -> dict:
    """``status`` (published, withdrawn, superseded), the withdrawal and the correction."""
    withdrawn_at, correction_id = getattr(t, "withdrawn_at", None), getattr(t, "correction_id", None)
    if not hasattr(t, "correction_id"):  # a row read without with_status()
        row = with_status(PublishedTable.objects.filter(pk=t.pk)).values("withdrawn_at", "withdrawal_reason",
                                                                         "correction_id").first() or {}
        withdrawn_at, correction_id = row.get("withdrawn_at"), row.get("correction_id")
        t.withdrawal_reason = row.get("withdrawal_reason")
    status = "withdrawn" if withdrawn_at else "superseded" if correction_id else "published"
    return {
        "status": status,
        "withdrawal": {"withdrawn_at": withdrawn_at.isoformat(), "reason": t.withdrawal_reason}
        if withdrawn_at else None,
        "corrected_by": _url(request, "table", correction_id) if correction_id else None,
    }


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
        "page_url": _link(request, "portal:publication", t.pk),
        "downloads": {fmt: _link(request, "portal:download", t.pk, fmt)
                      for fmt in _download_formats(request)},
    }


def _download_formats(request) -> tuple[str, ...]:
    # Looking the export modules up costs more than a row; once per request is enough.
    if not hasattr(request, "_jixiao_api_formats"):
        from jixiao.web.entry import downloads

        request._jixiao_api_formats = downloads.available_formats("disclosure")
    return request._jixiao_api_formats


def project_record(request, p: PublishedProject) -> dict:
    """One project's record (``/api/projects/{id}/``), from its snapshot cells; list pages
    write the same record from the stored text (records.py)."""
    live = records.live_fields(p.pk, _url(request, "project", p.pk), p.table_id, _url(request, "table", p.table_id),
                               p.year, p.department_id_live, p.department, p.is_current)
    return records.project_record(live, records.fixed_fields(p.document, p.table.money_unit, p.position, p.seq))


def indicator_record(kind_key: str):
    kind = KIND_BY_KEY[kind_key]

    def serialize(request, p: PublishedProject) -> dict:
        cell = (p.document.get("indicators") or {}).get(kind_key) or {}
        return {
            "project": p.pk,
            "project_url": _url(request, "project", p.pk),
            "table": p.table_id,
            "year": p.year,
            "department": _department(p),
            "project_seq": p.seq,
            "project_name": p.name,
            "kind": kind.key,
            "kind_name": kind.name,
            "category": kind.category.key,
            "category_name": kind.category.name,
            **records.indicator_fields(cell),
        }
    return serialize


# --- views ----------------------------------------------------------------------------

def _current_tables():
    return PublishedTable.objects.filter(is_current=True)


def _current_projects():
    return PublishedProject.objects.filter(is_current=True)


@api_view
def root(request):
    """What the API offers, with links."""
    return _json({
        "name": "jixiao open data",
        "version": openapi.VERSION,
        "openapi": _url(request, "openapi"),
        "documentation": "docs/api.md",
        "years": _url(request, "years"),
        "departments": _url(request, "departments"),
        "tables": _url(request, "tables"),
        "projects": _url(request, "projects"),
        "indicators": _url(request, "indicators"),
        "max_page_size": MAX_PAGE_SIZE,
    })


@api_view
def not_found(request):
    raise Http404(_("没有这个接口"))


@api_view
def openapi_document(request):
    return _json(openapi.document())


@api_view
def years(request):
    """Every year with a published table, newest first (not paginated: one row per year)."""
    rows = (_current_tables().values("year").order_by("-year")
            .annotate(tables=Count("pk"), projects=Sum("project_count")))
    return _json({"results": [{
        "year": r["year"], "tables": r["tables"], "projects": r["projects"] or 0,
        "tables_url": _url(request, "tables") + f"?year={r['year']}",
        "downloads": {"csv": _url(request, "year_csv", r["year"]), "json": _url(request, "year_json", r["year"])},
    } for r in rows]})


@api_view
def departments(request):
    """Departments with a published table (filter by year), by name."""
    queryset = (_current_tables().filter(**_filters(request))
                .values("department_id_live", "department").order_by("department", "department_id_live")
                .annotate(tables=Count("pk"), projects=Sum("project_count")))

    def serialize(request, r):
        return {"id": r["department_id_live"], "name": r["department"], "tables": r["tables"],
                "projects": r["projects"] or 0,
                "tables_url": _url(request, "tables") + f"?department={r['department_id_live']}"}
    return _page(request, queryset, serialize)


@api_view
def tables(request):
    """The current publication of each published table."""
    queryset = with_status(_current_tables()).filter(**_filters(request)).order_by("-year", "department", "pk")
    return _page(request, queryset, table_summary)


@api_view
def table(request, pk):
    """One publication (current or older) with its frozen table JSON document."""
    row = with_status(PublishedTable.objects.filter(pk=pk)).first() if pk <= MAX_ID else None
    if row is None:
        raise Http404(_("没有这张公开表"))
    newest = None
    if not row.is_current:
        newest = (PublishedTable.objects.filter(table_id_live=row.table_id_live, is_current=True)
                  .values_list("pk", flat=True).first())
    snapshot = Publication.objects.values_list("snapshot", flat=True).get(pk=pk)
    return _json({**table_summary(request, row),
                  "current": _url(request, "table", newest) if newest else None,
                  "document": snapshot})


@api_view
def table_projects(request, pk):
    """The projects of one publication, in printed order."""
    if pk > MAX_ID or not PublishedTable.objects.filter(pk=pk).exists():
        raise Http404(_("没有这张公开表"))
    return _project_page(request, ("table", pk),
                         lambda: PublishedProject.objects.filter(table_id=pk).order_by("position"))


PROJECT_ORDER = ("year", "department", "table_id", "position", "pk")


def _listing(filters: dict) -> tuple:
    return tuple(sorted(filters.items()))


@api_view
def projects(request):
    """Projects of the current publications (filter by year and department)."""
    filters = _filters(request)
    return _project_page(request, ("projects", *_listing(filters)),
                         lambda: _current_projects().filter(**filters).order_by(*PROJECT_ORDER))


@api_view
def project(request, pk):
    """One published project (of any publication), with its indicator cells."""
    row = PublishedProject.objects.select_related("table").filter(pk=pk).first() if pk <= MAX_ID else None
    if row is None:
        raise Http404(_("没有这个公开项目"))
    return _json(project_record(request, row))


@api_view
def indicators(request):
    """One indicator column (``kind``) of every current published project that fills it."""
    kind = _one(request, "kind") or ""
    if kind not in KIND_BY_KEY:
        raise BadParameter("kind", _("参数 kind 必须是以下之一：%(kinds)s") % {"kinds": ", ".join(KIND_BY_KEY)})
    filters = _filters(request)
    envelope, ids = _project_page_ids(
        request, ("indicators", kind, *_listing(filters)),
        lambda: (_current_projects().filter(**filters).filter(document__indicators__has_key=kind)
                 .order_by(*PROJECT_ORDER)))
    found = PublishedProject.objects.in_bulk(ids)
    serialize = indicator_record(kind)
    return _json({**envelope, "results": [serialize(request, found[pk]) for pk in ids if pk in found]})


# --- bulk downloads -------------------------------------------------------------------

def _year_tables(year: int):
    queryset = _current_tables().filter(year=year)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1] or not queryset.exists():
        raise Http404(_("%(year)s 年没有公开的表") % {"year": year})
    return queryset


def _year_columns(queryset) -> list[H.Column]:
    """Columns of the year file: the union of the tables' indicator columns, in the FULL order."""
    used = set()
    for layout in queryset.values_list("layout", flat=True).distinct():
        used.update(layout)
    layout = tuple(k for k in FULL if k in used)
    return H.body_columns(Table(year=0, department="", layout=layout))


YEAR_CSV_LEADING = ("年度", "部门", "公开表编号", "金额单位", "公开状态")


def _csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def _csv_stream(year: int, columns: list[H.Column]):
    yield "\ufeff" + _csv_line([*YEAR_CSV_LEADING, *(c.label for c in columns)])
    rows = (PublishedProject.objects.filter(is_current=True, year=year)
            .order_by("department", "table_id", "position")
            .values_list("table_id", "department", "document", "table__money_unit",
                         "table__publication__withdrawal__withdrawn_at").iterator(chunk_size=2000))
    for table_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        group = list(group)
        department, money_unit = group[0][1], group[0][3]
        # A current publication is never superseded (its correction would be current instead).
        status = "withdrawn" if group[0][4] else "published"
        core = table_json.from_document({"year": year, "department": department or "-", "money_unit": money_unit,
                                         "projects": [r[2] for r in group]}, source=f"<publication {table_id}>")
        # The amounts are each table's own (元 or 万元), so the unit goes beside them; a
        # department name that starts like a formula is shown as text, like every text cell.
        lead = [year, csv_text(department or ""), table_id, core.money_unit.value, status]
        chunk = [_csv_line([*lead, *project_cells(p, columns)]) for p in core.projects]
        yield "".join(chunk)


@api_view(cache=False)
def year_csv(request, year):
    """Every current published project of ``year`` as one CSV (UTF-8 with BOM), streamed."""
    columns = _year_columns(_year_tables(year))
    response = StreamingHttpResponse((s.encode("utf-8") for s in _csv_stream(year, columns)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jixiao-{year}-projects.csv"'
    return _open(response)


def _json_stream(year: int):
    snapshots = (Publication.objects.filter(api_index__is_current=True, api_index__year=year)
                 .order_by("api_index__department", "pk").values_list("snapshot", flat=True).iterator(chunk_size=20))
    yield "["
    for i, snapshot in enumerate(snapshots):
        yield ("," if i else "") + "\n" + json.dumps(snapshot, ensure_ascii=False)
    yield "\n]\n"


@api_view(cache=False)
def year_json(request, year):
    """Every current published table of ``year`` as a JSON list of table JSON documents, streamed."""
    _year_tables(year)
    response = StreamingHttpResponse((s.encode("utf-8") for s in _json_stream(year)),
                                     content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jixiao-{year}-tables.json"'
    return _open(response)
