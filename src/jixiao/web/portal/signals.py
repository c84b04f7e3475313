"""Index every new publication for the portal, from its frozen snapshot (and only from it);
catch up on older ones after a migrate."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from jixiao.core.scoring import score_project
from jixiao.web import migrated
from jixiao.web.dashboard.stats import to_e4
from jixiao.web.entry import convert
from jixiao.web.entry.models import Publication

from .models import PublishedProject, PublishedTable, search_text


@receiver(post_save, sender=Publication, dispatch_uid="portal_publication_saved")
def publication_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        index_publication(instance)


@receiver(post_migrate, dispatch_uid="portal_backfill")
def backfill(sender, app_config=None, using="default", **kwargs):
    if app_config is not None and app_config.label == "portal" and migrated.fully(using):
        for pub in Publication.objects.filter(portal_entry__isnull=True).order_by("table", "number"):
            index_publication(pub)


@transaction.atomic
def index_publication(pub: Publication) -> None:
    core = convert.table_from_document(pub.snapshot, source=f"publication {pub.pk}")
    totals = core.totals()
    unit = core.money_unit
    entry = PublishedTable.objects.create(
        publication=pub, table_id_ref=pub.table_id, year=core.year, department=core.department,
        department_short=core.department_short or "", title=core.display_title, money_unit=unit.value,
        number=pub.number, published_at=pub.published_at, project_count=len(core.projects),
        budget_e4=to_e4(totals.budget, unit), actual_e4=to_e4(totals.actual_total, unit),
        current=not Publication.objects.filter(table_id=pub.table_id, number__gt=pub.number).exists(),
        search_text=search_text(core.department, core.department_short or "", core.display_title))
    if entry.current:
        PublishedTable.objects.filter(table_id_ref=pub.table_id, number__lt=pub.number).update(current=False)
        PublishedProject.objects.filter(entry__table_id_ref=pub.table_id, entry__number__lt=pub.number).update(
            current=False)
    rows = []
    for i, p in enumerate(core.projects):
        score = score_project(p, profile=core.profile)
        rows.append(PublishedProject(
            entry=entry, position=i, seq=p.seq, name=p.name[:400], unit_name=(p.unit_name or "")[:300],
            budget_e4=to_e4(p.budget, unit), actual_e4=to_e4(p.actual_total, unit),
            execution_rate=p.execution_rate, score=score.total, grade=score.grade,
            year=entry.year, department=entry.department, current=entry.current,
            search_text=search_text(p.name, p.unit_name or "", entry.department)))
    PublishedProject.objects.bulk_create(rows)

