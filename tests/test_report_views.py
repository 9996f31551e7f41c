"""The reports pages: who may see them, downloads, periods, and queries that do not grow."""

import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from honors.models import Level
from members.models import RoleAssignment
from tests import factories as f
from tests.report_data import build_school, signed_at

D = datetime.date
pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def school(branch):
    return build_school(branch)


def urls(branch_pk) -> list[str]:
    return [
        reverse("reports:report-branch", args=[branch_pk]),
        reverse("reports:report-preview", args=[branch_pk, "summary"]),
        reverse("reports:report-preview", args=[branch_pk, "table"]),
        reverse("reports:report-download", args=[branch_pk, "summary", "docx"]),
        reverse("reports:report-download", args=[branch_pk, "summary", "xlsx"]),
        reverse("reports:report-download", args=[branch_pk, "table", "docx"]),
        reverse("reports:report-download", args=[branch_pk, "table", "xlsx"]),
        reverse("reports:report-download", args=[branch_pk, "table", "html"]),
    ]


@pytest.mark.parametrize("persona", ["secretary", "staff_user", "committee_user"])
def test_secretary_staff_and_committee_read_and_export(client, school, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in urls(school.branch.pk):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_other_branches_secretaries_are_refused(client, school, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in [reverse("reports:report-index"), *urls(school.branch.pk)]:
        if persona == "outsider" and url == reverse("reports:report-index"):
            continue  # the outsider has a branch of their own to report on
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_log_in(client, school):
    for url in [reverse("reports:report-index"), *urls(school.branch.pk)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_branch_is_not_found(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("reports:report-branch", args=[999999])).status_code == 404


def test_word_download_has_its_content_type_and_chinese_file_name(client, staff_user, school):
    client.force_login(staff_user)
    response = client.get(
        reverse("reports:report-download", args=[school.branch.pk, "summary", "docx"])
    )
    assert response["Content-Type"] == DOCX
    name = quote(f"{school.branch.short_name}创先争优工作总结.docx")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"report.docx\"; filename*=UTF-8''{name}"
    )
    assert response.content[:2] == b"PK"


def test_excel_download_of_the_table(client, staff_user, school):
    client.force_login(staff_user)
    response = client.get(
        reverse("reports:report-download", args=[school.branch.pk, "table", "xlsx"])
    )
    assert response["Content-Type"] == XLSX
    name = quote(f"{school.branch.short_name}创先争优长效机制情况表.xlsx")
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{name}")


def test_preview_shows_the_report_with_figures_marked(client, staff_user, school):
    client.force_login(staff_user)
    content = client.get(
        reverse("reports:report-preview", args=[school.branch.pk, "summary"])
    ).content.decode()
    assert f"{school.branch.short_name}创先争优工作总结" in content
    assert '<span class="report-figure" title="数据：承诺签订人数">4</span>' in content
    assert "reports/report.css" in content


def test_a_year_can_be_chosen(client, staff_user, school):
    client.force_login(staff_user)
    url = reverse("reports:report-preview", args=[school.branch.pk, "summary"])
    content = client.get(url, {"period": "year-2010"}).content.decode()
    assert f"{school.branch.short_name}2010年度创先争优工作总结" in content
    page = client.get(reverse("reports:report-branch", args=[school.branch.pk])).content.decode()
    assert 'value="year-2011"' in page and f'value="campaign-{school.campaign.pk}"' in page


def test_a_period_of_another_branch_or_a_year_without_campaign_is_not_found(
    client, staff_user, school, other_branch
):
    other = build_school(other_branch)
    client.force_login(staff_user)
    url = reverse("reports:report-preview", args=[school.branch.pk, "summary"])
    assert client.get(url, {"period": f"campaign-{other.campaign.pk}"}).status_code == 404
    assert client.get(url, {"period": "year-2005"}).status_code == 404
    assert client.get(url, {"period": "nonsense"}).status_code == 404


def test_index_sends_a_one_branch_user_straight_to_the_branch(client, staff_user, school):
    client.force_login(staff_user)
    response = client.get(reverse("reports:report-index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report-branch", args=[school.branch.pk])


def test_committee_user_chooses_among_the_committees_branches(client, committee_user, school):
    second = f.BranchFactory(committee=school.branch.committee, short_name="另一所党支部")
    elsewhere = f.BranchFactory(short_name="别的党委的支部")
    client.force_login(committee_user)
    content = client.get(reverse("reports:report-index")).content.decode()
    assert school.branch.short_name in content and second.short_name in content
    assert elsewhere.short_name not in content
    assert client.get(reverse("reports:report-branch", args=[elsewhere.pk])).status_code == 403


def test_secretary_sees_the_link_to_write_the_narrative_staff_does_not(
    client, secretary, staff_user, school
):
    url = reverse("reports:narrative-list", args=[school.branch.pk, school.campaign.pk])
    client.force_login(secretary)
    assert (
        url
        in client.get(reverse("reports:report-branch", args=[school.branch.pk])).content.decode()
    )
    client.force_login(staff_user)
    assert (
        url
        not in client.get(
            reverse("reports:report-branch", args=[school.branch.pk])
        ).content.decode()
    )


def test_navigation_shows_reports_to_staff_not_to_members(client, staff_user, member, school):
    link = f'href="{reverse("reports:report-index")}"'
    client.force_login(staff_user)
    assert link in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(member)
    assert link not in client.get(reverse("home"), follow=True).content.decode()


# ---------------------------------------------------------------------------------------------
# Query counts do not grow with the data.


def grow(school, n: int) -> None:
    """Add ``n`` of everything the reports count: members, activities, meetings, honors …"""
    branch, campaign = school.branch, school.campaign
    people = [f.MemberFactory(branch=branch, is_key_teacher=i % 2 == 0) for i in range(n)]
    for i, person in enumerate(people):
        f.SignedPledgeFactory(campaign=campaign, person=person, signed_at=signed_at(D(2010, 8, 1)))
        f.TypicalHonorFactory(
            branch=branch, person=person, level=Level.SCHOOL, awarded_on=D(2011, 3, 1)
        )
        f.MechanismFactory(branch=branch, name=f"增加的制度{i}")
        meeting = f.MeetingFactory(branch=branch, held_on=D(2011, 1, 1 + i % 28))
        f.AttendanceFactory(meeting=meeting, person=person)
        for carrier in school.carriers.values():
            activity = f.ActivityFactory(carrier=carrier, start_date=D(2011, 1 + i % 12, 1))
            f.ActivityParticipantFactory(activity=activity, person=person, hours=1)
            f.MeasureFactory(carrier=carrier, order=100 + i)
        f.ResearchTopicFactory(branch=branch, title=f"增加的课题{i}")


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("report-preview", {"kind": "summary"}),
        ("report-preview", {"kind": "table"}),
        ("report-download", {"kind": "summary", "fmt": "docx"}),
        ("report-download", {"kind": "summary", "fmt": "xlsx"}),
        ("report-download", {"kind": "table", "fmt": "docx"}),
        ("report-download", {"kind": "table", "fmt": "xlsx"}),
    ],
)
def test_query_count_does_not_grow_with_the_data(
    client, staff_user, school, name, kwargs, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # every request builds the report from the records
    client.force_login(staff_user)
    url = reverse(f"reports:{name}", kwargs={"branch_pk": school.branch.pk, **kwargs})
    client.get(url)  # warm up the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(school, 15)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
    if name == "report-preview" and kwargs["kind"] == "summary":
        signers = '我支部<span class="report-figure" title="数据：承诺签订人数">19</span>名'
        assert signers in response.content.decode()


def test_role_assignment_of_a_member_alone_does_not_open_reports(client, member, school):
    assert set(member.role_assignments.values_list("role", flat=True)) == {
        RoleAssignment.Role.MEMBER
    }
    client.force_login(member)
    assert client.get(reverse("reports:report-index")).status_code == 403


def test_branch_page_explains_a_bad_period_instead_of_failing(client, staff_user, school):
    client.force_login(staff_user)
    url = reverse("reports:report-branch", args=[school.branch.pk])
    response = client.get(url, {"period": "year-2005"})
    assert response.status_code == 200
    assert "text-danger" in response.content.decode()
    assert reverse("reports:report-preview", args=[school.branch.pk, "summary"]) not in (
        response.content.decode()
    )
