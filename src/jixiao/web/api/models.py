"""The API's index of publications: rows derived from each frozen snapshot, never from live tables.

A :class:`~jixiao.web.entry.models.Publication` stores its table as one JSON document; listing
and paging 200,000 projects out of such documents on every request would read megabytes per
page. So when a publication is written, :mod:`.index` copies the snapshot's projects into
:class:`PublishedProject` rows (and a summary into :class:`PublishedTable`). The rows hold
only what the snapshot says; like the publication they are never edited afterwards, except
for ``is_current``, which turns false when a newer publication of the same table appears.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from jixiao.web.entry.models import Publication

AMOUNT = dict(max_digits=20, decimal_places=4, null=True, blank=True)


class PublishedTable(models.Model):
    """One publication of a table (the API's ``table``; its id is the publication's id)."""

    publication = models.OneToOneField(Publication, on_delete=models.CASCADE, primary_key=True,
                                       related_name="api_index", verbose_name=_("公开发布"))
    table_id_live = models.BigIntegerField(_("自评公开表编号"))  # the live table, to find newer publications
    number = models.PositiveIntegerField(_("发布序号"))
    is_current = models.BooleanField(_("最新公开版本"), default=True)
    year = models.PositiveIntegerField(_("年度"))
    department_id_live = models.BigIntegerField(_("部门编号"))
    department = models.CharField(_("部门名称"), max_length=200)
    department_short = models.CharField(_("部门简称"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=300, blank=True)
    money_unit = models.CharField(_("金额单位"), max_length=10)
    layout = models.JSONField(_("指标栏目"), default=list)
    published_at = models.DateTimeField(_("公开时间"))
    project_count = models.PositiveIntegerField(_("项目数"))
    budget = models.DecimalField(_("项目年度预算金额合计"), **AMOUNT)
    actual_total = models.DecimalField(_("实际支出金额合计"), **AMOUNT)
    execution_rate = models.CharField(_("预算支出执行率（合计，计算）"), max_length=30, blank=True)

    class Meta:
        ordering = ["-year", "department", "-number"]
        indexes = [
            models.Index(fields=["is_current", "year", "department"], name="api_table_current_year"),
            models.Index(fields=["is_current", "department_id_live", "year"], name="api_table_current_dept"),
            models.Index(fields=["table_id_live", "number"], name="api_table_live_number"),
            # The listings' orders (keyset pagination, keyset.py): tables newest year first
            # (the year as ``year * -1``, so one row comparison runs over the index), then
            # by department name and id; departments by name and id.
            models.Index(F("is_current"), F("year") * -1, F("department"), F("publication"),
                         name="api_table_list"),
            models.Index(F("is_current"), F("department_id_live"), F("year") * -1, F("department"),
                         F("publication"), name="api_table_list_dept"),
            models.Index(fields=["is_current", "year", "department", "publication"], name="api_table_list_year"),
            models.Index(fields=["is_current", "department", "department_id_live"], name="api_department_list"),
            models.Index(fields=["is_current", "year", "department", "department_id_live"],
                         name="api_department_list_year"),
        ]
        verbose_name = _("公开表索引")
        verbose_name_plural = _("公开表索引")


class PublishedProject(models.Model):
    """One project row of a publication's snapshot (``document`` is the project's table JSON)."""

    table = models.ForeignKey(PublishedTable, on_delete=models.CASCADE, related_name="projects",
                              verbose_name=_("公开表"))
    is_current = models.BooleanField(_("最新公开版本"), default=True)
    year = models.PositiveIntegerField(_("年度"))
    department_id_live = models.BigIntegerField(_("部门编号"))
    department = models.CharField(_("部门名称"), max_length=200)
    position = models.PositiveIntegerField(_("行号"))  # row order in the snapshot (序号 may repeat or skip)
    seq = models.IntegerField(_("序号"))
    name = models.CharField(_("项目名称"), max_length=300, blank=True)
    document = models.JSONField(_("项目（表 JSON）"))
    # The API record's fields fixed by the publication, as JSON text (records.fixed_json):
    # a list page joins these instead of decoding ``document`` and encoding it again.
    record_json = models.TextField(_("接口记录（JSON 文本）"), editable=False)

    class Meta:
        ordering = ["year", "department", "table_id", "position", "id"]
        # The list order, ending in the id: a page is found by walking the index alone
        # (an index-only scan, even 20,000 rows deep) before its rows are read by id.
        indexes = [
            models.Index(fields=["is_current", "year", "department", "table", "position", "id"],
                         name="api_project_current_year_id"),
            models.Index(fields=["is_current", "department_id_live", "year", "department", "table", "position", "id"],
                         name="api_project_current_dept_id"),
            models.Index(fields=["table", "position"], name="api_project_table_position"),
        ]
        verbose_name = _("公开项目索引")
        verbose_name_plural = _("公开项目索引")


class PublishedIndicator(models.Model):
    """One filled indicator column (``kind``) of a published project: the rows of
    ``/api/indicators/``, in the projects' order, so a page of one kind is an index range
    (keyset.py) instead of a walk over every project testing its JSON for the kind."""

    project = models.ForeignKey(PublishedProject, on_delete=models.CASCADE, related_name="indicator_rows",
                                verbose_name=_("公开项目"))
    kind = models.CharField(_("指标类别"), max_length=20)
    table = models.ForeignKey(PublishedTable, on_delete=models.CASCADE, related_name="+", verbose_name=_("公开表"))
    is_current = models.BooleanField(_("最新公开版本"), default=True)
    year = models.PositiveIntegerField(_("年度"))
    department_id_live = models.BigIntegerField(_("部门编号"))
    department = models.CharField(_("部门名称"), max_length=200)
    position = models.PositiveIntegerField(_("行号"))

    class Meta:
        ordering = ["kind", "year", "department", "table_id", "position", "project_id"]
        indexes = [
            models.Index(fields=["kind", "is_current", "year", "department", "table", "position", "project"],
                         name="api_indicator_list"),
            models.Index(fields=["kind", "is_current", "department_id_live", "year", "department", "table",
                                 "position", "project"], name="api_indicator_list_dept"),
        ]
        verbose_name = _("公开指标索引")
        verbose_name_plural = _("公开指标索引")
