"""Whether the database holds every migration jixiao has.

The dashboard and the portal fill in what is missing after each ``migrate`` (their
``post_migrate`` handlers) with today's models. After a step back, ``migrate dashboard 0006``,
the tables are older than those models and such a query fails; the fill-ins wait until the
database is migrated forward again.
"""

from __future__ import annotations

from django.db import connections
from django.db.migrations.loader import MigrationLoader


def fully(using: str) -> bool:
    loader = MigrationLoader(connections[using])
    return set(loader.graph.leaf_nodes()) <= set(loader.applied_migrations)
