"""Mechanisms' campaign and featured works' carrier foreign keys point at the models in members."""

import django.db.models.deletion
from django.db import migrations, models


# State only: the tables stay as they are (see members 0004).
STATE_OPERATIONS = [
    migrations.AlterField(
        model_name='featuredwork',
        name='carrier',
        field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='featured_works', to='members.carrier', verbose_name='相关载体'),
    ),
    migrations.AlterField(
        model_name='historicalfeaturedwork',
        name='carrier',
        field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.carrier', verbose_name='相关载体'),
    ),
    migrations.AlterField(
        model_name='historicalmechanism',
        name='campaign',
        field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.campaign', verbose_name='所属活动'),
    ),
    migrations.AlterField(
        model_name='mechanism',
        name='campaign',
        field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mechanisms', to='members.campaign', verbose_name='所属活动'),
    ),
]


class Migration(migrations.Migration):

    dependencies = [
        ('mechanisms', '0002_historicalfeaturedwork'),
        ('members', '0004_campaign_frame_from_activities'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE_OPERATIONS)]
