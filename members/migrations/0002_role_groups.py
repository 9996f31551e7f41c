"""Roles as Django groups: 书记/支委, 工作人员, 党员, 上级党委, with their permissions.

The groups are refreshed after every ``migrate`` (``members.signals.refresh_role_groups``), so
permissions of models added later reach them too; existing assignments join their groups here.
"""

from django.db import migrations

ROLE_GROUPS = {
    "secretary": "书记/支委",
    "staff": "工作人员",
    "member": "党员",
    "committee": "上级党委",
}


def create_role_groups(apps, schema_editor):
    from members.roles import sync_role_groups

    sync_role_groups(apps)
    Group = apps.get_model("auth", "Group")
    RoleAssignment = apps.get_model("members", "RoleAssignment")
    for assignment in RoleAssignment.objects.select_related("user"):
        assignment.user.groups.add(Group.objects.get(name=ROLE_GROUPS[assignment.role]))


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
