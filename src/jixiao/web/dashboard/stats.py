"""Compute and store each project's dashboard figures (from the core): one project when it is
saved, or many in bulk (a load without signals, ``dashboard_refresh``).

The dashboard then only sums and counts these rows in SQL. Only the project-level checks
(JX1xx–JX3xx) are counted per project; table-level findings (numbering, duplicate names)
belong to the table page.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from decimal import Decimal

from django.db import transaction

from jixiao.core import money
from jixiao.core.checks import check_project, score_findings
from jixiao.core.money import MoneyUnit
from jixiao.core.scoring import score_project
from jixiao.web.entry import convert
from jixiao.web.entry.models import DisclosureTable, Project

from . import table_figures
from .models import FindingStat, ProjectStat

E4 = Decimal(10000)
# 执行率区间 (percent): below 60, 60–80, 80–90, 90–95 (each lower bound included), 95–100
# (100 itself included), above 100; "none" = no rate (no budget).
BAND_KEYS = ("lt60", "60-80", "80-90", "90-95", "95-100", "gt100", "none")
_LOWER_BOUNDS = (60, 80, 90, 95)  # of the bands after the first, up to 95–100
GRADES = ("优", "良", "中", "差")


def rate_band(rate: Decimal | None) -> str:
    if rate is None:
        return "none"
    return "gt100" if rate > 100 else BAND_KEYS[bisect_right(_LOWER_BOUNDS, rate)]


def to_e4(amount: Decimal | None, unit: MoneyUnit) -> int | None:
    """An amount in the table's unit as an integer count of 0.0001 元 (exact for 4 decimals)."""
    if amount is None:
        return None
    return int((amount * unit.in_yuan * E4).to_integral_value())


def from_e4_wan(value: int | None) -> Decimal | None:
    """0.0001 元 back to 万元 (exact), for display and for rates."""
    if value is None:
        return None
    return Decimal(value) / (E4 * E4)


def stat_fields(row: Project, table: DisclosureTable) -> tuple[dict, list]:
    """(ProjectStat fields, [(code, severity)]) for one stored project."""
    return core_fields(convert.project_to_core(row), convert.table_to_core(table, []), table)


def core_fields(core, core_table, table: DisclosureTable) -> tuple[dict, list]:
    """(ProjectStat fields, [(code, severity)]) for one core project of ``core_table`` (the
    stored table's, or a publication's), checked in a table of its own as when stored."""
    core_table = copy.copy(core_table)
    core_table.projects = [core]
    unit = core_table.money_unit
    findings = check_project(core, table=core_table)
    score = score_project(core, profile=core_table.profile)
    findings += score_findings(core, score)  # JX504: claims without a figure
    rate = core.execution_rate
    fields = {
        "table": table, "year": table.year.year, "department_id": table.department_id, "money_unit": unit.value,
        "budget_e4": to_e4(core.budget, unit), "actual_e4": to_e4(core.actual_total, unit),
        "execution_rate": rate, "rate_band": rate_band(rate),
        "score_x100": int(money.round_half_up(score.total) * 100), "grade": score.grade,
        "evidence_gap_x100": int(money.round_half_up(score.evidence_gap) * 100),
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
    }
    return fields, [(f.code, f.severity) for f in findings]


def _findings(row: Project, fields: dict, findings: list) -> list[FindingStat]:
    return [FindingStat(project=row, table=fields["table"], year=fields["year"], code=code, severity=severity)
            for code, severity in findings]


@transaction.atomic
def refresh_project(row: Project, created: bool = False) -> None:
    """Store the figures of ``row`` (a project just saved); ``created`` (a new project) skips
    looking for old rows, which halves the queries of a bulk load."""
    fields, findings = stat_fields(row, row.table)
    if created:
        ProjectStat.objects.create(project=row, **fields)
    else:
        ProjectStat.objects.update_or_create(project=row, defaults=fields)
        FindingStat.objects.filter(project=row).delete()
    FindingStat.objects.bulk_create(_findings(row, fields, findings))


@transaction.atomic
def store(rows: list[Project], table: DisclosureTable | None = None) -> None:
    """Replace the figures of ``rows`` (of ``table``, else each of its own) with bulk inserts,
    then their tables' figures (bulk inserts send no signals)."""
    ProjectStat.objects.filter(project__in=rows).delete()
    FindingStat.objects.filter(project__in=rows).delete()
    stat_rows, finding_rows = [], []
    for row in rows:
        fields, findings = stat_fields(row, table or row.table)
        stat_rows.append(ProjectStat(project=row, **fields))
        finding_rows += _findings(row, fields, findings)
    ProjectStat.objects.bulk_create(stat_rows, batch_size=500)
    FindingStat.objects.bulk_create(finding_rows, batch_size=1000)
    for table_id in sorted({r.table_id for r in rows}):
        table_figures.refresh(table_id)


def refresh(missing: bool = False, batch: int = 2000) -> int:
    """Compute every project's figures (after the scoring or the checks changed, or rows were
    written without signals), or only those of projects that have none (``missing``: data
    stored before this app was installed, or loaded with ``bulk_create`` — a province-sized
    load does that), in batches of projects, one bulk insert each. Returns how many."""
    n = last = 0
    while True:
        rows = Project.objects.filter(pk__gt=last, **({"dashboard_stat__isnull": True} if missing else {}))
        rows = list(rows.select_related("table__year", "table__department").order_by("pk")[:batch])
        if not rows:
            return n
        store(rows)
        n, last = n + len(rows), rows[-1].pk
