"""Compute and store one project's dashboard figures (from the core) when it is saved.

The dashboard then only sums and counts these rows in SQL. Only the project-level checks
(JX1xx–JX3xx) are counted per project; table-level findings (numbering, duplicate names)
belong to the table page.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django.db import transaction

from jixiao.core import money
from jixiao.core.checks import check_project
from jixiao.core.money import MoneyUnit
from jixiao.core.checks import score_findings
from jixiao.core.scoring import score_project
from jixiao.web.entry import convert
from jixiao.web.entry.models import DisclosureTable, Project

from . import table_figures
from .models import FindingStat, ProjectStat

E4 = Decimal(10000)
# 执行率区间 (percent): (key, lower bound inclusive, upper bound exclusive); 100 % itself is
# in 95–100, anything above 100 in its own band. "none" = no rate (no budget).
BANDS = (
    ("lt60", None, Decimal(60)),
    ("60-80", Decimal(60), Decimal(80)),
    ("80-90", Decimal(80), Decimal(90)),
    ("90-95", Decimal(90), Decimal(95)),
    ("95-100", Decimal(95), None),  # up to and including 100
    ("gt100", None, None),
    ("none", None, None),
)
BAND_KEYS = tuple(b[0] for b in BANDS)
GRADES = ("优", "良", "中", "差")


def rate_band(rate: Decimal | None) -> str:
    if rate is None:
        return "none"
    if rate > 100:
        return "gt100"
    if rate < 60:
        return "lt60"
    if rate < 80:
        return "60-80"
    if rate < 90:
        return "80-90"
    if rate < 95:
        return "90-95"
    return "95-100"


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


@transaction.atomic
def refresh_project(row: Project, table: DisclosureTable | None = None, created: bool = False) -> ProjectStat:
    """Store the figures of ``row``; ``created`` (a new project) skips looking for old rows,
    which halves the queries of a bulk load."""
    table = table or row.table
    fields, findings = stat_fields(row, table)
    if created:
        stat = ProjectStat.objects.create(project=row, **fields)
    else:
        stat, _ = ProjectStat.objects.update_or_create(project=row, defaults=fields)
        FindingStat.objects.filter(project=row).delete()
    FindingStat.objects.bulk_create([FindingStat(project=row, table=table, year=fields["year"], code=c, severity=s)
                                     for c, s in findings])
    return stat


def refresh_table(table: DisclosureTable) -> int:
    """Every project's figures of ``table`` (then the table's own, from them)."""
    n = 0
    for row in table.projects.all():
        refresh_project(row, table)
        n += 1
    table_figures.refresh(table.pk)
    return n


def refresh_missing(batch: int = 2000) -> int:
    """Compute figures for projects that have none, in bulk.

    For data stored before this app was installed, or loaded with ``bulk_create`` (which sends
    no signals — a province-sized load does that): batches of projects, one bulk insert each.
    """
    n = 0
    tables: dict[int, DisclosureTable] = {}
    while True:
        rows = list(Project.objects.filter(dashboard_stat__isnull=True)
                    .select_related("table__year", "table__department").order_by("pk")[:batch])
        if not rows:
            return n
        with transaction.atomic():
            FindingStat.objects.filter(project__in=[r.pk for r in rows]).delete()
            stat_rows, finding_rows = [], []
            for row in rows:
                table = tables.setdefault(row.table_id, row.table)
                fields, findings = stat_fields(row, table)
                stat_rows.append(ProjectStat(project=row, **fields))
                finding_rows.extend(FindingStat(project=row, table=table, year=fields["year"], code=c, severity=sev)
                                    for c, sev in findings)
            ProjectStat.objects.bulk_create(stat_rows, batch_size=500)
            FindingStat.objects.bulk_create(finding_rows, batch_size=1000)
            # Bulk inserts send no signals: the tables' figures are computed here.
            for table_id in sorted({r.table_id for r in rows}):
                table_figures.refresh(table_id)
        n += len(rows)
