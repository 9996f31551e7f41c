"""The rules of admission: order, time rules with their sources, evidence, refused with Chinese
messages and nothing stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import PoliticalStatus, StatusStage
from members.services import person_change_status
from recruitment import services
from recruitment.models import Development, Introducer, RuleKey, TimeRule
from tests import recruitment_data as data
from tests.factories import BranchFactory, MemberFactory, PersonFactory, StatusStageFactory

D = datetime.date
S = PoliticalStatus


def test_time_rules_are_seeded_with_sources_and_dates(db):
    rule = TimeRule.objects.get(key=RuleKey.MIN_ACTIVIST, committee=None)
    assert (rule.value, rule.unit, rule.valid_from) == (1, "years", D(2014, 6, 10))
    assert "发展党员工作细则" in rule.source
    assert TimeRule.objects.filter(committee=None).count() == len(RuleKey.values)


def test_candidate_to_full_member_three_days_later_is_refused(branch):
    person = PersonFactory(branch=branch, political_status=S.CANDIDATE)
    StatusStageFactory(person=person, status=S.CANDIDATE, start=D(2024, 3, 1))

    with pytest.raises(ValidationError) as caught:
        person_change_status(person=person, status=S.FULL, on=D(2024, 3, 4))

    assert "逐级变更" in str(caught.value) and "发展党员工作细则" in str(caught.value)
    person.refresh_from_db()
    assert person.political_status == S.CANDIDATE
    assert person.status_stages.count() == 1


def test_full_membership_before_the_probation_ends_names_rule_and_earliest_day(branch):
    person = MemberFactory(branch=branch, political_status=S.PROBATIONARY)
    StatusStageFactory(person=person, status=S.PROBATIONARY, start=D(2024, 3, 1))

    with pytest.raises(ValidationError) as caught:
        person_change_status(person=person, status=S.FULL, on=D(2024, 3, 4))

    message = str(caught.value)
    assert "预备期1年" in message and "最早 2025-03-01" in message and "党章" in message
    assert person.status_stages.count() == 1


def test_candidate_before_a_year_as_activist_is_refused(branch):
    development = data.activist(branch, activist_on=D(2022, 6, 1))

    with pytest.raises(ValidationError) as caught:
        services.development_make_candidate(development=development, on=D(2023, 5, 31))

    assert "积极分子培养考察期1年" in str(caught.value)
    assert "最早 2023-06-01" in str(caught.value)
    development.person.refresh_from_db()
    assert development.person.political_status == S.ACTIVIST
    services.development_make_candidate(development=development, on=D(2023, 6, 1))
    development.person.refresh_from_db()
    assert development.person.political_status == S.CANDIDATE


def test_a_person_under_18_gets_no_development_record(branch):
    person = PersonFactory(branch=branch, birth_date=D(2008, 5, 1))

    with pytest.raises(ValidationError) as caught:
        services.development_start(person=person, applied_on=D(2025, 12, 1))

    assert "年满18周岁" in str(caught.value) and "最早可于 2026-05-01" in str(caught.value)
    assert not Development.objects.filter(person=person).exists()
    assert not StatusStage.objects.filter(person=person).exists()


def test_an_introducer_who_is_not_a_full_member_is_refused(branch):
    development = data.candidate(branch)
    full = MemberFactory(branch=branch, name="正式党员")
    probationary = MemberFactory(branch=branch, name="预备党员", political_status=S.PROBATIONARY)

    with pytest.raises(ValidationError) as caught:
        services.development_set_introducers(
            development=development, on=D(2023, 7, 1), introducers=[full, probationary]
        )

    assert "入党介绍人须是正式党员" in str(caught.value)
    assert not Introducer.objects.filter(development=development).exists()


def test_one_introducer_is_not_enough(branch):
    development = data.candidate(branch)
    with pytest.raises(ValidationError) as caught:
        services.development_set_introducers(
            development=development, on=D(2023, 7, 1), introducers=[MemberFactory(branch=branch)]
        )
    assert "入党介绍人须为2名正式党员" in str(caught.value)


def test_three_contacts_are_refused(branch):
    development = data.applicant(branch)
    services.development_talk(development=development, on=D(2022, 3, 10), by="书记", note="")
    contacts = [MemberFactory(branch=branch) for _ in range(3)]

    with pytest.raises(ValidationError) as caught:
        services.development_make_activist(
            development=development, on=D(2022, 6, 1), contacts=contacts
        )

    assert "培养联系人须为1至2名正式党员" in str(caught.value)
    development.person.refresh_from_db()
    assert development.person.political_status == S.APPLICANT


def test_admission_vote_needs_training_and_a_majority(branch):
    development = data.candidate(branch)
    services.development_set_introducers(
        development=development,
        on=D(2023, 7, 1),
        introducers=[MemberFactory(branch=branch), MemberFactory(branch=branch)],
    )
    services.development_political_review(development=development, on=D(2023, 8, 1), result="合格")
    vote = dict(on=D(2023, 12, 1), entitled=10, present=9, in_favour=9, against=0, abstain=0)

    with pytest.raises(ValidationError) as caught:
        services.development_admission_vote(development=development, **vote)
    assert "集中培训不足" in str(caught.value)

    services.development_training(
        development=development,
        start=D(2023, 9, 1),
        end=D(2023, 9, 2),
        organiser="党校",
        days=2,
        hours=24,
    )
    with pytest.raises(ValidationError) as caught:
        services.development_admission_vote(development=development, **{**vote, "in_favour": 5})
    assert "赞成人数须超过" in str(caught.value)
    development.refresh_from_db()
    assert development.admission_vote_on is None

    services.development_admission_vote(development=development, **vote)
    development.refresh_from_db()
    assert development.admission_vote_on == D(2023, 12, 1)


def test_probationary_only_through_the_committees_approval(branch, committee_user):
    development = data.voted(branch)
    person = development.person
    with pytest.raises(ValidationError) as caught:
        person_change_status(person=person, status=S.PROBATIONARY, on=D(2023, 12, 1))
    assert "上级党委审批" in str(caught.value)

    services.development_approve(
        development=development, on=D(2024, 1, 10), talk_on=D(2024, 1, 5), by=committee_user
    )
    person.refresh_from_db()
    assert person.political_status == S.PROBATIONARY
    membership = person.memberships.get()
    assert membership.start == D(2023, 12, 1)  # the probation runs from the 支部大会


def test_late_approval_needs_a_reason_and_is_kept(branch, committee_user):
    development = data.voted(branch, vote_on=D(2023, 12, 1))
    with pytest.raises(ValidationError) as caught:
        services.development_approve(
            development=development, on=D(2024, 4, 1), talk_on=None, by=committee_user
        )
    assert "上级党委审批时限3个月" in str(caught.value)
    services.development_approve(
        development=development,
        on=D(2024, 4, 1),
        talk_on=None,
        by=committee_user,
        note="党委换届推迟",
    )
    development.refresh_from_db()
    assert development.approval_note == "党委换届推迟"


def test_conversion_after_the_year_and_after_an_extension(branch):
    development = data.probationary(branch, vote_on=D(2023, 12, 1))
    services.development_extend(
        development=development, on=D(2024, 11, 20), months=6, reason="考察期表现不足"
    )
    with pytest.raises(ValidationError) as caught:
        services.development_convert(
            development=development, on=D(2024, 12, 10), present=9, in_favour=9
        )
    assert "含延长的预备期" in str(caught.value) and "最早 2025-06-01" in str(caught.value)

    services.development_convert(development=development, on=D(2025, 6, 5), present=9, in_favour=9)
    development.person.refresh_from_db()
    assert development.person.political_status == S.FULL


def test_an_extension_over_a_year_is_refused(branch):
    development = data.probationary(branch)
    with pytest.raises(ValidationError) as caught:
        services.development_extend(
            development=development, on=D(2024, 11, 20), months=13, reason="x"
        )
    assert "最长不超过1年" in str(caught.value)


def test_a_committees_own_value_rules_its_branches_from_its_day_on(branch):
    other = BranchFactory()
    services.time_rule_override(
        committee=branch.committee,
        key=RuleKey.MIN_ACTIVIST,
        value=2,
        valid_from=D(2022, 1, 1),
        source="本党委文件",
    )
    mine = data.activist(branch, activist_on=D(2022, 6, 1))
    theirs = data.activist(other, activist_on=D(2022, 6, 1), name="外支部积极分子")
    earlier = data.activist(
        branch, applied=D(2020, 3, 1), activist_on=D(2021, 6, 1), name="早期积极分子"
    )

    with pytest.raises(ValidationError) as caught:
        services.development_make_candidate(development=mine, on=D(2023, 6, 5))
    assert "积极分子培养考察期2年" in str(caught.value) and "本党委文件" in str(caught.value)
    services.development_make_candidate(development=theirs, on=D(2023, 6, 5))
    # a period begun before the committee's value took effect is judged by the rule then in force
    services.development_make_candidate(development=earlier, on=D(2022, 6, 5))


def test_a_second_override_ends_the_first_and_keeps_it(branch):
    committee = branch.committee
    first = services.time_rule_override(
        committee=committee,
        key=RuleKey.TALK_WITHIN,
        value=2,
        valid_from=D(2022, 1, 1),
        source="文件一",
    )
    services.time_rule_override(
        committee=committee,
        key=RuleKey.TALK_WITHIN,
        value=1,
        valid_from=D(2024, 1, 1),
        source="文件二",
    )
    first.refresh_from_db()
    assert first.valid_to == D(2023, 12, 31)
    assert first.history.count() == 2
    with pytest.raises(ValidationError):
        services.time_rule_override(
            committee=committee,
            key=RuleKey.TALK_WITHIN,
            value=3,
            valid_from=D(2023, 1, 1),
            source="x",
        )


def test_stopping_makes_the_person_masses_again(branch):
    development = data.activist(branch)
    services.development_stop(development=development, on=D(2023, 1, 1), reason="本人申请")
    development.person.refresh_from_db()
    assert development.person.political_status == S.MASSES
    assert all(c.end for c in development.contacts.all())


def test_the_committee_may_waive_the_activist_year_with_a_written_reason(branch, committee_user):
    development = data.activist(branch, activist_on=D(2022, 6, 1))
    with pytest.raises(ValidationError):
        services.development_waive(
            development=development, rule=RuleKey.MIN_ACTIVIST, reason=" ", by=committee_user
        )
    with pytest.raises(ValidationError) as caught:
        services.development_waive(
            development=development, rule=RuleKey.PROBATION, reason="x", by=committee_user
        )
    assert "不能批准例外" in str(caught.value)

    services.development_waive(
        development=development,
        rule=RuleKey.MIN_ACTIVIST,
        reason="援藏支教期间表现突出，经党委会研究同意",
        by=committee_user,
    )
    services.development_make_candidate(development=development, on=D(2023, 1, 10))
    development.person.refresh_from_db()
    assert development.person.political_status == S.CANDIDATE
    waiver = development.waivers.get()
    assert waiver.granted_by == committee_user and waiver.history.count() == 1
