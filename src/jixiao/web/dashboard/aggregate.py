"""The dashboard's figures for one year, summed and counted in SQL over :mod:`.models`.

Every query is narrowed to the tables the user may see (``roles.visible_tables``): the finance
bureau's reviewers see what departments have submitted, administrators everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from jixiao.core import money
from jixiao.core.checks import CHECKS
from jixiao.web import language
from jixiao.web.accounts import roles
from jixiao.web.entry.models import Department, DisclosureTable, Status, Year

from .models import FindingStat, ProjectStat
from .stats import BAND_KEYS, GRADES, from_e4_wan

BAND_LABELS = {
    "lt60": _("低于60%"), "60-80": _("60%–80%"), "80-90": _("80%–90%"), "90-95": _("90%–95%"),
    "95-100": _("95%–100%"), "gt100": _("高于100%"), "none": _("无法计算"),
}
TOP_FINDINGS = 10

# Department comparison columns: key → (label, numeric?). Any of them is a sort key.
COLUMNS = {
    "department": (_("部门"), False),
    "status": (_("状态"), False),
    "projects": (_("项目数"), True),
    "budget": (_("预算金额（万元）"), True),
    "actual": (_("实际支出（万元）"), True),
    "rate": (_("执行率"), True),
    "score": (_("平均建议得分"), True),
    "excellent": (_("优"), True),
    "poor": (_("差"), True),
    "errors": (_("错误"), True),
    "warnings": (_("警告"), True),
}
STATE_ORDER = {"missing": 0, "draft": 1, "returned": 2, "submitted": 3, "approved": 4, "published": 5}
STATE_LABELS = {"missing": _("未报送"), "draft": _("未报送"), "returned": _("退回修改中"),
                "submitted": _("已提交"), "approved": _("已审核"), "published": _("已公开")}
OUTSTANDING = ("missing", "draft", "returned")


def visible_stats(user):
    return ProjectStat.objects.filter(table__in=roles.visible_tables(user).values("pk"))


def years(user) -> list[int]:
    seen = set(Year.objects.values_list("year", flat=True))
    return sorted(seen, reverse=True)


def default_year(user) -> int | None:
    """The latest year with a table the user may see (else the latest year at all)."""
    latest = roles.visible_tables(user).aggregate(y=Max("year__year"))["y"]
    if latest is not None:
        return latest
    ys = years(user)
    return ys[0] if ys else None


def wan(value_e4) -> Decimal | None:
    return from_e4_wan(value_e4)


def rate_of(actual_e4, budget_e4) -> Decimal | None:
    if budget_e4 is None or actual_e4 is None:
        return None
    return money.execution_rate(Decimal(actual_e4), Decimal(budget_e4))


def mean_score(total_x100, n) -> Decimal | None:
    if not n or total_x100 is None:
        return None
    return money.round_half_up(Decimal(total_x100) / Decimal(n) / 100)


@dataclass
class Overview:
    year: int | None
    projects: int = 0
    budget: Decimal | None = None
    actual: Decimal | None = None
    rate: Decimal | None = None
    bands: list = field(default_factory=list)      # (key, label, count)
    grades: list = field(default_factory=list)     # (grade, count)
    findings: list = field(default_factory=list)   # (code, severity, title, findings, projects)
    departments: list = field(default_factory=list)
    outstanding: list = field(default_factory=list)
    deadline: date | None = None
    overdue: bool = False


def _add(a, b):
    """Sum of two SQL sums where None means "no value" (not zero)."""
    if a is None:
        return b
    return a if b is None else a + b


def groups(user, year: int) -> list[dict]:
    """The year's projects counted and summed per (department, band, grade) in one SQL query.

    Everything on the page derives from these few hundred rows, so the 200 000 projects of a
    province are scanned once per page view, not once per figure.
    """
    return list(visible_stats(user).filter(year=year).values("department", "rate_band", "grade")
                .annotate(n=Count("pk"), budget=Sum("budget_e4"), actual=Sum("actual_e4"),
                          score=Sum("score_x100"), scored=Count("score_x100"),
                          errors=Sum("errors"), warnings=Sum("warnings"))
                .order_by())


def overview(user, year: int, today: date) -> Overview:
    rows = groups(user, year)
    budget = actual = None
    bands = dict.fromkeys(BAND_KEYS, 0)
    grades = dict.fromkeys(GRADES, 0)
    for g in rows:
        budget, actual = _add(budget, g["budget"]), _add(actual, g["actual"])
        bands[g["rate_band"]] = bands.get(g["rate_band"], 0) + g["n"]
        if g["grade"] in grades:
            grades[g["grade"]] += g["n"]
    ov = Overview(year=year, projects=sum(g["n"] for g in rows), budget=wan(budget), actual=wan(actual),
                  rate=rate_of(actual, budget))
    ov.bands = [(k, BAND_LABELS[k], bands[k]) for k in BAND_KEYS]
    ov.grades = [(g, grades[g]) for g in GRADES]
    found = (FindingStat.objects.filter(year=year, table__in=roles.visible_tables(user).values("pk"))
             .values("code", "severity").annotate(n=Count("pk"), projects=Count("project", distinct=True))
             .order_by("-n", "code")[:TOP_FINDINGS])
    ov.findings = [(f["code"], f["severity"], language.bilingual(CHECKS[f["code"]], "title") if f["code"] in CHECKS else "",
                    f["n"], f["projects"]) for f in found]
    y = Year.objects.filter(year=year).first()
    ov.deadline = y.deadline if y else None
    ov.overdue = ov.deadline is not None and today > ov.deadline
    ov.departments = department_rows(user, year, rows)
    ov.outstanding = [d for d in ov.departments if d["state"] in OUTSTANDING]
    return ov


def _fold(rows: list[dict]) -> dict[int, dict]:
    by_dept: dict[int, dict] = {}
    for g in rows:
        a = by_dept.setdefault(g["department"], {"projects": 0, "budget": None, "actual": None, "score": None,
                                                 "scored": 0, "excellent": 0, "poor": 0, "errors": 0, "warnings": 0})
        a["projects"] += g["n"]
        a["budget"], a["actual"], a["score"] = (_add(a["budget"], g["budget"]), _add(a["actual"], g["actual"]),
                                                _add(a["score"], g["score"]))
        a["scored"] += g["scored"]
        a["excellent"] += g["n"] if g["grade"] == "优" else 0
        a["poor"] += g["n"] if g["grade"] == "差" else 0
        a["errors"] += g["errors"] or 0
        a["warnings"] += g["warnings"] or 0
    return by_dept


def department_rows(user, year: int, rows: list[dict] | None = None) -> list[dict]:
    """One row per department (every department, with or without a table this year)."""
    by_dept = _fold(groups(user, year) if rows is None else rows)
    visible = set(roles.visible_tables(user).filter(year__year=year).values_list("pk", flat=True))
    tables = {t.department_id: t for t in DisclosureTable.objects.filter(year__year=year).only(
        "pk", "department_id", "status")}
    result = []
    for dept in Department.objects.all():
        a = by_dept.get(dept.pk, {})
        t = tables.get(dept.pk)
        if t is None:
            state = "missing"
        elif t.pk not in visible:
            state = "draft"  # never submitted: the bureau only learns that it is not in yet
        else:
            state = t.status
        result.append({
            "department": dept.name, "department_id": dept.pk, "state": state, "status": STATE_LABELS[state],
            "table_id": t.pk if t is not None and t.pk in visible else None,
            "projects": a.get("projects", 0), "budget": wan(a.get("budget")), "actual": wan(a.get("actual")),
            "rate": rate_of(a.get("actual"), a.get("budget")),
            "score": mean_score(a.get("score"), a.get("scored")),
            "excellent": a.get("excellent", 0), "poor": a.get("poor", 0),
            "errors": a.get("errors", 0), "warnings": a.get("warnings", 0),
        })
    return result


def sort_rows(rows: list[dict], key: str, descending: bool) -> list[dict]:
    """Sort the comparison table by any column; empty values always last."""
    if key not in COLUMNS:
        key = "department"
    if key == "status":
        value = lambda r: STATE_ORDER[r["state"]]  # noqa: E731
    else:
        value = lambda r: r[key]  # noqa: E731
    present = [r for r in rows if value(r) is not None]
    absent = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: (value(r), r["department"]), reverse=descending)
    return present + absent


def project_rows(user, filters: dict):
    """The drill-down: the projects behind a figure, as a queryset of ProjectStat."""
    qs = visible_stats(user).select_related("project", "department", "table")
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("band"):
        qs = qs.filter(rate_band=filters["band"])
    if filters.get("grade"):
        qs = qs.filter(grade=filters["grade"])
    if filters.get("finding"):
        qs = qs.filter(project__in=FindingStat.objects.filter(code=filters["finding"]).values("project"))
    if filters.get("q"):
        qs = qs.filter(Q(project__name__icontains=filters["q"]) | Q(department__name__icontains=filters["q"]))
    return qs


PROJECT_SORTS = {
    "department": ("department__name", "project__seq"), "seq": ("project__seq",), "name": ("project__name",),
    "budget": ("budget_e4",), "actual": ("actual_e4",), "rate": ("execution_rate",), "score": ("score_x100",),
    "grade": ("grade",), "errors": ("errors",), "warnings": ("warnings",),
}


def order_projects(qs, key: str, descending: bool):
    fields = PROJECT_SORTS.get(key) or PROJECT_SORTS["department"]
    first = F(fields[0]).desc(nulls_last=True) if descending else F(fields[0]).asc(nulls_last=True)
    return qs.order_by(first, *fields[1:], "department__name", "project__seq", "pk")
