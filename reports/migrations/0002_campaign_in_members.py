"""The narratives' campaign and carrier foreign keys point at the models moved to members."""

import django.db.models.deletion
from django.db import migrations, models


# State only: the tables stay as they are (see members 0004).
STATE_OPERATIONS = [
    migrations.AlterField(
        model_name='historicalnarrativetext',
        name='campaign',
        field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.campaign', verbose_name='活动'),
    ),
    migrations.AlterField(
        model_name='historicalnarrativetext',
        name='carrier',
        field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.carrier', verbose_name='载体'),
    ),
    migrations.AlterField(
        model_name='narrativetext',
        name='campaign',
        field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='narratives', to='members.campaign', verbose_name='活动'),
    ),
    migrations.AlterField(
        model_name='narrativetext',
        name='carrier',
        field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='narratives', to='members.carrier', verbose_name='载体'),
    ),
]


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_campaign_frame_from_activities'),
        ('reports', '0001_initial'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE_OPERATIONS)]
