"""What the web app stores of a 绩效目标表: a department's sheet per year with its workflow
status, its projects and their 三级 indicators as fields (the core model's, so the finance
bureau's checks and the pre-fill work on them), and the review rounds with the bureau's
reasons and, once approved, the approved sheet frozen as targets JSON.

Why the approved copy is frozen: targets changed quietly after approval are the usual
complaint; keeping what was approved lets the reviewer see approved beside new (JX611) and
lets each indicator be traced from its approved target. Every record keeps its history
(django-simple-history): who changed what, when.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jixiao.core.target_sheet import BASIS_NAMES, NATURE_SYMBOLS
from jixiao.core.taxonomy import KINDS
from jixiao.web.entry.models import AMOUNT, AnnualForm, Department, FormProject, Year
from jixiao.web.workflow import REVIEW, Remark, Round, Status

# The target review's statuses: the self-evaluation's, without publication.
SheetStatus = models.TextChoices("SheetStatus", [(s.name, (s.value, s.label)) for s in Status
                                                 if s != Status.PUBLISHED])


class TargetSheet(AnnualForm):
    """A department's 项目支出绩效目标表 for one budget year."""

    # An approved sheet is reopened for an adjustment (调整), which goes through review again.
    transitions = {**REVIEW, "reopen": ((SheetStatus.APPROVED,), SheetStatus.DRAFT)}

    year = models.ForeignKey(Year, on_delete=models.PROTECT, related_name="target_sheets", verbose_name=_("年度"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="target_sheets",
                                   verbose_name=_("部门"))
    status = models.CharField(_("状态"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)

    class Meta(AnnualForm.Meta):
        constraints = [models.UniqueConstraint(fields=["year", "department"], name="one_target_sheet_per_year")]
        verbose_name = _("绩效目标表")
        verbose_name_plural = _("绩效目标表")


class TargetProject(FormProject):
    """One project's form: funds, 年度总体目标 and its indicators."""

    sheet = models.ForeignKey(TargetSheet, on_delete=models.CASCADE, related_name="projects",
                              verbose_name=_("绩效目标表"))
    department_name = models.CharField(_("主管部门"), max_length=200, blank=True)
    unit = models.CharField(_("实施单位"), max_length=200, blank=True)
    total = models.DecimalField(_("年度资金总额"), **AMOUNT)
    fiscal = models.DecimalField(_("其中：财政拨款"), **AMOUNT)
    other = models.DecimalField(_("其他资金"), **AMOUNT)
    goal = models.TextField(_("年度总体目标"), blank=True)

    class Meta:
        ordering = ["sheet", "seq", "pk"]
        verbose_name = _("目标项目")
        verbose_name_plural = _("目标项目")


class TargetIndicator(models.Model):
    """One 三级 indicator with its target as fields."""

    project = models.ForeignKey(TargetProject, on_delete=models.CASCADE, related_name="indicators",
                                verbose_name=_("目标项目"))
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("二级指标"), max_length=20, choices=[(k.key, k.name) for k in KINDS])
    name = models.CharField(_("三级指标"), max_length=300)
    nature = models.CharField(_("指标性质"), max_length=20, blank=True,
                              choices=[(k, v) for k, v in NATURE_SYMBOLS.items()])
    value = models.CharField(_("指标值"), max_length=300, blank=True)
    unit = models.CharField(_("度量单位"), max_length=30, blank=True)
    weight = models.DecimalField(_("分值"), max_digits=8, decimal_places=2, null=True, blank=True)
    basis = models.CharField(_("指标值设定依据"), max_length=20, blank=True,
                             choices=list(BASIS_NAMES.items()))
    last_actual = models.CharField(_("上年实际完成值"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "seq", "pk"]
        verbose_name = _("目标指标")
        verbose_name_plural = _("目标指标")


class TargetRound(Round):
    """One submission of the sheet and the bureau's decision; an approval freezes the sheet."""

    sheet = models.ForeignKey(TargetSheet, on_delete=models.CASCADE, related_name="rounds",
                              verbose_name=_("绩效目标表"))
    approved = models.JSONField(_("审核通过的目标（targets JSON）"), null=True, blank=True)

    class Meta:
        ordering = ["sheet", "number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="one_target_round_number")]
        verbose_name = _("目标审核轮次")
        verbose_name_plural = _("目标审核轮次")


class TargetReason(Remark):
    """The bureau's reason for returning the sheet or one project (beside the JX6xx findings)."""

    round = models.ForeignKey(TargetRound, on_delete=models.CASCADE, related_name="reasons",
                              verbose_name=_("目标审核轮次"))
    project = models.ForeignKey(TargetProject, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="reasons", verbose_name=_("目标项目"))
    code = models.CharField(_("问题代码"), max_length=10, blank=True)
    text = models.TextField(_("退回理由"))

    class Meta(Remark.Meta):
        verbose_name = _("退回理由")
        verbose_name_plural = _("退回理由")


class PublishedTargets(models.Model):
    """An approved sheet as the public sees it (部门预算公开 publishes the 绩效目标 with the
    budget): written in the approval's transaction from the round's frozen targets JSON, never
    edited afterwards except for its two public marks. ``current`` is the department-year's
    newest approval; ``adjusting`` says the department reopened the sheet for an adjustment
    that is not approved yet (the portal keeps showing this approved version, marked).
    ``changed_at`` moves with either mark, so the portal's and the API's validators change."""

    round = models.OneToOneField(TargetRound, primary_key=True, on_delete=models.CASCADE, related_name="publication",
                                 verbose_name=_("目标审核轮次"))
    sheet = models.ForeignKey(TargetSheet, on_delete=models.CASCADE, related_name="publications",
                              verbose_name=_("绩效目标表"))
    year = models.PositiveIntegerField(_("年度"))
    department_id_live = models.PositiveBigIntegerField(_("部门编号"))
    department = models.CharField(_("部门名称"), max_length=300)
    title = models.CharField(_("标题"), max_length=400, blank=True)
    money_unit = models.CharField(_("金额单位"), max_length=10)
    published_at = models.DateTimeField(_("公开时间"))
    project_count = models.PositiveIntegerField(_("项目数"), default=0)
    indicator_count = models.PositiveIntegerField(_("指标数"), default=0)
    current = models.BooleanField(_("最新公开版本"), default=True)
    adjusting = models.BooleanField(_("调整审核中"), default=False)
    changed_at = models.DateTimeField(_("公开状态变更时间"))

    class Meta:
        ordering = ["-year", "department", "-round"]
        indexes = [
            # The portal's year page and the API's listing: current sheets by year and department.
            models.Index(fields=["current", "year", "department"], name="targets_pub_year_page"),
            models.Index(fields=["changed_at"], name="targets_pub_changed_at"),
        ]
        verbose_name = _("公开的绩效目标表")
        verbose_name_plural = _("公开的绩效目标表")


class TargetQuality(models.Model):
    """The JX6xx findings of a sheet as it was last submitted or decided, stored in that
    transaction so the dashboard reads one row per sheet instead of checking every project of
    every sheet on each view (docs/dashboard.md)."""

    sheet = models.OneToOneField(TargetSheet, primary_key=True, on_delete=models.CASCADE, related_name="quality",
                                 verbose_name=_("绩效目标表"))
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    department_id_live = models.PositiveBigIntegerField(_("部门编号"))
    department = models.CharField(_("部门名称"), max_length=300)
    status = models.CharField(_("状态"), max_length=20, choices=SheetStatus.choices)
    projects = models.PositiveIntegerField(_("项目数"), default=0)
    indicators = models.PositiveIntegerField(_("指标数"), default=0)
    errors = models.PositiveIntegerField(_("错误"), default=0)
    warnings = models.PositiveIntegerField(_("提示"), default=0)
    codes = models.JSONField(_("各问题代码的数量"), default=dict)
    checked_at = models.DateTimeField(_("检查时间"))

    class Meta:
        ordering = ["-year", "department"]
        verbose_name = _("绩效目标质量")
        verbose_name_plural = _("绩效目标质量")
