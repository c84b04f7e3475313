"""The dashboard's figures for one year, summed and counted in SQL over the year's per-table
figures (:class:`.models.TableFigures`, kept current by :mod:`.table_figures`).

A page view reads one row per table — a few thousand a year — not the province's 200 000
per-project rows, and the results are kept in Django's cache under the version of the
dashboard's data (:mod:`.data_version`). Only the drill-down, which lists projects, reads
per-project rows, one page of them at a time.

Every query is narrowed to the tables the user may see (``roles.visible_tables``): the finance
bureau's reviewers see what departments have submitted, administrators everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.db import connection
from django.db.models import BigIntegerField, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jixiao.core import money
from jixiao.core.checks import CHECKS
from jixiao.web import language
from jixiao.web.accounts import roles
from jixiao.web.entry.models import Department, DisclosureTable, Year

from . import data_version
from .amounts import AmountSum
from .models import (BAND_FIELDS, GRADE_FIELDS, FindingStat, ProjectStat, ShownVersion, TableFigures,
                     TableFindingCount)
from .stats import BAND_KEYS, GRADES, from_e4_wan
from .table_figures import LIVE_STATUSES, REVISING_STATUSES


BAND_LABELS = {
    "lt60": _("低于60%"), "60-80": _("60%–80%"), "80-90": _("80%–90%"), "90-95": _("90%–95%"),
    "95-100": _("95%–100%"), "gt100": _("高于100%"), "none": _("无法计算"),
}
TOP_FINDINGS = 10

# Department comparison columns: key → (label, numeric?). Any of them is a sort key.
COLUMNS = {
    "department": (_("部门"), False), "status": (_("状态"), False), "projects": (_("项目数"), True),
    "budget": (_("预算金额（万元）"), True), "actual": (_("实际支出（万元）"), True), "rate": (_("执行率"), True),
    "score": (_("平均建议得分"), True), "gap": (_("平均证据差"), True), "excellent": (_("优"), True),
    "poor": (_("差"), True), "errors": (_("错误"), True), "warnings": (_("警告"), True),
}
# The states in their sort order. "revision": a published table whose new revision is being
# edited (草稿 or 退回); its figures are the publication's (versions.py).
STATE_LABELS = {"missing": _("未报送"), "draft": _("未报送"), "returned": _("退回修改中"),
                "submitted": _("已提交"), "approved": _("已审核"), "published": _("已公开"), "revision": _("修订中")}
STATE_ORDER = {state: i for i, state in enumerate(STATE_LABELS)}
OUTSTANDING = ("missing", "draft", "returned")


def _visible(user):
    """The pks of the tables the user may see, as a subquery."""
    return roles.visible_tables(user).order_by().values("pk")


def _scope(user) -> tuple:
    """What the user may see, as the SQL that selects it: the cache key's part for visibility
    (the finance bureau's reviewers share one, administrators another)."""
    sql, params = _visible(user).query.sql_with_params()
    return sql, tuple(str(p) for p in params)


def years() -> list[int]:
    return list(Year.objects.order_by("-year").values_list("year", flat=True))


def default_year(user) -> int | None:
    """The latest year with a table the user may see (else the latest year at all)."""
    latest = roles.visible_tables(user).aggregate(y=Max("year__year"))["y"]
    return latest if latest is not None else next(iter(years()), None)


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


def overview(user, year: int, today: date) -> Overview:
    """The year's figures over the visible tables' figures: the projects, amounts and counts per
    band and grade in one aggregate query, the most frequent findings in one grouped query (a
    project belongs to one table, so its counts add up)."""
    version = data_version.current()  # read once: every part of the page from one version
    t = data_version.cached(version, ("totals", year, _scope(user)), lambda: TableFigures.objects.filter(
        year=year, table__in=_visible(user)).aggregate(
        projects=Sum("projects", default=0), budget=AmountSum("budget_e4"), actual=AmountSum("actual_e4"),
        **{column: Sum(column, default=0) for column in (*BAND_FIELDS.values(), *GRADE_FIELDS.values())}))
    found = data_version.cached(version, ("findings", year, _scope(user)), lambda: list(
        TableFindingCount.objects.filter(year=year, table__in=_visible(user)).values("code", "severity")
        .annotate(n=Sum("findings"), projects=Sum("projects")).order_by("-n", "code", "severity")[:TOP_FINDINGS]))
    budget, actual = t["budget"], t["actual"]
    ov = Overview(year=year, projects=t["projects"], budget=from_e4_wan(budget), actual=from_e4_wan(actual),
                  rate=rate_of(actual, budget))
    ov.bands = [(k, BAND_LABELS[k], t[BAND_FIELDS[k]]) for k in BAND_KEYS]
    ov.grades = [(g, t[GRADE_FIELDS[g]]) for g in GRADES]
    ov.findings = [(f["code"], f["severity"], language.bilingual(CHECKS[f["code"]], "title") if f["code"] in CHECKS else "",
                    f["n"], f["projects"]) for f in found]
    ov.deadline = Year.objects.filter(year=year).values_list("deadline", flat=True).first()
    ov.overdue = ov.deadline is not None and today > ov.deadline
    # Lazy: the page reads one sorted page of each in SQL; the XLSX export iterates them all.
    ov.departments = DepartmentRows(user, year, version=version)
    ov.outstanding = DepartmentRows(user, year, states=OUTSTANDING, figures=False, version=version)
    return ov


# Sort expressions over the row query's columns; every one is followed by the name.
_SORT_SQL = {
    "status": "CASE state " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in STATE_ORDER.items()) + " END",
    "projects": "projects", "budget": "budget", "actual": "actual", "rate": "rate_sort", "score": "score_sort", "gap": "gap_sort",
    "excellent": "excellent", "poor": "poor", "errors": "errors", "warnings": "warnings",
}


class DepartmentRows:
    """The department comparison (one row per department, with or without a table this year),
    sorted and sliced in SQL.

    A province has some 16 000 departments: building every row in Python on each page view
    cost seconds, so the page asks for one sorted page (``rows[50:100]``) and the database
    does the grouping, the sort and the slice. Iterating gives every row (the XLSX export).
    The sort: by the column, then the department name (in code point order, as Python
    compares strings), empty values last in either direction.
    """

    def __init__(self, user, year: int, key: str = "department", descending: bool = False,
                 states: tuple[str, ...] | None = None, figures: bool = True, version=None):
        self.user, self.year, self.states, self.figures = user, year, states, figures
        self.version = version or data_version.current()
        self.key = key if key in COLUMNS else "department"
        self.descending = descending
        self._count: int | None = None

    def sorted(self, key: str, descending: bool) -> "DepartmentRows":
        return DepartmentRows(self.user, self.year, key, descending, self.states, self.figures, self.version)

    def count(self) -> int:
        if self._count is None:
            self._count = Department.objects.count() if self.states is None else self._fetch(None, 0, count=True)
        return self._count

    __len__ = count  # and truth: a list of no department is false

    def __iter__(self):
        return iter(self._fetch(None, 0))

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            if index.step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
                raise ValueError("department rows: only forward slices")
            return self._fetch(None if stop is None else max(0, stop - start), start)
        return self._fetch(1, index)[0]  # IndexError past the end

    def _fetch(self, limit: int | None, offset: int, count: bool = False):
        if limit is None and not count:  # every row (the XLSX): read once, not worth keeping
            raw = self._query(limit, offset, count)
        else:
            question = ("departments", self.year, _scope(self.user), self.key, self.descending, self.states,
                        self.figures, limit, offset, count)
            raw = data_version.cached(self.version, question, lambda: self._query(limit, offset, count))
        return raw if count else [_row(r) for r in raw]

    def _query(self, limit: int | None, offset: int, count: bool):
        vis_sql, params = _visible(self.user).query.sql_with_params()
        dept, table, year_table = Department._meta.db_table, DisclosureTable._meta.db_table, Year._meta.db_table
        # A frozen version is joined only while the table is being revised (the one it shows then): a
        # published one makes the department's state 修订中 ("revision"), a submitted one leaves it 退回.
        # Each visible table's figures are those of its shown version (table_figures.py); a
        # department has one table a year, so its row is that table's. The outstanding list joins none.
        sql = (
            f"WITH vis(id) AS ({vis_sql}) SELECT * FROM ("
            "SELECT d.id AS department_id, d.name AS department, vis.id AS table_id, "
            "CASE WHEN t.id IS NULL THEN 'missing' WHEN vis.id IS NULL THEN 'draft' "
            "WHEN v.kind = %s THEN 'revision' ELSE t.status END AS state, v.number AS version_number, "
            "v.kind AS version_kind, v.at AS version_at, v.publication_id AS version_publication, "
            "COALESCE(f.projects, 0) AS projects, f.budget_e4 AS budget, f.actual_e4 AS actual, "
            "f.score_x100 AS score, COALESCE(f.scored, 0) AS scored, "
            f"COALESCE(f.{GRADE_FIELDS['优']}, 0) AS excellent, COALESCE(f.{GRADE_FIELDS['差']}, 0) AS poor, "
            "COALESCE(f.errors, 0) AS errors, COALESCE(f.warnings, 0) AS warnings, "
            "CASE WHEN f.budget_e4 <> 0 THEN f.actual_e4 * 1.0 / f.budget_e4 END AS rate_sort, "
            "CASE WHEN f.scored > 0 THEN f.score_x100 * 1.0 / f.scored END AS score_sort, "
            "f.evidence_gap_x100 AS gap, COALESCE(f.gapped, 0) AS gapped, "
            "CASE WHEN f.gapped > 0 THEN f.evidence_gap_x100 * 1.0 / f.gapped END AS gap_sort "
            f"FROM {dept} d LEFT JOIN {table} t ON t.department_id = d.id "
            f"AND t.year_id = (SELECT y.id FROM {year_table} y WHERE y.year = %s) LEFT JOIN vis ON vis.id = t.id "
            f"LEFT JOIN {ShownVersion._meta.db_table} v ON v.table_id = vis.id "
            f"AND t.status IN ({', '.join(['%s'] * len(REVISING_STATUSES))}) "
            f"LEFT JOIN {TableFigures._meta.db_table} f ON f.table_id = vis.id{'' if self.figures else ' AND 1 = 0'}) r")
        params = [*params, ShownVersion.Kind.PUBLISHED.value, self.year, *REVISING_STATUSES]
        if self.states is not None:
            sql += " WHERE state IN (" + ", ".join(["%s"] * len(self.states)) + ")"
            params += list(self.states)
        if count:
            sql = sql.replace("SELECT * FROM", "SELECT COUNT(*) FROM", 1)
        else:
            name = 'department COLLATE "C"' if connection.vendor == "postgresql" else "department"
            direction = " DESC" if self.descending else ""
            order = [f"{name}{direction}"]
            if self.key != "department":
                expr = _SORT_SQL[self.key]
                # Empty values last, and among them name order in either direction.
                order = [f"({expr}) IS NULL", f"{expr}{direction}", f"CASE WHEN ({expr}) IS NULL THEN {name} END",
                         *order]
            sql += " ORDER BY " + ", ".join(order)
            if limit is not None:
                sql += " LIMIT %s"
                params.append(limit)
            if offset:  # SQLite has no OFFSET without a LIMIT
                sql += (" LIMIT -1" if limit is None and connection.vendor == "sqlite" else "") + " OFFSET %s"
                params.append(offset)
        with connection.cursor() as cur:
            cur.execute(sql, params)
            if count:
                return cur.fetchone()[0]
            cols = [c[0] for c in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]


def _moment(value) -> datetime | None:
    """A timestamp read by raw SQL: aware on PostgreSQL, naive UTC (or text) on SQLite."""
    moment = value if value is None or isinstance(value, datetime) else parse_datetime(str(value))
    return timezone.make_aware(moment, dt_timezone.utc) if moment is not None and timezone.is_naive(moment) else moment


def version_note(kind: str | None, number: int | None, at) -> str:
    """Where a department's figures come from while its table is being revised."""
    if not kind:
        return ""
    note = (gettext("数据取自第 %(number)s 版（%(date)s 公开）") if kind == ShownVersion.Kind.PUBLISHED
            else gettext("数据取自第 %(number)s 版（%(date)s 报送）"))
    return note % {"number": number, "date": date_format(timezone.localdate(at), "DATE_FORMAT") if at else ""}


# A department row's values as the query reads them; the others are computed by _row.
_AS_READ = ("department", "department_id", "state", "table_id", "version_number", "version_kind",
            "version_publication", "projects", "excellent", "poor", "errors", "warnings")


def _row(r: dict) -> dict:
    return {
        **{key: r[key] for key in _AS_READ}, "status": STATE_LABELS[r["state"]],
        "version": version_note(r["version_kind"], r["version_number"], _moment(r["version_at"])),
        "budget": from_e4_wan(r["budget"]), "actual": from_e4_wan(r["actual"]),
        "rate": rate_of(r["actual"], r["budget"]), "score": mean_score(r["score"], r["scored"]),
        "gap": mean_score(r["gap"], r["gapped"]),
    }


def project_rows(user, filters: dict):
    """The drill-down: the projects behind a figure — those of each table's shown version, the
    stored rows' figures while it is 已提交/已审核/已公开, its frozen version's while 草稿/退回."""
    rows = ProjectStat.objects.filter(Q(version__isnull=True, table__status__in=LIVE_STATUSES)
                                      | Q(version__isnull=False, table__status__in=REVISING_STATUSES),
                                      table__in=_visible(user))
    for column, key in (("year", "year"), ("department_id", "department"), ("rate_band", "band"), ("grade", "grade")):
        if filters.get(key):
            rows = rows.filter(**{column: filters[key]})
    if filters.get("finding"):
        found = FindingStat.objects.filter(code=filters["finding"])
        rows = rows.filter(Q(project__in=found.values("project")) | Q(pk__in=found.values("stat")))
    rows = rows.values(  # a frozen project has its own 序号 and name (it may since have been renamed)
        d_name=F("department__name"), p_seq=Coalesce("project__seq", "seq"), p_name=Coalesce("project__name", "name"),
        p_id=F("project_id"), t_id=F("table_id"), v_pub=F("version__publication_id"), v_pos=F("position"),
        budget=F("budget_e4"), actual=F("actual_e4"), rate=F("execution_rate"), score=F("score_x100"),
        grade_=F("grade"), errors_=F("errors"), warnings_=F("warnings"),
        key=Coalesce("project_id", -F("id"), output_field=BigIntegerField()))
    if filters.get("q"):
        rows = rows.filter(Q(p_name__icontains=filters["q"]) | Q(d_name__icontains=filters["q"]))
    return rows


PROJECT_SORTS = {
    "department": ("d_name", "p_seq"), "seq": ("p_seq",), "name": ("p_name",),
    "budget": ("budget",), "actual": ("actual",), "rate": ("rate",), "score": ("score",),
    "grade": ("grade_",), "errors": ("errors_",), "warnings": ("warnings_",),
}


def order_projects(qs, key: str, descending: bool):
    fields = PROJECT_SORTS.get(key) or PROJECT_SORTS["department"]
    first = F(fields[0]).desc(nulls_last=True) if descending else F(fields[0]).asc(nulls_last=True)
    return qs.order_by(first, *fields[1:], "d_name", "p_seq", "key")
