"""The target review: 草稿 → 已提交 → 退回 / 已审核 (→ 草稿 again for an adjustment).

Mirrors the self-evaluation's workflow (review/workflow.py, whose transition helper is
bound to DisclosureTable): each transition locks the sheet's row, checks the status it finds
there and changes it in the same transaction, so of two people acting at once one wins and
the other gets TransitionError. Submission is refused while an error-severity JX6xx finding
stands (as the self-evaluation's gates refuse errors); an approval freezes the sheet as
targets JSON in its round — what the pre-fill copies and what JX611 compares with — and
publishes it (publication.py); each transition stores the sheet's JX6xx figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from jixiao.core import checks
from jixiao.core.target_sheet import TargetSheet as CoreSheet
from jixiao.web.entry.table_lock import atomic_retrying

from . import convert, publication
from .models import SheetStatus, TargetReason, TargetRound, TargetSheet


class TransitionError(Exception):
    """The sheet is no longer in the state the action needs (someone else acted first)."""


@dataclass
class Refused(Exception):
    """Submission refused: the error-severity findings that block it."""

    errors: list


TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((SheetStatus.DRAFT, SheetStatus.RETURNED), SheetStatus.SUBMITTED),
    "return": ((SheetStatus.SUBMITTED,), SheetStatus.RETURNED),
    "approve": ((SheetStatus.SUBMITTED,), SheetStatus.APPROVED),
    "reopen": ((SheetStatus.APPROVED,), SheetStatus.DRAFT),
}


def locked(pk: int) -> TargetSheet:
    return TargetSheet.objects.select_for_update().get(pk=pk)


def _claim(sheet: TargetSheet, action: str) -> TargetSheet:
    sources, target = TRANSITIONS[action]
    row = locked(sheet.pk)
    if row.status not in sources:
        sheet.status = row.status
        raise TransitionError(action)
    row.status = target
    row.save(update_fields=["status", "updated_at"])
    sheet.status, sheet.updated_at = row.status, row.updated_at
    return row


def findings(sheet: TargetSheet) -> list[checks.Finding]:
    return checks.check_target_sheet(convert.sheet_to_core(sheet))


def current_round(sheet: TargetSheet) -> TargetRound | None:
    return sheet.rounds.order_by("-number").first()


def approved_sheet(sheet: TargetSheet) -> CoreSheet | None:
    """The sheet as last approved (None if never approved)."""
    rnd = sheet.rounds.exclude(approved=None).order_by("-number").first()
    return convert.sheet_from_document(rnd.approved) if rnd is not None else None


@atomic_retrying
def submit(sheet: TargetSheet, user) -> TargetRound:
    row = locked(sheet.pk)
    if row.status in TRANSITIONS["submit"][0]:
        errors = [f for f in findings(row) if f.severity == "error"]
        if not row.projects.exists() or errors:
            raise Refused(errors)
    row = _claim(sheet, "submit")
    number = (row.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    rnd = TargetRound.objects.create(sheet=row, number=number, submitted_by=user, submitted_at=timezone.now())
    publication.record_quality(row)
    return rnd


def _decide(sheet: TargetSheet, user, action: str, decision: str) -> TargetRound:
    row = _claim(sheet, action)
    rnd = current_round(row)
    rnd.decision, rnd.decided_by, rnd.decided_at = decision, user, timezone.now()
    if decision == TargetRound.Decision.APPROVED:
        rnd.approved = convert.sheet_document(row)
    rnd.save()
    if decision == TargetRound.Decision.APPROVED:
        publication.publish(rnd)
    publication.record_quality(row)
    return rnd


@atomic_retrying
def return_sheet(sheet: TargetSheet, user, reasons: list[tuple]) -> TargetRound:
    """Send back with the bureau's reasons: ``(project or None, code, text)`` each, at least one."""
    if not reasons:
        raise ValueError("a return needs a reason")
    rnd = _decide(sheet, user, "return", TargetRound.Decision.RETURNED)
    for project, code, text in reasons:
        TargetReason.objects.create(round=rnd, project=project, code=code, text=text, author=user)
    return rnd


@atomic_retrying
def approve(sheet: TargetSheet, user) -> TargetRound:
    return _decide(sheet, user, "approve", TargetRound.Decision.APPROVED)


@atomic_retrying
def reopen(sheet: TargetSheet, user) -> None:
    row = _claim(sheet, "reopen")
    publication.mark_adjusting(row)
    publication.record_quality(row)
