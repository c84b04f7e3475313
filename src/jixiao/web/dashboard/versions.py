"""Which version of each table the dashboard shows, and the frozen figures of that version.

A table's stored rows are the version being worked on. While it is 已提交, 已审核 or 已公开
they are also the version the finance bureau has (the dashboard reads their :class:`.models.ProjectStat`).
While it is 草稿 or 退回 — a new revision of a published table, or a returned submission being
corrected — they are nobody's figures: the dashboard keeps showing the version it showed
before, frozen in :class:`.models.ShownVersion` when the table left it:

- starting a new revision (已公开 → 草稿) freezes the latest publication, computed from its
  snapshot (what the portal shows);
- returning a submission (已提交 → 退回) freezes the submission as submitted, unless a
  publication is already frozen (a returned revision leaves the published figures in place);
- publishing drops the frozen version (the stored rows are the published ones again);
- withdrawing the publication a revision froze drops it (a withdrawn publication is nobody's
  figures either): a returned revision then shows its submission as submitted, a draft none.

A table that was never submitted has no version: it counts as not submitted (未报送).
"""

from __future__ import annotations

from django.db.models import Max

from jixiao.web.entry import convert
from jixiao.web.entry.models import DisclosureTable, ReviewRound, Status, Withdrawal

from . import stats, table_figures
from .models import FindingStat, ProjectStat, ShownVersion
from .table_figures import REVISING_STATUSES


def freeze(table: DisclosureTable, core_table, number: int, kind: str, at, publication=None) -> ShownVersion:
    """Store ``core_table``'s figures as the version ``table`` shows (replacing any other)."""
    ShownVersion.objects.filter(table=table).delete()
    version = ShownVersion.objects.create(table=table, number=number, kind=kind, at=at, publication=publication)
    rows, found = [], []
    for position, core in enumerate(core_table.projects):
        fields, findings = stats.core_fields(core, core_table, table)
        rows.append(ProjectStat(version=version, seq=core.seq or 0, name=core.name[:300], position=position,
                                **fields))
        found.append(findings)
    ProjectStat.objects.bulk_create(rows, batch_size=500)
    FindingStat.objects.bulk_create(
        [FindingStat(stat=row, table=table, year=row.year, code=code, severity=severity)
         for row, findings in zip(rows, found) for code, severity in findings], batch_size=1000)
    table_figures.refresh(table.pk)
    return version


def freeze_publication(table: DisclosureTable) -> ShownVersion | None:
    """Freeze the table's latest publication (from its snapshot, as the portal shows it), unless
    it was withdrawn."""
    publication = table.publications.order_by("-number").first()
    if publication is None or Withdrawal.objects.filter(publication=publication).exists():
        return None
    approved = table.rounds.filter(decision=ReviewRound.Decision.APPROVED).aggregate(n=Max("number"))["n"]
    return freeze(table, convert.table_from_document(publication.snapshot), approved or 0,
                  ShownVersion.Kind.PUBLISHED, publication.published_at, publication)


def freeze_submission(table: DisclosureTable) -> ShownVersion | None:
    """Freeze the stored rows as the latest submission (called when it is returned)."""
    rnd = table.rounds.order_by("-number").first()
    if rnd is None:
        return None
    table = DisclosureTable.objects.select_related("year", "department").get(pk=table.pk)
    return freeze(table, convert.table_to_core(table), rnd.number, ShownVersion.Kind.SUBMITTED, rnd.submitted_at)


def on_transition(table: DisclosureTable, action: str) -> None:
    if action == "reopen":
        freeze_publication(table)
    elif action == "return":
        if not ShownVersion.objects.filter(table=table, kind=ShownVersion.Kind.PUBLISHED).exists():
            freeze_submission(table)
    elif action == "publish":
        ShownVersion.objects.filter(table=table).delete()
    elif action == "withdraw":
        ShownVersion.objects.filter(table=table, kind=ShownVersion.Kind.PUBLISHED).delete()
        if table.status == Status.RETURNED:
            freeze_submission(table)
        else:
            table_figures.refresh(table.pk)  # the status may not change: the figures do


def backfill() -> int:
    """Freeze a version for tables being revised that have none (stored before versions were
    kept): the latest publication, else — a returned first submission — the stored rows, the
    only copy of it there is. Returns how many tables got one."""
    tables = DisclosureTable.objects.filter(status__in=REVISING_STATUSES, shown_version__isnull=True,
                                            rounds__isnull=False).distinct().select_related("year", "department")
    return sum(1 for table in tables
               if freeze_publication(table) or (table.status == Status.RETURNED and freeze_submission(table)))


def refresh() -> int:
    """Recompute the frozen publications' figures from their snapshots (after the scoring or
    the checks changed; ``dashboard_refresh``). A frozen submission is kept as it was: its rows
    have been edited since, it has no other copy."""
    versions = ShownVersion.objects.filter(kind=ShownVersion.Kind.PUBLISHED).select_related(
        "table__year", "table__department")
    return sum(1 for version in versions if freeze_publication(version.table))
