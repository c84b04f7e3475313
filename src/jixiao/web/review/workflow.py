"""The review workflow: 草稿 → 已提交 → 退回 / 已审核 → 已公开 (→ 草稿 for a new revision, or
after a withdrawal; a later publication is a correction of the earlier one). A draft never
submitted can be deleted.

The review the 绩效目标表 shares (jixiao.web.workflow: each transition locks the table's row,
checks the status it finds there and changes it in the same transaction; the rounds), with what
is the self-evaluation's own: the submission gates, comments, publication and withdrawal.
"""

from __future__ import annotations

from dataclasses import asdict

from django.dispatch import Signal
from django.utils import timezone

from jixiao.web.entry import convert, table_lock
from jixiao.web.entry.models import Comment, DisclosureTable, Publication, ReviewRound, Status, Withdrawal
from jixiao.web.targets.changes import for_mof_form
from jixiao.web.workflow import Flow, TransitionError, current_round

from . import gates


# Sent inside the transition's transaction, after the status changed: ``table`` (the locked
# row, new status) and ``action``. The dashboard keeps the version it shows from it.
transitioned = Signal()

FLOW = Flow(signal=transitioned, reason=Comment)


@table_lock.atomic_retrying
def submit(table: DisclosureTable, user, explanations: dict[str, str] | None = None,
           blocking: tuple[str, ...] | None = None) -> ReviewRound:
    """Submit for review; :class:`.gates.Refused` (nothing changed) while the table has no
    projects or blocking findings, or while an open finding has no explanation. The gates are
    judged on the locked row, as the table is committed; ``blocking`` replaces the setting
    (the demo loads published originals as they are)."""
    explanations = explanations or {}

    def check(row):
        gate = gates.assess(row, blocking=blocking)
        if not gate.allowed:
            raise gates.Refused(gate)
        missing = gate.missing(explanations)
        if missing:
            raise gates.Refused(gate, missing)
        return {"explanations": gate.record(explanations)}

    return FLOW.submit(table, user, check)


@table_lock.atomic_retrying
def comment(table: DisclosureTable, user, text: str, project=None, field: str = "") -> Comment:
    locked = table_lock.locked(table.pk)  # a return or approval in flight is waited for
    rnd = current_round(locked)
    if locked.status != Status.SUBMITTED or rnd is None or rnd.decision:
        raise TransitionError("comment")
    return Comment.objects.create(round=rnd, project=project, field=field, text=text, author=user)


@table_lock.atomic_retrying
def return_table(table: DisclosureTable, user, text: str) -> ReviewRound:
    return FLOW.decide(table, user, "return", text=text)


@table_lock.atomic_retrying
def approve(table: DisclosureTable, user) -> ReviewRound:
    return FLOW.decide(table, user, "approve")


@table_lock.atomic_retrying
def publish(table: DisclosureTable, user, note: str = "", reason: str = "") -> Publication:
    """Publish the approved table. When it was published before, the new publication is a
    correction (更正) of the latest one: it names it (``corrects``) and ``reason`` says why;
    the older snapshot stays as it was, marked superseded."""
    table = FLOW.claim(table, "publish")
    earlier = table.publications.order_by("-number").first()
    number = (earlier.number if earlier else 0) + 1
    snapshot = convert.snapshot_document(table)
    # JX611 as it stands at publication: the portal notes these beside the projects.
    changed = [asdict(c) for c in for_mof_form(table, convert.table_from_document(snapshot))]
    return Publication.objects.create(table=table, number=number, snapshot=snapshot, target_changes=changed,
                                      published_by=user, published_at=timezone.now(), note=note,
                                      corrects=earlier, correction_reason=reason if earlier else "")


@table_lock.atomic_retrying
def withdraw(table: DisclosureTable, user, reason: str, publication: int | None = None) -> Withdrawal:
    """Withdraw (撤回) the table's latest publication with a public reason. A published table goes
    back to 草稿 so the department can prepare a correction; a table already being revised
    (reopened: 草稿, 退回, 已提交 or 已审核) keeps its status and its revision, which will be
    published as the correction. ``publication`` (its id), when given, must still be the latest
    one: TransitionError if another was published meanwhile, or it was withdrawn already."""
    locked = table_lock.locked(table.pk)
    latest = locked.publications.order_by("-number").first()
    if latest is None or (publication is not None and latest.pk != publication) or \
            Withdrawal.objects.filter(publication=latest).exists():
        table.status = locked.status
        raise TransitionError("withdraw")
    # A revision's status stays; the save records the withdrawal in the table's history (and
    # renews whatever is keyed on the table's rows), and listeners learn the shown version changed.
    FLOW.claim(table, "withdraw", stay=locked.status != Status.PUBLISHED, row=locked)
    return Withdrawal.objects.create(publication=latest, reason=reason, withdrawn_by=user,
                                     withdrawn_at=timezone.now())


@table_lock.atomic_retrying
def delete_table(table: DisclosureTable, user) -> None:
    """Delete a draft that was never submitted (no review round, no publication), with its
    projects; the history keeps the deleted rows (who and when: the request's user)."""
    locked = table_lock.locked(table.pk)
    if locked.status != Status.DRAFT or locked.rounds.exists() or locked.publications.exists():
        raise TransitionError("delete")
    locked.delete()


@table_lock.atomic_retrying
def reopen(table: DisclosureTable, user) -> None:
    """Start a new revision of a published table; the publication stays as it was."""
    FLOW.claim(table, "reopen")
