"""What the web application stores: years, departments, disclosure tables and their projects,
import runs, review rounds with comments, and frozen publications.

The models only store; all computing (totals, execution rates, checks, scores, exports)
happens in the core on a :class:`jixiao.core.model.Table` built by :mod:`.convert`.
Every record keeps its history (django-simple-history): who changed what, when.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jixiao.core.money import MoneyUnit
from jixiao.core.taxonomy import DISCLOSURE_2019
from jixiao.web.workflow import REVIEW, Remark, Reviewed, Round, Status

AMOUNT = dict(max_digits=20, decimal_places=4, null=True, blank=True)

# The tables whose rows the running table_lock.atomic_retrying function has locked (None
# outside one): a write of one of their projects does not lock the table again.
held_tables: ContextVar[set[int] | None] = ContextVar("jixiao_held_table_locks", default=None)


class Year(models.Model):
    year = models.PositiveIntegerField(_("年度"), unique=True)
    deadline = models.DateField(_("报送截止日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度")
        verbose_name_plural = _("年度")

    def __str__(self) -> str:
        return str(self.year)


class Department(models.Model):
    name = models.CharField(_("部门名称"), max_length=200, unique=True)
    short_name = models.CharField(_("部门简称"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


class AnnualForm(Reviewed):
    """A department's form of one year under review (the self-evaluation's 公开表, the
    绩效目标表): the title and money unit its heading prints, and the scoring profile it follows."""

    title = models.CharField(_("标题"), max_length=300, blank=True)
    money_unit = models.CharField(_("金额单位"), max_length=10, default=MoneyUnit.WAN_YUAN.value,
                                  choices=[(u.value, u.value) for u in MoneyUnit])
    # central, hubei, sichuan (core/scoring/profiles.py); blank = the configured default.
    profile = models.CharField(_("评分方案"), max_length=32, blank=True, default="")

    class Meta(Reviewed.Meta):
        abstract = True


class DisclosureTable(AnnualForm):
    """A department's 预算项目绩效自评情况公开表 for one year."""

    transitions = {
        **REVIEW,
        "publish": ((Status.APPROVED,), Status.PUBLISHED),
        "reopen": ((Status.PUBLISHED,), Status.DRAFT),  # a new revision; the publication stays
        # A table being revised keeps its status when its publication is withdrawn (review/workflow.py).
        "withdraw": ((Status.PUBLISHED,), Status.DRAFT),
    }

    year = models.ForeignKey(Year, on_delete=models.PROTECT, related_name="tables", verbose_name=_("年度"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tables",
                                   verbose_name=_("部门"))
    attachment = models.CharField(_("附件编号"), max_length=50, blank=True, default="附件2-3")
    department_short = models.CharField(_("部门简称"), max_length=100, blank=True)
    columns_note = models.TextField(_("栏目说明"), blank=True)
    layout = models.JSONField(_("指标栏目"), default=list)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta(AnnualForm.Meta):
        constraints = [models.UniqueConstraint(fields=["year", "department"], name="one_table_per_year_department")]
        verbose_name = _("自评公开表")
        verbose_name_plural = _("自评公开表")

    @property
    def layout_keys(self) -> tuple[str, ...]:
        return tuple(self.layout) if self.layout else DISCLOSURE_2019


class FormProject(models.Model):
    """One project of an annual form: its place (序号), its name, and who changed it last."""

    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("项目名称"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("最后修改人"))
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"


class Project(FormProject):
    """One row of the table (项目). Indicator cells are stored as table JSON cells:
    ``{kind: {"target": …, "actual": …, "weight": "20", "items": [{"name": …, "weight": …}]}}``
    (``weight``/``items`` only when given); ``published`` is the table-JSON ``published`` object."""

    table = models.ForeignKey(DisclosureTable, on_delete=models.CASCADE, related_name="projects",
                              verbose_name=_("自评公开表"))
    unit_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    gov_investment = models.BooleanField(_("是否政府投资项目"), null=True, blank=True)
    initial_budget = models.DecimalField(_("年初预算数"), **AMOUNT)
    budget = models.DecimalField(_("项目年度预算金额"), **AMOUNT)
    actual_total = models.DecimalField(_("实际支出金额合计"), **AMOUNT)
    actual_general_budget = models.DecimalField(_("一般公共预算"), **AMOUNT)
    actual_gov_fund = models.DecimalField(_("政府性基金预算"), **AMOUNT)
    actual_non_fiscal = models.DecimalField(_("非财政拨款资金"), **AMOUNT)
    execution_rate_text = models.CharField(_("预算支出执行率（填报）"), max_length=30, blank=True)
    annual_goal = models.TextField(_("年初绩效目标"), blank=True)
    overall_completion = models.TextField(_("绩效目标整体完成情况"), blank=True)
    indicators = models.JSONField(_("绩效指标"), default=dict, blank=True)
    problems = models.TextField(_("项目执行中存在的问题"), blank=True)
    rectification = models.TextField(_("整改情况"), blank=True)
    overrides = models.JSONField(_("评分调整"), default=list, blank=True)
    published = models.JSONField(_("公开表所载评分"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["table", "seq", "pk"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")

    # Lock order, table before project (table_lock.py), for every write of a project: the entry
    # views lock the table first, but the admin and scripts call save() or delete() directly,
    # and the dashboard's figures (dashboard/signals.py) lock the table only after the
    # project's row is written; PostgreSQL would abort one of two such transactions as a
    # deadlock. Inside the entry's writes the table is held already (held_tables): no query.
    def save(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            self._lock_table()
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            self._lock_table()
            return super().delete(*args, **kwargs)

    def _lock_table(self) -> None:
        held = held_tables.get()
        if self.table_id is not None and self.table_id not in (held or ()):
            DisclosureTable.objects.select_for_update().filter(pk=self.table_id).exists()
            if held is not None:
                held.add(self.table_id)


class FrozenError(Exception):
    """A publication is never changed once written; publish again instead."""


class ImportRun(models.Model):
    """One upload: what was read, what was found, and whether it was saved."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("待确认")
        CONFIRMED = "confirmed", _("已保存")
        CANCELLED = "cancelled", _("已取消")

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="import_runs",
                                   verbose_name=_("部门"))
    year = models.PositiveIntegerField(_("年度"))
    # The year the file itself names, when the upload chose another one (year is where it goes).
    file_year = models.PositiveIntegerField(_("文件中的年度"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("上传人"))
    filename = models.CharField(_("文件名"), max_length=255)
    kind = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PREVIEW)
    project_count = models.PositiveIntegerField(_("项目数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    warning_count = models.PositiveIntegerField(_("警告数"), default=0)
    report = models.JSONField(_("导入报告"), default=list, blank=True)
    table_document = models.JSONField(_("读取到的表（JSON）"), default=dict)
    table = models.ForeignKey(DisclosureTable, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="import_runs", verbose_name=_("保存到"))
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")


class ReviewRound(Round):
    table = models.ForeignKey(DisclosureTable, on_delete=models.CASCADE, related_name="rounds",
                              verbose_name=_("自评公开表"))
    # The open warnings at submission, each with the department's explanation
    # (review/gates.py: the finding's fields, its key and "explanation").
    explanations = models.JSONField(_("警告说明"), default=list, blank=True)

    class Meta:
        ordering = ["table", "number"]
        constraints = [models.UniqueConstraint(fields=["table", "number"], name="one_round_number_per_table")]
        verbose_name = _("审核轮次")
        verbose_name_plural = _("审核轮次")


class Comment(Remark):
    """A reviewer's comment in a review round, on the table or on one project (and field)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments",
                              verbose_name=_("审核轮次"))
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments",
                                verbose_name=_("项目"))
    field = models.CharField(_("栏目"), max_length=60, blank=True)
    text = models.TextField(_("审核意见"))

    class Meta(Remark.Meta):
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")


class Publication(models.Model):
    """A frozen copy of a table as published: the public sees only these snapshots."""

    table = models.ForeignKey(DisclosureTable, on_delete=models.PROTECT, related_name="publications",
                              verbose_name=_("自评公开表"))
    number = models.PositiveIntegerField(_("发布序号"))
    snapshot = models.JSONField(_("公开内容（表 JSON）"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("公开时间"))
    note = models.TextField(_("发布说明"), blank=True)
    # A correction (更正) names the publication it supersedes and why; the older one stays as it
    # was, reachable and marked superseded.
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
                                 verbose_name=_("更正的公开"))
    correction_reason = models.TextField(_("更正理由"), blank=True)
    # The approved targets the table stated otherwise when published (JX611; fields of
    # jixiao.core.prefill.ChangedTarget): the portal notes them, as the MoF form does.
    target_changes = models.JSONField(_("审核通过后改变的绩效目标"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "-number"]
        constraints = [models.UniqueConstraint(fields=["table", "number"], name="one_publication_number_per_table")]
        verbose_name = _("公开发布")
        verbose_name_plural = _("公开发布")

    def save(self, *args, **kwargs):
        # What the public saw must stay provable: a publication is written once.
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise FrozenError("a publication cannot be changed; publish again")
        super().save(*args, **kwargs)


class Withdrawal(models.Model):
    """A publication withdrawn (撤回) with a public reason: the snapshot itself is never touched
    and stays reachable on the portal, marked withdrawn with the date and the reason."""

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="withdrawal",
                                       verbose_name=_("公开发布"))
    reason = models.TextField(_("撤回理由"))
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("撤回人"))
    withdrawn_at = models.DateTimeField(_("撤回时间"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-withdrawn_at"]
        verbose_name = _("撤回")
        verbose_name_plural = _("撤回")


def publication_status(pub: Publication) -> dict:
    """A publication's public status: ``published``, ``withdrawn`` (with when and why) or
    ``superseded`` (by a correction: which, when, why); a withdrawn one also names its
    correction once there is one."""
    withdrawal = Withdrawal.objects.filter(publication=pub).first()
    correction = pub.corrections.order_by("number").first()
    status = "withdrawn" if withdrawal else "superseded" if correction else "published"
    return {"status": status, "withdrawal": withdrawal, "correction": correction}
