"""The activity list: filters, pagination, thumbnails, and a query count that does not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity, ActivityParticipant, ActivityPhoto
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    CarrierFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def carriers(branch):
    campaign = CampaignFactory(branch=branch)
    return [
        CarrierFactory(campaign=campaign, name=name, order=i)
        for i, name in enumerate(["公开承诺", "志愿服务"], start=1)
    ]


def make_activities(branch, carriers, count):
    """``count`` activities, each with two participants and a photo, in bulk."""
    people = PersonFactory.create_batch(3, branch=branch)
    activities = Activity.objects.bulk_create(
        Activity(
            branch=branch,
            carrier=carriers[i % len(carriers)],
            organiser=people[i % 3],
            title=f"批量活动{i}",
            start_date=datetime.date(2011, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(count)
    )
    ActivityParticipant.objects.bulk_create(
        ActivityParticipant(activity=activity, person=person, hours=1)
        for activity in activities
        for person in people[:2]
    )
    ActivityPhoto.objects.bulk_create(
        ActivityPhoto(activity=a, image=f"activities/{a.pk}.jpg", thumbnail=f"t/{a.pk}.jpg")
        for a in activities
    )
    return activities


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "批量", "date_from": "2011-01-01"}])
def test_the_list_runs_as_many_queries_for_300_activities_as_for_10(
    client, secretary, branch, carriers, params, django_assert_max_num_queries
):
    client.force_login(secretary)
    url = reverse("activities:activity-list")
    make_activities(branch, carriers, 10)
    small = count_queries(client, url, params)
    make_activities(branch, carriers, 290)
    with django_assert_max_num_queries(small):
        response = client.get(url, params)
    assert response.context["page"].paginator.count == 300
    assert len(response.context["page"].object_list) == 20


def test_rows_show_carrier_organiser_participants_and_thumbnail(
    client, secretary, branch, carriers
):
    activity = make_activities(branch, carriers, 1)[0]
    client.force_login(secretary)
    response = client.get(reverse("activities:activity-list"))
    page = response.content.decode()
    assert activity.title in page
    photo = activity.photos.get()
    assert reverse("activities:photo-file", args=[photo.pk, "thumbnail"]) in page
    assert "/media/" not in page
    row = response.context["page"][0]
    assert row["participants"] == 2 and row["carrier"] == "公开承诺"


def test_a_row_shows_its_first_photos_thumbnail_only(client, secretary, branch, carriers):
    first, second = make_activities(branch, carriers, 2)
    ActivityPhoto.objects.filter(activity=second).update(thumbnail="")  # not made yet
    ActivityPhoto.objects.create(activity=second, image="activities/b.jpg", thumbnail="t/b.jpg")
    late = ActivityPhoto.objects.create(activity=first, image="activities/c.jpg", thumbnail="t/c")
    client.force_login(secretary)
    page = client.get(reverse("activities:activity-list")).content.decode()
    thumbnails = [
        reverse("activities:photo-file", args=[photo.pk, "thumbnail"])
        for photo in ActivityPhoto.objects.order_by("pk")
    ]
    assert thumbnails[0] in page  # the first activity's first photo
    assert thumbnails[1] not in page  # the second's first photo has no thumbnail
    assert reverse("activities:photo-file", args=[late.pk, "thumbnail"]) not in page
    assert page.count('loading="lazy"') == 1


def test_filter_by_carrier_organiser_dates_and_text(client, staff_user, branch, carriers):
    promise, volunteer = carriers
    alice, bob = PersonFactory(branch=branch, name="甲老师"), PersonFactory(branch=branch)
    a = ActivityFactory(
        carrier=promise,
        organiser=alice,
        start_date=datetime.date(2010, 7, 1),
        title="签订承诺书",
        description="全体党员",
    )
    b = ActivityFactory(
        carrier=volunteer,
        organiser=bob,
        start_date=datetime.date(2011, 3, 5),
        title="学雷锋",
        place="徐家汇",
    )
    c = ActivityFactory(
        carrier=volunteer,
        organiser=alice,
        start_date=datetime.date(2012, 3, 5),
        title="敬老",
        outcome="受到社区好评",
    )
    client.force_login(staff_user)

    def titles(**params):
        response = client.get(reverse("activities:activity-list"), params)
        return {activity["title"] for activity in response.context["page"]}

    assert titles() == {a.title, b.title, c.title}
    assert titles(carrier=volunteer.pk) == {b.title, c.title}
    assert titles(organiser=alice.pk) == {a.title, c.title}
    assert titles(date_from="2011-01-01", date_to="2011-12-31") == {b.title}
    assert titles(q="徐家汇") == {b.title}
    assert titles(q="好评") == {c.title}
    assert titles(q="党员", carrier=promise.pk) == {a.title}


def test_a_reversed_date_range_is_reported_next_to_the_field(client, staff_user, carriers):
    client.force_login(staff_user)
    response = client.get(
        reverse("activities:activity-list"), {"date_from": "2012-01-01", "date_to": "2011-01-01"}
    )
    assert response.context["form"].errors["date_to"] == ["截止日期不能早于起始日期。"]


def test_pages_keep_the_filter(client, secretary, branch, carriers):
    make_activities(branch, carriers, 45)
    client.force_login(secretary)
    response = client.get(reverse("activities:activity-list"), {"q": "批量", "page": 2})
    assert response.context["page"].number == 2
    page = response.content.decode()
    assert "q=%E6%89%B9%E9%87%8F&amp;page=3" in page or "page=3&amp;q=" in page


def test_another_branchs_activities_are_not_listed(client, secretary, other_branch, carriers):
    ActivityFactory(
        carrier=CarrierFactory(campaign=CampaignFactory(branch=other_branch)), title="别人的活动"
    )
    client.force_login(secretary)
    assert "别人的活动" not in client.get(reverse("activities:activity-list")).content.decode()
