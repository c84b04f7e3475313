"""The figures of stored projects and those of frozen versions' projects in one model each
(ProjectStat, FindingStat): the frozen versions' tables (ShownProjectStat, ShownFindingStat),
which have the same columns, get the stored projects' columns (0008 copies their rows, 0009
drops the old tables and names the frozen ones ProjectStat and FindingStat). Three migrations,
three transactions: PostgreSQL alters no table with rows written in the same transaction."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0006_data_changes'),
        ('entry', '0005_withdrawals_and_corrections'),
    ]

    operations = [
        migrations.AlterField(
            model_name='shownprojectstat',
            name='version',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='stats', to='dashboard.shownversion', verbose_name='看板所示版本'),
        ),
        migrations.AlterField(
            model_name='shownprojectstat',
            name='seq',
            field=models.PositiveIntegerField(null=True, verbose_name='序号'),
        ),
        migrations.AlterField(
            model_name='shownprojectstat',
            name='name',
            field=models.CharField(db_default='', max_length=300, verbose_name='项目名称'),
        ),
        migrations.AlterField(
            model_name='shownprojectstat',
            name='position',
            field=models.PositiveIntegerField(db_default=0, verbose_name='在表中的位置'),
        ),
        migrations.AddField(
            model_name='shownprojectstat',
            name='project',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='entry.project', verbose_name='项目'),
        ),
        migrations.AddField(
            model_name='shownprojectstat',
            name='computed_at',
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name='计算时间'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='shownfindingstat',
            name='project',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='entry.project', verbose_name='项目'),
        ),
        migrations.AlterField(
            model_name='shownfindingstat',
            name='stat',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='dashboard.shownprojectstat', verbose_name='项目统计'),
        ),
    ]
