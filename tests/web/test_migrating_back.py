"""An operator can step the database back to an earlier migration and forward again.

The dashboard's and the portal's post-migrate fill-ins read today's models; after a step back
the tables are older than those models, so they wait until the database is newest again
(jixiao/web/migrated.py). Each step here runs the whole ``migrate`` command, fill-ins and all.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jixiao.web.dashboard.models import ProjectStat
from jixiao.web.portal.models import PublishedTable


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("app,step", [("dashboard", "0006"), ("portal", "0003")])
def test_migrate_steps_an_app_back_and_forward_again_with_every_figure_and_publication_kept(app, step, make_world):
    world = make_world("published")
    call_command("migrate", app, step, verbosity=0)
    call_command("migrate", verbosity=0)
    for table in world.tables.values():
        assert ProjectStat.objects.filter(project__table=table).count() == table.projects.count() == 1
        assert PublishedTable.objects.filter(table_id_ref=table.pk, current=True).count() == 1
