"""A project's figures are a stored project's or a frozen version's, never both nor neither: the
database refuses any other row (a finding likewise belongs to a stored project or to a frozen
version's project figures). Every row the dashboard writes is one of the two already."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0009_one_project_stat'),
        ('entry', '0006_publication_target_changes'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='findingstat',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('project__isnull', False), ('stat__isnull', True)), models.Q(('project__isnull', True), ('stat__isnull', False)), _connector='OR'), name='dash_finding_project_or_stat'),
        ),
        migrations.AddConstraint(
            model_name='projectstat',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('project__isnull', False), ('version__isnull', True)), models.Q(('project__isnull', True), ('version__isnull', False)), _connector='OR'), name='dash_stat_project_or_version'),
        ),
    ]
