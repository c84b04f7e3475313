"""Recompute every project's and every table's dashboard figures (after changing the scoring
or checks, or after rows were written without signals: a bulk load, ``QuerySet.update()``)."""

from django.core.management.base import BaseCommand

from jixiao.web.dashboard import stats, table_figures, versions


class Command(BaseCommand):
    help = ("Recompute the dashboard's per-project and per-table figures (all, or only the projects "
            "without figures with --missing).")

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="only projects without figures")

    def handle(self, *args, missing=False, **options):
        n = stats.refresh(missing=missing)
        if not missing:
            self.stdout.write(f"{versions.refresh()} published versions shown while revised")
        self.stdout.write(f"{n} projects, {table_figures.rebuild()} tables")
