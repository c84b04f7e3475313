from django.db import migrations

BATCH = 2000


def write_records(apps, schema_editor):
    # Each indicator of a record now says whether it is marked 不适用 and why: rows indexed
    # before get the same text the index writes for new ones.
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
        ('api', '0004_project_record_json'),
    ]

    operations = [
        migrations.RunPython(write_records, migrations.RunPython.noop),
    ]
