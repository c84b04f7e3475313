from django.db import models


class Generation(models.Model):
    """One row: a counter that every committed write to any other table increases.

    It lives in the database, not in a per-process cache, so a write made by any process (a
    second server worker, ``jixiao import`` on the command line) retires the pages every
    process has cached. Written only with raw SQL by :mod:`.generation`.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "pagecache_generation"
