"""The stored projects' old tables go; the frozen versions' tables, which now hold every
project's figures (0008), are named ProjectStat and FindingStat, with ProjectStat's indexes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0008_one_project_stat_rows'),
        ('entry', '0005_withdrawals_and_corrections'),
    ]

    operations = [
        migrations.DeleteModel(name='FindingStat'),
        migrations.DeleteModel(name='ProjectStat'),
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
