"""The pledges' campaign foreign keys point at members.Campaign (moved from activities)."""

import django.db.models.deletion
from django.db import migrations, models


# State only: the tables stay as they are (see members 0004).
STATE_OPERATIONS = [
    migrations.AlterField(
        model_name='historicalpledge',
        name='campaign',
        field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.campaign', verbose_name='活动'),
    ),
    migrations.AlterField(
        model_name='pledge',
        name='campaign',
        field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pledges', to='members.campaign', verbose_name='活动'),
    ),
    migrations.AlterField(
        model_name='pledgeobjection',
        name='campaign',
        field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pledge_objections', to='members.campaign', verbose_name='活动'),
    ),
    migrations.AlterField(
        model_name='pledgepublication',
        name='campaign',
        field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='pledge_publication', to='members.campaign', verbose_name='活动'),
    ),
]


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_campaign_frame_from_activities'),
        ('pledges', '0002_tracking_publication_objections'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE_OPERATIONS)]
