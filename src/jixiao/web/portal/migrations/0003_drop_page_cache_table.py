"""The whole-page cache (app ``pagecache``) is gone; its one-row counter table goes with it.

The portal's migration chain carries this because the portal's public caching (ETag,
Cache-Control for a reverse proxy) is what replaced it. ``IF EXISTS``: databases created after
the removal never had the table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_wide_amount_statistics")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS pagecache_generation", reverse_sql=migrations.RunSQL.noop),
    ]
