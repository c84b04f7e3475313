"""The portal's search index: one row per publication and per published project.

Written once from a publication's frozen snapshot when it is created (publications never
change), so the portal can never show a draft or an unpublished change: it reads nothing
else. ``current`` marks the newest publication of each table; older ones stay reachable.
Amounts are integers in 0.0001 元, exact on every database (see the dashboard's models).

Stored for the portal's pages to stay cheap whatever their number (docs/portal.md, "Cheap and
cacheable"): each project row repeats its table's year, department and ``current`` flag, so
the search filters, orders and pages the projects without a join, and both models keep a
``search_text`` — the names a search looks in, joined and upper-cased once at publication — so
a substring search is one ``LIKE`` on one column instead of ``UPPER()`` of three.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.web.entry.models import Publication


class PublishedTable(models.Model):
    publication = models.OneToOneField(Publication, primary_key=True, on_delete=models.CASCADE,
                                       related_name="portal_entry", verbose_name=_("公开发布"))
    table_id_ref = models.PositiveBigIntegerField(_("自评公开表编号"), db_index=True)
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    department = models.CharField(_("部门名称"), max_length=300, db_index=True)
    department_short = models.CharField(_("部门简称"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=400, blank=True)
    money_unit = models.CharField(_("金额单位"), max_length=10)
    number = models.PositiveIntegerField(_("发布序号"))
    published_at = models.DateTimeField(_("公开时间"))
    current = models.BooleanField(_("最新公开版本"), default=True, db_index=True)
    project_count = models.PositiveIntegerField(_("项目数"), default=0)
    # DECIMAL(30, 0): amounts up to 10^15 万元 are 10^23 units of 0.0001 元 (dashboard.models).
    budget_e4 = models.DecimalField(_("预算金额（0.0001 元）"), max_digits=30, decimal_places=0, null=True)
    actual_e4 = models.DecimalField(_("实际支出（0.0001 元）"), max_digits=30, decimal_places=0, null=True)
    # Department, short name and title, upper-cased (search_text()).
    search_text = models.TextField(_("检索文本"), blank=True, default="")

    class Meta:
        ordering = ["-year", "department", "-number"]
        indexes = [
            # A year's page: the current publications of a year by department.
            models.Index(fields=["current", "year", "department"], name="portal_table_year_page"),
            # The ETags' newest publication time (freshness.py): MAX(published_at).
            models.Index(fields=["published_at"], name="portal_table_published_at"),
        ]
        verbose_name = _("公开表索引")
        verbose_name_plural = _("公开表索引")


class PublishedProject(models.Model):
    entry = models.ForeignKey(PublishedTable, on_delete=models.CASCADE, related_name="projects",
                              verbose_name=_("公开表索引"))
    position = models.PositiveIntegerField(_("在表中的位置"))
    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("项目名称"), max_length=400, db_index=True)
    unit_name = models.CharField(_("单位名称"), max_length=300, blank=True)
    # DECIMAL(30, 0): amounts up to 10^15 万元 are 10^23 units of 0.0001 元 (dashboard.models).
    budget_e4 = models.DecimalField(_("预算金额（0.0001 元）"), max_digits=30, decimal_places=0, null=True)
    actual_e4 = models.DecimalField(_("实际支出（0.0001 元）"), max_digits=30, decimal_places=0, null=True)
    execution_rate = models.DecimalField(_("预算支出执行率"), max_digits=26, decimal_places=2, null=True)
    score = models.DecimalField(_("建议得分"), max_digits=6, decimal_places=2, null=True)
    grade = models.CharField(_("等级"), max_length=2, blank=True)
    # The table's, repeated (see the module's docstring); current follows the table's entry.
    year = models.PositiveIntegerField(_("年度"), default=0)
    department = models.CharField(_("部门名称"), max_length=300, blank=True, default="")
    current = models.BooleanField(_("最新公开版本"), default=True)
    # Project name, unit name and department, upper-cased (search_text()).
    search_text = models.TextField(_("检索文本"), blank=True, default="")

    class Meta:
        ordering = ["entry", "position"]
        indexes = [
            # The search's order (newest year, department, table, position) among current rows.
            models.Index(fields=["current", "-year", "department", "entry", "position"],
                         name="portal_project_search_order"),
        ]
        constraints = [models.UniqueConstraint(fields=["entry", "position"], name="portal_one_project_per_position")]
        verbose_name = _("公开项目索引")
        verbose_name_plural = _("公开项目索引")


def search_text(*parts: str) -> str:
    """What a search looks in: the parts on lines of their own (a query never spans two),
    upper-cased so that matching is case-insensitive with a plain LIKE (views._search)."""
    return "\n".join(p or "" for p in parts).upper()
