"""The review workflow: 草稿 → 已提交 → 退回 / 已审核 → 已公开 (→ 草稿 for a new revision).

Each transition claims the table with a conditional UPDATE on its current status, so two
people pressing the same button at once cannot both succeed; the winner's save() then
records the change in the history (who and when).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jixiao.web.entry import convert
from jixiao.web.entry.models import Comment, DisclosureTable, Publication, ReviewRound, Status


class TransitionError(Exception):
    """The table is no longer in the state the action needs (someone else acted first)."""


TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((Status.DRAFT, Status.RETURNED), Status.SUBMITTED),
    "return": ((Status.SUBMITTED,), Status.RETURNED),
    "approve": ((Status.SUBMITTED,), Status.APPROVED),
    "publish": ((Status.APPROVED,), Status.PUBLISHED),
    "reopen": ((Status.PUBLISHED,), Status.DRAFT),
}


def _claim(table: DisclosureTable, action: str) -> None:
    sources, target = TRANSITIONS[action]
    if table.status not in sources:
        raise TransitionError(action)
    claimed = DisclosureTable.objects.filter(pk=table.pk, status=table.status).update(status=target)
    if claimed != 1:
        raise TransitionError(action)
    table.status = target
    table.save(update_fields=["status", "updated_at"])


def current_round(table: DisclosureTable) -> ReviewRound | None:
    return table.rounds.order_by("-number").first()


@transaction.atomic
def submit(table: DisclosureTable, user) -> ReviewRound:
    _claim(table, "submit")
    number = (table.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    return ReviewRound.objects.create(table=table, number=number, submitted_by=user, submitted_at=timezone.now())


@transaction.atomic
def comment(table: DisclosureTable, user, text: str, project=None, field: str = "") -> Comment:
    rnd = current_round(table)
    if table.status != Status.SUBMITTED or rnd is None or rnd.decision:
        raise TransitionError("comment")
    return Comment.objects.create(round=rnd, project=project, field=field, text=text, author=user)


def _decide(table: DisclosureTable, user, action: str, decision: str) -> ReviewRound:
    rnd = current_round(table)
    _claim(table, action)
    rnd.decision = decision
    rnd.decided_by = user
    rnd.decided_at = timezone.now()
    rnd.save()
    return rnd


@transaction.atomic
def return_table(table: DisclosureTable, user, text: str) -> ReviewRound:
    rnd = _decide(table, user, "return", ReviewRound.Decision.RETURNED)
    Comment.objects.create(round=rnd, text=text, author=user)
    return rnd


@transaction.atomic
def approve(table: DisclosureTable, user) -> ReviewRound:
    return _decide(table, user, "approve", ReviewRound.Decision.APPROVED)


@transaction.atomic
def publish(table: DisclosureTable, user, note: str = "") -> Publication:
    _claim(table, "publish")
    number = (table.publications.aggregate(n=Max("number"))["n"] or 0) + 1
    return Publication.objects.create(table=table, number=number, snapshot=convert.snapshot_document(table),
                                      published_by=user, published_at=timezone.now(), note=note)


@transaction.atomic
def reopen(table: DisclosureTable, user) -> None:
    """Start a new revision of a published table; the publication stays as it was."""
    _claim(table, "reopen")
