"""Keep each table's dashboard figures (:class:`.models.TableFigures`) current, in the same
transaction as the write that changes them.

The dashboard shows sums and counts over a year's tables. Summing the province's 200 000
per-project rows on each page view cost 0.1–0.3 s of SQL per query, which a cache then hid —
least well in the entry weeks, when every save anywhere emptied it. Instead, each table's
figures are computed again from its own per-project rows (a few hundred at most, one
aggregate query) whenever one of them, the table's status or its shown version changes; the
pages read the year's few thousand table rows. Nothing is kept outside the database, so any
number of server processes agree.

Which per-project rows (:class:`.models.ProjectStat`) a table's figures come from
(:mod:`.versions`): its stored rows' while 已提交, 已审核 or 已公开; its frozen version's while
草稿 or 退回 after a submission; none while it was never submitted.

:func:`refresh` takes the table's row lock first (``entry.table_lock``): two transactions
saving projects of one table compute its figures one after the other, the second from what
the first committed, so neither update is lost.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q, Sum

from jixiao.web.entry import table_lock
from jixiao.web.entry.models import DisclosureTable, Status, Year

from . import data_version
from .amounts import AmountSum
from .models import BAND_FIELDS, GRADE_FIELDS, FindingStat, ProjectStat, ShownVersion, TableFigures, TableFindingCount

# The statuses whose stored rows are the figures; in the others a frozen version (if any) is.
# Plain strings: they are also parameters of the dashboard's raw SQL.
LIVE_STATUSES = (Status.SUBMITTED.value, Status.APPROVED.value, Status.PUBLISHED.value)
REVISING_STATUSES = (Status.DRAFT.value, Status.RETURNED.value)


def _aggregate(stats) -> dict:
    """The table's figures from its per-project rows, in one query (none for no rows: zeros and
    NULLs). Aliased ``x_…``: an aggregate may not share a column's name."""
    counts = {**{column: Q(rate_band=band) for band, column in BAND_FIELDS.items()},
              **{column: Q(grade=grade) for grade, column in GRADE_FIELDS.items()}}
    found = stats.aggregate(
        x_projects=Count("pk"), x_budget_e4=AmountSum("budget_e4"), x_actual_e4=AmountSum("actual_e4"),
        x_score_x100=Sum("score_x100"), x_scored=Count("score_x100"),
        x_evidence_gap_x100=Sum("evidence_gap_x100"), x_gapped=Count("evidence_gap_x100"),
        x_errors=Sum("errors", default=0), x_warnings=Sum("warnings", default=0),
        **{f"x_{column}": Count("pk", filter=q) for column, q in counts.items()})
    return {alias[2:]: value for alias, value in found.items()}


def compute(table, year: int) -> None:
    """Store ``table``'s figures and finding counts (``year``: its year's number)."""
    source, stats, findings, per_project = _source(table)
    fields = {"year": year, "department_id": table.department_id, "source": source, **_aggregate(stats)}
    if not TableFigures.objects.filter(table_id=table.pk).update(**fields):
        TableFigures.objects.create(table_id=table.pk, **fields)
    data_version.record()
    TableFindingCount.objects.filter(table_id=table.pk).delete()
    TableFindingCount.objects.bulk_create([
        TableFindingCount(table_id=table.pk, year=year, code=f["code"], severity=f["severity"], findings=f["n"],
                          projects=f["projects"])
        for f in findings.values("code", "severity").annotate(n=Count("pk"), projects=Count(per_project, distinct=True))
        .order_by()])


def _source(table):
    """(source, per-project rows, finding rows, the finding's project column) of ``table``: no
    rows while it was never submitted. The stored rows' figures are read through the table's
    projects: a project being deleted leaves them before its figures are deleted."""
    if table.status in REVISING_STATUSES and ShownVersion.objects.filter(table_id=table.pk).exists():
        return ("version", ProjectStat.objects.filter(version__table_id=table.pk),
                FindingStat.objects.filter(stat__version__table_id=table.pk), "stat")
    stats = ProjectStat.objects.filter(project__table_id=table.pk)
    findings = FindingStat.objects.filter(project__table_id=table.pk)
    if table.status in LIVE_STATUSES:
        return "rows", stats, findings, "project"
    return "none", stats.none(), findings.none(), "project"


@transaction.atomic
def refresh(table_id: int, rows_changed: bool = False) -> bool:
    """Compute the table's figures again, holding its row lock (inside the caller's
    transaction when there is one). False when the table no longer exists.

    ``rows_changed``: only the table's stored rows changed (a project saved or deleted). They
    are its figures only while 已提交, 已审核 or 已公开; in a draft or a returned table (an
    import, an editor's saves) nothing is computed — the lock is still taken, so a save never
    overtakes a submission's figures.
    """
    try:
        table = table_lock.locked(table_id)
    except DisclosureTable.DoesNotExist:
        return False
    if rows_changed and table.status not in LIVE_STATUSES:
        return True
    compute(table, Year.objects.values_list("year", flat=True).get(pk=table.year_id))
    return True


def rebuild(table_ids=None) -> int:
    """The figures of every table (``dashboard_refresh``), or of ``table_ids``, one
    transaction per table."""
    if table_ids is None:
        table_ids = DisclosureTable.objects.order_by("pk").values_list("pk", flat=True)
    return sum(1 for pk in table_ids if refresh(pk))
