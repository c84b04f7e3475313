"""Sums of amount columns (0.0001 元, up to 10^23 per project: models.ProjectStat) that neither
overflow nor lose NULL, on PostgreSQL and SQLite alike. Its own module because the per-table
figures (table_figures.py), the page's totals (aggregate.py) and the portal's years
(portal/views.py) all sum amounts."""

from __future__ import annotations

from django.db.models import Sum

_SQLITE_TOTAL = "CASE WHEN COUNT(%(x)s) > 0 THEN TOTAL(%(x)s) END"


class AmountSum(Sum):
    """``SUM`` of an amount column; on SQLite ``TOTAL``, whose float never overflows where an
    all-integer ``SUM`` raises "integer overflow" (amounts reach 10^23 units, models)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        # TOTAL of no value is 0.0 where SUM is NULL: keep NULL ("no amount") as SUM has it.
        return super().as_sql(compiler, connection, template=_SQLITE_TOTAL % {"x": "%(expressions)s"},
                              **extra_context)

