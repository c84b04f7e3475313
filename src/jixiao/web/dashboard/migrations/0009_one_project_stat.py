"""The stored projects' old tables go; the frozen versions' tables, which now hold every
project's figures (0008), are named ProjectStat and FindingStat, with ProjectStat's indexes.

Renaming a table keeps its indexes' names. SQLite rebuilds a table for most changes (0010 adds
a constraint) and names the rebuilt foreign keys' indexes after the table: ProjectStat's and
FindingStat's then have exactly the names the old tables' indexes had. Going back, these tables
take their old names again and the old tables are created afresh, with indexes of those names,
which SQLite refuses ("index … already exists"). So, going back, ``own_index_names`` runs
between the two and first names each such index after the table that holds it (the table's name
in place of the other's at the start). Going forward it does nothing: a migrated database stays as it is.
"""

import django.db.models.deletion
from django.db import migrations, models


def own_index_names(apps, schema_editor):
    """Each index of ShownProjectStat's and ShownFindingStat's tables that is named after
    ProjectStat's or FindingStat's table is named after the table that holds it: the same name
    with that table's name at its start. Later steps back find indexes by their columns, not
    their names. Unique indexes are left as they are: the old tables take none of their names."""
    introspection = schema_editor.connection.introspection
    for name, renamed in (("ShownProjectStat", "dashboard_projectstat_"), ("ShownFindingStat", "dashboard_findingstat_")):
        model = apps.get_model("dashboard", name)
        table = model._meta.db_table
        fields = {field.column: field.name for field in model._meta.local_fields}
        with schema_editor.connection.cursor() as cursor:
            constraints = introspection.get_constraints(cursor, table)
        for index, info in constraints.items():
            if info["index"] and not info["unique"] and index.startswith(renamed):
                columns = [fields[column] for column in info["columns"]]
                own = f"{table}_{index.removeprefix(renamed)}"
                schema_editor.rename_index(model, models.Index(fields=columns, name=index), models.Index(fields=columns, name=own))


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0008_one_project_stat_rows'),
        ('entry', '0005_withdrawals_and_corrections'),
    ]

    operations = [
        migrations.DeleteModel(name='FindingStat'),
        migrations.DeleteModel(name='ProjectStat'),
        migrations.RunPython(migrations.RunPython.noop, own_index_names),
        migrations.RenameModel(old_name='ShownProjectStat', new_name='ProjectStat'),
        migrations.RenameModel(old_name='ShownFindingStat', new_name='FindingStat'),
        migrations.AlterField(
            model_name='projectstat',
            name='project',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='dashboard_stat', to='entry.project', verbose_name='项目'),
        ),
        migrations.RenameIndex(model_name='projectstat', new_name='dash_stat_year_dept', old_name='dash_shown_year_dept'),
        migrations.AddIndex(
            model_name='projectstat',
            index=models.Index(fields=['year', 'rate_band'], name='dash_stat_year_band'),
        ),
        migrations.AddIndex(
            model_name='projectstat',
            index=models.Index(fields=['year', 'grade'], name='dash_stat_year_grade'),
        ),
        migrations.RenameIndex(model_name='findingstat', new_name='dash_finding_year_code',
                               old_name='dash_shown_finding_year_code'),
        migrations.AlterModelOptions(
            name='projectstat',
            options={'verbose_name': '项目统计', 'verbose_name_plural': '项目统计'},
        ),
        migrations.AlterModelOptions(
            name='findingstat',
            options={'verbose_name': '检查结果统计', 'verbose_name_plural': '检查结果统计'},
        ),
    ]
