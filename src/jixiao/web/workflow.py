"""The review the self-evaluation table and the 绩效目标表 both go through, written once: the
statuses 草稿 → 已提交 → 退回 / 已审核, the round each submission opens and the finance bureau
decides, the transitions, and how a view acts on a status and says what happened. Each workflow
adds its own (review/workflow.py: gates, publication, withdrawal; targets/workflow.py: the JX6xx
refusal, the frozen approval, the adjustment).

A transition locks the record's row (``SELECT … FOR UPDATE``; on SQLite an immediate
transaction: entry/table_lock.py), checks the status it finds there and changes it in the same
transaction, so of two people pressing buttons at once one wins and the other gets
TransitionError ("the state has changed"), never a database error. The winner's save of the
status is the transition's entry in the record's history (who and when).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.db import models
from django.db.models import Max
from django.dispatch import Signal
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已公开")


# Each action: the statuses it starts from, the status it leads to (a record adds its own). A
# return or an approval decides the round under the name of the status it leads to.
REVIEW = {
    "submit": ((Status.DRAFT, Status.RETURNED), Status.SUBMITTED),
    "return": ((Status.SUBMITTED,), Status.RETURNED),
    "approve": ((Status.SUBMITTED,), Status.APPROVED),
}


class Reviewed(models.Model):
    """A department's record of one year that goes through review."""

    transitions = REVIEW
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
        return self.status in (Status.DRAFT, Status.RETURNED)

    def allows(self, action: str) -> bool:
        """Whether the status allows the transition ``action``."""
        return self.status in self.transitions[action][0]


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
    """The record's transitions, with the signal sent inside each one's transaction after the
    status changed (``table``: the locked row, ``action``), and the :class:`Remark` model that
    keeps a return's reason."""

    signal: Signal
    reason: type[Remark]

    def claim(self, record, action: str, stay: bool = False, row=None):
        """The record's row, locked, moved to the action's status (TransitionError if its committed
        status does not allow the action) — or, ``stay``, saved in its status, which the caller
        judged: the history records the action all the same, and the listeners learn of it;
        ``record`` is updated to match. ``row``: the row the caller locked in this transaction."""
        row = row if row is not None else locked(type(record), record.pk)
        if not stay and not row.allows(action):
            record.status = row.status
            raise TransitionError(action)
        row.status = row.status if stay else row.transitions[action][1]
        row.save(update_fields=["status", "updated_at"])
        record.status, record.updated_at = row.status, row.updated_at
        self.signal.send(sender=type(record), table=row, action=action)
        return row

    def submit(self, record, user, check) -> Round:
        """Open the next round. ``check(row)`` judges the locked row, as committed, while its status
        allows a submission: it raises a :class:`Refused` or returns what the round keeps."""
        row = locked(type(record), record.pk)
        fields = check(row) if row.allows("submit") else {}
        row = self.claim(record, "submit", row=row)
        number = (row.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
        return row.rounds.create(number=number, submitted_by=user, submitted_at=timezone.now(), **fields)

    def decide(self, record, user, action: str, keep=None, **reason) -> Round:
        """Return or approve: the status changed, the current round decided. ``keep(row)`` judges
        the locked row, as committed, once the action is allowed: it returns what else the round
        keeps of it (an approval's frozen copy). ``reason``: the reviewer's (``text``, and what it
        concerns), kept in the round (a return's)."""
        row = self.claim(record, action)
        rnd = current_round(row)
        rnd.decision = rnd.Decision(row.status)
        rnd.decided_by, rnd.decided_at = user, timezone.now()
        for name, value in (keep(row) if keep is not None else {}).items():
            setattr(rnd, name, value)
        rnd.save()
        if reason:
            self.reason.objects.create(round=rnd, author=user, **reason)
        return rnd


DONE = {
    "submit": _("已提交财政局审核。"),
    "approve": _("已审核通过。"),
    "return": _("已退回部门修改。"),
    "publish": _("已公开。"),
    "reopen": _("已开始新的修订（公开内容保持不变，直到再次公开）。"),
    "comment": _("审核意见已保存。"),
    "withdraw": _("已撤回公开：公开页面标明撤回及理由；表已回到草稿，可修改后作为更正重新公开。"),
    "withdraw_revision": _("已撤回公开：公开页面标明撤回及理由；正在进行的修订不受影响，再次公开时即为更正。"),
    "delete": _("自评表已删除。"),
}
# Someone else acted first (TransitionError): said alike by an action and by a job (jobs/messages.py).
STATE_CHANGED = _("操作未执行：表的状态已被他人改变，请刷新后重试。")


def act(request, record, change, *, page: str, said: str | None, form=None, invalid=None, refused=None,
        done: str | None = None):
    """Every workflow POST has this one shape, so every action of both workflows answers alike.

    ``record`` was found (404) and the action allowed (403) by the caller. A form
    (``form(data, record)``) that is invalid is answered by ``invalid(form)``; then ``change(record,
    user, **cleaned_data)``, a transition, may be refused (:class:`Refused`: ``refused(exc)``
    answers). Both answer with a page, or a message shown on the record's ``page`` (a URL name).
    Done: the message ``DONE[said]`` (none if None) and the record's page, or ``done`` (a URL
    name); someone else acted first (TransitionError): the record's page says so.
    """
    fields = {}
    if form is not None:
        bound = form(request.POST, record)
        if not bound.is_valid():
            return _answer(request, invalid(bound), page, record)
        fields = bound.cleaned_data
    try:
        change(record, request.user, **fields)
    except TransitionError:
        return _answer(request, str(STATE_CHANGED), page, record)
    except Refused as exc:
        if refused is None:
            raise
        return _answer(request, refused(exc), page, record)
    return _done(request, record, page, said, done)


def act_by_job(request, record, job, *, page: str, said: str):
    """A transition a background job makes (jobs/), answered as :func:`act` answers once the job
    has run (no broker: it ran in this process): done, the message ``DONE[said]`` and the record's
    ``page``; someone else acted first (the job's ``state_changed``), act's message on the job's
    page, which shows every other outcome and the progress of a job still to run."""
    if job.state == job.State.SUCCEEDED:
        return _done(request, record, page, said)
    if job.message_code == "state_changed":
        messages.error(request, str(STATE_CHANGED))
    return redirect(job)


def _done(request, record, page: str, said: str | None, done: str | None = None):
    if said is not None:
        messages.success(request, str(DONE[said]))
    return redirect(done) if done is not None else redirect(page, pk=record.pk)


def _answer(request, answer, page: str, record):
    if isinstance(answer, HttpResponse):
        return answer
    messages.error(request, answer)
    return redirect(page, pk=record.pk)
