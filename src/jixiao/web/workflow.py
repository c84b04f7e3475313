"""The review the self-evaluation table and the 绩效目标表 both go through, written once: the
statuses 草稿 → 已提交 → 退回 / 已审核, the round each submission opens and the finance bureau
decides, and the transitions. Each workflow adds its own (review/workflow.py: gates,
publication, withdrawal; targets/workflow.py: the JX6xx refusal, the frozen approval, the
adjustment).

A transition locks the record's row (``SELECT … FOR UPDATE``; on SQLite an immediate
transaction: entry/table_lock.py), checks the status it finds there and changes it in the same
transaction, so of two people pressing buttons at once one wins and the other gets
TransitionError ("the state has changed"), never a database error. The winner's save of the
status is the transition's entry in the record's history (who and when).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已公开")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

# Each action: the statuses it starts from, the status it leads to. A return or an approval
# decides the round under the name of the status it leads to (退回 returned, 审核通过 approved).
REVIEW = {
    "submit": ((Status.DRAFT, Status.RETURNED), Status.SUBMITTED),
    "return": ((Status.SUBMITTED,), Status.RETURNED),
    "approve": ((Status.SUBMITTED,), Status.APPROVED),
}


class Reviewed(models.Model):
    """A department's record of one year that goes through review."""

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["-year__year", "department__name"]

    def __str__(self) -> str:
        return f"{self.year.year} {self.department.name}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Round(models.Model):
    """One submission and the finance bureau's decision on it (退回 or 审核通过)."""

    class Decision(models.TextChoices):
        PENDING = "", _("待审核")
        RETURNED = "returned", _("退回")
        APPROVED = "approved", _("审核通过")

    number = models.PositiveIntegerField(_("轮次"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("提交人"))
    submitted_at = models.DateTimeField(_("提交时间"))
    decision = models.CharField(_("审核结论"), max_length=20, choices=Decision.choices, blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class Remark(models.Model):
    """What a reviewer wrote in a round (a comment, a reason for returning)."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("审核人"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class TransitionError(Exception):
    """The record is no longer in the state the action needs (someone else acted first)."""


class Refused(Exception):
    """Submission refused by what the record's workflow requires first (nothing changed)."""


def locked(model, pk: int):
    """The row as committed now, locked until the transaction ends (call inside one)."""
    # No joins: FOR UPDATE would lock the year's and the department's rows as well.
    return model.objects.select_for_update().get(pk=pk)


def current_round(record) -> Round | None:
    return record.rounds.order_by("-number").first()


@dataclass(frozen=True)
class Flow:
    """A workflow's transitions, and the signal sent inside each one's transaction, after the
    status changed (``table``: the locked row, ``action``), when listeners need it."""

    transitions: dict[str, tuple[tuple[str, ...], str]]
    signal: Signal | None = None

    def claim(self, record, action: str):
        """The record's row, locked, moved to the action's status (TransitionError if its committed
        status does not allow the action); ``record`` is updated to match."""
        sources, target = self.transitions[action]
        row = locked(type(record), record.pk)
        if row.status not in sources:
            record.status = row.status
            raise TransitionError(action)
        row.status = target
        row.save(update_fields=["status", "updated_at"])
        record.status, record.updated_at = row.status, row.updated_at
        if self.signal is not None:
            self.signal.send(sender=type(record), table=row, action=action)
        return row

    def submit(self, record, user, check=None) -> Round:
        """Open the next round. ``check(row)`` judges the locked row, as committed, while its status
        allows a submission: it raises a :class:`Refused` or returns what the round keeps."""
        row = locked(type(record), record.pk)
        fields = check(row) if check is not None and row.status in self.transitions["submit"][0] else {}
        row = self.claim(record, "submit")
        number = (row.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
        return row.rounds.create(number=number, submitted_by=user, submitted_at=timezone.now(), **fields)

    def decide(self, record, user, action: str, **fields) -> Round:
        """Return or approve: the status changed, the current round decided (with ``fields``)."""
        rnd = current_round(self.claim(record, action))
        rnd.decision = rnd.Decision(self.transitions[action][1])
        rnd.decided_by, rnd.decided_at = user, timezone.now()
        for name, value in fields.items():
            setattr(rnd, name, value)
        rnd.save()
        return rnd
