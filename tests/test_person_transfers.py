"""Transfers in and out and status changes: dated, under one transaction, facts kept in step."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import LeadingGroupRole, Membership, Person, PoliticalStatus, StatusStage
from members.services import (
    member_transfer_in,
    member_transfer_out,
    person_change_status,
    person_create,
)
from recruitment.models import Development
from tests.factories import (
    BranchPostFactory,
    LeadingGroupRoleFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
    StatusStageFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def members_on(branch, day):
    return set(Person.objects.for_branch(branch).members_on(day))


def test_transfer_out_makes_the_person_not_counted_as_member_the_day_after(branch):
    person = MemberFactory(branch=branch)

    member_transfer_out(membership=person.memberships.get(), on=D(2011, 6, 30), note="调往区教育局")

    assert person in members_on(branch, D(2011, 6, 30))
    assert person not in members_on(branch, D(2011, 7, 1))
    membership = person.memberships.get()
    assert membership.left_how == Membership.Left.TRANSFERRED_OUT
    assert membership.note == "调往区教育局"


def test_transfer_out_ends_posts_group_and_leading_roles_the_same_day(branch):
    person = MemberFactory(branch=branch)
    post = BranchPostFactory(person=person, start=D(2010, 1, 1))
    place = PartyGroupMembershipFactory(group=PartyGroupFactory(branch=branch), person=person)
    role = LeadingGroupRoleFactory(campaign__branch=branch, person=person)

    member_transfer_out(membership=person.memberships.get(), on=D(2011, 6, 30), leaves_staff=True)

    for fact in (post, place, role):
        fact.refresh_from_db()
        assert fact.end == D(2011, 6, 30)
    person.refresh_from_db()
    assert person.staff_until == D(2011, 6, 30)
    assert not LeadingGroupRole.objects.on(D(2011, 7, 1)).filter(person=person).exists()


def test_transfer_out_before_the_membership_began_is_refused_and_changes_nothing(branch):
    person = MemberFactory(branch=branch)
    post = BranchPostFactory(person=person)

    with pytest.raises(ValidationError):
        member_transfer_out(membership=person.memberships.get(), on=D(1999, 1, 1))

    assert person.memberships.get().end is None
    post.refresh_from_db()
    assert post.end is None


def test_transfer_in_starts_a_membership_and_sets_the_status(branch):
    person = PersonFactory(branch=branch, political_status=PoliticalStatus.MASSES)
    StatusStageFactory(person=person, status=PoliticalStatus.MASSES, start=D(1990, 1, 1))
    group = PartyGroupFactory(branch=branch)

    member_transfer_in(person=person, on=D(2011, 9, 1), party_group=group)

    assert person not in members_on(branch, D(2011, 8, 31))
    assert person in members_on(branch, D(2011, 9, 1))
    person.refresh_from_db()
    assert person.political_status == PoliticalStatus.FULL
    assert person.status_stages.get(end__isnull=True).start == D(2011, 9, 1)
    assert person.party_group_memberships.get().group == group


def test_transfer_in_while_still_a_member_is_refused(branch):
    person = MemberFactory(branch=branch)
    with pytest.raises(ValidationError):
        member_transfer_in(person=person, on=D(2011, 9, 1))
    assert person.memberships.count() == 1


def test_status_change_keeps_person_and_stages_in_step(branch):
    person = PersonFactory(branch=branch, political_status=PoliticalStatus.ACTIVIST)
    StatusStageFactory(person=person, status=PoliticalStatus.ACTIVIST, start=D(2009, 3, 1))

    person_change_status(person=person, status=PoliticalStatus.CANDIDATE, on=D(2010, 3, 1))
    # Admission needs the 支部大会 and the superior committee's approval (recruitment's check).
    Development.objects.create(
        person=person,
        applied_on=D(2008, 9, 1),
        admission_vote_on=D(2011, 7, 1),
        approved_on=D(2011, 8, 1),
    )
    person_change_status(person=person, status=PoliticalStatus.PROBATIONARY, on=D(2011, 7, 1))

    person.refresh_from_db()
    assert person.political_status == PoliticalStatus.PROBATIONARY
    stages = list(person.status_stages.order_by("start").values_list("status", "start", "end"))
    assert stages == [
        ("activist", D(2009, 3, 1), D(2010, 2, 28)),
        ("candidate", D(2010, 3, 1), D(2011, 6, 30)),
        ("probationary", D(2011, 7, 1), None),
    ]
    membership = person.memberships.get()
    assert (membership.start, membership.joined_how) == (D(2011, 7, 1), Membership.Joined.ADMITTED)
    assert person in members_on(branch, D(2011, 7, 1))


def test_status_change_to_full_member_keeps_the_membership(branch):
    person = MemberFactory(branch=branch, political_status=PoliticalStatus.PROBATIONARY)
    StatusStageFactory(person=person, status=PoliticalStatus.PROBATIONARY, start=D(2010, 7, 1))

    person_change_status(person=person, status=PoliticalStatus.FULL, on=D(2011, 7, 1))

    assert person.memberships.count() == 1
    assert person.memberships.get().end is None


def test_status_change_dated_before_the_current_stage_is_refused(branch):
    person = PersonFactory(branch=branch, political_status=PoliticalStatus.ACTIVIST)
    StatusStageFactory(person=person, status=PoliticalStatus.ACTIVIST, start=D(2009, 3, 1))

    with pytest.raises(ValidationError) as caught:
        person_change_status(person=person, status=PoliticalStatus.CANDIDATE, on=D(2009, 3, 1))

    assert "变更日期须晚于当前阶段的开始日期" in str(caught.value)
    person.refresh_from_db()
    assert person.political_status == PoliticalStatus.ACTIVIST
    assert StatusStage.objects.filter(person=person).count() == 1


def test_person_create_of_a_member_needs_a_joining_date(branch):
    with pytest.raises(ValidationError):
        person_create(branch=branch, fields={"name": "甲", "political_status": "full"})
    assert not Person.objects.filter(name="甲").exists()


# Through the browser ----------------------------------------------------------------------


def test_secretary_transfers_a_member_out_in_the_browser(client, secretary, branch):
    person = MemberFactory(branch=branch, name="郭老师")
    client.force_login(secretary)
    url = reverse("members:person-transfer-out", args=[person.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"on": "2011-06-30", "how": "transferred_out", "note": "调出"})

    assert response.status_code == 302
    assert person not in members_on(branch, D(2011, 7, 1))


def test_transfer_out_form_names_a_bad_date_next_to_the_field(client, secretary, branch):
    person = MemberFactory(branch=branch)
    client.force_login(secretary)

    response = client.post(
        reverse("members:person-transfer-out", args=[person.pk]),
        {"on": "1999-01-01", "how": "transferred_out"},
    )

    assert response.status_code == 200
    assert "转出日期不能早于党员关系开始日期" in response.context["form"].errors["on"][0]
    assert person.memberships.get().end is None


def test_status_change_in_the_browser(client, secretary, branch):
    person = PersonFactory(branch=branch, political_status=PoliticalStatus.ACTIVIST)
    StatusStageFactory(person=person, status=PoliticalStatus.ACTIVIST, start=D(2009, 3, 1))
    client.force_login(secretary)

    response = client.post(
        reverse("members:person-status", args=[person.pk]),
        {"status": "candidate", "on": "2009-03-01"},
    )
    assert "变更日期须晚于当前阶段的开始日期" in response.content.decode()

    client.post(
        reverse("members:person-status", args=[person.pk]),
        {"status": "candidate", "on": "2010-03-01"},
    )
    person.refresh_from_db()
    assert person.political_status == PoliticalStatus.CANDIDATE


def test_create_a_member_in_the_browser(client, secretary, branch):
    client.force_login(secretary)
    url = reverse("members:person-create")

    missing = client.post(url, {"name": "新老师", "political_status": "full"})
    assert "党员须填写入党或转入日期" in missing.content.decode()

    client.post(
        url,
        {
            "name": "新老师",
            "political_status": "full",
            "joined_on": "2012-09-01",
            "joined_how": "transferred_in",
        },
    )
    person = Person.objects.get(name="新老师")
    assert person.branch == branch
    assert person in members_on(branch, D(2012, 9, 1))


def test_staff_cannot_transfer_anyone(client, staff_user, branch):
    person = MemberFactory(branch=branch)
    client.force_login(staff_user)

    response = client.post(
        reverse("members:person-transfer-out", args=[person.pk]),
        {"on": "2011-06-30", "how": "transferred_out"},
    )

    assert response.status_code == 403
    assert person.memberships.get().end is None


def test_transfer_out_in_year_9999_is_refused_next_to_the_field(client, secretary, branch):
    person = MemberFactory(branch=branch)
    client.force_login(secretary)

    response = client.post(
        reverse("members:person-transfer-out", args=[person.pk]),
        {"on": "9999-01-01", "how": "transferred_out"},
    )

    assert response.status_code == 200
    assert "日期超出合理范围" in response.context["form"].errors["on"][0]
    assert person.memberships.get().end is None


def test_status_change_in_year_1800_is_refused(client, secretary, branch):
    person = PersonFactory(branch=branch, political_status=PoliticalStatus.MASSES)
    client.force_login(secretary)

    response = client.post(
        reverse("members:person-status", args=[person.pk]),
        {"status": "applicant", "on": "1800-03-01"},
    )

    assert response.status_code == 200
    assert "日期超出合理范围" in response.content.decode()
    person.refresh_from_db()
    assert person.political_status == PoliticalStatus.MASSES
    assert not person.status_stages.exists()
