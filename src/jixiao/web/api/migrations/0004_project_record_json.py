from django.db import migrations, models

def write_records(apps, schema_editor):
    # Rows indexed before this field existed get the same text the index writes for new ones.
    from jixiao.web.api import records

    records.rewrite_stored(apps.get_model("api", "PublishedProject"))


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
