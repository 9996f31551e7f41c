"""Excel export of the activity list as filtered, read back with openpyxl."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    ActivityFactory,
    ActivityParticipantFactory,
    CampaignFactory,
    CarrierFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(branch, other_branch):
    campaign = CampaignFactory(branch=branch)
    promise = CarrierFactory(campaign=campaign, name="公开承诺")
    volunteer = CarrierFactory(campaign=campaign, name="志愿服务")
    organiser = PersonFactory(branch=branch, name="王卫珍")
    kept = ActivityFactory(
        carrier=volunteer,
        organiser=organiser,
        title='=HYPERLINK("http://example.com","点我")',
        start_date=datetime.date(2011, 4, 2),
        place="+徐汇区",
        description="-全体党员参加\n第二行",
        outcome="@好评",
    )
    ActivityParticipantFactory(activity=kept, hours=2)
    ActivityParticipantFactory(activity=kept, hours="1.5")
    ActivityFactory(carrier=promise, title="签订承诺书", start_date=datetime.date(2010, 7, 1))
    ActivityFactory(
        carrier=CarrierFactory(campaign=CampaignFactory(branch=other_branch)), title="别人的活动"
    )
    return {"volunteer": volunteer, "kept": kept}


def read_sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).active


def test_the_export_follows_the_filter_and_reads_back(client, staff_user, data):
    client.force_login(staff_user)
    response = client.get(
        reverse("activities:activity-export"), {"carrier": data["volunteer"].pk, "page": 3}
    )
    sheet = read_sheet(response)
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][:4] == ("开始日期", "结束日期", "载体", "标题")
    assert len(rows) == 2  # header and the one volunteer activity, whatever page was shown
    row = rows[1]
    assert row[0] == datetime.datetime(2011, 4, 2)
    assert row[2] == "志愿服务"
    assert row[5] == "王卫珍"
    assert row[6] == 2
    assert row[7] == 3.5
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J2"


def test_text_that_looks_like_a_formula_is_written_as_text(client, secretary, data):
    client.force_login(secretary)
    sheet = read_sheet(client.get(reverse("activities:activity-export"), {"q": "HYPERLINK"}))
    title, place, description, outcome = (sheet["D2"], sheet["E2"], sheet["I2"], sheet["J2"])

    assert title.value == data["kept"].title
    for cell in (title, place, description, outcome):
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix
    assert place.value == "+徐汇区" and outcome.value == "@好评"
    assert description.value.startswith("-全体党员参加")


def test_the_export_without_filter_has_every_activity_of_the_branch_only(client, secretary, data):
    client.force_login(secretary)
    sheet = read_sheet(client.get(reverse("activities:activity-export")))
    titles = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == sorted([data["kept"].title, "签订承诺书"])


def test_the_export_query_count_does_not_grow_with_rows(
    client, staff_user, branch, data, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff_user)
    url = reverse("activities:activity-export")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(60):
        activity = ActivityFactory(carrier=data["volunteer"], title=f"活动{i}")
        ActivityParticipantFactory(activity=activity)
    with django_assert_max_num_queries(len(small)):
        sheet = read_sheet(client.get(url))
    assert sheet.max_row == 1 + 2 + 60
