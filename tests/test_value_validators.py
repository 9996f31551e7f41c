"""One validator per kind of value, on the model: forms, the roster import and the admin give the
same answer to the same value (issue 12, item 5)."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Measure, Meeting
from honors.models import Honor
from members.importing import read_roster
from members.models import Person
from pledges.models import PledgeItem
from tests.factories import ActivityFactory, CampaignFactory, CarrierFactory, MemberFactory
from tests.test_roster_import import GOOD_ROWS, workbook_bytes

pytestmark = pytest.mark.django_db

BAD_PHONE = "abc-电话-😀"


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def test_the_member_form_refuses_a_bad_phone_and_a_future_birth_date(client, secretary, branch):
    client.force_login(secretary)
    response = client.post(
        reverse("members:person-create"),
        {
            "name": "新老师",
            "political_status": "masses",
            "phone": BAD_PHONE,
            "birth_date": "2030-01-01",
        },
    )
    errors = response.context["form"].errors
    assert "联系电话只能包含数字" in errors["phone"][0]
    assert "出生日期不能晚于今天" in errors["birth_date"][0]
    assert not Person.objects.filter(name="新老师").exists()


def test_the_import_gives_the_same_answer_to_the_same_values(branch):
    row = list(GOOD_ROWS[0])
    row[3] = BAD_PHONE
    row[2] = datetime.date(2030, 1, 1)
    preview = read_roster(workbook_bytes([row]), branch=branch)
    messages = [problem.message for problem in preview.problems]
    phone_error = Person._meta.get_field("phone")
    with pytest.raises(ValidationError) as expected:
        phone_error.run_validators(BAD_PHONE)
    assert expected.value.messages[0] in messages
    assert any("不能晚于今天" in m or "不在合理范围" in m for m in messages)


def test_the_admin_uses_the_same_validators(admin_client, branch):
    assert Person in site._registry
    response = admin_client.post(
        reverse("admin:members_person_add"),
        {"name": "某人", "branch": branch.pk, "phone": BAD_PHONE, "birth_date": "2030-01-01"},
    )
    html = response.content.decode()
    assert "联系电话只能包含数字" in html and "出生日期不能晚于今天" in html
    assert not Person.objects.filter(name="某人").exists()


@pytest.mark.parametrize(
    ("model", "field", "value", "message"),
    [
        (Measure, "completed_on", datetime.date(9999, 12, 31), "日期超出合理范围"),
        (Measure, "completed_on", datetime.date(1800, 1, 1), "日期超出合理范围"),
        (PledgeItem, "deadline", datetime.date(9999, 12, 31), "日期超出合理范围"),
        (Activity, "start_date", None, "活动日期不能晚于今天"),
        (Meeting, "held_on", None, "会议日期不能晚于今天"),
        (Honor, "awarded_on", None, "授予日期不能晚于今天"),
    ],
)
def test_each_date_field_refuses_what_the_docs_promise(model, field, value, message):
    value = value or tomorrow()
    with pytest.raises(ValidationError) as refused:
        model._meta.get_field(field).run_validators(value)
    assert message in refused.value.messages[0]


def test_an_activity_in_the_future_is_refused_by_the_form(client, secretary, branch):
    from tests.test_activity_forms import activity_data

    carrier = CarrierFactory(campaign=CampaignFactory(branch=branch))
    client.force_login(secretary)
    data = activity_data(carrier, start_date=tomorrow().isoformat())
    response = client.post(reverse("activities:activity-create"), data)
    assert response.status_code == 200
    assert "活动日期不能晚于今天" in response.content.decode()
    assert not Activity.objects.exists()


def test_todays_activity_and_a_sensible_phone_are_accepted(branch):
    activity = ActivityFactory(branch=branch, start_date=timezone.localdate())
    activity.clean_fields()
    person = MemberFactory(branch=branch, phone="021-6438 0000")
    person.clean_fields()
