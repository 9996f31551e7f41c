"""Record pages show the change history (who changed what) to the branch's secretary only."""

import pytest
from django.urls import reverse

from reports.models import NarrativeText
from tests.factories import (
    CampaignFactory,
    FeaturedWorkFactory,
    HonorFactory,
    MechanismFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

HEADING = "修改记录"


def changed_by(obj, user, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()
    return obj


def test_secretary_sees_who_changed_a_persons_phone_on_the_person_page(
    client, branch, secretary, staff_user
):
    person = PersonFactory(branch=branch, name="李老师", phone="13900000001")
    changed_by(person, staff_user, phone="13900000002")
    client.force_login(secretary)

    page = client.get(reverse("members:person-detail", args=[person.pk])).content.decode()

    assert HEADING in page
    assert staff_user.username in page
    assert "联系电话" in page and "13900000001 → 13900000002" in page


@pytest.mark.parametrize("who", ["staff_user", "committee_user", "member"])
def test_others_do_not_see_the_history_on_the_person_page(request, client, branch, who):
    user = request.getfixturevalue(who)
    person = user.person if who == "member" else PersonFactory(branch=branch)
    changed_by(person, user, post="数学教师")
    client.force_login(user)

    response = client.get(reverse("members:person-detail", args=[person.pk]))

    assert response.status_code == 200
    assert HEADING not in response.content.decode()


def test_secretary_sees_membership_changes_on_the_person_page(
    client, branch, secretary, staff_user
):
    person = PersonFactory(branch=branch, name="王老师")
    membership = MembershipFactory(person=person, note="由区教育局党委转入")
    changed_by(membership, staff_user, note="由徐汇中学党支部转入")
    client.force_login(secretary)

    page = client.get(reverse("members:person-detail", args=[person.pk])).content.decode()

    assert "党员关系修改记录" in page
    assert "由区教育局党委转入 → 由徐汇中学党支部转入" in page


def test_staff_do_not_see_membership_changes(client, branch, staff_user):
    membership = MembershipFactory(person=PersonFactory(branch=branch))
    changed_by(membership, staff_user, note="更正转入日期")
    client.force_login(staff_user)

    page = client.get(reverse("members:person-detail", args=[membership.person.pk]))

    assert page.status_code == 200
    assert "党员关系修改记录" not in page.content.decode()


@pytest.mark.parametrize("page", ["honors:honor-detail", "honors:honor-update"])
def test_secretary_sees_the_history_of_an_honor(client, branch, secretary, staff_user, page):
    honor = HonorFactory(branch=branch, title="先进集体")
    changed_by(honor, staff_user, awarded_by="市教委")
    client.force_login(secretary)

    html = client.get(reverse(page, args=[honor.pk])).content.decode()

    assert HEADING in html
    assert "授予单位" in html and "区教育局 → 市教委" in html
    assert staff_user.username in html


@pytest.mark.parametrize("page", ["mechanisms:mechanism-detail", "mechanisms:mechanism-update"])
def test_secretary_sees_the_history_of_a_mechanism(client, branch, secretary, staff_user, page):
    mechanism = MechanismFactory(branch=branch, name="学习制度")
    changed_by(mechanism, staff_user, summary="每月学习一次。")
    client.force_login(secretary)

    html = client.get(reverse(page, args=[mechanism.pk])).content.decode()

    assert HEADING in html
    assert "主要内容" in html and "每月学习一次。" in html


@pytest.mark.parametrize("who", ["staff_user", "committee_user", "outsider"])
def test_others_do_not_see_the_history_of_honors_and_mechanisms(request, client, branch, who):
    user = request.getfixturevalue(who)
    honor = changed_by(HonorFactory(branch=branch), user, awarded_by="市教委")
    mechanism = changed_by(MechanismFactory(branch=branch), user, summary="改过")
    client.force_login(user)

    for url in (
        reverse("honors:honor-detail", args=[honor.pk]),
        reverse("mechanisms:mechanism-detail", args=[mechanism.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (200, 403, 404)
        assert HEADING not in response.content.decode()


def test_secretary_sees_the_history_of_a_narrative_section_in_the_editor(client, branch, secretary):
    campaign = CampaignFactory(branch=branch)
    url = reverse("reports:narrative-edit", args=[branch.pk, campaign.pk, "opening"])
    client.force_login(secretary)
    client.post(url, {"title": "开篇", "text": "第一稿"})
    client.post(url, {"title": "开篇", "text": "第二稿"})

    html = client.get(url).content.decode()

    assert NarrativeText.objects.get(campaign=campaign, section="opening").text == "第二稿"
    assert HEADING in html
    assert "第一稿 → 第二稿" in html
    assert "书记甲" in html


def test_featured_work_keeps_a_history(branch, secretary):
    work = FeaturedWorkFactory(branch=branch, text="师德讲堂")
    changed_by(work, secretary, text="师德讲堂（第二期）")

    assert [record.history_type for record in work.history.order_by("history_date")] == ["+", "~"]
    assert work.history.latest().history_user == secretary
