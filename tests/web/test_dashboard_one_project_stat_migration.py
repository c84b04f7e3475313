"""Migrations dashboard.0007–0009 (one project stat): the stored projects' figures and the frozen
versions' figures, kept in two pairs of tables before, end in one pair (ProjectStat,
FindingStat) with every row and column they had."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("dashboard", "0006_data_changes")]
AFTER = [("dashboard", "0009_one_project_stat")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_stored_and_the_frozen_figures(make_world):
    world = make_world("submitted")
    own, other = world.projects["own"], world.projects["other"]
    try:
        old = _migrate(BEFORE)
        figures = {"year": 2019, "money_unit": "万元", "budget_e4": 10**22, "actual_e4": 5 * 10**21,
                   "execution_rate": "50.00", "rate_band": "lt60", "score_x100": 8123, "grade": "良",
                   "evidence_gap_x100": 250, "errors": 1, "warnings": 2}
        for project in (own, other):
            old.get_model("dashboard", "ProjectStat").objects.create(
                project_id=project.pk, table_id=project.table_id, department_id=project.table.department_id, **figures)
            old.get_model("dashboard", "FindingStat").objects.create(
                project_id=project.pk, table_id=project.table_id, year=2019, code="JX201", severity="error")
        version = old.get_model("dashboard", "ShownVersion").objects.create(
            table_id=own.table_id, number=1, kind="submitted", at=timezone.now())
        shown = old.get_model("dashboard", "ShownProjectStat").objects.create(
            version=version, seq=7, name="冻结的项目", position=3, table_id=own.table_id,
            department_id=own.table.department_id, **figures)
        old.get_model("dashboard", "ShownFindingStat").objects.create(
            stat=shown, table_id=own.table_id, year=2019, code="JX302", severity="warning")
        new = _migrate(AFTER)
        Stat, Finding = new.get_model("dashboard", "ProjectStat"), new.get_model("dashboard", "FindingStat")
        stored = Stat.objects.filter(version__isnull=True)
        assert sorted(stored.values_list("project_id", flat=True)) == sorted([own.pk, other.pk])
        assert {(s.budget_e4, s.actual_e4, s.score_x100, s.grade, s.evidence_gap_x100, s.name, s.position)
                for s in stored} == {(10**22, 5 * 10**21, 8123, "良", 250, "", 0)}
        frozen = Stat.objects.get(version__isnull=False)
        assert (frozen.project_id, frozen.seq, frozen.name, frozen.position, frozen.budget_e4) == (
            None, 7, "冻结的项目", 3, 10**22)
        assert sorted(Finding.objects.filter(stat__isnull=True).values_list("project_id", "code")) == sorted(
            [(own.pk, "JX201"), (other.pk, "JX201")])
        assert list(Finding.objects.filter(stat=frozen).values_list("project_id", "code")) == [(None, "JX302")]
    finally:  # the schema back at the latest migrations, for the tests after this one
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
