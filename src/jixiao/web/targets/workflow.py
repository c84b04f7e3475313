"""The target review: 草稿 → 已提交 → 退回 / 已审核 (→ 草稿 again for an adjustment).

The self-evaluation's review (jixiao.web.workflow: the row locked, the status checked and
changed in one transaction, the rounds) with what is the targets' own: submission is refused
while an error-severity JX6xx finding stands (as the self-evaluation's gates refuse errors); an
approval freezes the sheet as targets JSON in its round — what the pre-fill copies and what
JX611 compares with — and publishes it (publication.py); each transition stores the sheet's
JX6xx figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

from jixiao.core import checks
from jixiao.core.target_sheet import TargetSheet as CoreSheet
from jixiao.formats import targets_json
from jixiao.web import workflow
from jixiao.web.entry.table_lock import atomic_retrying

from . import convert, publication
from .models import TargetReason, TargetRound, TargetSheet

# Sent inside each transition's transaction once the status changed (``table``: the locked row):
# every transition stores the sheet's JX6xx figures as they now stand.
transitioned = Signal()
transitioned.connect(lambda table, **kwargs: publication.record_quality(table), weak=False)
FLOW = workflow.Flow(signal=transitioned, reason=TargetReason)


@dataclass
class Refused(workflow.Refused):
    """Submission refused: the error-severity findings that block it."""

    errors: list


def approved_sheet(sheet: TargetSheet) -> CoreSheet | None:
    """The sheet as last approved (None if never approved)."""
    rnd = sheet.rounds.exclude(approved=None).order_by("-number").first()
    return convert.sheet_from_document(rnd.approved) if rnd is not None else None


def _check(row: TargetSheet) -> dict:
    errors = [f for f in checks.check_target_sheet(convert.sheet_to_core(row)) if f.severity == "error"]
    if not row.projects.exists() or errors:
        raise Refused(errors)
    return {}


@atomic_retrying
def submit(sheet: TargetSheet, user) -> TargetRound:
    return FLOW.submit(sheet, user, _check)


@atomic_retrying
def return_sheet(sheet: TargetSheet, user, text: str, project: int | None = None, code: str = "") -> TargetRound:
    """Send back with the bureau's reason, on the whole sheet or on one project (its id)."""
    return FLOW.decide(sheet, user, "return", text=text, project_id=project, code=code)


@atomic_retrying
def approve(sheet: TargetSheet, user) -> TargetRound:
    # Frozen from the locked row, as committed (no edit comes between: edits lock it too).
    rnd = FLOW.decide(sheet, user, "approve",
                      lambda row: {"approved": targets_json.to_document(convert.sheet_to_core(row))})
    publication.publish(rnd)
    return rnd


@atomic_retrying
def reopen(sheet: TargetSheet, user) -> None:
    publication.mark_adjusting(FLOW.claim(sheet, "reopen"))
