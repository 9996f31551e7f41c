"""Campaign, Carrier and LeadingGroupRole leave the activities app's state (members 0004 took them).

The tables stay; this runs after every app's foreign keys were pointed at the members models.
"""

import django.db.models.deletion
from django.db import migrations, models


# State only: the tables stay as they are (see members 0004).
STATE_OPERATIONS = [
    migrations.RemoveField(
        model_name='carrier',
        name='campaign',
    ),
    migrations.RemoveField(
        model_name='leadinggrouprole',
        name='campaign',
    ),
    migrations.AlterField(
        model_name='researchtopic',
        name='carrier',
        field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='research_topics', to='members.carrier', verbose_name='载体'),
    ),
    migrations.AlterField(
        model_name='activity',
        name='carrier',
        field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='members.carrier', verbose_name='载体'),
    ),
    migrations.AlterField(
        model_name='measure',
        name='carrier',
        field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measures', to='members.carrier', verbose_name='载体'),
    ),
    migrations.RemoveField(
        model_name='leadinggrouprole',
        name='person',
    ),
    migrations.RemoveField(
        model_name='leadinggrouprole',
        name='predecessor',
    ),
    migrations.DeleteModel(
        name='Campaign',
    ),
    migrations.DeleteModel(
        name='Carrier',
    ),
    migrations.DeleteModel(
        name='LeadingGroupRole',
    ),
]


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0003_activity_period_carrier_index'),
        ('members', '0004_campaign_frame_from_activities'),
        # Every foreign key to the frame points at members first, or the state would dangle.
        ('mechanisms', '0003_campaign_in_members'),
        ('pledges', '0003_campaign_in_members'),
        ('reports', '0002_campaign_in_members'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE_OPERATIONS)]
