"""Publication of approved targets, and the stored target-quality figures.

部门预算公开 publishes each project's 绩效目标 with the budget, so an approval is also the
publication: there is no separate "publish" step a reviewer could forget, and what the public
sees is exactly what the bureau approved — the round's frozen targets JSON, never the live
sheet. A sheet reopened for an adjustment keeps its last approved version public, marked
``adjusting`` until the adjustment is approved (which publishes a new version and retires the
old one from ``current``). Everything here runs inside the workflow's transaction.

The dashboard's target-quality figures (count of JX6xx findings per department and year) are
stored the same way: one row per sheet, written when the sheet is submitted, returned,
approved or reopened, so no page view checks every project.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from . import convert, history
from .models import PublishedTargets, TargetQuality, TargetRound, TargetSheet


def publish(rnd: TargetRound) -> PublishedTargets:
    """Publish an approved round (called in the approval's transaction)."""
    sheet = rnd.sheet
    core = convert.sheet_from_document(rnd.approved)
    now = timezone.now()
    PublishedTargets.objects.filter(sheet=sheet, current=True).update(current=False, adjusting=False, changed_at=now)
    return PublishedTargets.objects.create(
        round=rnd, sheet=sheet, year=core.year, department_id_live=sheet.department_id,
        department=sheet.department.name, title=core.display_title[:400], money_unit=core.money_unit,
        published_at=rnd.decided_at or now, project_count=len(core.projects),
        indicator_count=sum(len(p.indicators) for p in core.projects), changed_at=now)


def mark_adjusting(sheet: TargetSheet) -> None:
    """The sheet was reopened: its public version stays, marked as under adjustment."""
    PublishedTargets.objects.filter(sheet=sheet, current=True).update(adjusting=True, changed_at=timezone.now())


def record_quality(sheet: TargetSheet) -> None:
    """Store the sheet's JX6xx findings as it stands now (its status included)."""
    core = convert.sheet_to_core(sheet)
    found = history.sheet_findings(sheet, core)  # JX612 too
    severities = Counter(f.severity for f in found)
    TargetQuality.objects.update_or_create(sheet=sheet, defaults=dict(
        year=sheet.year.year, department_id_live=sheet.department_id, department=sheet.department.name,
        status=sheet.status, projects=len(core.projects), indicators=sum(len(p.indicators) for p in core.projects),
        errors=severities["error"], warnings=severities["warning"],
        codes=dict(sorted(Counter(f.code for f in found).items())), checked_at=timezone.now()))
