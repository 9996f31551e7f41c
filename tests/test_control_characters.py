"""Control characters in typed text (issue 12, item 13): stripped when a record is saved, by
one function, whatever the way in (form, import, admin, code); no stored text breaks an export."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from common.text import strip_control_characters
from members.models import Person
from tests.factories import (
    ActivityFactory,
    ActivityParticipantFactory,
    CampaignFactory,
    CarrierFactory,
    HonorFactory,
    MechanismFactory,
    MemberFactory,
)
from tests.test_activity_forms import activity_data

pytestmark = pytest.mark.django_db

NASTY = "坏\x01标题\x0b带\x1b控制\x7f符"


def test_the_one_function_keeps_tabs_and_line_breaks_and_drops_the_rest():
    assert strip_control_characters(NASTY) == "坏标题带控制符"
    assert strip_control_characters("第一行\n第二行\r\n\t缩进") == "第一行\n第二行\r\n\t缩进"


def test_control_characters_are_stripped_whatever_saves_the_record(branch):
    person = MemberFactory(branch=branch, name="王\x01老师")
    activity = ActivityFactory(branch=branch, title=NASTY, description="内容\x0b摘要")
    person.refresh_from_db()
    activity.refresh_from_db()
    assert person.name == "王老师"
    assert activity.title == "坏标题带控制符" and activity.description == "内容摘要"


def test_the_activity_form_stores_the_text_without_them(client, secretary, branch):
    carrier = CarrierFactory(campaign=CampaignFactory(branch=branch))
    client.force_login(secretary)
    response = client.post(
        reverse("activities:activity-create"), activity_data(carrier, title=NASTY)
    )
    assert response.status_code == 302
    assert Activity.objects.filter(title="坏标题带控制符").exists()


def test_text_stored_before_the_fix_does_not_break_any_export(client, secretary, branch):
    """Rows written past the save hook (an old database, a raw update) still export."""
    campaign = CampaignFactory(branch=branch)
    carrier = CarrierFactory(campaign=campaign)
    activity = ActivityFactory(branch=branch, carrier=carrier, start_date=datetime.date(2011, 3, 1))
    person = MemberFactory(branch=branch)
    ActivityParticipantFactory(activity=activity, person=person)
    HonorFactory(branch=branch)
    MechanismFactory(branch=branch)
    Activity.objects.filter(pk=activity.pk).update(title=NASTY, description=NASTY)
    Person.objects.filter(pk=person.pk).update(name=NASTY, post=NASTY)
    client.force_login(secretary)
    urls = [
        reverse("activities:activity-export"),
        reverse("members:person-export"),
        *(
            reverse(
                "reports:report-download",
                kwargs={"branch_pk": branch.pk, "kind": kind, "fmt": fmt},
            )
            for kind, fmt in (
                ("summary", "docx"),
                ("summary", "html"),
                ("table", "xlsx"),
                ("table", "docx"),
                ("table", "html"),
            )
        ),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_names_used_as_sheet_titles_and_headers_do_not_break_an_export(
    client, secretary, committee_user, branch
):
    from members.models import Branch, Carrier

    campaign = CampaignFactory(branch=branch)
    carrier = CarrierFactory(campaign=campaign)
    ActivityFactory(branch=branch, carrier=carrier, start_date=datetime.date(2011, 3, 1))
    Branch.objects.filter(pk=branch.pk).update(name=NASTY, short_name=NASTY)
    Carrier.objects.filter(pk=carrier.pk).update(name=NASTY)
    client.force_login(committee_user)
    assert client.get(reverse("committees:branch-overview-export")).status_code == 200
    client.force_login(secretary)
    for url in (
        reverse("activities:activity-export"),
        reverse("members:person-export"),
        reverse("reports:report-download", args=[branch.pk, "table", "xlsx"]),
        reverse("reports:report-download", args=[branch.pk, "summary", "docx"]),
    ):
        assert client.get(url).status_code == 200, url
