"""Index every new publication for the portal; catch up on older ones after a migrate."""

from __future__ import annotations

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from jixiao.web.entry.models import Publication

from . import index


@receiver(post_save, sender=Publication, dispatch_uid="portal_publication_saved")
def publication_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        index.index_publication(instance)


@receiver(post_migrate, dispatch_uid="portal_backfill")
def backfill(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "portal" and \
            Publication.objects.filter(portal_entry__isnull=True).exists():
        index.index_missing()
