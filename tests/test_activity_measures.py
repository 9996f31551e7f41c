"""Measures per carrier with their status: list for readers, create and edit for the secretary."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Measure
from tests.factories import CampaignFactory, CarrierFactory, MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def health(branch):
    return CarrierFactory(campaign=CampaignFactory(branch=branch), name="健康促进", order=3)


def test_the_list_groups_measures_by_carrier_with_progress(client, staff_user, health):
    MeasureFactory(carrier=health, title="教工健身", status="done", long_term=True)
    MeasureFactory(carrier=health, title="心理辅导", status="in_progress")
    client.force_login(staff_user)
    response = client.get(reverse("activities:measure-list"))
    page = response.content.decode()
    assert "以“健康促进”为载体" in page and "教工健身" in page and "推进中" in page
    [(carrier, progress, measures)] = response.context["carriers"]
    assert progress == {"total": 2, "completed": 1, "long_term": 1}
    assert [(m["title"], m["badge"], m["long_term"]) for m in measures] == [
        ("教工健身", "text-bg-success", True),
        ("心理辅导", "text-bg-warning", False),
    ]


def test_the_list_costs_the_same_queries_for_many_measures(
    client, staff_user, health, django_assert_max_num_queries
):
    MeasureFactory.create_batch(2, carrier=health)
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("activities:measure-list"))
    for order in range(10, 14):
        carrier = CarrierFactory(campaign=health.campaign, order=order)
        MeasureFactory.create_batch(10, carrier=carrier)
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("activities:measure-list"))


def test_the_secretary_marks_a_measure_done(client, secretary, health):
    measure = MeasureFactory(carrier=health, title="教工体检", status="in_progress")
    client.force_login(secretary)
    response = client.post(
        reverse("activities:measure-edit", args=[measure.pk]),
        {
            "carrier": health.pk,
            "order": measure.order,
            "title": "教工体检",
            "status": "done",
            "completed_on": "2011-12-20",
            "long_term": "on",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "done" and measure.long_term
    assert Measure.objects.filter(carrier=health).progress()["completed"] == 1


def test_a_completion_date_without_done_status_is_refused(client, secretary, health):
    measure = MeasureFactory(carrier=health)
    client.force_login(secretary)
    response = client.post(
        reverse("activities:measure-edit", args=[measure.pk]),
        {
            "carrier": health.pk,
            "order": 1,
            "title": "x",
            "status": "planned",
            "completed_on": "2011-01-01",
        },
    )
    assert response.context["form"].errors["completed_on"] == ["只有已完成的举措才填写完成日期。"]


def test_the_secretary_adds_a_measure_to_a_carrier_of_the_branch_only(
    client, secretary, health, other_branch
):
    foreign = CarrierFactory(campaign=CampaignFactory(branch=other_branch))
    client.force_login(secretary)
    page = client.get(reverse("activities:measure-create"), {"carrier": health.pk})
    assert page.context["form"].initial.get("carrier") == health.pk or (
        page.context["form"].instance.carrier == health
    )
    data = {"order": 1, "title": "阳光体育", "status": "planned"}
    refused = client.post(reverse("activities:measure-create"), data | {"carrier": foreign.pk})
    assert "carrier" in refused.context["form"].errors
    client.post(reverse("activities:measure-create"), data | {"carrier": health.pk})
    assert list(Measure.objects.values_list("carrier", "title")) == [(health.pk, "阳光体育")]
