from django.db import migrations, models

BATCH = 2000


def write_records(apps, schema_editor):
    # Rows indexed before this field existed get the same text the index writes for new ones.
    from jixiao.web.api import records

    project_model = apps.get_model("api", "PublishedProject")
    batch = []
    for row in project_model.objects.select_related("table").order_by("pk").iterator(chunk_size=BATCH):
        row.record_json = records.fixed_json(row.document, row.table.money_unit, row.position, row.seq)
        batch.append(row)
        if len(batch) >= BATCH:
            project_model.objects.bulk_update(batch, ["record_json"])
            batch = []
    project_model.objects.bulk_update(batch, ["record_json"])


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0003_project_order_by_table_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='publishedproject',
            name='record_json',
            field=models.TextField(default='', editable=False, verbose_name='接口记录（JSON 文本）'),
            preserve_default=False,
        ),
        migrations.RunPython(write_records, migrations.RunPython.noop),
    ]
