"""``manage.py generate_data``: a synthetic district, deterministic, consistent and complete."""

import datetime
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from activities.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    Measure,
    Meeting,
    ResearchTopic,
)
from honors.models import Honor
from mechanisms.models import Category, FeaturedWork, Mechanism
from members.models import (
    Branch,
    BranchPost,
    BranchRating,
    Campaign,
    Committee,
    LeadingGroupRole,
    Membership,
    PartyGroup,
    PartyGroupMembership,
    Person,
    RoleAssignment,
    StatusStage,
)
from members.roles import group_name
from pledges.models import Pledge, PledgeItem, PledgePoint

User = get_user_model()
COUNT_LINE = re.compile(r"^\s+(\w+\.\w+)\s+(\d+)$")


def generate(*extra, seed=7, branches=3, people=12):
    out = io.StringIO()
    call_command(
        "generate_data",
        "--branches",
        str(branches),
        "--people-per-branch",
        str(people),
        "--seed",
        str(seed),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def printed_counts(output: str) -> dict[str, int]:
    return {
        match[1]: int(match[2]) for line in output.splitlines() if (match := COUNT_LINE.match(line))
    }


def printed_password(output: str) -> str:
    return re.search(r"密码均为 (\S+)）", output)[1]


@pytest.fixture
def district(db):
    return generate()


def test_the_printed_counts_match_the_database(district):
    counts = printed_counts(district)

    assert len(counts) == 27
    for label, printed in counts.items():
        if label == "auth.User_groups":
            assert User.groups.through.objects.count() == printed
        else:
            assert apps.get_model(label).objects.count() == printed, label
    assert counts["members.Branch"] == 3
    assert counts["members.Person"] == 36
    assert counts["activities.Activity"] == 3 * 100


def test_it_prints_the_time_taken_and_the_account_pattern(district):
    assert re.search(r"用时 \d+\.\d 秒", district)
    assert "b0001-secretary" in district
    assert "bNNNN-staff" in district


def test_the_activities_scale_to_about_500_per_branch_at_60_people(db):
    output = generate(branches=1, people=60)

    assert printed_counts(output)["activities.Activity"] == 500


def snapshot(committee: Committee) -> list:
    """What a district looks like, leaving out the labels taken from the committee name."""
    branches = Branch.objects.filter(committee=committee).order_by("pk")
    rows = []
    for branch in branches:
        people = Person.objects.filter(branch=branch).order_by("pk")
        rows.append(branch.short_name)
        rows.append(list(people.values_list("name", "gender", "birth_date", "post", "phone")))
        rows.append(
            list(
                people.values_list(
                    "political_status", "staff_since", "staff_until", "is_key_teacher"
                )
            )
        )
        rows.append(
            list(
                Membership.objects.filter(person__branch=branch)
                .order_by("pk")
                .values_list("person__name", "start", "end", "joined_how", "left_how")
            )
        )
        rows.append(
            list(
                Activity.objects.filter(branch=branch)
                .order_by("pk")
                .values_list("title", "start_date", "carrier__name", "organiser__name")
            )
        )
        rows.append(
            list(
                PledgeItem.objects.filter(pledge__campaign__branch=branch)
                .order_by("pk")
                .values_list("title", "deadline", "done_on", "fulfilment")
            )
        )
        rows.append(
            list(
                Attendance.objects.filter(meeting__branch=branch)
                .order_by("pk")
                .values_list("meeting__held_on", "person__name", "status")
            )
        )
        rows.append(
            list(
                Honor.objects.filter(branch=branch)
                .order_by("pk")
                .values_list("title", "level", "awarded_on", "person__name")
            )
        )
        rows.append(list(Pledge.objects.filter(campaign__branch=branch).values_list("signed_hash")))
    return rows


def test_the_same_seed_makes_the_same_data(db):
    generate("--committee", "甲区教育党工委", "--username-prefix", "a-", seed=11)
    generate("--committee", "乙区教育党工委", "--username-prefix", "b-", seed=11)

    first = snapshot(Committee.objects.get(name="甲区教育党工委"))
    second = snapshot(Committee.objects.get(name="乙区教育党工委"))
    assert first == second
    assert len(first[1]) == 12


def test_another_seed_makes_other_data(db):
    generate("--committee", "甲区教育党工委", "--username-prefix", "a-", seed=11)
    generate("--committee", "乙区教育党工委", "--username-prefix", "b-", seed=12)

    first = snapshot(Committee.objects.get(name="甲区教育党工委"))
    second = snapshot(Committee.objects.get(name="乙区教育党工委"))
    assert first[1] != second[1]


def test_it_refuses_to_generate_into_an_existing_committee(district):
    before = Person.objects.count()

    with pytest.raises(CommandError, match="已存在"):
        generate(seed=8)

    assert Person.objects.count() == before
    assert Committee.objects.count() == 1


def test_it_refuses_accounts_that_already_exist(district):
    with pytest.raises(CommandError, match="--username-prefix"):
        generate("--committee", "丙区教育党工委")

    assert not Committee.objects.filter(name="丙区教育党工委").exists()


def test_it_refuses_fewer_than_eight_people_per_branch(db):
    with pytest.raises(CommandError, match="至少 8"):
        generate(people=5)


# Each model with the path from its rows to their branch.
BRANCH_PATHS = [
    (Branch, "pk"),
    (Person, "branch"),
    (StatusStage, "person__branch"),
    (Membership, "person__branch"),
    (PartyGroup, "branch"),
    (PartyGroupMembership, "group__branch"),
    (BranchPost, "person__branch"),
    (BranchRating, "branch"),
    (Campaign, "branch"),
    (LeadingGroupRole, "campaign__branch"),
    (Measure, "carrier__campaign__branch"),
    (Activity, "branch"),
    (ActivityParticipant, "activity__branch"),
    (Meeting, "branch"),
    (Attendance, "meeting__branch"),
    (Pledge, "campaign__branch"),
    (PledgePoint, "pledge__campaign__branch"),
    (PledgeItem, "pledge__campaign__branch"),
    (Honor, "branch"),
    (Mechanism, "branch"),
    (FeaturedWork, "branch"),
    (ResearchTopic, "branch"),
]


def test_every_row_belongs_to_one_of_the_generated_branches(db):
    generate("--committee", "甲区教育党工委", "--username-prefix", "a-")
    generated = Branch.objects.filter(committee__name="甲区教育党工委")
    assert generated.count() == 3

    for model, path in BRANCH_PATHS:
        total = model.objects.count()
        assert total > 0, model
        assert model.objects.filter(**{f"{path}__in": generated}).count() == total, model


def test_rows_that_point_at_two_branches_point_at_the_same_one(district):
    assert not Activity.objects.exclude(carrier__campaign__branch=F("branch")).exclude(
        carrier__isnull=True
    )
    assert not Activity.objects.exclude(organiser__branch=F("branch"))
    assert not ActivityParticipant.objects.exclude(person__branch=F("activity__branch"))
    assert not PartyGroupMembership.objects.exclude(person__branch=F("group__branch"))
    assert not PartyGroup.objects.exclude(leader__branch=F("branch"))
    assert not LeadingGroupRole.objects.exclude(person__branch=F("campaign__branch"))
    assert not Meeting.objects.filter(party_group__isnull=False).exclude(
        party_group__branch=F("branch")
    )
    assert not Honor.objects.filter(person__isnull=False).exclude(person__branch=F("branch"))
    assert not Mechanism.objects.filter(campaign__isnull=False).exclude(
        campaign__branch=F("branch")
    )
    assert not FeaturedWork.objects.exclude(carrier__campaign__branch=F("branch"))
    assert not ResearchTopic.objects.exclude(leader__branch=F("branch"))
    assert not ResearchTopic.objects.exclude(carrier__campaign__branch=F("branch"))


def test_no_person_has_two_open_memberships(district):
    open_twice = (
        Membership.objects.filter(end__isnull=True)
        .values("person")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not open_twice
    assert Membership.objects.filter(end__isnull=True).count() > 0


def test_memberships_lie_inside_the_persons_staff_dates(district):
    outside = Membership.objects.filter(
        Q(start__lt=F("person__staff_since"))
        | Q(end__gt=F("person__staff_until"))
        | Q(end__isnull=True, person__staff_until__isnull=False)
    )
    assert not outside


def test_some_members_were_transferred_out(db):
    generate(branches=4, people=30)

    closed = Membership.objects.filter(end__isnull=False)
    assert closed.exists()
    assert not closed.filter(left_how="")
    assert not closed.exclude(end=F("person__staff_until"))


def test_members_have_a_status_history_ending_in_their_status(district):
    for person in Person.objects.filter(memberships__isnull=False).distinct():
        stages = list(person.status_stages.order_by("start"))
        assert stages[-1].end is None
        assert stages[-1].status == person.political_status
        assert person.political_status in ("probationary", "full")
        for earlier, later in zip(stages, stages[1:], strict=False):
            assert earlier.end == later.start - datetime.timedelta(days=1)


def test_attendance_is_only_for_people_of_the_meetings_branch(district):
    assert Attendance.objects.exists()
    assert not Attendance.objects.exclude(person__branch=F("meeting__branch"))


def test_members_meetings_are_attended_by_members_of_that_day(district):
    general = Attendance.objects.filter(meeting__kind=Meeting.Kind.GENERAL).select_related(
        "meeting", "person"
    )
    for attendance in general:
        assert attendance.person.membership_on(attendance.meeting.held_on) is not None


def test_pledge_items_belong_to_pledges_of_the_branchs_campaign(district):
    assert not PledgeItem.objects.exclude(
        pledge__campaign__branch=F("pledge__person__branch")
    ).exclude(pledge__person__isnull=True)
    for branch in Branch.objects.all():
        campaign = branch.campaigns.get()
        assert set(
            PledgeItem.objects.for_branch(branch).values_list("pledge__campaign", flat=True)
        ) == {campaign.pk}


def test_signed_pledges_carry_the_hash_of_their_text(district):
    signed = Pledge.objects.filter(status=Pledge.Status.SIGNED).prefetch_related("points", "items")
    assert signed.count() >= 3
    for pledge in signed:
        assert pledge.signed_hash == pledge.text_hash()
    # one branch pledge (against 五个好) per campaign
    assert Pledge.objects.of_branch_itself().count() == 3


def test_the_district_has_what_the_reports_count(db):
    generate(branches=3, people=30)
    today = datetime.date(2012, 9, 30)

    assert PledgeItem.objects.overdue(today).exists()
    assert PledgeItem.objects.exclude(fulfilment="unrated").exists()
    assert Honor.objects.typical_models().count_by_level()["school"] > 0
    assert all(n > 0 for n in Mechanism.objects.count_by_category().values())
    assert set(Mechanism.objects.values_list("category", flat=True)) == set(Category.values)
    assert Mechanism.objects.filter(is_new=True).exists()
    assert (
        Measure.objects.filter(carrier__name="健康促进", status=Measure.Status.DONE).count()
        == 3 * 5
    )
    assert ActivityParticipant.objects.filter(hours__isnull=False).exists()
    for campaign in Campaign.objects.all():
        assert list(campaign.carriers.values_list("name", flat=True)) == [
            "公开承诺",
            "增效减负",
            "健康促进",
            "队伍建设",
            "文明创建",
            "志愿服务",
        ]
        assert campaign.leading_roles.filter(role="leader").on(today).count() == 1
    for branch in Branch.objects.all():
        assert branch.secretary_on(today) is not None
        assert branch.latest_rating() is not None
        assert branch.featured_works.count() == 3


def test_a_replaced_leading_group_member_is_linked_to_the_successor(db):
    generate(branches=6, people=40)

    successors = LeadingGroupRole.objects.filter(predecessor__isnull=False)
    assert successors.exists()
    for role in successors.select_related("predecessor"):
        assert role.start == role.predecessor.end + datetime.timedelta(days=1)
        assert role.campaign_id == role.predecessor.campaign_id


def test_the_accounts_log_in_with_the_printed_password(district, client):
    password = printed_password(district)

    for username in ["committee", "b0001-secretary", "b0002-staff", "b0003-member"]:
        assert client.login(username=username, password=password), username
        client.logout()
    assert not client.login(username="b0001-secretary", password="wrong")


def test_every_branch_has_one_account_per_role_and_the_committee_one(district):
    committee = Committee.objects.get()
    assert RoleAssignment.objects.get(user__username="committee").committee == committee
    assert RoleAssignment.objects.get(user__username="committee").role == "committee"
    for number, branch in enumerate(Branch.objects.order_by("pk"), start=1):
        for role in ("secretary", "staff", "member"):
            assignment = RoleAssignment.objects.get(user__username=f"b{number:04d}-{role}")
            assert assignment.role == role
            assert assignment.branch == branch
            assert assignment.user.groups.filter(name=group_name(role)).exists()
    assert RoleAssignment.objects.count() == 1 + 3 * 3


def test_the_secretary_and_member_accounts_are_their_branchs_people(district):
    today = datetime.date(2012, 9, 30)
    for number, branch in enumerate(Branch.objects.order_by("pk"), start=1):
        secretary = User.objects.get(username=f"b{number:04d}-secretary")
        assert secretary.person == branch.secretary_on(today)
        member = User.objects.get(username=f"b{number:04d}-member")
        assert member.person.branch == branch
        assert member.person.membership_on(today) is not None
        assert Pledge.objects.filter(person=member.person).exists()
        assert not hasattr(User.objects.get(username=f"b{number:04d}-staff"), "person")


def test_the_generated_tables_have_planner_statistics(district):
    """generate_data ends with ANALYZE: a benchmark right after it is planned with real row
    counts, not those of the empty tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE tablename = 'pledges_pledgeitem'"
                " AND attname = 'deadline'"
            )
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'pledges_pledgeitem'")
        assert cursor.fetchone()[0] > 0
