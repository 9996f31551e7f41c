"""Roles as Django groups, kept in step with RoleAssignment; navigation, log out, password change."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.models import RoleAssignment
from members.roles import group_name, sync_role_groups
from members.services import role_assign, role_revoke
from tests.factories import PASSWORD, BranchFactory, UserFactory

pytestmark = pytest.mark.django_db

GROUPS = ["书记/支委", "工作人员", "党员", "上级党委"]


def group_permissions(name) -> set[str]:
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_four_role_groups_exist_with_their_permissions():
    assert set(GROUPS) <= set(Group.objects.values_list("name", flat=True))

    secretary = group_permissions("书记/支委")
    assert {"members.add_person", "members.change_person", "honors.delete_honor"} <= secretary
    assert "members.add_roleassignment" not in secretary
    assert "members.view_roleassignment" in secretary
    assert not any("historical" in p for p in secretary)

    for read_only in ("工作人员", "上级党委"):
        permissions = group_permissions(read_only)
        assert {"members.view_person", "activities.view_activity"} <= permissions
        assert all(p.split(".")[1].startswith("view_") for p in permissions)

    member = group_permissions("党员")
    assert {"pledges.view_pledge", "pledges.change_pledgeitem"} <= member
    assert "members.view_person" not in member


def test_syncing_again_repairs_a_group_whose_permissions_were_removed():
    Group.objects.get(name="工作人员").permissions.clear()
    sync_role_groups()
    assert "members.view_person" in group_permissions("工作人员")


def test_role_assign_puts_the_user_in_the_group_and_revoke_takes_them_out():
    user = UserFactory()
    first, second = BranchFactory(), BranchFactory()

    one = role_assign(user=user, role=RoleAssignment.Role.STAFF, branch=first)
    two = role_assign(user=user, role=RoleAssignment.Role.STAFF, branch=second)
    assert list(user.groups.values_list("name", flat=True)) == ["工作人员"]
    assert user.has_perm("members.view_person")

    role_revoke(assignment=one)
    assert user.groups.filter(name="工作人员").exists()  # still staff of the second branch
    role_revoke(assignment=two)
    assert not user.groups.exists()
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("members.view_person")


def test_role_assign_refuses_a_committee_role_on_a_branch():
    from django.core.exceptions import ValidationError

    user = UserFactory()
    with pytest.raises(ValidationError):
        role_assign(user=user, role=RoleAssignment.Role.COMMITTEE, branch=BranchFactory())
    assert not user.groups.exists() and not user.role_assignments.exists()


def test_an_assignment_saved_or_deleted_anywhere_keeps_the_groups_in_step(secretary):
    assert list(secretary.groups.values_list("name", flat=True)) == [group_name("secretary")]

    assignment = secretary.role_assignments.get()
    assignment.role = RoleAssignment.Role.STAFF
    assignment.save()
    assert list(secretary.groups.values_list("name", flat=True)) == ["工作人员"]

    assignment.delete()
    assert not secretary.groups.exists()


# Navigation -------------------------------------------------------------------------------


def navbar_of(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("password_change"))
    content = response.content.decode()
    return content[: content.index("</nav>")]


def test_the_navigation_shows_each_role_only_what_it_may_use(
    client, secretary, staff_user, member, committee_user
):
    roster, importing, honors, mechanisms = (
        f'href="{reverse(name)}"'
        for name in (
            "members:person-list",
            "members:roster-import",
            "honors:honor-list",
            "mechanisms:mechanism-list",
        )
    )

    secretary_nav = navbar_of(client, secretary)
    assert all(url in secretary_nav for url in (roster, importing, honors, mechanisms))
    assert reverse("members:person-detail", args=[secretary.person.pk]) in secretary_nav

    for reader in (staff_user, committee_user):
        reader_nav = navbar_of(client, reader)
        assert roster in reader_nav and honors in reader_nav and mechanisms in reader_nav
        assert importing not in reader_nav

    member_nav = navbar_of(client, member)
    assert roster not in member_nav and honors not in member_nav and mechanisms not in member_nav
    assert reverse("members:person-detail", args=[member.person.pk]) in member_nav
    assert "我的档案" in member_nav


def test_anonymous_sees_no_app_links(client):
    content = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("members:person-list")}"' not in content
    assert f'href="{reverse("honors:honor-list")}"' not in content


# Log in, log out, change password ---------------------------------------------------------


def test_log_out_by_post_ends_the_session(client, member):
    client.force_login(member)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("members:person-list")).status_code == 302


def test_password_change_in_chinese_and_it_works(client, member):
    client.force_login(member)
    url = reverse("password_change")

    page = client.get(url).content.decode()
    assert "修改密码" in page and "旧密码" in page
    wrong = client.post(
        url, {"old_password": "wrong", "new_password1": "x", "new_password2": "x"}
    ).content.decode()
    assert "你的旧密码不正确" in wrong or "您的旧密码不正确" in wrong

    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Tianlin-2012-new",
            "new_password2": "Tianlin-2012-new",
        },
        follow=True,
    )
    assert "密码已修改" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password("Tianlin-2012-new")


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
