"""Development records at each stage, built through the services (so they obey the rules)."""

from __future__ import annotations

import datetime

from members.models import PoliticalStatus
from recruitment import services
from tests.factories import MemberFactory, PersonFactory

D = datetime.date
S = PoliticalStatus
APPLIED, BORN, ACTIVIST_ON = D(2022, 3, 1), D(1995, 4, 1), D(2022, 6, 1)
CANDIDATE_ON, VOTE_ON, APPROVED_ON = D(2023, 6, 5), D(2023, 12, 1), D(2024, 1, 10)


def applicant(branch, *, applied=APPLIED, name="申请人甲", born=BORN):
    person = PersonFactory(branch=branch, name=name, birth_date=born)
    return services.development_start(person=person, applied_on=applied)


def activist(branch, *, applied=APPLIED, activist_on=ACTIVIST_ON, name="积极分子甲"):
    development = applicant(branch, applied=applied, name=name)
    services.development_talk(
        development=development, on=applied + datetime.timedelta(days=10), by="书记甲", note=""
    )
    contacts = [MemberFactory(branch=branch, name=f"{name}的联系人{i}") for i in (1, 2)]
    services.development_make_activist(development=development, on=activist_on, contacts=contacts)
    return development


def candidate(branch, *, name="发展对象甲", candidate_on=CANDIDATE_ON):
    development = activist(branch, name=name)
    services.development_review(
        development=development, on=D(2022, 12, 1), reviewer="联系人", summary="表现良好"
    )
    services.development_make_candidate(development=development, on=candidate_on)
    return development


def voted(branch, *, name="发展对象乙", vote_on=VOTE_ON):
    development = candidate(branch, name=name)
    introducers = [MemberFactory(branch=branch, name=f"{name}的介绍人{i}") for i in (1, 2)]
    services.development_set_introducers(
        development=development, on=D(2023, 7, 1), introducers=introducers
    )
    services.development_political_review(development=development, on=D(2023, 8, 1), result="合格")
    services.development_training(
        development=development,
        start=D(2023, 9, 1),
        end=D(2023, 9, 3),
        organiser="区委党校",
        days=3,
        hours=24,
    )
    services.development_admission_vote(
        development=development,
        on=vote_on,
        entitled=10,
        present=9,
        in_favour=9,
        against=0,
        abstain=0,
    )
    return development


def probationary(branch, *, name="预备党员甲", vote_on=VOTE_ON, approved_on=APPROVED_ON, by=None):
    development = voted(branch, name=name, vote_on=vote_on)
    services.development_approve(development=development, on=approved_on, talk_on=None, by=by)
    development.refresh_from_db()
    return development
