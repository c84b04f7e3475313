"""The stored projects' figures into the tables of the frozen versions' (0007)."""

from django.db import migrations

# The stored projects' rows, into the frozen versions' tables (no version, no 序号 of their own).
COPY = [
    "INSERT INTO dashboard_shownprojectstat (project_id, table_id, year, department_id, money_unit, budget_e4, "
    "actual_e4, execution_rate, rate_band, score_x100, grade, evidence_gap_x100, errors, warnings, computed_at, "
    "name, position) SELECT project_id, table_id, year, department_id, money_unit, budget_e4, actual_e4, "
    "execution_rate, rate_band, score_x100, grade, evidence_gap_x100, errors, warnings, computed_at, '', 0 "
    "FROM dashboard_projectstat",
    "INSERT INTO dashboard_shownfindingstat (project_id, table_id, year, code, severity) "
    "SELECT project_id, table_id, year, code, severity FROM dashboard_findingstat",
]
# Back: the stored projects' rows go (the post-migrate hook computes them again).
UNCOPY = [
    "DELETE FROM dashboard_shownfindingstat WHERE stat_id IS NULL",
    "DELETE FROM dashboard_shownprojectstat WHERE version_id IS NULL",
]


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0007_one_project_stat_columns'),
    ]

    operations = [
        migrations.RunSQL(COPY, UNCOPY),
    ]
