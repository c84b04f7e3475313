"""The version of the dashboard's data, and its query results kept in Django's cache under it.

A page view of the dashboard sums and sorts the year's per-table figures — for a province some
16,000 departments, 20–35 ms of SQL per query and four such queries. What it shows changes
only when a table's figures, a status, a department or a deadline change: submissions,
returns, approvals, publications — not the editors' saves in their drafts, which are most of
the writes of the entry weeks. So every such change inserts a :class:`.models.DataChange` row
in its own transaction, and the results are kept in Django's cache (Redis in production,
``JIXIAO_CACHE_URL``) under the newest row's id and token, the year, what the user may see
and the question asked. A process that reads a newer version computes afresh; nothing is
kept in a process that another could contradict, and a change rolled back leaves no version
behind. Entries also expire after :data:`CACHE_SECONDS`, so a bulk load written without the
ORM's signals (COPY; ``dashboard_refresh`` records a change) is seen within that time.

A key never names a version twice: a row's id comes back after a rollback (SQLite reuses it),
its random token does not. The one version every database can have alike — none recorded yet,
as after a load without signals — is never cached: another database on the same Redis (or an
earlier test in the same process) could have kept its own figures under it.
"""

from __future__ import annotations

import hashlib
from uuid import uuid4

from django.core.cache import cache

from .models import DataChange

CACHE_SECONDS = 300
KEEP = 1000  # DataChange rows kept; older ones are deleted now and then


def record() -> None:
    """Record a change of the dashboard's data (inside the caller's transaction)."""
    change = DataChange.objects.create(token=uuid4().hex)
    if change.pk % KEEP == 0:
        DataChange.objects.filter(pk__lte=change.pk - KEEP).delete()


def current() -> tuple[int, str]:
    """The version of the dashboard's data: the newest change's id and token."""
    return DataChange.objects.order_by("-pk").values_list("pk", "token").first() or (0, "")


def cached(version: tuple[int, str], parts: tuple, compute):
    """``compute()``, kept in Django's cache under ``version`` and ``parts`` (the year, the
    user's visibility, the question); computed afresh while no change is recorded."""
    if not version[1]:
        return compute()
    raw = repr((version, *parts))
    key = "jixiao:dashboard:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    return cache.get_or_set(key, compute, CACHE_SECONDS)
