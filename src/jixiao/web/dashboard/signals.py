"""Keep the dashboard's figures current, in the transaction of the write that changes them:
a project's own figures on every save (and all of a table's when its money unit changes),
and the table's figures (table_figures.py) whenever a project is saved or deleted, the table
is saved (status, department), or its shown version changes (a transition)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from jixiao.web import migrated
from jixiao.web.entry.models import Department, DisclosureTable, Project, Year
from jixiao.web.review.workflow import transitioned

from . import data_version, stats, table_figures, versions
from .models import ProjectStat, TableFigures


@receiver(post_save, sender=Project, dispatch_uid="dashboard_project_saved")
def project_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:  # fixtures load rows verbatim; `dashboard_refresh` computes them afterwards
        return
    stats.refresh_project(instance, created=created)
    table_figures.refresh(instance.table_id, rows_changed=True)


@receiver(post_delete, sender=Project, dispatch_uid="dashboard_project_deleted")
def project_deleted(sender, instance, origin=None, **kwargs):
    # Only when projects themselves are deleted: deleting a table (or its department or year)
    # deletes its projects and its figures with it.
    if isinstance(origin, Project) or (isinstance(origin, QuerySet) and origin.model is Project):
        table_figures.refresh(instance.table_id, rows_changed=True)


@receiver(post_save, sender=DisclosureTable, dispatch_uid="dashboard_table_saved")
def table_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    stored = ProjectStat.objects.filter(table=instance, version__isnull=True)
    if not created and stored.exclude(money_unit=instance.money_unit).exists():
        stats.store(list(instance.projects.all()), instance)  # the table's figures with them
    else:
        table_figures.refresh(instance.pk)


@receiver(post_migrate, dispatch_uid="dashboard_backfill")
def backfill(sender, app_config=None, using="default", **kwargs):
    # Projects stored before this app was installed get their figures at the next migrate
    # (`jixiao demo` and `jixiao serve --migrate` both migrate); nothing to do otherwise.
    if app_config is None or app_config.label != "dashboard" or not migrated.fully(using):
        return
    stats.refresh(missing=True)
    versions.backfill()
    missing = DisclosureTable.objects.exclude(pk__in=TableFigures.objects.values("pk")).values_list("pk", flat=True)
    table_figures.rebuild(list(missing))


@receiver(transitioned, dispatch_uid="dashboard_table_transitioned")
def table_transitioned(sender, table, action, **kwargs):
    # Inside the transition's transaction: the version shown changes with the status.
    # (The table's figures were computed when its new status was saved, and again by
    # versions.freeze when the version shown changes.)
    versions.on_transition(table, action)


def _changed(sender, raw=False, **kwargs):
    if not raw:
        data_version.record()


# What the dashboard shows besides the figures (table_figures.compute records those changes):
# which tables exist and their statuses, the departments, the years' deadlines.
for _model in (DisclosureTable, Department, Year):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"dashboard_version_{_model.__name__}_saved")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"dashboard_version_{_model.__name__}_deleted")
