"""Query counts on generated districts: a small one and a larger one, the same page costs the same.

Two districts from ``generate_data`` side by side (other committee, other account prefix): 2
branches of 10 people, and 5 branches of 30 people (3× the people, activities, meetings,
pledges and attendance of a branch, and more branches under the committee). Every list page, the
dashboard, the committee table and every export is asked for once in each, with the fragment
cache off so that the whole page is built from the records, and must run the same number of
queries. With the cache on, a repeated page costs the session and the account (members.pagecache).
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.recruitment import district_developments
from members.models import Campaign, Committee, RoleAssignment

SMALL = {"prefix": "s-", "committee": "小区教育党工委", "branches": 2, "people": 10}
LARGE = {"prefix": "l-", "committee": "大区教育党工委", "branches": 5, "people": 30}

BRANCH_PAGES = [
    ("activities:dashboard", None),
    ("activities:activity-list", None),
    ("activities:activity-export", None),
    ("activities:meeting-list", None),
    ("activities:measure-list", None),
    ("members:person-list", None),
    ("members:person-export", None),
    ("members:party-group-list", None),
    ("members:leading-role-list", None),
    ("members:campaign-list", None),
    ("members:rating-list", None),
    ("mechanisms:featured-work-list", None),
    ("pledges:pledge-list", None),
    ("honors:honor-list", None),
    ("mechanisms:mechanism-list", None),
    ("recruitment:pipeline", None),
    ("recruitment:rules", None),
    ("obligations:calendar", None),
    ("obligations:my-meetings", None),
    ("obligations:rule-list", None),
    ("pledges:my-pledges", None),
    ("pledges:objection-list", None),
    ("dues:mine", None),
    ("reports:report-preview", "summary"),
    ("reports:report-preview", "table"),
    ("reports:report-download", ("summary", "docx")),
    ("reports:report-download", ("summary", "xlsx")),
    ("reports:report-download", ("table", "docx")),
    ("reports:report-download", ("table", "xlsx")),
    ("reports:report-bundle", None),
    ("dues:ledger", None),
    ("dues:ledger-export", None),
    ("dues:arrears", None),
    ("dues:record-month", None),
    ("dues:base-list", None),
    ("dues:base-year", None),
    ("dues:summary", None),
]
COMMITTEE_PAGES = [
    "committees:branch-overview",
    "committees:branch-overview-export",
    "recruitment:approvals",
    "dues:committee",
    "obligations:heatmap",
    "obligations:heatmap-export",
]


@pytest.fixture
def districts(db, settings):
    settings.PAGE_CACHE_SECONDS = 0
    # The session is renewed once a minute (SessionRefreshMiddleware): with the renewal due
    # between a page's first request and the counted one, the count would hold a session write
    # in one district and not in the other. Renewed on the first request only, then never.
    settings.SESSION_REFRESH_SECONDS = 10**9
    for district in (SMALL, LARGE):
        call_command(
            "generate_data",
            "--branches",
            str(district["branches"]),
            "--people-per-branch",
            str(district["people"]),
            "--seed",
            "3",
            "--committee",
            district["committee"],
            "--username-prefix",
            district["prefix"],
            "--with-dues",
            stdout=io.StringIO(),
        )
        # the development records of the district's 入党申请人, 积极分子 and 发展对象
        district_developments(Committee.objects.get(name=district["committee"]), seed=3)
    return SMALL, LARGE


def _url(name: str, arg, branch) -> str:
    if name == "reports:report-bundle":
        return reverse(name, args=[branch.pk])
    if name.startswith("reports:"):
        kind, fmt = arg if isinstance(arg, tuple) else (arg, None)
        args = [branch.pk, kind] + ([fmt] if fmt else [])
        return reverse(name, args=args)
    return f"{reverse(name)}?branch={branch.pk}"


def _count(client, url: str) -> int:
    client.get(url)  # the first request of a session renews it; not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def _login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))


def _secretary_branch(prefix: str):
    return RoleAssignment.objects.select_related("branch").get(
        user__username=f"{prefix}b0001-secretary"
    )


def test_branch_pages_and_exports_cost_the_same_queries_in_a_larger_district(client, districts):
    small, large = districts
    counts = {}
    for district in (small, large):
        assignment = _secretary_branch(district["prefix"])
        assert Campaign.objects.filter(branch=assignment.branch).exists()
        _login(client, assignment.user.username)
        counts[district["prefix"]] = {
            (name, str(arg)): _count(client, _url(name, arg, assignment.branch))
            for name, arg in BRANCH_PAGES
        }
    assert counts["l-"] == counts["s-"]


def test_the_committee_table_and_workbook_cost_the_same_queries_for_more_branches(
    client, districts
):
    small, large = districts
    counts = {}
    for district in (small, large):
        _login(client, f"{district['prefix']}committee")
        counts[district["prefix"]] = [
            _count(client, f"{reverse(name)}?year=2011") for name in COMMITTEE_PAGES
        ]
    assert counts["l-"] == counts["s-"]


def test_a_repeated_page_needs_only_the_session_and_the_account(client, districts, settings):
    settings.PAGE_CACHE_SECONDS = 600
    assignment = _secretary_branch(LARGE["prefix"])
    _login(client, assignment.user.username)
    for name in ("activities:dashboard", "activities:activity-list", "members:person-list"):
        assert _count(client, _url(name, None, assignment.branch)) == 2, name
    _login(client, f"{LARGE['prefix']}committee")
    for name in ("committees:branch-overview", "obligations:heatmap"):
        assert _count(client, f"{reverse(name)}?year=2011") == 2, name


EVALUATION_OPEN_PAGES = [
    ("evaluation:round-list", False),
    ("evaluation:round-detail", True),
    ("evaluation:mine", False),
    ("evaluation:ballot", True),
    ("evaluation:self-assessment", True),
]
EVALUATION_CLOSED_PAGES = [
    ("evaluation:round-detail", True),
    ("evaluation:round-decide", True),
    ("evaluation:distribution", False),
]


def _evaluation_round(assignment):
    """A round of the district's first branch; everyone but the secretary has voted."""
    import datetime

    from django.utils import timezone

    from evaluation import services
    from evaluation.models import Grade

    today = timezone.localdate()
    evaluation_round = services.round_open(
        branch=assignment.branch,
        year=today.year,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
    )
    people = [p.person for p in evaluation_round.participants.select_related("person")]
    for voter in people:
        if voter.user_id == assignment.user_id:
            continue
        grades = {p.pk: Grade.QUALIFIED for p in people if p.pk != voter.pk}
        services.ballot_cast(
            evaluation_round=evaluation_round, voter=voter, grades=grades, today=today
        )
    return evaluation_round


def test_evaluation_pages_and_the_year_in_review_cost_the_same_in_a_larger_district(
    client, districts
):
    from evaluation import services

    small, large = districts
    counts = {}
    for district in (small, large):
        assignment = _secretary_branch(district["prefix"])
        evaluation_round = _evaluation_round(assignment)
        assert evaluation_round.participants.count() > 3
        _login(client, assignment.user.username)

        def url(name, with_pk, evaluation_round=evaluation_round, branch=assignment.branch):
            if with_pk:
                return reverse(name, args=[evaluation_round.pk])
            return f"{reverse(name)}?branch={branch.pk}"

        found = [_count(client, url(name, pk)) for name, pk in EVALUATION_OPEN_PAGES]
        services.round_close(evaluation_round=evaluation_round, on=evaluation_round.opens_on)
        found += [_count(client, url(name, pk)) for name, pk in EVALUATION_CLOSED_PAGES]
        for fmt in ("docx", "xlsx"):
            found.append(
                _count(client, reverse("evaluation:round-export", args=[evaluation_round.pk, fmt]))
            )
        person = assignment.user.person
        for name in ("members:person-year-review", "members:year-review-docx"):
            found.append(_count(client, reverse(name, args=[person.pk]) + "?year=2011"))
        counts[district["prefix"]] = found
    assert counts["l-"] == counts["s-"]
