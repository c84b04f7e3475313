"""Recompute every project's dashboard figures (after changing the scoring or checks)."""

from django.core.management.base import BaseCommand

from jixiao.web.dashboard import generation, stats, versions
from jixiao.web.entry.models import DisclosureTable


class Command(BaseCommand):
    help = "Recompute the dashboard's per-project figures (all, or only missing with --missing)."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="only projects without figures")

    def handle(self, *args, missing=False, **options):
        if missing:
            n = stats.refresh_missing()
        else:
            n = sum(stats.refresh_table(t) for t in DisclosureTable.objects.select_related("year", "department"))
            frozen = versions.refresh()
            generation.invalidate()
            self.stdout.write(f"{frozen} published versions shown while revised")
        self.stdout.write(f"{n} projects")
