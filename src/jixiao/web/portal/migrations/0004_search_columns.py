"""The portal's stored search columns (models.py): each project row repeats its table's year,
department and current flag, and both index models keep their upper-cased search text
(Python's upper(), as at publication: SQLite's UPPER() knows ASCII only). Rows indexed before
are filled from their table's row, a table at a time."""

from django.db import migrations, models


def _text(*parts):
    return "\n".join(p or "" for p in parts).upper()


def fill(apps, schema_editor):
    PublishedTable = apps.get_model("portal", "PublishedTable")
    PublishedProject = apps.get_model("portal", "PublishedProject")
    for entry in PublishedTable.objects.only("pk", "year", "department", "department_short", "title", "current"):
        entry.search_text = _text(entry.department, entry.department_short, entry.title)
        entry.save(update_fields=["search_text"])
        rows = list(PublishedProject.objects.filter(entry_id=entry.pk).only("pk", "name", "unit_name"))
        for row in rows:
            row.year, row.department, row.current = entry.year, entry.department, entry.current
            row.search_text = _text(row.name, row.unit_name, entry.department)
        PublishedProject.objects.bulk_update(rows, ["year", "department", "current", "search_text"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('entry', '0005_withdrawals_and_corrections'),
        ('portal', '0003_drop_page_cache_table'),
    ]

    operations = [
        migrations.AddField(
            model_name='publishedproject',
            name='current',
            field=models.BooleanField(default=True, verbose_name='最新公开版本'),
        ),
        migrations.AddField(
            model_name='publishedproject',
            name='department',
            field=models.CharField(blank=True, default='', max_length=300, verbose_name='部门名称'),
        ),
        migrations.AddField(
            model_name='publishedproject',
            name='search_text',
            field=models.TextField(blank=True, default='', verbose_name='检索文本'),
        ),
        migrations.AddField(
            model_name='publishedproject',
            name='year',
            field=models.PositiveIntegerField(default=0, verbose_name='年度'),
        ),
        migrations.AddField(
            model_name='publishedtable',
            name='search_text',
            field=models.TextField(blank=True, default='', verbose_name='检索文本'),
        ),
        migrations.AddIndex(
            model_name='publishedproject',
            index=models.Index(fields=['current', '-year', 'department', 'entry', 'position'], name='portal_project_search_order'),
        ),
        migrations.AddIndex(
            model_name='publishedtable',
            index=models.Index(fields=['current', 'year', 'department'], name='portal_table_year_page'),
        ),
        migrations.AddIndex(
            model_name='publishedtable',
            index=models.Index(fields=['published_at'], name='portal_table_published_at'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
