"""The finance bureau's dashboard: one year across departments, every figure a link to the
projects behind it. Only reviewers and administrators may open it."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext as _

from jixiao.core import money
from jixiao.web import language
from jixiao.web.accounts import roles
from jixiao.web.entry.models import Department
from jixiao.web.query import query_int
from jixiao.web.targets.models import SheetStatus, TargetQuality

from . import aggregate, xlsx
from .stats import BAND_KEYS, GRADES, from_e4_wan

PAGE_SIZE = 50
DEPARTMENTS_PER_PAGE = 50
CHART_DEPARTMENTS = 20
OUTSTANDING_SHOWN = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_bureau(user) -> None:
    if roles.role_of(user) not in (roles.REVIEWER, roles.ADMIN):
        raise PermissionDenied("dashboard")


def _year(request) -> int | None:
    return query_int(request.GET.get("year")) or aggregate.default_year(request.user)


def drill_url(**params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("dashboard:projects") + "?" + urlencode(clean)


def _sorting(request, columns: dict, extra: dict) -> tuple[str, bool, dict, list[dict]]:
    """The order the page asks for (``?sort=`` one of ``columns``, else the department;
    ``?dir=desc``), the query parameters that keep it with ``extra``, and the column headers as
    links that sort (server side); aria-sort says the current order."""
    key = request.GET.get("sort") if request.GET.get("sort") in columns else "department"
    descending = request.GET.get("dir") == "desc"
    heads = []
    for col, (label, numeric) in columns.items():
        active = col == key
        if active:
            direction = "asc" if descending else "desc"
        else:
            direction = "desc" if numeric else "asc"  # numbers: largest first on the first press
        heads.append({"key": col, "label": label, "numeric": numeric, "active": active,
                      "aria": ("descending" if descending else "ascending") if active else None,
                      "url": "?" + urlencode({**extra, "sort": col, "dir": direction})})
    return key, descending, {**extra, "sort": key, "dir": "desc" if descending else "asc"}, heads


@login_required
def index(request):
    _require_bureau(request.user)
    year = _year(request)
    ov = aggregate.overview(request.user, year, timezone.localdate()) if year else aggregate.Overview(year=None)
    key, descending, keep, headers = _sorting(request, aggregate.COLUMNS, {"year": year})
    if year:
        ov.departments = ov.departments.sorted(key, descending)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(xlsx.workbook(ov), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, f"{year}-财政局看板.xlsx")
        return response
    # A province has thousands of departments: the table is paged, sorted and sliced in SQL
    # (the XLSX has them all), and the chart shows the largest budgets only, which is all a
    # bar chart can show legibly.
    dept_page = Paginator(ov.departments, DEPARTMENTS_PER_PAGE).get_page(request.GET.get("dpage"))
    for d in dept_page.object_list:
        d["url"] = drill_url(year=year, department=d["department_id"])
        d["rate_text"] = money.format_rate(d["rate"])
    largest = ([d for d in ov.departments.sorted("budget", True)[:CHART_DEPARTMENTS] if d["budget"]]
               if year else [])
    outstanding = list(ov.outstanding[:OUTSTANDING_SHOWN])
    bands = [{"key": k, "label": str(label), "count": n, "url": drill_url(year=year, band=k)}
             for k, label, n in ov.bands]
    grades = [{"grade": g, "count": n, "url": drill_url(year=year, grade=g)} for g, n in ov.grades]
    findings = [{"code": c, "severity": s, "title": t, "count": n, "projects": p,
                 "url": drill_url(year=year, finding=c)} for c, s, t, n, p in ov.findings]
    chart = {
        "bands": {"labels": [b["label"] for b in bands], "counts": [b["count"] for b in bands],
                  "urls": [b["url"] for b in bands], "title": _("执行率分布（项目数）")},
        "grades": {"labels": [language.grade_label(g["grade"]) for g in grades], "counts": [g["count"] for g in grades],
                   "urls": [g["url"] for g in grades], "title": _("等级分布（项目数）")},
        "departments": {"labels": [d["department"] for d in largest],
                        "budget": [str(money.round_half_up(d["budget"])) for d in largest],
                        "actual": [str(money.round_half_up(d["actual"] or 0)) for d in largest],
                        "urls": [drill_url(year=year, department=d["department_id"]) for d in largest],
                        "title": _("各部门预算与支出（万元）"), "budget_label": _("预算金额"),
                        "actual_label": _("实际支出")},
    }
    return render(request, "dashboard/index.html", {
        **target_quality(year),
        "ov": ov, "year": year, "dept_page": dept_page, "dept_keep": urlencode(keep),
        "outstanding": outstanding, "outstanding_count": len(ov.outstanding), "chart_departments": len(largest),
        "years": aggregate.years(), "bands": bands, "grades": grades,
        "findings": findings, "chart": chart, "rate": money.format_rate(ov.rate),
        "headers": headers,
        "all_url": drill_url(year=year),
        "xlsx_url": "?" + urlencode({**keep, "format": "xlsx"}),
    })


TARGET_ROWS_SHOWN = 50
QUALITY_STATUSES = (SheetStatus.SUBMITTED, SheetStatus.APPROVED)


def target_quality(year: int | None) -> dict:
    """The year's submitted and approved 绩效目标表 with their stored JX6xx figures (one row per
    sheet, written by the target review: targets/publication.py), by department; one query
    for the rows shown and one for the totals, whatever the number of projects."""
    if not year:
        return {"target_rows": [], "target_totals": None}
    rows = TargetQuality.objects.filter(year=year, status__in=QUALITY_STATUSES)
    totals = rows.aggregate(sheets=Count("pk"), projects=Sum("projects"), indicators=Sum("indicators"),
                            errors=Sum("errors"), warnings=Sum("warnings"))
    shown = []
    for r in rows.order_by("department")[:TARGET_ROWS_SHOWN]:
        codes = sorted(r.codes.items(), key=lambda c: (-c[1], c[0]))
        shown.append({"row": r, "findings": sum(r.codes.values()), "codes": codes,
                      "url": reverse("targets:sheet", args=[r.sheet_id])})
    return {"target_rows": shown, "target_totals": totals if totals["sheets"] else None}


PROJECT_COLUMNS = {  # lazy: translated per request, not once at import
    "department": (gettext_lazy("部门"), False), "seq": (gettext_lazy("序号"), True),
    "name": (gettext_lazy("项目名称"), False), "budget": (gettext_lazy("预算金额（万元）"), True),
    "actual": (gettext_lazy("实际支出（万元）"), True), "rate": (gettext_lazy("执行率"), True),
    "score": (gettext_lazy("建议得分"), True), "grade": (gettext_lazy("等级"), False),
    "errors": (gettext_lazy("错误"), True), "warnings": (gettext_lazy("警告"), True),
}


def _project_url(s: dict) -> str:
    """A stored project's page; a project of a frozen publication, its page on the portal (what
    the figures are); a project of a frozen submission, its table's page."""
    if s["p_id"] is not None:
        return reverse("entry:project", args=[s["p_id"]])
    if s["v_pub"] is not None:
        return reverse("portal:project", args=[s["v_pub"], s["v_pos"]])
    return reverse("entry:table", args=[s["t_id"]])


@login_required
def projects(request):
    """The projects behind a figure, filterable (year, department, band, grade, finding, text)."""
    _require_bureau(request.user)
    g = request.GET
    filters = {
        "year": query_int(g.get("year")),
        "department": query_int(g.get("department")),
        "band": g.get("band") if g.get("band") in BAND_KEYS else None,
        "grade": g.get("grade") if g.get("grade") in GRADES else None,
        "finding": (g.get("finding") or "").strip()[:12] or None,
        "q": (g.get("q") or "").strip()[:100] or None,
    }
    key, descending, keep, headers = _sorting(request, PROJECT_COLUMNS, {k: v for k, v in filters.items() if v})
    qs = aggregate.order_projects(aggregate.project_rows(request.user, filters), key, descending)
    page = Paginator(qs, PAGE_SIZE).get_page(g.get("page"))
    rows = [{"department": s["d_name"], "seq": s["p_seq"], "name": s["p_name"], "url": _project_url(s),
             "budget": from_e4_wan(s["budget"]), "actual": from_e4_wan(s["actual"]),
             "rate": money.format_rate(None if s["rate"] is None else Decimal(s["rate"])),
             "score": money.round_half_up(Decimal(s["score"]) / 100) if s["score"] is not None else None,
             "grade": s["grade_"], "errors": s["errors_"], "warnings": s["warnings_"]} for s in page.object_list]
    return render(request, "dashboard/projects.html", {
        "page": page, "rows": rows, "filters": filters, "kept": urlencode(keep), "headers": headers,
        "departments": Department.objects.all(), "years": aggregate.years(),
        "bands": [(k, aggregate.BAND_LABELS[k]) for k in BAND_KEYS], "grades": GRADES,
        "band_label": aggregate.BAND_LABELS.get(filters["band"]),
        "department_name": Department.objects.filter(pk=filters["department"]).values_list("name", flat=True).first()
        if filters["department"] else None,
        "back": reverse("dashboard:index") + ("?" + urlencode({"year": filters["year"]}) if filters["year"] else ""),
    })
