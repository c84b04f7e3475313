"""Keep the dashboard's per-project figures current: on every project save, and when a
table's money unit changes (its amounts then mean something else)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from jixiao.web.entry.models import Department, DisclosureTable, Project, Publication, ReviewRound, Year

from jixiao.web.review.workflow import transitioned

from . import generation, stats, versions
from .models import ProjectStat


@receiver(post_save, sender=Project, dispatch_uid="dashboard_project_saved")
def project_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:  # fixtures load rows verbatim; `dashboard_refresh` computes them afterwards
        return
    stats.refresh_project(instance, created=created)


@receiver(post_save, sender=DisclosureTable, dispatch_uid="dashboard_table_saved")
def table_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    if ProjectStat.objects.filter(table=instance).exclude(money_unit=instance.money_unit).exists():
        stats.refresh_table(instance)


@receiver(post_migrate, dispatch_uid="dashboard_backfill")
def backfill(sender, app_config=None, **kwargs):
    # Projects stored before this app was installed get their figures at the next migrate
    # (`jixiao demo` and `jixiao serve --migrate` both migrate); nothing to do otherwise.
    if app_config is None or app_config.label != "dashboard":
        return
    if Project.objects.filter(dashboard_stat__isnull=True).exists():
        stats.refresh_missing()
    if versions.backfill():
        generation.invalidate()


@receiver(transitioned, dispatch_uid="dashboard_table_transitioned")
def table_transitioned(sender, table, action, **kwargs):
    # Inside the transition's transaction: the version shown changes with the status.
    versions.on_transition(table, action)


def _changed(sender, raw=False, **kwargs):
    if not raw:
        generation.invalidate()


# Whatever the dashboard shows depends on these rows (figures, status, who sees a table,
# departments, deadlines): any change renews the cache's generation token (generation.py).
for _model in (Project, DisclosureTable, ReviewRound, Publication, Department, Year):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"dashboard_cache_{_model.__name__}_saved")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"dashboard_cache_{_model.__name__}_deleted")
