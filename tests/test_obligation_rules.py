"""Rules as data: a committee overrides a national rule in the browser; bad input is refused
with a Chinese message next to the field; every change keeps its history."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Attendance, Meeting
from obligations.forms import RuleForm
from obligations.models import Rule
from tests.factories import MeetingFactory, MemberFactory

D = datetime.date


def _data(**changes):
    data = {
        "kind": "lecture",
        "scope": "branch",
        "frequency": "year",
        "count": "2",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "source": "区教育党工委〔2026〕1号",
        "note": "",
        "term_years": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"count": "0"}, "count", "次数至少为 1 次。"),
        ({"count": "-3"}, "count", "次数至少为 1 次。"),
        ({"valid_to": "2025-12-31"}, "valid_to", "失效日期不能早于生效日期。"),
        ({"frequency": "term"}, "term_years", "周期为“每届”时须填写每届年数。"),
    ],
)
def test_bad_rules_are_refused_next_to_the_field(branch, changes, field, message):
    form = RuleForm(_data(**changes), instance=Rule(), committee=branch.committee)
    assert not form.is_valid()
    assert message in form.errors[field]


def test_two_rules_for_the_same_thing_may_not_overlap_in_time(branch):
    Rule.objects.create(
        committee=branch.committee,
        kind="lecture",
        scope="branch",
        frequency="year",
        count=2,
        valid_from=D(2025, 1, 1),
        valid_to=D(2026, 6, 30),
        source="旧规定",
    )
    form = RuleForm(_data(), instance=Rule(), committee=branch.committee)
    assert not form.is_valid()
    assert "有效期不能重叠" in form.errors["valid_from"][0]
    # after the old one ends, or for another scope, it is fine
    assert RuleForm(
        _data(valid_from="2026-07-01"), instance=Rule(), committee=branch.committee
    ).is_valid()
    assert RuleForm(_data(scope="group"), instance=Rule(), committee=branch.committee).is_valid()


def test_the_committee_overrides_a_rule_in_the_browser_and_its_history_is_kept(
    client, committee_user, branch
):
    client.force_login(committee_user)
    response = client.post(reverse("obligations:rule-create"), _data())
    assert response.status_code == 302
    rule = Rule.objects.get(committee=branch.committee)
    assert (rule.kind, rule.count) == ("lecture", 2)
    response = client.post(
        reverse("obligations:rule-edit", args=[rule.pk]), _data(count="4", valid_to="2026-12-31")
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.count == 4
    assert rule.history.count() == 2
    page = client.get(reverse("obligations:rule-edit", args=[rule.pk])).content.decode()
    assert "修改记录" in page and "次数" in page
    bad = client.post(reverse("obligations:rule-create"), _data(count="0", valid_from="2027-01-01"))
    assert "次数至少为 1 次。" in bad.content.decode()


def test_a_national_rule_cannot_be_changed_in_the_browser(client, committee_user):
    client.force_login(committee_user)
    national = Rule.objects.filter(committee=None).first()
    assert client.get(reverse("obligations:rule-edit", args=[national.pk])).status_code == 403


def test_another_committees_rule_cannot_be_changed(client, outsider, committee_user, other_branch):
    rule = Rule.objects.create(
        committee=other_branch.committee,
        kind="lecture",
        scope="branch",
        frequency="year",
        count=2,
        valid_from=D(2026, 1, 1),
        source="他区规定",
    )
    client.force_login(committee_user)
    assert client.get(reverse("obligations:rule-edit", args=[rule.pk])).status_code == 403


def test_a_meeting_cannot_be_planned_in_a_closed_period(client, secretary, branch, monkeypatch):
    monkeypatch.setattr("activities.views._today", lambda: D(2026, 3, 15))
    client.force_login(secretary)
    data = {"kind": "theme_day", "status": "planned", "held_on": "2026-02-20", "topic": "主题党日"}
    response = client.post(f"{reverse('activities:meeting-create')}?branch={branch.pk}", data)
    assert response.status_code == 200
    assert "2026年2月已经结束，不能在已结束的期间安排会议" in response.content.decode()
    assert not Meeting.objects.exists()
    data["held_on"] = "2026-03-27"
    response = client.post(f"{reverse('activities:meeting-create')}?branch={branch.pk}", data)
    meeting = Meeting.objects.get()
    assert response.url == reverse("activities:meeting-detail", args=[meeting.pk])
    assert (meeting.status, meeting.planned_on) == ("planned", D(2026, 3, 27))


def test_a_meeting_in_the_future_cannot_be_recorded_as_held(client, secretary, branch, monkeypatch):
    monkeypatch.setattr("activities.views._today", lambda: D(2026, 3, 15))
    client.force_login(secretary)
    data = {"kind": "theme_day", "status": "held", "held_on": "2026-03-27", "topic": "主题党日"}
    response = client.post(f"{reverse('activities:meeting-create')}?branch={branch.pk}", data)
    assert "尚未到来的日期不能登记为已召开" in response.content.decode()


def test_excused_absence_needs_a_reason_absent_does_not(client, secretary, branch):
    meeting = MeetingFactory(branch=branch, held_on=D(2026, 3, 1))
    person = MemberFactory(branch=branch, name="党员丁")
    client.force_login(secretary)
    url = reverse("activities:meeting-attendance", args=[meeting.pk])
    people = list(meeting.expected_people())
    data = {f"status_{p.pk}": "present" for p in people}
    data[f"status_{person.pk}"] = "excused"
    response = client.post(url, data)
    assert "请假须写明原因" in response.content.decode()
    data[f"note_{person.pk}"] = "病假"
    assert client.post(url, data).status_code == 302
    data[f"status_{person.pk}"] = "absent"
    data[f"note_{person.pk}"] = ""
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.get(person=person).status == "absent"


def test_talks_are_recorded_as_pairs(client, secretary, branch):
    meeting = MeetingFactory(branch=branch, kind="talk", held_on=D(2026, 3, 1))
    talker, partner = secretary.person, MemberFactory(branch=branch, name="党员戊")
    client.force_login(secretary)
    url = reverse("activities:meeting-talks", args=[meeting.pk])
    data = {
        "talk_pairs-TOTAL_FORMS": "1",
        "talk_pairs-INITIAL_FORMS": "0",
        "talk_pairs-0-talker": talker.pk,
        "talk_pairs-0-partner": talker.pk,
    }
    assert "不能是同一人" in client.post(url, data).content.decode()
    data["talk_pairs-0-partner"] = partner.pk
    assert client.post(url, data).status_code == 302
    assert [(p.talker, p.partner) for p in meeting.talk_pairs.all()] == [(talker, partner)]
    assert (
        "党员戊"
        in client.get(reverse("activities:meeting-detail", args=[meeting.pk])).content.decode()
    )
