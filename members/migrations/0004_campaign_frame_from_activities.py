"""The campaign frame (Campaign, Carrier, LeadingGroupRole) moves from activities to members.

Only Django's picture of the models moves: the tables keep their names (``db_table``) and every
row, and the constraints keep their ``activities_`` names. The content types are relabelled, so
the permissions, the role groups holding them and the admin's log entries follow the models.
Order: this migration adds the models to members' state; pledges 0003, reports 0002, mechanisms
0003 and activities 0004 point their foreign keys here; activities 0004 then drops the old state.
"""

import django.db.models.deletion
from django.db import migrations, models


FRAME_MODELS = ("campaign", "carrier", "leadinggrouprole")


def relabel_content_types(old_app: str, new_app: str):
    """A RunPython step moving the frame's content types from ``old_app`` to ``new_app``.

    Permissions, group permissions and admin log entries refer to the content type's id, so they
    follow. A content type already present under ``new_app`` is left alone (nothing to move).
    """

    def relabel(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        for model in FRAME_MODELS:
            if not types.filter(app_label=new_app, model=model).exists():
                types.filter(app_label=old_app, model=model).update(app_label=new_app)
        ContentType.objects.clear_cache()

    return relabel


# State only: the models join members with the tables they already have.
STATE_OPERATIONS = [
    migrations.CreateModel(
        name='Campaign',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('name', models.CharField(max_length=100, verbose_name='活动名称')),
            ('theme', models.TextField(blank=True, verbose_name='主题')),
            ('goals', models.TextField(blank=True, verbose_name='目标')),
            ('plan', models.TextField(blank=True, verbose_name='实施方案')),
            ('start', models.DateField(verbose_name='开始日期')),
            ('end', models.DateField(blank=True, null=True, verbose_name='结束日期')),
            ('branch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='campaigns', to='members.branch', verbose_name='党支部')),
        ],
        options={
            'verbose_name': '创先争优活动',
            'verbose_name_plural': '创先争优活动',
            'db_table': 'activities_campaign',
            'ordering': ['branch', '-start'],
        },
    ),
    migrations.CreateModel(
        name='Carrier',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('order', models.PositiveSmallIntegerField(verbose_name='序号')),
            ('name', models.CharField(help_text='如：公开承诺', max_length=30, verbose_name='载体')),
            ('aim', models.CharField(help_text='如：树立党员形象', max_length=50, verbose_name='目标短语')),
            ('narrative', models.TextField(blank=True, verbose_name='工作叙述')),
            ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='carriers', to='members.campaign', verbose_name='活动')),
        ],
        options={
            'verbose_name': '载体',
            'verbose_name_plural': '载体',
            'db_table': 'activities_carrier',
            'ordering': ['campaign', 'order'],
        },
    ),
    migrations.CreateModel(
        name='LeadingGroupRole',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('start', models.DateField(verbose_name='开始日期')),
            ('end', models.DateField(blank=True, help_text='留空表示至今仍然有效', null=True, verbose_name='结束日期')),
            ('role', models.CharField(choices=[('leader', '组长'), ('deputy', '副组长'), ('member', '组员')], max_length=20, verbose_name='职务')),
            ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
            ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='leading_roles', to='members.campaign', verbose_name='活动')),
            ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='leading_roles', to='members.person', verbose_name='人员')),
            ('predecessor', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='successor', to='members.leadinggrouprole', verbose_name='接替')),
        ],
        options={
            'verbose_name': '领导小组成员',
            'verbose_name_plural': '领导小组成员',
            'db_table': 'activities_leadinggrouprole',
            'ordering': ['campaign', 'order', 'start'],
            'abstract': False,
        },
    ),
    migrations.AddConstraint(
        model_name='campaign',
        constraint=models.CheckConstraint(condition=models.Q(('end__isnull', True), ('end__gte', models.F('start')), _connector='OR'), name='activities_campaign_end_after_start', violation_error_message='结束日期不能早于开始日期。'),
    ),
    migrations.AddConstraint(
        model_name='campaign',
        constraint=models.UniqueConstraint(fields=('branch', 'name', 'start'), name='activities_campaign_unique', violation_error_message='本支部已有同名同期的活动。'),
    ),
    migrations.AddConstraint(
        model_name='carrier',
        constraint=models.UniqueConstraint(fields=('campaign', 'order'), name='activities_carrier_unique_order', violation_error_message='同一活动中载体序号不能重复。'),
    ),
    migrations.AddConstraint(
        model_name='carrier',
        constraint=models.UniqueConstraint(fields=('campaign', 'name'), name='activities_carrier_unique_name', violation_error_message='同一活动中已有同名载体。'),
    ),
    migrations.AddConstraint(
        model_name='leadinggrouprole',
        constraint=models.CheckConstraint(condition=models.Q(('end__isnull', True), ('end__gte', models.F('start')), _connector='OR'), name='activities_leadinggrouprole_end_after_start', violation_error_message='结束日期不能早于开始日期。'),
    ),
    migrations.AddConstraint(
        model_name='leadinggrouprole',
        constraint=models.CheckConstraint(condition=models.Q(('role__in', ['leader', 'deputy', 'member'])), name='activities_leadinggrouprole_role_valid', violation_error_message='职务只能是组长、副组长或组员。'),
    ),
]


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0003_branch_data_version'),
        # The tables the models take over, as activities left them.
        ('activities', '0003_activity_period_carrier_index'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE_OPERATIONS),
        migrations.RunPython(
            relabel_content_types("activities", "members"),
            relabel_content_types("members", "activities"),
        ),
    ]
