"""The access core (``members.access.get_for_user``): a record is reached through its model's
declared ``branch_path``; 404 for an unknown record, 403 for a branch out of the user's reach."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from activities.models import Attendance, Measure
from members.access import MANAGE_ROLES, get_for_user
from tests.factories import AttendanceFactory, CampaignFactory, CarrierFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def measure_of(branch):
    return MeasureFactory(carrier=CarrierFactory(campaign=CampaignFactory(branch=branch)))


def test_readers_of_the_branch_reach_a_record_three_links_away(
    secretary, staff_user, committee_user, branch
):
    measure = measure_of(branch)
    for user in (secretary, staff_user, committee_user):
        assert get_for_user(request_by(user), Measure, measure.pk) == measure


def test_another_branchs_secretary_gets_403_with_the_message(outsider, branch):
    measure = measure_of(branch)
    with pytest.raises(PermissionDenied, match="您无权查看或修改该举措。"):
        get_for_user(request_by(outsider), Measure, measure.pk, message="您无权查看或修改该举措。")


def test_roles_narrow_who_is_let_in(staff_user, secretary, branch):
    attendance = AttendanceFactory(meeting__branch=branch)
    queryset = Attendance.objects.select_related("meeting")
    assert get_for_user(request_by(secretary), queryset, attendance.pk, *MANAGE_ROLES)
    with pytest.raises(PermissionDenied):
        get_for_user(request_by(staff_user), queryset, attendance.pk, *MANAGE_ROLES)


def test_an_unknown_record_is_404_for_everyone(secretary):
    with pytest.raises(Http404):
        get_for_user(request_by(secretary), Measure, 987654)


def test_allows_decides_instead_of_the_roles(member, outsider, branch):
    measure = measure_of(branch)
    admitted = get_for_user(request_by(outsider), Measure, measure.pk, allows=lambda u, r: True)
    assert admitted == measure
    with pytest.raises(PermissionDenied):
        get_for_user(request_by(member), Measure, measure.pk, allows=lambda u, r: False)
