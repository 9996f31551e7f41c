"""The demo branch's 发展党员 records: four people at different stages in 2025–2026.

Built through the app's services, so the demo obeys the same rules (order, time rules, 介绍人 and
联系人 who are full members) as the secretary's forms. One of them is due this month (the talk
after an application of late November 2026), another's 转正 falls due in December 2026, and a
third waits for the committee's approval. Idempotent: a person who already has a record is left
as it is. These people joined the staff in 2019 or later and are neither key teachers nor senior
cadres, so no figure of the 2010–2012 source document moves.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from members.models import Person, PoliticalStatus
from recruitment import services
from recruitment.models import Development

S = PoliticalStatus

# name, gender, birth date, post, staff since
PEOPLE = [
    ("张晓雯", "F", date(1998, 3, 12), "英语教师", date(2021, 9, 1)),
    ("李嘉欣", "F", date(1996, 7, 8), "数学教师", date(2019, 9, 1)),
    ("陈一鸣", "M", date(1994, 11, 2), "物理教师", date(2019, 9, 1)),
    ("周思宁", "F", date(1993, 5, 20), "语文教师", date(2019, 9, 1)),
]
# Full members of the demo branch who act as 培养联系人 and 入党介绍人.
CONTACTS = ["曾蓓蓓", "顾文斌"]
INTRODUCERS = ["陈晓燕", "蔡磊"]


def _full_members(branch, names: list[str]) -> list[Person]:
    found = {p.name: p for p in Person.objects.filter(branch=branch, name__in=names)}
    return [found[name] for name in names]


def _review(development, on: date, summary: str) -> None:
    services.development_review(development=development, on=on, reviewer="曾蓓蓓", summary=summary)


def _to_activist(branch, development, applied: date, activist: date) -> None:
    services.development_talk(
        development=development,
        on=date.fromordinal(applied.toordinal() + 14),
        by="王卫珍",
        note="了解入党动机，介绍党的基本知识。",
    )
    services.development_make_activist(
        development=development, on=activist, contacts=_full_members(branch, CONTACTS)
    )


def _to_candidate(branch, development, candidate: date) -> None:
    services.development_make_candidate(
        development=development,
        on=candidate,
        publicity_from=candidate,
        publicity_to=date.fromordinal(candidate.toordinal() + 6),
    )


def _to_vote(branch, development, candidate: date, vote: date) -> None:
    services.development_set_introducers(
        development=development,
        on=date.fromordinal(candidate.toordinal() + 10),
        introducers=_full_members(branch, INTRODUCERS),
    )
    services.development_political_review(
        development=development,
        on=date.fromordinal(candidate.toordinal() + 60),
        result="政治历史清楚，符合入党条件",
    )
    start = date.fromordinal(candidate.toordinal() + 90)
    services.development_training(
        development=development,
        start=start,
        end=date.fromordinal(start.toordinal() + 2),
        organiser="中共徐汇区委党校",
        days=3,
        hours=24,
    )
    services.development_admission_vote(
        development=development,
        on=vote,
        entitled=18,
        present=16,
        in_favour=16,
        against=0,
        abstain=0,
    )


def _build(branch, name: str, committee_user) -> Development:
    person = Person.objects.get(branch=branch, name=name)
    if name == "张晓雯":  # applied late November 2026: the talk is due this month
        return services.development_start(person=person, applied_on=date(2026, 11, 20))
    if name == "李嘉欣":  # 积极分子 since April 2025, reviewed every half year
        development = services.development_start(person=person, applied_on=date(2025, 2, 10))
        _to_activist(branch, development, date(2025, 2, 10), date(2025, 4, 15))
        _review(development, date(2025, 10, 14), "学习认真，积极参加志愿服务。")
        _review(development, date(2026, 4, 13), "教学成绩突出，主动承担班主任工作。")
        _review(development, date(2026, 10, 12), "思想上进，已具备列为发展对象的条件。")
        return development
    if name == "陈一鸣":  # admitted by the 支部大会 in November 2026, waiting for approval
        development = services.development_start(person=person, applied_on=date(2024, 3, 1))
        _to_activist(branch, development, date(2024, 3, 1), date(2024, 6, 1))
        _review(development, date(2024, 12, 2), "表现良好。")
        _to_candidate(branch, development, date(2025, 6, 10))
        _review(development, date(2025, 12, 5), "发展对象期间表现良好。")
        _review(development, date(2026, 6, 3), "符合接收预备党员条件。")
        _to_vote(branch, development, date(2025, 6, 10), date(2026, 11, 25))
        return development
    # 周思宁: 预备党员 since the 支部大会 of 2025-12-15; 转正 falls due in December 2026
    development = services.development_start(person=person, applied_on=date(2023, 10, 9))
    _to_activist(branch, development, date(2023, 10, 9), date(2023, 12, 1))
    _review(development, date(2024, 6, 3), "表现良好。")
    _to_candidate(branch, development, date(2024, 12, 10))
    _to_vote(branch, development, date(2024, 12, 10), date(2025, 12, 15))
    services.development_approve(
        development=development, on=date(2026, 1, 20), talk_on=date(2026, 1, 12), by=committee_user
    )
    services.development_oath(development=development, on=date(2026, 1, 25))
    _review(development, date(2026, 6, 15), "预备期表现良好。")
    return development


def build_recruitment(branch) -> tuple[int, int]:
    """The demo's development records: (created, unchanged)."""
    committee_user = get_user_model().objects.filter(username="committee").first()
    created = unchanged = 0
    for name, gender, born, post, since in PEOPLE:
        person, _ = Person.objects.get_or_create(
            branch=branch,
            name=name,
            defaults={"gender": gender, "birth_date": born, "post": post, "staff_since": since},
        )
        if Development.objects.filter(person=person).exists():
            unchanged += 1
            continue
        _build(branch, name, committee_user)
        created += 1
    return created, unchanged


# The synthetic district ----------------------------------------------------------------------


def district_developments(committee, *, seed: int = 1) -> int:
    """A development record for every 入党申请人, 积极分子 and 发展对象 of ``committee``'s branches
    (``generate_data`` gives them their stages), with its evidence; one 发展对象 in three has
    had the 支部大会 and waits for the committee's approval. Written in bulk, like the district
    itself: for the benchmarks and the query-count tests, not a record of the rules' checks.
    Returns the number of records made; a second call makes none."""
    import datetime
    import random

    from members.freshness import touch_branches
    from members.models import StatusStage
    from recruitment.models import Contact, Introducer, Review, Training

    rng = random.Random(seed)
    people = list(
        Person.objects.filter(
            branch__committee=committee,
            political_status__in=[S.APPLICANT, S.ACTIVIST, S.CANDIDATE],
            development__isnull=True,
        ).order_by("pk")
    )
    stages: dict[int, dict[str, date]] = {}
    for stage in StatusStage.objects.filter(person__in=people):
        stages.setdefault(stage.person_id, {})[stage.status] = stage.start
    full: dict[int, list[int]] = {}
    for pk, branch_id in Person.objects.filter(
        branch__committee=committee, political_status=S.FULL
    ).values_list("pk", "branch_id"):
        full.setdefault(branch_id, []).append(pk)

    day = datetime.timedelta
    # Every branch gets at least one record: where the district drew nobody on the way in, its
    # first 群众 became a 发展对象 (applied 2010-03, 积极分子 2010-09, 发展对象 2011-10).
    reached = {person.branch_id for person in people} | set(
        Development.objects.filter(person__branch__committee=committee).values_list(
            "person__branch_id", flat=True
        )
    )
    for person in (
        Person.objects.filter(
            branch__committee=committee, political_status=S.MASSES, development__isnull=True
        )
        .exclude(branch_id__in=reached)
        .order_by("branch_id", "pk")
    ):
        if person.branch_id in reached:
            continue
        reached.add(person.branch_id)
        steps = [
            (S.APPLICANT, date(2010, 3, 1), date(2010, 8, 31)),
            (S.ACTIVIST, date(2010, 9, 1), date(2011, 9, 30)),
            (S.CANDIDATE, date(2011, 10, 1), None),
        ]
        StatusStage.objects.bulk_create(
            StatusStage(person=person, status=status, start=start, end=end)
            for status, start, end in steps
        )
        Person.objects.filter(pk=person.pk).update(political_status=S.CANDIDATE)
        person.political_status = S.CANDIDATE
        stages[person.pk] = {status: start for status, start, _end in steps}
        people.append(person)
    if not people:
        return 0
    developments = []
    candidates = 0
    for person in people:
        mine = stages.get(person.pk, {})
        applied = mine.get(S.APPLICANT) or mine.get(S.ACTIVIST) or mine.get(S.CANDIDATE)
        development = Development(person=person, applied_on=applied)
        development.talk_on, development.talk_by = applied + day(rng.randint(5, 25)), "书记"
        candidate = mine.get(S.CANDIDATE)
        if candidate is not None:
            development.political_review_on = candidate + day(60)
            development.political_review_result = "合格"
            candidates += 1
            if candidates % 3 == 1:  # the first, fourth … 发展对象 waits for approval
                development.admission_vote_on = candidate + day(200)
                development.admission_entitled = development.admission_present = 20
                development.admission_for, development.admission_against = 20, 0
                development.admission_abstain = 0
        developments.append(development)
    Development.objects.bulk_create(developments)

    contacts, reviews, introducers, trainings = [], [], [], []
    for development in Development.objects.filter(person__in=people).select_related("person"):
        person, mine = development.person, stages.get(development.person_id, {})
        pool = [pk for pk in full.get(person.branch_id, []) if pk != person.pk]
        activist = mine.get(S.ACTIVIST)
        if activist is None or len(pool) < 2:
            continue
        pair = rng.sample(pool, 2)
        contacts += [Contact(development=development, person_id=pk, start=activist) for pk in pair]
        reviews.append(
            Review(development=development, reviewed_on=activist + day(180), summary="表现良好")
        )
        if mine.get(S.CANDIDATE):
            candidate = mine[S.CANDIDATE]
            introducers += [
                Introducer(development=development, person_id=pk, since=candidate + day(10))
                for pk in pair
            ]
            trainings.append(
                Training(
                    development=development,
                    start=candidate + day(90),
                    end=candidate + day(92),
                    organiser="区委党校",
                    days=3,
                    hours=24,
                )
            )
    Contact.objects.bulk_create(contacts)
    Review.objects.bulk_create(reviews)
    Introducer.objects.bulk_create(introducers)
    Training.objects.bulk_create(trainings)
    touch_branches({person.branch_id for person in people})
    return len(developments)
