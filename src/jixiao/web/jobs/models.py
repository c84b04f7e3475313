"""A background job as a row: what it does, how far it got, and what came of it.

The row is the job's whole state (Celery keeps no result backend): a web restart or a worker
restart loses nothing but the work in flight, and the page reads progress and outcome from
here. The message is data — a code of :mod:`.messages` and its parameters — so it is rendered
in the reader's language when the page is shown, never stored as text in one language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", _("导入文件")
        CONFIRM = "confirm", _("保存导入")
        PUBLISH = "publish", _("公开发布")
        EXPORT = "export", _("批量导出")
        TARGETS_IMPORT = "targets_import", _("导入绩效目标表")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    FINISHED = (State.SUCCEEDED, State.FAILED)

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.QUEUED)
    # What the job works on: department, year, table, form fields… (JSON values only).
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message_code = models.CharField(max_length=40, default="queued")
    message_params = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs",
                                   verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # The delivery working on the job now: a re-delivered task takes the job over, and only the
    # delivery holding the claim may record the outcome (runner.py).
    claim = models.CharField(max_length=36, blank=True, default="")
    # Files under JIXIAO_DATA_DIR/jobs/<id>/ (paths relative to JIXIAO_DATA_DIR).
    input_file = models.CharField(max_length=255, blank=True, default="")
    result_file = models.CharField(max_length=255, blank=True, default="")
    result_name = models.CharField(max_length=255, blank=True, default="")  # the download's file name
    # The outcome's objects: {"import_run": pk}, {"table": pk, "publication": pk}, …
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["started_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    def refuse(self, code: str) -> None:
        """Fail the job before any delivery ran it (its upload not stored, its message not
        queued): nothing was done, and its page says ``code`` at once instead of 排队中."""
        Job.objects.filter(pk=self.pk, state=self.State.QUEUED).update(
            state=self.State.FAILED, message_code=code, message_params={}, finished_at=timezone.now())
        self.refresh_from_db()
