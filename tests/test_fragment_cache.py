"""Cached page fragments: a change shows on the next request, the cache never mixes viewers, and
the data version moves on once per transaction, after it commits (``members.freshness``)."""

import datetime
import io
import re
import zipfile

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities import services as activity_services
from activities.models import Measure, Meeting
from members import freshness, scoping
from members.models import Branch, RoleAssignment
from pledges.models import PledgeItem
from tests.factories import (
    ActivityFactory,
    ActivityParticipantFactory,
    AttendanceFactory,
    CampaignFactory,
    CarrierFactory,
    MeasureFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
    PledgeFactory,
    PledgeItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROSTER = reverse("members:person-list")
ACTIVITIES = reverse("activities:activity-list")
DASHBOARD = reverse("activities:dashboard")
COMMITTEE = reverse("committees:branch-overview")


def version(branch) -> int:
    return Branch.objects.values_list("data_version", flat=True).get(pk=branch.pk)


def test_every_model_of_the_portal_declares_its_path_to_the_branch():
    models = freshness.portal_models()
    labels = {model._meta.label for model in models}
    assert {
        "members.Branch",
        "activities.Activity",
        "pledges.Pledge",
        "reports.NarrativeText",
    } <= labels
    assert not any(label.split(".")[1].startswith("Historical") for label in labels)
    undeclared = [model._meta.label for model in models if not hasattr(model, "branch_path")]
    assert undeclared == []
    assert {model._meta.label for model in freshness.tracked_models()} == {
        model._meta.label for model in models if model.branch_path is not None
    }
    # A record of no branch says whether it is a rule by which branches are judged.
    undecided = [
        model._meta.label
        for model in models
        if model.branch_path is None
        and not isinstance(getattr(model, "judges_branches", None), bool)
    ]
    assert undecided == []
    assert {model._meta.label for model in freshness.rule_models()} >= {
        "obligations.Rule",
        "recruitment.TimeRule",
        "dues.DuesRule",
        "dues.Rate",
        "evaluation.EvaluationRule",
    }


def test_a_committees_rule_moves_its_branches_on_and_a_national_one_every_branch(
    branch, other_branch
):
    from tests.factories import CommitteeFactory, DuesRuleFactory, ObligationRuleFactory

    other_branch.committee = CommitteeFactory()
    other_branch.save()
    before, elsewhere = version(branch), version(other_branch)
    rule = ObligationRuleFactory(committee=branch.committee)
    assert version(branch) > before and version(other_branch) == elsewhere

    before = version(branch)
    rule.count = 3
    rule.save()  # through the admin as through the committee's page
    assert version(branch) > before and version(other_branch) == elsewhere

    before = version(branch)
    rule.delete()
    assert version(branch) > before

    for make in (lambda: ObligationRuleFactory(committee=None), DuesRuleFactory):
        before, elsewhere = version(branch), version(other_branch)
        national = make()
        assert version(branch) > before and version(other_branch) > elsewhere, national


def test_for_branch_follows_the_declared_path(branch, other_branch):
    campaign = CampaignFactory(branch=branch)
    carrier = CarrierFactory(campaign=campaign)
    item = PledgeItemFactory(pledge=PledgeFactory(campaign=campaign))
    other_measure = MeasureFactory(
        carrier=CarrierFactory(campaign=CampaignFactory(branch=other_branch))
    )
    measure = MeasureFactory(carrier=carrier)
    assert list(PledgeItem.objects.for_branch(branch)) == [item]
    assert list(PledgeItem.objects.for_branch(other_branch)) == []
    assert list(Measure.objects.for_branch(other_branch)) == [other_measure]
    assert scoping.branch_id_of(measure) == branch.pk
    assert scoping.branch_id_of(item) == branch.pk
    assert scoping.branch_ids_of(branch) == {branch.pk}
    assert scoping.branch_ids_of(branch.committee) == set(
        Branch.objects.filter(committee=branch.committee).values_list("pk", flat=True)
    )


def test_each_kind_of_record_moves_its_own_branch_on_and_no_other(branch, other_branch):
    campaign = CampaignFactory(branch=branch)
    carrier = CarrierFactory(campaign=campaign)
    pledge = PledgeFactory(campaign=campaign, person=MemberFactory(branch=branch))
    activity = ActivityFactory(branch=branch, carrier=carrier)
    meeting = MeetingFactory(branch=branch)
    records = [
        lambda: PersonFactory(branch=branch),
        lambda: ActivityParticipantFactory(activity=activity, person=PersonFactory(branch=branch)),
        lambda: AttendanceFactory(meeting=meeting, person=PersonFactory(branch=branch)),
        lambda: PledgeItemFactory(pledge=pledge),
    ]
    for make in records:
        before, elsewhere = version(branch), version(other_branch)
        record = make()
        assert version(branch) > before, record
        assert version(other_branch) == elsewhere, record
        before = version(branch)
        record.delete()
        assert version(branch) > before, f"deleting {record!r}"


def test_a_new_person_shows_on_the_roster_at_once(client, secretary, branch):
    client.force_login(secretary)
    assert "新来的老师" not in client.get(ROSTER).content.decode()

    person = PersonFactory(branch=branch, name="新来的老师")
    assert "新来的老师" in client.get(ROSTER).content.decode()

    person.delete()
    assert "新来的老师" not in client.get(ROSTER).content.decode()


def test_a_repeated_page_is_served_from_the_cache_and_a_change_rebuilds_it(
    client, secretary, branch
):
    client.force_login(secretary)
    ActivityFactory(branch=branch, title="第一次活动")
    client.get(ACTIVITIES)
    with CaptureQueriesContext(connection) as first:
        assert "第一次活动" in client.get(ACTIVITIES).content.decode()
    ActivityFactory(branch=branch, title="第二次活动")
    with CaptureQueriesContext(connection) as rebuilt:
        assert "第二次活动" in client.get(ACTIVITIES).content.decode()
    # a hit needs only the session and the account (the page is served whole)
    assert len(first) == 2
    assert len(rebuilt) > len(first)


def test_the_dashboard_counts_a_new_activity_at_once(client, secretary, branch):
    campaign = CampaignFactory(branch=branch, start=datetime.date(2010, 6, 1), end=None)
    carrier = CarrierFactory(campaign=campaign)
    client.force_login(secretary)
    day = datetime.date(2010, 7, 1)
    ActivityFactory(branch=branch, carrier=carrier, start_date=day)
    first = client.get(DASHBOARD).content.decode()
    ActivityFactory(branch=branch, carrier=carrier, start_date=day)
    second = client.get(DASHBOARD).content.decode()
    assert 'data-figure="activities">1<' in first
    assert 'data-figure="activities">2<' in second


def test_the_committee_table_follows_a_change_in_any_of_its_branches(
    client, committee_user, branch
):
    client.force_login(committee_user)
    year = {"year": 2011}
    row = f'<tr><th scope="row" class="text-nowrap fw-normal">{branch.short_name}</th>'

    def activities_in_row() -> str:
        page = client.get(COMMITTEE, year).content.decode()
        cells = re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', page.split(row, 1)[1])
        return cells[3]  # members, signed, overdue, then the activities (no carrier columns)

    assert activities_in_row() == "0"
    ActivityFactory(branch=branch, start_date=datetime.date(2011, 6, 1))
    assert activities_in_row() == "1"


def test_a_cached_roster_never_shows_the_secretarys_view_to_others(
    client, secretary, staff_user, branch
):
    MemberFactory(branch=branch, name="有电话的人", phone="13912345678")
    client.force_login(secretary)
    assert "13912345678" in client.get(ROSTER).content.decode()

    client.force_login(staff_user)
    page = client.get(ROSTER).content.decode()
    assert "有电话的人" in page
    assert "13912345678" not in page


def test_a_staff_member_sees_their_own_phone_but_not_the_secretarys_rendering(
    client, secretary, branch
):
    """A staff member with a person record sees their own phone and no one else's."""
    colleague = MemberFactory(branch=branch, name="同事", phone="13800000001")
    own = PersonFactory(branch=branch, name="工作人员本人", phone="13800000002")
    viewer = UserFactory()
    RoleAssignment.objects.create(user=viewer, role="staff", branch=branch)
    own.user = viewer
    own.save(update_fields=["user"])
    client.force_login(secretary)
    client.get(ROSTER)  # the secretary's rendering is cached first

    client.force_login(viewer)
    page = client.get(ROSTER).content.decode()
    assert "13800000002" in page
    assert colleague.phone not in page


def test_the_version_moves_on_after_commit_once_per_transaction(
    monkeypatch, branch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(freshness, "_after_commit", transaction.on_commit)
    before = version(branch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        PersonFactory(branch=branch)
        PersonFactory(branch=branch)
        ActivityFactory(branch=branch)
        assert version(branch) == before  # not before the commit
    assert len(callbacks) == 1
    assert version(branch) > before


def test_a_rolled_back_change_leaves_the_version(
    monkeypatch, branch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(freshness, "_after_commit", transaction.on_commit)
    before = version(branch)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        PersonFactory(branch=branch)
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert version(branch) == before


def test_saving_a_branch_never_writes_its_version_back(branch):
    stale_copy = Branch.objects.get(pk=branch.pk)
    freshness.touch_branches([branch.pk])

    stale_copy.short_name = "新简称"
    with CaptureQueriesContext(connection) as queries:
        stale_copy.save()

    edit = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "members_branch" SET "c')]
    assert len(edit) == 1 and '"short_name"' in edit[0]
    assert '"data_version"' not in edit[0]
    assert Branch.objects.get(pk=branch.pk).short_name == "新简称"


def test_an_attendance_sheet_written_in_bulk_moves_the_version_on(branch):
    meeting = MeetingFactory(branch=branch, kind=Meeting.Kind.GENERAL)
    person = MemberFactory(branch=branch)
    before = version(branch)
    activity_services.attendance_record(meeting=meeting, rows=[(person.pk, "present", "")])
    assert version(branch) > before


def test_page_cache_seconds_zero_turns_the_cache_off(client, secretary, branch, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(secretary)
    client.get(ACTIVITIES)
    with CaptureQueriesContext(connection) as second:
        client.get(ACTIVITIES)
    assert len(second) > 3


def test_a_report_is_built_once_and_again_after_a_change(client, staff_user, branch):
    campaign = CampaignFactory(branch=branch, start=datetime.date(2010, 6, 1), end=None)
    carrier = CarrierFactory(campaign=campaign)
    client.force_login(staff_user)
    url = reverse("reports:report-preview", args=[branch.pk, "summary"])
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    ActivityFactory(
        branch=branch, carrier=carrier, start_date=datetime.date(2010, 7, 1), title="新的一次活动"
    )
    with CaptureQueriesContext(connection) as rebuilt:
        page = client.get(url).content.decode()
    assert len(rebuilt) > len(cached)
    assert "新的一次活动" in page


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_report_file_is_written_once_and_again_after_a_change(client, staff_user, branch, fmt):
    campaign = CampaignFactory(branch=branch, start=datetime.date(2010, 6, 1), end=None)
    carrier = CarrierFactory(campaign=campaign)
    ActivityFactory(
        branch=branch, carrier=carrier, start_date=datetime.date(2010, 7, 1), title="第一次活动"
    )
    client.force_login(staff_user)
    url = reverse("reports:report-download", args=[branch.pk, "summary", fmt])
    first = client.get(url)
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    ActivityFactory(
        branch=branch, carrier=carrier, start_date=datetime.date(2010, 7, 2), title="新的一次活动"
    )
    with CaptureQueriesContext(connection) as rebuilt:
        changed = client.get(url)
    assert len(rebuilt) > len(cached)
    assert changed.content != first.content
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(changed.content))
        text = "".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
    else:
        text = zipfile.ZipFile(io.BytesIO(changed.content)).read("word/document.xml").decode()
    assert "新的一次活动" in text
