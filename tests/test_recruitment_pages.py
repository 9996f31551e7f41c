"""发展党员 in the browser: the pipeline, the dossier and its Word form, the step forms, the
committee's approvals and rules, the to-do lists and the person page."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from members import todos
from members.models import PoliticalStatus, StatusStage
from recruitment import services
from recruitment.models import Development, RuleBook, RuleKey, TimeRule
from recruitment.progress import Facts, next_steps, steps_of
from tests import recruitment_data as data
from tests.factories import MemberFactory, PersonFactory, StatusStageFactory

D = datetime.date
S = PoliticalStatus


@pytest.fixture
def today():
    return timezone.localdate()


def test_pipeline_counts_stages_and_shows_an_overdue_talk_in_red(client, secretary, branch, today):
    late = data.applicant(branch, applied=today - datetime.timedelta(days=45), name="迟谈话")
    data.activist(branch, name="积极分子乙")
    client.force_login(secretary)

    page = client.get(reverse("recruitment:pipeline")).content.decode()

    assert "迟谈话" in page and "积极分子乙" in page
    row = page[page.index("迟谈话") - 300 : page.index("迟谈话")]
    assert "table-danger" in row
    assert "已逾期" in page
    counts = dict(Development.objects.for_branch(branch).count_by_stage().items())
    assert counts[S.APPLICANT] == 1 and counts[S.ACTIVIST] == 1
    assert late.person.name in page


def test_dossier_shows_each_stages_evidence_and_the_next_steps(client, secretary, branch):
    development = data.voted(branch, name="发展对象丙")
    client.force_login(secretary)

    page = client.get(reverse("recruitment:dossier", args=[development.pk])).content.decode()

    assert "发展对象丙的介绍人1" in page and "发展对象丙的联系人1" in page
    assert "共 3 天、24 学时" in page
    assert "上级党委审批" in page and "应到 10" in page
    assert "表现良好" in page  # the review


def test_candidate_too_early_is_refused_next_to_the_date(client, secretary, branch):
    development = data.activist(branch, activist_on=D(2022, 6, 1))
    client.force_login(secretary)

    response = client.post(
        reverse("recruitment:step", args=[development.pk, "candidate"]), {"on": "2023-01-10"}
    )

    assert response.status_code == 200
    error = response.context["form"].errors["on"][0]
    assert "积极分子培养考察期1年" in error and "最早 2023-06-01" in error
    development.person.refresh_from_db()
    assert development.person.political_status == S.ACTIVIST


def test_the_members_status_form_refuses_candidate_to_full_in_three_days(client, secretary, branch):
    person = PersonFactory(branch=branch, political_status=S.CANDIDATE)
    StatusStageFactory(person=person, status=S.CANDIDATE, start=D(2024, 3, 1))
    client.force_login(secretary)

    response = client.post(
        reverse("members:person-status", args=[person.pk]), {"status": "full", "on": "2024-03-04"}
    )

    assert "逐级变更" in response.content.decode()
    assert StatusStage.objects.filter(person=person).count() == 1


def test_secretary_records_the_steps_in_the_browser(client, secretary, branch):
    development = data.applicant(branch, applied=D(2022, 3, 1), name="新申请人")
    contact = MemberFactory(branch=branch, name="联系人丁")
    client.force_login(secretary)
    step = lambda key: reverse("recruitment:step", args=[development.pk, key])  # noqa: E731

    client.post(step("talk"), {"on": "2022-03-15", "by": "书记甲", "note": "谈话"})
    response = client.post(step("activist"), {"on": "2022-05-01", "contacts": [contact.pk]})

    assert response.status_code == 302
    development.refresh_from_db()
    assert development.person.political_status == S.ACTIVIST
    assert [c.person for c in development.contacts.all()] == [contact]


def test_committee_approves_in_the_browser(client, committee_user, branch):
    development = data.voted(branch, vote_on=D(2023, 12, 1))
    client.force_login(committee_user)

    listing = client.get(reverse("recruitment:approvals")).content.decode()
    assert development.person.name in listing

    response = client.post(
        reverse("recruitment:approve", args=[development.pk]),
        {"on": "2024-01-15", "talk_on": "2024-01-10"},
    )
    assert response.status_code == 302
    development.refresh_from_db()
    assert development.approved_by == committee_user
    assert development.person.political_status == S.PROBATIONARY
    after = client.get(reverse("recruitment:approvals")).content.decode()
    assert reverse("recruitment:approve", args=[development.pk]) not in after


def test_committee_from_elsewhere_cannot_approve(client, outsider, branch):
    development = data.voted(branch)
    client.force_login(outsider)
    response = client.post(
        reverse("recruitment:approve", args=[development.pk]), {"on": "2024-01-15"}
    )
    assert response.status_code == 403
    development.refresh_from_db()
    assert development.approved_on is None


def test_committee_sets_its_own_rule_value_in_the_browser(client, committee_user, branch):
    client.force_login(committee_user)

    response = client.post(
        reverse("recruitment:rule-override"),
        {
            "key": RuleKey.TALK_WITHIN,
            "value": 2,
            "valid_from": "2025-01-01",
            "source": "区委组织部通知",
        },
    )

    assert response.status_code == 302
    rule = TimeRule.objects.get(committee=branch.committee, key=RuleKey.TALK_WITHIN)
    assert (rule.value, rule.unit, rule.source) == (2, "months", "区委组织部通知")
    page = client.get(reverse("recruitment:rules")).content.decode()
    assert "区委组织部通知" in page and "2个月" in page


def test_dossier_word_export_is_a4_and_filled_from_the_record(client, staff_user, branch):
    development = data.voted(branch, name="导出对象")
    client.force_login(staff_user)

    response = client.get(reverse("recruitment:dossier-export", args=[development.pk]))

    word = docx.Document(io.BytesIO(response.content))
    section = word.sections[0]
    assert abs(section.page_width.mm - 210) < 1 and abs(section.page_height.mm - 297) < 1
    text = "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "导出对象" in text and "导出对象的介绍人1" in text and "共 3 天、24 学时" in text
    assert "（不显示）" in text  # the birth date is for the secretary and the person only


def test_todos_show_overdue_steps_and_pending_approvals(secretary, committee_user, branch, today):
    data.applicant(branch, applied=today - datetime.timedelta(days=45), name="迟谈话")
    data.voted(branch, vote_on=D(2023, 12, 1))

    mine = {t.label: t for t in todos.todos_for(secretary, today)}
    theirs = {t.label: t for t in todos.todos_for(committee_user, today)}

    assert mine["发展党员：已逾期的事项"].count >= 1
    assert "迟谈话" in mine["发展党员：已逾期的事项"].detail
    assert theirs["待审批的发展党员（已超期）"].count == 1


def test_the_to_dos_rows_give_the_same_next_steps_as_the_records(branch, committee_user, today):
    """``step_facts`` counts and sums in the query what ``Facts.of`` reads from the records."""
    data.applicant(branch, applied=today - datetime.timedelta(days=45), name="迟谈话")
    data.candidate(branch)  # two contacts, a review, no introducer or training yet
    data.voted(branch, vote_on=D(2023, 12, 1))  # introducers, 3 days' training, a vote
    data.probationary(branch, by=committee_user)
    stopped = data.activist(branch, name="已终止者")
    Development.objects.filter(pk=stopped.pk).update(stopped_on=today, stop_reason="本人申请")
    rows = {row["pk"]: row for row in Development.objects.for_branch(branch).step_facts()}
    book = RuleBook()

    for development in Development.objects.for_branch(branch).for_pipeline():
        row = rows[development.pk]
        assert Facts.of_row(row) == Facts.of(development)
        assert row["name"] == development.person.name
        for day in (today, D(2023, 1, 1), D(2024, 12, 31)):
            assert steps_of(Facts.of_row(row), book, day) == next_steps(development, book, day)
    voted = next(r for r in rows.values() if r["name"] == "发展对象乙")
    assert voted["introducer_count"] == 2
    assert (voted["training_days"], voted["training_hours"]) == (3, 24)
    assert rows[stopped.pk]["stopped_on"] == today
    assert next(r for r in rows.values() if r["name"] == "发展对象甲")["contact_count"] == 2


def test_person_page_shows_the_development(client, secretary, branch):
    development = data.activist(branch, name="积极分子戊")
    client.force_login(secretary)
    page = client.get(
        reverse("members:person-detail", args=[development.person.pk])
    ).content.decode()
    assert reverse("recruitment:dossier", args=[development.pk]) in page


def test_pipeline_nav_link_for_readers_only(client, secretary, member):
    client.force_login(secretary)
    assert (
        reverse("recruitment:pipeline") in client.get(reverse("recruitment:rules")).content.decode()
    )
    client.force_login(member)
    page = client.get(reverse("members:person-detail", args=[member.person.pk])).content.decode()
    assert reverse("recruitment:pipeline") not in page


def test_committee_grants_a_waiver_in_the_browser_and_the_dossier_keeps_it(
    client, committee_user, secretary, branch
):
    development = data.activist(branch, activist_on=D(2022, 6, 1))
    client.force_login(committee_user)
    url = reverse("recruitment:waive", args=[development.pk])
    assert url in client.get(reverse("recruitment:dossier", args=[development.pk])).content.decode()

    empty = client.post(url, {"rule": RuleKey.MIN_ACTIVIST, "reason": ""})
    assert empty.status_code == 200 and not development.waivers.exists()
    client.post(url, {"rule": RuleKey.MIN_ACTIVIST, "reason": "特殊情况，党委会同意"})

    client.force_login(secretary)
    page = client.get(reverse("recruitment:dossier", args=[development.pk])).content.decode()
    assert "特殊情况，党委会同意" in page
    assert url not in page  # only the committee grants waivers
    word = docx.Document(
        io.BytesIO(client.get(reverse("recruitment:dossier-export", args=[development.pk])).content)
    )
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert any("特殊情况，党委会同意" in text for text in cells)


def test_stage_counts_leave_the_stopped_ones_apart_in_one_query(
    branch, today, django_assert_num_queries
):
    data.applicant(branch, applied=today, name="申请人甲")
    data.activist(branch, name="积极分子甲")
    stopped = data.activist(branch, name="积极分子乙")
    services.development_stop(development=stopped, on=today, reason="本人撤回申请")
    with django_assert_num_queries(1):
        counts = Development.objects.for_branch(branch).count_by_stage()
    assert counts == {S.APPLICANT: 1, S.ACTIVIST: 1, "stopped": 1}
