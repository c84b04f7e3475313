"""The public portal: published tables by year and department, search, each publication with
its downloads, and a page per project with its indicators and the reasons behind its score.

Everything here comes from publications' frozen snapshots (through this app's index, which
is built from them); drafts and unpublished changes of the live tables are never read.
No login: these are the pages for the public, deputies, auditors and researchers.
"""

from __future__ import annotations

from collections import OrderedDict

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from jixiao.core import money
from jixiao.core.scoring import score_project
from jixiao.core.taxonomy import CATEGORIES, KIND_BY_KEY, kinds_of
from jixiao.web.dashboard.stats import from_e4_wan
from jixiao.web.entry import convert, downloads
from jixiao.web.entry.downloads import project_table
from jixiao.web.entry.models import Publication, publication_status
from jixiao.web.entry.views import _download

from .models import PublishedProject, PublishedTable

PAGE_SIZE = 50
QUERY_MAX = 100


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 10 else None


def _entry_row(e: PublishedTable) -> dict:
    return {"entry": e, "budget": from_e4_wan(e.budget_e4), "actual": from_e4_wan(e.actual_e4),
            "rate": money.format_rate(money.execution_rate(from_e4_wan(e.actual_e4), from_e4_wan(e.budget_e4)))}


@require_safe
def index(request):
    """Published tables (newest publication of each) by year and department, and search."""
    q = (request.GET.get("q") or "").strip()[:QUERY_MAX]
    year = _int(request.GET.get("year"))
    # A withdrawn publication stays listed, marked withdrawn with its reason (publication_status).
    current = PublishedTable.objects.filter(current=True).select_related("publication__withdrawal")
    years = list(current.order_by("-year").values_list("year", flat=True).distinct())
    if year:
        current = current.filter(year=year)
    context = {"q": q, "year": year, "years": years}
    if q:
        # icontains: a substring match (LIKE / ILIKE-style), so 工商 finds 区工商联 on SQLite
        # and PostgreSQL alike, Chinese text having no word boundaries to match on.
        tables = current.filter(Q(department__icontains=q) | Q(department_short__icontains=q) | Q(title__icontains=q))
        projects = (PublishedProject.objects.filter(entry__in=current.values("pk"))
                    .filter(Q(name__icontains=q) | Q(unit_name__icontains=q) | Q(entry__department__icontains=q))
                    .select_related("entry").order_by("-entry__year", "entry__department", "position"))
        page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update({"tables": [_entry_row(e) for e in tables.order_by("-year", "department")], "page": page,
                        "project_rows": [{"p": p, "rate": money.format_rate(p.execution_rate)} for p in page]})
        return render(request, "portal/search.html", context)
    grouped: OrderedDict[int, list] = OrderedDict()
    for e in current.order_by("-year", "department"):
        grouped.setdefault(e.year, []).append(_entry_row(e))
    context["grouped"] = list(grouped.items())
    return render(request, "portal/index.html", context)


def _publication(pk) -> tuple[Publication, PublishedTable]:
    entry = get_object_or_404(PublishedTable.objects.select_related("publication"), pk=pk)
    return entry.publication, entry


@require_safe
def publication(request, pk):
    pub, entry = _publication(pk)
    core = convert.table_from_document(pub.snapshot)
    totals = core.totals()
    indexed = {p.position: p for p in entry.projects.all()}
    rows = [{"core": p, "position": i, "rate": money.format_rate(p.execution_rate), "index": indexed.get(i),
             "cells": [(KIND_BY_KEY[k], p.indicator(k)) for k in core.layout]} for i, p in enumerate(core.projects)]
    newer = PublishedTable.objects.filter(table_id_ref=entry.table_id_ref, current=True).exclude(pk=entry.pk).first()
    older = PublishedTable.objects.filter(table_id_ref=entry.table_id_ref, number__lt=entry.number).order_by("-number")
    return render(request, "portal/publication.html", {
        "entry": entry, "pub": pub, "core": core, "rows": rows, "totals": totals,
        "total_rate": money.format_rate(totals.execution_rate), "kinds": [KIND_BY_KEY[k] for k in core.layout],
        "formats": downloads.available_formats("disclosure"), "newer": newer, "older": older,
        "state": publication_status(pub),
        "corrected": pub.corrects,
    })


@require_safe
def project(request, pk, position):
    pub, entry = _publication(pk)
    core = convert.table_from_document(pub.snapshot)
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
        "entry": entry, "pub": pub, "core": core, "p": p, "position": position, "score": score, "categories": categories,
        "rate": money.format_rate(p.execution_rate),
        "mof_formats": downloads.available_formats("mof-form"),
    })


@require_safe
def download(request, pk, fmt):
    pub, entry = _publication(pk)
    if fmt not in downloads.available_formats("disclosure"):
        raise Http404(fmt)
    core = convert.table_from_document(pub.snapshot)
    return _download(core, fmt, "disclosure", downloads.filename(core, fmt, f"-公开第{pub.number}版"))


@require_safe
def project_mof(request, pk, position, fmt):
    """The MoF 项目支出绩效自评表 of one published project, from the snapshot."""
    pub, entry = _publication(pk)
    core = convert.table_from_document(pub.snapshot)
    if position >= len(core.projects) or fmt not in downloads.available_formats("mof-form"):
        raise Http404(fmt)
    one = project_table(core, position)
    return _download(one, fmt, "mof-form",
                     downloads.filename(one, fmt, f"-{one.projects[0].seq}-项目支出绩效自评表-公开第{pub.number}版"))
