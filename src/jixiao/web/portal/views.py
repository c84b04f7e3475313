"""The public portal: published tables by year and department, search, each publication with
its downloads, and a page per project with its indicators and the reasons behind its score.

Everything here comes from publications' frozen snapshots (through this app's index, which
is built from them); drafts and unpublished changes of the live tables are never read.
No login: these are the pages for the public, deputies, auditors and researchers.

Cheap by construction: every page runs a fixed, small number of queries whatever the number
of tables and projects (tests/web/test_portal_queries.py counts them), reads one page of rows
at most (a year's tables and search results are paginated; the index summarises the years in
one grouped query), and never loads a snapshot it does not show (the withdrawal marks are read
as a joined column). Every page is public and conditional (web/freshness.py: ETag, 304,
Cache-Control for a reverse proxy).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, F, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from jixiao.core import money
from jixiao.core.prefill import ChangedTarget, same_name
from jixiao.core.scoring import score_project
from jixiao.core.taxonomy import CATEGORIES, KIND_BY_KEY, kinds_of
from jixiao.web.dashboard.amounts import AmountSum
from jixiao.web.dashboard.stats import from_e4_wan
from jixiao.web.entry import convert, downloads
from jixiao.web.entry.models import Publication, Withdrawal
from jixiao.web.freshness import public_page
from jixiao.web.query import query_int
from jixiao.web.targets import convert as target_convert
from jixiao.web.targets import exporting as target_export
from jixiao.web.targets.models import PublishedTargets

from .models import PublishedProject, PublishedTable

PAGE_SIZE = 50  # projects per page of search results
YEAR_PAGE_SIZE = 50  # tables per page of a year
TABLES_SHOWN = 50  # tables (departments) listed by a search; a narrower query finds the rest
QUERY_MAX = 100


def _amounts(budget_e4, actual_e4) -> dict:
    """Sums in 0.0001 元 as shown: in 万元, with the execution rate."""
    budget, actual = from_e4_wan(budget_e4), from_e4_wan(actual_e4)
    return {"budget": budget, "actual": actual, "rate": money.format_rate(money.execution_rate(actual, budget))}


def _entry_row(e: PublishedTable) -> dict:
    return {"entry": e, **_amounts(e.budget_e4, e.actual_e4)}


def _listed(tables):
    """Index rows with their withdrawal reason (None when not withdrawn) as a joined column: a
    withdrawn publication stays listed, marked withdrawn with its reason."""
    return tables.annotate(withdrawn_reason=F("publication__withdrawal__reason"))


@require_safe
@public_page
def index(request):
    """The years (one grouped query), then one year's published tables (the newest year unless
    ``?year=`` names another; newest publication of each table), a page at a time — or, with
    ``?q=``, the search. The amounts are summed as the dashboard sums them (AmountSum): a
    province's year passes the 64-bit integers SQLite's SUM stops at."""
    q = (request.GET.get("q") or "").strip()[:QUERY_MAX]
    year = query_int(request.GET.get("year"))
    current = PublishedTable.objects.filter(current=True)
    years = [{**y, **_amounts(y["budget_e4"], y["actual_e4"])} for y in current.values("year").annotate(
        tables=Count("pk"), projects=Sum("project_count"), budget_e4=AmountSum("budget_e4"), actual_e4=AmountSum("actual_e4"))
        .order_by("-year")]
    context = {"q": q, "year": year, "years": [y["year"] for y in years]}
    if q:
        return _search(request, q, year, current, context)
    context.update(_year_page(request, year, years, "tables",
                              lambda shown: _listed(current.filter(year=shown)).order_by("department", "-number")),
                   target_years=_target_years(), year_rows=years)  # the years of approved targets, linked
    context["rows"] = [_entry_row(e) for e in context["page"] or ()]
    return render(request, "portal/index.html", context)


def _year_page(request, year, years, count, rows) -> dict:
    """The year shown (the newest unless ``year``), its summary (None: nothing that year) and a
    page of ``rows(shown)``, counted by the years' grouped query already (the summary's ``count``)."""
    shown = year or (years[0]["year"] if years else None)
    summary = next((y for y in years if y["year"] == shown), None)
    page = None
    if summary is not None:
        paginator = Paginator(rows(shown), YEAR_PAGE_SIZE)
        paginator.count = summary[count]
        page = paginator.get_page(request.GET.get("page"))
    return {"shown": shown, "summary": summary, "page": page}


def _search(request, q, year, current, context):
    """Substring search (Chinese text has no word boundaries to match on) in the stored,
    upper-cased search texts (models.search_text): one LIKE on one column, no join, so 工商
    finds 区工商联 on SQLite and PostgreSQL alike; ``contains`` escapes % and _."""
    key = q.upper()
    tables = current.filter(search_text__contains=key)
    projects = PublishedProject.objects.filter(current=True, search_text__contains=key)
    if year:
        tables, projects = tables.filter(year=year), projects.filter(year=year)
    tables = list(_listed(tables).order_by("-year", "department")[:TABLES_SHOWN + 1])
    # Only what the results show: the row and its table's id (links), year and department.
    projects = projects.only("entry_id", "position", "seq", "name", "execution_rate", "grade", "year", "department")
    page = Paginator(projects.order_by("-year", "department", "entry", "position"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    context.update({"tables": [_entry_row(e) for e in tables[:TABLES_SHOWN]], "more_tables": len(tables) > TABLES_SHOWN,
                    "tables_shown": TABLES_SHOWN, "page": page,
                    "project_rows": [{"p": p, "rate": money.format_rate(p.execution_rate)} for p in page]})
    return render(request, "portal/search.html", context)


def _publication(pk):
    """(publication, its index row, its table as published: from the snapshot)."""
    entry = get_object_or_404(PublishedTable.objects.select_related("publication"), pk=pk)
    return entry.publication, entry, convert.table_from_document(entry.publication.snapshot)


def _versions(this, all_versions, order: str) -> dict:
    """The other versions (a handful, one query, the columns a link shows): the current one when
    this is not (``newer``) and those before this by ``order`` (``older``, newest first)."""
    others = list(all_versions.exclude(pk=this.pk).only("pk", "published_at", "current", order).order_by("-" + order))
    return {"newer": next((o for o in others if o.current), None),
            "older": [o for o in others if getattr(o, order) < getattr(this, order)]}


def _target_changes(pub: Publication, name: str | None = None) -> list[ChangedTarget]:
    """The approved targets the table stated otherwise when published (of project ``name``)."""
    found = [ChangedTarget(**c) for c in pub.target_changes or []]
    return [c for c in found if name is None or same_name(c.project, name)]


@require_safe
@public_page
def publication(request, pk):
    pub, entry, core = _publication(pk)
    totals = core.totals()
    indexed = {p.position: p for p in entry.projects.all()}
    rows = [{"core": p, "position": i, "rate": money.format_rate(p.execution_rate), "index": indexed.get(i),
             "cells": [(KIND_BY_KEY[k], p.indicator(k)) for k in core.layout]} for i, p in enumerate(core.projects)]
    versions = _versions(entry, PublishedTable.objects.filter(table_id_ref=entry.table_id_ref), "number")
    return render(request, "portal/publication.html", {
        "entry": entry, "pub": pub, "core": core, "rows": rows, "totals": totals,
        "total_rate": money.format_rate(totals.execution_rate), "kinds": [KIND_BY_KEY[k] for k in core.layout],
        "formats": downloads.available_formats("disclosure"), **versions,
        "target_changes": [(c.project, c.reason()) for c in _target_changes(pub)],
        "corrected": next((o for o in versions["older"] if o.pk == pub.corrects_id), None),  # the one this corrects
        # Its public status (entry.models.publication_status: withdrawn, when and why; or superseded
        # by which correction), reading only the columns shown, never a snapshot.
        "withdrawal": Withdrawal.objects.filter(publication=pub).only("withdrawn_at", "reason").first(),
        "correction": pub.corrections.only("number", "published_at", "correction_reason").order_by("number").first(),
    })


@require_safe
@public_page
def project(request, pk, position):
    pub, entry, core = _publication(pk)
    if position >= len(core.projects):
        raise Http404("project")
    p = core.projects[position]
    score = score_project(p, profile=core.profile)
    by_kind = {ind.kind: ind for cat in score.categories for ind in cat.indicators}
    categories = []
    for cat in CATEGORIES:
        kinds = [k for k in kinds_of(cat) if k.key in core.layout or k.key in p.indicators]
        cells = [(k, p.indicator(k.key), by_kind.get(k.key)) for k in kinds]
        if cells:
            categories.append({"category": cat, "cells": cells,
                               "score": next((c for c in score.categories if c.key == cat.key), None)})
    return render(request, "portal/project.html", {
        "entry": entry, "core": core, "p": p, "position": position, "score": score, "categories": categories,
        "rate": money.format_rate(p.execution_rate),
        "mof_formats": downloads.available_formats("mof-form"),
        "target_changes": [c.reason() for c in _target_changes(pub, p.name)],
    })


@require_safe
@public_page
def download(request, pk, fmt):
    if fmt not in downloads.available_formats("disclosure"):
        raise Http404(fmt)
    pub, _entry, core = _publication(pk)
    return downloads.table_response(core, fmt, "disclosure", downloads.filename(core, fmt, f"-公开第{pub.number}版"))


@require_safe
@public_page
def project_mof(request, pk, position, fmt):
    """The MoF 项目支出绩效自评表 of one published project, from the snapshot."""
    pub, _entry, core = _publication(pk)
    if position >= len(core.projects) or fmt not in downloads.available_formats("mof-form"):
        raise Http404(fmt)
    one = downloads.project_table(core, position)
    name = downloads.filename(one, fmt, f"-{one.projects[0].seq}-项目支出绩效自评表-公开第{pub.number}版")
    return downloads.table_response(one, fmt, "mof-form", name, _target_changes(pub, one.projects[0].name))


# --- approved 绩效目标表 (targets/publication.py) --------------------------------------

def _target_years():
    """The years with published targets (one grouped query over the current versions)."""
    return list(PublishedTargets.objects.filter(current=True).values("year")
                .annotate(sheets=Count("pk"), projects=Sum("project_count"), indicators=Sum("indicator_count"))
                .order_by("-year"))


@require_safe
@public_page
def targets(request):
    """One budget year's approved target sheets by department (the newest year unless
    ``?year=`` names another), a page at a time."""
    years = _target_years()
    year = query_int(request.GET.get("year"))
    return render(request, "portal/targets.html", {"years": years, **_year_page(
        request, year, years, "sheets",
        lambda shown: PublishedTargets.objects.filter(current=True, year=shown).order_by("department", "pk"))})


def _published_targets(pk):
    """(the approved sheet's publication, the sheet as approved: the round's frozen targets JSON)."""
    pub = get_object_or_404(PublishedTargets.objects.select_related("round"), pk=pk)
    return pub, target_convert.sheet_from_document(pub.round.approved)


@require_safe
@public_page
def target_sheet(request, pk):
    """One approved sheet as approved (the round's frozen targets JSON): each project with its
    funds, goal and indicators; marked when an adjustment is under way or a newer version
    exists."""
    pub, core = _published_targets(pk)
    return render(request, "portal/target_sheet.html", {
        "pub": pub, "core": core, "formats": target_export.FORMATS,
        **_versions(pub, PublishedTargets.objects.filter(sheet_id=pub.sheet_id), "published_at")})


@require_safe
@public_page
def target_download(request, pk, fmt):
    """The approved sheet in the targets app's formats (XLSX, PDF by Typst, targets JSON)."""
    if fmt not in target_export.FORMATS:
        raise Http404(fmt)
    pub, core = _published_targets(pk)
    return target_export.export_response(core, fmt, f"{core.display_title}-公开{pub.published_at:%Y%m%d}")
