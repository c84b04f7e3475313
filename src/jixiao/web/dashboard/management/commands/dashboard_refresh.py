"""Recompute every project's and every table's dashboard figures (after changing the scoring
or checks, or after rows were written without signals: a bulk load, ``QuerySet.update()``)."""

from django.core.management.base import BaseCommand

from jixiao.web.dashboard import stats, table_figures, versions
from jixiao.web.entry.models import DisclosureTable


class Command(BaseCommand):
    help = ("Recompute the dashboard's per-project and per-table figures (all, or only the projects "
            "without figures with --missing).")

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="only projects without figures")

    def handle(self, *args, missing=False, **options):
        if missing:
            n = stats.refresh_missing()
        else:
            n = sum(stats.refresh_table(t) for t in DisclosureTable.objects.select_related("year", "department"))
            frozen = versions.refresh()
            self.stdout.write(f"{frozen} published versions shown while revised")
        tables = table_figures.rebuild()
        self.stdout.write(f"{n} projects, {tables} tables")
