"""The person page: the whole record in one place, shown to the right people, private data masked."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    ActivityParticipantFactory,
    AttendanceFactory,
    BranchPostFactory,
    LeadingGroupRoleFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
    PledgeFactory,
    StatusStageFactory,
    TypicalHonorFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def page(client, person):
    return client.get(reverse("members:person-detail", args=[person.pk]))


def test_the_person_page_shows_the_whole_record(client, secretary, branch):
    person = MemberFactory(branch=branch, name="赵老师")
    StatusStageFactory(
        person=person, status="probationary", start=D(1999, 7, 1), end=D(2000, 6, 30)
    )
    StatusStageFactory(person=person, status="full", start=D(2000, 7, 1))
    BranchPostFactory(person=person, role="publicity", start=D(2009, 5, 1))
    group = PartyGroupFactory(branch=branch, name="初三年级党小组")
    PartyGroupMembershipFactory(group=group, person=person, start=D(2010, 9, 1))
    role = LeadingGroupRoleFactory(campaign__branch=branch, person=person, start=D(2010, 6, 1))
    PledgeFactory(campaign=role.campaign, person=person)
    ActivityParticipantFactory(
        activity__carrier__campaign=role.campaign, activity__title="志愿服务进社区", person=person
    )
    AttendanceFactory(meeting__branch=branch, meeting__topic="学习十七届六中全会", person=person)
    TypicalHonorFactory(branch=branch, person=person, title="区优秀共产党员")
    client.force_login(secretary)

    content = page(client, person).content.decode()

    for text in [
        "赵老师",
        "预备党员",
        "正式党员",
        "宣传委员",
        "初三年级党小组",
        "任领导小组组员",
        role.campaign.name,
        "志愿服务进社区",
        "学习十七届六中全会",
        "出席 1 / 共 1 次",
        "区优秀共产党员",
        "2010-09-01",
    ]:
        assert text in content, text


def test_a_member_sees_their_own_page_but_no_one_elses(client, member, other_member):
    client.force_login(member)

    assert page(client, member.person).status_code == 200
    assert page(client, other_member.person).status_code == 403


def test_a_member_sees_their_own_phone(client, member):
    client.force_login(member)
    assert member.person.phone in page(client, member.person).content.decode()


@pytest.mark.parametrize("persona", ["staff_user", "committee_user"])
def test_phone_and_birth_date_are_masked_for_staff_and_committee(client, branch, persona, request):
    person = PersonFactory(branch=branch, phone="13955556666", birth_date=D(1980, 2, 3))
    client.force_login(request.getfixturevalue(persona))

    response = page(client, person)

    content = response.content.decode()
    assert response.status_code == 200
    assert "13955556666" not in content and "1980-02-03" not in content
    assert "139******66" in content and "****-**-**" in content


def test_the_secretary_sees_phone_and_birth_date(client, secretary, branch):
    person = PersonFactory(branch=branch, phone="13955556666", birth_date=D(1980, 2, 3))
    client.force_login(secretary)

    content = page(client, person).content.decode()

    assert "13955556666" in content and "1980-02-03" in content


def test_another_branchs_secretary_cannot_open_the_page(client, outsider, branch):
    client.force_login(outsider)
    assert page(client, PersonFactory(branch=branch)).status_code == 403


def test_an_unknown_person_is_404(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("members:person-detail", args=[999999])).status_code == 404


def test_only_the_secretary_sees_the_actions(client, secretary, staff_user, branch):
    person = MemberFactory(branch=branch)
    client.force_login(staff_user)
    assert "组织关系转出" not in page(client, person).content.decode()
    client.force_login(secretary)
    assert "组织关系转出" in page(client, person).content.decode()


def test_editing_a_person_saves_the_change(client, secretary, branch):
    person = PersonFactory(branch=branch, name="钱老师")
    client.force_login(secretary)

    response = client.post(
        reverse("members:person-update", args=[person.pk]),
        {
            "name": "钱老师",
            "post": "教导主任",
            "is_senior_cadre": "on",
            "staff_since": "2001-09-01",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.post == "教导主任" and person.is_senior_cadre
