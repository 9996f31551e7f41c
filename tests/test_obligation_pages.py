"""The secretary's calendar, a member's meetings, the committee's heat map and its workbook,
the to-do list, and the calendar feeds behind their private addresses."""

import datetime
import io

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from members import todos
from tests.factories import (
    BranchFactory,
    MeetingFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PledgeItemFactory,
    SignedPledgeFactory,
)

D = datetime.date
TODAY = D(2026, 3, 15)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("obligations.views._today", lambda: TODAY)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_the_calendar_lists_what_is_due_and_overdue_one_click_from_the_meeting_form(
    client, secretary, branch
):
    MeetingFactory(branch=branch, kind="theme_day", held_on=D(2026, 1, 9))
    MeetingFactory(branch=branch, kind="committee", held_on=D(2026, 3, 2), topic="三月支委会")
    client.force_login(secretary)
    page = client.get(reverse("obligations:calendar")).content.decode()
    due = page[page.index('id="due-list"') : page.index('id="overdue-heading"')]
    overdue = page[page.index('id="overdue-list"') :]
    overdue = overdue[: overdue.index("</ul>")]  # this year's; earlier years follow, folded
    assert "主题党日" in due and "支委会" not in due  # March's committee meeting is held
    # January's 主题党日 was held: only February's is overdue; both months' 支委会 are
    assert overdue.count('主题党日 <span class="badge text-bg-danger">') == 1
    assert overdue.count('支委会 <span class="badge text-bg-danger">') == 2
    plan = f"{reverse('activities:meeting-create')}?branch={branch.pk}&kind=theme_day&status=planned&held_on=2026-03-15"
    assert plan in page
    assert "三月支委会" in page  # in the grid


def test_a_staff_reader_sees_the_calendar_without_the_planning_buttons(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("obligations:calendar")).content.decode()
    assert "本月应完成" in page and "安排会议" not in page


def test_a_member_sees_their_coming_meetings_not_other_groups(client, member, branch):
    mine, other = (
        PartyGroupFactory(branch=branch, name="甲组"),
        PartyGroupFactory(branch=branch, name="乙组"),
    )
    PartyGroupMembershipFactory(group=mine, person=member.person, start=D(2020, 1, 1))
    MeetingFactory(
        branch=branch,
        kind="group",
        party_group=mine,
        held_on=D(2026, 3, 20),
        status="planned",
        topic="甲组学习",
    )
    MeetingFactory(
        branch=branch,
        kind="group",
        party_group=other,
        held_on=D(2026, 3, 21),
        status="planned",
        topic="乙组学习",
    )
    MeetingFactory(
        branch=branch,
        kind="theme_day",
        held_on=D(2026, 4, 3),
        status="planned",
        topic="四月主题党日",
    )
    client.force_login(member)
    page = client.get(reverse("obligations:my-meetings")).content.decode()
    assert "甲组学习" in page and "四月主题党日" in page and "乙组学习" not in page


def test_the_heat_map_colours_branches_by_month_sorts_and_drills_down(
    client, committee_user, branch
):
    slipping = BranchFactory(committee=branch.committee, short_name="落后支部")
    for month in (1, 2):
        for kind in ("committee", "theme_day"):
            MeetingFactory(branch=branch, kind=kind, held_on=D(2026, month, 5))
    client.force_login(committee_user)
    page = client.get(reverse("obligations:heatmap") + "?year=2026&sort=rate").content.decode()
    assert page.index("落后支部") < page.index(branch.short_name)  # the lowest rate first
    assert f"?branch={slipping.pk}&amp;month=2026-02" in page
    assert "table-danger" in page and "table-success" in page
    response = client.get(reverse("obligations:heatmap-export") + "?year=2026")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["完成情况"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows[branch.short_name][1].startswith("已完成")
    assert rows["落后支部"][1].startswith("逾期未完成")


def test_the_heat_map_is_built_once_and_follows_a_meeting_and_a_rule_at_once(
    client, committee_user, branch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ObligationRuleFactory

    url = reverse("obligations:heatmap") + "?year=2026"
    january = f"?branch={branch.pk}&amp;month=2026-01"

    def january_cell() -> str:
        page = client.get(url).content.decode()
        return page.split(january, 1)[0].rsplit("<td", 1)[1]

    client.force_login(committee_user)
    assert "heat-overdue" in january_cell()  # nothing held in January
    with CaptureQueriesContext(connection) as repeated:
        assert "heat-overdue" in january_cell()
    for kind in ("committee", "theme_day"):
        MeetingFactory(branch=branch, kind=kind, held_on=D(2026, 1, 5))
    with CaptureQueriesContext(connection) as rebuilt:
        assert "heat-met" in january_cell()  # the meetings held, seen at once
    assert len(repeated) < len(rebuilt)
    # A committee's own rule asking for two 主题党日 a month from 2026 judges January again.
    ObligationRuleFactory(
        committee=branch.committee,
        kind="theme_day",
        frequency="month",
        count=2,
        valid_from=D(2026, 1, 1),
        valid_to=None,
    )
    assert "heat-overdue" in january_cell()


def test_the_heat_map_is_only_for_the_committee(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("obligations:heatmap")).status_code == 403


def test_the_todo_list_shows_what_is_due(secretary, branch):
    found = {t.label: t.count for t in todos.todos_for(secretary, TODAY)}
    assert found["本月待完成的组织生活"] > 0
    assert found["逾期未完成的组织生活"] > 0


def test_feeds_open_by_token_and_a_renewed_token_closes_the_old_address(
    client, secretary, member, branch
):
    MeetingFactory(
        branch=branch,
        kind="theme_day",
        held_on=D(2026, 3, 27),
        status="planned",
        topic="三月主题党日",
    )
    pledge = SignedPledgeFactory(person=member.person, campaign__branch=branch)
    PledgeItemFactory(pledge=pledge, title="每周家访一次", deadline=D(2026, 4, 1))
    client.force_login(secretary)
    client.post(reverse("obligations:branch-feed-renew"), {"branch": branch.pk})
    from obligations.models import CalendarFeed

    feed = CalendarFeed.objects.get(branch=branch, person=None)
    client.logout()
    response = client.get(reverse("obligations:feed", args=[feed.token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert any("三月主题党日" in s for s in summaries)
    assert any(s.startswith("应完成：") for s in summaries)
    old = feed.token
    client.force_login(secretary)
    client.post(reverse("obligations:branch-feed-renew"), {"branch": branch.pk})
    client.logout()
    assert client.get(reverse("obligations:feed", args=[old])).status_code == 404

    client.force_login(member)
    client.post(reverse("obligations:person-feed-renew"))
    own = CalendarFeed.objects.get(person=member.person)
    client.logout()
    events = Calendar.from_ical(client.get(reverse("obligations:feed", args=[own.token])).content)
    summaries = [str(e["summary"]) for e in events.walk("VEVENT")]
    assert "承诺事项：每周家访一次" in summaries
    assert any("三月主题党日" in s for s in summaries)


def test_the_calendar_fits_a_phone(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("obligations:calendar")).content.decode()
    assert '<div class="table-responsive">' in page
