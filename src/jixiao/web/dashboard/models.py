"""Per-project figures the dashboard aggregates in SQL.

A province has some 200 000 projects a year; scoring them on every page view is out of the
question. Each project's figures are computed once, when the project (or its table) is saved,
by :mod:`.stats` from the core's checks and scoring, and kept here beside the entry and review apps' models —
in this app's own tables, so theirs stay untouched.

Amounts are whole numbers of 0.0001 元 (``*_e4``): the stored amounts have 4 decimals in 元
or 万元, so every value converts exactly. The columns are ``DECIMAL(30, 0)``, not 64-bit
integers: an amount the project form admits (below 10^15 万元) is up to 10^23 such units, and
a 64-bit integer ends at 9.2 × 10^18 (a 9.3 × 10^10 万元 budget overflowed it). PostgreSQL sums
them exactly; SQLite sums them with ``TOTAL`` (:class:`.amounts.AmountSum`), a float that is
exact below 2^53 units (9 × 10^11 元) and never overflows. Scores are in hundredths.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.web.entry.models import Department, DisclosureTable, Project, Publication


class ShownVersion(models.Model):
    """The version a table's figures come from while the table is being revised (草稿 or 退回):
    the one it left, frozen here (:mod:`.versions`). ``number`` is the submission's number (each
    报送 is a version)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        PUBLISHED = "published", _("已公开")

    table = models.OneToOneField(DisclosureTable, on_delete=models.CASCADE, primary_key=True,
                                 related_name="shown_version", verbose_name=_("自评公开表"))
    number = models.PositiveIntegerField(_("版本"))
    kind = models.CharField(_("版本状态"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    publication = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("公开发布"))

    class Meta:
        verbose_name = _("看板所示版本")
        verbose_name_plural = _("看板所示版本")


class ProjectStat(models.Model):
    """A project's figures as the dashboard counts them: a stored project's (``project``), or
    those of one project of a frozen :class:`ShownVersion` (``version``, with the project's
    序号, name and 0-based position in the table, as the portal's project pages count: the
    project may since have been removed or renamed) — one of the two, never both."""

    project = models.OneToOneField(Project, null=True, on_delete=models.CASCADE, related_name="dashboard_stat",
                                   verbose_name=_("项目"))
    version = models.ForeignKey(ShownVersion, null=True, on_delete=models.CASCADE, related_name="stats",
                                verbose_name=_("看板所示版本"))
    seq = models.PositiveIntegerField(_("序号"), null=True)
    name = models.CharField(_("项目名称"), max_length=300, db_default="")
    position = models.PositiveIntegerField(_("在表中的位置"), db_default=0)
    table = models.ForeignKey(DisclosureTable, on_delete=models.CASCADE, related_name="+", verbose_name=_("自评公开表"))
    year = models.PositiveIntegerField(_("年度"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("部门"))
    money_unit = models.CharField(_("金额单位"), max_length=10)
    budget_e4 = models.DecimalField(_("预算金额（0.0001 元）"), max_digits=30, decimal_places=0, null=True)
    actual_e4 = models.DecimalField(_("实际支出（0.0001 元）"), max_digits=30, decimal_places=0, null=True)
    # Up to 10^21 %: an actual of 10^15 against a budget of 0.0001 is admitted (and flagged).
    execution_rate = models.DecimalField(_("预算支出执行率"), max_digits=26, decimal_places=2, null=True)
    rate_band = models.CharField(_("执行率区间"), max_length=10)
    score_x100 = models.IntegerField(_("建议得分（×100）"), null=True)
    grade = models.CharField(_("等级"), max_length=2, blank=True)
    # total − evidenced_total: what claims without a figure add to the suggested score
    evidence_gap_x100 = models.IntegerField(_("证据差（×100）"), null=True)
    errors = models.PositiveIntegerField(_("错误数"), default=0)
    warnings = models.PositiveIntegerField(_("警告数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["year", "department"], name="dash_stat_year_dept"),
                   models.Index(fields=["year", "rate_band"], name="dash_stat_year_band"),
                   models.Index(fields=["year", "grade"], name="dash_stat_year_grade")]
        constraints = [models.CheckConstraint(name="dash_stat_project_or_version",
                                              condition=models.Q(project__isnull=False, version__isnull=True)
                                              | models.Q(project__isnull=True, version__isnull=False))]
        verbose_name = _("项目统计")
        verbose_name_plural = _("项目统计")


class FindingStat(models.Model):
    """One finding of the core's project checks, for counting the most frequent ones: of a
    stored project (``project``) or of a frozen version's (``stat``), never both."""

    project = models.ForeignKey(Project, null=True, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("项目"))
    stat = models.ForeignKey(ProjectStat, null=True, on_delete=models.CASCADE, related_name="findings",
                             verbose_name=_("项目统计"))
    table = models.ForeignKey(DisclosureTable, on_delete=models.CASCADE, related_name="+", verbose_name=_("自评公开表"))
    year = models.PositiveIntegerField(_("年度"))
    code = models.CharField(_("检查代码"), max_length=12)
    severity = models.CharField(_("严重程度"), max_length=10)

    class Meta:
        indexes = [models.Index(fields=["year", "code"], name="dash_finding_year_code")]
        constraints = [models.CheckConstraint(name="dash_finding_project_or_stat",
                                              condition=models.Q(project__isnull=False, stat__isnull=True)
                                              | models.Q(project__isnull=True, stat__isnull=False))]
        verbose_name = _("检查结果统计")
        verbose_name_plural = _("检查结果统计")


# The 执行率 bands and grades as columns of TableFigures (stats.BAND_KEYS, stats.GRADES).
BAND_FIELDS = {"lt60": "band_lt60", "60-80": "band_60_80", "80-90": "band_80_90", "90-95": "band_90_95",
               "95-100": "band_95_100", "gt100": "band_gt100", "none": "band_none"}
GRADE_FIELDS = {"优": "grade_excellent", "良": "grade_good", "中": "grade_fair", "差": "grade_poor"}


class TableFigures(models.Model):
    """What the dashboard shows for one table (one department × year): the sums and counts of
    its shown version's per-project figures, kept current by :mod:`.table_figures`. Sums of
    amounts are in 0.0001 元 like :class:`ProjectStat`; ``None`` where no project has one."""

    class Source(models.TextChoices):
        ROWS = "rows", _("表中各行")           # 已提交 / 已审核 / 已公开: the stored rows
        VERSION = "version", _("看板所示版本")  # 草稿 / 退回 after a submission: the ShownVersion
        NONE = "none", _("无")                  # never submitted: no figures

    table = models.OneToOneField(DisclosureTable, on_delete=models.CASCADE, primary_key=True,
                                 related_name="dashboard_figures", verbose_name=_("自评公开表"))
    year = models.PositiveIntegerField(_("年度"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("部门"))
    source = models.CharField(_("数据来源"), max_length=10, choices=Source.choices)
    projects = models.PositiveIntegerField(_("项目数"), default=0)
    budget_e4 = models.DecimalField(_("预算金额（0.0001 元）"), max_digits=30, decimal_places=0, null=True)
    actual_e4 = models.DecimalField(_("实际支出（0.0001 元）"), max_digits=30, decimal_places=0, null=True)
    score_x100 = models.BigIntegerField(_("建议得分之和（×100）"), null=True)
    scored = models.PositiveIntegerField(_("有得分的项目数"), default=0)
    evidence_gap_x100 = models.BigIntegerField(_("证据差之和（×100）"), null=True)
    gapped = models.PositiveIntegerField(_("有证据差的项目数"), default=0)
    band_lt60 = models.PositiveIntegerField(default=0)
    band_60_80 = models.PositiveIntegerField(default=0)
    band_80_90 = models.PositiveIntegerField(default=0)
    band_90_95 = models.PositiveIntegerField(default=0)
    band_95_100 = models.PositiveIntegerField(default=0)
    band_gt100 = models.PositiveIntegerField(default=0)
    band_none = models.PositiveIntegerField(default=0)
    grade_excellent = models.PositiveIntegerField(default=0)
    grade_good = models.PositiveIntegerField(default=0)
    grade_fair = models.PositiveIntegerField(default=0)
    grade_poor = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(_("错误数"), default=0)
    warnings = models.PositiveIntegerField(_("警告数"), default=0)

    class Meta:
        indexes = [models.Index(fields=["year", "department"], name="dash_figures_year_dept")]
        verbose_name = _("自评公开表统计")
        verbose_name_plural = _("自评公开表统计")


class TableFindingCount(models.Model):
    """How often one check finding (code, severity) occurs in a table's shown version, and in
    how many of its projects — kept with :class:`TableFigures`."""

    table = models.ForeignKey(DisclosureTable, on_delete=models.CASCADE, related_name="+", verbose_name=_("自评公开表"))
    year = models.PositiveIntegerField(_("年度"))
    code = models.CharField(_("检查代码"), max_length=12)
    severity = models.CharField(_("严重程度"), max_length=10)
    findings = models.PositiveIntegerField(_("出现次数"))
    projects = models.PositiveIntegerField(_("涉及项目数"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["table", "code", "severity"], name="dash_table_finding_once")]
        indexes = [models.Index(fields=["year", "code"], name="dash_table_finding_year")]
        verbose_name = _("自评公开表检查结果统计")
        verbose_name_plural = _("自评公开表检查结果统计")


class DataChange(models.Model):
    """One committed change of what the dashboard shows (figures, statuses, departments,
    deadlines), written in the transaction of the change; the newest row's id and token are the
    version of the dashboard's data (:mod:`.data_version`). Rows are only inserted (no row is
    locked by two writers); old ones are pruned as new ones come."""

    token = models.CharField(max_length=32)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("看板数据变更")
        verbose_name_plural = _("看板数据变更")
