from django.db import migrations

def write_records(apps, schema_editor):
    # Each indicator of a record now says whether it is marked 不适用 and why: rows indexed
    # before get the same text the index writes for new ones.
    from jixiao.web.api import records

    records.rewrite_stored(apps.get_model("api", "PublishedProject"))


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0004_project_record_json'),
    ]

    operations = [
        migrations.RunPython(write_records, migrations.RunPython.noop),
    ]
