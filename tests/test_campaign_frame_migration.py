"""The campaign frame's move from activities to members keeps every row and every permission.

The database is migrated back to before the move, rows are written through the historical models,
and the move is migrated forward again: the same rows are read through the models in ``members``,
the pledges and activities still reach them, and the content types (with the permissions, the
role groups' grants and the admin log entries hanging on them) now carry the label ``members``.
"""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from activities.models import Activity
from members.models import Campaign, Carrier, LeadingGroupRole
from members.roles import group_name
from pledges.models import Pledge

BEFORE = [
    ("members", "0003_branch_data_version"),
    ("activities", "0003_activity_period_carrier_index"),
    ("pledges", "0002_tracking_publication_objections"),
    ("admin", "0003_logentry_add_action_flag_choices"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_moving_the_campaign_frame_to_members_keeps_rows_and_permissions():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE)
    try:
        committee = old.get_model("members", "Committee").objects.create(name="区党工委")
        branch = old.get_model("members", "Branch").objects.create(
            committee=committee, name="第一中学支部委员会", short_name="一中支部"
        )
        person = old.get_model("members", "Person").objects.create(branch=branch, name="张老师")
        campaign = old.get_model("activities", "Campaign").objects.create(
            branch=branch, name="创先争优", start=datetime.date(2010, 5, 1)
        )
        carrier = old.get_model("activities", "Carrier").objects.create(
            campaign=campaign, order=1, name="公开承诺", aim="树立党员形象"
        )
        role = old.get_model("activities", "LeadingGroupRole").objects.create(
            campaign=campaign, person=person, role="leader", start=datetime.date(2010, 5, 1)
        )
        old.get_model("activities", "Activity").objects.create(
            branch=branch, carrier=carrier, title="承诺公示", start_date=datetime.date(2010, 6, 1)
        )
        old.get_model("pledges", "Pledge").objects.create(campaign=campaign, person=person)

        ContentType = old.get_model("contenttypes", "ContentType")
        campaign_type, _ = ContentType.objects.get_or_create(
            app_label="activities", model="campaign"
        )
        change_campaign, _ = old.get_model("auth", "Permission").objects.get_or_create(
            content_type=campaign_type, codename="change_campaign", defaults={"name": "修改"}
        )
        secretaries, _ = old.get_model("auth", "Group").objects.get_or_create(
            name=group_name("secretary")
        )
        secretaries.permissions.add(change_campaign)
        user = old.get_model("auth", "User").objects.create(username="admin")
        log = old.get_model("admin", "LogEntry").objects.create(
            user=user, content_type=campaign_type, object_id=str(campaign.pk), action_flag=2
        )
    finally:
        migrate(leaves)

    moved = Campaign.objects.get(pk=campaign.pk)
    assert moved.name == "创先争优"
    assert list(moved.carriers.values_list("pk", flat=True)) == [carrier.pk]
    assert list(moved.leading_roles.values_list("pk", flat=True)) == [role.pk]
    assert Carrier.objects.get(pk=carrier.pk).activities.get().title == "承诺公示"
    assert LeadingGroupRole.objects.get(pk=role.pk).person.name == "张老师"
    assert Activity.objects.get().carrier.campaign == moved
    assert Pledge.objects.get().campaign == moved

    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()
    assert LiveContentType.objects.get_for_model(Campaign).pk == campaign_type.pk
    assert not LiveContentType.objects.filter(app_label="activities", model="campaign").exists()
    granted = Group.objects.get(name=group_name("secretary")).permissions
    assert granted.filter(pk=change_campaign.pk, content_type__app_label="members").exists()
    assert LogEntry.objects.get(pk=log.pk).get_edited_object() == moved
