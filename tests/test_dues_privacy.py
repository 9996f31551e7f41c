"""Incomes and dues amounts are personal: the member and their secretary see them; staff and the
committee see totals only; nothing reaches a public page."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dues.models import Category, Way
from dues.services import BaseEntry, base_year_set, payment_record
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

INCOME = "4321.09"  # a figure that appears nowhere else


@pytest.fixture
def dues(branch, member, other_member, secretary):
    today = timezone.localdate()
    base_year_set(
        branch=branch,
        year=today.year,
        entries=[
            BaseEntry(person=member.person, category=Category.SALARIED, income=Decimal(INCOME)),
            BaseEntry(person=other_member.person, category=Category.STUDENT, income=None),
        ],
    )
    payment_record(
        person=member.person,
        months=[today.replace(day=1)],
        amount=Decimal("43.21"),
        paid_on=today,
        way=Way.ONLINE,
        receipt_no="P-77",
    )
    return member.person


def get(client, user, name, *args, **params):
    client.force_login(user)
    url = reverse(name, args=args)
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(url)


def test_the_member_sees_their_own_dues_and_not_another_members(client, member, other_member, dues):
    text = get(client, member, "dues:mine").content.decode()
    assert "43.21" in text and INCOME in text and "P-77" in text
    response = get(client, member, "dues:person-dues", other_member.person.pk)
    assert response.status_code == 403


def test_the_secretary_sees_incomes_and_amounts(client, secretary, branch, dues):
    assert INCOME in get(client, secretary, "dues:base-list", branch=branch.pk).content.decode()
    ledger = get(client, secretary, "dues:ledger", branch=branch.pk).content.decode()
    assert "党员甲" in ledger and "43.21" in ledger


def test_staff_see_totals_only(client, staff_user, branch, dues):
    text = get(client, staff_user, "dues:summary", branch=branch.pk).content.decode()
    assert "43.21" in text  # the branch's total paid: one payment so far
    assert "党员甲" not in text and INCOME not in text
    for name, args in [
        ("dues:ledger", ()),
        ("dues:arrears", ()),
        ("dues:base-list", ()),
        ("dues:ledger-export", ()),
        ("dues:person-dues", (dues.pk,)),
    ]:
        assert get(client, staff_user, name, *args).status_code == 403, name


def test_the_committee_sees_branch_totals_without_names(client, committee_user, branch, dues):
    text = get(client, committee_user, "dues:committee").content.decode()
    assert branch.short_name in text and "43.21" in text
    assert "党员甲" not in text and "党员乙" not in text and INCOME not in text
    summary = get(client, committee_user, "dues:summary", branch=branch.pk).content.decode()
    assert "党员甲" not in summary and INCOME not in summary
    assert get(client, committee_user, "dues:person-dues", dues.pk).status_code == 403


def test_the_person_page_shows_dues_to_the_member_and_secretary_only(
    client, member, secretary, staff_user, committee_user, dues
):
    url = reverse("members:person-detail", args=[dues.pk])
    for user, shown in [
        (member, True),
        (secretary, True),
        (staff_user, False),
        (committee_user, False),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert ('id="person-dues"' in response.content.decode()) is shown, user


def test_no_dues_figure_on_the_public_pages(client, branch, dues):
    campaign = CampaignFactory(branch=branch)
    client.logout()
    for name, kwargs in [
        ("pledges:public-index", {"branch_pk": branch.pk}),
        ("pledges:public-page", {"branch_pk": branch.pk, "campaign_pk": campaign.pk}),
        ("pledges:public-data", {"branch_pk": branch.pk, "campaign_pk": campaign.pk}),
    ]:
        text = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "43.21" not in text and INCOME not in text and "党费" not in text, name


def test_the_roster_export_carries_no_dues(client, staff_user, branch, dues):
    response = get(client, staff_user, "members:person-export", branch=branch.pk)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(content))
    values = {str(c.value) for ws in workbook for row in ws.iter_rows() for c in row}
    assert INCOME not in values and "43.21" not in values
